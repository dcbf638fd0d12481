//! `dhcp`: BOOTP (RFC 951) and DHCPv4 (RFC 2131, options RFC 2132) on UDP ports 67 and 68,
//! with tshark 4.0's field names.
//!
//! tshark's order of work, which decides what a cut or odd message shows:
//! 1. when the magic cookie is captured and right, a first pass over the options looks for
//!    the message type (option 53); an option that runs past the captured bytes of a frame
//!    cut by the snapshot length but not past the datagram aborts the whole message (no
//!    `dhcp.*` field at all), one that runs past the datagram's end only ends the pass;
//! 2. the fixed header (nothing before op, htype and hlen are all captured; nothing of a
//!    request before its hardware address is), field by field up to the first one not
//!    captured, then the server
//!    host name and boot file name (when their first byte is not NUL);
//! 3. `dhcp.bootp` (1) when no message type was found, i.e. plain BOOTP;
//! 4. the cookie and each option: type, length, value, and the value decoded for the
//!    options below. A pad option (0) and the end option (255) both show `dhcp.option.type`
//!    0; a run of pads is one `dhcp.option.padding`, and so is everything after the end.

use super::table::{Dissector, Hook};
use super::value_text::{push_hex, push_stringz};
use super::Cx;
use crate::fields::{declare_fields, Field, Proto, Value};
use crate::stats::TreeNote;

declare_fields! {
    proto: Dhcp, name: "dhcp",
    DhcpBootp = "dhcp.bootp", Dec;
    DhcpType = "dhcp.type", Dec;
    DhcpHwType = "dhcp.hw.type", Hex2;
    DhcpHwLen = "dhcp.hw.len", Dec;
    DhcpHops = "dhcp.hops", Dec;
    DhcpId = "dhcp.id", Hex8;
    DhcpSecs = "dhcp.secs", Dec;
    DhcpFlags = "dhcp.flags", Hex4;
    DhcpFlagsBc = "dhcp.flags.bc", Dec;
    DhcpFlagsReserved = "dhcp.flags.reserved", Hex4;
    DhcpIpClient = "dhcp.ip.client", Ipv4;
    DhcpIpYour = "dhcp.ip.your", Ipv4;
    DhcpIpServer = "dhcp.ip.server", Ipv4;
    DhcpIpRelay = "dhcp.ip.relay", Ipv4;
    DhcpHwMacAddr = "dhcp.hw.mac_addr", Mac;
    DhcpHwAddrPadding = "dhcp.hw.addr_padding", Str;
    DhcpServer = "dhcp.server", Str;
    DhcpFile = "dhcp.file", Str;
    DhcpCookie = "dhcp.cookie", Ipv4;
    DhcpOptionType = "dhcp.option.type", Dec;
    DhcpOptionLength = "dhcp.option.length", Dec;
    DhcpOptionValue = "dhcp.option.value", Str;
    DhcpOptionPadding = "dhcp.option.padding", Str;
    DhcpOptionEnd = "dhcp.option.end", Dec;
    DhcpOptionSubnetMask = "dhcp.option.subnet_mask", Ipv4;
    DhcpOptionRouter = "dhcp.option.router", Ipv4;
    DhcpOptionDomainNameServer = "dhcp.option.domain_name_server", Ipv4;
    DhcpOptionHostname = "dhcp.option.hostname", Str;
    DhcpOptionRequestedIpAddress = "dhcp.option.requested_ip_address", Ipv4;
    DhcpOptionIpAddressLeaseTime = "dhcp.option.ip_address_lease_time", Dec;
    DhcpOptionDhcp = "dhcp.option.dhcp", Dec;
    DhcpOptionDhcpServerId = "dhcp.option.dhcp_server_id", Ipv4;
    DhcpOptionRequestListItem = "dhcp.option.request_list_item", Dec;
    DhcpOptionMessage = "dhcp.option.message", Str;
    DhcpOptionDomainName = "dhcp.option.domain_name", Str;
    DhcpOptionBroadcastAddress = "dhcp.option.broadcast_address", Ipv4;
    DhcpOptionRenewalTimeValue = "dhcp.option.renewal_time_value", Dec;
    DhcpOptionRebindingTimeValue = "dhcp.option.rebinding_time_value", Dec;
}

