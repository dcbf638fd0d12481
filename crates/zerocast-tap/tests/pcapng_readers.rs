//! The pcapng writer's output read back by zcdump (this repository's reader) and by tshark.

use zcdump::capture::{CaptureReader, LinkType};
use zerocast_tap::pcapng::{Direction, PcapngWriter, LINKTYPE_ETHERNET, LINKTYPE_RAW};

/// zcdump (this repository's reader) reads back the frames, link types, and
/// nanosecond timestamps.
#[test]
fn zcdump_reads_back_frames_link_types_and_times() {
    let mut out = Vec::new();
    let mut pcap = PcapngWriter::new(&mut out, "t").unwrap();
    let tap = pcap.add_interface(LINKTYPE_ETHERNET, "tap0").unwrap();
    let tun = pcap.add_interface(LINKTYPE_RAW, "tun0").unwrap();
    let eth = [0xab; 61];
    let ip = [0x45; 23];
    let t0 = 1_765_000_000_123_456_789;
    pcap.write_packet(tap, t0, Direction::Inbound, &eth)
        .unwrap();
    pcap.write_packet(tun, t0 + 1, Direction::Outbound, &ip)
        .unwrap();
    let mut reader = CaptureReader::open(std::io::Cursor::new(out)).unwrap();
    let first = reader.next_packet().unwrap().expect("first packet");
    assert_eq!(first.data, &eth[..]);
    assert_eq!(first.link_type, LinkType::Ethernet);
    assert_eq!(first.ts_sec, t0 / 1_000_000_000);
    assert_eq!(u64::from(first.ts_nsec), t0 % 1_000_000_000);
    let second = reader.next_packet().unwrap().expect("second packet");
    assert_eq!(second.data, &ip[..]);
    assert_eq!(second.link_type, LinkType::RawIp);
    assert!(reader.next_packet().unwrap().is_none());
}

/// An ARP request from 02:00:00:00:00:01 (10.0.0.1) for 10.0.0.2, padded to 60 bytes.
fn arp_request() -> Vec<u8> {
    let mut f = vec![0xff; 6];
    f.extend_from_slice(&[0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06]);
    f.extend_from_slice(&[0, 1, 0x08, 0, 6, 4, 0, 1]);
    f.extend_from_slice(&[0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1]);
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
    f.resize(60, 0);
    f
}

/// tshark decodes the capture: interface names, directions, times, and the frames.
#[test]
fn tshark_reads_interfaces_directions_and_frames() {
    if std::process::Command::new("tshark")
        .arg("-v")
        .output()
        .is_err()
    {
        if std::env::var("ZC_REQUIRE_ORACLES").as_deref() == Ok("1") {
            panic!("tshark is required (ZC_REQUIRE_ORACLES=1) but not installed");
        }
        eprintln!("skipping: tshark not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("zc-tap-pcapng-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.pcapng");
    let file = std::fs::File::create(&path).unwrap();
    let mut pcap = PcapngWriter::new(file, "zerocast-tap test").unwrap();
    let tap = pcap.add_interface(LINKTYPE_ETHERNET, "zc-tap0").unwrap();
    let tun = pcap.add_interface(LINKTYPE_RAW, "zc-tun0").unwrap();
    let t0 = 1_765_000_000_000_000_123;
    pcap.write_packet(tap, t0, Direction::Inbound, &arp_request())
        .unwrap();
    // IPv4 header only: version 4, IHL 5, total length 20, TTL 64, protocol 253
    // (experimental), 10.0.0.2 -> 10.0.0.1, checksum left zero.
    let ip = [
        0x45, 0, 0, 20, 0, 0, 0, 0, 64, 253, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
    ];
    pcap.write_packet(tun, t0 + 1_000, Direction::Outbound, &ip)
        .unwrap();
    pcap.flush().unwrap();
    drop(pcap);
    let out = std::process::Command::new("tshark")
        .args(["-n", "-r"])
        .arg(&path)
        .args([
            "-T",
            "fields",
            "-E",
            "separator=;",
            "-e",
            "frame.interface_name",
            "-e",
            "frame.p2p_dir",
            "-e",
            "frame.packet_flags_direction",
            "-e",
            "frame.time_epoch",
            "-e",
            "arp.dst.proto_ipv4",
            "-e",
            "ip.dst",
        ])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let first: Vec<&str> = lines[0].split(';').collect();
    let second: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(first[0], "zc-tap0");
    assert_eq!(second[0], "zc-tun0");
    // Direction: tshark shows epb_flags bits 0-1 as 1 (inbound) / 2 (outbound), in hex or
    // decimal depending on the version.
    assert!(first[2].ends_with('1'), "{text}");
    assert!(second[2].ends_with('2'), "{text}");
    assert!(first[3].starts_with("1765000000.000000123"), "{text}");
    assert!(second[3].starts_with("1765000000.000001123"), "{text}");
    assert_eq!(first[4], "10.0.0.2");
    assert_eq!(second[5], "10.0.0.1");
}
