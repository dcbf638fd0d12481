//! The connection states of RFC 9293 section 3.3.2 (figure 5) and `shutdown` directions.

/// The state of a TCP connection (RFC 9293 section 3.3.2).
///
/// ```
/// use zerocast_stack::tcp::TcpState;
/// assert!(TcpState::Established.is_synchronized());
/// assert!(!TcpState::SynSent.is_synchronized());
/// assert!(TcpState::CloseWait.can_send());
/// assert!(!TcpState::FinWait2.can_send());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TcpState {
    /// No connection (a fresh or bound socket, or one whose connection ended).
    Closed,
    /// Waiting for connection requests.
    Listen,
    /// SYN sent, waiting for the peer's SYN.
    SynSent,
    /// SYN received and SYN-ACK sent, waiting for the ACK of our SYN.
    SynReceived,
    /// Open: data flows both ways.
    Established,
    /// We closed (FIN sent), waiting for its ACK or the peer's FIN.
    FinWait1,
    /// Our FIN is acknowledged; waiting for the peer's FIN.
    FinWait2,
    /// The peer closed; we may still send.
    CloseWait,
    /// Both closed at once; waiting for the ACK of our FIN.
    Closing,
    /// The peer closed first, then we did; waiting for the ACK of our FIN.
    LastAck,
    /// Both directions closed; waiting 2·MSL so old duplicates die out.
    TimeWait,
}

impl TcpState {
    /// Whether the handshake completed (RFC 9293 calls these the synchronized states).
    ///
    /// ```
    /// # use zerocast_stack::tcp::TcpState;
    /// assert!(TcpState::TimeWait.is_synchronized());
    /// ```
    #[must_use]
    pub const fn is_synchronized(self) -> bool {
        !matches!(
            self,
            TcpState::Closed | TcpState::Listen | TcpState::SynSent | TcpState::SynReceived
        )
    }

    /// Whether the application may still queue data (our FIN not yet requested).
    ///
    /// ```
    /// # use zerocast_stack::tcp::TcpState;
    /// assert!(TcpState::Established.can_send());
    /// ```
    #[must_use]
    pub const fn can_send(self) -> bool {
        matches!(
            self,
            TcpState::SynSent | TcpState::SynReceived | TcpState::Established | TcpState::CloseWait
        )
    }

    /// Whether data from the peer is still accepted (RFC 9293 3.10.7.4, seventh step).
    ///
    /// ```
    /// # use zerocast_stack::tcp::TcpState;
    /// assert!(TcpState::FinWait2.can_receive());
    /// assert!(!TcpState::CloseWait.can_receive());
    /// ```
    #[must_use]
    pub const fn can_receive(self) -> bool {
        matches!(
            self,
            TcpState::Established | TcpState::FinWait1 | TcpState::FinWait2
        )
    }
}

/// Which direction(s) [`Stack::tcp_shutdown`](crate::Stack::tcp_shutdown) closes.
///
/// ```
/// use zerocast_stack::tcp::Shutdown;
/// assert_ne!(Shutdown::Read, Shutdown::Write);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Shutdown {
    /// Stop receiving: queued and later data is discarded.
    Read,
    /// Stop sending: a FIN follows the queued data.
    Write,
    /// Both.
    Both,
}
