//! `sll`: the Linux cooked capture pseudo-headers (v1 and v2), which carry the EtherType
//! of the payload; the headers themselves are read by [`crate::capture::sll`].

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{eth, Cx};
use crate::capture::sll;
use crate::fields::{declare_fields, Field, Proto, Value};

/// `ARPHRD_ETHER`: the address is an Ethernet MAC (`sll.src.eth`).
const ARPHRD_ETHER: u16 = 1;

/// Linux's protocol number for an 802.2 LLC frame (`ETH_P_802_2`).
const LINUX_PROTOCOL_LLC: u16 = 0x0004;

declare_fields! {
    proto: Sll, name: "sll",
    SllPkttype = "sll.pkttype", Dec;
    SllHatype = "sll.hatype", Dec;
    SllHalen = "sll.halen", Dec;
    SllSrcEth = "sll.src.eth", Mac;
    SllEtype = "sll.etype", Hex4;
    SllLtype = "sll.ltype", Hex4;
    SllIfindex = "sll.ifindex", Dec;
}

/// Linux cooked captures, version 1.
pub(super) const DISSECTOR_V1: Dissector = Dissector {
    proto: Proto::Sll,
    hook: Hook::LinkType(&[113], |cx, frame| dissect(cx, frame, false)),
};

/// Linux cooked captures, version 2.
pub(super) const DISSECTOR_V2: Dissector = Dissector {
    proto: Proto::Sll,
    hook: Hook::LinkType(&[276], |cx, frame| dissect(cx, frame, true)),
};

/// A cooked v1 (`v2` false) or v2 header, then its payload by EtherType.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8], v2: bool) {
    let parsed = if v2 {
        sll::parse_sll2(frame)
    } else {
        sll::parse_sll(frame)
    };
    let Some(c) = parsed else {
        let need = if v2 { 20 } else { 16 };
        let reason = format!(
            "cooked header needs {need} bytes, frame has {}",
            frame.len()
        );
        return cx.malformed_text("sll", &reason);
    };
    cx.out.enter(Proto::Sll);
    cx.out.push_uint(Field::SllPkttype, c.packet_type);
    cx.out.push_uint(Field::SllHatype, c.hardware_type);
    cx.out.push_uint(Field::SllHalen, c.address_len);
    if c.hardware_type == ARPHRD_ETHER && c.address_len == 6 {
        let [a, b, c2, d, e, f, _, _] = c.address;
        cx.out
            .push(Field::SllSrcEth, Value::Mac([a, b, c2, d, e, f]));
    }
    if let Some(index) = c.interface_index {
        cx.out.push_uint(Field::SllIfindex, index);
    }
    let protocol = EtherType(c.protocol);
    if protocol.is_length() {
        // One of Linux's own protocol numbers (802.3 without LLC, 802.2 LLC, CAN, ...):
        // shown, not decoded.
        cx.out.push_uint(Field::SllLtype, c.protocol);
        if c.protocol == LINUX_PROTOCOL_LLC {
            return super::llc::dissect(cx, c.payload);
        }
        return cx.data(c.payload);
    }
    cx.out.push_uint(Field::SllEtype, c.protocol);
    eth::by_ethertype(cx, protocol, c.payload, 0);
}
