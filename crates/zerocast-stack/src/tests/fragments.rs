//! Fragmentation on output, reassembly on input, path MTU (RFC 791 3.2, RFC 8200 4.5 and 5,
//! RFC 5722, RFC 1191, RFC 8201).

use super::*;
use crate::context::Clock;
use crate::time::Duration;
use zerocast_wire::ipv6_ext::{write_fragment_header, FragmentHeader};

/// IPv4 fragments of `packet` (a whole packet) with `chunk` data bytes each.
fn fragment_v4(packet: &[u8], chunk: usize) -> Vec<Vec<u8>> {
    let ip = Ipv4Packet::parse(packet).unwrap();
    let h = crate::ip::frag::V4Header::new(
        ip.src().into(),
        ip.dst().into(),
        ip.protocol(),
        64,
        99,
        false,
    );
    crate::ip::frag::build_ipv4(&h, ip.payload(), u32::try_from(20 + chunk).unwrap(), 0).unwrap()
}

/// An IPv6 fragment of `upper` (a whole upper-layer message) at `offset` bytes.
fn fragment_v6(
    src: Ipv6Addr,
    dst: Ipv6Addr,
    proto: IpProto,
    upper: &[u8],
    offset: usize,
    len: usize,
    ident: u32,
) -> Vec<u8> {
    let end = (offset + len).min(upper.len());
    let mut body = alloc::vec![0u8; 8];
    let frag = FragmentHeader {
        offset: u16::try_from(offset / 8).unwrap(),
        more: end < upper.len(),
        ident,
    };
    write_fragment_header(&mut body, proto, frag).unwrap();
    body.extend_from_slice(&upper[offset..end]);
    ipv6_packet(src, dst, IpProto::FRAGMENT, &body)
}

/// RFC 791 3.2: fragments arriving out of order reassemble; the echo request they carry is
/// answered, and the reply (over the 1500-byte MTU) leaves fragmented.
#[test]
fn rfc791_out_of_order_fragments_reassemble_and_big_replies_fragment() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let data: Vec<u8> = (0..3000u32).map(|i| i as u8).collect();
    let whole = ipv4_packet(
        v4("10.0.0.1"),
        v4("10.0.0.2"),
        IpProto::ICMP,
        &echo_request_v4(1, 2, &data),
    );
    let mut frags = fragment_v4(&whole, 1000);
    frags.reverse();
    for f in &mut frags {
        stack.receive_frame(&mut bc, dev, f);
    }
    assert_eq!(stack.counters().ipv4.reassembled, 1);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 3, "3008-byte reply in 1500-byte fragments");
    let mut r = zerocast_wire::reassembly::Ipv4Reassembler::new(Default::default());
    let mut reply = None;
    for f in &sent {
        assert!(f.bytes.len() <= 1500);
        let ip = Ipv4Packet::parse(&f.bytes[..]).unwrap();
        if let zerocast_wire::reassembly::Reassembled::Complete(p) = r.insert(&ip, 0).unwrap() {
            reply = Some(p);
        }
    }
    let reply = reply.unwrap();
    let (_, _, _, m) = parse_icmpv4(&reply);
    match Icmpv4Packet::parse(&m[..]).unwrap().message() {
        Icmpv4Message::EchoReply {
            ident,
            seq,
            data: d,
        } => assert_eq!((ident, seq, d), (1, 2, &data[..])),
        other => panic!("{other:?}"),
    }
}

/// RFC 8200 4.5: IPv6 fragments reassemble (UDP delivered); a big datagram we send is
/// fragmented with a Fragment header within the MTU.
#[test]
fn rfc8200_4_5_ipv6_reassembly_and_source_fragmentation() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:7")).unwrap();
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let data = [0x5au8; 2000];
    let d = udp_datagram(
        SocketAddr::new(IpAddr::V6(peer), 9),
        SocketAddr::new(IpAddr::V6(us), 7),
        &data,
    );
    for offset in [1232usize, 0] {
        let mut f = fragment_v6(peer, us, IpProto::UDP, &d, offset, 1232, 77);
        stack.receive_frame(&mut bc, dev, &mut f);
    }
    let mut buf = [0u8; 4000];
    let (n, from) = stack.udp_recv_from(s, &mut buf).unwrap();
    assert_eq!((n, from), (2000, SocketAddr::new(IpAddr::V6(peer), 9)));
    stack.udp_send_to(&mut bc, s, &buf[..n], from).unwrap();
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2);
    for f in &sent {
        let ip = Ipv6Packet::parse(&f.bytes[..]).unwrap();
        assert!(f.bytes.len() <= 1500 && ip.fragment().is_some());
    }
    assert_eq!(stack.counters().ipv6.fragments_tx, 2);
}

