//! Audit regression test: a `Ref` over `bytes::Bytes`/`BytesMut` split at either end keeps
//! the address `try_cast` checked, so zero-length views stay aligned.
//!
//! `bytes` before 1.8.0 returned `Bytes::new()` (address 1) from `split_off(len)` and left
//! `self` as `Bytes::new()` after `split_off(0)` (tokio-rs/bytes#738, fixed by #740). With
//! such a version `Ref::<Bytes, [u64]>::from_suffix_with_elems(src, 0)` dereferenced to a
//! `&[u64]` at address 1: Miri reports "encountered an unaligned reference (required 8 byte
//! alignment but found 1)". zerocast therefore requires `bytes >= 1.8`.
#![cfg(feature = "bytes")]

use bytes::{Bytes, BytesMut};
use zerocast::{Ref, SplitByteSlice};

/// Eight zero bytes at an address aligned for `u64`, as a `Bytes`.
fn aligned_bytes() -> Bytes {
    let all = Bytes::from(vec![0u8; 16]);
    let skip = all.as_ptr().align_offset(8);
    all.slice(skip..skip + 8)
}

#[test]
fn empty_suffix_of_bytes_is_aligned_and_at_the_end() {
    let src = aligned_bytes();
    let end = src.as_ptr().wrapping_add(src.len());
    let (rest, r) = Ref::<Bytes, [u64]>::from_suffix_with_elems(src, 0).unwrap();
    let view: &[u64] = &r;
    assert_eq!(view.as_ptr().cast::<u8>(), end);
    assert!(view.as_ptr().is_aligned());
    assert_eq!(rest.len(), 8);
}

#[test]
fn empty_prefix_of_bytes_is_aligned_and_at_the_start() {
    let src = aligned_bytes();
    let start = src.as_ptr();
    let (r, rest) = Ref::<Bytes, [u64]>::from_prefix_with_elems(src, 0).unwrap();
    let view: &[u64] = &r;
    assert_eq!(view.as_ptr().cast::<u8>(), start);
    assert!(view.as_ptr().is_aligned());
    assert_eq!((rest.as_ptr(), rest.len()), (start, 8));
}

#[test]
fn splitting_bytes_and_bytes_mut_at_either_end_keeps_addresses() {
    let src = aligned_bytes();
    let (a, n) = (src.as_ptr(), src.len());
    for mid in [0, n] {
        let (first, second) = src.clone().split_at(mid).unwrap();
        assert_eq!((first.as_ptr(), first.len()), (a, mid));
        assert_eq!(
            (second.as_ptr(), second.len()),
            (a.wrapping_add(mid), n - mid)
        );
    }
    let mut m = BytesMut::with_capacity(8);
    m.extend_from_slice(&[1; 8]);
    let a = m.as_ptr();
    let (first, second) = m.split_at(8).unwrap();
    assert_eq!((first.as_ptr(), first.len()), (a, 8));
    assert_eq!((second.as_ptr(), second.len()), (a.wrapping_add(8), 0));
    let (first, second) = first.split_at(0).unwrap();
    assert_eq!((first.as_ptr(), first.len()), (a, 0));
    assert_eq!((second.as_ptr(), second.len()), (a, 8));
    drop(second);
}
