//! Arbitrary TCP segment sequences, application calls and clock jumps against a listener
//! and established connections; the invariants are in `zerocast_stack::testutil::fuzz_tcp`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    zerocast_stack::testutil::fuzz_tcp::run(data);
});
