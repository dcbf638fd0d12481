// `[u8; 4]` has alignment 1; viewing it as `u32` (alignment 4) is rejected after
// monomorphization.
use zerocast::beyond::transmute_ref_generic;
use zerocast::{FromBytes, Immutable, IntoBytes};

fn view<T: IntoBytes + Immutable, U: FromBytes + Immutable>(t: &T) -> &U {
    transmute_ref_generic(t)
}

fn main() {
    let _: &u32 = view(&[0u8; 4]);
}
