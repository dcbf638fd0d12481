//! The fuzzing harness: arbitrary bytes become a sequence of received frames, socket calls
//! and clock jumps against one stack with every kind of device and socket open, and the
//! stack's invariants are checked after every step. The cargo-fuzz target (`fuzz/stack`),
//! the replay of its committed corpus and a property test all run [`run`].
//!
//! Invariants (a violation panics, which is what a fuzzer looks for):
//! - nothing panics inside the stack;
//! - every frame the stack transmits is well formed: it parses strictly (lengths and every
//!   checksum valid) at the link layer, at IP, and above IP for unfragmented packets — the
//!   stack never answers garbage with garbage;
//! - no transmitted IP packet exceeds its device's MTU;
//! - after `handle_timers` at time T, no deadline at or before T is left armed (an embedder
//!   would otherwise spin);
//! - the timer set stays bounded, and every UDP datagram received has an outcome counted.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use zerocast_wire::ethernet::{EtherType, EthernetFrame};
use zerocast_wire::icmpv4::Icmpv4Packet;
use zerocast_wire::icmpv6::Icmpv6Packet;
use zerocast_wire::ipv4::Ipv4Packet;
use zerocast_wire::ipv6::Ipv6Packet;
use zerocast_wire::udp::UdpPacket;
use zerocast_wire::vlan::VlanTag;
use zerocast_wire::{arp::ArpPacket, igmp::IgmpPacket, IpProto};

use super::FakeBindings;
use crate::context::{Clock, DeviceId};
use crate::time::Duration;
use crate::{MacAddr, SocketId, Stack, StackConfig};

/// The stack under test and the handles the operations use.
struct Rig {
    stack: Stack,
    bc: FakeBindings,
    eth: DeviceId,
    vlan: DeviceId,
    tun: DeviceId,
    udp: [SocketId; 4],
    ping: SocketId,
    transmitted: usize,
}

/// What one run did, so tests can check that an input reached where it was meant to.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Frames the stack transmitted (all checked well formed).
    pub transmitted: usize,
    /// The stack's counters at the end.
    pub counters: crate::StackCounters,
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

impl Rig {
    fn new() -> Rig {
        let mut bc = FakeBindings::new(0x5eed);
        let config = StackConfig {
            forwarding: true,
            // Small limits so the fuzzer reaches the eviction paths.
            reassembly_max_packets: 4,
            reassembly_max_bytes: 16 * 1024,
            neighbor_table_size: 8,
            udp_recv_buffer: 8 * 1024,
            ..StackConfig::default()
        };
        let mut stack = Stack::new(config);
        let eth = stack.add_ethernet_device(MacAddr([2, 0, 0, 0, 0, 2]), 1500);
        let vlan = stack.add_vlan_device(eth, 5).unwrap_or(eth);
        let tun = stack.add_pure_ip_device(1280);
        stack.add_loopback_device();
        for (dev, addr, len) in [
            (eth, "10.0.0.2", 24),
            (eth, "2001:db8::2", 64),
            (vlan, "10.5.0.2", 24),
            (tun, "10.1.0.2", 24),
            (tun, "2001:db8:1::2", 64),
        ] {
            let _ = stack.add_address(&mut bc, dev, ip(addr), len);
        }
        let _ = stack.add_route(ip("0.0.0.0"), 0, eth, Some(ip("10.0.0.1")));
        let _ = stack.add_route(ip("::"), 0, tun, None);
        let mut udp = [SocketId(0); 4];
        for (slot, bind) in
            udp.iter_mut()
                .zip(["0.0.0.0:7", "[::]:53", "0.0.0.0:5353", "0.0.0.0:8"])
        {
            if let Ok(sock) = stack.udp_open() {
                let _ = stack.udp_set_reuse_address(sock, true);
                let _ = stack.udp_bind(
                    &mut bc,
                    sock,
                    bind.parse().unwrap_or(SocketAddr::from(([0; 4], 1))),
                );
                *slot = sock;
            }
        }
        let _ = stack.udp_join_multicast(&mut bc, udp[2], ip("224.0.0.251"), eth);
        let _ = stack.udp_connect(
            &mut bc,
            udp[3],
            "10.0.0.9:9"
                .parse()
                .unwrap_or(SocketAddr::from(([0; 4], 1))),
        );
        let ping = stack.icmp_echo_open(&mut bc).unwrap_or(SocketId(0));
        let mut rig = Rig {
            stack,
            bc,
            eth,
            vlan,
            tun,
            udp,
            ping,
            transmitted: 0,
        };
        // Let address configuration (IPv6 DAD) finish so the addresses accept traffic.
        let settled = rig.bc.now() + Duration::from_secs(5);
        while let Some(at) = rig.stack.next_deadline().filter(|at| *at <= settled) {
            rig.bc.set_now(at);
            rig.handle_timers();
        }
        rig.bc.set_now(settled);
        rig.check_sent();
        rig
    }

