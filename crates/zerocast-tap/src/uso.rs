//! Cutting a UDP GSO frame (USO) the kernel hands a TUN/TAP opened with offload.
//!
//! tun-rs asks the kernel for `TUN_F_USO4 | TUN_F_USO6` when it grants offload, so a
//! sender using `UDP_SEGMENT` (QUIC stacks do) reaches the device as one frame whose
//! virtio-net header says `GSO_UDP_L4`: one IP header, one UDP header and the payload of
//! several datagrams, each `gso_size` long but the last. Taken as it is, it would be one
//! large datagram; [`cut_udp_gso`] rebuilds the datagrams the sender wrote, each with its
//! own lengths and checksums, as the kernel would have put them on a wire.

use std::collections::VecDeque;
use std::sync::Mutex;

use zerocast_wire::checksum::Checksum;

use crate::device::LinkKind;
use crate::offload::{VnetHeader, GSO_ECN, GSO_UDP_L4, VNET_HDR_LEN};

/// IP protocol number of UDP.
const UDP: u8 = 17;
/// Bytes of a UDP header.
const UDP_HEADER: usize = 8;

/// Cuts the UDP GSO frame `frame` (its IP header at `ip_start`: 0 on a TUN, after the
/// Ethernet header on a TAP) into datagrams of `gso_size` payload bytes (the last one may
/// be shorter) and hands each, headers included, to `each`. Returns how many it handed;
/// 0, handing none, when the frame is not an IPv4 or IPv6 (no extension headers) UDP
/// packet whose headers fit, or `gso_size` is 0 (a frame to drop: the bytes come from the
/// kernel, but a malformed one must not panic).
///
/// ```
/// use zerocast_tap::uso::cut_udp_gso;
/// // IPv4 (20 bytes) + UDP (8) + 2,500 payload bytes cut at 1,000.
/// let mut frame = vec![0u8; 28 + 2500];
/// frame[0] = 0x45;
/// frame[9] = 17;
/// let mut lens = Vec::new();
/// assert_eq!(cut_udp_gso(&frame, 0, 1000, |d| lens.push(d.len())), 3);
/// assert_eq!(lens, [1028, 1028, 528]);
/// ```
pub fn cut_udp_gso(
    frame: &[u8],
    ip_start: usize,
    gso_size: usize,
    mut each: impl FnMut(&[u8]),
) -> usize {
    let Some(ip) = frame.get(ip_start..) else {
        return 0;
    };
    let Some(version) = ip.first().map(|b| b >> 4) else {
        return 0;
    };
    let (ip_len, v4) = match version {
        4 => (usize::from(ip[0] & 0x0f) * 4, true),
        6 => (40, false),
        _ => return 0,
    };
    let next_header = if v4 { ip.get(9) } else { ip.get(6) };
    let headers = ip_start + ip_len + UDP_HEADER;
    if gso_size == 0 || (v4 && ip_len < 20) || next_header != Some(&UDP) || frame.len() < headers {
        return 0;
    }
    let (src, dst) = if v4 {
        (&ip[12..16], &ip[16..20])
    } else {
        (&ip[8..24], &ip[24..40])
    };
    let id = if v4 {
        u16::from_be_bytes([ip[4], ip[5]])
    } else {
        0
    };
    let mut datagram = Vec::with_capacity(headers + gso_size);
    let mut count = 0;
    for (i, payload) in frame[headers..].chunks(gso_size).enumerate() {
        datagram.clear();
        datagram.extend_from_slice(&frame[..headers]);
        datagram.extend_from_slice(payload);
        let udp_len = UDP_HEADER + payload.len();
        let (ip_part, udp) = datagram.split_at_mut(ip_start + ip_len);
        let ip_part = &mut ip_part[ip_start..];
        if v4 {
            // Each datagram its own identification, as the kernel's segmentation gives.
            let total = u16::try_from(ip_len + udp_len).unwrap_or(u16::MAX);
            ip_part[2..4].copy_from_slice(&total.to_be_bytes());
            let id = id.wrapping_add(u16::try_from(i).unwrap_or(u16::MAX));
            ip_part[4..6].copy_from_slice(&id.to_be_bytes());
            ip_part[10..12].fill(0);
            let mut c = Checksum::new();
            c.add_bytes(ip_part);
            ip_part[10..12].copy_from_slice(&c.checksum().to_be_bytes());
        } else {
            let payload_len = u16::try_from(udp_len).unwrap_or(u16::MAX);
            ip_part[4..6].copy_from_slice(&payload_len.to_be_bytes());
        }
        let udp_len = u16::try_from(udp_len).unwrap_or(u16::MAX);
        udp[4..6].copy_from_slice(&udp_len.to_be_bytes());
        udp[6..8].fill(0);
        let mut c = Checksum::new();
        c.add_bytes(src);
        c.add_bytes(dst);
        c.add_bytes(&[0, UDP]);
        c.add_bytes(&udp_len.to_be_bytes());
        c.add_bytes(udp);
        // RFC 768: a computed zero is sent as all ones (zero means "no checksum").
        let sum = match c.checksum() {
            0 => 0xffff,
            s => s,
        };
        udp[6..8].copy_from_slice(&sum.to_be_bytes());
        each(&datagram);
        count += 1;
    }
    count
}

