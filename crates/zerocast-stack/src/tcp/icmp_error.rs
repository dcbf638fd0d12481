//! ICMP and ICMPv6 errors about segments we sent (RFC 1122 4.2.3.9, RFC 5461, RFC 5927).
//!
//! The ICMP layer parses the error, checks that the quoted packet came from one of our
//! addresses, and hands it here with the error it maps to. This module then:
//! - finds the connection by the quote's 4-tuple;
//! - believes the error only if the quoted sequence number is in flight, `SND.UNA ≤ SEG.SEQ
//!   < SND.NXT` (RFC 5927 4.1, the check against blind ICMP attacks); anything else is
//!   ignored and counted (`icmp_errors_out_of_window`);
//! - a *hard* error (port or protocol unreachable: [`SocketError::ConnectionRefused`])
//!   aborts a connection still in SYN-SENT or SYN-RECEIVED, as Linux does (a listener's
//!   half-open connection is just forgotten); in a synchronized state it is soft too
//!   (RFC 5461 section 4: hard errors on established connections are an attack vector);
//! - a *soft* error (net or host unreachable, time exceeded, parameter problem, ...) is
//!   recorded as the connection's pending soft error and reported instead of `TimedOut` if
//!   the connection later times out with no progress since (RFC 1122 4.2.3.9; Linux's
//!   `sk_err_soft`); `Stack::tcp_take_error` also returns it, and clears it, when no hard
//!   error is pending (Linux's `SO_ERROR`). Unlike Linux, soft errors do not abort SYN-SENT either: RFC 5461
//!   section 4 recommends letting the connect retry through a transient outage.
//!
//! Fragmentation Needed / Packet Too Big ([`on_path_mtu_drop`]) also reaches established
//! connections: after the ICMP layer lowered the path MTU (which shrinks every connection's
//! MSS to that destination), the connection whose segment was dropped marks what it sent
//! from the quoted sequence number on as lost and resends it at once in segments of the new
//! size, without a congestion response (the drop was not congestion; Linux's
//! `tcp_simple_retransmit`), rather than waiting for the RTO.

use core::net::SocketAddr;

use zerocast_wire::IpProto;

use super::conn::{Conn, ConnCtx};
use super::demux::ConnId;
use super::io::run_conn;
use super::{SeqNum, TcpState};
use crate::context::Bindings;
use crate::icmp::QuotedDatagram;
use crate::socket::SocketError;
use crate::Stack;

/// How an ICMP error bears on a TCP connection (RFC 1122 4.2.3.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    /// Destination Unreachable codes 2 and 3 (protocol, port), ICMPv6 port unreachable.
    Hard,
    /// Everything else: net/host unreachable, source route failed, time exceeded,
    /// parameter problem, administratively prohibited.
    Soft,
}

/// Which kind of error the ICMP layer's mapping is: only "refused" (protocol or port
/// unreachable) is hard.
pub(crate) fn severity(error: SocketError) -> Severity {
    if error == SocketError::ConnectionRefused {
        Severity::Hard
    } else {
        Severity::Soft
    }
}

/// RFC 5927 4.1: the quoted segment's sequence number must be one we sent and is not yet
/// acknowledged, `SND.UNA ≤ SEG.SEQ < SND.NXT` (with SND.NXT the highest sent).
pub(crate) fn quote_in_flight(seq: SeqNum, snd_una: SeqNum, snd_max: SeqNum) -> bool {
    seq.in_range(snd_una, snd_max)
}

/// What a connection did with an ICMP error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The quoted sequence number was not in flight: ignored.
    OutOfWindow,
    /// Recorded as the pending soft error.
    Soft,
    /// The connection attempt was aborted.
    Aborted,
}

impl Conn {
    /// An ICMP error quoting our segment with sequence number `seq` arrived.
    pub(crate) fn on_icmp_error(&mut self, error: SocketError, seq: SeqNum) -> Verdict {
        if !quote_in_flight(seq, self.snd_una, self.snd_max) {
            return Verdict::OutOfWindow;
        }
        let handshake = matches!(self.state, TcpState::SynSent | TcpState::SynReceived);
        if handshake && severity(error) == Severity::Hard {
            if self.passive {
                // A listener's half-open connection: forget it (Linux drops the request).
                self.enter_closed();
            } else {
                self.fail(error);
            }
            return Verdict::Aborted;
        }
        self.soft_error = Some((error, self.snd_una));
        Verdict::Soft
    }

