//! The parse cursor: [`BufferView`] takes bytes and typed objects off the front and back of
//! a byte slice, [`BufferViewMut`] adds zeroing and writing.
//!
//! A parser is written once against `BV: BufferView<B>` and works over `&[u8]` (read only)
//! and `&mut [u8]` (edit in place), because the pieces it takes are of type `B` and typed
//! objects are [`Ref<B, T>`]. Every method returns `None` instead of panicking when the
//! bytes run out, so a parser over untrusted bytes needs no length checks of its own.
//!
//! Cursors are implemented for `&mut &[u8]`, `&mut &mut [u8]` (the slice is advanced in
//! place), for [`BufView`](crate::BufView)/[`BufViewMut`](crate::BufViewMut) (the owning
//! [`Buf`](crate::Buf)'s body is advanced) and for `&mut BV` (so a parser can lend its cursor
//! to a sub-parser).

use core::mem;

use zerocast::{
    FromBytes, Immutable, IntoBytes, KnownLayout, Ref, SplitByteSlice, SplitByteSliceMut, Unaligned,
};

/// A cursor that takes bytes of type `B` off both ends of a byte sequence.
///
/// Typed takes require `T: Unaligned`: a cursor position has no alignment guarantee, so an
/// aligned `T` would make parsing succeed or fail depending on where the packet happens to
/// sit in memory. Network headers are built from alignment-1 fields for this reason.
///
/// # Example
///
/// ```
/// use zerocast_packet::BufferView;
///
/// let mut bytes = &[0x45u8, 0, 0, 20, 1, 2][..];
/// let mut view = &mut bytes;
/// assert_eq!(view.take_byte_front(), Some(0x45));
/// let rest_of_header = view.take_front(3).unwrap();
/// assert_eq!(rest_of_header, &[0, 0, 20]);
/// assert_eq!(view.take_byte_back(), Some(2));
/// assert_eq!(bytes, &[1]);
/// ```
pub trait BufferView<B: SplitByteSlice>: Sized + AsRef<[u8]> {
    /// Takes `n` bytes off the front, or returns `None` (consuming nothing) if there are
    /// fewer than `n`.
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// assert_eq!((&mut bytes).take_front(2), Some(&[1u8, 2][..]));
    /// assert_eq!((&mut bytes).take_front(2), None);
    /// assert_eq!(bytes, &[3]);
    /// ```
    fn take_front(&mut self, n: usize) -> Option<B>;

    /// Takes `n` bytes off the back, or returns `None` (consuming nothing) if there are
    /// fewer than `n`.
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// assert_eq!((&mut bytes).take_back(2), Some(&[2u8, 3][..]));
    /// assert_eq!(bytes, &[1]);
    /// ```
    fn take_back(&mut self, n: usize) -> Option<B>;

    /// Consumes the cursor, returning the bytes not taken *without consuming them* from
    /// the underlying buffer: this is how a packet parser gets its body and leaves it in
    /// the buffer for the next layer. (Through `&mut BV` the bytes are taken, since a
    /// borrowed cursor cannot hand out its bytes and keep them.)
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// let mut view = &mut bytes;
    /// view.take_front(1);
    /// assert_eq!(view.into_rest(), &[2, 3]);
    /// ```
    fn into_rest(self) -> B;

    /// The number of bytes not yet taken.
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// assert_eq!(BufferView::len(&&mut bytes), 3);
    /// ```
    #[inline]
    fn len(&self) -> usize {
        self.as_ref().len()
    }

