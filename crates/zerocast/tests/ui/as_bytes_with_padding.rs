// A struct with padding cannot be viewed as bytes: its padding is uninitialized.
use zerocast::IntoBytes;

#[derive(zerocast_derive::KnownLayout, zerocast_derive::Immutable)]
#[repr(C)]
struct Padded {
    a: u8,
    b: u32,
}

fn main() {
    let p = Padded { a: 1, b: 2 };
    let _ = IntoBytes::as_bytes(&p);
}
