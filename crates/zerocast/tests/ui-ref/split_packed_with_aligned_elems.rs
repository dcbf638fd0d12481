// A packed struct's trailing `[u16]` can sit at an odd address, so splitting
// it must not hand out `&[u16]`: zerocast's layout check on `SplitAt` turns
// such an impl into a compile error instead of a misaligned reference.
use zerocast::{FromBytes, SplitAt};
use zerocast_derive::*;

#[derive(FromBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C, packed)]
struct Packed {
    tag: u8,
    words: [u16],
}

fn main() {
    let bytes = [0u8; 5];
    let p = Packed::ref_from_bytes(&bytes[..]).unwrap();
    let (_left, _right) = p.split_at(1).unwrap().via_immutable();
}
