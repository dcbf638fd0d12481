//! Support items for `zerocast-derive`'s expansions. Public only because the expansions in
//! user crates must name them; hidden from the docs and not part of the API.
//!
//! They live here rather than in each expansion for three reasons: one definition instead of
//! one per derived type keeps expansions short; rustc cannot resolve the
//! `#[diagnostic::on_unimplemented]` tool attribute inside a `#![no_implicit_prelude]` crate,
//! but it can here; and [`scope`] lets an expansion bind local names that a user's `const`
//! or `static` of the same name cannot capture.
//!
//! # Why nothing here lets safe code cause undefined behaviour
//!
//! * The diagnostic traits ([`PaddingFree`], [`TotalPaddingFree`]) are bounds that emitted
//!   `unsafe impl`s rely on. Each has a supertrait in a private module that holds only in
//!   the accepted case (zero bytes), so no other crate can add an impl that would satisfy
//!   the bound in a rejected case. [`SameSizeVariants`] is sealed by the orphan
//!   rule instead (see there).
//! * [`Field::project`] and [`scope::__ZcSizedField::project`] are `unsafe fn`s with the
//!   contracts of the [`Maybe`] projections they forward to.
//! * [`Field::LAYOUT`] only reads layouts that `KnownLayout` (an `unsafe` trait) or
//!   [`DstLayout::for_type`] already vouch for.

use core::marker::PhantomData;

use crate::beyond::{check_unsized_candidate, run_unsized_validators, Validate};
use crate::{DstLayout, Immutable, KnownLayout, Maybe};

/// Supertraits no other crate can name, so none can implement them.
mod sealed {
    pub trait Zero<const N: usize> {}
    impl Zero<0> for () {}
}

/// Holds (for `()`) only when `BYTES` is 0: the `IntoBytes` derive's bound for one gap of
/// `Ty`, of `BYTES` bytes at `OFFSET`, named by the marker type `After`.
///
/// ```
/// use zerocast::__derive::PaddingFree;
/// struct AfterFieldA;
/// fn no_gap<T: PaddingFree<u16, AfterFieldA, 2, 0>>() {}
/// no_gap::<()>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Ty}` cannot implement `IntoBytes`: it has {BYTES} byte(s) of padding at offset {OFFSET} ({After})",
    label = "padding bytes are uninitialized, so they cannot be read as bytes",
    note = "add explicit fields where the padding is, or use `repr(packed)`"
)]
pub trait PaddingFree<Ty: ?Sized, After, const OFFSET: usize, const BYTES: usize>:
    sealed::Zero<BYTES>
{
}
impl<Ty: ?Sized, After, const OFFSET: usize> PaddingFree<Ty, After, OFFSET, 0> for () {}

/// Holds (for `()`) only when `BYTES` is 0: the `IntoBytes` derive's bound for a
/// `repr(Rust)` struct `Ty`, whose fields are `BYTES` bytes smaller than the struct.
///
/// ```
/// use zerocast::__derive::TotalPaddingFree;
/// fn no_padding<T: TotalPaddingFree<u32, 0>>() {}
/// no_padding::<()>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Ty}` cannot implement `IntoBytes`: its fields add up to {BYTES} byte(s) less than its size, so it has padding",
    label = "the default representation may reorder fields and pad between them",
    note = "use `repr(C)` to control (and see) where the padding is, or `repr(packed)`"
)]
pub trait TotalPaddingFree<Ty: ?Sized, const BYTES: usize>: sealed::Zero<BYTES> {}
impl<Ty: ?Sized> TotalPaddingFree<Ty, 0> for () {}

/// Holds (for `()`) only when `BYTES` is 0: the `IntoBytes` derive's bound for a variant of
/// a generic enum, named by the marker type `Variant`, whose fields that mention no type
/// parameter add up to `BYTES` bytes more or fewer than the first variant's.
///
/// The bound names no type parameter, so rustc checks it where the enum is defined. No
/// supertrait seals it (one would be reported instead of this message in generic impls):
/// the orphan rule only lets another crate implement it for a `Variant` type of its own,
/// and the derive's markers are private to its expansion.
///
/// ```
/// use zerocast::__derive::SameSizeVariants;
/// struct VariantB;
/// fn same<T: SameSizeVariants<VariantB, 0>>() {}
/// same::<()>();
/// ```
#[diagnostic::on_unimplemented(
    message = "a generic enum cannot implement `IntoBytes`: the fields of its {Variant} that mention no type parameter add up to {BYTES} byte(s) more or fewer than the first variant's, so the shorter variant is padded",
    label = "variants of different sizes leave padding at the end of the shorter one",
    note = "make the variants the same size, e.g. with explicit `[u8; N]` fields"
)]
pub trait SameSizeVariants<Variant, const BYTES: usize> {}
impl<Variant> SameSizeVariants<Variant, 0> for () {}

