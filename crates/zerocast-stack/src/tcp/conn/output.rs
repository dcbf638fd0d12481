//! What a connection sends: SYNs, data (MSS-sized, Nagle, sender SWS avoidance, congestion
//! window), FIN piggybacked on the last data, ACKs with the window, timestamps and SACK
//! blocks, and zero-window probes.

use zerocast_wire::tcp::{FLAG_ACK, FLAG_FIN, FLAG_SYN};

use super::{Conn, ConnCtx};
use crate::tcp::rules;
use crate::tcp::segment::{OutSegment, MAX_SACK_BLOCKS};
use crate::tcp::{SeqNum, TcpState};

impl Conn {
    /// Sends (or resends) our SYN, or SYN-ACK when `ack` (RFC 9293 3.10.1 / 3.10.7.2),
    /// with every option we support; the SYN-ACK echoes only what the peer's SYN offered.
    pub(super) fn send_syn(&mut self, ctx: &mut ConnCtx<'_>, ack: bool) {
        let now = ctx.now;
        let retransmission = self.snd_max != self.iss;
        let mut seg = OutSegment {
            seq: self.iss,
            flags: FLAG_SYN,
            // The window of a SYN is never scaled (RFC 7323 2.2).
            window: u16::try_from(self.recv_buf.window()).unwrap_or(u16::MAX),
            mss: Some(self.our_mss),
            ..OutSegment::default()
        };
        if ack {
            seg.flags |= FLAG_ACK;
            seg.ack = self.rcv_nxt;
            self.last_ack_sent = self.rcv_nxt;
            self.rcv_adv = self.rcv_nxt + u32::from(seg.window);
            if self.snd_shift > 0 || self.rcv_shift > 0 {
                seg.window_scale = Some(self.rcv_shift);
            }
            seg.sack_permitted = self.sack_ok;
            seg.timestamp = self.ts.map(|t| (self.ts_now(now), t.recent));
        } else {
            seg.window_scale = Some(self.rcv_shift);
            seg.sack_permitted = true;
            seg.timestamp = Some((self.ts_now(now), 0));
        }
        ctx.out.push(seg);
        self.snd_nxt = self.iss + 1;
        self.snd_max = self.snd_max.max(self.snd_nxt);
        self.loss.on_transmit(self.iss, 1, now, retransmission);
        if self.rto_at.get().is_none() {
            self.arm_rto(now);
        }
    }

    /// The window to advertise now, and records the right edge it promises.
    fn advertise_window(&mut self) -> u16 {
        let free = u32::try_from(self.recv_buf.window()).unwrap_or(u32::MAX);
        let current = self.rcv_adv.saturating_since(self.rcv_nxt);
        let buffer = u32::try_from(self.recv_buf.capacity()).unwrap_or(u32::MAX);
        let wnd = rules::receive_window(free, current, buffer, u32::from(self.our_mss));
        let field = (wnd >> self.rcv_shift).min(u32::from(u16::MAX));
        let edge = self.rcv_nxt + (field << self.rcv_shift);
        self.rcv_adv = self.rcv_adv.max(edge);
        // `field` was clamped to 16 bits above.
        field as u16
    }

    /// A segment with ACK, window, timestamps and SACK blocks filled in.
    pub(super) fn segment(
        &mut self,
        seq: SeqNum,
        flags: u16,
        now: crate::time::Instant,
    ) -> OutSegment {
        let mut seg = OutSegment {
            seq,
            ack: self.rcv_nxt,
            flags: flags | FLAG_ACK,
            window: self.advertise_window(),
            timestamp: self.ts.map(|t| (self.ts_now(now), t.recent)),
            ..OutSegment::default()
        };
        if self.sack_ok {
            self.fill_sack_blocks(&mut seg);
        }
        self.last_ack_sent = self.rcv_nxt;
        self.ack_now = false;
        self.ack_deferred = false;
        self.unacked_segments = 0;
        self.delack_at.set(None, &mut self.timers_changed);
        seg
    }

