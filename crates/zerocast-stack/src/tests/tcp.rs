//! TCP (RFC 9293 and friends), whole-stack: FakeNetwork transfers and hand-built segments.

use crate::testutil::tcp::bulk_transfer;
use crate::testutil::LinkConfig;
use crate::time::Duration;

#[test]
fn bulk_transfer_ideal_link_v4() {
    let r = bulk_transfer(
        1,
        LinkConfig::ideal(Duration::from_millis(5)),
        200_000,
        false,
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(r.delivered, 200_000);
}

fn faulty(seed: u64) -> LinkConfig {
    // Loss 0–10 %, reordering, duplication, 1–100 ms one way (2–200 ms RTT), by seed.
    let loss = (seed % 11) as f64 / 100.0;
    LinkConfig {
        latency: Duration::from_millis(1 + (seed * 37) % 100),
        jitter: Duration::from_millis(seed % 3),
        loss,
        duplicate: 0.02,
        reorder: 0.03,
        reorder_delay: Duration::from_millis(7),
        corrupt: 0.0,
    }
}

/// Bulk transfers across seeds on faulty links arrive byte-exact and close cleanly.
#[test]
#[cfg_attr(miri, ignore)]
fn bulk_transfer_survives_loss_reordering_duplication_across_seeds() {
    for seed in 0..12u64 {
        let v6 = seed % 2 == 1;
        let r = bulk_transfer(seed, faulty(seed), 300_000, v6, Duration::from_secs(600));
        let r = r.unwrap();
        assert_eq!(r.delivered, 300_000);
    }
}
