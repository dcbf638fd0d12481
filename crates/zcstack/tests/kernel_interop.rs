//! zcstack against the Linux kernel (issue 11's kernel-interop list), over a TAP or TUN
//! whose kernel end sits in a namespace the test makes and deletes.
//!
//! Each test: a fresh namespace; `ip tuntap add` there; the kernel end gets 10.99.0.1/24
//! and fd99::1/64 (TUN: 10.98.0.1/24, fd98::1/64); `zcstack serve` runs inside with
//! 10.99.0.2/24 and fd99::2/64 and a fixed MAC; tcpdump records the kernel's side. Then the
//! kernel's own tools talk to the stack: ping, ping -6, socat, ip neigh, and a test-owned
//! program (tests/programs/send_icmp.py) for RAs and ICMP errors. Runs with
//! `ZC_KERNEL_TESTS=1` (scripts/test.sh sets it as root, after installing the tools); needs
//! root, /dev/net/tun, ping, socat, tcpdump, tshark, python3.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{send_icmp, serve, suite_skip_reason, tcpdump, tshark_fields, Guarded, Netns};

const TOOLS: &[&str] = &["ping", "socat", "tcpdump", "tshark", "python3"];
const STACK_MAC: &str = "02:00:00:00:00:02";

/// A namespace with a TAP, zcstack serving on it, and tcpdump on the kernel's end. Fields
/// drop in order: the processes stop before the namespace goes.
struct TapBench {
    capture: Option<Guarded>,
    stack: Guarded,
    ns: Netns,
}

impl TapBench {
    fn new(test: &str, extra: &[&str]) -> Option<TapBench> {
        if suite_skip_reason(TOOLS).is_some() {
            return None;
        }
        let ns = Netns::new(test)?;
        ns.add_tuntap("zctap0", "tap", &["10.99.0.1/24", "fd99::1/64"]);
        let capture = tcpdump(&ns, "zctap0", &ns.path("kernel.pcap"));
        let pcap = ns.path("stack.pcapng");
        let mut args = vec![
            "--tap",
            "zctap0",
            "--mac",
            STACK_MAC,
            "--addr",
            "10.99.0.2/24",
            "--addr",
            "fd99::2/64",
            "--udp-echo",
            "7",
            "--pcap",
        ];
        args.push(pcap.to_str().expect("utf-8 path"));
        args.extend_from_slice(extra);
        let stack = serve(&ns, &args);
        Some(TapBench {
            capture: Some(capture),
            stack,
            ns,
        })
    }

    /// Stops tcpdump and returns the kernel-side capture.
    fn kernel_capture(&mut self) -> std::path::PathBuf {
        if let Some(mut capture) = self.capture.take() {
            std::thread::sleep(Duration::from_millis(100));
            capture.interrupt();
        }
        self.ns.path("kernel.pcap")
    }
}

