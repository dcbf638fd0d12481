//! Generic segmentation offload (GSO): one large TCP segment handed to a device that cuts it
//! into MSS-sized segments itself, and the software fallback that does the cutting for a
//! device that cannot.
//!
//! A device with TSO (a Linux TUN/TAP opened with the virtio-net header, a NIC) takes a
//! frame whose TCP payload is several segments long plus a [`GsoMeta`] saying where the
//! headers end and how large each segment is. It is the virtio-net contract (virtio spec
//! 5.1.6.2, "Packet Transmission"): the TCP checksum field holds the *partial* checksum,
//! the folded, uncomplemented sum of the pseudo-header with the length of the whole
//! segment, and the device finishes it per segment; IPv4 identifications count up from the
//! big frame's; FIN and PSH stay on the last segment only and CWR on the first.
//!
//! [`segment_in_place`] does exactly that in software, inside the frame's own buffer (each
//! segment's headers are written just before its payload, over payload already sent), so
//! the fallback allocates nothing. It backs the default
//! [`DeviceTx::transmit_gso`](crate::context::DeviceTx::transmit_gso), so an embedder
//! that knows nothing about offload still receives ordinary frames, and the tests compare
//! its output with what the kernel would produce.

use zerocast_wire::checksum::Checksum;
use zerocast_wire::tcp::{FLAG_CWR, FLAG_FIN, FLAG_PSH};

/// Which protocol a GSO frame carries (the virtio-net `gso_type` without the ECN bit).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GsoKind {
    /// TCP over IPv4 (`VIRTIO_NET_HDR_GSO_TCPV4`).
    TcpV4,
    /// TCP over IPv6 (`VIRTIO_NET_HDR_GSO_TCPV6`).
    TcpV6,
}

/// Where a GSO frame's headers are and how to cut it; every offset counts from the first
/// byte of the frame (the link header included, as virtio-net counts them on a TAP).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct GsoMeta {
    /// TCP over IPv4 or IPv6.
    pub kind: GsoKind,
    /// Payload bytes per segment (the MSS less the options every segment carries); the
    /// last segment may be shorter.
    pub segment_size: u16,
    /// Link + IP + TCP header bytes (where the payload starts).
    pub header_len: u16,
    /// Where the IP header starts (0 on a pure-IP link, 14 behind Ethernet).
    pub ip_start: u16,
    /// Where the checksummed part starts: the TCP header.
    pub csum_start: u16,
    /// Where the checksum field is, from `csum_start` (16 for TCP).
    pub csum_offset: u16,
}

/// Why a frame could not be segmented (only a frame whose [`GsoMeta`] does not describe it
/// can fail: the stack never builds one).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GsoError {
    /// An offset lies beyond the frame, the headers are out of order or longer than
    /// [`MAX_GSO_HEADER_LEN`], or the segment size is 0.
    BadMeta,
}

/// The longest link + IP + TCP header the software segmentation copies per segment
/// (Ethernet with a VLAN tag, IPv6, TCP with 40 bytes of options is 118).
pub const MAX_GSO_HEADER_LEN: usize = 128;

/// The partial checksum virtio-net asks for in a GSO frame's TCP checksum field: the
/// folded sum of the pseudo-header for `tcp_len` bytes, not complemented.
///
/// ```
/// use zerocast_stack::device::gso::partial_checksum;
/// use zerocast_wire::{Ipv4Addr, PseudoHeader};
/// let ph = PseudoHeader::V4 { src: Ipv4Addr([10, 0, 0, 1]), dst: Ipv4Addr([10, 0, 0, 2]) };
/// // 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + length 20 + protocol 6.
/// assert_eq!(partial_checksum(ph, 20), 0x1403 + 20 + 6);
/// ```
#[must_use]
pub fn partial_checksum(pseudo: zerocast_wire::PseudoHeader, tcp_len: usize) -> u16 {
    pseudo
        .checksum_start(zerocast_wire::IpProto::TCP, tcp_len)
        .sum16()
}

