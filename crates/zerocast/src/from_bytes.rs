//! [`FromBytes`]: types for which every byte sequence of the right size is a valid value,
//! and its zero-check conversion methods (views, copies, and `read_from_io`).

use crate::cast::{AssertNotZstDst, CastKind};
use crate::convert::{cast_error, mut_from, read_from, ref_from};
use crate::{CastError, FromZeros, Immutable, IntoBytes, KnownLayout, SizeError};

/// A type for which every initialized byte sequence of its size is a valid value: integers,
/// floats, arrays of those, `repr(C)` structs of those.
///
/// # Safety
///
/// An implementer promises that, for every pointer metadata, every sequence of initialized
/// bytes of `Self`'s size is a valid `Self`, and that `is_bit_valid` (from
/// [`TryFromBytes`](crate::TryFromBytes)) is sound.
///
/// ```
/// use zerocast::FromBytes;
/// assert_eq!(u16::read_from_bytes(&[1, 0]).unwrap(), u16::from_ne_bytes([1, 0]));
/// ```
#[diagnostic::on_unimplemented(
    message = "some byte sequences are not a valid `{Self}`: it is not `FromBytes`",
    note = "add `#[derive(FromBytes)]` if every bit pattern is valid, or use a `try_` conversion with `TryFromBytes`"
)]
pub unsafe trait FromBytes: FromZeros {
    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// Views all of `source` as a `&Self`; fails if the size or alignment is wrong.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let header = <[u8; 4]>::ref_from_bytes(&[1, 2, 3, 4]).unwrap();
    /// assert_eq!(header, &[1, 2, 3, 4]);
    /// assert!(<[u8; 4]>::ref_from_bytes(&[1, 2, 3]).is_err());
    /// ```
    #[inline(always)]
    fn ref_from_bytes(source: &[u8]) -> Result<&Self, CastError<&[u8], Self>>
    where
        Self: KnownLayout + Immutable,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match ref_from::<Self>(source, CastKind::Whole, None) {
            Ok((t, _)) => Ok(t),
            Err(f) => Err(cast_error(f, source)),
        }
    }

    /// Views the start of `source` as a `&Self` (the most trailing elements that fit, for a slice DST); returns it and the rest.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let (head, rest) = <[u8; 2]>::ref_from_prefix(&[1, 2, 3]).unwrap();
    /// assert_eq!((head, rest), (&[1, 2], &[3][..]));
    /// ```
    #[inline(always)]
    fn ref_from_prefix(source: &[u8]) -> Result<(&Self, &[u8]), CastError<&[u8], Self>>
    where
        Self: KnownLayout + Immutable,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match ref_from::<Self>(source, CastKind::Prefix, None) {
            Ok((t, rest)) => Ok((t, rest)),
            Err(f) => Err(cast_error(f, source)),
        }
    }

    /// Views the end of `source` as a `&Self`; returns the rest and it.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let (rest, tail) = <[u8; 2]>::ref_from_suffix(&[1, 2, 3]).unwrap();
    /// assert_eq!((rest, tail), (&[1][..], &[2, 3]));
    /// ```
    #[inline(always)]
    fn ref_from_suffix(source: &[u8]) -> Result<(&[u8], &Self), CastError<&[u8], Self>>
    where
        Self: KnownLayout + Immutable,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match ref_from::<Self>(source, CastKind::Suffix, None) {
            Ok((t, rest)) => Ok((rest, t)),
            Err(f) => Err(cast_error(f, source)),
        }
    }

    /// Views all of `source` as a `&mut Self`.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let mut bytes = [0u8; 2];
    /// *<[u8; 2]>::mut_from_bytes(&mut bytes).unwrap() = [7, 8];
    /// assert_eq!(bytes, [7, 8]);
    /// ```
    #[inline(always)]
    fn mut_from_bytes(source: &mut [u8]) -> Result<&mut Self, CastError<&mut [u8], Self>>
    where
        Self: IntoBytes + KnownLayout,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match mut_from::<Self>(source, CastKind::Whole, None) {
            Ok((t, _)) => Ok(t),
            Err((f, src)) => Err(cast_error(f, src)),
        }
    }

    /// Views the start of `source` as a `&mut Self`; returns it and the rest.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let mut bytes = [0u8; 3];
    /// let (head, rest) = <[u8; 2]>::mut_from_prefix(&mut bytes).unwrap();
    /// head[0] = 1;
    /// rest[0] = 3;
    /// assert_eq!(bytes, [1, 0, 3]);
    /// ```
    #[inline(always)]
    fn mut_from_prefix(
        source: &mut [u8],
    ) -> Result<(&mut Self, &mut [u8]), CastError<&mut [u8], Self>>
    where
        Self: IntoBytes + KnownLayout,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match mut_from::<Self>(source, CastKind::Prefix, None) {
            Ok((t, rest)) => Ok((t, rest)),
            Err((f, src)) => Err(cast_error(f, src)),
        }
    }

    /// Views the end of `source` as a `&mut Self`; returns the rest and it.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let mut bytes = [0u8; 3];
    /// let (_, tail) = <[u8; 1]>::mut_from_suffix(&mut bytes).unwrap();
    /// tail[0] = 9;
    /// assert_eq!(bytes, [0, 0, 9]);
    /// ```
    #[inline(always)]
    fn mut_from_suffix(
        source: &mut [u8],
    ) -> Result<(&mut [u8], &mut Self), CastError<&mut [u8], Self>>
    where
        Self: IntoBytes + KnownLayout,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match mut_from::<Self>(source, CastKind::Suffix, None) {
            Ok((t, rest)) => Ok((rest, t)),
            Err((f, src)) => Err(cast_error(f, src)),
        }
    }

    /// Views all of `source` as a slice DST with exactly `count` trailing elements.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// assert_eq!(<[u8]>::ref_from_bytes_with_elems(&[1, 2], 2).unwrap(), &[1, 2]);
    /// assert!(<[u8]>::ref_from_bytes_with_elems(&[1, 2], 3).is_err());
    /// ```
    #[inline(always)]
    fn ref_from_bytes_with_elems(
        source: &[u8],
        count: usize,
    ) -> Result<&Self, CastError<&[u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + Immutable,
    {
        match ref_from::<Self>(source, CastKind::Whole, Some(count)) {
            Ok((t, _)) => Ok(t),
            Err(f) => Err(cast_error(f, source)),
        }
    }

    /// Views the start of `source` as a slice DST with `count` trailing elements; returns it and the rest.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let (s, rest) = <[u8]>::ref_from_prefix_with_elems(&[1, 2, 3], 1).unwrap();
    /// assert_eq!((s, rest), (&[1][..], &[2, 3][..]));
    /// ```
    #[inline(always)]
    fn ref_from_prefix_with_elems(
        source: &[u8],
        count: usize,
    ) -> Result<(&Self, &[u8]), CastError<&[u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + Immutable,
    {
        match ref_from::<Self>(source, CastKind::Prefix, Some(count)) {
            Ok((t, rest)) => Ok((t, rest)),
            Err(f) => Err(cast_error(f, source)),
        }
    }

    /// Views the end of `source` as a slice DST with `count` trailing elements; returns the rest and it.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let (rest, s) = <[u8]>::ref_from_suffix_with_elems(&[1, 2, 3], 1).unwrap();
    /// assert_eq!((rest, s), (&[1, 2][..], &[3][..]));
    /// ```
    #[inline(always)]
    fn ref_from_suffix_with_elems(
        source: &[u8],
        count: usize,
    ) -> Result<(&[u8], &Self), CastError<&[u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + Immutable,
    {
        match ref_from::<Self>(source, CastKind::Suffix, Some(count)) {
            Ok((t, rest)) => Ok((rest, t)),
            Err(f) => Err(cast_error(f, source)),
        }
    }

    /// Views all of `source` as a mutable slice DST with exactly `count` trailing elements.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let mut bytes = [0u8; 2];
    /// <[u8]>::mut_from_bytes_with_elems(&mut bytes, 2).unwrap()[1] = 5;
    /// assert_eq!(bytes, [0, 5]);
    /// ```
    #[inline(always)]
    fn mut_from_bytes_with_elems(
        source: &mut [u8],
        count: usize,
    ) -> Result<&mut Self, CastError<&mut [u8], Self>>
    where
        Self: IntoBytes + KnownLayout<PointerMetadata = usize>,
    {
        match mut_from::<Self>(source, CastKind::Whole, Some(count)) {
            Ok((t, _)) => Ok(t),
            Err((f, src)) => Err(cast_error(f, src)),
        }
    }

    /// Views the start of `source` as a mutable slice DST with `count` trailing elements.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let mut bytes = [0u8; 3];
    /// let (s, _) = <[u8]>::mut_from_prefix_with_elems(&mut bytes, 2).unwrap();
    /// s[1] = 5;
    /// assert_eq!(bytes, [0, 5, 0]);
    /// ```
    #[inline(always)]
    fn mut_from_prefix_with_elems(
        source: &mut [u8],
        count: usize,
    ) -> Result<(&mut Self, &mut [u8]), CastError<&mut [u8], Self>>
    where
        Self: IntoBytes + KnownLayout<PointerMetadata = usize>,
    {
        match mut_from::<Self>(source, CastKind::Prefix, Some(count)) {
            Ok((t, rest)) => Ok((t, rest)),
            Err((f, src)) => Err(cast_error(f, src)),
        }
    }

    /// Views the end of `source` as a mutable slice DST with `count` trailing elements.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let mut bytes = [0u8; 3];
    /// let (_, s) = <[u8]>::mut_from_suffix_with_elems(&mut bytes, 2).unwrap();
    /// s[0] = 5;
    /// assert_eq!(bytes, [0, 5, 0]);
    /// ```
    #[inline(always)]
    fn mut_from_suffix_with_elems(
        source: &mut [u8],
        count: usize,
    ) -> Result<(&mut [u8], &mut Self), CastError<&mut [u8], Self>>
    where
        Self: IntoBytes + KnownLayout<PointerMetadata = usize>,
    {
        match mut_from::<Self>(source, CastKind::Suffix, Some(count)) {
            Ok((t, rest)) => Ok((rest, t)),
            Err((f, src)) => Err(cast_error(f, src)),
        }
    }

    /// Copies a `Self` out of all of `source` (any alignment).
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// assert_eq!(u16::read_from_bytes(&[0x34, 0x12]).unwrap(), u16::from_le_bytes([0x34, 0x12]));
    /// assert!(u16::read_from_bytes(&[0x34]).is_err());
    /// ```
    #[inline(always)]
    fn read_from_bytes(source: &[u8]) -> Result<Self, SizeError<&[u8], Self>>
    where
        Self: Sized,
    {
        match read_from::<Self>(source, CastKind::Whole) {
            Some((t, _)) => Ok(t),
            None => Err(SizeError::new(source)),
        }
    }

    /// Copies a `Self` out of the start of `source`; returns it and the rest.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let (v, rest) = u8::read_from_prefix(&[1, 2]).unwrap();
    /// assert_eq!((v, rest), (1, &[2][..]));
    /// ```
    #[inline(always)]
    fn read_from_prefix(source: &[u8]) -> Result<(Self, &[u8]), SizeError<&[u8], Self>>
    where
        Self: Sized,
    {
        match read_from::<Self>(source, CastKind::Prefix) {
            Some((t, rest)) => Ok((t, rest)),
            None => Err(SizeError::new(source)),
        }
    }

    /// Copies a `Self` out of the end of `source`; returns the rest and it.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let (rest, v) = u8::read_from_suffix(&[1, 2]).unwrap();
    /// assert_eq!((rest, v), (&[1][..], 2));
    /// ```
    #[inline(always)]
    fn read_from_suffix(source: &[u8]) -> Result<(&[u8], Self), SizeError<&[u8], Self>>
    where
        Self: Sized,
    {
        match read_from::<Self>(source, CastKind::Suffix) {
            Some((t, rest)) => Ok((rest, t)),
            None => Err(SizeError::new(source)),
        }
    }

    /// Reads exactly `size_of::<Self>()` bytes from `src` into a new `Self`.
    ///
    /// The reader only ever sees initialized memory: the destination is zeroed first, so a
    /// reader that inspects its buffer (which `io::Read` allows) cannot observe
    /// uninitialized bytes.
    ///
    /// ```
    /// use zerocast::FromBytes;
    /// let v = u32::read_from_io(&[1u8, 0, 0, 0][..]).unwrap();
    /// assert_eq!(v, u32::from_ne_bytes([1, 0, 0, 0]));
    /// assert!(u32::read_from_io(&[1u8][..]).is_err());
    /// ```
    #[cfg(feature = "std")]
    #[inline]
    fn read_from_io<R>(mut src: R) -> std::io::Result<Self>
    where
        Self: Sized,
        R: std::io::Read,
    {
        let mut buf = core::mem::MaybeUninit::<Self>::zeroed();
        let ptr = buf.as_mut_ptr().cast::<u8>();
        // SAFETY: `ptr` points to `size_of::<Self>()` bytes owned by `buf`, all initialized
        // (`MaybeUninit::zeroed` writes every byte, padding included), and we hold the only
        // borrow of them while `bytes` lives.
        let bytes = unsafe { core::slice::from_raw_parts_mut(ptr, core::mem::size_of::<Self>()) };
        src.read_exact(bytes)?;
        // SAFETY: every byte of `buf` is initialized (zeroed, then overwritten by the
        // reader with initialized bytes), and `Self: FromBytes` makes every initialized
        // byte sequence of its size a valid `Self`.
        Ok(unsafe { buf.assume_init() })
    }
    /// Old name of [`ref_from_bytes`](Self::ref_from_bytes), kept for zerocopy 0.7 code.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert_eq!(<[u8; 2]>::ref_from(&[1, 2]), Some(&[1, 2]));
    /// ```
    #[deprecated(since = "0.1.0", note = "use `FromBytes::ref_from_bytes`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn ref_from(source: &[u8]) -> Option<&Self>
    where
        Self: KnownLayout + Immutable,
    {
        Self::ref_from_bytes(source).ok()
    }

    /// Old name of [`mut_from_bytes`](Self::mut_from_bytes).
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert!(<[u8; 2]>::mut_from(&mut [1, 2][..]).is_some());
    /// ```
    #[deprecated(since = "0.1.0", note = "use `FromBytes::mut_from_bytes`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn mut_from(source: &mut [u8]) -> Option<&mut Self>
    where
        Self: KnownLayout + IntoBytes,
    {
        Self::mut_from_bytes(source).ok()
    }

    /// Old form of `<[Self]>::ref_from_prefix_with_elems`.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert_eq!(u8::slice_from_prefix(&[1, 2, 3], 2), Some((&[1, 2][..], &[3][..])));
    /// ```
    #[deprecated(since = "0.1.0", note = "use `<[T]>::ref_from_prefix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn slice_from_prefix(source: &[u8], count: usize) -> Option<(&[Self], &[u8])>
    where
        Self: Sized + Immutable,
    {
        <[Self]>::ref_from_prefix_with_elems(source, count).ok()
    }

    /// Old form of `<[Self]>::ref_from_suffix_with_elems`.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert_eq!(u8::slice_from_suffix(&[1, 2, 3], 2), Some((&[1][..], &[2, 3][..])));
    /// ```
    #[deprecated(since = "0.1.0", note = "use `<[T]>::ref_from_suffix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn slice_from_suffix(source: &[u8], count: usize) -> Option<(&[u8], &[Self])>
    where
        Self: Sized + Immutable,
    {
        <[Self]>::ref_from_suffix_with_elems(source, count).ok()
    }

    /// Old form of `<[Self]>::mut_from_prefix_with_elems`.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert!(u8::mut_slice_from_prefix(&mut [1, 2][..], 1).is_some());
    /// ```
    #[deprecated(since = "0.1.0", note = "use `<[T]>::mut_from_prefix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn mut_slice_from_prefix(source: &mut [u8], count: usize) -> Option<(&mut [Self], &mut [u8])>
    where
        Self: Sized + IntoBytes,
    {
        <[Self]>::mut_from_prefix_with_elems(source, count).ok()
    }

    /// Old form of `<[Self]>::mut_from_suffix_with_elems`.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert!(u8::mut_slice_from_suffix(&mut [1, 2][..], 3).is_none());
    /// ```
    #[deprecated(since = "0.1.0", note = "use `<[T]>::mut_from_suffix_with_elems`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn mut_slice_from_suffix(source: &mut [u8], count: usize) -> Option<(&mut [u8], &mut [Self])>
    where
        Self: Sized + IntoBytes,
    {
        <[Self]>::mut_from_suffix_with_elems(source, count).ok()
    }

    /// Old name of [`read_from_bytes`](Self::read_from_bytes).
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::FromBytes;
    /// assert_eq!(u8::read_from(&[7]), Some(7));
    /// ```
    #[deprecated(since = "0.1.0", note = "use `FromBytes::read_from_bytes`")]
    #[doc(hidden)]
    #[must_use = "has no side effects"]
    #[inline(always)]
    fn read_from(source: &[u8]) -> Option<Self>
    where
        Self: Sized,
    {
        Self::read_from_bytes(source).ok()
    }
}
