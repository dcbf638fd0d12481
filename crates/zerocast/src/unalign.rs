//! [`Unalign<T>`]: a `T` stored with alignment 1, so it can sit at any offset
//! inside a byte-cast struct.
//!
//! Wire formats put multi-byte fields at odd offsets. Wrapping such a field's
//! type in `Unalign` removes its alignment requirement (the wrapper is
//! `#[repr(C, packed)]`) at the price of not handing out `&T` directly:
//! values are copied in and out ([`get`](Unalign::get),
//! [`set`](Unalign::set), [`update`](Unalign::update)), or borrowed only when
//! the address happens to be aligned ([`try_deref`](Unalign::try_deref)).

use core::cmp::Ordering;
use core::fmt::{self, Debug, Display, Formatter};
use core::hash::{Hash, Hasher};
use core::mem::{self, ManuallyDrop};
use core::ops::{Deref, DerefMut};
use core::ptr;

use crate::error::AlignmentError;
use crate::Unaligned;

/// A `T` with alignment 1.
///
/// `Unalign<T>` has `T`'s size and bit validity but alignment 1: it is
/// `#[repr(C, packed)]` around a single `T`. It is [`Unaligned`] for every `T`
/// and inherits [`Immutable`](crate::Immutable),
/// [`TryFromBytes`](crate::TryFromBytes), [`FromZeros`](crate::FromZeros),
/// [`FromBytes`](crate::FromBytes) and [`IntoBytes`](crate::IntoBytes) from
/// `T`.
///
/// When `T` is itself `Unaligned`, `Unalign<T>` dereferences to `T` and
/// compares, hashes and formats like it.
///
/// ```
/// use zerocast::Unalign;
///
/// #[repr(C)]
/// struct Record {
///     tag: u8,
///     value: Unalign<u32>, // at offset 1, no padding before it
/// }
/// assert_eq!(core::mem::size_of::<Record>(), 5);
///
/// let mut r = Record { tag: 1, value: Unalign::new(7) };
/// r.value.set(r.value.get() + 1);
/// assert_eq!(r.value.get(), 8);
/// ```
#[derive(Default, Copy)]
#[repr(C, packed)]
pub struct Unalign<T>(T);

// SAFETY: `Unalign<T>` is sized (so `DstLayout::for_type` is its layout), and
// `repr(packed)` gives it alignment 1 (Reference, "The `packed` modifier":
// packing to 1 sets the alignment to 1), which is `Unaligned`'s whole promise.
crate::impls::macros::unsafe_impl!({T} KnownLayout for Unalign<T>);
crate::impls::macros::unsafe_impl!({T} Unaligned for Unalign<T>);
// SAFETY: `Unalign<T>` is `repr(C, packed)` with a single field of type `T` at
// offset 0 and no other bytes: packing only removes padding and lowers the
// alignment, so its size is `size_of::<T>()` and its bytes are exactly the
// `T`'s. Hence it has an `UnsafeCell` only where `T` does (Immutable), every
// byte pattern (or the all-zero one) that is a valid `T` is a valid
// `Unalign<T>` (FromBytes, FromZeros), and it has padding only where `T` does
// (IntoBytes).
crate::impls::macros::unsafe_impl!({T: crate::Immutable} Immutable for Unalign<T>);
crate::impls::macros::unsafe_impl!({T: crate::FromZeros} FromZeros for Unalign<T>);
crate::impls::macros::unsafe_impl!({T: crate::FromBytes} FromBytes for Unalign<T>);
crate::impls::macros::unsafe_impl!({T: crate::IntoBytes} IntoBytes for Unalign<T>);

// SAFETY: `Unalign<T>`'s bytes are exactly a `T`'s at offset 0 (see above), so
// they are a valid `Unalign<T>` exactly when they are a valid `T`, which is what
// `is_bit_valid` asks `T`. `Maybe` promises no alignment, so checking `T` in
// place at the packed (possibly misaligned) address is allowed.
unsafe impl<T: crate::TryFromBytes> crate::TryFromBytes for Unalign<T> {
    #[inline(always)]
    fn only_derive_is_allowed_to_implement_this_trait() {}

    #[inline(always)]
    fn is_bit_valid(candidate: crate::Maybe<'_, Self>) -> bool {
        // SAFETY: `T` is sized and `size_of::<T>() == size_of::<Unalign<T>>()`,
        // which is the candidate's length (`Maybe::cast`'s requirement).
        let inner = unsafe { candidate.cast::<T>() };
        T::is_bit_valid(inner)
    }
}

