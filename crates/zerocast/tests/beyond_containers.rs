//! `Ref` over owned and shared containers (`Vec<u8>`, `Box<[u8]>`, `bytes::Bytes`,
//! `bytes::BytesMut`): parse, edit, split, and give the container back.
#![cfg(feature = "alloc")]

use zerocast::byteorder::network_endian::U16;
#[allow(unused_imports)]
use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, Unaligned};
#[allow(unused_imports)]
use zerocast_derive::*;

#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct Header {
    kind: u8,
    len: U16,
}

#[test]
fn vec_backed_ref_reads_writes_and_returns_the_vec() {
    let mut r = Ref::<Vec<u8>, Header>::from_bytes(vec![1, 0, 5]).unwrap();
    assert_eq!(r.len.get(), 5);
    r.len.set(6);
    let v = Ref::into_bytes(r);
    assert_eq!(v, [1, 0, 6]);
    assert!(Ref::<Vec<u8>, Header>::from_bytes(vec![1, 0]).is_err());
}

#[test]
fn boxed_slice_backed_ref() {
    let r = Ref::<Box<[u8]>, [U16]>::from_bytes(vec![0, 1, 0, 2].into_boxed_slice()).unwrap();
    assert_eq!(r.iter().map(|w| w.get()).collect::<Vec<_>>(), [1, 2]);
}

#[cfg(feature = "bytes")]
mod bytes_backed {
    use super::*;
    use bytes::{Bytes, BytesMut};

    #[test]
    fn bytes_prefix_parse_shares_the_buffer() {
        let buf = Bytes::from(vec![2u8, 0, 3, b'x', b'y', b'z']);
        let base = buf.as_ptr();
        let (h, rest) = Ref::<Bytes, Header>::from_prefix(buf.clone()).unwrap();
        assert_eq!((h.kind, h.len.get()), (2, 3));
        assert_eq!(&rest[..], b"xyz");
        assert_eq!(Ref::bytes(&h).as_ptr(), base);
        assert_eq!(rest.as_ptr(), base.wrapping_add(3));
        let (rest, tail) = Ref::<Bytes, [u8; 1]>::from_suffix(rest).unwrap();
        assert_eq!((&rest[..], tail[0]), (&b"xy"[..], b'z'));
    }

    #[test]
    fn bytes_split_at_every_index() {
        let buf = Bytes::from_static(b"abcd");
        for mid in 0..=5 {
            match SplitByteSlice::split_at(buf.clone(), mid) {
                Ok((a, b)) => {
                    assert_eq!((a.as_ptr(), a.len()), (buf.as_ptr(), mid));
                    assert_eq!(
                        (b.as_ptr(), b.len()),
                        (buf.as_ptr().wrapping_add(mid), 4 - mid)
                    );
                }
                Err(whole) => assert_eq!((mid, whole.len()), (5, 4)),
            }
        }
    }

    #[test]
    fn bytes_mut_edits_in_place() {
        let mut buf = BytesMut::with_capacity(16);
        buf.extend_from_slice(&[1, 0, 9, 7, 7]);
        let base = buf.as_ptr();
        let (mut h, rest) = Ref::<BytesMut, Header>::from_prefix(buf).unwrap();
        h.len.set(10);
        assert_eq!((rest.as_ptr(), rest.len()), (base.wrapping_add(3), 2));
        let mut head = Ref::into_bytes(h);
        head.unsplit(rest);
        assert_eq!(&head[..], &[1, 0, 10, 7, 7]);
        for mid in 0..=5 {
            let copy = BytesMut::from(&head[..]);
            let start = copy.as_ptr();
            let (a, b) = SplitByteSlice::split_at(copy, mid).unwrap();
            assert_eq!((a.as_ptr(), a.len()), (start, mid));
            assert_eq!((b.as_ptr(), b.len()), (start.wrapping_add(mid), 5 - mid));
        }
    }
}
