//! The `-Y` display-filter language: tshark 4.0's grammar and meaning.
//!
//! Comparisons in both spellings (`==`/`eq`/`any_eq`, `!=`/`ne`/`all_ne`, `===`/`all_eq`,
//! `!==`/`~=`/`any_ne`, `<`/`lt`, `>`/`gt`, `<=`/`le`, `>=`/`ge`), `contains`, `matches`
//! (case-insensitive regular expressions), `in {a, b, c..d}` and `not in`, bitwise `&`,
//! slices (`[i:len]`, `[i-j]`, `[i]`, `[i:]`, negative offsets, comma lists), `len()` and
//! `count()`, `&&`/`and`, `||`/`or`, `!`/`not`, parentheses, and a bare field or protocol
//! meaning "present". Literals are read in the type of the field they meet: integers in
//! decimal, hex, octal, binary or as `'c'`; byte strings `aa:bb:cc`; quoted strings with
//! escapes; IPv4/IPv6 addresses with CIDR prefixes; MAC addresses; booleans `1`/`0`/`True`/
//! `False`. Derived fields such as `ip.addr`, `tcp.port`, flag bits, `tcp.len` and payloads
//! are computed from the dissection (see `schema.rs`). Expressions are checked completely by
//! [`Filter::parse`], before any packet is read, and errors point at the fault.

mod ast;
mod column;
mod eval;
mod layers;
mod lex;
mod parse;
mod schema;

use std::fmt;
use std::sync::Mutex;

pub use column::DerivedField;
pub use parse::{FilterError, MAX_DEPTH};

use crate::analysis::{FrameStreams, Streams};
use crate::capture::Packet;
use crate::fields::{FieldMask, FrameFields, Proto};
use ast::{Expr, Operand};
use schema::{FieldRef, Payload, Source};

/// A compiled `-Y` filter.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Proto, Value};
/// use zcdump::filter::Filter;
/// let filter = Filter::parse("tcp.flags.syn == 1 && ip.dst == 10.77.0.0/24")?;
/// let mut f = FrameFields::default();
/// f.enter(Proto::Tcp);
/// f.push_uint(Field::TcpFlags, 2u16);
/// f.push(Field::IpDst, Value::Ipv4([10, 77, 0, 2]));
/// assert!(filter.matches(&f));
/// assert!(Filter::parse("tcp.flags ==").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A filter that reads `tcp.stream` or `udp.stream` keeps the conversation table those
/// indices come from, fed by every frame it is asked about: give it every frame, in file
/// order (the run loop does, on one thread).
#[derive(Debug)]
pub struct Filter {
    expr: Expr,
    /// Present when the expression reads stream indices.
    streams: Option<Mutex<Streams>>,
}

impl Clone for Filter {
    /// A copy with a fresh stream table, for another pass over a capture.
    fn clone(&self) -> Filter {
        Filter::new(self.expr.clone())
    }
}

