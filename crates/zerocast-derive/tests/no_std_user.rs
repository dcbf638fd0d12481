//! A `#![no_std]` user crate: the expansion must not name `std` or `alloc`.
//! (`std` is linked under another name only because the test harness needs
//! it; a derive that emitted `::std::...` would fail to resolve here.)

#![no_std]
#![allow(dead_code)]

extern crate std as harness_std;

use zerocast::{
    FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, SplitAt, TryFromBytes, Unaligned,
};

#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned, SplitAt)]
#[repr(C)]
struct Frame {
    kind: u8,
    body: [u8],
}

#[derive(KnownLayout, Immutable, FromZeros, IntoBytes)]
#[repr(u16)]
enum Kind {
    Data = 0,
    Ack = 1,
}

#[derive(KnownLayout, Immutable, TryFromBytes)]
#[repr(C, u8)]
enum Event {
    Byte(u8),
    Flag(bool),
}

#[test]
fn derives_work_without_std() {
    let f = Frame::ref_from_bytes(&[1, 2, 3][..]).unwrap();
    assert_eq!((f.kind, f.body.len()), (1, 2));
    assert_eq!(Kind::Ack.as_bytes(), &1u16.to_ne_bytes());
    assert!(Event::try_read_from_bytes(&[1, 1]).is_ok());
    assert!(Event::try_read_from_bytes(&[1, 2]).is_err());
}
