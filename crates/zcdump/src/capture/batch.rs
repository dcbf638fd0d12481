//! Batches: the packets of one read buffer, handed over whole so that another thread can
//! dissect them while the reader goes on reading.
//!
//! In batch mode the [`ByteSource`](super::ByteSource) does not slide its buffer when it
//! refills; it moves on to a fresh one, and the old buffer, with every record located in
//! it, becomes a [`Batch`]. No packet byte is copied: the kernel's `read` writes each byte
//! once, exactly as for [`CaptureReader::next_packet`].

use std::io::Read;

use super::{
    CaptureError, CaptureErrorKind, CaptureReader, Inner, LinkType, Packet, RecordLocation,
};

/// Where one packet of a batch sits in the batch's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    start: usize,
    caplen: usize,
    orig_len: u32,
    ts_sec: u64,
    ts_nsec: u32,
    link_type: LinkType,
}

impl Slot {
    /// The packet of record `rec`, whose record starts at buffer position `start`.
    fn of(rec: &RecordLocation, start: usize) -> Slot {
        Slot {
            start: start + rec.data_start,
            caplen: rec.caplen,
            orig_len: rec.orig_len,
            ts_sec: rec.ts_sec,
            ts_nsec: rec.ts_nsec,
            link_type: rec.link_type,
        }
    }
}

/// The packets of one read buffer; see [`CaptureReader::next_batch`].
///
/// ```
/// use zcdump::capture::{Batch, CaptureReader};
/// let file = std::fs::File::open("../../samples/kernel-mix.pcap")?;
/// let mut reader = CaptureReader::open(file)?;
/// let mut batch = Batch::default();
/// let mut frames = 0;
/// while reader.next_batch(&mut batch, u64::MAX)? {
///     frames += batch.packets().count();
/// }
/// assert_eq!(frames, 357);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Batch {
    buf: Vec<u8>,
    slots: Vec<Slot>,
}

impl Batch {
    /// How many packets the batch holds.
    ///
    /// ```
    /// use zcdump::capture::{Batch, CaptureReader};
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// let mut batch = Batch::default();
    /// reader.next_batch(&mut batch, u64::MAX)?;
    /// assert_eq!(batch.len(), 2);
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the batch holds no packet.
    ///
    /// ```
    /// use zcdump::capture::{Batch, CaptureReader};
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// let mut batch = Batch::default();
    /// reader.next_batch(&mut batch, u64::MAX)?;
    /// assert!(!batch.is_empty());
    /// assert!(Batch::default().is_empty());
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The packets, in file order.
    ///
    /// ```
    /// use zcdump::capture::{Batch, CaptureReader};
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// let mut batch = Batch::default();
    /// reader.next_batch(&mut batch, u64::MAX)?;
    /// let data: Vec<&[u8]> = batch.packets().map(|p| p.data).collect();
    /// assert_eq!(data, [&[0xaa, 0xbb][..], &[0xcc][..]]);
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    pub fn packets(&self) -> impl ExactSizeIterator<Item = Packet<'_>> + '_ {
        self.slots.iter().map(|s| Packet {
            ts_sec: s.ts_sec,
            ts_nsec: s.ts_nsec,
            orig_len: s.orig_len,
            link_type: s.link_type,
            // The reader checked the range when it located the record.
            data: self
                .buf
                .get(s.start..s.start + s.caplen)
                .unwrap_or_default(),
        })
    }
}

impl<R: Read> CaptureReader<R> {
    /// Replaces `batch` with the next packets: those of one read buffer, but at most
    /// `limit`. Returns `false` when the file has no more packets.
    ///
    /// A reader hands out either batches or single packets
    /// ([`next_packet`](Self::next_packet)), not both. The buffer of the batch passed in is
    /// reused.
    ///
    /// # Errors
    /// A structural fault in the file. Packets before it are returned first (in this
    /// batch), and the fault on the next call.
    ///
    /// ```
    /// use zcdump::capture::{Batch, CaptureReader};
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// let mut batch = Batch::default();
    /// let mut sizes = Vec::new();
    /// while reader.next_batch(&mut batch, 1)? { // at most one packet per batch
    ///     sizes.push(batch.len());
    /// }
    /// assert_eq!(sizes, [1, 1]);
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    pub fn next_batch(&mut self, batch: &mut Batch, limit: u64) -> Result<bool, CaptureError> {
        if let Some(e) = self.deferred.take() {
            return Err(e);
        }
        let old = std::mem::take(&mut batch.buf);
        if old.capacity() > 0 {
            self.src.give_back(old);
        }
        batch.slots.clear();
        self.src.consume(self.pending);
        self.pending = 0;
        self.src.set_batching(true);
        if let Some(slot) = self.carried.take() {
            batch.slots.push(slot);
        }
        let result = self.fill_batch(batch, limit);
        if let Err(e) = result {
            if batch.slots.is_empty() {
                return Err(e);
            }
            self.deferred = Some(e);
        }
        if batch.buf.capacity() == 0 {
            // The batch's packets are in a buffer retired by a refill that found no further
            // packet, or else still in the current one.
            batch.buf = match self.src.take_retired() {
                Some((old, _)) => old,
                None => self.src.retire_now().0,
            };
        }
        Ok(!batch.slots.is_empty())
    }

