//! Whole-stack scenarios on the [`FakeNetwork`]: several stacks, lossy links, a fake clock.
//!
//! Unit tests next to each protocol check single rules; these check that the rules add up
//! across hops and under faults: datagrams cross a router on lossy, reordering, corrupting
//! links and arrive exactly or not at all; fragmented datagrams are reassembled under
//! reordering and loss and partial ones expire; ICMP errors obey the token bucket; and for
//! any seed the stacks neither panic nor lose track of a frame.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::net::{IpAddr, SocketAddr};

use super::{FakeNetwork, HostId, LinkConfig};
use crate::time::{Duration, Instant};
use crate::{DeviceId, SocketId, Stack, StackConfig};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// `a` (10.0.1.2, 2001:db8:1::2) — router `r` — `b` (10.0.2.2, 2001:db8:2::2), pure-IP links.
struct Routed {
    net: FakeNetwork<Stack>,
    a: HostId,
    b: HostId,
    r: HostId,
}

fn host(
    net: &mut FakeNetwork<Stack>,
    v4: &str,
    v6: &str,
    config: StackConfig,
) -> (HostId, DeviceId) {
    let id = net.add_host(Stack::new(config));
    let dev = net.with_host(id, |s, bc| {
        let dev = s.add_pure_ip_device(1500);
        s.add_address(bc, dev, ip(v4), 24).unwrap();
        s.add_address(bc, dev, ip(v6), 64).unwrap();
        s.add_route(ip("0.0.0.0"), 0, dev, None).unwrap();
        s.add_route(ip("::"), 0, dev, None).unwrap();
        dev
    });
    (id, dev)
}

fn routed(seed: u64, link: LinkConfig) -> Routed {
    let mut net = FakeNetwork::new(seed);
    let (a, a_dev) = host(
        &mut net,
        "10.0.1.2",
        "2001:db8:1::2",
        StackConfig::default(),
    );
    let (b, b_dev) = host(
        &mut net,
        "10.0.2.2",
        "2001:db8:2::2",
        StackConfig::default(),
    );
    let r = net.add_host(Stack::new(StackConfig {
        forwarding: true,
        ..StackConfig::default()
    }));
    let (r_a, r_b) = net.with_host(r, |s, bc| {
        let r_a = s.add_pure_ip_device(1500);
        let r_b = s.add_pure_ip_device(1500);
        for (dev, v4, v6) in [
            (r_a, "10.0.1.1", "2001:db8:1::1"),
            (r_b, "10.0.2.1", "2001:db8:2::1"),
        ] {
            s.add_address(bc, dev, ip(v4), 24).unwrap();
            s.add_address(bc, dev, ip(v6), 64).unwrap();
        }
        (r_a, r_b)
    });
    net.connect(&[(a, a_dev), (r, r_a)], link.clone());
    net.connect(&[(b, b_dev), (r, r_b)], link);
    // Let address configuration (DAD on IPv6, if the stack does it) settle first.
    net.run_for(Duration::from_secs(5));
    Routed { net, a, b, r }
}

/// A datagram payload that says which datagram it is and checks itself.
fn payload(n: u32, len: usize) -> Vec<u8> {
    let mut p: Vec<u8> = (0..len)
        .map(|i| (i as u32).wrapping_mul(31).wrapping_add(n) as u8)
        .collect();
    p[..4].copy_from_slice(&n.to_be_bytes());
    p
}

fn is_intact(p: &[u8]) -> Option<u32> {
    let n = u32::from_be_bytes(p.get(..4)?.try_into().ok()?);
    (payload(n, p.len()) == p).then_some(n)
}

fn recv_all(stack: &mut Stack, sock: SocketId) -> Vec<(Vec<u8>, SocketAddr)> {
    let mut buf = alloc::vec![0u8; 65536];
    let mut got = Vec::new();
    while let Ok((n, from)) = stack.udp_recv_from(sock, &mut buf) {
        got.push((buf[..n].to_vec(), from));
    }
    got
}

