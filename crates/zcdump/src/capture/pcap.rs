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
    snaplen: u32,
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

/// `(snaplen, network)` from a file header in byte order `O`.
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
        let (snaplen, network) = decoded.ok_or_else(|| {
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
        let link_type = LinkType::from_number(number).ok_or_else(|| {
            CaptureError::new(
                20,
                CaptureErrorKind::UnsupportedLinkType { link_type: number },
            )
        })?;
        src.consume(FILE_HEADER_LEN);
        // Writers that leave snaplen 0 (or absurdly large) still cap records at MAX_CAPLEN.
        let snaplen = if snaplen == 0 || snaplen > MAX_CAPLEN {
            MAX_CAPLEN
        } else {
            snaplen
        };
        Ok(PcapState {
            endian,
            nanos,
            snaplen,
            link_type,
        })
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
        if rec.incl_len > self.snaplen {
            return Err(CaptureError::new(
                offset,
                CaptureErrorKind::CaplenBeyondSnaplen {
                    caplen: rec.incl_len,
                    snaplen: self.snaplen,
                },
            ));
        }
        // A fraction of a second or more is tolerated (some writers emit it) by carrying it
        // into the seconds rather than rejecting the file.
        let per_sec: u64 = if self.nanos { 1_000_000_000 } else { 1_000_000 };
        let frac = u64::from(rec.ts_frac);
        let ts_sec = u64::from(rec.ts_sec) + frac / per_sec;
        let ts_nsec = u32::try_from((frac % per_sec) * (1_000_000_000 / per_sec)).unwrap_or(0);
        let caplen = rec.incl_len as usize;
        let record_len = RECORD_HEADER_LEN + caplen;
        peek_exact(src, record_len, "pcap record")?;
        Ok(Some(RecordLocation {
            offset,
            record_len,
            data_start: RECORD_HEADER_LEN,
            caplen,
            orig_len: rec.orig_len,
            ts_sec,
            ts_nsec,
            link_type: self.link_type,
        }))
    }
}
