//! `sll`: the Linux cooked capture pseudo-headers (v1 and v2), which carry the EtherType
//! of the payload; the headers themselves are read by [`crate::capture::sll`].

use zerocast_wire::ethernet::EtherType;

use super::{eth, Cx};
use crate::capture::sll;
use crate::fields::{declare_fields, Proto};

declare_fields! {
    proto: Sll, name: "sll",
}

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
    eth::by_ethertype(cx, EtherType(c.protocol), c.payload, 0);
}