/// BOOTP/DHCP on its two UDP ports (server 67, client 68).
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Dhcp,
    hook: Hook::UdpPort(&[67, 68], dissect),
};

/// RFC 2131 3: the options start after the 236-byte fixed header and this cookie.
const COOKIE: [u8; 4] = [99, 130, 83, 99];
const OPTIONS_AT: usize = 240;

/// RFC 951 3: the op code of a request (a reply is 2).
const BOOTREQUEST: u8 = 1;

/// Option codes decoded here (RFC 2132 3-9).
mod option {
    pub const PAD: u8 = 0;
    pub const SUBNET_MASK: u8 = 1;
    pub const ROUTER: u8 = 3;
    pub const DOMAIN_NAME_SERVER: u8 = 6;
    pub const HOSTNAME: u8 = 12;
    pub const DOMAIN_NAME: u8 = 15;
    pub const BROADCAST_ADDRESS: u8 = 28;
    pub const REQUESTED_IP: u8 = 50;
    pub const LEASE_TIME: u8 = 51;
    pub const MESSAGE_TYPE: u8 = 53;
    pub const SERVER_ID: u8 = 54;
    pub const PARAMETER_LIST: u8 = 55;
    pub const MESSAGE: u8 = 56;
    pub const RENEWAL_TIME: u8 = 58;
    pub const REBINDING_TIME: u8 = 59;
    pub const CLIENT_ID: u8 = 61;
    pub const END: u8 = 255;
}

/// The message type option's value, if the options name one (step 1 of the module doc).
/// `uncaptured` is how many bytes of the datagram the snapshot length left out. `Err` when
/// the pass needs a byte that was on the wire but not captured (tshark's exception).
pub(super) fn message_type(options: &[u8], uncaptured: usize) -> Result<Option<u8>, ()> {
    let reported = options.len() + uncaptured;
    let (mut at, mut found) = (0, None);
    // Past the captured bytes: the end of the datagram, or tshark's exception.
    let ran_out = |end: usize, found| if end <= reported { Err(()) } else { Ok(found) };
    loop {
        let Some(&code) = options.get(at) else {
            return ran_out(at + 1, found);
        };
        match code {
            option::PAD => at += 1,
            option::END => return Ok(found),
            _ => {
                let Some(&len) = options.get(at + 1) else {
                    return ran_out(at + 2, found);
                };
                let end = at + 2 + usize::from(len);
                match options.get(at + 2..end) {
                    Some(v) => {
                        if code == option::MESSAGE_TYPE && !v.is_empty() {
                            found = found.or(Some(v[0]));
                        }
                        at = end;
                    }
                    None => return ran_out(end, found),
                }
            }
        }
    }
}

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let with_cookie = bytes.get(236..OPTIONS_AT) == Some(&COOKIE[..]);
    let first_pass = if with_cookie {
        // `None` where tshark's first pass threw: the protocol and nothing else.
        message_type(&bytes[OPTIONS_AT..], cx.uncaptured).ok()
    } else {
        Some(None)
    };
    cx.out.enter(Proto::Dhcp);
    // The text line reads the header as tcpdump does, byte by byte, whatever tshark shows.
    let start = cx.offset(bytes);
    cx.out.set_payload(Proto::Dhcp, start, bytes.len());
    let Some(message) = first_pass else {
        return;
    };
    // tshark reads the op code, hardware type and length before it adds any of them, and
    // before it adds the protocol to its tree.
    if bytes.len() < 3 {
        cx.out.note_tree(TreeNote::CutBeforeItem);
        return cx.header_cut("dhcp", bytes.len(), 3);
    }
    // tshark reads a request's client hardware address (for its info column) before it
    // adds the protocol and any field.
    if let [BOOTREQUEST, _, hlen, ..] = *bytes {
        if bytes.len() < 28 + usize::from(hlen.min(16)) {
            cx.out.note_tree(TreeNote::CutBeforeItem);
            return cx.header_cut("dhcp", bytes.len(), 28 + usize::from(hlen.min(16)));
        }
    }
    if header(cx, bytes).is_none() {
        return cx.header_cut("dhcp", bytes.len(), OPTIONS_AT);
    }
    if message.is_none() {
        cx.out.push_uint(Field::DhcpBootp, 1u8);
    }
    match bytes.get(236..OPTIONS_AT) {
        Some(cookie) if with_cookie => {
            cx.out.push(
                Field::DhcpCookie,
                Value::Ipv4([cookie[0], cookie[1], cookie[2], cookie[3]]),
            );
            options(cx, &bytes[OPTIONS_AT..]);
        }
        // A message that ends before the options.
        _ if bytes.len() < OPTIONS_AT => cx.header_cut("dhcp", bytes.len(), OPTIONS_AT),
        // A BOOTP vendor area: not decoded.
        _ => {}
    }
}

