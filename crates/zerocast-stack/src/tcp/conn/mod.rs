//! One TCP connection: the RFC 9293 state machine on its own.
//!
//! A [`Conn`] knows nothing of the stack. It is driven by three kinds of input — a segment
//! arrived ([`Conn::on_segment`], in `input.rs`), the application called
//! ([`Conn::send`], [`Conn::recv`], [`Conn::shutdown_write`], [`Conn::close`], ...), its
//! deadline passed ([`Conn::on_timer`], in `timers.rs`) — and answers by pushing
//! [`OutSegment`]s into the context's list and exposing its next deadline. `tcp/mod.rs`
//! turns those into IP packets and timer-heap entries. Tests drive it with exact numbers.

mod input;
pub(crate) mod loss;
mod output;
#[cfg(test)]
mod tests;
mod timers;

use alloc::vec::Vec;
use core::net::SocketAddr;

use super::config::TcpConfig;
use super::deadline::Deadline;
use super::recv_buffer::RecvBuffer;
use super::rules::{self, ChallengeAckLimiter};
use super::segment::{OutSegment, Segment};
use super::send_buffer::SendBuffer;
use super::socket_options::TcpSocketOptions;
use super::{SeqNum, TcpState};
use crate::context::Readiness;
use crate::socket::SocketError;
use crate::time::{Duration, Instant};
use loss::LossControl;

/// What a connection needs from outside for one input.
pub(crate) struct ConnCtx<'a> {
    pub(crate) now: Instant,
    pub(crate) config: &'a TcpConfig,
    pub(crate) challenge: &'a mut ChallengeAckLimiter,
    /// Segments to send, in order.
    pub(crate) out: &'a mut Vec<OutSegment>,
}

/// Per-connection parameters fixed when it is created.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnParams {
    pub(crate) local: SocketAddr,
    pub(crate) remote: SocketAddr,
    pub(crate) iss: SeqNum,
    /// The MSS we announce: the route's MTU minus IP and TCP headers.
    pub(crate) our_mss: u16,
    /// Random offset of our timestamp clock (RFC 7323 section 5.4).
    pub(crate) ts_offset: u32,
    pub(crate) options: TcpSocketOptions,
}

/// Timestamp state once both sides agreed on the option (RFC 7323 section 3).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timestamps {
    pub(crate) recent: u32,
    pub(crate) recent_at: Instant,
}

/// One connection.
#[derive(Debug, Clone)]
pub(crate) struct Conn {
    pub(crate) state: TcpState,
    pub(crate) local: SocketAddr,
    pub(crate) remote: SocketAddr,
    /// Created from a listener's SYN (a RST in SYN-RECEIVED then just forgets it).
    pub(crate) passive: bool,
    pub(crate) options: TcpSocketOptions,

    // Send sequence space (RFC 9293 3.3.1).
    pub(crate) iss: SeqNum,
    pub(crate) snd_una: SeqNum,
    pub(crate) snd_nxt: SeqNum,
    /// The highest sequence number sent (SND.NXT before a go-back-N retransmission).
    pub(crate) snd_max: SeqNum,
    pub(crate) snd_wnd: u32,
    pub(crate) snd_wl1: SeqNum,
    pub(crate) snd_wl2: SeqNum,
    pub(crate) max_snd_wnd: u32,
    /// The peer's window scale shift (applied to windows it sends).
    pub(crate) snd_shift: u8,
    pub(crate) send_buf: SendBuffer,
    /// Sequence number of the send buffer's first byte.
    pub(crate) buf_seq: SeqNum,
    /// The application closed its sending side: a FIN follows the queued data.
    pub(crate) fin_queued: bool,

    // Receive sequence space.
    pub(crate) irs: SeqNum,
    pub(crate) rcv_nxt: SeqNum,
    /// The right edge we advertised; never moves left (RFC 9293 3.8.6).
    pub(crate) rcv_adv: SeqNum,
    /// Our window scale shift (applied to windows we send).
    pub(crate) rcv_shift: u8,
    pub(crate) recv_buf: RecvBuffer,
    pub(crate) recv_buffer_max: usize,
    /// The peer's FIN arrived and RCV.NXT passed it.
    pub(crate) fin_received: bool,
    /// A FIN that arrived ahead of a hole (its sequence number).
    pub(crate) fin_pending: Option<SeqNum>,
    /// `shutdown(Read)`: data keeps being acknowledged and discarded.
    pub(crate) read_closed: bool,
    /// The application closed the socket; the stack owns the connection now.
    pub(crate) orphan: bool,

