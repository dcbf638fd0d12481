//! Stack-wide TCP settings ([`TcpConfig`], part of [`StackConfig`](crate::StackConfig)).

use crate::time::Duration;

/// TCP limits and timer values of a stack. The defaults follow Linux where RFCs leave a
/// choice (200 ms minimum RTO, 40 ms delayed ACK, 60 s TIME-WAIT, 1000 challenge ACKs/s).
///
/// ```
/// use zerocast_stack::tcp::TcpConfig;
/// let c = TcpConfig::default();
/// assert_eq!(c.time_wait.as_secs(), 60);
/// assert_eq!(c.min_rto.as_millis(), 200);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpConfig {
    /// Default send buffer per connection, bytes.
    pub send_buffer: usize,
    /// Default receive buffer per connection, bytes (the initial receive window).
    pub recv_buffer: usize,
    /// Largest receive buffer auto-tuning may grow to; also fixes our window scale shift.
    pub recv_buffer_max: usize,
    /// Our MSS when the route says nothing better (RFC 9293 3.7.1 default 536 for IPv4).
    pub default_mss: u16,
    /// Initial RTO (RFC 6298 2.1: 1 s).
    pub initial_rto: Duration,
    /// Lower bound of the RTO (RFC 6298 2.4 says 1 s; Linux and this stack use 200 ms).
    pub min_rto: Duration,
    /// Upper bound of the RTO after backoff (RFC 6298 2.5: at least 60 s).
    pub max_rto: Duration,
    /// SYN retransmissions before `connect` fails with `TimedOut` (Linux `tcp_syn_retries`).
    pub syn_retries: u32,
    /// SYN-ACK retransmissions before a half-open connection is dropped.
    pub synack_retries: u32,
    /// Data retransmissions before the connection is aborted when no user timeout is set
    /// (Linux `tcp_retries2`).
    pub max_retransmissions: u32,
    /// Longest an ACK may be delayed (RFC 9293 3.8.6.3: under 0.5 s; Linux 40 ms).
    pub delayed_ack: Duration,
    /// TIME-WAIT duration, 2·MSL (RFC 9293 3.4.2).
    pub time_wait: Duration,
    /// Challenge ACKs per second, stack-wide (RFC 5961 section 7).
    pub challenge_ack_limit: u32,
    /// Half-open connections per listener (the SYN queue).
    pub syn_queue_len: usize,
    /// Largest accept backlog a listener may ask for.
    pub max_backlog: usize,
    /// Longest a zero-window probe interval grows to.
    pub max_persist: Duration,
}

impl Default for TcpConfig {
    fn default() -> Self {
        TcpConfig {
            send_buffer: 256 * 1024,
            recv_buffer: 128 * 1024,
            recv_buffer_max: 4 * 1024 * 1024,
            default_mss: 536,
            initial_rto: Duration::from_secs(1),
            min_rto: Duration::from_millis(200),
            max_rto: Duration::from_secs(120),
            syn_retries: 6,
            synack_retries: 5,
            max_retransmissions: 15,
            delayed_ack: Duration::from_millis(40),
            time_wait: Duration::from_secs(60),
            challenge_ack_limit: 1000,
            syn_queue_len: 256,
            max_backlog: 4096,
            max_persist: Duration::from_secs(60),
        }
    }
}
