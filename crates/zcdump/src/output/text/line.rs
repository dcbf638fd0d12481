//! [`Line`]: what a protocol's text summary sees of the frame and where it writes.
//!
//! The frame's field list is cut into layers, one per protocol occurrence (from one
//! `Field::Proto` entry to the next), once per frame. A summary reads the fields of its own
//! layer ([`Line::uint`], [`Line::get`]: a scan of that layer's few entries, not of the
//! frame), so an inner header of a tunnel reads its own addresses, not the outer ones.

use super::addresses::AddressCache;
use super::summaries::WriteFn;
use super::tcp::SequenceBases;
use crate::fields::format::{write_dec, write_hex, write_ipv4, write_ipv4_port, write_mac};
use crate::fields::{Field, FrameFields, Proto, Value};

/// One protocol occurrence: its protocol and the range of its entries in the field list
/// (the `Field::Proto` entry excluded).
#[derive(Debug, Clone, Copy)]
pub(super) struct Layer {
    pub proto: Proto,
    start: u32,
    end: u32,
}

/// Cuts `f`'s entries into layers, into `layers` (cleared first).
pub(super) fn split_layers(f: &FrameFields, layers: &mut Vec<Layer>) {
    layers.clear();
    let entries = f.entries();
    let mut open: Option<(Proto, usize)> = None;
    for (i, (field, _)) in entries.iter().enumerate() {
        if let Field::Proto(p) = *field {
            if let Some((proto, start)) = open {
                layers.push(Layer {
                    proto,
                    start: start as u32,
                    end: i as u32,
                });
            }
            open = Some((p, i + 1));
        }
    }
    if let Some((proto, start)) = open {
        layers.push(Layer {
            proto,
            start: start as u32,
            end: entries.len() as u32,
        });
    }
}

/// What the network layer (IPv4, IPv6) tells the transport summary above it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Network {
    /// Bytes after the network header(s), from the header's length fields.
    pub payload_len: u64,
    /// Source and destination address.
    pub addresses: Option<(Value, Value)>,
}

/// The state a text writer keeps from frame to frame.
#[derive(Debug, Clone, Default)]
pub(super) struct State {
    /// tcpdump's relative sequence numbers; `None` prints them absolute (`-S`).
    pub bases: Option<SequenceBases>,
    /// The text of recently printed addresses.
    pub addresses: AddressCache,
}

/// The line being written and the frame it describes; handed to each protocol's summary
/// in turn, outermost first (see [`super::summaries`]).
pub(super) struct Line<'l> {
    out: &'l mut Vec<u8>,
    fields: &'l FrameFields,
    frame: &'l [u8],
    layers: &'l [Layer],
    /// The layer whose summary is being written.
    at: usize,
    summaries: &'l [Option<WriteFn>],
    /// Kept across frames (TCP sequence bases).
    pub(super) state: &'l mut State,
    /// Set by the network layer's summary for the transport's.
    pub(super) network: Network,
    /// Bytes of the frame (start, length) to dump in hex and ASCII after the line, as
    /// tcpdump does for a protocol it cannot print (set by the ISL summary).
    pub(super) dump: Option<(usize, usize)>,
}

impl<'l> Line<'l> {
    pub(super) fn new(
        out: &'l mut Vec<u8>,
        fields: &'l FrameFields,
        frame: &'l [u8],
        layers: &'l [Layer],
        summaries: &'l [Option<WriteFn>],
        state: &'l mut State,
    ) -> Self {
        Line {
            out,
            fields,
            frame,
            layers,
            at: 0,
            summaries,
            state,
            network: Network::default(),
            dump: None,
        }
    }

    /// The summary registered for `proto`, if any.
    fn summary_of(&self, proto: Proto) -> Option<WriteFn> {
        self.summaries
            .get(usize::from(proto.code()))
            .copied()
            .flatten()
    }

    /// Writes the summary of the layer right after the current one and returns `true`,
    /// or writes nothing and returns `false` when there is no such layer or its protocol
    /// has no summary.
    pub fn next(&mut self) -> bool {
        self.next_with(b"")
    }

    /// As [`Line::next`], writing `prefix` first when there is a summary to write.
    pub fn next_with(&mut self, prefix: &[u8]) -> bool {
        let Some(layer) = self.layers.get(self.at + 1) else {
            return false;
        };
        let Some(write) = self.summary_of(layer.proto) else {
            return false;
        };
        self.out.extend_from_slice(prefix);
        self.at += 1;
        write(self);
        true
    }

