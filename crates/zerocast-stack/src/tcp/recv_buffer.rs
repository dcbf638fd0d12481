//! The receive buffer: in-order bytes waiting for the application, and out-of-order bytes
//! held at their place after them until the hole before them fills.
//!
//! One ring of `capacity` bytes holds both: the ready bytes first, then the window. A
//! segment's bytes are written where they belong (offset from RCV.NXT), the [`Assembler`]
//! records which ranges are filled. Nothing is stored beyond the capacity, so what a peer
//! sends never grows memory; the receive window advertised is the free part of the ring.

use alloc::vec::Vec;

use super::assembler::Assembler;

#[derive(Debug, Clone)]
pub(crate) struct RecvBuffer {
    /// Allocated on the first byte received (an idle connection holds no ring).
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

    /// Room after the ready bytes: the receive window.
    pub(crate) fn window(&self) -> usize {
        self.capacity - self.ready
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
        if self.ring.len() != self.capacity {
            self.ring.resize(self.capacity, 0);
        }
        let at = (self.head + self.ready + offset) % self.capacity;
        let first = data.len().min(self.capacity - at);
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
        let first = n.min(self.capacity - self.head);
        out[..first].copy_from_slice(&self.ring[self.head..self.head + first]);
        out[first..n].copy_from_slice(&self.ring[..n - first]);
        self.head = (self.head + n) % self.capacity;
        self.ready -= n;
        if self.ready == 0 && self.ooo.is_empty() {
            self.head = 0;
        }
        n
    }

    /// Discards every ready byte (after `shutdown(Read)`).
    pub(crate) fn discard_ready(&mut self) {
        self.head = (self.head + self.ready) % self.capacity;
        self.ready = 0;
    }

    /// Grows the ring to `capacity` (auto-tuning), keeping ready and held bytes in place
    /// relative to RCV.NXT.
    pub(crate) fn grow(&mut self, capacity: usize) {
        if capacity <= self.capacity {
            return;
        }
        if !self.ring.is_empty() {
            let mut ring = alloc::vec![0u8; capacity];
            let first = self.capacity - self.head;
            ring[..first].copy_from_slice(&self.ring[self.head..]);
            ring[first..self.capacity].copy_from_slice(&self.ring[..self.head]);
            self.ring = ring;
        }
        self.head = 0;
        self.capacity = capacity;
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
