//! `erspan`: Cisco's Encapsulated Remote SPAN in GRE (draft-foschiano-erspan-03), with
//! tshark 4.0's field names: type I (GRE protocol 0x88BE without a GRE sequence number:
//! no ERSPAN header, the mirrored Ethernet frame right away), type II (0x88BE: version,
//! VLAN, class of service, encapsulation, truncated bit, session ID, index) and type III
//! (0x22EB: the same first word with BSO for encapsulation, then timestamp, security group
//! tag and the flags word), each followed by the mirrored Ethernet frame. Type III's
//! platform-specific subheader (present when the `o` bit is set) is skipped, not decoded.
//! Fields are shown per 16-bit word captured, as tshark does.

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{eth, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Erspan, name: "erspan",
    ErspanVersion = "erspan.version", Dec;
    ErspanVlan = "erspan.vlan", Dec;
    ErspanCos = "erspan.cos", Dec;
    ErspanEncap = "erspan.encap", Dec;
    ErspanBso = "erspan.bso", Dec;
    ErspanTruncated = "erspan.truncated", Dec;
    ErspanSpanid = "erspan.spanid", Dec;
    ErspanReserved = "erspan.reserved", Dec;
    ErspanIndex = "erspan.index", Dec;
    ErspanTimestamp = "erspan.timestamp", Dec;
    ErspanSgt = "erspan.sgt", Dec;
    ErspanP = "erspan.p", Dec;
    ErspanFt = "erspan.ft", Dec;
    ErspanHw = "erspan.hw", Dec;
    ErspanDirection = "erspan.direction", Dec;
    ErspanGra = "erspan.gra", Dec;
    ErspanO = "erspan.o", Dec;
}

/// ERSPAN types II and III behind their GRE protocol types (type I is GRE's call, see
/// [`dissect_type_i`]).
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Erspan,
    hook: Hook::EtherType(&[TYPE_II, TYPE_III], dissect),
};

/// The GRE protocol types (EtherTypes) of ERSPAN types I/II and III.
pub(super) const TYPE_II: u16 = 0x88be;
const TYPE_III: u16 = 0x22eb;

/// Type I: a GRE packet of protocol 0x88BE without a sequence number carries the mirrored
/// frame with no ERSPAN header.
pub(super) fn dissect_type_i(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Erspan);
    eth::dissect(cx, bytes);
}

fn word(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn dissect(cx: &mut Cx<'_, '_>, ethertype: EtherType, bytes: &[u8], _depth: usize) {
    cx.out.enter(Proto::Erspan);
    let at = match header(cx, ethertype.0 == TYPE_III, bytes) {
        Some(at) => at,
        None => return cx.header_cut("erspan", bytes.len(), 12),
    };
    eth::dissect(cx, &bytes[at..]);
}

/// The header word by word; the offset of the mirrored frame, `None` where the capture
/// ran out or the version is neither 1 (type II) nor 2 (type III).
fn header(cx: &mut Cx<'_, '_>, type_iii: bool, bytes: &[u8]) -> Option<usize> {
    let first = word(bytes, 0)?;
    let version = first >> 12;
    cx.out.push_uint(Field::ErspanVersion, version);
    cx.out.push_uint(Field::ErspanVlan, first & 0x0fff);
    if version != if type_iii { 2 } else { 1 } {
        return None;
    }
    let second = word(bytes, 2)?;
    cx.out.push_uint(Field::ErspanCos, second >> 13);
    let encap = if type_iii {
        Field::ErspanBso
    } else {
        Field::ErspanEncap
    };
    cx.out.push_uint(encap, second >> 11 & 3);
    cx.out.push_uint(Field::ErspanTruncated, second >> 10 & 1);
    cx.out.push_uint(Field::ErspanSpanid, second & 0x03ff);
    if !type_iii {
        let (high, low) = (word(bytes, 4)?, word(bytes, 6)?);
        let rest = u32::from(high) << 16 | u32::from(low);
        cx.out.push_uint(Field::ErspanReserved, rest >> 20);
        cx.out.push_uint(Field::ErspanIndex, rest & 0x000f_ffff);
        return Some(8);
    }
    let (high, low) = (word(bytes, 4)?, word(bytes, 6)?);
    cx.out.push_uint(
        Field::ErspanTimestamp,
        u32::from(high) << 16 | u32::from(low),
    );
    cx.out.push_uint(Field::ErspanSgt, word(bytes, 8)?);
    let flags = word(bytes, 10)?;
    cx.out.push_uint(Field::ErspanP, flags >> 15);
    cx.out.push_uint(Field::ErspanFt, flags >> 10 & 0x1f);
    cx.out.push_uint(Field::ErspanHw, flags >> 4 & 0x3f);
    cx.out.push_uint(Field::ErspanDirection, flags >> 3 & 1);
    cx.out.push_uint(Field::ErspanGra, flags >> 1 & 3);
    cx.out.push_uint(Field::ErspanO, flags & 1);
    // The platform-specific subheader: 8 bytes, all of them needed before the frame.
    let at = if flags & 1 == 1 { 20 } else { 12 };
    bytes.get(..at)?;
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{FrameFields, Value};

    fn fields(type_iii: bool, bytes: &[u8]) -> (FrameFields, Option<usize>) {
        let mut out = FrameFields::default();
        let mut cx = Cx {
            out: &mut out,
            frame: bytes,
            snapped: false,
            uncaptured: 0,
            verify: false,
            ts_sec: 0,
            memory: None,
        };
        let at = header(&mut cx, type_iii, bytes);
        (out, at)
    }

    #[test]
    fn type_ii_words_split_as_the_draft_says() {
        // Version 1, VLAN 100; COS 5, En 3, T 1, session 0x155; index 0x12345.
        let (f, at) = fields(false, &[0x10, 0x64, 0xbd, 0x55, 0x00, 0x01, 0x23, 0x45]);
        assert_eq!(at, Some(8));
        let got: Vec<Option<u64>> = [
            Field::ErspanVersion,
            Field::ErspanVlan,
            Field::ErspanCos,
            Field::ErspanEncap,
            Field::ErspanTruncated,
            Field::ErspanSpanid,
            Field::ErspanIndex,
        ]
        .into_iter()
        .map(|x| f.uint(x))
        .collect();
        let want = [1, 100, 5, 3, 1, 0x155, 0x12345].map(Some);
        assert_eq!(got, want);
    }

    #[test]
    fn type_iii_with_its_subheader_needs_twenty_bytes() {
        let mut h = vec![0x20, 0x07, 0x03, 0xff, 0, 0, 0, 1, 0, 0, 0x00, 0x07];
        assert_eq!(fields(true, &h).1, None);
        h.extend_from_slice(&[0; 8]);
        let (f, at) = fields(true, &h);
        assert_eq!((at, f.uint(Field::ErspanGra)), (Some(20), Some(3)));
        assert_eq!(f.first(Field::ErspanO), Some(Value::Uint(1)));
    }
}
