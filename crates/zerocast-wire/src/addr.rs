//! Link and network addresses as they sit in headers: plain byte arrays that can be cast in
//! place, with the predicates a stack asks of them and the text forms tshark prints.
//!
//! IPv4 and IPv6 addresses convert to and from `core::net` and print the same way (IPv6 in
//! the RFC 5952 compressed form); MAC addresses print lower-case with colons.

use core::fmt;

use zerocast::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// A 48-bit IEEE 802 MAC address.
///
/// ```
/// use zerocast_wire::MacAddr;
/// let mac = MacAddr([0x0a, 0x97, 0xf9, 0xdf, 0x54, 0x65]);
/// assert_eq!(mac.to_string(), "0a:97:f9:df:54:65");
/// assert!(mac.is_unicast() && mac.is_locally_administered());
/// ```
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(transparent)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// ff:ff:ff:ff:ff:ff.
    pub const BROADCAST: MacAddr = MacAddr([0xff; 6]);
    /// 00:00:00:00:00:00.
    pub const UNSPECIFIED: MacAddr = MacAddr([0; 6]);

    /// The group bit (I/G) is set: multicast or broadcast.
    ///
    /// ```
    /// use zerocast_wire::MacAddr;
    /// assert!(MacAddr([0x33, 0x33, 0, 0, 0, 0x16]).is_multicast());
    /// ```
    #[must_use]
    pub const fn is_multicast(&self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// The group bit is clear.
    ///
    /// ```
    /// use zerocast_wire::MacAddr;
    /// assert!(!zerocast_wire::MacAddr::BROADCAST.is_unicast());
    /// ```
    #[must_use]
    pub const fn is_unicast(&self) -> bool {
        !self.is_multicast()
    }

    /// All ones.
    ///
    /// ```
    /// assert!(zerocast_wire::MacAddr::BROADCAST.is_broadcast());
    /// ```
    #[must_use]
    pub const fn is_broadcast(&self) -> bool {
        matches!(self.0, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    }

    /// The U/L bit is set (not a vendor-assigned address).
    ///
    /// ```
    /// use zerocast_wire::MacAddr;
    /// assert!(!MacAddr([0x00, 0x1b, 0x21, 1, 2, 3]).is_locally_administered());
    /// ```
    #[must_use]
    pub const fn is_locally_administered(&self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// The Ethernet multicast address an IPv6 multicast group maps to (RFC 2464 section 7).
    ///
    /// ```
    /// use zerocast_wire::{Ipv6Addr, MacAddr};
    /// let group = Ipv6Addr::from(core::net::Ipv6Addr::new(0xff02, 0, 0, 0, 0, 1, 0xff5d, 0x1aad));
    /// assert_eq!(MacAddr::ipv6_multicast(group).to_string(), "33:33:ff:5d:1a:ad");
    /// ```
    #[must_use]
    pub const fn ipv6_multicast(group: Ipv6Addr) -> MacAddr {
        let g = group.0;
        MacAddr([0x33, 0x33, g[12], g[13], g[14], g[15]])
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<[u8; 6]> for MacAddr {
    fn from(b: [u8; 6]) -> Self {
        MacAddr(b)
    }
}

/// An IPv4 address in network byte order.
///
/// ```
/// use zerocast_wire::Ipv4Addr;
/// let a = Ipv4Addr([10, 77, 0, 2]);
/// assert_eq!(a.to_string(), "10.77.0.2");
/// assert!(a.is_private() && a.is_unicast());
/// ```
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(transparent)]
pub struct Ipv4Addr(pub [u8; 4]);

impl Ipv4Addr {
    /// 0.0.0.0.
    pub const UNSPECIFIED: Ipv4Addr = Ipv4Addr([0; 4]);
    /// 255.255.255.255.
    pub const BROADCAST: Ipv4Addr = Ipv4Addr([255; 4]);

    /// The address as a `core::net` value.
    ///
    /// ```
    /// use zerocast_wire::Ipv4Addr;
    /// assert!(Ipv4Addr([127, 0, 0, 1]).to_std().is_loopback());
    /// ```
    #[must_use]
    pub const fn to_std(self) -> core::net::Ipv4Addr {
        let [a, b, c, d] = self.0;
        core::net::Ipv4Addr::new(a, b, c, d)
    }

    /// 0.0.0.0.
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv4Addr::UNSPECIFIED.is_unspecified());
    /// ```
    #[must_use]
    pub const fn is_unspecified(&self) -> bool {
        matches!(self.0, [0, 0, 0, 0])
    }

    /// 127.0.0.0/8.
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv4Addr([127, 1, 2, 3]).is_loopback());
    /// ```
    #[must_use]
    pub const fn is_loopback(&self) -> bool {
        self.0[0] == 127
    }

    /// 224.0.0.0/4.
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv4Addr([224, 0, 0, 22]).is_multicast());
    /// ```
    #[must_use]
    pub const fn is_multicast(&self) -> bool {
        self.0[0] & 0xf0 == 224
    }

    /// 255.255.255.255 (the limited broadcast address).
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv4Addr::BROADCAST.is_broadcast());
    /// ```
    #[must_use]
    pub const fn is_broadcast(&self) -> bool {
        matches!(self.0, [255, 255, 255, 255])
    }

    /// 169.254.0.0/16.
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv4Addr([169, 254, 9, 9]).is_link_local());
    /// ```
    #[must_use]
    pub const fn is_link_local(&self) -> bool {
        self.0[0] == 169 && self.0[1] == 254
    }

    /// 10/8, 172.16/12 or 192.168/16 (RFC 1918).
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv4Addr([172, 20, 0, 1]).is_private());
    /// ```
    #[must_use]
    pub const fn is_private(&self) -> bool {
        matches!(self.0, [10, ..] | [192, 168, ..]) || (self.0[0] == 172 && self.0[1] & 0xf0 == 16)
    }

    /// Neither unspecified, multicast nor the limited broadcast: usable as a source address.
    ///
    /// ```
    /// assert!(!zerocast_wire::Ipv4Addr([224, 0, 0, 1]).is_unicast());
    /// ```
    #[must_use]
    pub const fn is_unicast(&self) -> bool {
        !self.is_unspecified() && !self.is_multicast() && !self.is_broadcast()
    }
}

