//! The virtio-net header a TUN/TAP opened with offload (`IFF_VNET_HDR`) puts in front of
//! every frame, in both directions (linux/virtio_net.h, `struct virtio_net_hdr`: 10 bytes,
//! the multi-byte fields little-endian since virtio 1.0 and on every Linux host we run).
//!
//! Received: the kernel may hand over one TCP segment of many MSS (it would have been cut
//! by the NIC; `gso_type` says so) and leave its checksum partial (`NEEDS_CSUM`: the field
//! holds the pseudo-header's sum, finished by whoever receives it). [`finish_checksum`]
//! finishes it, so the stack's usual verification holds; the large segment itself is
//! legal TCP and the stack takes it as one.
//!
//! Sent: [`VnetHeader::for_gso`] describes a GSO frame the stack built (see
//! `zerocast_stack::device::gso`), and [`VnetHeader::NONE`] an ordinary frame.

use std::io;

use zerocast_stack::device::gso::{segment_in_place, GsoKind, GsoMeta};
use zerocast_wire::checksum::Checksum;

/// Cuts a GSO frame into its segments in software and writes them one by one with `send`
/// (a device without offload). Stops at the first segment `send` does not take (`Ok(false)`,
/// a full queue or a link down, or an error) and returns that; a frame that does not match
/// its `meta` sends nothing and returns `Ok(false)` (the stack builds only matching ones).
///
/// ```
/// use zerocast_stack::device::gso::{GsoKind, GsoMeta};
/// use zerocast_tap::offload::send_segments;
/// // 20-byte IPv4 header, 20-byte TCP header, 2,500 bytes of payload cut at 1,000.
/// let mut frame = vec![0u8; 40 + 2500];
/// frame[0] = 0x45;
/// frame[32] = 5 << 4;
/// let meta = GsoMeta { kind: GsoKind::TcpV4, segment_size: 1000, header_len: 40,
///                      ip_start: 0, csum_start: 20, csum_offset: 16 };
/// let mut lens = Vec::new();
/// let sent = send_segments(&mut frame, &meta, |segment| {
///     lens.push(segment.len());
///     Ok(lens.len() < 2) // the queue fills after the second segment
/// });
/// assert_eq!(sent?, false);
/// assert_eq!(lens, [1040, 1040]);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The first error `send` returns.
pub fn send_segments(
    frame: &mut [u8],
    meta: &GsoMeta,
    mut send: impl FnMut(&[u8]) -> io::Result<bool>,
) -> io::Result<bool> {
    let mut result = Ok(true);
    let cut = segment_in_place(frame, meta, |segment| {
        if let Ok(true) = result {
            result = send(segment);
        }
    });
    if cut.is_err() {
        return Ok(false);
    }
    result
}

/// Bytes of the header (without `num_buffers`, which a TUN only uses when told to).
pub const VNET_HDR_LEN: usize = 10;
/// `flags`: the checksum from `csum_start` on is partial and must be finished.
pub const F_NEEDS_CSUM: u8 = 1;
/// `flags`: the checksum was verified (by the sender's side).
pub const F_DATA_VALID: u8 = 2;
/// `gso_type`: an ordinary frame.
pub const GSO_NONE: u8 = 0;
/// `gso_type`: TCP over IPv4 to cut at `gso_size`.
pub const GSO_TCPV4: u8 = 1;
/// `gso_type`: TCP over IPv6.
pub const GSO_TCPV6: u8 = 4;
/// `gso_type`: UDP datagrams to cut at `gso_size` (USO).
pub const GSO_UDP_L4: u8 = 5;
/// `gso_type` bit: ECN was negotiated (CWR on the first segment only).
pub const GSO_ECN: u8 = 0x80;

/// One virtio-net header.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct VnetHeader {
    /// [`F_NEEDS_CSUM`], [`F_DATA_VALID`].
    pub flags: u8,
    /// [`GSO_NONE`], [`GSO_TCPV4`], [`GSO_TCPV6`], [`GSO_UDP_L4`], possibly with [`GSO_ECN`].
    pub gso_type: u8,
    /// Bytes of headers (link + IP + transport) in front of the payload.
    pub hdr_len: u16,
    /// Payload bytes per segment.
    pub gso_size: u16,
    /// Where the checksummed part starts, from the first byte of the frame.
    pub csum_start: u16,
    /// Where the checksum field is, from `csum_start`.
    pub csum_offset: u16,
}

impl VnetHeader {
    /// An ordinary frame with its checksums final.
    pub const NONE: VnetHeader = VnetHeader {
        flags: 0,
        gso_type: GSO_NONE,
        hdr_len: 0,
        gso_size: 0,
        csum_start: 0,
        csum_offset: 0,
    };

    /// Reads a header from the first [`VNET_HDR_LEN`] bytes (`None` when shorter).
    ///
    /// ```
    /// use zerocast_tap::offload::{VnetHeader, GSO_TCPV4};
    /// let h = VnetHeader::parse(&[1, 1, 40, 0, 0xb4, 5, 20, 0, 16, 0]).unwrap();
    /// assert_eq!((h.gso_type, h.gso_size, h.csum_start), (GSO_TCPV4, 1460, 20));
    /// assert_eq!(VnetHeader::parse(&h.to_bytes()), Some(h));
    /// assert!(VnetHeader::parse(&[0; 9]).is_none());
    /// ```
    #[must_use]
    pub fn parse(b: &[u8]) -> Option<VnetHeader> {
        let b: &[u8; VNET_HDR_LEN] = b.get(..VNET_HDR_LEN)?.try_into().ok()?;
        let le = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        Some(VnetHeader {
            flags: b[0],
            gso_type: b[1],
            hdr_len: le(2),
            gso_size: le(4),
            csum_start: le(6),
            csum_offset: le(8),
        })
    }

