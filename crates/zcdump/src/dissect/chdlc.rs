//! `chdlc`: Cisco HDLC (`LINKTYPE_C_HDLC`): an address byte, a control byte and an
//! EtherType.

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{eth, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Chdlc, name: "chdlc",
    ChdlcAddress = "chdlc.address", Hex2;
    ChdlcControl = "chdlc.control", Hex2;
    ChdlcProtocol = "chdlc.protocol", Hex4;
}

/// `LINKTYPE_C_HDLC` (104).
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Chdlc,
    hook: Hook::LinkType(&[104], dissect),
};

fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    let Some((&[address, control, hi, lo], payload)) = frame.split_first_chunk::<4>() else {
        cx.out.enter(Proto::Chdlc);
        return cx.header_cut("chdlc", frame.len(), 4);
    };
    cx.out.enter(Proto::Chdlc);
    cx.out.push_uint(Field::ChdlcAddress, address);
    cx.out.push_uint(Field::ChdlcControl, control);
    let protocol = u16::from_be_bytes([hi, lo]);
    cx.out.push_uint(Field::ChdlcProtocol, protocol);
    eth::by_ethertype(cx, EtherType(protocol), payload, 0);
}
