// `len_unit` is `bytes` or `elems`.
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from = len, len_unit = words)]
#[repr(C)]
struct Packet {
    len: u8,
    body: [u8],
}

fn main() {}
