//! [`Buf`], the concrete buffer over any byte storage, its parse cursors, and [`EmptyBuf`].
//!
//! `Buf<B>` pairs storage (`Vec<u8>`, an array, `&mut [u8]`, ...) with the range that is the
//! body; everything outside the range is prefix or suffix. Its cursors [`BufView`] and
//! [`BufViewMut`] are what a [`ParsablePacket`] sees when parsed from a `Buf`: each byte they
//! hand out moves the body boundary, so the `Buf` knows what was consumed.

use core::ops::{Bound, Range, RangeBounds};

use crate::buffer::{GrowBuffer, GrowBufferMut, ParseBuffer, ParseBufferMut};
use crate::parse::ParsablePacket;
use crate::view::{BufferView, BufferViewMut};

/// A buffer over storage `B`, with a body range inside it.
///
/// Invariant: `body.start <= body.end <= buf.as_ref().len()`; every method keeps it, so
/// slicing with `body` never panics.
///
/// # Example
///
/// ```
/// use zerocast_packet::{Buf, GrowBuffer, ParseBuffer};
///
/// let mut buf = Buf::new(vec![0u8, 1, 2, 3], 1..3);
/// assert_eq!(buf.as_ref(), &[1, 2]);
/// buf.reset();
/// assert_eq!(buf.len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buf<B> {
    buf: B,
    /// The body; always within `buf` (see the type's invariant).
    body: Range<usize>,
}

impl<B: AsRef<[u8]>> Buf<B> {
    /// Wraps `buf` with the body `body` (any range syntax: `..`, `2..`, `1..5`).
    ///
    /// # Panics
    ///
    /// Panics if the range is decreasing or extends past the end of `buf`.
    ///
    /// ```
    /// # use zerocast_packet::Buf;
    /// let buf = Buf::new([1u8, 2, 3], 1..);
    /// assert_eq!(buf.as_ref(), &[2, 3]);
    /// ```
    #[inline]
    pub fn new<R: RangeBounds<usize>>(buf: B, body: R) -> Buf<B> {
        let len = buf.as_ref().len();
        let start = match body.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.checked_add(1).expect("range start overflows"),
            Bound::Unbounded => 0,
        };
        let end = match body.end_bound() {
            Bound::Included(&e) => e.checked_add(1).expect("range end overflows"),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => len,
        };
        assert!(
            start <= end && end <= len,
            "body range {start}..{end} is not within a buffer of {len} bytes"
        );
        Buf {
            buf,
            body: start..end,
        }
    }

    /// Returns the storage, dropping the body boundaries.
    ///
    /// ```
    /// # use zerocast_packet::Buf;
    /// assert_eq!(Buf::new([1u8, 2], 1..).into_inner(), [1, 2]);
    /// ```
    #[inline]
    pub fn into_inner(self) -> B {
        self.buf
    }

    /// The body's range within the storage.
    ///
    /// ```
    /// # use zerocast_packet::Buf;
    /// assert_eq!(Buf::new([0u8; 9], 2..5).body_range(), 2..5);
    /// ```
    #[inline]
    pub fn body_range(&self) -> Range<usize> {
        self.body.clone()
    }

    /// A parse cursor over the body; consuming from it shrinks this buffer's body.
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferView};
    /// let mut buf = Buf::new([1u8, 2, 3], ..);
    /// let mut view = buf.buffer_view();
    /// assert_eq!(view.take_byte_front(), Some(1));
    /// assert_eq!(buf.as_ref(), &[2, 3]);
    /// ```
    #[inline]
    pub fn buffer_view(&mut self) -> BufView<'_, '_> {
        BufView {
            bytes: &self.buf.as_ref()[self.body.clone()],
            body: &mut self.body,
        }
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Buf<B> {
    /// A mutable parse cursor over the body; consuming from it shrinks this buffer's body.
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferViewMut};
    /// let mut buf = Buf::new([1u8, 2, 3], ..);
    /// let mut view = buf.buffer_view_mut();
    /// view.take_front_zero(1);
    /// assert_eq!(buf.into_inner(), [0, 2, 3]);
    /// ```
    #[inline]
    pub fn buffer_view_mut(&mut self) -> BufViewMut<'_, '_> {
        BufViewMut {
            bytes: &mut self.buf.as_mut()[self.body.clone()],
            body: &mut self.body,
        }
    }
}

