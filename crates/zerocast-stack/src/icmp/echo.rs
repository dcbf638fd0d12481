//! Answering echo requests (RFC 792, RFC 1122 section 3.2.2.6, RFC 4443 section 4.2).
//!
//! The reply carries the request's identifier, sequence number and data unchanged. When the
//! request arrived as a plain packet in a frame whose link header has the length the reply
//! needs, the reply is built in the received buffer: the addresses are swapped, TTL / hop
//! limit and (IPv4) the identification are rewritten, the type byte becomes the reply type
//! and the ICMP checksum is patched incrementally (RFC 1624) — swapping source and
//! destination leaves the IPv6 pseudo-header sum unchanged — so the echo path copies nothing
//! and allocates nothing. Requests with IPv4 options or IPv6 extension headers, reassembled
//! ones, and replies that would exceed the path MTU are answered through the general output
//! path (a fresh packet, fragmented if needed). An IPv4 reply carries the request's Record
//! Route and Timestamp options updated with this host (RFC 1122 3.2.2.6); a Source Route is
//! reversed: the reply goes to the last recorded hop with the rest of the route, ending at
//! the requester, in its option (RFC 1122 3.2.2.6).
//!
//! Echo requests to an IPv4 broadcast or multicast address are ignored (RFC 1122 3.2.2.6
//! allows it; Linux does the same by default). IPv6 multicast requests are answered from a
//! unicast address of the receiving device (RFC 4443 4.2).

use core::net::IpAddr;

use zerocast_wire::checksum;
use zerocast_wire::icmpv4;
use zerocast_wire::icmpv6::{self, Icmpv6Repr};
use zerocast_wire::ipv4::Ipv4Header;
use zerocast_wire::ipv4_options::{Ipv4Option, Ipv4Options};
use zerocast_wire::ipv6::Ipv6Header;
use zerocast_wire::zerocast::{FromBytes, IntoBytes};
use zerocast_wire::{IpProto, PseudoHeader};

use crate::context::Bindings;
use crate::ip::{self, DstKind, IpRx, SendOptions};
use crate::Stack;

/// Replaces the type byte of the ICMP message at the front of `message` and patches its
/// checksum (bytes 2..4) by RFC 1624, without touching the rest.
fn patch_type(message: &mut [u8], new_type: u8) {
    let (Some(&old_type), Some(&code), Some(sum)) =
        (message.first(), message.get(1), message.get(2..4))
    else {
        return;
    };
    let old_sum = u16::from_be_bytes([sum[0], sum[1]]);
    let old_word = u16::from_be_bytes([old_type, code]);
    let new_word = u16::from_be_bytes([new_type, code]);
    let new_sum = checksum::update(old_sum, old_word, new_word);
    message[0] = new_type;
    message[2..4].copy_from_slice(&new_sum.to_be_bytes());
    // RFC 1624's update can only yield 0x0000 where a full computation may need 0xffff:
    // a message whose other words are all zero (echo reply, id 0, seq 0, no data) sums to
    // +0, and its checksum must be ~(+0) = 0xffff or the receiver rejects it. Recompute
    // in that one case (1 in 65536 messages).
    if new_sum == 0 {
        message[2..4].copy_from_slice(&[0, 0]);
        let full = checksum::checksum(message);
        message[2..4].copy_from_slice(&full.to_be_bytes());
    }
}

/// The options of an echo reply, from those of the request (RFC 1122 section 3.2.2.6):
/// Record Route and Timestamp are updated with this host and returned so the record covers
/// the round trip; the timestamp is milliseconds of the embedder's clock with the high bit
/// set, RFC 791's mark for "not milliseconds since midnight UT". Other options (Source
/// Route, reversed separately by `reversed_source_route`, Router Alert, unknown ones) are
/// not copied. The caller pads the result to a multiple of 4 bytes.
fn reply_options(request: &[u8], our: core::net::Ipv4Addr, now_ms: u64) -> alloc::vec::Vec<u8> {
    let mut out = alloc::vec::Vec::new();
    for option in Ipv4Options::new(request).flatten() {
        match option.kind {
            0 => break,
            1 => out.push(1),
            kind @ (7 | 68) => {
                let mut bytes = alloc::vec![kind, u8::try_from(option.data.len() + 2).unwrap_or(0)];
                bytes.extend_from_slice(option.data);
                if kind == 7 {
                    record_route(&mut bytes, our);
                } else {
                    timestamp(&mut bytes, our, now_ms);
                }
                out.extend_from_slice(&bytes);
            }
            _ => {}
        }
    }
    out
}

