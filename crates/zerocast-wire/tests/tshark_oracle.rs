//! Oracle test: what this crate parses from every frame of the sample captures must equal
//! tshark 4.0's decode of the same frames (`tests-data/tshark/*.fields.tsv`, made with
//! checksum validation on and reassembly off), field for field and value text for value text.
//!
//! When tshark is installed the stored decodes are regenerated live first, so a stale file
//! cannot hide a difference; with `ZC_REQUIRE_ORACLES=1` a missing tshark is a failure.

mod common;

use std::path::Path;
use std::process::Command;

/// The wire-level fields this crate is responsible for (zcdump adds the frame.* ones).
const WIRE_FIELDS: &[&str] = &[
    "eth.dst",
    "eth.src",
    "eth.type",
    "vlan.priority",
    "vlan.id",
    "vlan.etype",
    "ieee8021ad.id",
    "arp.opcode",
    "arp.src.hw_mac",
    "arp.src.proto_ipv4",
    "arp.dst.hw_mac",
    "arp.dst.proto_ipv4",
    "ip.version",
    "ip.hdr_len",
    "ip.dsfield",
    "ip.len",
    "ip.id",
    "ip.flags",
    "ip.frag_offset",
    "ip.ttl",
    "ip.proto",
    "ip.checksum",
    "ip.checksum.status",
    "ip.src",
    "ip.dst",
    "ipv6.tclass",
    "ipv6.flow",
    "ipv6.plen",
    "ipv6.nxt",
    "ipv6.hlim",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.fraghdr.offset",
    "ipv6.fraghdr.more",
    "ipv6.fraghdr.ident",
    "icmp.type",
    "icmp.code",
    "icmp.checksum.status",
    "icmp.ident",
    "icmp.seq",
    "icmpv6.type",
    "icmpv6.code",
    "icmpv6.checksum.status",
    "icmpv6.nd.ns.target_address",
    "icmpv6.nd.na.target_address",
    "icmpv6.opt.type",
    "igmp.version",
    "igmp.type",
    "udp.srcport",
    "udp.dstport",
    "udp.length",
    "udp.checksum.status",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.hdr_len",
    "tcp.flags",
    "tcp.window_size_value",
    "tcp.checksum.status",
    "tcp.urgent_pointer",
    "tcp.options.mss_val",
    "tcp.options.wscale.shift",
    "tcp.options.timestamp.tsval",
    "tcp.options.timestamp.tsecr",
];

/// Values tshark prints that this crate deliberately does not, as (capture, frame, fields).
/// Empty since the partial-header views: a header the capture cut mid-way shows each field
/// that was captured, as tshark does. The test fails if what differs is not exactly this.
const KNOWN_DIFFERENCES: &[(&str, usize, &[&str])] = &[];

fn tshark_available() -> bool {
    let found = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found && std::env::var("ZC_REQUIRE_ORACLES").as_deref() == Ok("1") {
        panic!("ZC_REQUIRE_ORACLES=1 but tshark is not installed");
    }
    found
}

fn check_capture(name: &str) {
    let cap = common::samples_dir().join(name);
    let stored = common::tshark_dir().join(format!("{name}.fields.tsv"));
    if tshark_available() {
        let out = Command::new("bash")
            .arg(common::tshark_dir().join("tshark-fields.sh"))
            .arg(&cap)
            .output()
            .expect("run tshark-fields.sh");
        assert!(out.status.success(), "tshark-fields.sh failed");
        let live = String::from_utf8(out.stdout).unwrap();
        let stored_text = std::fs::read_to_string(&stored).unwrap();
        assert_eq!(
            live,
            stored_text,
            "live tshark decode differs from {}",
            stored.display()
        );
    }
    compare(&cap, &stored);
}

fn compare(cap: &Path, tsv: &Path) {
    let (header, rows) = common::read_tsv(tsv);
    let frames = common::read_pcap(cap);
    assert_eq!(frames.len(), rows.len(), "frame count");
    let name = cap.file_name().unwrap().to_str().unwrap();
    let mut expected: Vec<String> = KNOWN_DIFFERENCES
        .iter()
        .filter(|(c, _, _)| *c == name)
        .flat_map(|(_, frame, fields)| fields.iter().map(move |f| format!("frame {frame} {f}")))
        .collect();
    let mut mismatches = Vec::new();
    let mut unexplained = Vec::new();
    let mut compared = 0usize;
    for (i, (frame, row)) in frames.iter().zip(&rows).enumerate() {
        let ours = common::dissect(&frame.data);
        for field in WIRE_FIELDS {
            let col = header
                .iter()
                .position(|h| h == field)
                .expect("field in tsv");
            let theirs = row.get(col).map_or("", String::as_str);
            let mine = ours.get(field).map(|v| v.join(",")).unwrap_or_default();
            compared += 1;
            if mine != theirs {
                let key = format!("frame {} {field}", i + 1);
                if !expected.contains(&key) {
                    unexplained.push(format!("{key}: ours {mine:?} tshark {theirs:?}"));
                }
                mismatches.push(key);
            }
        }
    }
    assert!(compared > 10_000, "compared only {compared} values");
    assert!(
        unexplained.is_empty(),
        "{} of {compared} values differ from tshark:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    mismatches.sort();
    expected.sort();
    assert_eq!(
        mismatches, expected,
        "the known differences changed: update KNOWN_DIFFERENCES"
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn full_capture_matches_tshark_field_for_field() {
    check_capture("kernel-mix.pcap");
}

#[test]
#[cfg_attr(miri, ignore)]
fn snaplen_80_capture_matches_tshark_field_for_field() {
    check_capture("kernel-mix-snap80.pcap");
}