/// Reads `N` bytes at `at`, if captured.
fn take<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at + N)?.try_into().ok()
}

/// The fixed header (RFC 2131 2, figure 1) field by field; `None` at the first field not
/// captured.
fn header(cx: &mut Cx<'_, '_>, bytes: &[u8]) -> Option<()> {
    let singles = [
        Field::DhcpType,
        Field::DhcpHwType,
        Field::DhcpHwLen,
        Field::DhcpHops,
    ];
    for (i, field) in singles.into_iter().enumerate() {
        cx.out.push_uint(field, *bytes.get(i)?);
    }
    let (htype, hlen) = (bytes[1], bytes[2]);
    cx.out
        .push_uint(Field::DhcpId, u32::from_be_bytes(take::<4>(bytes, 4)?));
    cx.out
        .push_uint(Field::DhcpSecs, u16::from_be_bytes(take::<2>(bytes, 8)?));
    let flags = u16::from_be_bytes(take::<2>(bytes, 10)?);
    cx.out.push_uint(Field::DhcpFlags, flags);
    cx.out.push_uint(Field::DhcpFlagsBc, flags >> 15);
    cx.out.push_uint(Field::DhcpFlagsReserved, flags & 0x7fff);
    let addresses = [
        Field::DhcpIpClient,
        Field::DhcpIpYour,
        Field::DhcpIpServer,
        Field::DhcpIpRelay,
    ];
    for (i, field) in addresses.into_iter().enumerate() {
        cx.out
            .push(field, Value::Ipv4(take::<4>(bytes, 12 + 4 * i)?));
    }
    // An Ethernet address takes 6 of chaddr's 16 bytes; the rest is padding. Other
    // hardware types show `dhcp.hw.addr`, which zcdump does not declare.
    if htype == 1 && hlen == 6 {
        cx.out
            .push(Field::DhcpHwMacAddr, Value::Mac(take::<6>(bytes, 28)?));
        push_hex(cx.out, Field::DhcpHwAddrPadding, bytes.get(34..44)?);
    } else {
        bytes.get(28..44)?;
    }
    for (field, range) in [(Field::DhcpServer, 44..108), (Field::DhcpFile, 108..236)] {
        let text = bytes.get(range)?;
        if text[0] != 0 {
            push_stringz(cx.out, field, text);
        }
    }
    Some(())
}

/// The options after the cookie, each as far as it was captured.
fn options(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    let mut at = 0;
    while let Some(&code) = bytes.get(at) {
        match code {
            option::PAD => {
                let run = bytes[at..].iter().take_while(|&&b| b == 0).count();
                if at + run == bytes.len() && cx.uncaptured > 0 {
                    // The run may go on past the capture: tshark's exception.
                    return;
                }
                cx.out.push_uint(Field::DhcpOptionType, 0u8);
                push_hex(cx.out, Field::DhcpOptionPadding, &bytes[at..at + run]);
                at += run;
            }
            option::END => {
                cx.out.push_uint(Field::DhcpOptionType, 0u8);
                cx.out.push_uint(Field::DhcpOptionEnd, code);
                // The padding to the datagram's end, if all of it was captured.
                let rest = &bytes[at + 1..];
                if cx.uncaptured == 0 && !rest.is_empty() {
                    push_hex(cx.out, Field::DhcpOptionPadding, rest);
                }
                return;
            }
            _ => {
                cx.out.push_uint(Field::DhcpOptionType, code);
                let Some(&len) = bytes.get(at + 1) else {
                    return cx.header_cut("dhcp", bytes.len(), at + 2);
                };
                cx.out.push_uint(Field::DhcpOptionLength, len);
                let Some(value) = bytes.get(at + 2..at + 2 + usize::from(len)) else {
                    if !cx.snapped {
                        cx.malformed_text("dhcp", "an option runs past the end of the message");
                    }
                    return;
                };
                push_hex(cx.out, Field::DhcpOptionValue, value);
                decode(cx, code, value);
                at += 2 + usize::from(len);
            }
        }
    }
}