    /// Checks and discards everything transmitted so far.
    fn check_sent(&mut self) {
        for frame in self.bc.take_sent() {
            self.transmitted += 1;
            let mtu = self
                .stack
                .device(frame.device)
                .map_or(0, |d| d.mtu as usize);
            if frame.device == self.tun {
                check_ip(&self.stack, &frame.bytes, mtu);
            } else {
                check_ethernet(&self.stack, &frame.bytes, mtu);
            }
        }
    }

    fn handle_timers(&mut self) {
        self.stack.handle_timers(&mut self.bc);
        let now = self.bc.now();
        if let Some(at) = self.stack.next_deadline() {
            assert!(
                at > now,
                "a deadline at {at:?} is still armed after handle_timers at {now:?}"
            );
        }
    }

    fn check_invariants(&mut self) {
        self.check_sent();
        assert!(
            self.stack.timers.len() < 10_000,
            "{} timers armed",
            self.stack.timers.len()
        );
        let u = &self.stack.counters().udp;
        assert!(
            u.rx <= u.malformed + u.no_socket + u.queue_full + u.delivered,
            "{u:?}"
        );
    }
}

fn check_ethernet(stack: &Stack, frame: &[u8], mtu: usize) {
    let eth = EthernetFrame::parse(frame).expect("transmitted an unparsable Ethernet frame");
    if eth.ethertype() == EtherType::VLAN {
        let tag = VlanTag::parse(eth.payload()).expect("transmitted a bad VLAN tag");
        check_link_payload(stack, tag.ethertype(), tag.payload(), mtu);
    } else {
        check_link_payload(stack, eth.ethertype(), eth.payload(), mtu);
    }
}

fn check_link_payload(stack: &Stack, ethertype: EtherType, payload: &[u8], mtu: usize) {
    match ethertype {
        EtherType::ARP => {
            ArpPacket::parse(payload).expect("transmitted a bad ARP packet");
        }
        EtherType::IPV4 | EtherType::IPV6 => check_ip(stack, payload, mtu),
        other => panic!("transmitted an unknown ethertype {other:?}"),
    }
}

/// Whether `addr` is one of the stack's own addresses (on any device), or the unspecified
/// address it sends DAD probes and early reports from.
fn is_ours(stack: &Stack, addr: IpAddr) -> bool {
    addr.is_unspecified() || stack.devices.iter().any(|d| d.has_address(addr))
}

