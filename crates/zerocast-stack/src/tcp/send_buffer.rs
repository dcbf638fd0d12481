//! The send buffer: bytes the application queued that the peer has not acknowledged.
//!
//! Byte 0 of the buffer is the oldest unacknowledged byte (SND.UNA once the SYN is
//! acknowledged). The sender reads any range for (re)transmission and drops the acknowledged
//! prefix; the capacity bounds how much an application can queue.

use alloc::collections::VecDeque;

/// A bounded byte queue with random-access reads.
///
/// ```ignore
/// let mut b = SendBuffer::new(4);
/// assert_eq!(b.append(b"hello"), 4);
/// b.drop_front(2);
/// assert_eq!(b.range(0, 2), (&b"ll"[..], &b""[..]));
/// ```
#[derive(Debug, Clone)]
pub(crate) struct SendBuffer {
    bytes: VecDeque<u8>,
    capacity: usize,
}

impl SendBuffer {
    pub(crate) fn new(capacity: usize) -> SendBuffer {
        SendBuffer {
            bytes: VecDeque::new(),
            capacity,
        }
    }

    /// Queues as much of `data` as fits; returns how much.
    pub(crate) fn append(&mut self, data: &[u8]) -> usize {
        let n = data.len().min(self.free());
        self.bytes.extend(&data[..n]);
        n
    }

    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) fn free(&self) -> usize {
        self.capacity.saturating_sub(self.bytes.len())
    }

    /// Changes the bound (queued bytes beyond a smaller bound stay until acknowledged).
    pub(crate) fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
    }

    /// Forgets the first `n` bytes (acknowledged).
    pub(crate) fn drop_front(&mut self, n: usize) {
        let n = n.min(self.bytes.len());
        self.bytes.drain(..n);
        if self.bytes.is_empty() && self.bytes.capacity() > self.capacity {
            self.bytes.shrink_to(self.capacity);
        }
    }

    /// The bytes `offset..offset + len` (clamped to what is queued) as at most two slices.
    pub(crate) fn range(&self, offset: usize, len: usize) -> (&[u8], &[u8]) {
        let start = offset.min(self.bytes.len());
        let end = offset.saturating_add(len).min(self.bytes.len());
        let (a, b) = self.bytes.as_slices();
        if end <= a.len() {
            (&a[start..end], &[])
        } else if start >= a.len() {
            (&b[start - a.len()..end - a.len()], &[])
        } else {
            (&a[start..], &b[..end - a.len()])
        }
    }

    #[cfg(test)]
    /// Copies `offset..offset + out.len()` into `out`; returns whether all of it was queued.
    pub(crate) fn copy_out(&self, offset: usize, out: &mut [u8]) -> bool {
        let (a, b) = self.range(offset, out.len());
        if a.len() + b.len() != out.len() {
            return false;
        }
        out[..a.len()].copy_from_slice(a);
        out[a.len()..].copy_from_slice(b);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_up_to_capacity_and_reads_any_range() {
        let mut b = SendBuffer::new(8);
        assert_eq!(b.append(b"0123456789"), 8);
        assert_eq!(b.free(), 0);
        b.drop_front(3);
        assert_eq!(b.append(b"abc"), 3);
        let mut out = [0u8; 6];
        assert!(b.copy_out(2, &mut out));
        assert_eq!(&out, b"567abc");
        assert!(!b.copy_out(5, &mut out));
        assert_eq!(b.len(), 8);
    }

    #[test]
    fn range_across_the_ring_wrap() {
        let mut b = SendBuffer::new(4);
        b.append(b"abcd");
        b.drop_front(3);
        b.append(b"efg");
        let (x, y) = b.range(0, 4);
        let mut joined = alloc::vec::Vec::from(x);
        joined.extend_from_slice(y);
        assert_eq!(joined, b"defg");
    }
}
