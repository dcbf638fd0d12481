//! [`BurstBuffer`]: the frames of one receive burst, read back to back into one buffer, so
//! the whole burst can be handed to `Stack::receive_burst` at once (TCP then acknowledges
//! the burst's data with one ACK per connection instead of one per two segments).
//!
//! A binding's read loop reads frames one at a time into the same buffer; to pass a burst,
//! every frame of it must stay readable until the burst ends. Reading them into one buffer,
//! each right after the previous one, keeps that to one allocation whose size does not
//! depend on how many frames arrive.

/// Frames of at most this size are expected to fill a burst; larger ones (GRO, offload)
/// end it early instead of the buffer growing to `max_frames` times the largest frame.
const TYPICAL_FRAME: usize = 2048;

/// Received frames stored back to back, up to a count and the buffer's room.
///
/// ```
/// use zerocast_tap::burst::BurstBuffer;
/// let mut burst = BurstBuffer::new(1500, 2);
/// burst.start()[..5].copy_from_slice(b"first");
/// burst.commit(5);
/// let slot = burst.next_slot().expect("room for a second frame");
/// slot[..6].copy_from_slice(b"second");
/// burst.commit(6);
/// assert!(burst.next_slot().is_none(), "the burst is full at two frames");
/// let lengths: Vec<usize> = burst.frames_mut().map(|frame| frame.len()).collect();
/// assert_eq!(lengths, [5, 6]);
/// assert!(burst.frames().eq([&b"first"[..], b"second"]));
/// burst.clear();
/// assert!(burst.is_empty());
/// ```
#[derive(Debug)]
pub struct BurstBuffer {
    bytes: Vec<u8>,
    lens: Vec<usize>,
    used: usize,
    frame_capacity: usize,
    max_frames: usize,
}

impl BurstBuffer {
    /// A buffer for bursts of up to `max_frames` frames of up to `frame_capacity` bytes
    /// each. Its size is `max_frames - 1` typical frames (2 KiB, or `frame_capacity` when
    /// smaller) plus one of `frame_capacity`, so the first frame always fits.
    #[must_use]
    pub fn new(frame_capacity: usize, max_frames: usize) -> BurstBuffer {
        let max_frames = max_frames.max(1);
        let typical = frame_capacity.min(TYPICAL_FRAME);
        let size = typical
            .saturating_mul(max_frames - 1)
            .saturating_add(frame_capacity);
        BurstBuffer {
            bytes: vec![0; size],
            lens: Vec::with_capacity(max_frames),
            used: 0,
            frame_capacity,
            max_frames,
        }
    }

    /// Forgets the previous burst and returns where to read its first frame
    /// (`frame_capacity` bytes: the buffer always has room for one).
    pub fn start(&mut self) -> &mut [u8] {
        self.clear();
        let end = self.frame_capacity.min(self.bytes.len());
        &mut self.bytes[..end]
    }

    /// Where to read the next frame (`frame_capacity` bytes), or `None` when the burst
    /// holds `max_frames` frames or the rest of the buffer cannot take a largest frame.
    pub fn next_slot(&mut self) -> Option<&mut [u8]> {
        if self.lens.len() >= self.max_frames {
            return None;
        }
        let end = self.used.checked_add(self.frame_capacity)?;
        self.bytes.get_mut(self.used..end)
    }

    /// Records that a frame of `len` bytes was read into the slot [`Self::next_slot`]
    /// returned (a `len` beyond the slot is cut to it).
    pub fn commit(&mut self, len: usize) {
        let len = len.min(self.frame_capacity);
        self.lens.push(len);
        self.used += len;
    }

    /// The number of frames in the burst.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// Whether the burst holds no frame.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The frames, in the order they were read.
    pub fn frames(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.lens.iter().map(move |&len| {
            let frame = &self.bytes[start..start + len];
            start += len;
            frame
        })
    }

    /// The frames, writable (the core parses some headers in place), in read order.
    pub fn frames_mut(&mut self) -> impl Iterator<Item = &mut [u8]> {
        let mut rest = &mut self.bytes[..self.used];
        self.lens.iter().map(move |&len| {
            let (frame, tail) = core::mem::take(&mut rest).split_at_mut(len);
            rest = tail;
            frame
        })
    }

    /// Forgets the frames; the next burst starts at the buffer's beginning.
    pub fn clear(&mut self) {
        self.lens.clear();
        self.used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::BurstBuffer;

    fn fill(burst: &mut BurstBuffer, len: usize, byte: u8) -> bool {
        let Some(slot) = burst.next_slot() else {
            return false;
        };
        slot[..len].fill(byte);
        burst.commit(len);
        true
    }

    #[test]
    fn small_frames_fill_the_burst_to_its_count() {
        let mut burst = BurstBuffer::new(65_554, 64);
        let mut n = 0u8;
        while fill(&mut burst, 1514, n) {
            n += 1;
        }
        assert_eq!(burst.len(), 64);
        for (i, frame) in burst.frames_mut().enumerate() {
            assert_eq!(frame.len(), 1514);
            assert!(frame.iter().all(|&b| usize::from(b) == i), "frame {i}");
        }
    }

    #[test]
    fn largest_frames_end_the_burst_when_the_room_runs_out() {
        let mut burst = BurstBuffer::new(65_554, 64);
        while fill(&mut burst, 65_554, 7) {}
        // 63 * 2048 + 65,554 bytes hold two largest frames and not a third.
        assert_eq!(burst.len(), 2);
        assert!(burst.frames().all(|f| f.len() == 65_554));
        burst.clear();
        assert!(fill(&mut burst, 60, 1), "a cleared burst starts over");
        assert_eq!(burst.frames().map(<[u8]>::len).collect::<Vec<_>>(), [60]);
    }

    #[test]
    fn mixed_sizes_come_back_in_order_with_their_lengths() {
        let mut burst = BurstBuffer::new(1500, 8);
        for (len, byte) in [(60, 1), (1500, 2), (0, 3), (700, 4)] {
            assert!(fill(&mut burst, len, byte));
        }
        let got: Vec<(usize, Option<u8>)> = burst
            .frames()
            .map(|f| (f.len(), f.first().copied()))
            .collect();
        assert_eq!(
            got,
            [(60, Some(1)), (1500, Some(2)), (0, None), (700, Some(4))]
        );
    }
}
