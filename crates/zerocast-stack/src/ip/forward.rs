//! Forwarding between devices (when [`StackConfig::forwarding`](crate::StackConfig::forwarding)
//! is on): RFC 1812 section 5.2 for IPv4, RFC 8200 sections 3 and 5 for IPv6.
//!
//! A packet not addressed to us, received as link-layer unicast, has its TTL / hop limit
//! checked (at 1 or 0 it is dropped with Time Exceeded code 0, RFC 1812 5.3.1 / RFC 4443
//! 3.3), is routed (no route: Destination Unreachable, code 0 for IPv4 "net unreachable",
//! code 0 for IPv6 "no route"), is decremented in place (the IPv4 header checksum patched by
//! RFC 1624), and leaves on the outgoing device, reusing the received buffer when the link
//! headers have the same length. Too big for the next hop: IPv4 without DF is fragmented,
//! IPv4 with DF gets Fragmentation Needed with the next-hop MTU (RFC 1191 section 4), IPv6
//! gets Packet Too Big (RFC 4443 3.2; routers never fragment IPv6). Link-local traffic never
//! crosses devices (RFC 3927 section 2.7, RFC 4291 section 2.5.6); an IPv6 packet with a
//! link-local source is answered with Destination Unreachable code 2 (beyond scope). IPv4
//! packets with an incomplete source route are refused with Source Route Failed (code 5):
//! source-routed forwarding is not implemented.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocast_wire::icmpv4::Icmpv4Repr;
use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv6::Ipv6Packet;

use super::ipv4::LinkRx;
use super::{frag, OutputRoute};
use crate::context::Bindings;
use crate::icmp::errors::{self, ErrorOrigin, Icmpv6Error};
use crate::Stack;

fn route_for_forwarding(stack: &Stack, bc: &impl Bindings, dst: IpAddr) -> Option<OutputRoute> {
    let route = stack.routes.lookup(dst)?;
    let mtu = stack.path_mtu(route.device, dst, bc.now());
    let next_hop = route.gateway.unwrap_or(dst);
    Some(OutputRoute::new(
        stack,
        route.device,
        next_hop,
        dst,
        dst,
        false,
        mtu,
    ))
}

/// Sends a forwarded packet at `buf[ip_off..ip_off + len]`, in place when the outgoing link
/// header has the same length as the incoming one.
fn send_forwarded(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    route: &OutputRoute,
    buf: &mut [u8],
    ip_off: usize,
    len: usize,
    in_place: bool,
) {
    if in_place && route.link_len() == ip_off {
        transmit(stack, bc, route, &mut buf[..ip_off + len]);
    } else {
        let mut frame = super::with_link_room(route, &buf[ip_off..ip_off + len]);
        transmit(stack, bc, route, &mut frame);
    }
}

fn transmit(stack: &mut Stack, bc: &mut impl Bindings, route: &OutputRoute, frame: &mut [u8]) {
    super::transmit_ip_frame(stack, bc, route, frame);
}

/// Forwards the IPv4 packet at `buf[ip_off..]` (already validated, not for us).
pub(crate) fn forward_ipv4(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    link: LinkRx,
    buf: &mut [u8],
    ip_off: usize,
) {
    let origin = ErrorOrigin {
        dev: link.dev,
        link_multicast: link.link_multicast,
    };
    let Ok(mut ip) = Ipv4Packet::parse(&mut buf[ip_off..]) else {
        stack.counters.ipv4.malformed += 1;
        return;
    };
    let dst = Ipv4Addr::from(ip.dst());
    let src = Ipv4Addr::from(ip.src());
    if dst.is_multicast()
        || dst.is_broadcast()
        || dst.is_link_local()
        || src.is_link_local()
        || dst.is_loopback()
    {
        stack.counters.ipv4.not_for_us += 1;
        return;
    }
    let total = usize::from(ip.total_len());
    if super::ipv4::incomplete_source_route(&ip) {
        // Source-routed forwarding is not implemented (Linux refuses it by default too):
        // RFC 1812 5.2.4.1 lets a router refuse it with Source Route Failed.
        stack.counters.ipv4.not_for_us += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        let repr = Icmpv4Repr::dest_unreachable(5, 0);
        errors::send_icmpv4_error(stack, bc, origin, &packet, repr);
        return;
    }
    if ip.ttl() <= 1 {
        stack.counters.ipv4.hop_limit_exceeded += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        errors::send_icmpv4_error(stack, bc, origin, &packet, Icmpv4Repr::time_exceeded(0));
        return;
    }
    let Some(route) = route_for_forwarding(stack, bc, IpAddr::V4(dst)) else {
        stack.counters.ipv4.no_route += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        errors::send_icmpv4_error(
            stack,
            bc,
            origin,
            &packet,
            Icmpv4Repr::dest_unreachable(0, 0),
        );
        return;
    };
    ip.decrement_ttl();
    let mtu = usize::try_from(route.mtu).unwrap_or(usize::MAX);
    if total <= mtu {
        stack.counters.ipv4.forwarded += 1;
        send_forwarded(stack, bc, &route, buf, ip_off, total, link.in_place);
        return;
    }
    if ip.dont_fragment() {
        stack.counters.ipv4.too_big += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        let next_hop_mtu = u16::try_from(route.mtu).unwrap_or(u16::MAX);
        errors::send_icmpv4_error(
            stack,
            bc,
            origin,
            &packet,
            Icmpv4Repr::dest_unreachable(4, next_hop_mtu),
        );
        return;
    }
    let header = frag::V4Header {
        src,
        dst,
        proto: ip.protocol(),
        ttl: ip.ttl(),
        ident: ip.ident(),
        dont_fragment: false,
        dsfield: ip.dsfield(),
        options: ip.options_bytes(),
        offset_base: ip.fragment_offset(),
        more_after: ip.more_fragments(),
    };
    let link_len = route.link_len();
    match frag::build_ipv4(&header, ip.payload(), route.mtu, link_len) {
        Ok(frames) => {
            stack.counters.ipv4.forwarded += 1;
            stack.counters.ipv4.fragments_tx += frames.len() as u64;
            for mut f in frames {
                transmit(stack, bc, &route, &mut f);
            }
        }
        Err(_) => stack.counters.ipv4.too_big += 1,
    }
}

