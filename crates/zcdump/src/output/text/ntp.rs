//! NTP as `tcpdump -n` prints it (without `-v`): `NTPv4, Client, length 48`, the mode
//! named as tcpdump names it (RFC 5905 7.3's modes; `symmetric active`, `Client`,
//! `Server`, `Broadcast`, `Control Message`, ...). A message cut before its first byte ends
//! in tcpdump's `[|ntp]`.

use super::line::Line;
use super::summaries::TextSummary;
use crate::fields::{Field, Proto};

/// NTP.
pub(super) const NTP: TextSummary = TextSummary {
    proto: Proto::Ntp,
    fields: &[Field::NtpFlagsVn, Field::NtpFlagsMode, Field::UdpLength],
    write: ntp,
};

/// tcpdump's names of the eight modes.
const MODES: [&[u8]; 8] = [
    b"unspecified",
    b"symmetric active",
    b"symmetric passive",
    b"Client",
    b"Server",
    b"Broadcast",
    b"Control Message",
    b"Reserved",
];

fn ntp(line: &mut Line<'_>) {
    let (Some(version), Some(mode)) =
        (line.uint(Field::NtpFlagsVn), line.uint(Field::NtpFlagsMode))
    else {
        return line.put(b"[|ntp]");
    };
    line.put(b"NTPv");
    line.dec(version);
    line.put(b", ");
    line.put(MODES[(mode & 7) as usize]);
    line.put(b", length ");
    let udp_length = line.fields().uint(Field::UdpLength).unwrap_or(8);
    line.dec(udp_length.saturating_sub(8));
}
