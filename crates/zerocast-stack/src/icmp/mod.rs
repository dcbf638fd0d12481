//! ICMPv4 and ICMPv6: echo, errors in both directions, echo sockets.
//!
//! Received messages (`receive_icmpv4`, `receive_icmpv6`) are checksum-verified by the
//! parser (bad ones counted and dropped). Echo requests are answered by [`echo`], in place
//! when possible. Echo replies go to the [`socket`] whose identifier they carry. Error
//! messages are matched to what we sent: the quoted packet must come from one of our
//! addresses; Fragmentation Needed / Packet Too Big update the path MTU cache
//! (RFC 1191, RFC 8201) and let the TCP connection that sent the quote resend at the new
//! size; the others become a pending error on the UDP or echo socket that sent the quoted
//! datagram, or go to the TCP connection (`tcp/icmp_error.rs`). NDP and MLD messages are
//! handed to the neighbour / IPv6-configuration layer (`crate::neighbor`).
//!
//! Errors we send are built in [`errors`], rate limited by [`rate_limit`].

pub mod echo;
pub mod errors;
pub mod rate_limit;
pub mod socket;

use core::net::IpAddr;

use zerocast_wire::icmpv4::{Icmpv4Message, Icmpv4Packet};
use zerocast_wire::icmpv6::{self, Icmpv6Message, Icmpv6Packet};
use zerocast_wire::{IpProto, Lenient, PseudoHeader};

use crate::context::Bindings;
use crate::ip::IpRx;
use crate::socket::SocketError;
use crate::Stack;

/// Per-stack ICMP state.
#[derive(Debug, Default)]
pub(crate) struct IcmpState {
    pub(crate) bucket_v4: rate_limit::TokenBucket,
    pub(crate) bucket_v6: rate_limit::TokenBucket,
}

/// The datagram an ICMP error is about, as far as the quote shows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuotedDatagram<'a> {
    /// Its source (one of ours, or the error is ignored).
    pub(crate) src: IpAddr,
    /// Where it was going.
    pub(crate) dst: IpAddr,
    /// Its transport protocol.
    pub(crate) proto: IpProto,
    /// The start of its transport header (at least 8 bytes when RFC 792 was followed).
    pub(crate) transport: &'a [u8],
}

/// Receives the ICMPv4 message described by `rx`.
pub(crate) fn receive_icmpv4(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    stack.counters.icmpv4.rx += 1;
    let Some(message) = buf.get(rx.payload_off..rx.end) else {
        return;
    };
    let Ok(icmp) = Icmpv4Packet::parse(message) else {
        stack.counters.icmpv4.malformed += 1;
        return;
    };
    let code = icmp.code();
    match icmp.message() {
        Icmpv4Message::EchoRequest { .. } => echo::answer_v4(stack, bc, rx, buf),
        Icmpv4Message::EchoReply { ident, seq, data } => {
            socket::deliver_echo_reply(stack, bc, rx.src, false, ident, seq, data);
        }
        Icmpv4Message::DestUnreachable { .. }
        | Icmpv4Message::TimeExceeded { .. }
        | Icmpv4Message::ParameterProblem { .. } => {
            stack.counters.icmpv4.errors_rx += 1;
            let Some(Ok(Lenient::Whole(q))) = icmp.quoted_packet() else {
                return;
            };
            let quoted = QuotedDatagram {
                src: IpAddr::V4(q.src().into()),
                dst: IpAddr::V4(q.dst().into()),
                proto: q.protocol(),
                transport: q.payload(),
            };
            if stack.local_address_device(quoted.src).is_none() {
                return;
            }
            let msg_type = icmp.msg_type();
            let next_hop_mtu = match icmp.message() {
                Icmpv4Message::DestUnreachable { next_hop_mtu, .. } => next_hop_mtu,
                _ => 0,
            };
            if msg_type == zerocast_wire::icmpv4::TYPE_DEST_UNREACHABLE && code == 4 {
                // RFC 1191 section 4 (or the section 7 plateau for an old router's zero).
                let mtu = if next_hop_mtu != 0 {
                    u32::from(next_hop_mtu)
                } else {
                    crate::ip::pmtu::plateau_below(u32::from(q.total_len()))
                };
                let (timeout, cap) = (stack.config.pmtu_timeout, stack.config.max_pmtu_entries);
                stack
                    .ip
                    .pmtu
                    .update(quoted.dst, mtu, bc.now(), timeout, cap);
                crate::tcp::icmp_error::on_path_mtu_drop(stack, bc, &quoted);
                return;
            }
            let error = match (msg_type, code) {
                (zerocast_wire::icmpv4::TYPE_DEST_UNREACHABLE, 0) => {
                    SocketError::NetworkUnreachable
                }
                (zerocast_wire::icmpv4::TYPE_DEST_UNREACHABLE, 2 | 3) => {
                    SocketError::ConnectionRefused
                }
                (zerocast_wire::icmpv4::TYPE_PARAMETER_PROBLEM, _) => SocketError::ProtocolError,
                _ => SocketError::HostUnreachable,
            };
            deliver_error(stack, bc, &quoted, error, false);
        }
        _ => stack.counters.icmpv4.ignored += 1,
    }
}