/// Forwards the IPv6 packet at `buf[ip_off..]` (already validated, not for us).
pub(crate) fn forward_ipv6(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    link: LinkRx,
    buf: &mut [u8],
    ip_off: usize,
) {
    let origin = ErrorOrigin {
        dev: link.dev,
        link_multicast: link.link_multicast,
    };
    let Ok(mut ip) = Ipv6Packet::parse(&mut buf[ip_off..]) else {
        stack.counters.ipv6.malformed += 1;
        return;
    };
    let dst = Ipv6Addr::from(ip.dst());
    let src = Ipv6Addr::from(ip.src());
    let total = zerocast_wire::ipv6::HEADER_LEN + usize::from(ip.payload_len());
    if dst.is_multicast()
        || dst.is_unicast_link_local()
        || dst.is_loopback()
        || src.is_unspecified()
    {
        stack.counters.ipv6.not_for_us += 1;
        return;
    }
    if ip.hop_limit() <= 1 {
        stack.counters.ipv6.hop_limit_exceeded += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        errors::send_icmpv6_error(stack, bc, origin, &packet, Icmpv6Error::time_exceeded(0));
        return;
    }
    if src.is_unicast_link_local() {
        stack.counters.ipv6.not_for_us += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        errors::send_icmpv6_error(stack, bc, origin, &packet, Icmpv6Error::dest_unreachable(2));
        return;
    }
    let Some(route) = route_for_forwarding(stack, bc, IpAddr::V6(dst)) else {
        stack.counters.ipv6.no_route += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        errors::send_icmpv6_error(stack, bc, origin, &packet, Icmpv6Error::dest_unreachable(0));
        return;
    };
    if total > usize::try_from(route.mtu).unwrap_or(usize::MAX) {
        stack.counters.ipv6.too_big += 1;
        let packet = buf[ip_off..ip_off + total].to_vec();
        errors::send_icmpv6_error(
            stack,
            bc,
            origin,
            &packet,
            Icmpv6Error::packet_too_big(route.mtu),
        );
        return;
    }
    let hop_limit = ip.hop_limit() - 1;
    ip.set_hop_limit(hop_limit);
    stack.counters.ipv6.forwarded += 1;
    send_forwarded(stack, bc, &route, buf, ip_off, total, link.in_place);
}

#[cfg(test)]
mod per_device_tests {
    use crate::tests::{ip, sa, udp_packet};
    use crate::testutil::FakeBindings;
    use crate::{DeviceId, Stack, StackConfig};

    /// Two pure-IP devices, 10.0.1.1/24 and 10.0.2.1/24, stack-wide forwarding `on`.
    fn two_links(on: bool) -> (Stack, FakeBindings, DeviceId, DeviceId) {
        let mut bc = FakeBindings::new(5);
        let mut stack = Stack::new(StackConfig {
            forwarding: on,
            ..StackConfig::default()
        });
        let a = stack.add_pure_ip_device(1500);
        let b = stack.add_pure_ip_device(1500);
        stack.add_address(&mut bc, a, ip("10.0.1.1"), 24).unwrap();
        stack.add_address(&mut bc, b, ip("10.0.2.1"), 24).unwrap();
        bc.take_sent();
        (stack, bc, a, b)
    }

    /// Forwarding is decided by the receiving device's switch: on for `a` only, packets
    /// from `a` to `b`'s subnet are forwarded and the reverse ones are not.
    #[test]
    fn the_receiving_devices_switch_decides() {
        let (mut stack, mut bc, a, b) = two_links(false);
        assert!(stack.set_forwarding(a, true));
        stack.receive_frame(
            &mut bc,
            a,
            &mut udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), b"x"),
        );
        let sent = bc.take_sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].device, b);
        stack.receive_frame(
            &mut bc,
            b,
            &mut udp_packet(sa("10.0.2.7:2"), sa("10.0.1.5:1"), b"y"),
        );
        stack.receive_frame(
            &mut bc,
            b,
            &mut udp_packet(sa("[2001:db8:2::7]:2"), sa("[2001:db8:1::5]:1"), b"z"),
        );
        assert!(bc.take_sent().is_empty());
        assert_eq!(stack.counters().ipv4.forwarded, 1);
        assert_eq!(stack.counters().ipv4.not_for_us, 1);
    }

    /// A device switched off stays off when the stack-wide default is on.
    #[test]
    fn a_device_can_opt_out_of_stack_wide_forwarding() {
        let (mut stack, mut bc, a, b) = two_links(true);
        assert!(stack.forwarding(b));
        stack.set_forwarding(b, false);
        stack.receive_frame(
            &mut bc,
            b,
            &mut udp_packet(sa("10.0.2.7:2"), sa("10.0.1.5:1"), b"y"),
        );
        assert!(bc.take_sent().is_empty());
        stack.receive_frame(
            &mut bc,
            a,
            &mut udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), b"x"),
        );
        assert_eq!(bc.take_sent().len(), 1);
        assert!(!stack.forwarding(DeviceId(9)), "unknown device");
    }
}
