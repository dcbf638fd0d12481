//! Every conversion method of `FromBytes`, `TryFromBytes`, `FromZeros` and `IntoBytes`: the
//! success path and each way it can fail (size, alignment at every misaligned offset,
//! invalid bits), with the error carrying the source back.

use zerocast::{ConvertError, FromBytes, FromZeros, IntoBytes, KnownLayout, TryFromBytes};

/// A 16-aligned buffer so tests can choose exact misalignments.
#[repr(C, align(16))]
struct Aligned([u8; 64]);

fn buf() -> Aligned {
    let mut b = Aligned([0; 64]);
    for (i, x) in b.0.iter_mut().enumerate() {
        *x = i as u8;
    }
    b
}

#[test]
fn ref_from_bytes_reports_misalignment_at_every_offset() {
    let b = buf();
    assert_eq!(
        *u32::ref_from_bytes(&b.0[..4]).unwrap(),
        u32::from_ne_bytes([0, 1, 2, 3])
    );
    for off in 1..4 {
        let src = &b.0[off..off + 4];
        match u32::ref_from_bytes(src) {
            Err(ConvertError::Alignment(e)) => assert_eq!(e.into_src(), src),
            other => panic!("offset {off}: {other:?}"),
        }
        assert!(matches!(
            u64::ref_from_prefix(&b.0[off..]),
            Err(ConvertError::Alignment(_))
        ));
    }
    for off in (0..16).step_by(8) {
        assert!(u64::ref_from_bytes(&b.0[off..off + 8]).is_ok());
    }
}

#[test]
fn ref_from_bytes_reports_wrong_sizes() {
    let b = buf();
    for len in [0, 3, 5, 8] {
        match u32::ref_from_bytes(&b.0[..len]) {
            Err(ConvertError::Size(e)) => assert_eq!(e.into_src().len(), len),
            other => panic!("len {len}: {other:?}"),
        }
    }
    assert!(matches!(
        u32::ref_from_prefix(&b.0[..3]),
        Err(ConvertError::Size(_))
    ));
    assert!(matches!(
        u32::ref_from_suffix(&b.0[..3]),
        Err(ConvertError::Size(_))
    ));
}

#[test]
fn prefix_and_suffix_return_the_rest() {
    let b = buf();
    let (v, rest) = u32::ref_from_prefix(&b.0[..7]).unwrap();
    assert_eq!((*v, rest), (u32::from_ne_bytes([0, 1, 2, 3]), &b.0[4..7]));
    let (rest, v) = u32::ref_from_suffix(&b.0[..8]).unwrap();
    assert_eq!((rest, *v), (&b.0[..4], u32::from_ne_bytes([4, 5, 6, 7])));
    // Suffix of 7 bytes starts at 3: misaligned for u32.
    assert!(matches!(
        u32::ref_from_suffix(&b.0[..7]),
        Err(ConvertError::Alignment(_))
    ));
}

#[test]
fn mutable_views_write_through_and_keep_the_rest_usable() {
    let mut b = buf();
    {
        let (v, rest) = u16::mut_from_prefix(&mut b.0[..5]).unwrap();
        *v = 0;
        rest.fill(0xEE);
    }
    assert_eq!(&b.0[..5], &[0, 0, 0xEE, 0xEE, 0xEE]);
    {
        let (rest, v) = u16::mut_from_suffix(&mut b.0[..6]).unwrap();
        *v = u16::MAX;
        rest[0] = 1;
    }
    assert_eq!(&b.0[..6], &[1, 0, 0xEE, 0xEE, 0xFF, 0xFF]);
    *u16::mut_from_bytes(&mut b.0[2..4]).unwrap() = 0;
    assert_eq!(&b.0[2..4], &[0, 0]);
    match u16::mut_from_bytes(&mut b.0[1..3]) {
        Err(ConvertError::Alignment(e)) => assert_eq!(e.into_src().len(), 2),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        u16::mut_from_prefix(&mut b.0[..1]),
        Err(ConvertError::Size(_))
    ));
}

#[test]
fn slices_take_the_largest_count_that_fits() {
    let b = buf();
    assert_eq!(<[u32]>::ref_from_prefix(&b.0[..11]).unwrap().0.len(), 2);
    let (rest, s) = <[u32]>::ref_from_suffix(&b.0[..12]).unwrap();
    assert_eq!((rest.len(), s.len()), (0, 3));
    assert!(matches!(
        <[u32]>::ref_from_bytes(&b.0[..11]),
        Err(ConvertError::Size(_))
    ));
    assert_eq!(<[u32]>::ref_from_bytes(&b.0[..12]).unwrap().len(), 3);
}

