// A packed struct's trailing `[u16]` can sit at an odd address, so splitting
// it must not hand out `&[u16]`. The derive gives such a struct
// `Elem = Unalign<u16>`; a hand-written impl that claims `Elem = u16` anyway is
// turned into a compile error by zerocast's layout check on `SplitAt`, instead
// of a misaligned reference.
#![allow(dead_code)]
use zerocast::{FromBytes, SplitAt};
use zerocast_derive::*;

#[derive(FromBytes, KnownLayout, Immutable)]
#[repr(C, packed)]
struct Packed {
    tag: u8,
    words: [u16],
}

// SAFETY: wrong on purpose (the trailing `u16`s may be misaligned); the
// compile-time check must reject this impl's use.
unsafe impl SplitAt for Packed {
    type Elem = u16;
    type UnalignedElem = zerocast::Unalign<u16>;
    fn only_derive_is_allowed_to_implement_this_trait() {}
}

fn main() {
    let bytes = [0u8; 5];
    let p = Packed::ref_from_bytes(&bytes[..]).unwrap();
    let (_left, _right) = p.split_at(1).unwrap().via_immutable();
}
