//! Forwarding between devices (RFC 1812 5.2-5.3, RFC 8200 3, RFC 4443 3).

use super::*;

/// A router: pure-IP devices `a` (10.0.1.1/24, 2001:db8:1::1/64) and `b` (10.0.2.1/24,
/// 2001:db8:2::1/64, MTU 1280), forwarding on.
fn router() -> (Stack, FakeBindings, DeviceId, DeviceId) {
    let mut bc = FakeBindings::new(11);
    let mut stack = Stack::new(StackConfig {
        forwarding: true,
        ..StackConfig::default()
    });
    let a = stack.add_pure_ip_device(1500);
    let b = stack.add_pure_ip_device(1280);
    stack.add_address(&mut bc, a, ip("10.0.1.1"), 24).unwrap();
    stack
        .add_address(&mut bc, a, ip("2001:db8:1::1"), 64)
        .unwrap();
    stack.add_address(&mut bc, b, ip("10.0.2.1"), 24).unwrap();
    stack
        .add_address(&mut bc, b, ip("2001:db8:2::1"), 64)
        .unwrap();
    (stack, bc, a, b)
}

/// RFC 1812 5.3.1 / RFC 8200 3: the TTL / hop limit drops by one; the packet leaves on the
/// routed device unchanged otherwise (IPv4 checksum still valid), reusing the buffer.
#[test]
fn rfc1812_5_3_1_forwarded_packets_lose_one_hop() {
    let (mut stack, mut bc, a, b) = router();
    let mut p = udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), b"through");
    stack.receive_frame(&mut bc, a, &mut p);
    let mut p6 = udp_packet(sa("[2001:db8:1::5]:1"), sa("[2001:db8:2::7]:2"), b"through");
    stack.receive_frame(&mut bc, a, &mut p6);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|f| f.device == b));
    let ip4 = Ipv4Packet::parse(&sent[0].bytes[..]).unwrap();
    assert_eq!(ip4.ttl(), 63);
    assert_eq!(&sent[0].bytes[..], &p[..]);
    let ip6 = Ipv6Packet::parse(&sent[1].bytes[..]).unwrap();
    assert_eq!(ip6.hop_limit(), 63);
    assert_eq!(parse_udp(&sent[1].bytes).4, b"through");
    assert_eq!(
        (
            stack.counters().ipv4.forwarded,
            stack.counters().ipv6.forwarded
        ),
        (1, 1)
    );
}

/// RFC 1812 5.3.1 / RFC 4443 3.3: TTL 1 is not forwarded; Time Exceeded code 0 goes back.
#[test]
fn rfc4443_3_3_hop_limit_exhausted_time_exceeded() {
    let (mut stack, mut bc, a, _b) = router();
    let mut p = udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), b"x");
    p[8] = 1;
    let sum = zerocast_wire::checksum::checksum(&[&p[..10], &[0, 0], &p[12..20]].concat());
    p[10..12].copy_from_slice(&sum.to_be_bytes());
    stack.receive_frame(&mut bc, a, &mut p);
    let mut p6 = udp_packet(sa("[2001:db8:1::5]:1"), sa("[2001:db8:2::7]:2"), b"x");
    p6[7] = 1;
    stack.receive_frame(&mut bc, a, &mut p6);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2);
    let (src, dst, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!(
        (src, dst, m[0], m[1]),
        (v4("10.0.1.1"), v4("10.0.1.5"), 11, 0)
    );
    let (src6, _, _, m6) = parse_icmpv6(&sent[1].bytes);
    assert_eq!((src6, m6[0], m6[1]), (v6("2001:db8:1::1"), 3, 0));
    assert_eq!(stack.counters().ipv4.hop_limit_exceeded, 1);
}

/// RFC 1191 4 / RFC 4443 3.2: too big for the next hop with DF (always for IPv6): the
/// sender learns the next-hop MTU; without DF, IPv4 is fragmented.
#[test]
fn rfc1191_4_too_big_with_df_and_fragmenting_without() {
    let (mut stack, mut bc, a, b) = router();
    let mut df = udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), &[0u8; 1400]);
    df[6] |= 0x40;
    let sum = zerocast_wire::checksum::checksum(&[&df[..10], &[0, 0], &df[12..20]].concat());
    df[10..12].copy_from_slice(&sum.to_be_bytes());
    stack.receive_frame(&mut bc, a, &mut df);
    let mut p6 = udp_packet(
        sa("[2001:db8:1::5]:1"),
        sa("[2001:db8:2::7]:2"),
        &[0u8; 1400],
    );
    stack.receive_frame(&mut bc, a, &mut p6);
    let mut no_df = udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), &[0u8; 1400]);
    stack.receive_frame(&mut bc, a, &mut no_df);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 4);
    let (_, _, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!((m[0], m[1], u16::from_be_bytes([m[6], m[7]])), (3, 4, 1280));
    let (_, _, _, m6) = parse_icmpv6(&sent[1].bytes);
    assert_eq!(
        (m6[0], u32::from_be_bytes([m6[4], m6[5], m6[6], m6[7]])),
        (2, 1280)
    );
    assert!(sent[2..]
        .iter()
        .all(|f| f.device == b && f.bytes.len() <= 1280));
    assert_eq!(stack.counters().ipv4.fragments_tx, 2);
}

/// No route: Destination Unreachable (IPv4 code 0, IPv6 code 0); forwarding off: dropped.
#[test]
fn no_route_and_forwarding_off() {
    let (mut stack, mut bc, a, _) = router();
    let mut p = udp_packet(sa("10.0.1.5:1"), sa("192.0.2.1:2"), b"x");
    stack.receive_frame(&mut bc, a, &mut p);
    let sent = bc.take_sent();
    let (_, _, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!((m[0], m[1]), (3, 0));
    let (mut host, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = udp_packet(sa("10.0.0.1:1"), sa("192.0.2.1:2"), b"x");
    host.receive_frame(&mut bc, dev, &mut p);
    assert!(bc.take_sent().is_empty());
    assert_eq!(host.counters().ipv4.not_for_us, 1);
}

/// RFC 4291 2.5.6: a link-local source never crosses devices (Destination Unreachable 2).
#[test]
fn rfc4291_link_local_source_is_not_forwarded() {
    let (mut stack, mut bc, a, _) = router();
    let mut p = udp_packet(sa("[fe80::5]:1"), sa("[2001:db8:2::7]:2"), b"x");
    stack.add_address(&mut bc, a, ip("fe80::1"), 64).unwrap();
    stack.receive_frame(&mut bc, a, &mut p);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].device, a);
    let (_, dst, _, m) = parse_icmpv6(&sent[0].bytes);
    assert_eq!((dst, m[0], m[1]), (v6("fe80::5"), 1, 2));
}
