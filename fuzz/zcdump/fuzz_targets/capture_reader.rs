//! Fuzzes the capture reader, batch reader and statistics with any byte string as a capture
//! file (see `src/bodies.rs`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| zcdump_fuzz::fuzz_capture_reader(data));