/// `packet` may carry link-layer padding after the IP packet. The upper layer is checked
/// only in packets the stack originated: a router forwards other hosts' transport bytes
/// as it got them (RFC 1812 5.2), right or wrong.
fn check_ip(stack: &Stack, packet: &[u8], mtu: usize) {
    match packet.first().map(|b| b >> 4) {
        Some(4) => {
            let ip = Ipv4Packet::parse(packet).expect("transmitted a bad IPv4 packet");
            assert!(
                usize::from(ip.total_len()) <= mtu,
                "IPv4 packet over the MTU {mtu}"
            );
            if ip.is_fragment() || !is_ours(stack, IpAddr::V4(ip.src().to_std())) {
                return;
            }
            let pseudo = ip.pseudo_header();
            match ip.protocol() {
                IpProto::ICMP => {
                    let _ = Icmpv4Packet::parse(ip.payload()).expect("bad ICMPv4");
                }
                IpProto::UDP => {
                    let _ = UdpPacket::parse(ip.payload(), Some(pseudo)).expect("bad UDP/IPv4");
                }
                IpProto::IGMP => {
                    let _ = IgmpPacket::parse(ip.payload()).expect("bad IGMP");
                }
                _ => {}
            }
        }
        Some(6) => {
            let ip = Ipv6Packet::parse(packet).expect("transmitted a bad IPv6 packet");
            assert!(
                40 + usize::from(ip.payload_len()) <= mtu,
                "IPv6 packet over the MTU {mtu}"
            );
            if ip.is_fragment() || !is_ours(stack, IpAddr::V6(ip.src().to_std())) {
                return;
            }
            let pseudo = ip.pseudo_header();
            match ip.next_header() {
                IpProto::ICMPV6 => {
                    let _ = Icmpv6Packet::parse(ip.payload(), pseudo).expect("bad ICMPv6");
                }
                IpProto::UDP => {
                    let _ = UdpPacket::parse(ip.payload(), Some(pseudo)).expect("bad UDP/IPv6");
                }
                _ => {}
            }
        }
        _ => panic!("transmitted a packet that is neither IPv4 nor IPv6"),
    }
}

