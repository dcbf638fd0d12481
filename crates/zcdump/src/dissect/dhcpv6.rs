//! `dhcpv6`: DHCPv6 messages (RFC 8415 8, relay messages 9) on UDP ports 546 and 547, with
//! tshark 4.0's field names: the message type and transaction ID (hop count and the two
//! addresses of a relay message), then every option's code and length in the order tshark
//! walks them, depth first (an IA's address options before the next option; a relayed
//! message's own type and options inside its relay message option). Decoded: client and
//! server DUIDs (RFC 8415 11: link-layer address plus time, and link-layer address), IA_NA
//! and IA_TA, IA addresses, the option request list and the elapsed time.
//!
//! Fields are shown up to the first one not captured, as tshark does.

use super::table::{Dissector, Hook};
use super::value_text::{push_hex, push_hex_to, push_stringz, push_utc};
use super::Cx;
use crate::fields::{declare_fields, Field, Proto, Value};

declare_fields! {
    proto: Dhcpv6, name: "dhcpv6",
    Dhcpv6Msgtype = "dhcpv6.msgtype", Dec;
    Dhcpv6Hopcount = "dhcpv6.hopcount", Dec;
    Dhcpv6Xid = "dhcpv6.xid", Hex6;
    Dhcpv6Linkaddr = "dhcpv6.linkaddr", Ipv6;
    Dhcpv6Peeraddr = "dhcpv6.peeraddr", Ipv6;
    Dhcpv6OptionType = "dhcpv6.option.type", Dec;
    Dhcpv6OptionLength = "dhcpv6.option.length", Dec;
    Dhcpv6DuidBytes = "dhcpv6.duid.bytes", Str;
    Dhcpv6DuidType = "dhcpv6.duid.type", Dec;
    Dhcpv6DuidlltTime = "dhcpv6.duidllt.time", Str;
    Dhcpv6DuidlltLinkLayerAddr = "dhcpv6.duidllt.link_layer_addr", Str;
    Dhcpv6DuidlltHwtype = "dhcpv6.duidllt.hwtype", Dec;
    Dhcpv6DuidllHwtype = "dhcpv6.duidll.hwtype", Dec;
    Dhcpv6DuidllLinkLayerAddr = "dhcpv6.duidll.link_layer_addr", Str;
    Dhcpv6Iaid = "dhcpv6.iaid", Str;
    Dhcpv6IaidT1 = "dhcpv6.iaid.t1", Dec;
    Dhcpv6IaidT2 = "dhcpv6.iaid.t2", Dec;
    Dhcpv6IaaddrIp = "dhcpv6.iaaddr.ip", Ipv6;
    Dhcpv6IaaddrPrefLifetime = "dhcpv6.iaaddr.pref_lifetime", Dec;
    Dhcpv6IaaddrValidLifetime = "dhcpv6.iaaddr.valid_lifetime", Dec;
    Dhcpv6RequestedOptionCode = "dhcpv6.requested_option_code", Dec;
    Dhcpv6ElapsedTime = "dhcpv6.elapsed_time", Dec;
    Dhcpv6StatusCode = "dhcpv6.status_code", Dec;
    Dhcpv6StatusMsg = "dhcpv6.status_msg", Str;
    Dhcpv6DnsServer = "dhcpv6.dns_server", Ipv6;
}

/// DHCPv6 on its client (546) and server/relay (547) ports.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Dhcpv6,
    hook: Hook::UdpPort(&[546, 547], dissect),
};

/// RFC 8415 7.3: the relay message types.
const RELAY_FORW: u8 = 12;
const RELAY_REPL: u8 = 13;

/// RFC 8415 21: option codes decoded here.
mod option {
    pub const CLIENT_ID: u16 = 1;
    pub const SERVER_ID: u16 = 2;
    pub const IA_NA: u16 = 3;
    pub const IA_TA: u16 = 4;
    pub const IAADDR: u16 = 5;
    pub const ORO: u16 = 6;
    pub const ELAPSED_TIME: u16 = 8;
    pub const RELAY_MSG: u16 = 9;
    pub const STATUS_CODE: u16 = 13;
    pub const DNS_SERVERS: u16 = 23;
}

/// RFC 8415 11.2: DUID-LLT times count seconds from 2000-01-01 00:00 UTC.
const DUID_EPOCH: i64 = 946_684_800;

