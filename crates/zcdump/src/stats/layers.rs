//! The layer log: what the conversation tables and the hierarchy read of a frame, recorded
//! by [`FrameFields`](crate::fields::FrameFields) as the dissector enters protocols and
//! pushes fields, so `--stats` needs neither the occurrence list nor a walk over it.
//!
//! It holds one record per Ethernet (or ISL), IPv4, IPv6, TCP and UDP header outside quoted
//! packets, each with the first addresses and ports pushed while it was the innermost
//! protocol, and the few hints the hierarchy needs ([`TreeHints`]). The records are turned
//! into conversations by [`conversations_of`](super::conversation::conversations_of).

use super::conversation::Table;
use super::tree::{TreeHints, TreeNote};
use crate::fields::{Field, Proto, Value};

/// The fields of one outer layer, as the dissector pushed them.
#[derive(Debug, Clone, Copy)]
pub(super) struct LayerRecord {
    pub table: Table,
    /// The first source and destination address pushed in the layer.
    pub src: Option<Value>,
    pub dst: Option<Value>,
    /// The first source and destination port.
    pub ports: [Option<u16>; 2],
    /// A TCP header's raw sequence number and flags (the last pushed).
    pub seq: Option<u32>,
    pub flags: Option<u64>,
    /// An IPv6 fragment that is not the first.
    pub later_fragment: bool,
    /// The last field of a TCP or UDP header was captured (its checksum status for UDP,
    /// the urgent pointer for TCP).
    pub header_end: bool,
}

impl LayerRecord {
    fn new(table: Table) -> Self {
        LayerRecord {
            table,
            src: None,
            dst: None,
            ports: [None; 2],
            seq: None,
            flags: None,
            later_fragment: false,
            header_end: false,
        }
    }
}

/// The layers and hints of one frame. Reused frame after frame: clearing keeps the
/// allocation, so recording allocates nothing once the deepest frame was seen.
///
/// ```
/// use zcdump::fields::{Field, FrameFields, Proto, Value};
/// use zcdump::stats::Stats;
/// // The log is what the statistics read: a frame with addresses but no ports is one
/// // IPv4 conversation (and no Ethernet one: its addresses were not pushed).
/// let mut f = FrameFields::default();
/// f.enter(Proto::Eth);
/// f.enter(Proto::Ip);
/// f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
/// f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
/// let mut stats = Stats::new(10);
/// stats.add(&f, 60);
/// let mut out = Vec::new();
/// stats.write(&mut out, None)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.contains("10.0.0.1 ") && text.contains("<-> 10.0.0.2 "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub(crate) struct LayerLog {
    records: Vec<LayerRecord>,
    /// Whether the last record is the innermost outer protocol so far (fields go to it).
    open: bool,
    /// A quoted packet's unclaimed payload was reached: later fields are not read.
    stopped: bool,
    hints: TreeHints,
}

