//! Packet builders: [`PacketBuilder`] writes one layer's header and footer around a body
//! that is already in place; [`InnerPacketBuilder`] writes the innermost payload.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

use crate::buf::EmptyBuf;
use crate::constraints::PacketConstraints;
use crate::fragmented::{FragmentedBuffer, FragmentedBytes};
use crate::serialize::InnerSerializer;

/// Where a [`PacketBuilder`] writes: its header (exactly `header_len` bytes) and footer
/// (exactly `footer_len` bytes).
///
/// The bytes hold whatever the buffer held before (zeros, or a previous packet): a builder
/// must write every one of them.
///
/// ```
/// use zerocast_packet::SerializeTarget;
/// let (mut h, mut f) = ([0u8; 2], [0u8; 1]);
/// let target = SerializeTarget { header: &mut h, footer: &mut f };
/// assert_eq!((target.header.len(), target.footer.len()), (2, 1));
/// ```
#[derive(Debug)]
pub struct SerializeTarget<'a> {
    /// The header bytes, just before the body.
    pub header: &'a mut [u8],
    /// The footer bytes, just after the body and its padding.
    pub footer: &'a mut [u8],
}

/// One protocol layer's header and footer writer.
///
/// Serialization is inside-out: the body (with padding) is written first, then each
/// builder from the innermost outwards writes its header and footer, seeing the final body
/// bytes (which checksums need).
///
/// # Example
///
/// ```
/// use zerocast_packet::{PacketBuilder, PacketConstraints, SerializeTarget, Serializer,
///     InnerPacketBuilder};
///
/// /// A header holding a one-byte sum of the body.
/// #[derive(Debug)]
/// struct Sum;
/// impl PacketBuilder for Sum {
///     fn constraints(&self) -> PacketConstraints {
///         PacketConstraints::new(1, 0, 0, usize::MAX).unwrap()
///     }
///     fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
///         target.header[0] = body.iter().fold(0u8, |a, b| a.wrapping_add(*b));
///     }
/// }
///
/// let buf = [1u8, 2, 3].into_serializer().wrap_in(Sum).serialize_vec_outer().unwrap();
/// assert_eq!(buf.as_ref(), &[6, 1, 2, 3]);
/// ```
pub trait PacketBuilder {
    /// The header and footer lengths and the body sizes this layer accepts.
    ///
    /// Must return the same value every time it is called on the same builder.
    ///
    /// ```
    /// # use zerocast_packet::{PacketBuilder, PacketConstraints, SerializeTarget};
    /// /// A 4-byte header and 2-byte trailer around 1 to 100 body bytes.
    /// struct Frame;
    /// impl PacketBuilder for Frame {
    ///     fn constraints(&self) -> PacketConstraints {
    ///         PacketConstraints::new(4, 2, 1, 100).unwrap()
    ///     }
    ///     fn serialize(&self, target: &mut SerializeTarget<'_>, _body: &[u8]) {
    ///         target.header.fill(0xAA);
    ///         target.footer.fill(0xBB);
    ///     }
    /// }
    ///
    /// let c = Frame.constraints();
    /// assert_eq!((c.header_len(), c.footer_len(), c.max_body_len()), (4, 2, 100));
    /// ```
    fn constraints(&self) -> PacketConstraints;

    /// Writes the header and footer. `body` is the final body, padding included.
    ///
    /// `target.header` and `target.footer` have exactly the lengths from
    /// [`constraints`](PacketBuilder::constraints), and every byte of them must be written.
    ///
    /// Called directly here to show what it sees; normally a [`Serializer`](crate::Serializer)
    /// calls it:
    ///
    /// ```
    /// # use zerocast_packet::{PacketBuilder, PacketConstraints, SerializeTarget};
    /// /// A header holding the body length, and a trailer holding its first byte.
    /// struct Frame;
    /// impl PacketBuilder for Frame {
    ///     fn constraints(&self) -> PacketConstraints {
    ///         PacketConstraints::new(1, 1, 1, 255).unwrap()
    ///     }
    ///     fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
    ///         target.header[0] = body.len() as u8; // at most 255 by `constraints`
    ///         target.footer[0] = body.first().copied().unwrap_or(0);
    ///     }
    /// }
    ///
    /// let (mut header, mut footer) = ([0u8; 1], [0u8; 1]);
    /// let mut target = SerializeTarget { header: &mut header, footer: &mut footer };
    /// Frame.serialize(&mut target, b"xyz");
    /// assert_eq!((header, footer), ([3], [b'x']));
    /// ```
    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]);
}

