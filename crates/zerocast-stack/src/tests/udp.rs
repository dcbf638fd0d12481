//! UDP sockets (RFC 768, RFC 1122 4.1, RFC 8200 8.1).

use super::*;
use crate::SocketError;

/// Bind, receive, reply: a UDP echo over IPv4 and IPv6 on one dual-stack socket.
#[test]
fn dual_stack_socket_receives_and_answers_both_families() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    assert_eq!(
        stack.udp_bind(&mut bc, s, sa("[::]:7")).unwrap(),
        sa("[::]:7")
    );
    for (peer, us) in [
        ("10.0.0.1:5000", "10.0.0.2:7"),
        ("[2001:db8::1]:5001", "[2001:db8::2]:7"),
    ] {
        let mut p = udp_packet(sa(peer), sa(us), b"hello");
        stack.receive_frame(&mut bc, dev, &mut p);
        let mut buf = [0u8; 64];
        let (n, from) = stack.udp_recv_from(s, &mut buf).unwrap();
        assert_eq!((&buf[..n], from), (&b"hello"[..], sa(peer)));
        stack.udp_send_to(&mut bc, s, &buf[..n], from).unwrap();
        let sent = bc.take_sent();
        assert_eq!(sent.len(), 1);
        let (src, dst, sport, dport, data) = parse_udp(&sent[0].bytes);
        assert_eq!(
            (
                SocketAddr::new(src, sport),
                SocketAddr::new(dst, dport),
                &data[..]
            ),
            (sa(us), sa(peer), &b"hello"[..])
        );
    }
    assert_eq!(
        stack.udp_recv_from(s, &mut [0u8; 4]),
        Err(SocketError::WouldBlock)
    );
    assert!(bc.events.iter().all(|(id, r)| *id == s && r.readable));
}

/// RFC 768: a zero checksum over IPv4 means "none" and is accepted; RFC 8200 8.1: over IPv6
/// it is invalid and the datagram is dropped.
#[test]
fn rfc768_zero_checksum_accepted_v4_rfc8200_8_1_rejected_v6() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:9")).unwrap();
    let mut d4 = udp_datagram(sa("10.0.0.1:1"), sa("10.0.0.2:9"), b"four");
    d4[6..8].copy_from_slice(&[0, 0]);
    let mut p4 = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::UDP, &d4);
    stack.receive_frame(&mut bc, dev, &mut p4);
    let mut d6 = udp_datagram(sa("[2001:db8::1]:1"), sa("[2001:db8::2]:9"), b"six");
    d6[6..8].copy_from_slice(&[0, 0]);
    let mut p6 = ipv6_packet(v6("2001:db8::1"), v6("2001:db8::2"), IpProto::UDP, &d6);
    stack.receive_frame(&mut bc, dev, &mut p6);
    let mut buf = [0u8; 8];
    assert_eq!(
        stack.udp_recv_from(s, &mut buf).unwrap(),
        (4, sa("10.0.0.1:1"))
    );
    assert_eq!(
        stack.udp_recv_from(s, &mut buf),
        Err(SocketError::WouldBlock)
    );
    assert_eq!(stack.counters().udp.malformed, 1);
    assert!(
        bc.take_sent().is_empty(),
        "a bad datagram is never answered"
    );
}

/// RFC 1122 4.1.3.1: a datagram to a port nobody listens on gets Port Unreachable quoting
/// it (ICMPv4 3/3, ICMPv6 1/4).
#[test]
fn rfc1122_4_1_3_1_port_unreachable() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let mut p = udp_packet(sa("10.0.0.1:1234"), sa("10.0.0.2:999"), b"nobody");
    let original = p.clone();
    stack.receive_frame(&mut bc, dev, &mut p);
    let mut p6 = udp_packet(sa("[2001:db8::1]:1234"), sa("[2001:db8::2]:999"), b"nobody");
    let original6 = p6.clone();
    stack.receive_frame(&mut bc, dev, &mut p6);
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2);
    let (src, dst, _, m) = parse_icmpv4(&sent[0].bytes);
    assert_eq!((src, dst), (v4("10.0.0.2"), v4("10.0.0.1")));
    let icmp = Icmpv4Packet::parse(&m[..]).unwrap();
    assert_eq!((icmp.msg_type(), icmp.code()), (3, 3));
    assert_eq!(
        &m[8..],
        &original[..],
        "the whole datagram fits in 576 bytes"
    );
    let (_, _, _, m6) = parse_icmpv6(&sent[1].bytes);
    assert_eq!((m6[0], m6[1]), (1, 4));
    assert_eq!(&m6[8..], &original6[..]);
    assert_eq!(stack.counters().udp.no_socket, 2);
}

