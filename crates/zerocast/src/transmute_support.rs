//! Support items for the `transmute*!` and `include_value!` macros. Public only because
//! macro expansions in other crates must name them; hidden from the docs.
//!
//! # How the macros check their inputs at compile time
//!
//! Each macro has a branch that never runs (`if false`) but must type-check. It calls
//! `*_bounds` functions whose trait bounds state the rules (`Src: IntoBytes`, `Dst:
//! FromBytes`, ...), and it calls `core::mem::transmute` between values of the types whose
//! sizes must match — rustc rejects transmutes between types of different sizes while
//! type-checking, so the error appears in `cargo check`, not only after monomorphization.
//! Alignment is compared the same way: [`AlignOf<T>`]'s size is `T`'s alignment and
//! [`AlignOfLarger<T, U>`]'s is the larger of the two, so transmuting one into the other
//! compiles only if the destination's alignment does not exceed the source's.
//!
//! Every function here is either `unsafe` or diverges (`loop {}`) without producing a value,
//! so none of them lets safe code do anything the macros' checks would forbid. The `try_`
//! runtime functions are safe because they re-check size and alignment themselves (the
//! checks fold to constants) before looking at any byte.

use core::mem::ManuallyDrop;
use core::ptr::NonNull;

use crate::{FromBytes, Immutable, IntoBytes, Maybe, TryFromBytes, ValidityError};

pub use core;

/// The alignment probes. The module's name is part of the types' paths, so it is what a
/// user reads in the compiler's "cannot transmute between types of different sizes" error
/// when a conversion would increase alignment.
pub mod dst_must_not_be_more_aligned_than_src {
    use core::mem::ManuallyDrop;

    /// A type whose size is `T`'s alignment (a byte, padded up to `T`'s alignment).
    #[repr(C)]
    pub struct AlignOf<T> {
        _byte: u8,
        _align: [T; 0],
    }

    /// A type whose size is the larger of `T`'s and `U`'s alignments.
    #[repr(C)]
    pub union AlignOfLarger<T, U> {
        _t: ManuallyDrop<AlignOf<T>>,
        _u: ManuallyDrop<AlignOf<U>>,
    }
}
use dst_must_not_be_more_aligned_than_src::{AlignOf, AlignOfLarger};

/// The size probe of `transmute!(#![allow(shrink)] ..)`. The module's name is what a user
/// reads in the compiler's error when the destination is larger than the source.
pub mod dst_must_not_be_larger_than_src {
    use core::mem::ManuallyDrop;

    /// A type whose size is the larger of `Src`'s and `Dst`'s (`packed`: no rounding up).
    #[repr(C, packed)]
    pub union LargerOf<Src, Dst> {
        _src: ManuallyDrop<Src>,
        _dst: ManuallyDrop<Dst>,
    }
}
use dst_must_not_be_larger_than_src::LargerOf;

/// [`LargerOf`] of the two values' types, for the shrink size check. Never returns.
pub const fn larger_of<Src, Dst>(_src: &Src, _dst: &Dst) -> LargerOf<Src, Dst> {
    #[allow(clippy::empty_loop)]
    loop {}
}

/// The first `size_of::<Dst>()` bytes of `src` as a `Dst`; `src` is forgotten, not dropped.
///
/// # Safety
///
/// `size_of::<Dst>() <= size_of::<Src>()`, `Src: IntoBytes`, `Dst: FromBytes`.
#[inline(always)]
pub const unsafe fn transmute_shrink_unchecked<Src, Dst>(src: Src) -> Dst {
    let src = ManuallyDrop::new(src);
    let ptr = (&src as *const ManuallyDrop<Src>).cast::<Dst>();
    // SAFETY: `ptr` points to the start of `src`, which has at least `size_of::<Dst>()`
    // bytes (caller), all initialized (`Src: IntoBytes`; `ManuallyDrop` has `Src`'s
    // layout), forming a valid `Dst` (`Dst: FromBytes`); `read_unaligned` needs no
    // alignment. `src` is never dropped, so the value is not duplicated.
    unsafe { core::ptr::read_unaligned(ptr) }
}

