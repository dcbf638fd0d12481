//! [`ParsablePacket`]: a packet type that parses itself off a [`BufferView`], and
//! [`ParseMetadata`], what it consumed (so the parse can be undone).

use zerocast::{SplitByteSlice, SplitByteSliceMut};

use crate::view::{BufferView, BufferViewMut};

/// How many bytes a parsed packet's header, body and footer occupied.
///
/// `footer_len` counts every byte the parser consumed after the body, trailing padding
/// included, so that [`GrowBuffer::undo_parse`](crate::GrowBuffer::undo_parse) gives back
/// exactly the bytes that were received.
///
/// ```
/// use zerocast_packet::ParseMetadata;
/// let meta = ParseMetadata::from_packet(20, 8, 0);
/// assert_eq!(meta.header_len() + meta.body_len() + meta.footer_len(), 28);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParseMetadata {
    header_len: usize,
    body_len: usize,
    footer_len: usize,
}

impl ParseMetadata {
    /// Metadata of a packet with a header, a body and a footer (padding included).
    ///
    /// ```
    /// # use zerocast_packet::ParseMetadata;
    /// assert_eq!(ParseMetadata::from_packet(14, 46, 4).footer_len(), 4);
    /// ```
    #[must_use]
    #[inline]
    pub const fn from_packet(header_len: usize, body_len: usize, footer_len: usize) -> Self {
        ParseMetadata {
            header_len,
            body_len,
            footer_len,
        }
    }

    /// Metadata of an innermost packet that is all body (e.g. an application payload).
    ///
    /// ```
    /// # use zerocast_packet::ParseMetadata;
    /// let meta = ParseMetadata::from_inner_packet(64);
    /// assert_eq!((meta.header_len(), meta.body_len()), (0, 64));
    /// ```
    #[must_use]
    #[inline]
    pub const fn from_inner_packet(len: usize) -> Self {
        ParseMetadata::from_packet(0, len, 0)
    }

    /// The header length.
    ///
    /// ```
    /// # use zerocast_packet::ParseMetadata;
    /// assert_eq!(ParseMetadata::from_packet(8, 0, 0).header_len(), 8);
    /// ```
    #[must_use]
    #[inline]
    pub const fn header_len(&self) -> usize {
        self.header_len
    }

    /// The body length.
    ///
    /// ```
    /// # use zerocast_packet::ParseMetadata;
    /// assert_eq!(ParseMetadata::from_packet(8, 5, 0).body_len(), 5);
    /// ```
    #[must_use]
    #[inline]
    pub const fn body_len(&self) -> usize {
        self.body_len
    }

    /// The footer length, trailing padding included.
    ///
    /// ```
    /// # use zerocast_packet::ParseMetadata;
    /// assert_eq!(ParseMetadata::from_packet(8, 5, 2).footer_len(), 2);
    /// ```
    #[must_use]
    #[inline]
    pub const fn footer_len(&self) -> usize {
        self.footer_len
    }
}

/// A packet that can be parsed from a byte slice `B`, with parse arguments `ParseArgs`
/// (`()` when none are needed; e.g. source and destination addresses for a transport
/// checksum).
///
/// A parser takes its header, footer and any trailing padding off the cursor with the
/// `take_*` methods and gets its body with [`BufferView::into_rest`], which does *not*
/// consume: the buffer it was parsed from then holds exactly the body, ready for the next
/// layer. Implement it generically over `B: SplitByteSlice` so the same parser reads
/// `&[u8]` and edits `&mut [u8]`.
///
/// # Example
///
/// ```
/// use zerocast::{FromBytes, Immutable, KnownLayout, Ref, SplitByteSlice, Unaligned};
/// use zerocast::byteorder::network_endian::U16;
/// use zerocast_packet::{Buf, BufferView, ParsablePacket, ParseBuffer, ParseMetadata};
///
/// #[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
/// #[repr(C)]
/// struct Header {
///     kind: u8,
///     len: U16,
/// }
///
/// struct Packet<B> {
///     header: Ref<B, Header>,
///     body: B,
///     padding_len: usize,
/// }
///
/// #[derive(Debug, PartialEq)]
/// enum Error { TooShort, BadLength }
///
/// impl<B: SplitByteSlice> ParsablePacket<B, ()> for Packet<B> {
///     type Error = Error;
///     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, Error> {
///         let header = bv.take_obj_front::<Header>().ok_or(Error::TooShort)?;
///         let body_len = usize::from(header.len.get());
///         // Bytes after the body are link-layer padding: take them off the back.
///         let padding_len = bv.len().checked_sub(body_len).ok_or(Error::BadLength)?;
///         bv.take_back(padding_len);
///         Ok(Packet { header, body: bv.into_rest(), padding_len })
///     }
///     fn parse_metadata(&self) -> ParseMetadata {
///         ParseMetadata::from_packet(3, self.body.len(), self.padding_len)
///     }
/// }
///
/// let mut buf = Buf::new([1u8, 0, 2, b'h', b'i', 0, 0], ..);
/// let packet = buf.parse::<Packet<_>>().unwrap();
/// assert_eq!((packet.header.kind, &*packet.body), (1, &b"hi"[..]));
/// assert_eq!(buf.as_ref(), b"hi"); // the body stays in the buffer for the next layer
///
/// let mut short = Buf::new([1u8, 0, 9], ..);
/// assert_eq!(short.parse::<Packet<_>>().err(), Some(Error::BadLength));
/// ```
pub trait ParsablePacket<B: SplitByteSlice, ParseArgs>: Sized {
    /// Why parsing failed.
    type Error;

