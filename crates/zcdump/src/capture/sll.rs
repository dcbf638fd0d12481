//! Linux "cooked" capture pseudo-headers (`LINKTYPE_LINUX_SLL` 113 and `LINKTYPE_LINUX_SLL2`
//! 276). They are written by libpcap in place of a link-layer header when capturing on the
//! "any" device, so they belong to the capture format rather than to any wire protocol. Both
//! end in (or start with) the EtherType of the payload.

use zerocast::byteorder::{NetworkEndian, U16, U32};
use zerocast::{FromBytes, Immutable, KnownLayout, Unaligned};

/// The 16-byte SLL (v1) header. Only the protocol is read; the rest documents the layout.
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct SllHeader {
    packet_type: U16<NetworkEndian>,
    arphrd_type: U16<NetworkEndian>,
    addr_len: U16<NetworkEndian>,
    addr: [u8; 8],
    protocol: U16<NetworkEndian>,
}

/// The 20-byte SLL2 header. Only the protocol is read; the rest documents the layout.
#[allow(dead_code)]
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
struct Sll2Header {
    protocol: U16<NetworkEndian>,
    reserved: U16<NetworkEndian>,
    interface_index: U32<NetworkEndian>,
    arphrd_type: U16<NetworkEndian>,
    packet_type: u8,
    addr_len: u8,
    addr: [u8; 8],
}

/// A cooked header's fields and the payload after it.
///
/// ```
/// use zcdump::capture::sll::parse_sll;
/// // An SLL header (sent by us, Ethernet address 02:..:0a) whose protocol is IPv6.
/// let mut frame = [0u8; 18];
/// frame[..6].copy_from_slice(&[0, 4, 0, 1, 0, 6]);
/// frame[6..12].copy_from_slice(&[2, 0, 0, 0, 0, 0x0a]);
/// frame[14..16].copy_from_slice(&[0x86, 0xdd]);
/// frame[16..].copy_from_slice(&[0x60, 0x00]);
/// let c = parse_sll(&frame).ok_or("short")?;
/// assert_eq!((c.protocol, c.packet_type, c.hardware_type, c.address_len), (0x86dd, 4, 1, 6));
/// assert_eq!((c.address[5], c.interface_index, c.payload), (0x0a, None, &[0x60, 0x00][..]));
/// # Ok::<(), &str>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cooked<'a> {
    /// The EtherType of the payload (`sll.etype`), or below 0x0600 one of Linux's own
    /// protocol numbers (`sll.ltype`).
    pub protocol: u16,
    /// Who the packet was for (`sll.pkttype`: 0 us, 1 broadcast, 4 sent by us, ...).
    pub packet_type: u16,
    /// The link-layer address type (`sll.hatype`, an `ARPHRD_*` number; 1 is Ethernet).
    pub hardware_type: u16,
    /// How many bytes of `address` are used (`sll.halen`).
    pub address_len: u16,
    /// The sender's link-layer address, zero padded to 8 bytes.
    pub address: [u8; 8],
    /// The interface index (`sll.ifindex`, version 2 only).
    pub interface_index: Option<u32>,
    /// Bytes after the pseudo-header.
    pub payload: &'a [u8],
}

/// Splits an SLL (v1) header off `frame`; `None` when the frame is shorter than 16 bytes.
///
/// ```
/// let mut f = [0u8; 18];
/// f[14] = 0x08; // protocol 0x0800
/// let c = zcdump::capture::sll::parse_sll(&f).unwrap();
/// assert_eq!((c.protocol, c.payload.len()), (0x0800, 2));
/// assert!(zcdump::capture::sll::parse_sll(&f[..15]).is_none());
/// ```
#[must_use]
pub fn parse_sll(frame: &[u8]) -> Option<Cooked<'_>> {
    let (h, payload) = SllHeader::ref_from_prefix(frame).ok()?;
    Some(Cooked {
        protocol: h.protocol.get(),
        packet_type: h.packet_type.get(),
        hardware_type: h.arphrd_type.get(),
        address_len: h.addr_len.get(),
        address: h.addr,
        interface_index: None,
        payload,
    })
}

/// Splits an SLL2 header off `frame`; `None` when the frame is shorter than 20 bytes.
///
/// ```
/// let mut f = [0u8; 20];
/// f[0] = 0x86; f[1] = 0xdd;
/// let c = zcdump::capture::sll::parse_sll2(&f).unwrap();
/// assert_eq!((c.protocol, c.payload.len()), (0x86dd, 0));
/// ```
#[must_use]
pub fn parse_sll2(frame: &[u8]) -> Option<Cooked<'_>> {
    let (h, payload) = Sll2Header::ref_from_prefix(frame).ok()?;
    Some(Cooked {
        protocol: h.protocol.get(),
        packet_type: u16::from(h.packet_type),
        hardware_type: h.arphrd_type.get(),
        address_len: u16::from(h.addr_len),
        address: h.addr,
        interface_index: Some(h.interface_index.get()),
        payload,
    })
}
