//! [`FromZeros`]: types for which all-zero bytes are a valid value, and the methods that
//! make zeroed values in place, on the stack and (feature `alloc`) on the heap.

use crate::TryFromBytes;
#[cfg(feature = "alloc")]
use crate::{AllocError, KnownLayout};
#[cfg(feature = "alloc")]
use alloc::{boxed::Box, vec::Vec};

/// A type whose all-zero byte pattern is a valid value (integers, `bool`, `Option<&T>`, ...).
///
/// # Safety
///
/// An implementer promises that, for every pointer metadata, a `Self` whose bytes are all
/// zero (including padding) is a valid `Self`, and that `Self: TryFromBytes`'s
/// `is_bit_valid` is sound (it may or may not accept all-zero bytes).
///
/// ```
/// use zerocast::FromZeros;
/// assert_eq!(<[u16; 3]>::new_zeroed(), [0; 3]);
/// ```
#[diagnostic::on_unimplemented(
    message = "all-zero bytes are not known to be a valid `{Self}`: it is not `FromZeros`",
    note = "add `#[derive(FromZeros)]` to `{Self}` (enums need a variant with discriminant 0)"
)]
pub unsafe trait FromZeros: TryFromBytes {
    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// Overwrites every byte of `self` (padding included) with zero.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// let mut v = [1u32, 2, 3];
    /// v[..].zero();
    /// assert_eq!(v, [0; 3]);
    /// ```
    #[inline(always)]
    fn zero(&mut self) {
        let len = core::mem::size_of_val(self);
        let ptr: *mut Self = self;
        // SAFETY: `ptr` comes from `&mut self`, so it is valid for writes of
        // `size_of_val(self)` bytes (`write_bytes`' requirement; `u8` needs no alignment).
        // All-zero bytes are a valid `Self` (`FromZeros`' contract), so `*self` stays valid.
        unsafe { core::ptr::write_bytes(ptr.cast::<u8>(), 0, len) };
    }

    /// A `Self` whose bytes are all zero.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// assert_eq!(<[bool; 2]>::new_zeroed(), [false; 2]);
    /// ```
    #[inline(always)]
    #[must_use]
    fn new_zeroed() -> Self
    where
        Self: Sized,
    {
        // SAFETY: `mem::zeroed` is sound exactly when all-zero bytes are a valid `Self`,
        // which `FromZeros` guarantees.
        unsafe { core::mem::zeroed() }
    }

