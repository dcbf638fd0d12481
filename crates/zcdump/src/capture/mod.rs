//! Capture-file readers: classic pcap and pcapng, streamed through one reusable buffer.
//!
//! [`CaptureReader::open`] sniffs the format from the first four bytes and then hands out one
//! [`Packet`] at a time. Packets borrow the reader's buffer, so memory use is bounded by the
//! largest record rather than the file. Every structural problem in the file becomes a
//! [`CaptureError`] that names the byte offset where it was found; packets before the fault
//! have already been returned by then.

mod batch;
mod error;
mod pcap;
mod pcapng;
pub mod sll;
mod source;
#[cfg(test)]
mod trickle;

pub use batch::Batch;
pub use error::{CaptureError, CaptureErrorKind};
pub use source::ByteSource;

use std::io::Read;

/// Largest record payload accepted, whatever a header claims (256 KiB, libpcap's maximum
/// snapshot length): beyond this a length field is treated as corrupt rather than trusted
/// with an allocation.
pub const MAX_CAPLEN: u32 = 262_144;

/// The link-layer header types of a capture (the `LINKTYPE_*` registry values): the ones
/// zcdump dissects, and any other as [`LinkType::Other`].
///
/// ```
/// use zcdump::capture::LinkType;
/// assert_eq!(LinkType::from_number(113), LinkType::LinuxSll);
/// assert_eq!(LinkType::RawIp.number(), 101);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkType {
    /// `LINKTYPE_ETHERNET` (1).
    Ethernet,
    /// `LINKTYPE_RAW` (101): a bare IPv4 or IPv6 packet.
    RawIp,
    /// `LINKTYPE_LINUX_SLL` (113): Linux "cooked" capture, version 1.
    LinuxSll,
    /// `LINKTYPE_LINUX_SLL2` (276): Linux "cooked" capture, version 2.
    LinuxSll2,
    /// Any other `LINKTYPE_*` number: its frames are read and counted, and get their
    /// `frame.*` fields, but no protocol is decoded.
    Other(u32),
}

impl LinkType {
    /// Maps a `LINKTYPE_*` number to its link type ([`LinkType::Other`] when zcdump does
    /// not decode it: a capture is never refused for its link type).
    ///
    /// ```
    /// use zcdump::capture::LinkType;
    /// assert_eq!(LinkType::from_number(1), LinkType::Ethernet);
    /// assert_eq!(LinkType::from_number(105), LinkType::Other(105));
    /// ```
    #[must_use]
    pub fn from_number(n: u32) -> LinkType {
        match n {
            1 => LinkType::Ethernet,
            101 => LinkType::RawIp,
            113 => LinkType::LinuxSll,
            276 => LinkType::LinuxSll2,
            n => LinkType::Other(n),
        }
    }

    /// The `LINKTYPE_*` number of this link type.
    ///
    /// ```
    /// use zcdump::capture::LinkType;
    /// assert_eq!(LinkType::LinuxSll2.number(), 276);
    /// ```
    #[must_use]
    pub fn number(self) -> u32 {
        match self {
            LinkType::Ethernet => 1,
            LinkType::RawIp => 101,
            LinkType::LinuxSll => 113,
            LinkType::LinuxSll2 => 276,
            LinkType::Other(n) => n,
        }
    }
}

/// One captured frame, borrowed from the reader's buffer until the next call.
///
/// ```
/// use zcdump::capture::{CaptureReader, LinkType, Packet};
/// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
/// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
/// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
/// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
/// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
/// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
/// let mut reader = CaptureReader::open(&file[..])?;
/// let first = reader.next_packet()?.expect("two records");
/// let expected = Packet { ts_sec: 1, ts_nsec: 5_000, orig_len: 60, link_type: LinkType::Ethernet,
///                         data: &[0xaa, 0xbb] };
/// assert_eq!(first, expected);
/// # Ok::<(), zcdump::capture::CaptureError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Seconds since the Unix epoch.
    pub ts_sec: u64,
    /// Nanoseconds within the second (`0..1_000_000_000`).
    pub ts_nsec: u32,
    /// Length of the frame on the wire (`frame.len`).
    pub orig_len: u32,
    /// Link-layer type of the interface that captured it.
    pub link_type: LinkType,
    /// The captured bytes (`frame.cap_len` of them).
    pub data: &'a [u8],
}

/// The container format of a capture file.
///
/// ```
/// use zcdump::capture::{CaptureReader, Format};
/// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
/// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
/// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
/// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
/// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
/// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
/// let mut reader = CaptureReader::open(&file[..])?;
/// assert_eq!(reader.format(), Format::Pcap);
/// # Ok::<(), zcdump::capture::CaptureError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Classic libpcap format.
    Pcap,
    /// pcapng (sections of blocks).
    Pcapng,
}

