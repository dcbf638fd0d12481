//! `cdp`: the Cisco Discovery Protocol, which rides in 802.3 LLC/SNAP frames with Cisco's
//! organization code and protocol ID 0x2000, with tshark 4.0's field names: the header
//! (version, time to live, checksum and its status) and each TLV's type and length. The
//! TLVs' values are not decoded.
//!
//! As tshark 4.0 decodes it: the checksum is the Internet checksum of the whole message,
//! verified only when every byte of it was captured (status 2 otherwise). Cisco computes
//! it over an odd-length message as if the last byte were a 16-bit word holding the byte
//! sign-extended, so tshark verifies it that way. The TLVs run to the message's end (its
//! length on the wire); a TLV whose length field is below its own 4-byte header shows its
//! type and length and ends the message. A TLV cut by the snapshot length shows nothing of
//! itself, since tshark reads its value before it adds the type and length.

use zerocast_wire::checksum::Checksum;

use super::Cx;
use crate::fields::{declare_fields, Field, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: Cdp, name: "cdp",
    CdpVersion = "cdp.version", Dec;
    CdpTtl = "cdp.ttl", Dec;
    CdpChecksum = "cdp.checksum", Hex4;
    CdpChecksumStatus = "cdp.checksum.status", ChecksumStatus;
    CdpTlvType = "cdp.tlv.type", Hex4;
    CdpTlvLen = "cdp.tlv.len", Dec;
}

/// Cisco's organization code in a SNAP header.
pub(super) const OUI: [u8; 3] = [0x00, 0x00, 0x0c];
/// The SNAP protocol ID of CDP under Cisco's organization code.
pub(super) const PID: u16 = 0x2000;

/// A TLV's header: type and length, both 16 bits; the length counts the header.
const TLV_HEADER: usize = 4;

/// Cisco's checksum of `message` (all of it captured): 1 when it verifies, 0 when not.
fn checksum_status(message: &[u8]) -> u64 {
    let mut sum = Checksum::new();
    match message.split_last() {
        Some((&last, head)) if message.len() % 2 == 1 => {
            // The odd byte becomes a word: its sign extension, then the byte itself.
            sum.add_bytes(head);
            sum.add_bytes(&[if last & 0x80 != 0 { 0xff } else { 0 }, last]);
        }
        _ => sum.add_bytes(message),
    }
    u64::from(sum.checksum() == 0)
}

/// How many bytes of `message` (as captured) the snapshot length left out: none when the
/// captured frame goes on after it (into 802.3 padding), else as many as of the frame
/// (which may count padding too: the 802.3 length field is not passed down).
fn uncaptured(cx: &Cx<'_, '_>, message: &[u8]) -> usize {
    let end = message.as_ptr().addr() + message.len();
    let frame_end = cx.frame.as_ptr().addr() + cx.frame.len();
    if end < frame_end {
        0
    } else {
        cx.uncaptured
    }
}

