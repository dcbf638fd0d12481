//! Segment arrival (RFC 9293 section 3.10.7.3 and 3.10.7.4), with RFC 5961's stricter RST,
//! SYN and ACK checks and RFC 7323's PAWS.

use zerocast_wire::tcp::{FLAG_ACK, FLAG_FIN, FLAG_RST, FLAG_SYN};

use super::{Conn, ConnCtx, Timestamps};
use crate::socket::SocketError;
use crate::tcp::recovery::AckInfo;
use crate::tcp::rules::{self, RstAction};
use crate::tcp::segment::{OutSegment, Segment};
use crate::tcp::{SeqNum, TcpState};
use crate::time::Duration;

/// Most full segments one burst's ACK covers: 64 KiB of 1,460-byte segments, the size of
/// a GRO super-packet.
pub(crate) const BURST_ACK_SEGMENTS: u32 = 45;

impl Conn {
    /// A segment for this connection arrived.
    pub(crate) fn on_segment(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) {
        match self.state {
            TcpState::Closed | TcpState::Listen => {}
            TcpState::SynSent => self.on_segment_syn_sent(seg, ctx),
            _ => self.on_segment_synchronized(seg, ctx),
        }
    }

    /// RFC 9293 3.10.7.3: SYN-SENT.
    fn on_segment_syn_sent(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) {
        let ack_ok = seg.has(FLAG_ACK) && seg.ack > self.iss && seg.ack <= self.snd_max;
        if seg.has(FLAG_ACK) && !ack_ok {
            // First check: an ACK of something we never sent gets a RST (unless a RST).
            if !seg.has(FLAG_RST) {
                ctx.out.push(OutSegment::rst(seg.ack, None));
            }
            return;
        }
        if seg.has(FLAG_RST) {
            // Second check (RFC 5961 3.2: only a RST acknowledging our SYN counts).
            if ack_ok {
                self.fail(SocketError::ConnectionRefused);
            }
            return;
        }
        if !seg.has(FLAG_SYN) {
            return;
        }
        self.irs = seg.seq;
        self.rcv_nxt = seg.seq + 1;
        self.rcv_adv = self.rcv_nxt;
        self.take_syn_options(seg, ctx.now, false);
        if ack_ok {
            self.snd_una = seg.ack;
            let info = AckInfo {
                ack: seg.ack,
                sack: &[],
                snd_nxt: self.snd_max,
                now: ctx.now,
                ts_rtt: None,
                window_update_only: true,
            };
            self.loss.on_ack(&info);
            self.state = TcpState::Established;
            self.after_handshake(seg, ctx);
            self.ack_now = true;
            self.output(ctx);
        } else {
            // Simultaneous open (RFC 9293 figure 8): SYN-RECEIVED, resend SYN as SYN-ACK.
            self.state = TcpState::SynReceived;
            self.snd_wnd = u32::from(seg.window);
            self.snd_wl1 = seg.seq;
            self.send_syn(ctx, true);
        }
    }

    /// The handshake completed: take the peer's window, reset RTO state, arm keepalive.
    fn after_handshake(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) {
        // A SYN's window is unscaled; any later segment's is scaled.
        let scaled = if seg.has(FLAG_SYN) {
            u32::from(seg.window)
        } else {
            u32::from(seg.window) << self.snd_shift
        };
        self.snd_wnd = scaled;
        self.max_snd_wnd = self.max_snd_wnd.max(scaled);
        self.snd_wl1 = seg.seq;
        self.snd_wl2 = seg.ack;
        if self.snd_max == self.snd_una {
            self.rto_at.set(None, &mut self.timers_changed);
            self.unacked_since = None;
        }
        self.backoff = 0;
        self.retransmissions = 0;
        if let (Some((_, tsecr)), Some(_)) = (seg.options.timestamp, self.ts) {
            self.rtt_from_tsecr(tsecr, ctx);
        }
        self.rearm_keepalive(ctx.now);
        if self.fin_queued && self.state == TcpState::Established {
            // A close requested during the handshake takes effect now.
            self.state = TcpState::FinWait1;
        }
    }

    fn rtt_from_tsecr(&mut self, tsecr: u32, ctx: &ConnCtx<'_>) -> Option<Duration> {
        let elapsed = self.ts_now(ctx.now).wrapping_sub(tsecr);
        // A TSecr from the future or over a minute old is no measurement.
        (tsecr != 0 && elapsed < 60_000).then(|| {
            let rtt = Duration::from_millis(u64::from(elapsed));
            self.loss.on_rtt_sample(rtt, ctx.now);
            rtt
        })
    }

