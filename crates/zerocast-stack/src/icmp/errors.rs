//! Sending ICMPv4 and ICMPv6 error messages, quoting the offending packet.
//!
//! Every error goes through one of the two functions here, which apply the rules of RFC 1122
//! section 3.2.2 (IPv4) and RFC 4443 section 2.4 (IPv6) before anything is built: never about
//! an ICMP error message (or an ICMPv6 Redirect), never about a packet sent to a multicast or
//! broadcast address or received as link-layer multicast/broadcast (IPv6 excepts Packet Too
//! Big and Parameter Problem code 2, 2.4 (e.3)), never about a non-first fragment, never to a
//! source that does not name a single host. Then the stack-wide token bucket
//! ([`rate_limit`](super::rate_limit)) must have a token. The quote is the offending packet
//! from its IP header on, cut so the error fits 576 bytes for IPv4 (RFC 1812 section
//! 4.3.2.3, beyond RFC 792's "header + 64 bits") and 1280 bytes for IPv6 (RFC 4443 2.4 (c)).
//! The error's source is the address the offending packet was sent to when that is ours,
//! else the address chosen by source selection towards the offender (RFC 4443 2.2).

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocast_wire::icmpv4::{self, Icmpv4Repr};
use zerocast_wire::icmpv6::{self, Icmpv6Repr};
use zerocast_wire::ipv4::Ipv4Header;
use zerocast_wire::ipv6::Ipv6Header;
use zerocast_wire::ipv6_ext::ExtensionHeaders;
use zerocast_wire::zerocast::FromBytes;
use zerocast_wire::{IpProto, PseudoHeader};

use crate::context::{Bindings, DeviceId};
use crate::ip::{self, SendOptions};
use crate::Stack;

/// The longest ICMPv4 error we send (RFC 1812 section 4.3.2.3).
pub const ICMPV4_ERROR_MAX: usize = 576;
/// The longest ICMPv6 error we send (RFC 4443 section 2.4 (c): the IPv6 minimum MTU).
pub const ICMPV6_ERROR_MAX: usize = 1280;

/// Where the offending packet came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorOrigin {
    pub(crate) dev: DeviceId,
    /// It arrived as a link-layer broadcast or multicast.
    pub(crate) link_multicast: bool,
}

/// An ICMPv6 error's type, code and 4-byte type-specific word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Icmpv6Error {
    pub(crate) msg_type: u8,
    pub(crate) code: u8,
    pub(crate) word: [u8; 4],
}

impl Icmpv6Error {
    /// Destination Unreachable (RFC 4443 3.1): 0 no route, 1 prohibited, 2 beyond scope,
    /// 3 address unreachable, 4 port unreachable.
    pub(crate) const fn dest_unreachable(code: u8) -> Self {
        Icmpv6Error {
            msg_type: icmpv6::TYPE_DEST_UNREACHABLE,
            code,
            word: [0; 4],
        }
    }
    /// Packet Too Big (RFC 4443 3.2) with the next-hop MTU.
    pub(crate) const fn packet_too_big(mtu: u32) -> Self {
        Icmpv6Error {
            msg_type: icmpv6::TYPE_PACKET_TOO_BIG,
            code: 0,
            word: mtu.to_be_bytes(),
        }
    }
    /// Time Exceeded (RFC 4443 3.3): 0 hop limit, 1 reassembly.
    pub(crate) const fn time_exceeded(code: u8) -> Self {
        Icmpv6Error {
            msg_type: icmpv6::TYPE_TIME_EXCEEDED,
            code,
            word: [0; 4],
        }
    }
    /// Parameter Problem (RFC 4443 3.4) pointing into the offending packet.
    pub(crate) const fn parameter_problem(code: u8, pointer: u32) -> Self {
        Icmpv6Error {
            msg_type: icmpv6::TYPE_PARAMETER_PROBLEM,
            code,
            word: pointer.to_be_bytes(),
        }
    }
}

