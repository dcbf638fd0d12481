//! Using a built [`Ref`]: borrowing the `T`, converting into plain
//! references, reading and writing by value, the bytes, and the std traits.

use core::cmp::Ordering;
use core::fmt::{self, Debug, Display, Formatter};
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};

use super::Ref;
use crate::byte_slice::{ByteSlice, ByteSliceMut, IntoByteSlice, IntoByteSliceMut};
use crate::cast::AssertRefNotZstDst;
use crate::known_layout::KnownLayout;
use crate::{FromBytes, Immutable, IntoBytes};

/// A pointer to the `T` stored in `bytes`, with `bytes`' provenance.
#[inline(always)]
fn typed<T: ?Sized + KnownLayout>(bytes: NonNull<[u8]>, meta: T::PointerMetadata) -> NonNull<T> {
    T::raw_from_ptr_len(bytes.cast::<u8>(), meta)
}

impl<'a, B, T> Ref<B, T>
where
    B: 'a + IntoByteSlice<'a>,
    T: FromBytes + KnownLayout + Immutable + ?Sized,
{
    /// Turns the `Ref` into a plain `&'a T` borrowing the same bytes.
    ///
    /// Only containers that own nothing (`&[u8]`, `&mut [u8]`) can do this:
    /// a `Ref` over a `RefCell` guard has no `into_ref`, because the
    /// reference would outlive the guard.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// fn first_pair(bytes: &[u8]) -> Option<&[u8; 2]> {
    ///     let (r, _) = Ref::<_, [u8; 2]>::from_prefix(bytes).ok()?;
    ///     Some(Ref::into_ref(r))
    /// }
    /// assert_eq!(first_pair(&[1, 2, 3]), Some(&[1, 2]));
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn into_ref(r: Self) -> &'a T {
        // As zerocopy's `Ref`, which checks here too (no constructor builds such a `Ref`).
        let () = AssertRefNotZstDst::<T>::OK;
        let (bytes, meta) = r.into_checked_slice();
        let ptr = typed::<T>(NonNull::from(bytes), meta);
        // SAFETY: `Ref`'s invariant (kept by `IntoByteSlice`'s contract): `ptr` is
        // aligned for `T`, covers exactly `bytes` (initialized, shared for `'a`) with
        // their provenance (`KnownLayout`). Any initialized bytes are a valid `T`
        // (`FromBytes`), and `T: Immutable` has no `UnsafeCell`, so this `&T` next to
        // the `&[u8]` view allows no mutation.
        unsafe { ptr.as_ref() }
    }
}

impl<'a, B, T> Ref<B, T>
where
    B: 'a + IntoByteSliceMut<'a>,
    T: FromBytes + IntoBytes + KnownLayout + ?Sized,
{
    /// Turns the `Ref` into a plain `&'a mut T` borrowing the same bytes.
    ///
    /// ```
    /// use zerocast::Ref;
    ///
    /// let mut bytes = [0u8; 3];
    /// let (r, _) = Ref::<_, [u8; 2]>::from_prefix(&mut bytes[..]).unwrap();
    /// let pair: &mut [u8; 2] = Ref::into_mut(r);
    /// pair[1] = 9;
    /// assert_eq!(bytes, [0, 9, 0]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn into_mut(r: Self) -> &'a mut T {
        // As zerocopy's `Ref`, which checks here too (no constructor builds such a `Ref`).
        let () = AssertRefNotZstDst::<T>::OK;
        let (bytes, meta) = r.into_checked_slice_mut();
        let mut ptr = typed::<T>(NonNull::from(bytes), meta);
        // SAFETY: aligned and exactly covering `bytes` (the invariant, carried
        // by the `IntoByteSliceMut` contract); `bytes` is exclusively borrowed
        // for `'a` and initialized, and any initialized bytes are a valid `T`
        // (`T: FromBytes`). Whatever is written through the `&mut T` leaves
        // every byte initialized (`T: IntoBytes`: no padding), so the bytes
        // stay a valid `[u8]` once the borrow ends.
        unsafe { ptr.as_mut() }
    }
}

impl<B: ByteSlice, T: ?Sized> Ref<B, T> {
    /// The bytes under the `T`.
    ///
    /// ```
    /// use zerocast::Ref;
    /// let r = Ref::<_, [u8; 2]>::from_bytes(&[4u8, 5][..]).unwrap();
    /// assert_eq!(Ref::bytes(&r), &[4, 5]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn bytes(r: &Self) -> &[u8] {
        r.checked_bytes()
    }

    /// Gives the byte container back, ending the typed view.
    ///
    /// Unlike [`Ref::bytes`], this returns the container itself (for example
    /// the `cell::Ref` guard), so the caller can keep using it.
    ///
    /// ```
    /// use zerocast::Ref;
    /// let mut buf = [1u8, 2, 3, 4];
    /// let (header, _) = Ref::<_, [u8; 2]>::from_prefix(&mut buf[..]).unwrap();
    /// let raw: &mut [u8] = Ref::into_bytes(header);
    /// raw[0] = 7;
    /// assert_eq!(buf, [7, 2, 3, 4]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn into_bytes(r: Self) -> B {
        r.into_container()
    }
}

