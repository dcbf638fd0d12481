//! [`io_error`]: the core's socket errors as `std::io::Error`s, in one place for every socket
//! type of this crate and of zerocast-tokio, so a UDP, TCP or ICMP call reports a given core
//! error with the same `ErrorKind` whichever API made it.

use std::io;

use zerocast_stack::SocketError;

/// Maps the core's socket errors onto `std::io::ErrorKind`, each onto the kind std gives
/// the matching errno (`ECONNRESET` → `ConnectionReset`, `ETIMEDOUT` → `TimedOut`, ...).
///
/// ```
/// use std::io::ErrorKind;
/// use zerocast_stack::SocketError;
/// use zerocast_tap::error::io_error;
/// assert_eq!(io_error(SocketError::ConnectionRefused).kind(), ErrorKind::ConnectionRefused);
/// assert_eq!(io_error(SocketError::ConnectionReset).kind(), ErrorKind::ConnectionReset);
/// assert_eq!(io_error(SocketError::TimedOut).kind(), ErrorKind::TimedOut);
/// assert_eq!(io_error(SocketError::BrokenPipe).kind(), ErrorKind::BrokenPipe);
/// ```
#[must_use]
pub fn io_error(e: SocketError) -> io::Error {
    use io::ErrorKind as K;
    let kind = match e {
        SocketError::WouldBlock => K::WouldBlock,
        SocketError::AddressInUse => K::AddrInUse,
        SocketError::AddressNotAvailable | SocketError::NoFreePorts => K::AddrNotAvailable,
        SocketError::NotConnected => K::NotConnected,
        SocketError::InvalidInput
        | SocketError::AlreadyBound
        | SocketError::InvalidState
        | SocketError::MessageTooLong => K::InvalidInput,
        SocketError::ConnectionRefused => K::ConnectionRefused,
        SocketError::ConnectionReset => K::ConnectionReset,
        SocketError::ConnectionAborted => K::ConnectionAborted,
        SocketError::TimedOut => K::TimedOut,
        SocketError::BrokenPipe => K::BrokenPipe,
        SocketError::HostUnreachable => K::HostUnreachable,
        SocketError::NetworkUnreachable | SocketError::NoRoute => K::NetworkUnreachable,
        SocketError::AlreadyConnected => K::AlreadyExists,
        _ => K::Other,
    };
    io::Error::new(kind, e)
}
