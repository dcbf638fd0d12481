//! Fragmentation on output: splitting a packet that exceeds the path MTU (RFC 791 section
//! 3.2 for IPv4, RFC 8200 section 4.5 for IPv6).
//!
//! Each function returns the frames to send, each behind `link_len` bytes of link-header
//! room. Fragment data is a multiple of 8 bytes except in the last fragment. IPv4 options
//! travel only in the first fragment (the stack never emits options whose copy flag asks for
//! more); an IPv6 packet gets a Fragment header after the fixed header, since the stack
//! emits no other extension headers of its own.

use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use zerocast_wire::ipv4::{Ipv4Repr, FLAG_DF, FLAG_MF};
use zerocast_wire::ipv6::Ipv6Repr;
use zerocast_wire::ipv6_ext::{write_fragment_header, FragmentHeader};
use zerocast_wire::IpProto;

use crate::socket::SocketError;

/// The IPv4 header fields of a packet to send.
#[derive(Debug, Clone, Copy)]
pub(crate) struct V4Header<'a> {
    pub(crate) src: Ipv4Addr,
    pub(crate) dst: Ipv4Addr,
    pub(crate) proto: IpProto,
    pub(crate) ttl: u8,
    pub(crate) ident: u16,
    pub(crate) dont_fragment: bool,
    /// DSCP/ECN byte.
    pub(crate) dsfield: u8,
    /// Options (first fragment only).
    pub(crate) options: &'a [u8],
    /// When re-fragmenting a fragment (forwarding): its offset in 8-byte units and MF flag.
    pub(crate) offset_base: u16,
    pub(crate) more_after: bool,
}

impl<'a> V4Header<'a> {
    /// A plain header: no options, not a fragment yet.
    pub(crate) fn new(
        src: Ipv4Addr,
        dst: Ipv4Addr,
        proto: IpProto,
        ttl: u8,
        ident: u16,
        dont_fragment: bool,
    ) -> Self {
        V4Header {
            src,
            dst,
            proto,
            ttl,
            ident,
            dont_fragment,
            dsfield: 0,
            options: &[],
            offset_base: 0,
            more_after: false,
        }
    }
}

fn emit_v4(
    h: &V4Header<'_>,
    options: &[u8],
    offset_units: u16,
    more: bool,
    data: &[u8],
    link_len: usize,
) -> Result<Vec<u8>, SocketError> {
    let mut repr = Ipv4Repr::new(h.src.into(), h.dst.into(), h.proto, h.ttl);
    repr.ident = h.ident;
    repr.dsfield = h.dsfield;
    repr.options = options;
    repr.flags = if h.dont_fragment { FLAG_DF } else { 0 } | if more { FLAG_MF } else { 0 };
    repr.fragment_offset = offset_units;
    let header_len = repr.header_len();
    let mut frame = alloc::vec![0u8; link_len + header_len + data.len()];
    repr.emit(&mut frame[link_len..], data.len())
        .map_err(|_| SocketError::MessageTooLong)?;
    frame[link_len + header_len..].copy_from_slice(data);
    Ok(frame)
}

/// Builds the IPv4 packet(s) carrying `payload` within `mtu`.
///
/// # Errors
/// [`SocketError::MessageTooLong`] when the packet needs fragmenting but DF is set, the
/// total exceeds 65535, or the MTU cannot carry 8 data bytes.
pub(crate) fn build_ipv4(
    h: &V4Header<'_>,
    payload: &[u8],
    mtu: u32,
    link_len: usize,
) -> Result<Vec<Vec<u8>>, SocketError> {
    let mtu = usize::try_from(mtu).unwrap_or(usize::MAX);
    let first_header = zerocast_wire::ipv4::HEADER_LEN + h.options.len();
    if first_header + payload.len() <= mtu {
        let more = h.more_after;
        return Ok(alloc::vec![emit_v4(
            h,
            h.options,
            h.offset_base,
            more,
            payload,
            link_len
        )?]);
    }
    if h.dont_fragment {
        return Err(SocketError::MessageTooLong);
    }
    let plain_header = zerocast_wire::ipv4::HEADER_LEN;
    let first_chunk = mtu.saturating_sub(first_header) & !7;
    let chunk = mtu.saturating_sub(plain_header) & !7;
    if first_chunk == 0 || chunk == 0 {
        return Err(SocketError::MessageTooLong);
    }
    let mut frames = Vec::new();
    let mut at = 0;
    while at < payload.len() {
        let (options, size) = if at == 0 {
            (h.options, first_chunk)
        } else {
            (&[][..], chunk)
        };
        let end = (at + size).min(payload.len());
        let more = end < payload.len() || h.more_after;
        let units = u16::try_from(at / 8).map_err(|_| SocketError::MessageTooLong)?;
        let offset = h
            .offset_base
            .checked_add(units)
            .filter(|o| *o <= 0x1fff)
            .ok_or(SocketError::MessageTooLong)?;
        frames.push(emit_v4(
            h,
            options,
            offset,
            more,
            &payload[at..end],
            link_len,
        )?);
        at = end;
    }
    Ok(frames)
}

/// The IPv6 header fields of a packet to send.
#[derive(Debug, Clone, Copy)]
pub(crate) struct V6Header {
    pub(crate) src: Ipv6Addr,
    pub(crate) dst: Ipv6Addr,
    pub(crate) proto: IpProto,
    pub(crate) hop_limit: u8,
    /// Identification for the Fragment header, if one is needed.
    pub(crate) ident: u32,
}

