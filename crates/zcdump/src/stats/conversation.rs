//! Conversation keys: the two endpoints of one of tshark's conversation tables (`-z
//! conv,eth|ip|ipv6|tcp|udp`), packed so that a key is hashed with two multiplications and
//! compared as plain bytes, and the walk that finds every conversation a frame belongs to.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use super::tree::TreeHints;
use crate::fields::format::{write_ipv4, write_ipv6, write_mac};
use crate::fields::{FrameFields, Proto, Value};

/// The conversation tables, in the order the report prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Table {
    Eth = 1,
    Ip = 2,
    Ipv6 = 3,
    Tcp = 4,
    Udp = 5,
}

impl Table {
    /// Every table, in report order.
    pub const ALL: [Table; 5] = [Table::Eth, Table::Ip, Table::Ipv6, Table::Tcp, Table::Udp];

    /// tshark's title of the table.
    pub fn title(self) -> &'static str {
        match self {
            Table::Eth => "Ethernet",
            Table::Ip => "IPv4",
            Table::Ipv6 => "IPv6",
            Table::Tcp => "TCP",
            Table::Udp => "UDP",
        }
    }

    /// Whether endpoints are `address:port`.
    pub fn has_ports(self) -> bool {
        matches!(self, Table::Tcp | Table::Udp)
    }

    /// The protocol whose headers the table counts.
    pub fn proto(self) -> Proto {
        match self {
            Table::Eth => Proto::Eth,
            Table::Ip => Proto::Ip,
            Table::Ipv6 => Proto::Ipv6,
            Table::Tcp => Proto::Tcp,
            Table::Udp => Proto::Udp,
        }
    }

    fn from_code(code: u8) -> Option<Table> {
        Table::ALL.into_iter().find(|t| *t as u8 == code)
    }
}

/// An address family of an endpoint (how its number is printed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    Mac = 1,
    V4 = 4,
    V6 = 6,
}

/// One end of a conversation: an address (MAC, IPv4 or IPv6, as a big-endian number held
/// as its two key words, most significant first) and a port (0 in tables without ports).
/// Field order makes the derived order the order of the address bytes, then the port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Endpoint {
    hi: u64,
    lo: u64,
    pub port: u16,
}

impl Endpoint {
    /// The endpoint an address value names (a MAC, IPv4 or IPv6 value), with no port.
    /// Builds the key words directly (no 128-bit number): this runs twice per layer.
    #[inline]
    fn of(v: &Value) -> Option<(Family, Endpoint)> {
        let (family, hi, lo) = match *v {
            Value::Mac(m) => {
                let mut b = [0u8; 8];
                b[2..].copy_from_slice(&m);
                (Family::Mac, 0, u64::from_be_bytes(b))
            }
            Value::Ipv4(a) => (Family::V4, 0, u64::from(u32::from_be_bytes(a))),
            Value::Ipv6(a) => {
                let (h, l) = a.split_at(8);
                let word = |x: &[u8]| {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(x);
                    u64::from_be_bytes(w)
                };
                (Family::V6, word(h), word(l))
            }
            _ => return None,
        };
        Some((family, Endpoint { hi, lo, port: 0 }))
    }
}

/// The table and two endpoints of a conversation, ordered so both directions agree.
///
/// Packed into five words (written and read whole, so copying a key never stalls on
/// partial stores): each endpoint's address as two big-endian words, then the table,
/// family and ports.
#[derive(Debug, Clone, Copy)]
pub(super) struct ConversationKey {
    words: [u64; 5],
}

impl PartialEq for ConversationKey {
    fn eq(&self, other: &Self) -> bool {
        // Folded with `|` rather than `&&`, which LLVM would merge into a call to `memcmp`
        // (as it does for the derived array comparison): this runs for every frame.
        let (a, b) = (&self.words, &other.words);
        (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) == 0
    }
}

impl Eq for ConversationKey {}

impl ConversationKey {
    /// The table the conversation is listed in.
    pub fn table(&self) -> Table {
        Table::from_code((self.words[4] >> 56) as u8).unwrap_or(Table::Eth)
    }

    fn family(&self) -> u8 {
        (self.words[4] >> 48) as u8
    }

