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
pub use network::{FakeNetwork, FrameFilter, HostId, LinkConfig, NetworkCounters, Node, SegmentId};