    /// A boxed, zeroed `Self`, allocated directly as zeros (no stack copy).
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// let b = <[u64; 1024]>::new_box_zeroed().unwrap();
    /// assert!(b.iter().all(|&x| x == 0));
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    fn new_box_zeroed() -> Result<Box<Self>, AllocError>
    where
        Self: Sized,
    {
        let layout = core::alloc::Layout::new::<Self>();
        if layout.size() == 0 {
            return Ok(Box::new(Self::new_zeroed()));
        }
        // SAFETY: `layout` has a non-zero size (checked above), `alloc_zeroed`'s requirement.
        let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) }.cast::<Self>();
        if ptr.is_null() {
            return Err(AllocError);
        }
        // SAFETY: `ptr` was allocated by the global allocator with `Layout::new::<Self>()`,
        // the layout `Box` uses (std `boxed` module, "Memory layout"), and holds a valid
        // `Self` because all-zero bytes are one (`FromZeros`).
        Ok(unsafe { Box::from_raw(ptr) })
    }

    /// A boxed, zeroed slice DST with `count` trailing elements.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// let b = <[u16]>::new_box_zeroed_with_elems(5).unwrap();
    /// assert_eq!(&*b, &[0; 5]);
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    fn new_box_zeroed_with_elems(count: usize) -> Result<Box<Self>, AllocError>
    where
        Self: KnownLayout<PointerMetadata = usize>,
    {
        let size = Self::LAYOUT.size_for_elems(count).ok_or(AllocError)?;
        let align = Self::LAYOUT.align();
        let layout = core::alloc::Layout::from_size_align(size, align).map_err(|_| AllocError)?;
        let base = if size == 0 {
            // A zero-sized `Box` needs only a non-null, aligned pointer (std `boxed`,
            // "Memory layout"); `align` is a non-zero power of two.
            core::ptr::NonNull::<u8>::without_provenance(
                core::num::NonZeroUsize::new(align).ok_or(AllocError)?,
            )
        } else {
            // SAFETY: `layout` has a non-zero size, `alloc_zeroed`'s requirement.
            let p = unsafe { alloc::alloc::alloc_zeroed(layout) };
            core::ptr::NonNull::new(p).ok_or(AllocError)?
        };
        let ptr = Self::raw_from_ptr_len(base, count);
        // SAFETY: `ptr` has metadata `count`, so `Layout::for_value` of it is `(size, align)`
        // by `KnownLayout`'s contract: exactly the layout allocated (or, for size 0, a
        // dangling aligned pointer, which `Box` accepts for zero-sized values). All bytes are
        // zero, a valid `Self` (`FromZeros`).
        Ok(unsafe { Box::from_raw(ptr.as_ptr()) })
    }

    /// Old form of `<[Self]>::new_box_zeroed_with_elems`.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// assert_eq!(&*u8::new_box_slice_zeroed(2).unwrap(), &[0, 0]);
    /// ```
    #[cfg(feature = "alloc")]
    #[doc(hidden)]
    #[must_use = "has no side effects (other than allocation)"]
    #[inline(always)]
    fn new_box_slice_zeroed(len: usize) -> Result<Box<[Self]>, AllocError>
    where
        Self: Sized,
    {
        <[Self]>::new_box_zeroed_with_elems(len)
    }

    /// A `Vec` of `len` zeroed values.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// assert_eq!(u8::new_vec_zeroed(3).unwrap(), vec![0, 0, 0]);
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    fn new_vec_zeroed(len: usize) -> Result<Vec<Self>, AllocError>
    where
        Self: Sized,
    {
        let mut v = Vec::new();
        Self::extend_vec_zeroed(&mut v, len)?;
        Ok(v)
    }

    /// Appends `additional` zeroed values to `v`.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// let mut v = vec![1u32];
    /// u32::extend_vec_zeroed(&mut v, 2).unwrap();
    /// assert_eq!(v, [1, 0, 0]);
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    fn extend_vec_zeroed(v: &mut Vec<Self>, additional: usize) -> Result<(), AllocError>
    where
        Self: Sized,
    {
        let len = v.len();
        Self::insert_vec_zeroed(v, len, additional)
    }

    /// Inserts `additional` zeroed values into `v` at `position`.
    ///
    /// # Panics
    ///
    /// If `position > v.len()`.
    ///
    /// ```
    /// use zerocast::FromZeros;
    /// let mut v = vec![1u8, 2];
    /// u8::insert_vec_zeroed(&mut v, 1, 2).unwrap();
    /// assert_eq!(v, [1, 0, 0, 2]);
    /// ```
    #[cfg(feature = "alloc")]
    #[inline]
    fn insert_vec_zeroed(
        v: &mut Vec<Self>,
        position: usize,
        additional: usize,
    ) -> Result<(), AllocError>
    where
        Self: Sized,
    {
        let len = v.len();
        assert!(
            position <= len,
            "insert_vec_zeroed: position {position} > len {len}"
        );
        v.try_reserve(additional).map_err(|_| AllocError)?;
        let tail = len - position;
        let base = v.as_mut_ptr();
        // SAFETY: `position <= len <= capacity`, so the offset is within the allocation.
        let at = unsafe { base.add(position) };
        // SAFETY: `position + additional <= len + additional <= capacity`: in the allocation.
        let moved_to = unsafe { at.add(additional) };
        // SAFETY: `try_reserve` made room for `len + additional` elements, so both the
        // source `[position, len)` and the destination `[position + additional, len +
        // additional)` lie within the allocation; `ptr::copy` allows overlap.
        unsafe { core::ptr::copy(at, moved_to, tail) };
        // SAFETY: `[position, position + additional)` lies within the capacity; writing zero
        // bytes there makes valid `Self`s (`FromZeros`).
        unsafe { core::ptr::write_bytes(at, 0, additional) };
        // SAFETY: the first `len + additional` elements are now initialized (the old ones,
        // moved, and the zeroed ones), and `len + additional <= capacity` (`try_reserve`).
        unsafe { v.set_len(len + additional) };
        Ok(())
    }
}
