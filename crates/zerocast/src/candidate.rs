//! [`Maybe`]: bytes that might be a valid `T`, handed to
//! [`TryFromBytes::is_bit_valid`](crate::TryFromBytes::is_bit_valid) to decide.
//!
//! # Design
//!
//! A `Maybe<'a, T>` is a pointer with `T`'s metadata to `size_of_val` initialized bytes that
//! nobody writes during `'a`. It deliberately does **not** promise alignment: fields of
//! `repr(packed)` structs are checked in place like any other field, and primitive checks
//! read their bytes with `from_ne_bytes`, which has no alignment requirement (on x86-64 and
//! AArch64 this compiles to the same load as an aligned read). That also lets
//! `try_read_from_*` validate the caller's bytes where they are, then copy once with
//! `ptr::read_unaligned`; because the source is a `&[u8]`, the bytes cannot change between
//! the check and the copy.
//!
//! Validity checks never create a `&T` (which would assert the validity being checked); they
//! only look at bytes through [`Maybe::bytes`] and project to fields with raw pointers.

use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::known_layout::{size_of_raw, KnownLayout};
use crate::FromBytes;

/// Bytes that might be a valid `T`: the argument of
/// [`TryFromBytes::is_bit_valid`](crate::TryFromBytes::is_bit_valid).
///
/// Only zerocast can make one from a byte slice; safe code can only read its bytes.
///
/// ```
/// use zerocast::{Maybe, TryFromBytes};
/// /// A byte that must be even (what `#[derive(TryFromBytes)]` would write by hand).
/// #[repr(transparent)]
/// struct Even(u8);
/// // SAFETY: `Even` is one byte; the check accepts exactly the even bytes.
/// unsafe impl TryFromBytes for Even {
///     fn only_derive_is_allowed_to_implement_this_trait() {}
///     fn is_bit_valid(candidate: Maybe<'_, Self>) -> bool {
///         candidate.read_at::<u8>(0).is_some_and(|b| b % 2 == 0)
///     }
/// }
/// assert_eq!(Even::try_read_from_bytes(&[4]).map(|e| e.0), Ok(4));
/// assert!(Even::try_read_from_bytes(&[5]).is_err());
/// ```
pub struct Maybe<'a, T: ?Sized> {
    /// Invariant: `ptr` (with its metadata) covers `len` bytes of one allocation, all
    /// initialized, valid for reads for `'a`, and not written by anyone during `'a`. `len`
    /// is `size_of_val` of a `T` with `ptr`'s metadata. No alignment is promised.
    ptr: NonNull<T>,
    len: usize,
    _bytes: PhantomData<&'a [u8]>,
}

impl<T: ?Sized> Clone for Maybe<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: ?Sized> Copy for Maybe<'_, T> {}

impl<T: ?Sized> core::fmt::Debug for Maybe<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Maybe")
            .field("bytes", &self.bytes())
            .finish()
    }
}

impl<'a, T: ?Sized> Maybe<'a, T> {
    /// Wraps `ptr`, which covers `len` bytes.
    ///
    /// # Safety
    ///
    /// `ptr` and `len` must satisfy the invariant documented on the `ptr` field: `len` bytes
    /// at `ptr`, one allocation, initialized, readable and unwritten for `'a`, and `len` is
    /// the size of a `T` with `ptr`'s metadata.
    #[inline(always)]
    pub(crate) unsafe fn new_unchecked(ptr: NonNull<T>, len: usize) -> Self {
        Maybe {
            ptr,
            len,
            _bytes: PhantomData,
        }
    }

    /// The candidate's pointer, with its metadata: for crate code (validators in `beyond`)
    /// that has proven the bytes valid and may then make a reference.
    #[inline(always)]
    pub(crate) fn as_non_null(&self) -> NonNull<T> {
        self.ptr
    }