/// Port 0 picks an ephemeral port (RFC 6335 range); a taken port is refused unless both
/// sockets allow sharing; a specific address beats the wildcard.
#[test]
fn bind_ephemeral_conflicts_and_reuse() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let a = stack.udp_open().unwrap();
    let port = stack.udp_bind(&mut bc, a, sa("0.0.0.0:0")).unwrap().port();
    assert!(port >= 49152);
    let b = stack.udp_open().unwrap();
    assert_eq!(
        stack.udp_bind(&mut bc, b, SocketAddr::new(ip("10.0.0.2"), port)),
        Err(SocketError::AddressInUse)
    );
    assert_eq!(
        stack.udp_bind(&mut bc, b, sa("10.9.9.9:53")),
        Err(SocketError::AddressNotAvailable)
    );
    // Sharing needs both sides' consent.
    let c = stack.udp_open().unwrap();
    let d = stack.udp_open().unwrap();
    stack.udp_set_reuse_address(c, true).unwrap();
    stack.udp_set_reuse_address(d, true).unwrap();
    stack.udp_bind(&mut bc, c, sa("0.0.0.0:53")).unwrap();
    stack.udp_bind(&mut bc, d, sa("10.0.0.2:53")).unwrap();
    let mut p = udp_packet(sa("10.0.0.1:1"), sa("10.0.0.2:53"), b"q");
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(
        stack.udp_recv_from(c, &mut [0u8; 4]),
        Err(SocketError::WouldBlock)
    );
    assert_eq!(stack.udp_recv_from(d, &mut [0u8; 4]).unwrap().0, 1);
}

/// A connected socket receives only from its peer and sends there with `udp_send`.
#[test]
fn connected_socket_filters_and_sends() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    assert_eq!(
        stack.udp_connect(&mut bc, s, sa("192.0.2.1:53")),
        Err(SocketError::NoRoute)
    );
    assert_eq!(stack.udp_local_addr(s).unwrap(), None);
    stack.udp_connect(&mut bc, s, sa("10.0.0.1:53")).unwrap();
    let local = stack.udp_local_addr(s).unwrap().unwrap();
    stack.udp_send(&mut bc, s, b"query").unwrap();
    let sent = bc.take_sent();
    let (src, _, sport, dport, _) = parse_udp(&sent[0].bytes);
    assert_eq!((src, sport, dport), (ip("10.0.0.2"), local.port(), 53));
    let to = SocketAddr::new(ip("10.0.0.2"), local.port());
    for from in ["10.0.0.1:53", "10.0.0.1:54", "10.0.0.3:53"] {
        let mut p = udp_packet(sa(from), to, b"a");
        stack.receive_frame(&mut bc, dev, &mut p);
    }
    assert_eq!(
        stack.udp_recv_from(s, &mut [0u8; 4]).unwrap(),
        (1, sa("10.0.0.1:53"))
    );
    assert_eq!(
        stack.udp_recv_from(s, &mut [0u8; 4]),
        Err(SocketError::WouldBlock)
    );
    assert_eq!(stack.counters().udp.no_socket, 2);
}

/// The receive queue is bounded: datagrams beyond it are dropped and counted (tail drop).
#[test]
fn receive_queue_is_bounded() {
    let config = StackConfig {
        udp_recv_buffer: 3 * (100 + crate::udp::DATAGRAM_OVERHEAD),
        ..StackConfig::default()
    };
    let (mut stack, mut bc, dev) = tun_stack(config);
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("0.0.0.0:7")).unwrap();
    for i in 0..5u8 {
        let mut p = udp_packet(sa("10.0.0.1:1"), sa("10.0.0.2:7"), &[i; 100]);
        stack.receive_frame(&mut bc, dev, &mut p);
    }
    assert_eq!(stack.counters().udp.queue_full, 2);
    let mut buf = [0u8; 100];
    for i in 0..3u8 {
        stack.udp_recv_from(s, &mut buf).unwrap();
        assert_eq!(buf[0], i);
    }
    assert_eq!(
        stack.udp_recv_from(s, &mut buf),
        Err(SocketError::WouldBlock)
    );
}

