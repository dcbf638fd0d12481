//! Fuzzes dissection and every output format with any byte string as a frame of every
//! supported link type (see `src/bodies.rs`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| zcdump_fuzz::fuzz_dissect_frame(data));