    /// The error a timeout reports: the pending soft error if nothing was acknowledged
    /// since it arrived (RFC 1122 4.2.3.9), else `TimedOut`.
    pub(crate) fn timeout_error(&self) -> SocketError {
        match self.soft_error {
            Some((e, una)) if una == self.snd_una => e,
            _ => SocketError::TimedOut,
        }
    }

    /// Takes the pending soft error, as Linux's `SO_ERROR` takes `sk_err_soft` when no
    /// hard error is pending: once reported, a later timeout reports `TimedOut` again.
    pub(crate) fn take_soft_error(&mut self) -> Option<SocketError> {
        self.soft_error.take().map(|(e, _)| e)
    }

    /// Packet Too Big / Fragmentation Needed quoted our segment at `seq`, and the MSS was
    /// already lowered: resend from there at the new size. Returns whether it was believed.
    pub(crate) fn on_packet_too_big(&mut self, seq: SeqNum, ctx: &mut ConnCtx<'_>) -> bool {
        if !quote_in_flight(seq, self.snd_una, self.snd_max) {
            return false;
        }
        if self.state.is_synchronized() && self.loss.mark_lost(seq, self.snd_max) > 0 {
            self.output(ctx);
        }
        true
    }
}

/// The 4-tuple and sequence number of the TCP segment an ICMP error quotes.
fn quoted_segment(quoted: &QuotedDatagram<'_>) -> Option<(SocketAddr, SocketAddr, SeqNum)> {
    let h = quoted.transport.get(..8)?;
    let sport = u16::from_be_bytes([h[0], h[1]]);
    let dport = u16::from_be_bytes([h[2], h[3]]);
    let seq = SeqNum::new(u32::from_be_bytes([h[4], h[5], h[6], h[7]]));
    Some((
        SocketAddr::new(quoted.src, sport),
        SocketAddr::new(quoted.dst, dport),
        seq,
    ))
}

fn find(stack: &Stack, quoted: &QuotedDatagram<'_>) -> Option<(ConnId, SeqNum)> {
    let (local, remote, seq) = quoted_segment(quoted)?;
    Some((stack.tcp.lookup(local, remote)?, seq))
}

/// An ICMP error (other than PMTU) about a TCP segment we sent.
pub(crate) fn deliver(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    quoted: &QuotedDatagram<'_>,
    error: SocketError,
) {
    let Some((id, seq)) = find(stack, quoted) else {
        stack.counters.tcp.icmp_errors_no_connection += 1;
        return;
    };
    match run_conn(stack, bc, id, |conn, _ctx| conn.on_icmp_error(error, seq)) {
        Some(Verdict::OutOfWindow) => stack.counters.tcp.icmp_errors_out_of_window += 1,
        Some(Verdict::Soft) => stack.counters.tcp.icmp_soft_errors += 1,
        Some(Verdict::Aborted) | None => {}
    }
}

/// Fragmentation Needed / Packet Too Big about a datagram we sent, after the ICMP layer
/// lowered the path MTU cache: every TCP connection to the destination shrinks its MSS,
/// and the one whose segment was quoted resends at once if its MSS did shrink (as Linux
/// does only when the MTU fell below what the connection used: a quote of a segment that
/// still fits is no reason to resend).
pub(crate) fn on_path_mtu_drop(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    quoted: &QuotedDatagram<'_>,
) {
    let quoted_conn = (quoted.proto == IpProto::TCP)
        .then(|| find(stack, quoted))
        .flatten();
    let mss_before = quoted_conn.and_then(|(id, _)| Some(stack.tcp.get(id)?.conn.snd_mss));
    super::io::on_pmtu_change(stack, bc.now(), quoted.dst);
    let Some((id, seq)) = quoted_conn else {
        return;
    };
    let shrank = stack
        .tcp
        .get(id)
        .is_some_and(|e| mss_before.is_some_and(|before| e.conn.snd_mss < before));
    if !shrank {
        return;
    }
    if run_conn(stack, bc, id, |conn, ctx| conn.on_packet_too_big(seq, ctx)) == Some(false) {
        stack.counters.tcp.icmp_errors_out_of_window += 1;
    }
}
