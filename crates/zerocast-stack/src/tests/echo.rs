//! Echo replies (RFC 792, RFC 1122 3.2.2.6, RFC 4443 4.2), in place where possible.

use super::*;

/// RFC 792 / RFC 1122 3.2.2.6: the reply carries identifier, sequence and data unchanged,
/// addressed back to the requester from the address the request was sent to.
#[test]
fn rfc792_echo_reply_is_exact_and_built_in_place() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let data: Vec<u8> = (0..56u8).collect();
    let mut frame = ipv4_packet(
        v4("10.0.0.1"),
        v4("10.0.0.2"),
        IpProto::ICMP,
        &echo_request_v4(0x1234, 7, &data),
    );
    stack.receive_frame(&mut bc, dev, &mut frame);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].device, dev);
    let (src, dst, ttl, message) = parse_icmpv4(&sent[0].bytes);
    assert_eq!((src, dst, ttl), (v4("10.0.0.2"), v4("10.0.0.1"), 64));
    let icmp = Icmpv4Packet::parse(&message[..]).unwrap();
    match icmp.message() {
        Icmpv4Message::EchoReply {
            ident,
            seq,
            data: d,
        } => assert_eq!((ident, seq, d), (0x1234, 7, &data[..])),
        other => panic!("not an echo reply: {other:?}"),
    }
    // Built in the received buffer: the frame now holds exactly the transmitted reply.
    assert_eq!(&frame[..], &sent[0].bytes[..]);
    assert_eq!(stack.counters().icmpv4.echo_replies_sent, 1);
}

/// RFC 4443 4.2: the same for ICMPv6, the checksum valid over the new pseudo-header.
#[test]
fn rfc4443_4_2_echo_reply_is_exact_and_built_in_place() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let mut frame = ipv6_packet(
        peer,
        us,
        IpProto::ICMPV6,
        &echo_request_v6(peer, us, 9, 65535, b"abcdefgh"),
    );
    stack.receive_frame(&mut bc, dev, &mut frame);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let (src, dst, hop_limit, message) = parse_icmpv6(&sent[0].bytes);
    assert_eq!((src, dst, hop_limit), (us, peer, 64));
    let ph = PseudoHeader::V6 {
        src: src.into(),
        dst: dst.into(),
    };
    match Icmpv6Packet::parse(&message[..], ph).unwrap().message() {
        Icmpv6Message::EchoReply { ident, seq, data } => {
            assert_eq!((ident, seq, data), (9, 65535, &b"abcdefgh"[..]))
        }
        other => panic!("not an echo reply: {other:?}"),
    }
    assert_eq!(&frame[..], &sent[0].bytes[..]);
}

/// RFC 4443 4.2: a multicast echo request is answered from a unicast address.
#[test]
fn rfc4443_4_2_multicast_echo_answered_from_unicast_source() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let peer = v6("2001:db8::1");
    let all_nodes = v6("ff02::1");
    let mut frame = ipv6_packet(
        peer,
        all_nodes,
        IpProto::ICMPV6,
        &echo_request_v6(peer, all_nodes, 1, 2, b"m"),
    );
    stack.receive_frame(&mut bc, dev, &mut frame);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let (src, dst, _, _) = parse_icmpv6(&sent[0].bytes);
    assert_eq!((src, dst), (v6("2001:db8::2"), peer));
}

/// RFC 1122 3.2.2.6: an echo request to a broadcast address may be ignored (as Linux does).
#[test]
fn rfc1122_3_2_2_6_broadcast_echo_is_ignored() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    for dst in ["10.0.0.255", "255.255.255.255"] {
        let mut frame = ipv4_packet(
            v4("10.0.0.1"),
            v4(dst),
            IpProto::ICMP,
            &echo_request_v4(1, 1, b"b"),
        );
        stack.receive_frame(&mut bc, dev, &mut frame);
    }
    assert!(bc.take_sent().is_empty());
    assert_eq!(stack.counters().icmpv4.ignored, 2);
}

