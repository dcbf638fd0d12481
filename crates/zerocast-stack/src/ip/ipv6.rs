//! IPv6 receive: validation, extension headers (RFC 8200 section 4), reassembly with RFC
//! 5722 overlap handling, delivery.
//!
//! The parser walks the extension header chain and enforces the option action bits (RFC
//! 8200 section 4.2) and the Hop-by-Hop placement rule (4.1), telling us which Parameter
//! Problem to send. This module adds the rules that need the host's view: a Routing header
//! with Segments Left > 0 of a type we do not implement (all of them: type 0 is deprecated
//! by RFC 5095, the others are for routers and mobile nodes) is answered with Parameter
//! Problem code 0 at its Routing Type (4.4); an upper-layer protocol we do not handle is
//! answered with Parameter Problem code 1 at the Next Header field naming it (4, last
//! paragraphs); a Fragment header sends the packet through reassembly, where an overlap
//! silently discards the whole datagram (RFC 5722 section 4).
//!
//! A packet is ours when its destination is one of our non-tentative addresses (RFC 4862
//! section 5.4: packets to a tentative address are dropped) or a multicast group the device
//! joined (all-nodes ff01::1 / ff02::1 always). Multicast sources are dropped (RFC 4291
//! section 2.7).

use core::net::{IpAddr, Ipv6Addr};

use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::reassembly::Reassembled;
use zerocast_wire::{IcmpReply, IpProto};

use super::ipv4::LinkRx;
use super::{DstKind, IpRx};
use crate::context::{Bindings, DeviceId};
use crate::icmp::errors::{self, ErrorOrigin, Icmpv6Error};
use crate::Stack;

/// Receives the IPv6 packet at `buf[ip_off..]`.
pub(crate) fn receive(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    link: LinkRx,
    buf: &mut [u8],
    ip_off: usize,
) {
    stack.counters.ipv6.rx += 1;
    let origin = ErrorOrigin {
        dev: link.dev,
        link_multicast: link.link_multicast,
    };
    let Some(bytes) = buf.get(ip_off..) else {
        stack.counters.ipv6.malformed += 1;
        return;
    };
    let ip = match Ipv6Packet::parse(bytes) {
        Ok(ip) => ip,
        Err(e) => {
            stack.counters.ipv6.malformed += 1;
            if let Some(IcmpReply::Ipv6ParameterProblem { code, pointer }) = e.icmp_reply() {
                let err = Icmpv6Error::parameter_problem(code, pointer);
                errors::send_icmpv6_error(stack, bc, origin, bytes, err);
            }
            return;
        }
    };
    let src = Ipv6Addr::from(ip.src());
    let dst = Ipv6Addr::from(ip.dst());
    // RFC 4291 2.5.3: ::1 is never sent outside a node nor accepted from outside.
    let martian = !link.looped
        && (stack.local_address_device(IpAddr::V6(src)).is_some()
            || src.is_loopback()
            || dst.is_loopback());
    if src.is_multicast() || martian {
        stack.counters.ipv6.bad_source += 1;
        return;
    }
    let Some(dst_kind) = classify_destination(stack, link.dev, dst) else {
        if !link.link_multicast && stack.forwarding(link.dev) {
            super::forward::forward_ipv6(stack, bc, link, buf, ip_off);
        } else {
            stack.counters.ipv6.not_for_us += 1;
        }
        return;
    };
    // RFC 8200 section 4.4: a Routing header we cannot process with segments left.
    let mut routing_problem = None;
    let mut next_header_at = 6;
    for ext in ip.extension_headers().flatten() {
        if let Some((_routing_type, segments_left)) = ext.routing() {
            if segments_left > 0 && routing_problem.is_none() {
                routing_problem = Some(40 + ext.offset() + 2);
            }
        }
        next_header_at = 40 + ext.offset();
        if ext.kind() == IpProto::FRAGMENT {
            break;
        }
    }
    if let Some(pointer) = routing_problem {
        stack.counters.ipv6.malformed += 1;
        let pointer = u32::try_from(pointer).unwrap_or(u32::MAX);
        let packet = &buf[ip_off..];
        errors::send_icmpv6_error(
            stack,
            bc,
            origin,
            packet,
            Icmpv6Error::parameter_problem(0, pointer),
        );
        return;
    }
    let total = zerocast_wire::ipv6::HEADER_LEN + usize::from(ip.payload_len());
    if ip.is_fragment() {
        stack.counters.ipv6.fragments_rx += 1;
        let now_ms = super::ipv4::now_millis(bc);
        match stack.ip.reassembly_v6.insert(&ip, now_ms) {
            Ok(Reassembled::Complete(mut whole)) => {
                stack.counters.ipv6.reassembled += 1;
                let relink = LinkRx {
                    in_place: false,
                    ..link
                };
                deliver_parsed(stack, bc, relink, dst_kind, &mut whole, 0);
            }
            Ok(Reassembled::Pending) => stack.arm_reassembly_timer(bc),
            Err(e) => {
                stack.counters.ipv6.reassembly_failed += 1;
                // Bad fragment lengths are answered (RFC 8200 4.5); overlaps are not (RFC 5722).
                if let Some(IcmpReply::Ipv6ParameterProblem { code, pointer }) = e.icmp_reply() {
                    let packet = &buf[ip_off..];
                    errors::send_icmpv6_error(
                        stack,
                        bc,
                        origin,
                        packet,
                        Icmpv6Error::parameter_problem(code, pointer),
                    );
                }
            }
        }
        return;
    }
    let rx = IpRx {
        dev: link.dev,
        src: IpAddr::V6(src),
        dst: IpAddr::V6(dst),
        dst_kind,
        link_multicast: link.link_multicast,
        hop_limit: ip.hop_limit(),
        proto: ip.upper_protocol(),
        ip_off,
        payload_off: ip_off + total - ip.payload().len(),
        end: ip_off + total,
        in_place_ok: link.in_place && ip.extensions_bytes().is_empty(),
        next_header_at: ip_off + next_header_at,
    };
    deliver(stack, bc, &rx, buf);
}