impl<T: Copy> Clone for Unalign<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Unalign<T> {
    /// Wraps `val`.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// const U: Unalign<u64> = Unalign::new(5);
    /// assert_eq!(U.into_inner(), 5);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub const fn new(val: T) -> Unalign<T> {
        Unalign(val)
    }

    /// Unwraps the value, moving it to a properly aligned place.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let s = Unalign::new(String::from("owned"));
    /// assert_eq!(s.into_inner(), "owned");
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub const fn into_inner(self) -> T {
        // A `const fn` cannot run `Unalign<T>`'s drop glue, so the value is
        // copied out of a `ManuallyDrop` instead of being destructured.
        let this = ManuallyDrop::new(self);
        let ptr: *const Unalign<T> = (&raw const this).cast::<Unalign<T>>();
        // SAFETY: `ManuallyDrop<Unalign<T>>` has the layout of `Unalign<T>`
        // (std: "guaranteed to have the same layout"), whose only field `T`
        // is at offset 0 (`repr(C)`), so `ptr.cast::<T>()` points to a valid,
        // initialized `T` that is readable; `read_unaligned` has no alignment
        // requirement. `this` is never dropped, so the `T` is moved, not
        // duplicated.
        unsafe { ptr::read_unaligned(ptr.cast::<T>()) }
    }

    /// Borrows the value if `self` happens to sit at an address aligned for
    /// `T`; otherwise returns an [`AlignmentError`] holding `self`.
    ///
    /// ```
    /// use zerocast::Unalign;
    ///
    /// #[repr(C, align(4))]
    /// struct Buf([Unalign<u16>; 2]);
    /// let buf = Buf([Unalign::new(1), Unalign::new(2)]);
    /// // Offset 0 and offset 2 of a 4-aligned buffer are both 2-aligned.
    /// assert_eq!(buf.0[0].try_deref().ok(), Some(&1));
    /// assert_eq!(buf.0[1].try_deref().ok(), Some(&2));
    /// ```
    #[inline]
    pub fn try_deref(&self) -> Result<&T, AlignmentError<&Self, T>> {
        if self.get_ptr().is_aligned() {
            // SAFETY: the pointer is aligned for `T` (just checked); it points
            // to the `T` inside `*self`, which is valid, initialized and
            // borrowed shared for the returned lifetime.
            Ok(unsafe { &*self.get_ptr() })
        } else {
            Err(AlignmentError::new_observed(self))
        }
    }

    /// Mutably borrows the value if `self` sits at an address aligned for
    /// `T`; otherwise returns an [`AlignmentError`] holding `self`.
    ///
    /// ```
    /// use zerocast::Unalign;
    ///
    /// #[repr(C, align(8))]
    /// struct Buf([u8; 1], [Unalign<u32>; 2]);
    /// let mut buf = Buf([0], [Unalign::new(1), Unalign::new(2)]);
    /// // Offset 1 of an 8-aligned buffer is never 4-aligned.
    /// assert!(buf.1[0].try_deref_mut().is_err());
    /// ```
    #[inline]
    pub fn try_deref_mut(&mut self) -> Result<&mut T, AlignmentError<&mut Self, T>> {
        if self.get_mut_ptr().is_aligned() {
            // SAFETY: aligned (just checked), points to the valid `T` inside
            // `*self`, which is exclusively borrowed for the returned lifetime.
            Ok(unsafe { &mut *self.get_mut_ptr() })
        } else {
            Err(AlignmentError::new_observed(self))
        }
    }

    /// Borrows the value without checking alignment.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let u = Unalign::new(3u8);
    /// // SAFETY: `u8` has alignment 1, so every address is aligned.
    /// assert_eq!(unsafe { *u.deref_unchecked() }, 3);
    /// ```
    ///
    /// # Safety
    ///
    /// `self` must be at an address that is a multiple of `align_of::<T>()`.
    #[inline(always)]
    pub const unsafe fn deref_unchecked(&self) -> &T {
        // SAFETY: `get_ptr` points to the valid, initialized `T` inside
        // `*self`, borrowed shared for the returned lifetime; the caller
        // promises it is aligned for `T`.
        unsafe { &*self.get_ptr() }
    }

    /// Mutably borrows the value without checking alignment.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let mut u = Unalign::new(3u8);
    /// // SAFETY: `u8` has alignment 1.
    /// unsafe { *u.deref_mut_unchecked() += 1 };
    /// assert_eq!(u.get(), 4);
    /// ```
    ///
    /// # Safety
    ///
    /// `self` must be at an address that is a multiple of `align_of::<T>()`.
    #[inline(always)]
    pub const unsafe fn deref_mut_unchecked(&mut self) -> &mut T {
        // SAFETY: `get_mut_ptr` points to the valid `T` inside `*self`,
        // exclusively borrowed for the returned lifetime; the caller promises
        // it is aligned.
        unsafe { &mut *self.get_mut_ptr() }
    }

    /// A raw pointer to the value; it may be misaligned, so read it with
    /// [`ptr::read_unaligned`](core::ptr::read_unaligned).
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let u = Unalign::new(0x1234_5678u32);
    /// // SAFETY: the pointer is valid for reads; `read_unaligned` allows any address.
    /// assert_eq!(unsafe { u.get_ptr().read_unaligned() }, 0x1234_5678);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub const fn get_ptr(&self) -> *const T {
        ptr::addr_of!(self.0)
    }

    /// A raw mutable pointer to the value; it may be misaligned, so write it
    /// with [`ptr::write_unaligned`](core::ptr::write_unaligned).
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let mut u = Unalign::new(1u32);
    /// // SAFETY: valid for writes; `write_unaligned` allows any address.
    /// unsafe { u.get_mut_ptr().write_unaligned(2) };
    /// assert_eq!(u.get(), 2);
    /// ```
    #[inline(always)]
    pub const fn get_mut_ptr(&mut self) -> *mut T {
        ptr::addr_of_mut!(self.0)
    }

    /// Replaces the value, dropping the old one.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let mut u = Unalign::new(String::from("old"));
    /// u.set(String::from("new"));
    /// assert_eq!(u.into_inner(), "new");
    /// ```
    #[inline(always)]
    pub fn set(&mut self, t: T) {
        *self = Unalign::new(t);
    }

    /// Runs `f` on the value, moved to an aligned temporary and written back
    /// afterwards, even if `f` panics.
    ///
    /// Use it for `T` that is not `Copy`, or to mutate in place through `&mut
    /// T`-taking APIs.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let mut u = Unalign::new(vec![1u8]);
    /// let len = u.update(|v| {
    ///     v.push(2);
    ///     v.len()
    /// });
    /// assert_eq!((len, u.into_inner()), (2, vec![1, 2]));
    /// ```
    #[inline]
    pub fn update<O, F: FnOnce(&mut T) -> O>(&mut self, f: F) -> O {
        if mem::align_of::<T>() == 1 {
            // SAFETY: every address is a multiple of 1.
            return f(unsafe { self.deref_mut_unchecked() });
        }

        /// Owns the moved-out value and writes it back when dropped, which
        /// happens on normal return and on unwinding alike.
        struct WriteBack<T> {
            /// Invariant: holds a value until `drop` takes it.
            value: ManuallyDrop<T>,
            /// Invariant: valid for writes (from a live `&mut Unalign<T>`),
            /// and its bytes are logically moved out until `drop` runs.
            dst: *mut Unalign<T>,
        }

        impl<T> Drop for WriteBack<T> {
            fn drop(&mut self) {
                // SAFETY: `value` still holds a value (the field invariant) and
                // is never used after this take.
                let value = unsafe { ManuallyDrop::take(&mut self.value) };
                // SAFETY: `dst` is valid for writes and aligned for
                // `Unalign<T>` (alignment 1); its old contents were moved out,
                // so `ptr::write` (which does not drop them) is right.
                unsafe { ptr::write(self.dst, Unalign::new(value)) };
            }
        }

        // SAFETY: `self` is a `&mut`, so valid for reads and aligned for
        // `Unalign<T>` (alignment 1); `read_unaligned` moves the `T` out
        // bitwise. Until `WriteBack` runs, the original bytes are not used:
        // `self` is reborrowed into `dst` and not touched again here.
        let value = unsafe { ptr::read_unaligned(self.get_mut_ptr()) };
        let mut guard = WriteBack {
            value: ManuallyDrop::new(value),
            dst: self,
        };
        f(&mut guard.value)
    }
}