enum Inner {
    Pcap(pcap::PcapState),
    Pcapng(pcapng::PcapngState),
}

/// Streams packets out of a pcap or pcapng file.
///
/// ```
/// use zcdump::capture::{CaptureReader, LinkType};
/// // A little-endian microsecond pcap header (snaplen 65535, Ethernet) and one 2-byte record.
/// let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
///                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
/// file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
/// let mut reader = CaptureReader::open(&file[..]).unwrap();
/// let p = reader.next_packet().unwrap().unwrap();
/// assert_eq!((p.ts_sec, p.ts_nsec, p.orig_len, p.data), (1, 5_000, 60, &[0xaa, 0xbb][..]));
/// assert_eq!(p.link_type, LinkType::Ethernet);
/// assert!(reader.next_packet().unwrap().is_none());
/// ```
pub struct CaptureReader<R> {
    src: ByteSource<R>,
    inner: Inner,
    /// Bytes of the previously returned packet's record still to be consumed.
    pending: usize,
    /// A packet located after the last batch's buffer was retired: the next batch's first.
    carried: Option<batch::Slot>,
    /// A fault found while a batch already held packets, reported by the next call.
    deferred: Option<CaptureError>,
}

impl<R: Read> CaptureReader<R> {
    /// Reads the file header and prepares to stream packets.
    ///
    /// # Errors
    /// An unknown magic number, a truncated or inconsistent file header, an unsupported link
    /// type, or an I/O error.
    ///
    /// ```
    /// use zcdump::capture::{CaptureErrorKind, CaptureReader, Format};
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let reader = CaptureReader::open(&file[..])?;
    /// assert_eq!(reader.format(), Format::Pcap);
    /// // A header cut short is an error at the offset where it was found:
    /// let Err(e) = CaptureReader::open(&file[..10]) else { panic!("10 bytes are no pcap header") };
    /// assert!(matches!(e.kind(), CaptureErrorKind::Truncated { .. }));
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    pub fn open(reader: R) -> Result<Self, CaptureError> {
        let mut src = ByteSource::new(reader);
        let magic = src.peek(4).map_err(|e| CaptureError::io(0, e))?;
        let inner = if magic.len() < 4 {
            return Err(CaptureError::new(
                0,
                CaptureErrorKind::Truncated {
                    what: "file header",
                    need: 4,
                    have: magic.len() as u64,
                },
            ));
        } else if magic == pcapng::SHB_TYPE_BYTES {
            Inner::Pcapng(pcapng::PcapngState::open(&mut src)?)
        } else {
            Inner::Pcap(pcap::PcapState::open(&mut src)?)
        };
        Ok(CaptureReader {
            src,
            inner,
            pending: 0,
            carried: None,
            deferred: None,
        })
    }

    /// The container format that was detected.
    ///
    /// ```
    /// use zcdump::capture::{CaptureReader, Format};
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// assert_eq!(reader.format(), Format::Pcap);
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    #[must_use]
    pub fn format(&self) -> Format {
        match self.inner {
            Inner::Pcap(_) => Format::Pcap,
            Inner::Pcapng(_) => Format::Pcapng,
        }
    }

    /// The stream offset just past the last returned record (for progress reporting).
    ///
    /// ```
    /// use zcdump::capture::CaptureReader;
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// assert_eq!(reader.offset(), 24); // after the file header
    /// reader.next_packet()?;
    /// assert_eq!(reader.offset(), 24 + 16 + 2); // after the first record
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    #[must_use]
    pub fn offset(&self) -> u64 {
        self.src.offset() + self.pending as u64
    }

