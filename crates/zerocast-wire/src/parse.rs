//! How strictly to parse, and what a parse found out about a checksum.
//!
//! Every parser in this crate takes [`ParseOptions`]: the strict default rejects anything a
//! receiving host must drop; the lenient form decodes as much as the bytes allow, which is what
//! a capture dissector needs for snaplen-truncated frames and what ICMP errors need for the
//! packet they quote; the offload form trusts checksums that hardware already verified.
//!
//! A lenient parse still needs a layer's whole fixed header. When a capture cut the header
//! itself (an ICMP message with 6 captured bytes, the first 8 bytes of an IPv6 header quoted
//! in an ICMPv6 error), each protocol's `parse_lenient` returns [`Lenient::Cut`] with a
//! partial view (`ipv4::Ipv4Partial`, `udp::UdpPartial`, ...) whose accessors return `Some`
//! for exactly the fields whose bytes were captured.

use zerocast::{FromBytes, Immutable, KnownLayout, Ref, SplitByteSlice, Unaligned};

use crate::error::{Layer, ParseError};

/// What to do with checksums while parsing.
///
/// ```
/// use zerocast_wire::ChecksumPolicy;
/// assert_ne!(ChecksumPolicy::Reject, ChecksumPolicy::Skip);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChecksumPolicy {
    /// Verify and fail the parse on a mismatch.
    Reject,
    /// Verify and record the result in the packet, never failing on it.
    Report,
    /// Do not compute checksums (NIC checksum offload already did).
    Skip,
}

/// Parse strictness: checksum policy and whether truncated packets are accepted.
///
/// ```
/// use zerocast_wire::{ChecksumPolicy, ParseOptions};
/// assert_eq!(ParseOptions::default(), ParseOptions::STRICT);
/// assert_eq!(ParseOptions::LENIENT.checksum, ChecksumPolicy::Report);
/// assert!(ParseOptions::LENIENT.allow_truncated);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParseOptions {
    /// What to do with checksums.
    pub checksum: ChecksumPolicy,
    /// Accept packets whose length fields promise more bytes than are present; the missing
    /// tail is reported by `is_truncated()` and checksums over it become
    /// [`ChecksumStatus::Unverified`].
    pub allow_truncated: bool,
}

impl ParseOptions {
    /// Everything checked; any fault is an error.
    pub const STRICT: ParseOptions = ParseOptions {
        checksum: ChecksumPolicy::Reject,
        allow_truncated: false,
    };
    /// Decode what is there: truncation accepted, checksum results reported, not enforced.
    pub const LENIENT: ParseOptions = ParseOptions {
        checksum: ChecksumPolicy::Report,
        allow_truncated: true,
    };
    /// Strict about lengths, but checksums are not computed (hardware offload).
    pub const OFFLOAD: ParseOptions = ParseOptions {
        checksum: ChecksumPolicy::Skip,
        allow_truncated: false,
    };
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions::STRICT
    }
}

/// The outcome of checking a checksum, numbered as tshark's `*.checksum.status` fields.
///
/// ```
/// use zerocast_wire::ChecksumStatus;
/// assert_eq!(ChecksumStatus::Good as u8, 1);
/// assert_eq!(ChecksumStatus::Bad as u8, 0);
/// assert_eq!(ChecksumStatus::Unverified as u8, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ChecksumStatus {
    /// Computed and wrong.
    Bad = 0,
    /// Computed and right.
    Good = 1,
    /// Not computed: skipped, bytes missing, or the protocol says "no checksum".
    Unverified = 2,
}

/// What a lenient parse found: the fixed header whole (the ordinary view, whose options or
/// payload may still be cut, see its `is_truncated`), or only its first bytes (a partial view
/// with one `Option` accessor per field).
///
/// Partial views return `Option`s rather than zeroes or a captured length to compare against,
/// so a field that was not captured cannot be read by mistake, and nothing is copied: each
/// accessor reads its field in place when all of its bytes are there.
///
/// ```
/// use zerocast_wire::{icmpv4::Icmpv4Packet, ChecksumPolicy, Lenient};
/// // An echo request cut by the snapshot length after 6 bytes.
/// let cut = [8u8, 0, 0xf7, 0xfc, 0, 1];
/// match Icmpv4Packet::parse_lenient(&cut[..], ChecksumPolicy::Report)? {
///     Lenient::Whole(icmp) => unreachable!("{icmp:?}"),
///     Lenient::Cut(part) => {
///         assert_eq!((part.msg_type(), part.code()), (Some(8), Some(0)));
///         assert_eq!(part.ident(), Some(1));
///         assert_eq!(part.seq(), None); // bytes 6..8 were not captured
///     }
/// }
/// # Ok::<(), zerocast_wire::ParseError>(())
/// ```
#[derive(Debug)]
pub enum Lenient<P, H> {
    /// The whole fixed header was there: the ordinary packet view.
    Whole(P),
    /// The bytes ended inside the fixed header: the fields that were captured.
    Cut(H),
}

