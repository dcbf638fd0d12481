//! Replays every committed fuzz corpus input (`fuzz/wire/corpus/<target>/`) of every
//! fuzz/wire target through the same bodies cargo-fuzz runs (`fuzz/wire/src/bodies.rs` and
//! `build_parse.rs`), so plain `cargo test` keeps every input that ever mattered passing
//! without nightly or libFuzzer. The target list is read from fuzz/wire/Cargo.toml, so a new
//! target (or corpus directory) without a replay here fails the test instead of being
//! skipped.

mod bodies {
    include!("../../../fuzz/wire/src/bodies.rs");
}
mod build_parse {
    include!("../../../fuzz/wire/src/build_parse.rs");
}

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};

type Body = fn(&[u8]);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/wire")
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

/// The structure-aware target's input decoding, as libfuzzer-sys's `fuzz_target!` does it
/// for a typed closure: inputs shorter than the type's minimum size or that do not decode
/// are not run. Returns whether the body ran.
fn build_parse_from_bytes(data: &[u8]) -> bool {
    if data.len() < build_parse::FrameSpec::size_hint(0).0 {
        return false;
    }
    match build_parse::FrameSpec::arbitrary_take_rest(Unstructured::new(data)) {
        Ok(spec) => {
            build_parse::build_parse(spec);
            true
        }
        Err(_) => false,
    }
}

/// Runs `body` on each corpus input of `target` and on every proper prefix of it (truncation
/// is the commonest malformation). Returns the number of inputs.
fn replay(target: &str, body: Body) -> usize {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("corpus directory entry").path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for cut in 0..=data.len() {
            body(&data[..cut]);
        }
        inputs += 1;
    }
    inputs
}

#[test]
#[cfg_attr(miri, ignore)]
fn committed_corpus_passes_every_fuzz_body() {
    let bodies: [(&str, Body); 12] = [
        ("frame", bodies::fuzz_frame),
        ("ethernet", bodies::fuzz_ethernet),
        ("arp", bodies::fuzz_arp),
        ("ipv4", bodies::fuzz_ipv4),
        ("ipv6", bodies::fuzz_ipv6),
        ("icmpv4", bodies::fuzz_icmpv4),
        ("icmpv6", bodies::fuzz_icmpv6),
        ("igmp", bodies::fuzz_igmp),
        ("udp", bodies::fuzz_udp),
        ("tcp", bodies::fuzz_tcp),
        ("partial", bodies::fuzz_partial),
        ("build_parse", |data| {
            build_parse_from_bytes(data);
        }),
    ];
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("manifest");
    let replayed: BTreeSet<String> = bodies.iter().map(|(t, _)| t.to_string()).collect();
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
    for (target, body) in bodies {
        let inputs = replay(target, body);
        assert!(inputs > 0, "{target}: empty corpus");
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn the_structure_aware_corpus_decodes_as_under_libfuzzer() {
    let dir = fuzz_dir().join("corpus/build_parse");
    let (mut inputs, mut ran) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("build_parse corpus") {
        let data = std::fs::read(entry.expect("entry").path()).expect("corpus input");
        inputs += 1;
        ran += usize::from(build_parse_from_bytes(&data));
    }
    // libFuzzer keeps an input only for new coverage, which an input that never reaches the
    // body cannot give (beyond the decoder's own); most must build and parse a frame.
    assert!(
        ran * 2 > inputs,
        "only {ran} of {inputs} inputs decode to a frame"
    );
}

#[test]
fn fuzz_targets_are_read_from_bin_sections_only() {
    let manifest = "[package]\nname = \"crate\"\n[[bin]]\nname = \"a\"\npath = \"x\"\n\
                    [dependencies]\nname = \"no\"\n[[bin]]\nname = \"b\"\n";
    let expected: BTreeSet<String> = ["a", "b"].map(String::from).into();
    assert_eq!(fuzz_targets(manifest), expected);
}
