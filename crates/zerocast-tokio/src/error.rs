//! [`io_error`]: the core's socket errors as the `std::io::ErrorKind`s a tokio user
//! expects from `tokio::net` sockets.

use std::io;

use zerocast_stack::SocketError;

/// Maps a core socket error onto `std::io::Error` (the core's error is kept as the source).
///
/// ```
/// use std::io::ErrorKind;
/// use zerocast_stack::SocketError;
/// use zerocast_tokio::error::io_error;
/// assert_eq!(io_error(SocketError::ConnectionReset).kind(), ErrorKind::ConnectionReset);
/// assert_eq!(io_error(SocketError::BrokenPipe).kind(), ErrorKind::BrokenPipe);
/// ```
#[must_use]
pub fn io_error(e: SocketError) -> io::Error {
    let kind = match e {
        SocketError::WouldBlock => io::ErrorKind::WouldBlock,
        SocketError::AddressInUse => io::ErrorKind::AddrInUse,
        SocketError::AddressNotAvailable => io::ErrorKind::AddrNotAvailable,
        SocketError::NotConnected => io::ErrorKind::NotConnected,
        SocketError::InvalidInput
        | SocketError::AlreadyBound
        | SocketError::MessageTooLong
        | SocketError::InvalidState => io::ErrorKind::InvalidInput,
        SocketError::ConnectionRefused => io::ErrorKind::ConnectionRefused,
        SocketError::ConnectionReset => io::ErrorKind::ConnectionReset,
        SocketError::ConnectionAborted => io::ErrorKind::ConnectionAborted,
        SocketError::TimedOut => io::ErrorKind::TimedOut,
        SocketError::BrokenPipe => io::ErrorKind::BrokenPipe,
        SocketError::AlreadyConnected => io::ErrorKind::AlreadyExists,
        SocketError::HostUnreachable => io::ErrorKind::HostUnreachable,
        SocketError::NetworkUnreachable | SocketError::NoRoute => io::ErrorKind::NetworkUnreachable,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, e)
}
