//! `wlan`: IEEE 802.11 frames (`LINKTYPE_IEEE802_11`, 105, and after radiotap): the frame
//! control field and its flags, the duration, the addresses under tshark's role names
//! (receiver, transmitter, source, destination, BSSID, per IEEE 802.11-2020 9.3.2.1 Table
//! 9-30 for data frames), the sequence control, the QoS TID, and data frames' payload through
//! LLC/SNAP into IP. Management frames stop after their header (their bodies are not
//! decoded); protected frames stop after a WEP or CCMP/TKIP header, as tshark without keys.

use super::table::{Dissector, Hook};
use super::{llc, Cx};
use crate::fields::{declare_fields, Field, Proto, Value};
use crate::stats::TreeNote;

declare_fields! {
    proto: Wlan, name: "wlan",
    WlanFc = "wlan.fc", Hex4;
    WlanFcVersion = "wlan.fc.version", Dec;
    WlanFcType = "wlan.fc.type", Dec;
    WlanFcSubtype = "wlan.fc.subtype", Dec;
    WlanFcTypeSubtype = "wlan.fc.type_subtype", Hex4;
    WlanFlags = "wlan.flags", Hex2;
    WlanFcDs = "wlan.fc.ds", Hex2;
    WlanFcTods = "wlan.fc.tods", Dec;
    WlanFcFromds = "wlan.fc.fromds", Dec;
    WlanFcFrag = "wlan.fc.frag", Dec;
    WlanFcRetry = "wlan.fc.retry", Dec;
    WlanFcPwrmgt = "wlan.fc.pwrmgt", Dec;
    WlanFcMoredata = "wlan.fc.moredata", Dec;
    WlanFcProtected = "wlan.fc.protected", Dec;
    WlanFcOrder = "wlan.fc.order", Dec;
    WlanDuration = "wlan.duration", Dec;
    WlanRa = "wlan.ra", Mac;
    WlanTa = "wlan.ta", Mac;
    WlanDa = "wlan.da", Mac;
    WlanSa = "wlan.sa", Mac;
    WlanBssid = "wlan.bssid", Mac;
    WlanAddr = "wlan.addr", Mac;
    WlanFrag = "wlan.frag", Dec;
    WlanSeq = "wlan.seq", Dec;
    WlanQosTid = "wlan.qos.tid", Dec;
    WlanFcs = "wlan.fcs", Hex8;
}

/// 802.11 frames without a pseudo-header.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Wlan,
    hook: Hook::LinkType(&[LINKTYPE_IEEE802_11], dissect),
};

const LINKTYPE_IEEE802_11: u32 = 105;

/// Frame types (the two type bits of the frame control field).
const MANAGEMENT: u8 = 0;
const CONTROL: u8 = 1;
const DATA: u8 = 2;

/// Frame control flag bits (the second byte).
const TO_DS: u8 = 0x01;
const PROTECTED: u8 = 0x40;
const ORDER: u8 = 0x80;

/// An 802.11 frame with no FCS.
pub(super) fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    dissect_frame(cx, frame, None);
}

/// An 802.11 frame followed by its 4-byte FCS (radiotap's flags say so).
pub(super) fn dissect_with_fcs(cx: &mut Cx<'_, '_>, frame: &[u8], fcs: &[u8]) {
    dissect_frame(cx, frame, fcs.first_chunk::<4>().copied());
}

/// The frame control field's parts: version, type, subtype (IEEE 802.11-2020 9.2.4.1).
fn frame_control(first: u8) -> (u8, u8, u8) {
    (first & 0x03, (first >> 2) & 0x03, first >> 4)
}

/// tshark's `wlan.fc.type_subtype`: type and subtype in one number.
fn type_subtype(kind: u8, subtype: u8) -> u16 {
    (u16::from(kind) << 4) | u16::from(subtype)
}