/// RFC 5722 section 4: overlapping fragments discard the whole datagram silently.
#[test]
fn rfc5722_overlapping_fragments_are_discarded_silently() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:7")).unwrap();
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let d = udp_datagram(
        SocketAddr::new(IpAddr::V6(peer), 9),
        SocketAddr::new(IpAddr::V6(us), 7),
        &[1u8; 64],
    );
    let mut first = fragment_v6(peer, us, IpProto::UDP, &d, 0, 48, 5);
    let mut overlapping = fragment_v6(peer, us, IpProto::UDP, &d, 40, 32, 5);
    let mut rest = fragment_v6(peer, us, IpProto::UDP, &d, 48, 32, 5);
    stack.receive_frame(&mut bc, dev, &mut first);
    stack.receive_frame(&mut bc, dev, &mut overlapping);
    stack.receive_frame(&mut bc, dev, &mut rest);
    assert_eq!(
        stack.udp_recv_from(s, &mut [0u8; 128]),
        Err(crate::SocketError::WouldBlock)
    );
    assert!(stack.counters().ipv6.reassembly_failed >= 1);
    assert!(bc.take_sent().is_empty(), "no ICMP error for an overlap");
}

/// Partial packets expire after the reassembly timeout (RFC 8200 4.5: 60 s) through the
/// timer the stack arms; the deadline is visible to the embedder.
#[test]
fn incomplete_datagrams_expire_by_timer() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let d = udp_datagram(
        SocketAddr::new(IpAddr::V6(peer), 9),
        SocketAddr::new(IpAddr::V6(us), 7),
        &[1u8; 64],
    );
    let mut first = fragment_v6(peer, us, IpProto::UDP, &d, 0, 48, 5);
    stack.receive_frame(&mut bc, dev, &mut first);
    assert_eq!(stack.ip.reassembly_v6.pending(), 1);
    assert_eq!(
        stack.next_deadline(),
        Some(bc.now() + Duration::from_secs(1))
    );
    let mut steps = 0;
    while let Some(t) = stack.next_deadline() {
        bc.set_now(t);
        stack.handle_timers(&mut bc);
        steps += 1;
        assert!(steps < 100);
    }
    assert_eq!(stack.ip.reassembly_v6.pending(), 0);
    assert!(bc.now() >= crate::time::Instant::ZERO + Duration::from_secs(60));
    assert!(bc.now() <= crate::time::Instant::ZERO + Duration::from_secs(62));
}

/// The reassembly budget is bounded: beyond it the oldest partial packets are dropped.
#[test]
fn reassembly_memory_is_bounded() {
    let config = StackConfig {
        reassembly_max_packets: 4,
        ..StackConfig::default()
    };
    let (mut stack, mut bc, dev) = tun_stack(config);
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let d = udp_datagram(
        SocketAddr::new(IpAddr::V6(peer), 9),
        SocketAddr::new(IpAddr::V6(us), 7),
        &[1u8; 64],
    );
    for ident in 0..20 {
        let mut f = fragment_v6(peer, us, IpProto::UDP, &d, 0, 48, ident);
        stack.receive_frame(&mut bc, dev, &mut f);
    }
    assert!(stack.ip.reassembly_v6.pending() <= 4);
}