    /// The window we promised: RCV.NXT up to the advertised right edge.
    pub(crate) fn rcv_wnd(&self) -> u32 {
        self.rcv_adv.saturating_since(self.rcv_nxt)
    }

    /// RFC 9293 3.10.7.4: every state after SYN-SENT.
    fn on_segment_synchronized(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) {
        let now = ctx.now;
        let rst = seg.has(FLAG_RST);
        // RFC 7323 5.3 R1: PAWS before the sequence check.
        if let (Some(ts), Some((tsval, _))) = (self.ts, seg.options.timestamp) {
            if !rst && rules::paws_rejects(tsval, ts.recent, ts.recent_at, now) {
                self.ack_now = true;
                self.output(ctx);
                return;
            }
        }
        // First: sequence number.
        let rcv_wnd = self.rcv_wnd();
        if !rules::segment_acceptable(seg.seq, seg.len(), self.rcv_nxt, rcv_wnd) {
            if !rst {
                self.note_old_duplicate(seg);
                if self.state == TcpState::TimeWait && seg.has(FLAG_FIN) {
                    // A retransmitted FIN: ACK it and restart the 2·MSL wait.
                    self.close_at
                        .set(Some(now + ctx.config.time_wait), &mut self.timers_changed);
                }
                self.ack_now = true;
                self.output(ctx);
            }
            return;
        }
        // RFC 7323 5.3 R3: remember the newest timestamp of an in-order segment.
        if let (Some(ts), Some((tsval, _))) = (self.ts.as_mut(), seg.options.timestamp) {
            if seg.seq <= self.last_ack_sent && SeqNum::new(tsval) >= SeqNum::new(ts.recent) {
                *ts = Timestamps {
                    recent: tsval,
                    recent_at: now,
                };
            }
        }
        self.last_rx = now;
        if self.options.keepalive.is_some() {
            self.rearm_keepalive(now);
        }
        // Second: RST (RFC 5961 3.2). RFC 1337: TIME-WAIT ignores RSTs.
        if rst && rules::rfc1337_ignores_rst(self.state) {
            return;
        }
        if rst {
            match rules::rst_action(seg.seq, self.rcv_nxt, rcv_wnd) {
                RstAction::Reset => self.on_reset(),
                RstAction::Challenge => {
                    self.send_challenge_ack(ctx);
                }
                RstAction::Ignore => {}
            }
            return;
        }
        // Fourth: SYN in a synchronized state (RFC 5961 4.2): challenge ACK.
        if seg.has(FLAG_SYN) {
            if self.state == TcpState::SynReceived && self.passive && seg.seq + 1 == self.rcv_nxt {
                // The peer retransmitted its SYN: our SYN-ACK was lost.
                self.ack_now = true;
                self.output(ctx);
                return;
            }
            self.send_challenge_ack(ctx);
            return;
        }
        // Fifth: ACK.
        if !seg.has(FLAG_ACK) {
            return;
        }
        if self.state == TcpState::SynReceived {
            if seg.ack > self.snd_una && seg.ack <= self.snd_max {
                // SND.UNA moves in process_ack below, which also tells loss recovery.
                self.state = TcpState::Established;
                self.after_handshake(seg, ctx);
            } else {
                ctx.out.push(OutSegment::rst(seg.ack, None));
                return;
            }
        }
        if !self.process_ack(seg, ctx) {
            return;
        }
        if self.state == TcpState::Closed {
            return;
        }
        // Sixth (URG) is ignored, as RFC 9293 3.8.5 / RFC 6093 allow. Seventh: data.
        self.process_data(seg, ctx);
        // Eighth: FIN.
        self.process_fin(seg, ctx);
        if !matches!(self.state, TcpState::Closed | TcpState::TimeWait) {
            self.output(ctx);
        } else if self.ack_now {
            self.send_ack(ctx);
        }
    }

    /// RFC 2883: data wholly below RCV.NXT arrived again; the next ACK reports it first.
    fn note_old_duplicate(&mut self, seg: &Segment<'_>) {
        if !self.sack_ok || seg.payload.is_empty() {
            return;
        }
        let len = u32::try_from(seg.payload.len()).unwrap_or(u32::MAX);
        let end = (seg.seq + len).min(self.rcv_nxt);
        if seg.seq < end {
            self.dsack = Some((seg.seq, end));
        }
    }

    /// A RST at RCV.NXT: the connection is over (RFC 9293 3.10.7.4 second check).
    fn on_reset(&mut self) {
        match self.state {
            TcpState::SynReceived if self.passive => self.enter_closed(),
            TcpState::SynReceived => self.fail(SocketError::ConnectionRefused),
            TcpState::Closing | TcpState::LastAck | TcpState::TimeWait => self.enter_closed(),
            _ => self.fail(SocketError::ConnectionReset),
        }
    }