    /// Writes the summary of layer `index` (the first one with a summary, from the line's
    /// driver); `false` if its protocol has none.
    pub(super) fn start_at(&mut self, index: usize) -> bool {
        let Some(layer) = self.layers.get(index) else {
            return false;
        };
        let Some(write) = self.summary_of(layer.proto) else {
            return false;
        };
        self.at = index;
        write(self);
        true
    }

    /// The protocol of the layer before the current one.
    pub fn prev_proto(&self) -> Option<Proto> {
        let before = self.at.checked_sub(1)?;
        self.layers.get(before).map(|l| l.proto)
    }

    /// The protocol of the layer after the current one.
    pub fn next_proto(&self) -> Option<Proto> {
        self.layers.get(self.at + 1).map(|l| l.proto)
    }

    /// The entries of layer `index`.
    fn entries_of(&self, index: usize) -> &'l [(Field, Value)] {
        let fields: &'l FrameFields = self.fields;
        self.layers
            .get(index)
            .and_then(|l| fields.entries().get(l.start as usize..l.end as usize))
            .unwrap_or(&[])
    }

    /// The current layer's entries, in dissection order.
    pub fn entries(&self) -> &'l [(Field, Value)] {
        self.entries_of(self.at)
    }

    /// The first occurrence of `field` in the current layer.
    pub fn get(&self, field: Field) -> Option<Value> {
        self.entries()
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| *v)
    }

    /// The first occurrence of `field` in the current layer, as an integer.
    pub fn uint(&self, field: Field) -> Option<u64> {
        match self.get(field) {
            Some(Value::Uint(v)) => Some(v),
            _ => None,
        }
    }

    /// The first occurrence of `field` in the layer after the current one, as an integer.
    pub fn next_uint(&self, field: Field) -> Option<u64> {
        self.entries_of(self.at + 1)
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, v)| match v {
                Value::Uint(n) => Some(*n),
                _ => None,
            })
    }

    /// The whole frame's fields (for what spans layers, such as the packet an ICMP error
    /// quotes).
    pub fn fields(&self) -> &'l FrameFields {
        self.fields
    }

    /// The captured bytes of the frame.
    pub fn frame(&self) -> &'l [u8] {
        self.frame
    }

    /// How many of the frame's bytes the capture did not keep (`None` when it kept all
    /// or the lengths are missing).
    pub fn lost(&self) -> Option<u64> {
        let frame = self.entries_of(0);
        let get = |field| {
            frame
                .iter()
                .find(|(f, _)| *f == field)
                .and_then(|(_, v)| match v {
                    Value::Uint(n) => Some(*n),
                    _ => None,
                })
        };
        match (get(Field::FrameCapLen), get(Field::FrameLen)) {
            (Some(cap), Some(len)) if cap < len => Some(len - cap),
            _ => None,
        }
    }

    /// Whether the capture kept fewer bytes than the frame had on the wire.
    pub fn snapped(&self) -> bool {
        self.lost().is_some()
    }

    /// Appends bytes.
    #[inline]
    pub fn put(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// Appends one byte.
    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    /// Appends `n` in decimal.
    #[inline]
    pub fn dec(&mut self, n: u64) {
        write_dec(self.out, n);
    }

    /// Appends `0x` and `width` hex digits of `n`.
    pub fn hex(&mut self, n: u64, width: u32) {
        write_hex(self.out, n, width);
    }

    /// Appends a value as tcpdump prints it (decimal, dotted quad, RFC 5952, MAC; text as
    /// it is, from the frame's text store).
    pub fn value(&mut self, v: Value) {
        match v {
            Value::Uint(n) => write_dec(self.out, n),
            // Four table reads: cheaper than the cache's hash and compare.
            Value::Ipv4(a) => write_ipv4(self.out, a),
            Value::Ipv6(a) => self.state.addresses.write(self.out, 6, a),
            Value::Mac(m) => write_mac(self.out, m),
            Value::Text(t) => self.out.extend_from_slice(self.fields.text(t)),
            Value::Present => {}
        }
    }

    /// Appends `address.port` as tcpdump writes an endpoint (`address` alone without a
    /// port).
    #[inline]
    pub fn endpoint(&mut self, address: Value, port: Option<u64>) {
        match (address, port) {
            (Value::Ipv4(a), Some(p)) if p <= 0xffff => write_ipv4_port(self.out, a, p as u16),
            _ => {
                self.value(address);
                if let Some(p) = port {
                    self.out.push(b'.');
                    write_dec(self.out, p);
                }
            }
        }
    }

    /// The output written so far (a summary may take back what it wrote, as tcpdump's
    /// printers do when they find they cannot finish).
    pub fn out(&mut self) -> &mut Vec<u8> {
        self.out
    }
}
