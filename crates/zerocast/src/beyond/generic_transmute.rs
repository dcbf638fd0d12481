//! Transmutes for generic code: the size (and alignment) checks are `const` blocks evaluated
//! when the function is instantiated with concrete types, instead of while type-checking.
//!
//! [`transmute!`](crate::transmute) proves "same size" with `core::mem::transmute`, which
//! rustc checks before it knows what a type parameter stands for, so inside
//! `fn f<T: IntoBytes>(t: T) -> [u8; 4]` the macro cannot compile at all (zerocopy #3610).
//! The functions here accept any `Src: IntoBytes, Dst: FromBytes` and defer the comparison
//! of `size_of::<Src>()` and `size_of::<Dst>()` to monomorphization: a mismatch is still a
//! build error (never a runtime panic), reported as "evaluation of
//! `transmute_generic::<Src, Dst>::{constant#0}` failed" with the message below, but only
//! for the instantiations that are actually used. `cargo check` does not monomorphize, so
//! the error appears in `cargo build`/`cargo test`.
//!
//! ```
//! use zerocast::beyond::transmute_generic;
//! use zerocast::{FromBytes, IntoBytes};
//!
//! /// Swaps the two halves of any 8-byte value, whatever its type.
//! fn swap_halves<T: IntoBytes + FromBytes>(value: T) -> T {
//!     let [a, b]: [[u8; 4]; 2] = transmute_generic(value);
//!     transmute_generic([b, a])
//! }
//! assert_eq!(swap_halves(0x1111_1111_2222_2222u64), 0x2222_2222_1111_1111);
//! ```

use core::mem::{align_of, size_of, ManuallyDrop};
use core::ptr::NonNull;

use crate::candidate::Maybe;
use crate::{FromBytes, Immutable, IntoBytes, TryFromBytes, ValidityError};

/// The two views of one value: `Src` written, `Dst` read.
#[repr(C)]
union Reinterpret<Src, Dst> {
    src: ManuallyDrop<Src>,
    dst: ManuallyDrop<Dst>,
}

/// Reinterprets `src`'s bytes as a `Dst`, in generic code; `const`.
///
/// Fails to build (post-monomorphization) when `size_of::<Src>() != size_of::<Dst>()`.
///
/// ```
/// use zerocast::beyond::transmute_generic;
/// use zerocast::{FromBytes, IntoBytes};
///
/// fn to_bytes<T: IntoBytes, const N: usize>(value: T) -> [u8; N] {
///     transmute_generic(value)
/// }
/// const ONE: [u8; 2] = transmute_generic(1u16.to_be());
/// assert_eq!(ONE, [0, 1]);
/// assert_eq!(to_bytes::<u32, 4>(7u32.to_le()), [7, 0, 0, 0]);
/// ```
#[inline(always)]
#[must_use]
pub const fn transmute_generic<Src: IntoBytes, Dst: FromBytes>(src: Src) -> Dst {
    const {
        assert!(
            size_of::<Src>() == size_of::<Dst>(),
            "transmute_generic: `Src` and `Dst` must have the same size"
        )
    };
    let both = Reinterpret::<Src, Dst> {
        src: ManuallyDrop::new(src),
    };
    // SAFETY: both fields start at offset 0 (`repr(C)` union) and have the same size (the
    // `const` assertion above), so reading `dst` reads exactly the bytes of `src`, which are
    // all initialized because `Src: IntoBytes` (no padding). Any initialized bytes are a
    // valid `Dst` because `Dst: FromBytes`. `src` is not dropped (it is in a
    // `ManuallyDrop`), so its value is moved into the result exactly once.
    let dst = unsafe { both.dst };
    ManuallyDrop::into_inner(dst)
}

