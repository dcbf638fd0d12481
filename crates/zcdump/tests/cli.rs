//! End-to-end behaviour of the command: stdin input, the filter language against the oracle
//! decode, JSON lines, statistics, usage errors and a closed output pipe.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{read_records, sample, write_pcap, zcdump};

fn stdout_of(args: &[&str]) -> String {
    let out = zcdump(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn oracle_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let tsv = std::fs::read_to_string(
        common::repo_root().join("tests-data/tshark/kernel-mix.pcap.fields.tsv"),
    )
    .expect("oracle readable");
    let mut lines = tsv.lines();
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split('\t')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .expect("field in oracle")
}

/// `copies` back-to-back copies of the kernel-mix sample's records, written as a pcap file
/// named `name` in the test scratch dir: its path and its number of frames.
fn repeated_sample(copies: usize, name: &str) -> (std::path::PathBuf, usize) {
    let records = read_records(&sample("kernel-mix.pcap"));
    let many: Vec<_> = (0..copies)
        .flat_map(|_| records.iter())
        .map(|r| common::Record {
            ts_sec: r.ts_sec,
            ts_nsec: r.ts_nsec,
            orig_len: r.orig_len,
            data: r.data.clone(),
        })
        .collect();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, write_pcap(&many, 1, false, false)).expect("written");
    (path, many.len())
}

