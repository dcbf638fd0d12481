//! Integers, floats, `bool`, `char`, `str` and `()`.
//!
//! Facts used below (Rust Reference, "Type Layout" and "Behavior considered undefined"):
//! integer and float types have no padding and every initialized bit pattern is a valid
//! value; `bool` is one byte whose valid values are 0 and 1; `char` is a `u32` that must be a
//! Unicode scalar value (not a surrogate, at most 0x10FFFF); `str` has the layout of `[u8]`
//! and must be UTF-8 for safe code; `()` is zero-sized. None of them contains an
//! `UnsafeCell`. `u8`, `i8`, `bool`, `str` and `()` have alignment 1.

use crate::impls::macros::unsafe_impl;

// SAFETY: (Reference facts above) no `UnsafeCell`; all-zero bytes are the value 0 (0.0 for
// floats); every initialized bit pattern is valid; no padding; the exact layout is
// `size_of`/`align_of` of a sized type.
unsafe_impl!({} Immutable for u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64);
// SAFETY: see above.
unsafe_impl!({} TryFromBytes for u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64);
// SAFETY: see above.
unsafe_impl!({} FromZeros for u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64);
// SAFETY: see above.
unsafe_impl!({} FromBytes for u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64);
// SAFETY: see above.
unsafe_impl!({} IntoBytes for u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64);
// SAFETY: see above.
unsafe_impl!({} KnownLayout for u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize, f32, f64);
// SAFETY: `u8` and `i8` have size and alignment 1.
unsafe_impl!({} Unaligned for u8, i8);

// SAFETY: `bool` is one byte (no padding), 0 is `false` (so zeroes are valid), alignment 1, no
// `UnsafeCell`.
unsafe_impl!({} Immutable for bool, ());
// SAFETY: see above.
unsafe_impl!({} FromZeros for bool);
// SAFETY: see above.
unsafe_impl!({} IntoBytes for bool);
// SAFETY: see above.
unsafe_impl!({} Unaligned for bool);
// SAFETY: sized type.
unsafe_impl!({} KnownLayout for bool, char, ());
// SAFETY: a `bool` candidate is exactly one initialized byte; it is valid iff it is 0 or 1.
unsafe_impl!({} TryFromBytes for bool; |c| matches!(c.read_at::<u8>(0), Some(0 | 1)));

// SAFETY: `char` is a 4-byte `u32` with no padding and no `UnsafeCell`; 0 is '\0'.
unsafe_impl!({} Immutable for char);
// SAFETY: see above.
unsafe_impl!({} FromZeros for char);
// SAFETY: see above.
unsafe_impl!({} IntoBytes for char);
// SAFETY: a `char` candidate is four initialized bytes; `char::from_u32` accepts exactly the
// Unicode scalar values, the valid `char`s.
unsafe_impl!({} TryFromBytes for char; |c| c.read_at::<u32>(0).and_then(char::from_u32).is_some());

// SAFETY: `()` is zero-sized: it has no bytes, so every (empty) byte sequence is a valid `()`,
// there is no padding, and alignment is 1.
unsafe_impl!({} TryFromBytes for ());
// SAFETY: see above.
unsafe_impl!({} FromZeros for ());
// SAFETY: see above.
unsafe_impl!({} FromBytes for ());
// SAFETY: see above.
unsafe_impl!({} IntoBytes for ());
// SAFETY: see above.
unsafe_impl!({} Unaligned for ());

// SAFETY: `str` has the layout of `[u8]` (no padding, alignment 1, no `UnsafeCell`), and
// all-zero bytes are valid UTF-8 (NUL characters).
unsafe_impl!({} !Sized Immutable for str);
// SAFETY: see above.
unsafe_impl!({} !Sized FromZeros for str);
// SAFETY: see above.
unsafe_impl!({} !Sized IntoBytes for str);
// SAFETY: see above.
unsafe_impl!({} !Sized Unaligned for str);
// SAFETY: a `str` candidate's bytes are its UTF-8 code units; `from_utf8` accepts exactly
// valid UTF-8, which is `str`'s safety invariant.
unsafe_impl!({} !Sized TryFromBytes for str; |c| core::str::from_utf8(c.bytes()).is_ok());

