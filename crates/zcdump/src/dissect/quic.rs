//! `quic`: QUIC packet headers (RFC 9000 17) on UDP port 443 with tshark 4.0's field names:
//! each long-header packet of a datagram (header form, fixed bit, packet type, version,
//! connection IDs and their lengths, an Initial's token length, the length, and tshark's
//! `quic.packet_length`), version negotiation packets with their versions, and a short
//! header's first bits. A version 1 Initial's protection is removed as tshark removes it
//! (keys from the DCID, see `quic_initial.rs`): its reserved bits, packet number length and
//! packet number, and, decrypted, the types of its frames and the TLS handshake its CRYPTO
//! frames carry (`tls.handshake.*`: a ClientHello's SNI, ALPN, supported versions...),
//! through tls.rs as tshark calls its TLS dissector inside `quic`. The CRYPTO frames of one
//! packet are put in order by offset; the handshake is the stream from offset 0 up to the
//! first gap, whole messages only (a ClientHello split over two Initials shows in neither,
//! where tshark, reassembling, shows it in the second).
//!
//! What tshark 4.0 shows depends on how much was captured, which this module follows:
//! - nothing of a long header whose connection IDs were not all captured (tshark reads
//!   them before it adds any field);
//! - of an Initial, only the header form and packet length when the header-protection
//!   sample (RFC 9001 5.4.2: 16 bytes from 4 past the packet number's start) was not
//!   captured: tshark removes Initial header protection first and stops there;
//! - an Initial's packet number and frames only with the client's keys: tshark, following
//!   the connection, also reads a server's Initials with the server's keys (derived from the
//!   client's first DCID, which the server's packet does not carry); zcdump, one frame at a
//!   time, shows none of those fields for a whole Initial whose tag does not verify with the
//!   client's keys, rather than a made-up number. An Initial the capture cut cannot be
//!   verified: it shows the number from its header as tshark does. Version 2 Initials
//!   (RFC 9369: other salt and labels, type bits shown as `quic.long.packet_type_v2`) are
//!   read as version 1's; draft versions' Initials show no packet number;
//! - a short header's DCID only when tshark followed the connection's long headers; zcdump
//!   (one frame at a time) shows the header form, fixed bit and packet length only.

use super::quic_initial::{
    decrypt, remove_header_protection, Keys, Side, Unprotected, Version, VERSION_2,
};
use super::table::{Dissector, Hook};
use super::tls;
use super::value_text::push_hex;
use super::Cx;
use crate::fields::{declare_fields, Field, Proto};
use crate::stats::TreeNote;

declare_fields! {
    proto: Quic, name: "quic",
    QuicPacketLength = "quic.packet_length", Dec;
    QuicHeaderForm = "quic.header_form", Dec;
    QuicFixedBit = "quic.fixed_bit", Dec;
    QuicLongPacketType = "quic.long.packet_type", Dec;
    QuicLongPacketTypeV2 = "quic.long.packet_type_v2", Dec;
    QuicLongReserved = "quic.long.reserved", Dec;
    QuicPacketNumberLength = "quic.packet_number_length", Dec;
    QuicVersion = "quic.version", Hex8;
    QuicDcil = "quic.dcil", Dec;
    QuicDcid = "quic.dcid", Str;
    QuicScil = "quic.scil", Dec;
    QuicScid = "quic.scid", Str;
    QuicTokenLength = "quic.token_length", Dec;
    QuicLength = "quic.length", Dec;
    QuicPacketNumber = "quic.packet_number", Dec;
    QuicFrameType = "quic.frame_type", Dec;
    QuicPaddingLength = "quic.padding_length", Dec;
    QuicSupportedVersion = "quic.supported_version", Hex8;
    QuicVnUnused = "quic.vn.unused", Hex2;
}

/// QUIC on UDP port 443, as tshark 4.0 registers it.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Quic,
    hook: Hook::UdpPort(&[443], dissect),
};

/// Long header packet types (RFC 9000 17.2, table 5).
const INITIAL: u8 = 0;
const RETRY: u8 = 3;

