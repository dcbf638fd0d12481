//! The default output: one tcpdump-style line per frame (`tcpdump -n` conventions: time of
//! day, numeric addresses with `.port`, flags in brackets, sequence numbers relative to the
//! start of each TCP conversation or absolute as with `-S`, option lists, payload lengths),
//! built from the same field set as every other output.
//!
//! Each protocol that has words in the line registers a summary (`output/text/summaries.rs`
//! says how): the fields it reads and a function that writes its part and hands on to the
//! next layer's, outermost first, as tcpdump's printers call each other.

mod addresses;
mod dhcp;
mod dns;
mod icmp;
mod ip;
mod isl;
mod line;
mod link;
mod ntp;
mod part;
mod pim;
pub(crate) mod summaries;
mod tcp;
mod tunnel;

use super::{FrameMeta, LineWriter};
use crate::fields::{Field, FieldMask, FrameFields};
use line::{split_layers, Layer, Line, State};
use summaries::{WriteFn, SUMMARIES};

/// Prints tcpdump-style summary lines (times are UTC).
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Proto, Value};
/// use zcdump::output::{FrameMeta, LineWriter, TextWriter};
/// let mut f = FrameFields::default();
/// f.enter(Proto::Ip);
/// f.push_uint(Field::IpLen, 60u16);
/// f.push_uint(Field::IpHdrLen, 20u8);
/// f.push(Field::IpSrc, Value::Ipv4([10, 77, 0, 1]));
/// f.push(Field::IpDst, Value::Ipv4([10, 77, 0, 2]));
/// f.enter(Proto::Tcp);
/// f.push_uint(Field::TcpSrcport, 49606u16);
/// f.push_uint(Field::TcpDstport, 8080u16);
/// f.push_uint(Field::TcpFlags, 0x002u16);
/// f.push_uint(Field::TcpSeqRaw, 7u32);
/// f.push_uint(Field::TcpWindowSizeValue, 64240u16);
/// f.push_uint(Field::TcpHdrLen, 40u8);
/// let meta = FrameMeta { number: 1, ts_sec: 3600 + 61, ts_nsec: 5_000, frame: &[] };
/// let mut out = Vec::new();
/// TextWriter::default().frame(&meta, &f, &mut out);
/// assert_eq!(
///     String::from_utf8(out)?,
///     "01:01:01.000005 IP 10.77.0.1.49606 > 10.77.0.2.8080: Flags [S], seq 7, win 64240, length 0\n"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TextWriter {
    /// What the summaries keep from frame to frame (TCP sequence bases).
    state: State,
    /// The registered summaries by protocol code.
    summaries: Vec<Option<WriteFn>>,
    /// The current frame's layers (kept to reuse the allocation).
    layers: Vec<Layer>,
    /// The second the last line was in and its `HH:MM:SS.` text: consecutive frames
    /// mostly share it.
    clock: Option<(u64, [u8; 9])>,
}

impl Default for TextWriter {
    fn default() -> Self {
        TextWriter::with_bases(None)
    }
}

impl TextWriter {
    /// A writer printing TCP sequence numbers relative to each conversation's first
    /// acknowledging segment, as `tcpdump -n` does.
    ///
    /// ```
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # use zcdump::output::{FrameMeta, LineWriter, TextWriter};
    /// # // One TCP segment's fields (no payload), as the dissector pushes them.
    /// # fn segment(from: ([u8; 4], u16), to: ([u8; 4], u16), flags: u16, seq: u32, ack: u32)
    /// #     -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Ip);
    /// #     f.push_uint(Field::IpLen, 40u16);
    /// #     f.push_uint(Field::IpHdrLen, 20u8);
    /// #     f.push(Field::IpSrc, Value::Ipv4(from.0));
    /// #     f.push(Field::IpDst, Value::Ipv4(to.0));
    /// #     f.enter(Proto::Tcp);
    /// #     f.push_uint(Field::TcpSrcport, from.1);
    /// #     f.push_uint(Field::TcpDstport, to.1);
    /// #     f.push_uint(Field::TcpFlags, flags);
    /// #     f.push_uint(Field::TcpSeqRaw, seq);
    /// #     f.push_uint(Field::TcpAckRaw, ack);
    /// #     f.push_uint(Field::TcpWindowSizeValue, 502u16);
    /// #     f.push_uint(Field::TcpHdrLen, 20u8);
    /// #     f
    /// # }
    /// # fn line(w: &mut TextWriter, f: &FrameFields) -> String {
    /// #     let mut out = Vec::new();
    /// #     w.frame(&FrameMeta::default(), f, &mut out);
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let (client, server) = (([10, 77, 0, 1], 49606), ([10, 77, 0, 2], 8080));
    /// let syn_ack = segment(server, client, 0x012, 5000, 8);
    /// let ack = segment(client, server, 0x010, 8, 5001);
    /// let mut w = TextWriter::relative();
    /// line(&mut w, &syn_ack); // the conversation's first acknowledging segment sets the bases
    /// assert!(line(&mut w, &ack).contains("ack 1,"));
    /// ```
    #[must_use]
    pub fn relative() -> TextWriter {
        TextWriter::with_bases(Some(tcp::SequenceBases::default()))
    }