    fn ports(&self) -> (u16, u16) {
        ((self.words[4] >> 16) as u16, self.words[4] as u16)
    }

    /// A total order (table, family, then the endpoints), for deterministic tests.
    fn sort_key(&self) -> (u8, u8, [u64; 2], u16, [u64; 2], u16) {
        let (pa, pb) = self.ports();
        let w = &self.words;
        let (t, f) = ((self.words[4] >> 56) as u8, self.family());
        (t, f, [w[0], w[1]], pa, [w[2], w[3]], pb)
    }
}

impl PartialOrd for ConversationKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ConversationKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl Hash for ConversationKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // One word: a multiply-fold of the five. Equal keys give equal words, which is all
        // `Hash` must guarantee.
        let [a0, a1, b0, b1, meta] = self.words;
        state.write_u64(fold(fold(a0 ^ meta, a1) ^ b0, b1));
    }
}

/// The folded 128-bit product: a cheap mix whose high bits depend on every input bit.
#[inline]
pub(crate) fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a ^ 0x243f_6a88_85a3_08d3) * u128::from(b ^ 0x1319_8a2e_0370_7344);
    (p as u64) ^ (p >> 64) as u64
}

/// Passes on the one word that [`ConversationKey`] and path keys write. The keys come from
/// the capture, but a slow table only costs time (the report is capped), so DoS-resistant
/// SipHash is not worth its price per frame.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = fold(self.0, u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = fold(self.0, v);
    }
}

/// A hash map keyed by words or conversation keys.
pub(crate) type WordMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

impl ConversationKey {
    /// The key of a frame from `src` to `dst` in `table`, and whether `src` is the key's
    /// first endpoint (keys order their endpoints, so both directions give one key).
    pub(super) fn new(
        table: Table,
        family: Family,
        src: Endpoint,
        dst: Endpoint,
    ) -> (ConversationKey, bool) {
        let src_first = src <= dst;
        let (a, b) = if src_first { (src, dst) } else { (dst, src) };
        let meta = u64::from(table as u8) << 56
            | u64::from(family as u8) << 48
            | u64::from(a.port) << 16
            | u64::from(b.port);
        let key = ConversationKey {
            words: [a.hi, a.lo, b.hi, b.lo, meta],
        };
        (key, src_first)
    }

    /// The key's first and second endpoint as tshark prints them (`addr` or `addr:port`;
    /// IPv6 without brackets, MAC addresses unnamed).
    pub(super) fn endpoint_texts(&self) -> (String, String) {
        let (pa, pb) = self.ports();
        let w = &self.words;
        (
            self.endpoint_text([w[0], w[1]], pa),
            self.endpoint_text([w[2], w[3]], pb),
        )
    }

    fn endpoint_text(&self, addr: [u64; 2], port: u16) -> String {
        // Written into one buffer sized for the longest endpoint (an IPv6 address and a
        // port), without the formatting machinery: this runs twice per report row.
        let mut text = Vec::with_capacity(48);
        let n = (u128::from(addr[0]) << 64) | u128::from(addr[1]);
        let bytes = n.to_be_bytes();
        match self.family() {
            1 => {
                let mut m = [0u8; 6];
                m.copy_from_slice(&bytes[10..]);
                write_mac(&mut text, m);
            }
            4 => write_ipv4(&mut text, (n as u32).to_be_bytes()),
            _ => write_ipv6(&mut text, bytes),
        }
        if self.table().has_ports() {
            text.push(b':');
            let mut digits = [0u8; 5];
            let mut start = digits.len();
            let mut p = port;
            loop {
                start -= 1;
                digits[start] = b'0' + (p % 10) as u8;
                p /= 10;
                if p == 0 || start == 0 {
                    break;
                }
            }
            text.extend_from_slice(&digits[start..]);
        }
        String::from_utf8(text).unwrap_or_default()
    }
}

/// One conversation a frame belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub key: ConversationKey,
    /// The frame goes from the key's first endpoint to its second.
    pub forward: bool,
    /// A TCP header's raw sequence number.
    pub seq: Option<u32>,
    /// A TCP SYN without ACK: it may start a new conversation on the same ports.
    pub pure_syn: bool,
}

