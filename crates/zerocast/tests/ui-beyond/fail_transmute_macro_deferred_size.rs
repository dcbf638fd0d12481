// `transmute!(#![defer_size_check] ..)` compiles in generic code; instantiating it with types
// of different sizes fails at monomorphization with the size message.
use zerocast::{FromBytes, IntoBytes};

fn widen<T: IntoBytes, U: FromBytes>(t: T) -> U {
    zerocast::transmute!(#![defer_size_check] t)
}

fn main() {
    let _: [u8; 8] = widen(1u32);
}
