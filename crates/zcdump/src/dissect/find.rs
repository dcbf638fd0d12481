//! `find`: FIND (Find Identification of Network Devices) on UDP port 1001, with tshark
//! 4.0's field names. As tshark 4.0.17 decodes it: a 16-bit opcode; an information
//! answer (opcode 2) then holds five NUL-terminated strings (hardware identifier, type
//! name, position, literal name, manufacturer code) and a terminator byte; any other
//! opcode (a request is 1) has its terminator byte at offset 3. A message that ends before
//! its terminator is malformed (short when the capture cut it). The strings are walked to
//! find the terminator but not shown (no sample holds an answer to check them against).

use super::table::{Dissector, Hook};
use super::Cx;
use crate::fields::{declare_fields, Field, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: Find, name: "find",
    FindOpcode = "find.opcode", Dec;
    FindPacketTerminator = "find.packet_terminator", Hex2;
}

/// FIND on its UDP port.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Find,
    hook: Hook::UdpPort(&[1001], dissect),
};

/// The information answer, the one opcode with strings.
const ANSWER: u16 = 2;
/// NUL-terminated strings in an answer.
const ANSWER_STRINGS: usize = 5;
/// Where any other opcode's terminator sits.
const OTHER_TERMINATOR_AT: usize = 3;

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Find);
    let Some((&[o0, o1], mut rest)) = bytes.split_first_chunk::<2>() else {
        return cx.header_cut("find", bytes.len(), 2);
    };
    let opcode = u16::from_be_bytes([o0, o1]);
    cx.out.push_uint(Field::FindOpcode, opcode);
    if opcode != ANSWER {
        let Some(&terminator) = bytes.get(OTHER_TERMINATOR_AT) else {
            return cx.header_cut("find", bytes.len(), OTHER_TERMINATOR_AT + 1);
        };
        return terminated(cx, terminator);
    }
    for _string in 0..ANSWER_STRINGS {
        let Some(end) = rest.iter().position(|&b| b == 0) else {
            // No terminating NUL in what is left: tshark shows no part of the string.
            return cx.header_cut("find", bytes.len(), bytes.len() + 1);
        };
        rest = &rest[end + 1..];
    }
    match rest.first() {
        Some(&terminator) => terminated(cx, terminator),
        None => cx.header_cut("find", bytes.len(), bytes.len() + 1),
    }
}

/// The message ends at its terminator: tshark reads nothing after it, so a frame cut
/// later is not short.
fn terminated(cx: &mut Cx<'_, '_>, terminator: u8) {
    cx.out.push_uint(Field::FindPacketTerminator, terminator);
    cx.out.note_tree(TreeNote::FinishedBeforeCut);
}

#[cfg(test)]
mod tests {
    use crate::fields::{Field, FrameFields};

    /// Ethernet + IPv4 + UDP from port 1001 around `payload`.
    fn decode(payload: &[u8]) -> FrameFields {
        let mut frame = vec![2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, 8, 0];
        let udp_len = 8 + payload.len() as u8;
        frame.extend_from_slice(&[0x45, 0, 0, 20 + udp_len, 0, 1, 0, 0, 64, 17, 0, 0]);
        frame.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2]);
        frame.extend_from_slice(&[0x03, 0xe9, 0x07, 0xd1, 0, udp_len, 0, 0]);
        frame.extend_from_slice(payload);
        crate::dissect::ethernet_frame(&frame, frame.len() as u32)
    }

    #[test]
    fn the_terminator_follows_an_answers_five_strings() {
        let f = decode(b"\x00\x02ab\x00cd\x00ef\x00gh\x00ij\x00\x05");
        assert_eq!(f.uint(Field::FindOpcode), Some(2));
        assert_eq!(f.uint(Field::FindPacketTerminator), Some(5));
        assert!(f.malformed().is_none());
        // Without it: malformed, as tshark shows it.
        let f = decode(b"\x00\x02ab\x00cd\x00ef\x00gh\x00ij\x00");
        assert_eq!(f.uint(Field::FindPacketTerminator), None);
        assert_eq!(f.malformed().map(|m| m.layer), Some("find"));
    }

    #[test]
    fn other_opcodes_have_the_terminator_at_offset_3() {
        let f = decode(b"\x00\x01\x00\x09");
        assert_eq!(f.uint(Field::FindPacketTerminator), Some(9));
        let f = decode(b"\x00\x01\x00");
        assert_eq!(f.malformed().map(|m| m.layer), Some("find"));
    }
}
