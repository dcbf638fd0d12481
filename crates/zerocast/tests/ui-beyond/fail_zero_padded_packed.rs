// Packed fields cannot be borrowed; packed structs of `IntoBytes` fields have no padding.
use zerocast::ZeroPadded;

#[derive(ZeroPadded)]
#[repr(C, packed)]
struct Packed {
    a: u8,
    b: u32,
}

fn main() {}
