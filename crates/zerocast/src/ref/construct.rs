//! The checked constructors of [`Ref`]: whole, prefix and suffix, with the
//! element count inferred (as many as fit) or given.

use core::ptr::NonNull;

use super::Ref;
use crate::byte_slice::{ByteSlice, SplitByteSlice};
use crate::cast::{try_cast, AssertRefNotZstDst, CastFailure, CastKind};
use crate::error::{AlignmentError, CastError, SizeError};
use crate::known_layout::KnownLayout;
use crate::Immutable;

/// Where the `T` was found in the source, as `try_cast` reports it.
struct Located<T: ?Sized + KnownLayout> {
    meta: T::PointerMetadata,
    split: usize,
}

/// Runs the layout check on `source`'s bytes, turning a failure into the
/// matching error that carries `source` back to the caller.
#[inline(always)]
fn locate<B: ByteSlice, T: ?Sized + KnownLayout>(
    source: B,
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Result<(B, Located<T>), CastError<B, T>> {
    match try_cast::<T>(NonNull::from(source.deref()), kind, meta) {
        Ok((ptr, split)) => {
            let meta = T::pointer_to_metadata(ptr.as_ptr());
            Ok((source, Located { meta, split }))
        }
        Err(CastFailure::Size) => Err(SizeError::new(source).into()),
        Err(CastFailure::Alignment) => Err(AlignmentError::new_observed(source).into()),
    }
}

impl<B, T> Ref<B, T>
where
    B: ByteSlice,
    T: KnownLayout + Immutable + ?Sized,
{
    /// Views all of `source` as a `T`.
    ///
    /// Fails with a size error unless `source` has exactly the length of a
    /// `T` (for a slice DST: of a `T` with some whole number of trailing
    /// elements), and with an alignment error unless it starts at an address
    /// aligned for `T`. The error gives `source` back.
    ///
    /// A slice DST with zero-sized trailing elements is rejected at compile
    /// time, by this and every other `Ref` constructor (the `_with_elems`
    /// forms too), as zerocopy's `Ref` rejects it; the trait methods'
    /// `_with_elems` forms, such as
    /// [`FromBytes::ref_from_bytes_with_elems`](crate::FromBytes::ref_from_bytes_with_elems),
    /// take such types.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let bytes = [1u8, 2, 3, 4];
    /// let r: Ref<&[u8], [u8; 4]> = Ref::from_bytes(&bytes[..]).unwrap();
    /// assert_eq!(*r, [1, 2, 3, 4]);
    /// let too_long: Result<Ref<&[u8], [u8; 3]>, _> = Ref::from_bytes(&bytes[..]);
    /// assert_eq!(too_long.unwrap_err().into_src(), &bytes[..]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline]
    pub fn from_bytes(source: B) -> Result<Ref<B, T>, CastError<B, T>> {
        let () = AssertRefNotZstDst::<T>::OK;
        let (source, found) = locate::<B, T>(source, CastKind::Whole, None)?;
        // SAFETY: `try_cast` with `Whole` succeeded, so `source.deref()`'s
        // start is aligned for `T` and its length is the size of a `T` with
        // metadata `found.meta` (the metadata of the pointer it built).
        Ok(unsafe { Ref::new_unchecked(source, found.meta) })
    }
}

impl<B, T> Ref<B, T>
where
    B: SplitByteSlice,
    T: KnownLayout + Immutable + ?Sized,
{
    /// Views the start of `source` as a `T` and returns the rest.
    ///
    /// For a slice DST the `T` takes as many trailing elements as fit. Fails
    /// if `source` is shorter than the smallest `T` or is misaligned.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let bytes = [1u8, 2, 3];
    /// let (head, rest) = Ref::<_, [u8; 2]>::from_prefix(&bytes[..]).unwrap();
    /// assert_eq!((*head, rest), ([1, 2], &[3u8][..]));
    /// assert!(Ref::<_, [u8; 4]>::from_prefix(&bytes[..]).is_err());
    /// ```
    #[must_use = "has no side effects"]
    #[inline]
    pub fn from_prefix(source: B) -> Result<(Ref<B, T>, B), CastError<B, T>> {
        let () = AssertRefNotZstDst::<T>::OK;
        let (source, found) = locate::<B, T>(source, CastKind::Prefix, None)?;
        Ok(split_prefix(source, found))
    }

    /// Views the end of `source` as a `T` and returns what precedes it.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let bytes = [1u8, 2, 3];
    /// let (rest, tail) = Ref::<_, [u8; 2]>::from_suffix(&bytes[..]).unwrap();
    /// assert_eq!((rest, *tail), (&[1u8][..], [2, 3]));
    /// ```
    #[must_use = "has no side effects"]
    #[inline]
    pub fn from_suffix(source: B) -> Result<(B, Ref<B, T>), CastError<B, T>> {
        let () = AssertRefNotZstDst::<T>::OK;
        let (source, found) = locate::<B, T>(source, CastKind::Suffix, None)?;
        Ok(split_suffix(source, found))
    }
}

impl<B, T> Ref<B, T>
where
    B: ByteSlice,
    T: KnownLayout<PointerMetadata = usize> + Immutable + ?Sized,
{
    /// Views all of `source` as a slice DST `T` with exactly `count` trailing
    /// elements.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let bytes = [1u8, 2, 3, 4];
    /// let r = Ref::<_, [[u8; 2]]>::from_bytes_with_elems(&bytes[..], 2).unwrap();
    /// assert_eq!(&*r, &[[1, 2], [3, 4]]);
    /// assert!(Ref::<_, [[u8; 2]]>::from_bytes_with_elems(&bytes[..], 1).is_err());
    /// ```
    #[must_use = "has no side effects"]
    #[inline]
    pub fn from_bytes_with_elems(source: B, count: usize) -> Result<Ref<B, T>, CastError<B, T>> {
        let () = AssertRefNotZstDst::<T>::OK;
        let (source, found) = locate::<B, T>(source, CastKind::Whole, Some(count))?;
        // SAFETY: as in `from_bytes`: `Whole` succeeded, so `source.deref()` is
        // aligned and exactly as long as a `T` with `found.meta` (= `count`).
        Ok(unsafe { Ref::new_unchecked(source, found.meta) })
    }
}

impl<B, T> Ref<B, T>
where
    B: SplitByteSlice,
    T: KnownLayout<PointerMetadata = usize> + Immutable + ?Sized,
{
    /// Views the start of `source` as a slice DST `T` with `count` trailing
    /// elements and returns the rest.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let bytes = [1u8, 2, 3];
    /// let (r, rest) = Ref::<_, [u8]>::from_prefix_with_elems(&bytes[..], 1).unwrap();
    /// assert_eq!((&*r, rest), (&[1u8][..], &[2u8, 3][..]));
    /// assert!(Ref::<_, [u8]>::from_prefix_with_elems(&bytes[..], 4).is_err());
    /// ```
    #[must_use = "has no side effects"]
    #[inline]
    pub fn from_prefix_with_elems(
        source: B,
        count: usize,
    ) -> Result<(Ref<B, T>, B), CastError<B, T>> {
        let () = AssertRefNotZstDst::<T>::OK;
        let (source, found) = locate::<B, T>(source, CastKind::Prefix, Some(count))?;
        Ok(split_prefix(source, found))
    }

    /// Views the end of `source` as a slice DST `T` with `count` trailing
    /// elements and returns what precedes it.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let bytes = [1u8, 2, 3];
    /// let (rest, r) = Ref::<_, [u8]>::from_suffix_with_elems(&bytes[..], 2).unwrap();
    /// assert_eq!((rest, &*r), (&[1u8][..], &[2u8, 3][..]));
    /// ```
    #[must_use = "has no side effects"]
    #[inline]
    pub fn from_suffix_with_elems(
        source: B,
        count: usize,
    ) -> Result<(B, Ref<B, T>), CastError<B, T>> {
        let () = AssertRefNotZstDst::<T>::OK;
        let (source, found) = locate::<B, T>(source, CastKind::Suffix, Some(count))?;
        Ok(split_suffix(source, found))
    }
}

/// Cuts `source` after the located prefix `T`.
#[inline(always)]
fn split_prefix<B: SplitByteSlice, T: ?Sized + KnownLayout>(
    source: B,
    found: Located<T>,
) -> (Ref<B, T>, B) {
    // SAFETY: `try_cast` (`Prefix`) returned `split` = the size of the `T`,
    // which is at most `source.deref().len()`; by the `ByteSlice` contract
    // the length has not changed since.
    let (bytes, rest) = unsafe { source.split_at_unchecked(found.split) };
    // SAFETY: by the `SplitByteSlice` contract `bytes` starts where `source`
    // did (which `try_cast` found aligned for `T`) and has length `split`,
    // the size of a `T` with metadata `found.meta`.
    (unsafe { Ref::new_unchecked(bytes, found.meta) }, rest)
}

/// Cuts `source` before the located suffix `T`.
#[inline(always)]
fn split_suffix<B: SplitByteSlice, T: ?Sized + KnownLayout>(
    source: B,
    found: Located<T>,
) -> (B, Ref<B, T>) {
    // SAFETY: `try_cast` (`Suffix`) returned `split` = `len - size`, which is
    // at most `len`; the length is unchanged by the `ByteSlice` contract.
    let (rest, bytes) = unsafe { source.split_at_unchecked(found.split) };
    // SAFETY: by the `SplitByteSlice` contract `bytes` starts at
    // `source + split`, the address `try_cast` found aligned for `T`, and has
    // length `len - split`, the size of a `T` with metadata `found.meta`.
    (rest, unsafe { Ref::new_unchecked(bytes, found.meta) })
}