    /// The ACK field (RFC 9293 3.10.7.4 fifth check, RFC 5961 5.2). Returns whether
    /// processing continues.
    fn process_ack(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) -> bool {
        let now = ctx.now;
        if !rules::ack_acceptable(seg.ack, self.snd_una, self.snd_max, self.max_snd_wnd) {
            // RFC 5961 5.2: discard and ACK (an ACK of unsent data, or a very old one).
            self.send_challenge_ack(ctx);
            return false;
        }
        let window = u32::from(seg.window) << self.snd_shift;
        let newly = seg.ack.saturating_since(self.snd_una);
        let duplicate = newly == 0
            && seg.payload.is_empty()
            && !seg.has(FLAG_FIN)
            && window == self.snd_wnd
            && self.snd_max > self.snd_una;
        // RFC 7323 4.3: RTTM through the echoed timestamp.
        let ts_rtt = match (self.ts, seg.options.timestamp) {
            (Some(_), Some((_, tsecr))) => {
                let elapsed = self.ts_now(now).wrapping_sub(tsecr);
                (tsecr != 0 && elapsed < 60_000).then(|| Duration::from_millis(u64::from(elapsed)))
            }
            _ => None,
        };
        if seg.ack >= self.snd_una {
            let info = AckInfo {
                ack: seg.ack,
                sack: if self.sack_ok {
                    seg.options.sack_blocks()
                } else {
                    &[]
                },
                snd_nxt: self.snd_max,
                now,
                ts_rtt,
                window_update_only: !duplicate,
            };
            let outcome = self.loss.on_ack(&info);
            if outcome.spurious_undo {
                self.backoff = 0;
            }
        }
        if newly > 0 {
            self.snd_una = seg.ack;
            if self.snd_nxt < self.snd_una {
                self.snd_nxt = self.snd_una;
            }
            // Acknowledged data leaves the send buffer (the FIN is not in it).
            let data_acked = seg
                .ack
                .saturating_since(self.buf_seq)
                .min(u32::try_from(self.send_buf.len()).unwrap_or(u32::MAX));
            self.send_buf.drop_front(data_acked as usize);
            self.buf_seq += data_acked;
            // RFC 6298 5.2 / 5.3: stop the timer when all is acknowledged, else restart it.
            self.backoff = 0;
            self.retransmissions = 0;
            self.persisting = false;
            if self.snd_una == self.snd_max {
                self.rto_at.set(None, &mut self.timers_changed);
                self.unacked_since = None;
            } else {
                self.unacked_since = Some(now);
                self.arm_rto(now);
            }
            self.keepalive_probes = 0;
        }
        // Window update (RFC 9293 3.10.7.4: only from a newer segment).
        if self.snd_wl1 < seg.seq || (self.snd_wl1 == seg.seq && self.snd_wl2 <= seg.ack) {
            self.snd_wnd = window;
            self.max_snd_wnd = self.max_snd_wnd.max(window);
            self.snd_wl1 = seg.seq;
            self.snd_wl2 = seg.ack;
            if window > 0 && self.persisting {
                // The window opened: stop probing, send at once.
                self.persisting = false;
                self.rto_at.set(None, &mut self.timers_changed);
                self.backoff = 0;
            }
        }
        // State changes that wait for our FIN to be acknowledged.
        if self.fin_acked() {
            match self.state {
                TcpState::FinWait1 => {
                    self.state = TcpState::FinWait2;
                    if self.orphan {
                        self.close_at
                            .set(Some(now + ctx.config.time_wait), &mut self.timers_changed);
                    }
                }
                TcpState::Closing => self.enter_time_wait(ctx),
                TcpState::LastAck => {
                    self.enter_closed();
                    return false;
                }
                _ => {}
            }
        }
        true
    }