struct EchoRun {
    sent: u32,
    /// Datagram numbers b received intact, and how many it received in all.
    at_b: BTreeSet<u32>,
    at_b_total: usize,
    /// Echo numbers a received intact, and in all.
    at_a: BTreeSet<u32>,
    at_a_total: usize,
}

/// `a` sends `count` datagrams of `len` bytes to `b`'s echo port, one every 10 ms; `b`'s
/// application echoes each back. Runs until 5 s after the last send.
fn udp_echo_run(t: &mut Routed, to: &str, count: u32, len: usize) -> EchoRun {
    let (a, b) = (t.a, t.b);
    let dst = sa(to);
    let bind = if dst.is_ipv4() { "0.0.0.0:7" } else { "[::]:7" };
    let b_sock = t.net.with_host(b, |s, bc| {
        let sock = s.udp_open().unwrap();
        s.udp_bind(bc, sock, sa(bind)).unwrap();
        sock
    });
    let a_sock = t.net.with_host(a, |s, _| s.udp_open().unwrap());
    let mut run = EchoRun {
        sent: 0,
        at_b: BTreeSet::new(),
        at_b_total: 0,
        at_a: BTreeSet::new(),
        at_a_total: 0,
    };
    let tick = Duration::from_millis(10);
    let end = t.net.now() + tick * (count + 500);
    while t.net.now() < end {
        if run.sent < count {
            let n = run.sent;
            t.net.with_host(a, |s, bc| {
                s.udp_send_to(bc, a_sock, &payload(n, len), dst).unwrap()
            });
            run.sent += 1;
        }
        let t_next = t.net.now() + tick;
        t.net.run_until(t_next);
        let echoed = t.net.with_host(b, |s, bc| {
            let got = recv_all(s, b_sock);
            for (data, from) in &got {
                s.udp_send_to(bc, b_sock, data, *from).unwrap();
            }
            got
        });
        run.at_b_total += echoed.len();
        for (data, _) in &echoed {
            run.at_b
                .insert(is_intact(data).expect("b received a damaged datagram"));
        }
        let (stack, _) = t.net.host_mut(a);
        for (data, from) in recv_all(stack, a_sock) {
            assert_eq!(from, dst, "echo from an unexpected address");
            run.at_a
                .insert(is_intact(&data).expect("a received a damaged echo"));
            run.at_a_total += 1;
        }
    }
    run
}

#[test]
fn udp_crosses_an_ideal_router_exactly_once_each_way() {
    for to in ["10.0.2.2:7", "[2001:db8:2::2]:7"] {
        let mut t = routed(1, LinkConfig::ideal(Duration::from_millis(2)));
        let run = udp_echo_run(&mut t, to, 40, 300);
        assert_eq!((run.at_b_total, run.at_a_total), (40, 40), "{to}");
        assert_eq!(run.at_a, (0..40).collect(), "{to}");
        let r = t.net.node(t.r).counters();
        assert_eq!(r.ipv4.forwarded + r.ipv6.forwarded, 80, "{to}");
    }
}

/// Loss, duplication, reordering, jitter and bit flips on both links: whatever arrives at
/// either application is a datagram that was sent, byte for byte (the IPv4 header checksum
/// and the UDP checksum catch every single-bit flip), and most of them arrive.
#[test]
#[cfg_attr(miri, ignore)] // minutes under Miri; the stack has no unsafe code of its own
fn udp_across_a_lossy_corrupting_router_arrives_intact_or_not_at_all() {
    let link = LinkConfig {
        loss: 0.05,
        duplicate: 0.03,
        reorder: 0.1,
        reorder_delay: Duration::from_millis(15),
        jitter: Duration::from_millis(3),
        corrupt: 0.05,
        ..LinkConfig::ideal(Duration::from_millis(5))
    };
    let seeds = if cfg!(miri) { 1 } else { 6 };
    for seed in 0..seeds {
        for to in ["10.0.2.2:7", "[2001:db8:2::2]:7"] {
            let mut t = routed(seed, link.clone());
            let count = if cfg!(miri) { 20 } else { 150 };
            let run = udp_echo_run(&mut t, to, count, 200);
            // Each datagram crosses four lossy or damaging link traversals to come back:
            // about 0.9^4 = 66 % survive; far fewer means the stack loses datagrams itself.
            let floor = count as usize * 45 / 100;
            assert!(
                run.at_a.len() >= floor,
                "seed {seed} {to}: {} of {count} echoed",
                run.at_a.len()
            );
            assert!(
                run.at_a.is_subset(&run.at_b),
                "seed {seed} {to}: an echo of a datagram b never got"
            );
            let c = t.net.counters();
            assert_eq!(c.delivered + c.lost, c.sent + c.duplicated, "seed {seed}");
            let damaged: u64 = [t.a, t.b, t.r]
                .iter()
                .map(|h| {
                    let s = t.net.node(*h).counters();
                    s.ipv4.malformed + s.ipv6.malformed + s.udp.malformed
                })
                .sum();
            assert!(
                damaged > 0 || c.corrupted == 0,
                "seed {seed}: {} corrupted frames, none rejected",
                c.corrupted
            );
        }
    }
}