/// Over Ethernet: after the peer's ARP request (answered), its ping is answered in place
/// with the MAC addresses swapped.
#[test]
fn ethernet_echo_reply_goes_to_the_resolved_peer() {
    let mut bc = FakeBindings::new(3);
    let mut stack = Stack::new(StackConfig::default());
    let eth = stack.add_ethernet_device(OUR_MAC, 1500);
    stack.add_address(&mut bc, eth, ip("10.0.0.2"), 24).unwrap();
    assert_eq!(
        bc.take_sent().len(),
        1,
        "gratuitous ARP (RFC 5227 section 3)"
    );
    let arp = zerocast_wire::arp::ArpRepr {
        operation: zerocast_wire::arp::OP_REQUEST,
        sender_hardware_addr: PEER_MAC,
        sender_protocol_addr: v4("10.0.0.1").into(),
        target_hardware_addr: MacAddr::UNSPECIFIED,
        target_protocol_addr: v4("10.0.0.2").into(),
    };
    let mut arp_bytes = [0u8; 28];
    arp.emit(&mut arp_bytes).unwrap();
    let mut f = ethernet_frame(MacAddr::BROADCAST, EtherType::ARP, &arp_bytes);
    stack.receive_frame(&mut bc, eth, &mut f);
    assert_eq!(bc.take_sent().len(), 1, "ARP reply");
    let p = ipv4_packet(
        v4("10.0.0.1"),
        v4("10.0.0.2"),
        IpProto::ICMP,
        &echo_request_v4(5, 6, b"eth"),
    );
    let mut f = ethernet_frame(OUR_MAC, EtherType::IPV4, &p);
    stack.receive_frame(&mut bc, eth, &mut f);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let e = EthernetFrame::parse(&sent[0].bytes[..]).unwrap();
    assert_eq!(
        (e.dst(), e.src(), e.ethertype()),
        (PEER_MAC, OUR_MAC, EtherType::IPV4)
    );
    let (src, dst, _, _) = parse_icmpv4(e.payload());
    assert_eq!((src, dst), (v4("10.0.0.2"), v4("10.0.0.1")));
    assert_eq!(&f[..], &sent[0].bytes[..]);
    assert_eq!(stack.device_counters(eth).tx_frames, 3);
}

/// 802.1Q: a tagged frame reaches the VLAN device's address; the reply carries the tag and
/// leaves through the parent.
#[test]
fn vlan_tagged_echo_is_answered_with_the_tag() {
    let mut bc = FakeBindings::new(3);
    let mut stack = Stack::new(StackConfig::default());
    let eth = stack.add_ethernet_device(OUR_MAC, 1500);
    let vlan = stack.add_vlan_device(eth, 100).unwrap();
    stack
        .add_address(&mut bc, vlan, ip("2001:db8:100::2"), 64)
        .unwrap();
    // DAD (RFC 4862 section 5.4): the address is tentative until its solicitation (sent
    // after up to 1 s of random delay) went unanswered for RetransTimer.
    bc.advance(crate::time::Duration::from_secs(3));
    stack.handle_timers(&mut bc);
    let (peer, us) = (v6("2001:db8:100::1"), v6("2001:db8:100::2"));
    let p = ipv6_packet(
        peer,
        us,
        IpProto::ICMPV6,
        &echo_request_v6(peer, us, 1, 1, b"tag"),
    );
    // Ethernet header, then the 802.1Q tag (VID 100), then the packet.
    let mut f = ethernet_frame(
        OUR_MAC,
        EtherType::VLAN,
        &[&[0x00, 100, 0x86, 0xdd][..], &p[..]].concat(),
    );
    // The reply waits in the neighbour queue while the peer is resolved; the solicitation
    // for it leaves through the parent, tagged with VID 100.
    bc.take_sent();
    let before = (
        stack.device_counters(vlan).tx_frames,
        stack.device_counters(eth).tx_frames,
    );
    stack.receive_frame(&mut bc, eth, &mut f);
    assert_eq!(stack.device_counters(vlan).rx_frames, 1);
    assert_eq!(stack.counters().icmpv6.echo_replies_sent, 1);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].device, eth);
    let e = EthernetFrame::parse(&sent[0].bytes[..]).unwrap();
    assert_eq!(e.ethertype(), EtherType::VLAN);
    let tag = zerocast_wire::vlan::VlanTag::parse(e.payload()).unwrap();
    assert_eq!((tag.vid(), tag.ethertype()), (100, EtherType::IPV6));
    let (src, _, _, m) = parse_icmpv6(tag.payload());
    assert_eq!(m[0], 135, "a Neighbor Solicitation");
    assert!(src == us || src.is_unicast_link_local());
    // Counted on the VLAN and on the parent that carried it.
    let after = (
        stack.device_counters(vlan).tx_frames,
        stack.device_counters(eth).tx_frames,
    );
    assert_eq!(after, (before.0 + 1, before.1 + 1));
    // A tag for a VLAN we do not have is dropped on the parent.
    let mut f = ethernet_frame(
        OUR_MAC,
        EtherType::VLAN,
        &[&[0x00, 101, 0x86, 0xdd][..], &p[..]].concat(),
    );
    stack.receive_frame(&mut bc, eth, &mut f);
    assert_eq!(stack.device_counters(eth).rx_dropped_unsupported, 1);
}