    /// The segment's data (RFC 9293 3.10.7.4 seventh check), and when to acknowledge it
    /// (RFC 9293 3.8.6.3, RFC 5681 4.2).
    fn process_data(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) {
        if seg.payload.is_empty() {
            return;
        }
        if !self.state.can_receive() {
            // Data after the peer's FIN: nothing to do with it.
            return;
        }
        if self.orphan && !self.read_closed {
            // RFC 9293 3.10.4 / RFC 2525 2.17: nobody will ever read this: reset.
            ctx.out.push(OutSegment::rst(self.snd_nxt, None));
            self.enter_closed();
            return;
        }
        // Trim what lies before RCV.NXT (a SYN's sequence number included).
        let mut start = seg.seq + u32::from(seg.has(FLAG_SYN));
        let mut data = seg.payload;
        let before = self.rcv_nxt.saturating_since(start) as usize;
        if before > 0 {
            let dup_end = start + u32::try_from(before.min(data.len())).unwrap_or(u32::MAX);
            // RFC 2883: report the duplicate range first in the next SACK.
            self.dsack = Some((start, dup_end));
            data = data.get(before..).unwrap_or(&[]);
            start = self.rcv_nxt;
        }
        if data.is_empty() {
            self.ack_now = true;
            return;
        }
        let offset = start.saturating_since(self.rcv_nxt) as usize;
        let had_holes = !self.recv_buf.ooo.is_empty();
        let end_off = u32::try_from(offset + data.len()).unwrap_or(u32::MAX);
        if offset > 0 && self.recv_buf.ooo.contains(offset as u32, end_off) {
            self.dsack = Some((start, start + (end_off - offset as u32)));
        }
        match self.recv_buf.write(offset, data) {
            Some(advanced) if advanced > 0 => {
                self.rcv_nxt += u32::try_from(advanced).unwrap_or(0);
                if self.read_closed {
                    self.recv_buf.discard_ready();
                }
                if had_holes {
                    // RFC 5681 4.2: a segment that fills a hole is acknowledged at once.
                    self.ack_now = true;
                } else {
                    self.count_for_delayed_ack(advanced, ctx);
                }
            }
            _ => {
                // Out of order (or dropped): a duplicate ACK at once (RFC 5681 4.2).
                self.ack_now = true;
            }
        }
    }

    /// RFC 9293 3.8.6.3: ACK at least every second full-sized segment, and never later than
    /// the delayed-ACK timeout.
    ///
    /// Segments that arrived together in one receive burst count as one, as a NIC's GRO
    /// would deliver them: their ACK goes when the burst ends, and at the latest after
    /// [`BURST_ACK_SEGMENTS`] full segments (one 64 KiB super-packet's worth).
    fn count_for_delayed_ack(&mut self, advanced: usize, ctx: &ConnCtx<'_>) {
        let full = advanced >= usize::from(self.our_mss).saturating_sub(40).max(1);
        self.unacked_segments += if full { 1 } else { 0 };
        if self.unacked_segments >= 2 {
            if self.in_ack_burst && self.unacked_segments < BURST_ACK_SEGMENTS {
                self.ack_deferred = true;
            } else {
                self.ack_now = true;
            }
        } else if self.delack_at.get().is_none() {
            self.delack_at.set(
                Some(ctx.now + ctx.config.delayed_ack),
                &mut self.timers_changed,
            );
        }
    }

    /// The FIN bit (RFC 9293 3.10.7.4 eighth check).
    fn process_fin(&mut self, seg: &Segment<'_>, ctx: &mut ConnCtx<'_>) {
        if seg.has(FLAG_FIN) && self.state.is_synchronized() && !self.fin_received {
            let fin_seq = seg.seq
                + u32::from(seg.has(FLAG_SYN))
                + u32::try_from(seg.payload.len()).unwrap_or(0);
            if fin_seq.saturating_since(self.rcv_nxt) <= self.rcv_wnd() {
                self.fin_pending = Some(fin_seq);
            }
        }
        let Some(fin_seq) = self.fin_pending else {
            return;
        };
        if fin_seq != self.rcv_nxt {
            if seg.has(FLAG_FIN) {
                self.ack_now = true;
            }
            return;
        }
        self.fin_pending = None;
        self.fin_received = true;
        self.rcv_nxt += 1;
        self.ack_now = true;
        match self.state {
            TcpState::SynReceived | TcpState::Established => self.state = TcpState::CloseWait,
            TcpState::FinWait1 => {
                if self.fin_acked() {
                    self.enter_time_wait(ctx);
                } else {
                    self.state = TcpState::Closing;
                }
            }
            TcpState::FinWait2 => self.enter_time_wait(ctx),
            _ => {}
        }
        self.keepalive_at.set(None, &mut self.timers_changed);
    }

    /// TIME-WAIT: all other timers stop; the connection lingers 2·MSL (RFC 9293 3.10.7.4).
    fn enter_time_wait(&mut self, ctx: &ConnCtx<'_>) {
        self.state = TcpState::TimeWait;
        self.rto_at.set(None, &mut self.timers_changed);
        self.delack_at.set(None, &mut self.timers_changed);
        self.keepalive_at.set(None, &mut self.timers_changed);
        self.persisting = false;
        self.close_at.set(
            Some(ctx.now + ctx.config.time_wait),
            &mut self.timers_changed,
        );
    }
}