/// Multicast: every socket bound to the port gets a copy once the device joined the group;
/// a group nobody joined is not ours.
#[test]
fn multicast_datagrams_reach_every_member_socket() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let a = stack.udp_open().unwrap();
    let b = stack.udp_open().unwrap();
    for s in [a, b] {
        stack.udp_set_reuse_address(s, true).unwrap();
        stack.udp_bind(&mut bc, s, sa("0.0.0.0:5353")).unwrap();
    }
    let mut p = udp_packet(sa("10.0.0.1:5353"), sa("224.0.0.251:5353"), b"mdns");
    stack.receive_frame(&mut bc, dev, &mut p.clone());
    assert_eq!(stack.counters().ipv4.not_for_us, 1);
    stack
        .udp_join_multicast(&mut bc, a, ip("224.0.0.251"), dev)
        .unwrap();
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.udp_recv_from(a, &mut [0u8; 8]).unwrap().0, 4);
    assert_eq!(stack.udp_recv_from(b, &mut [0u8; 8]).unwrap().0, 4);
    stack.udp_close(&mut bc, a).unwrap();
    assert!(!stack
        .device(dev)
        .unwrap()
        .in_multicast_group(ip("224.0.0.251")));
    assert_eq!(
        stack.udp_join_multicast(&mut bc, b, ip("10.0.0.1"), dev),
        Err(SocketError::InvalidInput)
    );
}

/// RFC 3376 section 3.2 / RFC 9777 section 4.2: the interface delivers a group's datagrams
/// only from the sources its state accepts. A source-specific (INCLUDE) join takes only its
/// sources; a socket's any-source join opens the group to all; EXCLUDE drops the named ones.
#[test]
fn rfc3376_3_2_source_specific_join_delivers_only_its_sources() {
    use crate::membership::FilterMode;
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:5000")).unwrap();
    for (group, wanted, other) in [
        ("232.1.1.1", "10.0.0.7", "10.0.0.8"),
        ("ff3e::8000:1", "2001:db8::7", "2001:db8::8"),
    ] {
        let delivered = |stack: &mut Stack, bc: &mut FakeBindings, from: &str| {
            let to = SocketAddr::new(ip(group), 5000);
            let mut p = udp_packet(SocketAddr::new(ip(from), 9), to, b"ssm");
            stack.receive_frame(bc, dev, &mut p);
            stack.udp_recv_from(s, &mut [0u8; 4]).is_ok()
        };
        let filter = |stack: &mut Stack, bc: &mut FakeBindings, mode, source: &str| {
            stack
                .set_multicast_source_filter(bc, dev, ip(group), mode, &[ip(source)])
                .unwrap();
        };
        filter(&mut stack, &mut bc, FilterMode::Include, wanted);
        let dropped = stack.counters().ipv4.not_for_us + stack.counters().ipv6.not_for_us;
        assert!(
            delivered(&mut stack, &mut bc, wanted),
            "{group} from {wanted}"
        );
        assert!(
            !delivered(&mut stack, &mut bc, other),
            "{group} from {other}"
        );
        let now = stack.counters().ipv4.not_for_us + stack.counters().ipv6.not_for_us;
        assert_eq!(now, dropped + 1);
        stack
            .udp_join_multicast(&mut bc, s, ip(group), dev)
            .unwrap();
        assert!(
            delivered(&mut stack, &mut bc, other),
            "any-source join, {other}"
        );
        stack
            .udp_leave_multicast(&mut bc, s, ip(group), dev)
            .unwrap();
        assert!(
            !delivered(&mut stack, &mut bc, other),
            "after the leave, {other}"
        );
        filter(&mut stack, &mut bc, FilterMode::Exclude, other);
        assert!(delivered(&mut stack, &mut bc, wanted), "EXCLUDE, {wanted}");
        assert!(!delivered(&mut stack, &mut bc, other), "EXCLUDE, {other}");
    }
}

