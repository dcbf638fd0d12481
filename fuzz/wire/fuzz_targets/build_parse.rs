//! Structure-aware: arbitrary field values -> builders -> strict parse -> same values.
#![no_main]
libfuzzer_sys::fuzz_target!(|spec: zerocast_wire_fuzz::FrameSpec| zerocast_wire_fuzz::build_parse(spec));
