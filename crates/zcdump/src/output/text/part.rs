//! [`Part`]: a piece of a text line built in a buffer on the stack and appended to the
//! output in one copy.
//!
//! Each append to the output vector loads its length and capacity from memory, compares
//! them and stores the length back; a line part of a dozen small appends (TCP's flags,
//! numbers and options) paid that a dozen times. Here the length stays in a register and
//! the one check left per append is against a constant; when the buffer is full it is
//! handed on to the output and reused, so nothing is ever dropped or cut.

use crate::fields::format::{eight_digits, pair, write_dec};

/// Bytes kept on the stack: TCP's fixed words (flags, sequence range, ack, window, urgent
/// pointer) take at most 81, a usual option list about 50.
const SIZE: usize = 192;

/// The longest single append of a decimal number (`u64::MAX` has 20 digits).
const DEC_MAX: usize = 20;

/// A line part being built; [`Part::finish`] appends what is left to the output.
pub(super) struct Part<'o> {
    out: &'o mut Vec<u8>,
    buf: [u8; SIZE],
    len: usize,
}

impl<'o> Part<'o> {
    /// An empty part that will append to `out`.
    #[inline(always)]
    pub(super) fn new(out: &'o mut Vec<u8>) -> Self {
        Part {
            out,
            buf: [0; SIZE],
            len: 0,
        }
    }

    /// Hands the buffered bytes to the output when fewer than `n` bytes are free.
    #[inline(always)]
    fn room(&mut self, n: usize) {
        if SIZE - self.len < n {
            self.spill();
        }
    }

    #[cold]
    #[inline(never)]
    fn spill(&mut self) {
        self.out.extend_from_slice(&self.buf[..self.len]);
        self.len = 0;
    }

    /// Appends `bytes` (a literal, as a rule: the copy is then a few moves).
    #[inline(always)]
    pub(super) fn put(&mut self, bytes: &[u8]) {
        self.room(bytes.len());
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            // Longer than the whole buffer: straight to the output after what is buffered.
            None => self.out.extend_from_slice(bytes),
        }
    }

    /// Appends one byte.
    #[inline(always)]
    pub(super) fn byte(&mut self, b: u8) {
        self.room(1);
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// Appends `v` in decimal, as [`write_dec`] does.
    #[inline]
    pub(super) fn dec(&mut self, v: u64) {
        self.room(DEC_MAX);
        let at = self.len;
        if v < 10 {
            self.byte(b'0' + v as u8);
        } else if v < 100 {
            self.put(&pair(v as usize));
        } else if v < 100_000_000 {
            let digits = eight_digits(v as u32);
            // v >= 100: at most five leading zeros, the low bytes that hold '0' exactly.
            let zeros = ((digits & 0x0f0f_0f0f_0f0f_0f0f).trailing_zeros() / 8) as usize;
            // All eight bytes are stored (room was made for them) and the length moves by
            // the digits that count.
            if let Some(dst) = self.buf.get_mut(at..at + 8) {
                dst.copy_from_slice(&(digits >> (8 * zeros)).to_le_bytes());
                self.len = at + 8 - zeros;
            }
        } else if let Ok(v) = u32::try_from(v) {
            // Nine or ten digits (absolute sequence numbers, timestamps): the top one or
            // two, then eight at once.
            let (top, rest) = (v / 100_000_000, v % 100_000_000);
            let p = pair(top as usize);
            let skip = usize::from(top < 10);
            if let Some(dst) = self.buf.get_mut(at..at + 10) {
                dst[0] = p[skip];
                dst[1] = p[1];
                dst[2 - skip..10 - skip].copy_from_slice(&eight_digits(rest).to_le_bytes());
                self.len = at + 10 - skip;
            }
        } else {
            // Above 32 bits: not a TCP field; the general writer after what is buffered.
            self.spill();
            write_dec(self.out, v);
        }
    }

    /// Appends what is buffered to the output.
    #[inline(always)]
    pub(super) fn finish(mut self) {
        self.spill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_bytes_come_out_as_the_plain_writers_make_them() {
        let values = [
            0,
            7,
            10,
            99,
            100,
            12_345,
            99_999_999,
            100_000_000,
            4_294_967_295,
            u64::MAX,
        ];
        let mut expected = Vec::new();
        let mut out = Vec::new();
        let mut part = Part::new(&mut out);
        // Enough rounds to fill the buffer several times over.
        for round in 0..40 {
            for &v in &values {
                part.put(b", x ");
                part.dec(v.wrapping_add(round));
                part.byte(b';');
                expected.extend_from_slice(b", x ");
                write_dec(&mut expected, v.wrapping_add(round));
                expected.push(b';');
            }
        }
        part.finish();
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&expected)
        );
    }

    #[test]
    fn a_put_longer_than_the_buffer_is_kept_whole_and_in_order() {
        let long = vec![b'a'; SIZE * 2 + 3];
        let mut out = Vec::new();
        let mut part = Part::new(&mut out);
        part.put(b"start ");
        part.put(&long);
        part.put(b" end");
        part.finish();
        let mut expected = b"start ".to_vec();
        expected.extend_from_slice(&long);
        expected.extend_from_slice(b" end");
        assert_eq!(out, expected);
    }
}
