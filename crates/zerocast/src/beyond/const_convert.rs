//! Conversions callable in `const` contexts (zerocopy #115), and why the rest cannot be.
//!
//! # What is `const`
//!
//! | operation | `const` form |
//! |---|---|
//! | `transmute!`, `transmute_ref!`, `transmute_mut!`, `include_value!` | the macros themselves |
//! | generic transmutes | [`transmute_generic`](super::transmute_generic), [`transmute_ref_generic`](super::transmute_ref_generic), [`transmute_mut_generic`](super::transmute_mut_generic) |
//! | `FromBytes::ref_from_bytes` / `_prefix` / `_suffix` | [`ref_from_bytes`], [`ref_from_prefix`], [`ref_from_suffix`] for `T: Unaligned` |
//! | `FromBytes::mut_from_bytes` | [`mut_from_bytes`] for `T: Unaligned` |
//! | `<[T]>::ref_from_bytes` | [`slice_ref_from_bytes`] for `T: Unaligned` |
//! | `FromBytes::read_from_bytes` / `_prefix` / `_suffix` | [`read_from_bytes`], [`read_from_prefix`], [`read_from_suffix`] (any alignment) |
//! | `IntoBytes::as_bytes` | [`as_bytes`] (sized values), [`slice_as_bytes`] |
//! | `FromZeros::new_zeroed` | [`new_zeroed`] |
//! | byte-order types | `U16::new`, `get`, `from_bytes`, `to_bytes`, ... (in `byteorder`) |
//! | `Unalign` | `Unalign::new`, `into_inner`, ... (in `unalign`) |
//!
//! # What cannot be `const`, and why
//!
//! * **The trait methods** (`FromBytes::ref_from_bytes`, `IntoBytes::as_bytes`, ...):
//!   stable Rust has no `const` trait methods (`const_trait_impl` is unstable), so the
//!   free functions above are the `const` spelling of the same operations.
//! * **Anything that checks alignment at run time** (`ref_from_bytes` for `T` with
//!   alignment above 1, `Ref::from_bytes`, `SplitAt` on such types): `const` evaluation
//!   cannot look at an address (pointer-to-integer casts are rejected and
//!   `pointer::is_aligned` is not `const`), so the `const` reference conversions require
//!   `T: Unaligned`. Reads copy, so they work at any alignment.
//! * **Every `try_` conversion** and `try_transmute!`: the validity check is
//!   `TryFromBytes::is_bit_valid`, a trait method.
//! * **Slice DSTs other than `[T]`** (`*_with_elems`, `repr(C)` structs ending in a slice):
//!   building the pointer needs `KnownLayout::raw_from_ptr_len`, a trait method.
//! * **`Ref`** constructors and accessors: generic over `ByteSlice`, whose `Deref` is a
//!   trait method.
//! * **`alloc`/`std` helpers** (`new_box_zeroed`, `read_from_io`, ...): allocation and
//!   I/O are not `const`.
//!
//! ```
//! use zerocast::beyond::const_convert;
//! use zerocast::byteorder::network_endian::U16;
//!
//! const PACKET: [u8; 4] = [0x12, 0x34, 0xAB, 0xCD];
//! const FIRST: &U16 = match const_convert::ref_from_bytes::<U16>(&[0x12, 0x34]) {
//!     Some(word) => word,
//!     None => panic!("two bytes make a U16"),
//! };
//! const SECOND: u16 = match const_convert::read_from_suffix::<U16>(&PACKET) {
//!     Some((_, word)) => word.get(),
//!     None => panic!("the packet has four bytes"),
//! };
//! assert_eq!((FIRST.get(), SECOND), (0x1234, 0xABCD));
//! ```

use core::mem::{size_of, size_of_val, MaybeUninit};

use crate::{FromBytes, FromZeros, Immutable, IntoBytes, Unaligned};