/// Whether an ICMPv4 type is an error message (RFC 792, RFC 1122 3.2.2: 3, 4, 5, 11, 12).
fn is_icmpv4_error_type(t: u8) -> bool {
    matches!(
        t,
        icmpv4::TYPE_DEST_UNREACHABLE
            | icmpv4::TYPE_SOURCE_QUENCH
            | icmpv4::TYPE_REDIRECT
            | icmpv4::TYPE_TIME_EXCEEDED
            | icmpv4::TYPE_PARAMETER_PROBLEM
    )
}

/// Sends `repr` about `offending` (an IPv4 packet from its header on), if the rules allow.
pub(crate) fn send_icmpv4_error(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    origin: ErrorOrigin,
    offending: &[u8],
    repr: Icmpv4Repr,
) {
    if !icmpv4_error_allowed(stack, origin, offending) {
        stack.counters.icmpv4.errors_suppressed += 1;
        return;
    }
    // The fixed header cast in place: the offending packet may be malformed in ways a parser
    // rejects (that can be why we answer it), but its addresses are where they always are.
    let Ok((header, _)) = Ipv4Header::ref_from_prefix(offending) else {
        stack.counters.icmpv4.errors_suppressed += 1;
        return;
    };
    let (src, dst) = (Ipv4Addr::from(header.src), Ipv4Addr::from(header.dst));
    let now = bc.now();
    let (rate, burst) = (stack.config.icmp_error_rate, stack.config.icmp_error_burst);
    if !stack.icmp.bucket_v4.try_take(now, rate, burst) {
        stack.counters.icmpv4.errors_rate_limited += 1;
        return;
    }
    let our_src = stack
        .local_address_device(IpAddr::V4(dst))
        .map(|_| IpAddr::V4(dst));
    let Ok(route) = ip::route_output(stack, now, IpAddr::V4(src), our_src, None) else {
        stack.counters.ipv4.no_route += 1;
        return;
    };
    let quote_len = offending
        .len()
        .min(ICMPV4_ERROR_MAX - zerocast_wire::ipv4::HEADER_LEN - icmpv4::HEADER_LEN);
    let mut message = alloc::vec![0u8; icmpv4::HEADER_LEN + quote_len];
    message[icmpv4::HEADER_LEN..].copy_from_slice(&offending[..quote_len]);
    if repr.emit(&mut message).is_err() {
        return;
    }
    if ip::send_ip(
        stack,
        bc,
        &route,
        IpProto::ICMP,
        &message,
        SendOptions::default(),
    )
    .is_ok()
    {
        stack.counters.icmpv4.errors_sent += 1;
    }
}

/// RFC 1122 section 3.2.2's list of packets never answered with an ICMP error.
fn icmpv4_error_allowed(stack: &Stack, origin: ErrorOrigin, offending: &[u8]) -> bool {
    if origin.link_multicast {
        return false;
    }
    let Ok((h, _)) = Ipv4Header::ref_from_prefix(offending) else {
        return false;
    };
    let (src, dst, proto) = (
        Ipv4Addr::from(h.src),
        Ipv4Addr::from(h.dst),
        IpProto(h.protocol),
    );
    let broadcast_dst = dst.is_broadcast()
        || dst.is_multicast()
        || stack.devices.iter().any(|d| d.is_subnet_broadcast(dst));
    let bad_src = src.is_unspecified()
        || src.is_loopback() && stack.local_address_device(IpAddr::V4(src)).is_none()
        || ip::is_invalid_source(IpAddr::V4(src))
        || stack.devices.iter().any(|d| d.is_subnet_broadcast(src));
    if broadcast_dst || bad_src {
        return false;
    }
    if h.flags_frag.get() & 0x1fff != 0 {
        return false;
    }
    if proto == IpProto::ICMP {
        let header_len = usize::from(h.version_ihl & 0x0f) * 4;
        match offending.get(header_len) {
            Some(&t) if is_icmpv4_error_type(t) => return false,
            // Cannot tell what it was: do not risk an error about an error.
            None => return false,
            _ => {}
        }
    }
    true
}

