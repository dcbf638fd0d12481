//! `tls`: TLS record headers (RFC 8446 5.1, RFC 5246 6.2) and the plaintext handshake
//! messages a capture shows without keys: ClientHello and ServerHello (RFC 8446 4.1.2,
//! 4.1.3) with their cipher suites and the extensions people filter on (server name,
//! RFC 6066 3; ALPN, RFC 7301 3.1; supported groups, RFC 8422 5.1.1; supported versions,
//! RFC 8446 4.2.1), and the type and length of the other handshake messages. Found on the
//! TCP ports tshark 4.0 gives TLS.
//!
//! Two things tshark decides from the session it followed in earlier frames, which zcdump
//! (one frame at a time, no state) cannot:
//! - an application data record's type is `tls.record.opaque_type` in a TLS 1.3 session
//!   whose ServerHello tshark decoded, and `tls.record.content_type` (23) otherwise (TLS
//!   1.2, or a session whose start was not captured or cut); zcdump shows neither for
//!   application data records (their version and length it shows, as tshark does);
//! - whether a segment whose handshake record after a ChangeCipherSpec (TLS 1.2's
//!   encrypted Finished) was cut short shows its earlier handshake messages: tshark hides
//!   them in some sessions and not in others; zcdump shows every handshake message of a
//!   record captured whole.
//!
//! The differential samples (`samples/app-tls*.pcap`) have neither case: TLS 1.3 data
//! follows a captured ServerHello and no cut reaches a ServerHello or an encrypted
//! Finished (see `samples/make_app_samples.py`); both are listed as known differences in
//! issue 14's note.

use super::table::{Dissector, Hook};
use super::text::push_display;
use super::Cx;
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Tls, name: "tls",
    TlsRecordContentType = "tls.record.content_type", Dec;
    TlsRecordVersion = "tls.record.version", Hex4;
    TlsRecordLength = "tls.record.length", Dec;
    TlsHandshakeType = "tls.handshake.type", Dec;
    TlsHandshakeLength = "tls.handshake.length", Dec;
    TlsHandshakeVersion = "tls.handshake.version", Hex4;
    TlsHandshakeSessionIdLength = "tls.handshake.session_id_length", Dec;
    TlsHandshakeCipherSuitesLength = "tls.handshake.cipher_suites_length", Dec;
    TlsHandshakeCiphersuite = "tls.handshake.ciphersuite", Hex4;
    TlsHandshakeCompMethodsLength = "tls.handshake.comp_methods_length", Dec;
    TlsHandshakeCompMethod = "tls.handshake.comp_method", Dec;
    TlsHandshakeExtensionsLength = "tls.handshake.extensions_length", Dec;
    TlsHandshakeExtensionType = "tls.handshake.extension.type", Dec;
    TlsHandshakeExtensionLen = "tls.handshake.extension.len", Dec;
    TlsHandshakeExtensionsServerNameListLen = "tls.handshake.extensions_server_name_list_len", Dec;
    TlsHandshakeExtensionsServerNameType = "tls.handshake.extensions_server_name_type", Dec;
    TlsHandshakeExtensionsServerNameLen = "tls.handshake.extensions_server_name_len", Dec;
    TlsHandshakeExtensionsServerName = "tls.handshake.extensions_server_name", Str;
    TlsHandshakeExtensionsAlpnLen = "tls.handshake.extensions_alpn_len", Dec;
    TlsHandshakeExtensionsAlpnStrLen = "tls.handshake.extensions_alpn_str_len", Dec;
    TlsHandshakeExtensionsAlpnStr = "tls.handshake.extensions_alpn_str", Str;
    TlsHandshakeExtensionsSupportedGroupsLength = "tls.handshake.extensions_supported_groups_length", Dec;
    TlsHandshakeExtensionsSupportedGroup = "tls.handshake.extensions_supported_group", Hex4;
    TlsHandshakeExtensionsSupportedVersionsLen = "tls.handshake.extensions.supported_versions_len", Dec;
    TlsHandshakeExtensionsSupportedVersion = "tls.handshake.extensions.supported_version", Hex4;
}

/// TLS on the TCP ports tshark 4.0 gives it.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Tls,
    hook: Hook::TcpPort(
        &[
            324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496,
            5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017,
        ],
        dissect,
    ),
};

/// Record content types (RFC 8446 B.1).
mod content {
    pub const CHANGE_CIPHER_SPEC: u8 = 20;
    pub const HANDSHAKE: u8 = 22;
    pub const APPLICATION_DATA: u8 = 23;
}

/// Handshake types whose bodies this module decodes (RFC 8446 B.3).
mod handshake {
    pub const CLIENT_HELLO: u8 = 1;
    pub const SERVER_HELLO: u8 = 2;
}

/// Extension types this module decodes (IANA TLS ExtensionType values).
mod extension {
    pub const SERVER_NAME: u16 = 0;
    pub const SUPPORTED_GROUPS: u16 = 10;
    pub const ALPN: u16 = 16;
    pub const SUPPORTED_VERSIONS: u16 = 43;
}

