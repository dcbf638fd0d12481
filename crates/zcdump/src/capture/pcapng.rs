//! pcapng files: sections of length-framed blocks. zcdump reads the section header (SHB),
//! interface descriptions (IDB), enhanced, simple and obsolete packet blocks (EPB, SPB, PB),
//! and steps over every other block type. Each section may switch byte order and starts a
//! fresh interface table.

use std::io::Read;

use zerocast::byteorder::{ByteOrder, BE, LE, U16, U32};
use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};

use super::{
    peek_exact, ByteSource, CaptureError, CaptureErrorKind, Endian, LinkType, RecordLocation,
    MAX_CAPLEN,
};

/// The section header block type; a byte palindrome, so it reads the same in both orders.
pub(super) const SHB_TYPE_BYTES: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
const IDB_TYPE: u32 = 1;
const PB_TYPE: u32 = 2;
const SPB_TYPE: u32 = 3;
const EPB_TYPE: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;

/// Largest block accepted: a maximal packet plus generous room for options. Bigger length
/// fields are corrupt, and refusing them keeps the read buffer bounded.
const MAX_BLOCK_LEN: u32 = MAX_CAPLEN + 64 * 1024;

/// Type and total length, common to every block.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct BlockHeader<O: ByteOrder> {
    block_type: U32<O>,
    total_len: U32<O>,
}

/// The start of an interface description block body.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct InterfaceDescription<O: ByteOrder> {
    link_type: U16<O>,
    reserved: U16<O>,
    snaplen: U32<O>,
}

/// The fixed part of an enhanced packet block body.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct EnhancedPacket<O: ByteOrder> {
    interface_id: U32<O>,
    ts_high: U32<O>,
    ts_low: U32<O>,
    caplen: U32<O>,
    orig_len: U32<O>,
}

/// The fixed part of the obsolete packet block body.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct ObsoletePacket<O: ByteOrder> {
    interface_id: U16<O>,
    drops_count: U16<O>,
    ts_high: U32<O>,
    ts_low: U32<O>,
    caplen: U32<O>,
    orig_len: U32<O>,
}

/// An option header inside a block's option list.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct OptionHeader<O: ByteOrder> {
    code: U16<O>,
    len: U16<O>,
}

const BLOCK_HEADER_LEN: usize = size_of::<BlockHeader<LE>>();
const OPT_ENDOFOPT: u16 = 0;
const IF_TSRESOL: u16 = 9;
const IF_TSOFFSET: u16 = 14;

#[derive(Debug, Clone, Copy)]
struct Interface {
    link_type: LinkType,
    snaplen: u32,
    units_per_sec: u64,
    ts_offset_sec: u64,
}

/// Decoded fields of a packet-carrying block, in native integers.
struct PacketFields {
    interface: u32,
    timestamp: u64,
    caplen: u32,
    orig_len: u32,
    data_start: usize,
}

/// The current section's byte order and interfaces.
pub(super) struct PcapngState {
    endian: Endian,
    interfaces: Vec<Interface>,
}

fn err(offset: u64, kind: CaptureErrorKind) -> CaptureError {
    CaptureError::new(offset, kind)
}

fn bad_block(offset: u64, reason: &'static str) -> CaptureError {
    err(offset, CaptureErrorKind::BadBlock { reason })
}

fn read_u32<O: ByteOrder>(bytes: &[u8]) -> Option<u32> {
    U32::<O>::read_from_prefix(bytes).ok().map(|(v, _)| v.get())
}

fn block_header<O: ByteOrder>(bytes: &[u8]) -> Option<(u32, u32)> {
    let (h, _) = BlockHeader::<O>::ref_from_prefix(bytes).ok()?;
    Some((h.block_type.get(), h.total_len.get()))
}

/// Units per second from an `if_tsresol` byte: `10^-n` or, with the top bit set, `2^-n`.
fn units_per_sec(tsresol: u8) -> Option<u64> {
    let exp = u32::from(tsresol & 0x7f);
    if tsresol & 0x80 == 0 {
        10u64.checked_pow(exp)
    } else {
        2u64.checked_pow(exp)
    }
}

/// Walks an option list for the interface's timestamp resolution and offset.
fn interface_options<O: ByteOrder + 'static>(mut opts: &[u8], iface: &mut Interface) -> Option<()> {
    while let Ok((h, rest)) = OptionHeader::<O>::ref_from_prefix(opts) {
        let (code, len) = (h.code.get(), usize::from(h.len.get()));
        if code == OPT_ENDOFOPT {
            break;
        }
        let value = rest.get(..len)?;
        match code {
            IF_TSRESOL => iface.units_per_sec = units_per_sec(*value.first()?)?,
            IF_TSOFFSET => {
                let (v, _) = zerocast::byteorder::U64::<O>::read_from_prefix(value).ok()?;
                iface.ts_offset_sec = v.get();
            }
            _ => {}
        }
        let padded = len.div_ceil(4) * 4;
        opts = rest.get(padded..).unwrap_or(&[]);
    }
    Some(())
}