/// A CDP message (the bytes after the SNAP header, as captured).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Cdp);
    let Some(&version) = bytes.first() else {
        return cx.header_cut("cdp", 0, TLV_HEADER);
    };
    cx.out.push_uint(Field::CdpVersion, version);
    let Some(&ttl) = bytes.get(1) else {
        return cx.header_cut("cdp", bytes.len(), TLV_HEADER);
    };
    cx.out.push_uint(Field::CdpTtl, ttl);
    let Some(&[c0, c1]) = bytes.get(2..4).and_then(|c| c.first_chunk::<2>()) else {
        return cx.header_cut("cdp", bytes.len(), TLV_HEADER);
    };
    cx.out
        .push_uint(Field::CdpChecksum, u16::from_be_bytes([c0, c1]));
    let uncaptured = uncaptured(cx, bytes);
    let status = if uncaptured == 0 {
        checksum_status(bytes)
    } else {
        2
    };
    cx.out.push_uint(Field::CdpChecksumStatus, status);
    let reported = bytes.len() + uncaptured;
    let mut at = 4;
    while at < reported {
        let Some(&[t0, t1, l0, l1]) = bytes.get(at..).and_then(|t| t.first_chunk::<4>()) else {
            return cx.header_cut("cdp", bytes.len(), at + TLV_HEADER);
        };
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        if len < TLV_HEADER {
            cx.out
                .push_uint(Field::CdpTlvType, u16::from_be_bytes([t0, t1]));
            cx.out.push_uint(Field::CdpTlvLen, len as u64);
            // tshark stops at such a TLV, whatever follows.
            cx.out.note_tree(TreeNote::FinishedBeforeCut);
            return;
        }
        if bytes.len() < at + len {
            return cx.header_cut("cdp", bytes.len(), at + len);
        }
        cx.out
            .push_uint(Field::CdpTlvType, u16::from_be_bytes([t0, t1]));
        cx.out.push_uint(Field::CdpTlvLen, len as u64);
        at += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FrameFields;

    /// An 802.3 frame with LLC/SNAP (Cisco, CDP) around `message`, `cut` bytes of it not
    /// captured.
    fn decode(message: &[u8], cut: usize) -> FrameFields {
        let mut frame = vec![2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa];
        frame.extend_from_slice(&(8 + message.len() as u16).to_be_bytes());
        frame.extend_from_slice(&[0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00]);
        frame.extend_from_slice(message);
        let orig_len = frame.len() as u32;
        frame.truncate(frame.len() - cut);
        crate::dissect::ethernet_frame(&frame, orig_len)
    }

    /// Version 2, TTL 180, the checksum of `tlvs` filled in.
    fn message(tlvs: &[u8]) -> Vec<u8> {
        let mut m = vec![2, 180, 0, 0];
        m.extend_from_slice(tlvs);
        let mut sum = Checksum::new();
        if m.len() % 2 == 1 {
            let last = m[m.len() - 1];
            sum.add_bytes(&m[..m.len() - 1]);
            sum.add_bytes(&[if last & 0x80 != 0 { 0xff } else { 0 }, last]);
        } else {
            sum.add_bytes(&m);
        }
        let c = sum.checksum();
        m[2..4].copy_from_slice(&c.to_be_bytes());
        m
    }

    #[test]
    fn header_and_each_tlv_are_shown_and_the_checksum_verifies() {
        // Device ID "R1", then an odd-length TLV ending in a byte with its top bit set.
        let m = message(&[0, 1, 0, 6, b'R', b'1', 0, 3, 0, 5, 0x80]);
        let f = decode(&m, 0);
        assert_eq!(f.path().last(), Some(&Proto::Cdp));
        assert_eq!(f.uint(Field::CdpVersion), Some(2));
        assert_eq!(f.uint(Field::CdpTtl), Some(180));
        assert_eq!(f.uint(Field::CdpChecksumStatus), Some(1));
        let types: Vec<_> = f.all(Field::CdpTlvType).collect();
        assert_eq!(types.len(), 2, "{types:?}");
        assert!(f.malformed().is_none());
        // One flipped bit: bad.
        let mut bad = m.clone();
        bad[5] ^= 1;
        assert_eq!(decode(&bad, 0).uint(Field::CdpChecksumStatus), Some(0));
    }

    #[test]
    fn a_tlv_shorter_than_its_header_ends_the_message() {
        let f = decode(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 6], 0);
        assert_eq!(f.uint(Field::CdpChecksumStatus), Some(0));
        assert_eq!(f.all(Field::CdpTlvLen).count(), 1);
        assert_eq!(f.uint(Field::CdpTlvLen), Some(0));
    }

    #[test]
    fn a_cut_message_is_unverified_and_its_cut_tlv_not_shown() {
        let m = message(&[0, 1, 0, 6, b'R', b'1']);
        let f = decode(&m, 1);
        assert_eq!(f.uint(Field::CdpChecksumStatus), Some(2));
        assert_eq!(f.uint(Field::CdpTlvType), None);
        // Not a malformed message: the capture was cut.
        assert!(f.malformed().is_none());
        // Without the cut, a TLV running past the message is malformed.
        let f = decode(&message(&[0, 1, 0, 9, b'R']), 0);
        assert_eq!(f.malformed().map(|m| m.layer), Some("cdp"));
    }
}
