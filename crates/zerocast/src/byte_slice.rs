//! Traits for the byte containers a [`Ref`](crate::Ref) can be built over.
//!
//! A `Ref<B, T>` checks alignment and size once, when it is built, and from
//! then on turns `B`'s bytes into a `T` on every access without checking
//! again. That is only sound if `B` keeps pointing at the same bytes: the
//! `unsafe` traits here are the promise that it does. They are implemented
//! for `&[u8]`, `&mut [u8]`, [`core::cell::Ref<[u8]>`] and
//! [`core::cell::RefMut<[u8]>`].
//!
//! | trait                 | `&[u8]` | `&mut [u8]` | `cell::Ref` | `cell::RefMut` |
//! |-----------------------|:-------:|:-----------:|:-----------:|:--------------:|
//! | [`ByteSlice`]         | yes     | yes         | yes         | yes            |
//! | [`ByteSliceMut`]      |         | yes         |             | yes            |
//! | [`SplitByteSlice`]    | yes     | yes         | yes         | yes            |
//! | [`IntoByteSlice`]     | yes     | yes         |             |                |
//! | [`IntoByteSliceMut`]  |         | yes         |             |                |
//! | [`CopyableByteSlice`] | yes     |             |             |                |
//!
//! The `cell` guards deliberately do not implement [`IntoByteSlice`]: turning
//! a guard into a plain reference would let the reference outlive the borrow
//! it came from (the bug behind RUSTSEC-2023-0074).

use core::cell;
use core::ops::{Deref, DerefMut};

/// A byte slice behind a pointer-like type whose address and length never
/// change.
///
/// Generic code bounds its byte storage by `B: ByteSlice` so that one parser
/// works for shared, exclusive and `RefCell`-guarded bytes.
///
/// ```
/// use zerocast::ByteSlice;
///
/// fn first_byte<B: ByteSlice>(bytes: B) -> Option<u8> {
///     bytes.first().copied()
/// }
/// assert_eq!(first_byte(&[7u8, 8][..]), Some(7));
/// let cell = core::cell::RefCell::new([9u8; 2]);
/// assert_eq!(first_byte(core::cell::Ref::map(cell.borrow(), |a| &a[..])), Some(9));
/// ```
///
/// # Safety
///
/// For every value `b: B`, every call to `b.deref()` and (if `B: DerefMut`)
/// `b.deref_mut()` returns a slice with the same start address and the same
/// length, for as long as `b` exists. This must hold even when the calls are
/// separated by moving `b` or by calling any method of the traits in this
/// module (or their supertraits) on it. It need not hold across other
/// operations on `b` (for example replacing a field of `b` through some other
/// API). Nothing other than `b` may change that address or length, on this
/// thread or any other.
///
/// Unsafe code (notably [`Ref`](crate::Ref)) checks alignment and length once
/// and relies on this promise afterwards.
pub unsafe trait ByteSlice: Deref<Target = [u8]> + Sized {}

/// A [`ByteSlice`] that also gives out `&mut [u8]`.
///
/// Implemented automatically for every `ByteSlice + DerefMut`.
///
/// ```
/// use zerocast::ByteSliceMut;
///
/// fn zero_first<B: ByteSliceMut>(mut bytes: B) {
///     if let Some(b) = bytes.first_mut() {
///         *b = 0;
///     }
/// }
/// let mut buf = [5u8, 6];
/// zero_first(&mut buf[..]);
/// assert_eq!(buf, [0, 6]);
/// ```
pub trait ByteSliceMut: ByteSlice + DerefMut {}
impl<B: ByteSlice + DerefMut> ByteSliceMut for B {}

/// A [`ByteSlice`] whose clones point at the same bytes as the original.
///
/// ```
/// use zerocast::CloneableByteSlice;
///
/// fn twice<B: CloneableByteSlice>(b: B) -> (B, B) {
///     (b.clone(), b)
/// }
/// let (x, y) = twice(&[1u8][..]);
/// assert_eq!(x.as_ptr(), y.as_ptr());
/// ```
///
/// # Safety
///
/// The address-and-length promise of [`ByteSlice`] extends to every value
/// produced by `clone` (and clones of clones): all of them dereference to the
/// same address and length as the original.
pub unsafe trait CloneableByteSlice: ByteSlice + Clone {}

