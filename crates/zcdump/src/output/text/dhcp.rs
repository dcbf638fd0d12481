//! DHCPv4 and DHCPv6 as `tcpdump -n` prints them (without `-v`):
//! `BOOTP/DHCP, Request from 02:00:00:00:00:0c, length 274` (the client's address only in
//! a request with an Ethernet hardware address), `BOOTP/DHCP, Reply, length 276`, and
//! `dhcp6 solicit` with RFC 8415's message names as tcpdump spells them (`relay-fwd`,
//! `inf-req`, `msgtype-N` for the others). A header the capture cut before what tcpdump
//! reads ends in tcpdump's `[|bootp]` or `[|dhcp6]`. The DHCPv4 line reads the message's
//! bytes, not the fields, since tshark shows no field of some messages tcpdump prints
//! (a cut request, options cut by the snapshot length).

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto, Value};

/// DHCPv4.
pub(super) const DHCP: TextSummary = TextSummary {
    proto: Proto::Dhcp,
    fields: &[Field::UdpLength],
    write: dhcp,
};

/// DHCPv6.
pub(super) const DHCPV6: TextSummary = TextSummary {
    proto: Proto::Dhcpv6,
    fields: &[Field::Dhcpv6Msgtype],
    write: dhcpv6,
};

fn dhcp(line: &mut Line<'_>) {
    // RFC 951 3: op, htype, hlen, ..., chaddr at 28; read as tcpdump reads them.
    let message = line
        .fields()
        .payload(Proto::Dhcp, line.frame())
        .unwrap_or(&[]);
    let Some(&op) = message.first() else {
        return line.put(b" [|bootp]");
    };
    line.put(b"BOOTP/DHCP, ");
    match op {
        1 => line.put(b"Request"),
        2 => line.put(b"Reply"),
        _ => {
            line.put(b"unknown (");
            line.hex(u64::from(op), 2);
            line.byte(b')');
        }
    }
    let (Some(&htype), Some(&hlen)) = (message.get(1), message.get(2)) else {
        return line.put(b" [|bootp]");
    };
    if op == 1 && htype == 1 && hlen == 6 {
        let Some(mac) = message
            .get(28..34)
            .and_then(|m| <[u8; 6]>::try_from(m).ok())
        else {
            return line.put(b" [|bootp]");
        };
        line.put(b" from ");
        line.value(Value::Mac(mac));
    }
    line.put(b", length ");
    let udp_length = line.fields().uint(Field::UdpLength).unwrap_or(8);
    line.dec(udp_length.saturating_sub(8));
}

/// tcpdump's names of the DHCPv6 message types (RFC 8415 7.3).
fn dhcpv6_name(msgtype: u64) -> Option<&'static [u8]> {
    const NAMES: [&[u8]; 13] = [
        b"solicit",
        b"advertise",
        b"request",
        b"confirm",
        b"renew",
        b"rebind",
        b"reply",
        b"release",
        b"decline",
        b"reconfigure",
        b"inf-req",
        b"relay-fwd",
        b"relay-reply",
    ];
    let index = usize::try_from(msgtype.checked_sub(1)?).ok()?;
    NAMES.get(index).copied()
}

fn dhcpv6(line: &mut Line<'_>) {
    line.put(b"dhcp6");
    let Some(msgtype) = line.uint(Field::Dhcpv6Msgtype) else {
        return line.put(b" [|dhcp6]");
    };
    line.byte(b' ');
    match dhcpv6_name(msgtype) {
        Some(name) => line.put(name),
        None => {
            line.put(b"msgtype-");
            line.dec(msgtype);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhcpv6_names_follow_rfc_8415_numbers() {
        assert_eq!(dhcpv6_name(1), Some(&b"solicit"[..]));
        assert_eq!(dhcpv6_name(11), Some(&b"inf-req"[..]));
        assert_eq!(dhcpv6_name(12), Some(&b"relay-fwd"[..]));
        assert_eq!(dhcpv6_name(0), None);
        assert_eq!(dhcpv6_name(14), None);
    }
}
