//! Arrays `[T; N]` and slices `[T]`.
//!
//! Facts used (Rust Reference, "Type Layout", array and slice layout): `[T; N]` and `[T]` are
//! their elements laid out contiguously with no padding between or around them (each element
//! is `size_of::<T>()` bytes, a multiple of `T`'s alignment), and have `T`'s alignment. A
//! sequence of bytes is a valid array/slice iff each element's bytes are a valid `T`. They
//! contain an `UnsafeCell` iff `T` does.

use core::ptr::NonNull;

use crate::impls::macros::unsafe_impl;
use crate::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, TryFromBytes, Unaligned};

// SAFETY: by the facts above each property of `[T; N]` follows from the same property of `T`:
// no `UnsafeCell` if `T` has none; all-zero elements are valid if zero `T`s are; every byte
// sequence valid if every `T`'s is; no padding if `T` has none; alignment is `T`'s.
unsafe_impl!({T: Immutable, const N: usize} Immutable for [T; N]);
// SAFETY: see above.
unsafe_impl!({T: FromZeros, const N: usize} FromZeros for [T; N]);
// SAFETY: see above.
unsafe_impl!({T: FromBytes, const N: usize} FromBytes for [T; N]);
// SAFETY: see above.
unsafe_impl!({T: IntoBytes, const N: usize} IntoBytes for [T; N]);
// SAFETY: see above.
unsafe_impl!({T: Unaligned, const N: usize} Unaligned for [T; N]);
// SAFETY: `[T; N]` is sized.
unsafe_impl!({T, const N: usize} KnownLayout for [T; N]);
// SAFETY: an array is valid iff each element is; `project_unsized` views the same bytes as
// `[T]` (an unsizing cast keeps address and bytes, and `[T]`'s size for `N` elements is
// `size_of::<[T; N]>()`), and the slice impl checks every element.
unsafe_impl!({T: TryFromBytes, const N: usize} TryFromBytes for [T; N]; |c| {
    // SAFETY: the unsizing cast returns a pointer to the same `N * size_of::<T>()` bytes,
    // all within the array's bytes, without reading or writing through it.
    let slice = unsafe { c.project_unsized(|p| p as *mut [T]) };
    <[T]>::is_bit_valid(slice)
});

// SAFETY: as for arrays, each property of `[T]` follows from `T`'s.
unsafe_impl!({T: Immutable} !Sized Immutable for [T]);
// SAFETY: see above.
unsafe_impl!({T: FromZeros} !Sized FromZeros for [T]);
// SAFETY: see above.
unsafe_impl!({T: FromBytes} !Sized FromBytes for [T]);
// SAFETY: see above.
unsafe_impl!({T: IntoBytes} !Sized IntoBytes for [T]);
// SAFETY: see above.
unsafe_impl!({T: Unaligned} !Sized Unaligned for [T]);
// SAFETY: a slice is valid iff each element is (facts above), and the check asks every
// element `0..elem_count()` for its validity.
unsafe impl<T: TryFromBytes> TryFromBytes for [T] {
    // `#[inline]`, not `#[inline(always)]`: inlined late, after LLVM has simplified this loop
    // on its own, the scan keeps its exit test at the top (no extra entry test before it).
    #[inline]
    fn is_bit_valid(c: crate::Maybe<'_, Self>) -> bool {
        (0..c.elem_count()).all(|i| c.element(i).is_some_and(T::is_bit_valid))
    }
}

// SAFETY: `[T]` with `n` elements is `n * size_of::<T>()` bytes with `T`'s alignment, which
// is `DstLayout::for_slice::<T>()`; its pointer metadata is the element count, which
// `slice_from_raw_parts` sets and `len` reads without dereferencing.
unsafe impl<T> KnownLayout for [T] {
    type PointerMetadata = usize;
    const LAYOUT: crate::DstLayout = crate::DstLayout::for_slice::<T>();
    #[inline(always)]
    fn raw_from_ptr_len(bytes: NonNull<u8>, meta: usize) -> NonNull<Self> {
        NonNull::slice_from_raw_parts(bytes.cast::<T>(), meta)
    }
    #[inline(always)]
    fn pointer_to_metadata(ptr: *mut Self) -> usize {
        ptr.len()
    }
}

#[cfg(test)]
mod tests {
    use crate::{FromBytes, FromZeros, IntoBytes, KnownLayout, TryFromBytes};

    #[test]
    fn arrays_of_bool_check_every_element() {
        assert_eq!(
            <[bool; 3]>::try_read_from_bytes(&[1, 0, 1]).unwrap(),
            [true, false, true]
        );
        for bad in 0..3 {
            let mut b = [0u8; 3];
            b[bad] = 2;
            assert!(
                <[bool; 3]>::try_read_from_bytes(&b).is_err(),
                "bad at {bad}"
            );
            assert!(<[bool]>::try_ref_from_bytes(&b).is_err(), "bad at {bad}");
        }
    }

    #[test]
    fn slice_metadata_and_sizes() {
        assert_eq!(<[u32]>::size_for_metadata(5), Some(20));
        let mut v = [1u16, 2, 3];
        v[..].zero();
        assert_eq!(v, [0; 3]);
        assert_eq!([1u8, 2].as_bytes(), &[1, 2]);
        let words = [0u16; 1];
        let s = <[u16]>::ref_from_bytes(&words.as_bytes()[..0]).unwrap();
        assert!(s.is_empty());
        // An empty `[u8; 0]` has a dangling, 1-aligned address: misaligned for `u16`.
        let odd = [0u8; 3];
        let at = odd.as_ptr().addr() % 2;
        assert!(<[u16]>::ref_from_bytes(&odd[1 - at..1 - at]).is_err());
    }
}
