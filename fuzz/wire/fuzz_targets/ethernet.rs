//! Fuzzes the ethernet parser with raw bytes (see `src/bodies.rs`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| zerocast_wire_fuzz::fuzz_ethernet(data));
