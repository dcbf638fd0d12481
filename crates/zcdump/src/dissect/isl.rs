//! `isl`: Cisco's Inter-Switch Link, found as tshark finds it: an Ethernet frame whose
//! destination starts `01:00:0c:00:00` or `03:00:0c:00:00` and whose type/length field is
//! a length. tshark 4.0's fields for the 26-byte header (destination with the type and
//! user nibbles, source, length, the AAAA03 SNAP bytes, high source address bits, VLAN
//! and BPDU bit, index, reserved), then the tagged Ethernet frame (frame type 0) as
//! further `eth.*` occurrences; the outer frame has no `eth` fields. Token Ring, FDDI and
//! ATM frame types show the header's common part only.

use super::{eth, Cx};
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Isl, name: "isl",
    IslDst = "isl.dst", Mac;
    IslAddr = "isl.addr", Mac;
    IslType = "isl.type", Dec;
    IslUserEth = "isl.user_eth", Dec;
    IslSrc = "isl.src", Mac;
    IslLen = "isl.len", Dec;
    IslDsap = "isl.dsap", Hex2;
    IslSsap = "isl.ssap", Hex2;
    IslControl = "isl.control", Hex2;
    IslHsa = "isl.hsa", Hex6;
    IslVlanId = "isl.vlan_id", Dec;
    IslBpdu = "isl.bpdu", Dec;
    IslIndex = "isl.index", Dec;
    IslReserved = "isl.reserved", Hex4;
}

/// The header's length: destination 6, source 6, length 2, SNAP 3, HSA 3, VLAN 2,
/// index 2, reserved 2.
const HEADER_LEN: usize = 26;

/// Whether an Ethernet frame is ISL (tshark's test in its Ethernet dissector).
pub(super) fn is_isl(frame: &[u8]) -> bool {
    let isl_dst = matches!(frame.get(..5), Some([0x01 | 0x03, 0x00, 0x0c, 0x00, 0x00]));
    let length = frame
        .get(12..14)
        .is_some_and(|l| u16::from_be_bytes([l[0], l[1]]) <= 1500);
    isl_dst && length
}

fn mac(bytes: &[u8], at: usize) -> Option<Value> {
    Some(Value::Mac(bytes.get(at..at + 6)?.try_into().ok()?))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

/// An ISL frame (the caller checked [`is_isl`]).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    cx.out.enter(Proto::Isl);
    if header(cx, frame).is_none() {
        return cx.header_cut("isl", frame.len(), HEADER_LEN);
    }
    // Frame type 0: an Ethernet frame follows (its FCS and ISL's CRC after it).
    if frame[5] >> 4 == 0 {
        eth::dissect(cx, &frame[HEADER_LEN..]);
    }
}

fn header(cx: &mut Cx<'_, '_>, frame: &[u8]) -> Option<()> {
    let dst = mac(frame, 0)?;
    cx.out.push(Field::IslDst, dst);
    cx.out.push(Field::IslAddr, dst);
    let type_user = frame[5];
    cx.out.push_uint(Field::IslType, type_user >> 4);
    // Other frame types' `isl.user` is not declared (no sample has one).
    if type_user >> 4 == 0 {
        cx.out.push_uint(Field::IslUserEth, type_user & 3);
    }
    let src = mac(frame, 6)?;
    cx.out.push(Field::IslSrc, src);
    cx.out.push(Field::IslAddr, src);
    cx.out.push_uint(Field::IslLen, u16_at(frame, 12)?);
    for (at, field) in [
        (14, Field::IslDsap),
        (15, Field::IslSsap),
        (16, Field::IslControl),
    ] {
        cx.out.push_uint(field, *frame.get(at)?);
    }
    let hsa = frame.get(17..20)?;
    cx.out.push_uint(
        Field::IslHsa,
        u32::from_be_bytes([0, hsa[0], hsa[1], hsa[2]]),
    );
    let vlan = u16_at(frame, 20)?;
    cx.out.push_uint(Field::IslVlanId, vlan >> 1);
    cx.out.push_uint(Field::IslBpdu, vlan & 1);
    cx.out.push_uint(Field::IslIndex, u16_at(frame, 22)?);
    if type_user >> 4 == 0 {
        cx.out.push_uint(Field::IslReserved, u16_at(frame, 24)?);
    }
    frame.get(..HEADER_LEN)?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isl_is_a_cisco_multicast_destination_with_a_length() {
        let mut f = [0u8; 30];
        f[..5].copy_from_slice(&[0x01, 0x00, 0x0c, 0x00, 0x00]);
        f[13] = 76;
        assert!(is_isl(&f));
        f[12] = 0x08; // an EtherType, not a length
        assert!(!is_isl(&f));
        f[12] = 0;
        f[0] = 0x05;
        assert!(!is_isl(&f));
    }
}