/// IPv4 and IPv6 datagrams larger than the MTU leave in fragments (RFC 791, RFC 8200 4.5)
/// and are reassembled by the receiver even when fragments arrive out of order; with loss,
/// incomplete datagrams are never delivered, and their partial state expires.
#[test]
#[cfg_attr(miri, ignore)] // minutes under Miri; the stack has no unsafe code of its own
fn fragmented_datagrams_reassemble_under_reordering_and_loss() {
    let link = LinkConfig {
        loss: 0.03,
        reorder: 0.3,
        reorder_delay: Duration::from_millis(7),
        jitter: Duration::from_millis(2),
        ..LinkConfig::ideal(Duration::from_millis(3))
    };
    for to in ["10.0.2.2:7", "[2001:db8:2::2]:7"] {
        let mut t = routed(42, link.clone());
        let count = if cfg!(miri) { 5 } else { 60 };
        let run = udp_echo_run(&mut t, to, count, 4000);
        let b = t.net.node(t.b).counters().clone();
        let (ip_b, ip_a) = if to.starts_with('[') {
            (b.ipv6.clone(), t.net.node(t.a).counters().ipv6.clone())
        } else {
            (b.ipv4.clone(), t.net.node(t.a).counters().ipv4.clone())
        };
        assert!(ip_b.fragments_rx >= u64::from(count) * 2, "{to}: {ip_b:?}");
        assert!(ip_a.fragments_tx >= u64::from(count) * 3, "{to}: {ip_a:?}");
        assert!(
            run.at_b.len() >= count as usize / 2,
            "{to}: {} reassembled",
            run.at_b.len()
        );
        assert!(run.at_a.is_subset(&run.at_b));
        // Every datagram b's application saw was completed by reassembly.
        assert!(ip_b.reassembled >= run.at_b_total as u64, "{to}: {ip_b:?}");
        // After the reassembly timeout nothing is pending any more.
        t.net.run_for(Duration::from_secs(120));
        assert_eq!(
            t.net.node(t.b).next_deadline(),
            None,
            "{to}: a timer is still armed"
        );
    }
}

/// RFC 1812 4.3.2.8 / RFC 4443 2.4(f): ICMP errors are rate limited by a token bucket; a
/// burst of datagrams to a closed port gets `icmp_error_burst` errors, then one per refill.
#[test]
#[cfg_attr(miri, ignore)] // minutes under Miri; the stack has no unsafe code of its own
fn port_unreachable_bursts_are_rate_limited() {
    let mut t = routed(3, LinkConfig::ideal(Duration::from_millis(1)));
    let (burst, rate) = {
        let c = t.net.node(t.b).config();
        (u64::from(c.icmp_error_burst), u64::from(c.icmp_error_rate))
    };
    let a_sock = t.net.with_host(t.a, |s, _| s.udp_open().unwrap());
    let send_burst = |t: &mut Routed, n: u64| {
        t.net.with_host(t.a, |s, bc| {
            for _ in 0..n {
                s.udp_send_to(bc, a_sock, b"knock", sa("10.0.2.2:9"))
                    .unwrap();
            }
        });
        t.net.run_for(Duration::from_millis(10));
    };
    send_burst(&mut t, burst * 3);
    let b = t.net.node(t.b).counters().icmpv4.clone();
    assert_eq!((b.errors_sent, b.errors_rate_limited), (burst, burst * 2));
    // 10 ms after the burst began the bucket had refilled by rate / 100 tokens.
    send_burst(&mut t, burst * 3);
    let b = t.net.node(t.b).counters().icmpv4.clone();
    let refill = rate / 100;
    assert_eq!(b.errors_sent, burst + refill, "{b:?}");
    // The sender's socket saw the errors as Connection Refused.
    let a = t.net.node(t.a).counters().icmpv4.clone();
    assert_eq!(a.errors_rx, b.errors_sent);
}

