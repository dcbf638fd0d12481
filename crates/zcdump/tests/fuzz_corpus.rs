//! Replays every committed fuzz corpus input (`fuzz/zcdump/corpus/<target>/`) of every
//! fuzz/zcdump target through the same bodies cargo-fuzz runs (`fuzz/zcdump/src/bodies.rs`),
//! so plain `cargo test` keeps every input that ever mattered passing without nightly or
//! libFuzzer. The target list is read from fuzz/zcdump/Cargo.toml, so a new target (or
//! corpus directory) without a replay here fails the test instead of being skipped.

mod bodies {
    include!("../../../fuzz/zcdump/src/bodies.rs");
}

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

type Body = fn(&[u8]);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/zcdump")
}

/// The `[[bin]]` names of a cargo-fuzz crate's manifest: its fuzz targets.
fn fuzz_targets(manifest: &str) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if let (true, Some(value)) = (in_bin, line.strip_prefix("name = ")) {
            targets.insert(value.trim_matches('"').to_string());
        }
    }
    targets
}

/// Runs `body` on each corpus input of `target` and on its prefixes of length 0, `stride`,
/// 2 * `stride`, ... (a capture or frame cut short is the commonest malformation). Returns
/// the number of inputs.
fn replay(target: &str, body: Body, stride: usize) -> usize {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("corpus directory entry").path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        body(&data);
        for cut in (0..data.len()).step_by(stride) {
            body(&data[..cut]);
        }
        inputs += 1;
    }
    inputs
}

const BODIES: [(&str, Body); 3] = [
    ("capture_reader", bodies::fuzz_capture_reader),
    ("dissect_frame", bodies::fuzz_dissect_frame),
    ("filter_parse", bodies::fuzz_filter_parse),
];

#[test]
#[cfg_attr(miri, ignore)]
fn every_fuzz_target_has_a_replay_and_a_corpus() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("manifest");
    let replayed: BTreeSet<String> = BODIES.iter().map(|(t, _)| t.to_string()).collect();
    assert_eq!(
        fuzz_targets(&manifest),
        replayed,
        "fuzz targets without a replay here: give each a body in the fuzz crate's \
         src/ (shared by include!) and replay it in this file"
    );
    let corpora: BTreeSet<String> = std::fs::read_dir(fuzz_dir().join("corpus"))
        .expect("corpus directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        corpora, replayed,
        "corpus directories and fuzz targets differ"
    );
}

/// Whole inputs and every 29th prefix, not every prefix: once a capture header parses, one
/// run of this body costs about 2.5 ms in a test (debug) build (it opens two readers and
/// builds batch buffers and two statistics tables), so all 63,000 prefixes took 526 s on the
/// shared two-core machine. A prime stride puts the cuts at changing offsets within the
/// 16-byte pcap and 28-byte pcapng record headers; the CI fuzz smoke run explores further.
#[test]
#[cfg_attr(miri, ignore)]
fn committed_capture_reader_corpus_passes() {
    let (target, body) = BODIES[0];
    assert!(replay(target, body, 29) > 0, "{target}: empty corpus");
}

/// Whole inputs and every prefix (about 28,000 runs, some seconds in a debug build).
#[test]
#[cfg_attr(miri, ignore)]
fn committed_dissect_frame_corpus_passes() {
    let (target, body) = BODIES[1];
    assert!(replay(target, body, 1) > 0, "{target}: empty corpus");
}

#[test]
fn fuzz_targets_are_read_from_bin_sections_only() {
    let manifest = "[package]\nname = \"crate\"\n[[bin]]\nname = \"a\"\npath = \"x\"\n\
                    [dependencies]\nname = \"no\"\n[[bin]]\nname = \"b\"\n";
    let expected: BTreeSet<String> = ["a", "b"].map(String::from).into();
    assert_eq!(fuzz_targets(manifest), expected);
}

/// Whole inputs and every prefix (filter texts of a few dozen bytes).
#[test]
#[cfg_attr(miri, ignore)]
fn committed_filter_parse_corpus_passes() {
    let (target, body) = BODIES[2];
    assert!(replay(target, body, 1) > 0, "{target}: empty corpus");
}