    /// The header's bytes.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; VNET_HDR_LEN] {
        let mut b = [0u8; VNET_HDR_LEN];
        b[0] = self.flags;
        b[1] = self.gso_type;
        b[2..4].copy_from_slice(&self.hdr_len.to_le_bytes());
        b[4..6].copy_from_slice(&self.gso_size.to_le_bytes());
        b[6..8].copy_from_slice(&self.csum_start.to_le_bytes());
        b[8..10].copy_from_slice(&self.csum_offset.to_le_bytes());
        b
    }

    /// The header for a GSO frame the stack built: cut at `meta.segment_size`, TCP
    /// checksum partial.
    ///
    /// ```
    /// use zerocast_stack::device::gso::{GsoKind, GsoMeta};
    /// use zerocast_tap::offload::{VnetHeader, F_NEEDS_CSUM, GSO_TCPV6};
    /// let meta = GsoMeta { kind: GsoKind::TcpV6, segment_size: 1428, header_len: 14 + 40 + 32,
    ///                      ip_start: 14, csum_start: 54, csum_offset: 16 };
    /// let h = VnetHeader::for_gso(&meta);
    /// assert_eq!((h.flags, h.gso_type, h.hdr_len, h.gso_size), (F_NEEDS_CSUM, GSO_TCPV6, 86, 1428));
    /// ```
    #[must_use]
    pub fn for_gso(meta: &GsoMeta) -> VnetHeader {
        VnetHeader {
            flags: F_NEEDS_CSUM,
            gso_type: match meta.kind {
                GsoKind::TcpV4 => GSO_TCPV4,
                GsoKind::TcpV6 => GSO_TCPV6,
            },
            hdr_len: meta.header_len,
            gso_size: meta.segment_size,
            csum_start: meta.csum_start,
            csum_offset: meta.csum_offset,
        }
    }
}

/// Finishes the partial checksum of a received frame whose header has [`F_NEEDS_CSUM`]:
/// the ones' complement sum from `csum_start` to the end (the field holds the
/// pseudo-header's sum) goes, complemented, into the field. Returns false, touching
/// nothing, when the offsets lie outside the frame (a frame to drop).
///
/// ```
/// use zerocast_tap::offload::{finish_checksum, VnetHeader, F_NEEDS_CSUM};
/// // Four bytes from offset 2 with the field at offset 2 + 2 holding a partial sum 0x0100.
/// let mut frame = [9, 9, 0x12, 0x34, 0x01, 0x00];
/// let h = VnetHeader { flags: F_NEEDS_CSUM, csum_start: 2, csum_offset: 2, ..VnetHeader::NONE };
/// assert!(finish_checksum(&mut frame, &h));
/// assert_eq!(u16::from_be_bytes([frame[4], frame[5]]), !(0x1234u16 + 0x0100));
/// ```
#[must_use]
pub fn finish_checksum(frame: &mut [u8], header: &VnetHeader) -> bool {
    let start = usize::from(header.csum_start);
    let field = start + usize::from(header.csum_offset);
    if field + 2 > frame.len() {
        return false;
    }
    let mut c = Checksum::new();
    c.add_bytes(&frame[start..]);
    frame[field..field + 2].copy_from_slice(&c.checksum().to_be_bytes());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_wire::tcp::TcpPacket;
    use zerocast_wire::{Ipv4Addr, PseudoHeader};

    /// A TCP segment whose checksum field holds the partial sum, as the kernel hands it.
    #[test]
    fn a_partial_tcp_checksum_finished_verifies() {
        let ph = PseudoHeader::V4 {
            src: Ipv4Addr([10, 1, 2, 3]),
            dst: Ipv4Addr([10, 1, 2, 4]),
        };
        let mut seg = vec![0u8; 20 + 3001];
        seg[12] = 5 << 4;
        seg[13] = 0x18;
        for (i, b) in seg[20..].iter_mut().enumerate() {
            *b = (i * 13) as u8;
        }
        let partial = zerocast_stack::device::gso::partial_checksum(ph, seg.len());
        seg[16..18].copy_from_slice(&partial.to_be_bytes());
        assert!(
            TcpPacket::parse(&seg[..], Some(ph)).is_err(),
            "partial: not valid yet"
        );
        let h = VnetHeader {
            flags: F_NEEDS_CSUM,
            csum_start: 0,
            csum_offset: 16,
            ..VnetHeader::NONE
        };
        assert!(finish_checksum(&mut seg, &h));
        assert!(TcpPacket::parse(&seg[..], Some(ph)).is_ok());
    }

    #[test]
    fn offsets_beyond_the_frame_are_refused_untouched() {
        let mut frame = [1u8; 30];
        let h = VnetHeader {
            flags: F_NEEDS_CSUM,
            csum_start: 20,
            csum_offset: 9,
            ..VnetHeader::NONE
        };
        assert!(!finish_checksum(&mut frame, &h));
        assert_eq!(frame, [1u8; 30]);
    }
}