/// Receives the ICMPv6 message described by `rx`.
pub(crate) fn receive_icmpv6(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    stack.counters.icmpv6.rx += 1;
    let (IpAddr::V6(src), IpAddr::V6(dst)) = (rx.src, rx.dst) else {
        return;
    };
    let pseudo = PseudoHeader::V6 {
        src: src.into(),
        dst: dst.into(),
    };
    let Some(message) = buf.get(rx.payload_off..rx.end) else {
        return;
    };
    let Ok(icmp) = Icmpv6Packet::parse(message, pseudo) else {
        stack.counters.icmpv6.malformed += 1;
        return;
    };
    let (msg_type, code) = (icmp.msg_type(), icmp.code());
    match icmp.message() {
        Icmpv6Message::EchoRequest { .. } => echo::answer_v6(stack, bc, rx, buf),
        Icmpv6Message::EchoReply { ident, seq, data } => {
            socket::deliver_echo_reply(stack, bc, rx.src, true, ident, seq, data);
        }
        Icmpv6Message::DestUnreachable { .. }
        | Icmpv6Message::PacketTooBig { .. }
        | Icmpv6Message::TimeExceeded { .. }
        | Icmpv6Message::ParameterProblem { .. } => {
            stack.counters.icmpv6.errors_rx += 1;
            let Some(Ok(Lenient::Whole(q))) = icmp.quoted_packet() else {
                return;
            };
            let quoted = QuotedDatagram {
                src: IpAddr::V6(q.src().into()),
                dst: IpAddr::V6(q.dst().into()),
                proto: q.upper_protocol(),
                transport: q.payload(),
            };
            if stack.local_address_device(quoted.src).is_none() {
                return;
            }
            if let Icmpv6Message::PacketTooBig { mtu, .. } = icmp.message() {
                // RFC 8201 section 4: lower the PMTU, never below 1280.
                let (timeout, cap) = (stack.config.pmtu_timeout, stack.config.max_pmtu_entries);
                stack
                    .ip
                    .pmtu
                    .update(quoted.dst, mtu, bc.now(), timeout, cap);
                crate::tcp::icmp_error::on_path_mtu_drop(stack, bc, &quoted);
                return;
            }
            let error = match (msg_type, code) {
                (icmpv6::TYPE_DEST_UNREACHABLE, 0) => SocketError::NetworkUnreachable,
                (icmpv6::TYPE_DEST_UNREACHABLE, 4) => SocketError::ConnectionRefused,
                (icmpv6::TYPE_PARAMETER_PROBLEM, _) => SocketError::ProtocolError,
                _ => SocketError::HostUnreachable,
            };
            deliver_error(stack, bc, &quoted, error, true);
        }
        Icmpv6Message::RouterSolicitation(..)
        | Icmpv6Message::RouterAdvertisement(..)
        | Icmpv6Message::NeighborSolicitation(..)
        | Icmpv6Message::NeighborAdvertisement(..)
        | Icmpv6Message::Redirect(..)
        | Icmpv6Message::MldV1Query(..)
        | Icmpv6Message::MldV2Query(..)
        | Icmpv6Message::MldV1Report(..)
        | Icmpv6Message::MldDone(..)
        | Icmpv6Message::MldV2Report(..) => {
            // Hook: NDP (RFC 4861) and MLD (RFC 3810) belong to the neighbour / IPv6
            // configuration layer, which validates hop limit 255 and the rest itself.
            crate::neighbor::receive_ndp_or_mld(stack, bc, rx, buf);
        }
        _ => stack.counters.icmpv6.ignored += 1,
    }
}

/// Hands an ICMP error about one of our datagrams to the socket that sent it.
fn deliver_error(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    quoted: &QuotedDatagram<'_>,
    error: SocketError,
    v6: bool,
) {
    match quoted.proto {
        IpProto::UDP => crate::udp::deliver_icmp_error(stack, bc, quoted, error),
        IpProto::TCP => crate::tcp::icmp_error::deliver(stack, bc, quoted, error),
        IpProto::ICMP | IpProto::ICMPV6 => {
            // Identifier of the echo request we sent (bytes 4..6 of its header).
            let request_type = if v6 {
                icmpv6::TYPE_ECHO_REQUEST
            } else {
                zerocast_wire::icmpv4::TYPE_ECHO_REQUEST
            };
            if quoted.transport.first() == Some(&request_type) {
                if let Some(id) = quoted.transport.get(4..6) {
                    let ident = u16::from_be_bytes([id[0], id[1]]);
                    socket::deliver_echo_error(stack, bc, ident, v6, error);
                }
            }
        }
        _ => {}
    }
}