fn describe_interface<O: ByteOrder + 'static>(
    body: &[u8],
    offset: u64,
) -> Result<Interface, CaptureError> {
    let (idb, opts) = InterfaceDescription::<O>::ref_from_prefix(body)
        .map_err(|_| bad_block(offset, "interface description shorter than 8 bytes"))?;
    let number = u32::from(idb.link_type.get());
    let link_type = LinkType::from_number(number);
    let mut iface = Interface {
        link_type,
        snaplen: idb.snaplen.get(),
        units_per_sec: 1_000_000,
        ts_offset_sec: 0,
    };
    interface_options::<O>(opts, &mut iface)
        .ok_or_else(|| bad_block(offset, "malformed interface option"))?;
    Ok(iface)
}

fn enhanced_packet<O: ByteOrder>(body: &[u8]) -> Option<PacketFields> {
    let (epb, _) = EnhancedPacket::<O>::ref_from_prefix(body).ok()?;
    Some(PacketFields {
        interface: epb.interface_id.get(),
        timestamp: (u64::from(epb.ts_high.get()) << 32) | u64::from(epb.ts_low.get()),
        caplen: epb.caplen.get(),
        orig_len: epb.orig_len.get(),
        data_start: BLOCK_HEADER_LEN + size_of::<EnhancedPacket<O>>(),
    })
}

fn obsolete_packet<O: ByteOrder>(body: &[u8]) -> Option<PacketFields> {
    let (pb, _) = ObsoletePacket::<O>::ref_from_prefix(body).ok()?;
    Some(PacketFields {
        interface: u32::from(pb.interface_id.get()),
        timestamp: (u64::from(pb.ts_high.get()) << 32) | u64::from(pb.ts_low.get()),
        caplen: pb.caplen.get(),
        orig_len: pb.orig_len.get(),
        data_start: BLOCK_HEADER_LEN + size_of::<ObsoletePacket<O>>(),
    })
}

impl PcapngState {
    pub(super) fn open<R: Read>(src: &mut ByteSource<R>) -> Result<Self, CaptureError> {
        let mut state = PcapngState {
            endian: Endian::Little,
            interfaces: Vec::new(),
        };
        // The first block must be a section header; reading it fixes the byte order.
        state.section_header(src)?;
        Ok(state)
    }

    /// Reads a section header block at the current position and starts a new section.
    fn section_header<R: Read>(&mut self, src: &mut ByteSource<R>) -> Result<(), CaptureError> {
        let offset = src.offset();
        let head = peek_exact(src, 12, "pcapng section header")?;
        self.endian = match read_u32::<BE>(&head[8..]) {
            Some(BYTE_ORDER_MAGIC) => Endian::Big,
            Some(m) if m.swap_bytes() == BYTE_ORDER_MAGIC => Endian::Little,
            _ => return Err(bad_block(offset + 8, "unknown byte-order magic")),
        };
        self.interfaces.clear();
        let total_len = self.checked_block(src)?.1;
        src.consume(total_len);
        Ok(())
    }

    /// Validates the block at the current position and buffers all of it.
    ///
    /// Returns `(block type, total length)`.
    fn checked_block<R: Read>(
        &self,
        src: &mut ByteSource<R>,
    ) -> Result<(u32, usize), CaptureError> {
        let offset = src.offset();
        let head = peek_exact(src, BLOCK_HEADER_LEN, "pcapng block header")?;
        let decoded = match self.endian {
            Endian::Little => block_header::<LE>(head),
            Endian::Big => block_header::<BE>(head),
        };
        let (block_type, total_len) =
            decoded.ok_or_else(|| bad_block(offset, "unreadable block header"))?;
        if total_len < 12 || total_len % 4 != 0 {
            return Err(bad_block(
                offset,
                "total length is not a multiple of 4 of at least 12",
            ));
        }
        if total_len > MAX_BLOCK_LEN {
            return Err(err(
                offset,
                CaptureErrorKind::AbsurdLength {
                    what: "block total length",
                    value: u64::from(total_len),
                },
            ));
        }
        let len = total_len as usize;
        let block = peek_exact(src, len, "pcapng block")?;
        let trailer = match self.endian {
            Endian::Little => read_u32::<LE>(&block[len - 4..]),
            Endian::Big => read_u32::<BE>(&block[len - 4..]),
        };
        if trailer != Some(total_len) {
            return Err(bad_block(
                offset,
                "trailing total length differs from the leading one",
            ));
        }
        Ok((block_type, len))
    }

    /// The next packet if it is an enhanced packet block lying whole and valid in
    /// `buffered` (the source's unconsumed bytes, which start at stream `offset`): batch
    /// reading's fast path, with the same checks as [`next_record`](Self::next_record) on
    /// one slice instead of peeks. `None` sends the caller to `next_record`, which handles
    /// every other block, refills and faults; for every packet this returns, `next_record`
    /// would have returned the same without a refill.
    #[inline]
    pub(super) fn buffered_record(&self, buffered: &[u8], offset: u64) -> Option<RecordLocation> {
        match self.endian {
            Endian::Little => self.buffered_epb::<LE>(buffered, offset),
            Endian::Big => self.buffered_epb::<BE>(buffered, offset),
        }
    }

