//! The `transmute*!` macros: success paths, runtime validity errors, `const` use; and (with
//! trybuild) every compile-time rejection in `tests/ui/`: the macros' size, alignment and
//! trait checks and the conversion methods' trait bounds, each with its checked message.

use core::cell::Cell;

use zerocast::{
    transmute, transmute_mut, transmute_ref, try_transmute, try_transmute_mut, try_transmute_ref,
};

#[test]
fn transmute_preserves_bytes() {
    let v: [u8; 8] = transmute!(0x0102_0304_0506_0708u64.to_be());
    assert_eq!(v, [1, 2, 3, 4, 5, 6, 7, 8]);
    let back: u64 = transmute!(v);
    assert_eq!(back, 0x0102_0304_0506_0708u64.to_be());
}

#[test]
fn shrinking_transmute_keeps_the_first_bytes() {
    let head: [u8; 3] = transmute!(#![allow(shrink)] [1u8, 2, 3, 4, 5]);
    assert_eq!(head, [1, 2, 3]);
    let same: [u8; 2] = transmute!(#![allow(shrink)] [7u8, 8]);
    assert_eq!(same, [7, 8]);
}

#[test]
fn transmute_works_in_const() {
    const X: [u16; 2] = transmute!([0u8, 0, 0, 0]);
    const R: &[u8; 2] = transmute_ref!(&[5u8, 6]);
    assert_eq!(X, [0, 0]);
    assert_eq!(R, &[5, 6]);
}

/// `transmute_mut!` inside a `const fn` (mutable references in const are stable since 1.83).
const fn words_as_bytes(w: &mut [u16; 2]) -> &mut [u8; 4] {
    transmute_mut!(w)
}

#[test]
fn transmute_mut_works_in_const_fn() {
    let mut w = [0u16; 2];
    words_as_bytes(&mut w)[1] = 1;
    assert_eq!(w[0], u16::from_ne_bytes([0, 1]));
}

#[test]
fn transmute_ref_and_mut_alias_the_source() {
    let words = [1u32, 2];
    let bytes: &[u8; 8] = transmute_ref!(&words);
    assert_eq!(bytes.as_ptr().cast::<u32>(), words.as_ptr());
    let mut words = [0u32; 2];
    let bytes: &mut [u8; 8] = transmute_mut!(&mut words);
    bytes[4..].copy_from_slice(&7u32.to_ne_bytes());
    assert_eq!(words, [0, 7]);
}

#[test]
fn try_transmute_rejects_invalid_values_and_returns_the_source() {
    let ok: Result<char, _> = try_transmute!(0x1F600u32);
    assert_eq!(ok, Ok('😀'));
    let bad: Result<char, _> = try_transmute!(0xD800u32);
    assert_eq!(bad.unwrap_err().into_src(), 0xD800);

    let src = [1u8, 2];
    let r: Result<&[bool; 2], _> = try_transmute_ref!(&src);
    assert!(core::ptr::eq(r.unwrap_err().into_src(), &src));

    let mut raw = [1u8, 0];
    let flags: &mut [bool; 2] = try_transmute_mut!(&mut raw).unwrap();
    flags[1] = true;
    assert_eq!(raw, [1, 1]);
    let mut raw = [9u8, 0];
    let r: Result<&mut [bool; 2], _> = try_transmute_mut!(&mut raw);
    assert_eq!(r.unwrap_err().into_src(), &mut [9, 0]);
}

#[test]
fn try_transmute_of_interior_mutable_source_by_value_is_allowed() {
    // By value there is no aliasing, so `Cell` (not `Immutable`) is fine.
    let r: Result<bool, _> = try_transmute!(Cell::new(1u8));
    assert_eq!(r, Ok(true));
}

#[test]
#[cfg_attr(miri, ignore)]
fn compile_time_rejections() {
    let t = trybuild::TestCases::new();
    // A passing case makes trybuild run `cargo build`, which evaluates the post-monomorphization
    // size and alignment checks of the reference macros (`cargo check` would not).
    t.pass("tests/ui-pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
}

mod generic_and_dst_forms {
    //! The forms zerocopy 0.8.64 accepts beyond concrete sized types: generic code and slice
    //! DSTs, whose size and alignment rules are checked at monomorphization.

    use zerocast::{FromBytes, Immutable, IntoBytes, TryFromBytes, Unalign};

    fn view<Src: IntoBytes + Immutable, Dst: FromBytes + Immutable>(src: &Src) -> &Dst {
        zerocast::transmute_ref!(src)
    }

    fn view_mut<Src: FromBytes + IntoBytes, Dst: FromBytes + IntoBytes>(src: &mut Src) -> &mut Dst {
        zerocast::transmute_mut!(src)
    }

    fn try_view<Src, Dst>(src: &Src) -> Result<&Dst, zerocast::ValidityError<&Src, Dst>>
    where
        Src: IntoBytes + Immutable,
        Dst: TryFromBytes + Immutable,
    {
        zerocast::try_transmute_ref!(src)
    }

    fn try_view_mut<Src, Dst>(src: &mut Src) -> Option<&mut Dst>
    where
        Src: FromBytes + IntoBytes,
        Dst: TryFromBytes + IntoBytes,
    {
        zerocast::try_transmute_mut!(#![defer_size_check] src).ok()
    }

    // The derives by path, so the test builds with and without the `derive` feature.
    #[derive(
        zerocast_derive::KnownLayout,
        zerocast_derive::FromBytes,
        zerocast_derive::IntoBytes,
        zerocast_derive::Immutable,
    )]
    #[repr(C)]
    struct Tagged<T, U> {
        tag: T,
        body: [U],
    }

    #[test]
    fn generic_reference_transmutes_alias_the_source() {
        let word = 0x0102_0304u32.to_be();
        let bytes: &[u8; 4] = view(&word);
        assert_eq!(bytes, &[1, 2, 3, 4]);
        assert_eq!(bytes.as_ptr(), (&word as *const u32).cast::<u8>());
        let mut pair = [0u16; 2];
        let raw: &mut [u8; 4] = view_mut(&mut pair);
        raw[2] = 0xff;
        assert_eq!(pair[1].to_ne_bytes()[0], 0xff);
    }

    #[test]
    fn generic_try_transmutes_check_validity_and_return_the_source() {
        assert_eq!(try_view::<u8, bool>(&1), Ok(&true));
        let err = try_view::<u8, bool>(&9).unwrap_err();
        assert_eq!(*err.into_src(), 9);
        let mut byte = 0u8;
        *try_view_mut::<u8, bool>(&mut byte).unwrap() = true;
        assert_eq!(byte, 1);
        byte = 7;
        assert!(try_view_mut::<u8, bool>(&mut byte).is_none());
    }

    #[test]
    fn slice_to_slice_scales_the_length_and_keeps_the_bytes() {
        let words: &[u32] = &[
            u32::from_ne_bytes([1, 2, 3, 4]),
            u32::from_ne_bytes([5, 6, 7, 8]),
        ];
        let halves: &[u16] = zerocast::transmute_ref!(words);
        assert_eq!(halves.len(), 4);
        assert_eq!(halves.as_bytes(), words.as_bytes());
        let bytes: &[u8] = zerocast::transmute_ref!(halves);
        assert_eq!(bytes, &[1, 2, 3, 4, 5, 6, 7, 8]);
        let empty: &[u8] = zerocast::transmute_ref!(&words[..0]);
        assert!(empty.is_empty());
    }

    #[test]
    fn sized_to_slice_fills_whole_elements() {
        let triples: &[[u8; 3]] = zerocast::transmute_ref!(&[1u8, 2, 3, 4, 5, 6]);
        assert_eq!(triples, &[[1, 2, 3], [4, 5, 6]]);
        let mut words = [0u32; 2];
        let halves: &mut [u16] = zerocast::transmute_mut!(&mut words);
        assert_eq!(halves.len(), 4);
        halves[3] = 0xffff;
        assert_eq!(words[1].to_ne_bytes()[2..], [0xff, 0xff]);
    }

    #[test]
    fn struct_dst_views_move_the_header_into_the_slice() {
        let bytes = [0u8, 1, 2, 3, 4, 5, 6, 7];
        let src = Tagged::<Unalign<u32>, Unalign<u16>>::ref_from_bytes(&bytes[..]).unwrap();
        let dst: &Tagged<Unalign<u16>, u8> = zerocast::transmute_ref!(src);
        assert_eq!(dst.tag.as_bytes(), [0, 1]);
        assert_eq!(dst.body, [2, 3, 4, 5, 6, 7]);
        let flat: &[u8] = zerocast::transmute_ref!(dst);
        assert_eq!(flat, &bytes);
    }

    #[test]
    fn try_forms_with_slices_validate_every_element() {
        let ok: &[bool] = zerocast::try_transmute_ref!(&[1u8, 0, 1][..]).unwrap();
        assert_eq!(ok, [true, false, true]);
        let bad: Result<&[bool], _> = zerocast::try_transmute_ref!(&[1u8, 0, 2][..]);
        assert_eq!(bad.unwrap_err().into_src(), &[1, 0, 2]);
        let mut raw = [0u8, 1];
        let flags: &mut [bool] = zerocast::try_transmute_mut!(&mut raw[..]).unwrap();
        flags[0] = true;
        assert_eq!(raw, [1, 1]);
        let mut bad_raw = [3u8];
        let bad_mut: Result<&mut [bool], _> = zerocast::try_transmute_mut!(&mut bad_raw);
        assert_eq!(bad_mut.unwrap_err().into_src(), &mut [3]);
    }
}
