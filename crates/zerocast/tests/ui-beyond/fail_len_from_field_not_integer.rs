// The length field must be an unsigned integer or byte-order integer (`LenField`).
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from = len)]
#[repr(C)]
struct Packet {
    len: [u8; 2],
    body: [u8],
}

fn main() {}
