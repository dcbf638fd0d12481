//! Support items for the `transmute*!` and `include_value!` macros. Public only because
//! macro expansions in other crates must name them; hidden from the docs.
//!
//! # How `transmute!` and `try_transmute!` check their inputs at compile time
//!
//! Each macro has a branch that never runs (`if false`) but must type-check. It calls
//! `*_bounds` functions whose trait bounds state the rules (`Src: IntoBytes`, `Dst:
//! FromBytes`, ...), and it calls `core::mem::transmute` between values of the types whose
//! sizes must match — rustc rejects transmutes between types of different sizes while
//! type-checking, so the error appears in `cargo check`, not only after monomorphization.
//! (The reference macros work differently, so that they accept generic code and slice DSTs
//! as zerocopy's do: see `transmute_dispatch`.)
//!
//! Every function here is either `unsafe`, diverges (`loop {}`) without producing a value,
//! or re-checks what it relies on (the `try_transmute` runtime function asserts the sizes,
//! a check that folds to a constant), so none of them lets safe code do anything the
//! macros' checks would forbid.

use core::mem::ManuallyDrop;
use core::ptr::NonNull;

use crate::{FromBytes, IntoBytes, Maybe, TryFromBytes, ValidityError};

pub use crate::transmute_dispatch::{
    TransmuteMutDst, TransmuteRefDst, TryTransmuteMutDst, TryTransmuteRefDst, Wrap,
};

pub use core;

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

/// Type check of `try_transmute!`. Never returns.
pub const fn try_transmute_bounds<Src: IntoBytes, Dst: TryFromBytes>(src: Src) -> Dst {
    core::mem::forget(src);
    #[allow(clippy::empty_loop)]
    loop {}
}

/// A value of the referent's type, for size checks in dead code. Never returns.
pub const fn value_of<T>(_r: &T) -> T {
    #[allow(clippy::empty_loop)]
    loop {}
}

/// Consumes two values of the same type (unifies types in dead code without drop glue).
pub const fn same_type<T>(a: T, b: T) {
    core::mem::forget(a);
    core::mem::forget(b);
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
