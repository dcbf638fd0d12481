//! Packet times in pcapng files of every timestamp resolution: read one packet at a time
//! and a buffer at a time (as `--stats` does), each must equal the exact quotient of the
//! raw timestamp by the interface's units per second.

mod common;

use common::{epb_body, idb_body, pcapng_block, shb_body, Record};
use zcdump::capture::{Batch, CaptureReader};

/// Units per second of an `if_tsresol` byte: `10^-n`, or `2^-n` with the top bit set.
fn units(tsresol: u8) -> u128 {
    let exp = u32::from(tsresol & 0x7f);
    if tsresol & 0x80 == 0 {
        10u128.pow(exp)
    } else {
        1u128 << exp
    }
}

/// A pcapng section with one interface of resolution `tsresol` and a packet per raw time.
fn capture(tsresol: u8, raw_times: &[u64], big_endian: bool) -> Vec<u8> {
    let mut file = pcapng_block(0x0a0d_0d0a, &shb_body(big_endian), big_endian);
    file.extend(pcapng_block(
        1,
        &idb_body(1, 0, Some(tsresol), big_endian),
        big_endian,
    ));
    for &t in raw_times {
        let record = Record {
            ts_sec: 0,
            ts_nsec: 0,
            orig_len: 60,
            data: vec![0xab; 14],
        };
        file.extend(pcapng_block(
            6,
            &epb_body(0, t, &record, big_endian),
            big_endian,
        ));
    }
    file
}

type Times = Vec<(u64, u32)>;

fn read_both_ways(file: &[u8]) -> (Times, Times) {
    let mut r = CaptureReader::open(file).expect("header");
    let mut single = Vec::new();
    while let Some(p) = r.next_packet().expect("packet") {
        single.push((p.ts_sec, p.ts_nsec));
    }
    let mut r = CaptureReader::open(file).expect("header");
    let (mut batch, mut batched) = (Batch::default(), Vec::new());
    while r.next_batch(&mut batch, u64::MAX).expect("batch") {
        batched.extend(batch.packets().map(|p| (p.ts_sec, p.ts_nsec)));
    }
    (single, batched)
}

#[test]
#[cfg_attr(miri, ignore)]
fn every_resolution_gives_the_exact_time_one_by_one_and_in_batches() {
    let raw = [
        0,
        1,
        999_999,
        1_000_000,
        1_700_000_000_123_456_789,
        u64::MAX,
    ];
    // Milli-, micro- (the default's), nano-, 10^-10 and 2^-20, 2^-40 seconds.
    for tsresol in [3u8, 6, 9, 10, 0x80 | 20, 0x80 | 40] {
        let per_sec = units(tsresol);
        let expected: Times = raw
            .iter()
            .map(|&t| {
                let t = u128::from(t);
                let nsec = (t % per_sec) * 1_000_000_000 / per_sec;
                (
                    u64::try_from(t / per_sec).expect("seconds"),
                    u32::try_from(nsec).expect("nanoseconds"),
                )
            })
            .collect();
        for big_endian in [false, true] {
            let (single, batched) = read_both_ways(&capture(tsresol, &raw, big_endian));
            assert_eq!(single, expected, "tsresol {tsresol:#x}");
            assert_eq!(batched, expected, "tsresol {tsresol:#x}, batches");
        }
    }
}