/// `ping` in the namespace: `count` echoes of `size` bytes; returns whether all came back.
fn ping(ns: &Netns, extra: &[&str], size: usize, count: u32, target: &str) -> (bool, String) {
    let size = size.to_string();
    let count = count.to_string();
    let mut args = vec![
        "ping", "-n", "-c", &count, "-i", "0.2", "-W", "2", "-s", &size,
    ];
    args.extend_from_slice(extra);
    args.push(target);
    let out = ns.try_exec(&args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let all_back = out.status.success() && text.contains(&format!("{count} received"));
    (all_back, text)
}

fn count(file: &Path, filter: &str) -> usize {
    tshark_fields(file, filter, &["frame.number"]).len()
}

#[test]
fn ping_ipv4_sizes_0_to_9000_fragmented_both_ways() {
    let Some(mut bench) = TapBench::new("ping4", &[]) else {
        return;
    };
    for size in [0, 1, 56, 1472, 1473, 4000, 8972, 9000] {
        let (ok, out) = ping(&bench.ns, &[], size, 2, "10.99.0.2");
        assert!(ok, "ping -s {size}:\n{out}");
    }
    let cap = bench.kernel_capture();
    // The kernel fragmented the large requests; the stack fragmented its large replies.
    assert!(count(&cap, "ip.src == 10.99.0.1 && ip.flags.mf == 1") >= 8);
    assert!(count(&cap, "ip.src == 10.99.0.2 && ip.flags.mf == 1") >= 8);
    // No fragment the stack sent exceeds the MTU (1500 + 14 bytes of Ethernet).
    assert_eq!(count(&cap, "ip.src == 10.99.0.2 && frame.len > 1514"), 0);
}

#[test]
fn ping_ipv6_sizes_0_to_9000_fragmented_both_ways() {
    let Some(mut bench) = TapBench::new("ping6", &[]) else {
        return;
    };
    for size in [0, 1, 56, 1452, 1453, 4000, 8952, 9000] {
        let (ok, out) = ping(&bench.ns, &["-6"], size, 2, "fd99::2");
        assert!(ok, "ping -6 -s {size}:\n{out}");
    }
    let cap = bench.kernel_capture();
    assert!(count(&cap, "ipv6.src == fd99::1 && ipv6.fraghdr.more == 1") >= 8);
    assert!(count(&cap, "ipv6.src == fd99::2 && ipv6.fraghdr.more == 1") >= 8);
    assert_eq!(count(&cap, "ipv6.src == fd99::2 && frame.len > 1514"), 0);
}

#[test]
fn ipv4_ping_with_dont_fragment_fits_the_mtu_exactly() {
    let Some(mut bench) = TapBench::new("pmtudo4", &[]) else {
        return;
    };
    // 1472 + 8 + 20 = 1500: goes unfragmented both ways.
    let (ok, out) = ping(&bench.ns, &["-M", "do"], 1472, 2, "10.99.0.2");
    assert!(ok, "{out}");
    // One byte more is refused by the kernel before it reaches the wire.
    let (ok, out) = ping(&bench.ns, &["-M", "do"], 1473, 1, "10.99.0.2");
    assert!(
        !ok && out.contains("message too long") && out.contains("1500"),
        "{out}"
    );
    let cap = bench.kernel_capture();
    assert_eq!(count(&cap, "ip.src == 10.99.0.2 && ip.flags.mf == 1"), 0);
    assert!(
        count(
            &cap,
            "ip.src == 10.99.0.2 && icmp.type == 0 && frame.len == 1514"
        ) >= 2
    );
}

#[test]
fn ipv6_ping_with_dont_fragment_fits_the_mtu_exactly() {
    let Some(mut bench) = TapBench::new("pmtudo6", &[]) else {
        return;
    };
    // 1452 + 8 + 40 = 1500.
    let (ok, out) = ping(&bench.ns, &["-6", "-M", "do"], 1452, 2, "fd99::2");
    assert!(ok, "{out}");
    let (ok, out) = ping(&bench.ns, &["-6", "-M", "do"], 1453, 1, "fd99::2");
    assert!(
        !ok && out.contains("message too long") && out.contains("1500"),
        "{out}"
    );
    let cap = bench.kernel_capture();
    assert_eq!(count(&cap, "ipv6.src == fd99::2 && ipv6.fraghdr"), 0);
    assert!(
        count(
            &cap,
            "ipv6.src == fd99::2 && icmpv6.type == 129 && frame.len == 1514"
        ) >= 2
    );
}

/// RFC 1191 section 3: after a Fragmentation Needed with next-hop MTU 1000, the stack's
/// 1428-byte replies to that destination leave in fragments of at most 1000 bytes.
#[test]
fn fragmentation_needed_lowers_the_ipv4_path_mtu() {
    let Some(mut bench) = TapBench::new("pmtu4", &[]) else {
        return;
    };
    assert!(ping(&bench.ns, &[], 56, 1, "10.99.0.2").0, "warm-up ping");
    send_icmp(&bench.ns, &["fragneeded", "10.99.0.1", "10.99.0.2", "1000"]);
    std::thread::sleep(Duration::from_millis(200));
    let (ok, out) = ping(&bench.ns, &[], 1400, 2, "10.99.0.2");
    assert!(ok, "{out}");
    let cap = bench.kernel_capture();
    assert!(count(&cap, "ip.src == 10.99.0.2 && ip.flags.mf == 1") >= 2);
    assert_eq!(count(&cap, "ip.src == 10.99.0.2 && frame.len > 1014"), 0);
}

/// RFC 8201 section 4: after a Packet Too Big with MTU 1280, the stack's 1448-byte
/// replies leave in fragments that fit 1280 bytes.
#[test]
fn packet_too_big_lowers_the_ipv6_path_mtu() {
    let Some(mut bench) = TapBench::new("pmtu6", &[]) else {
        return;
    };
    assert!(ping(&bench.ns, &["-6"], 56, 1, "fd99::2").0, "warm-up ping");
    send_icmp(&bench.ns, &["ptb6", "zctap0", "fd99::1", "fd99::2", "1280"]);
    std::thread::sleep(Duration::from_millis(200));
    let (ok, out) = ping(&bench.ns, &["-6"], 1400, 2, "fd99::2");
    assert!(ok, "{out}");
    let cap = bench.kernel_capture();
    assert!(count(&cap, "ipv6.src == fd99::2 && ipv6.fraghdr.more == 1") >= 2);
    assert_eq!(count(&cap, "ipv6.src == fd99::2 && frame.len > 1294"), 0);
}

fn socat_echo(ns: &Netns, address: &str, message: &str) -> String {
    let out = ns
        .command(&["socat", "-t", "2", "-T", "3", "-", address])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped stdin")
                .write_all(message.as_bytes())?;
            child.wait_with_output()
        })
        .expect("run socat");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn udp_echo_with_socat_over_ipv4() {
    let Some(bench) = TapBench::new("udpecho4", &[]) else {
        return;
    };
    let hello = "hello over ipv4\n";
    assert_eq!(socat_echo(&bench.ns, "UDP4:10.99.0.2:7", hello), hello);
    // Larger than the MTU: fragmented by the kernel, reassembled, echoed in fragments,
    // reassembled by the kernel.
    let big = "z".repeat(3000) + "\n";
    assert_eq!(socat_echo(&bench.ns, "UDP4:10.99.0.2:7", &big), big);
}

