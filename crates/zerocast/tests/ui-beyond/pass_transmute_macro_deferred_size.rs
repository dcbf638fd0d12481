// The passing twin: same generic function, instantiated with equal sizes.
use zerocast::{FromBytes, IntoBytes};

fn reinterpret<T: IntoBytes, U: FromBytes>(t: T) -> U {
    zerocast::transmute!(#![defer_size_check] t)
}

fn main() {
    let bytes: [u8; 4] = reinterpret(0x0102_0304u32.to_be());
    assert_eq!(bytes, [1, 2, 3, 4]);
}
