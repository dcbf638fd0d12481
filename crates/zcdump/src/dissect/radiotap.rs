//! `radiotap`: the radiotap header before an 802.11 frame (`LINKTYPE_IEEE802_11_RADIOTAP`,
//! 127): version, length, the present bitmap and the fields tshark users filter on (MAC
//! time, flags, rate, channel, antenna signal, antenna). All its integers are little-endian,
//! and each field is aligned to its own size from the header's start (radiotap.org,
//! "Alignment in Radiotap").
//!
//! The signal (a signed dBm value) and the rate (a decimal that may end in `.5`) are kept as
//! text, printed exactly as tshark prints them; the filter compares them as text.

use super::table::{Dissector, Hook};
use super::{wlan, Cx};
use crate::fields::{declare_fields, Field, Proto};

declare_fields! {
    proto: Radiotap, name: "radiotap",
    RadiotapVersion = "radiotap.version", Dec;
    RadiotapPad = "radiotap.pad", Dec;
    RadiotapLength = "radiotap.length", Dec;
    RadiotapPresentWord = "radiotap.present.word", Hex8;
    RadiotapPresentTsft = "radiotap.present.tsft", Dec;
    RadiotapPresentFlags = "radiotap.present.flags", Dec;
    RadiotapPresentRate = "radiotap.present.rate", Dec;
    RadiotapPresentChannel = "radiotap.present.channel", Dec;
    RadiotapPresentDbmAntsignal = "radiotap.present.dbm_antsignal", Dec;
    RadiotapPresentAntenna = "radiotap.present.antenna", Dec;
    RadiotapPresentExt = "radiotap.present.ext", Dec;
    RadiotapMactime = "radiotap.mactime", Dec;
    RadiotapFlags = "radiotap.flags", Hex2;
    RadiotapFlagsFcs = "radiotap.flags.fcs", Dec;
    RadiotapDatarate = "radiotap.datarate", Str;
    RadiotapChannelFreq = "radiotap.channel.freq", Dec;
    RadiotapChannelFlags = "radiotap.channel.flags", Hex4;
    RadiotapDbmAntsignal = "radiotap.dbm_antsignal", Str;
    RadiotapAntenna = "radiotap.antenna", Dec;
}

/// 802.11 frames after a radiotap header.
pub(super) const DISSECTOR: Dissector = Dissector {
    proto: Proto::Radiotap,
    hook: Hook::LinkType(&[LINKTYPE_IEEE802_11_RADIOTAP], dissect),
};

const LINKTYPE_IEEE802_11_RADIOTAP: u32 = 127;

/// Present bits (radiotap.org, "Defined fields").
const TSFT: u32 = 0;
const FLAGS: u32 = 1;
const RATE: u32 = 2;
const CHANNEL: u32 = 3;
const DBM_ANTSIGNAL: u32 = 5;
const ANTENNA: u32 = 11;
const EXT: u32 = 31;

/// Flags bit: the frame ends in a 4-byte FCS.
const FLAG_FCS: u8 = 0x10;

/// (alignment, size) of the fields of present bits 0 to 11, in bit order: the fields a
/// parser must step over to reach the antenna (bit 11).
const LAYOUT: [(usize, usize); 12] = [
    (8, 8), // TSFT
    (1, 1), // flags
    (1, 1), // rate
    (2, 4), // channel: frequency, flags
    (2, 2), // FHSS: hop set, pattern
    (1, 1), // dBm antenna signal
    (1, 1), // dBm antenna noise
    (2, 2), // lock quality
    (2, 2), // TX attenuation
    (2, 2), // dB TX attenuation
    (1, 1), // dBm TX power
    (1, 1), // antenna
];

/// The present bits tshark shows as `radiotap.present.*` booleans, with their fields.
const PRESENT_BITS: [(u32, Field); 7] = [
    (TSFT, Field::RadiotapPresentTsft),
    (FLAGS, Field::RadiotapPresentFlags),
    (RATE, Field::RadiotapPresentRate),
    (CHANNEL, Field::RadiotapPresentChannel),
    (DBM_ANTSIGNAL, Field::RadiotapPresentDbmAntsignal),
    (ANTENNA, Field::RadiotapPresentAntenna),
    (EXT, Field::RadiotapPresentExt),
];

fn dissect(cx: &mut Cx<'_, '_>, frame: &[u8]) {
    cx.out.enter(Proto::Radiotap);
    let Some(&[version, pad, l0, l1]) = frame.first_chunk::<4>() else {
        if let Some(&version) = frame.first() {
            cx.out.push_uint(Field::RadiotapVersion, version);
        }
        return cx.header_cut("radiotap", frame.len(), 8);
    };
    let length = u16::from_le_bytes([l0, l1]);
    cx.out.push_uint(Field::RadiotapVersion, version);
    cx.out.push_uint(Field::RadiotapPad, pad);
    cx.out.push_uint(Field::RadiotapLength, length);
    let Some(header) = frame.get(..usize::from(length)) else {
        return cx.header_cut("radiotap", frame.len(), usize::from(length));
    };
    // The present words: each with bit 31 set is followed by another.
    let mut words = 0;
    let mut first = 0;
    loop {
        let at = 4 + 4 * words;
        let Some(&word) = header.get(at..).and_then(|b| b.first_chunk::<4>()) else {
            return cx.malformed_text("radiotap", "present bitmap runs past the header length");
        };
        let word = u32::from_le_bytes(word);
        cx.out.push_uint(Field::RadiotapPresentWord, word);
        if words == 0 {
            first = word;
        }
        words += 1;
        if word >> EXT & 1 == 0 {
            break;
        }
    }
    for (bit, field) in PRESENT_BITS {
        cx.out.push_uint(field, first >> bit & 1);
    }
    let flags = fields(cx, header, 4 + 4 * words, first);
    let rest = frame.get(usize::from(length)..).unwrap_or(&[]);
    // The FCS is the last 4 bytes on the wire: a capture cut by its snapshot length lacks
    // them (tshark then shows no `wlan.fcs` and keeps every captured byte as the frame).
    if flags.is_some_and(|f| f & FLAG_FCS != 0) && !cx.snapped {
        match rest.len().checked_sub(4) {
            Some(body) => {
                let (frame, fcs) = rest.split_at(body);
                wlan::dissect_with_fcs(cx, frame, fcs);
            }
            None => wlan::dissect(cx, rest),
        }
    } else {
        wlan::dissect(cx, rest);
    }
}