    /// RFC 2018 section 4 (most recent block first) and RFC 2883 (a D-SACK block first).
    fn fill_sack_blocks(&mut self, seg: &mut OutSegment) {
        let mut n = 0;
        if let Some(d) = self.dsack.take() {
            seg.sack[0] = d;
            n = 1;
        }
        for (start, end) in self.recv_buf.ooo.by_recency() {
            if n >= MAX_SACK_BLOCKS {
                break;
            }
            seg.sack[n] = (self.rcv_nxt + start, self.rcv_nxt + end);
            n += 1;
        }
        // `n` is at most MAX_SACK_BLOCKS (4).
        seg.sack_len = n as u8;
    }

    /// Sends a bare ACK now.
    pub(crate) fn send_ack(&mut self, ctx: &mut ConnCtx<'_>) {
        let seg = self.segment(self.snd_nxt, 0, ctx.now);
        ctx.out.push(seg);
    }

    /// A receive burst ended: the ACK it deferred goes now (with any data that waits).
    pub(crate) fn send_deferred_ack(&mut self, ctx: &mut ConnCtx<'_>) {
        if self.ack_deferred {
            self.ack_now = true;
            self.output(ctx);
        }
    }

    /// RFC 5961 section 7: a challenge ACK, if the stack-wide rate limit allows.
    pub(super) fn send_challenge_ack(&mut self, ctx: &mut ConnCtx<'_>) -> bool {
        if ctx.challenge.allow(ctx.now, ctx.config.challenge_ack_limit) {
            self.send_ack(ctx);
            true
        } else {
            false
        }
    }

    /// Where the data ends in sequence space (the FIN's number when one is queued).
    pub(crate) fn data_end(&self) -> SeqNum {
        self.buf_seq + u32::try_from(self.send_buf.len()).unwrap_or(u32::MAX)
    }

    /// Bytes in flight: sent and not acknowledged.
    pub(crate) fn flight(&self) -> u32 {
        self.snd_nxt.saturating_since(self.snd_una)
    }

    /// Sends whatever the windows, Nagle and SWS avoidance allow (FIN piggybacked on the
    /// last data), then an ACK if one is owed and nothing else carried it.
    pub(crate) fn output(&mut self, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        if !self.state.is_synchronized() {
            if self.ack_now && self.state == TcpState::SynReceived {
                self.ack_now = false;
                self.send_syn(ctx, true);
            }
            return;
        }
        let mut sent_any = false;
        if self.state_sends_data() {
            sent_any = self.send_retransmissions(now, ctx);
        }
        while self.state_sends_data() {
            let data_end = self.data_end();
            let queued = data_end.saturating_since(self.snd_nxt);
            let fin_unsent = self.fin_queued && self.snd_nxt <= data_end;
            if queued == 0 && !fin_unsent {
                break;
            }
            let usable = (self.snd_una + self.snd_wnd).saturating_since(self.snd_nxt);
            let quota = self.loss.send_quota();
            let mss = self.payload_room();
            let len = queued.min(mss).min(usable).min(quota);
            let fin = fin_unsent && len == queued;
            let retransmitting = self.snd_nxt < self.snd_max;
            if !fin {
                let nothing_in_flight = self.flight() == 0;
                let nodelay = self.options.nodelay;
                if len == 0
                    || !(retransmitting
                        || rules::sender_may_send(
                            len,
                            queued,
                            mss,
                            nothing_in_flight,
                            nodelay,
                            self.max_snd_wnd,
                        ))
                {
                    break;
                }
            }
            let seq = self.snd_nxt;
            let mut seg = self.segment(seq, if fin { FLAG_FIN } else { 0 }, now);
            seg.payload_len = len as usize;
            let seg_len = seg.len();
            ctx.out.push(seg);
            sent_any = true;
            self.snd_nxt = seq + seg_len;
            self.snd_max = self.snd_max.max(self.snd_nxt);
            self.loss.on_transmit(seq, seg_len, now, retransmitting);
            if self.unacked_since.is_none() {
                self.unacked_since = Some(now);
            }
            if self.rto_at.get().is_none() || self.persisting {
                self.persisting = false;
                self.arm_rto(now);
            }
            if fin {
                break;
            }
        }
        if self.ack_now && !sent_any {
            self.send_ack(ctx);
        }
        self.maybe_persist(now);
    }

