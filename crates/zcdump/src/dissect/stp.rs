//! `stp`: the Spanning Tree Protocol's bridge PDUs (IEEE 802.1D 9.3), which ride in LLC
//! frames to service access point 0x42, with tshark 4.0's field names: the common header
//! (protocol identifier, version, BPDU type) and, for configuration and rapid spanning tree
//! BPDUs, the flags, the root and bridge identifiers (priority and 802.1t system ID
//! extension, then the MAC address), the root path cost, the port identifier and the four
//! timers (in 1/256 seconds on the wire, shown in seconds).
//!
//! tshark reads a configuration BPDU's header up to the port identifier before it adds the
//! `stp` item, so a BPDU cut before the port identifier's end shows no `stp` at all (the
//! frame ends short under `llc`); after that, each timer shows when its two bytes were
//! captured.

use super::Cx;
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Stp, name: "stp",
    StpProtocol = "stp.protocol", Hex4;
    StpVersion = "stp.version", Dec;
    StpType = "stp.type", Hex2;
    StpFlags = "stp.flags", Hex2;
    StpRootPrio = "stp.root.prio", Dec;
    StpRootExt = "stp.root.ext", Dec;
    StpRootHw = "stp.root.hw", Mac;
    StpRootCost = "stp.root.cost", Dec;
    StpBridgePrio = "stp.bridge.prio", Dec;
    StpBridgeExt = "stp.bridge.ext", Dec;
    StpBridgeHw = "stp.bridge.hw", Mac;
    StpPort = "stp.port", Hex4;
    StpMsgAge = "stp.msg_age", Str;
    StpMaxAge = "stp.max_age", Str;
    StpHello = "stp.hello", Str;
    StpForward = "stp.forward", Str;
}

/// The LLC service access point of the bridge spanning tree protocol (tshark dispatches on
/// the DSAP alone).
pub(super) const SAP: u8 = 0x42;

/// BPDU types with the configuration fields (802.1D 9.3.1; 0x02 is 802.1w's RST BPDU).
const TYPE_CONFIG: u8 = 0x00;
const TYPE_RST: u8 = 0x02;

/// Bytes tshark reads before it adds the `stp` item: through the port identifier for
/// configuration and RST BPDUs, the 4-byte header for others.
const CONFIG_READ: usize = 27;
const HEADER_LEN: usize = 4;
/// The configuration fields end after the forward delay.
const CONFIG_LEN: usize = 35;

/// A BPDU (the LLC payload).
pub(super) fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    // Cut before tshark has read what it needs to add the protocol: only its protocol
    // list names `stp` (claimed-layer-edges-snap40 frame 11).
    let Some(&[p0, p1, version, kind]) = bytes.first_chunk::<4>() else {
        cx.out.list_only(Proto::Stp);
        return cx.header_cut("stp", bytes.len(), HEADER_LEN);
    };
    if !matches!(kind, TYPE_CONFIG | TYPE_RST) {
        // A topology change notification (0x80) is the header alone.
        return header(cx, u16::from_be_bytes([p0, p1]), version, kind);
    }
    let Some(head) = bytes.first_chunk::<CONFIG_READ>() else {
        cx.out.list_only(Proto::Stp);
        return cx.header_cut("stp", bytes.len(), CONFIG_READ);
    };
    header(cx, u16::from_be_bytes([p0, p1]), version, kind);
    cx.out.push_uint(Field::StpFlags, head[4]);
    bridge_id(
        cx,
        &head[5..13],
        [Field::StpRootPrio, Field::StpRootExt, Field::StpRootHw],
    );
    let cost = u32::from_be_bytes([head[13], head[14], head[15], head[16]]);
    cx.out.push_uint(Field::StpRootCost, cost);
    bridge_id(
        cx,
        &head[17..25],
        [
            Field::StpBridgePrio,
            Field::StpBridgeExt,
            Field::StpBridgeHw,
        ],
    );
    cx.out
        .push_uint(Field::StpPort, u16::from_be_bytes([head[25], head[26]]));
    let timers = [
        Field::StpMsgAge,
        Field::StpMaxAge,
        Field::StpHello,
        Field::StpForward,
    ];
    for (i, field) in timers.into_iter().enumerate() {
        let at = CONFIG_READ + 2 * i;
        let Some(&[hi, lo]) = bytes.get(at..at + 2).and_then(|t| t.first_chunk::<2>()) else {
            return cx.header_cut("stp", bytes.len(), CONFIG_LEN);
        };
        if cx.out.wants(field) {
            let mut text = [0u8; 16];
            let len = seconds(u16::from_be_bytes([hi, lo]), &mut text);
            cx.out.push_text(field, &text[..len]);
        }
    }
}