/// Pinging our own address goes through the loopback queue and back to the echo socket.
#[test]
fn echo_socket_pings_itself_through_loopback() {
    let (mut stack, mut bc, _dev) = tun_stack(StackConfig::default());
    let s = stack.icmp_echo_open(&mut bc).unwrap();
    stack
        .icmp_echo_send(&mut bc, s, ip("10.0.0.2"), 3, b"self")
        .unwrap();
    stack
        .icmp_echo_send(&mut bc, s, ip("2001:db8::2"), 4, b"self6")
        .unwrap();
    assert!(bc.take_sent().is_empty(), "nothing leaves a device");
    let mut buf = [0u8; 16];
    let r = stack.icmp_echo_recv(s, &mut buf).unwrap();
    assert_eq!(
        (r.from, r.seq, &buf[..r.len]),
        (ip("10.0.0.2"), 3, &b"self"[..])
    );
    let r = stack.icmp_echo_recv(s, &mut buf).unwrap();
    assert_eq!(
        (r.from, r.seq, &buf[..r.len]),
        (ip("2001:db8::2"), 4, &b"self6"[..])
    );
    assert_eq!(
        stack.icmp_echo_recv(s, &mut buf),
        Err(crate::SocketError::WouldBlock)
    );
}

/// The echo socket's requests leave with its identifier; the matching reply is queued.
#[test]
fn echo_socket_receives_its_replies_only() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.icmp_echo_open(&mut bc).unwrap();
    let ident = stack.icmp_echo_ident(s).unwrap();
    stack
        .icmp_echo_send(&mut bc, s, ip("10.0.0.1"), 1, b"out")
        .unwrap();
    let sent = bc.take_sent();
    let (_, _, _, message) = parse_icmpv4(&sent[0].bytes);
    let icmp = Icmpv4Packet::parse(&message[..]).unwrap();
    assert_eq!(icmp.ident_seq(), Some((ident, 1)));
    for id in [ident, ident.wrapping_add(1)] {
        let mut reply = alloc::vec![0u8; 11];
        reply[8..].copy_from_slice(b"out");
        Icmpv4Repr::echo_reply(id, 1).emit(&mut reply).unwrap();
        let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &reply);
        stack.receive_frame(&mut bc, dev, &mut p);
    }
    let mut buf = [0u8; 8];
    let r = stack.icmp_echo_recv(s, &mut buf).unwrap();
    assert_eq!((r.from, r.seq, r.len), (ip("10.0.0.1"), 1, 3));
    assert_eq!(
        stack.icmp_echo_recv(s, &mut buf),
        Err(crate::SocketError::WouldBlock)
    );
    assert_eq!(stack.counters().icmpv4.ignored, 1);
}

/// RFC 1624 section 3: the in-place type patch cannot yield the 0xffff an all-zero reply
/// (id 0, seq 0, no data) needs; the reply must still verify (found by the stack fuzzer).
#[test]
fn echo_reply_with_all_zero_fields_has_a_valid_checksum() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let request = echo_request_v4(0, 0, b"");
    let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &request);
    stack.receive_frame(&mut bc, dev, &mut p);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let (_, _, _, message) = parse_icmpv4(&sent[0].bytes);
    let icmp = Icmpv4Packet::parse(&message[..]).expect("reply checksum verifies");
    assert_eq!((icmp.msg_type(), icmp.checksum()), (0, 0xffff));
}

