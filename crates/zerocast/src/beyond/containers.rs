//! More byte containers: `Vec<u8>` and `Box<[u8]>` as [`ByteSlice`]s (feature `alloc`),
//! `bytes::Bytes`/`BytesMut` (feature `bytes`), and conversions between `Box<[u8]>` and
//! `Box<T>` where they are sound (zerocopy #114).
//!
//! A [`Ref`](crate::Ref) checks size and alignment once and trusts its container to keep
//! pointing at the same bytes; each impl below argues why the container does.
//!
//! Owned containers cannot be split into two owners of one allocation, so `Vec<u8>` and
//! `Box<[u8]>` are [`ByteSlice`] but not [`SplitByteSlice`]; `Bytes` and `BytesMut` are
//! both (their halves share a reference-counted buffer).
//!
//! `Box<[u8]>` and `Box<T>` convert only when `T` has alignment 1 ([`Unaligned`]): the
//! allocator must be given back the layout the allocation was made with, and a boxed byte
//! slice was allocated with alignment 1. Re-allocating would be a copy, which
//! [`FromBytes::read_from_bytes`] already does.
//!
//! ```
//! use zerocast::beyond::box_from_bytes;
//! use zerocast::byteorder::network_endian::U16;
//! use zerocast::{FromBytes, Immutable, KnownLayout, Ref, Unaligned};
//! # use zerocast_derive::*;
//!
//! #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
//! #[repr(C)]
//! struct Header { kind: u8, len: U16 }
//!
//! // An owned, parsed header: the `Vec` travels with the view.
//! let header = Ref::<Vec<u8>, Header>::from_bytes(vec![1, 0, 7]).unwrap();
//! assert_eq!(header.len.get(), 7);
//! let bytes: Vec<u8> = Ref::into_bytes(header);
//!
//! // The same allocation reused as a `Box<Header>`.
//! let boxed = box_from_bytes::<Header>(bytes.into_boxed_slice()).unwrap();
//! assert_eq!(boxed.kind, 1);
//! ```

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::mem::size_of;
use core::ptr::NonNull;

use crate::candidate::Maybe;
#[allow(unused_imports)]
use crate::SplitByteSlice;
use crate::{
    ByteSlice, FromBytes, IntoBytes, SizeError, TryFromBytes, TryReadError, Unaligned,
    ValidityError,
};

// SAFETY: `deref` returns the buffer pointer and length, which (std `Vec`, "Guarantees")
// only methods taking `&mut Vec` (`push`, `reserve`, `truncate`, ...) change; moving a
// `Vec` moves the (pointer, capacity, length) triplet, not the buffer. The byte-slice
// traits never take `&mut Vec`, and `DerefMut`'s `&mut [u8]` cannot change the length,
// so every `deref`/`deref_mut` of one `Vec` returns the same address and length.
unsafe impl ByteSlice for Vec<u8> {}

// SAFETY: a `Box<[u8]>` is a pointer and length fixed at creation: `Box` has no method that
// changes the length of the slice it owns, and moving a box moves the pointer, not the
// heap allocation (std `boxed` module: a `Box` is a pointer to its heap value). `Deref`
// and `DerefMut` return that value.
unsafe impl ByteSlice for Box<[u8]> {}

/// Turns a boxed byte slice of exactly `size_of::<T>()` bytes into a `Box<T>`, reusing the
/// allocation. Needs `T: Unaligned` (see the [module docs](self)).
///
/// ```
/// use zerocast::beyond::box_from_bytes;
/// let b = box_from_bytes::<[u8; 3]>(vec![1, 2, 3].into_boxed_slice()).unwrap();
/// assert_eq!(*b, [1, 2, 3]);
/// let err = box_from_bytes::<[u8; 3]>(vec![1, 2].into_boxed_slice()).unwrap_err();
/// assert_eq!(&*err.into_src(), &[1, 2]); // the allocation is given back
/// ```
pub fn box_from_bytes<T: FromBytes + Unaligned>(
    bytes: Box<[u8]>,
) -> Result<Box<T>, SizeError<Box<[u8]>, T>> {
    if bytes.len() != size_of::<T>() {
        return Err(SizeError::new(bytes));
    }
    // SAFETY: `T: FromBytes`, so the initialized bytes are a valid `T` (checked: their
    // number is `size_of::<T>()`) — `into_box_unchecked`'s contract.
    Ok(unsafe { into_box_unchecked(bytes) })
}

