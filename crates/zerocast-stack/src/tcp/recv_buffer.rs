//! The receive buffer: in-order bytes waiting for the application, and out-of-order bytes
//! held at their place after them until the hole before them fills.
//!
//! One ring holds both: the ready bytes first, then the window. A segment's bytes are
//! written where they belong (offset from RCV.NXT), the [`Assembler`] records which ranges
//! are filled. Nothing is stored beyond the capacity, so what a peer sends never grows
//! memory past it; the receive window advertised is the capacity less the ready bytes.
//!
//! The ring's storage grows with what it holds (doubling from [`MIN_RING`] up to the
//! capacity), so an idle connection, or one exchanging small messages, holds a few KiB
//! rather than its whole window.

use alloc::vec::Vec;

use super::assembler::Assembler;

/// The smallest ring allocated, on the first byte received.
pub(crate) const MIN_RING: usize = 4096;

#[derive(Debug, Clone)]
pub(crate) struct RecvBuffer {
    /// The storage: empty until the first byte, then a power of two (or the capacity)
    /// between [`MIN_RING`] and `capacity`; positions are taken modulo its length.
    ring: Vec<u8>,
    head: usize,
    ready: usize,
    capacity: usize,
    pub(crate) ooo: Assembler,
}

impl RecvBuffer {
    pub(crate) fn new(capacity: usize) -> RecvBuffer {
        RecvBuffer {
            ring: Vec::new(),
            head: 0,
            ready: 0,
            capacity: capacity.max(1),
            ooo: Assembler::default(),
        }
    }

    /// Bytes the application can read.
    pub(crate) fn ready(&self) -> usize {
        self.ready
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes of storage held now.
    #[cfg(test)]
    pub(crate) fn allocated(&self) -> usize {
        self.ring.len()
    }

    /// Room after the ready bytes: the receive window.
    pub(crate) fn window(&self) -> usize {
        self.capacity - self.ready
    }

    /// Makes the storage hold at least `needed` bytes from the head (at most the
    /// capacity), moving the head to index 0 when it grows.
    fn reserve(&mut self, needed: usize) {
        let len = self.ring.len();
        if needed <= len {
            return;
        }
        let size = needed
            .max(MIN_RING)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX)
            .min(self.capacity);
        let mut ring = alloc::vec![0u8; size];
        // Every held byte sits less than `len` after the head: unroll the old ring there.
        let first = len - self.head;
        ring[..first].copy_from_slice(&self.ring[self.head..]);
        ring[first..len].copy_from_slice(&self.ring[..self.head]);
        self.ring = ring;
        self.head = 0;
    }

    /// Stores `data`, which starts `offset` bytes after RCV.NXT. Bytes beyond the window
    /// are cut off. Returns how far RCV.NXT advances (0 for out-of-order data), or `None`
    /// when out-of-order data could not be recorded (too many holes).
    pub(crate) fn write(&mut self, offset: usize, data: &[u8]) -> Option<usize> {
        let room = self.window().saturating_sub(offset);
        let data = &data[..data.len().min(room)];
        if data.is_empty() {
            return Some(0);
        }
        let (Ok(start), Ok(end)) = (u32::try_from(offset), u32::try_from(offset + data.len()))
        else {
            return None;
        };
        if offset > 0 && !self.ooo.add(start, end) {
            return None;
        }
        // Within the window, so at most the capacity.
        self.reserve(self.ready + offset + data.len());
        let size = self.ring.len();
        let at = (self.head + self.ready + offset) % size;
        let first = data.len().min(size - at);
        self.ring[at..at + first].copy_from_slice(&data[..first]);
        self.ring[..data.len() - first].copy_from_slice(&data[first..]);
        if offset > 0 {
            return Some(0);
        }
        // In order: it and whatever was held right after it become ready.
        self.ooo.advance(end);
        let joined = self.ooo.contiguous_at_front();
        self.ooo.advance(joined);
        let advanced = data.len() + joined as usize;
        self.ready += advanced;
        Some(advanced)
    }

    /// Moves up to `out.len()` ready bytes to `out`.
    pub(crate) fn read(&mut self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.ready);
        if n == 0 {
            return 0;
        }
        let size = self.ring.len();
        let first = n.min(size - self.head);
        out[..first].copy_from_slice(&self.ring[self.head..self.head + first]);
        out[first..n].copy_from_slice(&self.ring[..n - first]);
        self.head = (self.head + n) % size;
        self.ready -= n;
        if self.ready == 0 && self.ooo.is_empty() {
            self.head = 0;
        }
        n
    }

    /// Discards every ready byte (after `shutdown(Read)`).
    pub(crate) fn discard_ready(&mut self) {
        if self.ready > 0 {
            self.head = (self.head + self.ready) % self.ring.len();
            self.ready = 0;
        }
    }

    /// Raises the capacity (auto-tuning); the storage follows when bytes need it.
    pub(crate) fn grow(&mut self, capacity: usize) {
        if capacity > self.capacity {
            self.capacity = capacity;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_order_bytes_join_when_the_hole_fills() {
        let mut b = RecvBuffer::new(16);
        assert_eq!(b.write(4, b"efgh"), Some(0));
        assert_eq!(b.ready(), 0);
        assert_eq!(b.write(0, b"abcd"), Some(8));
        let mut out = [0u8; 16];
        assert_eq!(b.read(&mut out), 8);
        assert_eq!(&out[..8], b"abcdefgh");
    }

    #[test]
    fn nothing_is_stored_beyond_the_capacity() {
        let mut b = RecvBuffer::new(8);
        assert_eq!(b.write(0, b"0123456789"), Some(8));
        assert_eq!(b.window(), 0);
        assert_eq!(b.write(0, b"x"), Some(0));
        let mut out = [0u8; 3];
        b.read(&mut out);
        assert_eq!(b.write(0, b"abcdef"), Some(3), "wraps around the ring");
        let mut all = [0u8; 8];
        assert_eq!(b.read(&mut all), 8);
        assert_eq!(&all, b"34567abc");
    }

    #[test]
    fn storage_grows_with_the_bytes_held_not_the_capacity() {
        let mut b = RecvBuffer::new(1 << 20);
        assert_eq!(b.allocated(), 0, "nothing before the first byte");
        assert_eq!(b.write(0, b"x"), Some(1));
        assert_eq!(b.allocated(), MIN_RING);
        // Out-of-order bytes past the small ring grow it; the held byte stays first.
        let hole = MIN_RING + 5;
        assert_eq!(b.write(hole, &[7u8; 10]), Some(0));
        assert_eq!(b.allocated(), 2 * MIN_RING);
        let fill = alloc::vec![1u8; hole];
        assert_eq!(b.write(0, &fill), Some(hole + 10));
        let mut out = alloc::vec![0u8; 2 * MIN_RING];
        assert_eq!(b.read(&mut out), 1 + hole + 10);
        assert_eq!(out[0], b'x');
        assert!(out[1..=hole].iter().all(|&x| x == 1));
        assert!(out[hole + 1..hole + 11].iter().all(|&x| x == 7));
    }

    #[test]
    fn growing_keeps_held_bytes_in_place() {
        let mut b = RecvBuffer::new(8);
        b.write(0, b"abcdef");
        let mut out = [0u8; 4];
        b.read(&mut out);
        b.write(4, b"xy");
        b.grow(32);
        assert_eq!(b.write(0, b"1234"), Some(6));
        let mut all = [0u8; 8];
        assert_eq!(b.read(&mut all), 8);
        assert_eq!(&all, b"ef1234xy");
    }
}