/// A [`ByteSlice`] whose copies point at the same bytes as the original.
///
/// ```
/// use zerocast::CopyableByteSlice;
///
/// fn copy_of<B: CopyableByteSlice>(b: &B) -> B {
///     *b
/// }
/// let bytes = &[1u8, 2][..];
/// assert_eq!(copy_of(&bytes).as_ptr(), bytes.as_ptr());
/// ```
///
/// # Safety
///
/// The address-and-length promise of [`ByteSlice`] extends to every copy: a
/// copy dereferences to the same address and length as the original.
pub unsafe trait CopyableByteSlice: ByteSlice + Copy + CloneableByteSlice {}

/// A [`ByteSlice`] that can be cut in two at an index.
///
/// ```
/// use zerocast::SplitByteSlice;
///
/// // `&[u8]` has an inherent `split_at` that panics; name the trait to get
/// // the checked one.
/// let (head, tail) = SplitByteSlice::split_at(&[1u8, 2, 3][..], 1).unwrap();
/// assert_eq!((head, tail), (&[1u8][..], &[2u8, 3][..]));
/// assert!(SplitByteSlice::split_at(&[1u8][..], 2).is_err());
/// ```
///
/// # Safety
///
/// If `b.deref()` has address `a` and length `n`, then for every `mid <= n`,
/// both `b.split_at(mid)` and `b.split_at_unchecked(mid)` return
/// `(first, second)` where `first` dereferences to address `a`, length `mid`,
/// and `second` to address `a + mid`, length `n - mid`; `split_at` returns
/// `Err(b)` exactly when `mid > n`. Unsafe code relies on these results.
pub unsafe trait SplitByteSlice: ByteSlice {
    /// Splits into `[..mid]` and `[mid..]`, or gives `self` back as `Err` if
    /// `mid` is past the end.
    ///
    /// ```
    /// use zerocast::SplitByteSlice;
    ///
    /// let mut buf = [1u8, 2, 3];
    /// let (a, b) = (&mut buf[..]).split_at(3).unwrap();
    /// assert_eq!((a.len(), b.len()), (3, 0));
    /// let whole = (&mut buf[..]).split_at(4).unwrap_err();
    /// assert_eq!(whole.len(), 3);
    /// ```
    #[inline]
    fn split_at(self, mid: usize) -> Result<(Self, Self), Self> {
        if mid <= self.deref().len() {
            // SAFETY: `mid <= self.deref().len()` was just checked, and by the
            // `ByteSlice` contract the length cannot change before the call.
            Ok(unsafe { self.split_at_unchecked(mid) })
        } else {
            Err(self)
        }
    }

    /// Splits into `[..mid]` and `[mid..]` without checking `mid`.
    ///
    /// ```
    /// use zerocast::SplitByteSlice;
    ///
    /// let bytes = &[1u8, 2, 3][..];
    /// // SAFETY: 2 <= 3 == bytes.len().
    /// let (a, b) = unsafe { bytes.split_at_unchecked(2) };
    /// assert_eq!((a, b), (&[1u8, 2][..], &[3u8][..]));
    /// ```
    ///
    /// # Safety
    ///
    /// `mid <= self.deref().len()`. Implementations may panic when it is not,
    /// but callers must not rely on that.
    #[must_use]
    unsafe fn split_at_unchecked(self, mid: usize) -> (Self, Self);
}