impl<B: PacketBuilder + ?Sized> PacketBuilder for &B {
    #[inline]
    fn constraints(&self) -> PacketConstraints {
        (**self).constraints()
    }

    #[inline]
    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        (**self).serialize(target, body)
    }
}

impl<B: PacketBuilder + ?Sized> PacketBuilder for &mut B {
    #[inline]
    fn constraints(&self) -> PacketConstraints {
        (**self).constraints()
    }

    #[inline]
    fn serialize(&self, target: &mut SerializeTarget<'_>, body: &[u8]) {
        (**self).serialize(target, body)
    }
}

/// The innermost payload of a packet: writes a known number of bytes into a fresh buffer.
///
/// ```
/// use zerocast_packet::{InnerPacketBuilder, Serializer};
///
/// assert_eq!(b"abc".bytes_len(), 3);
/// let buf = b"abc".into_serializer().serialize_vec_outer().unwrap();
/// assert_eq!(buf.as_ref(), b"abc");
/// ```
pub trait InnerPacketBuilder {
    /// The number of bytes [`serialize`](InnerPacketBuilder::serialize) writes.
    ///
    /// ```
    /// use zerocast_packet::InnerPacketBuilder;
    /// assert_eq!([0u8; 46].bytes_len(), 46);
    /// assert_eq!(b"ping"[..].bytes_len(), 4);
    /// ```
    fn bytes_len(&self) -> usize;

    /// Writes the payload into `buffer`, which is exactly `bytes_len()` bytes long.
    ///
    /// ```
    /// use zerocast_packet::InnerPacketBuilder;
    /// let payload = *b"ping";
    /// let mut out = [0u8; 4];
    /// payload.serialize(&mut out);
    /// assert_eq!(&out, b"ping");
    /// ```
    fn serialize(&self, buffer: &mut [u8]);

    /// A [`Serializer`](crate::Serializer) for this payload that allocates its buffer.
    ///
    /// ```
    /// # use zerocast_packet::{InnerPacketBuilder, Serializer};
    /// let buf = [9u8].into_serializer().serialize_vec_outer().unwrap();
    /// assert_eq!(buf.as_ref(), &[9]);
    /// ```
    #[inline]
    fn into_serializer(self) -> InnerSerializer<Self, EmptyBuf>
    where
        Self: Sized,
    {
        InnerSerializer::new(self, EmptyBuf)
    }

    /// A [`Serializer`](crate::Serializer) for this payload that writes into `buffer` when
    /// it is large enough (its contents are overwritten).
    ///
    /// ```
    /// use zerocast_packet::{Buf, InnerPacketBuilder, Serializer, PacketConstraints};
    /// let storage = Buf::new([0xFFu8; 8], ..);
    /// let buf = [1u8, 2].into_serializer_with(storage)
    ///     .serialize_no_alloc_outer()
    ///     .unwrap();
    /// assert_eq!(buf.as_ref(), &[1, 2]);
    /// ```
    #[inline]
    fn into_serializer_with<B>(self, buffer: B) -> InnerSerializer<Self, B>
    where
        Self: Sized,
    {
        InnerSerializer::new(self, buffer)
    }
}

impl<I: InnerPacketBuilder + ?Sized> InnerPacketBuilder for &I {
    #[inline]
    fn bytes_len(&self) -> usize {
        (**self).bytes_len()
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        (**self).serialize(buffer)
    }
}

impl InnerPacketBuilder for [u8] {
    #[inline]
    fn bytes_len(&self) -> usize {
        self.len()
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        buffer.copy_from_slice(self)
    }
}

impl<const N: usize> InnerPacketBuilder for [u8; N] {
    #[inline]
    fn bytes_len(&self) -> usize {
        N
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        buffer.copy_from_slice(self)
    }
}

#[cfg(feature = "alloc")]
impl InnerPacketBuilder for Vec<u8> {
    #[inline]
    fn bytes_len(&self) -> usize {
        self.len()
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        buffer.copy_from_slice(self)
    }
}

/// Gathers scatter-gather fragments into one contiguous payload.
impl InnerPacketBuilder for FragmentedBytes<'_, '_> {
    #[inline]
    fn bytes_len(&self) -> usize {
        self.len()
    }

    #[inline]
    fn serialize(&self, buffer: &mut [u8]) {
        FragmentedBuffer::copy_into(self, buffer)
    }
}