impl Filter {
    /// Parses and type-checks `text`.
    ///
    /// # Errors
    /// A [`FilterError`] naming the position and what was expected.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// assert!(Filter::parse("ip.src == 10.0.0.1 || ipv6.dst == fe80::1").is_ok());
    /// assert!(Filter::parse("tcp.port in {80, 443} and frame contains \"GET\"").is_ok());
    /// // Checked before any packet is read: the value must suit the field.
    /// let e = Filter::parse("tcp.srcport == fe80::1").unwrap_err();
    /// assert_eq!(e.position(), 15);
    /// ```
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        parse::parse(text).map(Filter::new)
    }

    fn new(expr: Expr) -> Filter {
        let streams = reads_streams(&expr).then(|| Mutex::new(Streams::default()));
        Filter { expr, streams }
    }

    /// The dissector fields the expression reads (derived fields count as the fields they
    /// are computed from).
    ///
    /// ```
    /// use zcdump::fields::Field;
    /// use zcdump::filter::Filter;
    /// let f = Filter::parse("tcp && ip.ttl > 3 && tcp.port == 80")?;
    /// assert!(f.fields_read().contains(Field::IpTtl));
    /// assert!(f.fields_read().contains(Field::TcpDstport));
    /// assert!(!f.fields_read().contains(Field::IpSrc));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn fields_read(&self) -> FieldMask {
        fn operand(o: &Operand, mask: FieldMask) -> FieldMask {
            match o {
                Operand::Field { field, .. } | Operand::Count(field) => field.reads(mask),
                Operand::Lit(_) => mask,
                Operand::BitAnd(inner, _) | Operand::Len(inner) => operand(inner, mask),
            }
        }
        fn walk(e: &Expr, mask: FieldMask) -> FieldMask {
            match e {
                Expr::Exists(f) => FieldRef::reads(f, mask),
                Expr::Truthy(o) | Expr::Matches(o, ..) | Expr::In(o, _) => operand(o, mask),
                Expr::Compare(a, _, b) | Expr::Contains(a, b) => operand(b, operand(a, mask)),
                Expr::Not(a) => walk(a, mask),
                Expr::And(a, b) | Expr::Or(a, b) => walk(b, walk(a, mask)),
            }
        }
        walk(&self.expr, FieldMask::NONE)
    }

    /// Whether the filter reads what depends on earlier frames of a TCP conversation
    /// beyond the stream table: whether a segment is `http` (and its bytes `data`) when
    /// it starts no HTTP message (see [`dissect_in_order`](crate::dissect::dissect_in_order)),
    /// so frames must be dissected in file order for its answers.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// assert!(Filter::parse("http && tcp.port == 80")?.reads_conversation_memory());
    /// assert!(Filter::parse("frame.protocols contains \"data\"")?.reads_conversation_memory());
    /// assert!(!Filter::parse("http.request.method == \"GET\"")?.reads_conversation_memory());
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn reads_conversation_memory(&self) -> bool {
        any_field(&self.expr, &|f| {
            matches!(
                f.source,
                Source::Protocol(Proto::Http | Proto::Data)
                    | Source::Payload(Payload::Data)
                    | Source::PayloadLen(Payload::Data)
                    | Source::FrameProtocols
            )
        })
    }

    /// Whether the dissected frame passes the filter, for terms that need no frame bytes
    /// (byte terms such as `frame contains "x"` or `tcp.payload` then see no value; use
    /// [`matches_packet`](Self::matches_packet) when the bytes are at hand).
    ///
    /// ```
    /// use zcdump::fields::{Field, FrameFields};
    /// use zcdump::filter::Filter;
    /// let mut frame = FrameFields::default();
    /// frame.push_uint(Field::TcpDstport, 443u16);
    /// assert!(Filter::parse("tcp.port == 443")?.matches(&frame));
    /// assert!(!Filter::parse("tcp.dstport != 443")?.matches(&frame));
    /// assert!(!Filter::parse("udp.dstport < 1000")?.matches(&frame)); // absent: false
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn matches(&self, frame: &FrameFields) -> bool {
        eval::eval(&self.expr, &eval::View::new(frame, None, None))
    }

    /// Whether the frame passes the filter; `packet` holds the bytes `frame` was
    /// dissected from.
    ///
    /// ```
    /// use zcdump::capture::{LinkType, Packet};
    /// use zcdump::dissect::dissect;
    /// use zcdump::fields::FrameFields;
    /// use zcdump::filter::Filter;
    /// let mut data = vec![0u8; 14];
    /// data[12..14].copy_from_slice(&[0x88, 0xb5]);
    /// data.extend_from_slice(b"hello");
    /// let packet = Packet { ts_sec: 0, ts_nsec: 0, orig_len: 19, link_type: LinkType::Ethernet, data: &data };
    /// let mut fields = FrameFields::default();
    /// dissect(&packet, 1, &mut fields);
    /// assert!(Filter::parse("frame contains \"ell\"")?.matches_packet(&fields, &packet));
    /// assert!(Filter::parse("frame[-2:] == \"lo\"")?.matches_packet(&fields, &packet));
    /// assert!(!Filter::parse("frame matches \"^x\"")?.matches_packet(&fields, &packet));
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn matches_packet(&self, frame: &FrameFields, packet: &Packet<'_>) -> bool {
        if let Some(table) = &self.streams {
            // A poisoned lock only means another thread panicked mid-update; the table is
            // still a valid map, so keep numbering.
            let time = u128::from(packet.ts_sec) * 1_000_000_000 + u128::from(packet.ts_nsec);
            let mut table = table
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let ids = table.observe(frame, time);
            let pass = self.matches_with_streams(frame, packet, &ids);
            if pass {
                table.mark_displayed();
            }
            return pass;
        }
        eval::eval(&self.expr, &eval::View::new(frame, Some(packet), None))
    }

    /// Whether the filter reads what the conversation table computes from every earlier
    /// frame (`tcp.stream`, `udp.stream`, `tcp.analysis.*`, `frame.time_*`, ...), so every
    /// frame must be fed to a [`Streams`] table in file order.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// assert!(Filter::parse("tcp.stream eq 3")?.reads_streams());
    /// assert!(!Filter::parse("tcp.port == 80")?.reads_streams());
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn reads_streams(&self) -> bool {
        self.streams.is_some()
    }

    /// Whether the frame passes the filter, with the stream indices a
    /// [`Streams`] table gave the frame (the filter's own table
    /// is not consulted).
    ///
    /// ```
    /// use zcdump::analysis::FrameStreams;
    /// use zcdump::capture::{LinkType, Packet};
    /// use zcdump::fields::FrameFields;
    /// use zcdump::filter::Filter;
    /// let packet = Packet { ts_sec: 0, ts_nsec: 0, orig_len: 0, link_type: LinkType::Ethernet, data: &[] };
    /// let streams = FrameStreams { tcp: vec![3], ..FrameStreams::default() };
    /// let fields = FrameFields::default();
    /// assert!(Filter::parse("tcp.stream eq 3")?.matches_with_streams(&fields, &packet, &streams));
    /// assert!(!Filter::parse("udp.stream")?.matches_with_streams(&fields, &packet, &streams));
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    #[must_use]
    pub fn matches_with_streams(
        &self,
        frame: &FrameFields,
        packet: &Packet<'_>,
        streams: &FrameStreams,
    ) -> bool {
        eval::eval(
            &self.expr,
            &eval::View::new(frame, Some(packet), Some(streams)),
        )
    }
}