/// Views `&Src` as `&Dst` in generic code; `const`.
///
/// Fails to build (post-monomorphization) when the sizes differ or when `Dst` needs a
/// larger alignment than `Src`.
///
/// ```
/// use zerocast::beyond::transmute_ref_generic;
/// use zerocast::{FromBytes, Immutable, IntoBytes};
///
/// fn as_byte_array<T: IntoBytes + Immutable, const N: usize>(value: &T) -> &[u8; N] {
///     transmute_ref_generic(value)
/// }
/// let words = [0x0102u16.to_be(), 0x0304u16.to_be()];
/// assert_eq!(as_byte_array::<_, 4>(&words), &[1, 2, 3, 4]);
/// ```
#[inline(always)]
#[must_use]
pub const fn transmute_ref_generic<Src, Dst>(src: &Src) -> &Dst
where
    Src: IntoBytes + Immutable,
    Dst: FromBytes + Immutable,
{
    const {
        assert!(
            size_of::<Src>() == size_of::<Dst>(),
            "transmute_ref_generic: `Src` and `Dst` must have the same size"
        );
        assert!(
            align_of::<Dst>() <= align_of::<Src>(),
            "transmute_ref_generic: `Dst` must not be more aligned than `Src`"
        );
    };
    let ptr = (src as *const Src).cast::<Dst>();
    // SAFETY: `ptr` has `src`'s address and provenance, aligned for `Dst` (alignments are
    // powers of two and `Dst`'s is not larger: asserted above). It covers `size_of::<Src>()`
    // (asserted equal) initialized bytes (`Src: IntoBytes`), a valid `Dst` (`FromBytes`).
    // No `UnsafeCell` in either type (`Immutable`), so `src`'s shared borrow keeps the bytes
    // unchanged for the result's lifetime, which is `src`'s.
    unsafe { &*ptr }
}

/// Views `&mut Src` as `&mut Dst` in generic code; `const`.
///
/// Both types must be `FromBytes + IntoBytes`, so that writes through either view leave
/// bytes that are valid for the other. Fails to build when the sizes differ or `Dst` is
/// more aligned than `Src`.
///
/// ```
/// use zerocast::beyond::transmute_mut_generic;
/// use zerocast::{FromBytes, IntoBytes};
///
/// fn clear_first_byte<T: FromBytes + IntoBytes, const N: usize>(value: &mut T) {
///     let bytes: &mut [u8; N] = transmute_mut_generic(value);
///     bytes[0] = 0;
/// }
/// let mut word = u32::MAX;
/// clear_first_byte::<_, 4>(&mut word);
/// assert_eq!(word.to_ne_bytes()[0], 0);
/// ```
#[inline(always)]
#[must_use]
pub const fn transmute_mut_generic<Src, Dst>(src: &mut Src) -> &mut Dst
where
    Src: FromBytes + IntoBytes,
    Dst: FromBytes + IntoBytes,
{
    const {
        assert!(
            size_of::<Src>() == size_of::<Dst>(),
            "transmute_mut_generic: `Src` and `Dst` must have the same size"
        );
        assert!(
            align_of::<Dst>() <= align_of::<Src>(),
            "transmute_mut_generic: `Dst` must not be more aligned than `Src`"
        );
    };
    let ptr = (src as *mut Src).cast::<Dst>();
    // SAFETY: `ptr` is derived from the exclusive borrow `src`, which is not used again, so
    // the result is the only way to reach these bytes for its lifetime. It is aligned for
    // `Dst` (alignment asserted at compile time, powers of two) and covers exactly `src`'s
    // `size_of::<Dst>()` initialized bytes (`Src: IntoBytes`), a valid `Dst`
    // (`Dst: FromBytes`). Whatever is written through the result is initialized
    // (`Dst: IntoBytes`) and therefore a valid `Src` when the borrow ends (`Src: FromBytes`).
    unsafe { &mut *ptr }
}