impl LayerLog {
    /// The fields the log records; [`FrameFields`](crate::fields::FrameFields) keeps a log
    /// only when it wants every one of them (with fewer, the records would be incomplete).
    pub(crate) const FIELDS: &'static [Field] = &[
        Field::EthSrc,
        Field::EthDst,
        Field::IslSrc,
        Field::IslDst,
        Field::IpSrc,
        Field::IpDst,
        Field::Ipv6Src,
        Field::Ipv6Dst,
        Field::TcpSrcport,
        Field::TcpDstport,
        Field::TcpSeqRaw,
        Field::TcpFlags,
        Field::TcpUrgentPointer,
        Field::Ipv6FraghdrOffset,
        Field::WlanFcType,
        Field::PppoeCode,
        Field::DnsLength,
        Field::UdpSrcport,
        Field::UdpDstport,
        Field::UdpChecksumStatus,
    ];

    /// Whether [`push`](Self::push) reads `field`. A `const fn` match, so at the
    /// dissector's call sites (which name constant fields) the test folds away.
    #[inline(always)]
    pub(crate) const fn reads(field: Field) -> bool {
        matches!(
            field,
            Field::EthSrc
                | Field::EthDst
                | Field::IslSrc
                | Field::IslDst
                | Field::IpSrc
                | Field::IpDst
                | Field::Ipv6Src
                | Field::Ipv6Dst
                | Field::TcpSrcport
                | Field::TcpDstport
                | Field::TcpSeqRaw
                | Field::TcpFlags
                | Field::TcpUrgentPointer
                | Field::Ipv6FraghdrOffset
                | Field::WlanFcType
                | Field::PppoeCode
                | Field::DnsLength
                | Field::UdpSrcport
                | Field::UdpDstport
                | Field::UdpChecksumStatus
        )
    }

    /// Empties the log for the next frame.
    #[inline]
    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.open = false;
        self.stopped = false;
        self.hints = TreeHints::default();
    }

    /// Protocol `proto` was entered; `quoted`: inside a packet quoted by an ICMP error.
    #[inline]
    pub(crate) fn enter(&mut self, proto: Proto, quoted: bool) {
        if self.stopped {
            return;
        }
        // A protocol after the one that finished reads on.
        self.hints.finished = false;
        self.hints.cut_before_item = false;
        self.hints.body_past_cut = false;
        self.hints.unreassembled = false;
        self.hints.data_step = false;
        self.hints.data_nested = false;
        self.hints.in_quote = quoted;
        if quoted {
            // The outer layers are complete; the quoted packet's own are not counted, and
            // its unclaimed payload ends what the statistics read.
            self.open = false;
            if proto == Proto::Data {
                self.hints.quoted_data = true;
                self.stopped = true;
            }
            return;
        }
        let table = match proto {
            // tshark counts an ISL header's addresses as an Ethernet conversation.
            Proto::Eth | Proto::Isl => Table::Eth,
            Proto::Ip => Table::Ip,
            Proto::Ipv6 => Table::Ipv6,
            Proto::Tcp => Table::Tcp,
            Proto::Udp => Table::Udp,
            _ => {
                // Another protocol's fields belong to no conversation.
                self.open = false;
                return;
            }
        };
        self.records.push(LayerRecord::new(table));
        self.open = true;
    }

    /// Field `field` (one that [`reads`](Self::reads) names) was pushed with `value`.
    #[inline]
    pub(crate) fn push(&mut self, field: Field, value: &Value) {
        if self.stopped {
            return;
        }
        match field {
            Field::WlanFcType => self.hints.wlan_mgt |= uint(value) == Some(0),
            Field::PppoeCode => self.hints.pppoe_session |= uint(value) == Some(0),
            Field::DnsLength => self.hints.dns_in_tcp = self.hints.dns_in_tcp.saturating_add(1),
            _ => {
                if !self.open {
                    return;
                }
                let Some(layer) = self.records.last_mut() else {
                    return;
                };
                match field {
                    Field::EthSrc | Field::IslSrc | Field::IpSrc | Field::Ipv6Src => {
                        layer.src.get_or_insert(*value);
                    }
                    Field::EthDst | Field::IslDst | Field::IpDst | Field::Ipv6Dst => {
                        layer.dst.get_or_insert(*value);
                    }
                    Field::TcpSrcport | Field::UdpSrcport if layer.ports[0].is_none() => {
                        layer.ports[0] = port(value);
                    }
                    Field::TcpDstport | Field::UdpDstport if layer.ports[1].is_none() => {
                        layer.ports[1] = port(value);
                    }
                    Field::TcpSeqRaw => {
                        layer.seq = uint(value).and_then(|v| u32::try_from(v).ok());
                    }
                    Field::TcpFlags => layer.flags = uint(value),
                    Field::TcpUrgentPointer | Field::UdpChecksumStatus => layer.header_end = true,
                    Field::Ipv6FraghdrOffset => {
                        layer.later_fragment |= uint(value).is_some_and(|o| o != 0);
                    }
                    _ => {}
                }
            }
        }
    }

    /// A dissector's note for the hierarchy (see
    /// [`FrameFields::note_tree`](crate::fields::FrameFields)).
    #[inline]
    pub(crate) fn note(&mut self, note: TreeNote) {
        if self.stopped {
            return;
        }
        match note {
            TreeNote::FinishedBeforeCut => self.hints.finished = true,
            TreeNote::CutBeforeItem => self.hints.cut_before_item = true,
            TreeNote::ExpertNotMalformed => self.hints.expert_not_malformed = true,
            TreeNote::BodyReadPastCut => self.hints.body_past_cut = true,
            TreeNote::Unreassembled => self.hints.unreassembled = true,
            TreeNote::DataStep => self.hints.data_step = true,
            TreeNote::DataNested => self.hints.data_nested = true,
            TreeNote::FollowingMessage => self.hints.following_message = true,
            TreeNote::MultipartWithoutBoundary => self.hints.multipart_text = true,
        }
    }

    /// The outer layers in order, and whether the last is the frame's innermost outer
    /// protocol (a malformed frame may have broken off in it).
    pub(super) fn records(&self) -> (&[LayerRecord], bool) {
        (&self.records, self.open)
    }

    /// What the hierarchy needs beyond the path (`snapped` is left false).
    pub(super) fn hints(&self) -> TreeHints {
        self.hints
    }
}