impl<B: ByteSliceMut, T: ?Sized> Ref<B, T> {
    /// The bytes under the `T`, mutably.
    ///
    /// ```
    /// use zerocast::Ref;
    /// let mut buf = [4u8, 5];
    /// let mut r = Ref::<_, [u8; 2]>::from_bytes(&mut buf[..]).unwrap();
    /// Ref::bytes_mut(&mut r)[0] = 6;
    /// assert_eq!(*r, [6, 5]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn bytes_mut(r: &mut Self) -> &mut [u8] {
        r.checked_bytes_mut()
    }
}

impl<B: ByteSlice, T: FromBytes> Ref<B, T> {
    /// Copies the `T` out.
    ///
    /// ```
    /// use zerocast::Ref;
    /// let r = Ref::<_, [u8; 2]>::from_bytes(&[1u8, 2][..]).unwrap();
    /// assert_eq!(Ref::read(&r), [1, 2]);
    /// ```
    #[must_use = "has no side effects"]
    #[inline(always)]
    pub fn read(r: &Self) -> T {
        let bytes = r.checked_bytes();
        // SAFETY: by `Ref`'s invariant `bytes` starts at an address aligned
        // for `T` and has length `size_of::<T>()` (`T` is sized), so the read
        // is in bounds and aligned; the bytes are initialized (a `[u8]`) and
        // any initialized bytes are a valid `T` (`T: FromBytes`).
        unsafe { ptr::read(bytes.as_ptr().cast::<T>()) }
    }
}

impl<B: ByteSliceMut, T: IntoBytes> Ref<B, T> {
    /// Overwrites the `T` with `t`.
    ///
    /// The old value is not dropped (it is bytes), and `t` is not dropped
    /// either: its bytes now live in the buffer.
    ///
    /// ```
    /// use zerocast::Ref;
    /// let mut buf = [0u8; 2];
    /// let mut r = Ref::<_, [u8; 2]>::from_bytes(&mut buf[..]).unwrap();
    /// Ref::write(&mut r, [8, 9]);
    /// assert_eq!(buf, [8, 9]);
    /// ```
    #[inline(always)]
    pub fn write(r: &mut Self, t: T) {
        let bytes = r.checked_bytes_mut();
        // SAFETY: aligned for `T` and exactly `size_of::<T>()` long (the
        // invariant), exclusively borrowed, so valid for the write. `T:
        // IntoBytes` means `t` has no padding or other uninitialized bytes, so
        // afterwards every byte of the buffer is still an initialized `u8`.
        unsafe { ptr::write(bytes.as_mut_ptr().cast::<T>(), t) }
    }
}

impl<B, T> Deref for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + KnownLayout + Immutable + ?Sized,
{
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        // As zerocopy's `Ref`, which checks here too (no constructor builds such a `Ref`).
        let () = AssertRefNotZstDst::<T>::OK;
        let ptr = typed::<T>(NonNull::from(self.checked_bytes()), self.meta());
        // SAFETY: as in `into_ref`, for the lifetime of `&self`: the bytes are
        // aligned, exactly the `T`'s size, initialized and shared-borrowed
        // while `&self` lives; `T: FromBytes + Immutable`.
        unsafe { ptr.as_ref() }
    }
}

impl<B, T> DerefMut for Ref<B, T>
where
    B: ByteSliceMut,
    T: FromBytes + IntoBytes + KnownLayout + Immutable + ?Sized,
{
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // As zerocopy's `Ref`, which checks here too (no constructor builds such a `Ref`).
        let () = AssertRefNotZstDst::<T>::OK;
        let meta = self.meta();
        let mut ptr = typed::<T>(NonNull::from(self.checked_bytes_mut()), meta);
        // SAFETY: as in `into_mut`, for the lifetime of `&mut self`.
        unsafe { ptr.as_mut() }
    }
}

impl<B, T> Display for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + Display + KnownLayout + Immutable + ?Sized,
{
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        Display::fmt(self.deref(), f)
    }
}

impl<B, T> Debug for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + Debug + KnownLayout + Immutable + ?Sized,
{
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Ref").field(&self.deref()).finish()
    }
}

impl<B, T> PartialEq for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + PartialEq + KnownLayout + Immutable + ?Sized,
{
    fn eq(&self, other: &Self) -> bool {
        self.deref().eq(other.deref())
    }
}

impl<B, T> Eq for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + Eq + KnownLayout + Immutable + ?Sized,
{
}

impl<B, T> PartialOrd for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + PartialOrd + KnownLayout + Immutable + ?Sized,
{
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.deref().partial_cmp(other.deref())
    }
}

impl<B, T> Ord for Ref<B, T>
where
    B: ByteSlice,
    T: FromBytes + Ord + KnownLayout + Immutable + ?Sized,
{
    fn cmp(&self, other: &Self) -> Ordering {
        self.deref().cmp(other.deref())
    }
}
