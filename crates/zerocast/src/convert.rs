//! Crate-private engine of every reference conversion: locate the `T` ([`try_cast`]), check
//! its bytes if it has invalid bit patterns, and hand out the reference plus the remaining
//! bytes. Each public method is a one-line call into this module, so the unsafe reasoning
//! lives in one place.

use core::ptr::NonNull;

use crate::candidate::Maybe;
use crate::cast::{try_cast, CastFailure, CastKind};
use crate::known_layout::KnownLayout;
use crate::{AlignmentError, ConvertError, FromBytes, Immutable, IntoBytes, SizeError};
use crate::{TryFromBytes, ValidityError};

/// Why a conversion failed (the caller turns it into its public error type).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    Size,
    Alignment,
    Validity,
}

impl From<CastFailure> for Fail {
    #[inline(always)]
    fn from(f: CastFailure) -> Fail {
        match f {
            CastFailure::Size => Fail::Size,
            CastFailure::Alignment => Fail::Alignment,
        }
    }
}

/// Builds the public error for `fail`, carrying `src`.
#[inline(always)]
pub(crate) fn try_cast_error<Src, T: ?Sized + TryFromBytes>(
    fail: Fail,
    src: Src,
) -> ConvertError<AlignmentError<Src, T>, SizeError<Src, T>, ValidityError<Src, T>> {
    match fail {
        Fail::Size => ConvertError::Size(SizeError::new(src)),
        // `try_cast` only reports misalignment after seeing an address that is not a
        // multiple of `T`'s alignment, which proves that alignment is above 1.
        Fail::Alignment => ConvertError::Alignment(AlignmentError::new_observed(src)),
        Fail::Validity => ConvertError::Validity(ValidityError::new(src)),
    }
}

/// Builds the public error for a conversion that has no validity step.
#[inline(always)]
pub(crate) fn cast_error<Src, T: ?Sized>(fail: Fail, src: Src) -> crate::CastError<Src, T> {
    match fail {
        Fail::Alignment => ConvertError::Alignment(AlignmentError::new_observed(src)),
        Fail::Size | Fail::Validity => ConvertError::Size(SizeError::new(src)),
    }
}

/// The bytes of `len` at `base` outside the `T`: after it for `Whole`/`Prefix` (empty for
/// `Whole`), before it for `Suffix`. Returns `(start, len)` of that range.
#[inline(always)]
fn rest_range(kind: CastKind, split: usize, len: usize) -> (usize, usize) {
    match kind {
        CastKind::Whole | CastKind::Prefix => (split, len - split),
        CastKind::Suffix => (0, split),
    }
}

/// Shared conversion; `valid` decides bit validity.
///
/// # Safety
///
/// `valid` may return `true` only if the candidate's bytes are a valid `T`.
#[inline(always)]
unsafe fn ref_with<'a, T: ?Sized + KnownLayout + Immutable>(
    source: &'a [u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
    valid: impl FnOnce(Maybe<'a, T>) -> bool,
) -> Result<(&'a T, &'a [u8]), Fail> {
    // SAFETY: the caller's promise about `valid`, passed on.
    match unsafe { locate_valid(source, kind, meta, valid) } {
        Some(found) => Ok(found),
        None => Err(failure_reason::<T>(source, kind, meta)),
    }
}

