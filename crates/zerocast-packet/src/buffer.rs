//! The buffer traits: a buffer is `prefix | body | suffix`.
//!
//! Parsing shrinks the body (consumed bytes move into the prefix or suffix but stay in
//! memory); serializing grows the body back over the prefix and suffix and writes headers
//! and footers there. The traits are split by capability so that a function states exactly
//! what it needs: reading and consuming ([`ParseBuffer`]), editing in place
//! ([`ParseBufferMut`]), re-exposing consumed bytes ([`GrowBuffer`]) and writing new headers
//! ([`GrowBufferMut`]). [`Buffer`] and [`BufferMut`] name the usual combinations.

use core::ops::Range;

use crate::builder::{PacketBuilder, SerializeTarget};
use crate::parse::{ParsablePacket, ParseMetadata};

/// A buffer whose body can be read, consumed from either end and parsed.
///
/// `as_ref()` is the body. Shrinking moves bytes out of the body; they are not discarded
/// and a [`GrowBuffer`] can get them back.
///
/// # Example
///
/// ```
/// use zerocast_packet::{Buf, ParseBuffer};
///
/// let mut buf = Buf::new([1u8, 2, 3, 4, 5], ..);
/// buf.shrink_front(1);
/// buf.shrink_back(2);
/// assert_eq!(buf.as_ref(), &[2, 3]);
/// ```
pub trait ParseBuffer: AsRef<[u8]> {
    /// The length of the body.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// assert_eq!(Buf::new([0u8; 4], 1..).len(), 3);
    /// ```
    #[inline]
    fn len(&self) -> usize {
        self.as_ref().len()
    }

    /// Whether the body is empty.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// assert!(Buf::new([0u8; 4], 4..).is_empty());
    /// ```
    #[inline]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the first `n` body bytes into the prefix.
    ///
    /// # Panics
    ///
    /// Panics if `n > self.len()`; use a [`BufferView`](crate::BufferView) (through
    /// [`parse`](ParseBuffer::parse)) or [`shrink_front_to`](ParseBuffer::shrink_front_to)
    /// when `n` comes from untrusted data.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], ..);
    /// buf.shrink_front(2);
    /// assert_eq!(buf.as_ref(), &[3]);
    /// ```
    fn shrink_front(&mut self, n: usize);

    /// Moves the last `n` body bytes into the suffix.
    ///
    /// # Panics
    ///
    /// Panics if `n > self.len()`.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], ..);
    /// buf.shrink_back(2);
    /// assert_eq!(buf.as_ref(), &[1]);
    /// ```
    fn shrink_back(&mut self, n: usize);

