//! IPv4 receive: validation, destination classification, reassembly, delivery.
//!
//! RFC 1122 section 3.2.1 governs what a host accepts: a malformed header is dropped (with a
//! Parameter Problem where the parser points at a field, RFC 1122 3.2.2.5), a datagram from
//! a multicast, broadcast or class E source is dropped (3.2.1.3), and the destination must
//! be one of our addresses (the weak host model of 3.3.4.2: any device's address), a
//! broadcast address of the receiving device (limited or directed), or a multicast group
//! it joined (224.0.0.1 always). Anything else is forwarded when forwarding is on.
//! IPv4 options are validated by the parser; a host ignores the ones it does not act on
//! (RFC 1122 3.2.1.8), and replies are built without options.

use core::net::{IpAddr, Ipv4Addr};

use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv4_options::Ipv4Option;
use zerocast_wire::reassembly::Reassembled;
use zerocast_wire::{IcmpReply, IpProto};

use super::{DstKind, IpRx};
use crate::context::{Bindings, DeviceId};
use crate::icmp::errors::{self, ErrorOrigin};
use crate::Stack;

/// 224.0.0.1, all systems on this subnet (RFC 1112): every host listens to it.
const ALL_SYSTEMS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 1);

/// How a frame reached the IP layer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkRx {
    /// The (logical) device it arrived on.
    pub(crate) dev: DeviceId,
    /// Link-layer broadcast or multicast.
    pub(crate) link_multicast: bool,
    /// The buffer is the received frame (link header in front of the IP header), so replies
    /// may reuse it.
    pub(crate) in_place: bool,
    /// The packet was sent by this stack to itself (the loopback queue or device), so a
    /// source address of ours is expected rather than spoofed.
    pub(crate) looped: bool,
}

/// Receives the IPv4 packet at `buf[ip_off..]`.
pub(crate) fn receive(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    link: LinkRx,
    buf: &mut [u8],
    ip_off: usize,
) {
    stack.counters.ipv4.rx += 1;
    let Some(bytes) = buf.get(ip_off..) else {
        stack.counters.ipv4.malformed += 1;
        return;
    };
    let ip = match Ipv4Packet::parse(bytes) {
        Ok(ip) => ip,
        Err(e) => {
            stack.counters.ipv4.malformed += 1;
            if let Some(IcmpReply::Ipv4ParameterProblem { pointer }) = e.icmp_reply() {
                let origin = ErrorOrigin {
                    dev: link.dev,
                    link_multicast: link.link_multicast,
                };
                let repr = zerocast_wire::icmpv4::Icmpv4Repr::parameter_problem(pointer);
                errors::send_icmpv4_error(stack, bc, origin, bytes, repr);
            }
            return;
        }
    };
    let src = Ipv4Addr::from(ip.src());
    let dst = Ipv4Addr::from(ip.dst());
    let generation = stack.ip.device_generation;
    stack.ip.addr_index.refresh(&stack.devices, generation);
    // A packet from the wire claiming one of our addresses as its source is spoofed or
    // looped by the network (a "martian"); answering it would talk to ourselves.
    // RFC 1122 3.2.1.3 (g): 127/8 never appears outside a host, in either address.
    let martian = !link.looped
        && (stack.ip.addr_index.local_v4(src).is_some() || src.is_loopback() || dst.is_loopback());
    if super::is_invalid_source(IpAddr::V4(src)) || martian {
        stack.counters.ipv4.bad_source += 1;
        return;
    }
    let header_len = ip.header_len();
    let total_len = usize::from(ip.total_len());
    let proto = ip.protocol();
    let ttl = ip.ttl();
    let has_options = header_len > zerocast_wire::ipv4::HEADER_LEN;
    let is_fragment = ip.is_fragment();
    let Some(dst_kind) = classify_destination(stack, link.dev, dst) else {
        if !link.link_multicast && stack.forwarding(link.dev) {
            super::forward::forward_ipv4(stack, bc, link, buf, ip_off);
        } else {
            stack.counters.ipv4.not_for_us += 1;
        }
        return;
    };
    if has_options && incomplete_source_route(&ip) {
        // RFC 1122 3.3.5: a host that does not forward source-routed datagrams discards one
        // whose route is not complete and reports Source Route Failed (code 5).
        stack.counters.ipv4.not_for_us += 1;
        let origin = ErrorOrigin {
            dev: link.dev,
            link_multicast: link.link_multicast,
        };
        let repr = zerocast_wire::icmpv4::Icmpv4Repr::dest_unreachable(5, 0);
        let end = (ip_off + total_len).min(buf.len());
        let packet = buf[ip_off..end].to_vec();
        errors::send_icmpv4_error(stack, bc, origin, &packet, repr);
        return;
    }
    if is_fragment {
        stack.counters.ipv4.fragments_rx += 1;
        let now_ms = now_millis(bc);
        match stack.ip.reassembly_v4.insert(&ip, now_ms) {
            Ok(Reassembled::Complete(mut whole)) => {
                stack.counters.ipv4.reassembled += 1;
                let relink = LinkRx {
                    in_place: false,
                    ..link
                };
                // The reassembled packet is whole and its header re-checksummed; parse it
                // again for the offsets and deliver it from its own buffer.
                if let Ok(ip) = Ipv4Packet::parse(&whole[..]) {
                    let rx = IpRx {
                        dev: relink.dev,
                        src: IpAddr::V4(src),
                        dst: IpAddr::V4(dst),
                        dst_kind,
                        link_multicast: relink.link_multicast,
                        hop_limit: ip.ttl(),
                        proto,
                        ip_off: 0,
                        payload_off: ip.header_len(),
                        end: usize::from(ip.total_len()),
                        in_place_ok: false,
                        next_header_at: 9,
                    };
                    deliver(stack, bc, &rx, &mut whole);
                } else {
                    stack.counters.ipv4.reassembly_failed += 1;
                }
            }
            Ok(Reassembled::Pending) => stack.arm_reassembly_timer(bc),
            Err(_) => stack.counters.ipv4.reassembly_failed += 1,
        }
        return;
    }
    let rx = IpRx {
        dev: link.dev,
        src: IpAddr::V4(src),
        dst: IpAddr::V4(dst),
        dst_kind,
        link_multicast: link.link_multicast,
        hop_limit: ttl,
        proto,
        ip_off,
        payload_off: ip_off + header_len,
        end: ip_off + total_len,
        in_place_ok: link.in_place && !has_options,
        next_header_at: ip_off + 9,
    };
    deliver(stack, bc, &rx, buf);
}

