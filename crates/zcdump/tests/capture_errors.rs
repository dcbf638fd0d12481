//! Malformed capture files: every frame before the fault is printed, then one clear error
//! naming the byte offset, exit status 1, and never a panic. And what is not a fault: a
//! link type zcdump does not decode, records longer than the snapshot length.

mod common;

use std::path::PathBuf;

use common::{
    epb_body, idb_body, pcapng_block, read_records, sample, shb_body, write_pcap, zcdump,
};

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("zcdump-bad");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("written");
    path
}

/// Runs zcdump on `bytes` and checks: `frames` lines printed, exit 1, the error names
/// `offset` and contains `what`.
fn expect_fault(name: &str, bytes: &[u8], frames: usize, offset: u64, what: &str) {
    let path = temp_file(name, bytes);
    let out = zcdump(&["-r", path.to_str().expect("utf-8 path")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
    assert_eq!(
        stdout.lines().count(),
        frames,
        "{name}: frames before the fault"
    );
    assert!(
        stderr.contains(&format!("byte offset {offset}:")),
        "{name}: expected offset {offset} in {stderr}"
    );
    assert!(
        stderr.contains(what),
        "{name}: expected '{what}' in {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
}

fn sample_bytes() -> Vec<u8> {
    std::fs::read(sample("kernel-mix.pcap")).expect("sample readable")
}

/// Offset of record `n` (0-based) in the bundled classic pcap sample.
fn record_offset(n: usize) -> u64 {
    let records = read_records(&sample("kernel-mix.pcap"));
    24 + records[..n]
        .iter()
        .map(|r| 16 + r.data.len() as u64)
        .sum::<u64>()
}

#[test]
#[cfg_attr(miri, ignore)]
fn bad_magic_is_reported_at_offset_zero() {
    let mut bytes = sample_bytes();
    bytes[..4].copy_from_slice(b"GIF8");
    expect_fault(
        "magic.pcap",
        &bytes,
        0,
        0,
        "unknown magic number 0x47494638",
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn empty_and_short_files_are_truncated_headers() {
    expect_fault("empty.pcap", &[], 0, 0, "the input is empty");
    expect_fault(
        "short.pcap",
        &sample_bytes()[..10],
        0,
        0,
        "truncated pcap file header",
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn truncated_record_header_prints_earlier_frames() {
    let cut = record_offset(5) + 7;
    let bytes = &sample_bytes()[..cut as usize];
    expect_fault(
        "cut-header.pcap",
        bytes,
        5,
        record_offset(5),
        "truncated pcap record header: needs 16 bytes, file has 7",
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn truncated_record_data_prints_earlier_frames() {
    let cut = record_offset(9) + 16 + 3;
    let bytes = &sample_bytes()[..cut as usize];
    expect_fault(
        "cut-data.pcap",
        bytes,
        9,
        record_offset(9),
        "truncated pcap record",
    );
}

/// Runs zcdump with `args` after `-r <bytes as a file>`, expecting success.
fn run_ok(name: &str, bytes: &[u8], args: &[&str]) -> String {
    let path = temp_file(name, bytes);
    let mut all = vec!["-r", path.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    let out = zcdump(&all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
#[cfg_attr(miri, ignore)]
fn caplen_beyond_snaplen_is_read_whole_as_tcpdump_and_tshark_read_it() {
    let mut bytes = sample_bytes();
    // Snaplen 100, though many records are longer: nothing changes but the header.
    bytes[16..20].copy_from_slice(&100u32.to_le_bytes());
    let records = read_records(&sample("kernel-mix.pcap"));
    assert!(records.iter().any(|r| r.data.len() > 100));
    let fields = [
        "-T",
        "fields",
        "-e",
        "frame.cap_len",
        "-e",
        "tcp.seq_raw",
        "-e",
        "ip.src",
    ];
    let original = run_ok("snaplen-original.pcap", &sample_bytes(), &fields);
    assert_eq!(run_ok("snaplen.pcap", &bytes, &fields), original);
    assert_eq!(original.lines().count(), records.len());
}

#[test]
#[cfg_attr(miri, ignore)]
fn unknown_link_type_frames_get_frame_fields_a_text_line_and_a_count() {
    let mut bytes = sample_bytes();
    // LINKTYPE_USER0 (147): reserved for private use, so no release of zcdump decodes it
    // (105, used before, is 802.11, which zcdump now decodes).
    bytes[20..24].copy_from_slice(&147u32.to_le_bytes());
    let records = read_records(&sample("kernel-mix.pcap"));
    let fields = run_ok(
        "linktype.pcap",
        &bytes,
        &[
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "frame.len",
            "-e",
            "eth.src",
        ],
    );
    let expected: String = records
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{}\t{}\t\n", i + 1, r.orig_len))
        .collect();
    assert_eq!(fields, expected);
    let text = run_ok("linktype.pcap", &bytes, &[]);
    assert_eq!(text.lines().count(), records.len());
    assert!(
        text.lines()
            .all(|l| l.ends_with(" [link type 147 not decoded]")),
        "{text}"
    );
    let stats = run_ok("linktype.pcap", &bytes, &["--stats"]);
    let line = format!("Frames of a link type not decoded: {}", records.len());
    assert!(stats.contains(&line), "{stats}");
}

#[test]
#[cfg_attr(miri, ignore)]
fn absurd_caplen_is_rejected_before_allocating() {
    let mut bytes = sample_bytes();
    let at = record_offset(3) as usize + 8;
    bytes[at..at + 4].copy_from_slice(&0xfff0_0000u32.to_le_bytes());
    expect_fault(
        "absurd.pcap",
        &bytes,
        3,
        record_offset(3),
        "record captured length 4293918720 is larger than any capture allows",
    );
}

fn pcapng_with_two_packets() -> (Vec<u8>, Vec<usize>) {
    let records = read_records(&sample("kernel-mix.pcap"));
    let mut bytes = pcapng_block(0x0a0d_0d0a, &shb_body(false), false);
    bytes.extend(pcapng_block(1, &idb_body(1, 0, None, false), false));
    let mut starts = Vec::new();
    for r in &records[..2] {
        starts.push(bytes.len());
        bytes.extend(pcapng_block(6, &epb_body(0, 0, r, false), false));
    }
    starts.push(bytes.len());
    (bytes, starts)
}

#[test]
#[cfg_attr(miri, ignore)]
fn pcapng_block_length_faults_are_located() {
    let (good, starts) = pcapng_with_two_packets();
    let mut odd = good.clone();
    odd[starts[1] + 4] ^= 0x01; // total length no longer a multiple of 4
    expect_fault(
        "odd.pcapng",
        &odd,
        1,
        starts[1] as u64,
        "not a multiple of 4",
    );
    let mut mismatch = good.clone();
    let end = starts[2];
    mismatch[end - 4] ^= 0x04; // trailing length differs
    expect_fault(
        "trailer.pcapng",
        &mismatch,
        1,
        starts[1] as u64,
        "trailing total length differs",
    );
    expect_fault(
        "cut.pcapng",
        &good[..starts[2] - 5],
        1,
        starts[1] as u64,
        "truncated pcapng block",
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn pcapng_packet_for_undescribed_interface_is_rejected() {
    let records = read_records(&sample("kernel-mix.pcap"));
    let mut bytes = pcapng_block(0x0a0d_0d0a, &shb_body(false), false);
    bytes.extend(pcapng_block(1, &idb_body(1, 0, None, false), false));
    let at = bytes.len();
    bytes.extend(pcapng_block(6, &epb_body(3, 0, &records[0], false), false));
    expect_fault(
        "iface.pcapng",
        &bytes,
        0,
        at as u64,
        "names interface 3, but only 1 interface(s)",
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn pcapng_packet_before_any_interface_block_says_one_must_come_first() {
    let records = read_records(&sample("kernel-mix.pcap"));
    let mut bytes = pcapng_block(0x0a0d_0d0a, &shb_body(false), false);
    let at = bytes.len();
    bytes.extend(pcapng_block(6, &epb_body(0, 0, &records[0], false), false));
    expect_fault(
        "no-idb.pcapng",
        &bytes,
        0,
        at as u64,
        "no interface was described before it (an Interface Description Block must come first)",
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn pcapng_interface_of_an_unknown_link_type_is_read_not_refused() {
    let records = read_records(&sample("kernel-mix.pcap"));
    let mut bytes = pcapng_block(0x0a0d_0d0a, &shb_body(true), true);
    bytes.extend(pcapng_block(1, &idb_body(1, 0, None, true), true));
    bytes.extend(pcapng_block(1, &idb_body(147, 0, None, true), true));
    bytes.extend(pcapng_block(6, &epb_body(0, 0, &records[0], true), true));
    bytes.extend(pcapng_block(6, &epb_body(1, 0, &records[1], true), true));
    let out = run_ok(
        "idb.pcapng",
        &bytes,
        &["-T", "fields", "-e", "frame.cap_len", "-e", "eth.type"],
    );
    let eth_type = |r: &common::Record| format!("0x{:02x}{:02x}", r.data[12], r.data[13]);
    let expected = format!(
        "{}\t{}\n{}\t\n",
        records[0].data.len(),
        eth_type(&records[0]),
        records[1].data.len()
    );
    assert_eq!(out, expected);
}

#[test]
#[cfg_attr(miri, ignore)]
fn bad_byte_order_magic_in_section_header_is_located() {
    let mut bytes = pcapng_block(0x0a0d_0d0a, &shb_body(false), false);
    bytes[8..12].copy_from_slice(&[1, 2, 3, 4]);
    expect_fault("bom.pcapng", &bytes, 0, 8, "unknown byte-order magic");
}

#[test]
#[cfg_attr(miri, ignore)]
fn clean_files_in_every_layout_exit_zero() {
    let records = read_records(&sample("kernel-mix.pcap"));
    for (name, bytes) in [
        ("le-us.pcap", write_pcap(&records, 1, false, false)),
        ("be-ns.pcap", write_pcap(&records, 1, true, true)),
    ] {
        let path = temp_file(name, &bytes);
        let out = zcdump(&["-r", path.to_str().expect("utf-8 path")]);
        assert!(out.status.success(), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            records.len()
        );
    }
}