    /// Shrinks the body from the front so that at most `len` bytes remain (never panics).
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], ..);
    /// buf.shrink_front_to(1);
    /// assert_eq!(buf.as_ref(), &[3]);
    /// buf.shrink_front_to(10);
    /// assert_eq!(buf.as_ref(), &[3]);
    /// ```
    #[inline]
    fn shrink_front_to(&mut self, len: usize) {
        let excess = self.len().saturating_sub(len);
        self.shrink_front(excess);
    }

    /// Shrinks the body from the back so that at most `len` bytes remain (never panics).
    ///
    /// This is how a layer drops link-layer padding after reading its own length field.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], ..);
    /// buf.shrink_back_to(1);
    /// assert_eq!(buf.as_ref(), &[1]);
    /// ```
    #[inline]
    fn shrink_back_to(&mut self, len: usize) {
        let excess = self.len().saturating_sub(len);
        self.shrink_back(excess);
    }

    /// Shrinks the body to `range` (relative to the current body), clamped to the body.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, ParseBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3, 4], ..);
    /// buf.shrink(1..3);
    /// assert_eq!(buf.as_ref(), &[2, 3]);
    /// ```
    #[inline]
    fn shrink(&mut self, range: Range<usize>) {
        let len = self.len();
        let end = range.end.min(len);
        let start = range.start.min(end);
        self.shrink_back(len - end);
        self.shrink_front(start);
    }

    /// Parses a packet with no parse arguments off the body.
    ///
    /// On success the body is whatever the packet did not consume: the packet's own body,
    /// ready for the next layer's parser.
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferView, ParsablePacket, ParseBuffer, ParseMetadata};
    /// use zerocast::{SplitByteSlice, Ref};
    ///
    /// struct Byte<B>(Ref<B, u8>);
    /// impl<B: SplitByteSlice> ParsablePacket<B, ()> for Byte<B> {
    ///     type Error = ();
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, ()> {
    ///         bv.take_obj_front::<u8>().map(Byte).ok_or(())
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata {
    ///         ParseMetadata::from_packet(1, 0, 0)
    ///     }
    /// }
    ///
    /// let mut buf = Buf::new([7u8, 8, 9], ..);
    /// let byte = buf.parse::<Byte<_>>().unwrap();
    /// assert_eq!(*byte.0, 7);
    /// assert_eq!(buf.as_ref(), &[8, 9]);
    /// ```
    #[inline]
    fn parse<'a, P: ParsablePacket<&'a [u8], ()>>(&'a mut self) -> Result<P, P::Error> {
        self.parse_with(())
    }

    /// Parses a packet with parse arguments `args` (e.g. pseudo-header addresses).
    ///
    /// Here the argument is the tag the packet must start with:
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferView, ParsablePacket, ParseBuffer, ParseMetadata};
    /// # use zerocast::SplitByteSlice;
    /// struct Tagged<B>(B);
    /// impl<B: SplitByteSlice> ParsablePacket<B, u8> for Tagged<B> {
    ///     type Error = &'static str;
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, tag: u8) -> Result<Self, Self::Error> {
    ///         match bv.take_byte_front() {
    ///             Some(t) if t == tag => Ok(Tagged(bv.into_rest())),
    ///             _ => Err("wrong tag"),
    ///         }
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata {
    ///         ParseMetadata::from_packet(1, self.0.len(), 0)
    ///     }
    /// }
    ///
    /// let mut buf = Buf::new([7u8, 1, 2], ..);
    /// assert_eq!(buf.parse_with::<_, Tagged<_>>(8).err(), Some("wrong tag"));
    /// let packet = buf.parse_with::<_, Tagged<_>>(7)?;
    /// assert_eq!(&*packet.0, &[1, 2]);
    /// # Ok::<(), &'static str>(())
    /// ```
    fn parse_with<'a, A, P: ParsablePacket<&'a [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error>;
}

/// A [`ParseBuffer`] whose body can be modified, and parsed into packets that edit the
/// bytes in place.
///
/// ```
/// use zerocast_packet::{Buf, ParseBufferMut};
///
/// let mut buf = Buf::new([1u8, 2, 3], 1..);
/// buf.as_mut()[0] = 9;
/// assert_eq!(buf.into_inner(), [1, 9, 3]);
/// ```
pub trait ParseBufferMut: ParseBuffer + AsMut<[u8]> {
    /// Parses a mutable packet with no parse arguments off the body.
    ///
    /// See [`ParseBuffer::parse`]; the packet borrows the body mutably, so it can edit the
    /// bytes in place:
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferView, ParsablePacket, ParseBufferMut, ParseMetadata};
    /// use zerocast::{Ref, SplitByteSlice};
    /// struct Ttl<B>(Ref<B, u8>);
    /// impl<B: SplitByteSlice> ParsablePacket<B, ()> for Ttl<B> {
    ///     type Error = ();
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, ()> {
    ///         bv.take_obj_front::<u8>().map(Ttl).ok_or(())
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata { ParseMetadata::from_packet(1, 0, 0) }
    /// }
    ///
    /// let mut buf = Buf::new([64u8, 0xAA], ..);
    /// let mut ttl = buf.parse_mut::<Ttl<_>>()?;
    /// *ttl.0 -= 1;
    /// assert_eq!(buf.into_inner(), [63, 0xAA]);
    /// # Ok::<(), ()>(())
    /// ```
    #[inline]
    fn parse_mut<'a, P: ParsablePacket<&'a mut [u8], ()>>(&'a mut self) -> Result<P, P::Error> {
        self.parse_with_mut(())
    }

    /// Parses a mutable packet with parse arguments `args`.
    ///
    /// See [`ParseBuffer::parse`]; the packet borrows the body mutably. Here the argument
    /// is a value to store in the first byte:
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferView, ParsablePacket, ParseBufferMut, ParseMetadata};
    /// use zerocast::{Ref, SplitByteSliceMut};
    /// struct Stamp<B>(Ref<B, u8>);
    /// impl<B: SplitByteSliceMut> ParsablePacket<B, u8> for Stamp<B> {
    ///     type Error = ();
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, value: u8) -> Result<Self, ()> {
    ///         let mut byte = bv.take_obj_front::<u8>().ok_or(())?;
    ///         *byte = value;
    ///         Ok(Stamp(byte))
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata { ParseMetadata::from_packet(1, 0, 0) }
    /// }
    ///
    /// let mut buf = Buf::new([0u8, 5], ..);
    /// let stamp = buf.parse_with_mut::<_, Stamp<_>>(9)?;
    /// assert_eq!(*stamp.0, 9);
    /// assert_eq!(buf.into_inner(), [9, 5]);
    /// # Ok::<(), ()>(())
    /// ```
    fn parse_with_mut<'a, A, P: ParsablePacket<&'a mut [u8], A>>(
        &'a mut self,
        args: A,
    ) -> Result<P, P::Error>;
}

/// A buffer whose body can grow back into its prefix and suffix.
///
/// Growing never invents bytes: it re-exposes bytes that are already in the buffer (from
/// an earlier parse, or stale bytes of an old packet). Use the zeroing variants in
/// [`GrowBufferMut`] when the bytes will be sent and not overwritten.
///
/// ```
/// use zerocast_packet::{Buf, GrowBuffer, ParseBuffer};
///
/// let mut buf = Buf::new([1u8, 2, 3, 4], 1..3);
/// assert_eq!((buf.prefix_len(), buf.len(), buf.suffix_len()), (1, 2, 1));
/// buf.grow_front(1);
/// assert_eq!(buf.as_ref(), &[1, 2, 3]);
/// ```
pub trait GrowBuffer: ParseBuffer {
    /// The prefix, body and suffix, in order.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// let buf = Buf::new([1u8, 2, 3], 1..2);
    /// assert_eq!(buf.parts(), (&[1u8][..], &[2u8][..], &[3u8][..]));
    /// ```
    fn parts(&self) -> (&[u8], &[u8], &[u8]);

    /// The number of bytes before the body.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// assert_eq!(Buf::new([0u8; 8], 3..).prefix_len(), 3);
    /// ```
    #[inline]
    fn prefix_len(&self) -> usize {
        self.parts().0.len()
    }

    /// The number of bytes after the body.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// assert_eq!(Buf::new([0u8; 8], ..5).suffix_len(), 3);
    /// ```
    #[inline]
    fn suffix_len(&self) -> usize {
        self.parts().2.len()
    }

    /// Prefix, body and suffix together.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// assert_eq!(Buf::new([0u8; 8], 2..5).capacity(), 8);
    /// ```
    #[inline]
    fn capacity(&self) -> usize {
        let (p, b, s) = self.parts();
        p.len() + b.len() + s.len()
    }

    /// Moves the last `n` prefix bytes into the body.
    ///
    /// # Panics
    ///
    /// Panics if `n > self.prefix_len()`.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], 2..);
    /// buf.grow_front(1);
    /// assert_eq!(buf.as_ref(), &[2, 3]);
    /// ```
    fn grow_front(&mut self, n: usize);

    /// Moves the first `n` suffix bytes into the body.
    ///
    /// # Panics
    ///
    /// Panics if `n > self.suffix_len()`.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], ..1);
    /// buf.grow_back(1);
    /// assert_eq!(buf.as_ref(), &[1, 2]);
    /// ```
    fn grow_back(&mut self, n: usize);

    /// Makes the whole buffer the body (prefix and suffix become empty).
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBuffer};
    /// let mut buf = Buf::new([1u8, 2, 3], 1..2);
    /// buf.reset();
    /// assert_eq!(buf.as_ref(), &[1, 2, 3]);
    /// ```
    #[inline]
    fn reset(&mut self) {
        let prefix = self.prefix_len();
        let suffix = self.suffix_len();
        self.grow_front(prefix);
        self.grow_back(suffix);
    }

    /// Re-exposes the header, footer and padding of a packet parsed from this buffer, so
    /// that the body is the whole packet again (to forward it, or to quote it in an ICMP
    /// error).
    ///
    /// Undo nested layers innermost first. If the body is shorter than the packet's body
    /// (an inner layer was parsed and not undone), the missing bytes are assumed to have
    /// been consumed from the front, which is what header-only inner layers do.
    ///
    /// # Panics
    ///
    /// Panics if the prefix or suffix is too short, which means `meta` did not come from a
    /// packet parsed from this buffer.
    ///
    /// ```
    /// use zerocast_packet::{Buf, GrowBuffer, ParseBuffer, ParseMetadata};
    ///
    /// let mut buf = Buf::new([1u8, 2, 3, 4], ..);
    /// buf.shrink_front(1); // a 1-byte header
    /// buf.shrink_back(1); // a 1-byte footer
    /// buf.undo_parse(ParseMetadata::from_packet(1, 2, 1));
    /// assert_eq!(buf.as_ref(), &[1, 2, 3, 4]);
    /// ```
    #[inline]
    fn undo_parse(&mut self, meta: ParseMetadata) {
        let missing_body = meta.body_len().saturating_sub(self.len());
        // Saturating: an impossible `meta` then fails the prefix check with a clear message.
        self.grow_front(missing_body.saturating_add(meta.header_len()));
        self.grow_back(meta.footer_len());
    }
}