impl<T: Copy> Unalign<T> {
    /// Copies the value out.
    ///
    /// ```
    /// use zerocast::Unalign;
    /// let u = Unalign::new(-7i64);
    /// assert_eq!(u.get(), -7);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub const fn get(&self) -> T {
        let Unalign(val) = *self;
        val
    }
}

impl<T: Unaligned> Deref for Unalign<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: `T: Unaligned` promises alignment 1, so every address is
        // aligned for `T`.
        unsafe { self.deref_unchecked() }
    }
}

impl<T: Unaligned> DerefMut for Unalign<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: `T: Unaligned` promises alignment 1.
        unsafe { self.deref_mut_unchecked() }
    }
}

impl<T: Unaligned + PartialEq> PartialEq for Unalign<T> {
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        PartialEq::eq(self.deref(), other.deref())
    }
}

impl<T: Unaligned + Eq> Eq for Unalign<T> {}

impl<T: Unaligned + PartialOrd> PartialOrd for Unalign<T> {
    #[inline(always)]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        PartialOrd::partial_cmp(self.deref(), other.deref())
    }
}

impl<T: Unaligned + Ord> Ord for Unalign<T> {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        Ord::cmp(self.deref(), other.deref())
    }
}

impl<T: Unaligned + Hash> Hash for Unalign<T> {
    #[inline(always)]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.deref().hash(state);
    }
}

