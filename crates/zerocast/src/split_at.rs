//! [`SplitAt`] and [`Split`]: cutting a slice DST in two at an element index,
//! like `<[T]>::split_at` but for `repr(C)` structs ending in a slice.
//!
//! Splitting `&Packet { header, body: [u8] }` at `k` yields `&Packet` with a
//! `k`-byte body and `&[u8]` with the rest. The left part is a whole `T`, so
//! it includes the trailing padding a `T` with `k` elements needs, and that
//! padding can cover the first elements of the right part. Two shared
//! references may overlap when nothing can change through them; two mutable
//! ones never may. [`Split`] makes the caller pick the argument that rules the
//! overlap out: [`Split::via_immutable`], [`Split::via_into_bytes`],
//! [`Split::via_no_dynamic_padding`] (checked at compile time),
//! [`Split::via_runtime_check`], or the `unsafe` [`Split::via_unchecked`].

use core::mem;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;

use crate::known_layout::KnownLayout;
use crate::{Immutable, IntoBytes, Unalign, Unaligned};

/// A slice DST that can be split in two at an index of its trailing slice.
///
/// Implemented for `[T]`; derive it with
/// `#[derive(SplitAt)]` for `repr(C)` or `repr(transparent)` structs whose
/// last field is `SplitAt`.
///
/// ```
/// use zerocast::SplitAt;
///
/// let words: &[u16] = &[1, 2, 3];
/// // Name the trait: slices also have an inherent (panicking) `split_at`.
/// let (left, right) = SplitAt::split_at(words, 1).unwrap().via_immutable();
/// assert_eq!((left, right), (&[1u16][..], &[2u16, 3][..]));
/// assert!(SplitAt::split_at(words, 4).is_none());
/// ```
///
/// # Safety
///
/// An implementer promises that, for every valid `Self` at an address
/// aligned for `Self`, with `n` trailing elements:
/// * the trailing slice starts at offset `Self::LAYOUT`'s trailing offset and
///   consists of `n` consecutive values whose size, bit validity and
///   `UnsafeCell` positions are those of [`Self::Elem`], so reading or writing
///   them as `Elem` keeps the `Self` valid and vice versa;
/// * the trailing slice's address is aligned for `Self::Elem`;
/// * `Self::UnalignedElem` is `Unalign<Self::Elem>` (the derive's `packed`
///   structs rely on it having `Elem`'s size, bit validity and `UnsafeCell`
///   positions, and alignment 1).
///
/// zerocast also checks the size and alignment parts at compile time.
#[diagnostic::on_unimplemented(note = "consider adding `#[derive(SplitAt)]` to `{Self}`")]
pub unsafe trait SplitAt: KnownLayout<PointerMetadata = usize> {
    /// The type of the trailing slice's elements.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let _: <[u32] as SplitAt>::Elem = 5u32;
    /// ```
    type Elem;

    /// [`Unalign<Self::Elem>`](crate::Unalign): what the `SplitAt` derive
    /// exposes as the elements of a `packed` struct whose last field is
    /// `Self`. The derive reaches it through the trait it implements, so a
    /// crate path (`#[zerocast(crate = "..")]`) naming a module with an
    /// `Unalign` of its own (weaker validity, say `MaybeUninit` inside)
    /// cannot change it: only an `unsafe impl` of this trait sets it.
    ///
    /// ```
    /// use zerocast::{SplitAt, Unalign};
    /// let _: <[u32] as SplitAt>::UnalignedElem = Unalign::new(5u32);
    /// ```
    #[doc(hidden)]
    type UnalignedElem;

    /// Makes hand-written impls spell out a hidden item on purpose; derive
    /// instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// Splits `self` after `l_len` trailing elements, or returns `None` if
    /// it has fewer.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let bytes: &[u8] = b"abc";
    /// assert!(SplitAt::split_at(bytes, 3).is_some());
    /// assert!(SplitAt::split_at(bytes, 4).is_none());
    /// ```
    #[inline]
    #[must_use = "has no side effects"]
    fn split_at(&self, l_len: usize) -> Option<Split<&Self>> {
        if l_len <= trailing_len(self) {
            // SAFETY: `l_len` is at most the trailing length, just checked.
            Some(unsafe { self.split_at_unchecked(l_len) })
        } else {
            None
        }
    }