    // Options.
    pub(crate) our_mss: u16,
    /// The peer's MSS (what one segment of ours may carry, before options).
    pub(crate) snd_mss: u32,
    pub(crate) ts: Option<Timestamps>,
    ts_offset: u32,
    pub(crate) sack_ok: bool,
    /// The last ACK number we sent (RFC 7323 5.3: Last.ACK.sent).
    last_ack_sent: SeqNum,
    /// A duplicate that arrived (RFC 2883 D-SACK), reported in the next ACK.
    dsack: Option<(SeqNum, SeqNum)>,

    // ACK policy (RFC 9293 3.8.6.3).
    ack_now: bool,
    unacked_segments: u32,
    /// The segment being processed arrived in a receive burst (`Stack::receive_burst`):
    /// the every-second-segment ACK waits for the burst's end (GRO-style).
    pub(crate) in_ack_burst: bool,
    /// An ACK owed by the every-second-segment rule, deferred to the burst's end.
    pub(crate) ack_deferred: bool,

    // Timers.
    pub(crate) rto_at: Deadline,
    /// The retransmission timer runs as the persist timer (zero window probing).
    pub(crate) persisting: bool,
    /// The RTO fired and its retransmission has not gone yet (it goes even with no quota).
    rto_recently_fired: bool,
    pub(crate) backoff: u32,
    pub(crate) retransmissions: u32,
    /// When the oldest unacknowledged data was first sent (RFC 5482 user timeout).
    unacked_since: Option<Instant>,
    pub(crate) delack_at: Deadline,
    pub(crate) keepalive_at: Deadline,
    keepalive_probes: u32,
    /// TIME-WAIT end, or an orphan's FIN-WAIT-2 end.
    pub(crate) close_at: Deadline,
    last_rx: Instant,
    pub(crate) loss: LossControl,
    max_rto: Duration,
    max_persist: Duration,

    pub(crate) error: Option<SocketError>,
    /// The last soft ICMP error and SND.UNA when it came (`tcp/icmp_error.rs`).
    pub(crate) soft_error: Option<(SocketError, SeqNum)>,
    /// When a lingering close gives up and resets (`tcp/linger.rs`).
    pub(crate) linger_at: Deadline,
    /// A deadline above moved since the stack last synced this connection's timer entry
    /// (every write goes through [`Deadline::set`], which sets it).
    pub(super) timers_changed: bool,
    /// Bytes the application drained since `drain_mark` (receive auto-tuning).
    drained: usize,
    drain_mark: Instant,
}

/// The default MSS when the peer sends none (RFC 9293 3.7.1: 536 for IPv4, RFC 8200 8.3:
/// 1220 for IPv6).
fn default_peer_mss(remote: SocketAddr) -> u32 {
    if remote.is_ipv4() {
        536
    } else {
        1220
    }
}