fn uint(v: &Value) -> Option<u64> {
    match *v {
        Value::Uint(x) => Some(x),
        _ => None,
    }
}

fn port(v: &Value) -> Option<u16> {
    match *v {
        Value::Uint(p) => u16::try_from(p).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_exactly_the_fields_listed() {
        for field in Field::all() {
            assert_eq!(
                LayerLog::reads(field),
                LayerLog::FIELDS.contains(&field),
                "{}",
                field.name()
            );
        }
    }

    #[test]
    fn every_field_the_log_reads_is_one_the_statistics_ask_for() {
        for field in LayerLog::FIELDS {
            assert!(
                super::super::Stats::FIELDS.contains(field),
                "{}",
                field.name()
            );
        }
    }

    #[test]
    fn fields_after_a_protocol_of_no_table_or_inside_a_quote_are_not_recorded() {
        let mut log = LayerLog::default();
        log.enter(Proto::Eth, false);
        log.push(Field::EthSrc, &Value::Mac([1; 6]));
        log.push(Field::EthSrc, &Value::Mac([2; 6])); // not the first: ignored
        log.enter(Proto::Vlan, false);
        log.push(Field::EthDst, &Value::Mac([3; 6])); // after VLAN: no layer's
        log.enter(Proto::Ip, false);
        log.push(Field::IpSrc, &Value::Ipv4([1, 2, 3, 4]));
        log.enter(Proto::Icmp, false);
        log.enter(Proto::Ip, true);
        log.push(Field::IpDst, &Value::Ipv4([5, 6, 7, 8])); // quoted: ignored
        log.push(Field::DnsLength, &Value::Uint(9));
        log.enter(Proto::Data, true);
        log.push(Field::DnsLength, &Value::Uint(9)); // after the quoted data: ignored
        let (records, open) = log.records();
        assert!(!open);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].src, Some(Value::Mac([1; 6])));
        assert_eq!(records[0].dst, None);
        assert_eq!(records[1].src, Some(Value::Ipv4([1, 2, 3, 4])));
        assert_eq!(records[1].dst, None);
        assert!(log.hints().quoted_data);
        assert_eq!(log.hints().dns_in_tcp, 1);
        log.clear();
        assert_eq!(log.records().0.len(), 0);
        assert_eq!(log.hints(), TreeHints::default());
    }

    #[test]
    fn a_later_protocol_undoes_the_notes_about_the_innermost_but_not_the_expert_one() {
        let mut log = LayerLog::default();
        log.enter(Proto::Udp, false);
        log.note(TreeNote::FinishedBeforeCut);
        log.note(TreeNote::CutBeforeItem);
        log.note(TreeNote::ExpertNotMalformed);
        log.note(TreeNote::BodyReadPastCut);
        log.note(TreeNote::Unreassembled);
        let h = log.hints();
        assert!(h.finished && h.cut_before_item && h.expert_not_malformed);
        assert!(h.body_past_cut && h.unreassembled);
        log.enter(Proto::Dns, false);
        let h = log.hints();
        assert!(!h.finished && !h.cut_before_item && h.expert_not_malformed);
        assert!(!h.body_past_cut && !h.unreassembled);
    }
}