    /// The candidate's bytes.
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    /// /// Two bytes that must differ.
    /// struct Distinct([u8; 2]);
    /// // SAFETY: any two bytes are a valid `[u8; 2]`; the check only narrows that.
    /// unsafe impl TryFromBytes for Distinct {
    ///     fn only_derive_is_allowed_to_implement_this_trait() {}
    ///     fn is_bit_valid(c: Maybe<'_, Self>) -> bool {
    ///         c.bytes()[0] != c.bytes()[1]
    ///     }
    /// }
    /// assert!(Distinct::try_read_from_bytes(&[1, 2]).is_ok());
    /// assert!(Distinct::try_read_from_bytes(&[1, 1]).is_err());
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn bytes(&self) -> &'a [u8] {
        // SAFETY: by the field invariant, `ptr` covers `len` initialized bytes of one
        // allocation that are readable and not written for `'a`, which is what
        // `slice::from_raw_parts` requires (u8 needs no alignment; `len <= isize::MAX`
        // because it is the size of a value).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr().cast::<u8>(), self.len) }
    }

    /// The number of bytes in the candidate (`size_of_val`).
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    /// struct NonEmptyCheck;
    /// // SAFETY: a zero-sized type has exactly one (empty) value; `false` is always allowed.
    /// unsafe impl TryFromBytes for NonEmptyCheck {
    ///     fn only_derive_is_allowed_to_implement_this_trait() {}
    ///     fn is_bit_valid(c: Maybe<'_, Self>) -> bool {
    ///         c.is_empty() && c.len() == 0
    ///     }
    /// }
    /// assert!(NonEmptyCheck::try_read_from_bytes(&[]).is_ok());
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the candidate has no bytes (a zero-sized type).
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    /// struct NonEmptyCheck;
    /// // SAFETY: a zero-sized type has exactly one (empty) value; `false` is always allowed.
    /// unsafe impl TryFromBytes for NonEmptyCheck {
    ///     fn only_derive_is_allowed_to_implement_this_trait() {}
    ///     fn is_bit_valid(c: Maybe<'_, Self>) -> bool {
    ///         c.is_empty() && c.len() == 0
    ///     }
    /// }
    /// assert!(NonEmptyCheck::try_read_from_bytes(&[]).is_ok());
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads a `P` (e.g. an enum tag or a primitive) from the candidate's bytes at `offset`,
    /// whatever the alignment; `None` if `P` does not fit there.
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    ///     /// A byte that must be even (what `#[derive(TryFromBytes)]` would write by hand).
    /// #[repr(transparent)]
    /// struct Even(u8);
    /// // SAFETY: `Even` is one byte; the check accepts exactly the even bytes.
    /// unsafe impl TryFromBytes for Even {
    ///     fn only_derive_is_allowed_to_implement_this_trait() {}
    ///     fn is_bit_valid(candidate: Maybe<'_, Self>) -> bool {
    ///         candidate.read_at::<u8>(0).is_some_and(|b| b % 2 == 0)
    ///     }
    /// }
    /// assert!(Even::try_read_from_bytes(&[2]).is_ok());
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn read_at<P: FromBytes>(&self, offset: usize) -> Option<P> {
        let end = offset.checked_add(core::mem::size_of::<P>())?;
        if end > self.len {
            return None;
        }
        // SAFETY: `offset <= end <= self.len`, so the offset stays within the candidate's
        // bytes (one allocation).
        let at = unsafe { self.ptr.cast::<u8>().add(offset) };
        // SAFETY: `at` is valid for reading `size_of::<P>()` bytes (`end <= self.len`), all
        // initialized and unwritten for `'a` (field invariant); they are a valid `P` because
        // `P: FromBytes`; `read_unaligned` needs no alignment.
        Some(unsafe { core::ptr::read_unaligned(at.as_ptr().cast::<P>()) })
    }

    /// Narrows the candidate to a field (or any sized part) of `T`.
    ///
    /// # Safety
    ///
    /// `project` must return a pointer derived from its argument by place projection (e.g.
    /// `core::ptr::addr_of_mut!((*p).field)`), whose `size_of::<U>()` bytes lie entirely
    /// within `*p`'s bytes. It must not read or write through the pointer.
    #[inline(always)]
    #[must_use]
    pub unsafe fn project<U>(&self, project: impl FnOnce(*mut T) -> *mut U) -> Maybe<'a, U> {
        let field = project(self.ptr.as_ptr());
        // SAFETY: by the caller's promise `field` points into the allocation `self.ptr`
        // points to, which does not contain address zero (it holds `self.ptr`, which is
        // non-null, and allocations do not wrap around the address space).
        let field = unsafe { NonNull::new_unchecked(field) };
        // SAFETY: the field's `size_of::<U>()` bytes lie within `self`'s bytes (caller's
        // promise), which satisfy the invariant for `'a`; so do any sub-range of them.
        unsafe { Maybe::new_unchecked(field, core::mem::size_of::<U>()) }
    }

    /// Narrows the candidate to a dynamically sized trailing field of `T`.
    ///
    /// # Safety
    ///
    /// `project` must return a pointer derived from its argument by place projection, whose
    /// referent (of the size `U`'s layout gives for its metadata) lies entirely within `*p`'s
    /// bytes. It must not read or write through the pointer.
    #[inline(always)]
    #[must_use]
    pub unsafe fn project_unsized<U: ?Sized + KnownLayout>(
        &self,
        project: impl FnOnce(*mut T) -> *mut U,
    ) -> Maybe<'a, U> {
        let field = project(self.ptr.as_ptr());
        // By the caller's promise the referent fits in `self.len` bytes, so its size is known.
        let len = size_of_raw(field).unwrap_or(usize::MAX);
        debug_assert!(len <= self.len);
        let len = if len <= self.len { len } else { self.len };
        // SAFETY: as in `project`, `field` is within a non-null allocation.
        let field = unsafe { NonNull::new_unchecked(field) };
        // SAFETY: the referent lies within `self`'s bytes (caller's promise), and `len` is its
        // size computed from its metadata (`KnownLayout`'s contract).
        unsafe { Maybe::new_unchecked(field, len) }
    }

    /// Views the candidate as the type a `repr(transparent)` wrapper wraps (or the reverse):
    /// same address, same bytes, possibly unsized.
    ///
    /// # Safety
    ///
    /// `cast` must return its argument cast to `*mut U` (same address and provenance), and a
    /// `U` with the resulting metadata must have exactly the size of a `T` with the original
    /// metadata (e.g. `U` is the only non-zero-sized field of `repr(transparent)` `T`).
    #[inline(always)]
    #[must_use]
    pub unsafe fn project_transparent<U: ?Sized>(
        &self,
        cast: impl FnOnce(*mut T) -> *mut U,
    ) -> Maybe<'a, U> {
        let inner = cast(self.ptr.as_ptr());
        // SAFETY: `inner` has `self.ptr`'s address (caller's promise), which is non-null.
        let inner = unsafe { NonNull::new_unchecked(inner) };
        // SAFETY: same bytes as `self` (caller's promise: same address and size), which
        // satisfy the invariant for `'a`.
        unsafe { Maybe::new_unchecked(inner, self.len) }
    }

    /// Reinterprets the candidate as a `U` of the same size (e.g. an enum viewed as its
    /// `repr(C)` tag-and-union mirror).
    ///
    /// # Safety
    ///
    /// `U` must be sized with `size_of::<U>() <= self.len()`.
    #[inline(always)]
    #[must_use]
    pub unsafe fn cast<U>(&self) -> Maybe<'a, U> {
        // SAFETY: the first `size_of::<U>()` bytes are within `self`'s (caller's promise); the
        // address is unchanged, hence non-null and in the same allocation.
        unsafe { Maybe::new_unchecked(self.ptr.cast::<U>(), core::mem::size_of::<U>()) }
    }
}

