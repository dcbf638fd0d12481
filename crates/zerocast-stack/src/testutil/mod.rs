//! Deterministic test harness (feature `testutil`): fake bindings and a simulated network.
//!
//! [`FakeBindings`] is the embedder of one host: a clock that only moves when told, a seeded
//! random source, and the frames and socket events the stack produced. [`FakeNetwork`] joins
//! any number of hosts over segments with latency, jitter, loss, duplication, reordering and
//! corruption drawn from one seed, and advances the shared clock straight to the next frame
//! or timer, so a minute of protocol time costs microseconds and every failure reproduces
//! from its seed.

mod bindings;
pub mod fuzz;
pub mod fuzz_tcp;
mod network;
#[cfg(test)]
mod scenarios;
pub mod tcp;

pub use bindings::{FakeBindings, SeededRng, SentFrame};

/// Property-test settings for this crate's tests: 256 cases, `miri_cases` under Miri
/// (which runs them a thousand times slower), and no failure file under Miri, whose
/// isolation has no working directory to write one in.
#[cfg(test)]
pub(crate) fn proptest_config(miri_cases: u32) -> proptest::test_runner::Config {
    let default = proptest::test_runner::Config::default();
    proptest::test_runner::Config {
        cases: if cfg!(miri) { miri_cases } else { 256 },
        failure_persistence: if cfg!(miri) {
            None
        } else {
            default.failure_persistence.clone()
        },
        ..default
    }
}
pub use network::{FakeNetwork, FrameFilter, HostId, LinkConfig, NetworkCounters, Node, SegmentId};
