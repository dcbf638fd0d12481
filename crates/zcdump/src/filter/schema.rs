//! What a filter may name: the dissector's fields, the protocols, and the fields tshark
//! derives from them (`ip.addr`, `tcp.port`, every flag bit, `tcp.len`, payloads).
//!
//! Derived fields are computed here, from the occurrences and bytes the dissector already
//! produced, rather than pushed by it: a frame costs nothing extra unless a filter reads
//! them, and the dissector stays one mapping from headers to fields. This module is the one
//! place that knows how a filter name maps onto the dissector's field model.

use crate::fields::{Field, FieldMask, Kind, Proto};

/// The type of a filter operand, which decides how a literal next to it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FType {
    /// Unsigned integer.
    Uint,
    /// Boolean (flag bits): `1`, `0`, `True`, `False`.
    Bool,
    /// IPv4 address (literals may carry a `/prefix`).
    Ipv4,
    /// IPv6 address (literals may carry a `/prefix`).
    Ipv6,
    /// Ethernet address.
    Mac,
    /// Byte string (payloads, slices).
    Bytes,
    /// Text.
    Str,
    /// A protocol: its bytes, for `contains`, slices and `len()`.
    Protocol,
    /// A time in seconds (`frame.time_relative`, `tcp.analysis.ack_rtt`); literals are
    /// decimal seconds such as `0.25` or `-1`.
    Time,
}

impl FType {
    /// Whether values of the type are sequences of bytes (sliceable, `contains`).
    pub(crate) fn is_sequence(self) -> bool {
        matches!(
            self,
            FType::Bytes | FType::Str | FType::Protocol | FType::Ipv4 | FType::Ipv6 | FType::Mac
        )
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            FType::Uint => "an unsigned integer",
            FType::Bool => "a boolean",
            FType::Ipv4 => "an IPv4 address",
            FType::Ipv6 => "an IPv6 address",
            FType::Mac => "an Ethernet address",
            FType::Bytes => "a byte sequence",
            FType::Str => "a character string",
            FType::Protocol => "a protocol",
            FType::Time => "a time in seconds",
        }
    }
}

/// A byte range of the frame that a derived field reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payload {
    Tcp,
    Udp,
    /// The bytes no dissector claimed (`data.data`).
    Data,
}

impl Payload {
    /// The protocol whose payload it is.
    pub(crate) fn proto(self) -> Proto {
        match self {
            Payload::Tcp => Proto::Tcp,
            Payload::Udp => Proto::Udp,
            Payload::Data => Proto::Data,
        }
    }
}

/// How a field's values are found in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The dissector's occurrences of the field.
    Stored(Field),
    /// A field stored as its printed text whose tshark type is not a string (see
    /// [`NOT_STRINGS`]): present or absent, with no value a comparison could read.
    Opaque(Field),
    /// Both fields' occurrences, header by header (`ip.addr` is `ip.src` then `ip.dst`).
    Either(Field, Field),
    /// `(value >> shift) & mask` of each occurrence; a boolean when the type says so.
    Bits { field: Field, shift: u8, mask: u64 },
    /// The protocol's presence and bytes.
    Protocol(Proto),
    /// TCP segment length: the IP payload length less the TCP header.
    TcpLen,
    /// A payload's bytes.
    Payload(Payload),
    /// A payload's length.
    PayloadLen(Payload),
    /// The outer protocol path as tshark's colon-separated text.
    FrameProtocols,
    /// The conversation index of each TCP (`true`) or UDP header, from earlier frames.
    Stream { tcp: bool },
    /// A TCP analysis flag (present or absent); `None` is "any flag" (`tcp.analysis.flags`).
    Analysis(Option<crate::analysis::Flag>),
    /// `tcp.analysis.duplicate_ack_num` (`true`) or `duplicate_ack_frame`.
    DupAck { num: bool },
    /// A relative TCP number from the conversation table.
    TcpNumber(TcpNumber),
    /// One of the frame's times.
    Time(TimeField),
    /// A number the TCP analysis gives a segment.
    AnalysisValue(AnalysisValue),
}