/// Calls `found` with every conversation frame `f` belongs to, outermost first: one per
/// Ethernet, IPv4, IPv6, TCP and UDP header outside quoted packets (a tunnel's inner
/// headers make conversations of their own, as they do in tshark). Returns what the
/// protocol hierarchy needs beyond the path (see [`TreeHints`]), recorded with the layers.
///
/// tshark counts a header in its tables once the dissector has read it whole, so a layer
/// that the frame is malformed in is not counted, and neither is an IPv6 fragment other
/// than the first (tshark hands it on as data before it counts it, unlike IPv4's).
///
/// Reads the frame's [`LayerLog`](super::layers::LayerLog): the frame must want every field of
/// [`Stats::FIELDS`](super::Stats::FIELDS) (otherwise it has no log and no conversations).
pub(super) fn conversations_of(f: &FrameFields, mut found: impl FnMut(Hit)) -> TreeHints {
    let Some(log) = f.layer_log() else {
        return TreeHints::default();
    };
    let (records, last_open) = log.records();
    // Only the outermost TCP header records a cut in its options.
    let mut tcp_options_cut = f.layer(Proto::Tcp).is_some_and(|l| l.header_cut);
    // The addresses of the innermost IP header so far: TCP and UDP conversations are
    // between them.
    let mut ip: Option<(Family, Endpoint, Endpoint)> = None;
    for (i, l) in records.iter().enumerate() {
        let options_cut = l.table == Table::Tcp && std::mem::take(&mut tcp_options_cut);
        // The innermost layer is not counted when the frame is malformed in it.
        if last_open && i + 1 == records.len() {
            if let Some(m) = f.malformed() {
                if m.layer == l.table.proto().name() {
                    break;
                }
            }
        }
        let (family, s, d) = match l.table {
            Table::Eth | Table::Ip | Table::Ipv6 => {
                let (Some((family, s)), Some((_, d))) = (
                    l.src.as_ref().and_then(Endpoint::of),
                    l.dst.as_ref().and_then(Endpoint::of),
                ) else {
                    continue;
                };
                if l.table != Table::Eth {
                    ip = Some((family, s, d));
                }
                if l.later_fragment {
                    continue;
                }
                (family, s, d)
            }
            Table::Tcp | Table::Udp => {
                let (Some((family, s, d)), [Some(sp), Some(dp)], true, false) =
                    (ip, l.ports, l.header_end, options_cut)
                else {
                    continue;
                };
                (
                    family,
                    Endpoint { port: sp, ..s },
                    Endpoint { port: dp, ..d },
                )
            }
        };
        let (key, forward) = ConversationKey::new(l.table, family, s, d);
        found(Hit {
            key,
            forward,
            seq: l.seq,
            pure_syn: l.flags.is_some_and(|f| f & 0x12 == 0x02),
        });
    }
    log.hints()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Field;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 256 }))]

        #[test]
        fn outer_transport_is_the_last_tcp_or_udp_else_the_first_ip_of_the_path(
            steps in proptest::collection::vec((0..Proto::ALL.len(), any::<bool>()), 0..12),
        ) {
            let mut f = FrameFields::default();
            for &(i, quote) in &steps {
                if quote {
                    f.begin_quoted();
                }
                f.enter(Proto::ALL[i]);
            }
            // The definition, read off the finished path (which ends where a quote began).
            let mut expected = None;
            for &p in f.path() {
                match p {
                    Proto::Ip | Proto::Ipv6 if expected.is_none() => expected = Some(p),
                    Proto::Tcp | Proto::Udp => expected = Some(p),
                    _ => {}
                }
            }
            prop_assert_eq!(f.outer_transport(), expected);
        }
    }

    /// The conversations of an Ethernet frame carrying `inner` layers of (IP addresses,
    /// UDP ports), each IP inside the previous one's UDP (a tunnel).
    /// An IP header's source and destination and, when it carries UDP, the ports.
    type IpLayer = (Value, Value, Option<(u16, u16)>);

    fn frame(inner: &[IpLayer]) -> FrameFields {
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        f.push(Field::EthDst, Value::Mac([2, 0, 0, 0, 0, 2]));
        f.push(Field::EthSrc, Value::Mac([2, 0, 0, 0, 0, 1]));
        for &(src, dst, ports) in inner {
            let (proto, s, d) = match src {
                Value::Ipv6(_) => (Proto::Ipv6, Field::Ipv6Src, Field::Ipv6Dst),
                _ => (Proto::Ip, Field::IpSrc, Field::IpDst),
            };
            f.enter(proto);
            f.push(s, src);
            f.push(d, dst);
            if let Some((sp, dp)) = ports {
                f.enter(Proto::Udp);
                f.push_uint(Field::UdpSrcport, sp);
                f.push_uint(Field::UdpDstport, dp);
                f.push_uint(Field::UdpChecksumStatus, 2u8);
            }
        }
        f
    }

    fn texts(f: &FrameFields) -> (Vec<(Table, String, String, bool)>, bool) {
        let mut out = Vec::new();
        let quoted_data = conversations_of(f, |hit| {
            let (a, b) = hit.key.endpoint_texts();
            out.push((hit.key.table(), a, b, hit.forward));
        })
        .quoted_data;
        (out, quoted_data)
    }

    fn hash(k: &ConversationKey) -> u64 {
        let mut h = WordHasher::default();
        k.hash(&mut h);
        h.finish()
    }

    #[test]
    fn every_layer_outside_quotes_is_a_conversation_named_as_tshark_names_it() {
        let (x, y) = (Value::Ipv4([10, 0, 0, 1]), Value::Ipv4([10, 0, 0, 2]));
        let (v, w) = (Value::Ipv6([0xfd; 16]), Value::Ipv6([0; 16]));
        let mut f = frame(&[(y, x, Some((4789, 5))), (v, w, Some((53, 7)))]);
        f.enter(Proto::Icmp);
        f.begin_quoted();
        f.enter(Proto::Ip);
        f.push(Field::IpSrc, x);
        f.push(Field::IpDst, y);
        let (found, quoted_data) = texts(&f);
        let want = [
            (Table::Eth, "02:00:00:00:00:01", "02:00:00:00:00:02", true),
            (Table::Ip, "10.0.0.1", "10.0.0.2", false),
            (Table::Udp, "10.0.0.1:5", "10.0.0.2:4789", false),
            (
                Table::Ipv6,
                "::",
                "fdfd:fdfd:fdfd:fdfd:fdfd:fdfd:fdfd:fdfd",
                false,
            ),
            (
                Table::Udp,
                ":::7",
                "fdfd:fdfd:fdfd:fdfd:fdfd:fdfd:fdfd:fdfd:53",
                false,
            ),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|&(t, a, b, fwd)| (t, a.to_string(), b.to_string(), fwd))
            .collect();
        assert_eq!(found, want);
        assert!(!quoted_data);
        f.enter(Proto::Data);
        assert!(texts(&f).1, "data of a quoted packet is reported");
    }

    #[test]
    fn both_directions_give_the_same_key_and_hash() {
        let (x, y) = (Value::Ipv4([10, 0, 0, 1]), Value::Ipv4([10, 0, 0, 2]));
        let mut keys = Vec::new();
        for f in [
            frame(&[(x, y, Some((5, 53)))]),
            frame(&[(y, x, Some((53, 5)))]),
        ] {
            conversations_of(&f, |hit| keys.push((hit.key, hit.forward)));
        }
        let (udp_there, udp_back) = (keys[2], keys[5]);
        assert_eq!(udp_there.0, udp_back.0);
        assert_eq!(hash(&udp_there.0), hash(&udp_back.0));
        assert_ne!(udp_there.1, udp_back.1);
        assert_ne!(keys[1].0, keys[2].0, "the IP and UDP tables differ");
    }

    #[test]
    fn a_layer_without_both_addresses_or_ports_is_no_conversation() {
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        f.push(Field::EthDst, Value::Mac([0xff; 6]));
        f.enter(Proto::Ip);
        f.push(Field::IpSrc, Value::Ipv4([1, 2, 3, 4]));
        assert!(texts(&f).0.is_empty());
    }
}
