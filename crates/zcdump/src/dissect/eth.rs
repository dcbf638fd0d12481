//! `eth`: Ethernet II, and the EtherType dispatch that Ethernet, VLAN tags and Linux
//! cooked headers share.

use zerocast_wire::ethernet::{EtherType, EthernetFrame};

use super::{arp, ipv4, ipv6, vlan, Cx};
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Eth, name: "eth",
    EthDst = "eth.dst", Mac;
    EthSrc = "eth.src", Mac;
    EthType = "eth.type", Hex4;
}

/// Deepest tag stack followed; more tags than this are treated as payload (real networks
/// use at most two, and the limit bounds the work a crafted frame can cause).
const MAX_TAGS: usize = 8;

/// An Ethernet II frame (or an 802.3 one, whose length field ends the dissection).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    let eth = match EthernetFrame::parse(frame) {
        Ok(eth) => eth,
        Err(e) => return cx.malformed(frame, &e),
    };
    cx.out.enter(Proto::Eth);
    cx.out.push(Field::EthDst, Value::Mac(eth.dst().0));
    cx.out.push(Field::EthSrc, Value::Mac(eth.src().0));
    let ethertype = eth.ethertype();
    if ethertype.is_length() {
        // An 802.3 length field: tshark shows `eth.len` and an LLC layer, neither of which
        // zcdump decodes.
        return cx.data(eth.payload());
    }
    cx.out.push_uint(Field::EthType, ethertype.0);
    by_ethertype(cx, ethertype, eth.payload(), 0);
}

/// Hands `payload` to the protocol `ethertype` names; `depth` counts the tags so far.
pub(super) fn by_ethertype(
    cx: &mut Cx<'_, '_>,
    ethertype: EtherType,
    payload: &[u8],
    depth: usize,
) {
    match ethertype {
        EtherType::IPV4 => ipv4::dissect(cx, payload),
        EtherType::IPV6 => ipv6::dissect(cx, payload),
        EtherType::ARP => arp::dissect(cx, payload),
        t if t.is_vlan_tag() && depth < MAX_TAGS => vlan::dissect(cx, t, payload, depth),
        _ => cx.data(payload),
    }
}