    /// Splits `self` after `l_len` trailing elements without checking
    /// `l_len`.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let bytes: &[u8] = b"abc";
    /// // SAFETY: 1 <= 3.
    /// let (l, r) = unsafe { SplitAt::split_at_unchecked(bytes, 1) }.via_immutable();
    /// assert_eq!((l, r), (&b"a"[..], &b"bc"[..]));
    /// ```
    ///
    /// # Safety
    ///
    /// `l_len` is at most the length of `self`'s trailing slice.
    #[inline]
    #[must_use]
    unsafe fn split_at_unchecked(&self, l_len: usize) -> Split<&Self> {
        // Invariant of `Split`: the caller's promise.
        Split {
            source: self,
            l_len,
        }
    }

    /// Splits `self` mutably after `l_len` trailing elements, or returns
    /// `None` if it has fewer.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut bytes = *b"abc";
    /// let (l, r) = SplitAt::split_at_mut(&mut bytes[..], 2).unwrap().via_into_bytes();
    /// l[0] = b'x';
    /// r[0] = b'z';
    /// assert_eq!(&bytes, b"xbz");
    /// ```
    #[inline]
    #[must_use = "has no side effects"]
    fn split_at_mut(&mut self, l_len: usize) -> Option<Split<&mut Self>> {
        if l_len <= trailing_len(self) {
            // SAFETY: `l_len` is at most the trailing length, just checked.
            Some(unsafe { self.split_at_mut_unchecked(l_len) })
        } else {
            None
        }
    }

    /// Splits `self` mutably after `l_len` trailing elements without
    /// checking `l_len`.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut words = [1u16, 2];
    /// // SAFETY: 2 <= 2.
    /// let (l, r) = unsafe { SplitAt::split_at_mut_unchecked(&mut words[..], 2) }.via_into_bytes();
    /// assert_eq!((l.len(), r.len()), (2, 0));
    /// ```
    ///
    /// # Safety
    ///
    /// `l_len` is at most the length of `self`'s trailing slice.
    #[inline]
    #[must_use]
    unsafe fn split_at_mut_unchecked(&mut self, l_len: usize) -> Split<&mut Self> {
        // Invariant of `Split`: the caller's promise.
        Split {
            source: self,
            l_len,
        }
    }
}

// SAFETY: a slice's trailing slice is the slice itself, at offset 0 (the
// layout of `[T]` has trailing offset 0), made of `T`s; an aligned `[T]` is
// aligned for `T` (Reference, "Type Layout": a slice has its element's
// alignment). `UnalignedElem` is `Unalign<T>`, as the trait requires.
unsafe impl<T> SplitAt for [T] {
    type Elem = T;
    type UnalignedElem = Unalign<T>;

    // Never callable (`[T]` is unsized); present because the trait requires it.
    #[allow(dead_code)]
    fn only_derive_is_allowed_to_implement_this_trait() {}
}

// SAFETY: `ManuallyDrop<T>` has the same layout and bit validity as `T` (std docs), and
// its `KnownLayout` impl reuses `T`'s layout and metadata; so `T`'s trailing slice, made
// of `T::Elem`s at `T`'s trailing offset and alignment, is `ManuallyDrop<T>`'s too. Its
// `UnalignedElem` is `Unalign<T::Elem>` (`T`'s impl promises it), the same `Elem`.
unsafe impl<T: ?Sized + SplitAt> SplitAt for ManuallyDrop<T> {
    type Elem = T::Elem;
    type UnalignedElem = T::UnalignedElem;

    // Only callable for sized `ManuallyDrop<T>`, which never is `SplitAt`; required by the
    // trait.
    #[allow(dead_code)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized,
    {
    }
}

/// The trailing element count of `*t` (its pointer metadata).
#[inline(always)]
fn trailing_len<T: ?Sized + KnownLayout<PointerMetadata = usize>>(t: &T) -> usize {
    T::pointer_to_metadata(core::ptr::from_ref(t).cast_mut())
}

/// Compile-time facts about `T`'s trailing slice, checked once per type.
struct Trailing<T: ?Sized>(core::marker::PhantomData<T>);