/// A variable-length integer (RFC 9000 16) at the start of `bytes`: (value, its length).
pub(super) fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let first = *bytes.first()?;
    let len = 1usize << (first >> 6);
    let raw = bytes.get(..len)?;
    let value = raw[1..]
        .iter()
        .fold(u64::from(first & 0x3f), |v, &b| v << 8 | u64::from(b));
    Some((value, len))
}

/// A long header's fixed part (RFC 9000 17.2) as read before any field is shown.
struct Long<'a> {
    first: u8,
    version: u32,
    dcid: &'a [u8],
    scid: &'a [u8],
    /// Where the type-specific part starts.
    rest: usize,
}

fn long_header(bytes: &[u8]) -> Option<Long<'_>> {
    let first = *bytes.first()?;
    let version = u32::from_be_bytes(bytes.get(1..5)?.try_into().ok()?);
    let dcil = usize::from(*bytes.get(5)?);
    let dcid = bytes.get(6..6 + dcil)?;
    let scil = usize::from(*bytes.get(6 + dcil)?);
    let scid = bytes.get(7 + dcil..7 + dcil + scil)?;
    Some(Long {
        first,
        version,
        dcid,
        scid,
        rest: 7 + dcil + scil,
    })
}

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Quic);
    let mut at = 0;
    // Coalesced packets (RFC 9000 12.2): long headers one after another.
    while let Some(&first) = bytes.get(at) {
        if first & 0x80 == 0 {
            // A short header runs to the datagram's end.
            cx.out.push_uint(
                Field::QuicPacketLength,
                (bytes.len() - at + cx.uncaptured) as u64,
            );
            cx.out.push_uint(Field::QuicHeaderForm, 0u8);
            cx.out.push_uint(Field::QuicFixedBit, first >> 6 & 1);
            return;
        }
        match packet(cx, &bytes[at..]) {
            Some(len) if len > 0 => at = at.saturating_add(len),
            _ => return,
        }
    }
    // tshark reads packet after packet up to the datagram's reported end, and no further
    // into one it cannot decrypt (a cut Initial, a Handshake without keys): when the last
    // packet's Length reaches that end, a cut frame is not short.
    if at >= bytes.len() + cx.uncaptured {
        cx.out.note_tree(TreeNote::FinishedBeforeCut);
    }
}

