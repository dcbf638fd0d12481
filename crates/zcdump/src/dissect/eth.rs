//! `eth`: Ethernet II, and the EtherType dispatch that Ethernet, VLAN tags and Linux
//! cooked headers share.

use zerocast_wire::ethernet::{EtherType, EthernetFrame};

use super::table::{self, Dissector, Hook};
use super::{llc, Cx};
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Eth, name: "eth",
    EthDst = "eth.dst", Mac;
    EthSrc = "eth.src", Mac;
    EthType = "eth.type", Hex4;
    EthLen = "eth.len", Dec;
}

/// Ethernet frames: `LINKTYPE_ETHERNET`.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Eth,
    hook: Hook::LinkType(&[1], dissect),
};

/// An Ethernet II frame (or an 802.3 one, whose length field ends the dissection).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    // Cisco ISL looks like an 802.3 frame to a Cisco multicast address; tshark checks.
    if super::isl::is_isl(frame) {
        return super::isl::dissect(cx, frame);
    }
    let eth = match EthernetFrame::parse(frame) {
        Ok(eth) => eth,
        Err(e) => return cx.malformed(frame, &e),
    };
    cx.out.enter(Proto::Eth);
    cx.out.push(Field::EthDst, Value::Mac(eth.dst().0));
    cx.out.push(Field::EthSrc, Value::Mac(eth.src().0));
    let ethertype = eth.ethertype();
    if ethertype.is_length() {
        // An 802.3 length field: the payload is that long (the rest is padding) and
        // starts with LLC, unless it is Novell's raw 802.3 (IPX, checksum 0xffff first).
        cx.out.push_uint(Field::EthLen, ethertype.0);
        let payload = eth.payload();
        let payload = payload.get(..usize::from(ethertype.0)).unwrap_or(payload);
        if payload.first_chunk::<2>() == Some(&[0xff, 0xff]) {
            return cx.data(payload);
        }
        return llc::dissect(cx, payload);
    }
    cx.out.push_uint(Field::EthType, ethertype.0);
    by_ethertype(cx, ethertype, eth.payload(), 0);
}

/// Transparent Ethernet bridging (GRE protocol 0x6558, NVGRE): a whole Ethernet frame.
pub(super) const DISSECTOR_TEB: Dissector = Dissector {
    proto: Proto::Eth,
    hook: Hook::EtherType(&[0x6558], |cx, _, bytes, _| dissect(cx, bytes)),
};

/// Hands `payload` to the protocol `ethertype` names; `depth` counts the tags so far.
pub(super) fn by_ethertype(
    cx: &mut Cx<'_, '_>,
    ethertype: EtherType,
    payload: &[u8],
    depth: usize,
) {
    match table::by_ethertype(ethertype) {
        Some(dissect) => dissect(cx, ethertype, payload, depth),
        None => cx.data(payload),
    }
}
