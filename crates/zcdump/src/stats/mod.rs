//! `--stats`: a protocol hierarchy (frames and bytes per protocol path, as `tshark -q -z
//! io,phs` prints it), the Ethernet, IPv4, IPv6, TCP and UDP conversation tables (as `-z
//! conv,eth|ip|ipv6|tcp|udp` print them), and malformed / bad-checksum counts. Everything
//! is gathered from the same [`FrameFields`] the other outputs read.

pub(crate) mod conversation;
mod layers;
mod table;
mod tally;
mod tree;

use std::io::{self, Write};

use crate::dissect::Conversations;
use crate::fields::{Field, FrameFields, Proto};
use conversation::{ConversationKey, Table, WordMap};
pub(crate) use layers::LayerLog;
pub use tally::Tally;
use tally::{Conversation, Totals};
use tree::Step;
pub(crate) use tree::TreeNote;

/// Conversations tracked at once before the smallest are dropped (a few MiB of table).
const MAX_CONVERSATIONS: usize = 1 << 16;

/// One node of the protocol tree.
#[derive(Debug, Clone)]
struct Node {
    step: Step,
    totals: Totals,
    children: Vec<usize>,
}

/// Statistics of a whole run: frames are counted in [`Tally`]s (one per batch, possibly on
/// several threads) that are merged in file order, so the report does not depend on how
/// many threads counted.
///
/// ```
/// use zcdump::fields::{FrameFields, Proto};
/// use zcdump::stats::Stats;
/// let mut stats = Stats::new(10);
/// let mut f = FrameFields::default();
/// f.enter(Proto::Eth);
/// f.enter(Proto::Arp);
/// stats.add(&f, 42);
/// let mut out = Vec::new();
/// stats.write(&mut out, None)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.contains("  arp"));
/// assert!(text.contains("frames:1 bytes:42"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Stats {
    /// Node 0 is the invisible root ("frame").
    nodes: Vec<Node>,
    /// Every conversation, in the order first seen.
    conversations: Vec<(ConversationKey, Conversation)>,
    /// Where each key's latest conversation is in `conversations`.
    latest: WordMap<ConversationKey, usize>,
    /// Capture time of the file's first frame (conversation starts are relative to it).
    first_frame_ns: Option<i128>,
    top: usize,
    /// Most conversations kept at once; see [`Stats::prune`].
    max_conversations: usize,
    /// Conversations dropped by pruning (their frames still count everywhere else).
    pruned: u64,
    all: Totals,
    malformed: u64,
    link_not_decoded: u64,
    bad_checksum_frames: u64,
    bad_checksums: u64,
    /// What the merged frames' TCP conversations showed (an HTTP request), to settle what
    /// later tallies' frames assumed.
    memory: Conversations,
}

/// The checksum statuses the bad-checksum count reads, beyond the layer log's own (UDP's).
const CHECKSUM_STATUSES: [Field; 7] = [
    Field::IpChecksumStatus,
    Field::IcmpChecksumStatus,
    Field::Icmpv6ChecksumStatus,
    Field::TcpChecksumStatus,
    Field::PimCksumStatus,
    Field::DvmrpChecksumStatus,
    Field::CdpChecksumStatus,
];

/// [`Stats::FIELDS`]: [`LayerLog::FIELDS`] followed by [`CHECKSUM_STATUSES`].
const STATS_FIELDS: [Field; LayerLog::FIELDS.len() + CHECKSUM_STATUSES.len()] = {
    let mut all = [Field::FrameNumber; LayerLog::FIELDS.len() + CHECKSUM_STATUSES.len()];
    let mut i = 0;
    while i < LayerLog::FIELDS.len() {
        all[i] = LayerLog::FIELDS[i];
        i += 1;
    }
    while i < all.len() {
        all[i] = CHECKSUM_STATUSES[i - LayerLog::FIELDS.len()];
        i += 1;
    }
    all
};

