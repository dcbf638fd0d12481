//! Conversation keys: the outer addresses, ports and transport of a frame, packed so that a
//! key is hashed with two multiplications and compared as plain bytes.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::fields::format::{write_ipv4, write_ipv6};
use crate::fields::{FrameFields, Proto, Value};

/// The two endpoints and transport of a conversation, ordered so both directions agree.
///
/// Packed into five words (written and read whole, so copying a key never stalls on
/// partial stores): each endpoint's address as two big-endian words (an IPv4 address in
/// the low half of the first), then the transport, family and ports.
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
    fn transport(&self) -> u8 {
        (self.words[4] >> 56) as u8
    }

    fn family(&self) -> u8 {
        (self.words[4] >> 48) as u8
    }

    fn ports(&self) -> (u16, u16) {
        ((self.words[4] >> 16) as u16, self.words[4] as u16)
    }

    /// What the report sorts ties by: transport, then endpoint A, then endpoint B, each
    /// by address (IPv4 before IPv6, then byte by byte) and port.
    fn sort_key(&self) -> (u8, u8, [u64; 2], u16, [u64; 2], u16) {
        let (pa, pb) = self.ports();
        let w = &self.words;
        let (t, f) = (self.transport(), self.family());
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
    /// The frame's outer conversation: IP addresses plus TCP/UDP ports when present.
    ///
    /// The first (outer) occurrence of each field counts; packets quoted inside ICMP errors
    /// come later and are ignored.
    pub(super) fn of(f: &FrameFields) -> Option<ConversationKey> {
        let transport = f.outer_transport()?;
        let with_ports = matches!(transport, Proto::Tcp | Proto::Udp);
        let [src, dst, sport, dport] = f.endpoints();
        // Each address as one number whose order is the order of its key words (IPv4 in
        // the low half of the first word), so ordering the endpoints is two compares.
        let (family, src, dst) = match (src?, dst?) {
            (Value::Ipv4(s), Value::Ipv4(d)) => (4u8, addr4(*s), addr4(*d)),
            (Value::Ipv6(s), Value::Ipv6(d)) => {
                (6u8, u128::from_be_bytes(*s), u128::from_be_bytes(*d))
            }
            _ => return None,
        };
        let port = |v: Option<&Value>| match v {
            Some(Value::Uint(p)) if with_ports => u16::try_from(*p).unwrap_or(0),
            _ => 0,
        };
        let (sp, dp) = (port(sport), port(dport));
        let ((a, pa), (b, pb)) = if (src, sp) <= (dst, dp) {
            ((src, sp), (dst, dp))
        } else {
            ((dst, dp), (src, sp))
        };
        let meta = u64::from(transport.code()) << 56
            | u64::from(family) << 48
            | u64::from(pa) << 16
            | u64::from(pb);
        let ([a0, a1], [b0, b1]) = (words(a), words(b));
        Some(ConversationKey {
            words: [a0, a1, b0, b1, meta],
        })
    }

    /// The protocol the report names the conversation by.
    pub(super) fn transport_name(&self) -> &'static str {
        Proto::ALL
            .iter()
            .find(|p| p.code() == self.transport())
            .map_or("?", |p| p.name())
    }

    /// Endpoint A's and B's `addr:port` (IPv6 in brackets; no port without TCP/UDP).
    pub(super) fn endpoint_texts(&self) -> (String, String) {
        let (pa, pb) = self.ports();
        let w = &self.words;
        (
            self.endpoint_text([w[0], w[1]], pa),
            self.endpoint_text([w[2], w[3]], pb),
        )
    }

    fn endpoint_text(&self, addr: [u64; 2], port: u16) -> String {
        let mut text = Vec::new();
        if self.family() == 4 {
            write_ipv4(&mut text, (addr[0] as u32).to_be_bytes());
        } else {
            let mut a = [0u8; 16];
            a[..8].copy_from_slice(&addr[0].to_be_bytes());
            a[8..].copy_from_slice(&addr[1].to_be_bytes());
            text.push(b'[');
            write_ipv6(&mut text, a);
            text.push(b']');
        }
        let mut s = String::from_utf8(text).unwrap_or_default();
        if matches!(self.transport_name(), "tcp" | "udp") {
            s.push(':');
            s.push_str(&port.to_string());
        }
        s
    }
}

/// An IPv4 address as the number whose key words hold it big-endian in the low half of
/// the first word.
fn addr4(a: [u8; 4]) -> u128 {
    u128::from(u32::from_be_bytes(a)) << 64
}

/// An address number as its two key words, most significant first, so that comparing
/// words compares the address bytes in order.
fn words(x: u128) -> [u64; 2] {
    [(x >> 64) as u64, x as u64]
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

    fn key_of(src: Value, sp: u16, dst: Value, dp: u16) -> ConversationKey {
        let mut f = FrameFields::default();
        f.enter(Proto::Eth);
        let (proto, s, d) = match src {
            Value::Ipv6(_) => (Proto::Ipv6, Field::Ipv6Src, Field::Ipv6Dst),
            _ => (Proto::Ip, Field::IpSrc, Field::IpDst),
        };
        f.enter(proto);
        f.push(s, src);
        f.push(d, dst);
        f.enter(Proto::Udp);
        f.push_uint(Field::UdpSrcport, sp);
        f.push_uint(Field::UdpDstport, dp);
        ConversationKey::of(&f).expect("a conversation")
    }

    fn hash(k: &ConversationKey) -> u64 {
        let mut h = WordHasher::default();
        k.hash(&mut h);
        h.finish()
    }

    #[test]
    fn both_directions_give_the_same_key_and_hash() {
        let (x, y) = (Value::Ipv4([10, 0, 0, 1]), Value::Ipv4([10, 0, 0, 2]));
        let k1 = key_of(x, 5, y, 53);
        let k2 = key_of(y, 53, x, 5);
        assert_eq!(k1, k2);
        assert_eq!(hash(&k1), hash(&k2));
        assert_eq!(k1.endpoint_texts().0, "10.0.0.1:5");
    }

    #[test]
    fn different_ports_or_families_differ() {
        let (x, y) = (Value::Ipv4([10, 0, 0, 1]), Value::Ipv4([10, 0, 0, 2]));
        assert_ne!(hash(&key_of(x, 5, y, 53)), hash(&key_of(x, 6, y, 53)));
        let mut v6 = [0u8; 16];
        v6[..4].copy_from_slice(&[10, 0, 0, 1]);
        let z = Value::Ipv6(v6);
        let w = Value::Ipv6([0; 16]);
        assert_ne!(key_of(x, 5, y, 53), key_of(z, 5, w, 53));
        let k = key_of(z, 5, w, 53);
        assert_eq!(
            k.endpoint_texts(),
            ("[::]:53".to_string(), "[a00:1::]:5".to_string())
        );
        // IPv4 sorts before IPv6, then by address bytes and ports.
        assert!(key_of(x, 5, y, 53) < k);
        assert!(key_of(x, 5, y, 53) < key_of(x, 5, Value::Ipv4([10, 0, 0, 3]), 1));
    }
}
