//! A reusable read-ahead buffer over any [`Read`]er.
//!
//! Capture files are walked front to back exactly once, so instead of mapping the whole file
//! (which would need `unsafe` here and makes peak memory grow with the file) the readers pull
//! bytes through one buffer whose size depends only on the largest record seen. Records are
//! handed out as slices of that buffer, so a well-formed record is never copied twice.

use std::io::{self, Read};

/// Largest read per refill; the buffer grows towards it by doubling from [`FIRST_CHUNK`], so
/// a tiny input never pays for zeroing a big buffer.
const READ_CHUNK: usize = 256 * 1024;
/// The buffer's first size.
const FIRST_CHUNK: usize = 4 * 1024;
/// Buffer size in batch mode, where each buffer becomes one batch of records for a worker.
pub(crate) const BATCH_CHUNK: usize = 512 * 1024;

/// A forward-only window over a byte stream with a known absolute offset.
///
/// ```
/// use zcdump::capture::ByteSource;
/// let mut src = ByteSource::new(&b"abcdef"[..]);
/// assert_eq!(src.peek(2)?, b"ab");
/// src.consume(2);
/// assert_eq!(src.offset(), 2);
/// assert_eq!(src.peek(10)?, b"cdef");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ByteSource<R> {
    reader: R,
    buf: Vec<u8>,
    /// Index in `buf` of the first unconsumed byte.
    start: usize,
    /// Index in `buf` one past the last byte read from `reader`.
    end: usize,
    /// Absolute stream offset of `buf[start]`.
    offset: u64,
    eof: bool,
    /// In batch mode a refill moves on to a fresh buffer instead of sliding the unconsumed
    /// tail to the front, so the consumed records stay where they were for a worker thread.
    batching: bool,
    /// The buffer that a batch-mode refill left behind; its first `retired_len` bytes are
    /// consumed records.
    retired: Option<(Vec<u8>, usize)>,
    /// Buffers returned by [`give_back`](Self::give_back) for reuse.
    spares: Vec<Vec<u8>>,
}

