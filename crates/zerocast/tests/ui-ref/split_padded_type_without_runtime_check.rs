// `via_no_dynamic_padding` must reject, at compile time, a type whose left
// part can end in padding that overlaps the right part.
use zerocast::{FromBytes, SplitAt};
use zerocast_derive::*;

#[derive(FromBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C)]
struct Padded {
    word: u32,
    body: [u8],
}

fn main() {
    let bytes = [0u32; 2];
    let bytes: &[u8; 8] = zerocast::transmute_ref!(&bytes);
    let p = Padded::ref_from_bytes(&bytes[..]).unwrap();
    let (_left, _right) = p.split_at(3).unwrap().via_no_dynamic_padding();
}