/// Which `frame.time_*` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeField {
    Epoch,
    Relative,
    Delta,
    DeltaDisplayed,
}

/// Which `tcp.analysis.*` number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnalysisValue {
    AcksFrame,
    AckRtt,
    BytesInFlight,
    PushBytesSent,
}

/// Which relative TCP number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TcpNumber {
    Seq,
    Ack,
    NxtSeq,
    WindowSize,
}

/// A field a filter names, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldRef {
    pub name: &'static str,
    pub ftype: FType,
    pub source: Source,
}

impl FieldRef {
    /// The dissector fields evaluation reads (protocols are always kept).
    pub(crate) fn reads(&self, mask: FieldMask) -> FieldMask {
        match self.source {
            Source::Stored(f) | Source::Opaque(f) | Source::Bits { field: f, .. } => mask.with(f),
            Source::Either(a, b) => mask.with(a).with(b),
            Source::TcpLen => TCP_LEN_INPUTS.iter().fold(mask, |m, f| m.with(*f)),
            // `data` depends on the TCP analysis too (see `filter::stateful`).
            Source::Stream { .. }
            | Source::Analysis(_)
            | Source::DupAck { .. }
            | Source::TcpNumber(_)
            | Source::Time(_)
            | Source::AnalysisValue(_)
            | Source::Protocol(Proto::Data)
            | Source::Payload(Payload::Data)
            | Source::PayloadLen(Payload::Data) => crate::analysis::Streams::fields_read(mask),
            Source::FrameProtocols => super::eval::FRAME_PROTOCOL_FIELDS
                .iter()
                .fold(mask, |m, f| m.with(*f)),
            Source::Protocol(_) | Source::Payload(_) | Source::PayloadLen(_) => mask,
        }
    }
}

/// The fields `tcp.len` is computed from.
pub(crate) const TCP_LEN_INPUTS: [Field; 8] = [
    Field::FrameLen,
    Field::IpLen,
    Field::IpHdrLen,
    Field::Ipv6Plen,
    Field::Ipv6HopoptsLenOct,
    Field::Ipv6DstoptsLenOct,
    Field::Ipv6FraghdrIdent,
    Field::TcpHdrLen,
];

fn stored_type(field: Field) -> FType {
    match field.kind() {
        Kind::Mac => FType::Mac,
        Kind::Ipv4 => FType::Ipv4,
        Kind::Ipv6 => FType::Ipv6,
        Kind::Protocol => FType::Protocol,
        Kind::Str => FType::Str,
        Kind::Dec | Kind::Hex2 | Kind::Hex4 | Kind::Hex6 | Kind::Hex8 | Kind::ChecksumStatus => {
            FType::Uint
        }
    }
}

const fn derived(name: &'static str, ftype: FType, source: Source) -> FieldRef {
    FieldRef {
        name,
        ftype,
        source,
    }
}

const fn bit(name: &'static str, field: Field, shift: u8) -> FieldRef {
    derived(
        name,
        FType::Bool,
        Source::Bits {
            field,
            shift,
            mask: 1,
        },
    )
}

const fn bits(name: &'static str, field: Field, shift: u8, mask: u64) -> FieldRef {
    derived(name, FType::Uint, Source::Bits { field, shift, mask })
}