/// The padding of a `repr(C)` struct whose last field may be dynamically sized, at 0 and at
/// 1 trailing elements: `[[offset, bytes]; 2]`. `unpadded` is the struct's layout before
/// `pad_to_align`, `tail` its last field's, and `lead_end` the end of the fields before it.
///
/// The struct's fields do not overlap, so its size minus `lead_end` and the last field's
/// size is all the padding between them and at the end; that total decides. The first
/// entry is the total at 0 elements, the second the total at 1 element, reported only
/// when the first is 0 (so one gap gives one error) and only for a dynamically sized
/// struct (a sized one has a single size). Offsets only locate the gap for the message:
/// before the last field if it starts after `lead_end`, else at the end. An uncomputable
/// size (overflow) counts as `usize::MAX` bytes of padding, which rejects the type.
///
/// ```
/// use zerocast::{DstLayout, __derive::dst_gaps};
/// // #[repr(C)] struct S { a: u8, body: [u16] }: a byte of padding after `a`.
/// let unpadded = DstLayout::new_zst(None)
///     .extend(DstLayout::for_type::<u8>(), None)
///     .extend(DstLayout::for_slice::<u16>(), None);
/// assert_eq!(dst_gaps(unpadded, DstLayout::for_slice::<u16>(), 1), [[1, 1], [1, 0]]);
/// // #[repr(C)] struct T { a: u16, body: [u8] }: a byte at the end with 1 element.
/// let unpadded = DstLayout::new_zst(None)
///     .extend(DstLayout::for_type::<u16>(), None)
///     .extend(DstLayout::for_slice::<u8>(), None);
/// assert_eq!(dst_gaps(unpadded, DstLayout::for_slice::<u8>(), 2), [[2, 0], [3, 1]]);
/// ```
#[must_use]
pub const fn dst_gaps(unpadded: DstLayout, tail: DstLayout, lead_end: usize) -> [[usize; 2]; 2] {
    let first = gap_at(unpadded, tail, lead_end, 0);
    let second = if first[1] == 0 && tail.elem_size().is_some() {
        gap_at(unpadded, tail, lead_end, 1)
    } else {
        [lead_end, 0]
    };
    [first, second]
}

/// One entry of [`dst_gaps`].
const fn gap_at(unpadded: DstLayout, tail: DstLayout, lead_end: usize, elems: usize) -> [usize; 2] {
    let whole = unpadded.pad_to_align();
    if let (Some(size), Some(fields_size), Some(tail_size)) = (
        whole.size_for_elems(elems),
        unpadded.size_for_elems(elems),
        tail.size_for_elems(elems),
    ) {
        if let Some(fields_end) = lead_end.checked_add(tail_size) {
            if fields_end <= size {
                let tail_offset = fields_size.saturating_sub(tail_size);
                let at = if tail_offset > lead_end {
                    lead_end
                } else {
                    fields_end
                };
                return [at, size - fields_end];
            }
        }
    }
    [lead_end, usize::MAX]
}

/// Dispatch on a last field's type `T` whose sizedness a derive cannot see in its tokens
/// (`inner: Inner` may be a slice DST): when `T: KnownLayout`, these inherent items apply;
/// otherwise rustc falls back to the [`scope::__ZcSizedField`] items, which need `T: Sized`.
/// Both give the same answer where both apply.
///
/// ```
/// use zerocast::{DstLayout, __derive::{scope::*, Field}};
/// struct Plain(u32); // not `KnownLayout`
/// assert_eq!(Field::<[u16]>::LAYOUT.elem_size(), Some(2));
/// assert_eq!(Field::<Plain>::LAYOUT.size_for_elems(0), Some(4));
/// ```
pub struct Field<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized + KnownLayout> Field<T> {
    /// `T`'s layout.
    pub const LAYOUT: DstLayout = T::LAYOUT;