/// The decoded value of the options zcdump knows; others show only type, length, value.
fn decode(cx: &mut Cx<'_, '_>, code: u8, value: &[u8]) {
    let address = |field| {
        move |cx: &mut Cx<'_, '_>, v: &[u8]| {
            if let Ok(a) = <[u8; 4]>::try_from(v) {
                cx.out.push(field, Value::Ipv4(a));
            }
        }
    };
    let addresses = |field| {
        move |cx: &mut Cx<'_, '_>, v: &[u8]| {
            if v.len().is_multiple_of(4) {
                for a in v.chunks_exact(4) {
                    cx.out.push(field, Value::Ipv4([a[0], a[1], a[2], a[3]]));
                }
            }
        }
    };
    let seconds = |field| {
        move |cx: &mut Cx<'_, '_>, v: &[u8]| {
            if let Ok(t) = <[u8; 4]>::try_from(v) {
                cx.out.push_uint(field, u32::from_be_bytes(t));
            }
        }
    };
    match code {
        option::SUBNET_MASK => address(Field::DhcpOptionSubnetMask)(cx, value),
        option::ROUTER => addresses(Field::DhcpOptionRouter)(cx, value),
        option::DOMAIN_NAME_SERVER => addresses(Field::DhcpOptionDomainNameServer)(cx, value),
        option::REQUESTED_IP => address(Field::DhcpOptionRequestedIpAddress)(cx, value),
        option::SERVER_ID => address(Field::DhcpOptionDhcpServerId)(cx, value),
        option::HOSTNAME => push_stringz(cx.out, Field::DhcpOptionHostname, value),
        option::MESSAGE => push_stringz(cx.out, Field::DhcpOptionMessage, value),
        option::DOMAIN_NAME => push_stringz(cx.out, Field::DhcpOptionDomainName, value),
        option::BROADCAST_ADDRESS => address(Field::DhcpOptionBroadcastAddress)(cx, value),
        option::LEASE_TIME => seconds(Field::DhcpOptionIpAddressLeaseTime)(cx, value),
        option::RENEWAL_TIME => seconds(Field::DhcpOptionRenewalTimeValue)(cx, value),
        option::REBINDING_TIME => seconds(Field::DhcpOptionRebindingTimeValue)(cx, value),
        option::MESSAGE_TYPE => {
            if let [t] = value {
                cx.out.push_uint(Field::DhcpOptionDhcp, *t);
            }
        }
        option::PARAMETER_LIST => {
            for &item in value {
                cx.out.push_uint(Field::DhcpOptionRequestListItem, item);
            }
        }
        // RFC 2132 9.14 with an Ethernet address (type 1): tshark shows it as the header's
        // hardware type and address.
        option::CLIENT_ID => {
            if let [1, mac @ ..] = value {
                if let Ok(mac) = <[u8; 6]>::try_from(mac) {
                    cx.out.push_uint(Field::DhcpHwType, 1u8);
                    cx.out.push(Field::DhcpHwMacAddr, Value::Mac(mac));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_pass_finds_the_message_type_after_pads() {
        let options = [0, 0, 12, 1, b'a', 53, 1, 3, 255];
        assert_eq!(message_type(&options, 0), Ok(Some(3)));
        assert_eq!(message_type(&[12, 1, b'a', 255, 53, 1, 3], 0), Ok(None));
    }

    #[test]
    fn first_pass_reads_every_option_even_after_the_type() {
        assert_eq!(message_type(&[53, 1, 3, 12, 5, b'a'], 0), Ok(Some(3)));
        assert_eq!(message_type(&[53, 1, 3, 12, 5, b'a'], 4), Err(()));
    }

    #[test]
    fn first_pass_aborts_only_where_the_snapshot_cut_it() {
        let cut = [53, 1];
        assert_eq!(message_type(&cut, 5), Err(()));
        assert_eq!(message_type(&cut, 0), Ok(None));
        assert_eq!(message_type(&[], 1), Err(()));
        // The option runs past the datagram's reported end too: the pass just ends.
        assert_eq!(message_type(&[53, 1, 5, 12, 9, b'a'], 1), Ok(Some(5)));
    }
}