impl<B: AsRef<[u8]>> AsRef<[u8]> for Buf<B> {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        &self.buf.as_ref()[self.body.clone()]
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> AsMut<[u8]> for Buf<B> {
    #[inline]
    fn as_mut(&mut self) -> &mut [u8] {
        &mut self.buf.as_mut()[self.body.clone()]
    }
}

impl<B: AsRef<[u8]>> ParseBuffer for Buf<B> {
    #[inline]
    fn shrink_front(&mut self, n: usize) {
        assert!(
            n <= self.len(),
            "cannot shrink {n} bytes off a {}-byte body",
            self.len()
        );
        self.body.start += n;
    }

    #[inline]
    fn shrink_back(&mut self, n: usize) {
        assert!(
            n <= self.len(),
            "cannot shrink {n} bytes off a {}-byte body",
            self.len()
        );
        self.body.end -= n;
    }

    /// Parses a packet; if parsing fails, the body is restored to what it was before.
    #[inline]
    fn parse_with<'a, A, P: ParsablePacket<&'a [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error> {
        let saved = self.body.clone();
        let Buf { buf, body } = self;
        let bytes = &B::as_ref(buf)[saved.clone()];
        // The view borrows `body` only for the call (`P` cannot hold the view: its type
        // does not mention the view's lifetime), so the range can be restored on error.
        match P::parse(
            BufView {
                bytes,
                body: &mut *body,
            },
            args,
        ) {
            Ok(p) => Ok(p),
            Err(e) => {
                *body = saved;
                Err(e)
            }
        }
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> ParseBufferMut for Buf<B> {
    /// Parses a packet; if parsing fails, the body range is restored (bytes the parser
    /// wrote, e.g. through a zeroing take, stay written).
    #[inline]
    fn parse_with_mut<'a, A, P: ParsablePacket<&'a mut [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error> {
        let saved = self.body.clone();
        let Buf { buf, body } = self;
        let bytes = &mut B::as_mut(buf)[saved.clone()];
        match P::parse_mut(
            BufViewMut {
                bytes,
                body: &mut *body,
            },
            args,
        ) {
            Ok(p) => Ok(p),
            Err(e) => {
                *body = saved;
                Err(e)
            }
        }
    }
}

impl<B: AsRef<[u8]>> GrowBuffer for Buf<B> {
    #[inline]
    fn parts(&self) -> (&[u8], &[u8], &[u8]) {
        let all = self.buf.as_ref();
        let (rest, suffix) = all.split_at(self.body.end);
        let (prefix, body) = rest.split_at(self.body.start);
        (prefix, body, suffix)
    }

    #[inline]
    fn prefix_len(&self) -> usize {
        self.body.start
    }

    #[inline]
    fn suffix_len(&self) -> usize {
        self.buf.as_ref().len() - self.body.end
    }

    #[inline]
    fn capacity(&self) -> usize {
        self.buf.as_ref().len()
    }

    #[inline]
    fn grow_front(&mut self, n: usize) {
        assert!(
            n <= self.body.start,
            "cannot grow {n} bytes into a {}-byte prefix",
            self.body.start
        );
        self.body.start -= n;
    }

    #[inline]
    fn grow_back(&mut self, n: usize) {
        let suffix = self.suffix_len();
        assert!(
            n <= suffix,
            "cannot grow {n} bytes into a {suffix}-byte suffix"
        );
        self.body.end += n;
    }

    #[inline]
    fn reset(&mut self) {
        self.body = 0..self.buf.as_ref().len();
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> GrowBufferMut for Buf<B> {
    #[inline]
    fn parts_mut(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]) {
        let all = self.buf.as_mut();
        let (rest, suffix) = all.split_at_mut(self.body.end);
        let (prefix, body) = rest.split_at_mut(self.body.start);
        (prefix, body, suffix)
    }
}

/// A plain byte slice is a parse buffer with no prefix or suffix: parsing advances the
/// slice past what was consumed, so `&[u8]` can be parsed layer by layer without a
/// [`Buf`]. (It cannot grow back; wrap it in a `Buf` for `undo_parse`.)
///
/// ```
/// use zerocast_packet::ParseBuffer;
/// # use zerocast_packet::{BufferView, ParsablePacket, ParseMetadata};
/// # struct Byte(u8);
/// # impl<B: zerocast::SplitByteSlice> ParsablePacket<B, ()> for Byte {
/// #     type Error = ();
/// #     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, ()> {
/// #         bv.take_byte_front().map(Byte).ok_or(())
/// #     }
/// #     fn parse_metadata(&self) -> ParseMetadata { ParseMetadata::from_packet(1, 0, 0) }
/// # }
/// let mut bytes = &[1u8, 2, 3][..];
/// let first = bytes.parse::<Byte>().unwrap();
/// assert_eq!((first.0, bytes), (1, &[2u8, 3][..]));
/// bytes.shrink_back(1);
/// assert_eq!(bytes, &[2]);
/// ```
impl<'x> ParseBuffer for &'x [u8] {
    #[inline]
    fn shrink_front(&mut self, n: usize) {
        assert!(
            n <= self.len(),
            "cannot shrink {n} bytes off a {}-byte body",
            self.len()
        );
        *self = &self[n..];
    }

    #[inline]
    fn shrink_back(&mut self, n: usize) {
        assert!(
            n <= self.len(),
            "cannot shrink {n} bytes off a {}-byte body",
            self.len()
        );
        *self = &self[..self.len() - n];
    }

    /// Parses a packet; on success the slice is advanced past what the packet consumed,
    /// on failure it is left unchanged.
    #[inline]
    fn parse_with<'a, A, P: ParsablePacket<&'a [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error> {
        let bytes: &'x [u8] = self;
        let mut body = 0..bytes.len();
        let packet = P::parse(
            BufView {
                bytes,
                body: &mut body,
            },
            args,
        )?;
        // The view keeps `body` within `bytes`.
        *self = &bytes[body];
        Ok(packet)
    }
}

/// The parse cursor over a [`Buf`]'s body: taking bytes moves the `Buf`'s body boundary.
///
/// Obtained from [`Buf::buffer_view`] or handed to [`ParsablePacket::parse`] by
/// [`ParseBuffer::parse`].
///
/// ```
/// use zerocast_packet::{Buf, BufferView};
/// let mut buf = Buf::new([1u8, 2, 3, 4], ..);
/// let mut view = buf.buffer_view();
/// assert_eq!(view.take_back(1), Some(&[4u8][..]));
/// assert_eq!(buf.as_ref(), &[1, 2, 3]);
/// ```
#[derive(Debug)]
pub struct BufView<'a, 'b> {
    /// The not yet consumed bytes; always `&storage[*body]`.
    bytes: &'a [u8],
    body: &'b mut Range<usize>,
}

impl AsRef<[u8]> for BufView<'_, '_> {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.bytes
    }
}

impl<'a> BufferView<&'a [u8]> for BufView<'a, '_> {
    #[inline]
    fn take_front(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        self.body.start += n;
        Some(taken)
    }

    #[inline]
    fn take_back(&mut self, n: usize) -> Option<&'a [u8]> {
        let split = self.bytes.len().checked_sub(n)?;
        let (rest, taken) = self.bytes.split_at(split);
        self.bytes = rest;
        self.body.end -= n;
        Some(taken)
    }

    #[inline]
    fn into_rest(self) -> &'a [u8] {
        self.bytes
    }
}

/// The mutable parse cursor over a [`Buf`]'s body.
///
/// ```
/// use zerocast_packet::{Buf, BufferViewMut};
/// let mut buf = Buf::new([1u8, 2, 3], ..);
/// buf.buffer_view_mut().write_obj_front(&9u8);
/// assert_eq!(buf.into_inner(), [9, 2, 3]);
/// ```
#[derive(Debug)]
pub struct BufViewMut<'a, 'b> {
    /// The not yet consumed bytes; always `&mut storage[*body]`.
    bytes: &'a mut [u8],
    body: &'b mut Range<usize>,
}

impl AsRef<[u8]> for BufViewMut<'_, '_> {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.bytes
    }
}

impl AsMut<[u8]> for BufViewMut<'_, '_> {
    #[inline]
    fn as_mut(&mut self) -> &mut [u8] {
        self.bytes
    }
}

impl<'a> BufferView<&'a mut [u8]> for BufViewMut<'a, '_> {
    #[inline]
    fn take_front(&mut self, n: usize) -> Option<&'a mut [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (taken, rest) = core::mem::take(&mut self.bytes).split_at_mut(n);
        self.bytes = rest;
        self.body.start += n;
        Some(taken)
    }

    #[inline]
    fn take_back(&mut self, n: usize) -> Option<&'a mut [u8]> {
        let split = self.bytes.len().checked_sub(n)?;
        let (rest, taken) = core::mem::take(&mut self.bytes).split_at_mut(split);
        self.bytes = rest;
        self.body.end -= n;
        Some(taken)
    }

