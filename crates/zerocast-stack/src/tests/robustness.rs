//! Bad input: mutated and random frames never panic the stack, every frame it sends in
//! answer parses strictly (never garbage), and every table stays within its bound.

use super::*;
use crate::context::Rng;
use crate::testutil::SeededRng;

/// Valid frames of every kind the stack handles, to mutate.
fn seeds() -> Vec<(bool, Vec<u8>)> {
    let (peer6, us6) = (v6("2001:db8::1"), v6("2001:db8::2"));
    let ip_packets = alloc::vec![
        ipv4_packet(
            v4("10.0.0.1"),
            v4("10.0.0.2"),
            IpProto::ICMP,
            &echo_request_v4(1, 2, b"abcdefgh")
        ),
        ipv6_packet(
            peer6,
            us6,
            IpProto::ICMPV6,
            &echo_request_v6(peer6, us6, 1, 2, b"abcdefgh")
        ),
        udp_packet(sa("10.0.0.1:1"), sa("10.0.0.2:7"), b"udp"),
        udp_packet(sa("[2001:db8::1]:1"), sa("[2001:db8::2]:7"), b"udp6"),
        udp_packet(sa("10.0.0.1:1"), sa("10.0.0.2:9"), b"closed"),
        udp_packet(sa("10.0.0.1:1"), sa("10.0.5.5:9"), b"forward"),
        ipv6_packet(
            peer6,
            us6,
            IpProto::DEST_OPTS,
            &[17, 0, 0xc0, 4, 0, 0, 0, 0]
        ),
        ipv6_packet(
            peer6,
            us6,
            IpProto::FRAGMENT,
            &[17, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8]
        ),
    ];
    // An echo request with Record Route and Timestamp options (answered with options).
    let mut with_options = ip_packets;
    let options = [
        7u8, 7, 4, 0, 0, 0, 0, 68, 12, 5, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let m = echo_request_v4(3, 3, b"options");
    let mut repr = Ipv4Repr::new(
        v4("10.0.0.1").into(),
        v4("10.0.0.2").into(),
        IpProto::ICMP,
        64,
    );
    repr.options = &options;
    let mut p = alloc::vec![0u8; 40 + m.len()];
    repr.emit(&mut p, m.len()).unwrap();
    p[40..].copy_from_slice(&m);
    with_options.push(p);
    let mut out = Vec::new();
    for p in with_options {
        let ethertype = if p[0] >> 4 == 4 {
            EtherType::IPV4
        } else {
            EtherType::IPV6
        };
        out.push((true, ethernet_frame(OUR_MAC, ethertype, &p)));
        let tagged = [&[0x00, 0x07][..], &ethertype.0.to_be_bytes(), &p].concat();
        out.push((true, ethernet_frame(OUR_MAC, EtherType::VLAN, &tagged)));
        out.push((false, p));
    }
    out
}

/// Checks a frame the stack sent is well formed all the way to the transport header.
fn assert_well_formed(bytes: &[u8], ethernet: bool) {
    let ip = if ethernet {
        let eth = EthernetFrame::parse(bytes).expect("Ethernet");
        let mut payload = eth.payload().to_vec();
        let mut ethertype = eth.ethertype();
        if ethertype == EtherType::VLAN {
            let tag = zerocast_wire::vlan::VlanTag::parse(&payload[..]).expect("tag");
            ethertype = tag.ethertype();
            payload = tag.payload().to_vec();
        }
        if ethertype == EtherType::ARP {
            zerocast_wire::arp::ArpPacket::parse(&payload[..]).expect("ARP");
            return;
        }
        payload
    } else {
        bytes.to_vec()
    };
    if ip[0] >> 4 == 4 {
        let p = Ipv4Packet::parse(&ip[..]).expect("IPv4 we send parses strictly");
        // Forwarded packets keep whatever transport checksum they came with (routers do not
        // verify it); only what we originate is checked further.
        if Ipv4Addr::from(p.src()) != v4("10.0.0.2") {
            return;
        }
        if p.protocol() == IpProto::ICMP && !p.is_fragment() {
            Icmpv4Packet::parse(p.payload()).expect("ICMPv4 checksum valid");
        }
        if p.protocol() == IpProto::UDP && !p.is_fragment() {
            UdpPacket::parse(p.payload(), Some(p.pseudo_header())).expect("UDP checksum valid");
        }
    } else {
        let p = Ipv6Packet::parse(&ip[..]).expect("IPv6 we send parses strictly");
        let src = Ipv6Addr::from(p.src());
        if src != v6("2001:db8::2") && !src.is_unicast_link_local() {
            return;
        }
        if p.upper_protocol() == IpProto::ICMPV6 && !p.is_fragment() {
            Icmpv6Packet::parse(p.payload(), p.pseudo_header()).expect("ICMPv6 checksum valid");
        }
    }
}

#[test]
fn mutated_frames_never_panic_and_answers_are_well_formed() {
    let mut bc = FakeBindings::new(5);
    let config = StackConfig {
        forwarding: true,
        reassembly_max_packets: 8,
        ..StackConfig::default()
    };
    let mut stack = Stack::new(config);
    let eth = stack.add_ethernet_device(OUR_MAC, 1500);
    let vlan = stack.add_vlan_device(eth, 7).unwrap();
    let tun = stack.add_pure_ip_device(1500);
    for dev in [eth, vlan, tun] {
        stack.add_address(&mut bc, dev, ip("10.0.0.2"), 24).ok();
        stack.add_address(&mut bc, dev, ip("2001:db8::2"), 64).ok();
    }
    stack.add_route(ip("0.0.0.0"), 0, tun, None).unwrap();
    let s = stack.udp_open().unwrap();
    stack.udp_bind(&mut bc, s, sa("[::]:7")).unwrap();
    let echo = stack.icmp_echo_open(&mut bc).unwrap();
    let seeds = seeds();
    let mut rng = SeededRng::new(42);
    let rounds = if cfg!(miri) { 60 } else { 20_000 };
    let mut fed = [0u64; 3];
    for round in 0..rounds {
        let (ethernet, base) = &seeds[rng.below(seeds.len() as u64) as usize];
        let mut frame = base.clone();
        // Flip, overwrite, truncate or extend a few bytes.
        for _ in 0..=rng.below(4) {
            let at = rng.below(frame.len() as u64 + 1) as usize;
            match rng.below(4) {
                0 if at < frame.len() => frame[at] ^= 1 << rng.below(8),
                1 if at < frame.len() => frame[at] = rng.next_u64() as u8,
                2 => frame.truncate(at),
                _ => frame.push(rng.next_u64() as u8),
            }
        }
        let dev = if *ethernet { eth } else { tun };
        fed[if *ethernet { 0 } else { 2 }] += 1;
        stack.receive_frame(&mut bc, dev, &mut frame);
        for f in bc.take_sent() {
            assert_well_formed(&f.bytes, f.device == eth);
        }
        if round % 97 == 0 {
            let _ = stack.udp_recv_from(s, &mut [0u8; 64]);
            let _ = stack.icmp_echo_recv(echo, &mut [0u8; 64]);
            bc.advance(crate::time::Duration::from_secs(7));
            stack.handle_timers(&mut bc);
        }
        assert!(stack.ip.reassembly_v4.pending() <= 8 && stack.ip.reassembly_v6.pending() <= 8);
        assert!(stack.loopback_queue.is_empty());
    }
    // Packets the stack sends itself (errors about its own undeliverable packets, from the
    // neighbour layer) are received on the owning device too, so these are lower bounds.
    assert!(stack.device_counters(eth).rx_frames >= fed[0]);
    assert!(stack.device_counters(tun).rx_frames >= fed[2]);
    assert!(stack.device_counters(vlan).rx_frames > 0);
    // Nothing disappears unaccounted at the IP layer: every packet that reached it ended in
    // exactly one outcome (fragments wait in reassembly until they complete or expire).
    for c in [&stack.counters().ipv4, &stack.counters().ipv6] {
        let outcomes = c.malformed
            + c.bad_source
            + c.not_for_us
            + c.delivered
            + c.forwarded
            + c.no_route
            + c.hop_limit_exceeded
            + c.fragments_rx
            + c.too_big
            + c.unknown_protocol;
        assert!(outcomes >= c.rx, "{c:?}");
    }
}