/// Parses a reassembled packet and delivers it.
fn deliver_parsed(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    link: LinkRx,
    dst_kind: DstKind,
    buf: &mut [u8],
    ip_off: usize,
) {
    let Ok(ip) = Ipv6Packet::parse(&buf[ip_off..]) else {
        stack.counters.ipv6.reassembly_failed += 1;
        return;
    };
    let mut next_header_at = 6;
    for ext in ip.extension_headers().flatten() {
        next_header_at = 40 + ext.offset();
    }
    let total = zerocast_wire::ipv6::HEADER_LEN + usize::from(ip.payload_len());
    let rx = IpRx {
        dev: link.dev,
        src: IpAddr::V6(ip.src().into()),
        dst: IpAddr::V6(ip.dst().into()),
        dst_kind,
        link_multicast: link.link_multicast,
        hop_limit: ip.hop_limit(),
        proto: ip.upper_protocol(),
        ip_off,
        payload_off: ip_off + total - ip.payload().len(),
        end: ip_off + total,
        in_place_ok: false,
        next_header_at: ip_off + next_header_at,
    };
    deliver(stack, bc, &rx, buf);
}

/// Whether (and how) a packet to `dst` arriving on `dev` is ours.
fn classify_destination(stack: &Stack, dev: DeviceId, dst: Ipv6Addr) -> Option<DstKind> {
    let device = stack.devices.get(dev.index())?;
    if dst.is_multicast() {
        let all_nodes = dst == Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1)
            || dst == Ipv6Addr::new(0xff01, 0, 0, 0, 0, 0, 0, 1);
        let joined = all_nodes || device.in_multicast_group(IpAddr::V6(dst));
        return joined.then_some(DstKind::Multicast);
    }
    stack
        .local_address_device(IpAddr::V6(dst))
        .map(|_| DstKind::Unicast)
        .or_else(|| super::transparent::classify_any(stack, dev, IpAddr::V6(dst)))
}

/// Hands a whole packet for us to its upper-layer protocol.
pub(crate) fn deliver(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    match rx.proto {
        IpProto::ICMPV6 => {
            stack.counters.ipv6.delivered += 1;
            crate::icmp::receive_icmpv6(stack, bc, rx, buf);
        }
        IpProto::UDP if super::source_filtered(stack, rx) => stack.counters.ipv6.not_for_us += 1,
        IpProto::UDP => {
            stack.counters.ipv6.delivered += 1;
            crate::udp::receive(stack, bc, rx, buf);
        }
        IpProto::TCP => {
            stack.counters.ipv6.delivered += 1;
            crate::tcp::io::receive(stack, bc, rx, buf);
        }
        IpProto::NO_NEXT_HEADER => stack.counters.ipv6.delivered += 1,
        _ => {
            // RFC 8200 section 4: unrecognized Next Header -> Parameter Problem code 1,
            // pointing at the field that named it.
            stack.counters.ipv6.unknown_protocol += 1;
            let origin = ErrorOrigin {
                dev: rx.dev,
                link_multicast: rx.link_multicast,
            };
            let pointer = u32::try_from(rx.next_header_at - rx.ip_off).unwrap_or(u32::MAX);
            if let Some(packet) = buf.get(rx.ip_off..rx.end) {
                let err = Icmpv6Error::parameter_problem(1, pointer);
                errors::send_icmpv6_error(stack, bc, origin, packet, err);
            }
        }
    }
}
