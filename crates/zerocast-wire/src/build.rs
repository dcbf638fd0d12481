//! A write cursor for the builders of variable-length messages (NDP with options, MLD and
//! IGMPv3 with records): each builder measures its message first, then writes field runs
//! in order; running past the buffer is a `Truncated` error rather than a panic.

use crate::error::{Layer, ParseError};

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