    /// Parses a packet off `buffer`, leaving the packet's body in it.
    ///
    /// Usually called through [`ParseBuffer::parse`](crate::ParseBuffer::parse); here
    /// straight on a byte-slice cursor:
    ///
    /// ```
    /// use zerocast_packet::{BufferView, ParsablePacket, ParseMetadata};
    /// # use zerocast::SplitByteSlice;
    /// /// One length byte, then that many body bytes.
    /// struct Lv<B>(B);
    /// impl<B: SplitByteSlice> ParsablePacket<B, ()> for Lv<B> {
    ///     type Error = ();
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, ()> {
    ///         let len = bv.take_byte_front().ok_or(())?;
    ///         bv.take_front(usize::from(len)).map(Lv).ok_or(())
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata {
    ///         ParseMetadata::from_packet(1, self.0.len(), 0)
    ///     }
    /// }
    ///
    /// let mut bytes = &[2u8, b'o', b'k', 0xFF][..];
    /// let lv = Lv::parse(&mut bytes, ())?;
    /// assert_eq!((lv.0, bytes), (&b"ok"[..], &[0xFFu8][..]));
    /// assert!(Lv::parse(&mut &[5u8, 1][..], ()).is_err());
    /// # Ok::<(), ()>(())
    /// ```
    fn parse<BV: BufferView<B>>(buffer: BV, args: ParseArgs) -> Result<Self, Self::Error>;

    /// Parses a packet off a mutable cursor. The default calls [`parse`](Self::parse);
    /// override it to zero or rewrite bytes while parsing.
    ///
    /// See also [`ParseBufferMut::parse_mut`](crate::ParseBufferMut::parse_mut). This packet
    /// zeroes its reserved byte when parsed from mutable bytes:
    ///
    /// ```
    /// use zerocast_packet::{BufferView, BufferViewMut, ParsablePacket, ParseMetadata};
    /// use zerocast::{SplitByteSlice, SplitByteSliceMut};
    /// struct Reserved<B>(B);
    /// impl<B: SplitByteSlice> ParsablePacket<B, ()> for Reserved<B> {
    ///     type Error = ();
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, ()> {
    ///         bv.take_front(1).map(Reserved).ok_or(())
    ///     }
    ///     fn parse_mut<BV: BufferViewMut<B>>(mut bv: BV, _: ()) -> Result<Self, ()>
    ///     where
    ///         B: SplitByteSliceMut,
    ///     {
    ///         bv.take_front_zero(1).map(Reserved).ok_or(())
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata { ParseMetadata::from_packet(1, 0, 0) }
    /// }
    ///
    /// let mut storage = [0xEEu8, 1];
    /// let reserved = Reserved::parse_mut(&mut &mut storage[..], ())?;
    /// assert_eq!(&*reserved.0, &[0]);
    /// assert_eq!(storage, [0, 1]);
    /// # Ok::<(), ()>(())
    /// ```
    #[inline]
    fn parse_mut<BV: BufferViewMut<B>>(buffer: BV, args: ParseArgs) -> Result<Self, Self::Error>
    where
        B: SplitByteSliceMut,
    {
        Self::parse(buffer, args)
    }

    /// What the parse consumed, for [`GrowBuffer::undo_parse`](crate::GrowBuffer::undo_parse).
    ///
    /// ```
    /// use zerocast_packet::{Buf, BufferView, GrowBuffer, ParsablePacket, ParseBuffer};
    /// use zerocast_packet::ParseMetadata;
    /// # use zerocast::SplitByteSlice;
    /// /// A 2-byte header, then the body.
    /// struct Hdr<B>(B);
    /// impl<B: SplitByteSlice> ParsablePacket<B, ()> for Hdr<B> {
    ///     type Error = ();
    ///     fn parse<BV: BufferView<B>>(mut bv: BV, _: ()) -> Result<Self, ()> {
    ///         bv.take_front(2).ok_or(())?;
    ///         Ok(Hdr(bv.into_rest()))
    ///     }
    ///     fn parse_metadata(&self) -> ParseMetadata {
    ///         ParseMetadata::from_packet(2, self.0.len(), 0)
    ///     }
    /// }
    ///
    /// let mut buf = Buf::new([1u8, 2, 3, 4, 5], ..);
    /// let meta = buf.parse::<Hdr<_>>()?.parse_metadata();
    /// assert_eq!((meta.header_len(), meta.body_len()), (2, 3));
    /// buf.undo_parse(meta); // the header is back in the body
    /// assert_eq!(buf.as_ref(), &[1, 2, 3, 4, 5]);
    /// # Ok::<(), ()>(())
    /// ```
    fn parse_metadata(&self) -> ParseMetadata;
}

/// A value that was either parsed completely, or only partly because the bytes ran out:
/// the lenient form used for packets quoted (truncated) in ICMP errors.
///
/// ```
/// use zerocast_packet::MaybeParsed;
///
/// let mut bytes = &[1u8, 2, 3][..];
/// let header = MaybeParsed::take_from_buffer(&mut bytes, 2);
/// assert_eq!(header, MaybeParsed::Complete(&[1u8, 2][..]));
/// let cut_off = MaybeParsed::take_from_buffer(&mut bytes, 8);
/// assert_eq!(cut_off, MaybeParsed::Incomplete(&[3u8][..]));
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MaybeParsed<C, I> {
    /// All of it was there.
    Complete(C),
    /// Only this much was there.
    Incomplete(I),
}

impl<B: SplitByteSlice> MaybeParsed<B, B> {
    /// Takes `n` bytes off the front of `buffer` if there are that many
    /// ([`Complete`](MaybeParsed::Complete)), otherwise all that remain
    /// ([`Incomplete`](MaybeParsed::Incomplete)).
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// // An ICMP error quoting only 3 bytes of an 8-byte UDP header:
    /// let mut quoted = &[0x04u8, 0xD2, 0x00][..];
    /// let udp_header = MaybeParsed::take_from_buffer(&mut quoted, 8);
    /// assert_eq!(udp_header, MaybeParsed::Incomplete(&[0x04u8, 0xD2, 0x00][..]));
    /// assert!(quoted.is_empty());
    /// ```
    #[inline]
    pub fn take_from_buffer<BV: BufferView<B>>(mut buffer: BV, n: usize) -> Self {
        if buffer.len() >= n {
            if let Some(bytes) = buffer.take_front(n) {
                return MaybeParsed::Complete(bytes);
            }
        }
        MaybeParsed::Incomplete(buffer.take_rest_front())
    }
}

impl<C, I> MaybeParsed<C, I> {
    /// Whether the value is complete.
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// assert!(MaybeParsed::<u8, ()>::Complete(1).is_complete());
    /// ```
    #[inline]
    pub fn is_complete(&self) -> bool {
        matches!(self, MaybeParsed::Complete(_))
    }

    /// The complete value, or the partial one as the error.
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// assert_eq!(MaybeParsed::<u8, &str>::Incomplete("cut").complete(), Err("cut"));
    /// ```
    #[inline]
    pub fn complete(self) -> Result<C, I> {
        match self {
            MaybeParsed::Complete(c) => Ok(c),
            MaybeParsed::Incomplete(i) => Err(i),
        }
    }

    /// The complete value, if it is.
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// assert_eq!(MaybeParsed::<u8, ()>::Complete(4).ok(), Some(4));
    /// ```
    #[inline]
    pub fn ok(self) -> Option<C> {
        self.complete().ok()
    }

    /// Converts the complete value.
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// let m: MaybeParsed<u8, ()> = MaybeParsed::Complete(2);
    /// assert_eq!(m.map(|v| v * 10), MaybeParsed::Complete(20));
    /// ```
    #[inline]
    pub fn map<D, F: FnOnce(C) -> D>(self, f: F) -> MaybeParsed<D, I> {
        match self {
            MaybeParsed::Complete(c) => MaybeParsed::Complete(f(c)),
            MaybeParsed::Incomplete(i) => MaybeParsed::Incomplete(i),
        }
    }

    /// Converts the partial value.
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// let m: MaybeParsed<(), &[u8]> = MaybeParsed::Incomplete(&[1, 2]);
    /// assert_eq!(m.map_incomplete(<[u8]>::len), MaybeParsed::Incomplete(2));
    /// ```
    #[inline]
    pub fn map_incomplete<J, F: FnOnce(I) -> J>(self, f: F) -> MaybeParsed<C, J> {
        match self {
            MaybeParsed::Complete(c) => MaybeParsed::Complete(c),
            MaybeParsed::Incomplete(i) => MaybeParsed::Incomplete(f(i)),
        }
    }
}

impl<T: AsRef<[u8]>> MaybeParsed<T, T> {
    /// The bytes, complete or not.
    ///
    /// ```
    /// use zerocast_packet::MaybeParsed;
    /// let m: MaybeParsed<&[u8], &[u8]> = MaybeParsed::Incomplete(&[9]);
    /// assert_eq!(m.bytes(), &[9]);
    /// ```
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        match self {
            MaybeParsed::Complete(b) | MaybeParsed::Incomplete(b) => b.as_ref(),
        }
    }
}
