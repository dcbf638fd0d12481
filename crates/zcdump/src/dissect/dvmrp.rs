//! `dvmrp`: the Distance Vector Multicast Routing Protocol, carried in IGMP messages of
//! type 0x13 (the IGMP dissector calls this), with tshark 4.0's field names.
//!
//! tshark tells the versions apart by length: a message with at least 8 bytes captured is
//! version 3 (draft-ietf-idmr-dvmrp-v3: type, code, checksum, 2 reserved bytes, minor and
//! major version), a shorter one version 1 (RFC 1075: type, code, checksum, then commands,
//! of which a cut message shows the first few). The version field is tshark's own (3 or 1),
//! not read from the bytes. The checksum is IGMP's, over the whole message; its status is
//! unverified (2) when the message was not all captured.

use zerocast_wire::checksum::checksum;

use super::{Cx, Upper};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Dvmrp, name: "dvmrp",
    DvmrpVersion = "dvmrp.version", Dec;
    DvmrpType = "dvmrp.type", Hex2;
    DvmrpV1Code = "dvmrp.v1.code", Hex2;
    DvmrpV3Code = "dvmrp.v3.code", Hex2;
    DvmrpChecksum = "dvmrp.checksum", Hex4;
    DvmrpChecksumStatus = "dvmrp.checksum.status", ChecksumStatus;
    DvmrpReserved = "dvmrp.reserved", Hex4;
    DvmrpCommand = "dvmrp.command", Hex2;
    DvmrpMinVer = "dvmrp.min_ver", Hex2;
    DvmrpMajVer = "dvmrp.maj_ver", Hex2;
}

/// Captured bytes from which tshark reads a message as version 3.
const V3_LEN: usize = 8;

/// Version 1 commands (RFC 1075 3.1) of two bytes: tshark's NULL (0, with a pad byte)
/// and those with a one-byte argument (AFI, metric, flags0, infinity).
const TWO_BYTE_COMMANDS: [u8; 5] = [0, 2, 4, 5, 6];
/// Version 1 commands whose argument is a count and a list (subnet mask, DA, RDA, NMR,
/// NMR cancel): tshark 4.0.17 shows the command and stops there without calling a cut
/// message short. Other (unknown) commands are one byte.
const LIST_COMMANDS: [u8; 5] = [3, 7, 8, 9, 10];

/// A DVMRP message (the IGMP message itself, type byte first).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, upper: &Upper<'_>) {
    let bytes = upper.bytes;
    let Some(&kind) = bytes.first() else {
        return;
    };
    cx.out.enter(Proto::Dvmrp);
    let v3 = bytes.len() >= V3_LEN;
    cx.out
        .push_uint(Field::DvmrpVersion, if v3 { 3u8 } else { 1 });
    cx.out.push_uint(Field::DvmrpType, kind);
    let Some(&code) = bytes.get(1) else {
        return cx.header_cut("dvmrp", bytes.len(), V3_LEN);
    };
    let code_field = if v3 {
        Field::DvmrpV3Code
    } else {
        Field::DvmrpV1Code
    };
    cx.out.push_uint(code_field, code);
    let Some(&[c0, c1]) = bytes.get(2..4).and_then(|c| c.first_chunk::<2>()) else {
        return cx.header_cut("dvmrp", bytes.len(), V3_LEN);
    };
    cx.out
        .push_uint(Field::DvmrpChecksum, u16::from_be_bytes([c0, c1]));
    if cx.out.wants(Field::DvmrpChecksumStatus) {
        let status = if upper.complete {
            u8::from(checksum(bytes) == 0)
        } else {
            2
        };
        cx.out.push_uint(Field::DvmrpChecksumStatus, status);
    }
    let Some(&[r0, r1, minor, major]) = bytes.get(4..8).and_then(|r| r.first_chunk::<4>()) else {
        return version_1_commands(cx, bytes);
    };
    cx.out
        .push_uint(Field::DvmrpReserved, u16::from_be_bytes([r0, r1]));
    cx.out.push_uint(Field::DvmrpMinVer, minor);
    cx.out.push_uint(Field::DvmrpMajVer, major);
}

/// The commands of a version 1 message, cut short (else it would be read as version 3).
fn version_1_commands(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let mut at = 4;
    while let Some(&command) = bytes.get(at) {
        cx.out.push_uint(Field::DvmrpCommand, command);
        if LIST_COMMANDS.contains(&command) {
            return;
        }
        at += if TWO_BYTE_COMMANDS.contains(&command) {
            2
        } else {
            1
        };
    }
    cx.header_cut("dvmrp", bytes.len(), V3_LEN);
}

#[cfg(test)]
mod tests {
    use crate::fields::{Field, FrameFields, Proto, Value};

    /// Ethernet + IPv4 (protocol 2) around `igmp`, of which `captured` bytes were kept.
    fn decode(igmp: &[u8], captured: usize) -> FrameFields {
        let mut frame = vec![2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 8, 0];
        let total = 20 + igmp.len() as u8;
        frame.extend_from_slice(&[0x45, 0, 0, total, 0, 1, 0, 0, 1, 2, 0, 0]);
        frame.extend_from_slice(&[192, 0, 2, 1, 224, 0, 0, 4]);
        frame.extend_from_slice(igmp);
        let orig_len = frame.len() as u32;
        frame.truncate(34 + captured);
        crate::dissect::ethernet_frame(&frame, orig_len)
    }

    fn all(f: &FrameFields, field: Field) -> Vec<Value> {
        f.entries()
            .iter()
            .filter(|(g, _)| *g == field)
            .map(|&(_, v)| v)
            .collect()
    }

    #[test]
    fn version_3_checksum_is_verified() {
        // Type 0x13, code 0, checksum over the 8 bytes, reserved, minor 0xff, major 3.
        let mut msg = [0x13, 0, 0, 0, 0, 0, 0xff, 3];
        let c = zerocast_wire::checksum::checksum(&msg);
        msg[2..4].copy_from_slice(&c.to_be_bytes());
        let f = decode(&msg, 8);
        assert_eq!(f.path().last(), Some(&Proto::Dvmrp));
        assert_eq!(f.uint(Field::DvmrpVersion), Some(3));
        assert_eq!(f.uint(Field::DvmrpChecksumStatus), Some(1));
        assert_eq!(f.uint(Field::DvmrpMajVer), Some(3));
        msg[3] ^= 1;
        assert_eq!(decode(&msg, 8).uint(Field::DvmrpChecksumStatus), Some(0));
    }

    #[test]
    fn a_cut_message_is_version_1_with_its_commands() {
        // tshark 4.0.17 showed commands 0x00 (NULL and its pad) then 0xff, for 7 bytes.
        let msg = [0x13, 0, 0xaa, 0xbb, 0, 0, 0xff, 3];
        let f = decode(&msg, 7);
        assert_eq!(f.uint(Field::DvmrpVersion), Some(1));
        assert_eq!(f.uint(Field::DvmrpV1Code), Some(0));
        assert_eq!(f.uint(Field::DvmrpChecksumStatus), Some(2));
        assert_eq!(
            all(&f, Field::DvmrpCommand),
            [Value::Uint(0), Value::Uint(0xff)]
        );
        assert_eq!(f.uint(Field::DvmrpReserved), None);
    }
}