/// A record header tshark accepts as TLS: a known content type and an SSL 3.0 to TLS 1.3
/// record version (RFC 8446 5.1).
fn is_record_header(content_type: u8, version: u16) -> bool {
    (20..=24).contains(&content_type) && (0x0300..=0x0304).contains(&version)
}

/// Handshake types tshark knows (RFC 8446 B.3 and the TLS 1.2 ones, RFC 5246 7.4).
fn is_handshake_type(t: u8) -> bool {
    matches!(t, 0..=2 | 4 | 5 | 8 | 11..=16 | 20 | 21 | 22 | 24 | 25 | 254)
}

/// Big-endian reads that fail past the captured bytes.
fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(*b.get(at..)?.first_chunk::<2>()?))
}

fn u24_at(b: &[u8], at: usize) -> Option<u32> {
    let [x, y, z] = *b.get(at..)?.first_chunk::<3>()?;
    Some(u32::from_be_bytes([0, x, y, z]))
}

/// A TCP payload on a TLS port: records one after another, as far as they are captured.
fn dissect(cx: &mut Cx<'_, '_>, payload: &[u8]) {
    cx.out.enter(Proto::Tls);
    let mut at = 0;
    // After a ChangeCipherSpec, a sender's handshake records are encrypted.
    let mut encrypted = false;
    while let (Some(content_type), Some(version)) = (u8_at(payload, at), u16_at(payload, at + 1)) {
        if !is_record_header(content_type, version) {
            return;
        }
        let Some(length) = u16_at(payload, at + 3) else {
            return;
        };
        let out = &mut *cx.out;
        if content_type != content::APPLICATION_DATA {
            out.push_uint(Field::TlsRecordContentType, content_type);
        }
        out.push_uint(Field::TlsRecordVersion, version);
        out.push_uint(Field::TlsRecordLength, length);
        let start = at + 5;
        let end = start + usize::from(length);
        // tshark decodes a record's content only when all of it was captured.
        let body = payload.get(start..end);
        match (content_type, body) {
            (content::HANDSHAKE, Some(body)) if !encrypted => handshakes(cx, body),
            (content::CHANGE_CIPHER_SPEC, _) => encrypted = true,
            _ => {}
        }
        at = end;
    }
}

/// The TLS handshake a QUIC Initial's CRYPTO frames carry (RFC 9001 4.1.3: handshake
/// messages without records), as tshark 4.0 shows it inside `quic`: `stream` is the crypto
/// stream from offset 0 as far as this packet's frames reach without a gap. Only whole
/// messages are shown; tshark adds the `tls` layer for a fragment too but no field, waiting
/// for the rest, which a later packet carries (zcdump, one frame at a time, never shows it).
pub(super) fn quic_crypto(cx: &mut Cx<'_, '_>, stream: &[u8]) {
    cx.out.enter(Proto::Tls);
    let mut whole = 0;
    while let Some(length) = u24_at(stream, whole + 1) {
        match (whole + 4).checked_add(length as usize) {
            Some(end) if end <= stream.len() => whole = end,
            _ => break,
        }
    }
    handshakes(cx, &stream[..whole]);
}

/// The handshake messages of one record.
fn handshakes(cx: &mut Cx<'_, '_>, body: &[u8]) {
    let mut at = 0;
    while let Some(msg_type) = u8_at(body, at) {
        let Some(length) = u24_at(body, at + 1) else {
            return;
        };
        // A type tshark does not know, or a length past the record: an encrypted
        // handshake message (tshark then shows no handshake fields).
        let rest = body.len().saturating_sub(at + 4);
        if !is_handshake_type(msg_type) || length as usize > rest.max(usize::from(u16::MAX)) {
            return;
        }
        cx.out.push_uint(Field::TlsHandshakeType, msg_type);
        cx.out.push_uint(Field::TlsHandshakeLength, length);
        let start = at + 4;
        let end = start + length as usize;
        let msg = body.get(start..end.min(body.len())).unwrap_or(&[]);
        match msg_type {
            handshake::CLIENT_HELLO => {
                hello(cx, msg, true);
            }
            handshake::SERVER_HELLO => {
                hello(cx, msg, false);
            }
            _ => {}
        }
        at = end;
    }
}