    /// Whether all bytes have been taken.
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[][..];
    /// assert!(BufferView::is_empty(&&mut bytes));
    /// ```
    #[inline]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes all remaining bytes (as if from the front).
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2][..];
    /// assert_eq!((&mut bytes).take_rest_front(), &[1, 2]);
    /// assert!(bytes.is_empty());
    /// ```
    #[inline]
    fn take_rest_front(&mut self) -> B {
        let n = self.len();
        // Taking exactly `len()` bytes cannot fail; the fallback is unreachable but keeps
        // this path free of panics.
        match self.take_front(n) {
            Some(b) => b,
            None => unreachable_empty(self),
        }
    }

    /// Takes all remaining bytes (as if from the back).
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2][..];
    /// assert_eq!((&mut bytes).take_rest_back(), &[1, 2]);
    /// ```
    #[inline]
    fn take_rest_back(&mut self) -> B {
        let n = self.len();
        match self.take_back(n) {
            Some(b) => b,
            None => unreachable_empty(self),
        }
    }

    /// Takes up to `n` bytes off the front: all of them if there are that many, otherwise
    /// all that remain (lenient parsing of truncated packets).
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// assert_eq!((&mut bytes).take_front_at_most(2), &[1, 2]);
    /// assert_eq!((&mut bytes).take_front_at_most(5), &[3]);
    /// ```
    #[inline]
    fn take_front_at_most(&mut self, n: usize) -> B {
        let n = n.min(self.len());
        match self.take_front(n) {
            Some(b) => b,
            None => unreachable_empty(self),
        }
    }

    /// Takes one byte off the front.
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[7u8][..];
    /// assert_eq!((&mut bytes).take_byte_front(), Some(7));
    /// assert_eq!((&mut bytes).take_byte_front(), None);
    /// ```
    #[inline]
    fn take_byte_front(&mut self) -> Option<u8> {
        self.take_front(1).and_then(|b| b.first().copied())
    }

    /// Takes one byte off the back.
    ///
    /// ```
    /// # use zerocast_packet::BufferView;
    /// let mut bytes = &[7u8, 8][..];
    /// assert_eq!((&mut bytes).take_byte_back(), Some(8));
    /// ```
    #[inline]
    fn take_byte_back(&mut self) -> Option<u8> {
        self.take_back(1).and_then(|b| b.first().copied())
    }

    /// Takes a `T` off the front, as a reference into the bytes.
    ///
    /// ```
    /// use zerocast_packet::BufferView;
    /// use zerocast::byteorder::network_endian::U16;
    ///
    /// let mut bytes = &[0x08u8, 0x00, 0xff][..];
    /// let ethertype = (&mut bytes).take_obj_front::<U16>().unwrap();
    /// assert_eq!(ethertype.get(), 0x0800);
    /// assert_eq!(bytes, &[0xff]);
    /// ```
    #[inline]
    fn take_obj_front<T>(&mut self) -> Option<Ref<B, T>>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        let bytes = self.take_front(mem::size_of::<T>())?;
        // Exactly `size_of::<T>()` bytes and `T: Unaligned`: the cast cannot fail.
        Ref::from_bytes(bytes).ok()
    }

    /// Takes a `T` off the back, as a reference into the bytes.
    ///
    /// ```
    /// use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// let last = (&mut bytes).take_obj_back::<[u8; 2]>().unwrap();
    /// assert_eq!(*last, [2, 3]);
    /// ```
    #[inline]
    fn take_obj_back<T>(&mut self) -> Option<Ref<B, T>>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        let bytes = self.take_back(mem::size_of::<T>())?;
        Ref::from_bytes(bytes).ok()
    }

    /// Takes `n` consecutive `T`s off the front, as a slice reference into the bytes.
    ///
    /// Returns `None` if the byte count overflows or not enough bytes remain.
    ///
    /// ```
    /// use zerocast_packet::BufferView;
    /// use zerocast::byteorder::network_endian::U16;
    ///
    /// let mut bytes = &[0u8, 1, 0, 2, 9][..];
    /// let words = (&mut bytes).take_slice_front::<U16>(2).unwrap();
    /// assert_eq!(words.iter().map(|w| w.get()).collect::<Vec<_>>(), [1, 2]);
    /// assert_eq!(bytes, &[9]);
    /// ```
    #[inline]
    fn take_slice_front<T>(&mut self, n: usize) -> Option<Ref<B, [T]>>
    where
        T: FromBytes + Immutable + Unaligned,
    {
        let len = mem::size_of::<T>().checked_mul(n)?;
        let bytes = self.take_front(len)?;
        Ref::from_bytes_with_elems(bytes, n).ok()
    }

    /// Takes `n` consecutive `T`s off the back, as a slice reference into the bytes.
    ///
    /// ```
    /// use zerocast_packet::BufferView;
    /// let mut bytes = &[1u8, 2, 3][..];
    /// let tail = (&mut bytes).take_slice_back::<u8>(2).unwrap();
    /// assert_eq!(&*tail, &[2, 3]);
    /// ```
    #[inline]
    fn take_slice_back<T>(&mut self, n: usize) -> Option<Ref<B, [T]>>
    where
        T: FromBytes + Immutable + Unaligned,
    {
        let len = mem::size_of::<T>().checked_mul(n)?;
        let bytes = self.take_back(len)?;
        Ref::from_bytes_with_elems(bytes, n).ok()
    }

    /// Reads a `T` at the front without consuming it.
    ///
    /// ```
    /// use zerocast_packet::BufferView;
    /// let mut bytes = &[4u8, 5][..];
    /// let view = &mut bytes;
    /// assert_eq!(view.peek_obj_front::<u8>(), Some(&4));
    /// assert_eq!(view.len(), 2);
    /// ```
    #[inline]
    fn peek_obj_front<T>(&self) -> Option<&T>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        T::ref_from_prefix(self.as_ref()).ok().map(|(t, _)| t)
    }

    /// Reads a `T` at the back without consuming it.
    ///
    /// ```
    /// use zerocast_packet::BufferView;
    /// let mut bytes = &[4u8, 5][..];
    /// assert_eq!((&mut bytes).peek_obj_back::<u8>(), Some(&5));
    /// ```
    #[inline]
    fn peek_obj_back<T>(&self) -> Option<&T>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        T::ref_from_suffix(self.as_ref()).ok().map(|(_, t)| t)
    }
}

