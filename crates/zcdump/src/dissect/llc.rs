//! `llc`: IEEE 802.2 LLC after an 802.3 length field (or Linux cooked protocol 4), and
//! its SNAP extension, whose protocol ID is an EtherType when the OUI is zero (RFC 1042).

use zerocast_wire::ethernet::EtherType;

use super::{cdp, eth, stp, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Llc, name: "llc",
    LlcDsap = "llc.dsap", Hex2;
    LlcSsap = "llc.ssap", Hex2;
    LlcControl = "llc.control", Hex4;
    LlcOui = "llc.oui", Dec;
    LlcType = "llc.type", Hex4;
}

/// The SNAP service access point.
const SAP_SNAP: u8 = 0xaa;

/// An LLC header (from an 802.3 frame) and, for SNAP with a zero OUI, what its EtherType
/// names.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let Some((&[dsap, ssap, control], rest)) = bytes.split_first_chunk::<3>() else {
        // Cut short: tshark shows each address byte that was captured.
        cx.out.enter(Proto::Llc);
        cx.header_cut("llc", bytes.len(), 3);
        if let Some(&dsap) = bytes.first() {
            cx.out.push_uint(Field::LlcDsap, dsap);
        }
        if let Some(&ssap) = bytes.get(1) {
            cx.out.push_uint(Field::LlcSsap, ssap);
        }
        return;
    };
    cx.out.enter(Proto::Llc);
    cx.out.push_uint(Field::LlcDsap, dsap);
    cx.out.push_uint(Field::LlcSsap, ssap);
    // Unnumbered frames (low bits 11) have a one-byte control field; information and
    // supervisory frames a two-byte one, which tshark reads little-endian.
    let rest = if control & 0x03 == 0x03 {
        cx.out.push_uint(Field::LlcControl, control);
        rest
    } else {
        let Some((&[high], rest)) = rest.split_first_chunk::<1>() else {
            return cx.header_cut("llc", bytes.len(), 4);
        };
        cx.out
            .push_uint(Field::LlcControl, u16::from_le_bytes([control, high]));
        rest
    };
    if dsap == stp::SAP {
        // tshark picks the protocol by the DSAP alone.
        return stp::dissect(cx, rest);
    }
    if dsap != SAP_SNAP || ssap != SAP_SNAP {
        return cx.data(rest);
    }
    let Some((&[o0, o1, o2, hi, lo], payload)) = rest.split_first_chunk::<5>() else {
        return cx.header_cut("llc", bytes.len(), 8);
    };
    // tshark prints the OUI as a plain number in field output.
    cx.out
        .push_uint(Field::LlcOui, u32::from_be_bytes([0, o0, o1, o2]));
    if [o0, o1, o2] == [0, 0, 0] {
        let ethertype = u16::from_be_bytes([hi, lo]);
        cx.out.push_uint(Field::LlcType, ethertype);
        eth::by_ethertype(cx, EtherType(ethertype), payload, 0);
    } else if [o0, o1, o2] == cdp::OUI && u16::from_be_bytes([hi, lo]) == cdp::PID {
        // Cisco's protocol ID field (`llc.cisco_pid`) is not declared.
        cdp::dissect(cx, payload);
    } else {
        // A vendor's protocol ID (tshark names the field per vendor): not decoded.
        cx.data(payload);
    }
}
