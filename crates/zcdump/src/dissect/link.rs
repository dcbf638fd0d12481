//! Link layers: Ethernet II, 802.1Q / 802.1ad tags, Linux cooked headers, and the EtherType
//! dispatch they share (ARP here; IPv4 and IPv6 in [`super::ip`]).

use zerocast_wire::arp::ArpPacket;
use zerocast_wire::ethernet::{EtherType, EthernetFrame};
use zerocast_wire::vlan::VlanTag;

use super::{ip, Cx};
use crate::capture::sll;
use crate::fields::{Field, Proto, Value};

/// An Ethernet/IPv4 ARP packet's length.
const ARP_LEN: usize = zerocast_wire::arp::PACKET_LEN;

/// Deepest tag stack followed; more tags than this are treated as payload (real networks
/// use at most two, and the limit bounds the work a crafted frame can cause).
const MAX_TAGS: usize = 8;

pub(super) fn ethernet(cx: &mut Cx<'_, '_>, frame: &[u8]) {
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

pub(super) fn cooked(cx: &mut Cx<'_, '_>, frame: &[u8], v2: bool) {
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
    by_ethertype(cx, EtherType(c.protocol), c.payload, 0);
}

fn by_ethertype(cx: &mut Cx<'_, '_>, ethertype: EtherType, payload: &[u8], depth: usize) {
    match ethertype {
        EtherType::IPV4 => ip::ipv4(cx, payload),
        EtherType::IPV6 => ip::ipv6(cx, payload),
        EtherType::ARP => arp(cx, payload),
        t if t.is_vlan_tag() && depth < MAX_TAGS => vlan(cx, t, payload, depth),
        _ => cx.data(payload),
    }
}

fn vlan(cx: &mut Cx<'_, '_>, outer: EtherType, bytes: &[u8], depth: usize) {
    let tag = match VlanTag::parse(bytes) {
        Ok(tag) => tag,
        Err(_) if bytes.len() < TAG_LEN => return vlan_cut(cx, outer, bytes),
        Err(e) => return cx.malformed(bytes, &e),
    };
    if outer == EtherType::QINQ {
        cx.out.enter(Proto::Ieee8021ad);
        cx.out.push_uint(Field::Ieee8021adId, tag.vid());
    } else {
        cx.out.enter(Proto::Vlan);
        cx.out.push_uint(Field::VlanPriority, tag.pcp());
        cx.out.push_uint(Field::VlanId, tag.vid());
        cx.out.push_uint(Field::VlanEtype, tag.ethertype().0);
    }
    by_ethertype(cx, tag.ethertype(), tag.payload(), depth + 1);
}

/// A tag cut short: tshark shows an 802.1Q tag's priority and VLAN ID once their two bytes
/// are there (and nothing of an 802.1ad tag).
fn vlan_cut(cx: &mut Cx<'_, '_>, outer: EtherType, bytes: &[u8]) {
    cx.header_cut("vlan", bytes.len(), TAG_LEN);
    let Some(&[hi, lo]) = bytes.first_chunk::<2>() else {
        return;
    };
    let tci = u16::from_be_bytes([hi, lo]);
    if outer == EtherType::QINQ {
        cx.out.enter(Proto::Ieee8021ad);
    } else {
        cx.out.enter(Proto::Vlan);
        cx.out.push_uint(Field::VlanPriority, tci >> 13);
        cx.out.push_uint(Field::VlanId, tci & 0x0fff);
    }
}

/// The bytes of an 802.1Q / 802.1ad tag (TCI and the inner EtherType).
const TAG_LEN: usize = 4;

fn arp(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let arp = match ArpPacket::parse(bytes) {
        Ok(arp) => arp,
        Err(_) if bytes.len() < ARP_LEN => {
            // Cut short: tshark shows the opcode once its bytes (6 and 7) are there.
            cx.header_cut("arp", bytes.len(), ARP_LEN);
            if let Some(&[hi, lo]) = bytes.get(6..8).and_then(|b| b.first_chunk::<2>()) {
                cx.out.enter(Proto::Arp);
                cx.out
                    .push_uint(Field::ArpOpcode, u16::from_be_bytes([hi, lo]));
            }
            return;
        }
        Err(e) => return cx.malformed(bytes, &e),
    };
    cx.out.enter(Proto::Arp);
    cx.out.push_uint(Field::ArpOpcode, arp.operation());
    cx.out
        .push(Field::ArpSrcHwMac, Value::Mac(arp.sender_hardware_addr().0));
    cx.out.push(
        Field::ArpSrcProtoIpv4,
        Value::Ipv4(arp.sender_protocol_addr().0),
    );
    cx.out
        .push(Field::ArpDstHwMac, Value::Mac(arp.target_hardware_addr().0));
    cx.out.push(
        Field::ArpDstProtoIpv4,
        Value::Ipv4(arp.target_protocol_addr().0),
    );
}
