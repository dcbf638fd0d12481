// The passing twin of the `fail_generic_*` cases: same generic functions, matching types.
use zerocast::beyond::{transmute_generic, transmute_ref_generic};
use zerocast::{FromBytes, Immutable, IntoBytes};

fn widen<T: IntoBytes, U: FromBytes>(t: T) -> U {
    transmute_generic(t)
}

fn view<T: IntoBytes + Immutable, U: FromBytes + Immutable>(t: &T) -> &U {
    transmute_ref_generic(t)
}

fn main() {
    let bytes: [u8; 4] = widen(1u32);
    let words: &[u8; 4] = view(&[0u16; 2]);
    assert_eq!(bytes.len() + words.len(), 8);
}