#[test]
#[cfg_attr(miri, ignore)]
fn stdin_input_equals_file_input_for_both_formats() {
    for name in ["kernel-mix.pcap", "kernel-mix.pcapng"] {
        let path = sample(name);
        let from_file = stdout_of(&["-r", path.to_str().expect("path"), "-T", "jsonl"]);
        let bytes = std::fs::read(&path).expect("sample readable");
        let mut child = Command::new(env!("CARGO_BIN_EXE_zcdump"))
            .args(["-r", "-", "-T", "jsonl"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || stdin.write_all(&bytes));
        let out = child.wait_with_output().expect("wait");
        writer.join().expect("writer thread").expect("write stdin");
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stdout), from_file, "{name}");
        assert_eq!(from_file.lines().count(), 357);
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn filter_selects_the_frames_the_oracle_says_match() {
    let (header, rows) = oracle_rows();
    let flags = column(&header, "tcp.flags");
    let dst = column(&header, "ip.dst");
    let expected: Vec<&str> = rows
        .iter()
        .filter(|r| r[flags] == "0x0002" && r[dst].split(',').any(|a| a == "10.77.0.2"))
        .map(|r| r[0].as_str())
        .collect();
    assert!(!expected.is_empty());
    let got = stdout_of(&[
        "-r",
        sample("kernel-mix.pcap").to_str().expect("path"),
        "-Y",
        "tcp.flags == 0x0002 && ip.dst == 10.77.0.2",
        "-T",
        "fields",
        "-e",
        "frame.number",
    ]);
    assert_eq!(got.lines().collect::<Vec<_>>(), expected);
}

#[test]
#[cfg_attr(miri, ignore)]
fn filter_with_or_not_and_presence_matches_the_oracle() {
    let (header, rows) = oracle_rows();
    let arp = column(&header, "arp.opcode");
    let udp = column(&header, "udp.srcport");
    let ttl = column(&header, "ip.ttl");
    let expected: Vec<&str> = rows
        .iter()
        .filter(|r| {
            let ttl_hit = r[ttl]
                .split(',')
                .any(|t| t.parse::<u32>().is_ok_and(|t| t < 64));
            !r[arp].is_empty() || (!r[udp].is_empty() && !ttl_hit)
        })
        .map(|r| r[0].as_str())
        .collect();
    let got = stdout_of(&[
        "-r",
        sample("kernel-mix.pcap").to_str().expect("path"),
        "-Y",
        "arp || (udp && !(ip.ttl < 64))",
        "-T",
        "fields",
        "-e",
        "frame.number",
    ]);
    assert_eq!(got.lines().collect::<Vec<_>>(), expected);
}

#[test]
#[cfg_attr(miri, ignore)]
fn bad_filter_fails_before_the_input_is_opened() {
    let out = zcdump(&["-r", "/nonexistent/capture.pcap", "-Y", "ip.src == 10.0.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid filter at character 10: 'ip.src' expects an IPv4 address"),
        "{stderr}"
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn unknown_field_and_missing_input_are_clear_errors() {
    let path = sample("kernel-mix.pcap");
    let out = zcdump(&[
        "-r",
        path.to_str().expect("path"),
        "-T",
        "fields",
        "-e",
        "ip.bogus",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field 'ip.bogus'"));
    let out = zcdump(&["-r", "/nonexistent/capture.pcap"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot open '/nonexistent/capture.pcap'")
    );
}

/// Runs zcdump expecting failure with `code`; returns its stderr.
fn failure(args: &[&str], code: i32) -> String {
    let out = zcdump(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_mistyped_field_name_gets_the_nearest_known_one_suggested() {
    let path = sample("kernel-mix.pcap");
    let path = path.to_str().expect("path");
    let e = failure(&["-r", path, "-T", "fields", "-e", "ip.sorc"], 2);
    assert!(
        e.contains("unknown field 'ip.sorc' in -e (did you mean 'ip.src'?)"),
        "{e}"
    );
    let e = failure(&["-r", path, "-Y", "ip.tll < 64"], 2);
    assert!(
        e.contains("unknown field 'ip.tll' (did you mean 'ip.ttl'?)"),
        "{e}"
    );
    // The expression is shown with a caret under the fault.
    assert!(e.contains("\n  ip.tll < 64\n  ^"), "{e}");
    // Nothing close: no guess.
    let e = failure(&["-r", path, "-Y", "colour == 3"], 2);
    assert!(
        e.contains("unknown field 'colour'") && !e.contains("did you mean"),
        "{e}"
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn options_that_would_be_silently_ignored_are_usage_errors() {
    let path = sample("kernel-mix.pcap");
    let path = path.to_str().expect("path");
    // tshark's habit: -e without -T fields would otherwise print text lines.
    let e = failure(&["-r", path, "-e", "ip.src"], 2);
    assert!(e.contains("add -T fields"), "{e}");
    let e = failure(&["-r", path, "--stats", "-T", "fields", "-e", "ip.src"], 2);
    assert!(
        e.contains("--stats prints a report instead of frames"),
        "{e}"
    );
    let e = failure(&["-r", path, "--stats", "-T", "jsonl"], 2);
    assert!(e.contains("-T and -e do not apply"), "{e}");
    let e = failure(&["-r", path, "-E", "header=y"], 2);
    assert!(e.contains("-E options shape -T fields output only"), "{e}");
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_directory_is_not_reported_as_a_malformed_capture() {
    let dir = env!("CARGO_TARGET_TMPDIR");
    let e = failure(&["-r", dir], 1);
    assert!(
        e.contains(&format!(
            "cannot open '{dir}': it is a directory, not a capture file"
        )),
        "{e}"
    );
    assert!(!e.contains("malformed"), "{e}");
}

#[test]
#[cfg_attr(miri, ignore)]
fn jsonl_objects_carry_the_same_values_as_fields_output() {
    let path = sample("kernel-mix.pcap");
    let p = path.to_str().expect("path");
    let names = [
        "frame.number",
        "ip.src",
        "ipv6.dst",
        "tcp.flags",
        "ip.version",
    ];
    let mut args = vec!["-r", p, "-T", "fields"];
    for n in names {
        args.extend(["-e", n]);
    }
    let fields = stdout_of(&args);
    args[3] = "jsonl";
    let jsonl = stdout_of(&args);
    for (tsv, json) in fields.lines().zip(jsonl.lines()) {
        let obj: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        for (name, text) in names.iter().zip(tsv.split('\t')) {
            let from_json = match obj.get(name) {
                None => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|v| v.as_str().expect("string occurrences"))
                    .collect::<Vec<_>>()
                    .join(","),
                Some(other) => panic!("unexpected JSON value {other}"),
            };
            assert_eq!(from_json, text, "{name} in {json}");
        }
    }
    assert_eq!(jsonl.lines().count(), 357);
}

#[test]
#[cfg_attr(miri, ignore)]
fn stats_counts_every_frame_and_the_oracle_bad_checksums() {
    let (header, rows) = oracle_rows();
    let bad = rows
        .iter()
        .map(|r| {
            header
                .iter()
                .zip(r)
                .filter(|(h, _)| h.ends_with("checksum.status"))
                .map(|(_, v)| v.split(',').filter(|s| *s == "0").count())
                .sum::<usize>()
        })
        .sum::<usize>();
    let bytes: u64 = rows
        .iter()
        .map(|r| r[1].parse::<u64>().expect("frame.len"))
        .sum();
    let out = stdout_of(&[
        "-r",
        sample("kernel-mix.pcap").to_str().expect("path"),
        "--stats",
    ]);
    assert!(out.contains("Protocol Hierarchy Statistics"), "{out}");
    assert!(
        out.contains(&format!("{:<41}frames:{} bytes:{bytes}", "eth", rows.len())),
        "{out}"
    );
    assert!(out.contains(&format!("Bad checksums: {bad} ")), "{out}");
    assert!(out.contains("Malformed frames: 0"), "{out}");
    assert!(out.contains("\nIPv4 Conversations\n"), "{out}");
}

#[test]
#[cfg_attr(miri, ignore)]
fn text_output_has_one_line_per_frame_with_addresses() {
    let (header, rows) = oracle_rows();
    let src = column(&header, "ip.src");
    let out = stdout_of(&["-r", sample("kernel-mix.pcap").to_str().expect("path")]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), rows.len());
    for (line, row) in lines.iter().zip(&rows) {
        if let Some(first) = row[src].split(',').next().filter(|s| !s.is_empty()) {
            assert!(line.contains(first), "{line} lacks {first}");
        }
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn closed_output_pipe_ends_quietly() {
    // A capture big enough that zcdump is still writing when `head` exits.
    let (path, _) = repeated_sample(40, "zcdump-pipe.pcap");
    let script = format!(
        "'{}' -r '{}' | head -n 2 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_zcdump"),
        path.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .expect("bash");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[cfg_attr(miri, ignore)]
fn count_limits_frames_and_header_option_prints_names() {
    let out = stdout_of(&[
        "-r",
        sample("kernel-mix.pcapng").to_str().expect("path"),
        "-c",
        "3",
        "-T",
        "fields",
        "-E",
        "header=y",
        "-E",
        "separator=,",
        "-e",
        "frame.number",
        "-e",
        "eth.type",
    ]);
    assert_eq!(out, "frame.number,eth.type\n1,0x86dd\n2,0x86dd\n3,0x86dd\n");
}

#[test]
#[cfg_attr(miri, ignore)]
fn stats_are_the_same_from_stdin_and_for_any_thread_count() {
    // Enough copies of the sample that --stats reads several batches.
    let (path, frames) = repeated_sample(60, "zcdump-stats-threads.pcap");
    let file = path.to_str().expect("path");
    let one = stdout_of(&["-r", file, "--stats", "--threads", "1"]);
    assert!(one.contains(&format!("Frames: {frames} ")), "{one}");
    for threads in ["2", "3"] {
        assert_eq!(
            stdout_of(&["-r", file, "--stats", "--threads", threads]),
            one
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_zcdump"))
        .args(["-r", "-", "--stats"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let bytes = std::fs::read(&path).expect("written");
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer thread").expect("write stdin");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), one);
    let counted = stdout_of(&["-r", file, "--stats", "-c", "1000", "-Y", "tcp"]);
    assert!(counted.contains("Filter: tcp"), "{counted}");
    let tcp_in_first_1000 = stdout_of(&["-r", file, "-c", "1000", "-Y", "tcp"])
        .lines()
        .count();
    assert!(
        counted.contains(&format!("Frames: {tcp_in_first_1000} ")),
        "{counted}"
    );
}