/// Shorthand for [`SplitByteSlice`] + [`ByteSliceMut`], implemented for every
/// type that is both.
///
/// ```
/// use zerocast::SplitByteSliceMut;
///
/// fn zero_tail<B: SplitByteSliceMut>(bytes: B, from: usize) {
///     if let Ok((_, mut tail)) = bytes.split_at(from) {
///         tail.fill(0);
///     }
/// }
/// let mut buf = [1u8, 2, 3];
/// zero_tail(&mut buf[..], 1);
/// assert_eq!(buf, [1, 0, 0]);
/// ```
pub trait SplitByteSliceMut: SplitByteSlice + ByteSliceMut {}
impl<B: SplitByteSlice + ByteSliceMut> SplitByteSliceMut for B {}

/// A [`ByteSlice`] that owns nothing, so it can become a plain `&'a [u8]`.
///
/// Guards such as [`core::cell::Ref`] must not implement it: the plain
/// reference would outlive the guard and the borrow it tracks.
///
/// ```
/// use zerocast::IntoByteSlice;
///
/// fn keep<'a, B: IntoByteSlice<'a>>(b: B) -> &'a [u8] {
///     b.into_byte_slice()
/// }
/// let data = [1u8, 2];
/// assert_eq!(keep(&data[..]), &[1, 2]);
/// ```
///
/// # Safety
///
/// `into_byte_slice` returns a slice with the same address and length as
/// `self.deref()`, and the bytes stay borrowed for all of `'a` (no guard is
/// released by the conversion).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be turned into a plain `&[u8]` that outlives it",
    note = "a `Ref` over a `RefCell` guard is used through `Deref` while the guard lives, or given back with `Ref::into_bytes`"
)]
pub unsafe trait IntoByteSlice<'a>: ByteSlice {
    /// Converts `self` into the `&'a [u8]` it dereferences to.
    ///
    /// ```
    /// use zerocast::IntoByteSlice;
    /// let mut data = [3u8];
    /// let shared: &[u8] = (&mut data[..]).into_byte_slice();
    /// assert_eq!(shared, &[3]);
    /// ```
    fn into_byte_slice(self) -> &'a [u8];
}

/// A [`ByteSliceMut`] that owns nothing, so it can become a plain
/// `&'a mut [u8]`.
///
/// ```
/// use zerocast::IntoByteSliceMut;
///
/// fn keep<'a, B: IntoByteSliceMut<'a>>(b: B) -> &'a mut [u8] {
///     b.into_byte_slice_mut()
/// }
/// let mut data = [1u8, 2];
/// keep(&mut data[..])[0] = 9;
/// assert_eq!(data, [9, 2]);
/// ```
///
/// # Safety
///
/// `into_byte_slice_mut` returns a slice with the same address and length as
/// `self.deref()`, exclusively borrowed for all of `'a`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be turned into a plain `&mut [u8]` that outlives it",
    note = "a `Ref` over a `RefCell` guard is used through `DerefMut` while the guard lives, or given back with `Ref::into_bytes`"
)]
pub unsafe trait IntoByteSliceMut<'a>: IntoByteSlice<'a> + ByteSliceMut {
    /// Converts `self` into the `&'a mut [u8]` it dereferences to.
    ///
    /// ```
    /// use zerocast::IntoByteSliceMut;
    /// let mut data = [3u8];
    /// (&mut data[..]).into_byte_slice_mut()[0] = 4;
    /// assert_eq!(data, [4]);
    /// ```
    fn into_byte_slice_mut(self) -> &'a mut [u8];
}

// SAFETY: `<&[u8] as Deref>::deref` is core's `impl Deref for &T`, whose body
// is `*self`: it returns the reference itself, so address and length are those
// of the reference value. A shared reference is immutable and `Copy`; moving
// or copying it copies the same (address, length) pair, and no other code can
// change the value of a reference it does not own.
unsafe impl ByteSlice for &[u8] {}

// SAFETY: copying a `&[u8]` duplicates its (address, length) pair; see the
// `ByteSlice` impl above for why `deref` returns exactly that pair.
unsafe impl CloneableByteSlice for &[u8] {}

// SAFETY: as for `CloneableByteSlice`: `Clone for &T` is a bitwise copy.
unsafe impl CopyableByteSlice for &[u8] {}