/// Recovers from a cursor that claimed `len()` bytes but could not hand them out. Such a
/// cursor breaks [`BufferView`]'s contract; returning an empty tail is harmless, panicking is
/// not.
fn unreachable_empty<B: SplitByteSlice, BV: BufferView<B>>(view: &mut BV) -> B {
    match view.take_front(0) {
        Some(b) => b,
        // A cursor that cannot even give zero bytes is unusable; take_back(0) is the
        // last thing to try before giving up.
        None => match view.take_back(0) {
            Some(b) => b,
            None => panic!("BufferView implementation cannot take zero bytes"),
        },
    }
}

/// A [`BufferView`] over mutable bytes: zeroing takes and writing objects.
///
/// ```
/// use zerocast_packet::BufferViewMut;
///
/// let mut storage = [0xFFu8; 4];
/// let mut bytes = &mut storage[..];
/// let mut view = &mut bytes;
/// view.write_obj_front(&[1u8, 2]).unwrap();
/// view.take_front_zero(1).unwrap();
/// assert_eq!(storage, [1, 2, 0, 0xFF]);
/// ```
pub trait BufferViewMut<B: SplitByteSliceMut>: BufferView<B> + AsMut<[u8]> {
    /// Takes `n` bytes off the front and zeroes them.
    ///
    /// ```
    /// # use zerocast_packet::BufferViewMut;
    /// let mut storage = [9u8; 3];
    /// let mut bytes = &mut storage[..];
    /// assert_eq!((&mut bytes).take_front_zero(2).as_deref(), Some(&[0u8, 0][..]));
    /// ```
    #[inline]
    fn take_front_zero(&mut self, n: usize) -> Option<B> {
        let mut bytes = self.take_front(n)?;
        bytes.fill(0);
        Some(bytes)
    }

    /// Takes `n` bytes off the back and zeroes them.
    ///
    /// ```
    /// # use zerocast_packet::BufferViewMut;
    /// let mut storage = [9u8; 3];
    /// let mut bytes = &mut storage[..];
    /// (&mut bytes).take_back_zero(1).unwrap();
    /// assert_eq!(storage, [9, 9, 0]);
    /// ```
    #[inline]
    fn take_back_zero(&mut self, n: usize) -> Option<B> {
        let mut bytes = self.take_back(n)?;
        bytes.fill(0);
        Some(bytes)
    }