fn dissect_frame(cx: &mut Cx<'_, '_>, frame: &[u8], fcs: Option<[u8; 4]>) {
    cx.out.enter(Proto::Wlan);
    let Some(&[fc0, fc1, d0, d1]) = frame.first_chunk::<4>() else {
        return cx.header_cut("wlan", frame.len(), 10);
    };
    let (version, kind, subtype) = frame_control(fc0);
    // A QoS data frame whose header the capture cut: tshark shows none of its fields, and
    // no `wlan` in its tree (it reads the QoS control before it adds the protocol).
    if kind == DATA && subtype & 0x08 != 0 && frame.len() < header_len(kind, subtype, fc1) {
        cx.out.note_tree(TreeNote::CutBeforeItem);
        return cx.header_cut("wlan", frame.len(), header_len(kind, subtype, fc1));
    }
    cx.out
        .push_uint(Field::WlanFc, u16::from_be_bytes([fc0, fc1]));
    cx.out.push_uint(Field::WlanFcVersion, version);
    cx.out.push_uint(Field::WlanFcType, kind);
    cx.out.push_uint(Field::WlanFcSubtype, subtype);
    cx.out
        .push_uint(Field::WlanFcTypeSubtype, type_subtype(kind, subtype));
    cx.out.push_uint(Field::WlanFlags, fc1);
    cx.out.push_uint(Field::WlanFcDs, fc1 & 0x03);
    for (bit, field) in [
        (0x01, Field::WlanFcTods),
        (0x02, Field::WlanFcFromds),
        (0x04, Field::WlanFcFrag),
        (0x08, Field::WlanFcRetry),
        (0x10, Field::WlanFcPwrmgt),
        (0x20, Field::WlanFcMoredata),
        (0x40, Field::WlanFcProtected),
        (0x80, Field::WlanFcOrder),
    ] {
        cx.out.push_uint(field, u8::from(fc1 & bit != 0));
    }
    cx.out
        .push_uint(Field::WlanDuration, u16::from_le_bytes([d0, d1]));
    if let Some(fcs) = fcs {
        cx.out.push_uint(Field::WlanFcs, u32::from_le_bytes(fcs));
    }
    let rest = frame.get(4..).unwrap_or(&[]);
    match kind {
        CONTROL => control(cx, subtype, rest),
        MANAGEMENT | DATA => {
            let Some(body) = addressed(cx, kind, subtype, fc1, frame) else {
                return;
            };
            if kind == DATA {
                data(cx, subtype, fc1, body);
            }
        }
        // Extension frames (type 3): not decoded.
        _ => {}
    }
}

/// A control frame's addresses: the receiver, and a transmitter for all but CTS and ACK.
fn control(cx: &mut Cx<'_, '_>, subtype: u8, rest: &[u8]) {
    let Some((&ra, rest)) = rest.split_first_chunk::<6>() else {
        return cx.header_cut("wlan", rest.len() + 4, 10);
    };
    cx.out.push(Field::WlanRa, Value::Mac(ra));
    cx.out.push(Field::WlanAddr, Value::Mac(ra));
    // CTS (12) and ACK (13) carry only the receiver.
    if matches!(subtype, 12 | 13) {
        return;
    }
    let Some(&ta) = rest.first_chunk::<6>() else {
        return cx.header_cut("wlan", rest.len() + 10, 16);
    };
    cx.out.push(Field::WlanTa, Value::Mac(ta));
    cx.out.push(Field::WlanAddr, Value::Mac(ta));
}

/// The roles of a management or data frame's addresses (IEEE 802.11-2020 Table 9-30), by
/// the To DS and From DS bits: (destination, source, BSSID) as address numbers 1 to 4, 0
/// for none.
fn roles(ds: u8) -> (usize, usize, usize) {
    match ds & 0x03 {
        0 => (1, 2, 3),
        1 => (3, 2, 1),
        2 => (1, 3, 2),
        _ => (3, 4, 0),
    }
}

/// The MAC header's length of a management or data frame: frame control, duration, three
/// addresses, sequence control; then address 4, QoS control and HT control when present
/// (IEEE 802.11-2020 9.3.2.1; HT control: QoS data with the order bit).
fn header_len(kind: u8, subtype: u8, flags: u8) -> usize {
    let mut need = 24;
    if kind == DATA && flags & 0x03 == 0x03 {
        need += 6;
    }
    if kind == DATA && subtype & 0x08 != 0 {
        need += 2;
        if flags & ORDER != 0 {
            need += 4;
        }
    }
    need
}