impl fmt::Display for Ipv4Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_std(), f)
    }
}

impl fmt::Debug for Ipv4Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<core::net::Ipv4Addr> for Ipv4Addr {
    fn from(a: core::net::Ipv4Addr) -> Self {
        Ipv4Addr(a.octets())
    }
}

impl From<Ipv4Addr> for core::net::Ipv4Addr {
    fn from(a: Ipv4Addr) -> Self {
        a.to_std()
    }
}

impl From<[u8; 4]> for Ipv4Addr {
    fn from(b: [u8; 4]) -> Self {
        Ipv4Addr(b)
    }
}

/// An IPv6 address in network byte order.
///
/// ```
/// use zerocast_wire::Ipv6Addr;
/// let a: Ipv6Addr = core::net::Ipv6Addr::new(0xff02, 0, 0, 0, 0, 1, 0xff5d, 0x1aad).into();
/// assert_eq!(a.to_string(), "ff02::1:ff5d:1aad");
/// assert!(a.is_multicast() && a.is_solicited_node());
/// ```
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(transparent)]
pub struct Ipv6Addr(pub [u8; 16]);

impl Ipv6Addr {
    /// `::`.
    pub const UNSPECIFIED: Ipv6Addr = Ipv6Addr([0; 16]);

    /// The address as a `core::net` value.
    ///
    /// ```
    /// use zerocast_wire::Ipv6Addr;
    /// assert!(Ipv6Addr::UNSPECIFIED.to_std().is_unspecified());
    /// ```
    #[must_use]
    pub const fn to_std(self) -> core::net::Ipv6Addr {
        core::net::Ipv6Addr::from_bits(u128::from_be_bytes(self.0))
    }

    /// `::`.
    ///
    /// ```
    /// assert!(zerocast_wire::Ipv6Addr::UNSPECIFIED.is_unspecified());
    /// ```
    #[must_use]
    pub const fn is_unspecified(&self) -> bool {
        u128::from_be_bytes(self.0) == 0
    }

    /// `::1`.
    ///
    /// ```
    /// let one: zerocast_wire::Ipv6Addr = core::net::Ipv6Addr::LOCALHOST.into();
    /// assert!(one.is_loopback());
    /// ```
    #[must_use]
    pub const fn is_loopback(&self) -> bool {
        u128::from_be_bytes(self.0) == 1
    }