/// A little cursor over the fuzzer's bytes; running out reads zeros.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn u8(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Runs one fuzz input: each operation is an opcode byte and its arguments (see
/// `fuzz/stack/seed_corpus.py` for the encoding). Panics when an invariant breaks.
///
/// ```
/// let summary = zerocast_stack::testutil::fuzz::run(&[4, 0x03, 0xe8]); // one clock jump
/// assert_eq!(summary.counters.udp.rx, 0);
/// ```
pub fn run(data: &[u8]) -> RunSummary {
    let mut rig = Rig::new();
    let mut input = Input(data);
    let mut buf = alloc::vec![0u8; 2048];
    let mut steps = 0;
    while !input.is_empty() && steps < 256 {
        steps += 1;
        match input.u8() % 8 {
            // A frame on the Ethernet device, as received.
            0 | 1 => {
                let len = usize::from(input.u16()) % 1600;
                let mut frame: Vec<u8> = input.bytes(len).to_vec();
                rig.stack.receive_frame(&mut rig.bc, rig.eth, &mut frame);
            }
            // A packet on the pure-IP device.
            2 | 3 => {
                let len = usize::from(input.u16()) % 1600;
                let mut packet: Vec<u8> = input.bytes(len).to_vec();
                rig.stack.receive_frame(&mut rig.bc, rig.tun, &mut packet);
            }
            // The clock jumps (up to ~65 s) and timers fire.
            4 => {
                let ms = u64::from(input.u16());
                rig.bc.advance(Duration::from_millis(ms));
                rig.handle_timers();
            }
            // A datagram from one of the sockets to an address chosen by the input.
            5 => {
                let sock = rig.udp[usize::from(input.u8()) % 4];
                let to = if input.u8() & 1 == 0 {
                    let a: [u8; 4] = [10, input.u8() % 2, 0, input.u8()];
                    SocketAddr::from((Ipv4Addr::from(a), input.u16()))
                } else {
                    let mut a = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                    a[5] = input.u8() % 2;
                    a[15] = input.u8();
                    SocketAddr::from((Ipv6Addr::from(a), input.u16()))
                };
                let len = usize::from(input.u16()) % 4000;
                let payload = alloc::vec![0x5a; len];
                let _ = rig.stack.udp_send_to(&mut rig.bc, sock, &payload, to);
            }
            // The applications read whatever is queued.
            6 => {
                for sock in rig.udp {
                    while rig.stack.udp_recv_from(sock, &mut buf).is_ok() {}
                    let _ = rig.stack.udp_take_error(sock);
                }
                while rig.stack.icmp_echo_recv(rig.ping, &mut buf).is_ok() {}
            }
            // A ping from the stack.
            _ => {
                let to = if input.u8() & 1 == 0 {
                    ip("10.0.0.1")
                } else {
                    ip("2001:db8:1::1")
                };
                let len = usize::from(input.u16()) % 3000;
                let _ =
                    rig.stack
                        .icmp_echo_send(&mut rig.bc, rig.ping, to, 1, &alloc::vec![1; len]);
            }
        }
        rig.check_invariants();
    }
    // Let every timer run out: nothing may stay armed in the past, and the stack settles.
    for _ in 0..64 {
        let Some(at) = rig.stack.next_deadline() else {
            break;
        };
        rig.bc.set_now(at);
        rig.handle_timers();
        rig.check_invariants();
    }
    let _ = rig.vlan;
    RunSummary {
        transmitted: rig.transmitted,
        counters: rig.stack.counters().clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::testutil::proptest_config(4))]
        #[test]
        fn arbitrary_operations_keep_every_invariant(data in proptest::collection::vec(any::<u8>(), 0..if cfg!(miri) { 256 } else { 2048 })) {
            run(&data);
        }
    }

    #[test]
    fn an_empty_input_only_sets_up_the_rig() {
        let summary = run(&[]);
        assert_eq!(summary.counters.ipv4.rx + summary.counters.ipv6.rx, 0);
    }

    fn corpus() -> Vec<(std::string::String, Vec<u8>)> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/stack/corpus/frames");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("fuzz/stack/corpus/frames exists")
            .map(|e| {
                let path = e.expect("corpus entry").path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, std::fs::read(&path).expect("corpus file"))
            })
            .collect();
        files.sort();
        files
    }

    /// Every committed corpus input, and every prefix of it (a cut-off operation is an input
    /// too), keeps the invariants.
    #[test]
    #[cfg_attr(miri, ignore)] // reads files
    fn the_committed_corpus_replays_with_every_prefix() {
        let files = corpus();
        assert!(files.len() >= 16, "{} corpus files", files.len());
        for (name, data) in &files {
            for end in 0..=data.len() {
                let _ = std::panic::catch_unwind(|| run(&data[..end]))
                    .map_err(|_| panic!("{name}[..{end}]"));
            }
        }
    }

    /// The seeds do what their names say, so the fuzzer starts deep in the stack.
    #[test]
    #[cfg_attr(miri, ignore)] // reads files
    fn seeds_reach_the_protocols_they_are_named_after() {
        let files = corpus();
        let get = |name: &str| run(&files.iter().find(|(n, _)| n == name).expect(name).1);
        assert_eq!(
            get("arp_then_ping").counters.icmpv4.echo_replies_sent,
            1,
            "arp_then_ping"
        );
        assert_eq!(
            get("udp_echo_port").counters.udp.delivered,
            1,
            "udp_echo_port"
        );
        assert_eq!(
            get("udp_closed_port").counters.icmpv4.errors_sent,
            1,
            "udp_closed_port"
        );
        assert_eq!(
            get("ipv4_fragments").counters.ipv4.reassembled,
            1,
            "ipv4_fragments"
        );
        assert_eq!(
            get("ipv6_fragments").counters.ipv6.reassembled,
            1,
            "ipv6_fragments"
        );
        assert_eq!(
            get("ipv4_forward_ttl1").counters.ipv4.hop_limit_exceeded,
            1,
            "ipv4_forward_ttl1"
        );
        assert_eq!(
            get("vlan_ping").counters.icmpv4.echo_replies_sent,
            1,
            "vlan_ping"
        );
        assert_eq!(
            get("ipv6_ns_then_ping").counters.icmpv6.echo_replies_sent,
            1
        );
        assert_eq!(
            get("ipv6_udp_dns_port").counters.udp.delivered,
            1,
            "ipv6_udp_dns_port"
        );
        assert_eq!(
            get("ipv6_unknown_ext").counters.ipv6.unknown_protocol,
            1,
            "ipv6_unknown_ext"
        );
        assert_eq!(
            get("tun_ping_and_udp").counters.icmpv4.echo_replies_sent,
            1,
            "tun_ping_and_udp"
        );
        assert!(get("sockets_send_and_ping").transmitted >= 4);
    }
}
