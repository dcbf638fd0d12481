//! [`Socks5Error`]: why a handshake or a UDP datagram was refused, and [`ReplyCode`], the
//! proxy's answer to a request (RFC 1928 section 6).

use core::fmt;

/// The REP field of a reply (RFC 1928 section 6), for the failures.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReplyCode {
    /// X'01' general SOCKS server failure.
    GeneralFailure,
    /// X'02' connection not allowed by ruleset.
    NotAllowed,
    /// X'03' network unreachable.
    NetworkUnreachable,
    /// X'04' host unreachable.
    HostUnreachable,
    /// X'05' connection refused.
    ConnectionRefused,
    /// X'06' TTL expired.
    TtlExpired,
    /// X'07' command not supported.
    CommandNotSupported,
    /// X'08' address type not supported.
    AddressTypeNotSupported,
    /// X'09' to X'FF', unassigned.
    Unassigned(u8),
}

impl ReplyCode {
    /// The code for a REP byte other than X'00' (succeeded).
    ///
    /// ```
    /// use zerocast_socks5::ReplyCode;
    /// assert_eq!(ReplyCode::from_byte(5), ReplyCode::ConnectionRefused);
    /// assert_eq!(ReplyCode::from_byte(0x42), ReplyCode::Unassigned(0x42));
    /// ```
    #[must_use]
    pub const fn from_byte(byte: u8) -> ReplyCode {
        match byte {
            1 => ReplyCode::GeneralFailure,
            2 => ReplyCode::NotAllowed,
            3 => ReplyCode::NetworkUnreachable,
            4 => ReplyCode::HostUnreachable,
            5 => ReplyCode::ConnectionRefused,
            6 => ReplyCode::TtlExpired,
            7 => ReplyCode::CommandNotSupported,
            8 => ReplyCode::AddressTypeNotSupported,
            other => ReplyCode::Unassigned(other),
        }
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyCode::GeneralFailure => f.write_str("general SOCKS server failure"),
            ReplyCode::NotAllowed => f.write_str("connection not allowed by ruleset"),
            ReplyCode::NetworkUnreachable => f.write_str("network unreachable"),
            ReplyCode::HostUnreachable => f.write_str("host unreachable"),
            ReplyCode::ConnectionRefused => f.write_str("connection refused"),
            ReplyCode::TtlExpired => f.write_str("TTL expired"),
            ReplyCode::CommandNotSupported => f.write_str("command not supported"),
            ReplyCode::AddressTypeNotSupported => f.write_str("address type not supported"),
            ReplyCode::Unassigned(code) => write!(f, "unassigned reply code {code:#04x}"),
        }
    }
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Socks5Error {
    /// A message carried the wrong version byte (`expected` 5, or 1 in the RFC 1929
    /// sub-negotiation): the peer is not a SOCKS5 proxy.
    BadVersion {
        /// The version this message must carry.
        expected: u8,
        /// The byte received.
        got: u8,
    },
    /// The proxy accepts none of the offered methods (METHOD X'FF').
    NoAcceptableMethod,
    /// The proxy chose a method the client did not offer.
    UnofferedMethod(u8),
    /// The proxy rejected the username and password (RFC 1929 STATUS other than X'00').
    AuthenticationFailed(u8),
    /// The proxy refused the request.
    Rejected(ReplyCode),
    /// An address type other than IPv4 (1), domain name (3) or IPv6 (4).
    BadAddressType(u8),
    /// A domain name in a reply or datagram that is not UTF-8, or a zero-length one.
    BadDomainName,
    /// A username, password or domain name is empty or longer than 255 bytes.
    FieldLength {
        /// Which field.
        field: &'static str,
        /// Its length.
        len: usize,
    },
    /// A UDP datagram is a fragment (FRAG other than 0); RFC 1928 section 7 lets an
    /// implementation without reassembly drop it, which this one does.
    Fragmented(u8),
    /// A UDP datagram ended inside its header.
    Truncated,
    /// A UDP datagram's reserved field is not zero.
    BadReserved,
    /// Bytes were fed after the handshake finished or failed.
    Finished,
}

impl fmt::Display for Socks5Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Socks5Error::BadVersion { expected, got } => {
                write!(f, "not a SOCKS5 proxy: version {got}, expected {expected}")
            }
            Socks5Error::NoAcceptableMethod => {
                f.write_str("the proxy accepts none of the offered authentication methods")
            }
            Socks5Error::UnofferedMethod(m) => {
                write!(f, "the proxy chose method {m:#04x}, which was not offered")
            }
            Socks5Error::AuthenticationFailed(status) => {
                write!(
                    f,
                    "the proxy rejected the username/password (status {status})"
                )
            }
            Socks5Error::Rejected(code) => write!(f, "the proxy refused the request: {code}"),
            Socks5Error::BadAddressType(t) => write!(f, "unknown address type {t}"),
            Socks5Error::BadDomainName => f.write_str("empty or non-UTF-8 domain name"),
            Socks5Error::FieldLength { field, len } => {
                write!(f, "{field} is {len} bytes; SOCKS5 allows 1 to 255")
            }
            Socks5Error::Fragmented(frag) => {
                write!(f, "UDP datagram fragment {frag} dropped (no reassembly)")
            }
            Socks5Error::Truncated => f.write_str("UDP datagram shorter than its header"),
            Socks5Error::BadReserved => f.write_str("UDP datagram with a non-zero reserved field"),
            Socks5Error::Finished => f.write_str("bytes fed after the handshake ended"),
        }
    }
}

impl core::error::Error for Socks5Error {}
