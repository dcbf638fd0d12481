//! `--stats`: a protocol hierarchy (frames and bytes per protocol path, laid out like
//! `tshark -q -z io,phs`), the top conversations by bytes, and malformed / bad-checksum
//! counts. Everything is gathered from the same [`FrameFields`] the other outputs read.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};

use crate::fields::format::{write_ipv4, write_ipv6};
use crate::fields::{Field, FrameFields, Proto, Value};

/// Conversations tracked at once before the smallest are dropped (about 6 MiB of table).
const MAX_CONVERSATIONS: usize = 1 << 16;

/// One node of the protocol tree.
#[derive(Debug, Clone)]
struct Node {
    proto: Proto,
    frames: u64,
    bytes: u64,
    children: Vec<usize>,
}

/// The two endpoints and transport of a conversation, ordered so both directions agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct ConversationKey {
    transport: Proto,
    a: (Value, u16),
    b: (Value, u16),
}

/// A multiply-rotate hasher for conversation keys: the keys come from the capture, but a
/// slow table only costs time (the report is capped), so DoS-resistant SipHash is not worth
/// its price on this hot path.
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u64(u64::from(v));
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }

    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    frames: u64,
    bytes: u64,
}

/// Accumulates statistics over a run.
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
/// stats.write(&mut out, None).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains("  arp"));
/// assert!(text.contains("frames:1 bytes:42"));
/// ```
#[derive(Debug, Clone)]
pub struct Stats {
    /// Node 0 is the invisible root ("frame").
    nodes: Vec<Node>,
    /// The previous frame's protocol path and the tree nodes it leads through.
    last_path: Vec<Proto>,
    last_nodes: Vec<usize>,
    conversations: HashMap<ConversationKey, Totals, BuildHasherDefault<KeyHasher>>,
    top: usize,
    /// Most conversations kept at once; see [`Stats::prune`].
    max_conversations: usize,
    /// Conversations dropped by pruning (their frames still count everywhere else).
    pruned: u64,
    frames: u64,
    bytes: u64,
    malformed: u64,
    bad_checksum_frames: u64,
    bad_checksums: u64,
}

impl Stats {
    /// The fields the statistics read.
    pub const FIELDS: &'static [Field] = &[
        Field::IpSrc,
        Field::IpDst,
        Field::Ipv6Src,
        Field::Ipv6Dst,
        Field::TcpSrcport,
        Field::TcpDstport,
        Field::UdpSrcport,
        Field::UdpDstport,
        Field::IpChecksumStatus,
        Field::IcmpChecksumStatus,
        Field::Icmpv6ChecksumStatus,
        Field::UdpChecksumStatus,
        Field::TcpChecksumStatus,
    ];

    /// Empty statistics that will list the `top` largest conversations.
    #[must_use]
    pub fn new(top: usize) -> Self {
        Stats {
            nodes: vec![Node {
                proto: Proto::Frame,
                frames: 0,
                bytes: 0,
                children: Vec::new(),
            }],
            last_path: Vec::new(),
            last_nodes: Vec::new(),
            conversations: HashMap::default(),
            top,
            max_conversations: MAX_CONVERSATIONS,
            pruned: 0,
            frames: 0,
            bytes: 0,
            malformed: 0,
            bad_checksum_frames: 0,
            bad_checksums: 0,
        }
    }

    /// Counts one frame of `len` bytes on the wire.
    pub fn add(&mut self, f: &FrameFields, len: u64) {
        self.frames += 1;
        self.bytes += len;
        if f.malformed().is_some() {
            self.malformed += 1;
        }
        let bad = f.bad_checksums();
        if bad > 0 {
            self.bad_checksum_frames += 1;
            self.bad_checksums += u64::from(bad);
        }
        // Consecutive frames usually share a protocol path, so the tree walk is cached.
        if self.last_path.as_slice() != f.path() {
            self.last_path.clear();
            self.last_path.extend_from_slice(f.path());
            self.last_nodes.clear();
            let mut node = 0;
            for i in 0..self.last_path.len() {
                node = self.child(node, self.last_path[i]);
                self.last_nodes.push(node);
            }
        }
        for &node in &self.last_nodes {
            self.nodes[node].frames += 1;
            self.nodes[node].bytes += len;
        }
        if let Some(key) = conversation(f) {
            let t = self.conversations.entry(key).or_default();
            t.frames += 1;
            t.bytes += len;
            if self.conversations.len() > self.max_conversations {
                self.prune();
            }
        }
    }

    /// Caps how many conversations are tracked (for tests of the pruning).
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
        let mut sizes: Vec<u64> = self.conversations.values().map(|t| t.bytes).collect();
        let mid = sizes.len() / 2;
        let (_, &mut median, _) = sizes.select_nth_unstable(mid);
        let before = self.conversations.len();
        self.conversations.retain(|_, t| t.bytes > median);
        self.pruned += (before - self.conversations.len()) as u64;
    }

    fn child(&mut self, parent: usize, proto: Proto) -> usize {
        if let Some(&c) = self.nodes[parent]
            .children
            .iter()
            .find(|&&c| self.nodes[c].proto == proto)
        {
            return c;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            proto,
            frames: 0,
            bytes: 0,
            children: Vec::new(),
        });
        self.nodes[parent].children.push(id);
        id
    }

    /// Writes the report; `filter` is echoed in the hierarchy heading.
    ///
    /// # Errors
    /// Any error of `out`.
    pub fn write(&self, out: &mut impl Write, filter: Option<&str>) -> io::Result<()> {
        let rule = "===================================================================";
        writeln!(out, "\n{rule}\nProtocol Hierarchy Statistics")?;
        writeln!(out, "Filter: {}\n", filter.unwrap_or(""))?;
        self.write_tree(out, 0, 0)?;
        writeln!(out, "{rule}")?;
        self.write_conversations(out)?;
        writeln!(out, "{rule}")?;
        writeln!(out, "Frames: {} bytes: {}", self.frames, self.bytes)?;
        writeln!(out, "Malformed frames: {}", self.malformed)?;
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
            let label = format!("{:indent$}{}", "", n.proto.name(), indent = depth * 2);
            writeln!(out, "{label:<41}frames:{} bytes:{}", n.frames, n.bytes)?;
            self.write_tree(out, c, depth + 1)?;
        }
        Ok(())
    }

    fn write_conversations(&self, out: &mut impl Write) -> io::Result<()> {
        let mut all: Vec<(&ConversationKey, &Totals)> = self.conversations.iter().collect();
        // Largest first; ties broken by key so the report is deterministic.
        all.sort_by(|x, y| y.1.bytes.cmp(&x.1.bytes).then(x.0.cmp(y.0)));
        writeln!(
            out,
            "Conversations (top {} of {} by bytes{})",
            self.top.min(all.len()),
            all.len() as u64 + self.pruned,
            if self.pruned > 0 {
                format!("; {} small ones dropped to bound memory", self.pruned)
            } else {
                String::new()
            }
        )?;
        writeln!(
            out,
            "{:<6} {:>45} {:>45} {:>10} {:>12}",
            "proto", "endpoint A", "endpoint B", "frames", "bytes"
        )?;
        for (key, t) in all.into_iter().take(self.top) {
            let a = endpoint_text(key.a, key.transport);
            let b = endpoint_text(key.b, key.transport);
            writeln!(
                out,
                "{:<6} {a:>45} {b:>45} {:>10} {:>12}",
                key.transport.name(),
                t.frames,
                t.bytes
            )?;
        }
        Ok(())
    }
}