/// A [`GrowBuffer`] whose bytes can be written: zeroing grows and in-place serialization.
///
/// ```
/// use zerocast_packet::{Buf, GrowBufferMut};
///
/// let mut buf = Buf::new([0xFFu8; 4], 2..2);
/// buf.grow_front_zero(2);
/// assert_eq!(buf.as_ref(), &[0, 0]);
/// ```
pub trait GrowBufferMut: GrowBuffer + ParseBufferMut {
    /// The prefix, body and suffix, mutably, in order.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBufferMut};
    /// let mut buf = Buf::new([1u8, 2, 3], 1..2);
    /// buf.parts_mut().2[0] = 9;
    /// assert_eq!(buf.into_inner(), [1, 2, 9]);
    /// ```
    fn parts_mut(&mut self) -> (&mut [u8], &mut [u8], &mut [u8]);

    /// Like [`grow_front`](GrowBuffer::grow_front), and zeroes the `n` new body bytes so
    /// no byte of an old packet leaks into the new one.
    ///
    /// # Panics
    ///
    /// Panics if `n > self.prefix_len()`.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBufferMut};
    /// let mut buf = Buf::new([7u8, 8, 9], 2..);
    /// buf.grow_front_zero(1);
    /// assert_eq!(buf.as_ref(), &[0, 9]);
    /// ```
    #[inline]
    fn grow_front_zero(&mut self, n: usize) {
        self.grow_front(n);
        self.as_mut()[..n].fill(0);
    }

