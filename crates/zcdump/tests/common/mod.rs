//! Helpers shared by the integration tests: locating the repository, running the zcdump
//! binary, comparing field tables, and writing capture variants (other link types, byte
//! orders, timestamp resolutions, pcapng layouts) of the bundled samples.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zcdump::capture::CaptureReader;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn sample(name: &str) -> PathBuf {
    repo_root().join("samples").join(name)
}

/// The field list the oracle decodes were made with.
pub fn oracle_fields() -> Vec<String> {
    std::fs::read_to_string(repo_root().join("tests-data/tshark/fields.txt"))
        .expect("fields.txt readable")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn zcdump(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zcdump"))
        .args(args)
        .output()
        .expect("zcdump runs")
}

/// zcdump's `-T fields -E header=y` output for `fields`.
pub fn zcdump_fields(capture: &Path, fields: &[String]) -> String {
    let mut args = vec![
        "-r".to_string(),
        capture.display().to_string(),
        "-T".into(),
        "fields".into(),
        "-E".into(),
        "header=y".into(),
    ];
    for f in fields {
        args.push("-e".into());
        args.push(f.clone());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_zcdump"))
        .args(&args)
        .output()
        .expect("zcdump runs");
    assert!(
        out.status.success(),
        "zcdump failed on {}: {}",
        capture.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("zcdump prints UTF-8")
}

/// Compares two `-T fields -E header=y` tables; the error lists every difference.
pub fn compare_tsv(expected: &str, got: &str) -> Result<(), String> {
    let exp: Vec<Vec<&str>> = expected.lines().map(|l| l.split('\t').collect()).collect();
    let act: Vec<Vec<&str>> = got.lines().map(|l| l.split('\t').collect()).collect();
    let mut report = String::new();
    if exp.first() != act.first() {
        let _ = writeln!(
            report,
            "header differs: expected {:?}, got {:?}",
            exp.first(),
            act.first()
        );
        return Err(report);
    }
    let header = exp.first().cloned().unwrap_or_default();
    if exp.len() != act.len() {
        let _ = writeln!(
            report,
            "frame count differs: expected {}, got {}",
            exp.len().saturating_sub(1),
            act.len().saturating_sub(1)
        );
    }
    let mut differing = 0;
    let mut per_field = vec![0usize; header.len()];
    for (row_e, row_a) in exp.iter().zip(&act).skip(1) {
        let frame = row_e.first().copied().unwrap_or("?");
        for (i, name) in header.iter().enumerate() {
            let e = row_e.get(i).copied().unwrap_or("");
            let a = row_a.get(i).copied().unwrap_or("");
            if e != a {
                differing += 1;
                per_field[i] += 1;
                if differing <= 60 {
                    let _ = writeln!(report, "frame {frame}, {name}: expected '{e}', got '{a}'");
                }
            }
        }
    }
    if differing > 60 {
        let _ = writeln!(report, "... {} more differences", differing - 60);
    }
    if differing > 0 {
        let summary: Vec<String> = header
            .iter()
            .zip(&per_field)
            .filter(|(_, n)| **n > 0)
            .map(|(name, n)| format!("{name}: {n}"))
            .collect();
        let _ = writeln!(report, "frames differing per field: {}", summary.join(", "));
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

/// One record of a capture, owned.
pub struct Record {
    pub ts_sec: u64,
    pub ts_nsec: u32,
    pub orig_len: u32,
    pub data: Vec<u8>,
}

pub fn read_records(path: &Path) -> Vec<Record> {
    let file = std::fs::File::open(path).expect("capture opens");
    let mut reader = CaptureReader::open(file).expect("capture header parses");
    let mut records = Vec::new();
    while let Some(p) = reader.next_packet().expect("capture is well formed") {
        records.push(Record {
            ts_sec: p.ts_sec,
            ts_nsec: p.ts_nsec,
            orig_len: p.orig_len,
            data: p.data.to_vec(),
        });
    }
    records
}

/// Writes a classic pcap file with the given byte order and timestamp resolution.
pub fn write_pcap(records: &[Record], link_type: u32, big_endian: bool, nanos: bool) -> Vec<u8> {
    let w32 = |out: &mut Vec<u8>, v: u32| {
        out.extend_from_slice(&if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        })
    };
    let w16 = |out: &mut Vec<u8>, v: u16| {
        out.extend_from_slice(&if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        })
    };
    let mut out = Vec::new();
    w32(&mut out, if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 });
    w16(&mut out, 2);
    w16(&mut out, 4);
    w32(&mut out, 0);
    w32(&mut out, 0);
    w32(&mut out, 262_144);
    w32(&mut out, link_type);
    for r in records {
        w32(&mut out, r.ts_sec as u32);
        w32(&mut out, if nanos { r.ts_nsec } else { r.ts_nsec / 1000 });
        w32(&mut out, r.data.len() as u32);
        w32(&mut out, r.orig_len);
        out.extend_from_slice(&r.data);
    }
    out
}

/// A pcapng block with the given body, padded, in the given byte order.
pub fn pcapng_block(block_type: u32, body: &[u8], big_endian: bool) -> Vec<u8> {
    let w32 = |v: u32| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let padded = body.len().div_ceil(4) * 4;
    let total = (12 + padded) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(&w32(block_type));
    out.extend_from_slice(&w32(total));
    out.extend_from_slice(body);
    out.resize(8 + padded, 0);
    out.extend_from_slice(&w32(total));
    out
}

pub fn shb_body(big_endian: bool) -> Vec<u8> {
    let mut b = Vec::new();
    if big_endian {
        b.extend_from_slice(&0x1a2b_3c4du32.to_be_bytes());
        b.extend_from_slice(&1u16.to_be_bytes());
        b.extend_from_slice(&0u16.to_be_bytes());
    } else {
        b.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
    }
    b.extend_from_slice(&[0xff; 8]); // section length unknown
    b
}

/// An interface description body; `tsresol` adds an `if_tsresol` option.
pub fn idb_body(link_type: u16, snaplen: u32, tsresol: Option<u8>, big_endian: bool) -> Vec<u8> {
    let mut b = Vec::new();
    let (lt, sl) = if big_endian {
        (link_type.to_be_bytes(), snaplen.to_be_bytes())
    } else {
        (link_type.to_le_bytes(), snaplen.to_le_bytes())
    };
    b.extend_from_slice(&lt);
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&sl);
    if let Some(r) = tsresol {
        let (code, len) = if big_endian {
            (9u16.to_be_bytes(), 1u16.to_be_bytes())
        } else {
            (9u16.to_le_bytes(), 1u16.to_le_bytes())
        };
        b.extend_from_slice(&code);
        b.extend_from_slice(&len);
        b.extend_from_slice(&[r, 0, 0, 0]);
        b.extend_from_slice(&[0, 0, 0, 0]); // opt_endofopt
    }
    b
}

/// An enhanced packet body with a timestamp in `units`.
pub fn epb_body(interface: u32, ts_units: u64, r: &Record, big_endian: bool) -> Vec<u8> {
    let w32 = |v: u32| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut b = Vec::new();
    b.extend_from_slice(&w32(interface));
    b.extend_from_slice(&w32((ts_units >> 32) as u32));
    b.extend_from_slice(&w32(ts_units as u32));
    b.extend_from_slice(&w32(r.data.len() as u32));
    b.extend_from_slice(&w32(r.orig_len));
    b.extend_from_slice(&r.data);
    b
}

/// Re-frames Ethernet records for another link type (frames it cannot carry are dropped).
pub fn relink(records: &[Record], link_type: u32) -> Vec<Record> {
    let mut out = Vec::new();
    for r in records {
        let Some(eth) = r.data.get(..14) else {
            continue;
        };
        let ethertype = [eth[12], eth[13]];
        let payload = &r.data[14..];
        let header: Vec<u8> = match link_type {
            101 if ethertype == [0x08, 0x00] || ethertype == [0x86, 0xdd] => Vec::new(),
            101 => continue,
            113 => {
                let mut h = vec![0, 0, 0, 1, 0, 6];
                h.extend_from_slice(&eth[6..12]);
                h.extend_from_slice(&[0, 0]);
                h.extend_from_slice(&ethertype);
                h
            }
            276 => {
                let mut h = ethertype.to_vec();
                h.extend_from_slice(&[0, 0, 0, 0, 0, 2, 0, 1, 0, 6]);
                h.extend_from_slice(&eth[6..12]);
                h.extend_from_slice(&[0, 0]);
                h
            }
            _ => continue,
        };
        let mut data = header.clone();
        data.extend_from_slice(payload);
        let orig_len = (r.orig_len + header.len() as u32).saturating_sub(14);
        out.push(Record {
            ts_sec: r.ts_sec,
            ts_nsec: r.ts_nsec,
            orig_len,
            data,
        });
    }
    out
}

/// Captures derived from the bundled samples that exercise every supported link type, both
/// byte orders, nanosecond timestamps and multi-interface pcapng (written once per test run
/// into the target's temporary directory).
pub fn generated_link_type_captures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zcdump-variants");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut made = Vec::new();
    for base in ["kernel-mix.pcap", "kernel-mix-snap80.pcap"] {
        let records = read_records(&sample(base));
        let stem = base.trim_end_matches(".pcap");
        let mut emit = |name: String, bytes: Vec<u8>| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).expect("variant written");
            made.push(path);
        };
        emit(
            format!("{stem}-be-nanos.pcap"),
            write_pcap(&records, 1, true, true),
        );
        for lt in [101u32, 113, 276] {
            emit(
                format!("{stem}-linktype{lt}.pcap"),
                write_pcap(&relink(&records, lt), lt, false, false),
            );
        }
        // Big-endian pcapng: Ethernet and raw-IP interfaces interleaved, a block zcdump does
        // not read (an interface statistics block) between them, nanosecond resolution on
        // the second interface.
        let raw = relink(&records, 101);
        let mut png = pcapng_block(0x0a0d_0d0a, &shb_body(true), true);
        png.extend(pcapng_block(1, &idb_body(1, 262_144, None, true), true));
        png.extend(pcapng_block(
            1,
            &idb_body(101, 262_144, Some(9), true),
            true,
        ));
        png.extend(pcapng_block(5, &[0; 12], true));
        for (i, r) in records.iter().enumerate() {
            let us = r.ts_sec * 1_000_000 + u64::from(r.ts_nsec / 1000);
            png.extend(pcapng_block(6, &epb_body(0, us, r, true), true));
            if let Some(rr) = raw.get(i) {
                let ns = rr.ts_sec * 1_000_000_000 + u64::from(rr.ts_nsec);
                png.extend(pcapng_block(6, &epb_body(1, ns, rr, true), true));
            }
        }
        emit(format!("{stem}-be-two-interfaces.pcapng"), png);
    }
    made
}