    #[inline]
    fn into_rest(self) -> &'a mut [u8] {
        self.bytes
    }
}

impl<'a> BufferViewMut<&'a mut [u8]> for BufViewMut<'a, '_> {}

/// A buffer of capacity zero: the "nothing to reuse" input of a serializer whose body is
/// written by an [`InnerPacketBuilder`](crate::InnerPacketBuilder).
///
/// ```
/// use zerocast_packet::{EmptyBuf, GrowBuffer, ParseBuffer};
/// assert_eq!(EmptyBuf.capacity(), 0);
/// assert!(EmptyBuf.is_empty());
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct EmptyBuf;

impl AsRef<[u8]> for EmptyBuf {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        &[]
    }
}

impl AsMut<[u8]> for EmptyBuf {
    #[inline]
    fn as_mut(&mut self) -> &mut [u8] {
        &mut []
    }
}

impl ParseBuffer for EmptyBuf {
    #[inline]
    fn shrink_front(&mut self, n: usize) {
        assert_eq!(n, 0, "cannot shrink an empty buffer");
    }

    #[inline]
    fn shrink_back(&mut self, n: usize) {
        assert_eq!(n, 0, "cannot shrink an empty buffer");
    }

    #[inline]
    fn parse_with<'a, A, P: ParsablePacket<&'a [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error> {
        P::parse(&mut &[][..], args)
    }
}

impl ParseBufferMut for EmptyBuf {
    #[inline]
    fn parse_with_mut<'a, A, P: ParsablePacket<&'a mut [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error> {
        P::parse_mut(&mut &mut [][..], args)
    }
}

impl GrowBuffer for EmptyBuf {
    #[inline]
    fn parts(&self) -> (&[u8], &[u8], &[u8]) {
        (&[], &[], &[])
    }