fn endpoint_text((addr, port): (Value, u16), transport: Proto) -> String {
    let mut text = Vec::new();
    match addr {
        Value::Ipv4(a) => write_ipv4(&mut text, a),
        Value::Ipv6(a) => {
            text.push(b'[');
            write_ipv6(&mut text, a);
            text.push(b']');
        }
        _ => {}
    }
    let mut s = String::from_utf8(text).unwrap_or_default();
    if matches!(transport, Proto::Tcp | Proto::Udp) {
        s.push(':');
        s.push_str(&port.to_string());
    }
    s
}

/// The frame's outer conversation: IP addresses plus TCP/UDP ports when present.
///
/// One pass over the entries picks the first (outer) occurrence of each field; quoted
/// packets inside ICMP errors come later and are ignored.
fn conversation(f: &FrameFields) -> Option<ConversationKey> {
    let (mut src, mut dst, mut sport, mut dport) = (None, None, None, None);
    let mut transport = None;
    for &(field, value) in f.entries() {
        let port = || match value {
            Value::Uint(p) => u16::try_from(p).ok(),
            _ => None,
        };
        match field {
            Field::IpSrc | Field::Ipv6Src if src.is_none() => src = Some(value),
            Field::IpDst | Field::Ipv6Dst if dst.is_none() => dst = Some(value),
            Field::TcpSrcport | Field::UdpSrcport if sport.is_none() => sport = port(),
            Field::TcpDstport | Field::UdpDstport if dport.is_none() => dport = port(),
            _ => {}
        }
    }
    for proto in f.path() {
        match proto {
            Proto::Ip | Proto::Ipv6 if transport.is_none() => transport = Some(*proto),
            Proto::Tcp | Proto::Udp => transport = Some(*proto),
            _ => {}
        }
    }
    let transport = transport?;
    let (src, dst) = (src?, dst?);
    let (sp, dp) = if matches!(transport, Proto::Tcp | Proto::Udp) {
        (sport.unwrap_or(0), dport.unwrap_or(0))
    } else {
        (0, 0)
    };
    let (a, b) = if (src, sp) <= (dst, dp) {
        ((src, sp), (dst, dp))
    } else {
        ((dst, dp), (src, sp))
    };
    Some(ConversationKey { transport, a, b })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp_frame(src: [u8; 4], sp: u16, dst: [u8; 4], dp: u16) -> FrameFields {
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        f.enter(Proto::Ip);
        f.push(Field::IpSrc, Value::Ipv4(src));
        f.push(Field::IpDst, Value::Ipv4(dst));
        f.enter(Proto::Tcp);
        f.push_uint(Field::TcpSrcport, sp);
        f.push_uint(Field::TcpDstport, dp);
        f
    }

    #[test]
    fn both_directions_count_as_one_conversation() {
        let mut s = Stats::new(5);
        s.add(&tcp_frame([10, 0, 0, 1], 1000, [10, 0, 0, 2], 80), 100);
        s.add(&tcp_frame([10, 0, 0, 2], 80, [10, 0, 0, 1], 1000), 60);
        assert_eq!(s.conversations.len(), 1);
        let t = s.conversations.values().next().unwrap();
        assert_eq!((t.frames, t.bytes), (2, 160));
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
        assert!(text.contains("of 101 by bytes;"), "{text}");
        assert!(text.contains("10.0.0.9:7"), "{text}");
        assert!(text.contains("        50        75000"), "{text}");
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
