//! The text of recently printed addresses for the text line: copying a remembered text
//! is cheaper than writing an IPv6 address again. The writers themselves are
//! `fields::format`'s, shared with every other output.

use crate::fields::format::{append, write_ipv4, write_ipv6};

/// Slots of [`AddressCache`] (a power of two).
const CACHE_SLOTS: usize = 256;

/// The text of recently printed addresses, as tcpdump keeps a table of them: a capture's
/// lines repeat a few addresses, and copying a remembered text is cheaper than writing an
/// IPv6 address again. Direct-mapped; a slot holds the last address that hashed to it.
#[derive(Debug, Clone)]
pub(super) struct AddressCache {
    slots: Vec<CachedAddress>,
}

#[derive(Debug, Clone, Copy)]
struct CachedAddress {
    /// 4 or 6; 0 for an empty slot.
    version: u8,
    address: [u8; 16],
    len: u8,
    text: [u8; 40],
}

impl Default for AddressCache {
    fn default() -> Self {
        let empty = CachedAddress {
            version: 0,
            address: [0; 16],
            len: 0,
            text: [0; 40],
        };
        AddressCache {
            slots: vec![empty; CACHE_SLOTS],
        }
    }
}

impl AddressCache {
    /// Appends the text of an IPv4 (`version` 4, first four bytes of `address`) or IPv6
    /// address, from the cache when it holds it.
    #[inline]
    pub(super) fn write(&mut self, out: &mut Vec<u8>, version: u8, address: [u8; 16]) {
        let word = u128::from_ne_bytes(address);
        let folded = (word as u64) ^ ((word >> 64) as u64) ^ u64::from(version);
        let at = (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % CACHE_SLOTS;
        let Some(slot) = self.slots.get_mut(at) else {
            return;
        };
        if slot.version != version || slot.address != address {
            let start = out.len();
            if version == 4 {
                write_ipv4(out, [address[0], address[1], address[2], address[3]]);
            } else {
                write_ipv6(out, address);
            }
            let written = out.get(start..).unwrap_or(&[]);
            let len = written.len().min(slot.text.len());
            slot.text[..len].copy_from_slice(&written[..len]);
            slot.len = len as u8;
            slot.version = version;
            slot.address = address;
            return;
        }
        append(out, &slot.text, usize::from(slot.len));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_addresses_print_as_uncached_ones() {
        let mut cache = AddressCache::default();
        let v6: std::net::Ipv6Addr = "2001:db8::a".parse().expect("valid");
        let mut out = Vec::new();
        for _ in 0..2 {
            cache.write(
                &mut out,
                4,
                [192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            );
            out.push(b' ');
            cache.write(&mut out, 6, v6.octets());
            out.push(b' ');
            // The same bytes as an IPv4 address: a different entry.
            cache.write(&mut out, 4, v6.octets());
            out.push(b'|');
        }
        assert_eq!(
            out,
            b"192.0.2.1 2001:db8::a 32.1.13.184|192.0.2.1 2001:db8::a 32.1.13.184|"
        );
    }
}