impl Conn {
    fn new(p: &ConnParams, config: &TcpConfig, now: Instant) -> Conn {
        let send_buffer = if p.options.send_buffer == 0 {
            config.send_buffer
        } else {
            p.options.send_buffer
        };
        let recv_buffer = if p.options.recv_buffer == 0 {
            config.recv_buffer
        } else {
            p.options.recv_buffer
        };
        let recv_buffer_max = config.recv_buffer_max.max(recv_buffer);
        Conn {
            state: TcpState::Closed,
            local: p.local,
            remote: p.remote,
            passive: false,
            options: p.options,
            iss: p.iss,
            snd_una: p.iss,
            snd_nxt: p.iss,
            snd_max: p.iss,
            snd_wnd: 0,
            snd_wl1: SeqNum::default(),
            snd_wl2: SeqNum::default(),
            max_snd_wnd: 0,
            snd_shift: 0,
            send_buf: SendBuffer::new(send_buffer),
            buf_seq: p.iss + 1,
            fin_queued: false,
            irs: SeqNum::default(),
            rcv_nxt: SeqNum::default(),
            rcv_adv: SeqNum::default(),
            rcv_shift: rules::window_scale_for(recv_buffer_max),
            recv_buf: RecvBuffer::new(recv_buffer),
            recv_buffer_max,
            fin_received: false,
            fin_pending: None,
            read_closed: false,
            orphan: false,
            our_mss: p.our_mss,
            snd_mss: default_peer_mss(p.remote),
            ts: None,
            ts_offset: p.ts_offset,
            sack_ok: false,
            last_ack_sent: SeqNum::default(),
            dsack: None,
            ack_now: false,
            unacked_segments: 0,
            in_ack_burst: false,
            ack_deferred: false,
            rto_at: Deadline::default(),
            persisting: false,
            rto_recently_fired: false,
            backoff: 0,
            retransmissions: 0,
            unacked_since: None,
            delack_at: Deadline::default(),
            keepalive_at: Deadline::default(),
            keepalive_probes: 0,
            close_at: Deadline::default(),
            last_rx: now,
            loss: LossControl::new(p.options.congestion, u32::from(p.our_mss), config, now),
            max_rto: config.max_rto,
            max_persist: config.max_persist,
            error: None,
            soft_error: None,
            linger_at: Deadline::default(),
            // New: the stack has no entry for it yet.
            timers_changed: true,
            drained: 0,
            drain_mark: now,
        }
    }

    /// Active open (RFC 9293 3.10.1): a connection in SYN-SENT with its SYN sent.
    pub(crate) fn connect(p: &ConnParams, ctx: &mut ConnCtx<'_>) -> Conn {
        let mut c = Conn::new(p, ctx.config, ctx.now);
        c.state = TcpState::SynSent;
        c.send_syn(ctx, false);
        c
    }

    /// Passive open: a listener got `syn`; the connection is in SYN-RECEIVED with its
    /// SYN-ACK sent (RFC 9293 3.10.7.2, LISTEN, third check).
    pub(crate) fn accept_syn(p: &ConnParams, syn: &Segment<'_>, ctx: &mut ConnCtx<'_>) -> Conn {
        let mut c = Conn::new(p, ctx.config, ctx.now);
        c.passive = true;
        c.state = TcpState::SynReceived;
        c.irs = syn.seq;
        c.rcv_nxt = syn.seq + 1;
        c.rcv_adv = c.rcv_nxt;
        c.take_syn_options(syn, ctx.now, true);
        // The SYN's window is never scaled (RFC 7323 2.2).
        c.snd_wnd = u32::from(syn.window);
        c.max_snd_wnd = c.snd_wnd;
        c.snd_wl1 = syn.seq;
        c.snd_wl2 = c.iss;
        c.send_syn(ctx, true);
        c
    }

    /// A connection rebuilt from a valid SYN cookie (RFC 4987 3.6): the ACK `ack_seg`
    /// completed a handshake whose SYN-ACK we sent without keeping state; `opts` is what the
    /// cookie encoded of the peer's SYN. It starts ESTABLISHED.
    pub(crate) fn from_cookie(
        p: &ConnParams,
        opts: &super::syn_cookie::CookieOptions,
        ack_seg: &Segment<'_>,
        ctx: &mut ConnCtx<'_>,
    ) -> Conn {
        let mut c = Conn::new(p, ctx.config, ctx.now);
        c.passive = true;
        c.state = TcpState::Established;
        c.irs = ack_seg.seq + u32::MAX;
        c.rcv_nxt = ack_seg.seq;
        // The cookie SYN-ACK advertised min(receive buffer, 65535) unscaled.
        let advertised =
            u32::try_from(ctx.config.recv_buffer.min(usize::from(u16::MAX))).unwrap_or(0);
        c.rcv_adv = c.rcv_nxt + advertised;
        c.snd_una = ack_seg.ack;
        c.snd_nxt = ack_seg.ack;
        c.snd_max = ack_seg.ack;
        c.buf_seq = ack_seg.ack;
        c.snd_mss = u32::from(opts.mss).min(u32::from(c.our_mss)).max(64);
        match opts.window_scale {
            Some(s) => c.snd_shift = s,
            None => {
                c.snd_shift = 0;
                c.rcv_shift = 0;
            }
        }
        c.sack_ok = opts.sack_permitted;
        c.ts = match (opts.timestamps, ack_seg.options.timestamp) {
            (true, Some((tsval, _))) => Some(Timestamps {
                recent: tsval,
                recent_at: ctx.now,
            }),
            _ => None,
        };
        c.loss.configure(c.max_payload(), c.sack_ok);
        c.loss.on_transmit(c.iss, 1, ctx.now, false);
        let info = super::recovery::AckInfo {
            ack: c.snd_una,
            sack: &[],
            snd_nxt: c.snd_max,
            now: ctx.now,
            ts_rtt: None,
            window_update_only: true,
        };
        c.loss.on_ack(&info);
        c.snd_wnd = u32::from(ack_seg.window) << c.snd_shift;
        c.max_snd_wnd = c.snd_wnd;
        c.snd_wl1 = ack_seg.seq;
        c.snd_wl2 = ack_seg.ack;
        c.last_ack_sent = c.rcv_nxt;
        c.rearm_keepalive(ctx.now);
        c
    }