/// The payload of the frame's outer TCP (`tcp`) or UDP header, for `--follow`.
pub(crate) fn transport_payload<'a>(packet: &Packet<'a>, tcp: bool) -> Option<&'a [u8]> {
    let layers = layers::locate(packet.data, packet.link_type);
    let present = if tcp {
        layers.tcp.is_some()
    } else {
        layers.udp.is_some()
    };
    let (start, end) = layers.payload?;
    present.then(|| packet.data.get(start..end)).flatten()
}

/// `tcp.len` of each TCP header of `fields`, in order (for the TCP analysis).
pub(crate) fn segment_lengths(fields: &FrameFields) -> Vec<u64> {
    eval::segment_lengths(fields)
}

/// Whether evaluating `field` needs the conversation table. `data` does: tshark (with its
/// default `tcp.no_subdissector_on_error`) hands no payload of a retransmitted or
/// out-of-order segment to a dissector, so such a frame has no `data` layer.
fn stateful(field: &FieldRef) -> bool {
    matches!(
        field.source,
        Source::Stream { .. }
            | Source::Analysis(_)
            | Source::DupAck { .. }
            | Source::TcpNumber(_)
            | Source::Time(_)
            | Source::AnalysisValue(_)
            | Source::Protocol(crate::fields::Proto::Data)
            | Source::Payload(schema::Payload::Data)
            | Source::PayloadLen(schema::Payload::Data)
    )
}

fn reads_streams(expr: &Expr) -> bool {
    any_field(expr, &stateful)
}

/// Whether any field the expression names passes `pred`.
fn any_field(expr: &Expr, pred: &dyn Fn(&FieldRef) -> bool) -> bool {
    let operand = |o: &Operand| {
        fn walk(o: &Operand, pred: &dyn Fn(&FieldRef) -> bool) -> bool {
            match o {
                Operand::Field { field, .. } | Operand::Count(field) => pred(field),
                Operand::Lit(_) => false,
                Operand::BitAnd(inner, _) | Operand::Len(inner) => walk(inner, pred),
            }
        }
        walk(o, pred)
    };
    match expr {
        Expr::Exists(f) => pred(f),
        Expr::Truthy(o) | Expr::Matches(o, ..) | Expr::In(o, _) => operand(o),
        Expr::Compare(a, _, b) | Expr::Contains(a, b) => operand(a) || operand(b),
        Expr::Not(a) => any_field(a, pred),
        Expr::And(a, b) | Expr::Or(a, b) => any_field(a, pred) || any_field(b, pred),
    }
}

impl fmt::Display for Filter {
    /// A canonical spelling that parses back to the same filter.
    ///
    /// ```
    /// use zcdump::filter::Filter;
    /// let f = Filter::parse("not tcp.port in {80,443} and ip.src eq 10.0.0.0/8")?;
    /// assert_eq!(f.to_string(), "(!(tcp.port in {80, 443}) && ip.src == 10.0.0.0/8)");
    /// assert_eq!(Filter::parse(&f.to_string())?.to_string(), f.to_string());
    /// # Ok::<(), zcdump::filter::FilterError>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)
    }
}

#[cfg(test)]
mod tests;
