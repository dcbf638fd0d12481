//! `vxlan`: VXLAN (RFC 7348) on UDP port 4789: an 8-byte header with a 24-bit network
//! identifier, then an Ethernet frame. Port 8472 (Linux's old default) is not claimed:
//! tshark 4.0 shows it as data unless told otherwise, and zcdump answers as tshark does.

use super::table::{Dissector, Hook};
use super::{eth, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Vxlan, name: "vxlan",
    VxlanFlags = "vxlan.flags", Hex4;
    VxlanVni = "vxlan.vni", Dec;
}

/// VXLAN on its UDP ports.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Vxlan,
    hook: Hook::UdpPort(&[4789], dissect),
};

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Vxlan);
    let Some((&[f0, f1, _, _, v0, v1, v2, _], inner)) = bytes.split_first_chunk::<8>() else {
        // Cut short: tshark shows the flags once their 2 bytes are there, the VNI once
        // its 3 are.
        if let Some(&[f0, f1]) = bytes.first_chunk::<2>() {
            cx.out
                .push_uint(Field::VxlanFlags, u16::from_be_bytes([f0, f1]));
        }
        if let Some(&[v0, v1, v2]) = bytes.get(4..7).and_then(|b| b.first_chunk::<3>()) {
            cx.out
                .push_uint(Field::VxlanVni, u32::from_be_bytes([0, v0, v1, v2]));
        }
        return cx.header_cut("vxlan", bytes.len(), 8);
    };
    cx.out
        .push_uint(Field::VxlanFlags, u16::from_be_bytes([f0, f1]));
    cx.out
        .push_uint(Field::VxlanVni, u32::from_be_bytes([0, v0, v1, v2]));
    eth::dissect(cx, inner);
}
