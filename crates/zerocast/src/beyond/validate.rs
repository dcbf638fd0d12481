//! Validators: invariants beyond bit validity ("version must be 4", "length ≥ header"),
//! checked by every `try_*` conversion, with a way to learn which check failed.
//!
//! # Design
//!
//! `#[zerocast(validate = path)]` next to `#[derive(TryFromBytes)]` names a function
//! `fn(&Self) -> Result<(), E>`; repeat the attribute to run several checks in order. `E`
//! is `&'static str` unless `#[zerocast(validate_error = Type)]` names another type. The
//! derive then implements two traits:
//!
//! * [`Validate`], whose [`bits_valid`](Validate::bits_valid) is the ordinary bit-validity
//!   check and whose [`validate`](Validate::validate) runs the named functions;
//! * [`TryFromBytes`](crate::TryFromBytes), whose `is_bit_valid` accepts a candidate only if it is bit-valid
//!   *and* passes the validators ([`check_candidate`] / [`check_unsized_candidate`]).
//!
//! So zerocopy-compatible signatures are untouched: `try_ref_from_bytes` and friends still
//! return `TryCastError`, and a failed validator is a [`ValidityError`](crate::ValidityError)
//! like any invalid bit pattern. To learn *which* check failed, call the `*_checked`
//! methods of [`Validate`], which return a [`CheckError`] carrying the validator's own
//! error. Validators run after bit validity, on a `&Self` that is a real value, so they
//! can use ordinary field access and the byte-order getters.
//!
//! The type must be [`Immutable`]: a validator receives a shared reference to bytes that
//! the conversion promised nobody would write.
//!
//! Validators guard the conversions that check bytes (`try_*`, `*_checked`, and
//! `TryFromBytes` fields of other types). They are not type invariants that the compiler
//! enforces: struct literals, `FromZeros::new_zeroed` and the `FromBytes` conversions
//! build values without running them, so a validated type should not also derive
//! `FromZeros` or `FromBytes`. They also never decide soundness: a validator that accepts
//! too much only lets through values that are still bit-valid.
//!
//! ```
//! use zerocast::beyond::{CheckError, Validate};
//! use zerocast::byteorder::network_endian::U16;
//! use zerocast::{Immutable, KnownLayout, TryFromBytes, Unaligned};
//! # use zerocast_derive::*;
//!
//! #[derive(TryFromBytes, KnownLayout, Immutable, Unaligned)]
//! #[zerocast(validate = version_is_4, validate = header_fits)]
//! #[repr(C)]
//! struct Ipv4Start {
//!     version_ihl: u8,
//!     tos: u8,
//!     total_len: U16,
//! }
//!
//! fn version_is_4(h: &Ipv4Start) -> Result<(), &'static str> {
//!     if h.version_ihl >> 4 == 4 { Ok(()) } else { Err("version is not 4") }
//! }
//! fn header_fits(h: &Ipv4Start) -> Result<(), &'static str> {
//!     let header_len = u16::from(h.version_ihl & 0xf) * 4;
//!     if header_len >= 20 && h.total_len.get() >= header_len { Ok(()) } else { Err("bad IHL") }
//! }
//!
//! assert!(Ipv4Start::try_ref_from_bytes(&[0x45, 0, 0, 20]).is_ok());
//! assert!(Ipv4Start::try_ref_from_bytes(&[0x65, 0, 0, 20]).is_err());
//! assert_eq!(
//!     Ipv4Start::ref_from_bytes_checked(&[0x65, 0, 0, 20]).err(),
//!     Some(CheckError::Check("version is not 4"))
//! );
//! assert_eq!(
//!     Ipv4Start::ref_from_bytes_checked(&[0x45, 0, 0, 19]).err(),
//!     Some(CheckError::Check("bad IHL"))
//! );
//! ```

use core::fmt;
use core::mem::{align_of, ManuallyDrop};
use core::ptr::NonNull;

