// One length source only: a field or a function, not both.
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from = len, len_from_fn = Packet::length)]
#[repr(C)]
struct Packet {
    len: u8,
    body: [u8],
}

impl Packet {
    fn length(&self) -> u64 {
        u64::from(self.len)
    }
}

fn main() {}