/// A device's datagrams cut from received UDP GSO frames, handed out one per read.
#[derive(Debug, Default)]
pub(crate) struct CutDatagrams {
    waiting: Mutex<VecDeque<Vec<u8>>>,
}

impl CutDatagrams {
    /// Whether `header` describes a UDP GSO frame (to give to [`CutDatagrams::cut`]).
    pub(crate) fn is_udp_gso(header: &VnetHeader) -> bool {
        header.gso_type & !GSO_ECN == GSO_UDP_L4
    }

    /// Cuts the UDP GSO frame of `len` bytes (virtio-net header included) now in `buf`,
    /// keeps its datagrams and hands out the first in `buf`: its length, or 0 (a frame to
    /// drop) when the frame is malformed.
    pub(crate) fn cut(
        &self,
        kind: LinkKind,
        header: &VnetHeader,
        buf: &mut [u8],
        len: usize,
    ) -> usize {
        let frame_len = len.saturating_sub(VNET_HDR_LEN).min(buf.len());
        let ip_start = match kind {
            LinkKind::Tun => 0,
            // Ethernet, with one 802.1Q tag when the kernel left it in the frame.
            LinkKind::Tap if buf.get(12..14) == Some(&[0x81, 0x00]) => 18,
            LinkKind::Tap => 14,
        };
        {
            let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
            cut_udp_gso(
                &buf[..frame_len],
                ip_start,
                usize::from(header.gso_size),
                |d| {
                    waiting.push_back(d.to_vec());
                },
            );
        }
        self.next(buf).unwrap_or(0)
    }

