// The derive must be told which field holds the length.
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[repr(C)]
struct Packet {
    len: u8,
    body: [u8],
}

fn main() {}