/// One long-header packet; its length in the datagram by its Length field (which may run
/// past the captured bytes), `None` where tshark stops.
fn packet(cx: &mut Cx<'_, '_>, bytes: &[u8]) -> Option<usize> {
    let Some(long) = long_header(bytes) else {
        cx.header_cut("quic", bytes.len(), 7);
        return None;
    };
    if long.version == 0 {
        // Version negotiation (RFC 9000 17.2.1): the rest of the datagram.
        cx.out.push_uint(
            Field::QuicPacketLength,
            (bytes.len() + cx.uncaptured) as u64,
        );
        cx.out.push_uint(Field::QuicHeaderForm, 1u8);
        cx.out.push_uint(Field::QuicVnUnused, long.first & 0x7f);
        ids(cx, &long);
        for v in bytes[long.rest..].chunks_exact(4) {
            cx.out.push_uint(
                Field::QuicSupportedVersion,
                u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
            );
        }
        return Some(bytes.len());
    }
    let wire_type = long.first >> 4 & 3;
    let v2 = long.version == VERSION_2;
    // RFC 9369 3.2: version 2 numbers the types one up (Retry 0, Initial 1, 0-RTT 2,
    // Handshake 3); `kind` is the version 1 number.
    let kind = if v2 { (wire_type + 3) & 3 } else { wire_type };
    let mut at = long.rest;
    let mut token_length = None;
    if kind == INITIAL {
        let (len, n) = varint(bytes.get(at..)?)?;
        token_length = Some(len);
        at = at
            .saturating_add(n)
            .saturating_add(usize::try_from(len).ok()?);
    }
    let length = if kind == RETRY {
        None
    } else {
        let (len, n) = varint(bytes.get(at..)?)?;
        at += n;
        Some(len)
    };
    let total = match length {
        Some(len) => at.saturating_add(usize::try_from(len).unwrap_or(usize::MAX)),
        None => bytes.len(),
    };
    cx.out.push_uint(Field::QuicPacketLength, total as u64);
    cx.out.push_uint(Field::QuicHeaderForm, 1u8);
    if kind == INITIAL && bytes.len() < at + 4 + 16 {
        // tshark removes Initial header protection first; without its sample it stops.
        cx.header_cut("quic", bytes.len(), at + 20);
        return None;
    }
    let version = Version::from_wire(long.version).filter(|_| kind == INITIAL);
    let (unprotected, plaintext) = match version {
        Some(version) if wants_packet_number(cx) => {
            initial_packet_number(version, bytes, &long, at, total)
        }
        _ => (None, None),
    };
    cx.out.push_uint(Field::QuicFixedBit, long.first >> 6 & 1);
    // tshark shows version 2's type bits as sent, in a field of their own.
    let type_field = if v2 {
        Field::QuicLongPacketTypeV2
    } else {
        Field::QuicLongPacketType
    };
    cx.out.push_uint(type_field, wire_type);
    if let Some(hp) = unprotected {
        cx.out.push_uint(Field::QuicLongReserved, hp.first >> 2 & 3);
        // tshark shows the two bits as sent: the length less one.
        cx.out
            .push_uint(Field::QuicPacketNumberLength, hp.first & 3);
    }
    ids(cx, &long);
    if let Some(len) = token_length {
        cx.out.push_uint(Field::QuicTokenLength, len);
    }
    if let Some(len) = length {
        cx.out.push_uint(Field::QuicLength, len);
    }
    if let Some(hp) = unprotected {
        cx.out.push_uint(Field::QuicPacketNumber, hp.pn);
    }
    if let Some(plaintext) = plaintext {
        frames(cx, &plaintext);
    }
    Some(total)
}

/// Whether any field that needs header protection removed is read (a QUIC field past the
/// header, or a TLS field of the handshake its CRYPTO frames carry): the AES work is done
/// only then. Not for the statistics alone: tshark's protocol hierarchy (`-z io,phs`) shows
/// no `tls` inside `quic`, though its `frame.protocols` does.
fn wants_packet_number(cx: &Cx<'_, '_>) -> bool {
    let quic = [
        Field::QuicLongReserved,
        Field::QuicPacketNumberLength,
        Field::QuicPacketNumber,
        Field::QuicFrameType,
        Field::QuicPaddingLength,
    ];
    let tls_fields = 0..tls::FIELDS.fields.len() as u16;
    quic.into_iter().any(|f| cx.out.wants(f))
        || tls_fields
            .into_iter()
            .any(|i| cx.out.wants(Field::declared(Proto::Tls, i)))
}

/// A version 1 or 2 Initial's header with protection removed, with the client's keys from its
/// DCID, as tshark removes it from an Initial it has no connection for (the packet number
/// starts at `pn_offset`; the packet, by its Length field, is `total` bytes).
///
/// Where the whole packet was captured its AEAD tag must verify too, or nothing is shown: a
/// server's Initial (whose DCID is not the one its keys come from; tshark, following the
/// connection, uses the server's keys, which one frame does not give) or a corrupted one
/// would otherwise show a made-up number. A packet the capture cut cannot be checked, and
/// shows the number as tshark does.
///
/// Returns the unprotected header and, when the tag verified, the plaintext frames.
fn initial_packet_number(
    version: Version,
    bytes: &[u8],
    long: &Long<'_>,
    pn_offset: usize,
    total: usize,
) -> (Option<Unprotected>, Option<Vec<u8>>) {
    let keys = Keys::initial(version, long.dcid, Side::Client);
    let Some(hp) = remove_header_protection(&keys, bytes, pn_offset) else {
        return (None, None);
    };
    match bytes.get(..total) {
        Some(packet) => match decrypt(&keys, packet, pn_offset, hp) {
            Some(plaintext) => (Some(hp), Some(plaintext)),
            None => (None, None),
        },
        None => (Some(hp), None),
    }
}