#[test]
fn with_elems_uses_exactly_the_given_count() {
    let mut b = buf();
    assert_eq!(
        <[u16]>::ref_from_bytes_with_elems(&b.0[..6], 3)
            .unwrap()
            .len(),
        3
    );
    assert!(matches!(
        <[u16]>::ref_from_bytes_with_elems(&b.0[..6], 2),
        Err(ConvertError::Size(_))
    ));
    let (s, rest) = <[u16]>::ref_from_prefix_with_elems(&b.0[..7], 2).unwrap();
    assert_eq!((s.len(), rest.len()), (2, 3));
    let (rest, s) = <[u16]>::ref_from_suffix_with_elems(&b.0[..8], 1).unwrap();
    assert_eq!((s.len(), rest.len()), (1, 6));
    assert!(matches!(
        <[u16]>::ref_from_prefix_with_elems(&b.0[..8], usize::MAX),
        Err(ConvertError::Size(_))
    ));
    assert!(matches!(
        <[u16]>::ref_from_prefix_with_elems(&b.0[1..8], 1),
        Err(ConvertError::Alignment(_))
    ));
    <[u16]>::mut_from_bytes_with_elems(&mut b.0[..4], 2).unwrap()[1] = 0;
    <[u16]>::mut_from_prefix_with_elems(&mut b.0[..8], 1)
        .unwrap()
        .0[0] = 0;
    <[u16]>::mut_from_suffix_with_elems(&mut b.0[..8], 1)
        .unwrap()
        .1[0] = 0;
    assert_eq!(&b.0[..8], &[0, 0, 0, 0, 4, 5, 0, 0]);
}

#[test]
fn reads_copy_from_any_alignment() {
    let b = buf();
    for off in 0..8 {
        let v = u64::read_from_bytes(&b.0[off..off + 8]).unwrap();
        assert_eq!(v.to_ne_bytes(), b.0[off..off + 8]);
        let (v2, rest) = u64::read_from_prefix(&b.0[off..off + 9]).unwrap();
        assert_eq!((v2, rest.len()), (v, 1));
        let (rest, v3) = u64::read_from_suffix(&b.0[off - off..off + 8]).unwrap();
        assert_eq!((v3, rest.len()), (v, off));
    }
    let e = u64::read_from_bytes(&b.0[..7]).unwrap_err();
    assert_eq!(e.into_src().len(), 7);
    assert!(u64::read_from_prefix(&b.0[..7]).is_err());
    assert!(u64::read_from_suffix(&b.0[..7]).is_err());
}

#[test]
fn try_conversions_report_invalid_bits_at_each_position() {
    for bad in 0..4 {
        let mut bytes = [1u8; 4];
        bytes[bad] = 2;
        match <[bool]>::try_ref_from_bytes(&bytes) {
            Err(ConvertError::Validity(e)) => assert_eq!(e.into_src(), &bytes),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            <[bool; 4]>::try_read_from_bytes(&bytes),
            Err(ConvertError::Validity(_))
        ));
        assert!(matches!(
            <[bool]>::try_mut_from_bytes(&mut bytes),
            Err(ConvertError::Validity(_))
        ));
        assert!(<[bool]>::try_ref_from_prefix_with_elems(&bytes, bad).is_ok());
        assert!(<[bool]>::try_ref_from_prefix_with_elems(&bytes, bad + 1).is_err());
    }
    let b = buf();
    assert!(matches!(
        char::try_ref_from_bytes(&b.0[1..5]),
        Err(ConvertError::Alignment(_))
    ));
    assert!(matches!(
        char::try_ref_from_bytes(&b.0[..3]),
        Err(ConvertError::Size(_))
    ));
    assert!(matches!(
        char::try_read_from_bytes(&b.0[..3]),
        Err(ConvertError::Size(_))
    ));
    let (rest, c) = char::try_read_from_suffix(&[9, 0x41, 0, 0, 0][..]).unwrap();
    assert_eq!(
        (rest, c),
        (
            &[9][..],
            char::from_u32(u32::from_ne_bytes([0x41, 0, 0, 0])).unwrap()
        )
    );
}

