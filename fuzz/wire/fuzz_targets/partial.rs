//! Fuzzes the partial-header views: every cut of a header gives a view whose fields equal the
//! whole header's (see `fuzz_partial` in `src/bodies.rs`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| zerocast_wire_fuzz::fuzz_partial(data));
