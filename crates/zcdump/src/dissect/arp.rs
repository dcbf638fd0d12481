//! `arp`: ARP for IPv4 over Ethernet.

use zerocast_wire::arp::ArpPacket;

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::Cx;
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Arp, name: "arp",
    ArpOpcode = "arp.opcode", Dec;
    ArpSrcHwMac = "arp.src.hw_mac", Mac;
    ArpSrcProtoIpv4 = "arp.src.proto_ipv4", Ipv4;
    ArpDstHwMac = "arp.dst.hw_mac", Mac;
    ArpDstProtoIpv4 = "arp.dst.proto_ipv4", Ipv4;
}

/// An Ethernet/IPv4 ARP packet's length.
const ARP_LEN: usize = zerocast_wire::arp::PACKET_LEN;

/// ARP behind its EtherType.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Arp,
    hook: Hook::EtherType(&[EtherType::ARP.0], |cx, _, bytes, _| dissect(cx, bytes)),
};

/// An ARP packet.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
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