/// The source route of the reply to a request that arrived by a completed Loose or Strict
/// Source Route (RFC 1122 3.2.2.6: "the return route MUST be reversed"; 3.2.1.8 (c)): the
/// recorded hops in reverse order ending at the original source, and the first of them,
/// which becomes the reply's IP destination (RFC 791 3.1).
fn reversed_source_route(
    request: &[u8],
    original_src: core::net::Ipv4Addr,
) -> Option<(core::net::Ipv4Addr, alloc::vec::Vec<u8>)> {
    for option in Ipv4Options::new(request).flatten() {
        if let Ipv4Option::SourceRoute { strict, route, .. } = option.decode() {
            let hops: alloc::vec::Vec<core::net::Ipv4Addr> = route.iter().map(Into::into).collect();
            let (&first_hop, rest) = hops.split_last()?;
            let len = u8::try_from(3 + 4 * hops.len()).ok()?;
            let mut bytes = alloc::vec![if strict { 137 } else { 131 }, len, 4];
            for hop in rest.iter().rev() {
                bytes.extend_from_slice(&hop.octets());
            }
            bytes.extend_from_slice(&original_src.octets());
            return Some((first_hop, bytes));
        }
    }
    None
}

/// Adds `our` to a Record Route option if it has room (RFC 791: the pointer is the 1-based
/// offset of the next free slot; past the length, the route is full).
fn record_route(option: &mut [u8], our: core::net::Ipv4Addr) {
    let Some(&pointer) = option.get(2) else {
        return;
    };
    let pointer = usize::from(pointer);
    if pointer >= 4 && pointer + 3 <= option.len() {
        option[pointer - 1..pointer + 3].copy_from_slice(&our.octets());
        option[2] += 4;
    }
}

/// Adds an entry to a Timestamp option (RFC 791: flag 0 timestamps, 1 address and timestamp,
/// 3 timestamps for prespecified addresses), or counts an overflow when it is full.
fn timestamp(option: &mut [u8], our: core::net::Ipv4Addr, now_ms: u64) {
    let (Some(&pointer), Some(&oflw_flags)) = (option.get(2), option.get(3)) else {
        return;
    };
    let pointer = usize::from(pointer);
    let flags = oflw_flags & 0x0f;
    let stamp = ((now_ms as u32) | 0x8000_0000).to_be_bytes();
    let entry = if flags == 0 { 4 } else { 8 };
    if pointer < 5 || pointer + entry - 1 > option.len() {
        let overflow = (oflw_flags >> 4).saturating_add(1).min(15);
        option[3] = (overflow << 4) | flags;
        return;
    }
    let at = pointer - 1;
    match flags {
        0 => option[at..at + 4].copy_from_slice(&stamp),
        1 => {
            option[at..at + 4].copy_from_slice(&our.octets());
            option[at + 4..at + 8].copy_from_slice(&stamp);
        }
        3 if option[at..at + 4] == our.octets() => option[at + 4..at + 8].copy_from_slice(&stamp),
        _ => return,
    }
    option[2] += u8::try_from(entry).unwrap_or(0);
}

/// Answers an echo request that carried IPv4 options: Record Route and Timestamp come back
/// updated, a Source Route comes back reversed (RFC 1122 3.2.2.6).
fn answer_v4_with_options(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &[u8]) {
    let (IpAddr::V4(our), IpAddr::V4(peer)) = (rx.dst, rx.src) else {
        return;
    };
    let now = bc.now();
    let now_ms = now.as_nanos() / 1_000_000;
    let mut message = buf[rx.payload_off..rx.end].to_vec();
    patch_type(&mut message, icmpv4::TYPE_ECHO_REPLY);
    let request_options = buf
        .get(rx.ip_off + zerocast_wire::ipv4::HEADER_LEN..rx.payload_off)
        .unwrap_or(&[]);
    let (reply_dst, mut options) = match reversed_source_route(request_options, peer) {
        // The reply is addressed to the first hop of the reversed route.
        Some((first_hop, source_route)) => (IpAddr::V4(first_hop), source_route),
        None => (rx.src, alloc::vec::Vec::new()),
    };
    let Ok(route) = ip::route_output(stack, now, reply_dst, Some(rx.dst), None) else {
        stack.counters.ipv4.no_route += 1;
        return;
    };
    options.extend_from_slice(&reply_options(request_options, our, now_ms));
    while options.len() % 4 != 0 {
        options.push(0);
    }
    if ip::send_ipv4_with_options(stack, bc, &route, IpProto::ICMP, &message, &options).is_ok() {
        stack.counters.icmpv4.echo_replies_sent += 1;
    }
}