/// Enters `stp` with the common header's fields.
fn header(cx: &mut Cx<'_, '_>, protocol: u16, version: u8, kind: u8) {
    cx.out.enter(Proto::Stp);
    cx.out.push_uint(Field::StpProtocol, protocol);
    cx.out.push_uint(Field::StpVersion, version);
    cx.out.push_uint(Field::StpType, kind);
}

/// A bridge identifier: 4 bits of priority and 12 of system ID extension (802.1t, which
/// tshark's default preference shows split), then a MAC address.
fn bridge_id(cx: &mut Cx<'_, '_>, id: &[u8], [prio, ext, hw]: [Field; 3]) {
    let Some((&[hi, lo], mac)) = id.split_first_chunk::<2>() else {
        return;
    };
    let word = u16::from_be_bytes([hi, lo]);
    cx.out.push_uint(prio, word & 0xf000);
    cx.out.push_uint(ext, word & 0x0fff);
    if let Some(&mac) = mac.first_chunk::<6>() {
        cx.out.push(hw, Value::Mac(mac));
    }
}

/// Writes `units` / 256 seconds as tshark prints the double (`%g` of a value that always
/// has few enough digits to be exact: `20`, `0.5`, `255.99609375`) into `out`; returns the
/// length.
fn seconds(units: u16, out: &mut [u8; 16]) -> usize {
    let mut len = 0;
    let mut put = |b: u8, len: &mut usize| {
        if let Some(slot) = out.get_mut(*len) {
            *slot = b;
            *len += 1;
        }
    };
    let whole = units >> 8;
    let mut started = false;
    for div in [100, 10, 1] {
        let digit = (whole / div) % 10;
        if digit != 0 || started || div == 1 {
            started = true;
            put(b'0' + digit as u8, &mut len);
        }
    }
    // 1/256 = 0.00390625 exactly: the fraction is (units & 0xff) * 390625 in 1e-8.
    let mut frac = u32::from(units & 0xff) * 390_625;
    if frac != 0 {
        put(b'.', &mut len);
        let mut div = 10_000_000;
        while frac != 0 {
            put(b'0' + (frac / div) as u8, &mut len);
            frac %= div;
            div /= 10;
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(units: u16) -> String {
        let mut out = [0u8; 16];
        let len = seconds(units, &mut out);
        String::from_utf8_lossy(&out[..len]).into_owned()
    }

    /// An 802.3 frame with LLC to SAP 0x42 and a configuration BPDU (priority 32768 and
    /// extension 5 in the root identifier, port 0x8003, timers 1, 20, 2, 15 s), of which
    /// `captured` bytes were kept.
    fn decode(captured: usize) -> crate::fields::FrameFields {
        let mut frame = vec![
            1, 0x80, 0xc2, 0, 0, 0, 2, 0, 0, 0, 0, 0xa, 0, 38, 0x42, 0x42, 3,
        ];
        frame.extend_from_slice(&[0, 0, 0, 0, 0x81, 0x80, 5, 2, 0, 0, 0, 0, 1, 0, 0, 0, 100]);
        frame.extend_from_slice(&[0x70, 1, 2, 0, 0, 0, 0, 2, 0x80, 3]);
        frame.extend_from_slice(&[1, 0, 0x14, 0, 2, 0, 0x0f, 0]);
        let orig_len = frame.len() as u32;
        frame.truncate(captured);
        crate::dissect::ethernet_frame(&frame, orig_len)
    }

    #[test]
    fn a_bpdu_shows_once_its_port_identifier_was_captured() {
        let whole = decode(52);
        assert_eq!(whole.path().last(), Some(&Proto::Stp));
        assert_eq!(whole.uint(Field::StpRootPrio), Some(32768));
        assert_eq!(whole.uint(Field::StpRootExt), Some(5));
        assert_eq!(whole.uint(Field::StpPort), Some(0x8003));
        // tshark 4.0.17: nothing of stp below 27 BPDU bytes (44 in the frame).
        let cut = decode(43);
        assert_eq!(cut.path().last(), Some(&Proto::Llc));
        assert_eq!(cut.uint(Field::StpProtocol), None);
        let cut = decode(44);
        assert_eq!(cut.uint(Field::StpPort), Some(0x8003));
        assert_eq!(cut.first(Field::StpMsgAge), None);
    }

    #[test]
    fn timers_print_as_tshark_prints_their_doubles() {
        // Values tshark 4.0.17 printed for these wire words.
        assert_eq!(text(0), "0");
        assert_eq!(text(0x1400), "20");
        assert_eq!(text(0x0080), "0.5");
        assert_eq!(text(0x0101), "1.00390625");
        assert_eq!(text(0xffff), "255.99609375");
        assert_eq!(text(0x0f01), "15.00390625");
        assert_eq!(text(0x6400), "100");
    }
}
