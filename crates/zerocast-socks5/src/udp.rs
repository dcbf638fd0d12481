//! The UDP request header of RFC 1928 section 7: every datagram to or from the proxy's UDP
//! relay starts with RSV (2 bytes, zero), FRAG, ATYP, DST.ADDR, DST.PORT, then the data.
//!
//! Fragmentation (FRAG other than zero) is optional in the RFC; this implementation does
//! not reassemble, so it never sends fragments and drops received ones, as section 7
//! requires of such an implementation.

use alloc::vec::Vec;
use core::net::SocketAddr;

use crate::addr::TargetAddr;
use crate::error::Socks5Error;

/// Appends the header for a datagram to `dest` and then `payload` to `out`.
///
/// ```
/// use zerocast_socks5::{udp, TargetAddr};
/// let mut out = Vec::new();
/// udp::encode_datagram(&TargetAddr::Ip("10.0.0.5:53".parse().unwrap()), b"q", &mut out);
/// assert_eq!(out, [0, 0, 0, 1, 10, 0, 0, 5, 0, 53, b'q']);
/// ```
pub fn encode_datagram(dest: &TargetAddr, payload: &[u8], out: &mut Vec<u8>) {
    out.reserve(3 + dest.encoded_len() + payload.len());
    out.extend_from_slice(&[0, 0, 0]);
    dest.encode(out);
    out.extend_from_slice(payload);
}

/// Reads a datagram from the relay: the address it came from (for a reply; the target for
/// a request) and its data.
///
/// ```
/// use zerocast_socks5::{udp, TargetAddr};
/// let datagram = [0, 0, 0, 1, 10, 0, 0, 5, 0, 53, b'a'];
/// let (from, data) = udp::decode_datagram(&datagram).unwrap();
/// assert_eq!(from, TargetAddr::Ip("10.0.0.5:53".parse().unwrap()));
/// assert_eq!(data, b"a");
/// ```
///
/// # Errors
/// [`Socks5Error::Truncated`], [`Socks5Error::BadReserved`], [`Socks5Error::Fragmented`],
/// and the address errors.
pub fn decode_datagram(datagram: &[u8]) -> Result<(TargetAddr, &[u8]), Socks5Error> {
    let Some(&[rsv_hi, rsv_lo, frag]) = datagram.get(..3) else {
        return Err(Socks5Error::Truncated);
    };
    if rsv_hi != 0 || rsv_lo != 0 {
        return Err(Socks5Error::BadReserved);
    }
    if frag != 0 {
        return Err(Socks5Error::Fragmented(frag));
    }
    let rest = datagram.get(3..).unwrap_or(&[]);
    let (addr, used) = TargetAddr::decode(rest)?.ok_or(Socks5Error::Truncated)?;
    Ok((addr, rest.get(used..).unwrap_or(&[])))
}

/// Where to send datagrams after UDP ASSOCIATE: the reply's bound address, except that an
/// unspecified bound address (0.0.0.0 or ::, which proxies send to mean "the address you
/// reached me at") is replaced by the proxy's own address with the bound port. A bound
/// domain name is returned as is, for the caller to resolve.
///
/// ```
/// use zerocast_socks5::{udp, TargetAddr};
/// let proxy = "192.0.2.1:1080".parse().unwrap();
/// let bound = TargetAddr::Ip("0.0.0.0:40000".parse().unwrap());
/// assert_eq!(udp::relay_address(&bound, proxy), TargetAddr::Ip("192.0.2.1:40000".parse().unwrap()));
/// ```
#[must_use]
pub fn relay_address(bound: &TargetAddr, proxy: SocketAddr) -> TargetAddr {
    match bound {
        TargetAddr::Ip(addr) if addr.ip().is_unspecified() => {
            TargetAddr::Ip(SocketAddr::new(proxy.ip(), addr.port()))
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1928_section7_datagrams_round_trip_for_every_address_type() {
        for dest in [
            TargetAddr::Ip("198.51.100.2:5353".parse().unwrap()),
            TargetAddr::Ip("[2001:db8::9]:53".parse().unwrap()),
            TargetAddr::Domain("dns.example".into(), 53),
        ] {
            let mut out = Vec::new();
            encode_datagram(&dest, b"payload", &mut out);
            let (addr, data) = decode_datagram(&out).unwrap();
            assert_eq!((addr, data), (dest.clone(), &b"payload"[..]));
            // Every cut inside the header is reported, never a panic.
            for cut in 0..(out.len() - b"payload".len()) {
                assert_eq!(
                    decode_datagram(&out[..cut]),
                    Err(Socks5Error::Truncated),
                    "{dest:?} at {cut}"
                );
            }
        }
    }

    #[test]
    fn rfc1928_section7_fragments_are_dropped() {
        let mut out = Vec::new();
        encode_datagram(
            &TargetAddr::Ip("10.0.0.1:1".parse().unwrap()),
            b"x",
            &mut out,
        );
        out[2] = 1;
        assert_eq!(decode_datagram(&out), Err(Socks5Error::Fragmented(1)));
        out[2] = 0x81;
        assert_eq!(decode_datagram(&out), Err(Socks5Error::Fragmented(0x81)));
    }

    #[test]
    fn a_non_zero_reserved_field_is_refused() {
        let datagram = [0, 1, 0, 1, 10, 0, 0, 1, 0, 1];
        assert_eq!(decode_datagram(&datagram), Err(Socks5Error::BadReserved));
    }

    #[test]
    fn an_empty_payload_is_a_datagram() {
        let datagram = [0, 0, 0, 1, 10, 0, 0, 1, 0, 1];
        assert_eq!(decode_datagram(&datagram).unwrap().1, b"");
    }

    #[test]
    fn a_specified_bound_address_is_kept() {
        let bound = TargetAddr::Ip("198.51.100.7:9000".parse().unwrap());
        let proxy = "192.0.2.1:1080".parse().unwrap();
        assert_eq!(relay_address(&bound, proxy), bound);
        let v6 = TargetAddr::Ip("[::]:9000".parse().unwrap());
        let proxy6: SocketAddr = "[2001:db8::1]:1080".parse().unwrap();
        assert_eq!(
            relay_address(&v6, proxy6),
            TargetAddr::Ip("[2001:db8::1]:9000".parse().unwrap())
        );
    }
}