/// Type check of `transmute!`: `Src: IntoBytes`, `Dst: FromBytes`. Never returns.
pub const fn transmute_bounds<Src: IntoBytes, Dst: FromBytes>(src: Src) -> Dst {
    core::mem::forget(src);
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Type check of `transmute_ref!`. Never returns.
pub const fn transmute_ref_bounds<Src, Dst>(_src: &Src) -> &Dst
where
    Src: IntoBytes + Immutable,
    Dst: FromBytes + Immutable,
{
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Type check of `transmute_mut!`. Never returns.
pub const fn transmute_mut_bounds<Src, Dst>(_src: &mut Src) -> &mut Dst
where
    Src: FromBytes + IntoBytes,
    Dst: FromBytes + IntoBytes,
{
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Type check of `try_transmute!`. Never returns.
pub const fn try_transmute_bounds<Src: IntoBytes, Dst: TryFromBytes>(src: Src) -> Dst {
    core::mem::forget(src);
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Type check of `try_transmute_ref!`. Never returns.
pub const fn try_transmute_ref_bounds<Src, Dst>(_src: &Src) -> &Dst
where
    Src: IntoBytes + Immutable,
    Dst: TryFromBytes + Immutable,
{
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Type check of `try_transmute_mut!`. Never returns.
pub const fn try_transmute_mut_bounds<Src, Dst>(_src: &mut Src) -> &mut Dst
where
    Src: FromBytes + IntoBytes,
    Dst: TryFromBytes + IntoBytes,
{
    #[allow(clippy::empty_loop)]
    loop {}
}

/// A value of the referent's type, for size checks in dead code. Never returns.
pub const fn value_of<T>(_r: &T) -> T {
    #[allow(clippy::empty_loop)]
    loop {}
}

/// [`AlignOf`] of the referent's type, for alignment checks in dead code. Never returns.
pub const fn align_of_referent<T>(_r: &T) -> AlignOf<T> {
    #[allow(clippy::empty_loop)]
    loop {}
}

/// [`AlignOfLarger`] of `T` and the referent's type. Never returns.
pub const fn align_of_larger<T, U>(_t: &AlignOf<T>, _u: &U) -> AlignOfLarger<T, U> {
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Consumes two values of the same type (unifies types in dead code without drop glue).
pub const fn same_type<T>(a: T, b: T) {
    core::mem::forget(a);
    core::mem::forget(b);
}

/// `&Src` as `&Dst`.
///
/// # Safety
///
/// `size_of::<Src>() == size_of::<Dst>()`, `align_of::<Dst>() <= align_of::<Src>()`,
/// `Src: IntoBytes + Immutable` and `Dst: FromBytes + Immutable` (or the same with
/// `Dst`'s validity otherwise established for these bytes).
#[inline(always)]
pub const unsafe fn transmute_ref_unchecked<Src, Dst>(src: &Src) -> &Dst {
    let ptr = (src as *const Src).cast::<Dst>();
    // SAFETY: `ptr` has `src`'s address, aligned for `Dst` because `Dst`'s alignment does not
    // exceed `Src`'s; it covers `size_of::<Dst>() == size_of::<Src>()` initialized bytes
    // (`Src: IntoBytes`) that are a valid `Dst` (`Dst: FromBytes`), immutable for the borrow
    // (`src` is shared and neither type has an `UnsafeCell`).
    unsafe { &*ptr }
}

/// `&mut Src` as `&mut Dst`.
///
/// # Safety
///
/// `size_of::<Src>() == size_of::<Dst>()`, `align_of::<Dst>() <= align_of::<Src>()`, and
/// both types are `FromBytes + IntoBytes`.
#[inline(always)]
pub const unsafe fn transmute_mut_unchecked<Src, Dst>(src: &mut Src) -> &mut Dst {
    let ptr = (src as *mut Src).cast::<Dst>();
    // SAFETY: `ptr` is aligned for `Dst` and covers exactly `src`'s initialized bytes, which
    // are a valid `Dst` (`FromBytes`); the borrow is exclusive; whatever is written through
    // the `&mut Dst` is initialized (`Dst: IntoBytes`) and so a valid `Src` (`FromBytes`).
    unsafe { &mut *ptr }
}

/// Panics unless the layouts are compatible; the macros make this a compile-time fact, and
/// the condition folds to a constant.
#[inline(always)]
fn assert_layouts<Src, Dst>(check_align: bool) {
    assert!(
        core::mem::size_of::<Src>() == core::mem::size_of::<Dst>(),
        "try_transmute: size mismatch (the macro checks this at compile time)"
    );
    assert!(
        !check_align || core::mem::align_of::<Dst>() <= core::mem::align_of::<Src>(),
        "try_transmute: alignment increase (the macro checks this at compile time)"
    );
}

/// Runtime part of `try_transmute!`.
#[inline(always)]
pub fn try_transmute<Src: IntoBytes, Dst: TryFromBytes>(
    src: Src,
) -> Result<Dst, ValidityError<Src, Dst>> {
    assert_layouts::<Src, Dst>(false);
    let src = ManuallyDrop::new(src);
    let ptr = NonNull::from(&*src).cast::<Dst>();
    // SAFETY: `ptr` covers `size_of::<Dst>() == size_of::<Src>()` bytes of the local `src`,
    // all initialized (`Src: IntoBytes`); nothing writes them while the candidate lives (we
    // own `src`). `Maybe` needs no alignment.
    let candidate = unsafe { Maybe::new_unchecked(ptr, core::mem::size_of::<Dst>()) };
    if Dst::is_bit_valid(candidate) {
        // SAFETY: the bytes are a valid `Dst` (checked just above) and `read_unaligned`
        // needs no alignment. `src` is in a `ManuallyDrop`, so its value is moved out once.
        Ok(unsafe { core::ptr::read_unaligned(ptr.as_ptr()) })
    } else {
        Err(ValidityError::new(ManuallyDrop::into_inner(src)))
    }
}

/// Runtime part of `try_transmute_ref!`.
#[inline(always)]
pub fn try_transmute_ref<Src, Dst>(src: &Src) -> Result<&Dst, ValidityError<&Src, Dst>>
where
    Src: IntoBytes + Immutable,
    Dst: TryFromBytes + Immutable,
{
    assert_layouts::<Src, Dst>(true);
    let ptr = NonNull::from(src).cast::<Dst>();
    // SAFETY: `ptr` covers `src`'s `size_of::<Dst>()` initialized bytes (`IntoBytes`),
    // immutable for the borrow (`Src: Immutable`).
    let candidate = unsafe { Maybe::new_unchecked(ptr, core::mem::size_of::<Dst>()) };
    if Dst::is_bit_valid(candidate) {
        // SAFETY: same size, `Dst`'s alignment does not exceed `Src`'s (asserted above),
        // `Src: IntoBytes + Immutable`, `Dst: Immutable`, and the bytes are a valid `Dst`
        // (checked just above) — `transmute_ref_unchecked`'s contract.
        Ok(unsafe { transmute_ref_unchecked(src) })
    } else {
        Err(ValidityError::new(src))
    }
}

/// Runtime part of `try_transmute_mut!`.
#[inline(always)]
pub fn try_transmute_mut<Src, Dst>(src: &mut Src) -> Result<&mut Dst, ValidityError<&mut Src, Dst>>
where
    Src: FromBytes + IntoBytes,
    Dst: TryFromBytes + IntoBytes,
{
    assert_layouts::<Src, Dst>(true);
    let ptr = NonNull::from(&mut *src).cast::<Dst>();
    // SAFETY: `ptr` covers `src`'s `size_of::<Dst>()` initialized bytes (`IntoBytes`); the
    // borrow is exclusive and nothing writes while the candidate lives.
    let candidate = unsafe { Maybe::new_unchecked(ptr, core::mem::size_of::<Dst>()) };
    if Dst::is_bit_valid(candidate) {
        // SAFETY: `ptr` derives from `src` (not used again): aligned (asserted), covers
        // `src`'s bytes exclusively, which are a valid `Dst` (checked). Anything written
        // through the result is initialized (`Dst: IntoBytes`), hence a valid `Src`
        // (`FromBytes`).
        Ok(unsafe { &mut *ptr.as_ptr() })
    } else {
        Err(ValidityError::new(src))
    }
}