// SAFETY: `str` has the layout of `[u8]` (Reference, "Type Layout": "str ... same layout as
// [u8]"), so its size for `n` elements is `n` and alignment 1; the metadata of a `*mut str`
// is its byte length, the same as that of the `*mut [u8]` it is cast from and to.
unsafe impl crate::KnownLayout for str {
    type PointerMetadata = usize;
    const LAYOUT: crate::DstLayout = crate::DstLayout::for_slice::<u8>();
    #[inline(always)]
    fn raw_from_ptr_len(bytes: core::ptr::NonNull<u8>, meta: usize) -> core::ptr::NonNull<Self> {
        let slice = core::ptr::NonNull::slice_from_raw_parts(bytes, meta);
        let ptr = slice.as_ptr() as *mut str;
        // SAFETY: `ptr` has `bytes`' address, which is non-null.
        unsafe { core::ptr::NonNull::new_unchecked(ptr) }
    }
    #[inline(always)]
    fn pointer_to_metadata(ptr: *mut Self) -> usize {
        (ptr as *mut [u8]).len()
    }
}

/// `f16` and `f128` (feature `float-nightly` on a nightly compiler; see `build.rs`).
#[cfg(all(feature = "float-nightly", zerocast_nightly))]
mod nightly_floats {
    use crate::impls::macros::unsafe_impl;

    // SAFETY: like the other floats (Reference "Type Layout", and the `f16`/`f128` docs):
    // sizes 2 and 16 with no padding, every bit pattern a valid value (NaNs included), zero
    // bits are +0.0, no `UnsafeCell`; sized, so `KnownLayout` is `for_type`.
    unsafe_impl!({} Immutable for f16, f128);
    // SAFETY: see above.
    unsafe_impl!({} TryFromBytes for f16, f128);
    // SAFETY: see above.
    unsafe_impl!({} FromZeros for f16, f128);
    // SAFETY: see above.
    unsafe_impl!({} FromBytes for f16, f128);
    // SAFETY: see above.
    unsafe_impl!({} IntoBytes for f16, f128);
    // SAFETY: see above.
    unsafe_impl!({} KnownLayout for f16, f128);

    #[cfg(test)]
    mod tests {
        use crate::{FromBytes, FromZeros, IntoBytes};

        #[test]
        fn half_and_quad_floats_round_trip_through_bytes() {
            let h = 1.5f16;
            assert_eq!(
                f16::read_from_bytes(h.as_bytes()).unwrap().to_bits(),
                h.to_bits()
            );
            assert_eq!(f16::new_zeroed().to_bits(), 0);
            let q = -2.25f128;
            assert_eq!(
                f128::read_from_bytes(q.as_bytes()).unwrap().to_bits(),
                q.to_bits()
            );
            assert!(f128::read_from_bytes(&[0u8; 15][..]).is_err());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{FromBytes, IntoBytes, TryFromBytes};

    #[test]
    fn bool_accepts_only_zero_and_one() {
        for b in 0..=255u8 {
            assert_eq!(bool::try_read_from_bytes(&[b]).is_ok(), b < 2, "byte {b}");
        }
    }

    #[test]
    fn char_rejects_surrogates_and_out_of_range() {
        for v in [0xD800u32, 0xDFFF, 0x11_0000, u32::MAX] {
            assert!(
                char::try_read_from_bytes(&v.to_ne_bytes()).is_err(),
                "{v:#x}"
            );
        }
        for v in [0u32, 0x41, 0xD7FF, 0xE000, 0x10_FFFF] {
            assert_eq!(
                char::try_read_from_bytes(&v.to_ne_bytes()).ok(),
                char::from_u32(v)
            );
        }
    }

    #[test]
    fn str_requires_utf8() {
        assert_eq!(str::try_ref_from_bytes(b"h\xc3\xa9").unwrap(), "hé");
        assert!(str::try_ref_from_bytes(b"\xc3").is_err());
        let mut buf = *b"ab";
        let s = str::try_mut_from_bytes(&mut buf[..]).unwrap();
        s.make_ascii_uppercase();
        assert_eq!(&buf, b"AB");
    }

    #[test]
    fn integers_round_trip_through_bytes() {
        let v = 0x0102_0304_0506_0708u64;
        assert_eq!(u64::read_from_bytes(v.as_bytes()).unwrap(), v);
        assert_eq!(f64::read_from_bytes(1.5f64.as_bytes()).unwrap(), 1.5);
        assert_eq!(i8::read_from_bytes(&[0xff]).unwrap(), -1);
    }
}