/// The fields tshark derives that the dissector does not store.
const DERIVED: &[FieldRef] = &[
    derived(
        "eth.addr",
        FType::Mac,
        Source::Either(Field::EthSrc, Field::EthDst),
    ),
    derived(
        "ip.addr",
        FType::Ipv4,
        Source::Either(Field::IpSrc, Field::IpDst),
    ),
    derived(
        "ipv6.addr",
        FType::Ipv6,
        Source::Either(Field::Ipv6Src, Field::Ipv6Dst),
    ),
    derived(
        "tcp.port",
        FType::Uint,
        Source::Either(Field::TcpSrcport, Field::TcpDstport),
    ),
    derived(
        "udp.port",
        FType::Uint,
        Source::Either(Field::UdpSrcport, Field::UdpDstport),
    ),
    bit("tcp.flags.fin", Field::TcpFlags, 0),
    bit("tcp.flags.syn", Field::TcpFlags, 1),
    bit("tcp.flags.reset", Field::TcpFlags, 2),
    bit("tcp.flags.push", Field::TcpFlags, 3),
    bit("tcp.flags.ack", Field::TcpFlags, 4),
    bit("tcp.flags.urg", Field::TcpFlags, 5),
    bit("tcp.flags.ece", Field::TcpFlags, 6),
    bit("tcp.flags.cwr", Field::TcpFlags, 7),
    bit("tcp.flags.ae", Field::TcpFlags, 8),
    derived(
        "tcp.flags.res",
        FType::Bool,
        Source::Bits {
            field: Field::TcpFlags,
            shift: 9,
            mask: 0x7,
        },
    ),
    bit("ip.flags.mf", Field::IpFlags, 0),
    bit("ip.flags.df", Field::IpFlags, 1),
    bit("ip.flags.rb", Field::IpFlags, 2),
    bits("ip.dsfield.dscp", Field::IpDsfield, 2, 0x3f),
    bits("ip.dsfield.ecn", Field::IpDsfield, 0, 0x3),
    bits("ipv6.tclass.dscp", Field::Ipv6Tclass, 2, 0x3f),
    bits("ipv6.tclass.ecn", Field::Ipv6Tclass, 0, 0x3),
    derived("tcp.len", FType::Uint, Source::TcpLen),
    derived("tcp.payload", FType::Bytes, Source::Payload(Payload::Tcp)),
    derived("udp.payload", FType::Bytes, Source::Payload(Payload::Udp)),
    derived("data.data", FType::Bytes, Source::Payload(Payload::Data)),
    derived("data.len", FType::Uint, Source::PayloadLen(Payload::Data)),
    derived("frame.protocols", FType::Str, Source::FrameProtocols),
    derived("tcp.stream", FType::Uint, Source::Stream { tcp: true }),
    derived("tcp.seq", FType::Uint, Source::TcpNumber(TcpNumber::Seq)),
    derived("tcp.ack", FType::Uint, Source::TcpNumber(TcpNumber::Ack)),
    derived(
        "tcp.nxtseq",
        FType::Uint,
        Source::TcpNumber(TcpNumber::NxtSeq),
    ),
    derived(
        "tcp.window_size",
        FType::Uint,
        Source::TcpNumber(TcpNumber::WindowSize),
    ),
    derived("udp.stream", FType::Uint, Source::Stream { tcp: false }),
    derived(
        "frame.time_epoch",
        FType::Time,
        Source::Time(TimeField::Epoch),
    ),
    derived(
        "frame.time_relative",
        FType::Time,
        Source::Time(TimeField::Relative),
    ),
    derived(
        "frame.time_delta",
        FType::Time,
        Source::Time(TimeField::Delta),
    ),
    derived(
        "frame.time_delta_displayed",
        FType::Time,
        Source::Time(TimeField::DeltaDisplayed),
    ),
    derived(
        "tcp.analysis.acks_frame",
        FType::Uint,
        Source::AnalysisValue(AnalysisValue::AcksFrame),
    ),
    derived(
        "tcp.analysis.ack_rtt",
        FType::Time,
        Source::AnalysisValue(AnalysisValue::AckRtt),
    ),
    derived(
        "tcp.analysis.bytes_in_flight",
        FType::Uint,
        Source::AnalysisValue(AnalysisValue::BytesInFlight),
    ),
    derived(
        "tcp.analysis.push_bytes_sent",
        FType::Uint,
        Source::AnalysisValue(AnalysisValue::PushBytesSent),
    ),
];

