//! Frames shared by the benchmarks live in `benches/wire.rs`; this crate has no library code.