#[test]
fn try_read_prefix_and_suffix_errors_carry_the_whole_source() {
    // Too short: a size error holding all three bytes.
    let short = [1u8, 0, 0];
    match char::try_read_from_prefix(&short[..]) {
        Err(ConvertError::Size(e)) => assert_eq!(e.into_src(), &short[..]),
        other => panic!("expected a size error, got {other:?}"),
    }
    match char::try_read_from_suffix(&short[..]) {
        Err(ConvertError::Size(e)) => assert_eq!(e.into_src(), &short[..]),
        other => panic!("expected a size error, got {other:?}"),
    }
    // Long enough but invalid where the value lies: a validity error, again with all bytes.
    let bad_prefix = [2u8, 1, 1];
    match bool::try_read_from_prefix(&bad_prefix[..]) {
        Err(ConvertError::Validity(e)) => assert_eq!(e.into_src(), &bad_prefix[..]),
        other => panic!("expected a validity error, got {other:?}"),
    }
    let bad_suffix = [1u8, 1, 2];
    match bool::try_read_from_suffix(&bad_suffix[..]) {
        Err(ConvertError::Validity(e)) => assert_eq!(e.into_src(), &bad_suffix[..]),
        other => panic!("expected a validity error, got {other:?}"),
    }
    // The bytes outside the value are not checked.
    assert_eq!(
        bool::try_read_from_prefix(&bad_suffix[..]),
        Ok((true, &[1, 2][..]))
    );
    assert_eq!(
        bool::try_read_from_suffix(&bad_prefix[..]),
        Ok((&[2, 1][..], true))
    );
}

#[test]
fn try_mut_suffix_and_prefix_with_elems() {
    let mut bytes = [0u8, 1, 0, 1];
    let (rest, flags) = <[bool]>::try_mut_from_suffix_with_elems(&mut bytes, 2).unwrap();
    flags[0] = true;
    rest[0] = 1;
    assert_eq!(bytes, [1, 1, 1, 1]);
    let (flags, _) = <[bool]>::try_mut_from_prefix_with_elems(&mut bytes, 1).unwrap();
    flags[0] = false;
    assert_eq!(bytes[0], 0);
    assert!(<[bool]>::try_mut_from_bytes_with_elems(&mut bytes, 3).is_err());
    let (b, rest) = bool::try_mut_from_prefix(&mut bytes).unwrap();
    *b = true;
    assert_eq!(rest.len(), 3);
    let (_, b) = bool::try_mut_from_suffix(&mut bytes).unwrap();
    *b = false;
    assert_eq!(bytes, [1, 1, 1, 0]);
}

#[test]
fn error_messages_name_sizes_alignment_and_type() {
    let b = buf();
    let msg = u32::ref_from_bytes(&b.0[1..5]).unwrap_err().to_string();
    assert!(
        msg.contains("4-byte source") && msg.contains("alignment 4") && msg.contains("`u32`"),
        "{msg}"
    );
    assert!(msg.contains("1 byte(s) past"), "{msg}");
    let msg = <[u16]>::ref_from_bytes(&b.0[..3]).unwrap_err().to_string();
    assert!(
        msg.contains("3-byte source") && msg.contains("grows by 2"),
        "{msg}"
    );
    let msg = bool::try_read_from_bytes(&[5][..]).unwrap_err().to_string();
    assert_eq!(msg, "the source bytes are not a valid `bool`");
    let err = u32::ref_from_bytes(&b.0[..2]).unwrap_err();
    assert_eq!(err.map_src(<[u8]>::len).into_src(), 2);
    fn is_error<E: core::error::Error>(_: &E) {}
    is_error(&u32::ref_from_bytes(&b.0[..2]).unwrap_err());
    is_error(&bool::try_read_from_bytes(&[5][..]).unwrap_err());
}

#[test]
fn zeroing() {
    let mut v = [1u64, 2];
    v.zero();
    assert_eq!(v, [0, 0]);
    assert_eq!(u128::new_zeroed(), 0);
    assert_eq!(<Option<core::num::NonZeroU32>>::new_zeroed(), None);
}

#[cfg(feature = "alloc")]
mod alloc_methods {
    use super::*;

    #[test]
    fn boxes_and_vecs_are_zeroed() {
        assert_eq!(*u32::new_box_zeroed().unwrap(), 0);
        assert_eq!(*<()>::new_box_zeroed().unwrap(), ());
        assert_eq!(&*<[u32]>::new_box_zeroed_with_elems(3).unwrap(), &[0; 3]);
        assert!(<[u32]>::new_box_zeroed_with_elems(0).unwrap().is_empty());
        assert!(<[u32]>::new_box_zeroed_with_elems(usize::MAX).is_err());
        assert_eq!(u16::new_vec_zeroed(2).unwrap(), vec![0, 0]);
        let mut v = vec![1u8, 2, 3];
        u8::insert_vec_zeroed(&mut v, 0, 1).unwrap();
        u8::insert_vec_zeroed(&mut v, 4, 1).unwrap();
        u8::extend_vec_zeroed(&mut v, 1).unwrap();
        assert_eq!(v, [0, 1, 2, 3, 0, 0]);
        assert!(u64::new_vec_zeroed(usize::MAX / 4).is_err());
    }