/// Fields the dissector stores as text ([`Kind::Str`]) whose tshark 4.0 type is not a
/// string (`tshark -G fields`: absolute times, byte strings, a float, a signed integer).
/// tshark compares them as their own type, so reading their printed text as a string
/// would select frames it does not; until their values are modelled they only exist.
pub(crate) const NOT_STRINGS: &[&str] = &[
    "dhcp.hw.addr_padding",
    "dhcp.option.padding",
    "dhcp.option.value",
    "dhcpv6.duid.bytes",
    "dhcpv6.duidllt.time",
    "ntp.org",
    "ntp.rec",
    "ntp.refid",
    "ntp.reftime",
    "ntp.xmt",
    "pim.res_bytes",
    "quic.dcid",
    "quic.scid",
    "radiotap.datarate",
    "radiotap.dbm_antsignal",
];

/// The TCP analysis fields.
fn analysis(name: &str) -> Option<FieldRef> {
    use crate::analysis::Flag;
    let (name, ftype, source) = match name {
        "tcp.analysis.flags" => (
            "tcp.analysis.flags",
            FType::Protocol,
            Source::Analysis(None),
        ),
        "tcp.analysis.duplicate_ack_num" => (
            "tcp.analysis.duplicate_ack_num",
            FType::Uint,
            Source::DupAck { num: true },
        ),
        "tcp.analysis.duplicate_ack_frame" => (
            "tcp.analysis.duplicate_ack_frame",
            FType::Uint,
            Source::DupAck { num: false },
        ),
        _ => {
            let (name, flag) = Flag::NAMED.iter().find(|(n, _)| *n == name)?;
            (*name, FType::Protocol, Source::Analysis(Some(*flag)))
        }
    };
    Some(FieldRef {
        name,
        ftype,
        source,
    })
}

/// Resolves a filter name: a stored field, a protocol or a derived field.
pub(crate) fn lookup(name: &str) -> Option<FieldRef> {
    if let Some(found) = DERIVED.iter().find(|d| d.name == name) {
        return Some(*found);
    }
    if let Some(found) = analysis(name) {
        return Some(found);
    }
    let field = Field::from_name(name)?;
    let source = match field {
        Field::Proto(p) => Source::Protocol(p),
        other if other.kind() == Kind::Str && NOT_STRINGS.contains(&other.name()) => {
            Source::Opaque(other)
        }
        other => Source::Stored(other),
    };
    Some(FieldRef {
        name: field.name(),
        ftype: stored_type(field),
        source,
    })
}

/// Every name [`lookup`] knows beyond the dissector's own.
#[cfg(test)]
pub(crate) fn derived_names() -> impl Iterator<Item = &'static str> {
    DERIVED.iter().map(|d| d.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_do_not_shadow_stored_fields() {
        for name in derived_names() {
            assert!(Field::from_name(name).is_none(), "{name} is stored too");
        }
    }

    #[test]
    fn looks_up_stored_protocol_and_derived_names() {
        assert_eq!(
            lookup("ip.ttl").unwrap().source,
            Source::Stored(Field::IpTtl)
        );
        assert_eq!(lookup("tcp").unwrap().ftype, FType::Protocol);
        assert_eq!(lookup("tcp.flags.syn").unwrap().ftype, FType::Bool);
        assert!(lookup("tcp.bogus").is_none());
        assert_eq!(
            lookup("dns.qry.name").unwrap().source,
            Source::Stored(Field::DnsQryName)
        );
    }

    #[test]
    fn fields_that_are_not_strings_in_tshark_are_stored_text_and_opaque() {
        for name in NOT_STRINGS {
            let field = Field::from_name(name).unwrap_or_else(|| panic!("{name} is stored"));
            assert_eq!(field.kind(), Kind::Str, "{name}");
            assert_eq!(
                lookup(name).unwrap().source,
                Source::Opaque(field),
                "{name}"
            );
        }
    }
}