/// RFC 1191 section 4 / RFC 8201 section 4: Fragmentation Needed and Packet Too Big lower
/// the path MTU used for that destination.
#[test]
fn rfc1191_rfc8201_path_mtu_is_learned_per_destination() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    stack
        .add_route(ip("0.0.0.0"), 0, dev, Some(ip("10.0.0.1")))
        .unwrap();
    stack
        .add_route(ip("::"), 0, dev, Some(ip("2001:db8::1")))
        .unwrap();
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:4000")).unwrap();
    // Our earlier datagrams, quoted back by routers.
    let out4 = udp_packet(sa("10.0.0.2:4000"), sa("192.0.2.9:53"), &[0u8; 1400]);
    let mut m = alloc::vec![0u8; 8 + 28];
    m[8..].copy_from_slice(&out4[..28]);
    Icmpv4Repr::dest_unreachable(4, 1000).emit(&mut m).unwrap();
    let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &m);
    stack.receive_frame(&mut bc, dev, &mut p);
    let out6 = udp_packet(
        sa("[2001:db8::2]:4000"),
        sa("[2001:db8:9::9]:53"),
        &[0u8; 1400],
    );
    let mut m6 = alloc::vec![0u8; 8 + 48];
    m6[4..8].copy_from_slice(&1300u32.to_be_bytes());
    m6[8..].copy_from_slice(&out6[..48]);
    let ph = PseudoHeader::V6 {
        src: v6("2001:db8::1").into(),
        dst: v6("2001:db8::2").into(),
    };
    Icmpv6Repr {
        msg_type: 2,
        code: 0,
    }
    .emit(&mut m6, ph)
    .unwrap();
    let mut p6 = ipv6_packet(v6("2001:db8::1"), v6("2001:db8::2"), IpProto::ICMPV6, &m6);
    stack.receive_frame(&mut bc, dev, &mut p6);
    stack
        .udp_send_to(&mut bc, s, &[0u8; 1400], sa("192.0.2.9:53"))
        .unwrap();
    stack
        .udp_send_to(&mut bc, s, &[0u8; 1400], sa("[2001:db8:9::9]:53"))
        .unwrap();
    // Another destination still uses the device MTU.
    stack
        .udp_send_to(&mut bc, s, &[0u8; 1400], sa("192.0.2.10:53"))
        .unwrap();
    let sent = bc.take_sent();
    let lens: Vec<usize> = sent.iter().map(|f| f.bytes.len()).collect();
    assert_eq!(sent.len(), 5, "{lens:?}");
    assert!(lens[..2].iter().all(|l| *l <= 1000));
    assert!(lens[2..4].iter().all(|l| *l <= 1300));
    assert_eq!(lens[4], 1428);
}

/// RFC 792 / RFC 8200 4.5: a datagram whose first fragment arrived but which never
/// completed gets Time Exceeded code 1 quoting that fragment; one whose first fragment never
/// came gets nothing.
#[test]
fn rfc8200_4_5_reassembly_timeout_time_exceeded_only_with_first_fragment() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let (peer, us) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let d = udp_datagram(
        SocketAddr::new(IpAddr::V6(peer), 9),
        SocketAddr::new(IpAddr::V6(us), 7),
        &[1u8; 64],
    );
    let mut first = fragment_v6(peer, us, IpProto::UDP, &d, 0, 48, 1);
    let mut second_only = fragment_v6(peer, us, IpProto::UDP, &d, 48, 48, 2);
    stack.receive_frame(&mut bc, dev, &mut first);
    stack.receive_frame(&mut bc, dev, &mut second_only);
    let whole4 = udp_packet(sa("10.0.0.1:9"), sa("10.0.0.2:7"), &[2u8; 64]);
    let mut first4 = fragment_v4(&whole4, 32).remove(0);
    stack.receive_frame(&mut bc, dev, &mut first4);
    assert!(bc.take_sent().is_empty());
    while let Some(t) = stack.next_deadline() {
        bc.set_now(t);
        stack.handle_timers(&mut bc);
    }
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2, "one per family with a first fragment");
    let (src, dst, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!(
        (src, dst, m[0], m[1]),
        (v4("10.0.0.2"), v4("10.0.0.1"), 11, 1)
    );
    assert_eq!(
        &m[8..28],
        &first4[..20],
        "quotes the first fragment's header"
    );
    let (_, dst6, _, m6) = parse_icmpv6(&sent[1].bytes);
    assert_eq!((dst6, m6[0], m6[1]), (peer, 3, 1));
}
