//! [`TryFromBytes`]: types that can be read from bytes after a validity check (`bool`,
//! `char`, enums, `NonZero*`, ...), and its conversion methods.

use crate::cast::{AssertNotZstDst, CastKind};
use crate::convert::{try_cast_error, try_mut_from, try_read_exact, try_ref_from};
use crate::{Immutable, IntoBytes, KnownLayout, Maybe, TryCastError, TryReadError};

/// A type some of whose byte sequences are valid values, with a check that tells which.
///
/// Derive it with `#[derive(TryFromBytes)]`; the conversion methods then validate untrusted
/// bytes and return a typed error instead of producing an invalid value.
///
/// # Safety
///
/// An implementer promises that [`is_bit_valid`](Self::is_bit_valid) returns `true` only if
/// the candidate's bytes, read as a `Self` with the candidate's pointer metadata, are a valid
/// `Self` (its bit validity as defined by the Rust Reference, "Behavior considered
/// undefined"). It may return `false` for valid bytes, and must not rely on the candidate's
/// address being aligned.
///
/// ```
/// use zerocast::TryFromBytes;
/// assert_eq!(bool::try_read_from_bytes(&[1]), Ok(true));
/// assert!(bool::try_read_from_bytes(&[2]).is_err());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no validity check for bytes: it is not `TryFromBytes`",
    note = "add `#[derive(TryFromBytes)]` to `{Self}`"
)]
pub unsafe trait TryFromBytes {
    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// Whether `candidate`'s bytes are a valid `Self` (see the trait's safety section).
    #[doc(hidden)]
    fn is_bit_valid(candidate: Maybe<'_, Self>) -> bool;

    /// Views all of `source` as a `&Self` if it has the right size and alignment and its
    /// bytes are a valid `Self`.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// assert_eq!(<[bool]>::try_ref_from_bytes(&[1, 0]).unwrap(), &[true, false]);
    /// assert!(<[bool]>::try_ref_from_bytes(&[1, 7]).is_err());
    /// ```
    #[inline(always)]
    fn try_ref_from_bytes(source: &[u8]) -> Result<&Self, TryCastError<&[u8], Self>>
    where
        Self: KnownLayout + Immutable,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match try_ref_from::<Self>(source, CastKind::Whole, None) {
            Ok((t, _)) => Ok(t),
            Err(f) => Err(try_cast_error(f, source)),
        }
    }

    /// Views the longest valid-size prefix of `source` as a `&Self`; returns it and the rest.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let (b, rest) = bool::try_ref_from_prefix(&[1, 9, 9]).unwrap();
    /// assert_eq!((*b, rest), (true, &[9, 9][..]));
    /// ```
    #[inline(always)]
    fn try_ref_from_prefix(source: &[u8]) -> Result<(&Self, &[u8]), TryCastError<&[u8], Self>>
    where
        Self: KnownLayout + Immutable,
    {
        let () = AssertNotZstDst::<Self>::OK;
        try_ref_from::<Self>(source, CastKind::Prefix, None).map_err(|f| try_cast_error(f, source))
    }

