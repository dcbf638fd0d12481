// The passing twin of the `fail_len_from_*` cases.
// User crates may forbid unsafe code: the derives' `unsafe impl`s must still compile.
#![forbid(unsafe_code)]
use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, Immutable, KnownLayout, LenFromHeader};

#[derive(FromBytes, KnownLayout, Immutable, LenFromHeader)]
#[zerocast(len_from = len, len_minus = 2)]
#[repr(C)]
struct Packet {
    len: U16,
    body: [u8],
}

fn main() {
    let (p, rest) = Packet::ref_from_prefix_by_header(&[0, 3, 7, 8]).unwrap();
    assert_eq!((&p.body[..], rest), (&[7u8][..], &[8u8][..]));
}
