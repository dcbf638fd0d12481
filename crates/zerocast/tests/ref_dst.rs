//! `Ref` and `SplitAt` on derived slice DSTs: the layouts protocol headers
//! use (fixed header, trailing body), with and without trailing padding.

use zerocast::byteorder::network_endian::U16;
use zerocast::{FromBytes, Ref, SplitAt};
// The derive macros directly, so the test builds without the `derive` feature.
use zerocast_derive::*;

/// A length-prefixed record with an alignment-1 layout.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, SplitAt)]
#[repr(C)]
struct Record {
    len: U16,
    body: [u8],
}

/// A header whose trailing `[u8]` leaves padding after odd body lengths.
#[derive(FromBytes, KnownLayout, Immutable, SplitAt)]
#[repr(C)]
struct Padded {
    word: u32,
    body: [u8],
}

#[repr(C, align(8))]
struct Buf([u8; 32]);

fn buf() -> Buf {
    let mut b = Buf([0; 32]);
    for (i, x) in b.0.iter_mut().enumerate() {
        *x = i as u8;
    }
    b
}

#[test]
fn ref_views_a_record_and_its_body() {
    let b = buf();
    let r = Ref::<_, Record>::from_bytes(&b.0[..7]).unwrap();
    assert_eq!(r.len.get(), 0x0001);
    assert_eq!(&r.body, &[2, 3, 4, 5, 6]);
    let r = Ref::<_, Record>::from_bytes_with_elems(&b.0[1..4], 1).unwrap();
    assert_eq!((r.len.get(), &r.body), (0x0102, &[3u8][..]));
    assert!(Ref::<_, Record>::from_bytes(&b.0[..1]).is_err());
    assert!(Ref::<_, Record>::from_bytes_with_elems(&b.0[..4], 3).is_err());
}

#[test]
fn ref_to_a_padded_dst_takes_only_whole_sizes() {
    let b = buf();
    // Sizes of `Padded` are multiples of 4: 4 + n rounded up.
    let r = Ref::<_, Padded>::from_bytes(&b.0[..8]).unwrap();
    assert_eq!(r.body.len(), 4);
    let (r, rest) = Ref::<_, Padded>::from_prefix(&b.0[..11]).unwrap();
    assert_eq!((r.body.len(), rest.len()), (4, 3));
    assert!(Ref::<_, Padded>::from_bytes(&b.0[..7]).is_err());
    for off in 1..4 {
        assert!(Ref::<_, Padded>::from_bytes(&b.0[off..off + 8]).is_err());
    }
}

#[test]
fn mutable_ref_edits_a_record_in_place() {
    let mut b = buf();
    {
        let (mut r, _) = Ref::<_, Record>::from_prefix_with_elems(&mut b.0[..], 2).unwrap();
        r.len.set(2);
        r.body.copy_from_slice(b"ok");
    }
    assert_eq!(&b.0[..5], &[0, 2, b'o', b'k', 4]);
    let r = Ref::<_, Record>::from_bytes(&mut b.0[..4]).unwrap();
    let rec: &mut Record = Ref::into_mut(r);
    rec.body[0] = b'O';
    assert_eq!(&b.0[..4], &[0, 2, b'O', b'k']);
}

#[test]
fn split_record_at_its_length_field() {
    let bytes = [0u8, 3, b'a', b'b', b'c', b'd', b'e'];
    let rec = Record::ref_from_bytes(&bytes[..]).unwrap();
    let (head, rest) = rec
        .split_at(usize::from(rec.len.get()))
        .unwrap()
        .via_immutable();
    assert_eq!((&head.body, rest), (&b"abc"[..], &b"de"[..]));
    let (head, rest) = rec.split_at(1).unwrap().via_into_bytes();
    assert_eq!((head.body.len(), rest.len()), (1, 4));
    let (head, rest) = rec.split_at(5).unwrap().via_no_dynamic_padding();
    assert_eq!((head.body.len(), rest.len()), (5, 0));
    assert!(rec.split_at(6).is_none());
}

#[test]
fn split_record_mutably_gives_disjoint_parts() {
    let mut bytes = [0u8, 2, b'a', b'b', b'c'];
    let rec = Record::mut_from_bytes(&mut bytes[..]).unwrap();
    let (head, rest) = rec.split_at_mut(2).unwrap().via_unaligned();
    head.len.set(9);
    head.body[1] = b'B';
    rest[0] = b'C';
    assert_eq!(bytes, [0, 9, b'a', b'B', b'C']);
    let rec = Record::mut_from_bytes(&mut bytes[..]).unwrap();
    assert!(rec.split_at_mut(4).is_none());
    let (head, rest) = rec
        .split_at_mut(0)
        .unwrap()
        .via_runtime_check()
        .ok()
        .expect("disjoint");
    assert_eq!((head.body.len(), rest.len()), (0, 3));
}

#[test]
fn runtime_check_rejects_splits_whose_padding_would_overlap() {
    let b = buf();
    let p = Padded::ref_from_bytes(&b.0[..12]).unwrap();
    assert_eq!(p.body.len(), 8);
    // 4 + 4 needs no padding: the parts are disjoint.
    let (head, rest) = p
        .split_at(4)
        .unwrap()
        .via_runtime_check()
        .ok()
        .expect("disjoint");
    assert_eq!((head.body.len(), rest), (4, &b.0[8..12]));
    // 4 + 3 is padded to 8, covering `rest[0]`.
    let split = p.split_at(3).unwrap();
    let split = split.via_runtime_check().err().expect("overlapping");
    // Shared, immutable parts may overlap.
    let (head, rest) = split.via_immutable();
    assert_eq!((head.body.len(), rest.len()), (3, 5));
    assert_eq!(core::mem::size_of_val(head), 8);
}