    /// Takes a `T` off the front with all bytes zeroed, ready to be filled in.
    ///
    /// ```
    /// use zerocast_packet::BufferViewMut;
    /// use zerocast::byteorder::network_endian::U16;
    ///
    /// let mut storage = [0xFFu8; 2];
    /// let mut bytes = &mut storage[..];
    /// let mut word = (&mut bytes).take_obj_front_zero::<U16>().unwrap();
    /// assert_eq!(word.get(), 0);
    /// word.set(0x1234);
    /// assert_eq!(storage, [0x12, 0x34]);
    /// ```
    #[inline]
    fn take_obj_front_zero<T>(&mut self) -> Option<Ref<B, T>>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        let bytes = self.take_front_zero(mem::size_of::<T>())?;
        Ref::from_bytes(bytes).ok()
    }

    /// Takes a `T` off the back with all bytes zeroed.
    ///
    /// ```
    /// # use zerocast_packet::BufferViewMut;
    /// let mut storage = [0xFFu8; 3];
    /// let mut bytes = &mut storage[..];
    /// let b = (&mut bytes).take_obj_back_zero::<u8>().unwrap();
    /// assert_eq!(*b, 0);
    /// ```
    #[inline]
    fn take_obj_back_zero<T>(&mut self) -> Option<Ref<B, T>>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        let bytes = self.take_back_zero(mem::size_of::<T>())?;
        Ref::from_bytes(bytes).ok()
    }

    /// Takes `size_of::<T>()` bytes off the front and writes `obj` into them.
    ///
    /// ```
    /// # use zerocast_packet::BufferViewMut;
    /// let mut storage = [0u8; 3];
    /// let mut bytes = &mut storage[..];
    /// (&mut bytes).write_obj_front(&[7u8, 8]).unwrap();
    /// assert_eq!(storage, [7, 8, 0]);
    /// ```
    #[inline]
    fn write_obj_front<T: IntoBytes + Immutable + ?Sized>(&mut self, obj: &T) -> Option<()> {
        let src = obj.as_bytes();
        let mut bytes = self.take_front(src.len())?;
        bytes.copy_from_slice(src);
        Some(())
    }

    /// Takes `size_of::<T>()` bytes off the back and writes `obj` into them.
    ///
    /// ```
    /// # use zerocast_packet::BufferViewMut;
    /// let mut storage = [0u8; 3];
    /// let mut bytes = &mut storage[..];
    /// (&mut bytes).write_obj_back(&9u8).unwrap();
    /// assert_eq!(storage, [0, 0, 9]);
    /// ```
    #[inline]
    fn write_obj_back<T: IntoBytes + Immutable + ?Sized>(&mut self, obj: &T) -> Option<()> {
        let src = obj.as_bytes();
        let mut bytes = self.take_back(src.len())?;
        bytes.copy_from_slice(src);
        Some(())
    }
}

impl<'a> BufferView<&'a [u8]> for &mut &'a [u8] {
    #[inline]
    fn take_front(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.split_at_checked(n)?;
        **self = rest;
        Some(taken)
    }

    #[inline]
    fn take_back(&mut self, n: usize) -> Option<&'a [u8]> {
        let split = self.len().checked_sub(n)?;
        let (rest, taken) = self.split_at(split);
        **self = rest;
        Some(taken)
    }

    #[inline]
    fn into_rest(self) -> &'a [u8] {
        self
    }
}

impl<'a> BufferView<&'a mut [u8]> for &mut &'a mut [u8] {
    #[inline]
    fn take_front(&mut self, n: usize) -> Option<&'a mut [u8]> {
        if n > self.len() {
            return None;
        }
        let (taken, rest) = mem::take(&mut **self).split_at_mut(n);
        **self = rest;
        Some(taken)
    }

    #[inline]
    fn take_back(&mut self, n: usize) -> Option<&'a mut [u8]> {
        let split = self.len().checked_sub(n)?;
        let (rest, taken) = mem::take(&mut **self).split_at_mut(split);
        **self = rest;
        Some(taken)
    }

    #[inline]
    fn into_rest(self) -> &'a mut [u8] {
        mem::take(self)
    }
}

impl<'a> BufferViewMut<&'a mut [u8]> for &mut &'a mut [u8] {}

impl<B: SplitByteSlice, BV: BufferView<B>> BufferView<B> for &mut BV {
    #[inline]
    fn take_front(&mut self, n: usize) -> Option<B> {
        (**self).take_front(n)
    }

    #[inline]
    fn take_back(&mut self, n: usize) -> Option<B> {
        (**self).take_back(n)
    }

    /// Takes the rest through the borrow (the lender's cursor ends up empty).
    #[inline]
    fn into_rest(self) -> B {
        self.take_rest_front()
    }
}

impl<B: SplitByteSliceMut, BV: BufferViewMut<B>> BufferViewMut<B> for &mut BV {}