/// Frame types (RFC 9000 12.4, 19).
const PADDING: u64 = 0x00;
const PING: u64 = 0x01;
const ACK: u64 = 0x02;
const ACK_ECN: u64 = 0x03;
const CRYPTO: u64 = 0x06;
const CONNECTION_CLOSE: u64 = 0x1c;
const CONNECTION_CLOSE_APP: u64 = 0x1d;

/// The frames of a decrypted Initial, as tshark lists them: each frame's type, and a run of
/// PADDING bytes as one frame with its length. Only the types an Initial may carry (RFC 9000
/// 12.4, table 3) are walked past; another, or a frame cut short, ends the list.
///
/// The CRYPTO frames' data, put in order by offset, is the TLS handshake tshark dissects
/// (see [`crypto_stream`]).
fn frames(cx: &mut Cx<'_, '_>, plaintext: &[u8]) {
    let mut crypto: Vec<(u64, &[u8])> = Vec::new();
    let mut at = 0;
    while let Some((kind, n)) = plaintext.get(at..).and_then(varint) {
        cx.out.push_uint(Field::QuicFrameType, kind);
        at += n;
        let next = match kind {
            PADDING => {
                let run = plaintext[at..].iter().take_while(|&&b| b == 0).count();
                cx.out.push_uint(Field::QuicPaddingLength, (run + 1) as u64);
                Some(at + run)
            }
            PING => Some(at),
            ACK | ACK_ECN => skip_ack(plaintext, at, kind == ACK_ECN),
            CRYPTO => crypto_frame(plaintext, at).map(|(offset, data, next)| {
                crypto.push((offset, data));
                next
            }),
            CONNECTION_CLOSE => {
                skip_varints(plaintext, at, 2).and_then(|at| skip_data(plaintext, at))
            }
            CONNECTION_CLOSE_APP => {
                skip_varints(plaintext, at, 1).and_then(|at| skip_data(plaintext, at))
            }
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => break,
        }
    }
    if let Some(stream) = crypto_stream(&mut crypto) {
        tls::quic_crypto(cx, &stream);
    }
}

/// A CRYPTO frame's body from `at` (RFC 9000 19.6): its offset, its data and where the next
/// frame starts; `None` when the data runs past the plaintext.
fn crypto_frame(bytes: &[u8], at: usize) -> Option<(u64, &[u8], usize)> {
    let (offset, n) = varint(bytes.get(at..)?)?;
    let (len, m) = varint(bytes.get(at + n..)?)?;
    let start = at + n + m;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    Some((offset, bytes.get(start..end)?, end))
}

/// The crypto stream from offset 0 as far as `pieces` (offset, data) cover it without a
/// gap, overlaps read once, as tshark reassembles one packet's CRYPTO frames; `None` when no
/// piece starts at 0 (tshark then waits for the rest and shows no handshake).
fn crypto_stream(pieces: &mut [(u64, &[u8])]) -> Option<Vec<u8>> {
    pieces.sort_by_key(|&(offset, _)| offset);
    if pieces.first()?.0 != 0 {
        return None;
    }
    let mut stream = Vec::new();
    for &(offset, data) in pieces.iter() {
        let Ok(offset) = usize::try_from(offset) else {
            break;
        };
        if offset > stream.len() {
            break;
        }
        let new = (offset + data.len()).saturating_sub(stream.len());
        stream.extend_from_slice(&data[data.len() - new..]);
    }
    Some(stream)
}

/// Past `count` variable-length integers from `at`.
fn skip_varints(bytes: &[u8], mut at: usize, count: usize) -> Option<usize> {
    for _ in 0..count {
        at += varint(bytes.get(at..)?)?.1;
    }
    Some(at)
}

/// Past a length (a variable-length integer) and that many bytes.
fn skip_data(bytes: &[u8], at: usize) -> Option<usize> {
    let (len, n) = varint(bytes.get(at..)?)?;
    let end = (at + n).checked_add(usize::try_from(len).ok()?)?;
    (end <= bytes.len()).then_some(end)
}

