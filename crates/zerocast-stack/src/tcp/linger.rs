//! `close` with a linger time (`SO_LINGER` with a non-zero timeout).
//!
//! A sans-IO stack cannot block in `close`, so lingering is an outcome reported later:
//! [`Stack::tcp_close`](crate::Stack::tcp_close) on a socket whose
//! [`linger`](super::TcpSocketOptions::linger) is `Some(t)` with `t > 0` queues the FIN
//! behind the unsent data as a plain close does, but keeps the socket id until one of:
//! - our FIN is acknowledged (FIN-WAIT-2, TIME-WAIT, or CLOSED without error): the socket
//!   gets one readiness event `{ writable: true, error: false }`;
//! - `t` passes first, or the connection fails (a RST arrives, the retransmissions time
//!   out): on the linger deadline the stack sends a RST, and the socket gets one event
//!   `{ error: true }`.
//!
//! The id is released right after that event (the stack may reuse it afterwards); between
//! `tcp_close` and the event the application must not use it except to wait. Linux's
//! blocking `close` returns at the deadline and lets the connection carry on; RFC 9293
//! leaves this open, and the reset here (what Windows does, and what the issue asks) gives
//! the application a definite end: when the event says success, the peer's TCP has every
//! byte; when it says failure, the peer saw a RST and the connection holds no more state.
//! `linger = Some(0)` keeps resetting at once, and unread data still resets as RFC 2525
//! 2.17 says.

use super::conn::{Conn, ConnCtx};
use super::demux::{ConnId, TcpSocketKind};
use super::io::run_conn;
use super::segment::OutSegment;
use super::TcpState;
use crate::context::{Bindings, Readiness, SocketId};
use crate::socket::SocketError;
use crate::time::Duration;
use crate::Stack;

/// How a lingering close ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LingerOutcome {
    /// Our FIN was acknowledged: the peer has all the data.
    Delivered,
    /// The connection was reset (linger time passed, or it failed).
    Reset,
}

impl Conn {
    /// close() with a linger time `linger > 0`: as [`Conn::close`], plus a deadline.
    pub(crate) fn close_lingering(&mut self, linger: Duration, ctx: &mut ConnCtx<'_>) {
        self.close(ctx);
        if !self.is_closed() && self.linger_outcome().is_none() {
            self.linger_at
                .set(Some(ctx.now + linger), &mut self.timers_changed);
        }
    }

    /// The linger time passed with our FIN unacknowledged: reset (RFC 9293 3.10.5 abort).
    pub(crate) fn on_linger_timeout(&mut self, ctx: &mut ConnCtx<'_>) {
        self.linger_at.set(None, &mut self.timers_changed);
        if self.state.is_synchronized() && self.state != TcpState::TimeWait {
            ctx.out.push(OutSegment::rst(self.snd_nxt, None));
        }
        self.fail(SocketError::TimedOut);
    }

    /// Whether a lingering close is over, and how.
    pub(crate) fn linger_outcome(&self) -> Option<LingerOutcome> {
        match self.state {
            TcpState::FinWait2 | TcpState::TimeWait => Some(LingerOutcome::Delivered),
            TcpState::Closed if self.error.is_none() => Some(LingerOutcome::Delivered),
            TcpState::Closed => Some(LingerOutcome::Reset),
            _ => None,
        }
    }
}

/// `tcp_close(id)`: if the socket lingers (`linger > 0` on a live connection), starts the
/// lingering close and returns true; the socket stays until [`report`] releases it.
pub(crate) fn start(
    stack: &mut Stack,
    bc: &mut impl Bindings,
    id: SocketId,
) -> Result<bool, SocketError> {
    let sock = stack.sockets.tcp(id)?;
    let Some(linger) = sock.options.linger.filter(|t| !t.is_zero()) else {
        return Ok(false);
    };
    let TcpSocketKind::Conn(c) = sock.kind else {
        return Ok(false);
    };
    if stack.tcp.get(c).is_none_or(|e| e.conn.is_closed()) {
        return Ok(false);
    }
    run_conn(stack, bc, c, |conn, ctx| conn.close_lingering(linger, ctx));
    Ok(true)
}

/// After connection `id` ran: if it is a lingering close that just ended, tells its socket
/// how (one readiness event) and releases the socket.
pub(crate) fn report(stack: &mut Stack, bc: &mut impl Bindings, id: ConnId) {
    let Some(entry) = stack.tcp.get_mut(id) else {
        return;
    };
    // A closed (orphaned) connection whose socket is still held is a lingering one.
    let Some(socket) = entry.socket.filter(|_| entry.conn.orphan) else {
        return;
    };
    let Some(outcome) = entry.conn.linger_outcome() else {
        return;
    };
    let conn = &mut entry.conn;
    conn.linger_at.set(None, &mut conn.timers_changed);
    entry.socket = None;
    let readiness = Readiness {
        readable: false,
        writable: outcome == LingerOutcome::Delivered,
        error: outcome == LingerOutcome::Reset,
    };
    bc.socket_ready(socket, readiness);
    if let Some(crate::socket::Socket::Tcp(sock)) = stack.sockets.remove(socket) {
        if let Some(l) = sock.local {
            stack.tcp.unindex_port(socket, l.port());
        }
    }
    if stack
        .tcp
        .get(id)
        .is_some_and(|e| e.conn.is_closed() && !e.indexed)
    {
        // run_conn kept the closed slot for the socket, which is gone now.
        stack.tcp.free_slot(id);
    }
}