/// Cuts the GSO frame in `frame` into segments of `meta.segment_size` payload bytes and
/// hands each complete frame (headers fixed, checksums final) to `emit`, in order. The
/// buffer is overwritten as it goes. Returns how many segments were emitted.
///
/// # Errors
/// [`GsoError::BadMeta`] when `meta` does not describe `frame`; nothing is emitted then.
///
/// ```
/// use zerocast_stack::device::gso::{segment_in_place, GsoKind, GsoMeta};
/// // An IPv4 + TCP frame with 3000 payload bytes, cut at 1000 (headers built by hand).
/// let mut frame = vec![0u8; 40 + 3000];
/// frame[0] = 0x45;
/// frame[2..4].copy_from_slice(&3040u16.to_be_bytes());
/// frame[8] = 64;
/// frame[9] = 6;
/// frame[32] = 5 << 4;
/// let meta = GsoMeta { kind: GsoKind::TcpV4, segment_size: 1000, header_len: 40,
///                      ip_start: 0, csum_start: 20, csum_offset: 16 };
/// let mut sizes = Vec::new();
/// assert_eq!(segment_in_place(&mut frame, &meta, |f| sizes.push(f.len())), Ok(3));
/// assert_eq!(sizes, [1040, 1040, 1040]);
/// ```
pub fn segment_in_place(
    frame: &mut [u8],
    meta: &GsoMeta,
    mut emit: impl FnMut(&[u8]),
) -> Result<usize, GsoError> {
    let layout = Layout::check(frame, meta)?;
    let hdr = layout.header_len;
    let mut header = [0u8; MAX_GSO_HEADER_LEN];
    header[..hdr].copy_from_slice(&frame[..hdr]);
    let payload_len = frame.len() - hdr;
    let mss = usize::from(meta.segment_size);
    let count = payload_len.div_ceil(mss).max(1);
    let first_seq = read_u32(&header, layout.tcp + 4);
    let first_flags = header[layout.tcp + 13];
    let first_ident = read_u16(&header, layout.ip + 4);
    for i in 0..count {
        let offset = i * mss;
        let len = mss.min(payload_len - offset);
        // Segment i's headers go right before its payload, over bytes already emitted
        // (payload of segment i - 1, or the original headers for i = 0).
        let start = offset;
        let seg = &mut frame[start..hdr + offset + len];
        seg[..hdr].copy_from_slice(&header[..hdr]);
        let mut flags = first_flags;
        if i + 1 < count {
            flags &= !((FLAG_FIN | FLAG_PSH) as u8);
        }
        if i > 0 {
            flags &= !(FLAG_CWR as u8);
        }
        seg[layout.tcp + 13] = flags;
        // `offset` is below 64 KiB plus the header: the sum fits sequence arithmetic.
        let seq = first_seq.wrapping_add(offset as u32);
        seg[layout.tcp + 4..layout.tcp + 8].copy_from_slice(&seq.to_be_bytes());
        let tcp_len = seg.len() - layout.tcp;
        layout.fix_ip_header(seg, tcp_len, first_ident.wrapping_add(i as u16));
        let csum_at = layout.tcp + usize::from(meta.csum_offset);
        seg[csum_at..csum_at + 2].fill(0);
        let mut c = layout.pseudo_sum(seg, tcp_len);
        c.add_bytes(&seg[layout.tcp..]);
        seg[csum_at..csum_at + 2].copy_from_slice(&c.checksum().to_be_bytes());
        emit(seg);
    }
    Ok(count)
}

/// A frame's header offsets, checked against its length once.
struct Layout {
    v4: bool,
    ip: usize,
    tcp: usize,
    header_len: usize,
}

impl Layout {
    fn check(frame: &[u8], meta: &GsoMeta) -> Result<Layout, GsoError> {
        let ip = usize::from(meta.ip_start);
        let tcp = usize::from(meta.csum_start);
        let header_len = usize::from(meta.header_len);
        let v4 = meta.kind == GsoKind::TcpV4;
        let ip_header_min = if v4 { 20 } else { 40 };
        let ok = meta.segment_size > 0
            && ip + ip_header_min <= tcp
            && tcp + 20 <= header_len
            && header_len <= MAX_GSO_HEADER_LEN
            && header_len <= frame.len()
            && usize::from(meta.csum_offset) + 2 <= header_len - tcp
            && frame.get(ip).map(|b| b >> 4) == Some(if v4 { 4 } else { 6 });
        if ok {
            Ok(Layout {
                v4,
                ip,
                tcp,
                header_len,
            })
        } else {
            Err(GsoError::BadMeta)
        }
    }

    /// Sets the IP length field for a segment with `tcp_len` bytes of TCP, and for IPv4
    /// the identification and the header checksum.
    fn fix_ip_header(&self, seg: &mut [u8], tcp_len: usize, ident: u16) {
        let ip = self.ip;
        // Both lengths are below 64 KiB: the segment is a piece of a frame that had them.
        if self.v4 {
            let total = (self.tcp - ip + tcp_len) as u16;
            seg[ip + 2..ip + 4].copy_from_slice(&total.to_be_bytes());
            seg[ip + 4..ip + 6].copy_from_slice(&ident.to_be_bytes());
            seg[ip + 10..ip + 12].fill(0);
            let ihl = usize::from(seg[ip] & 0x0f) * 4;
            let end = (ip + ihl).min(self.tcp);
            let sum = zerocast_wire::checksum::checksum(&seg[ip..end]);
            seg[ip + 10..ip + 12].copy_from_slice(&sum.to_be_bytes());
        } else {
            let payload = (self.tcp - ip - 40 + tcp_len) as u16;
            seg[ip + 4..ip + 6].copy_from_slice(&payload.to_be_bytes());
        }
    }

    /// The pseudo-header sum of a segment (addresses from its own IP header).
    fn pseudo_sum(&self, seg: &[u8], tcp_len: usize) -> Checksum {
        let mut c = Checksum::new();
        let addrs = if self.v4 {
            &seg[self.ip + 12..self.ip + 20]
        } else {
            &seg[self.ip + 8..self.ip + 40]
        };
        c.add_bytes(addrs);
        // The length is below 64 KiB (see `fix_ip_header`).
        c.add_u16(tcp_len as u16);
        c.add_u16(6);
        c
    }
}

fn read_u32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn read_u16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

#[cfg(test)]
mod tests;
