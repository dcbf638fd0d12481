//! Routing and addressing seen from the wire: next hops, source selection, loopback,
//! per-device MTU, and the fragment rule for ICMP errors.

use super::*;

/// Off-link destinations go to the gateway: on Ethernet the stack resolves the gateway's
/// address, not the destination's (RFC 1122 3.3.1.2).
#[test]
fn rfc1122_3_3_1_2_off_link_traffic_resolves_the_gateway() {
    let mut bc = FakeBindings::new(2);
    let mut stack = Stack::new(StackConfig::default());
    let eth = stack.add_ethernet_device(OUR_MAC, 1500);
    stack.add_address(&mut bc, eth, ip("10.0.0.2"), 24).unwrap();
    stack
        .add_route(ip("0.0.0.0"), 0, eth, Some(ip("10.0.0.1")))
        .unwrap();
    bc.take_sent(); // announcements
    let s = stack.udp_open().unwrap();
    stack
        .udp_send_to(&mut bc, s, b"far", sa("192.0.2.9:53"))
        .unwrap();
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let e = EthernetFrame::parse(&sent[0].bytes[..]).unwrap();
    assert_eq!(e.ethertype(), EtherType::ARP);
    let arp = zerocast_wire::arp::ArpPacket::parse(e.payload()).unwrap();
    assert_eq!(Ipv4Addr::from(arp.target_protocol_addr()), v4("10.0.0.1"));
}

/// Each device has its own MTU: the same datagram leaves whole on one and fragmented on
/// the other.
#[test]
fn each_device_fragments_by_its_own_mtu() {
    let mut bc = FakeBindings::new(2);
    let mut stack = Stack::new(StackConfig::default());
    let big = stack.add_pure_ip_device(9000);
    let small = stack.add_pure_ip_device(576);
    stack.add_address(&mut bc, big, ip("10.1.0.2"), 24).unwrap();
    stack
        .add_address(&mut bc, small, ip("10.2.0.2"), 24)
        .unwrap();
    let s = stack.udp_open().unwrap();
    stack
        .udp_send_to(&mut bc, s, &[0u8; 1400], sa("10.1.0.1:9"))
        .unwrap();
    stack
        .udp_send_to(&mut bc, s, &[0u8; 1400], sa("10.2.0.1:9"))
        .unwrap();
    let sent = bc.take_sent();
    assert_eq!(sent.iter().filter(|f| f.device == big).count(), 1);
    let on_small: Vec<_> = sent.iter().filter(|f| f.device == small).collect();
    assert_eq!(on_small.len(), 3);
    assert!(on_small.iter().all(|f| f.bytes.len() <= 576));
    // Source selection (RFC 6724 rule 5): each packet carries its device's address.
    let src_of = |b: &[u8]| Ipv4Addr::from(Ipv4Packet::parse(b).unwrap().src());
    assert_eq!(src_of(&sent[0].bytes), v4("10.1.0.2"));
    assert_eq!(src_of(&on_small[0].bytes), v4("10.2.0.2"));
}

/// The loopback device carries 127.0.0.1 and ::1; a UDP exchange over it never touches a
/// real device.
#[test]
fn loopback_device_carries_local_traffic() {
    let mut bc = FakeBindings::new(2);
    let mut stack = Stack::new(StackConfig::default());
    let lo = stack.add_loopback_device();
    let a = stack.udp_open().unwrap();
    let b = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, a, sa("[::]:7")).unwrap();
    stack.udp_bind(&mut bc, b, sa("[::]:0")).unwrap();
    for to in ["127.0.0.1:7", "[::1]:7"] {
        stack.udp_send_to(&mut bc, b, b"lo", sa(to)).unwrap();
        let (n, from) = stack.udp_recv_from(a, &mut [0u8; 8]).unwrap();
        assert_eq!(n, 2);
        assert!(from.ip().is_loopback());
    }
    assert!(bc.take_sent().is_empty());
    assert_eq!(stack.device_counters(lo).rx_frames, 2);
    assert_eq!(stack.device_counters(lo).tx_frames, 2);
}

/// RFC 1122 3.2.2 / RFC 4443 2.4 (e): no ICMP error about a non-first fragment, even when
/// an error would be due (here: its TTL expires while forwarding).
#[test]
fn no_icmp_error_about_a_non_first_fragment() {
    let mut bc = FakeBindings::new(2);
    let mut stack = Stack::new(StackConfig {
        forwarding: true,
        ..StackConfig::default()
    });
    let a = stack.add_pure_ip_device(1500);
    let b = stack.add_pure_ip_device(1500);
    stack.add_address(&mut bc, a, ip("10.0.1.1"), 24).unwrap();
    stack.add_address(&mut bc, b, ip("10.0.2.1"), 24).unwrap();
    let whole = udp_packet(sa("10.0.1.5:1"), sa("10.0.2.7:2"), &[0u8; 64]);
    let ip = Ipv4Packet::parse(&whole[..]).unwrap();
    let h =
        crate::ip::frag::V4Header::new(ip.src().into(), ip.dst().into(), IpProto::UDP, 1, 3, false);
    let frags = crate::ip::frag::build_ipv4(&h, ip.payload(), 20 + 40, 0).unwrap();
    assert!(frags.len() >= 2);
    for mut f in frags {
        stack.receive_frame(&mut bc, a, &mut f);
    }
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1, "only the first fragment is answered");
    assert_eq!(stack.counters().icmpv4.errors_suppressed, 1);
    assert_eq!(stack.counters().ipv4.hop_limit_exceeded, 2);
}

/// Tentative addresses (RFC 4862 5.4) are neither sources nor destinations.
#[test]
fn rfc4862_5_4_tentative_addresses_are_not_used() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    stack.set_address_state(
        dev,
        ip("2001:db8::2"),
        crate::device::AddressState::Tentative,
    );
    let s = stack.udp_open().unwrap();
    assert_eq!(
        stack.udp_send_to(&mut bc, s, b"x", sa("[2001:db8::1]:9")),
        Err(crate::SocketError::AddressNotAvailable)
    );
    let mut p = udp_packet(sa("[2001:db8::1]:1"), sa("[2001:db8::2]:9"), b"x");
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.counters().ipv6.not_for_us, 1);
    assert!(bc.take_sent().is_empty());
}