impl Stats {
    /// The fields the statistics read: the layer log's (addresses, ports and the
    /// hierarchy's hints) and every checksum status, for the bad-checksum count.
    pub const FIELDS: &'static [Field] = &STATS_FIELDS;

    /// Empty statistics that will list the `top` largest conversations.
    ///
    /// ```
    /// use zcdump::stats::Stats;
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut stats = Stats::new(1); // list one conversation per table
    /// stats.add(&udp(1000), 100);
    /// stats.add(&udp(2000), 300);
    /// let text = report(&stats);
    /// // One IPv4 conversation and two UDP ones; of two with one frame each, the first seen.
    /// assert!(text.contains("Conversations: 3 in all; at most 1 listed per table"));
    /// assert!(text.contains("10.0.0.1:1000") && !text.contains("10.0.0.1:2000"));
    /// ```
    #[must_use]
    pub fn new(top: usize) -> Self {
        Stats {
            nodes: vec![Node {
                step: Step::Proto(Proto::Frame),
                totals: Totals::default(),
                children: Vec::new(),
            }],
            conversations: Vec::new(),
            latest: WordMap::default(),
            first_frame_ns: None,
            top,
            max_conversations: MAX_CONVERSATIONS,
            pruned: 0,
            all: Totals::default(),
            malformed: 0,
            link_not_decoded: 0,
            bad_checksum_frames: 0,
            bad_checksums: 0,
            memory: Conversations::default(),
        }
    }

    /// Counts one frame of `len` bytes on the wire (a one-frame [`Tally`], merged).
    ///
    /// ```
    /// use zcdump::stats::Stats;
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut stats = Stats::new(10);
    /// stats.add(&udp(1000), 60);
    /// stats.add(&udp(1000), 90);
    /// assert!(report(&stats).contains("\n    udp ")); // eth > ip > udp, two steps in
    /// assert!(report(&stats).contains("Frames: 2 bytes: 150"));
    /// ```
    pub fn add(&mut self, f: &FrameFields, len: u64) {
        let mut tally = Tally::default();
        tally.add(f, len);
        self.merge(&mut tally);
    }

    /// Adds the frames counted in `tally` (which is left empty) after those merged so far.
    ///
    /// The conversation table is pruned only here, between tallies, so the result depends
    /// on the frames and on where tallies end, never on which thread counted them.
    ///
    /// ```
    /// use zcdump::stats::{Stats, Tally};
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut tally = Tally::default(); // e.g. counted by a worker thread
    /// tally.add(&udp(1000), 60);
    /// tally.add(&udp(2000), 70);
    /// let mut stats = Stats::new(10);
    /// stats.merge(&mut tally);
    /// assert!(report(&stats).contains("Frames: 2 bytes: 130"));
    /// stats.merge(&mut tally); // the tally was emptied: nothing is counted twice
    /// assert!(report(&stats).contains("Frames: 2 bytes: 130"));
    /// ```
    pub fn merge(&mut self, tally: &mut Tally) {
        // Earlier tallies have been merged: what each frame assumed of its conversation
        // can be settled now, before its path's count is merged.
        for record in &tally.http {
            let Some(key) = record.events.key else {
                continue;
            };
            // A new connection's SYN first, then what the frame assumed, then its request.
            if record.events.reset {
                self.memory.new_connection(&key);
            }
            if let Some((counted, without, len)) = record.assumed {
                if !self.memory.http_request_seen(&key) {
                    tally.paths[counted].totals.remove(len);
                    tally.paths[without].totals.add(len);
                }
            }
            if record.events.request {
                self.memory.http_request(key);
            }
        }
        self.all.merge(tally.all);
        self.malformed += tally.malformed;
        self.link_not_decoded += tally.link_not_decoded;
        self.bad_checksum_frames += tally.bad_checksum_frames;
        self.bad_checksums += tally.bad_checksums;
        // Paths in the order the tally first saw them, so new tree nodes appear in frame
        // order exactly as if every frame had been added here one by one.
        for p in &tally.paths {
            // A path an HTTP continuation would have had, or had until settled, may hold
            // no frame: it makes no node (tshark never saw it).
            if p.totals.frames == 0 {
                continue;
            }
            let mut node = 0;
            for &proto in &p.path {
                node = self.child(node, proto);
                self.nodes[node].totals.merge(p.totals);
            }
        }
        if self.first_frame_ns.is_none() {
            self.first_frame_ns = tally.first_frame_ns;
        }
        for (key, c) in tally.conversations.drain(..) {
            let next = self.conversations.len();
            let slot = self.latest.entry(key).or_insert(next);
            match self.conversations.get_mut(*slot) {
                Some((_, earlier)) if !earlier.ends_before(&c) => earlier.merge(&c),
                _ => {
                    *slot = next;
                    self.conversations.push((key, c));
                }
            }
        }
        if self.conversations.len() > self.max_conversations {
            self.prune();
        }
        tally.clear();
    }