    /// Adds located packets to `batch` until a refill retires the buffer they are in, the
    /// file ends or `limit` is reached.
    fn fill_batch(&mut self, batch: &mut Batch, limit: u64) -> Result<(), CaptureError> {
        while (batch.slots.len() as u64) < limit {
            // Fast path: a packet record that is already whole in the buffer.
            let (buffered, offset) = (self.src.buffered(), self.src.offset());
            let fast = match &self.inner {
                Inner::Pcap(state) => state.buffered_record(buffered, offset),
                Inner::Pcapng(state) => state.buffered_record(buffered, offset),
            };
            if let Some(rec) = fast {
                let start = self.src.position();
                self.src.consume(rec.record_len);
                batch.slots.push(Slot::of(&rec, start));
                continue;
            }
            let found = match &mut self.inner {
                Inner::Pcap(state) => state.next_record(&mut self.src)?,
                Inner::Pcapng(state) => state.next_record(&mut self.src)?,
            };
            let Some(rec) = found else { return Ok(()) };
            let start = self.src.position();
            // Earlier packets of this batch stay in a buffer that the refill retired; this
            // one is in the new buffer and starts the next batch.
            let ends_batch = match self.src.take_retired() {
                Some((old, _)) if !batch.slots.is_empty() => {
                    batch.buf = old;
                    true
                }
                Some((old, _)) => {
                    self.src.give_back(old);
                    false
                }
                None => false,
            };
            let have = self
                .src
                .peek(rec.record_len)
                .map_err(|e| CaptureError::io(rec.offset, e))?
                .len();
            if rec.data_start + rec.caplen > have {
                return Err(CaptureError::new(
                    rec.offset,
                    CaptureErrorKind::Truncated {
                        what: "record data",
                        need: rec.record_len as u64,
                        have: have as u64,
                    },
                ));
            }
            self.src.consume(rec.record_len);
            let slot = Slot::of(&rec, start);
            if ends_batch {
                self.carried = Some(slot);
                return Ok(());
            }
            batch.slots.push(slot);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::trickle::Trickle;

    /// A little-endian pcap of `frames` records whose sizes vary from 1 to 1500 bytes.
    fn pcap(frames: usize) -> Vec<u8> {
        let mut f = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&65535u32.to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        for i in 0..frames {
            let len = 1 + (i * 7919) % 1500;
            f.extend_from_slice(&(i as u32).to_le_bytes());
            f.extend_from_slice(&0u32.to_le_bytes());
            f.extend_from_slice(&(len as u32).to_le_bytes());
            f.extend_from_slice(&(len as u32 + 4).to_le_bytes());
            f.extend(std::iter::repeat_n(i as u8, len));
        }
        f
    }

    type Seen = Vec<(u64, u32, Vec<u8>)>;

    fn one_by_one(file: &[u8]) -> (Seen, bool) {
        let mut r = CaptureReader::open(file).expect("header");
        let mut seen = Vec::new();
        loop {
            match r.next_packet() {
                Ok(Some(p)) => seen.push((p.ts_sec, p.orig_len, p.data.to_vec())),
                Ok(None) => return (seen, false),
                Err(_) => return (seen, true),
            }
        }
    }

    fn batched(reader: impl Read, limit: u64) -> (Seen, bool, usize) {
        let mut r = CaptureReader::open(reader).expect("header");
        let mut batch = Batch::default();
        let (mut seen, mut batches) = (Vec::new(), 0);
        loop {
            match r.next_batch(&mut batch, limit - seen.len() as u64) {
                Ok(true) => {
                    batches += 1;
                    seen.extend(
                        batch
                            .packets()
                            .map(|p| (p.ts_sec, p.orig_len, p.data.to_vec())),
                    );
                    if seen.len() as u64 == limit {
                        return (seen, false, batches);
                    }
                }
                Ok(false) => return (seen, false, batches),
                Err(_) => return (seen, true, batches),
            }
        }
    }

    #[test]
    fn batches_hold_the_same_packets_as_single_reads() {
        let frames = if cfg!(miri) { 40 } else { 3000 };
        let file = pcap(frames);
        let (expected, failed) = one_by_one(&file);
        assert!(!failed);
        assert_eq!(expected.len(), frames);
        let (got, failed, batches) = batched(&file[..], u64::MAX);
        assert!(!failed);
        assert_eq!(got, expected);
        if !cfg!(miri) {
            assert!(batches > 1, "{} bytes in one batch", file.len());
        }
        let (got, failed, _) = batched(
            Trickle {
                data: &file,
                step: 1000,
            },
            u64::MAX,
        );
        assert!(!failed);
        assert_eq!(got, expected);
    }

    #[test]
    fn a_limit_stops_batching_after_that_many_packets() {
        let file = pcap(50);
        let (got, failed, _) = batched(&file[..], 7);
        assert!(!failed);
        assert_eq!(got.len(), 7);
        assert_eq!(got, one_by_one(&file).0[..7]);
    }

    #[test]
    fn packets_before_a_fault_come_first_then_the_fault() {
        let frames = if cfg!(miri) { 30 } else { 1500 };
        let file = pcap(frames);
        for cut in [file.len() - 3, file.len() / 2 + 5, 30] {
            let (expected, failed) = one_by_one(&file[..cut]);
            assert!(failed, "cut at {cut}");
            let (got, failed, _) = batched(&file[..cut], u64::MAX);
            assert!(failed, "cut at {cut}");
            assert_eq!(got, expected, "cut at {cut}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore)]
    fn pcapng_batches_match_single_reads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/kernel-mix.pcapng"
        );
        let Ok(file) = std::fs::read(path) else {
            return;
        };
        let (expected, failed) = one_by_one(&file);
        assert!(!failed);
        let (got, failed, _) = batched(
            Trickle {
                data: &file,
                step: 777,
            },
            u64::MAX,
        );
        assert!(!failed);
        assert_eq!(got, expected);
    }
}
