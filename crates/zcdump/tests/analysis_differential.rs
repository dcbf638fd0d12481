//! The conversation-table differential: `frame.time_*`, `tcp.stream`, `udp.stream`, the
//! relative TCP numbers, every `tcp.analysis.*` field and the derived address, port and flag
//! fields, printed by `zcdump -e`, must equal tshark 4.0's `-T fields` output on every frame
//! of every sample (`tests-data/tshark/analysis-fields.txt` lists them).
//!
//! Oracles: the committed `tests-data/tshark/<capture>.analysis.tsv` (always; made by
//! `tshark-fields.sh CAPTURE $(cat analysis-fields.txt)`), and one live tshark run per
//! sample when tshark is installed (mandatory when `ZC_REQUIRE_ORACLES=1`).
//!
//! One difference is allowed (`ALLOWED`), with its reason: `frame.protocols` of the frame
//! that carries a TLS certificate, where tshark lists the layers of its X.509 decoders
//! (`x509sat` for each name attribute, `pkcs-1` for the key's parameters, `x509ce` for each
//! extension), which zcdump does not decode. Every other frame of every sample names its
//! protocols exactly as tshark does. (The last differences before, `tcp.len` and
//! `tcp.nxtseq` of a TCP header the snapshot length cut under an IPv4 total length claiming
//! more than the frame had, went when zcdump learnt to bound the segment by the frame's
//! length from where the cut header's payload would start, as tshark does.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{compare_tsv, repo_root, zcdump_fields};

/// (capture, frame, field) of documented differences (see the module comment).
const ALLOWED: [(&str, &str, &str); 1] = [("app-tls.pcap", "21", "frame.protocols")];

fn fields() -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("tests-data/tshark/analysis-fields.txt"))
        .expect("analysis-fields.txt readable");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every sample with its committed oracle.
fn samples() -> Vec<(PathBuf, PathBuf)> {
    let dir = repo_root().join("tests-data/tshark");
    let mut pairs: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests-data/tshark exists")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let capture = name.strip_suffix(".analysis.tsv")?.to_string();
            Some((repo_root().join("samples").join(capture), e.path()))
        })
        .collect();
    pairs.sort();
    pairs
}

/// Blanks the allowed differences of `capture` in a `-T fields -E header=y` table.
fn blank_allowed(capture: &str, table: &str) -> String {
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let mut out = header.join("\t") + "\n";
    for line in lines {
        let mut cols: Vec<&str> = line.split('\t').collect();
        for (cap, frame, field) in ALLOWED {
            if cap == capture && cols.first() == Some(&frame) {
                if let Some(i) = header.iter().position(|h| *h == field) {
                    if let Some(c) = cols.get_mut(i) {
                        *c = "";
                    }
                }
            }
        }
        out += &(cols.join("\t") + "\n");
    }
    out
}

fn differences(capture: &Path, expected: &str, fields: &[String]) -> Option<String> {
    let name = capture.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let got = zcdump_fields(capture, fields);
    compare_tsv(&blank_allowed(name, expected), &blank_allowed(name, &got))
        .err()
        .map(|report| format!("{name}:\n{report}"))
}

#[test]
#[cfg_attr(miri, ignore)]
fn equals_committed_tshark_output_on_every_frame_of_every_sample() {
    let fields = fields();
    let pairs = samples();
    assert!(pairs.len() >= 20, "{} samples with answers", pairs.len());
    // A field tshark never shows would be compared without proving anything; window_full,
    // which no sample has, is checked on a generated capture below.
    let mut shown = vec![false; fields.len()];
    let mut failures = Vec::new();
    for (capture, oracle) in &pairs {
        let expected = std::fs::read_to_string(oracle).expect("oracle readable");
        for line in expected.lines().skip(1) {
            for (i, v) in line.split('\t').enumerate() {
                if let Some(s) = shown.get_mut(i) {
                    *s |= !v.is_empty();
                }
            }
        }
        failures.extend(differences(capture, &expected, &fields));
    }
    let never: Vec<&String> = fields
        .iter()
        .zip(&shown)
        .filter(|(f, s)| !**s && *f != "tcp.analysis.window_full")
        .map(|(f, _)| f)
        .collect();
    assert!(never.is_empty(), "no sample shows {never:?}");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Whether tshark is there to ask (it must be when `ZC_REQUIRE_ORACLES=1`, as in CI).
fn tshark_available() -> bool {
    let available = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var("ZC_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "ZC_REQUIRE_ORACLES=1 but tshark is not installed"
        );
        eprintln!("tshark not installed: live differential skipped");
    }
    available
}

#[test]
#[cfg_attr(miri, ignore)]
fn equals_live_tshark_on_every_sample() {
    if tshark_available() {
        assert_live(&fields());
    }
}

/// The payload fields `-e` prints (`tcp.payload`, `udp.payload`, `data.data` as hex,
/// `data.len`): compared with live tshark only, so that no copy of every sample's bytes as
/// hex is committed. Every one of them must show on some frame.
#[test]
#[cfg_attr(miri, ignore)]
fn payload_fields_equal_live_tshark_on_every_sample() {
    if !tshark_available() {
        return;
    }
    let fields: Vec<String> = [
        "frame.number",
        "tcp.payload",
        "udp.payload",
        "data.data",
        "data.len",
    ]
    .map(String::from)
    .to_vec();
    let shown = assert_live(&fields);
    assert!(
        shown.iter().all(|s| *s),
        "a payload field no sample shows: {shown:?}"
    );
}