    /// Resends the ranges loss recovery marked lost, lowest first, as far as its quota
    /// allows. Returns whether anything was sent.
    fn send_retransmissions(&mut self, now: crate::time::Instant, ctx: &mut ConnCtx<'_>) -> bool {
        let mut sent = false;
        // Each pass sends one range; the scoreboard bounds how many exist.
        for _ in 0..1024 {
            let Some((start, len)) = self.loss.next_retransmission() else {
                break;
            };
            if len > self.loss.send_quota() && self.flight_is_all_lost() {
                // Nothing else will bring an ACK: send anyway (the RTO's one segment).
            } else if len > self.loss.send_quota() {
                break;
            }
            if !self.resend_range(start, len, now, ctx) {
                break;
            }
            sent = true;
        }
        sent
    }

    /// After an RTO everything outstanding is lost: the window is one segment and must be
    /// usable even though `pipe` still counts what the scoreboard resent earlier.
    fn flight_is_all_lost(&self) -> bool {
        self.loss.send_quota() == 0 && self.rto_recently_fired
    }

    /// Sends `start..start + len` again (data from the send buffer, the FIN if the range
    /// covers it). Returns false when the range holds nothing sendable.
    pub(super) fn resend_range(
        &mut self,
        start: SeqNum,
        len: u32,
        now: crate::time::Instant,
        ctx: &mut ConnCtx<'_>,
    ) -> bool {
        let data_end = self.data_end();
        let start = start.max(self.snd_una);
        let data_len = data_end
            .saturating_since(start)
            .min(len)
            .min(self.payload_room());
        let fin = self.fin_queued && start + data_len == data_end && start + len > data_end;
        if data_len == 0 && !fin {
            return false;
        }
        let mut seg = self.segment(start, if fin { FLAG_FIN } else { 0 }, now);
        seg.payload_len = data_len as usize;
        let seg_len = seg.len();
        ctx.out.push(seg);
        self.loss.on_transmit(start, seg_len, now, true);
        self.rto_recently_fired = false;
        if self.rto_at.get().is_none() {
            self.arm_rto(now);
        }
        true
    }

    /// The states in which we still send data or our FIN.
    fn state_sends_data(&self) -> bool {
        matches!(
            self.state,
            TcpState::Established
                | TcpState::CloseWait
                | TcpState::FinWait1
                | TcpState::LastAck
                | TcpState::Closing
        )
    }

    /// Whether our FIN is acknowledged.
    pub(crate) fn fin_acked(&self) -> bool {
        self.fin_queued && self.snd_una > self.data_end()
    }

    /// RFC 9293 3.8.6.1: data waits behind a zero window and nothing is in flight to bring
    /// an ACK: probe the window on the persist timer.
    fn maybe_persist(&mut self, now: crate::time::Instant) {
        let waiting = self.data_end() > self.snd_nxt;
        if waiting
            && self.snd_wnd == 0
            && self.snd_max == self.snd_una
            && self.rto_at.get().is_none()
        {
            self.persisting = true;
            self.rto_at.set(
                Some(now + self.persist_interval()),
                &mut self.timers_changed,
            );
        }
    }

    /// The persist interval: the RTO doubled per unanswered probe, capped.
    pub(super) fn persist_interval(&self) -> crate::time::Duration {
        let base = self.loss.rto();
        let factor = 1u32 << self.backoff.min(16);
        (base * factor).min(self.max_persist)
    }

    /// Arms the retransmission timer at the current RTO with backoff (RFC 6298 5.1, 5.5).
    pub(super) fn arm_rto(&mut self, now: crate::time::Instant) {
        let at = now.as_nanos().saturating_add(self.backed_off_rto_nanos());
        self.rto_at.set(
            Some(crate::time::Instant::from_nanos(at)),
            &mut self.timers_changed,
        );
    }

    /// The RTO times the backoff, at most the maximum, in nanoseconds: it is armed on every
    /// segment sent with data, and `Duration` arithmetic cost several times as much.
    fn backed_off_rto_nanos(&self) -> u64 {
        let factor = 1u64 << self.backoff.min(16);
        (self.loss.rto_nanos().saturating_mul(factor)).min(crate::tcp::rtt::nanos(self.max_rto))
    }
}