impl<T: ?Sized + SplitAt> Trailing<T> {
    /// The offset of the trailing slice within a `T`.
    const OFFSET: usize = match T::LAYOUT.trailing_offset() {
        Some(off) => off,
        None => panic!("`SplitAt` is only for slice DSTs"),
    };

    /// The size of one trailing element.
    const ELEM_SIZE: usize = match T::LAYOUT.elem_size() {
        Some(size) => size,
        None => panic!("`SplitAt` is only for slice DSTs"),
    };

    /// Checks the layout half of the `SplitAt` contract, so a wrong impl
    /// (say, a packed struct exposing aligned elements) fails to compile
    /// instead of producing misaligned references.
    const CHECKED: () = {
        assert!(
            Self::ELEM_SIZE == mem::size_of::<T::Elem>(),
            "`SplitAt::Elem` must have the trailing element's size"
        );
        assert!(
            Self::OFFSET % mem::align_of::<T::Elem>() == 0
                && T::LAYOUT.align() % mem::align_of::<T::Elem>() == 0,
            "the trailing slice of a `SplitAt` type must be aligned for `SplitAt::Elem`; a packed struct must expose `Unalign`ed elements"
        );
    };

    /// Whether a `T` never has padding after its trailing slice, whatever its
    /// length: then the left part of a split ends exactly where the right
    /// part starts.
    ///
    /// The layout's size function is a chain of roundings of
    /// `OFFSET + n * ELEM_SIZE`; it equals that value for every `n` exactly
    /// when it does for `n = 0` (no rounding of the constant part) and
    /// `n = 1` (every rounding's alignment divides `ELEM_SIZE`), since then
    /// every rounding sees a multiple of its alignment for every `n`.
    const NEVER_PADDED: bool = {
        let at_zero = matches!(T::LAYOUT.size_for_elems(0), Some(s) if s == Self::OFFSET);
        let at_one = match Self::OFFSET.checked_add(Self::ELEM_SIZE) {
            Some(end) => matches!(T::LAYOUT.size_for_elems(1), Some(s) if s == end),
            None => false,
        };
        at_zero && at_one
    };

    /// Compile-time rejection for `via_no_dynamic_padding`.
    const ASSERT_NEVER_PADDED: () = assert!(
        Self::NEVER_PADDED,
        "this type can have padding after its trailing slice, which would overlap the right part of a split; use `via_runtime_check`"
    );

    /// Whether the left part of a split after `l_len` elements ends at or
    /// before the start of the right part.
    #[inline(always)]
    fn left_ends_before_right(l_len: usize) -> bool {
        let Some(elems) = l_len.checked_mul(Self::ELEM_SIZE) else {
            return false;
        };
        let Some(right_start) = Self::OFFSET.checked_add(elems) else {
            return false;
        };
        matches!(T::LAYOUT.size_for_elems(l_len), Some(size) if size <= right_start)
    }
}

/// A `T` (a `&` or `&mut` to a slice DST) and the index to split it at.
///
/// Choose how to prove the two parts may coexist: see the module docs and
/// each `via_` method.
///
/// ```
/// use zerocast::SplitAt;
/// let split = SplitAt::split_at(&[1u8, 2, 3][..], 2).unwrap();
/// assert_eq!(split.via_immutable(), (&[1u8, 2][..], &[3u8][..]));
/// ```
#[derive(Debug)]
pub struct Split<T> {
    /// The slice DST being split.
    source: T,
    /// Invariant: at most the length of `source`'s trailing slice.
    l_len: usize,
}

/// The two parts of `*source` split after `l_len` trailing elements, as raw
/// pointers derived from `source` (so with its provenance).
///
/// # Safety
///
/// `source` points to a valid, aligned `T` whose trailing slice has at least
/// `l_len` elements.
#[inline(always)]
unsafe fn parts<T: ?Sized + SplitAt>(
    source: NonNull<T>,
    l_len: usize,
) -> (NonNull<T>, NonNull<[T::Elem]>) {
    let () = Trailing::<T>::CHECKED;
    let n = T::pointer_to_metadata(source.as_ptr());
    let base = source.cast::<u8>();
    let left = T::raw_from_ptr_len(base, l_len);
    // `l_len <= n` and `n * ELEM_SIZE` fits (it is part of the `T`'s size), so
    // neither the product nor the sum overflows.
    let right_offset = Trailing::<T>::OFFSET + l_len * Trailing::<T>::ELEM_SIZE;
    // SAFETY: the trailing slice of `*source` spans
    // `[OFFSET, OFFSET + n * ELEM_SIZE)` within the `T` (the `SplitAt`
    // contract), and `right_offset` is at most its end, so the offset stays
    // within (or one past) the `T`'s allocation, as `NonNull::add` requires.
    let right_start = unsafe { base.add(right_offset) };
    let right = NonNull::slice_from_raw_parts(right_start.cast::<T::Elem>(), n - l_len);
    (left, right)
}