    #[inline]
    fn grow_front(&mut self, n: usize) {
        assert_eq!(n, 0, "cannot grow an empty buffer");
    }

    #[inline]
    fn grow_back(&mut self, n: usize) {
        assert_eq!(n, 0, "cannot grow an empty buffer");
    }
}

impl GrowBufferMut for EmptyBuf {
    #[inline]
    fn parts_mut(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]) {
        (&mut [], &mut [], &mut [])
    }
}

#[cfg(test)]
mod tests {
    use super::{Buf, EmptyBuf};
    use crate::{BufferView, BufferViewMut, GrowBuffer, GrowBufferMut, ParseBuffer};

    #[test]
    #[should_panic(expected = "not within a buffer of 3 bytes")]
    fn new_rejects_a_range_past_the_end() {
        let _ = Buf::new([0u8; 3], 1..5);
    }

    #[test]
    fn inclusive_and_excluded_bounds_are_understood() {
        assert_eq!(Buf::new([1u8, 2, 3], 0..=1).as_ref(), &[1, 2]);
        let excluded = (core::ops::Bound::Excluded(0), core::ops::Bound::Unbounded);
        assert_eq!(Buf::new([1u8, 2, 3], excluded).as_ref(), &[2, 3]);
    }

    #[test]
    fn views_move_both_body_boundaries() {
        let mut buf = Buf::new([1u8, 2, 3, 4, 5], ..);
        let mut view = buf.buffer_view_mut();
        assert_eq!(view.take_front(1).map(|b| b[0]), Some(1));
        view.take_back_zero(1).unwrap();
        assert!(view.take_front(4).is_none());
        assert_eq!(buf.body_range(), 1..4);
        assert_eq!(buf.parts(), (&[1u8][..], &[2u8, 3, 4][..], &[0u8][..]));
    }

    #[test]
    fn parts_mut_splits_at_the_body() {
        let mut buf = Buf::new([0u8; 5], 2..3);
        let (p, b, s) = buf.parts_mut();
        assert_eq!((p.len(), b.len(), s.len()), (2, 1, 2));
    }

    #[test]
    fn empty_buf_accepts_only_zero_length_changes() {
        let mut e = EmptyBuf;
        e.grow_front(0);
        e.shrink_back(0);
        e.reset_zero();
        assert_eq!(e.parts(), (&[][..], &[][..], &[][..]));
    }

    #[test]
    #[should_panic(expected = "cannot grow an empty buffer")]
    fn empty_buf_cannot_grow() {
        EmptyBuf.grow_back(1);
    }
}
