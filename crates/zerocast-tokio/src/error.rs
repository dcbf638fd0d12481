//! [`io_error`]: the core's socket errors as the `std::io::ErrorKind`s a tokio user
//! expects from `tokio::net` sockets.

/// The mapping is zerocast-tap's ([`zerocast_tap::error::io_error`]), shared with the
/// blocking sockets so both APIs report an error alike.
///
/// ```
/// use std::io::ErrorKind;
/// use zerocast_stack::SocketError;
/// use zerocast_tokio::error::io_error;
/// assert_eq!(io_error(SocketError::ConnectionReset).kind(), ErrorKind::ConnectionReset);
/// assert_eq!(io_error(SocketError::BrokenPipe).kind(), ErrorKind::BrokenPipe);
/// ```
pub use zerocast_tap::error::io_error;