/// ICMP errors about a datagram reach the socket that sent it (RFC 1122 4.1.3.3); a
/// connected socket reports it on its next call.
#[test]
fn rfc1122_4_1_3_3_icmp_error_reaches_the_sending_socket() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_connect(&mut bc, s, sa("10.0.0.1:53")).unwrap();
    stack.udp_send(&mut bc, s, b"q").unwrap();
    let sent = bc.take_sent().remove(0).bytes;
    let mut m = alloc::vec![0u8; 8 + sent.len()];
    m[8..].copy_from_slice(&sent);
    Icmpv4Repr::dest_unreachable(3, 0).emit(&mut m).unwrap();
    let mut p = ipv4_packet(v4("10.0.0.1"), v4("10.0.0.2"), IpProto::ICMP, &m);
    stack.receive_frame(&mut bc, dev, &mut p);
    assert!(bc.events.last().unwrap().1.error);
    assert_eq!(
        stack.udp_recv_from(s, &mut [0u8; 4]),
        Err(SocketError::ConnectionRefused)
    );
    assert_eq!(
        stack.udp_recv_from(s, &mut [0u8; 4]),
        Err(SocketError::WouldBlock)
    );
}

#[test]
fn sockets_are_bounded_and_ids_reused() {
    let config = StackConfig {
        max_sockets: 2,
        ..StackConfig::default()
    };
    let (mut stack, mut bc, _) = tun_stack(config);
    let a = stack.udp_open().unwrap();
    let _b = stack.udp_open().unwrap();
    assert_eq!(stack.udp_open(), Err(SocketError::TooManySockets));
    stack.udp_close(&mut bc, a).unwrap();
    assert_eq!(stack.udp_open().unwrap(), a);
    assert_eq!(
        stack.udp_close(&mut bc, crate::SocketId(9)),
        Err(SocketError::InvalidSocket)
    );
}

/// A datagram to a group with no route and no membership leaves through the first device
/// with an address of the family, with TTL / hop limit 1 and the group's MAC on Ethernet.
#[test]
fn multicast_send_without_route_uses_the_first_device() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:5353")).unwrap();
    stack
        .udp_send_to(&mut bc, s, b"q", sa("224.0.0.251:5353"))
        .unwrap();
    stack
        .udp_send_to(&mut bc, s, b"q", sa("[ff02::fb]:5353"))
        .unwrap();
    let sent = bc.take_sent();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|f| f.device == dev));
    assert_eq!(Ipv4Packet::parse(&sent[0].bytes[..]).unwrap().ttl(), 1);
    assert_eq!(
        Ipv6Packet::parse(&sent[1].bytes[..]).unwrap().hop_limit(),
        1
    );
    assert_eq!(
        stack.udp_send_to(&mut bc, s, b"q", sa("192.0.2.1:9")),
        Err(SocketError::NoRoute)
    );
}

/// Closing a socket frees its port: a new socket binds it and receives its datagrams.
#[test]
fn closed_sockets_free_their_port() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let a = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, a, sa("0.0.0.0:53")).unwrap();
    stack.udp_close(&mut bc, a).unwrap();
    let b = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, b, sa("0.0.0.0:53")).unwrap();
    let mut p = udp_packet(sa("10.0.0.1:1"), sa("10.0.0.2:53"), b"again");
    stack.receive_frame(&mut bc, dev, &mut p);
    assert_eq!(stack.udp_recv_from(b, &mut [0u8; 8]).unwrap().0, 5);
    assert!(bc.take_sent().is_empty());
}

/// A read datagram's buffer is reused for the next one: the next datagram arrives whole and
/// alone (no bytes of the longer one before it), whether it is shorter, longer than the
/// reuse limit, or queued behind another.
#[test]
fn recycled_receive_buffers_never_show_old_bytes() {
    let (mut stack, mut bc, dev) = tun_stack(StackConfig::default());
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("0.0.0.0:7")).unwrap();
    let big = alloc::vec![0xbb; crate::udp::RECYCLED_BUFFER_MAX + 100];
    let mut buf = alloc::vec![0u8; 4096];
    for rounds in [
        &[&b"abcdefgh"[..], b"xy"][..],
        &[&big[..], b"z"],
        &[b"12345", b"67", b""],
    ] {
        for data in rounds {
            let mut p = udp_packet(sa("10.0.0.1:5000"), sa("10.0.0.2:7"), data);
            stack.receive_frame(&mut bc, dev, &mut p);
        }
        for data in rounds {
            let (n, _) = stack.udp_recv_from(s, &mut buf).unwrap();
            assert_eq!(&buf[..n], *data);
        }
    }
}
