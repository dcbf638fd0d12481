//! `--follow` against tshark 4.0's `-q -z follow,...`: for every case in
//! `tests-data/follow/cases.txt` (TCP and UDP, ascii and raw, IPv4 and IPv6, retransmitted,
//! out-of-order and snapshot-cut segments, a stream that does not exist) zcdump prints
//! exactly tshark's report. Oracles: the committed `tests-data/follow/CAPTURE.SPEC.txt`
//! (made by `tshark-follow.sh`), and a live tshark run of every case when tshark is
//! installed (mandatory when `ZC_REQUIRE_ORACLES=1`). No allowed differences.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::repo_root;

fn follow_dir() -> PathBuf {
    repo_root().join("tests-data/follow")
}

/// (capture, spec) of every case.
fn cases() -> Vec<(String, String)> {
    std::fs::read_to_string(follow_dir().join("cases.txt"))
        .expect("cases.txt readable")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .map(|(c, s)| (c.to_string(), s.to_string()))
        .collect()
}

fn zcdump_follow(capture: &str, spec: &str) -> String {
    let out = common::zcdump(&[
        "-r",
        &repo_root()
            .join("samples")
            .join(capture)
            .display()
            .to_string(),
        "--follow",
        spec,
    ]);
    assert!(out.status.success(), "{capture} {spec}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn first_difference(expected: &str, got: &str) -> Option<String> {
    if expected == got {
        return None;
    }
    let line = expected
        .lines()
        .zip(got.lines())
        .position(|(e, g)| e != g)
        .unwrap_or_else(|| expected.lines().count().min(got.lines().count()));
    Some(format!(
        "line {}: expected {:?}, got {:?}",
        line + 1,
        expected.lines().nth(line),
        got.lines().nth(line)
    ))
}

#[test]
#[cfg_attr(miri, ignore)]
fn prints_the_committed_tshark_reports() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (capture, spec) in &cases {
        let file = follow_dir().join(format!("{capture}.{}.txt", spec.replace(',', "-")));
        let expected = std::fs::read_to_string(&file).expect("committed report");
        assert!(
            expected.contains("Follow: "),
            "{} is not a report",
            file.display()
        );
        if let Some(d) = first_difference(&expected, &zcdump_follow(capture, spec)) {
            failures.push(format!("{capture} {spec}: {d}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
#[cfg_attr(miri, ignore)]
fn prints_what_live_tshark_prints() {
    let available = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var("ZC_REQUIRE_ORACLES").as_deref() != Ok("1"),
            "ZC_REQUIRE_ORACLES=1 but tshark is not installed"
        );
        eprintln!("tshark not installed: live follow differential skipped");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("zcdump-follow-live");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let status = Command::new("bash")
        .arg(follow_dir().join("tshark-follow.sh"))
        .arg(&dir)
        .status()
        .expect("tshark-follow.sh runs");
    assert!(status.success());
    let mut failures = Vec::new();
    for (capture, spec) in cases() {
        let file = dir.join(format!("{capture}.{}.txt", spec.replace(',', "-")));
        let expected = std::fs::read_to_string(&file).expect("live report");
        if let Some(d) = first_difference(&expected, &zcdump_follow(&capture, &spec)) {
            failures.push(format!("{capture} {spec}: {d}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_changed_record_is_reported_with_its_line() {
    let report = "\n====\nFollow: tcp,raw\n6869\n====\n";
    let d = first_difference(report, &report.replace("6869", "6870")).expect("differs");
    assert_eq!(d, "line 4: expected Some(\"6869\"), got Some(\"6870\")");
}

#[test]
#[cfg_attr(miri, ignore)]
fn a_display_filter_does_not_narrow_the_followed_stream() {
    // tshark's follow is a tap: it hears every frame, whatever -Y prints.
    let capture = repo_root().join("samples/tcp-analysis-mix.pcap");
    let capture = capture.display().to_string();
    let all = common::zcdump(&["-r", &capture, "--follow", "tcp,ascii,0"]);
    let filtered = common::zcdump(&[
        "-r",
        &capture,
        "-Y",
        "frame.number < 5",
        "--follow",
        "tcp,ascii,0",
    ]);
    assert!(String::from_utf8_lossy(&all.stdout).contains("\n100\n"));
    assert_eq!(filtered.stdout, all.stdout);
}
