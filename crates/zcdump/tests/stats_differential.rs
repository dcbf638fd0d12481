//! The statistics differential: on every sample capture, `zcdump --stats` prints the protocol
//! hierarchy and the Ethernet, IPv4, IPv6, TCP and UDP conversation tables exactly as tshark
//! 4.0 prints `-q -z io,phs -z conv,eth -z conv,ip -z conv,ipv6 -z conv,tcp -z conv,udp`
//! (frames and bytes per protocol; per conversation each direction's frames and bytes, the
//! relative start and the duration), line for line.
//!
//! The oracle is the committed answers `tests-data/stats/<capture>.stats.txt`, made by
//! `tests-data/stats/tshark-stats.sh --all` (tshark's preferences there are those of the other
//! differentials: no reassembly, checksums checked; MAC addresses unnamed). Every sample
//! needs an answer: a new sample fails here until the script has answered for it. With
//! `ZC_LIVE_STATS=1` and tshark installed, each answer is also checked against a live run.
//! The report does not depend on `--threads`; both one and three threads are compared.
//!
//! The conversation tables must be equal on every sample. The hierarchy must be equal but
//! for the lines in `KNOWN` (none now), each with its reason. Each must still occur: a
//! fixed one fails the test until it leaves the list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn answers_dir() -> PathBuf {
    repo_root().join("tests-data/stats")
}

/// Every sample capture, sorted.
fn samples() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(repo_root().join("samples"))
        .expect("samples/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    found.sort();
    found
}

/// Hierarchy lines that differ, by capture: `-` a line only tshark prints, `+` one only
/// zcdump prints.
const KNOWN: &[(&str, &str)] = &[
    // Empty: every sample's hierarchy is tshark's. A difference that cannot be fixed yet
    // goes here as (capture, line) with its reason.
];

/// The hierarchy lines (`name  frames:N bytes:M`, indented) of a report, and the rest.
fn split_report(text: &str) -> (Vec<&str>, String) {
    let mut hierarchy = Vec::new();
    let mut rest = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("Protocol Hierarchy Statistics") {
            inside = true;
        } else if inside && line.starts_with('=') {
            inside = false;
        } else if inside && line.contains(" frames:") {
            hierarchy.push(line);
            continue;
        }
        rest.push_str(line);
        rest.push('\n');
    }
    (hierarchy, rest)
}

/// The hierarchy lines only in `want` (`-`) and only in `got` (`+`), as multisets.
fn hierarchy_difference(want: &[&str], got: &[&str]) -> BTreeSet<String> {
    let count = |lines: &[&str]| {
        let mut m: BTreeMap<String, i64> = BTreeMap::new();
        for l in lines {
            *m.entry((*l).to_string()).or_default() += 1;
        }
        m
    };
    let (w, g) = (count(want), count(got));
    let mut out = BTreeSet::new();
    for (line, n) in &w {
        for i in 0..(n - g.get(line).copied().unwrap_or(0)) {
            out.insert(format!(
                "-{line}{}",
                if i > 0 {
                    format!(" #{i}")
                } else {
                    String::new()
                }
            ));
        }
    }
    for (line, n) in &g {
        for i in 0..(n - w.get(line).copied().unwrap_or(0)) {
            out.insert(format!(
                "+{line}{}",
                if i > 0 {
                    format!(" #{i}")
                } else {
                    String::new()
                }
            ));
        }
    }
    out
}

/// zcdump's report up to its own footer (malformed and checksum counts), which tshark does
/// not print.
fn zcdump_report(capture: &Path, threads: &str) -> String {
    let capture = capture.to_str().expect("UTF-8 path");
    let args = zcdump::cli::Args::try_parse_from([
        "zcdump",
        "-r",
        capture,
        "--stats",
        "--threads",
        threads,
    ])
    .expect("arguments parse");
    let mut out = Vec::new();
    zcdump::run::run(&args, &mut out).unwrap_or_else(|e| panic!("{capture}: {e}"));
    let text = String::from_utf8(out).expect("UTF-8 output");
    let footer = text.find("\nFrames: ").expect("the footer");
    // Drop the rule before the footer too.
    let body = &text[..footer];
    let body = body.rsplit_once('\n').map_or(body, |(b, _)| b);
    format!("{body}\n")
}

/// The lines of `want` and `got` that differ, as a short diff (at most 12 lines).
fn line_diff(want: &str, got: &str) -> Vec<String> {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = Vec::new();
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a != b {
            out.push(format!(
                "  line {}: tshark {:?}\n           zcdump {:?}",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            ));
        }
        if out.len() == 12 {
            out.push("  ...".into());
            break;
        }
    }
    out
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_sample_has_an_answer_and_the_report_equals_it_for_one_and_three_threads() {
    let samples = samples();
    assert!(samples.len() >= 10, "{samples:?}");
    let mut failures = Vec::new();
    for capture in &samples {
        let name = capture.file_name().and_then(|n| n.to_str()).expect("name");
        let answer = answers_dir().join(format!("{name}.stats.txt"));
        let Ok(want) = std::fs::read_to_string(&answer) else {
            failures.push(format!(
                "{name}: no answer; run tests-data/stats/tshark-stats.sh --all"
            ));
            continue;
        };
        let one = zcdump_report(capture, "1");
        let ((want_tree, want_rest), (got_tree, got_rest)) =
            (split_report(&want), split_report(&one));
        let diff = line_diff(&want_rest, &got_rest);
        if !diff.is_empty() {
            failures.push(format!("{name}: conversation tables\n{}", diff.join("\n")));
        }
        let known: BTreeSet<String> = KNOWN
            .iter()
            .filter(|(c, _)| *c == name)
            .map(|(_, l)| (*l).to_string())
            .collect();
        let differing = hierarchy_difference(&want_tree, &got_tree);
        for line in differing.difference(&known) {
            failures.push(format!("{name}: hierarchy {line:?}"));
        }
        for line in known.difference(&differing) {
            failures.push(format!(
                "{name}: known difference {line:?} no longer occurs; remove it from KNOWN"
            ));
        }
        assert_eq!(zcdump_report(capture, "3"), one, "{name}: three threads");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// By hand: `ZC_LIVE_STATS=1 cargo test -p zcdump --test stats_differential` checks that the
/// committed answers are what the installed tshark says now.
#[test]
#[cfg_attr(miri, ignore)]
fn committed_answers_are_what_tshark_says() {
    if std::env::var_os("ZC_LIVE_STATS").is_none() {
        eprintln!("skipped: set ZC_LIVE_STATS=1 to compare the answers with a live tshark");
        return;
    }
    let script = answers_dir().join("tshark-stats.sh");
    for capture in samples() {
        let name = capture.file_name().and_then(|n| n.to_str()).expect("name");
        let out = Command::new(&script)
            .arg(&capture)
            .output()
            .expect("tshark-stats.sh runs");
        assert!(out.status.success(), "{name}: tshark failed");
        let live = String::from_utf8(out.stdout).expect("UTF-8");
        let committed = std::fs::read_to_string(answers_dir().join(format!("{name}.stats.txt")))
            .unwrap_or_default();
        assert_eq!(
            live, committed,
            "{name}: regenerate with tshark-stats.sh --all"
        );
    }
}
