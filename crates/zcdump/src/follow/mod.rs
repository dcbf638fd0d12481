//! `--follow tcp|udp,ascii|raw,N`: the payload of one TCP or UDP stream, both directions in
//! the order tshark delivers them, printed as `tshark -q -z follow,...` prints it.
//!
//! The stream is chosen by its `tcp.stream` / `udp.stream` index, so every frame goes
//! through the conversation table. TCP payload is put in sequence order per direction
//! (`reassembly.rs`): repeated bytes are dropped, bytes ahead of a gap wait for it. Each
//! delivered piece is one record: its length and bytes (`ascii`, non-printable bytes as
//! `.`) or its bytes in hex (`raw`); the second node's records are indented by a tab.
//! Memory: the records of the followed stream, and the segments waiting for a gap.

mod reassembly;

use std::fmt;
use std::str::FromStr;

use crate::analysis::FrameStreams;
use crate::capture::Packet;
use crate::fields::format::{write_dec, write_ipv4, write_ipv6};
use crate::fields::{Field, FieldMask, FrameFields, Proto, Value};
use reassembly::Reassembly;

/// How a followed stream's bytes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowMode {
    /// Length line, then the bytes with non-printable ones shown as `.`.
    Ascii,
    /// The bytes in lower-case hex, one record per line.
    Raw,
}

/// What `--follow` was asked for: `tcp,ascii,0`.
///
/// ```
/// use zcdump::follow::{FollowMode, FollowSpec};
/// let spec: FollowSpec = "udp,raw,3".parse()?;
/// assert_eq!((spec.tcp, spec.mode, spec.stream), (false, FollowMode::Raw, 3));
/// assert!("tcp,hex,0".parse::<FollowSpec>().is_err());
/// # Ok::<(), zcdump::follow::FollowSpecError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowSpec {
    /// TCP (`true`) or UDP.
    pub tcp: bool,
    /// How to print.
    pub mode: FollowMode,
    /// The `tcp.stream` or `udp.stream` index.
    pub stream: u32,
}

/// A `--follow` argument that is not `tcp|udp,ascii|raw,N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowSpecError(String);

impl fmt::Display for FollowSpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid --follow '{}': expected tcp|udp,ascii|raw,STREAM",
            self.0
        )
    }
}

impl std::error::Error for FollowSpecError {}

impl FromStr for FollowSpec {
    type Err = FollowSpecError;

    fn from_str(text: &str) -> Result<FollowSpec, FollowSpecError> {
        let error = || FollowSpecError(text.to_string());
        let mut parts = text.split(',');
        let tcp = match parts.next() {
            Some("tcp") => true,
            Some("udp") => false,
            _ => return Err(error()),
        };
        let mode = match parts.next() {
            Some("ascii") => FollowMode::Ascii,
            Some("raw") => FollowMode::Raw,
            _ => return Err(error()),
        };
        let stream = parts
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(error)?;
        if parts.next().is_some() {
            return Err(error());
        }
        Ok(FollowSpec { tcp, mode, stream })
    }
}

/// The fields [`Follower::observe`] reads, added to `mask`.
///
/// ```
/// use zcdump::fields::{Field, FieldMask};
/// assert!(zcdump::follow::fields_read(FieldMask::NONE).contains(Field::TcpSeqRaw));
/// ```
#[must_use]
pub fn fields_read(mask: FieldMask) -> FieldMask {
    crate::analysis::Streams::fields_read(mask)
}

/// One endpoint as tshark prints it: `10.0.0.1:80`, `[fd00::1]:80`.
fn endpoint(address: Value, port: u64) -> Vec<u8> {
    let mut text = Vec::new();
    match address {
        Value::Ipv4(a) => write_ipv4(&mut text, a),
        Value::Ipv6(a) => {
            text.push(b'[');
            write_ipv6(&mut text, a);
            text.push(b']');
        }
        _ => {}
    }
    text.push(b':');
    write_dec(&mut text, port);
    text
}

/// The followed stream's records, collected frame by frame.
///
/// ```
/// use zcdump::follow::{FollowSpec, Follower};
/// let follower = Follower::new("tcp,ascii,5".parse()?);
/// let mut out = Vec::new();
/// follower.write(&mut out); // a stream never seen: tshark's empty report
/// assert!(String::from_utf8(out)?.contains("Filter: tcp.stream eq 5\nNode 0: :0\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Follower {
    spec: FollowSpec,
    /// The two endpoints, the first frame's source first.
    nodes: Option<[Vec<u8>; 2]>,
    /// Each delivered piece: which node sent it, and its bytes.
    records: Vec<(usize, Vec<u8>)>,
    reassembly: [Reassembly; 2],
}

impl Follower {
    /// A follower for `spec`.
    #[must_use]
    pub fn new(spec: FollowSpec) -> Follower {
        Follower {
            spec,
            nodes: None,
            records: Vec::new(),
            reassembly: [Reassembly::default(), Reassembly::default()],
        }
    }