// SAFETY: `split_at_unchecked` below returns `self[..mid]` and `self[mid..]`
// via `<[u8]>::split_at_unchecked`, which std documents as "the first will
// contain all indices from [0, mid) ... and the second will contain all
// indices from [mid, len)": exactly the addresses and lengths the contract
// requires. The default `split_at` is the trait's own checked wrapper.
unsafe impl SplitByteSlice for &[u8] {
    #[inline]
    unsafe fn split_at_unchecked(self, mid: usize) -> (Self, Self) {
        // SAFETY: the caller promises `mid <= self.deref().len()`, and
        // `deref` returns `self` itself (see the `ByteSlice` impl), which is
        // the precondition of `<[u8]>::split_at_unchecked`.
        unsafe { <[u8]>::split_at_unchecked(self, mid) }
    }
}

// SAFETY: returns `self`, which is what `deref` returns (see above), borrowed
// for the same `'a`.
unsafe impl<'a> IntoByteSlice<'a> for &'a [u8] {
    #[inline(always)]
    fn into_byte_slice(self) -> &'a [u8] {
        self
    }
}

// SAFETY: `Deref`/`DerefMut` for `&mut T` are core's impls with bodies `*self`
// and `*self` (reborrowed): both return the referent of the reference itself.
// A `&mut [u8]` is unique, so no other code can replace the (address, length)
// pair it holds; moving it moves that pair unchanged.
unsafe impl ByteSlice for &mut [u8] {}

// SAFETY: `<[u8]>::split_at_mut_unchecked` is documented to return `[0, mid)`
// and `[mid, len)` of the slice, which is the required address and length.
unsafe impl SplitByteSlice for &mut [u8] {
    #[inline]
    unsafe fn split_at_unchecked(self, mid: usize) -> (Self, Self) {
        // SAFETY: the caller promises `mid <= self.deref().len()`, which is
        // `self.len()` (see the `ByteSlice` impl): the precondition of
        // `<[u8]>::split_at_mut_unchecked`.
        unsafe { <[u8]>::split_at_mut_unchecked(self, mid) }
    }
}

// SAFETY: `&*self` reborrows the same referent for `'a` (the `&mut` is
// consumed, so nothing else can use it during `'a`).
unsafe impl<'a> IntoByteSlice<'a> for &'a mut [u8] {
    #[inline(always)]
    fn into_byte_slice(self) -> &'a [u8] {
        self
    }
}

// SAFETY: returns `self`, which is what `deref_mut` returns, for `'a`.
unsafe impl<'a> IntoByteSliceMut<'a> for &'a mut [u8] {
    #[inline(always)]
    fn into_byte_slice_mut(self) -> &'a mut [u8] {
        self
    }
}

// SAFETY: a `cell::Ref<[u8]>` keeps the pointer it was made with (`borrow`, `map`,
// `map_split`) in a private field no method changes; `Deref` returns it. While the
// guard lives the `RefCell` is shared-borrowed, so (std `RefCell`) no `&mut` to the
// contents exists and the bytes cannot be moved, freed or resized. Moving the guard
// moves the pointer, not the bytes.
unsafe impl ByteSlice for cell::Ref<'_, [u8]> {}

// SAFETY: `cell::Ref::map_split` applies `<[u8]>::split_at_unchecked` to the
// guarded slice and wraps both halves in guards on the same borrow; std
// documents that function to return `[0, mid)` and `[mid, len)`.
unsafe impl SplitByteSlice for cell::Ref<'_, [u8]> {
    #[inline]
    unsafe fn split_at_unchecked(self, mid: usize) -> (Self, Self) {
        cell::Ref::map_split(self, |slice| {
            // SAFETY: the caller promises `mid <= self.deref().len()`, and
            // `slice` is that same `deref()` result (the closure receives the
            // guarded slice).
            unsafe { slice.split_at_unchecked(mid) }
        })
    }
}

// SAFETY: as for `cell::Ref`: a `RefMut` keeps the pointer it was created
// with and its `Deref`/`DerefMut` both return it; while it lives the
// `RefCell` is exclusively borrowed, so nothing else can move or resize the
// bytes.
unsafe impl ByteSlice for cell::RefMut<'_, [u8]> {}