/// Reinterprets `src` as a `Dst` if its bytes are a valid `Dst`, in generic code.
///
/// Not `const`: the validity check is a trait method, and trait methods cannot be called
/// in `const` on stable Rust. Fails to build when the sizes differ.
///
/// ```
/// use zerocast::beyond::try_transmute_generic;
/// use zerocast::{IntoBytes, TryFromBytes};
///
/// fn decode<Src: IntoBytes, Dst: TryFromBytes>(src: Src) -> Option<Dst> {
///     try_transmute_generic(src).ok()
/// }
/// assert_eq!(decode::<u8, bool>(1), Some(true));
/// assert_eq!(decode::<u8, bool>(2), None);
/// ```
#[inline(always)]
pub fn try_transmute_generic<Src: IntoBytes, Dst: TryFromBytes>(
    src: Src,
) -> Result<Dst, ValidityError<Src, Dst>> {
    const {
        assert!(
            size_of::<Src>() == size_of::<Dst>(),
            "try_transmute_generic: `Src` and `Dst` must have the same size"
        )
    };
    let src = ManuallyDrop::new(src);
    let ptr = NonNull::from(&*src).cast::<Dst>();
    // SAFETY: `ptr` points at the local `src`, whose `size_of::<Dst>() == size_of::<Src>()`
    // bytes are all initialized (`Src: IntoBytes`) and lie in one allocation; nothing writes
    // them while the candidate lives (we own `src` and only read it). `Maybe` needs no
    // alignment, and `size_of::<Dst>()` is the size of a (sized) `Dst`.
    let candidate = unsafe { Maybe::new_unchecked(ptr, size_of::<Dst>()) };
    if Dst::is_bit_valid(candidate) {
        // SAFETY: `ptr` is valid for reading `size_of::<Dst>()` bytes (above), which are a
        // valid `Dst` (`is_bit_valid` returned `true`, which by `TryFromBytes`'s contract
        // proves it); `read_unaligned` needs no alignment. `src` is a `ManuallyDrop` that is
        // dropped without running `Src`'s destructor, so the value is moved out exactly once.
        Ok(unsafe { ptr.as_ptr().read_unaligned() })
    } else {
        Err(ValidityError::new(ManuallyDrop::into_inner(src)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generic_round_trip<T: IntoBytes + FromBytes, const N: usize>(value: T) -> T {
        let bytes: [u8; N] = transmute_generic(value);
        transmute_generic(bytes)
    }

    #[test]
    fn round_trips_through_bytes_in_generic_code() {
        assert_eq!(
            generic_round_trip::<u64, 8>(0xDEAD_BEEF_0102_0304),
            0xDEAD_BEEF_0102_0304
        );
        assert_eq!(generic_round_trip::<[u16; 3], 6>([1, 2, 3]), [1, 2, 3]);
    }

    #[test]
    fn ref_view_aliases_the_source() {
        let words = [1u32, 2];
        let bytes: &[u8; 8] = transmute_ref_generic(&words);
        assert_eq!(bytes.as_ptr().cast::<u32>(), words.as_ptr());
        assert_eq!(bytes[..4], 1u32.to_ne_bytes());
    }

    #[test]
    fn mut_view_writes_through() {
        let mut words = [0u16; 2];
        let bytes: &mut [u8; 4] = transmute_mut_generic(&mut words);
        bytes.copy_from_slice(&[1, 0, 0, 1]);
        assert_eq!(
            words,
            [u16::from_ne_bytes([1, 0]), u16::from_ne_bytes([0, 1])]
        );
    }

    #[test]
    fn try_transmute_rejects_invalid_and_returns_the_source() {
        assert_eq!(try_transmute_generic::<u8, bool>(0), Ok(false));
        let err = try_transmute_generic::<[u8; 4], char>(0xD800u32.to_ne_bytes()).unwrap_err();
        assert_eq!(err.into_src(), 0xD800u32.to_ne_bytes());
        assert_eq!(
            try_transmute_generic::<[u8; 4], char>(0x41u32.to_ne_bytes()),
            Ok('A')
        );
    }

    #[test]
    fn usable_in_const() {
        const BYTES: [u8; 4] = transmute_generic(0x0A0B_0C0Du32.to_be());
        const REF: &[u8; 2] = transmute_ref_generic(&[7u8, 8]);
        assert_eq!(BYTES, [0xA, 0xB, 0xC, 0xD]);
        assert_eq!(REF, &[7, 8]);
    }
}