/// Pushes the fields of present bits 0 to 11 of the first word (`first`), which start at
/// `start` in `header`; returns the flags byte when there is one.
fn fields(cx: &mut Cx<'_, '_>, header: &[u8], start: usize, first: u32) -> Option<u8> {
    let mut at = start;
    let mut flags = None;
    for (bit, &(align, size)) in (0u32..).zip(LAYOUT.iter()) {
        if first >> bit & 1 == 0 {
            continue;
        }
        at = at.next_multiple_of(align);
        let Some(bytes) = header.get(at..at.saturating_add(size)) else {
            cx.malformed_text("radiotap", "a present field runs past the header length");
            return flags;
        };
        match (bit, bytes) {
            (TSFT, &[a, b, c, d, e, f, g, h]) => {
                let mactime = u64::from_le_bytes([a, b, c, d, e, f, g, h]);
                cx.out.push_uint(Field::RadiotapMactime, mactime);
            }
            (FLAGS, &[f]) => {
                flags = Some(f);
                cx.out.push_uint(Field::RadiotapFlags, f);
                cx.out
                    .push_uint(Field::RadiotapFlagsFcs, u8::from(f & FLAG_FCS != 0));
            }
            (RATE, &[rate]) => push_rate(cx, rate),
            (CHANNEL, &[f0, f1, g0, g1]) => {
                cx.out
                    .push_uint(Field::RadiotapChannelFreq, u16::from_le_bytes([f0, f1]));
                cx.out
                    .push_uint(Field::RadiotapChannelFlags, u16::from_le_bytes([g0, g1]));
            }
            (DBM_ANTSIGNAL, &[dbm]) => push_signal(cx, dbm as i8),
            (ANTENNA, &[antenna]) => cx.out.push_uint(Field::RadiotapAntenna, antenna),
            _ => {}
        }
        at += size;
    }
    flags
}

/// `radiotap.datarate`: the rate byte counts 500 kb/s steps; tshark shows Mb/s, a `.5` for
/// an odd count.
fn push_rate(cx: &mut Cx<'_, '_>, rate: u8) {
    let mut text = [0u8; 6];
    let n = rate_text(rate, &mut text);
    cx.out.push_text(Field::RadiotapDatarate, &text[..n]);
}

/// Writes the Mb/s of `rate` (500 kb/s steps) into `out`, returning its length.
fn rate_text(rate: u8, out: &mut [u8; 6]) -> usize {
    let whole = rate / 2;
    let mut n = decimal(u32::from(whole), out);
    if rate % 2 == 1 {
        out[n] = b'.';
        out[n + 1] = b'5';
        n += 2;
    }
    n
}

/// `radiotap.dbm_antsignal`: a signed byte in decimal.
fn push_signal(cx: &mut Cx<'_, '_>, dbm: i8) {
    let mut text = [0u8; 6];
    let mut n = 0;
    if dbm < 0 {
        text[0] = b'-';
        n = 1;
    }
    let mut digits = [0u8; 6];
    let len = decimal(u32::from(dbm.unsigned_abs()), &mut digits);
    text[n..n + len].copy_from_slice(&digits[..len]);
    cx.out
        .push_text(Field::RadiotapDbmAntsignal, &text[..n + len]);
}

/// Writes `v` (below 1000) in decimal at the start of `out`, returning its length.
fn decimal(v: u32, out: &mut [u8; 6]) -> usize {
    let digits = [v / 100 % 10, v / 10 % 10, v % 10];
    let skip = if v >= 100 {
        0
    } else if v >= 10 {
        1
    } else {
        2
    };
    let mut n = 0;
    for d in &digits[skip..] {
        out[n] = b'0' + *d as u8;
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_steps_of_500_kbps_print_in_mbps() {
        let mut text = [0u8; 6];
        for (rate, expected) in [
            (2u8, "1"),
            (11, "5.5"),
            (108, "54"),
            (255, "127.5"),
            (0, "0"),
        ] {
            let n = rate_text(rate, &mut text);
            assert_eq!(&text[..n], expected.as_bytes());
        }
    }

    #[test]
    fn layout_aligns_each_field_to_its_size() {
        // radiotap.org: a field is aligned to its natural alignment; channel (two u16) to 2.
        for (align, size) in LAYOUT {
            assert!(align.is_power_of_two() && size % align == 0);
        }
    }
}