/// `const` [`FromBytes::ref_from_bytes`] for a sized `T` with alignment 1: `None` unless
/// `bytes` has exactly `size_of::<T>()` bytes.
///
/// ```
/// use zerocast::beyond::const_convert::ref_from_bytes;
/// const ARRAY: Option<&[u8; 2]> = ref_from_bytes(&[1, 2]);
/// assert_eq!(ARRAY, Some(&[1, 2]));
/// assert_eq!(ref_from_bytes::<[u8; 2]>(&[1]), None);
/// ```
#[inline]
#[must_use]
pub const fn ref_from_bytes<T: FromBytes + Immutable + Unaligned>(bytes: &[u8]) -> Option<&T> {
    if bytes.len() != size_of::<T>() {
        return None;
    }
    let ptr = bytes.as_ptr().cast::<T>();
    // SAFETY: `ptr` points at `size_of::<T>()` initialized bytes of `bytes` (length checked
    // just above), is aligned because `T: Unaligned` has alignment 1, and the bytes are a
    // valid `T` (`T: FromBytes`). They stay unchanged for the borrow of `bytes`: it is
    // shared, and `T: Immutable` has no `UnsafeCell` to write through.
    Some(unsafe { &*ptr })
}

/// `const` [`FromBytes::ref_from_prefix`] for `T: Unaligned`: the first `size_of::<T>()`
/// bytes as a `&T`, and the rest.
///
/// ```
/// use zerocast::beyond::const_convert::ref_from_prefix;
/// const SPLIT: Option<(&[u8; 1], &[u8])> = ref_from_prefix(&[1, 2, 3]);
/// assert_eq!(SPLIT, Some((&[1], &[2, 3][..])));
/// assert_eq!(ref_from_prefix::<[u8; 4]>(&[1, 2, 3]), None);
/// ```
#[inline]
#[must_use]
pub const fn ref_from_prefix<T: FromBytes + Immutable + Unaligned>(
    bytes: &[u8],
) -> Option<(&T, &[u8])> {
    let Some((head, rest)) = bytes.split_at_checked(size_of::<T>()) else {
        return None;
    };
    match ref_from_bytes(head) {
        Some(t) => Some((t, rest)),
        None => None,
    }
}

/// `const` [`FromBytes::ref_from_suffix`] for `T: Unaligned`: the rest, and the last
/// `size_of::<T>()` bytes as a `&T`.
///
/// ```
/// use zerocast::beyond::const_convert::ref_from_suffix;
/// const SPLIT: Option<(&[u8], &[u8; 1])> = ref_from_suffix(&[1, 2, 3]);
/// assert_eq!(SPLIT, Some((&[1, 2][..], &[3])));
/// assert_eq!(ref_from_suffix::<[u8; 4]>(&[1, 2, 3]), None);
/// ```
#[inline]
#[must_use]
pub const fn ref_from_suffix<T: FromBytes + Immutable + Unaligned>(
    bytes: &[u8],
) -> Option<(&[u8], &T)> {
    let Some(split) = bytes.len().checked_sub(size_of::<T>()) else {
        return None;
    };
    let Some((rest, tail)) = bytes.split_at_checked(split) else {
        return None;
    };
    match ref_from_bytes(tail) {
        Some(t) => Some((rest, t)),
        None => None,
    }
}