    /// `ff00::/8`.
    ///
    /// ```
    /// let a: zerocast_wire::Ipv6Addr = "ff02::16".parse::<core::net::Ipv6Addr>()?.into();
    /// assert!(a.is_multicast());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_multicast(&self) -> bool {
        self.0[0] == 0xff
    }

    /// `fe80::/10`.
    ///
    /// ```
    /// let a: zerocast_wire::Ipv6Addr = "fe80::1".parse::<core::net::Ipv6Addr>()?.into();
    /// assert!(a.is_unicast_link_local());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_unicast_link_local(&self) -> bool {
        self.0[0] == 0xfe && self.0[1] & 0xc0 == 0x80
    }

    /// `fc00::/7` (unique local, RFC 4193).
    ///
    /// ```
    /// let a: zerocast_wire::Ipv6Addr = "fd77::2".parse::<core::net::Ipv6Addr>()?.into();
    /// assert!(a.is_unique_local());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_unique_local(&self) -> bool {
        self.0[0] & 0xfe == 0xfc
    }

    /// `ff02::1:ff00:0/104`, the solicited-node groups used by Neighbor Solicitation.
    ///
    /// ```
    /// let a: zerocast_wire::Ipv6Addr = "ff02::1:ff00:2".parse::<core::net::Ipv6Addr>()?.into();
    /// assert!(a.is_solicited_node());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn is_solicited_node(&self) -> bool {
        let a = self.0;
        a[0] == 0xff
            && a[1] == 0x02
            && u64::from_be_bytes([a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]]) == 0
            && a[10] == 0
            && a[11] == 1
            && a[12] == 0xff
    }

    /// The multicast scope (low nibble of the second byte), if this is multicast.
    ///
    /// ```
    /// let a: zerocast_wire::Ipv6Addr = "ff05::2".parse::<core::net::Ipv6Addr>()?.into();
    /// assert_eq!(a.multicast_scope(), Some(5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn multicast_scope(&self) -> Option<u8> {
        if self.is_multicast() {
            Some(self.0[1] & 0x0f)
        } else {
            None
        }
    }

    /// Neither unspecified nor multicast: usable as a unicast destination.
    ///
    /// ```
    /// assert!(!zerocast_wire::Ipv6Addr::UNSPECIFIED.is_unicast());
    /// ```
    #[must_use]
    pub const fn is_unicast(&self) -> bool {
        !self.is_unspecified() && !self.is_multicast()
    }

    /// The solicited-node multicast group of this address (RFC 4291 section 2.7.1).
    ///
    /// ```
    /// let a: zerocast_wire::Ipv6Addr = "fd77::2".parse::<core::net::Ipv6Addr>()?.into();
    /// assert_eq!(a.solicited_node().to_string(), "ff02::1:ff00:2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn solicited_node(&self) -> Ipv6Addr {
        let a = self.0;
        Ipv6Addr([
            0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, a[13], a[14], a[15],
        ])
    }
}

impl fmt::Display for Ipv6Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_std(), f)
    }
}

impl fmt::Debug for Ipv6Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<core::net::Ipv6Addr> for Ipv6Addr {
    fn from(a: core::net::Ipv6Addr) -> Self {
        Ipv6Addr(a.octets())
    }
}

impl From<Ipv6Addr> for core::net::Ipv6Addr {
    fn from(a: Ipv6Addr) -> Self {
        a.to_std()
    }
}

impl From<[u8; 16]> for Ipv6Addr {
    fn from(b: [u8; 16]) -> Self {
        Ipv6Addr(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(s: &str) -> Ipv6Addr {
        s.parse::<core::net::Ipv6Addr>()
            .map(Ipv6Addr::from)
            .unwrap()
    }

    #[test]
    fn ipv6_display_is_rfc5952_compressed() {
        // RFC 5952 section 4: longest run compressed, first of equal runs, no single-word "::",
        // lower case, no leading zeros.
        assert_eq!(v6("2001:db8:0:0:1:0:0:1").to_string(), "2001:db8::1:0:0:1");
        assert_eq!(
            v6("2001:db8:0:1:1:1:1:1").to_string(),
            "2001:db8:0:1:1:1:1:1"
        );
        assert_eq!(v6("2001:0DB8::0001").to_string(), "2001:db8::1");
        assert_eq!(v6("::").to_string(), "::");
        assert_eq!(
            v6("fe80::2812:9aff:fe5d:1aad").to_string(),
            "fe80::2812:9aff:fe5d:1aad"
        );
    }

    #[test]
    fn mac_display_is_lower_case_with_colons() {
        assert_eq!(
            MacAddr([0xAB, 0, 0x0c, 0xff, 1, 0x10]).to_string(),
            "ab:00:0c:ff:01:10"
        );
    }

    #[test]
    fn ipv4_private_ranges_are_exact() {
        assert!(Ipv4Addr([172, 31, 255, 255]).is_private());
        assert!(!Ipv4Addr([172, 32, 0, 0]).is_private());
        assert!(!Ipv4Addr([11, 0, 0, 0]).is_private());
    }

    #[test]
    fn solicited_node_predicate_rejects_other_groups() {
        assert!(!v6("ff02::16").is_solicited_node());
        assert!(v6("ff02::1:ff5d:1aad").is_solicited_node());
    }
}
