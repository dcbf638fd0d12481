//! Crate-private cast machinery shared by the trait methods and `Ref`: given a byte range,
//! find where a `T` fits (whole, prefix or suffix; maximal or given element count), check
//! alignment, and make the pointer. No dereference happens here; callers decide what the
//! bytes may be used for.

use core::ptr::NonNull;

use crate::known_layout::{KnownLayout, PointerMetadata};
use crate::layout::SizeInfo;

/// Which part of the bytes the `T` must occupy.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum CastKind {
    /// All of them, exactly.
    Whole,
    /// A prefix: `T` starts at the first byte.
    Prefix,
    /// A suffix: `T` ends at the last byte.
    Suffix,
}

/// Why a cast failed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum CastFailure {
    /// The bytes are too short, too long (for `Whole`), or the size overflows.
    Size,
    /// The `T` would start at an address that is not a multiple of its alignment.
    Alignment,
}

/// Compile-time rejection of slice DSTs with zero-sized elements in the methods that pick
/// the element count themselves (every count would fit).
pub(crate) struct AssertNotZstDst<T: ?Sized>(core::marker::PhantomData<T>);
impl<T: ?Sized + KnownLayout> AssertNotZstDst<T> {
    pub(crate) const OK: () = match T::LAYOUT.size_info() {
        SizeInfo::SliceDst(_) => {
            assert!(
                !matches!(T::LAYOUT.elem_size(), Some(0)),
                "zerocast cannot infer the element count of a slice DST with zero-sized elements; use a `_with_elems` method"
            )
        }
        SizeInfo::Sized { .. } => {}
    };
}

/// Compile-time rejection of slice DSTs with zero-sized elements in every constructor and
/// accessor of `Ref`, including the ones that take an element count: zerocopy's `Ref` takes no
/// such type at all, and zerocast's matches it (the trait methods' `_with_elems` forms accept
/// them).
pub(crate) struct AssertRefNotZstDst<T: ?Sized>(core::marker::PhantomData<T>);
impl<T: ?Sized + KnownLayout> AssertRefNotZstDst<T> {
    pub(crate) const OK: () = match T::LAYOUT.size_info() {
        SizeInfo::SliceDst(_) => {
            assert!(
                !matches!(T::LAYOUT.elem_size(), Some(0)),
                "zerocast's `Ref` does not take slice DSTs with zero-sized elements (nor does zerocopy's); use `FromBytes::ref_from_bytes_with_elems` and the like"
            )
        }
        SizeInfo::Sized { .. } => {}
    };
}