    /// Caps how many conversations are tracked (for tests of the pruning).
    ///
    /// ```
    /// use zcdump::stats::Stats;
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut stats = Stats::new(10).with_max_conversations(2);
    /// stats.add(&udp(1000), 100); // the IPv4 conversation and a UDP one
    /// stats.add(&udp(2000), 200); // a third conversation: the smaller half goes
    /// stats.add(&udp(3000), 300);
    /// assert!(report(&stats).contains("Conversations: 4 in all; 2 small ones dropped"));
    /// ```
    #[must_use]
    pub fn with_max_conversations(mut self, max: usize) -> Self {
        self.max_conversations = max.max(2);
        self
    }

    /// Keeps memory bounded however many conversations a capture holds: when the table is
    /// full, the smaller half (by bytes) is dropped. Large conversations survive, so the
    /// top-N report stays right for traffic dominated by a few of them; the report says
    /// how many were dropped.
    fn prune(&mut self) {
        let mut sizes: Vec<u64> = self.conversations.iter().map(|c| c.1.bytes()).collect();
        let mid = sizes.len() / 2;
        let (_, &mut median, _) = sizes.select_nth_unstable(mid);
        let before = self.conversations.len();
        self.conversations.retain(|c| c.1.bytes() > median);
        self.latest.clear();
        for (i, (key, _)) in self.conversations.iter().enumerate() {
            // Later entries of a key overwrite earlier ones: the latest wins.
            self.latest.insert(*key, i);
        }
        self.pruned += (before - self.conversations.len()) as u64;
    }