/// Sends `error` about `offending` (an IPv6 packet from its header on), if the rules allow.
pub(crate) fn send_icmpv6_error(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    origin: ErrorOrigin,
    offending: &[u8],
    error: Icmpv6Error,
) {
    let Ok((header, _)) = Ipv6Header::ref_from_prefix(offending) else {
        stack.counters.icmpv6.errors_suppressed += 1;
        return;
    };
    let (src, dst) = (Ipv6Addr::from(header.src), Ipv6Addr::from(header.dst));
    let first_next = IpProto(header.next_header);
    if !icmpv6_error_allowed(origin, offending, src, dst, &error, first_next) {
        stack.counters.icmpv6.errors_suppressed += 1;
        return;
    }
    let now = bc.now();
    let (rate, burst) = (stack.config.icmp_error_rate, stack.config.icmp_error_burst);
    if !stack.icmp.bucket_v6.try_take(now, rate, burst) {
        stack.counters.icmpv6.errors_rate_limited += 1;
        return;
    }
    let our_src = stack
        .local_address_device(IpAddr::V6(dst))
        .map(|_| IpAddr::V6(dst));
    // A link-local offender is reachable only through the device it came from.
    let pin = src.is_unicast_link_local().then_some(origin.dev);
    let Ok(route) = ip::route_output(stack, now, IpAddr::V6(src), our_src, pin) else {
        stack.counters.ipv6.no_route += 1;
        return;
    };
    let IpAddr::V6(error_src) = route.src else {
        return;
    };
    const HEADER: usize = 8; // type, code, checksum, the 4-byte word
    let quote_len = offending
        .len()
        .min(ICMPV6_ERROR_MAX - zerocast_wire::ipv6::HEADER_LEN - HEADER);
    let mut message = alloc::vec![0u8; HEADER + quote_len];
    message[4..8].copy_from_slice(&error.word);
    message[HEADER..].copy_from_slice(&offending[..quote_len]);
    let pseudo = PseudoHeader::V6 {
        src: error_src.into(),
        dst: src.into(),
    };
    let repr = Icmpv6Repr {
        msg_type: error.msg_type,
        code: error.code,
    };
    if repr.emit(&mut message, pseudo).is_err() {
        return;
    }
    if ip::send_ip(
        stack,
        bc,
        &route,
        IpProto::ICMPV6,
        &message,
        SendOptions::default(),
    )
    .is_ok()
    {
        stack.counters.icmpv6.errors_sent += 1;
    }
}

/// RFC 4443 section 2.4 (e): the packets never answered with an ICMPv6 error.
fn icmpv6_error_allowed(
    origin: ErrorOrigin,
    offending: &[u8],
    src: Ipv6Addr,
    dst: Ipv6Addr,
    error: &Icmpv6Error,
    first: IpProto,
) -> bool {
    // (e.3, e.4): multicast destinations and link-layer multicast, except Packet Too Big and
    // Parameter Problem code 2 (an unrecognized option whose action bits ask for a report).
    let multicast_ok = error.msg_type == icmpv6::TYPE_PACKET_TOO_BIG
        || (error.msg_type == icmpv6::TYPE_PARAMETER_PROBLEM && error.code == 2);
    if (dst.is_multicast() || origin.link_multicast) && !multicast_ok {
        return false;
    }
    // (e.6): the source must identify a single node.
    if src.is_unspecified() || src.is_multicast() {
        return false;
    }
    let rest = offending
        .get(zerocast_wire::ipv6::HEADER_LEN..)
        .unwrap_or(&[]);
    let mut walk = ExtensionHeaders::new(first, rest);
    for ext in walk.by_ref() {
        match ext {
            // Never about a non-first fragment (the upper-layer header is not in it).
            Ok(h) if h.fragment().is_some_and(|f| f.offset != 0) => return false,
            Ok(_) => {}
            // A chain we cannot walk: only the Parameter Problem that reports it is allowed.
            Err(_) => return error.msg_type == icmpv6::TYPE_PARAMETER_PROBLEM,
        }
    }
    let (upper, at) = walk.upper_layer();
    if upper == IpProto::ICMPV6 {
        // (e.1, e.2): not about an ICMPv6 error message or a Redirect.
        match rest.get(at) {
            Some(&t) if t < 128 || t == icmpv6::TYPE_REDIRECT => return false,
            None => return false,
            _ => {}
        }
    }
    true
}