    /// [`Maybe::project_unsized`] for a last field of type `T`.
    ///
    /// # Safety
    ///
    /// As for [`Maybe::project_unsized`].
    #[inline(always)]
    pub unsafe fn project<'a, S: ?Sized>(
        candidate: &Maybe<'a, S>,
        project: impl FnOnce(*mut S) -> *mut T,
    ) -> Maybe<'a, T> {
        // SAFETY: the caller upholds `project_unsized`'s contract (this function's).
        unsafe { candidate.project_unsized(project) }
    }

    /// Bit validity and validators of a `T` that may be a DST: what the `TryFromBytes`
    /// derive's `is_bit_valid` runs for a type with `#[zerocast(validate = ..)]` whose last
    /// field may be dynamically sized ([`check_unsized_candidate`]).
    #[inline(always)]
    pub fn check(candidate: Maybe<'_, T>) -> bool
    where
        T: Validate + Immutable,
    {
        check_unsized_candidate::<T>(candidate).is_ok()
    }

    /// The validators alone ([`run_unsized_validators`]) of a `T` that may be a DST: what the
    /// derived `is_bit_valid` runs after `Validate::bits_valid` accepted the candidate.
    ///
    /// # Safety
    ///
    /// As for [`run_unsized_validators`]: the candidate's bytes are a valid `T`.
    #[inline(always)]
    pub unsafe fn validators(candidate: Maybe<'_, T>) -> bool
    where
        T: Validate + Immutable,
    {
        // SAFETY: the caller's promise is `run_unsized_validators`' precondition.
        unsafe { run_unsized_validators::<T>(candidate) }.is_ok()
    }
}

/// The parameter names of the `BitFields` derive's public methods (`set_x(value)`,
/// `from(bits)`), imported only by that expansion, as [`scope`]'s names are by the others:
/// they stay readable in the user's documentation and cannot be captured by a user's
/// `const value` or `static bits`.
#[allow(missing_docs)]
pub mod bit_scope {
    pub fn value() {}
    pub fn bits() {}
}

/// Names an expansion brings into its scope with `use ..::scope::*`. Items of a block shadow
/// those of the enclosing module, and a pattern naming a function is a fresh binding, so a
/// user's `const __zc_tag` cannot turn the expansion's `__zc_tag` binding into a constant
/// pattern (which `macro_rules!`-like mixed-site hygiene would not prevent).
#[allow(missing_docs)]
pub mod scope {
    use super::{DstLayout, Field, Immutable, Maybe, Validate};
    use crate::beyond::{check_candidate, run_validators};

    pub fn __zc_candidate() {}
    pub fn __zc_out() {}
    pub fn __zc_ptr() {}
    pub fn __zc_tag() {}
    pub fn __zc_meta() {}
    pub fn __zc_other() {}
    pub fn __zc_check() {}

    /// The fallback of [`Field`] for sized last fields that are not `KnownLayout`.
    pub trait __ZcSizedField<T> {
        /// `T`'s layout.
        const LAYOUT: DstLayout;

        /// [`Maybe::project`] for a last field of type `T`.
        ///
        /// # Safety
        ///
        /// As for [`Maybe::project`].
        unsafe fn project<'a, S: ?Sized>(
            candidate: &Maybe<'a, S>,
            project: impl FnOnce(*mut S) -> *mut T,
        ) -> Maybe<'a, T>;

        /// Bit validity and validators of a sized `T` ([`check_candidate`]).
        fn check(candidate: Maybe<'_, T>) -> bool
        where
            T: Validate + Immutable;

        /// The validators alone of a sized `T` ([`run_validators`]).
        ///
        /// # Safety
        ///
        /// As for [`run_validators`]: the candidate's bytes are a valid `T`.
        unsafe fn validators(candidate: Maybe<'_, T>) -> bool
        where
            T: Validate + Immutable;
    }

    impl<T> __ZcSizedField<T> for Field<T> {
        const LAYOUT: DstLayout = DstLayout::for_type::<T>();

        #[inline(always)]
        unsafe fn project<'a, S: ?Sized>(
            candidate: &Maybe<'a, S>,
            project: impl FnOnce(*mut S) -> *mut T,
        ) -> Maybe<'a, T> {
            // SAFETY: the caller upholds `project`'s contract (this function's).
            unsafe { candidate.project(project) }
        }

        #[inline(always)]
        fn check(candidate: Maybe<'_, T>) -> bool
        where
            T: Validate + Immutable,
        {
            check_candidate::<T>(candidate).is_ok()
        }

        #[inline(always)]
        unsafe fn validators(candidate: Maybe<'_, T>) -> bool
        where
            T: Validate + Immutable,
        {
            // SAFETY: the caller's promise is `run_validators`' precondition.
            unsafe { run_validators::<T>(candidate) }.is_ok()
        }
    }
}