    #[test]
    #[should_panic(expected = "position 4 > len 3")]
    fn insert_past_the_end_panics() {
        let mut v = vec![1u8, 2, 3];
        let _ = u8::insert_vec_zeroed(&mut v, 4, 1);
    }
}

#[test]
fn into_bytes_views_and_writes() {
    let mut v = [0x0102u16, 0x0304];
    assert_eq!(v.as_bytes().len(), 4);
    v.as_mut_bytes()[0] = 0xFF;
    assert_eq!(v[0].to_ne_bytes()[0], 0xFF);
    let mut out = [0u8; 6];
    assert!(v.write_to(&mut out).is_err());
    v.write_to_prefix(&mut out).unwrap();
    v.write_to_suffix(&mut out).unwrap();
    assert_eq!(&out[..2], &v.as_bytes()[..2]);
    assert_eq!(&out[2..], v.as_bytes());
    let e = v.write_to_prefix(&mut out[..3]).unwrap_err();
    // `write_to`'s error names the value's size (its "source") and the destination type.
    assert!(e
        .to_string()
        .starts_with("cannot write a 4-byte value into the destination slice"));
    assert_eq!(e.into_src(), &v);
    assert!(v.write_to_suffix(&mut out[..3]).is_err());
    v.write_to(&mut out[..4]).unwrap();
}

#[cfg(feature = "std")]
mod io {
    use super::*;

    /// A reader that reads its destination before writing, as `io::Read` allows; under Miri
    /// this would flag uninitialized memory.
    struct Inspecting<'a>(&'a [u8]);
    impl std::io::Read for Inspecting<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let sum: u32 = buf.iter().map(|&b| u32::from(b)).sum();
            assert_eq!(sum, 0, "read_from_io must hand out zeroed memory");
            let n = buf.len().min(self.0.len()).min(3);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn read_from_io_sees_only_initialized_memory() {
        let v = u64::read_from_io(Inspecting(&[1, 2, 3, 4, 5, 6, 7, 8])).unwrap();
        assert_eq!(v.to_ne_bytes(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(u64::read_from_io(Inspecting(&[1, 2])).is_err());
        let mut out = Vec::new();
        v.write_to_io(&mut out).unwrap();
        assert_eq!(out, [1, 2, 3, 4, 5, 6, 7, 8]);
    }
}

#[test]
fn known_layout_sizes() {
    assert_eq!(<[u64]>::size_for_metadata(2), Some(16));
    assert_eq!(str::size_for_metadata(5), Some(5));
    assert_eq!(<[u8; 3]>::size_for_metadata(()), Some(3));
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    fn cases() -> ProptestConfig {
        ProptestConfig {
            cases: if cfg!(miri) { 8 } else { 256 },
            // Persisting failures needs the file system, which Miri isolates.
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(cases())]

        /// For any window of an aligned buffer, `ref_from_prefix::<[u32]>` either fails for
        /// exactly the documented reason or returns the largest fitting slice, and never panics.
        #[test]
        fn slice_prefix_matches_a_brute_force_model(start in 0usize..32, len in 0usize..32) {
            let b = buf();
            let src = &b.0[start..start + len];
            match <[u32]>::ref_from_prefix(src) {
                Ok((s, rest)) => {
                    prop_assert_eq!(start % 4, 0);
                    prop_assert_eq!(s.len(), len / 4);
                    prop_assert_eq!(rest.len(), len % 4);
                    prop_assert_eq!(s.as_bytes(), &src[..len / 4 * 4]);
                }
                Err(ConvertError::Alignment(_)) => prop_assert_ne!(start % 4, 0),
                Err(e) => prop_assert!(false, "unexpected {:?}", e),
            }
            let r = <[bool]>::try_ref_from_bytes(src);
            prop_assert_eq!(r.is_ok(), src.iter().all(|&x| x < 2));
            let read = u32::read_from_prefix(src);
            prop_assert_eq!(read.is_ok(), len >= 4);
        }
    }
}
