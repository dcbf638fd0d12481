//! Stack-wide counters: what the IP, ICMP and UDP layers received, sent and dropped, and why.
//!
//! Per-device link-layer counters are in [`DeviceCounters`](crate::device::DeviceCounters).
//! Every packet that gets past the link layer ends in exactly one outcome counter of its
//! layer (delivered, forwarded, or one `*_dropped`-style reason), so tests and the fuzzer can
//! check that nothing disappears unaccounted.

/// IPv4 or IPv6 counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpCounters {
    /// Packets handed to the IP layer (fragments counted each).
    pub rx: u64,
    /// Rejected by the parser (bad header, length, checksum, extension chain).
    pub malformed: u64,
    /// Source address that can never send (multicast, broadcast, unspecified where not allowed).
    pub bad_source: u64,
    /// Destination not ours and forwarding off (or not forwardable).
    pub not_for_us: u64,
    /// Handed to an upper layer (after reassembly: once per reassembled packet).
    pub delivered: u64,
    /// Upper-layer protocol not handled (answered with Protocol Unreachable / Parameter Problem).
    pub unknown_protocol: u64,
    /// Forwarded to another device.
    pub forwarded: u64,
    /// No route for a packet to forward or send.
    pub no_route: u64,
    /// TTL / hop limit expired while forwarding.
    pub hop_limit_exceeded: u64,
    /// Fragments received.
    pub fragments_rx: u64,
    /// Packets completed by reassembly.
    pub reassembled: u64,
    /// Fragments rejected by reassembly (overlap, bad length) or dropped by its limits.
    pub reassembly_failed: u64,
    /// Packets sent (each fragment counted).
    pub tx: u64,
    /// Fragments created on output.
    pub fragments_tx: u64,
    /// Packets too big for the path that could not be fragmented (DF, IPv6 forwarding).
    pub too_big: u64,
}

/// ICMPv4 or ICMPv6 counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IcmpCounters {
    /// Messages received.
    pub rx: u64,
    /// Rejected (too short, bad checksum).
    pub malformed: u64,
    /// Echo requests answered.
    pub echo_replies_sent: u64,
    /// Echo replies delivered to an echo socket.
    pub echo_replies_delivered: u64,
    /// Error messages received.
    pub errors_rx: u64,
    /// Error messages sent.
    pub errors_sent: u64,
    /// Errors not sent because the token bucket was empty.
    pub errors_rate_limited: u64,
    /// Errors not sent because the RFC forbids answering that packet (an ICMP error, a
    /// multicast or broadcast, a non-first fragment, an invalid source).
    pub errors_suppressed: u64,
    /// Other messages ignored (unknown types, echo to broadcast, replies nobody waits for).
    pub ignored: u64,
}

/// UDP counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UdpCounters {
    /// Datagrams received.
    pub rx: u64,
    /// Rejected (bad length, bad checksum, zero checksum over IPv6).
    pub malformed: u64,
    /// No socket bound to the destination (answered with Port Unreachable when allowed).
    pub no_socket: u64,
    /// Dropped because the socket's receive queue was full.
    pub queue_full: u64,
    /// Queued on a socket (a multicast datagram once per socket).
    pub delivered: u64,
    /// Datagrams sent.
    pub tx: u64,
}

/// TCP counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TcpCounters {
    /// Segments received.
    pub rx: u64,
    /// Rejected (bad header, checksum, or to a multicast/broadcast address).
    pub malformed: u64,
    /// Segments for no connection or listener (answered with a RST unless one).
    pub no_socket: u64,
    /// Segments sent.
    pub tx: u64,
    /// RSTs sent.
    pub resets_sent: u64,
    /// Connections opened by `tcp_connect`.
    pub active_opens: u64,
    /// Connections started by a SYN to a listener.
    pub passive_opens: u64,
    /// Connections that completed the handshake.
    pub established: u64,
    /// SYNs dropped because a listener's SYN queue was full.
    pub syn_queue_full: u64,
    /// SYNs dropped because a listener's accept queue was full.
    pub backlog_full: u64,
    /// TIME-WAIT connections ended early by a new SYN (RFC 6191-style reuse).
    pub time_wait_reused: u64,
    /// SYN-ACKs sent with a SYN cookie (RFC 4987) because the SYN queue was full.
    pub syn_cookies_sent: u64,
    /// Connections rebuilt from a valid returning cookie.
    pub syn_cookies_accepted: u64,
    /// ICMP errors quoting a segment of no connection.
    pub icmp_errors_no_connection: u64,
    /// ICMP errors ignored because the quoted sequence number was not in flight
    /// (RFC 5927 4.1).
    pub icmp_errors_out_of_window: u64,
    /// Soft ICMP errors recorded on a connection (RFC 1122 4.2.3.9).
    pub icmp_soft_errors: u64,
}

/// All stack-wide counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackCounters {
    /// IPv4.
    pub ipv4: IpCounters,
    /// IPv6.
    pub ipv6: IpCounters,
    /// ICMPv4.
    pub icmpv4: IcmpCounters,
    /// ICMPv6.
    pub icmpv6: IcmpCounters,
    /// UDP over both families.
    pub udp: UdpCounters,
    /// TCP over both families.
    pub tcp: TcpCounters,
    /// Packets to ourselves dropped because the loopback queue was full.
    pub loopback_dropped: u64,
}