/// Like [`box_from_bytes`] for a `T` with invalid bit patterns: checks the bytes first.
///
/// ```
/// use zerocast::beyond::try_box_from_bytes;
/// assert_eq!(*try_box_from_bytes::<[bool; 2]>(vec![1, 0].into_boxed_slice()).unwrap(), [true, false]);
/// assert!(try_box_from_bytes::<[bool; 2]>(vec![1, 2].into_boxed_slice()).is_err());
/// ```
pub fn try_box_from_bytes<T: TryFromBytes + Unaligned>(
    bytes: Box<[u8]>,
) -> Result<Box<T>, TryReadError<Box<[u8]>, T>> {
    if bytes.len() != size_of::<T>() {
        return Err(SizeError::new(bytes).into());
    }
    let ptr = NonNull::from(&*bytes).cast::<T>();
    // SAFETY: `ptr` covers the box's `size_of::<T>()` initialized bytes (length checked),
    // which nothing writes while the candidate lives (we own the box and only read it).
    let candidate = unsafe { Maybe::new_unchecked(ptr, size_of::<T>()) };
    if !T::is_bit_valid(candidate) {
        return Err(ValidityError::new(bytes).into());
    }
    // SAFETY: the bytes are a valid `T` (`is_bit_valid` accepted them; `TryFromBytes`'s
    // contract) and there are `size_of::<T>()` of them.
    Ok(unsafe { into_box_unchecked(bytes) })
}

/// Turns a `Box<T>` into the boxed slice of its bytes, reusing the allocation.
///
/// ```
/// use zerocast::beyond::box_into_bytes;
/// let bytes = box_into_bytes(Box::new([7u8, 8]));
/// assert_eq!(&*bytes, &[7, 8]);
/// ```
pub fn box_into_bytes<T: IntoBytes + Unaligned>(value: Box<T>) -> Box<[u8]> {
    let len = size_of::<T>();
    let raw = Box::into_raw(value);
    let slice = core::ptr::slice_from_raw_parts_mut(raw.cast::<u8>(), len);
    // SAFETY: `raw` is from `Box::into_raw`: allocated (or dangling if zero-sized) with
    // `Layout::new::<T>()`, which equals `Layout::array::<u8>(len)` (size `size_of::<T>()`,
    // alignment 1 because `T: Unaligned`), so `Box::from_raw` may own it (std `boxed`,
    // "Memory layout"). Its bytes are initialized (`T: IntoBytes`: no padding), and
    // ownership moves from `value` to the result once (see the function docs).
    unsafe { Box::from_raw(slice) }
}

/// Turns a boxed byte slice into a boxed slice of `E`s, reusing the allocation; the length
/// must be a multiple of `size_of::<E>()`, which must not be 0.
///
/// ```
/// use zerocast::beyond::boxed_slice_from_bytes;
/// use zerocast::byteorder::big_endian::U16;
/// let words = boxed_slice_from_bytes::<U16>(vec![0, 1, 0, 2].into_boxed_slice()).unwrap();
/// assert_eq!((words[0].get(), words[1].get()), (1, 2));
/// assert!(boxed_slice_from_bytes::<U16>(vec![0; 3].into_boxed_slice()).is_err());
/// ```
pub fn boxed_slice_from_bytes<E: FromBytes + Unaligned>(
    bytes: Box<[u8]>,
) -> Result<Box<[E]>, SizeError<Box<[u8]>, [E]>> {
    let size = size_of::<E>();
    if size == 0 || !bytes.len().is_multiple_of(size) {
        return Err(SizeError::new(bytes));
    }
    let count = bytes.len() / size;
    let raw = Box::into_raw(bytes);
    let slice = core::ptr::slice_from_raw_parts_mut(raw.cast::<E>(), count);
    // SAFETY: `raw` came from `Box::into_raw` on a `Box<[u8]>` of `count * size` bytes,
    // allocated with size `count * size` and alignment 1 (or dangling if empty). A
    // `Box<[E]>` of `count` elements has layout size `count * size_of::<E>()` and alignment
    // `align_of::<E>() == 1` (`E: Unaligned`): the same layout, so `Box::from_raw` may own
    // it. The bytes are initialized and any bytes are valid `E`s (`E: FromBytes`).
    Ok(unsafe { Box::from_raw(slice) })
}

/// `Box<[u8]>` → `Box<T>` without checks.
///
/// # Safety
///
/// `bytes.len() == size_of::<T>()` and the bytes are a valid `T`.
unsafe fn into_box_unchecked<T: Unaligned>(bytes: Box<[u8]>) -> Box<T> {
    let raw = Box::into_raw(bytes).cast::<T>();
    // SAFETY: `raw` came from `Box::into_raw` on a `Box<[u8]>` of `size_of::<T>()` bytes
    // (caller's promise), allocated with that size and alignment 1 (or dangling and
    // non-null if empty). `Layout::new::<T>()` has the same size and alignment 1
    // (`T: Unaligned`), so `Box::from_raw` may take ownership (std `boxed` module, "Memory
    // layout"); the bytes are a valid `T` (caller's promise). Ownership moves once.
    unsafe { Box::from_raw(raw) }
}

#[cfg(feature = "bytes")]
mod bytes_impls {
    use bytes::{Bytes, BytesMut};

    use crate::{ByteSlice, CloneableByteSlice, SplitByteSlice};