impl<'a, T: ?Sized + SplitAt> Split<&'a T> {
    /// The two parts as shared references.
    ///
    /// # Safety
    ///
    /// If `T` permits interior mutation, the left part's bytes must not
    /// overlap the right part.
    #[inline(always)]
    unsafe fn shared_parts(self) -> (&'a T, &'a [T::Elem]) {
        // SAFETY: `self.source` is a valid, aligned `T` with at least `l_len`
        // trailing elements (the `Split` invariant).
        let (left, right) = unsafe { parts(NonNull::from(self.source), self.l_len) };
        // SAFETY: `left` is the start of the `T` with metadata `l_len`: its
        // fields before the trailing slice and its first `l_len` elements are
        // those of the valid `*source`, and any trailing padding needs no
        // validity, so it is a valid `T`; it is aligned (same address) and
        // within `*source`'s bytes (`size_for_elems(l_len) <= size of *source`
        // since sizes grow with the count). Shared for `'a`, like `source`.
        let left = unsafe { left.as_ref() };
        // SAFETY: `right` covers the last `n - l_len` trailing elements of
        // `*source`, which are valid `Elem`s (the `SplitAt` contract), aligned
        // (checked by `Trailing::CHECKED` and the contract), shared for `'a`.
        // Overlap with `left` is shared/shared, and the caller rules out
        // interior mutation across it.
        let right = unsafe { right.as_ref() };
        (left, right)
    }

    /// The two parts, which may overlap because `T` has no interior
    /// mutability: overlapping shared reads are fine.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let (l, r) = SplitAt::split_at(&[1u8, 2][..], 0).unwrap().via_immutable();
    /// assert_eq!((l.len(), r), (0, &[1u8, 2][..]));
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_immutable(self) -> (&'a T, &'a [T::Elem])
    where
        T: Immutable,
    {
        // SAFETY: `T: Immutable`: no interior mutation through either part.
        unsafe { self.shared_parts() }
    }

    /// The two parts, disjoint because `T` has no padding (`IntoBytes`).
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let (l, r) = SplitAt::split_at(&[1u32, 2][..], 1).unwrap().via_into_bytes();
    /// assert_eq!((l, r), (&[1u32][..], &[2u32][..]));
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_into_bytes(self) -> (&'a T, &'a [T::Elem])
    where
        T: IntoBytes,
    {
        // SAFETY: `T: IntoBytes` means no padding in any `T`, so the left
        // part ends where the right part begins: no overlap.
        unsafe { self.shared_parts() }
    }

    /// The two parts of an alignment-1 type; same check as
    /// [`via_no_dynamic_padding`](Self::via_no_dynamic_padding).
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let (l, r) = SplitAt::split_at(&[1u8, 2][..], 1).unwrap().via_unaligned();
    /// assert_eq!((l, r), (&[1u8][..], &[2u8][..]));
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_unaligned(self) -> (&'a T, &'a [T::Elem])
    where
        T: Unaligned,
    {
        self.via_no_dynamic_padding()
    }