    /// Takes the frame's payload if it belongs to the followed stream. `analysis` is what
    /// the conversation table said about the frame; feed every frame in file order.
    pub fn observe(&mut self, fields: &FrameFields, packet: &Packet<'_>, analysis: &FrameStreams) {
        let ids = if self.spec.tcp {
            &analysis.tcp
        } else {
            &analysis.udp
        };
        if ids.first() != Some(&self.spec.stream) {
            return;
        }
        // tshark's follow hears neither a header quoted by an ICMP error nor one its
        // dissector stopped inside (a cut TCP header).
        let quoted =
            fields.has(Field::Proto(Proto::Icmp)) || fields.has(Field::Proto(Proto::Icmpv6));
        let cut = fields.layer(Proto::Tcp).is_some_and(|l| l.header_cut)
            || self.spec.tcp && !fields.has(Field::TcpUrgentPointer);
        if quoted || cut {
            return;
        }
        let (src_port, dst_port) = if self.spec.tcp {
            (Field::TcpSrcport, Field::TcpDstport)
        } else {
            (Field::UdpSrcport, Field::UdpDstport)
        };
        let address = |v4: Field, v6: Field| fields.first(v4).or_else(|| fields.first(v6));
        let (Some(src), Some(dst), Some(sport), Some(dport)) = (
            address(Field::IpSrc, Field::Ipv6Src),
            address(Field::IpDst, Field::Ipv6Dst),
            fields.uint(src_port),
            fields.uint(dst_port),
        ) else {
            return;
        };
        // The dissector records where TCP payload starts (on any link); UDP payload is
        // found by walking the headers again.
        let payload = if self.spec.tcp {
            fields.payload(Proto::Tcp, packet.data)
        } else {
            crate::filter::transport_payload(packet, false)
        }
        .unwrap_or(&[]);
        // tshark's UDP follow ignores an empty datagram, even for naming the nodes.
        if !self.spec.tcp && payload.is_empty() {
            return;
        }
        let from = endpoint(src, sport);
        let nodes = self
            .nodes
            .get_or_insert_with(|| [from.clone(), endpoint(dst, dport)]);
        let node = usize::from(nodes[0] != from);
        if !self.spec.tcp {
            self.records.push((node, payload.to_vec()));
            return;
        }
        let (Some(seq), Some(flags)) =
            (fields.uint(Field::TcpSeqRaw), fields.uint(Field::TcpFlags))
        else {
            return;
        };
        let len = crate::filter::segment_lengths(fields)
            .first()
            .map_or(payload.len() as u32, |l| *l as u32);
        let records = &mut self.records;
        self.reassembly[node].segment(seq as u32, flags as u16, len, payload, &mut |bytes| {
            records.push((node, bytes.to_vec()));
        });
    }

    /// Appends tshark's report: header, records in delivery order, footer.
    pub fn write(&self, out: &mut Vec<u8>) {
        const RULE: &[u8] =
            b"===================================================================\n";
        let (proto, mode) = (
            if self.spec.tcp { "tcp" } else { "udp" },
            match self.spec.mode {
                FollowMode::Ascii => "ascii",
                FollowMode::Raw => "raw",
            },
        );
        out.push(b'\n');
        out.extend_from_slice(RULE);
        out.extend_from_slice(format!("Follow: {proto},{mode}\n").as_bytes());
        out.extend_from_slice(
            format!("Filter: {proto}.stream eq {}\n", self.spec.stream).as_bytes(),
        );
        for (i, name) in ["Node 0: ", "Node 1: "].iter().enumerate() {
            out.extend_from_slice(name.as_bytes());
            match &self.nodes {
                Some(nodes) => out.extend_from_slice(&nodes[i]),
                None => out.extend_from_slice(b":0"),
            }
            out.push(b'\n');
        }
        for (node, bytes) in &self.records {
            if *node == 1 {
                out.push(b'\t');
            }
            match self.spec.mode {
                FollowMode::Ascii => {
                    write_dec(out, bytes.len() as u64);
                    out.push(b'\n');
                    out.extend(bytes.iter().map(|&b| printable(b)));
                }
                FollowMode::Raw => {
                    for b in bytes {
                        out.extend_from_slice(format!("{b:02x}").as_bytes());
                    }
                }
            }
            out.push(b'\n');
        }
        out.extend_from_slice(RULE);
    }
}

/// tshark's ASCII view of a byte: printable ASCII and line breaks as they are, others `.`.
fn printable(b: u8) -> u8 {
    if b.is_ascii_graphic() || b == b' ' || b == b'\n' || b == b'\r' {
        b
    } else {
        b'.'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_shows_line_breaks_and_dots_for_other_control_bytes() {
        let shown: Vec<u8> = b"a\r\n\t\x00\x7f~".iter().map(|&b| printable(b)).collect();
        assert_eq!(shown, b"a\r\n...~");
    }

    #[test]
    fn specs_need_three_parts() {
        assert!("tcp,ascii".parse::<FollowSpec>().is_err());
        assert!("tcp,ascii,1,2".parse::<FollowSpec>().is_err());
        assert!("sctp,ascii,1".parse::<FollowSpec>().is_err());
        assert_eq!("tcp,ascii,7".parse::<FollowSpec>().map(|s| s.stream), Ok(7));
    }
}
