//! How strictly to parse, and what a parse found out about a checksum.
//!
//! Every parser in this crate takes [`ParseOptions`]: the strict default rejects anything a
//! receiving host must drop; the lenient form decodes as much as the bytes allow, which is what
//! a capture dissector needs for snaplen-truncated frames and what ICMP errors need for the
//! packet they quote; the offload form trusts checksums that hardware already verified.

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