/// ClientHello or ServerHello (RFC 8446 4.1.2, 4.1.3): fields up to the first one not all
/// there.
fn hello(cx: &mut Cx<'_, '_>, msg: &[u8], client: bool) -> Option<()> {
    cx.out
        .push_uint(Field::TlsHandshakeVersion, u16_at(msg, 0)?);
    // 32 bytes of random follow the version.
    msg.get(2..34)?;
    let sid_len = usize::from(u8_at(msg, 34)?);
    cx.out
        .push_uint(Field::TlsHandshakeSessionIdLength, sid_len as u64);
    let mut at = 35 + sid_len;
    msg.get(35..at)?;
    if client {
        let len = usize::from(u16_at(msg, at)?);
        cx.out
            .push_uint(Field::TlsHandshakeCipherSuitesLength, len as u64);
        at += 2;
        for i in 0..len / 2 {
            cx.out
                .push_uint(Field::TlsHandshakeCiphersuite, u16_at(msg, at + 2 * i)?);
        }
        at += len;
        let len = usize::from(u8_at(msg, at)?);
        cx.out
            .push_uint(Field::TlsHandshakeCompMethodsLength, len as u64);
        at += 1;
        for i in 0..len {
            cx.out
                .push_uint(Field::TlsHandshakeCompMethod, u8_at(msg, at + i)?);
        }
        at += len;
    } else {
        cx.out
            .push_uint(Field::TlsHandshakeCiphersuite, u16_at(msg, at)?);
        cx.out
            .push_uint(Field::TlsHandshakeCompMethod, u8_at(msg, at + 2)?);
        at += 3;
    }
    let total = usize::from(u16_at(msg, at)?);
    cx.out
        .push_uint(Field::TlsHandshakeExtensionsLength, total as u64);
    at += 2;
    let end = at + total;
    while at < end {
        let ext_type = u16_at(msg, at)?;
        let len = usize::from(u16_at(msg, at + 2)?);
        cx.out.push_uint(Field::TlsHandshakeExtensionType, ext_type);
        cx.out
            .push_uint(Field::TlsHandshakeExtensionLen, len as u64);
        let data = msg.get(at + 4..(at + 4 + len).min(msg.len()))?;
        extension(cx, ext_type, data, client);
        at += 4 + len;
    }
    Some(())
}

/// One extension's data, for the extensions this module decodes.
fn extension(cx: &mut Cx<'_, '_>, ext_type: u16, data: &[u8], client: bool) -> Option<()> {
    match ext_type {
        extension::SERVER_NAME if !data.is_empty() => {
            let list = usize::from(u16_at(data, 0)?);
            cx.out
                .push_uint(Field::TlsHandshakeExtensionsServerNameListLen, list as u64);
            let mut at = 2;
            while at < 2 + list {
                cx.out.push_uint(
                    Field::TlsHandshakeExtensionsServerNameType,
                    u8_at(data, at)?,
                );
                let len = usize::from(u16_at(data, at + 1)?);
                cx.out
                    .push_uint(Field::TlsHandshakeExtensionsServerNameLen, len as u64);
                let name = data.get(at + 3..at + 3 + len)?;
                push_text(cx, Field::TlsHandshakeExtensionsServerName, name);
                at += 3 + len;
            }
        }
        extension::ALPN => {
            let list = usize::from(u16_at(data, 0)?);
            cx.out
                .push_uint(Field::TlsHandshakeExtensionsAlpnLen, list as u64);
            let mut at = 2;
            while at < 2 + list {
                let len = usize::from(u8_at(data, at)?);
                cx.out
                    .push_uint(Field::TlsHandshakeExtensionsAlpnStrLen, len as u64);
                let name = data.get(at + 1..at + 1 + len)?;
                push_text(cx, Field::TlsHandshakeExtensionsAlpnStr, name);
                at += 1 + len;
            }
        }
        extension::SUPPORTED_GROUPS => {
            let len = usize::from(u16_at(data, 0)?);
            cx.out.push_uint(
                Field::TlsHandshakeExtensionsSupportedGroupsLength,
                len as u64,
            );
            for i in 0..len / 2 {
                cx.out.push_uint(
                    Field::TlsHandshakeExtensionsSupportedGroup,
                    u16_at(data, 2 + 2 * i)?,
                );
            }
        }
        extension::SUPPORTED_VERSIONS if client => {
            let len = usize::from(u8_at(data, 0)?);
            cx.out.push_uint(
                Field::TlsHandshakeExtensionsSupportedVersionsLen,
                len as u64,
            );
            for i in 0..len / 2 {
                cx.out.push_uint(
                    Field::TlsHandshakeExtensionsSupportedVersion,
                    u16_at(data, 1 + 2 * i)?,
                );
            }
        }
        extension::SUPPORTED_VERSIONS => {
            cx.out.push_uint(
                Field::TlsHandshakeExtensionsSupportedVersion,
                u16_at(data, 0)?,
            );
        }
        _ => {}
    }
    Some(())
}

/// Pushes raw bytes as a text field, in tshark's display.
fn push_text(cx: &mut Cx<'_, '_>, field: Field, raw: &[u8]) {
    if cx.out.wants(field) {
        let mut text = Vec::with_capacity(raw.len());
        push_display(&mut text, raw);
        cx.out.push_text(field, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8446_5_1_record_headers_have_a_known_type_and_version() {
        assert!(is_record_header(22, 0x0301));
        assert!(is_record_header(23, 0x0303));
        assert!(!is_record_header(25, 0x0303));
        assert!(!is_record_header(22, 0x0305));
        assert!(!is_record_header(b'G', 0x4554));
    }

    #[test]
    fn big_endian_reads_stop_at_the_end() {
        assert_eq!(u24_at(&[0, 1, 2, 3], 1), Some(0x010203));
        assert_eq!(u24_at(&[0, 1, 2], 1), None);
        assert_eq!(u16_at(&[1], 0), None);
    }
}
