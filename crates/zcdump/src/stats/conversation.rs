//! Conversation keys: the outer addresses, ports and transport of a frame, packed so that a
//! key is hashed with two multiplications and compared as plain bytes.

use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::fields::format::{write_ipv4, write_ipv6};
use crate::fields::{FrameFields, Proto, Value};

/// An IPv4 or IPv6 address; IPv4 sorts first, as in the report's tie-break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Addr {
    V4([u8; 4]),
    V6([u8; 16]),
}

/// One side of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Endpoint {
    pub addr: Addr,
    /// 0 when the transport has no ports.
    pub port: u16,
}

/// The two endpoints and transport of a conversation, ordered so both directions agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct ConversationKey {
    pub transport: Proto,
    pub a: Endpoint,
    pub b: Endpoint,
}

impl Hash for ConversationKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Everything in one word: a multiply-fold of the addresses, ports and transport.
        // Equal keys give equal words, which is all `Hash` must guarantee.
        let addr_word = |a: Addr| match a {
            Addr::V4(b) => u64::from(u32::from_ne_bytes(b)),
            Addr::V6(b) => {
                let (hi, lo) = b.split_at(8);
                let hi = u64::from_ne_bytes(hi.try_into().unwrap_or_default());
                let lo = u64::from_ne_bytes(lo.try_into().unwrap_or_default());
                fold(hi, lo ^ 0x9e37_79b9_7f4a_7c15)
            }
        };
        let ports = u64::from(self.a.port) | u64::from(self.b.port) << 16;
        let tail = ports | u64::from(self.transport.code()) << 32;
        let word = fold(addr_word(self.a.addr) ^ tail, addr_word(self.b.addr));
        state.write_u64(word);
    }
}

/// The folded 128-bit product: a cheap mix whose high bits depend on every input bit.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a ^ 0x243f_6a88_85a3_08d3) * u128::from(b ^ 0x1319_8a2e_0370_7344);
    (p as u64) ^ (p >> 64) as u64
}

/// Passes on the one word that [`ConversationKey`] and path keys write. The keys come from
/// the capture, but a slow table only costs time (the report is capped), so DoS-resistant
/// SipHash is not worth its price per frame.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct WordHasher(u64);

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
pub(super) type WordMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

impl ConversationKey {
    /// The frame's outer conversation: IP addresses plus TCP/UDP ports when present.
    ///
    /// The first (outer) occurrence of each field counts; packets quoted inside ICMP errors
    /// come later and are ignored.
    pub(super) fn of(f: &FrameFields) -> Option<ConversationKey> {
        let mut transport = None;
        for &proto in f.path() {
            match proto {
                Proto::Ip | Proto::Ipv6 if transport.is_none() => transport = Some(proto),
                Proto::Tcp | Proto::Udp => transport = Some(proto),
                _ => {}
            }
        }
        let transport = transport?;
        let with_ports = matches!(transport, Proto::Tcp | Proto::Udp);
        let [src, dst, sport, dport] = f.endpoints();
        let addr = |v: Option<&Value>| match v {
            Some(Value::Ipv4(a)) => Some(Addr::V4(*a)),
            Some(Value::Ipv6(a)) => Some(Addr::V6(*a)),
            _ => None,
        };
        let port = |v: Option<&Value>| match v {
            Some(Value::Uint(p)) => u16::try_from(*p).ok(),
            _ => None,
        };
        let (src, dst, sport, dport) = (addr(src), addr(dst), port(sport), port(dport));
        let (src, dst) = (src?, dst?);
        let (sp, dp) = if with_ports {
            (sport.unwrap_or(0), dport.unwrap_or(0))
        } else {
            (0, 0)
        };
        let s = Endpoint {
            addr: src,
            port: sp,
        };
        let d = Endpoint {
            addr: dst,
            port: dp,
        };
        let (a, b) = if s <= d { (s, d) } else { (d, s) };
        Some(ConversationKey { transport, a, b })
    }

    /// `addr:port` (IPv6 in brackets; no port without TCP/UDP).
    pub(super) fn endpoint_text(&self, e: Endpoint) -> String {
        let mut text = Vec::new();
        match e.addr {
            Addr::V4(a) => write_ipv4(&mut text, a),
            Addr::V6(a) => {
                text.push(b'[');
                write_ipv6(&mut text, a);
                text.push(b']');
            }
        }
        let mut s = String::from_utf8(text).unwrap_or_default();
        if matches!(self.transport, Proto::Tcp | Proto::Udp) {
            s.push(':');
            s.push_str(&e.port.to_string());
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Field;

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
        assert_eq!(k1.endpoint_text(k1.a), "10.0.0.1:5");
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
        assert_eq!(
            key_of(z, 5, w, 53).endpoint_text(key_of(z, 5, w, 53).a),
            "[::]:53"
        );
    }
}