    /// The two parts, disjoint because `T` never has padding after its
    /// trailing slice. Types that can have such padding fail to compile.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let (l, r) = SplitAt::split_at(&[1u16, 2, 3][..], 2).unwrap().via_no_dynamic_padding();
    /// assert_eq!(r, &[3u16][..]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_no_dynamic_padding(self) -> (&'a T, &'a [T::Elem]) {
        let () = Trailing::<T>::ASSERT_NEVER_PADDED;
        // SAFETY: the assertion proves the left part always ends exactly
        // where the right part starts.
        unsafe { self.shared_parts() }
    }

    /// The two parts if this particular split leaves them disjoint;
    /// otherwise `self` back.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let split = SplitAt::split_at(&[1u8, 2][..], 1).unwrap();
    /// assert_eq!(split.via_runtime_check().ok(), Some((&[1u8][..], &[2u8][..])));
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_runtime_check(self) -> Result<(&'a T, &'a [T::Elem]), Self> {
        if Trailing::<T>::left_ends_before_right(self.l_len) {
            // SAFETY: just checked that the parts do not overlap.
            Ok(unsafe { self.shared_parts() })
        } else {
            Err(self)
        }
    }

    /// The two parts, without proof that they may coexist.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let split = SplitAt::split_at(&[1u8, 2][..], 1).unwrap();
    /// // SAFETY: `[u8]` has no interior mutability.
    /// let (l, r) = unsafe { split.via_unchecked() };
    /// assert_eq!((l, r), (&[1u8][..], &[2u8][..]));
    /// ```
    ///
    /// # Safety
    ///
    /// If `T` permits interior mutation, the left part's trailing padding for
    /// this `l_len` must not overlap the right part.
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub unsafe fn via_unchecked(self) -> (&'a T, &'a [T::Elem]) {
        // SAFETY: the caller's promise is `shared_parts`' precondition.
        unsafe { self.shared_parts() }
    }
}

impl<'a, T: ?Sized + SplitAt> Split<&'a mut T> {
    /// The two parts as exclusive references.
    ///
    /// # Safety
    ///
    /// The left part's bytes must not overlap the right part.
    #[inline(always)]
    unsafe fn exclusive_parts(self) -> (&'a mut T, &'a mut [T::Elem]) {
        let l_len = self.l_len;
        // SAFETY: `self.source` is a valid, aligned `T` with at least `l_len`
        // trailing elements (the `Split` invariant).
        let (mut left, mut right) = unsafe { parts(NonNull::from(self.source), l_len) };
        // SAFETY: as in `Split<&T>::shared_parts` for validity, alignment and
        // bounds; exclusive for `'a` because `source` was, and the caller
        // promises the two parts are disjoint. Both pointers derive from the
        // same `&mut`, which is not used again.
        let left = unsafe { left.as_mut() };
        // SAFETY: as above; the right part is the disjoint tail of the
        // trailing slice, valid `Elem`s whose writes keep `T` valid (the
        // `SplitAt` contract).
        let right = unsafe { right.as_mut() };
        (left, right)
    }

    /// The two parts, disjoint because `T` has no padding (`IntoBytes`).
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut words = [1u32, 2, 3];
    /// let (l, r) = SplitAt::split_at_mut(&mut words[..], 1).unwrap().via_into_bytes();
    /// l[0] = 10;
    /// r[1] = 30;
    /// assert_eq!(words, [10, 2, 30]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_into_bytes(self) -> (&'a mut T, &'a mut [T::Elem])
    where
        T: IntoBytes,
    {
        // SAFETY: no padding in any `T`, so the parts are disjoint.
        unsafe { self.exclusive_parts() }
    }

    /// The two parts of an alignment-1 type; same check as
    /// [`via_no_dynamic_padding`](Self::via_no_dynamic_padding).
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut bytes = [1u8, 2];
    /// let (l, r) = SplitAt::split_at_mut(&mut bytes[..], 1).unwrap().via_unaligned();
    /// core::mem::swap(&mut l[0], &mut r[0]);
    /// assert_eq!(bytes, [2, 1]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_unaligned(self) -> (&'a mut T, &'a mut [T::Elem])
    where
        T: Unaligned,
    {
        self.via_no_dynamic_padding()
    }

