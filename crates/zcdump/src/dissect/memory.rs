//! What dissection remembers of a TCP conversation from its earlier frames, as tshark keeps
//! per-conversation data: whether HTTP has seen a request in it. tshark 4.0 reads a segment
//! on an HTTP port that starts no message as an HTTP continuation (`http`, its bytes as
//! `data`) only in a conversation where it has dissected a request before; elsewhere it
//! shows nothing past `tcp`. A SYN that opens a new connection on the same ports starts a
//! new conversation, which has seen nothing.
//!
//! Frames dissected in file order ([`dissect_in_order`](super::dissect_in_order)) consult
//! and update a [`Conversations`] memory directly. The statistics dissect batches on
//! several threads, where the earlier frames may not have been dissected yet: there a
//! frame assumes the conversation has seen a request and records what it did and what it
//! assumed ([`HttpEvents`]), and the assumption is settled when the batches' tallies are
//! merged in file order.

use std::collections::HashSet;

use zerocast_wire::PseudoHeader;

/// A TCP conversation: its two endpoints (address as 128 bits with a family tag, port),
/// the lower first, so both directions agree.
pub type ConversationKey = ((u8, u128, u16), (u8, u128, u16));

/// The key of the conversation of a segment between `pseudo`'s addresses and these ports.
pub(super) fn key_of(pseudo: &PseudoHeader, src_port: u16, dst_port: u16) -> ConversationKey {
    let (src, dst) = match *pseudo {
        PseudoHeader::V4 { src, dst } => (
            (4, u128::from(u32::from_be_bytes(src.0)), src_port),
            (4, u128::from(u32::from_be_bytes(dst.0)), dst_port),
        ),
        PseudoHeader::V6 { src, dst } => (
            (6, u128::from_be_bytes(src.0), src_port),
            (6, u128::from_be_bytes(dst.0), dst_port),
        ),
    };
    if src <= dst {
        (src, dst)
    } else {
        (dst, src)
    }
}

/// The conversations in which HTTP has seen a request, for frames dissected in file order.
/// Memory grows with the number of such conversations (one key each).
///
/// ```
/// use zcdump::capture::{LinkType, Packet};
/// use zcdump::dissect::{dissect_in_order, Conversations};
/// use zcdump::fields::{FrameFields, Proto};
/// // An IPv4/TCP segment from 10.0.0.1:40000 to 10.0.0.2:80 carrying `payload`.
/// fn segment(payload: &[u8]) -> Vec<u8> {
///     let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
///     let total = (40 + payload.len()) as u16;
///     ip[2..4].copy_from_slice(&total.to_be_bytes());
///     ip.extend_from_slice(&[0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 1, 0, 0, 0, 0, 0]);
///     ip.extend_from_slice(payload);
///     ip
/// }
/// let mut memory = Conversations::default();
/// let mut has_http = |payload: &[u8]| {
///     let data = segment(payload);
///     let packet = Packet { ts_sec: 0, ts_nsec: 0, orig_len: data.len() as u32, link_type: LinkType::RawIp, data: &data };
///     let mut f = FrameFields::default();
///     dissect_in_order(&packet, 1, &mut f, &mut memory);
///     f.path().contains(&Proto::Http)
/// };
/// assert!(!has_http(b"hello\r\n")); // no request yet: not HTTP
/// assert!(has_http(b"GET / HTTP/1.1\r\n\r\n"));
/// assert!(has_http(b"hello\r\n")); // now a continuation
/// ```
#[derive(Debug, Clone, Default)]
pub struct Conversations {
    http_requests: HashSet<ConversationKey>,
}

impl Conversations {
    /// Whether HTTP has seen a request in conversation `key`.
    #[must_use]
    pub fn http_request_seen(&self, key: &ConversationKey) -> bool {
        self.http_requests.contains(key)
    }

    /// A new connection on `key`'s ports (a SYN without ACK): it has seen nothing.
    pub fn new_connection(&mut self, key: &ConversationKey) {
        self.http_requests.remove(key);
    }

    /// HTTP dissected a request in conversation `key`.
    pub fn http_request(&mut self, key: ConversationKey) {
        self.http_requests.insert(key);
    }
}

/// What one frame did to, and assumed of, its TCP conversation's memory; recorded when it
/// was dissected out of file order (see the module notes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HttpEvents {
    /// The outer TCP header's conversation.
    pub key: Option<ConversationKey>,
    /// A SYN without ACK: a new connection, which has seen no request.
    pub reset: bool,
    /// HTTP dissected a request.
    pub request: bool,
    /// The segment starts no message and was read as a continuation, assuming the
    /// conversation had seen a request; if it had not, tshark shows nothing past `tcp`.
    pub assumed: Option<Unseen>,
}

/// How a continuation assumed to follow a request looks when none came before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unseen {
    /// tshark's read ran past the capture's cut: the frame is short in `tcp`.
    pub short: bool,
}
