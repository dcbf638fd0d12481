//! [`TargetAddr`]: the DST/BND address of RFC 1928 section 5 — an IPv4 or IPv6 address,
//! or a domain name the proxy resolves — with its port.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::error::Socks5Error;

/// ATYP X'01': four bytes of IPv4 address.
pub const ATYP_IPV4: u8 = 1;
/// ATYP X'03': one length byte, then the name (no terminating NUL).
pub const ATYP_DOMAIN: u8 = 3;
/// ATYP X'04': sixteen bytes of IPv6 address.
pub const ATYP_IPV6: u8 = 4;

/// An address with its port, as SOCKS5 carries it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TargetAddr {
    /// An IP address.
    Ip(SocketAddr),
    /// A domain name (1 to 255 bytes) for the proxy to resolve.
    Domain(String, u16),
}

impl TargetAddr {
    /// Checks the lengths SOCKS5 can carry (a domain name of 1 to 255 bytes).
    ///
    /// # Errors
    /// [`Socks5Error::FieldLength`] for an empty or too long name.
    pub fn validate(&self) -> Result<(), Socks5Error> {
        match self {
            TargetAddr::Ip(_) => Ok(()),
            TargetAddr::Domain(name, _) => check_field("domain name", name.len()),
        }
    }

    /// The encoded length: ATYP, address and port.
    ///
    /// ```
    /// use zerocast_socks5::TargetAddr;
    /// assert_eq!(TargetAddr::Ip("1.2.3.4:5".parse().unwrap()).encoded_len(), 7);
    /// assert_eq!(TargetAddr::Domain("example.org".into(), 443).encoded_len(), 15);
    /// ```
    #[must_use]
    pub fn encoded_len(&self) -> usize {
        1 + match self {
            TargetAddr::Ip(SocketAddr::V4(_)) => 4,
            TargetAddr::Ip(SocketAddr::V6(_)) => 16,
            TargetAddr::Domain(name, _) => 1 + name.len(),
        } + 2
    }

    /// Appends ATYP, the address and the port (network order), RFC 1928 section 5.
    ///
    /// ```
    /// use zerocast_socks5::TargetAddr;
    /// let mut out = Vec::new();
    /// TargetAddr::Domain("a.b".into(), 80).encode(&mut out);
    /// assert_eq!(out, [3, 3, b'a', b'.', b'b', 0, 80]);
    /// ```
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            TargetAddr::Ip(SocketAddr::V4(a)) => {
                out.push(ATYP_IPV4);
                out.extend_from_slice(&a.ip().octets());
                out.extend_from_slice(&a.port().to_be_bytes());
            }
            TargetAddr::Ip(SocketAddr::V6(a)) => {
                out.push(ATYP_IPV6);
                out.extend_from_slice(&a.ip().octets());
                out.extend_from_slice(&a.port().to_be_bytes());
            }
            TargetAddr::Domain(name, port) => {
                out.push(ATYP_DOMAIN);
                // validate() bounds the length; saturating keeps an unchecked call from
                // writing a wrong length byte silently wrapped.
                out.push(u8::try_from(name.len()).unwrap_or(u8::MAX));
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(&port.to_be_bytes());
            }
        }
    }

    /// How many bytes the address starting at `bytes[0]` (its ATYP) occupies, once enough
    /// of it is present to tell; `Ok(None)` while more bytes are needed.
    ///
    /// # Errors
    /// [`Socks5Error::BadAddressType`].
    pub fn encoded_len_at(bytes: &[u8]) -> Result<Option<usize>, Socks5Error> {
        let Some(&atyp) = bytes.first() else {
            return Ok(None);
        };
        match atyp {
            ATYP_IPV4 => Ok(Some(1 + 4 + 2)),
            ATYP_IPV6 => Ok(Some(1 + 16 + 2)),
            ATYP_DOMAIN => Ok(bytes.get(1).map(|&len| 1 + 1 + usize::from(len) + 2)),
            other => Err(Socks5Error::BadAddressType(other)),
        }
    }

    /// Decodes an address at the start of `bytes`; returns it and the bytes it used.
    /// `Ok(None)` when `bytes` ends inside it.
    ///
    /// ```
    /// use zerocast_socks5::TargetAddr;
    /// let (addr, used) = TargetAddr::decode(&[1, 10, 0, 0, 1, 0, 53, 0xff]).unwrap().unwrap();
    /// assert_eq!((addr, used), (TargetAddr::Ip("10.0.0.1:53".parse().unwrap()), 7));
    /// assert_eq!(TargetAddr::decode(&[4, 0, 0]).unwrap(), None, "IPv6 needs 19 bytes");
    /// ```
    ///
    /// # Errors
    /// [`Socks5Error::BadAddressType`], [`Socks5Error::BadDomainName`].
    pub fn decode(bytes: &[u8]) -> Result<Option<(TargetAddr, usize)>, Socks5Error> {
        let Some(len) = TargetAddr::encoded_len_at(bytes)? else {
            return Ok(None);
        };
        let Some(field) = bytes.get(..len) else {
            return Ok(None);
        };
        let (address, port) = field.split_at(len - 2);
        let port = u16::from_be_bytes([port[0], port[1]]);
        let addr = match field[0] {
            ATYP_IPV4 => {
                let octets: [u8; 4] = address[1..]
                    .try_into()
                    .map_err(|_| Socks5Error::Truncated)?;
                TargetAddr::Ip(SocketAddr::new(IpAddr::V4(Ipv4Addr::from(octets)), port))
            }
            ATYP_IPV6 => {
                let octets: [u8; 16] = address[1..]
                    .try_into()
                    .map_err(|_| Socks5Error::Truncated)?;
                TargetAddr::Ip(SocketAddr::new(IpAddr::V6(Ipv6Addr::from(octets)), port))
            }
            _ => {
                let name = address.get(2..).unwrap_or(&[]);
                if name.is_empty() {
                    return Err(Socks5Error::BadDomainName);
                }
                let name = core::str::from_utf8(name).map_err(|_| Socks5Error::BadDomainName)?;
                TargetAddr::Domain(String::from(name), port)
            }
        };
        Ok(Some((addr, len)))
    }
}