    /// The two parts, disjoint because `T` never has padding after its
    /// trailing slice. Types that can have such padding fail to compile.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut words = [1u16, 2];
    /// let (l, r) = SplitAt::split_at_mut(&mut words[..], 1).unwrap().via_no_dynamic_padding();
    /// r[0] = l[0];
    /// assert_eq!(words, [1, 1]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_no_dynamic_padding(self) -> (&'a mut T, &'a mut [T::Elem]) {
        let () = Trailing::<T>::ASSERT_NEVER_PADDED;
        // SAFETY: the assertion proves the parts are disjoint.
        unsafe { self.exclusive_parts() }
    }

    /// The two parts if this particular split leaves them disjoint;
    /// otherwise `self` back.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut bytes = [1u8, 2];
    /// let (l, r) = SplitAt::split_at_mut(&mut bytes[..], 2).unwrap().via_runtime_check().unwrap();
    /// assert_eq!((l.len(), r.len()), (2, 0));
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn via_runtime_check(self) -> Result<(&'a mut T, &'a mut [T::Elem]), Self> {
        if Trailing::<T>::left_ends_before_right(self.l_len) {
            // SAFETY: just checked that the parts do not overlap.
            Ok(unsafe { self.exclusive_parts() })
        } else {
            Err(self)
        }
    }

    /// The two parts, without proof that they are disjoint.
    ///
    /// ```
    /// use zerocast::SplitAt;
    /// let mut bytes = [1u8, 2];
    /// let split = SplitAt::split_at_mut(&mut bytes[..], 1).unwrap();
    /// // SAFETY: `[u8]` has no padding, so the parts are disjoint.
    /// let (l, r) = unsafe { split.via_unchecked() };
    /// assert_eq!((l, r), (&mut [1u8][..], &mut [2u8][..]));
    /// ```
    ///
    /// # Safety
    ///
    /// The left part's trailing padding for this `l_len` must not overlap
    /// the right part.
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub unsafe fn via_unchecked(self) -> (&'a mut T, &'a mut [T::Elem]) {
        // SAFETY: the caller's promise is `exclusive_parts`' precondition.
        unsafe { self.exclusive_parts() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_split_at_every_index_like_the_std_split() {
        let words = [1u32, 2, 3, 4, 5];
        for mid in 0..=words.len() {
            let expected = words.split_at(mid);
            let split = || SplitAt::split_at(&words[..], mid).unwrap();
            assert_eq!(split().via_immutable(), expected);
            assert_eq!(split().via_into_bytes(), expected);
            assert_eq!(split().via_no_dynamic_padding(), expected);
            assert_eq!(split().via_runtime_check().ok(), Some(expected));
            // SAFETY: `[u32]` has no interior mutability.
            assert_eq!(unsafe { split().via_unchecked() }, expected);
        }
        assert!(SplitAt::split_at(&words[..], 6).is_none());
        assert!(SplitAt::split_at(&words[..], usize::MAX).is_none());
    }

    #[test]
    fn manually_drop_splits_like_its_contents() {
        use crate::FromBytes;
        let bytes = <ManuallyDrop<[u8]>>::ref_from_bytes(b"abcde").unwrap();
        let (l, r) = SplitAt::split_at(bytes, 2).unwrap().via_immutable();
        assert_eq!((&l[..], r), (&b"ab"[..], &b"cde"[..]));
        assert!(SplitAt::split_at(bytes, 6).is_none());
        let words: &[u16] = &[1, 2, 3];
        let wrapped: &ManuallyDrop<[u16]> = crate::transmute_ref!(words);
        let (l, r) = SplitAt::split_at(wrapped, 1).unwrap().via_into_bytes();
        assert_eq!((&l[..], r), (&[1u16][..], &[2u16, 3][..]));
    }

    #[test]
    fn mutable_splits_are_disjoint_and_write_through() {
        let mut bytes = [0u8; 6];
        for mid in 0..=6 {
            let (l, r) = SplitAt::split_at_mut(&mut bytes[..], mid)
                .unwrap()
                .via_into_bytes();
            assert_eq!((l.len(), r.len()), (mid, 6 - mid));
            l.fill(1);
            r.fill(2);
            assert_eq!(bytes.iter().filter(|&&b| b == 1).count(), mid);
        }
        let (l, r) = SplitAt::split_at_mut(&mut bytes[..], 2)
            .unwrap()
            .via_runtime_check()
            .unwrap();
        l[0] = 7;
        r[3] = 9;
        // The last loop round (mid = 6) left every byte 1.
        assert_eq!(bytes, [7, 1, 1, 1, 1, 9]);
        assert!(SplitAt::split_at_mut(&mut bytes[..], 7).is_none());
    }

    #[test]
    fn zero_sized_elements_split_by_count() {
        let units = [(); 4];
        let (l, r) = SplitAt::split_at(&units[..], 1).unwrap().via_immutable();
        assert_eq!((l.len(), r.len()), (1, 3));
    }
}