    /// Like [`grow_back`](GrowBuffer::grow_back), and zeroes the `n` new body bytes.
    ///
    /// # Panics
    ///
    /// Panics if `n > self.suffix_len()`.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBufferMut};
    /// let mut buf = Buf::new([7u8, 8, 9], ..1);
    /// buf.grow_back_zero(1);
    /// assert_eq!(buf.as_ref(), &[7, 0]);
    /// ```
    #[inline]
    fn grow_back_zero(&mut self, n: usize) {
        let old = self.len();
        self.grow_back(n);
        self.as_mut()[old..].fill(0);
    }

    /// Zeroes the prefix and suffix, then makes the whole buffer the body.
    ///
    /// ```
    /// # use zerocast_packet::{Buf, GrowBufferMut};
    /// let mut buf = Buf::new([7u8, 8, 9], 1..2);
    /// buf.reset_zero();
    /// assert_eq!(buf.as_ref(), &[0, 8, 0]);
    /// ```
    #[inline]
    fn reset_zero(&mut self) {
        let (p, _, s) = self.parts_mut();
        p.fill(0);
        s.fill(0);
        self.reset();
    }

    /// Writes `builder`'s header and footer around the current body, in place.
    ///
    /// The body is first zero-padded up to the builder's minimum body length. Afterwards
    /// the body is the whole new packet.
    ///
    /// # Panics
    ///
    /// Panics if the body is longer than the builder's maximum body length, or if the
    /// prefix or suffix has no room for the header, padding and footer. Use a
    /// [`Serializer`](crate::Serializer) to get these checked and reported as errors.
    ///
    /// ```
    /// use zerocast_packet::{Buf, GrowBufferMut, PacketBuilder, PacketConstraints,
    ///     SerializeTarget};
    ///
    /// struct Len;
    /// impl PacketBuilder for Len {
    ///     fn constraints(&self) -> PacketConstraints {
    ///         PacketConstraints::new(1, 0, 0, 255).unwrap()
    ///     }
    ///     fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
    ///         target.header[0] = body.len() as u8;
    ///     }
    /// }
    ///
    /// let mut buf = Buf::new([0xAAu8, 1, 2], 1..);
    /// buf.serialize(Len);
    /// assert_eq!(buf.as_ref(), &[2, 1, 2]);
    /// ```
    #[inline]
    fn serialize<B: PacketBuilder>(&mut self, builder: B) {
        let c = builder.constraints();
        let body_len = self.len();
        assert!(
            body_len <= c.max_body_len(),
            "body of {body_len} bytes exceeds the builder's maximum of {}",
            c.max_body_len()
        );
        let padding = c.min_body_len().saturating_sub(body_len);
        // Most packets need no padding: skip the call (and its zero-length fill).
        if padding > 0 {
            self.grow_back_zero(padding);
        }
        let body_len = body_len + padding;
        self.grow_front(c.header_len());
        self.grow_back(c.footer_len());
        let packet = self.as_mut();
        let (header, rest) = packet.split_at_mut(c.header_len());
        let (body, footer) = rest.split_at_mut(body_len);
        builder.serialize(&mut SerializeTarget { header, footer }, body);
    }
}

