//! [`IntoBytes`]: types whose every byte is initialized (no padding), so a value can be viewed
//! or copied as bytes.

use crate::{FromBytes, Immutable, SizeError};

/// A type with no uninitialized bytes: no padding, no `MaybeUninit`, no unions with gaps.
///
/// # Safety
///
/// An implementer promises that every byte of every valid `Self` (for every pointer
/// metadata) is initialized, so that `Self`'s bytes may be read as `[u8]`.
///
/// ```
/// use zerocast::IntoBytes;
/// assert_eq!(0x0102u16.to_be().as_bytes(), &[1, 2]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` may have uninitialized bytes (padding, `MaybeUninit`, pointers): it is not `IntoBytes`",
    note = "add `#[derive(IntoBytes)]` to a `repr(C)`/`repr(transparent)`/`repr(packed)` type without padding"
)]
pub unsafe trait IntoBytes {
    /// Makes hand-written impls spell out a hidden item on purpose; derive instead.
    #[doc(hidden)]
    fn only_derive_is_allowed_to_implement_this_trait()
    where
        Self: Sized;

    /// The bytes of `self`.
    ///
    /// ```
    /// use zerocast::IntoBytes;
    /// assert_eq!([1u8, 2, 3].as_bytes(), &[1, 2, 3]);
    /// assert_eq!(1u32.to_le().as_bytes(), &[1, 0, 0, 0]);
    /// ```
    #[inline(always)]
    fn as_bytes(&self) -> &[u8]
    where
        Self: Immutable,
    {
        let len = core::mem::size_of_val(self);
        let ptr: *const Self = self;
        // SAFETY: `ptr` comes from `&self`, valid for reads of `len` bytes for the borrow;
        // every one of them is initialized (`IntoBytes`); `u8` needs no alignment; and they
        // cannot change while the `&[u8]` lives because `Self: Immutable` has no
        // `UnsafeCell`. `len <= isize::MAX` because it is the size of a value.
        unsafe { core::slice::from_raw_parts(ptr.cast::<u8>(), len) }
    }

    /// The bytes of `self`, writable: any bytes written are a valid `Self` (`FromBytes`).
    ///
    /// ```
    /// use zerocast::IntoBytes;
    /// let mut v = [0u16; 2];
    /// v.as_mut_bytes()[3] = 1;
    /// assert_eq!(v[1], u16::from_ne_bytes([0, 1]));
    /// ```
    #[inline(always)]
    fn as_mut_bytes(&mut self) -> &mut [u8]
    where
        Self: FromBytes,
    {
        let len = core::mem::size_of_val(self);
        let ptr: *mut Self = self;
        // SAFETY: `ptr` comes from `&mut self`: valid for reads and writes of `len` bytes,
        // exclusively, for the borrow. They are all initialized (`IntoBytes`), and whatever
        // the caller writes leaves a valid `Self` (`FromBytes`).
        unsafe { core::slice::from_raw_parts_mut(ptr.cast::<u8>(), len) }
    }

    /// Copies `self`'s bytes into `dst`, which must have exactly the same length.
    ///
    /// ```
    /// use zerocast::IntoBytes;
    /// let mut dst = [0u8; 2];
    /// [7u8, 8].write_to(&mut dst).unwrap();
    /// assert_eq!(dst, [7, 8]);
    /// assert!([7u8, 8].write_to(&mut [0u8; 3]).is_err());
    /// ```
    #[inline(always)]
    fn write_to(&self, dst: &mut [u8]) -> Result<(), SizeError<&Self, &mut [u8]>>
    where
        Self: Immutable,
    {
        let src = self.as_bytes();
        if src.len() != dst.len() {
            return Err(SizeError::new(self));
        }
        dst.copy_from_slice(src);
        Ok(())
    }

    /// Copies `self`'s bytes into the start of `dst`.
    ///
    /// ```
    /// use zerocast::IntoBytes;
    /// let mut dst = [0u8; 3];
    /// [7u8, 8].write_to_prefix(&mut dst).unwrap();
    /// assert_eq!(dst, [7, 8, 0]);
    /// ```
    #[inline(always)]
    fn write_to_prefix(&self, dst: &mut [u8]) -> Result<(), SizeError<&Self, &mut [u8]>>
    where
        Self: Immutable,
    {
        let src = self.as_bytes();
        match dst.get_mut(..src.len()) {
            Some(d) => {
                d.copy_from_slice(src);
                Ok(())
            }
            None => Err(SizeError::new(self)),
        }
    }

    /// Copies `self`'s bytes into the end of `dst`.
    ///
    /// ```
    /// use zerocast::IntoBytes;
    /// let mut dst = [0u8; 3];
    /// [7u8, 8].write_to_suffix(&mut dst).unwrap();
    /// assert_eq!(dst, [0, 7, 8]);
    /// ```
    #[inline(always)]
    fn write_to_suffix(&self, dst: &mut [u8]) -> Result<(), SizeError<&Self, &mut [u8]>>
    where
        Self: Immutable,
    {
        let src = self.as_bytes();
        let start = match dst.len().checked_sub(src.len()) {
            Some(s) => s,
            None => return Err(SizeError::new(self)),
        };
        match dst.get_mut(start..) {
            Some(d) => {
                d.copy_from_slice(src);
                Ok(())
            }
            None => Err(SizeError::new(self)),
        }
    }

    /// Writes `self`'s bytes to `dst`.
    ///
    /// ```
    /// use zerocast::IntoBytes;
    /// let mut out = Vec::new();
    /// [1u8, 2].write_to_io(&mut out).unwrap();
    /// assert_eq!(out, [1, 2]);
    /// ```
    #[cfg(feature = "std")]
    #[inline]
    fn write_to_io<W>(&self, mut dst: W) -> std::io::Result<()>
    where
        Self: Immutable,
        W: std::io::Write,
    {
        dst.write_all(self.as_bytes())
    }

    /// Old name of [`as_mut_bytes`](Self::as_mut_bytes).
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use zerocast::IntoBytes;
    /// let mut v = 0u8;
    /// v.as_bytes_mut()[0] = 3;
    /// assert_eq!(v, 3);
    /// ```
    #[deprecated(since = "0.1.0", note = "use `IntoBytes::as_mut_bytes`")]
    #[doc(hidden)]
    #[inline]
    fn as_bytes_mut(&mut self) -> &mut [u8]
    where
        Self: FromBytes,
    {
        self.as_mut_bytes()
    }
}