impl<T: Unaligned + Debug> Debug for Unalign<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        Debug::fmt(self.deref(), f)
    }
}

impl<T: Unaligned + Display> Display for Unalign<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        Display::fmt(self.deref(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::{string::String, vec, vec::Vec};

    /// Eight `Unalign<u32>` after one byte: their alignment offsets are 1..4
    /// twice over, whatever the buffer's alignment.
    #[repr(C, align(8))]
    struct Misaligned {
        _pad: u8,
        vals: [Unalign<u32>; 8],
    }

    #[test]
    fn accessors_work_in_const_context() {
        const BUMPED: u32 = {
            let mut u = Unalign::new(41u32);
            // SAFETY: the pointer comes from a live `&mut`, valid for reads
            // and writes; the unaligned accessors allow any address.
            unsafe { u.get_mut_ptr().write_unaligned(u.get() + 1) };
            u.into_inner()
        };
        assert_eq!(BUMPED, 42);
    }

    #[test]
    fn has_alignment_one_and_the_inner_size() {
        assert_eq!(mem::align_of::<Unalign<u64>>(), 1);
        assert_eq!(mem::size_of::<Unalign<u64>>(), 8);
        assert_eq!(mem::size_of::<Unalign<(u8, u32)>>(), 8);
    }

    #[test]
    fn try_deref_succeeds_exactly_at_aligned_offsets() {
        let mut m = Misaligned {
            _pad: 0,
            vals: [Unalign::new(9); 8],
        };
        for i in 0..8 {
            let aligned = m.vals[i].get_ptr().is_aligned();
            // Offset 1 + 4i of an 8-aligned struct: never 4-aligned.
            assert!(!aligned);
            let err = m.vals[i].try_deref().unwrap_err();
            assert!(ptr::eq(err.into_src(), &m.vals[i]));
            assert!(m.vals[i].try_deref_mut().is_err());
        }
        #[repr(C, align(4))]
        struct Aligned([Unalign<u32>; 2]);
        let mut a = Aligned([Unalign::new(1), Unalign::new(2)]);
        *a.0[1].try_deref_mut().unwrap() += 5;
        assert_eq!(*a.0[1].try_deref().unwrap(), 7);
        assert_eq!(m.vals[3].get(), 9);
    }

    #[test]
    fn get_set_update_work_at_every_misaligned_offset() {
        let mut m = Misaligned {
            _pad: 0,
            vals: [Unalign::new(0); 8],
        };
        for (i, v) in m.vals.iter_mut().enumerate() {
            v.set(i as u32 * 3);
            let old = v.update(|x| mem::replace(x, *x + 1));
            assert_eq!(old, i as u32 * 3);
        }
        let got: Vec<u32> = m.vals.iter().map(Unalign::get).collect();
        assert_eq!(got, (0..8).map(|i| i * 3 + 1).collect::<Vec<_>>());
    }

    #[test]
    fn update_writes_back_when_the_closure_panics() {
        extern crate std;
        let mut u = Unalign::new(vec![String::from("a")]);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            u.update(|v| {
                v.push(String::from("b"));
                panic!("boom");
            })
        }));
        assert!(result.is_err());
        // The pushed element is there exactly once: no double drop, no leak.
        assert_eq!(u.into_inner(), vec![String::from("a"), String::from("b")]);
    }

    #[test]
    fn owned_values_are_moved_not_duplicated() {
        let mut u = Unalign::new(String::from("x"));
        u.update(|s| s.push('y'));
        u.set(String::from("z"));
        assert_eq!(u.into_inner(), "z");
    }

    #[test]
    fn unaligned_inner_types_deref_compare_and_format() {
        let mut a = Unalign::new([1u8, 2]);
        let b = Unalign::new([1u8, 3]);
        a[1] = 3;
        assert_eq!(a, b);
        assert_eq!(a.cmp(&b), Ordering::Equal);
        assert!(Unalign::new(1u8) < Unalign::new(2u8));
        assert_eq!(
            std::format!("{:?} {}", Unalign::new(5u8), Unalign::new(6u8)),
            "5 6"
        );
        let mut h1 = std::hash::DefaultHasher::new();
        let mut h2 = std::hash::DefaultHasher::new();
        a.hash(&mut h1);
        [1u8, 3].hash(&mut h2);
        assert_eq!(h1.finish(), h2.finish());
    }
}