    // SAFETY: `Bytes` is an immutable view: a pointer and length into storage it shares
    // (a static slice, or a reference-counted buffer). `Deref` returns that pointer and
    // length; they change only through `&mut self` methods (`advance`, `truncate`,
    // `split_to`, ...), none of which the byte-slice traits call except inside
    // `split_at_unchecked`, which consumes the value. Moving a `Bytes` moves the view, not
    // the storage, which stays in place until the last view is dropped.
    unsafe impl ByteSlice for Bytes {}

    // SAFETY: `Bytes::clone` returns a view of the same storage, pointer and length (the
    // crate documents cloning as sharing the same underlying memory, "cheaply cloneable
    // and thereby shareable between an unlimited amount of components"); it never copies.
    unsafe impl CloneableByteSlice for Bytes {}

    // SAFETY: `Bytes::split_off(at)` leaves `self` with `[0, at)` and returns `[at, len)`
    // of the same memory, so the halves are at `a` (length `at`) and `a + at` (length
    // `n - at`). For an empty half (`at` is 0 or `len`) this holds from bytes 1.8.0 on
    // (tokio-rs/bytes#740; Cargo.toml requires it): earlier versions returned
    // `Bytes::new()`, at address 1, which made zero-length views misaligned.
    unsafe impl SplitByteSlice for Bytes {
        #[inline]
        unsafe fn split_at_unchecked(mut self, mid: usize) -> (Self, Self) {
            // `mid <= self.len()` (caller's promise), so `split_off` does not panic.
            let second = self.split_off(mid);
            (self, second)
        }
    }

    // SAFETY: as for `Bytes`: a `BytesMut` is a unique view (pointer, length, capacity)
    // into its storage; `Deref`/`DerefMut` return the pointer and length, which change
    // only through `&mut self` methods that grow or split it (`reserve`, `extend`,
    // `split_*`, ...), and the byte-slice traits call none of them outside
    // `split_at_unchecked`, which consumes the value. `DerefMut` gives `&mut [u8]`, which
    // cannot change the length.
    unsafe impl ByteSlice for BytesMut {}

    // SAFETY: `BytesMut::split_off(at)` is documented as O(1) ("increases the reference
    // count and sets a few indices"); afterwards `self` contains `[0, at)` and the result
    // `[at, capacity)`, whose initialized part is `[at, len)` of the same memory: address
    // `a + at`, length `n - at`.
    unsafe impl SplitByteSlice for BytesMut {
        #[inline]
        unsafe fn split_at_unchecked(mut self, mid: usize) -> (Self, Self) {
            // `mid <= self.len() <= self.capacity()` (caller's promise): no panic.
            let second = self.split_off(mid);
            (self, second)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn box_round_trip_reuses_the_allocation() {
        let bytes = vec![1u8, 2, 3, 4].into_boxed_slice();
        let addr = bytes.as_ptr();
        let b = box_from_bytes::<[u8; 4]>(bytes).unwrap();
        assert_eq!(b.as_ptr(), addr);
        let back = box_into_bytes(b);
        assert_eq!((back.as_ptr(), &*back), (addr, &[1u8, 2, 3, 4][..]));
    }

    #[test]
    fn zero_sized_and_empty_boxes() {
        let unit = box_from_bytes::<()>(Vec::new().into_boxed_slice()).unwrap();
        assert_eq!(box_into_bytes(unit).len(), 0);
        let empty = boxed_slice_from_bytes::<u8>(Vec::new().into_boxed_slice()).unwrap();
        assert!(empty.is_empty());
        assert!(boxed_slice_from_bytes::<()>(vec![1u8].into_boxed_slice()).is_err());
    }

    #[test]
    fn wrong_sizes_give_the_allocation_back() {
        let err = box_from_bytes::<[u8; 2]>(vec![9u8; 3].into_boxed_slice()).unwrap_err();
        assert_eq!(&*err.into_src(), &[9, 9, 9]);
        let err = try_box_from_bytes::<bool>(vec![1u8, 1].into_boxed_slice()).unwrap_err();
        assert!(matches!(err, crate::ConvertError::Size(_)));
        let err = try_box_from_bytes::<bool>(vec![3u8].into_boxed_slice()).unwrap_err();
        match err {
            crate::ConvertError::Validity(e) => assert_eq!(&*e.into_src(), &[3]),
            _ => panic!("expected a validity error"),
        }
        assert!(*try_box_from_bytes::<bool>(vec![1u8].into_boxed_slice()).unwrap());
    }

    #[test]
    fn vec_and_box_deref_to_stable_addresses_across_moves() {
        fn addr_len<B: ByteSlice>(b: &B) -> (*const u8, usize) {
            (b.as_ptr(), b.len())
        }
        let v = vec![1u8, 2, 3];
        let before = addr_len(&v);
        let moved = v;
        assert_eq!(addr_len(&moved), before);
        let b: Box<[u8]> = moved.into_boxed_slice();
        let before = addr_len(&b);
        let moved = b;
        assert_eq!(addr_len(&moved), before);
    }
}
