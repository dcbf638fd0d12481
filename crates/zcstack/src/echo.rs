//! The `zcstack serve --tcp-echo` connection, sans-IO: what it receives it sends back, in
//! order, holding at most [`ECHO_BUFFER`] bytes (when the peer does not read its echoes,
//! [`EchoConnection::input_space`] reaches 0, the caller stops reading, and TCP's window
//! pushes back on the sender). When the peer half-closes, the echo finishes and the
//! connection closes its side too.

/// The most bytes waiting to be echoed.
pub const ECHO_BUFFER: usize = 64 * 1024;

/// One echo connection.
///
/// ```
/// use zcstack::echo::EchoConnection;
/// let mut conn = EchoConnection::new();
/// conn.receive(b"hello");
/// assert_eq!(conn.pending_output(), b"hello");
/// conn.consume_output(2);
/// assert_eq!(conn.pending_output(), b"llo");
/// conn.receive_eof();
/// assert!(!conn.should_close(), "three bytes still to echo");
/// conn.consume_output(3);
/// assert!(conn.should_close());
/// assert_eq!(conn.echoed(), 5);
/// ```
#[derive(Debug, Default)]
pub struct EchoConnection {
    buffer: Vec<u8>,
    sent: usize,
    peer_done: bool,
    echoed: u64,
}

impl EchoConnection {
    /// A connection with nothing to echo yet.
    #[must_use]
    pub fn new() -> EchoConnection {
        EchoConnection::default()
    }

    /// How many more bytes [`EchoConnection::receive`] takes now.
    #[must_use]
    pub fn input_space(&self) -> usize {
        ECHO_BUFFER.saturating_sub(self.buffer.len() - self.sent)
    }

    /// Takes received bytes (to be echoed).
    pub fn receive(&mut self, data: &[u8]) {
        if self.sent > 0 && self.sent == self.buffer.len() {
            self.buffer.clear();
            self.sent = 0;
        }
        self.buffer.extend_from_slice(data);
    }

    /// The peer sent FIN: once the echo drains, the connection closes.
    pub fn receive_eof(&mut self) {
        self.peer_done = true;
    }

    /// Bytes to send now.
    #[must_use]
    pub fn pending_output(&self) -> &[u8] {
        self.buffer.get(self.sent..).unwrap_or_default()
    }

    /// `n` bytes of [`EchoConnection::pending_output`] were sent.
    pub fn consume_output(&mut self, n: usize) {
        let n = n.min(self.buffer.len() - self.sent);
        self.sent += n;
        self.echoed += n as u64;
        if self.sent == self.buffer.len() {
            self.buffer.clear();
            self.sent = 0;
        } else if self.sent > ECHO_BUFFER {
            // Keep the buffer from growing: drop what is already sent.
            self.buffer.drain(..self.sent);
            self.sent = 0;
        }
    }

    /// Whether everything is echoed and the peer has finished sending.
    #[must_use]
    pub fn should_close(&self) -> bool {
        self.peer_done && self.pending_output().is_empty()
    }

    /// Bytes echoed so far.
    #[must_use]
    pub fn echoed(&self) -> u64 {
        self.echoed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_preserves_order_across_partial_sends() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut conn = EchoConnection::new();
        let mut out = Vec::new();
        let mut fed = 0;
        let mut step = 1;
        while out.len() < data.len() {
            let n = conn.input_space().min(data.len() - fed).min(7919);
            conn.receive(&data[fed..fed + n]);
            fed += n;
            let pending = conn.pending_output();
            let take = pending.len().min(step);
            out.extend_from_slice(&pending[..take]);
            conn.consume_output(take);
            step = step % 5000 + 997;
        }
        assert_eq!(out, data);
        assert!(conn.input_space() == ECHO_BUFFER);
    }

    #[test]
    fn input_space_shrinks_when_the_peer_does_not_read() {
        let mut conn = EchoConnection::new();
        conn.receive(&[1; ECHO_BUFFER]);
        assert_eq!(conn.input_space(), 0);
        conn.consume_output(100);
        assert_eq!(conn.input_space(), 100);
    }
}