/// Compares zcdump with live tshark on every sample for `fields`; returns which fields
/// tshark showed on some frame.
fn assert_live(fields: &[String]) -> Vec<bool> {
    let mut shown = vec![false; fields.len()];
    let script = repo_root().join("tests-data/tshark/tshark-fields.sh");
    let mut failures = Vec::new();
    for (capture, _) in samples() {
        let out = Command::new("bash")
            .arg(&script)
            .arg(&capture)
            .args(fields)
            .output()
            .expect("tshark-fields.sh runs");
        assert!(
            out.status.success(),
            "tshark failed on {}",
            capture.display()
        );
        let expected = String::from_utf8(out.stdout).expect("UTF-8");
        for line in expected.lines().skip(1) {
            for (i, v) in line.split('\t').enumerate() {
                if let Some(s) = shown.get_mut(i) {
                    *s |= !v.is_empty();
                }
            }
        }
        failures.extend(differences(&capture, &expected, fields));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    shown
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_wrong_value_is_reported_with_its_frame_and_field() {
    let (capture, oracle) = samples()
        .into_iter()
        .find(|(c, _)| c.ends_with("tcp-analysis-mix.pcap"))
        .expect("tcp-analysis-mix answers");
    let expected = std::fs::read_to_string(oracle).expect("oracle readable");
    // Frame 2's stream index changed from 0 to 7: the comparison must name it.
    let stream = fields()
        .iter()
        .position(|f| f == "tcp.stream")
        .expect("tcp.stream");
    let tampered: String = expected
        .lines()
        .map(|line| {
            let mut cols: Vec<&str> = line.split('\t').collect();
            if cols.first() == Some(&"2") {
                cols[stream] = "7";
            }
            cols.join("\t") + "\n"
        })
        .collect();
    let report = differences(&capture, &tampered, &fields()).expect("a difference");
    assert!(
        report.contains("frame 2, tcp.stream: expected '7', got '0'"),
        "{report}"
    );
}

/// A raw-IP IPv4/TCP segment from 10.0.0.1:`sport` (or back) with the given numbers.
fn segment(from_client: bool, seq: u32, ack: u32, flags: u8, window: u16, len: usize) -> Vec<u8> {
    let (src, dst, sport, dport) = if from_client {
        ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 80u16)
    } else {
        ([10, 0, 0, 2], [10, 0, 0, 1], 80, 40000)
    };
    let total = (20 + 20 + len) as u16;
    let mut ip = vec![0x45, 0];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&[0, 1, 0x40, 0, 64, 6, 0, 0]);
    ip.extend_from_slice(&src);
    ip.extend_from_slice(&dst);
    let sum = zerocast_wire::checksum::checksum(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    let mut tcp = Vec::new();
    tcp.extend_from_slice(&sport.to_be_bytes());
    tcp.extend_from_slice(&dport.to_be_bytes());
    tcp.extend_from_slice(&seq.to_be_bytes());
    tcp.extend_from_slice(&ack.to_be_bytes());
    tcp.extend_from_slice(&[0x50, flags]);
    tcp.extend_from_slice(&window.to_be_bytes());
    tcp.extend_from_slice(&[0, 0, 0, 0]);
    tcp.extend(std::iter::repeat_n(b'w', len));
    ip.extend_from_slice(&tcp);
    ip
}

/// `tcp.analysis.window_full`, which no sample shows: a client fills the server's 1000-byte
/// window (no scaling: the SYNs carry no option) with two 500-byte segments. The second
/// reaches the window's right edge; tshark flags it, and zcdump must flag exactly it (and
/// equal live tshark on every analysis field of the capture when tshark is installed).
#[test]
#[cfg_attr(miri, ignore)]
fn a_segment_reaching_the_window_edge_is_window_full_as_in_tshark() {
    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    const PSH_ACK: u8 = 0x18;
    let frames = [
        segment(true, 100, 0, SYN, 2000, 0),
        segment(false, 500, 101, SYN | ACK, 1000, 0),
        segment(true, 101, 501, ACK, 2000, 0),
        segment(true, 101, 501, PSH_ACK, 2000, 500),
        segment(true, 601, 501, PSH_ACK, 2000, 500),
        segment(false, 501, 1101, ACK, 1000, 0),
    ];
    let records: Vec<common::Record> = frames
        .iter()
        .enumerate()
        .map(|(i, data)| common::Record {
            ts_sec: 1_700_000_000,
            ts_nsec: i as u32 * 1_000_000,
            orig_len: data.len() as u32,
            data: data.clone(),
        })
        .collect();
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zcdump-window-full.pcap");
    std::fs::write(&path, common::write_pcap(&records, 101, false, true)).expect("written");
    let fields = fields();
    let got = zcdump_fields(&path, &fields);
    let column = fields
        .iter()
        .position(|f| f == "tcp.analysis.window_full")
        .expect("window_full listed");
    let flagged: Vec<&str> = got
        .lines()
        .skip(1)
        .filter(|l| l.split('\t').nth(column) == Some("1"))
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(flagged, ["5"], "{got}");
    let available = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if available {
        let out = Command::new("bash")
            .arg(repo_root().join("tests-data/tshark/tshark-fields.sh"))
            .arg(&path)
            .args(&fields)
            .output()
            .expect("tshark-fields.sh runs");
        let expected = String::from_utf8(out.stdout).expect("UTF-8");
        if let Err(report) = compare_tsv(&expected, &got) {
            panic!("window-full capture:\n{report}");
        }
    }
}