/// Property over seeds: random faults, mixed traffic (UDP both families, fragmented
/// datagrams, pings, datagrams to closed ports). No panic, every frame accounted for, the
/// per-layer UDP counters add up, and once traffic stops the network drains.
#[test]
#[cfg_attr(miri, ignore)] // minutes under Miri; the stack has no unsafe code of its own
fn any_seed_keeps_every_frame_and_counter_consistent() {
    let seeds = if cfg!(miri) { 2 } else { 24 };
    for seed in 0..seeds {
        let mut draw = super::SeededRng::new(seed);
        let mut p = |max: f64| {
            let unit = crate::context::Rng::below(&mut draw, 1000) as f64 / 1000.0;
            unit * max
        };
        let link = LinkConfig {
            loss: p(0.3),
            duplicate: p(0.2),
            reorder: p(0.5),
            reorder_delay: Duration::from_millis(1 + (p(20.0) as u64)),
            jitter: Duration::from_millis(p(10.0) as u64),
            corrupt: p(0.2),
            ..LinkConfig::ideal(Duration::from_millis(1 + (p(50.0) as u64)))
        };
        let mut t = routed(seed, link);
        let a_sock = t.net.with_host(t.a, |s, bc| {
            let sock = s.udp_open().unwrap();
            s.udp_bind(bc, sock, sa("[::]:0")).unwrap(); // dual stack: both families
            sock
        });
        let b_sock = t.net.with_host(t.b, |s, bc| {
            let sock = s.udp_open().unwrap();
            s.udp_bind(bc, sock, sa("[::]:7")).unwrap();
            sock
        });
        let ping = t.net.with_host(t.a, |s, bc| s.icmp_echo_open(bc).unwrap());
        let rounds = if cfg!(miri) { 4 } else { 40 };
        for i in 0..rounds {
            let (to, len) = match i % 5 {
                0 => ("10.0.2.2:7", 100),
                1 => ("[2001:db8:2::2]:7", 3000),
                2 => ("10.0.2.2:7", 5000),
                3 => ("10.0.2.2:9", 10),
                _ => ("[2001:db8:2::2]:9", 10),
            };
            t.net.with_host(t.a, |s, bc| {
                s.udp_send_to(bc, a_sock, &payload(i, len), sa(to)).unwrap();
                let _ = s.icmp_echo_send(bc, ping, ip("10.0.2.2"), i as u16, b"probe");
            });
            t.net.run_for(Duration::from_millis(20));
            let (stack, _) = t.net.host_mut(t.b);
            for (data, _) in recv_all(stack, b_sock) {
                assert!(
                    is_intact(&data).is_some(),
                    "seed {seed}: damaged datagram delivered"
                );
            }
        }
        t.net.run_for(Duration::from_secs(200));
        let c = t.net.counters();
        assert_eq!(t.net.frames_in_flight(), 0, "seed {seed}");
        assert_eq!(c.delivered + c.lost, c.sent + c.duplicated, "seed {seed}");
        for h in [t.a, t.b, t.r] {
            let u = &t.net.node(h).counters().udp;
            assert_eq!(
                u.rx,
                u.malformed + u.no_socket + u.queue_full + u.delivered,
                "seed {seed}: {u:?}"
            );
        }
        assert!(t.net.now() >= Instant::from_nanos(200_000_000_000));
    }
}
