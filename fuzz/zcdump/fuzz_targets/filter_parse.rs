//! Fuzzes the `-Y` filter parser and evaluation with any text (see `src/bodies.rs`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| zcdump_fuzz::fuzz_filter_parse(data));