    /// Returns the next packet, `None` at a clean end of file.
    ///
    /// # Errors
    /// A structural fault in the file at the current position; the reader should not be
    /// used after an error.
    ///
    /// ```
    /// use zcdump::capture::CaptureReader;
    /// # // A little-endian microsecond pcap (snaplen 65535, Ethernet) with two records:
    /// # // 2 bytes at 1.000005 s (60 on the wire), then 1 byte at 2.0 s.
    /// # let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /// #                     0xff, 0xff, 0, 0, 1, 0, 0, 0];
    /// # file.extend_from_slice(&[1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 60, 0, 0, 0, 0xaa, 0xbb]);
    /// # file.extend_from_slice(&[2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0xcc]);
    /// let mut reader = CaptureReader::open(&file[..])?;
    /// let mut lengths = Vec::new();
    /// while let Some(packet) = reader.next_packet()? {
    ///     lengths.push(packet.data.len());
    /// }
    /// assert_eq!(lengths, [2, 1]);
    /// # Ok::<(), zcdump::capture::CaptureError>(())
    /// ```
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        if let Some(e) = self.deferred.take() {
            return Err(e);
        }
        self.src.set_batching(false);
        self.src.consume(self.pending);
        self.pending = 0;
        let found = match &mut self.inner {
            Inner::Pcap(state) => state.next_record(&mut self.src)?,
            Inner::Pcapng(state) => state.next_record(&mut self.src)?,
        };
        let Some(rec) = found else { return Ok(None) };
        self.pending = rec.record_len;
        let bytes = self
            .src
            .peek(rec.record_len)
            .map_err(|e| CaptureError::io(rec.offset, e))?;
        let data = bytes
            .get(rec.data_start..rec.data_start + rec.caplen)
            .ok_or_else(|| {
                CaptureError::new(
                    rec.offset,
                    CaptureErrorKind::Truncated {
                        what: "record data",
                        need: rec.record_len as u64,
                        have: bytes.len() as u64,
                    },
                )
            })?;
        Ok(Some(Packet {
            ts_sec: rec.ts_sec,
            ts_nsec: rec.ts_nsec,
            orig_len: rec.orig_len,
            link_type: rec.link_type,
            data,
        }))
    }
}

/// Where the next packet sits in the source buffer; produced by the format readers, which
/// have already checked that `record_len` bytes are buffered.
struct RecordLocation {
    offset: u64,
    record_len: usize,
    data_start: usize,
    caplen: usize,
    orig_len: u32,
    ts_sec: u64,
    ts_nsec: u32,
    link_type: LinkType,
}

/// Which byte order a file section was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

/// Peeks exactly `need` bytes or reports the truncation at the current offset.
fn peek_exact<'s, R: Read>(
    src: &'s mut ByteSource<R>,
    need: usize,
    what: &'static str,
) -> Result<&'s [u8], CaptureError> {
    let offset = src.offset();
    let bytes = src.peek(need).map_err(|e| CaptureError::io(offset, e))?;
    if bytes.len() < need {
        return Err(CaptureError::new(
            offset,
            CaptureErrorKind::Truncated {
                what,
                need: need as u64,
                have: bytes.len() as u64,
            },
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A valid little-endian pcap with `frames` records of `len` bytes each.
    fn pcap(frames: usize, len: usize) -> Vec<u8> {
        let mut f = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&65535u32.to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        for i in 0..frames {
            f.extend_from_slice(&(i as u32).to_le_bytes());
            f.extend_from_slice(&0u32.to_le_bytes());
            f.extend_from_slice(&(len as u32).to_le_bytes());
            f.extend_from_slice(&(len as u32).to_le_bytes());
            f.extend(std::iter::repeat_n(i as u8, len));
        }
        f
    }

    /// Reads everything; returns the packet count and whether it ended in an error.
    fn drain(bytes: &[u8]) -> (usize, bool) {
        let Ok(mut r) = CaptureReader::open(bytes) else {
            return (0, true);
        };
        let mut n = 0;
        loop {
            match r.next_packet() {
                Ok(Some(p)) => {
                    assert!(p.data.len() <= MAX_CAPLEN as usize);
                    assert!(p.ts_nsec < 1_000_000_000);
                    n += 1;
                }
                Ok(None) => return (n, false),
                Err(_) => return (n, true),
            }
        }
    }

    #[test]
    fn every_truncation_of_a_valid_file_is_an_error_after_whole_records() {
        let file = pcap(4, 10);
        for cut in 0..file.len() {
            let (n, failed) = drain(&file[..cut]);
            let whole = (cut.saturating_sub(24)) / 26;
            let on_boundary = cut >= 24 && (cut - 24) % 26 == 0;
            assert_eq!(n, whole, "cut at {cut}");
            assert_eq!(failed, !on_boundary, "cut at {cut}");
        }
        assert_eq!(drain(&file), (4, false));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 512 }))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            drain(&bytes);
        }

        #[test]
        fn corrupted_pcap_and_pcapng_never_panic(
            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
            as_pcapng in any::<bool>(),
        ) {
            let mut file = if as_pcapng {
                let mut f = Vec::new();
                for (t, body) in [(0x0a0d_0d0au32, vec![0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
                                  (1, vec![1, 0, 0, 0, 0, 0, 0, 0]),
                                  (6, vec![0; 20 + 12])] {
                    let total = (12 + body.len()) as u32;
                    f.extend_from_slice(&t.to_le_bytes());
                    f.extend_from_slice(&total.to_le_bytes());
                    f.extend_from_slice(&body);
                    f.extend_from_slice(&total.to_le_bytes());
                }
                f
            } else {
                pcap(3, 20)
            };
            for (at, value) in flips {
                let i = at % file.len();
                file[i] = value;
            }
            drain(&file);
        }
    }
}
