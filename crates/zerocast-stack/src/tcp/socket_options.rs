//! Per-socket TCP options ([`TcpSocketOptions`]) and keepalive settings.

use super::CongestionAlgorithm;
use crate::time::Duration;

/// TCP keepalive (RFC 9293 3.8.4, RFC 1122 4.2.3.6): after `idle` without traffic, send a
/// probe every `interval`; `count` unanswered probes abort the connection (`TimedOut`).
///
/// ```
/// use zerocast_stack::tcp::Keepalive;
/// let k = Keepalive::default();
/// assert_eq!((k.idle.as_secs(), k.interval.as_secs(), k.count), (7200, 75, 9));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Keepalive {
    /// Idle time before the first probe (RFC 1122: at least two hours by default).
    pub idle: Duration,
    /// Time between unanswered probes.
    pub interval: Duration,
    /// Unanswered probes before the connection is dropped.
    pub count: u32,
}

impl Default for Keepalive {
    fn default() -> Self {
        Keepalive {
            idle: Duration::from_secs(7200),
            interval: Duration::from_secs(75),
            count: 9,
        }
    }
}

/// Options of one TCP socket (set with [`Stack::tcp_set_options`](crate::Stack::tcp_set_options)).
///
/// Buffer sizes of 0 mean "the stack's default" ([`TcpConfig`](super::TcpConfig)).
///
/// ```
/// use zerocast_stack::tcp::TcpSocketOptions;
/// let o = TcpSocketOptions { nodelay: true, ..TcpSocketOptions::default() };
/// assert!(o.keepalive.is_none());
/// assert!(o.linger.is_none());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct TcpSocketOptions {
    /// Disable Nagle's algorithm (RFC 896): send small segments at once.
    pub nodelay: bool,
    /// Keepalive probing; `None` (the default) sends none.
    pub keepalive: Option<Keepalive>,
    /// Send buffer size in bytes (0: stack default).
    pub send_buffer: usize,
    /// Receive buffer size in bytes (0: stack default; the window starts here).
    pub recv_buffer: usize,
    /// Congestion control algorithm.
    pub congestion: CongestionAlgorithm,
    /// `Some(0)`: `tcp_close` resets the connection instead of closing it gracefully.
    /// `Some(t)`, `t > 0`: `tcp_close` keeps the socket until the FIN is acknowledged
    /// (readiness `writable`) or `t` passes, which resets the connection (readiness
    /// `error`); the socket is released after that event (see `tcp/linger.rs`).
    pub linger: Option<Duration>,
    /// RFC 5482 user timeout: abort with `TimedOut` when sent data stays unacknowledged
    /// this long (`None`: the retransmission count limit applies).
    pub user_timeout: Option<Duration>,
}