use crate::candidate::Maybe;
use crate::cast::{try_cast, AssertNotZstDst, CastFailure, CastKind};
use crate::{Immutable, KnownLayout};

/// Why a `*_checked` conversion failed.
///
/// ```
/// use zerocast::beyond::CheckError;
/// let e: CheckError<&str> = CheckError::Check("version is not 4");
/// assert_eq!(e.to_string(), "validator rejected the value: version is not 4");
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CheckError<E> {
    /// The source has the wrong length for the type (too short, or too long for a whole-
    /// buffer conversion).
    Size,
    /// The value would start at an address that is not a multiple of its alignment.
    Alignment,
    /// The bytes are not a valid value of the type (e.g. a `bool` field holding 2).
    Bits,
    /// The bytes are a valid value, and this validator error says which invariant fails.
    Check(E),
}

impl<E: fmt::Display> fmt::Display for CheckError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Size => f.write_str("the source has the wrong size for the type"),
            CheckError::Alignment => f.write_str("the source is misaligned for the type"),
            CheckError::Bits => f.write_str("the bytes are not a valid value of the type"),
            CheckError::Check(e) => write!(f, "validator rejected the value: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for CheckError<E> {}

/// A type with validators: derived by `#[derive(TryFromBytes)]` together with
/// `#[zerocast(validate = path)]` (see the [module docs](self)).
///
/// ```
/// use zerocast::beyond::Validate;
/// use zerocast::{Immutable, KnownLayout, TryFromBytes};
/// # use zerocast_derive::*;
///
/// #[derive(TryFromBytes, KnownLayout, Immutable)]
/// #[zerocast(validate = nonzero_port, validate_error = PortError)]
/// #[repr(C)]
/// struct Port([u8; 2]);
///
/// #[derive(Debug, PartialEq)]
/// struct PortError;
/// fn nonzero_port(p: &Port) -> Result<(), PortError> {
///     if p.0 == [0, 0] { Err(PortError) } else { Ok(()) }
/// }
/// assert_eq!(Port([0, 80]).validate(), Ok(()));
/// assert_eq!(Port([0, 0]).validate(), Err(PortError));
/// ```
///
/// # Safety
///
/// [`bits_valid`](Self::bits_valid) must meet the contract of
/// [`TryFromBytes::is_bit_valid`](crate::TryFromBytes): return `true` only if the
/// candidate's bytes are a valid `Self`. The functions of this module make a `&Self` from
/// bytes that `bits_valid` accepted. Derive this trait; do not implement it by hand.
pub unsafe trait Validate {
    /// What a failed validator returns (`&'static str` unless `validate_error` says otherwise).
    type Error;

    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// Bit validity alone, without the validators (see the trait's safety section).
    #[doc(hidden)]
    fn bits_valid(candidate: Maybe<'_, Self>) -> bool;

    /// Runs the validators in declaration order; the first failure is returned.
    ///
    /// ```
    /// use zerocast::beyond::Validate;
    /// use zerocast::{Immutable, KnownLayout, TryFromBytes};
    /// # use zerocast_derive::*;
    ///
    /// #[derive(TryFromBytes, KnownLayout, Immutable)]
    /// #[zerocast(validate = even)]
    /// #[repr(C)]
    /// struct Even(u8);
    /// fn even(e: &Even) -> Result<(), &'static str> {
    ///     if e.0 % 2 == 0 { Ok(()) } else { Err("odd") }
    /// }
    /// assert_eq!(Even(3).validate(), Err("odd"));
    /// ```
    fn validate(&self) -> Result<(), Self::Error>;

    /// Views all of `source` as a `&Self`, saying which check failed if it cannot.
    ///
    /// ```
    /// use zerocast::beyond::{CheckError, Validate};
    /// use zerocast::{Immutable, KnownLayout, TryFromBytes};
    /// # use zerocast_derive::*;
    ///
    /// #[derive(TryFromBytes, KnownLayout, Immutable)]
    /// #[zerocast(validate = ordered)]
    /// #[repr(C)]
    /// struct Range { lo: u8, hi: u8, open: bool }
    /// fn ordered(r: &Range) -> Result<(), &'static str> {
    ///     if r.lo <= r.hi { Ok(()) } else { Err("lo > hi") }
    /// }
    /// assert!(Range::ref_from_bytes_checked(&[1, 2, 0]).is_ok());
    /// assert_eq!(Range::ref_from_bytes_checked(&[2, 1, 0]).err(), Some(CheckError::Check("lo > hi")));
    /// assert_eq!(Range::ref_from_bytes_checked(&[1, 2, 7]).err(), Some(CheckError::Bits));
    /// assert_eq!(Range::ref_from_bytes_checked(&[1, 2]).err(), Some(CheckError::Size));
    /// ```
    #[inline]
    fn ref_from_bytes_checked(source: &[u8]) -> Result<&Self, CheckError<Self::Error>>
    where
        Self: KnownLayout + Immutable,
    {
        checked_ref::<Self>(source, CastKind::Whole).map(|(t, _)| t)
    }

    /// Views the start of `source` as a `&Self` (the longest fitting slice DST); returns it
    /// and the rest, or which check failed.
    ///
    /// ```
    /// use zerocast::beyond::{CheckError, Validate};
    /// use zerocast::{Immutable, KnownLayout, TryFromBytes};
    /// # use zerocast_derive::*;
    ///
    /// #[derive(TryFromBytes, KnownLayout, Immutable)]
    /// #[zerocast(validate = nonzero)]
    /// #[repr(C)]
    /// struct Tag(u8);
    /// fn nonzero(t: &Tag) -> Result<(), &'static str> {
    ///     if t.0 != 0 { Ok(()) } else { Err("zero tag") }
    /// }
    /// let (tag, rest) = Tag::ref_from_prefix_checked(&[5, 6]).unwrap();
    /// assert_eq!((tag.0, rest), (5, &[6][..]));
    /// assert_eq!(Tag::ref_from_prefix_checked(&[0, 6]).err(), Some(CheckError::Check("zero tag")));
    /// assert_eq!(Tag::ref_from_prefix_checked(&[]).err(), Some(CheckError::Size));
    /// ```
    #[inline]
    fn ref_from_prefix_checked(source: &[u8]) -> Result<(&Self, &[u8]), CheckError<Self::Error>>
    where
        Self: KnownLayout + Immutable,
    {
        checked_ref::<Self>(source, CastKind::Prefix)
    }

    /// Views the end of `source` as a `&Self`; returns the rest and it, or which check
    /// failed.
    ///
    /// ```
    /// use zerocast::beyond::{CheckError, Validate};
    /// use zerocast::{Immutable, KnownLayout, TryFromBytes};
    /// # use zerocast_derive::*;
    ///
    /// #[derive(TryFromBytes, KnownLayout, Immutable)]
    /// #[zerocast(validate = nonzero)]
    /// #[repr(C)]
    /// struct Tag(u8);
    /// fn nonzero(t: &Tag) -> Result<(), &'static str> {
    ///     if t.0 != 0 { Ok(()) } else { Err("zero tag") }
    /// }
    /// let (rest, tag) = Tag::ref_from_suffix_checked(&[5, 6]).unwrap();
    /// assert_eq!((rest, tag.0), (&[5][..], 6));
    /// assert_eq!(Tag::ref_from_suffix_checked(&[5, 0]).err(), Some(CheckError::Check("zero tag")));
    /// ```
    #[inline]
    fn ref_from_suffix_checked(source: &[u8]) -> Result<(&[u8], &Self), CheckError<Self::Error>>
    where
        Self: KnownLayout + Immutable,
    {
        checked_ref::<Self>(source, CastKind::Suffix).map(|(t, rest)| (rest, t))
    }

    /// Copies a `Self` out of all of `source` (any alignment), or says which check failed.
    ///
    /// ```
    /// use zerocast::beyond::{CheckError, Validate};
    /// use zerocast::{Immutable, KnownLayout, TryFromBytes};
    /// # use zerocast_derive::*;
    ///
    /// #[derive(TryFromBytes, KnownLayout, Immutable, Debug, PartialEq)]
    /// #[zerocast(validate = small)]
    /// #[repr(C)]
    /// struct Small(u32);
    /// fn small(s: &Small) -> Result<(), &'static str> {
    ///     if s.0 < 100 { Ok(()) } else { Err("too big") }
    /// }
    /// let mut bytes = [0u8; 9]; // values at odd addresses
    /// bytes[1..5].copy_from_slice(&7u32.to_ne_bytes());
    /// bytes[5..].copy_from_slice(&200u32.to_ne_bytes());
    /// assert_eq!(Small::read_from_bytes_checked(&bytes[1..5]), Ok(Small(7)));
    /// assert_eq!(Small::read_from_bytes_checked(&bytes[5..]).err(), Some(CheckError::Check("too big")));
    /// assert_eq!(Small::read_from_bytes_checked(&bytes[..3]).err(), Some(CheckError::Size));
    /// ```
    #[inline]
    fn read_from_bytes_checked(source: &[u8]) -> Result<Self, CheckError<Self::Error>>
    where
        Self: Sized + Immutable,
    {
        let bytes = source;
        if bytes.len() != core::mem::size_of::<Self>() {
            return Err(CheckError::Size);
        }
        let ptr = NonNull::from(bytes).cast::<Self>();
        // SAFETY: `ptr` covers `size_of::<Self>()` initialized bytes of `source` (length
        // checked just above), which are immutable for this call; `Maybe` needs no alignment.
        let candidate = unsafe { Maybe::new_unchecked(ptr, core::mem::size_of::<Self>()) };
        check_candidate::<Self>(candidate)?;
        // SAFETY: `check_candidate` returned `Ok` only after `Self::bits_valid` accepted the
        // bytes, which by `Validate`'s contract makes them a valid `Self`; `read_unaligned`
        // needs no alignment and `ptr` is valid for `size_of::<Self>()` reads.
        Ok(unsafe { ptr.as_ptr().read_unaligned() })
    }
}

/// Runs bit validity and then the validators on a sized candidate, whatever its alignment
/// (a misaligned candidate is copied to an aligned local first). The derived
/// `TryFromBytes::is_bit_valid` of a type with validators is `check_candidate(c).is_ok()`.
///
/// ```
/// use zerocast::beyond::{check_candidate, CheckError, Validate};
/// use zerocast::{Immutable, KnownLayout, TryFromBytes};
/// # use zerocast_derive::*;
///
/// #[derive(TryFromBytes, KnownLayout, Immutable)]
/// #[zerocast(validate = even)]
/// #[repr(C)]
/// struct Even(u8);
/// fn even(e: &Even) -> Result<(), &'static str> {
///     if e.0 % 2 == 0 { Ok(()) } else { Err("odd") }
/// }
/// // What the derived `is_bit_valid` runs: `try_*` conversions reject odd bytes.
/// assert!(Even::try_read_from_bytes(&[4]).is_ok());
/// assert!(Even::try_read_from_bytes(&[5]).is_err());
/// ```
#[inline]
pub fn check_candidate<T: Validate + Immutable>(
    candidate: Maybe<'_, T>,
) -> Result<(), CheckError<T::Error>> {
    if !T::bits_valid(candidate) {
        return Err(CheckError::Bits);
    }
    // SAFETY: `T::bits_valid` accepted the bytes, so they are a valid `T` (`Validate`'s
    // contract), which is `run_validators`' precondition.
    unsafe { run_validators(candidate) }
}

/// The second half of [`check_candidate`]: runs the validators on a candidate already
/// known to be a valid `T`. The derived `is_bit_valid` calls `Validate::bits_valid` itself
/// and then this, so that the bit check never depends on an item the derive reaches
/// through its crate path (which user code could replace; see `AUDIT.md`, F2): a
/// replaced `run_validators` could skip validators, which never decide soundness.
///
/// # Safety
///
/// The candidate's bytes must be a valid `T` (for example, `T::bits_valid` returned `true`
/// for it).
///
/// ```
/// use zerocast::beyond::{run_validators, CheckError, Validate};
/// use zerocast::{Immutable, KnownLayout, TryFromBytes};
/// # use zerocast_derive::*;
///
/// #[derive(TryFromBytes, KnownLayout, Immutable)]
/// #[zerocast(validate = even)]
/// #[repr(C)]
/// struct Even(u8);
/// fn even(e: &Even) -> Result<(), &'static str> {
///     if e.0 % 2 == 0 { Ok(()) } else { Err("odd") }
/// }
/// // What the derived `is_bit_valid` runs after the bit check: odd bytes are rejected.
/// assert!(Even::try_read_from_bytes(&[4]).is_ok());
/// assert!(Even::try_read_from_bytes(&[5]).is_err());
/// ```
#[doc(hidden)]
#[inline]
pub unsafe fn run_validators<T: Validate + Immutable>(
    candidate: Maybe<'_, T>,
) -> Result<(), CheckError<T::Error>> {
    let ptr = candidate.as_non_null();
    if ptr.as_ptr().addr().is_multiple_of(align_of::<T>()) {
        // SAFETY: `ptr` covers the candidate's `size_of::<T>()` bytes, initialized and not
        // written for the candidate's lifetime (`Maybe`'s invariant), aligned (checked just
        // above), and a valid `T` (the caller's promise). The reference lives only for this
        // call, and `T: Immutable` has no `UnsafeCell` through which the validator could write.
        let value = unsafe { ptr.as_ref() };
        value.validate().map_err(CheckError::Check)
    } else {
        // SAFETY: same bytes as above, valid for `size_of::<T>()` reads and a valid `T`;
        // `read_unaligned` needs no alignment. The copy is a `ManuallyDrop` that is never
        // dropped, so a type owning resources (e.g. `Option<Box<_>>`) is not freed twice.
        let copy = ManuallyDrop::new(unsafe { ptr.as_ptr().read_unaligned() });
        copy.validate().map_err(CheckError::Check)
    }
}

/// Like [`check_candidate`] for slice DSTs (a `repr(C)` struct ending in `[T]`). A
/// misaligned candidate cannot be copied, so it is rejected as [`CheckError::Alignment`];
/// that only happens for a DST nested at a misaligned offset inside a `packed` type.
///
/// ```
/// use zerocast::beyond::{CheckError, Validate};
/// use zerocast::{Immutable, KnownLayout, TryFromBytes};
/// # use zerocast_derive::*;
///
/// #[derive(TryFromBytes, KnownLayout, Immutable)]
/// #[zerocast(validate = len_matches)]
/// #[repr(C)]
/// struct Counted { count: u8, items: [u8] }
/// fn len_matches(c: &Counted) -> Result<(), &'static str> {
///     if usize::from(c.count) == c.items.len() { Ok(()) } else { Err("count mismatch") }
/// }
/// assert!(Counted::try_ref_from_bytes(&[2, 9, 9]).is_ok());
/// assert_eq!(
///     Counted::ref_from_bytes_checked(&[3, 9, 9]).err(),
///     Some(CheckError::Check("count mismatch"))
/// );
/// ```
#[inline]
pub fn check_unsized_candidate<T: ?Sized + Validate + Immutable + KnownLayout>(
    candidate: Maybe<'_, T>,
) -> Result<(), CheckError<T::Error>> {
    if !T::bits_valid(candidate) {
        return Err(CheckError::Bits);
    }
    // SAFETY: `T::bits_valid` accepted the bytes, so they are a valid `T` (`Validate`'s
    // contract), which is `run_unsized_validators`' precondition.
    unsafe { run_unsized_validators(candidate) }
}

/// [`run_validators`] for slice DSTs: the second half of [`check_unsized_candidate`].
///
/// # Safety
///
/// The candidate's bytes must be a valid `T` (for example, `T::bits_valid` returned `true`
/// for it).
///
/// ```
/// use zerocast::beyond::{CheckError, Validate};
/// use zerocast::{Immutable, KnownLayout, TryFromBytes};
/// # use zerocast_derive::*;
///
/// #[derive(TryFromBytes, KnownLayout, Immutable)]
/// #[zerocast(validate = len_matches)]
/// #[repr(C)]
/// struct Counted { count: u8, items: [u8] }
/// fn len_matches(c: &Counted) -> Result<(), &'static str> {
///     if usize::from(c.count) == c.items.len() { Ok(()) } else { Err("count mismatch") }
/// }
/// // What the derived `is_bit_valid` runs after the bit check.
/// assert!(Counted::try_ref_from_bytes(&[2, 9, 9]).is_ok());
/// assert!(Counted::try_ref_from_bytes(&[3, 9, 9]).is_err());
/// ```
#[doc(hidden)]
#[inline]
pub unsafe fn run_unsized_validators<T: ?Sized + Validate + Immutable + KnownLayout>(
    candidate: Maybe<'_, T>,
) -> Result<(), CheckError<T::Error>> {
    let ptr = candidate.as_non_null();
    if !ptr
        .as_ptr()
        .cast::<u8>()
        .addr()
        .is_multiple_of(T::LAYOUT.align())
    {
        return Err(CheckError::Alignment);
    }
    // SAFETY: `ptr` (with its metadata) covers the candidate's bytes, initialized and not
    // written for the candidate's lifetime (`Maybe`'s invariant), aligned to `T`'s
    // alignment (`KnownLayout::LAYOUT`, checked just above), and a valid `T` (the caller's
    // promise). The reference lives only for this call and `T: Immutable`.
    let value = unsafe { ptr.as_ref() };
    value.validate().map_err(CheckError::Check)
}

/// The `*_checked` conversions: locate, check bits and validators, hand out the reference.
fn checked_ref<T: ?Sized + Validate + KnownLayout + Immutable>(
    source: &[u8],
    kind: CastKind,
) -> Result<(&T, &[u8]), CheckError<T::Error>> {
    // Like every other maximal-count conversion: no element count follows from a length
    // when the trailing elements are zero-sized.
    let () = AssertNotZstDst::<T>::OK;
    let (ptr, split) = try_cast::<T>(NonNull::from(source), kind, None).map_err(|f| match f {
        CastFailure::Size => CheckError::Size,
        CastFailure::Alignment => CheckError::Alignment,
    })?;
    let (t_len, rest) = match kind {
        CastKind::Whole | CastKind::Prefix => (split, source.get(split..)),
        CastKind::Suffix => (source.len() - split, source.get(..split)),
    };
    let rest = rest.ok_or(CheckError::Size)?;
    // SAFETY: `try_cast` returns a pointer into `source` covering exactly `t_len` bytes (the
    // size `T`'s layout gives for the pointer's metadata); they are initialized and
    // immutable for the borrow of `source`.
    let candidate = unsafe { Maybe::new_unchecked(ptr, t_len) };
    check_unsized_candidate::<T>(candidate)?;
    // SAFETY: `ptr` is aligned (`try_cast` checked it), covers `t_len` bytes of `source` that
    // are a valid `T` (`bits_valid` accepted them inside `check_unsized_candidate`), and is
    // immutable for the borrow of `source` (shared, and `T: Immutable`).
    let t = unsafe { ptr.as_ref() };
    Ok((t, rest))
}
