//! Arbitrary frames, socket calls and clock jumps against one stack; the invariants are in
//! `zerocast_stack::testutil::fuzz`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    zerocast_stack::testutil::fuzz::run(data);
});