/// A buffer that can be parsed and grown: what a receive path hands up the stack.
///
/// Implemented for every type with both capabilities.
///
/// ```
/// use zerocast_packet::{Buf, Buffer};
///
/// /// Measures the body past a 2-byte header, then gives the header back: both halves of
/// /// `Buffer` in one generic function.
/// fn body_len_after_header<B: Buffer>(buf: &mut B) -> usize {
///     buf.shrink_front(2);
///     let len = buf.len();
///     buf.grow_front(2);
///     len
/// }
/// let mut buf = Buf::new([1u8, 2, 3, 4, 5], ..);
/// assert_eq!(body_len_after_header(&mut buf), 3);
/// assert_eq!(buf.as_ref(), &[1, 2, 3, 4, 5]);
/// ```
pub trait Buffer: ParseBuffer + GrowBuffer {}
impl<B: ParseBuffer + GrowBuffer> Buffer for B {}

/// A buffer that can be parsed, edited and grown: what a forwarding or send path needs.
///
/// Implemented for every type with these capabilities.
///
/// ```
/// use zerocast_packet::{Buf, BufferMut};
///
/// /// Forwards a packet with a 1-byte hop count in front: counts the hop in place, then
/// /// steps past the count and adds a zeroed 1-byte trailer.
/// fn forward<B: BufferMut>(buf: &mut B) {
///     buf.as_mut()[0] += 1;
///     buf.shrink_front(1);
///     buf.grow_back_zero(1);
/// }
/// let mut buf = Buf::new([3u8, 0xaa, 0xff], ..2);
/// forward(&mut buf);
/// assert_eq!(buf.as_ref(), &[0xaa, 0]);
/// assert_eq!(buf.into_inner(), [4, 0xaa, 0]);
/// ```
pub trait BufferMut: Buffer + ParseBufferMut + GrowBufferMut {}
impl<B: Buffer + ParseBufferMut + GrowBufferMut> BufferMut for B {}
