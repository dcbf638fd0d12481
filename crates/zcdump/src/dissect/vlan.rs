//! `vlan` (802.1Q customer tags) and `ieee8021ad` (802.1ad service tags): the same four
//! bytes on the wire, two protocols in tshark.

use zerocast_wire::ethernet::EtherType;
use zerocast_wire::vlan::VlanTag;

use super::table::{Dissector, Hook};
use super::{eth, Cx};
use crate::fields::{Field, Proto};

/// `vlan`: an 802.1Q tag.
pub(crate) mod dot1q {
    crate::fields::declare_fields! {
        proto: Vlan, name: "vlan",
        VlanPriority = "vlan.priority", Dec;
        VlanId = "vlan.id", Dec;
        VlanEtype = "vlan.etype", Hex4;
        VlanLen = "vlan.len", Dec;
    }
}

/// `ieee8021ad`: an 802.1ad service tag.
pub(crate) mod dot1ad {
    crate::fields::declare_fields! {
        proto: Ieee8021ad, name: "ieee8021ad",
        Ieee8021adId = "ieee8021ad.id", Dec;
    }
}

/// The bytes of an 802.1Q / 802.1ad tag (TCI and the inner EtherType).
const TAG_LEN: usize = 4;

/// Deepest tag stack followed; more tags than this are treated as payload (real networks
/// use at most two, and the limit bounds the work a crafted frame can cause).
const MAX_TAGS: usize = 8;

/// 802.1Q customer tags.
pub(super) const DISSECTOR_DOT1Q: Dissector = Dissector {
    proto: Proto::Vlan,
    hook: Hook::EtherType(&[EtherType::VLAN.0], dissect),
};

/// 802.1ad service tags.
pub(super) const DISSECTOR_DOT1AD: Dissector = Dissector {
    proto: Proto::Ieee8021ad,
    hook: Hook::EtherType(&[EtherType::QINQ.0], dissect),
};

/// A tag announced by EtherType `outer`; `depth` tags came before it.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, outer: EtherType, bytes: &[u8], depth: usize) {
    if depth >= MAX_TAGS {
        return cx.data(bytes);
    }
    let tag = match VlanTag::parse(bytes) {
        Ok(tag) => tag,
        Err(_) if bytes.len() < TAG_LEN => return cut(cx, outer, bytes),
        Err(e) => return cx.malformed(bytes, &e),
    };
    if outer == EtherType::QINQ {
        cx.out.enter(Proto::Ieee8021ad);
        cx.out.push_uint(Field::Ieee8021adId, tag.vid());
    } else {
        cx.out.enter(Proto::Vlan);
        cx.out.push_uint(Field::VlanPriority, tag.pcp());
        cx.out.push_uint(Field::VlanId, tag.vid());
        if tag.ethertype().is_length() {
            // An 802.3 length inside the tag: `vlan.len` instead of `vlan.etype`, and LLC.
            cx.out.push_uint(Field::VlanLen, tag.ethertype().0);
        } else {
            cx.out.push_uint(Field::VlanEtype, tag.ethertype().0);
        }
    }
    if tag.ethertype().is_length() {
        let payload = tag.payload();
        let payload = payload
            .get(..usize::from(tag.ethertype().0))
            .unwrap_or(payload);
        return super::llc::dissect(cx, payload);
    }
    eth::by_ethertype(cx, tag.ethertype(), tag.payload(), depth + 1);
}

/// A tag cut short: tshark shows an 802.1Q tag's priority and VLAN ID once their two bytes
/// are there (and nothing of an 802.1ad tag).
fn cut(cx: &mut Cx<'_, '_>, outer: EtherType, bytes: &[u8]) {
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