impl<'a, E> Maybe<'a, [E]> {
    /// The number of elements of a slice candidate.
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    /// /// Flags whose first element must be set.
    /// #[repr(transparent)]
    /// struct Flags([bool]);
    /// // SAFETY: `Flags` is `[bool]`; the check requires every element to be a valid `bool`.
    /// unsafe impl TryFromBytes for Flags {
    ///     fn is_bit_valid(c: Maybe<'_, Self>) -> bool {
    ///         // SAFETY: `repr(transparent)`: same address, metadata and size.
    ///         let slice = unsafe { c.project_transparent(|p| p as *mut [bool]) };
    ///         slice.elem_count() > 0
    ///             && slice.element(0).is_some_and(|f| f.bytes() == [1])
    ///             && slice.elements().all(bool::is_bit_valid)
    ///     }
    /// }
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn elem_count(&self) -> usize {
        self.ptr.len()
    }

    /// Element `i` of a slice candidate, if it exists.
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    /// /// Flags whose first element must be set.
    /// #[repr(transparent)]
    /// struct Flags([bool]);
    /// // SAFETY: `Flags` is `[bool]`; the check requires every element to be a valid `bool`.
    /// unsafe impl TryFromBytes for Flags {
    ///     fn is_bit_valid(c: Maybe<'_, Self>) -> bool {
    ///         // SAFETY: `repr(transparent)`: same address, metadata and size.
    ///         let slice = unsafe { c.project_transparent(|p| p as *mut [bool]) };
    ///         slice.elem_count() > 0
    ///             && slice.element(0).is_some_and(|f| f.bytes() == [1])
    ///             && slice.elements().all(bool::is_bit_valid)
    ///     }
    /// }
    /// ```
    #[inline(always)]
    #[must_use]
    pub fn element(&self, i: usize) -> Option<Maybe<'a, E>> {
        if i >= self.elem_count() {
            return None;
        }
        let size = core::mem::size_of::<E>();
        // `i < len`, so `i * size < len * size == self.len`: no overflow.
        let offset = i * size;
        // SAFETY: `offset + size <= self.len`, so the result stays within the allocation
        // `self.ptr` points into (`NonNull::add`'s requirement).
        let elem = unsafe { self.ptr.cast::<E>().byte_add(offset) };
        // SAFETY: the element's `size` bytes are a sub-range of `self`'s bytes, which satisfy
        // the invariant for `'a`.
        Some(unsafe { Maybe::new_unchecked(elem, size) })
    }

    /// Iterates over the elements of a slice candidate.
    ///
    /// ```
    /// use zerocast::{Maybe, TryFromBytes};
    /// /// Flags whose first element must be set.
    /// #[repr(transparent)]
    /// struct Flags([bool]);
    /// // SAFETY: `Flags` is `[bool]`; the check requires every element to be a valid `bool`.
    /// unsafe impl TryFromBytes for Flags {
    ///     fn is_bit_valid(c: Maybe<'_, Self>) -> bool {
    ///         // SAFETY: `repr(transparent)`: same address, metadata and size.
    ///         let slice = unsafe { c.project_transparent(|p| p as *mut [bool]) };
    ///         slice.elem_count() > 0
    ///             && slice.element(0).is_some_and(|f| f.bytes() == [1])
    ///             && slice.elements().all(bool::is_bit_valid)
    ///     }
    /// }
    /// ```
    pub fn elements(&self) -> impl Iterator<Item = Maybe<'a, E>> {
        let this = *self;
        (0..this.elem_count()).filter_map(move |i| this.element(i))
    }
}
