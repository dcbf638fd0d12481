//! A write cursor for the builders of variable-length messages (NDP with options, MLD and
//! IGMPv3 with records): each builder measures its message first, then writes field runs
//! in order; running past the buffer is a `Truncated` error rather than a panic.

use crate::error::{ErrorKind, Layer, ParseError};

/// Writes byte runs one after another into a buffer.
pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
    layer: Layer,
}

impl<'a> Writer<'a> {
    /// A cursor at the start of `buf`, reporting overruns as errors of `layer`.
    pub(crate) fn new(buf: &'a mut [u8], layer: Layer) -> Self {
        Writer { buf, pos: 0, layer }
    }

    /// Writes `bytes` at the cursor and moves past them.
    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), ParseError> {
        let end = self.pos + bytes.len();
        let available = self.buf.len();
        let to = self
            .buf
            .get_mut(self.pos..end)
            .ok_or(ParseError::truncated(self.layer, end, available))?;
        to.copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }

    /// Writes `n` zero bytes (reserved fields, padding).
    pub(crate) fn zeros(&mut self, n: usize) -> Result<(), ParseError> {
        let end = self.pos + n;
        let available = self.buf.len();
        self.buf
            .get_mut(self.pos..end)
            .ok_or(ParseError::truncated(self.layer, end, available))?
            .fill(0);
        self.pos = end;
        Ok(())
    }

    /// Bytes written so far.
    pub(crate) fn written(&self) -> usize {
        self.pos
    }
}

/// Claims the first `len` bytes of `out` for a measured message and splits them into its
/// fixed `header_len`-byte header and the body after it; a short `out` is `Truncated` of
/// `layer`, reported with the full message length so callers can size their buffer.
pub(crate) fn message_parts(
    out: &mut [u8],
    len: usize,
    header_len: usize,
    layer: Layer,
) -> Result<(&mut [u8], &mut [u8]), ParseError> {
    let available = out.len();
    let message = out
        .get_mut(..len)
        .ok_or(ParseError::truncated(layer, len, available))?;
    Ok(message.split_at_mut(header_len.min(len)))
}

/// `n` as a 16-bit count field (sources, records), or `BadLength` of `layer` at `at`.
pub(crate) fn count_u16(layer: Layer, n: usize, at: usize) -> Result<u16, ParseError> {
    u16::try_from(n).map_err(|_| ParseError::new(layer, ErrorKind::BadLength(n), at))
}

/// Longest auxiliary data of an IGMPv3 group record or MLDv2 address record: its length
/// byte counts 32-bit words.
pub(crate) const MAX_AUX_LEN: usize = 255 * 4;

/// Checks a group/address record's auxiliary data fits its word-count byte (at `at`), and
/// that the source count (the 16-bit field after it) fits too.
pub(crate) fn check_record_counts(
    layer: Layer,
    aux: &[u8],
    sources: usize,
    at: usize,
) -> Result<(), ParseError> {
    if !aux.len().is_multiple_of(4) || aux.len() > MAX_AUX_LEN {
        return Err(ParseError::new(layer, ErrorKind::BadLength(aux.len()), at));
    }
    count_u16(layer, sources, at + 1)?;
    Ok(())
}