    /// A writer printing absolute TCP sequence numbers, as `tcpdump -S` does (also what
    /// [`TextWriter::default`] gives).
    ///
    /// ```
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # use zcdump::output::{FrameMeta, LineWriter, TextWriter};
    /// # // One TCP segment's fields (no payload), as the dissector pushes them.
    /// # fn segment(from: ([u8; 4], u16), to: ([u8; 4], u16), flags: u16, seq: u32, ack: u32)
    /// #     -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Ip);
    /// #     f.push_uint(Field::IpLen, 40u16);
    /// #     f.push_uint(Field::IpHdrLen, 20u8);
    /// #     f.push(Field::IpSrc, Value::Ipv4(from.0));
    /// #     f.push(Field::IpDst, Value::Ipv4(to.0));
    /// #     f.enter(Proto::Tcp);
    /// #     f.push_uint(Field::TcpSrcport, from.1);
    /// #     f.push_uint(Field::TcpDstport, to.1);
    /// #     f.push_uint(Field::TcpFlags, flags);
    /// #     f.push_uint(Field::TcpSeqRaw, seq);
    /// #     f.push_uint(Field::TcpAckRaw, ack);
    /// #     f.push_uint(Field::TcpWindowSizeValue, 502u16);
    /// #     f.push_uint(Field::TcpHdrLen, 20u8);
    /// #     f
    /// # }
    /// # fn line(w: &mut TextWriter, f: &FrameFields) -> String {
    /// #     let mut out = Vec::new();
    /// #     w.frame(&FrameMeta::default(), f, &mut out);
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let (client, server) = (([10, 77, 0, 1], 49606), ([10, 77, 0, 2], 8080));
    /// let syn_ack = segment(server, client, 0x012, 5000, 8);
    /// let ack = segment(client, server, 0x010, 8, 5001);
    /// let mut w = TextWriter::absolute();
    /// line(&mut w, &syn_ack);
    /// assert!(line(&mut w, &ack).contains("ack 5001,"));
    /// ```
    #[must_use]
    pub fn absolute() -> TextWriter {
        TextWriter::with_bases(None)
    }

    fn with_bases(bases: Option<tcp::SequenceBases>) -> TextWriter {
        TextWriter {
            state: State {
                bases,
                addresses: addresses::AddressCache::default(),
            },
            summaries: summaries::by_code(),
            layers: Vec::with_capacity(16),
            clock: None,
        }
    }

    /// Appends `HH:MM:SS.uuuuuu` (UTC time of day).
    fn write_time(&mut self, out: &mut Vec<u8>, meta: &FrameMeta) {
        let hms = match self.clock {
            Some((sec, text)) if sec == meta.ts_sec => text,
            _ => {
                let day = meta.ts_sec % 86_400;
                let mut text = *b"00:00:00.";
                for (i, part) in [day / 3600, (day / 60) % 60, day % 60]
                    .into_iter()
                    .enumerate()
                {
                    text[3 * i] = b'0' + (part / 10) as u8;
                    text[3 * i + 1] = b'0' + (part % 10) as u8;
                }
                self.clock = Some((meta.ts_sec, text));
                text
            }
        };
        // Microseconds below 10^6 (a nanosecond field above 10^9 is cut to its last six
        // digits, as the loop this replaced did): eight digits whose first two are zeros.
        let micros = (meta.ts_nsec / 1000) % 1_000_000;
        let mut digits = [b' '; 16];
        digits[7..15].copy_from_slice(&crate::fields::format::eight_digits(micros).to_le_bytes());
        // Over the two leading zeros.
        digits[..9].copy_from_slice(&hms);
        out.extend_from_slice(&digits);
    }
}

impl LineWriter for TextWriter {
    fn fields_read(&self) -> FieldMask {
        let fields: Vec<Field> = SUMMARIES.iter().flat_map(|s| s.fields).copied().collect();
        FieldMask::of(&fields)
    }

    /// The lines read the fields their summaries list and the payload bytes, never the
    /// protocol path: HTTP's words come from the bytes.
    fn reads_protocols(&self) -> bool {
        false
    }

    fn frame(&mut self, meta: &FrameMeta<'_>, f: &FrameFields, out: &mut Vec<u8>) {
        self.write_time(out, meta);
        split_layers(f, &mut self.layers);
        let mut line = Line::new(
            out,
            f,
            meta.frame,
            &self.layers,
            &self.summaries,
            &mut self.state,
        );
        if !line.start_at(0) {
            // Fields not from the dissector (no `frame` layer).
            line.put(b"unknown link-layer payload");
        }
        let dump = line.dump;
        if let Some(m) = f.malformed() {
            out.extend_from_slice(b" [malformed ");
            out.extend_from_slice(m.layer.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(m.reason.as_bytes());
            out.push(b']');
        }
        // The dump's lines come after the line's own words (and its malformed note).
        if let Some(bytes) = dump.and_then(|(at, len)| meta.frame.get(at..at.checked_add(len)?)) {
            isl::hex_and_ascii(out, bytes);
        }
        out.push(b'\n');
    }
}