impl<R: Read> ByteSource<R> {
    /// Wraps `reader`; nothing is read until the first [`peek`](Self::peek).
    ///
    /// ```
    /// use zcdump::capture::ByteSource;
    /// let mut src = ByteSource::new(&[1u8, 2, 3][..]);
    /// assert_eq!(src.offset(), 0);
    /// assert_eq!(src.peek(3)?, &[1, 2, 3]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn new(reader: R) -> Self {
        ByteSource {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            offset: 0,
            eof: false,
            batching: false,
            retired: None,
            spares: Vec::new(),
        }
    }

    /// Switches batch mode on or off (see [`take_retired`](Self::take_retired)).
    pub(crate) fn set_batching(&mut self, on: bool) {
        self.batching = on;
    }

    /// The unconsumed bytes already read (no read happens here).
    pub(crate) fn buffered(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }

    /// Index in the current buffer of the next unconsumed byte.
    pub(crate) fn position(&self) -> usize {
        self.start
    }

    /// In batch mode: the buffer a refill moved away from and how many of its leading
    /// bytes had been consumed. Everything located in it before the refill is still there.
    pub(crate) fn take_retired(&mut self) -> Option<(Vec<u8>, usize)> {
        self.retired.take()
    }

    /// Swaps the current buffer for a spare one (its consumed bytes were handed out), so
    /// that bytes located in it stay valid; returns it with its consumed length.
    pub(crate) fn retire_now(&mut self) -> (Vec<u8>, usize) {
        let fresh = self.spares.pop().unwrap_or_default();
        let old = std::mem::replace(&mut self.buf, fresh);
        let tail = self.end - self.start;
        if self.buf.len() < tail {
            self.buf.resize(tail, 0);
        }
        self.buf[..tail].copy_from_slice(&old[self.start..self.end]);
        let used = self.start;
        self.start = 0;
        self.end = tail;
        (old, used)
    }

    /// Returns a buffer from [`take_retired`](Self::take_retired) for reuse.
    pub(crate) fn give_back(&mut self, buf: Vec<u8>) {
        self.spares.push(buf);
    }

    /// The absolute stream offset of the next unconsumed byte.
    ///
    /// ```
    /// use zcdump::capture::ByteSource;
    /// let mut src = ByteSource::new(&b"record"[..]);
    /// src.peek(4)?;
    /// src.consume(4);
    /// assert_eq!(src.offset(), 4);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Returns up to `want` unconsumed bytes, reading more from the stream if needed.
    ///
    /// Fewer than `want` bytes come back only at the end of the stream.
    ///
    /// # Errors
    /// Any I/O error of the underlying reader (interrupted reads are retried).
    ///
    /// ```
    /// use zcdump::capture::ByteSource;
    /// let mut src = ByteSource::new(&b"abc"[..]);
    /// assert_eq!(src.peek(2)?, b"ab");
    /// assert_eq!(src.peek(2)?, b"ab"); // peeking does not consume
    /// assert_eq!(src.peek(8)?, b"abc"); // fewer only at the end of the stream
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn peek(&mut self, want: usize) -> io::Result<&[u8]> {
        if self.end - self.start < want && !self.eof {
            self.fill(want)?;
        }
        let have = (self.end - self.start).min(want);
        Ok(&self.buf[self.start..self.start + have])
    }

    /// Marks `n` bytes as used; at most what the last [`peek`](Self::peek) returned.
    ///
    /// ```
    /// use zcdump::capture::ByteSource;
    /// let mut src = ByteSource::new(&b"abc"[..]);
    /// src.peek(2)?;
    /// src.consume(2);
    /// assert_eq!(src.peek(2)?, b"c");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        self.start += n;
        self.offset += n as u64;
    }

    /// Skips `n` bytes, reading and discarding them if they are not buffered yet.
    ///
    /// Returns how many bytes were actually skipped (fewer only at the end of the stream).
    ///
    /// # Errors
    /// Any I/O error of the underlying reader.
    ///
    /// ```
    /// use zcdump::capture::ByteSource;
    /// let mut src = ByteSource::new(&[0u8; 100][..]);
    /// assert_eq!(src.skip(60)?, 60);
    /// assert_eq!(src.skip(60)?, 40); // only 40 bytes were left
    /// assert_eq!(src.offset(), 100);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn skip(&mut self, mut n: u64) -> io::Result<u64> {
        let mut skipped = 0;
        while n > 0 {
            let step = usize::try_from(n.min(READ_CHUNK as u64)).unwrap_or(READ_CHUNK);
            let got = self.peek(step)?.len();
            if got == 0 {
                break;
            }
            self.consume(got);
            n -= got as u64;
            skipped += got as u64;
        }
        Ok(skipped)
    }

    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.batching && self.retired.is_none() && self.start > 0 {
            // Keep the consumed bytes where they are; the unconsumed tail moves to a fresh
            // buffer (spares keep their length, so they are not zeroed again).
            self.retired = Some(self.retire_now());
        }
        // Slide the unconsumed tail to the front so the buffer never grows past the largest
        // single request plus one read chunk.
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let grown = if self.batching {
            BATCH_CHUNK
        } else {
            (self.buf.len() * 2).clamp(FIRST_CHUNK, READ_CHUNK)
        };
        let needed = want.max(grown);
        if self.buf.len() < needed {
            self.buf.resize(needed, 0);
        }
        while self.end < want {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::trickle::Trickle;

    #[test]
    fn peek_gathers_bytes_across_short_reads() {
        let data: Vec<u8> = (0..=255).collect();
        let mut src = ByteSource::new(Trickle {
            data: &data,
            step: 3,
        });
        assert_eq!(src.peek(100).unwrap(), &data[..100]);
        src.consume(100);
        assert_eq!(src.peek(200).unwrap(), &data[100..]);
        assert_eq!(src.offset(), 100);
    }

    #[test]
    fn skip_stops_at_end_of_stream() {
        let mut src = ByteSource::new(&[1u8, 2, 3][..]);
        assert_eq!(src.skip(10).unwrap(), 3);
        assert_eq!(src.offset(), 3);
        assert!(src.peek(1).unwrap().is_empty());
    }

    #[test]
    fn buffer_does_not_grow_with_stream_length() {
        let data = vec![7u8; 4 * READ_CHUNK];
        let mut src = ByteSource::new(&data[..]);
        while !src.peek(16).unwrap().is_empty() {
            src.consume(16);
        }
        assert_eq!(src.offset(), data.len() as u64);
        assert!(src.buf.len() <= READ_CHUNK + 16);
    }
}