#[test]
fn udp_echo_with_socat_over_ipv6() {
    let Some(bench) = TapBench::new("udpecho6", &[]) else {
        return;
    };
    let hello = "hello over ipv6\n";
    assert_eq!(socat_echo(&bench.ns, "UDP6:[fd99::2]:7", hello), hello);
    let big = "z".repeat(3000) + "\n";
    assert_eq!(socat_echo(&bench.ns, "UDP6:[fd99::2]:7", &big), big);
}

fn assert_neighbour_reachable(ns: &Netns, family: &str, addr: &str) {
    let out = ns.exec(&["ip", family, "neigh", "show", addr, "dev", "zctap0"]);
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(line.contains(&format!("lladdr {STACK_MAC}")), "{line}");
    assert!(line.contains("REACHABLE"), "{line}");
}

/// The kernel resolved us by ARP and holds the entry as REACHABLE (RFC 826 reply with
/// our MAC).
#[test]
fn kernel_arp_cache_holds_our_mac_as_reachable() {
    let Some(bench) = TapBench::new("arp", &[]) else {
        return;
    };
    assert!(ping(&bench.ns, &[], 56, 1, "10.99.0.2").0);
    assert_neighbour_reachable(&bench.ns, "-4", "10.99.0.2");
}

/// The kernel resolved us by NDP and holds the entry as REACHABLE, which needs a
/// solicited Neighbor Advertisement (S flag, RFC 4861 section 7.2.5) with our TLLA.
#[test]
fn kernel_ndp_cache_holds_our_mac_as_reachable() {
    let Some(bench) = TapBench::new("ndp", &[]) else {
        return;
    };
    assert!(ping(&bench.ns, &["-6"], 56, 1, "fd99::2").0);
    assert_neighbour_reachable(&bench.ns, "-6", "fd99::2");
}

/// Joining 239.1.2.3 sends an IGMPv3 Membership Report (RFC 3376 section 5.1) that the
/// kernel's side of the link receives.
#[test]
fn igmp_join_reaches_the_kernel_side() {
    let Some(mut bench) = TapBench::new("igmp", &["--join", "239.1.2.3"]) else {
        return;
    };
    std::thread::sleep(Duration::from_millis(1500));
    let cap = bench.kernel_capture();
    let igmp = tshark_fields(&cap, "igmp.type == 0x22", &["igmp.maddr"]);
    assert!(igmp.iter().any(|l| l.contains("239.1.2.3")), "{igmp:?}");
}

/// Joining ff15::1234, and the solicited-node group of fd99::2, send MLDv2 reports
/// (RFC 3810 section 5.2) that the kernel's side receives.
#[test]
fn mld_joins_reach_the_kernel_side() {
    let Some(mut bench) = TapBench::new("mld", &["--join", "ff15::1234"]) else {
        return;
    };
    std::thread::sleep(Duration::from_millis(1500));
    let cap = bench.kernel_capture();
    let mld = tshark_fields(
        &cap,
        "icmpv6.type == 143",
        &["icmpv6.mldr.mar.multicast_address"],
    );
    assert!(mld.iter().any(|l| l.contains("ff15::1234")), "{mld:?}");
    assert!(mld.iter().any(|l| l.contains("ff02::1:ff00:2")), "{mld:?}");
}