    fn child(&mut self, parent: usize, step: Step) -> usize {
        if let Some(&c) = self.nodes[parent]
            .children
            .iter()
            .find(|&&c| self.nodes[c].step == step)
        {
            return c;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            step,
            totals: Totals::default(),
            children: Vec::new(),
        });
        self.nodes[parent].children.push(id);
        id
    }

    /// Writes the report; `filter` is echoed in the hierarchy heading.
    ///
    /// # Errors
    /// Any error of `out`.
    ///
    /// ```
    /// use zcdump::stats::Stats;
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut stats = Stats::new(10);
    /// stats.add(&udp(1000), 60);
    /// let mut out = Vec::new();
    /// stats.write(&mut out, Some("udp"))?;
    /// let text = String::from_utf8_lossy(&out);
    /// assert!(text.contains("Protocol Hierarchy Statistics\nFilter: udp\n"));
    /// assert!(text.contains("Malformed frames: 0"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write(&self, out: &mut impl Write, filter: Option<&str>) -> io::Result<()> {
        let rule = "===================================================================";
        writeln!(out, "\n{rule}\nProtocol Hierarchy Statistics")?;
        writeln!(out, "Filter: {}\n", filter.unwrap_or(""))?;
        self.write_tree(out, 0, 0)?;
        writeln!(out, "{rule}")?;
        self.write_conversations(out, filter)?;
        writeln!(out, "{rule}")?;
        writeln!(out, "Frames: {} bytes: {}", self.all.frames, self.all.bytes)?;
        writeln!(out, "Malformed frames: {}", self.malformed)?;
        if self.link_not_decoded > 0 {
            writeln!(
                out,
                "Frames of a link type not decoded: {}",
                self.link_not_decoded
            )?;
        }
        writeln!(
            out,
            "Bad checksums: {} (in {} frames)",
            self.bad_checksums, self.bad_checksum_frames
        )?;
        writeln!(out, "{rule}")
    }

    fn write_tree(&self, out: &mut impl Write, node: usize, depth: usize) -> io::Result<()> {
        for &c in &self.nodes[node].children {
            let n = &self.nodes[c];
            // A path that an HTTP continuation assumed, or would have had without a
            // request before it, may end up with no frame: tshark never saw it.
            if n.totals.frames == 0 {
                continue;
            }
            let label = format!("{:indent$}{}", "", n.step.name(), indent = depth * 2);
            writeln!(
                out,
                "{label:<41}frames:{} bytes:{}",
                n.totals.frames, n.totals.bytes
            )?;
            self.write_tree(out, c, depth + 1)?;
        }
        Ok(())
    }

    fn write_conversations(&self, out: &mut impl Write, filter: Option<&str>) -> io::Result<()> {
        let start = self.first_frame_ns.unwrap_or(0);
        let mut truncated = false;
        for t in Table::ALL {
            let mut rows: Vec<&(ConversationKey, Conversation)> = self
                .conversations
                .iter()
                .filter(|(k, _)| k.table() == t)
                .collect();
            // tshark's order: most frames first, ties in the order first seen (a stable
            // sort of the list in that order).
            rows.sort_by_key(|r| std::cmp::Reverse(r.1.frames()));
            let listed = rows.len().min(self.top);
            truncated |= listed < rows.len();
            let rows: Vec<table::Row> = rows[..listed]
                .iter()
                .map(|(key, c)| table::Row::new(key, c, start))
                .collect();
            table::write(out, t, filter, &rows)?;
        }
        if self.pruned > 0 || truncated {
            writeln!(
                out,
                "Conversations: {} in all{}{}",
                self.conversations.len() as u64 + self.pruned,
                if truncated {
                    format!("; at most {} listed per table (--top)", self.top)
                } else {
                    String::new()
                },
                if self.pruned > 0 {
                    format!("; {} small ones dropped to bound memory", self.pruned)
                } else {
                    String::new()
                }
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Value;

    fn tcp_frame(src: [u8; 4], sp: u16, dst: [u8; 4], dp: u16) -> FrameFields {
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        f.enter(Proto::Ip);
        f.push(Field::IpSrc, Value::Ipv4(src));
        f.push(Field::IpDst, Value::Ipv4(dst));
        f.enter(Proto::Tcp);
        f.push_uint(Field::TcpSrcport, sp);
        f.push_uint(Field::TcpDstport, dp);
        f.push_uint(Field::TcpUrgentPointer, 0u16); // the header was whole
        f
    }

    #[test]
    fn both_directions_count_as_one_conversation_whose_a_sent_first() {
        let mut s = Stats::new(5);
        s.add(&tcp_frame([10, 0, 0, 2], 80, [10, 0, 0, 1], 1000), 60);
        s.add(&tcp_frame([10, 0, 0, 1], 1000, [10, 0, 0, 2], 80), 100);
        s.add(&tcp_frame([10, 0, 0, 1], 1000, [10, 0, 0, 2], 80), 100);
        // One IPv4 and one TCP conversation.
        assert_eq!(s.conversations.len(), 2);
        let (_, tcp) = s.conversations[1];
        let (a_to_b, b_to_a) = tcp.a_to_b();
        assert_eq!((a_to_b.frames, a_to_b.bytes), (1, 60));
        assert_eq!((b_to_a.frames, b_to_a.bytes), (2, 200));
        let mut out = Vec::new();
        s.write(&mut out, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("10.0.0.2:80                <-> 10.0.0.1:1000"),
            "{text}"
        );
    }

    #[test]
    fn a_syn_with_a_new_number_starts_a_new_tcp_conversation_in_any_tally() {
        let syn = |seq: u32| {
            let mut f = tcp_frame([10, 0, 0, 1], 1000, [10, 0, 0, 2], 80);
            f.push_uint(Field::TcpSeqRaw, seq);
            f.push_uint(Field::TcpFlags, 0x002u16);
            f
        };
        // All in one tally, and one tally per frame: the same two conversations.
        for per_frame in [false, true] {
            let mut s = Stats::new(5);
            let mut tally = Tally::default();
            for (f, t) in [(syn(7), 1), (syn(7), 2), (syn(9), 3)] {
                tally.add_at(&f, 60, false, t);
                if per_frame {
                    s.merge(&mut tally);
                }
            }
            s.merge(&mut tally);
            let tcp: Vec<u64> = s
                .conversations
                .iter()
                .filter(|(k, _)| k.table() == Table::Tcp)
                .map(|(_, c)| c.frames())
                .collect();
            assert_eq!(tcp, [2, 1], "one tally per frame: {per_frame}");
        }
    }

    #[test]
    fn pruning_bounds_the_table_and_keeps_the_largest() {
        let mut s = Stats::new(3).with_max_conversations(8);
        for i in 0..100u16 {
            s.add(&tcp_frame([10, 0, 0, 1], 1000 + i, [10, 0, 0, 2], 80), 60);
        }
        for _ in 0..50 {
            s.add(&tcp_frame([10, 0, 0, 9], 7, [10, 0, 0, 2], 80), 1500);
        }
        assert!(s.conversations.len() <= 8);
        let mut out = Vec::new();
        s.write(&mut out, None).unwrap();
        let text = String::from_utf8(out).unwrap();
        // 101 TCP conversations and 2 IPv4 ones.
        assert!(
            text.contains("Conversations: 103 in all; at most 3 listed per table (--top); "),
            "{text}"
        );
        assert!(
            text.contains("10.0.0.9:7                 <-> 10.0.0.2:80                      0 0 bytes        50 75 kB"),
            "{text}"
        );
    }

    /// The "Bad checksums" line counts every checksum status the dissectors push, so the
    /// statistics must ask for each of them: a protocol whose status field is missing here
    /// counts its bad checksums only when another output happens to want the field.
    #[test]
    fn stats_fields_hold_every_checksum_status() {
        for field in Field::all().filter(|f| f.kind() == crate::fields::Kind::ChecksumStatus) {
            assert!(Stats::FIELDS.contains(&field), "{} missing", field.name());
        }
    }

    #[test]
    fn hierarchy_counts_every_prefix_and_bad_checksums() {
        let mut s = Stats::new(5);
        let mut f = tcp_frame([1, 1, 1, 1], 1, [2, 2, 2, 2], 2);
        f.push_uint(Field::TcpChecksumStatus, 0u8);
        s.add(&f, 10);
        let mut g = FrameFields::default();
        g.enter(Proto::Eth);
        g.enter(Proto::Arp);
        g.set_malformed("arp", "short".into());
        s.add(&g, 5);
        let mut out = Vec::new();
        s.write(&mut out, Some("tcp")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Filter: tcp"));
        assert!(text.contains(&format!("{:<41}frames:2 bytes:15", "eth")));
        assert!(text.contains(&format!("{:<41}frames:1 bytes:10", "    tcp")));
        assert!(text.contains("Malformed frames: 1"));
        assert!(text.contains("Bad checksums: 1 (in 1 frames)"));
        assert!(text.contains("1.1.1.1:1"));
    }
}
