//! Replays the committed fuzz corpus (`fuzz/wire/corpus/<target>/`) through the same fuzz
//! bodies cargo-fuzz runs (`fuzz/wire/src/bodies.rs`), so plain `cargo test` keeps every
//! input that ever mattered passing without nightly or libFuzzer.

mod bodies {
    include!("../../../fuzz/wire/src/bodies.rs");
}

use std::path::Path;

type Body = fn(&[u8]);

fn replay(target: &str, body: Body) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/wire/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        body(&data);
        // Every prefix too: truncation is the commonest malformation.
        for cut in (0..data.len()).step_by(7) {
            body(&data[..cut]);
        }
        n += 1;
    }
    n
}

#[test]
#[cfg_attr(miri, ignore)]
fn committed_corpus_passes_every_fuzz_body() {
    let targets: [(&str, Body); 11] = [
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
    ];
    let total: usize = targets.iter().map(|(t, body)| replay(t, *body)).sum();
    assert!(total > 100, "only {total} corpus inputs");
}