/// RFC 8415 7.6: relays nest at most 32 deep.
const MAX_DEPTH: usize = 32;

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Dhcpv6);
    if message(cx, bytes, 0).is_none() {
        cx.header_cut("dhcpv6", bytes.len(), bytes.len() + 1);
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn ipv6_at(bytes: &[u8], at: usize) -> Option<Value> {
    Some(Value::Ipv6(bytes.get(at..at + 16)?.try_into().ok()?))
}

/// A message (client/server or relay); `None` where the capture ran out.
fn message(cx: &mut Cx<'_, '_>, bytes: &[u8], depth: usize) -> Option<()> {
    let msgtype = *bytes.first()?;
    cx.out.push_uint(Field::Dhcpv6Msgtype, msgtype);
    if msgtype == RELAY_FORW || msgtype == RELAY_REPL {
        cx.out.push_uint(Field::Dhcpv6Hopcount, *bytes.get(1)?);
        cx.out.push(Field::Dhcpv6Linkaddr, ipv6_at(bytes, 2)?);
        cx.out.push(Field::Dhcpv6Peeraddr, ipv6_at(bytes, 18)?);
        options(cx, bytes.get(34..)?, depth)
    } else {
        let xid = bytes.get(1..4)?;
        cx.out.push_uint(
            Field::Dhcpv6Xid,
            u32::from_be_bytes([0, xid[0], xid[1], xid[2]]),
        );
        options(cx, bytes.get(4..)?, depth)
    }
}

/// Options one after another to the end of `bytes`.
fn options(cx: &mut Cx<'_, '_>, bytes: &[u8], depth: usize) -> Option<()> {
    let mut at = 0;
    // Fewer than 4 bytes left hold no option; tshark ignores them (not malformed).
    while bytes.len() - at >= 4 {
        let code = u16_at(bytes, at)?;
        let len = usize::from(u16_at(bytes, at + 2)?);
        // tshark takes the whole option before it shows any of it.
        let body = bytes.get(at + 4..at + 4 + len)?;
        cx.out.push_uint(Field::Dhcpv6OptionType, code);
        cx.out.push_uint(Field::Dhcpv6OptionLength, len as u64);
        decode(cx, code, body, depth)?;
        at += 4 + len;
    }
    Some(())
}

/// One option's body.
fn decode(cx: &mut Cx<'_, '_>, code: u16, body: &[u8], depth: usize) -> Option<()> {
    match code {
        option::CLIENT_ID | option::SERVER_ID => duid(cx, body),
        option::IA_NA | option::IA_TA => {
            if let Some(iaid) = body.get(..4) {
                push_hex(cx.out, Field::Dhcpv6Iaid, iaid);
            }
            if code == option::IA_TA {
                return options(cx, body.get(4..)?, depth);
            }
            cx.out.push_uint(Field::Dhcpv6IaidT1, u32_at(body, 4)?);
            cx.out.push_uint(Field::Dhcpv6IaidT2, u32_at(body, 8)?);
            options(cx, body.get(12..)?, depth)
        }
        option::IAADDR => {
            cx.out.push(Field::Dhcpv6IaaddrIp, ipv6_at(body, 0)?);
            cx.out
                .push_uint(Field::Dhcpv6IaaddrPrefLifetime, u32_at(body, 16)?);
            cx.out
                .push_uint(Field::Dhcpv6IaaddrValidLifetime, u32_at(body, 20)?);
            options(cx, body.get(24..)?, depth)
        }
        option::ORO => {
            for pair in body.chunks_exact(2) {
                cx.out.push_uint(
                    Field::Dhcpv6RequestedOptionCode,
                    u16::from_be_bytes([pair[0], pair[1]]),
                );
            }
            Some(())
        }
        option::ELAPSED_TIME => {
            cx.out.push_uint(Field::Dhcpv6ElapsedTime, u16_at(body, 0)?);
            Some(())
        }
        option::RELAY_MSG if depth < MAX_DEPTH => message(cx, body, depth + 1),
        // RFC 8415 21.13: a code, then a UTF-8 message to the option's end.
        // A body too short for the code shows nothing of it, and the next option follows.
        option::STATUS_CODE => {
            if let Some(status) = u16_at(body, 0) {
                cx.out.push_uint(Field::Dhcpv6StatusCode, status);
            }
            if body.len() > 2 {
                push_stringz(cx.out, Field::Dhcpv6StatusMsg, &body[2..]);
            }
            Some(())
        }
        // RFC 3646 3: addresses, 16 bytes each; tshark shows none of a list of another length.
        option::DNS_SERVERS => {
            if body.len().is_multiple_of(16) {
                for a in body.chunks_exact(16) {
                    cx.out.push(Field::Dhcpv6DnsServer, ipv6_at(a, 0)?);
                }
            }
            Some(())
        }
        _ => Some(()),
    }
}

/// A DUID (RFC 8415 11): its bytes and type, and the parts of the two link-layer kinds.
fn duid(cx: &mut Cx<'_, '_>, body: &[u8]) -> Option<()> {
    push_hex(cx.out, Field::Dhcpv6DuidBytes, body);
    let kind = u16_at(body, 0)?;
    cx.out.push_uint(Field::Dhcpv6DuidType, kind);
    match kind {
        1 => {
            cx.out
                .push_uint(Field::Dhcpv6DuidlltHwtype, u16_at(body, 2)?);
            let time = u32_at(body, 4)?;
            if cx.out.wants(Field::Dhcpv6DuidlltTime) {
                let mut text = Vec::with_capacity(36);
                push_utc(&mut text, DUID_EPOCH + i64::from(time), 0);
                cx.out.push_text(Field::Dhcpv6DuidlltTime, &text);
            }
            link_address(cx, Field::Dhcpv6DuidlltLinkLayerAddr, body.get(8..)?);
        }
        3 => {
            cx.out
                .push_uint(Field::Dhcpv6DuidllHwtype, u16_at(body, 2)?);
            link_address(cx, Field::Dhcpv6DuidllLinkLayerAddr, body.get(4..)?);
        }
        _ => {}
    }
    Some(())
}

/// A link-layer address as tshark's string: hex bytes joined by colons.
fn link_address(cx: &mut Cx<'_, '_>, field: Field, raw: &[u8]) {
    if raw.is_empty() || !cx.out.wants(field) {
        return;
    }
    let mut text = Vec::with_capacity(raw.len() * 3);
    for (i, b) in raw.iter().enumerate() {
        if i > 0 {
            text.push(b':');
        }
        push_hex_to(&mut text, &[*b]);
    }
    cx.out.push_text(field, &text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::FrameFields;

    /// The fields of `msg` dissected as a whole DHCPv6 message.
    fn dissected(msg: &[u8]) -> FrameFields {
        let mut out = FrameFields::default();
        let mut cx = Cx {
            out: &mut out,
            frame: msg,
            snapped: false,
            uncaptured: 0,
            verify: false,
            ts_sec: 0,
            memory: None,
        };
        dissect(&mut cx, msg);
        out
    }

    #[test]
    fn relay_nests_its_message_depth_first() {
        // RELAY-FORW, hop 1, two addresses, a relay message option holding a SOLICIT
        // (xid 0x000055) with an elapsed time option.
        let mut msg = vec![12, 1];
        msg.extend_from_slice(&[0; 32]);
        let inner = [1, 0, 0, 0x55, 0, 8, 0, 2, 0, 7];
        msg.extend_from_slice(&[0, 9, 0, inner.len() as u8]);
        msg.extend_from_slice(&inner);
        let out = dissected(&msg);
        let types: Vec<Value> = out.all(Field::Dhcpv6Msgtype).collect();
        assert_eq!(types, [Value::Uint(12), Value::Uint(1)]);
        let options: Vec<Value> = out.all(Field::Dhcpv6OptionType).collect();
        assert_eq!(options, [Value::Uint(9), Value::Uint(8)]);
        assert_eq!(out.uint(Field::Dhcpv6ElapsedTime), Some(7));
        assert!(out.malformed().is_none());
    }

    #[test]
    fn status_code_too_short_shows_nothing_and_dns_servers_need_whole_addresses() {
        // REPLY: a 1-byte status code, a DNS server list of 17 bytes, one of 16, a status
        // "ok" with code 0.
        let mut msg = vec![7, 0, 0, 1, 0, 13, 0, 1, 0, 0, 23, 0, 17];
        msg.extend_from_slice(&[0x20; 17]);
        msg.extend_from_slice(&[0, 23, 0, 16]);
        msg.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        msg.extend_from_slice(&[0; 11]);
        msg.push(1);
        msg.extend_from_slice(&[0, 13, 0, 4, 0, 0, b'o', b'k']);
        let out = dissected(&msg);
        let options: Vec<Value> = out.all(Field::Dhcpv6OptionType).collect();
        assert_eq!(options.len(), 4);
        let mut server = [0u8; 16];
        server[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        server[15] = 1;
        let servers: Vec<Value> = out.all(Field::Dhcpv6DnsServer).collect();
        assert_eq!(servers, [Value::Ipv6(server)]);
        let codes: Vec<Value> = out.all(Field::Dhcpv6StatusCode).collect();
        assert_eq!(codes, [Value::Uint(0)]);
        let Some(Value::Text(msg)) = out.first(Field::Dhcpv6StatusMsg) else {
            panic!("a status message");
        };
        assert_eq!(out.text(msg), b"ok");
        assert!(out.malformed().is_none());
    }
}