// SAFETY: `cell::RefMut::map_split` applies `split_at_mut_unchecked`, whose
// halves are `[0, mid)` and `[mid, len)` per std's documentation.
unsafe impl SplitByteSlice for cell::RefMut<'_, [u8]> {
    #[inline]
    unsafe fn split_at_unchecked(self, mid: usize) -> (Self, Self) {
        cell::RefMut::map_split(self, |slice| {
            // SAFETY: the caller promises `mid <= self.deref().len()`, and
            // `slice` is that same slice.
            unsafe { slice.split_at_mut_unchecked(mid) }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::RefCell;

    fn check_split<B: SplitByteSlice>(make: impl Fn() -> B, len: usize) {
        for mid in 0..=len + 1 {
            let b = make();
            let (addr, n) = (b.as_ptr(), b.len());
            match b.split_at(mid) {
                Ok((first, second)) => {
                    assert!(mid <= n);
                    assert_eq!((first.as_ptr(), first.len()), (addr, mid));
                    assert_eq!(
                        (second.as_ptr(), second.len()),
                        (addr.wrapping_add(mid), n - mid)
                    );
                }
                Err(whole) => {
                    assert!(mid > n);
                    assert_eq!((whole.as_ptr(), whole.len()), (addr, n));
                }
            }
        }
    }

    #[test]
    fn shared_slices_split_at_every_index_and_reject_past_the_end() {
        let data = [1u8, 2, 3, 4];
        check_split(|| &data[..], 4);
    }

    #[test]
    fn mutable_slices_split_at_every_index_and_reject_past_the_end() {
        let mut data = [1u8, 2, 3, 4];
        let base = data.as_mut_ptr();
        for mid in 0..=5 {
            match (&mut data[..]).split_at(mid) {
                Ok((a, b)) => {
                    assert_eq!((a.as_ptr(), a.len()), (base.cast_const(), mid));
                    assert_eq!(b.len(), 4 - mid);
                    a.fill(0xAA);
                }
                Err(whole) => assert_eq!((mid, whole.len()), (5, 4)),
            }
        }
        assert_eq!(data, [0xAA; 4]);
    }

    #[test]
    fn cell_guards_split_and_keep_the_borrow_alive() {
        let cell = RefCell::new([1u8, 2, 3]);
        check_split(|| cell::Ref::map(cell.borrow(), |a| &a[..]), 3);
        {
            let guard = cell::Ref::map(cell.borrow(), |a| &a[..]);
            let (head, _tail) = guard.split_at(1).unwrap();
            drop(head);
            // `_tail` still shares the borrow: a mutable borrow must fail.
            assert!(cell.try_borrow_mut().is_err());
        }
        assert!(cell.try_borrow_mut().is_ok());

        let guard = cell::RefMut::map(cell.borrow_mut(), |a| &mut a[..]);
        let (mut head, mut tail) = guard.split_at(2).unwrap();
        head[0] = 7;
        tail[0] = 9;
        assert!(cell.try_borrow().is_err());
        drop((head, tail));
        assert_eq!(*cell.borrow(), [7, 2, 9]);
        let guard = cell::RefMut::map(cell.borrow_mut(), |a| &mut a[..]);
        assert_eq!(guard.split_at(4).unwrap_err().len(), 3);
    }

    #[test]
    fn into_byte_slice_returns_the_dereferenced_slice() {
        let mut data = [5u8; 3];
        let addr = data.as_ptr();
        let shared = (&data[..]).into_byte_slice();
        assert_eq!((shared.as_ptr(), shared.len()), (addr, 3));
        let from_mut = (&mut data[..]).into_byte_slice();
        assert_eq!(from_mut.as_ptr(), addr);
        let exclusive = (&mut data[..]).into_byte_slice_mut();
        exclusive[1] = 6;
        assert_eq!(data, [5, 6, 5]);
    }
}
