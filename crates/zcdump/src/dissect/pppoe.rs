//! `pppoe`: PPP over Ethernet (RFC 2516): discovery (EtherType 0x8863) and session
//! (0x8864) share a 6-byte header (version, type, code, session ID, payload length);
//! session frames carry PPP, and so IP. Discovery tags are not decoded.

use zerocast_wire::ethernet::EtherType;

use super::table::{Dissector, Hook};
use super::{ppp, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Pppoe, name: "pppoe",
    PppoeVersion = "pppoe.version", Dec;
    PppoeType = "pppoe.type", Dec;
    PppoeCode = "pppoe.code", Hex2;
    PppoeSessionId = "pppoe.session_id", Hex4;
    PppoePayloadLength = "pppoe.payload_length", Dec;
}

/// PPPoE behind its two EtherTypes.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Pppoe,
    hook: Hook::EtherType(&[DISCOVERY, SESSION], dissect),
};

/// RFC 2516 section 4 (discovery) and 5 (session).
const DISCOVERY: u16 = 0x8863;
const SESSION: u16 = 0x8864;

/// RFC 2516 section 4: version and type share the first byte, four bits each.
fn version_and_type(first: u8) -> (u8, u8) {
    (first >> 4, first & 0x0f)
}

fn dissect(cx: &mut Cx<'_, '_>, ethertype: EtherType, bytes: &[u8], _depth: usize) {
    cx.out.enter(Proto::Pppoe);
    let Some((&[vt, code, s0, s1, l0, l1], rest)) = bytes.split_first_chunk::<6>() else {
        return cx.header_cut("pppoe", bytes.len(), 6);
    };
    let (version, kind) = version_and_type(vt);
    let length = u16::from_be_bytes([l0, l1]);
    cx.out.push_uint(Field::PppoeVersion, version);
    cx.out.push_uint(Field::PppoeType, kind);
    cx.out.push_uint(Field::PppoeCode, code);
    cx.out
        .push_uint(Field::PppoeSessionId, u16::from_be_bytes([s0, s1]));
    cx.out.push_uint(Field::PppoePayloadLength, length);
    if ethertype.0 == SESSION {
        // The length excludes Ethernet's padding after the PPP frame.
        let payload = rest.get(..usize::from(length)).unwrap_or(rest);
        ppp::dissect_session(cx, payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_2516_4_version_and_type_are_nibbles() {
        assert_eq!(version_and_type(0x11), (1, 1));
        assert_eq!(version_and_type(0x21), (2, 1));
    }
}