    /// The next waiting datagram, copied into `buf` (truncated to it, as a read would be):
    /// its length; `None` when none is waiting.
    pub(crate) fn next(&self, buf: &mut [u8]) -> Option<usize> {
        let datagram = self
            .waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()?;
        let n = datagram.len().min(buf.len());
        buf[..n].copy_from_slice(&datagram[..n]);
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_wire::udp::UdpPacket;
    use zerocast_wire::{Ipv4Addr, Ipv6Addr, PseudoHeader};

    fn v4_frame(payload: usize) -> Vec<u8> {
        let mut f = vec![0u8; 28 + payload];
        f[0] = 0x45;
        f[4..6].copy_from_slice(&0x1234u16.to_be_bytes());
        f[8] = 64;
        f[9] = UDP;
        f[12..16].copy_from_slice(&[10, 77, 0, 1]);
        f[16..20].copy_from_slice(&[10, 78, 0, 2]);
        f[20..22].copy_from_slice(&5000u16.to_be_bytes());
        f[22..24].copy_from_slice(&9999u16.to_be_bytes());
        for (i, b) in f[28..].iter_mut().enumerate() {
            *b = (i % 251) as u8;
        }
        f
    }

    #[test]
    fn ipv4_datagrams_verify_and_carry_the_payload_in_order() {
        let frame = v4_frame(2500);
        let ph = PseudoHeader::V4 {
            src: Ipv4Addr([10, 77, 0, 1]),
            dst: Ipv4Addr([10, 78, 0, 2]),
        };
        let mut payload = Vec::new();
        let mut ids = Vec::new();
        let n = cut_udp_gso(&frame, 0, 1000, |d| {
            let mut c = Checksum::new();
            c.add_bytes(&d[..20]);
            assert_eq!(c.checksum(), 0, "IPv4 header checksum");
            assert_eq!(usize::from(u16::from_be_bytes([d[2], d[3]])), d.len());
            ids.push(u16::from_be_bytes([d[4], d[5]]));
            let udp = UdpPacket::parse(&d[20..], Some(ph)).expect("UDP checksum verifies");
            payload.extend_from_slice(udp.payload());
        });
        assert_eq!(n, 3);
        assert_eq!(ids, [0x1234, 0x1235, 0x1236]);
        assert_eq!(payload, frame[28..]);
    }

    #[test]
    fn ipv6_datagrams_verify_behind_an_ethernet_header() {
        let mut frame = vec![0u8; 14 + 48 + 1500];
        frame[12..14].copy_from_slice(&0x86ddu16.to_be_bytes());
        let ip = &mut frame[14..];
        ip[0] = 0x60;
        ip[6] = UDP;
        ip[7] = 64;
        ip[8..24].copy_from_slice(&[0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        ip[24..40].copy_from_slice(&[0xfd, 0x78, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        for (i, b) in ip[48..].iter_mut().enumerate() {
            *b = (i * 7) as u8;
        }
        let ph = PseudoHeader::V6 {
            src: Ipv6Addr(frame[22..38].try_into().unwrap()),
            dst: Ipv6Addr(frame[38..54].try_into().unwrap()),
        };
        let mut lens = Vec::new();
        let n = cut_udp_gso(&frame, 14, 1200, |d| {
            assert_eq!(d[..14], frame[..14], "link header kept");
            let payload_len = usize::from(u16::from_be_bytes([d[18], d[19]]));
            assert_eq!(payload_len, d.len() - 14 - 40);
            let udp = UdpPacket::parse(&d[54..], Some(ph)).expect("UDP checksum verifies");
            lens.push(udp.payload().len());
        });
        assert_eq!(n, 2);
        assert_eq!(lens, [1200, 300]);
    }

    #[test]
    fn kept_datagrams_come_out_one_per_read_in_order() {
        let cut = CutDatagrams::default();
        let header = VnetHeader {
            gso_type: GSO_UDP_L4,
            gso_size: 1000,
            ..VnetHeader::NONE
        };
        assert!(CutDatagrams::is_udp_gso(&header));
        assert!(!CutDatagrams::is_udp_gso(&VnetHeader::NONE));
        let frame = v4_frame(2100);
        let mut buf = vec![0u8; 4096];
        buf[..frame.len()].copy_from_slice(&frame);
        let first = cut.cut(LinkKind::Tun, &header, &mut buf, frame.len() + VNET_HDR_LEN);
        let mut lens = vec![first];
        let mut payload = buf[28..first].to_vec();
        while let Some(n) = cut.next(&mut buf) {
            lens.push(n);
            payload.extend_from_slice(&buf[28..n]);
        }
        assert_eq!(lens, [1028, 1028, 128]);
        assert_eq!(payload, frame[28..]);
    }

    #[test]
    fn malformed_frames_hand_out_nothing() {
        let frame = v4_frame(100);
        let mut calls = 0;
        for bad in [
            &frame[..27],  // cut inside the UDP header
            &frame[..0],   // empty
            &[0x55u8; 40], // version 5
        ] {
            assert_eq!(cut_udp_gso(bad, 0, 10, |_| calls += 1), 0);
        }
        let mut tcp = frame.clone();
        tcp[9] = 6;
        assert_eq!(cut_udp_gso(&tcp, 0, 10, |_| calls += 1), 0);
        assert_eq!(cut_udp_gso(&frame, 0, 0, |_| calls += 1), 0);
        assert_eq!(cut_udp_gso(&frame, 200, 10, |_| calls += 1), 0);
        let mut short_ihl = frame.clone();
        short_ihl[0] = 0x41;
        assert_eq!(cut_udp_gso(&short_ihl, 0, 10, |_| calls += 1), 0);
        assert_eq!(calls, 0);
    }
}