/// Past an ACK frame's body (RFC 9000 19.3): largest acknowledged, delay, range count, first
/// range, the ranges (gap and length each), and with ECN the three counts.
fn skip_ack(bytes: &[u8], at: usize, ecn: bool) -> Option<usize> {
    let at = skip_varints(bytes, at, 2)?;
    let (ranges, n) = varint(bytes.get(at..)?)?;
    let mut at = skip_varints(bytes, at + n, 1)?;
    // Each range takes at least two bytes, so a count past the plaintext fails fast.
    for _ in 0..ranges {
        at = skip_varints(bytes, at, 2)?;
    }
    if ecn {
        at = skip_varints(bytes, at, 3)?;
    }
    Some(at)
}

/// Version and connection IDs, as every long header shows them.
fn ids(cx: &mut Cx<'_, '_>, long: &Long<'_>) {
    cx.out.push_uint(Field::QuicVersion, long.version);
    cx.out.push_uint(Field::QuicDcil, long.dcid.len() as u64);
    if !long.dcid.is_empty() {
        push_hex(cx.out, Field::QuicDcid, long.dcid);
    }
    cx.out.push_uint(Field::QuicScil, long.scid.len() as u64);
    if !long.scid.is_empty() {
        push_hex(cx.out, Field::QuicScid, long.scid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{FrameFields, Value};

    /// The fields `frames` gives for `plaintext` dissected alone (no frame around it).
    fn frames_alone(plaintext: &[u8]) -> FrameFields {
        let mut out = FrameFields::default();
        let mut cx = Cx {
            out: &mut out,
            frame: &[],
            snapped: false,
            uncaptured: 0,
            verify: false,
            ts_sec: 0,
            memory: None,
        };
        frames(&mut cx, plaintext);
        out
    }

    fn frame_list(plaintext: &[u8]) -> (Vec<u64>, Vec<u64>) {
        let out = frames_alone(plaintext);
        let all = |f| {
            out.all(f)
                .filter_map(|v| match v {
                    Value::Uint(u) => Some(u),
                    _ => None,
                })
                .collect::<Vec<u64>>()
        };
        (all(Field::QuicFrameType), all(Field::QuicPaddingLength))
    }

    #[test]
    fn initial_frames_are_listed_with_padding_runs_as_one_frame() {
        // RFC 9001 A.3's server plaintext: ACK (largest 0, delay 0, no ranges, first 0)
        // then CRYPTO (offset 0, 90 bytes of ServerHello), here followed by PING, padding.
        let mut plain = vec![0x02, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x40, 0x5a];
        plain.extend_from_slice(&[0x16; 90]);
        plain.extend_from_slice(&[0x01, 0x00, 0x00, 0x00]);
        assert_eq!(frame_list(&plain), (vec![2, 6, 1, 0], vec![3]));
        // ACK with ECN and one range, then CONNECTION_CLOSE with a 2-byte reason.
        let plain = [
            3, 9, 0, 1, 0, 1, 2, 5, 6, 7, 0x1c, 0x0a, 0x06, 2, b'n', b'o', 1,
        ];
        assert_eq!(frame_list(&plain), (vec![3, 0x1c, 1], vec![]));
    }

    /// RFC 9001 A.2's CRYPTO frame: the client's ClientHello (SNI example.com, ALPN
    /// "alpn", TLS 1.3 only), 245 bytes.
    const A2_CRYPTO: &str = "
        060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868
        04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578
        616d706c652e636f6dff01000100000a00080006001d00170018001000070005
        04616c706e000500050100000000003300260024001d00209370b2c9caa47fba
        baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400
        0d0010000e0403050306030203080408050806002d00020101001c0002400100
        3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000
        75300901100f088394c8f03e51570806048000ffff";

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// The TLS fields `frames` gives for `plaintext`: handshake types, SNI, ALPN, versions.
    fn tls_of(plaintext: &[u8]) -> (Vec<String>, bool) {
        let out = frames_alone(plaintext);
        let text = |f| {
            out.all(f)
                .map(|v| match v {
                    Value::Uint(u) => u.to_string(),
                    Value::Text(t) => String::from_utf8_lossy(out.text(t)).into_owned(),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let shown = [
            text(Field::TlsHandshakeType),
            text(Field::TlsHandshakeExtensionsServerName),
            text(Field::TlsHandshakeExtensionsAlpnStr),
            text(Field::TlsHandshakeExtensionsSupportedVersion),
        ];
        (shown.to_vec(), out.path().contains(&Proto::Tls))
    }

    #[test]
    fn rfc_9001_a2_client_hello_in_crypto_frames_goes_through_tls() {
        let crypto = hex(A2_CRYPTO);
        let mut plain = crypto.clone();
        plain.extend_from_slice(&[0; 20]);
        let whole = tls_of(&plain);
        assert_eq!(
            whole,
            (
                vec![
                    "1".into(),
                    "example.com".into(),
                    "alpn".into(),
                    "772".into()
                ],
                true
            )
        );
        // The ClientHello in two CRYPTO frames, the later part first: the same handshake.
        let hello = &crypto[4..];
        let mut split = vec![0x06, 40, 0x40, (hello.len() - 40) as u8];
        split.extend_from_slice(&hello[40..]);
        split.extend_from_slice(&[0x06, 0x00, 40]);
        split.extend_from_slice(&hello[..40]);
        assert_eq!(tls_of(&split), whole);
        // Only the part from offset 40: no handshake, no tls layer.
        let later = &split[..4 + hello.len() - 40];
        assert_eq!(tls_of(later), (vec![String::new(); 4], false));
        // A fragment from offset 0: the tls layer without a field (tshark waits for more).
        let mut part = vec![0x06, 0x00, 0x40, 100];
        part.extend_from_slice(&hello[..100]);
        assert_eq!(tls_of(&part), (vec![String::new(); 4], true));
    }

    #[test]
    fn crypto_stream_reads_overlaps_once_and_stops_at_a_gap() {
        let mut pieces: Vec<(u64, &[u8])> = vec![(3, b"defg"), (0, b"abcd"), (9, b"jk")];
        assert_eq!(crypto_stream(&mut pieces), Some(b"abcdefg".to_vec()));
        let mut pieces: Vec<(u64, &[u8])> = vec![(2, b"c"), (u64::MAX, b"z")];
        assert_eq!(crypto_stream(&mut pieces), None);
        let mut pieces: Vec<(u64, &[u8])> = vec![(0, b"ab"), (1, b""), (u64::MAX, b"z")];
        assert_eq!(crypto_stream(&mut pieces), Some(b"ab".to_vec()));
    }

    #[test]
    fn cut_or_unknown_frames_end_the_list() {
        // CRYPTO claiming more bytes than there are; a STREAM frame (not in an Initial).
        assert_eq!(
            frame_list(&[0x01, 0x06, 0x00, 0x05, 0xaa]),
            (vec![1, 6], vec![])
        );
        assert_eq!(frame_list(&[0x08, 0x00, 0x00]), (vec![8], vec![]));
        // An ACK whose range count is far more than the bytes left.
        let plain = [0x02, 0, 0, 0xbf, 0xff, 0xff, 0xff, 0, 1, 2];
        assert_eq!(frame_list(&plain), (vec![2], vec![]));
    }

    #[test]
    fn rfc_9000_a1_varint_examples() {
        assert_eq!(
            varint(&[0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c]),
            Some((151_288_809_941_952_652, 8))
        );
        assert_eq!(varint(&[0x9d, 0x7f, 0x3e, 0x7d]), Some((494_878_333, 4)));
        assert_eq!(varint(&[0x7b, 0xbd]), Some((15_293, 2)));
        assert_eq!(varint(&[0x25]), Some((37, 1)));
        assert_eq!(varint(&[0x40, 0x25]), Some((37, 2)));
        assert_eq!(varint(&[0x7b]), None);
    }
}