    /// Views the longest valid-size suffix of `source` as a `&Self`; returns the rest and it.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let (rest, b) = bool::try_ref_from_suffix(&[9, 0]).unwrap();
    /// assert_eq!((rest, *b), (&[9][..], false));
    /// ```
    #[inline(always)]
    fn try_ref_from_suffix(source: &[u8]) -> Result<(&[u8], &Self), TryCastError<&[u8], Self>>
    where
        Self: KnownLayout + Immutable,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match try_ref_from::<Self>(source, CastKind::Suffix, None) {
            Ok((t, rest)) => Ok((rest, t)),
            Err(f) => Err(try_cast_error(f, source)),
        }
    }

    /// Views all of `source` as a `&mut Self` if it has the right size and alignment and its
    /// bytes are a valid `Self`.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let mut bytes = [0u8, 1];
    /// let flags = <[bool; 2]>::try_mut_from_bytes(&mut bytes).unwrap();
    /// flags[0] = true;
    /// assert_eq!(bytes, [1, 1]);
    /// ```
    #[inline(always)]
    fn try_mut_from_bytes(bytes: &mut [u8]) -> Result<&mut Self, TryCastError<&mut [u8], Self>>
    where
        Self: KnownLayout + IntoBytes,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match try_mut_from::<Self>(bytes, CastKind::Whole, None) {
            Ok((t, _)) => Ok(t),
            Err((f, src)) => Err(try_cast_error(f, src)),
        }
    }

    /// Like [`try_ref_from_prefix`](Self::try_ref_from_prefix), mutably.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let mut bytes = [0u8, 5];
    /// let (b, rest) = bool::try_mut_from_prefix(&mut bytes).unwrap();
    /// *b = true;
    /// rest[0] = 6;
    /// assert_eq!(bytes, [1, 6]);
    /// ```
    #[inline(always)]
    fn try_mut_from_prefix(
        source: &mut [u8],
    ) -> Result<(&mut Self, &mut [u8]), TryCastError<&mut [u8], Self>>
    where
        Self: KnownLayout + IntoBytes,
    {
        let () = AssertNotZstDst::<Self>::OK;
        try_mut_from::<Self>(source, CastKind::Prefix, None)
            .map_err(|(f, src)| try_cast_error(f, src))
    }

    /// Like [`try_ref_from_suffix`](Self::try_ref_from_suffix), mutably.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let mut bytes = [5u8, 0];
    /// let (_, b) = bool::try_mut_from_suffix(&mut bytes).unwrap();
    /// *b = true;
    /// assert_eq!(bytes, [5, 1]);
    /// ```
    #[inline(always)]
    fn try_mut_from_suffix(
        source: &mut [u8],
    ) -> Result<(&mut [u8], &mut Self), TryCastError<&mut [u8], Self>>
    where
        Self: KnownLayout + IntoBytes,
    {
        let () = AssertNotZstDst::<Self>::OK;
        match try_mut_from::<Self>(source, CastKind::Suffix, None) {
            Ok((t, rest)) => Ok((rest, t)),
            Err((f, src)) => Err(try_cast_error(f, src)),
        }
    }

    /// Views all of `source` as a slice DST with exactly `count` trailing elements.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// assert_eq!(<[bool]>::try_ref_from_bytes_with_elems(&[1, 1], 2).unwrap(), &[true; 2]);
    /// assert!(<[bool]>::try_ref_from_bytes_with_elems(&[1, 1], 1).is_err());
    /// ```
    #[inline(always)]
    fn try_ref_from_bytes_with_elems(
        source: &[u8],
        count: usize,
    ) -> Result<&Self, TryCastError<&[u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + Immutable,
    {
        match try_ref_from::<Self>(source, CastKind::Whole, Some(count)) {
            Ok((t, _)) => Ok(t),
            Err(f) => Err(try_cast_error(f, source)),
        }
    }

    /// Views the first bytes of `source` as a slice DST with `count` trailing elements.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let (b, rest) = <[bool]>::try_ref_from_prefix_with_elems(&[1, 0, 3], 2).unwrap();
    /// assert_eq!((b, rest), (&[true, false][..], &[3][..]));
    /// ```
    #[inline(always)]
    fn try_ref_from_prefix_with_elems(
        source: &[u8],
        count: usize,
    ) -> Result<(&Self, &[u8]), TryCastError<&[u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + Immutable,
    {
        try_ref_from::<Self>(source, CastKind::Prefix, Some(count))
            .map_err(|f| try_cast_error(f, source))
    }

    /// Views the last bytes of `source` as a slice DST with `count` trailing elements.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let (rest, b) = <[bool]>::try_ref_from_suffix_with_elems(&[3, 1], 1).unwrap();
    /// assert_eq!((rest, b), (&[3][..], &[true][..]));
    /// ```
    #[inline(always)]
    fn try_ref_from_suffix_with_elems(
        source: &[u8],
        count: usize,
    ) -> Result<(&[u8], &Self), TryCastError<&[u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + Immutable,
    {
        match try_ref_from::<Self>(source, CastKind::Suffix, Some(count)) {
            Ok((t, rest)) => Ok((rest, t)),
            Err(f) => Err(try_cast_error(f, source)),
        }
    }

    /// Like [`try_ref_from_bytes_with_elems`](Self::try_ref_from_bytes_with_elems), mutably.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let mut bytes = [0u8; 2];
    /// <[bool]>::try_mut_from_bytes_with_elems(&mut bytes, 2).unwrap()[1] = true;
    /// assert_eq!(bytes, [0, 1]);
    /// ```
    #[inline(always)]
    fn try_mut_from_bytes_with_elems(
        source: &mut [u8],
        count: usize,
    ) -> Result<&mut Self, TryCastError<&mut [u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + IntoBytes,
    {
        match try_mut_from::<Self>(source, CastKind::Whole, Some(count)) {
            Ok((t, _)) => Ok(t),
            Err((f, src)) => Err(try_cast_error(f, src)),
        }
    }

    /// Like [`try_ref_from_prefix_with_elems`](Self::try_ref_from_prefix_with_elems), mutably.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let mut bytes = [0u8; 3];
    /// let (b, _) = <[bool]>::try_mut_from_prefix_with_elems(&mut bytes, 1).unwrap();
    /// b[0] = true;
    /// assert_eq!(bytes, [1, 0, 0]);
    /// ```
    #[inline(always)]
    fn try_mut_from_prefix_with_elems(
        source: &mut [u8],
        count: usize,
    ) -> Result<(&mut Self, &mut [u8]), TryCastError<&mut [u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + IntoBytes,
    {
        try_mut_from::<Self>(source, CastKind::Prefix, Some(count))
            .map_err(|(f, src)| try_cast_error(f, src))
    }

    /// Like [`try_ref_from_suffix_with_elems`](Self::try_ref_from_suffix_with_elems), mutably.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// let mut bytes = [0u8; 3];
    /// let (_, b) = <[bool]>::try_mut_from_suffix_with_elems(&mut bytes, 1).unwrap();
    /// b[0] = true;
    /// assert_eq!(bytes, [0, 0, 1]);
    /// ```
    #[inline(always)]
    fn try_mut_from_suffix_with_elems(
        source: &mut [u8],
        count: usize,
    ) -> Result<(&mut [u8], &mut Self), TryCastError<&mut [u8], Self>>
    where
        Self: KnownLayout<PointerMetadata = usize> + IntoBytes,
    {
        match try_mut_from::<Self>(source, CastKind::Suffix, Some(count)) {
            Ok((t, rest)) => Ok((rest, t)),
            Err((f, src)) => Err(try_cast_error(f, src)),
        }
    }

    /// Copies a `Self` out of all of `source` if its bytes are valid (any alignment).
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// assert_eq!(char::try_read_from_bytes(&0x41u32.to_ne_bytes()), Ok('A'));
    /// assert!(char::try_read_from_bytes(&0xD800u32.to_ne_bytes()).is_err());
    /// ```
    #[inline(always)]
    fn try_read_from_bytes(source: &[u8]) -> Result<Self, TryReadError<&[u8], Self>>
    where
        Self: Sized,
    {
        try_read_exact(source)
    }

    /// Copies a `Self` out of the start of `source`; returns it and the rest.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// assert_eq!(bool::try_read_from_prefix(&[1, 2]), Ok((true, &[2][..])));
    /// ```
    #[inline(always)]
    fn try_read_from_prefix(source: &[u8]) -> Result<(Self, &[u8]), TryReadError<&[u8], Self>>
    where
        Self: Sized,
    {
        let Some((t_bytes, rest)) = source.split_at_checked(core::mem::size_of::<Self>()) else {
            return Err(crate::SizeError::new(source).into());
        };
        match try_read_exact(t_bytes) {
            Ok(t) => Ok((t, rest)),
            Err(e) => Err(e.map_src(|_| source)),
        }
    }

    /// Copies a `Self` out of the end of `source`; returns the rest and it.
    ///
    /// ```
    /// use zerocast::TryFromBytes;
    /// assert_eq!(bool::try_read_from_suffix(&[2, 0]), Ok((&[2][..], false)));
    /// ```
    #[inline(always)]
    fn try_read_from_suffix(source: &[u8]) -> Result<(&[u8], Self), TryReadError<&[u8], Self>>
    where
        Self: Sized,
    {
        let Some(split) = source.len().checked_sub(core::mem::size_of::<Self>()) else {
            return Err(crate::SizeError::new(source).into());
        };
        let (rest, t_bytes) = source.split_at(split);
        match try_read_exact(t_bytes) {
            Ok(t) => Ok((rest, t)),
            Err(e) => Err(e.map_src(|_| source)),
        }
    }
}
