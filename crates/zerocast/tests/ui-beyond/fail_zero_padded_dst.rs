// Dynamically sized structs are not supported.
use zerocast::ZeroPadded;

#[derive(ZeroPadded)]
#[repr(C)]
struct Tail {
    a: u8,
    rest: [u16],
}

fn main() {}