/// `const` [`FromBytes::mut_from_bytes`] for `T: Unaligned`.
///
/// ```
/// use zerocast::beyond::const_convert::mut_from_bytes;
/// const fn zero_first(bytes: &mut [u8]) {
///     if let Some(pair) = mut_from_bytes::<[u8; 2]>(bytes) {
///         pair[0] = 0;
///     }
/// }
/// const ZEROED: [u8; 2] = {
///     let mut b = [5, 6];
///     zero_first(&mut b);
///     b
/// };
/// assert_eq!(ZEROED, [0, 6]);
/// ```
#[inline]
#[must_use]
pub const fn mut_from_bytes<T: FromBytes + IntoBytes + Unaligned>(
    bytes: &mut [u8],
) -> Option<&mut T> {
    if bytes.len() != size_of::<T>() {
        return None;
    }
    let ptr = bytes.as_mut_ptr().cast::<T>();
    // SAFETY: `ptr` covers exactly `bytes`' `size_of::<T>()` initialized bytes, is aligned
    // (`T: Unaligned`), and derives from the exclusive borrow `bytes`, which is not used
    // again; the bytes are a valid `T` (`FromBytes`), and whatever is written through the
    // result is initialized (`T: IntoBytes`), so valid `u8`s when the borrow ends.
    Some(unsafe { &mut *ptr })
}

/// `const` `<[T]>::ref_from_bytes` for `T: Unaligned`: `None` if the length is not a
/// multiple of `size_of::<T>()` (or `T` is zero-sized and `bytes` is not empty).
///
/// ```
/// use zerocast::beyond::const_convert::slice_ref_from_bytes;
/// use zerocast::byteorder::big_endian::U16;
/// const WORDS: Option<&[U16]> = slice_ref_from_bytes(&[0, 1, 0, 2]);
/// assert_eq!(WORDS.map(|w| w.len()), Some(2));
/// assert!(slice_ref_from_bytes::<U16>(&[0, 1, 0]).is_none());
/// ```
#[inline]
#[must_use]
pub const fn slice_ref_from_bytes<T: FromBytes + Immutable + Unaligned>(
    bytes: &[u8],
) -> Option<&[T]> {
    let size = size_of::<T>();
    let count = if size == 0 {
        if !bytes.is_empty() {
            return None;
        }
        0
    } else if bytes.len().is_multiple_of(size) {
        bytes.len() / size
    } else {
        return None;
    };
    // SAFETY: `count * size == bytes.len()` (zero for zero-sized `T`), so the slice covers
    // exactly `bytes`' initialized bytes, within one allocation and at most `isize::MAX`
    // bytes; the pointer is aligned (`T: Unaligned`) and non-null; any bytes are valid `T`s
    // (`FromBytes`) and stay unchanged for the shared borrow (`T: Immutable`).
    Some(unsafe { core::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), count) })
}

/// `const` [`FromBytes::read_from_bytes`]: copies a `T` out of exactly `size_of::<T>()`
/// bytes at any alignment.
///
/// ```
/// use zerocast::beyond::const_convert::read_from_bytes;
/// const WORD: Option<u32> = read_from_bytes(&[1, 0, 0, 0]);
/// assert_eq!(WORD, Some(u32::from_ne_bytes([1, 0, 0, 0])));
/// assert_eq!(read_from_bytes::<u32>(&[1, 0]), None);
/// ```
#[inline]
#[must_use]
pub const fn read_from_bytes<T: FromBytes>(bytes: &[u8]) -> Option<T> {
    if bytes.len() != size_of::<T>() {
        return None;
    }
    // SAFETY: `bytes.len() == size_of::<T>()`, checked just above.
    Some(unsafe { read_unchecked(bytes) })
}

/// Copies a `T` out of `bytes`.
///
/// # Safety
///
/// `bytes.len() == size_of::<T>()`.
#[inline]
const unsafe fn read_unchecked<T: FromBytes>(bytes: &[u8]) -> T {
    // SAFETY: `bytes` holds `size_of::<T>()` initialized bytes (caller's promise), valid
    // for reads; `read_unaligned` needs no alignment, and any bytes are a valid `T`
    // (`T: FromBytes`), which owns no resources, so the copy is independent.
    unsafe { bytes.as_ptr().cast::<T>().read_unaligned() }
}

