//! Proportional Rate Reduction (RFC 6937), the PRR-SSRB variant: how much may be sent on
//! each ACK during fast recovery, so the flight shrinks smoothly to ssthresh instead of
//! stopping and then bursting (RFC 5681's inflation) or collapsing (after heavy loss).

/// PRR's per-episode state, in bytes.
#[derive(Clone, Debug)]
pub(crate) struct Prr {
    /// RecoverFS: the flight when recovery started (RFC 6937: `snd.nxt - snd.una`).
    recover_fs: u32,
    ssthresh: u32,
    /// prr_delivered: bytes the receiver got during recovery.
    delivered: u32,
    /// prr_out: bytes sent during recovery.
    out: u32,
    /// `pipe + sndcnt` at the last ACK: the window sending may fill until the next ACK.
    window: u32,
}

impl Prr {
    /// RFC 6937 section 3, initialization on entering recovery.
    pub(crate) fn new(recover_fs: u32, ssthresh: u32) -> Self {
        Prr {
            recover_fs: recover_fs.max(1),
            ssthresh,
            delivered: 0,
            out: 0,
            window: 0,
        }
    }

    /// RFC 6937 section 3, on every ACK in recovery (the first included): the sending
    /// allowance `sndcnt` for `delivered_now` bytes newly delivered with `pipe` in flight.
    /// Proportional while `pipe > ssthresh`; slow-start reduction bound (SSRB) below it.
    pub(crate) fn on_ack(&mut self, delivered_now: u32, pipe: u32, mss: u32) -> u32 {
        self.delivered = self.delivered.saturating_add(delivered_now);
        let mut sndcnt = if pipe > self.ssthresh {
            self.proportional()
        } else {
            self.slow_start_bound(delivered_now, pipe, mss)
        };
        if self.out == 0 {
            // The fast retransmit itself goes out on entering recovery whatever the
            // proportion says (as Linux, and RFC 9937's revision of PRR).
            sndcnt = sndcnt.max(mss);
        }
        self.window = pipe.saturating_add(sndcnt);
        sndcnt
    }

    /// `CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out`, at least 0.
    fn proportional(&self) -> u32 {
        let share = (u64::from(self.delivered) * u64::from(self.ssthresh))
            .div_ceil(u64::from(self.recover_fs));
        u32::try_from(share)
            .unwrap_or(u32::MAX)
            .saturating_sub(self.out)
    }

    /// PRR-SSRB: `MIN(ssthresh - pipe, MAX(prr_delivered - prr_out, DeliveredData) + MSS)`.
    fn slow_start_bound(&self, delivered_now: u32, pipe: u32, mss: u32) -> u32 {
        let limit = self
            .delivered
            .saturating_sub(self.out)
            .max(delivered_now)
            .saturating_add(mss);
        self.ssthresh.saturating_sub(pipe).min(limit)
    }

    /// RFC 6937: `prr_out += data sent` on every transmission in recovery.
    pub(crate) fn on_transmit(&mut self, len: u32) {
        self.out = self.out.saturating_add(len);
    }

    /// Bytes that may be sent now, with `pipe` bytes in flight.
    pub(crate) fn quota(&self, pipe: u32) -> u32 {
        self.window.saturating_sub(pipe)
    }

    /// The window PRR currently allows (`pipe + sndcnt` at the last ACK).
    pub(crate) fn window(&self) -> u32 {
        self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSS: u32 = 1000;

    #[test]
    fn rfc6937_sends_one_segment_per_two_acks_when_ssthresh_is_half_the_flight() {
        // 20 segments in flight, one lost, ssthresh 10 (RFC 6937 section 5's setting).
        let mut prr = Prr::new(20 * MSS, 10 * MSS);
        let mut pipe = 19 * MSS;
        let mut sent = alloc::vec::Vec::new();
        for _ack in 0..8 {
            pipe -= MSS; // each ACK SACKs one segment
            prr.on_ack(MSS, pipe, MSS);
            let mut n = 0;
            while prr.quota(pipe) >= MSS {
                prr.on_transmit(MSS);
                pipe += MSS;
                n += 1;
            }
            sent.push(n);
        }
        // The first is the fast retransmit; then ceil(delivered / 2) - out.
        assert_eq!(sent, [1, 0, 0, 1, 0, 1, 0, 1]);
    }

    #[test]
    fn rfc6937_proportional_formula_rounds_up() {
        let mut prr = Prr::new(3000, 2100);
        prr.on_transmit(1);
        // ceil(1000 * 2100 / 3000) - 1 = 699
        assert_eq!(prr.on_ack(1000, 2500, MSS), 699);
        prr.on_transmit(699);
        // ceil(2000 * 2100 / 3000) - 700 = 700
        assert_eq!(prr.on_ack(1000, 2400, MSS), 700);
        let mut odd = Prr::new(3, 2);
        odd.on_transmit(1);
        // ceil(2 * 2 / 3) - 1 = 1
        assert_eq!(odd.on_ack(2, 3, 1), 1);
    }

    #[test]
    fn rfc6937_ssrb_grows_back_to_ssthresh_after_heavy_loss() {
        let mut prr = Prr::new(20 * MSS, 10 * MSS);
        // Heavy loss: pipe already far below ssthresh.
        assert_eq!(
            prr.on_ack(2 * MSS, 3 * MSS, MSS),
            3 * MSS,
            "MAX(2000 - 0, 2000) + MSS"
        );
        prr.on_transmit(3 * MSS);
        // prr_delivered 3000, prr_out 3000: limited by DeliveredData + MSS = 2000.
        assert_eq!(prr.on_ack(MSS, 5 * MSS, MSS), 2 * MSS);
        prr.on_transmit(2 * MSS);
        // Near ssthresh the gap is the limit.
        assert_eq!(prr.on_ack(4 * MSS, 9 * MSS, MSS), MSS);
        assert_eq!(prr.window(), 10 * MSS);
    }

    #[test]
    fn the_first_ack_of_recovery_always_allows_the_fast_retransmit() {
        let mut prr = Prr::new(20 * MSS, 10 * MSS);
        // Proportional share 500 bytes, raised to one MSS since nothing was sent yet.
        assert_eq!(prr.on_ack(MSS, 18 * MSS, MSS), MSS);
        prr.on_transmit(MSS);
        assert_eq!(prr.on_ack(MSS, 18 * MSS, MSS), 0);
    }

    #[test]
    fn sndcnt_never_goes_negative() {
        let mut prr = Prr::new(10 * MSS, 5 * MSS);
        prr.on_transmit(8 * MSS);
        assert_eq!(prr.on_ack(MSS, 9 * MSS, MSS), 0);
        assert_eq!(prr.quota(9 * MSS), 0);
    }
}