/// Username, password and domain name are each one length byte and 1 to 255 bytes.
pub(crate) fn check_field(field: &'static str, len: usize) -> Result<(), Socks5Error> {
    if (1..=255).contains(&len) {
        Ok(())
    } else {
        Err(Socks5Error::FieldLength { field, len })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(addr: TargetAddr) {
        let mut out = Vec::new();
        addr.encode(&mut out);
        assert_eq!(out.len(), addr.encoded_len());
        let (back, used) = TargetAddr::decode(&out).unwrap().unwrap();
        assert_eq!((back, used), (addr.clone(), out.len()));
        for cut in 0..out.len() {
            assert_eq!(
                TargetAddr::decode(&out[..cut]).unwrap(),
                None,
                "{addr:?} cut at {cut}"
            );
        }
    }

    #[test]
    fn every_address_type_round_trips_and_needs_all_its_bytes() {
        round_trip(TargetAddr::Ip("203.0.113.9:65535".parse().unwrap()));
        round_trip(TargetAddr::Ip("[2001:db8::17]:1".parse().unwrap()));
        round_trip(TargetAddr::Domain("example.com".into(), 8080));
        round_trip(TargetAddr::Domain("x".repeat(255), 0));
    }

    #[test]
    fn rfc1928_section5_rejects_unknown_address_types_and_bad_names() {
        assert_eq!(
            TargetAddr::decode(&[2, 0, 0]),
            Err(Socks5Error::BadAddressType(2))
        );
        assert_eq!(
            TargetAddr::decode(&[3, 0, 0, 80]),
            Err(Socks5Error::BadDomainName)
        );
        assert_eq!(
            TargetAddr::decode(&[3, 2, 0xff, 0xfe, 0, 80]),
            Err(Socks5Error::BadDomainName)
        );
    }

    #[test]
    fn domain_names_longer_than_255_bytes_are_refused() {
        let long = TargetAddr::Domain("a".repeat(256), 1);
        assert_eq!(
            long.validate(),
            Err(Socks5Error::FieldLength {
                field: "domain name",
                len: 256
            })
        );
        assert!(TargetAddr::Domain(String::new(), 1).validate().is_err());
    }
}