/// Why [`locate_valid`] found nothing. Worked out again after the fact, so that both
/// failures (no room, invalid bytes) leave the fast path through one edge: with a separate
/// `Err` per failure, LLVM turns the validity check into a conditional move on the loaded
/// bytes, and a caller that discards the reason (`.ok()`) pays an extra instruction.
#[cold]
#[inline]
fn failure_reason<T: ?Sized + KnownLayout>(
    source: &[u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Fail {
    match try_cast::<T>(NonNull::from(source), kind, meta) {
        Err(f) => f.into(),
        // `try_cast` is deterministic: if it succeeds now, it succeeded before, so the bytes
        // were invalid.
        Ok(_) => Fail::Validity,
    }
}

/// The `T` in `source` and the bytes outside it, if it fits and `valid` accepts it.
///
/// # Safety
///
/// `valid` may return `true` only if the candidate's bytes are a valid `T`.
#[inline(always)]
unsafe fn locate_valid<'a, T: ?Sized + KnownLayout + Immutable>(
    source: &'a [u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
    valid: impl FnOnce(Maybe<'a, T>) -> bool,
) -> Option<(&'a T, &'a [u8])> {
    let bytes = NonNull::from(source);
    let (ptr, split) = try_cast::<T>(bytes, kind, meta).ok()?;
    let t_len = match kind {
        CastKind::Whole | CastKind::Prefix => split,
        CastKind::Suffix => source.len() - split,
    };
    // SAFETY: `try_cast` returns a pointer into `source`'s bytes covering exactly `t_len`
    // bytes (the size `T`'s layout gives for the pointer's metadata). Those bytes are
    // initialized and immutable for `'a` because `source: &'a [u8]`.
    let candidate = unsafe { Maybe::new_unchecked(ptr, t_len) };
    if !valid(candidate) {
        return None;
    }
    // SAFETY: `ptr` and `split` come from `try_cast` over `source` and `kind`, and the bytes
    // are a valid `T` (`valid`'s contract).
    Some(unsafe { view(source, kind, ptr, split) })
}

/// `ptr` as a `&T`, and the bytes of `source` outside it.
///
/// # Safety
///
/// `ptr` and `split` are what `try_cast` returned for `source` and `kind`, and the bytes
/// `ptr` covers are a valid `T`.
#[inline(always)]
unsafe fn view<T: ?Sized + Immutable>(
    source: &[u8],
    kind: CastKind,
    ptr: NonNull<T>,
    split: usize,
) -> (&T, &[u8]) {
    // SAFETY: `ptr` is non-null, aligned for `T` (checked by `try_cast`) and covers bytes of
    // `source` that are a valid `T` (caller), unchanged while the result lives: `source` is
    // a shared borrow and `T: Immutable` has no `UnsafeCell` through which to write.
    let t = unsafe { ptr.as_ref() };
    let (start, rest_len) = rest_range(kind, split, source.len());
    // SAFETY: `start + rest_len <= source.len()` by construction (`split <= len`), so
    // `get_unchecked` stays in bounds.
    let rest = unsafe { source.get_unchecked(start..start + rest_len) };
    (t, rest)
}

/// Exclusive conversion; `valid` decides bit validity.
///
/// # Safety
///
/// `valid` may return `true` only if the candidate's bytes are a valid `T`.
#[inline(always)]
unsafe fn mut_with<T: ?Sized + KnownLayout + IntoBytes>(
    source: &mut [u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
    valid: impl FnOnce(Maybe<'_, T>) -> bool,
) -> Result<(&mut T, &mut [u8]), (Fail, &mut [u8])> {
    let len = source.len();
    // Every pointer handed out below derives from this one raw pointer; `source` itself is
    // only used again on the error paths, after which none of them is used.
    let bytes = NonNull::from(&mut *source);
    let (ptr, split) = match try_cast::<T>(bytes, kind, meta) {
        Ok(v) => v,
        Err(f) => return Err((f.into(), source)),
    };
    let t_len = match kind {
        CastKind::Whole | CastKind::Prefix => split,
        CastKind::Suffix => len - split,
    };
    // SAFETY: `ptr` covers `t_len` initialized bytes of `source` (see `try_cast`); we hold
    // the only borrow of them and nothing writes them while the candidate lives (it is
    // dropped at the end of `valid`).
    let candidate = unsafe { Maybe::new_unchecked(ptr, t_len) };
    if !valid(candidate) {
        return Err((Fail::Validity, source));
    }
    let (start, rest_len) = rest_range(kind, split, len);
    // SAFETY: `start + rest_len <= len`, so the offset stays within `source`'s allocation.
    let rest_ptr = unsafe { bytes.cast::<u8>().add(start) };
    // SAFETY: `rest_ptr` covers `rest_len` initialized bytes of `source` that do not overlap
    // the `T` (`rest_range` returns the complement of `[split..]`/`[..split]`), borrowed
    // exclusively for the input borrow because `source` is not used again.
    let rest = unsafe { core::slice::from_raw_parts_mut(rest_ptr.as_ptr(), rest_len) };
    // SAFETY: `ptr` is aligned, covers `t_len` bytes that are a valid `T`, and is the only
    // pointer used for those bytes during `'a`. Any value written through the `&mut T` is a
    // valid `T`, whose bytes are all initialized because `T: IntoBytes`, so `source` holds
    // valid `u8`s again when the borrow ends.
    let t = unsafe { &mut *ptr.as_ptr() };
    Ok((t, rest))
}

/// `&[u8]` → `&T` for `T: FromBytes`.
#[inline(always)]
pub(crate) fn ref_from<T: ?Sized + KnownLayout + Immutable + FromBytes>(
    source: &[u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Result<(&T, &[u8]), Fail> {
    // Not through `ref_with`: with a single kind of failure the direct form compiles better.
    let (ptr, split) = try_cast::<T>(NonNull::from(source), kind, meta)?;
    // SAFETY: `ptr` and `split` come from `try_cast`, and `T: FromBytes` makes every
    // initialized byte sequence of the right size a valid `T`.
    Ok(unsafe { view(source, kind, ptr, split) })
}

/// `&[u8]` → `&T` after `T::is_bit_valid`.
#[inline(always)]
pub(crate) fn try_ref_from<T: ?Sized + KnownLayout + Immutable + TryFromBytes>(
    source: &[u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Result<(&T, &[u8]), Fail> {
    // SAFETY: `TryFromBytes`'s contract: `is_bit_valid` returns true only for valid bytes.
    unsafe { ref_with(source, kind, meta, T::is_bit_valid) }
}

/// `&mut [u8]` → `&mut T` for `T: FromBytes + IntoBytes`.
#[inline(always)]
pub(crate) fn mut_from<T: ?Sized + KnownLayout + IntoBytes + FromBytes>(
    source: &mut [u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Result<(&mut T, &mut [u8]), (Fail, &mut [u8])> {
    // SAFETY: `T: FromBytes`: every initialized byte sequence of the right size is a valid `T`.
    unsafe { mut_with(source, kind, meta, |_| true) }
}

/// `&mut [u8]` → `&mut T` after `T::is_bit_valid`.
#[inline(always)]
pub(crate) fn try_mut_from<T: ?Sized + KnownLayout + IntoBytes + TryFromBytes>(
    source: &mut [u8],
    kind: CastKind,
    meta: Option<T::PointerMetadata>,
) -> Result<(&mut T, &mut [u8]), (Fail, &mut [u8])> {
    // SAFETY: `TryFromBytes`'s contract: `is_bit_valid` returns true only for valid bytes.
    unsafe { mut_with(source, kind, meta, T::is_bit_valid) }
}

/// Copies a `T` out of `bytes`, which must be exactly `size_of::<T>()` long, then checks the
/// copy's validity.
///
/// Copy-then-check (rather than check in place, then copy) lets the compiler load the bytes
/// once; either order is sound because a `Maybe` needs no alignment. The result is the public
/// error type on purpose: an internal `Result<T, Fail>` would keep its discriminant in `T`'s
/// niche (e.g. an enum tag), and LLVM does not see that a tag just validated is not that
/// niche, so every caller paid a redundant test.
#[inline(always)]
pub(crate) fn try_read_exact<T: TryFromBytes>(
    bytes: &[u8],
) -> Result<T, crate::TryReadError<&[u8], T>> {
    let size = core::mem::size_of::<T>();
    if bytes.len() != size {
        return Err(ConvertError::Size(SizeError::new(bytes)));
    }
    let mut copy = core::mem::MaybeUninit::<T>::uninit();
    // SAFETY: `bytes` has `size_of::<T>()` bytes, `copy` has room for exactly that many,
    // and a local cannot overlap a borrowed slice (`copy_nonoverlapping`'s requirements;
    // `u8` needs no alignment).
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), copy.as_mut_ptr().cast::<u8>(), size) };
    let ptr = NonNull::from(&mut copy).cast::<T>();
    // SAFETY: `ptr` covers the `size_of::<T>()` bytes of `copy`, all initialized by the copy
    // above; nothing writes `copy` while the candidate lives.
    let candidate = unsafe { Maybe::new_unchecked(ptr, size) };
    if !T::is_bit_valid(candidate) {
        return Err(ConvertError::Validity(ValidityError::new(bytes)));
    }
    // SAFETY: every byte of `copy` is initialized and together they are a valid `T`
    // (`is_bit_valid` said so), which is what `assume_init` requires.
    Ok(unsafe { copy.assume_init() })
}

/// Copies a `T: FromBytes` out of `source` (whole, prefix or suffix); `None` if it does not
/// fit.
///
/// `Option`, not `Result<_, Fail>`: a size failure is the only failure, and in a
/// `Result<(T, &[u8]), Fail>` the tag lives in the slice pointer's null niche while the
/// `Fail` payload takes the first byte of the `T`. LLVM then split the copy at that byte,
/// and a caller that rewraps the value (`.ok().map(|(t, _)| t)` into an `Option<T>`) paid
/// a separate one-byte load and store.
#[inline(always)]
pub(crate) fn read_from<T: FromBytes>(source: &[u8], kind: CastKind) -> Option<(T, &[u8])> {
    // `FromBytes::is_bit_valid` is `true` for every sound impl, but a derived one may not be
    // trivially so; skip the call instead of relying on inlining.
    let size = core::mem::size_of::<T>();
    let len = source.len();
    let (t_bytes, rest) = match kind {
        CastKind::Whole if len == size => (source, &source[len..]),
        CastKind::Prefix if len >= size => source.split_at(size),
        CastKind::Suffix if len >= size => {
            let (rest, t) = source.split_at(len - size);
            (t, rest)
        }
        _ => return None,
    };
    // SAFETY: `t_bytes` has exactly `size_of::<T>()` initialized bytes, and `T: FromBytes`
    // makes every such byte sequence a valid `T`; `read_unaligned` needs no alignment.
    let t = unsafe { core::ptr::read_unaligned(t_bytes.as_ptr().cast::<T>()) };
    Some((t, rest))
}