/// `const` [`FromBytes::read_from_prefix`]: copies a `T` out of the first bytes.
///
/// ```
/// use zerocast::beyond::const_convert::read_from_prefix;
/// const FIRST: Option<(u16, &[u8])> = read_from_prefix(&[1, 0, 9]);
/// assert_eq!(FIRST, Some((u16::from_ne_bytes([1, 0]), &[9][..])));
/// ```
#[inline]
#[must_use]
pub const fn read_from_prefix<T: FromBytes>(bytes: &[u8]) -> Option<(T, &[u8])> {
    let Some((head, rest)) = bytes.split_at_checked(size_of::<T>()) else {
        return None;
    };
    // SAFETY: `split_at_checked` made `head` exactly `size_of::<T>()` bytes long.
    Some((unsafe { read_unchecked(head) }, rest))
}

/// `const` [`FromBytes::read_from_suffix`]: copies a `T` out of the last bytes.
///
/// ```
/// use zerocast::beyond::const_convert::read_from_suffix;
/// const LAST: Option<(&[u8], u8)> = read_from_suffix(&[1, 2]);
/// assert_eq!(LAST, Some((&[1][..], 2)));
/// assert_eq!(read_from_suffix::<u16>(&[1]), None);
/// ```
#[inline]
#[must_use]
pub const fn read_from_suffix<T: FromBytes>(bytes: &[u8]) -> Option<(&[u8], T)> {
    let Some(split) = bytes.len().checked_sub(size_of::<T>()) else {
        return None;
    };
    let Some((rest, tail)) = bytes.split_at_checked(split) else {
        return None;
    };
    // SAFETY: `tail` is `bytes[len - size_of::<T>()..]`, exactly `size_of::<T>()` bytes.
    Some((rest, unsafe { read_unchecked(tail) }))
}

/// `const` [`IntoBytes::as_bytes`] for a sized value.
///
/// ```
/// use zerocast::beyond::const_convert::as_bytes;
/// const BYTES: &[u8] = as_bytes(&0x0102u16.to_be());
/// assert_eq!(BYTES, &[1, 2]);
/// ```
#[inline]
#[must_use]
pub const fn as_bytes<T: IntoBytes + Immutable>(value: &T) -> &[u8] {
    // SAFETY: `value`'s `size_of::<T>()` bytes are initialized (`T: IntoBytes`: no padding),
    // in one allocation, valid for reads for the borrow and unchanged by anyone during it
    // (shared, and `T: Immutable`); `u8` needs no alignment.
    unsafe { core::slice::from_raw_parts((value as *const T).cast::<u8>(), size_of::<T>()) }
}

/// `const` [`IntoBytes::as_bytes`] for a slice.
///
/// ```
/// use zerocast::beyond::const_convert::slice_as_bytes;
/// const BYTES: &[u8] = slice_as_bytes(&[[1u8, 2], [3, 4]]);
/// assert_eq!(BYTES, &[1, 2, 3, 4]);
/// ```
#[inline]
#[must_use]
pub const fn slice_as_bytes<T: IntoBytes + Immutable>(values: &[T]) -> &[u8] {
    let len = size_of_val(values);
    // SAFETY: as in `as_bytes`: the slice's `size_of_val` bytes are initialized, in one
    // allocation, and immutable for the borrow.
    unsafe { core::slice::from_raw_parts(values.as_ptr().cast::<u8>(), len) }
}

/// `const` [`FromZeros::new_zeroed`].
///
/// ```
/// use zerocast::beyond::const_convert::new_zeroed;
/// const ZERO: [bool; 3] = new_zeroed();
/// const NONE: Option<core::num::NonZeroU32> = new_zeroed();
/// assert_eq!((ZERO, NONE), ([false; 3], None));
/// ```
#[inline]
#[must_use]
pub const fn new_zeroed<T: FromZeros>() -> T {
    // SAFETY: `MaybeUninit::zeroed` makes every byte of the `T` zero, and all-zero bytes are
    // a valid `T` (`T: FromZeros`).
    unsafe { MaybeUninit::<T>::zeroed().assume_init() }
}