/// Locates a `T` in the `len` bytes at `bytes`.
///
/// `meta` is the element count to use, or `None` for "sized, or as many as fit". On success
/// returns the pointer to the `T` (derived from `bytes`, so with its provenance) and the
/// split point: `T` covers `[0, split)` for `Whole`/`Prefix` and `[split, len)` for
/// `Suffix`.
///
/// The result is only a pointer: it is aligned for `T` and covers exactly the size `T`'s
/// layout gives for its metadata, all within the `len` bytes. What may be done through it
/// depends on the bytes' origin and is the caller's business.
///
/// `bytes` must point to `len` bytes of one allocation (it is not dereferenced, but the
/// offset computation relies on it; every caller passes a slice's pointer and length).
#[inline(always)]
pub(crate) fn try_cast<T: ?Sized + KnownLayout>(
    bytes: NonNull<[u8]>,
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Result<(NonNull<T>, usize), CastFailure> {
    let len = bytes.len();
    let layout = T::LAYOUT;
    let base = bytes.cast::<u8>();
    // A prefix starts at the first byte: test its alignment before the size, as zerocopy
    // does (so both report `Alignment` when both tests fail, and LLVM merges the two tests
    // as it does for zerocopy's: one instruction less with fat LTO). Whole and suffix casts
    // are tested below, after the size (for `Whole` that order gives the shorter code).
    if matches!(kind, CastKind::Prefix) && base.as_ptr().addr() & (layout.align() - 1) != 0 {
        return Err(CastFailure::Alignment);
    }
    let (elems, size) = match meta {
        Some(m) => {
            let elems = m.to_elem_count();
            match layout.size_for_elems(elems) {
                Some(size) => (elems, size),
                None => return Err(CastFailure::Size),
            }
        }
        // A sized type has one size; the `kind` check below compares it with `len`, so no
        // separate "does it fit" test is needed (LLVM does not always fold the two).
        None if matches!(layout.size_info(), SizeInfo::Sized { .. }) => {
            (0, layout.size_for_elems_in_bounds(0))
        }
        // An exact fit of an unrounded slice DST (`[T]` itself): the element count and the
        // divisibility test come from one division (see `exact_elems_in`), and the size and
        // alignment tests are one `or`, so this route returns on its own. The pointer is
        // made before the test, so that the count flows straight into the result: when it
        // was made on the success path only, LLVM sank the division below the merged test,
        // which then needed a copy of `len` (one instruction more than zerocopy for
        // `<[u32]>::ref_from_bytes`, benches/core-codegen). Size is still reported before
        // alignment when both fail, as for every whole cast.
        None if matches!(kind, CastKind::Whole) && layout.exact_elems_in(0).is_some() => {
            let (elems, misfit) = match layout.exact_elems_in(len) {
                Some(found) => found,
                None => return Err(CastFailure::Size), // not reached: tested in the guard
            };
            let misaligned = base.as_ptr().addr() & (layout.align() - 1);
            // Only a pointer (nothing is read through it); returned only if the tests pass.
            let whole = T::raw_from_ptr_len(base, T::PointerMetadata::from_elem_count(elems));
            return if misfit | misaligned == 0 {
                // `misfit == 0`: the layout has no rounding level, so `elems` elements
                // are `tail + elems * elem_size = len` bytes, exactly the `len` bytes at
                // `bytes`; `misaligned == 0`: `base` is aligned for `T`.
                Ok((whole, len))
            } else if misfit != 0 {
                Err(CastFailure::Size)
            } else {
                Err(CastFailure::Alignment)
            };
        }
        None => {
            let elems = match layout.max_elems_in(len) {
                Some(e) => e,
                None => return Err(CastFailure::Size),
            };
            // `elems` fits in `len <= isize::MAX` bytes by construction.
            (elems, layout.size_for_elems_in_bounds(elems))
        }
    };
    let start = match kind {
        CastKind::Whole if size == len => 0,
        CastKind::Prefix if size <= len => 0,
        CastKind::Suffix if size <= len => len - size,
        _ => return Err(CastFailure::Size),
    };
    let addr = base.as_ptr().addr().wrapping_add(start);
    // Repeats the test above for a prefix (`start` is 0 there; LLVM folds it), so the
    // alignment of the pointer made below rests on this one line (the exact whole route
    // above returns its own pointer, after its own test).
    if addr & (layout.align() - 1) != 0 {
        return Err(CastFailure::Alignment);
    }
    // SAFETY: `start <= len` and `bytes` points to `len` bytes of one allocation (the
    // caller's slice), so the offset stays in bounds (`NonNull::add`'s requirement; `start`
    // fits in `isize` because `len` does).
    let at = unsafe { base.add(start) };
    let split = match kind {
        CastKind::Whole | CastKind::Prefix => size,
        CastKind::Suffix => start,
    };
    Ok((
        T::raw_from_ptr_len(at, T::PointerMetadata::from_elem_count(elems)),
        split,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C, align(8))]
    struct Aligned([u8; 32]);

    fn slice_ptr(bytes: &[u8]) -> NonNull<[u8]> {
        NonNull::from(bytes)
    }

    #[test]
    fn prefix_and_suffix_split_points() {
        let buf = Aligned([0; 32]);
        let b = &buf.0[..];
        let (_, split) = try_cast::<u32>(slice_ptr(&b[..10]), CastKind::Prefix, None).unwrap();
        assert_eq!(split, 4);
        let (_, split) = try_cast::<u32>(slice_ptr(&b[..12]), CastKind::Suffix, None).unwrap();
        assert_eq!(split, 8);
        let (p, split) = try_cast::<[u16]>(slice_ptr(&b[..7]), CastKind::Prefix, None).unwrap();
        assert_eq!((split, p.len()), (6, 3));
        let (p, split) = try_cast::<[u16]>(slice_ptr(&b[..8]), CastKind::Suffix, Some(1)).unwrap();
        assert_eq!((split, p.len()), (6, 1));
    }

    #[test]
    fn prefix_reports_alignment_before_size_as_zerocopy_does() {
        let buf = Aligned([0; 32]);
        let b = &buf.0[..];
        // Three bytes at an odd address: too short for a `u32` and misaligned for it.
        assert_eq!(
            try_cast::<u32>(slice_ptr(&b[1..4]), CastKind::Prefix, None).unwrap_err(),
            CastFailure::Alignment
        );
        // A whole cast still reports the size first (zerocopy's `ref_from_bytes` is a
        // prefix cast plus a leftover test, but the result of both is an error either way).
        assert_eq!(
            try_cast::<[u16]>(slice_ptr(&b[1..4]), CastKind::Whole, None).unwrap_err(),
            CastFailure::Size
        );
    }

    #[test]
    fn whole_slice_casts_take_every_element_or_fail() {
        let buf = Aligned([0; 32]);
        let b = &buf.0[..];
        for len in 0..=16 {
            let got = try_cast::<[u16]>(slice_ptr(&b[..len]), CastKind::Whole, None);
            if len % 2 == 0 {
                let (p, split) = got.unwrap();
                assert_eq!((p.len(), split), (len / 2, len));
            } else {
                assert_eq!(got.unwrap_err(), CastFailure::Size);
            }
        }
        // An aligned element type: the size and alignment tests are merged, and size is
        // still reported first when both fail.
        for start in 0..4 {
            for len in 0..=16 {
                let s = &b[start..start + len];
                let got = try_cast::<[u32]>(slice_ptr(s), CastKind::Whole, None);
                match (len % 4 == 0, start % 4 == 0) {
                    (true, true) => {
                        let (p, split) = got.unwrap();
                        assert_eq!((p.len(), split), (len / 4, len));
                        assert_eq!(p.cast::<u8>().as_ptr().cast_const(), s.as_ptr());
                    }
                    (false, _) => assert_eq!(got.unwrap_err(), CastFailure::Size),
                    (true, false) => assert_eq!(got.unwrap_err(), CastFailure::Alignment),
                }
            }
        }
        // An element size that is not a power of two.
        for len in 0..=16 {
            let got = try_cast::<[[u8; 3]]>(slice_ptr(&b[1..1 + len]), CastKind::Whole, None);
            if len % 3 == 0 {
                assert_eq!(got.unwrap().0.len(), len / 3);
            } else {
                assert_eq!(got.unwrap_err(), CastFailure::Size);
            }
        }
    }

    #[test]
    fn rejects_wrong_size_and_misalignment() {
        let buf = Aligned([0; 32]);
        let b = &buf.0[..];
        assert_eq!(
            try_cast::<u32>(slice_ptr(&b[..3]), CastKind::Prefix, None).unwrap_err(),
            CastFailure::Size
        );
        assert_eq!(
            try_cast::<u32>(slice_ptr(&b[..5]), CastKind::Whole, None).unwrap_err(),
            CastFailure::Size
        );
        for off in 1..4 {
            assert_eq!(
                try_cast::<u32>(slice_ptr(&b[off..off + 4]), CastKind::Whole, None).unwrap_err(),
                CastFailure::Alignment
            );
        }
        assert_eq!(
            try_cast::<[u16]>(slice_ptr(&b[..8]), CastKind::Whole, Some(usize::MAX)).unwrap_err(),
            CastFailure::Size
        );
        assert_eq!(
            try_cast::<u16>(slice_ptr(&b[..5]), CastKind::Suffix, None).unwrap_err(),
            CastFailure::Alignment
        );
    }
}