/// Answers the ICMPv4 echo request described by `rx` in `buf`.
pub(crate) fn answer_v4(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    // No reply to a broadcast or multicast request, nor to a source that names no host.
    if rx.dst_kind != DstKind::Unicast || rx.src.is_unspecified() {
        stack.counters.icmpv4.ignored += 1;
        return;
    }
    let now = bc.now();
    if rx.payload_off - rx.ip_off > zerocast_wire::ipv4::HEADER_LEN {
        answer_v4_with_options(stack, bc, rx, buf);
        return;
    }
    let Ok(route) = ip::route_output(stack, now, rx.src, Some(rx.dst), None) else {
        stack.counters.ipv4.no_route += 1;
        return;
    };
    let ip_len = rx.end - rx.ip_off;
    let fits = ip_len <= usize::try_from(route.mtu).unwrap_or(usize::MAX);
    let (IpAddr::V4(our), IpAddr::V4(peer)) = (route.src, rx.src) else {
        return;
    };
    if rx.in_place_ok && fits && route.link_len() == rx.ip_off {
        let ident = ip::next_ipv4_ident(stack, bc);
        let ttl = stack.config.default_ttl;
        // The request was validated on receive: rewrite the header in place through a cast
        // instead of parsing it again.
        let (header, message) = buf[rx.ip_off..rx.end].split_at_mut(rx.payload_off - rx.ip_off);
        let Ok((h, _)) = Ipv4Header::mut_from_prefix(header) else {
            return;
        };
        h.src = our.into();
        h.dst = peer.into();
        h.ttl = ttl;
        h.ident.set(ident);
        h.flags_frag.set(0);
        h.checksum.set(0);
        let sum = checksum::checksum(h.as_bytes());
        h.checksum.set(sum);
        patch_type(message, icmpv4::TYPE_ECHO_REPLY);
        stack.counters.icmpv4.echo_replies_sent += 1;
        ip::transmit_ip_frame(stack, bc, &route, &mut buf[..rx.end]);
        return;
    }
    let mut message = buf[rx.payload_off..rx.end].to_vec();
    patch_type(&mut message, icmpv4::TYPE_ECHO_REPLY);
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
        stack.counters.icmpv4.echo_replies_sent += 1;
    }
}

/// Answers the ICMPv6 echo request described by `rx` in `buf`.
pub(crate) fn answer_v6(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    if rx.src.is_unspecified() {
        stack.counters.icmpv6.ignored += 1;
        return;
    }
    let now = bc.now();
    let unicast = rx.dst_kind == DstKind::Unicast;
    let IpAddr::V6(peer) = rx.src else { return };
    // A link-local peer is reachable only where it came from.
    let pin = (peer.is_unicast_link_local() || !unicast).then_some(rx.dev);
    let pinned_src = unicast.then_some(rx.dst);
    let Ok(route) = ip::route_output(stack, now, rx.src, pinned_src, pin) else {
        stack.counters.ipv6.no_route += 1;
        return;
    };
    let IpAddr::V6(our) = route.src else { return };
    let ip_len = rx.end - rx.ip_off;
    let fits = ip_len <= usize::try_from(route.mtu).unwrap_or(usize::MAX);
    if rx.in_place_ok && fits && route.link_len() == rx.ip_off {
        let hop_limit = stack.config.default_hop_limit;
        let (header, message) = buf[rx.ip_off..rx.end].split_at_mut(rx.payload_off - rx.ip_off);
        let Ok((h, _)) = Ipv6Header::mut_from_prefix(header) else {
            return;
        };
        h.src = our.into();
        h.dst = peer.into();
        h.hop_limit = hop_limit;
        if unicast {
            // Source and destination swapped: the pseudo-header sums the same.
            patch_type(message, icmpv6::TYPE_ECHO_REPLY);
        } else {
            let pseudo = PseudoHeader::V6 {
                src: our.into(),
                dst: peer.into(),
            };
            let repr = Icmpv6Repr {
                msg_type: icmpv6::TYPE_ECHO_REPLY,
                code: 0,
            };
            if repr.emit(message, pseudo).is_err() {
                return;
            }
        }
        stack.counters.icmpv6.echo_replies_sent += 1;
        ip::transmit_ip_frame(stack, bc, &route, &mut buf[..rx.end]);
        return;
    }
    let mut message = buf[rx.payload_off..rx.end].to_vec();
    let pseudo = PseudoHeader::V6 {
        src: our.into(),
        dst: peer.into(),
    };
    let repr = Icmpv6Repr {
        msg_type: icmpv6::TYPE_ECHO_REPLY,
        code: 0,
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
        stack.counters.icmpv6.echo_replies_sent += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Truncated or full options are returned unchanged (never a panic on short input).
    #[test]
    fn short_and_full_options_are_left_alone() {
        let our = core::net::Ipv4Addr::new(10, 0, 0, 2);
        let mut rr = [7u8, 2];
        record_route(&mut rr, our);
        assert_eq!(rr, [7, 2]);
        let mut full = [7u8, 7, 8, 1, 2, 3, 4];
        record_route(&mut full, our);
        assert_eq!(full, [7, 7, 8, 1, 2, 3, 4]);
        let mut ts = [68u8, 3, 5];
        timestamp(&mut ts, our, 0);
        assert_eq!(ts, [68, 3, 5]);
        // Overflow saturates at 15 instead of wrapping.
        let mut ts = [68u8, 4, 5, 0xf0];
        timestamp(&mut ts, our, 0);
        assert_eq!(ts[3], 0xf0);
        // A prespecified address that is not ours is skipped.
        let mut pre = [68u8, 12, 5, 0x03, 1, 1, 1, 1, 0, 0, 0, 0];
        timestamp(&mut pre, our, 0);
        assert_eq!(pre[2], 5);
    }
}
