// `len_from_fn` names a `fn(&Self) -> u64`.
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from_fn = Packet::length)]
#[repr(C)]
struct Packet {
    len: u8,
    body: [u8],
}

impl Packet {
    fn length(&self) -> u8 {
        self.len
    }
}

fn main() {}