/// Builds the IPv6 packet(s) carrying `payload` within `mtu` (at least 1280 is assumed by
/// callers, RFC 8200 section 5).
///
/// # Errors
/// [`SocketError::MessageTooLong`] above 65535 payload bytes (jumbograms are not sent) or
/// when the MTU cannot carry a fragment.
pub(crate) fn build_ipv6(
    h: &V6Header,
    payload: &[u8],
    mtu: u32,
    link_len: usize,
) -> Result<Vec<Vec<u8>>, SocketError> {
    const FIXED: usize = zerocast_wire::ipv6::HEADER_LEN;
    const FRAG: usize = 8;
    let mtu = usize::try_from(mtu).unwrap_or(usize::MAX);
    if payload.len() > usize::from(u16::MAX) {
        return Err(SocketError::MessageTooLong);
    }
    if FIXED + payload.len() <= mtu {
        let repr = Ipv6Repr::new(h.src.into(), h.dst.into(), h.proto, h.hop_limit);
        let mut frame = alloc::vec![0u8; link_len + FIXED + payload.len()];
        repr.emit(&mut frame[link_len..], payload.len())
            .map_err(|_| SocketError::MessageTooLong)?;
        frame[link_len + FIXED..].copy_from_slice(payload);
        return Ok(alloc::vec![frame]);
    }
    if payload.len() + FRAG > usize::from(u16::MAX) {
        return Err(SocketError::MessageTooLong);
    }
    let chunk = mtu.saturating_sub(FIXED + FRAG) & !7;
    if chunk == 0 {
        return Err(SocketError::MessageTooLong);
    }
    let mut frames = Vec::new();
    let mut at = 0;
    while at < payload.len() {
        let end = (at + chunk).min(payload.len());
        let mut frag_header = [0u8; FRAG];
        let frag = FragmentHeader {
            offset: u16::try_from(at / 8).map_err(|_| SocketError::MessageTooLong)?,
            more: end < payload.len(),
            ident: h.ident,
        };
        write_fragment_header(&mut frag_header, h.proto, frag)
            .map_err(|_| SocketError::MessageTooLong)?;
        let mut repr = Ipv6Repr::new(h.src.into(), h.dst.into(), IpProto::FRAGMENT, h.hop_limit);
        repr.extensions = &frag_header;
        let data = &payload[at..end];
        let mut frame = alloc::vec![0u8; link_len + FIXED + FRAG + data.len()];
        repr.emit(&mut frame[link_len..], data.len())
            .map_err(|_| SocketError::MessageTooLong)?;
        frame[link_len + FIXED + FRAG..].copy_from_slice(data);
        frames.push(frame);
        at = end;
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocast_wire::ipv4::Ipv4Packet;
    use zerocast_wire::ipv6::Ipv6Packet;
    use zerocast_wire::reassembly::{Ipv4Reassembler, Ipv6Reassembler, Reassembled};

    fn payload(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7) as u8).collect()
    }

    /// RFC 791 section 3.2: fragments carry multiples of 8 data bytes, MF on all but the
    /// last, and reassemble to the original.
    #[test]
    fn rfc791_ipv4_fragments_fit_the_mtu_and_reassemble() {
        let h = V4Header::new(
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv4Addr::new(10, 0, 0, 2),
            IpProto::UDP,
            64,
            77,
            false,
        );
        let data = payload(3000);
        let frames = build_ipv4(&h, &data, 1500, 0).unwrap();
        assert_eq!(frames.len(), 3);
        let mut r = Ipv4Reassembler::new(Default::default());
        let mut whole = None;
        for (i, f) in frames.iter().enumerate() {
            assert!(f.len() <= 1500);
            let ip = Ipv4Packet::parse(&f[..]).unwrap();
            assert_eq!(ip.more_fragments(), i < 2);
            if i < 2 {
                assert_eq!(ip.payload().len() % 8, 0);
            }
            if let Reassembled::Complete(p) = r.insert(&ip, 0).unwrap() {
                whole = Some(p);
            }
        }
        let whole = whole.unwrap();
        assert_eq!(Ipv4Packet::parse(&whole[..]).unwrap().payload(), &data[..]);
    }

    #[test]
    fn ipv4_dont_fragment_refuses_instead() {
        let h = V4Header::new(
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv4Addr::new(10, 0, 0, 2),
            IpProto::UDP,
            64,
            1,
            true,
        );
        assert_eq!(
            build_ipv4(&h, &payload(1481), 1500, 14),
            Err(SocketError::MessageTooLong)
        );
        let one = build_ipv4(&h, &payload(1480), 1500, 14).unwrap();
        assert_eq!(one[0].len(), 14 + 1500);
    }

    /// RFC 8200 section 4.5: source fragmentation with a Fragment header; reassembles.
    #[test]
    fn rfc8200_4_5_ipv6_fragments_reassemble() {
        let h = V6Header {
            src: "2001:db8::1".parse().unwrap(),
            dst: "2001:db8::2".parse().unwrap(),
            proto: IpProto::UDP,
            hop_limit: 64,
            ident: 0xdead_beef,
        };
        let data = payload(4000);
        let frames = build_ipv6(&h, &data, 1280, 0).unwrap();
        assert_eq!(frames.len(), 4);
        let mut r = Ipv6Reassembler::new(Default::default());
        let mut whole = None;
        for f in &frames {
            assert!(f.len() <= 1280);
            let ip = Ipv6Packet::parse(&f[..]).unwrap();
            assert_eq!(ip.fragment().unwrap().ident, 0xdead_beef);
            if let Reassembled::Complete(p) = r.insert(&ip, 0).unwrap() {
                whole = Some(p);
            }
        }
        let whole = whole.unwrap();
        let ip = Ipv6Packet::parse(&whole[..]).unwrap();
        assert_eq!(ip.upper_protocol(), IpProto::UDP);
        assert_eq!(ip.payload(), &data[..]);
    }
}