    /// Adopts the options of the peer's SYN (or SYN-ACK): each only if the peer offered it
    /// (RFC 7323 1.3 and 2.2, RFC 2018 section 2); we offered all of ours.
    fn take_syn_options(&mut self, syn: &Segment<'_>, now: Instant, we_reply: bool) {
        let o = syn.options;
        let peer_mss = o.mss.map_or(default_peer_mss(self.remote), u32::from);
        self.snd_mss = peer_mss.min(u32::from(self.our_mss)).max(64);
        match o.window_scale {
            Some(shift) => self.snd_shift = shift.min(14),
            None => {
                self.snd_shift = 0;
                self.rcv_shift = 0;
            }
        }
        self.ts = o.timestamp.map(|(tsval, _)| Timestamps {
            recent: tsval,
            recent_at: now,
        });
        self.sack_ok = o.sack_permitted;
        let _ = we_reply;
        self.loss.configure(self.max_payload(), self.sack_ok);
    }

    /// The path MTU fell: segments shrink to `mss` (RFC 1191 / RFC 8201 as TCP applies them).
    pub(crate) fn clamp_mss(&mut self, mss: u32) {
        if mss < self.snd_mss {
            self.snd_mss = mss.max(64);
            self.loss.set_mss(self.max_payload());
        }
    }

    /// Payload bytes one segment carries with the options every segment has.
    pub(crate) fn max_payload(&self) -> u32 {
        let ts = if self.ts.is_some() { 12 } else { 0 };
        self.snd_mss.saturating_sub(ts).max(1)
    }

    /// Payload bytes the next segment may carry: [`Conn::max_payload`] less the SACK blocks
    /// it will carry, so no segment exceeds the MSS and therefore the path MTU.
    pub(crate) fn payload_room(&self) -> u32 {
        if !self.sack_ok {
            return self.max_payload();
        }
        let held = self.recv_buf.ooo.count() + usize::from(self.dsack.is_some());
        let blocks = held.min(if self.ts.is_some() { 3 } else { 4 });
        let sack = if blocks == 0 {
            0
        } else {
            4 + 8 * blocks as u32
        };
        self.max_payload().saturating_sub(sack).max(1)
    }

    /// The application's view of the state.
    pub(crate) fn readiness(&self) -> Readiness {
        let readable = self.recv_buf.ready() > 0
            || self.fin_received
            || self.error.is_some()
            || self.state == TcpState::Closed;
        let writable = self.error.is_some()
            || (matches!(self.state, TcpState::Established | TcpState::CloseWait)
                && !self.fin_queued
                && self.send_buf.free() > 0);
        Readiness {
            readable,
            writable,
            error: self.error.is_some(),
        }
    }

