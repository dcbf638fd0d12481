// `LenFromHeader` describes a trailing slice; a sized struct has none.
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from = len)]
#[repr(C)]
struct Sized4 {
    len: u8,
    body: [u8; 3],
}

fn main() {}
