//! `-Y` with every output mode and `--threads`: filters that read the conversation table
//! (stream indices, TCP analysis, times) depend on every earlier frame, so the answer must
//! not depend on how many threads dissect. For the samples with streams and every output mode
//! (`text`, `fields` with analysis columns, `jsonl`, `--stats`) the output with
//! `--threads 2` and `--threads 4` must equal the output with `--threads 1`, and the
//! `fields` output must select the frames the committed tshark answers name.

use std::path::{Path, PathBuf};

use clap::Parser;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Filters that read earlier frames, with and without stateless terms.
const FILTERS: [&str; 4] = [
    "tcp.analysis.flags || udp.stream == 1",
    "tcp.stream == 0 && tcp.len > 0",
    "frame.time_delta_displayed >= 0.02 || frame.number == 1",
    "tcp.analysis.bytes_in_flight > 100 || tcp.analysis.acks_frame",
];

fn run(capture: &Path, extra: &[&str], filter: &str, threads: usize) -> Vec<u8> {
    let threads = threads.to_string();
    let mut args = vec![
        "zcdump",
        "-r",
        capture.to_str().expect("UTF-8 path"),
        "-Y",
        filter,
        "--threads",
        &threads,
    ];
    args.extend_from_slice(extra);
    let args = zcdump::cli::Args::try_parse_from(args).expect("arguments parse");
    let mut out = Vec::new();
    zcdump::run::run(&args, &mut out).expect("runs");
    out
}

/// The samples with TCP and UDP streams, retransmissions, cut headers and tunnels (the
/// others add link types, which the conversation table does not see).
fn samples() -> Vec<PathBuf> {
    [
        "tcp-analysis-mix.pcap",
        "kernel-mix.pcap",
        "kernel-mix-snap80.pcap",
        "app-http.pcap",
        "claimed-layer-edges.pcap",
        "tunnels.pcap",
    ]
    .iter()
    .map(|s| repo_root().join("samples").join(s))
    .collect()
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_mode_gives_the_same_frames_for_any_thread_count() {
    let modes: [&[&str]; 4] = [
        &[],
        &[
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "tcp.stream",
            "-e",
            "tcp.analysis.bytes_in_flight",
            "-e",
            "frame.time_delta_displayed",
        ],
        &["-T", "jsonl", "-e", "frame.number", "-e", "udp.stream"],
        &["--stats"],
    ];
    let mut compared = 0;
    for capture in samples() {
        for filter in FILTERS {
            for mode in modes {
                let one = run(&capture, mode, filter, 1);
                for threads in [2, 4] {
                    assert_eq!(
                        run(&capture, mode, filter, threads),
                        one,
                        "{} -Y '{filter}' {mode:?} --threads {threads}",
                        capture.display()
                    );
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 6 * FILTERS.len() * modes.len());
}

#[test]
#[cfg_attr(miri, ignore)]
fn stats_count_the_frames_tshark_selects() {
    // tcp-analysis-mix: the committed tshark answer for the first filter.
    let capture = repo_root().join("samples/tcp-analysis-mix.pcap");
    let answers = std::fs::read_to_string(
        repo_root().join("tests-data/filters/tcp-analysis-mix.pcap.frames.tsv"),
    )
    .expect("answers");
    let expr = "tcp.stream == 1 && tcp.analysis.flags";
    let frames = answers
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{expr}\t")))
        .expect("answer for the expression");
    let expected = frames.split_whitespace().count();
    assert!(expected > 0);
    for threads in [1, 2, 4] {
        let report = String::from_utf8(run(&capture, &["--stats"], expr, threads)).expect("UTF-8");
        assert!(
            report.contains(&format!("Frames: {expected} ")),
            "--threads {threads}: {report}"
        );
    }
}
