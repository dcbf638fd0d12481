//! Partial-header views: every truncation of every frame of the sample captures parses
//! leniently without panicking, and each field shown for the truncated frame equals the
//! same field of the whole frame; random headers cut anywhere show exactly the captured
//! fields, with the whole header's values (the `partial` fuzz body, run by proptest).

mod common;

#[allow(dead_code)] // the other fuzz bodies are replayed by tests/fuzz_corpus.rs
mod bodies {
    include!("../../../fuzz/wire/src/bodies.rs");
}

use proptest::prelude::*;

/// Verification results, not header fields: a cut frame cannot verify what it lacks, so
/// these legitimately change from "good" to "unverified".
fn is_verification_result(field: &str) -> bool {
    field.ends_with(".checksum.status")
}

fn check_every_truncation(capture: &str) -> usize {
    let frames = common::read_pcap(&common::samples_dir().join(capture));
    let mut shown = 0;
    for (i, frame) in frames.iter().enumerate() {
        let whole = common::dissect(&frame.data);
        for n in 0..frame.data.len() {
            let cut = common::dissect(&frame.data[..n]);
            for (field, values) in &cut {
                if is_verification_result(field) {
                    continue;
                }
                let all = whole.get(field).map_or(&[][..], Vec::as_slice);
                // Occurrences come in byte order, so a cut frame shows a prefix of them.
                assert!(
                    all.starts_with(values),
                    "{capture} frame {} cut at {n}: {field} = {values:?}, whole frame has {all:?}",
                    i + 1
                );
                shown += values.len();
            }
        }
    }
    shown
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_truncation_of_every_sample_frame_shows_only_the_whole_frames_values() {
    let shown = check_every_truncation("kernel-mix.pcap");
    assert!(shown > 100_000, "only {shown} field values compared");
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_truncation_of_the_snaplen_capture_shows_only_the_whole_frames_values() {
    let shown = check_every_truncation("kernel-mix-snap80.pcap");
    assert!(shown > 10_000, "only {shown} field values compared");
}

#[test]
fn a_cut_ipv4_header_shows_its_first_fields_and_no_others() {
    let header = [
        0x45, 0, 0, 84, 0xd5, 0x66, 0x40, 0, 64, 1, 0x90, 0xa6, 10, 77, 0, 2, 10, 77, 0, 1,
    ];
    // Selector 0 is IPv4; the body panics if a shown field differs or a captured one hides.
    let mut input = vec![0u8];
    input.extend_from_slice(&header);
    bodies::fuzz_partial(&input);
    let ip = zerocast_wire::ipv4::Ipv4Partial::parse(&header[..11]).unwrap();
    assert_eq!((ip.ttl(), ip.protocol().map(|p| p.0)), (Some(64), Some(1)));
    assert_eq!((ip.checksum(), ip.src()), (None, None));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 2048 }))]

    #[test]
    fn random_headers_cut_anywhere_show_exactly_the_captured_fields(
        which in 0u8..7,
        version in prop_oneof![Just(0x45u8), Just(0x60), Just(0x4f), any::<u8>()],
        data in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        // Bias the first byte towards valid IP version/IHL, so the IP views get exercised.
        let mut input = vec![which, version];
        input.extend_from_slice(&data);
        bodies::fuzz_partial(&input);
    }
}
