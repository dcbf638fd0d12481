//! A connection's timers: retransmission (RFC 6298) doubling as the persist timer (RFC 9293
//! 3.8.6.1), delayed ACK, keepalive (RFC 9293 3.8.4), TIME-WAIT and the orphan FIN-WAIT-2
//! limit. They share one deadline per kind inside the connection; the stack keeps one heap
//! entry per connection at the earliest of them.

use zerocast_wire::tcp::FLAG_FIN;

use super::{Conn, ConnCtx};
use crate::tcp::recovery::TimerAction;
use crate::tcp::segment::OutSegment;
use crate::tcp::TcpState;

impl Conn {
    /// Fires every timer of this connection whose deadline is at or before `ctx.now`.
    pub(crate) fn on_timer(&mut self, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        if self.close_at.is_due(now) {
            // TIME-WAIT over (or an orphan gave up waiting in FIN-WAIT-2).
            self.enter_closed();
            return;
        }
        if self.linger_at.is_due(now) {
            self.on_linger_timeout(ctx);
            return;
        }
        if self.rto_at.is_due(now) {
            self.rto_at.set(None, &mut self.timers_changed);
            if self.persisting {
                self.on_persist(ctx);
            } else {
                self.on_rto(ctx);
            }
        }
        if self.state == TcpState::Closed {
            return;
        }
        self.on_recovery_timer(ctx);
        if self.delack_at.is_due(now) {
            self.delack_at.set(None, &mut self.timers_changed);
            self.send_ack(ctx);
        }
        if self.keepalive_at.is_due(now) {
            self.on_keepalive(ctx);
        }
    }

    /// RFC 6298 5.4–5.7: retransmit the earliest unacknowledged segment, back off the
    /// timer, give up after the user timeout (RFC 5482) or the retry limit.
    fn on_rto(&mut self, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        let limit = match self.state {
            TcpState::SynSent => ctx.config.syn_retries,
            TcpState::SynReceived => ctx.config.synack_retries,
            _ => ctx.config.max_retransmissions,
        };
        let timed_out = match self.options.user_timeout {
            Some(t) => self
                .unacked_since
                .is_some_and(|since| now.saturating_duration_since(since) >= t),
            None => self.retransmissions >= limit,
        };
        if timed_out {
            if self.state == TcpState::SynReceived && self.passive {
                // A half-open connection from a listener just goes away.
                self.enter_closed();
                return;
            }
            if self.state.is_synchronized() && self.state != TcpState::TimeWait {
                ctx.out.push(OutSegment::rst(self.snd_nxt, None));
            }
            // RFC 1122 4.2.3.9: a soft ICMP error since the last progress explains it.
            self.fail(self.timeout_error());
            return;
        }
        self.retransmissions += 1;
        self.backoff += 1;
        if self.unacked_since.is_none() {
            self.unacked_since = Some(now);
        }
        match self.state {
            TcpState::SynSent => {
                self.arm_rto(now);
                self.send_syn(ctx, false);
            }
            TcpState::SynReceived => {
                self.arm_rto(now);
                self.send_syn(ctx, true);
            }
            _ => {
                // Everything outstanding counts as lost; the earliest goes first.
                self.loss.on_rto(now);
                self.rto_recently_fired = true;
                self.arm_rto(now);
                self.output(ctx);
                self.rto_recently_fired = false;
            }
        }
    }

    /// RACK's reordering timer or the tail loss probe (RFC 8985 6.2, 7.3).
    fn on_recovery_timer(&mut self, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        if !self.state.is_synchronized() {
            return;
        }
        let Some((at, kind)) = self.loss.timer() else {
            return;
        };
        if at > now {
            return;
        }
        match self.loss.on_timer(kind, now) {
            TimerAction::Nothing => {}
            TimerAction::LossesMarked => self.output(ctx),
            TimerAction::ProbeNewDataOrRetransmitLast => {
                // RFC 8985 7.3: new data if the window and the application allow, else the
                // last segment again; then the RTO restarts.
                let before = ctx.out.len();
                let queued = self.data_end().saturating_since(self.snd_nxt);
                let usable = (self.snd_una + self.snd_wnd).saturating_since(self.snd_nxt);
                if queued > 0 && usable > 0 {
                    let len = queued.min(usable).min(self.payload_room());
                    let seq = self.snd_nxt;
                    let fin = self.fin_queued && seq + len == self.data_end();
                    let mut seg = self.segment(seq, if fin { FLAG_FIN } else { 0 }, now);
                    seg.payload_len = len as usize;
                    let seg_len = seg.len();
                    ctx.out.push(seg);
                    self.snd_nxt = seq + seg_len;
                    self.snd_max = self.snd_max.max(self.snd_nxt);
                    self.loss.on_transmit(seq, seg_len, now, false);
                } else if let Some((start, len)) = self.loss.probe_retransmission() {
                    self.resend_range(start, len, now, ctx);
                }
                if ctx.out.len() > before {
                    self.arm_rto(now);
                }
            }
        }
    }

    /// Zero-window probe (RFC 9293 3.8.6.1), then back off.
    fn on_persist(&mut self, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        if self.snd_wnd > 0 || self.data_end() <= self.snd_nxt {
            self.persisting = false;
            self.output(ctx);
            return;
        }
        // As Linux probes: SEG.SEQ = SND.UNA - 1 and no data. The peer must answer an
        // old sequence number with an ACK carrying its window, and no sequence space (nor
        // loss-recovery state) is spent on the probe.
        let seg = self.segment(self.snd_una + u32::MAX, 0, now);
        ctx.out.push(seg);
        self.backoff = (self.backoff + 1).min(16);
        self.persisting = true;
        self.rto_at.set(
            Some(now + self.persist_interval()),
            &mut self.timers_changed,
        );
    }

    /// Keepalive: a segment with SEG.SEQ = SND.NXT − 1 (RFC 9293 3.8.4) that the peer must
    /// acknowledge; `count` unanswered probes abort.
    fn on_keepalive(&mut self, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        let Some(k) = self.options.keepalive else {
            self.keepalive_at.set(None, &mut self.timers_changed);
            return;
        };
        if !matches!(self.state, TcpState::Established | TcpState::CloseWait) {
            self.keepalive_at.set(None, &mut self.timers_changed);
            return;
        }
        let idle_since = self.last_rx;
        if now.saturating_duration_since(idle_since) < k.idle && self.keepalive_probes == 0 {
            self.keepalive_at
                .set(Some(idle_since + k.idle), &mut self.timers_changed);
            return;
        }
        if self.keepalive_probes >= k.count {
            ctx.out.push(OutSegment::rst(self.snd_nxt, None));
            self.fail(self.timeout_error());
            return;
        }
        self.keepalive_probes += 1;
        let seg = self.segment(self.snd_una + u32::MAX, 0, now);
        ctx.out.push(seg);
        self.keepalive_at
            .set(Some(now + k.interval), &mut self.timers_changed);
    }
}
