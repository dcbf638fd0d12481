//! Classic libpcap files: a 24-byte file header, then 16-byte record headers each followed by
//! the captured bytes. The magic number gives byte order and timestamp resolution.

use std::io::Read;

use zerocast::byteorder::{ByteOrder, BE, I32, LE, U16, U32};
use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};

use super::{
    peek_exact, ByteSource, CaptureError, CaptureErrorKind, Endian, LinkType, RecordLocation,
    MAX_CAPLEN,
};

const MAGIC_MICROS: u32 = 0xa1b2_c3d4;
const MAGIC_NANOS: u32 = 0xa1b2_3c4d;

/// The file header, in the writer's byte order.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct FileHeader<O: ByteOrder> {
    magic: U32<O>,
    version_major: U16<O>,
    version_minor: U16<O>,
    thiszone: I32<O>,
    sigfigs: U32<O>,
    snaplen: U32<O>,
    network: U32<O>,
}

/// The per-record header, in the writer's byte order.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct RecordHeader<O: ByteOrder> {
    ts_sec: U32<O>,
    ts_frac: U32<O>,
    incl_len: U32<O>,
    orig_len: U32<O>,
}

const FILE_HEADER_LEN: usize = size_of::<FileHeader<LE>>();
const RECORD_HEADER_LEN: usize = size_of::<RecordHeader<LE>>();

/// What the file header fixed for every record.
pub(super) struct PcapState {
    endian: Endian,
    nanos: bool,
    link_type: LinkType,
}

/// Record-header values in native integers.
struct Record {
    ts_sec: u32,
    ts_frac: u32,
    incl_len: u32,
    orig_len: u32,
}

fn decode_record<O: ByteOrder>(bytes: &[u8]) -> Option<Record> {
    let (h, _) = RecordHeader::<O>::ref_from_prefix(bytes).ok()?;
    Some(Record {
        ts_sec: h.ts_sec.get(),
        ts_frac: h.ts_frac.get(),
        incl_len: h.incl_len.get(),
        orig_len: h.orig_len.get(),
    })
}

/// `(snaplen, network)` from a file header in byte order `O` (the snapshot length is not a
/// limit on records: tcpdump and tshark read longer ones).
fn decode_file_header<O: ByteOrder>(bytes: &[u8]) -> Option<(u32, u32)> {
    let (h, _) = FileHeader::<O>::ref_from_prefix(bytes).ok()?;
    Some((h.snaplen.get(), h.network.get()))
}

impl PcapState {
    pub(super) fn open<R: Read>(src: &mut ByteSource<R>) -> Result<Self, CaptureError> {
        let bytes = peek_exact(src, FILE_HEADER_LEN, "pcap file header")?;
        let magic_le = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let magic_be = magic_le.swap_bytes();
        let (endian, nanos) = match (magic_le, magic_be) {
            (MAGIC_MICROS, _) => (Endian::Little, false),
            (MAGIC_NANOS, _) => (Endian::Little, true),
            (_, MAGIC_MICROS) => (Endian::Big, false),
            (_, MAGIC_NANOS) => (Endian::Big, true),
            _ => {
                return Err(CaptureError::new(
                    0,
                    CaptureErrorKind::BadMagic { magic: magic_be },
                ))
            }
        };
        let decoded = match endian {
            Endian::Little => decode_file_header::<LE>(bytes),
            Endian::Big => decode_file_header::<BE>(bytes),
        };
        let (_snaplen, network) = decoded.ok_or_else(|| {
            CaptureError::new(
                0,
                CaptureErrorKind::BadBlock {
                    reason: "file header",
                },
            )
        })?;
        // The upper bits of the network field carry FCS information (pcap spec, "LinkType
        // and additional information"); the link type itself is the low 16 bits.
        let number = network & 0xffff;
        let link_type = LinkType::from_number(number);
        src.consume(FILE_HEADER_LEN);
        Ok(PcapState {
            endian,
            nanos,
            link_type,
        })
    }

    /// The next record if it lies whole and valid in `buffered` (the source's unconsumed
    /// bytes, which start at stream `offset`): batch reading's fast path, with one slice
    /// instead of three peeks per record. `None` sends the caller to
    /// [`next_record`](Self::next_record), which refills or reports the fault; for every
    /// record this returns, `next_record` would have returned the same without a refill.
    #[inline]
    pub(super) fn buffered_record(&self, buffered: &[u8], offset: u64) -> Option<RecordLocation> {
        let rec = match self.endian {
            Endian::Little => decode_record::<LE>(buffered),
            Endian::Big => decode_record::<BE>(buffered),
        }?;
        // Records longer than the snapshot length are read (see `next_record`); absurd
        // lengths go to the general path, which reports them.
        if rec.incl_len > MAX_CAPLEN {
            return None;
        }
        let location = self.locate(&rec, offset);
        (buffered.len() >= location.record_len).then_some(location)
    }