impl<P, H> Lenient<P, H> {
    /// The whole view, if the fixed header was complete.
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, ChecksumPolicy};
    /// let d = UdpPacket::parse_lenient(&[0u8, 53, 0, 53, 0, 8, 0, 0][..], None, ChecksumPolicy::Skip)?;
    /// assert_eq!(d.whole().map(|d| d.dst_port()), Some(53));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn whole(self) -> Option<P> {
        match self {
            Lenient::Whole(p) => Some(p),
            Lenient::Cut(_) => None,
        }
    }

    /// The partial view, if the bytes ended inside the fixed header.
    ///
    /// ```
    /// use zerocast_wire::{udp::UdpPacket, ChecksumPolicy};
    /// let d = UdpPacket::parse_lenient(&[0u8, 53, 0][..], None, ChecksumPolicy::Skip)?;
    /// assert_eq!(d.cut().map(|p| (p.src_port(), p.dst_port())), Some((Some(53), None)));
    /// # Ok::<(), zerocast_wire::ParseError>(())
    /// ```
    #[must_use]
    pub fn cut(self) -> Option<H> {
        match self {
            Lenient::Whole(_) => None,
            Lenient::Cut(h) => Some(h),
        }
    }
}

/// The lenient options with the given checksum policy.
pub(crate) const fn lenient(checksum: ChecksumPolicy) -> ParseOptions {
    ParseOptions {
        checksum,
        allow_truncated: true,
    }
}

/// Splits a header of type `T` off the front of `bytes`.
pub(crate) fn take_header<B, T>(bytes: B, layer: Layer) -> Result<(Ref<B, T>, B), ParseError>
where
    B: SplitByteSlice,
    T: FromBytes + KnownLayout + Immutable + Unaligned,
{
    let available = bytes.len();
    Ref::from_prefix(bytes)
        .map_err(|_| ParseError::truncated(layer, core::mem::size_of::<T>(), available))
}

/// Splits `bytes` at `mid`, or reports that `mid` bytes were needed.
pub(crate) fn split_at<B: SplitByteSlice>(
    bytes: B,
    mid: usize,
    layer: Layer,
    base: usize,
) -> Result<(B, B), ParseError> {
    let available = bytes.len();
    bytes.split_at(mid).map_err(|_| {
        ParseError::new(
            layer,
            crate::ErrorKind::Truncated {
                needed: base + mid,
                available: base + available,
            },
            base + available,
        )
    })
}

/// Splits at `mid` if there are that many bytes, otherwise keeps all of them (lenient mode).
pub(crate) fn split_at_most<B: SplitByteSlice>(bytes: B, mid: usize) -> (B, B, bool) {
    let len = bytes.len();
    let mid_clamped = mid.min(len);
    match bytes.split_at(mid_clamped) {
        Ok((a, b)) => (a, b, mid > len),
        // `SplitByteSlice::split_at` only fails when `mid > len`, and `mid_clamped <= len`.
        Err(_) => unreachable!("split point clamped to the slice length"),
    }
}

/// Constraints of a layer whose sizes the caller has already validated (min <= max).
#[inline]
pub(crate) fn layer_constraints(
    header_len: usize,
    min_body_len: usize,
    max_body_len: usize,
) -> zerocast_packet::PacketConstraints {
    // `min_body_len <= max_body_len` at every call site, so `new` returns `Some`; the
    // fallback only keeps this function total.
    zerocast_packet::PacketConstraints::new(header_len, 0, min_body_len, max_body_len)
        .unwrap_or(zerocast_packet::PacketConstraints::UNCONSTRAINED)
}

/// Splits a measured packet off a parse cursor: `header` bytes from the front, everything
/// after `header + body` from the back (the footer or padding), the body in between.
pub(crate) fn take_parts<B, BV>(
    mut buffer: BV,
    header: usize,
    body: usize,
    layer: Layer,
) -> Result<(B, B, B), ParseError>
where
    B: SplitByteSlice,
    BV: zerocast_packet::BufferView<B>,
{
    let total = buffer.as_ref().len();
    let short = ParseError::truncated(layer, header + body, total);
    let footer_len = total.checked_sub(header + body).ok_or(short)?;
    let h = buffer.take_front(header).ok_or(short)?;
    let f = buffer.take_back(footer_len).ok_or(short)?;
    Ok((h, buffer.into_rest(), f))
}