    /// The earliest deadline of any of its timers.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        let recovery = self
            .state
            .is_synchronized()
            .then(|| self.loss.timer().map(|(at, _)| at))
            .flatten();
        // Pairwise rather than through an iterator: this runs twice per segment and call.
        let earliest = |a: Option<Instant>, b: Option<Instant>| match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, None) => x,
            (None, y) => y,
        };
        let timers = earliest(
            earliest(self.rto_at.get(), self.delack_at.get()),
            earliest(self.keepalive_at.get(), self.close_at.get()),
        );
        earliest(timers, earliest(self.linger_at.get(), recovery))
    }

    /// Whether any deadline (its own or loss recovery's) moved since the last call, which
    /// clears the flags. While none did and the state stayed, [`Conn::next_deadline`] is
    /// what it was.
    pub(crate) fn take_timers_changed(&mut self) -> bool {
        let own = core::mem::take(&mut self.timers_changed);
        self.loss.take_timers_changed() | own
    }

    /// The connection is over and may be forgotten.
    pub(crate) fn is_closed(&self) -> bool {
        self.state == TcpState::Closed
    }

    /// Queues `data` for sending; returns how much was taken.
    ///
    /// # Errors
    /// `BrokenPipe` after shutdown(Write), the pending error, `NotConnected` before the
    /// handshake started, `WouldBlock` when the buffer is full.
    pub(crate) fn send(
        &mut self,
        data: &[u8],
        ctx: &mut ConnCtx<'_>,
    ) -> Result<usize, SocketError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.fin_queued || !self.state.can_send() {
            return Err(match self.state {
                TcpState::Closed | TcpState::Listen => SocketError::NotConnected,
                _ => SocketError::BrokenPipe,
            });
        }
        if data.is_empty() {
            return Ok(0);
        }
        let n = self.send_buf.append(data);
        if n == 0 {
            return Err(SocketError::WouldBlock);
        }
        self.output(ctx);
        Ok(n)
    }

    /// Moves received bytes to `buf`; `Ok(0)` at end of stream.
    ///
    /// # Errors
    /// The pending error (reset, timeout), `WouldBlock` when nothing is ready yet,
    /// `NotConnected` before the handshake.
    pub(crate) fn recv(
        &mut self,
        buf: &mut [u8],
        ctx: &mut ConnCtx<'_>,
    ) -> Result<usize, SocketError> {
        let n = self.recv_buf.read(buf);
        if n > 0 {
            self.after_read(n, ctx);
            return Ok(n);
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.fin_received || self.read_closed || buf.is_empty() {
            return Ok(0);
        }
        match self.state {
            TcpState::SynSent | TcpState::SynReceived => Err(SocketError::WouldBlock),
            TcpState::Closed | TcpState::Listen => Err(SocketError::NotConnected),
            _ => Err(SocketError::WouldBlock),
        }
    }

    /// After the application read `n` bytes: receive-buffer auto-tuning, and a window
    /// update when the window reopened enough to matter (RFC 9293 3.8.6.2.2).
    fn after_read(&mut self, n: usize, ctx: &mut ConnCtx<'_>) {
        self.autotune(n, ctx.now);
        let current = self.rcv_adv.saturating_since(self.rcv_nxt);
        let free = u32::try_from(self.recv_buf.window()).unwrap_or(u32::MAX);
        let buffer = u32::try_from(self.recv_buf.capacity()).unwrap_or(u32::MAX);
        let mss = u32::from(self.our_mss);
        let opens = rules::receive_window(free, current, buffer, mss) > current;
        // Only a window that was small is worth an ACK of its own (a big one keeps the
        // sender busy until the next regular ACK).
        if opens && current < buffer / 2 && self.state.is_synchronized() && !self.fin_received {
            self.ack_now = true;
            self.output(ctx);
        }
    }

    /// Receive auto-tuning: when the application drains a whole window's worth within one
    /// round trip, double the buffer (up to `recv_buffer_max`) so the window is not what
    /// limits the transfer.
    fn autotune(&mut self, n: usize, now: Instant) {
        self.drained += n;
        // In nanoseconds: this runs on every read.
        let rtt = self.loss.srtt_nanos().unwrap_or(100_000_000);
        if now.as_nanos().saturating_sub(self.drain_mark.as_nanos()) >= rtt {
            self.drain_mark = now;
            self.drained = n;
        }
        let cap = self.recv_buf.capacity();
        if self.drained >= cap && cap < self.recv_buffer_max {
            let grown = (cap * 2).min(self.recv_buffer_max);
            self.recv_buf.grow(grown);
            self.drained = 0;
            self.drain_mark = now;
        }
    }

    /// shutdown(Write): a FIN follows the queued data (RFC 9293 3.10.4 CLOSE call).
    pub(crate) fn shutdown_write(&mut self, ctx: &mut ConnCtx<'_>) {
        match self.state {
            TcpState::SynSent | TcpState::SynReceived => {
                // RFC 9293 3.10.4: the FIN is queued until the connection is established.
                self.fin_queued = true;
            }
            TcpState::Established | TcpState::CloseWait if !self.fin_queued => {
                self.fin_queued = true;
                self.state = if self.state == TcpState::Established {
                    TcpState::FinWait1
                } else {
                    TcpState::LastAck
                };
                self.output(ctx);
            }
            _ => {}
        }
    }

    /// shutdown(Read): what is queued and what arrives later is discarded.
    pub(crate) fn shutdown_read(&mut self) {
        self.read_closed = true;
        self.recv_buf.discard_ready();
    }

    /// close(): the application lets go. Unread data, or linger 0, resets the connection
    /// (RFC 9293 3.10.4, RFC 2525 2.17); otherwise the FIN handshake continues without it.
    pub(crate) fn close(&mut self, ctx: &mut ConnCtx<'_>) {
        self.orphan = true;
        if self.state == TcpState::SynSent && self.send_buf.is_empty() {
            // RFC 9293 3.10.4: nothing to deliver: forget the attempt.
            self.enter_closed();
            return;
        }
        let unread = self.recv_buf.ready() > 0;
        let linger_zero = self.options.linger == Some(Duration::ZERO);
        if (unread || linger_zero) && self.state != TcpState::TimeWait {
            self.abort(ctx);
            return;
        }
        self.shutdown_write(ctx);
        if self.state == TcpState::FinWait2 {
            self.arm_orphan_fin_wait2(ctx);
        }
    }

    /// abort(): send a RST if synchronized (RFC 9293 3.10.5) and close at once.
    pub(crate) fn abort(&mut self, ctx: &mut ConnCtx<'_>) {
        if matches!(
            self.state,
            TcpState::SynReceived
                | TcpState::Established
                | TcpState::FinWait1
                | TcpState::FinWait2
                | TcpState::CloseWait
        ) {
            ctx.out.push(OutSegment::rst(self.snd_nxt, None));
        }
        self.enter_closed();
    }

    /// Forgets every timer and marks the connection closed.
    pub(crate) fn enter_closed(&mut self) {
        self.state = TcpState::Closed;
        self.rto_at.set(None, &mut self.timers_changed);
        self.delack_at.set(None, &mut self.timers_changed);
        self.keepalive_at.set(None, &mut self.timers_changed);
        self.close_at.set(None, &mut self.timers_changed);
        self.linger_at.set(None, &mut self.timers_changed);
        self.persisting = false;
    }

    /// Ends the connection with an error the application sees.
    pub(crate) fn fail(&mut self, error: SocketError) {
        self.error = Some(error);
        self.enter_closed();
    }

    fn arm_orphan_fin_wait2(&mut self, ctx: &ConnCtx<'_>) {
        // Linux's tcp_fin_timeout: an orphan does not wait forever for the peer's FIN.
        self.close_at.set(
            Some(ctx.now + ctx.config.time_wait),
            &mut self.timers_changed,
        );
    }

    /// Arms (or re-arms) keepalive from now, if enabled.
    fn rearm_keepalive(&mut self, now: Instant) {
        self.keepalive_probes = 0;
        self.keepalive_at.set(
            match self.options.keepalive {
                Some(k) if matches!(self.state, TcpState::Established | TcpState::CloseWait) => {
                    Some(now + k.idle)
                }
                _ => None,
            },
            &mut self.timers_changed,
        );
    }

    /// Applies changed socket options.
    pub(crate) fn set_options(&mut self, options: TcpSocketOptions, now: Instant) {
        if options.congestion != self.options.congestion {
            self.loss.set_algorithm(options.congestion);
        }
        self.options = options;
        if options.send_buffer != 0 {
            self.send_buf.set_capacity(options.send_buffer);
        }
        if options.recv_buffer > self.recv_buf.capacity() {
            self.recv_buf.grow(options.recv_buffer);
        }
        self.rearm_keepalive(now);
    }

    /// When the last acceptable segment arrived.
    pub(crate) fn last_activity(&self) -> Instant {
        self.last_rx
    }

    /// Our timestamp clock: milliseconds plus the connection's random offset.
    fn ts_now(&self, now: Instant) -> u32 {
        ((now.as_nanos() / 1_000_000) as u32).wrapping_add(self.ts_offset)
    }
}
