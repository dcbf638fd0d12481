// The generic function compiles; instantiating it with types of different sizes does not.
use zerocast::beyond::transmute_generic;
use zerocast::{FromBytes, IntoBytes};

fn widen<T: IntoBytes, U: FromBytes>(t: T) -> U {
    transmute_generic(t)
}

fn main() {
    let _: u64 = widen(1u32);
}