/// Pushes the addresses and sequence control of a management or data frame; returns the
/// bytes after its header (the QoS field of QoS data frames included).
fn addressed<'a>(
    cx: &mut Cx<'_, '_>,
    kind: u8,
    subtype: u8,
    flags: u8,
    frame: &'a [u8],
) -> Option<&'a [u8]> {
    let four = kind == DATA && flags & 0x03 == 0x03;
    let qos = kind == DATA && subtype & 0x08 != 0;
    let need = header_len(kind, subtype, flags);
    let Some(header) = frame.get(..need) else {
        cx.header_cut("wlan", frame.len(), need);
        // tshark shows the receiver of a header cut short, and nothing after it.
        if let Some(&ra) = frame.get(4..).and_then(|b| b.first_chunk::<6>()) {
            cx.out.push(Field::WlanRa, Value::Mac(ra));
            cx.out.push(Field::WlanAddr, Value::Mac(ra));
        }
        return None;
    };
    push_addresses(cx, flags, header, four);
    if let Some(&[s0, s1]) = header.get(22..24).and_then(|b| b.first_chunk::<2>()) {
        let control = u16::from_le_bytes([s0, s1]);
        cx.out.push_uint(Field::WlanFrag, control & 0x0f);
        cx.out.push_uint(Field::WlanSeq, control >> 4);
    }
    if qos {
        let at = if four { 30 } else { 24 };
        if let Some(&tid) = header.get(at) {
            cx.out.push_uint(Field::WlanQosTid, tid & 0x0f);
        }
    }
    frame.get(need..)
}

/// The addresses of a management or data frame: receiver and transmitter (addresses 1 and
/// 2), the roles of Table 9-30, and every address as `wlan.addr` in tshark's order (address
/// 4 before address 3 in a four-address frame).
fn push_addresses(cx: &mut Cx<'_, '_>, flags: u8, header: &[u8], four: bool) {
    let address = |n: usize| -> Option<[u8; 6]> {
        let at = match n {
            1 => 4,
            2 => 10,
            3 => 16,
            4 => 24,
            _ => return None,
        };
        header.get(at..).and_then(|b| b.first_chunk::<6>()).copied()
    };
    let (da, sa, bssid) = roles(if four {
        3
    } else {
        flags & TO_DS | flags & 0x02
    });
    for (field, n) in [
        (Field::WlanRa, 1),
        (Field::WlanTa, 2),
        (Field::WlanDa, da),
        (Field::WlanSa, sa),
        (Field::WlanBssid, bssid),
    ] {
        if let Some(mac) = address(n) {
            cx.out.push(field, Value::Mac(mac));
        }
    }
    let order: &[usize] = if four { &[1, 2, 4, 3] } else { &[1, 2, 3] };
    for &n in order {
        if let Some(mac) = address(n) {
            cx.out.push(Field::WlanAddr, Value::Mac(mac));
        }
    }
}

/// A data frame's body: nothing for the null-data subtypes, the bytes of a protected frame
/// past its security header as data, else LLC.
fn data(cx: &mut Cx<'_, '_>, subtype: u8, flags: u8, body: &[u8]) {
    // Subtypes with bit 2 set carry no data (Null, CF-Ack, CF-Poll, QoS Null, ...).
    if subtype & 0x04 != 0 {
        return;
    }
    if flags & PROTECTED != 0 {
        // WEP: a 4-byte IV before the data and a 4-byte ICV after; tshark without keys
        // shows what lies between as data. With the Extended IV bit (CCMP, TKIP) tshark
        // decodes a different header, not done here.
        let ext_iv = body.get(3).is_some_and(|k| k & 0x20 != 0);
        if !ext_iv {
            if let Some(inner) = body.get(4..body.len().saturating_sub(4)) {
                cx.data(inner);
            }
        }
        return;
    }
    if !body.is_empty() {
        llc::dissect(cx, body);
    } else if cx.uncaptured > 0 {
        // The capture ended with the header: tshark calls LLC on the body the frame had,
        // which fails at its first byte (link-radiotap-snap40 frame 1).
        cx.out.list_only(Proto::Llc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_control_parts_ieee_802_11_2020_9_2_4_1() {
        // QoS data: type 2, subtype 8.
        assert_eq!(frame_control(0x88), (0, 2, 8));
        assert_eq!(type_subtype(2, 8), 0x28);
        // ACK: type 1, subtype 13.
        assert_eq!(frame_control(0xd4), (0, 1, 13));
        assert_eq!(type_subtype(1, 13), 0x1d);
    }

    #[test]
    fn address_roles_ieee_802_11_2020_table_9_30() {
        assert_eq!(roles(0), (1, 2, 3));
        assert_eq!(roles(1), (3, 2, 1));
        assert_eq!(roles(2), (1, 3, 2));
        assert_eq!(roles(3), (3, 4, 0));
    }
}
