//! ICMP errors we send: when (RFC 1122 3.2.2, RFC 4443 2.4), what they quote, how often.

use super::*;
use crate::time::Duration;

fn udp_to_closed_port(stack: &mut Stack, bc: &mut FakeBindings, dev: DeviceId, dst: &str) {
    let mut p = udp_packet(sa("10.0.0.1:1000"), sa(dst), b"x");
    stack.receive_frame(bc, dev, &mut p);
}

/// RFC 1122 3.2.2: no error about a datagram to a broadcast or multicast address, or one
/// from an address that is not a single host.
#[test]
fn rfc1122_3_2_2_no_errors_for_broadcast_multicast_or_bad_sources() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    udp_to_closed_port(&mut stack, &mut bc, dev, "10.0.0.255:9");
    udp_to_closed_port(&mut stack, &mut bc, dev, "255.255.255.255:9");
    let mut p = udp_packet(sa("0.0.0.0:1000"), sa("10.0.0.2:9"), b"x");
    stack.receive_frame(&mut bc, dev, &mut p);
    assert!(bc.take_sent().is_empty());
    assert_eq!(stack.counters().udp.no_socket, 3);
    assert_eq!(stack.counters().icmpv4.errors_sent, 0);
    // A multicast source never reaches UDP at all.
    let mut p = udp_packet(sa("224.0.0.9:1000"), sa("10.0.0.2:9"), b"x");
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.counters().ipv4.bad_source, 1);
}

/// RFC 1122 3.2.2 / RFC 4443 2.4 (e.1): never an error about an ICMP error.
#[test]
fn rfc4443_2_4_e1_no_error_about_an_error() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    // An ICMPv6 Destination Unreachable to us carried over a protocol we do not know would
    // be answered; the same message as ICMPv6 must not be. Build an unknown-protocol packet
    // carrying an error-looking body first: answered with Parameter Problem.
    let peer = v6("2001:db8::1");
    let us = v6("2001:db8::2");
    let mut unknown = ipv6_packet(peer, us, IpProto(253), &[1, 0, 0, 0, 0, 0, 0, 0]);
    stack.receive_frame(&mut bc, dev, &mut unknown);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    // Feed our own Parameter Problem back with a protocol we do not know inside the quote:
    // receiving an ICMPv6 error never produces another one.
    let (_, _, _, m) = parse_icmpv6(&sent[0].bytes);
    let mut back = ipv6_packet(peer, us, IpProto::ICMPV6, &m);
    // Recompute the checksum for the reversed direction.
    let ph = PseudoHeader::V6 {
        src: peer.into(),
        dst: us.into(),
    };
    Icmpv6Repr {
        msg_type: m[0],
        code: m[1],
    }
    .emit(&mut back[40..], ph)
    .unwrap();
    stack.receive_frame(&mut bc, dev, &mut back);
    assert!(bc.take_sent().is_empty());
    assert_eq!(stack.counters().icmpv6.errors_rx, 1);
}

/// RFC 8200 section 4: an unrecognized Next Header gets Parameter Problem code 1 pointing
/// at the field that named it (byte 6 of the fixed header here); RFC 1122 3.2.2.1: IPv4 gets
/// Protocol Unreachable.
#[test]
fn rfc8200_4_unknown_next_header_parameter_problem_code_1() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = ipv6_packet(
        v6("2001:db8::1"),
        v6("2001:db8::2"),
        IpProto(253),
        b"payload!",
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    let mut p4 = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto(253), b"payload!");
    stack.receive_frame(&mut bc, dev, &mut p4);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2);
    let (_, _, _, m) = parse_icmpv6(&sent[0].bytes);
    assert_eq!((m[0], m[1], &m[4..8]), (4, 1, &[0, 0, 0, 6][..]));
    let (_, _, _, m4) = parse_icmpv4(&sent[1].bytes);
    assert_eq!((m4[0], m4[1]), (3, 2));
    // With a Destination Options header first, the pointer is that header's Next Header.
    let mut with_ext = alloc::vec![253u8, 0, 1, 4, 0, 0, 0, 0];
    with_ext.extend_from_slice(b"payload!");
    let mut p = ipv6_packet(
        v6("2001:db8::1"),
        v6("2001:db8::2"),
        IpProto::DEST_OPTS,
        &with_ext,
    );
    stack.receive_frame(&mut bc, dev, &mut p);
    let (_, _, _, m) = parse_icmpv6(&bc.take_sent()[0].bytes);
    assert_eq!((m[0], m[1], &m[4..8]), (4, 1, &[0, 0, 0, 40][..]));
}

/// RFC 8200 section 4.4: a Routing header with Segments Left > 0 of a type we do not
/// implement gets Parameter Problem code 0 at its Routing Type; with Segments Left 0 the
/// header is ignored.
#[test]
fn rfc8200_4_4_unknown_routing_type_with_segments_left() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:7")).unwrap();
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let datagram = udp_datagram(
        SocketAddr::new(IpAddr::V6(peer), 1),
        SocketAddr::new(IpAddr::V6(us), 7),
        b"r",
    );
    for segments_left in [1u8, 0] {
        let mut routing = alloc::vec![17u8, 0, 9, segments_left, 0, 0, 0, 0];
        routing.extend_from_slice(&datagram);
        let mut p = ipv6_packet(peer, us, IpProto::ROUTING, &routing);
        stack.receive_frame(&mut bc, dev, &mut p);
    }
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let (_, _, _, m) = parse_icmpv6(&sent[0].bytes);
    assert_eq!((m[0], m[1], &m[4..8]), (4, 0, &[0, 0, 0, 42][..]));
    assert_eq!(stack.udp_recv_from(s, &mut [0u8; 4]).unwrap().0, 1);
}