/// RFC 9777 section 6.2 (group-and-source-specific queries): a source-specific query from
/// the kernel's side for a group zcstack joined is answered with a MODE_IS_INCLUDE record
/// of exactly the queried sources. (Linux itself answers such a query for an EXCLUDE-mode
/// group as a group-specific one, so it is not the oracle here; the RFC's table is.)
#[test]
fn mld_source_specific_query_is_answered_with_the_queried_sources() {
    let Some(mut bench) = TapBench::new("mldsq", &["--join", "ff15::1234"]) else {
        return;
    };
    std::thread::sleep(Duration::from_millis(1500));
    send_icmp(
        &bench.ns,
        &["mldq", "zctap0", "ff15::1234", "fd99::9", "fd99::7"],
    );
    // Maximum Response Code 100 ms.
    std::thread::sleep(Duration::from_millis(600));
    let cap = bench.kernel_capture();
    let records = tshark_fields(
        &cap,
        "icmpv6.type == 143 && icmpv6.mldr.mar.record_type == 1",
        &[
            "icmpv6.mldr.mar.multicast_address",
            "icmpv6.mldr.mar.source_address",
        ],
    );
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0], "ff15::1234\tfd99::7,fd99::9", "{records:?}");
}

#[test]
fn slaac_from_a_router_advertisement() {
    let Some(mut bench) = TapBench::new("slaac", &[]) else {
        return;
    };
    bench.ns.exec(&[
        "ip",
        "addr",
        "add",
        "2001:db8:1::1/64",
        "dev",
        "zctap0",
        "nodad",
    ]);
    send_icmp(&bench.ns, &["ra", "zctap0", "2001:db8:1::"]);
    // DAD for the new address takes about a second (RFC 4862 section 5.4); poll for it
    // answering a ping, bounded.
    let mut address = None;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(250));
        let cap_so_far = bench.ns.path("kernel.pcap");
        let targets = tshark_fields(
            &cap_so_far,
            "icmpv6.type == 135 && ipv6.src == :: && icmpv6.nd.ns.target_address == 2001:db8:1::/64",
            &["icmpv6.nd.ns.target_address"],
        );
        if let Some(t) = targets.first() {
            address = Some(t.trim().to_owned());
            break;
        }
    }
    let address = address.expect("the stack sent DAD for an address in the advertised prefix");
    let mut answered = false;
    for _ in 0..10 {
        if ping(&bench.ns, &["-6"], 56, 1, &address).0 {
            answered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(answered, "the SLAAC address {address} answers ping");
    let _ = bench.kernel_capture();
}

#[test]
fn the_stack_capture_is_read_by_tshark_and_zcdump() {
    let Some(mut bench) = TapBench::new("pcap", &[]) else {
        return;
    };
    assert!(ping(&bench.ns, &[], 56, 3, "10.99.0.2").0);
    std::thread::sleep(Duration::from_millis(200));
    bench.stack.stop();
    let file = bench.ns.path("stack.pcapng");
    // tshark: the requests came in, the replies went out, with their directions.
    let replies = tshark_fields(&file, "icmp.type == 0", &["frame.packet_flags_direction"]);
    assert_eq!(replies.len(), 3, "{replies:?}");
    assert!(
        replies.iter().all(|d| d.ends_with('2')),
        "outbound: {replies:?}"
    );
    let requests = tshark_fields(&file, "icmp.type == 8", &["frame.packet_flags_direction"]);
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(
        requests.iter().all(|d| d.ends_with('1')),
        "inbound: {requests:?}"
    );
    // zcdump (this repository's reader) reads every frame of it.
    let mut reader = zcdump::capture::CaptureReader::open(std::fs::File::open(&file).unwrap())
        .expect("zcdump opens the capture");
    let mut frames = 0;
    while let Some(packet) = reader.next_packet().expect("zcdump reads every frame") {
        assert_eq!(packet.link_type, zcdump::capture::LinkType::Ethernet);
        frames += 1;
    }
    assert_eq!(frames, count(&file, "frame"));
    assert!(frames >= 8, "ARP request and reply, 3 requests, 3 replies");
}

/// `--drop 0.3 --seed 7` loses frames in both directions from the seed: some of 40 pings
/// fail, not all (the binding's fault injection, for the TCP work).
#[test]
fn fault_injection_drops_some_pings() {
    let faults = ["--drop", "0.3", "--seed", "7"];
    let Some(bench) = TapBench::new("faults", &faults) else {
        return;
    };
    let (_, out) = ping(&bench.ns, &["-q", "-i", "0.05"], 56, 40, "10.99.0.2");
    let received: u32 = out
        .split(", ")
        .find_map(|part| part.strip_suffix(" received"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in:\n{out}"));
    // Each echo survives two independent 30 % drops with probability 0.49.
    assert!(
        (5..=35).contains(&received),
        "{received} of 40 came back:\n{out}"
    );
}

/// `--reorder 1.0` holds every frame that does not follow a held one: at ping's pace a
/// request and its reply each wait the binding's 10 ms hold unless another frame (the
/// kernel's or the stack's own IPv6 chatter) comes first and swaps with it. So the echoes
/// come back late, about 20 ms on average, and none is lost.
#[test]
fn fault_injection_reorder_delays_but_loses_nothing() {
    let faults = ["--reorder", "1.0", "--seed", "3"];
    let Some(bench) = TapBench::new("reorder", &faults) else {
        return;
    };
    let (ok, out) = ping(&bench.ns, &[], 56, 5, "10.99.0.2");
    assert!(ok, "{out}");
    let avg_rtt_ms: f64 = out
        .split("rtt min/avg/max/mdev = ")
        .nth(1)
        .and_then(|rest| rest.split('/').nth(1))
        .and_then(|avg| avg.parse().ok())
        .unwrap_or_else(|| panic!("no rtt in:\n{out}"));
    assert!(
        avg_rtt_ms >= 10.0,
        "average rtt {avg_rtt_ms} ms, want the holds to show"
    );
}

/// `--gateway`: a ping from an address off the link (10.55.0.1, on the kernel's loopback)
/// is answered through the gateway; without a gateway the stack has no route back.
#[test]
fn replies_to_off_link_sources_go_through_the_gateway() {
    let gateway = ["--gateway", "10.99.0.1", "--gateway", "fd99::1"];
    for (extra, expect_reply) in [(&gateway[..], true), (&[][..], false)] {
        let tag = if expect_reply { "gw" } else { "nogw" };
        let Some(bench) = TapBench::new(tag, extra) else {
            return;
        };
        bench
            .ns
            .exec(&["ip", "addr", "add", "10.55.0.1/32", "dev", "lo"]);
        bench
            .ns
            .exec(&["ip", "addr", "add", "fd55::1/128", "dev", "lo"]);
        let (ok4, out4) = ping(&bench.ns, &["-I", "10.55.0.1"], 56, 2, "10.99.0.2");
        let (ok6, out6) = ping(&bench.ns, &["-6", "-I", "fd55::1"], 56, 2, "fd99::2");
        assert_eq!(ok4, expect_reply, "{tag}:\n{out4}");
        assert_eq!(ok6, expect_reply, "{tag}:\n{out6}");
    }
}

/// The same services over a TUN (bare IP: no ARP, no NDP).
#[test]
fn tun_mode_ping_and_udp_echo() {
    if suite_skip_reason(TOOLS).is_some() {
        return;
    }
    let Some(ns) = Netns::new("tun") else { return };
    ns.add_tuntap("zctun0", "tun", &["10.98.0.1/24", "fd98::1/64"]);
    let _stack = serve(
        &ns,
        &[
            "--tap",
            "zctun0",
            "--tun",
            "--addr",
            "10.98.0.2/24",
            "--addr",
            "fd98::2/64",
            "--udp-echo",
            "7",
        ],
    );
    for size in [0, 56, 1472, 4000, 9000] {
        let (ok, out) = ping(&ns, &[], size, 2, "10.98.0.2");
        assert!(ok, "tun ping -s {size}:\n{out}");
        let (ok, out) = ping(&ns, &["-6"], size, 2, "fd98::2");
        assert!(ok, "tun ping -6 -s {size}:\n{out}");
    }
    assert_eq!(socat_echo(&ns, "UDP4:10.98.0.2:7", "tun v4\n"), "tun v4\n");
    assert_eq!(socat_echo(&ns, "UDP6:[fd98::2]:7", "tun v6\n"), "tun v6\n");
}