    fn buffered_epb<O: ByteOrder>(&self, buffered: &[u8], offset: u64) -> Option<RecordLocation> {
        let (block_type, total_len) = block_header::<O>(buffered)?;
        // An EPB's type bytes are never the section header's, so no section starts here.
        if block_type != EPB_TYPE
            || total_len < 12
            || total_len % 4 != 0
            || total_len > MAX_BLOCK_LEN
        {
            return None;
        }
        let len = total_len as usize;
        let block = buffered.get(..len)?;
        if read_u32::<O>(block.get(len - 4..)?) != Some(total_len) {
            return None;
        }
        let fields = enhanced_packet::<O>(block.get(BLOCK_HEADER_LEN..len - 4)?)?;
        self.packet(offset, len, &fields).ok()
    }

    pub(super) fn next_record<R: Read>(
        &mut self,
        src: &mut ByteSource<R>,
    ) -> Result<Option<RecordLocation>, CaptureError> {
        loop {
            let offset = src.offset();
            let first = src.peek(4).map_err(|e| CaptureError::io(offset, e))?;
            if first.is_empty() {
                return Ok(None);
            }
            if first == SHB_TYPE_BYTES {
                self.section_header(src)?;
                continue;
            }
            let (block_type, len) = self.checked_block(src)?;
            let block = src.peek(len).map_err(|e| CaptureError::io(offset, e))?;
            let body = &block[BLOCK_HEADER_LEN..len - 4];
            match block_type {
                IDB_TYPE => {
                    let iface = match self.endian {
                        Endian::Little => describe_interface::<LE>(body, offset)?,
                        Endian::Big => describe_interface::<BE>(body, offset)?,
                    };
                    self.interfaces.push(iface);
                }
                EPB_TYPE | PB_TYPE => {
                    let fields = match (self.endian, block_type) {
                        (Endian::Little, EPB_TYPE) => enhanced_packet::<LE>(body),
                        (Endian::Big, EPB_TYPE) => enhanced_packet::<BE>(body),
                        (Endian::Little, _) => obsolete_packet::<LE>(body),
                        (Endian::Big, _) => obsolete_packet::<BE>(body),
                    }
                    .ok_or_else(|| bad_block(offset, "packet block shorter than its header"))?;
                    return self.packet(offset, len, &fields).map(Some);
                }
                SPB_TYPE => {
                    let orig_len = match self.endian {
                        Endian::Little => read_u32::<LE>(body),
                        Endian::Big => read_u32::<BE>(body),
                    }
                    .ok_or_else(|| bad_block(offset, "simple packet block without length"))?;
                    let iface = self.interface(offset, 0)?;
                    // The simple block stores min(original length, snaplen) bytes, padded.
                    let room = u32::try_from(len.saturating_sub(BLOCK_HEADER_LEN + 8)).unwrap_or(0);
                    let mut caplen = orig_len.min(room);
                    if iface.snaplen != 0 {
                        caplen = caplen.min(iface.snaplen);
                    }
                    let fields = PacketFields {
                        interface: 0,
                        timestamp: 0,
                        caplen,
                        orig_len,
                        data_start: BLOCK_HEADER_LEN + 4,
                    };
                    return self.packet(offset, len, &fields).map(Some);
                }
                _ => {}
            }
            src.consume(len);
        }
    }

    fn interface(&self, offset: u64, index: u32) -> Result<Interface, CaptureError> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.interfaces.get(i))
            .copied()
            .ok_or_else(|| {
                err(
                    offset,
                    CaptureErrorKind::UnknownInterface {
                        interface: index,
                        described: self.interfaces.len(),
                    },
                )
            })
    }

    fn packet(
        &self,
        offset: u64,
        len: usize,
        p: &PacketFields,
    ) -> Result<RecordLocation, CaptureError> {
        let iface = self.interface(offset, p.interface)?;
        if p.caplen > MAX_CAPLEN {
            return Err(err(
                offset,
                CaptureErrorKind::AbsurdLength {
                    what: "packet captured length",
                    value: u64::from(p.caplen),
                },
            ));
        }
        // A packet longer than its interface's snapshot length is read whole, as tcpdump
        // and tshark read it; only MAX_CAPLEN, checked above, bounds it.
        let caplen = p.caplen as usize;
        if p.data_start + caplen > len - 4 {
            return Err(bad_block(offset, "captured length overruns the block"));
        }
        let units = iface.units_per_sec.max(1);
        let rem = p.timestamp % units;
        // The usual resolutions (microseconds, nanoseconds) need no 128-bit division:
        // `rem < units <= 10^9`, so `rem * 10^9` fits in 64 bits.
        let frac = if units <= 1_000_000_000 {
            u128::from(rem * 1_000_000_000 / units)
        } else {
            u128::from(rem) * 1_000_000_000 / u128::from(units)
        };
        Ok(RecordLocation {
            offset,
            record_len: len,
            data_start: p.data_start,
            caplen,
            orig_len: p.orig_len,
            ts_sec: (p.timestamp / units).saturating_add(iface.ts_offset_sec),
            ts_nsec: u32::try_from(frac).unwrap_or(0),
            link_type: iface.link_type,
        })
    }
}