/// RFC 8200 4.2: an unrecognized option with action bits 10 gets Parameter Problem code 2
/// even for a multicast destination (RFC 4443 2.4 (e.3)); action 11 does not then.
#[test]
fn rfc8200_4_2_unrecognized_option_actions() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let all_nodes = v6("ff02::1");
    for (dst, kind, answered) in [
        (us, 0x80u8, true),
        (all_nodes, 0x80, true),
        (us, 0xc0, true),
        (all_nodes, 0xc0, false),
        (us, 0x40, false),
    ] {
        // Destination Options: next header 59, length 0, option `kind` with 4 data bytes.
        let opts = [59u8, 0, kind, 4, 0, 0, 0, 0];
        let mut p = ipv6_packet(peer, dst, IpProto::DEST_OPTS, &opts);
        stack.receive_frame(&mut bc, dev, &mut p);
        let sent = bc.take_sent();
        assert_eq!(
            sent.len(),
            usize::from(answered),
            "dst {dst} option {kind:#x}"
        );
        if answered {
            let (src, _, _, m) = parse_icmpv6(&sent[0].bytes);
            assert_eq!((m[0], m[1], &m[4..8]), (4, 2, &[0, 0, 0, 42][..]));
            assert_eq!(src, us, "a unicast source even for a multicast offender");
        }
    }
}

/// RFC 1812 4.3.2.3 / RFC 4443 2.4 (c): the quote is cut so the error fits 576 / 1280 bytes.
#[test]
fn quotes_are_cut_to_the_rfc_limits() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig {
        ..StackConfig::default()
    });
    stack.set_mtu(dev, 9000);
    let mut p = udp_packet(sa("10.0.0.1:1"), sa("10.0.0.2:9"), &[7u8; 3000]);
    stack.receive_frame(&mut bc, dev, &mut p);
    let mut p6 = udp_packet(sa("[2001:db8::1]:1"), sa("[2001:db8::2]:9"), &[7u8; 3000]);
    stack.receive_frame(&mut bc, dev, &mut p6);
    let sent = bc.take_sent();
    assert_eq!(sent[0].bytes.len(), 576);
    assert_eq!(&sent[0].bytes[28..], &p[..548]);
    assert_eq!(sent[1].bytes.len(), 1280);
    assert_eq!(&sent[1].bytes[48..], &p6[..1232]);
}

/// RFC 4443 2.4 (f): errors are rate limited by a token bucket; tokens come back with time.
#[test]
fn rfc4443_2_4_f_errors_are_rate_limited() {
    let config = StackConfig {
        icmp_error_rate: 10,
        icmp_error_burst: 3,
        ..StackConfig::default()
    };
    let (mut stack, mut bc, dev) = tun_stack(config);
    for _ in 0..5 {
        udp_to_closed_port(&mut stack, &mut bc, dev, "10.0.0.2:9");
    }
    assert_eq!(bc.take_sent().len(), 3);
    assert_eq!(stack.counters().icmpv4.errors_rate_limited, 2);
    bc.advance(Duration::from_millis(100));
    udp_to_closed_port(&mut stack, &mut bc, dev, "10.0.0.2:9");
    udp_to_closed_port(&mut stack, &mut bc, dev, "10.0.0.2:9");
    assert_eq!(bc.take_sent().len(), 1);
}

/// RFC 1122 3.2.2.5: a bad IPv4 header field gets Parameter Problem pointing at it (here the
/// Total Length, smaller than the header).
#[test]
fn rfc1122_3_2_2_5_parameter_problem_points_at_the_field() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::UDP, &[0u8; 8]);
    p[3] = 12; // Total Length 12 < 20
    let sum = zerocast_wire::checksum::checksum(&{
        let mut h = p[..20].to_vec();
        h[10] = 0;
        h[11] = 0;
        h
    });
    p[10..12].copy_from_slice(&sum.to_be_bytes());
    stack.receive_frame(&mut bc, dev, &mut p);
    let sent = bc.take_sent();
    assert_eq!(stack.counters().ipv4.malformed, 1);
    assert_eq!(sent.len(), 1, "{:?}", stack.counters());
    let (_, _, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!((m[0], m[4]), (12, 2));
}

/// RFC 1122 3.3.5: a datagram for us whose Loose Source Route still lists hops is not
/// forwarded by a host: Destination Unreachable, Source Route Failed (code 5). A completed
/// route is simply delivered.
#[test]
fn rfc1122_3_3_5_incomplete_source_route_fails() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("0.0.0.0:7")).unwrap();
    let d = udp_datagram(sa("10.0.0.1:1"), sa("10.0.0.2:7"), b"sr");
    for (pointer, delivered) in [(4u8, false), (8, true)] {
        // LSRR (131), length 7, pointer, one address; then End of List to pad to 8 bytes.
        let options = [131, 7, pointer, 192, 0, 2, 1, 0];
        let mut repr = Ipv4Repr::new(
            v4("10.0.0.1").into(),
            v4("10.0.0.2").into(),
            IpProto::UDP,
            64,
        );
        repr.options = &options;
        let mut p = alloc::vec![0u8; 28 + d.len()];
        repr.emit(&mut p, d.len()).unwrap();
        p[28..].copy_from_slice(&d);
        stack.receive_frame(&mut bc, dev, &mut p);
        let got = stack.udp_recv_from(s, &mut [0u8; 4]).is_ok();
        assert_eq!(got, delivered, "pointer {pointer}");
    }
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let (_, _, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!((m[0], m[1]), (3, 5));
}
