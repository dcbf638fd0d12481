// The passing twin of the `fail_zero_padded_*` cases.
// User crates may forbid unsafe code: the derives' `unsafe impl`s must still compile.
#![forbid(unsafe_code)]
use zerocast::ZeroPadded;

#[derive(ZeroPadded)]
#[repr(C)]
struct Pair {
    a: u8,
    b: u16,
}

fn main() {
    let bytes: [u8; 4] = Pair { a: 1, b: 0 }.to_zero_padded_array();
    assert_eq!(bytes, [1, 0, 0, 0]);
}