/// Whether a Loose or Strict Source Route option still has hops to visit (its pointer is
/// within the option, RFC 791 section 3.1).
pub(crate) fn incomplete_source_route<B: zerocast_wire::zerocast::SplitByteSlice>(
    ip: &Ipv4Packet<B>,
) -> bool {
    ip.options().flatten().any(|o| match o.decode() {
        Ipv4Option::SourceRoute { pointer, route, .. } => usize::from(pointer) <= 3 + route.0.len(),
        _ => false,
    })
}

pub(crate) fn now_millis(bc: &impl Bindings) -> u64 {
    bc.now().as_nanos() / 1_000_000
}

/// Whether (and how) a packet to `dst` arriving on `dev` is ours. The address index must
/// be fresh (`receive` refreshes it).
fn classify_destination(stack: &Stack, dev: DeviceId, dst: Ipv4Addr) -> Option<DstKind> {
    let device = stack.devices.get(dev.index())?;
    if dst.is_broadcast() || stack.ip.addr_index.is_subnet_broadcast(dev, dst) {
        return Some(DstKind::Broadcast);
    }
    if dst.is_multicast() {
        let joined = dst == ALL_SYSTEMS || device.in_multicast_group(IpAddr::V4(dst));
        return joined.then_some(DstKind::Multicast);
    }
    stack
        .ip
        .addr_index
        .local_v4(dst)
        .map(|_| DstKind::Unicast)
        .or_else(|| super::transparent::classify_any(stack, dev, IpAddr::V4(dst)))
}

/// Hands a whole packet for us to its upper-layer protocol.
pub(crate) fn deliver(stack: &mut Stack, bc: &mut impl Bindings, rx: &IpRx, buf: &mut [u8]) {
    if matches!(
        rx.proto,
        IpProto::ICMP | IpProto::UDP | IpProto::IGMP | IpProto::TCP
    ) {
        stack.counters.ipv4.delivered += 1;
    }
    match rx.proto {
        IpProto::ICMP => crate::icmp::receive_icmpv4(stack, bc, rx, buf),
        IpProto::UDP if super::source_filtered(stack, rx) => stack.counters.ipv4.not_for_us += 1,
        IpProto::UDP => crate::udp::receive(stack, bc, rx, buf),
        IpProto::TCP => crate::tcp::io::receive(stack, bc, rx, buf),
        IpProto::IGMP => {
            // Hook for IGMP (sn's crate::igmp): membership queries and reports arrive here.
            crate::neighbor::receive_igmp(stack, bc, rx, buf);
        }
        _ => {
            stack.counters.ipv4.unknown_protocol += 1;
            // RFC 1122 3.2.2.1: Protocol Unreachable (code 2) for a transport we lack.
            let origin = ErrorOrigin {
                dev: rx.dev,
                link_multicast: rx.link_multicast,
            };
            let repr = zerocast_wire::icmpv4::Icmpv4Repr::dest_unreachable(2, 0);
            if let Some(packet) = buf.get(rx.ip_off..rx.end) {
                errors::send_icmpv4_error(stack, bc, origin, packet, repr);
            }
        }
    }
}
