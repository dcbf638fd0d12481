//! `ntp`: NTP packets (RFC 5905 7.3) on UDP port 123, with tshark 4.0's field names: the
//! flags byte and its leap indicator, version and mode, then the header's fixed fields and
//! four timestamps, each shown if all its bytes were captured. Root delay and dispersion
//! print as their raw 32-bit values and the precision as an unsigned byte, as tshark's
//! fields do; a zero timestamp prints `NULL`.
//!
//! Control (mode 6) and private (mode 7) messages have other layouts; zcdump shows their
//! flags only. Extension fields and the MAC are not decoded.

use super::table::{Dissector, Hook};
use super::value_text::{push_hex, push_ntp_time};
use super::Cx;
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Ntp, name: "ntp",
    NtpFlags = "ntp.flags", Hex2;
    NtpFlagsLi = "ntp.flags.li", Dec;
    NtpFlagsVn = "ntp.flags.vn", Dec;
    NtpFlagsMode = "ntp.flags.mode", Dec;
    NtpStratum = "ntp.stratum", Dec;
    NtpPpoll = "ntp.ppoll", Dec;
    NtpPrecision = "ntp.precision", Dec;
    NtpRootdelay = "ntp.rootdelay", Dec;
    NtpRootdispersion = "ntp.rootdispersion", Dec;
    NtpRefid = "ntp.refid", Str;
    NtpReftime = "ntp.reftime", Str;
    NtpOrg = "ntp.org", Str;
    NtpRec = "ntp.rec", Str;
    NtpXmt = "ntp.xmt", Str;
}

/// NTP on its UDP port.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Ntp,
    hook: Hook::UdpPort(&[123], dissect),
};

/// RFC 5905 7.3: modes with other layouts (RFC 1305 appendix B control, ntpd's private).
const MODE_CONTROL: u8 = 6;
const MODE_PRIVATE: u8 = 7;

/// The flags byte split as RFC 5905 figure 8: (leap indicator, version, mode).
pub(super) fn split_flags(flags: u8) -> (u8, u8, u8) {
    (flags >> 6, flags >> 3 & 7, flags & 7)
}

fn dissect(cx: &mut Cx<'_, '_>, bytes: &[u8]) {
    cx.out.enter(Proto::Ntp);
    let Some(&flags) = bytes.first() else {
        return;
    };
    let (li, vn, mode) = split_flags(flags);
    cx.out.push_uint(Field::NtpFlags, flags);
    cx.out.push_uint(Field::NtpFlagsLi, li);
    cx.out.push_uint(Field::NtpFlagsVn, vn);
    cx.out.push_uint(Field::NtpFlagsMode, mode);
    if mode == MODE_CONTROL || mode == MODE_PRIVATE {
        return;
    }
    if header(cx, bytes).is_none() {
        cx.header_cut("ntp", bytes.len(), 48);
    }
}

/// The fields after the flags, up to the first one not captured.
fn header(cx: &mut Cx<'_, '_>, bytes: &[u8]) -> Option<()> {
    for (at, field) in [
        (1, Field::NtpStratum),
        (2, Field::NtpPpoll),
        (3, Field::NtpPrecision),
    ] {
        cx.out.push_uint(field, *bytes.get(at)?);
    }
    for (at, field) in [(4, Field::NtpRootdelay), (8, Field::NtpRootdispersion)] {
        let word: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        cx.out.push_uint(field, u32::from_be_bytes(word));
    }
    push_hex(cx.out, Field::NtpRefid, bytes.get(12..16)?);
    let stamps = [
        Field::NtpReftime,
        Field::NtpOrg,
        Field::NtpRec,
        Field::NtpXmt,
    ];
    for (i, field) in stamps.into_iter().enumerate() {
        let at = 16 + 8 * i;
        push_ntp_time(cx.out, field, bytes.get(at..at + 8)?.try_into().ok()?);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_5905_flags_are_two_three_three_bits() {
        assert_eq!(split_flags(0xe3), (3, 4, 3));
        assert_eq!(split_flags(0x24), (0, 4, 4));
        assert_eq!(split_flags(0x19), (0, 3, 1));
    }
}