/// Requests from an unspecified source, or to or from a loopback address arriving from the
/// wire (RFC 1122 3.2.1.3 (g), RFC 4291 2.5.3), or claiming our own address as source, are
/// never answered.
#[test]
fn martian_and_sourceless_requests_are_not_answered() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    stack.add_loopback_device();
    for (src, dst) in [
        ("0.0.0.0", "10.0.0.2"),
        ("10.0.0.1", "127.0.0.1"),
        ("127.0.0.1", "10.0.0.2"),
        ("10.0.0.2", "10.0.0.2"),
    ] {
        let mut p = ipv4_packet(
            v4(src),
            v4(dst),
            IpProto::ICMP,
            &echo_request_v4(1, 1, b"m"),
        );
        stack.receive_frame(&mut bc, dev, &mut p);
    }
    for (src, dst) in [
        ("::", "2001:db8::2"),
        ("2001:db8::1", "::1"),
        ("::1", "2001:db8::2"),
    ] {
        let (s, d) = (v6(src), v6(dst));
        let mut p = ipv6_packet(s, d, IpProto::ICMPV6, &echo_request_v6(s, d, 1, 1, b"m"));
        stack.receive_frame(&mut bc, dev, &mut p);
    }
    assert!(bc.take_sent().is_empty());
    assert_eq!(
        stack.counters().icmpv4.echo_replies_sent + stack.counters().icmpv6.echo_replies_sent,
        0
    );
}

/// RFC 1122 3.2.2.6: Record Route and Timestamp options of an echo request come back in the
/// reply, updated with this host (RFC 791 pointer rules; a full option counts an overflow).
#[test]
fn rfc1122_3_2_2_6_record_route_and_timestamp_are_returned() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    bc.advance(crate::time::Duration::from_millis(1234));
    // RR with two slots, one used by a router; TS (flag 1) with one free slot; then a full
    // TS (flag 0, pointer past the end) whose overflow counter must grow.
    let options: [u8; 32] = [
        7, 11, 8, 192, 0, 2, 1, 0, 0, 0, 0, // RR: pointer 8 = the second slot
        68, 12, 5, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, // TS flag 1: one address+time slot
        68, 8, 9, 0x20, 1, 2, 3, 4, // TS flag 0, full, overflow 2
        0, // End of Option List
    ];
    let m = echo_request_v4(9, 9, b"opts");
    let mut repr = Ipv4Repr::new(
        v4("10.0.0.1").into(),
        v4("10.0.0.2").into(),
        IpProto::ICMP,
        64,
    );
    repr.options = &options;
    let mut p = alloc::vec![0u8; 52 + m.len()];
    repr.emit(&mut p, m.len()).unwrap();
    p[52..].copy_from_slice(&m);
    stack.receive_frame(&mut bc, dev, &mut p);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let reply = Ipv4Packet::parse(&sent[0].bytes[..]).unwrap();
    let o = reply.options_bytes();
    assert_eq!(&o[..11], &[7, 11, 12, 192, 0, 2, 1, 10, 0, 0, 2]);
    let stamp = (1234u32 | 0x8000_0000).to_be_bytes();
    assert_eq!(&o[11..15], &[68, 12, 13, 0x01]);
    assert_eq!(&o[15..19], &[10, 0, 0, 2]);
    assert_eq!(&o[19..23], &stamp);
    assert_eq!(&o[23..27], &[68, 8, 9, 0x30]);
    let icmp = Icmpv4Packet::parse(reply.payload()).unwrap();
    assert_eq!(icmp.ident_seq(), Some((9, 9)));
}

/// RFC 1122 3.2.2.6: a request that arrived by a (completed) source route is answered by the
/// reversed route: to the last recorded hop, the rest reversed and ending at the requester.
#[test]
fn rfc1122_3_2_2_6_source_route_is_reversed_in_the_reply() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    // LSRR as it arrives: the hops recorded 10.0.0.7 then 10.0.0.8, pointer past the end.
    let options: [u8; 12] = [131, 11, 12, 10, 0, 0, 7, 10, 0, 0, 8, 0];
    let m = echo_request_v4(4, 4, b"sr");
    let mut repr = Ipv4Repr::new(
        v4("192.0.2.50").into(),
        v4("10.0.0.2").into(),
        IpProto::ICMP,
        60,
    );
    repr.options = &options;
    let mut p = alloc::vec![0u8; 32 + m.len()];
    repr.emit(&mut p, m.len()).unwrap();
    p[32..].copy_from_slice(&m);
    stack.receive_frame(&mut bc, dev, &mut p);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 1);
    let reply = Ipv4Packet::parse(&sent[0].bytes[..]).unwrap();
    assert_eq!(
        Ipv4Addr::from(reply.dst()),
        v4("10.0.0.8"),
        "the hop nearest to us first"
    );
    assert_eq!(
        &reply.options_bytes()[..11],
        &[131, 11, 4, 10, 0, 0, 7, 192, 0, 2, 50]
    );
}