    /// Where a record whose header `rec` starts at stream `offset` lies, and its time.
    #[inline]
    fn locate(&self, rec: &Record, offset: u64) -> RecordLocation {
        let (ts_sec, ts_nsec) = self.timestamp(rec);
        let caplen = rec.incl_len as usize;
        RecordLocation {
            offset,
            record_len: RECORD_HEADER_LEN + caplen,
            data_start: RECORD_HEADER_LEN,
            caplen,
            orig_len: rec.orig_len,
            ts_sec,
            ts_nsec,
            link_type: self.link_type,
        }
    }

    /// A record's time as seconds and nanoseconds. A fraction of a second or more is
    /// tolerated (some writers emit it) by carrying it into the seconds rather than
    /// rejecting the file; the usual in-range fraction needs no division.
    #[inline]
    fn timestamp(&self, rec: &Record) -> (u64, u32) {
        let (per_sec, scale) = if self.nanos {
            (1_000_000_000, 1)
        } else {
            (1_000_000, 1_000)
        };
        let (sec, frac) = (u64::from(rec.ts_sec), rec.ts_frac);
        if frac < per_sec {
            return (sec, frac * scale);
        }
        let nsec = (frac % per_sec) * scale;
        (sec + u64::from(frac / per_sec), nsec)
    }

    pub(super) fn next_record<R: Read>(
        &mut self,
        src: &mut ByteSource<R>,
    ) -> Result<Option<RecordLocation>, CaptureError> {
        let offset = src.offset();
        let head = src
            .peek(RECORD_HEADER_LEN)
            .map_err(|e| CaptureError::io(offset, e))?;
        if head.is_empty() {
            return Ok(None);
        }
        let decoded = match self.endian {
            Endian::Little => decode_record::<LE>(head),
            Endian::Big => decode_record::<BE>(head),
        };
        let Some(rec) = decoded else {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::Truncated {
                    what: "pcap record header",
                    need: RECORD_HEADER_LEN as u64,
                    have: head.len() as u64,
                },
            ));
        };
        if rec.incl_len > MAX_CAPLEN {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::AbsurdLength {
                    what: "record captured length",
                    value: u64::from(rec.incl_len),
                },
            ));
        }
        // A record longer than the file's snapshot length is read whole, as tcpdump and
        // tshark read it (some writers leave a snaplen smaller than what they wrote); only
        // MAX_CAPLEN, checked above, bounds it.
        let location = self.locate(&rec, offset);
        peek_exact(src, location.record_len, "pcap record")?;
        Ok(Some(location))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Batch, CaptureReader};

    /// A little-endian pcap (microseconds, or nanoseconds when `nanos`) with one 1-byte
    /// record per (seconds, fraction) pair.
    fn pcap(nanos: bool, times: &[(u32, u32)]) -> Vec<u8> {
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        let mut f = magic.to_le_bytes().to_vec();
        f.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&65535u32.to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        for &(sec, frac) in times {
            for v in [sec, frac, 1, 60] {
                f.extend_from_slice(&v.to_le_bytes());
            }
            f.push(0xab);
        }
        f
    }

    /// Packet times as (seconds, nanoseconds).
    type Times = Vec<(u64, u32)>;

    /// Every packet's time, read one by one and in batches.
    fn times(file: &[u8]) -> (Times, Times) {
        let mut r = CaptureReader::open(file).expect("header");
        let mut single = Vec::new();
        while let Some(p) = r.next_packet().expect("packet") {
            single.push((p.ts_sec, p.ts_nsec));
        }
        let mut r = CaptureReader::open(file).expect("header");
        let (mut batch, mut batched) = (Batch::default(), Vec::new());
        while r.next_batch(&mut batch, u64::MAX).expect("batch") {
            batched.extend(batch.packets().map(|p| (p.ts_sec, p.ts_nsec)));
        }
        (single, batched)
    }

    #[test]
    fn fractions_of_a_second_or_more_carry_into_the_seconds() {
        let micros = pcap(
            false,
            &[(7, 5), (7, 999_999), (7, 2_500_000), (7, u32::MAX)],
        );
        let expected = [
            (7, 5_000),
            (7, 999_999_000),
            (9, 500_000_000),
            (7 + 4294, 967_295_000),
        ];
        let (single, batched) = times(&micros);
        assert_eq!(single, expected);
        assert_eq!(batched, expected);
        let nanos = pcap(true, &[(1, 999_999_999), (1, 1_000_000_000), (1, u32::MAX)]);
        let expected = [(1, 999_999_999), (2, 0), (5, 294_967_295)];
        let (single, batched) = times(&nanos);
        assert_eq!(single, expected);
        assert_eq!(batched, expected);
    }
}
