//! Congestion-control scenarios on the [`FakeNetwork`]: one bulk flow between two stacks
//! whose path RTT the test changes, the sender's window read after every network step.
//!
//! The link has no bandwidth limit, so the flow is a train of bursts: every ACK of a
//! window arrives at the same instant and clocks out the next window at once. A step
//! (one instant) is therefore one burst of ACKs, and the window's growth over it is the
//! sum of the per-ACK rules. The RTT is changed only between bursts (when no data is in
//! flight), so each round sees one RTT, never a mix.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::tcp::cc::{initial_window, HyStartPhase, CSS_GROWTH_DIVISOR, CSS_ROUNDS};
use crate::tcp::{CongestionAlgorithm, SeqNum, TcpSocketOptions};
use crate::testutil::{FakeNetwork, HostId, LinkConfig, SegmentId};
use crate::time::{Duration, Instant};
use crate::{SocketError, SocketId, Stack, StackConfig};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The sender's congestion state after a step.
#[derive(Clone, Copy, Debug)]
struct Snap {
    at: Instant,
    cwnd: u32,
    ssthresh: u32,
    mss: u32,
    phase: HyStartPhase,
    una: SeqNum,
    max: SeqNum,
    in_recovery: bool,
    /// RFC 7661: the window is non-validated (the sender is rate-limited).
    non_validated: bool,
    /// CUBIC's `(W_max, K)`, in segments and seconds.
    cubic: Option<(f64, f64)>,
}

/// A client that always has data to send and a server that reads everything.
struct Flow {
    net: FakeNetwork<Stack>,
    segment: SegmentId,
    client: HostId,
    server: HostId,
    csock: SocketId,
    listener: SocketId,
    ssock: Option<SocketId>,
    latency: Duration,
    /// When the client's SND.MAX last advanced.
    last_send: Instant,
    buf: Vec<u8>,
    snaps: Vec<Snap>,
    /// The client application writes until it has written this many bytes.
    write_limit: usize,
    written: usize,
}

const BUFFER: usize = 8 << 20;

impl Flow {
    fn new(alg: CongestionAlgorithm, latency: Duration) -> Flow {
        Flow::writing(alg, latency, usize::MAX)
    }

    /// A flow whose client writes `write_limit` bytes in all.
    fn writing(alg: CongestionAlgorithm, latency: Duration, write_limit: usize) -> Flow {
        let mut net = FakeNetwork::new(1);
        let mut host = |addr: [u8; 4]| {
            let id = net.add_host(Stack::new(StackConfig::default()));
            let dev = net.with_host(id, |s, bc| {
                let dev = s.add_pure_ip_device(1500);
                s.add_address(bc, dev, IpAddr::V4(Ipv4Addr::from(addr)), 24)
                    .unwrap();
                dev
            });
            (id, dev)
        };
        let (client, cd) = host([10, 0, 0, 1]);
        let (server, sd) = host([10, 0, 0, 2]);
        let segment = net.connect(&[(client, cd), (server, sd)], LinkConfig::ideal(latency));
        let options = TcpSocketOptions {
            send_buffer: BUFFER,
            recv_buffer: BUFFER,
            congestion: alg,
            ..TcpSocketOptions::default()
        };
        let listener = net.with_host(server, |s, bc| {
            let l = s.tcp_open().unwrap();
            s.tcp_set_options(l, options).unwrap();
            s.tcp_bind(l, SocketAddr::from(([0, 0, 0, 0], 5001)))
                .unwrap();
            s.tcp_listen(bc, l, 1).unwrap();
            l
        });
        let csock = net.with_host(client, |s, bc| {
            let c = s.tcp_open().unwrap();
            s.tcp_set_options(c, options).unwrap();
            s.tcp_connect(bc, c, SocketAddr::from(([10, 0, 0, 2], 5001)))
                .unwrap();
            c
        });
        let mut f = Flow {
            net,
            segment,
            client,
            server,
            csock,
            listener,
            ssock: None,
            latency,
            last_send: Instant::ZERO,
            buf: alloc::vec![0u8; 64 * 1024],
            snaps: Vec::new(),
            write_limit,
            written: 0,
        };
        // Until the handshake is done and the first data is out.
        while f.snap().is_none_or(|s| s.max == s.una) {
            f.apps();
            assert!(f.net.step());
        }
        let first = f.snap().unwrap();
        f.last_send = first.at;
        f.snaps.push(first);
        f
    }

    fn snap(&self) -> Option<Snap> {
        let stack = self.net.node(self.client);
        let (_, e) = stack.tcp.iter().next()?;
        if e.conn.state != crate::tcp::TcpState::Established {
            return None;
        }
        let lr = e.conn.loss.recovery();
        let cc = lr.cc();
        Some(Snap {
            at: self.net.now(),
            cwnd: cc.cwnd(),
            ssthresh: cc.ssthresh(),
            mss: cc.mss(),
            phase: cc.hystart_phase(),
            una: e.conn.snd_una,
            max: e.conn.snd_max,
            in_recovery: lr.in_recovery(),
            non_validated: cc.non_validated(),
            cubic: cc.cubic_state().map(|c| (c.w_max, c.k)),
        })
    }

    /// The applications: the client fills its send buffer, the server drains.
    fn apps(&mut self) {
        let (csock, buf) = (self.csock, &mut self.buf);
        let (limit, mut written) = (self.write_limit, self.written);
        self.net.with_host(self.client, |s, bc| {
            while written < limit {
                let n = (limit - written).min(buf.len());
                match s.tcp_send(bc, csock, &buf[..n]) {
                    Ok(0) | Err(SocketError::WouldBlock) => break,
                    Ok(k) => written += k,
                    Err(e) => panic!("send: {e}"),
                }
            }
        });
        self.written = written;
        let (listener, mut ssock) = (self.listener, self.ssock);
        self.net.with_host(self.server, |s, bc| {
            if ssock.is_none() {
                ssock = s.tcp_accept(bc, listener).ok().map(|(id, _)| id);
            }
            let Some(id) = ssock else { return };
            loop {
                match s.tcp_recv(bc, id, buf) {
                    Ok(0) | Err(SocketError::WouldBlock) => break,
                    Ok(_) => {}
                    Err(e) => panic!("recv: {e}"),
                }
            }
        });
        self.ssock = ssock;
    }

    /// One network step; returns the sender's state before and after.
    fn step(&mut self) -> (Snap, Snap) {
        self.apps();
        let before = *self.snaps.last().unwrap();
        assert!(self.net.step(), "the flow stopped");
        let after = self.snap().expect("the connection left ESTABLISHED");
        if after.max > before.max {
            self.last_send = after.at;
        }
        self.snaps.push(after);
        (before, after)
    }

    /// Steps until `done` holds, at most `limit` of simulated time; panics otherwise.
    fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&Snap) -> bool) -> Snap {
        let end = self.net.now() + limit;
        loop {
            let (_, after) = self.step();
            if done(&after) {
                return after;
            }
            assert!(after.at <= end, "not reached within {limit:?}: {after:?}");
        }
    }

    /// Changes the one-way latency once every data segment sent so far has arrived (the
    /// ACKs on their way keep the old delay): the next round sees only the new RTT.
    fn set_latency(&mut self, latency: Duration) -> Instant {
        loop {
            self.apps();
            let quiet = self.last_send + self.latency;
            if self.net.next_event().is_some_and(|t| t > quiet) {
                break;
            }
            self.step();
        }
        self.net
            .set_link_config(self.segment, LinkConfig::ideal(latency));
        self.latency = latency;
        self.net.now()
    }

    /// The steps recorded since `from` (exclusive of earlier ones), pairwise.
    fn steps_since(&self, from: Instant) -> impl Iterator<Item = (&Snap, &Snap)> {
        self.snaps
            .windows(2)
            .map(|w| (&w[0], &w[1]))
            .filter(move |(a, _)| a.at >= from)
    }
}

/// Every step that stayed in one slow-start phase grew the window by the per-ACK rule:
/// `min(acked, 2 MSS)` per ACK in slow start (each ACK here covers one or two segments,
/// so the step grows by what it acknowledged), a [`CSS_GROWTH_DIVISOR`]th of it in CSS.
/// Returns how many steps of each kind were checked.
fn check_growth(f: &Flow) -> (usize, usize) {
    let (mut ss, mut css) = (0, 0);
    for (a, b) in f.steps_since(Instant::ZERO) {
        if a.in_recovery || b.in_recovery || b.ssthresh != u32::MAX {
            continue;
        }
        let acked = b.una.saturating_since(a.una);
        let grew = b.cwnd - a.cwnd;
        match (a.phase, b.phase) {
            (HyStartPhase::SlowStart, HyStartPhase::SlowStart) => {
                assert_eq!(grew, acked, "slow start at {:?}", b.at);
                ss += 1;
            }
            (HyStartPhase::Css { .. }, HyStartPhase::Css { .. }) if acked > 0 => {
                assert_eq!(grew, acked / CSS_GROWTH_DIVISOR, "CSS at {:?}", b.at);
                css += 1;
            }
            _ => {}
        }
    }
    (ss, css)
}

/// Slow start at 100 ms RTT until 16 segments (enough ACKs per round for N_RTT_SAMPLE),
/// then the RTT rises to 120 ms (at least lastRoundMinRTT + clamp(100/8, 4, 16) =
/// 112.5 ms): CSS follows within two rounds with the new RTT as its baseline.
fn slow_start_then_css(f: &mut Flow) -> Snap {
    f.run_until(ms(2000), |s| s.cwnd >= 16 * s.mss);
    assert_eq!(f.snap().unwrap().phase, HyStartPhase::SlowStart);
    let rise = f.set_latency(ms(60));
    let css = f.run_until(ms(400), |s| s.phase != HyStartPhase::SlowStart);
    // Rounds end inside bursts here (a round is up to SND.NXT at its first ACK), so the
    // burst that enters CSS may also end its first CSS round.
    assert!(
        matches!(css.phase, HyStartPhase::Css { baseline, rounds: 0 | 1 } if baseline == ms(120)),
        "{css:?}"
    );
    assert!(css.at > rise);
    assert_eq!(css.ssthresh, u32::MAX);
    css
}

/// RFC 9406 4.2 on a path whose RTT the test moves: slow start doubles the window at
/// 100 ms, a rise to 120 ms turns it conservative, and the fall back to 100 ms (below
/// the 120 ms baseline) resumes slow start with ssthresh untouched: the exit was
/// spurious. Every step's growth follows the phase's per-ACK rule.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc9406_hystart_css_on_a_rising_rtt_and_back_to_slow_start_when_it_falls() {
    let mut f = Flow::new(CongestionAlgorithm::NewReno, ms(50));
    let css = slow_start_then_css(&mut f);
    // One more burst in CSS, then the RTT falls back to 100 ms.
    f.run_until(ms(400), |s| s.at > css.at);
    let fall = f.set_latency(ms(50));
    let resumed = f.run_until(ms(400), |s| s.phase == HyStartPhase::SlowStart);
    assert!(resumed.at > fall);
    assert_eq!(resumed.ssthresh, u32::MAX, "a spurious exit keeps ssthresh");
    // A burst of slow start after it.
    let next = f.run_until(ms(400), |s| s.at >= resumed.at + ms(100));
    assert_eq!(next.phase, HyStartPhase::SlowStart);
    // Both kinds of slow-start growth were exercised and exact.
    let (ss, css_steps) = check_growth(&f);
    assert!(
        ss >= 4 && css_steps >= 1,
        "{ss} slow-start, {css_steps} CSS steps"
    );
}

/// RFC 9406 4.2: with the RTT held at 120 ms, CSS runs CSS_ROUNDS rounds and ends slow
/// start with ssthresh = cwnd, no loss; congestion avoidance then adds one MSS per
/// window (NewReno) though the RTT stays high.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc9406_hystart_css_rounds_end_slow_start_without_loss() {
    let mut f = Flow::new(CongestionAlgorithm::NewReno, ms(50));
    let mss = f.snaps[0].mss;
    let css = slow_start_then_css(&mut f);
    let done = f.run_until(ms(2000), |s| s.phase == HyStartPhase::Done);

    // The CSS rounds, each counted once and in order, one per window of ACKs (the ACKs of
    // one window arrive within 100 ms, the shortest RTT here: data the application wrote
    // late makes a few small trains after the main one); slow start ends in the window
    // that would complete round CSS_ROUNDS.
    let mut rounds_seen: Vec<u32> = Vec::new();
    let mut bursts = 0;
    let mut last_burst = css.at;
    for (a, b) in f.steps_since(css.at) {
        if b.una > a.una && b.at >= last_burst + ms(100) {
            bursts += 1;
            last_burst = b.at;
        }
        if let HyStartPhase::Css { rounds, .. } = b.phase {
            rounds_seen.push(rounds);
        }
    }
    rounds_seen.dedup();
    let HyStartPhase::Css { rounds: first, .. } = css.phase else {
        unreachable!()
    };
    assert_eq!(rounds_seen, (first..CSS_ROUNDS).collect::<Vec<_>>());
    assert_eq!(
        bursts,
        CSS_ROUNDS - first,
        "windows from CSS entry to its end"
    );
    // ssthresh = cwnd at the ACK that ended CSS; the same burst's later ACKs are
    // congestion avoidance, which adds at most one MSS per window.
    assert_ne!(done.ssthresh, u32::MAX);
    assert!(
        done.ssthresh <= done.cwnd && done.cwnd <= done.ssthresh + mss,
        "{done:?}"
    );
    let (ss, css_steps) = check_growth(&f);
    assert!(
        ss >= 3 && css_steps >= 4,
        "{ss} slow-start, {css_steps} CSS steps"
    );

    // Congestion avoidance at 120 ms for four RTTs: one MSS per window, never more.
    let ca_start = f.snap().unwrap();
    let end = f.run_until(ms(600), |s| s.at >= ca_start.at + ms(480));
    for (a, b) in f.steps_since(ca_start.at) {
        assert!(b.cwnd - a.cwnd <= mss, "{a:?} -> {b:?}");
    }
    let grown = (end.cwnd - ca_start.cwnd) / mss;
    assert!((3..=5).contains(&grown), "{grown} MSS in four RTTs");
    assert_eq!(end.ssthresh, done.ssthresh, "no loss, no reduction");
}

/// Drops the next data frame (over 1000 bytes) the client sends after the returned flag
/// is set, once.
fn drop_one_data_frame(f: &mut Flow) -> alloc::rc::Rc<core::cell::Cell<bool>> {
    let armed = alloc::rc::Rc::new(core::cell::Cell::new(false));
    let flag = armed.clone();
    let client = f.client;
    f.net.set_filter(
        f.segment,
        alloc::boxed::Box::new(move |from, _, bytes| {
            if from == client && bytes.len() > 1000 && flag.get() {
                flag.set(false);
                return false;
            }
            true
        }),
    );
    armed
}

/// The window after each window of ACKs (trains closer than 100 ms apart are one), from
/// `from` on: the trajectory, independent of how long each RTT took.
fn per_window(f: &Flow, from: Instant) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut last = from;
    for (a, b) in f.steps_since(from) {
        if b.una <= a.una {
            continue;
        }
        if b.at >= last + ms(100) || out.is_empty() {
            out.push((b.cwnd, b.ssthresh));
            last = b.at;
        } else if let Some(o) = out.last_mut() {
            *o = (b.cwnd, b.ssthresh);
        }
    }
    out
}

/// RFC 9406 4.2: a loss in slow start ends slow start as it would without HyStart++: the
/// algorithm's own reduction (NewReno: ssthresh half the flight), HyStart++ is over, and
/// an RTT rise afterwards (which would have meant CSS in slow start) changes nothing: the
/// window trajectory over the next six RTTs is the same as on a path whose RTT stays put.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc9406_a_loss_in_slow_start_ends_it_as_without_hystart() {
    let run = |rise: bool| {
        let mut f = Flow::new(CongestionAlgorithm::NewReno, ms(50));
        let armed = drop_one_data_frame(&mut f);
        let before = f.run_until(ms(2000), |s| s.cwnd >= 32 * s.mss);
        assert_eq!(before.phase, HyStartPhase::SlowStart);
        armed.set(true);
        let lost = f.run_until(ms(1000), |s| s.in_recovery);
        assert!(!armed.get(), "the frame was dropped");
        assert_eq!(lost.phase, HyStartPhase::Done);
        // NewReno halves the flight at the loss (capped at cwnd): the window after the ACK
        // train before, plus at most the slow-start growth of this train's ACKs.
        let prev = f.snaps[f.snaps.len() - 2];
        let acked = lost.una.saturating_since(prev.una);
        assert!(
            (prev.cwnd / 2..=(prev.cwnd + acked) / 2).contains(&lost.ssthresh),
            "ssthresh {} from cwnd {} (+{acked})",
            lost.ssthresh,
            prev.cwnd
        );
        let open = f.run_until(ms(1000), |s| !s.in_recovery);
        assert_eq!(open.cwnd, lost.ssthresh, "recovery ends at ssthresh");
        if rise {
            f.set_latency(ms(60));
        }
        let start = f.net.now();
        f.run_until(ms(1000), |s| s.at >= start + ms(6 * 120));
        let w = per_window(&f, start);
        (lost.ssthresh, w)
    };
    let (steady_ssthresh, steady) = run(false);
    let (risen_ssthresh, risen) = run(true);
    assert_eq!(steady_ssthresh, risen_ssthresh);
    assert!(
        steady.len() >= 6 && risen.len() >= 6,
        "{steady:?} {risen:?}"
    );
    assert_eq!(steady[..6], risen[..6]);
    for w in risen[..6].windows(2) {
        assert!(w[1].0 - w[0].0 <= 1448, "congestion avoidance: {w:?}");
    }
}

/// RFC 7661 on the whole stack: a NewReno sender writes 400 kB, everything is
/// acknowledged, and the application pauses. After 2 s (more than an RTO, when RFC 5681
/// 4.1 would restart from IW) the first burst is the whole window it kept; after 301 s
/// (the pause counts as non-validated time, and five minutes of it end the NVP) the first
/// burst is half of it; each further five minutes halves it again (ssthresh keeps 3/4 of
/// the window each halving started from), never below IW: after 601 s a quarter, after
/// 3001 s (ten periods) IW. The last case loses a segment early on, so ssthresh is finite
/// (about 10 segments) and the halvings raise it to 3/4 of the window.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc7661_sending_after_a_pause_uses_the_kept_window_until_the_nvp_ends() {
    for (pause, halvings, lossy) in [
        (Duration::from_secs(2), 0, false),
        (Duration::from_secs(301), 1, false),
        (Duration::from_secs(601), 2, false),
        (Duration::from_secs(3001), 10, false),
        (Duration::from_secs(301), 1, true),
    ] {
        let mut f = Flow::writing(CongestionAlgorithm::NewReno, ms(50), 400_000);
        if lossy {
            let armed = drop_one_data_frame(&mut f);
            f.run_until(ms(2000), |s| s.cwnd >= 12 * s.mss);
            armed.set(true);
            f.run_until(ms(1000), |s| s.in_recovery);
        }
        let idle = f.run_until(ms(3000), |s| s.una == s.max);
        assert_eq!(f.written, 400_000);
        if lossy {
            assert!(
                idle.ssthresh < idle.cwnd / 4 * 3 && idle.cwnd / 2 > initial_window(idle.mss),
                "{idle:?}"
            );
        } else {
            assert!(idle.cwnd > 100 * idle.mss, "{idle:?}");
        }
        f.net.run_until(idle.at + pause);
        f.write_limit = usize::MAX;
        f.apps();
        let resumed = f.snap().unwrap();
        let iw = initial_window(idle.mss);
        let (mut window, mut ssthresh) = (idle.cwnd, idle.ssthresh);
        for _ in 0..halvings {
            ssthresh = ssthresh.max(window / 4 * 3);
            window = (window / 2).max(iw);
        }
        assert_eq!(resumed.cwnd, window, "pause {pause:?}");
        assert_eq!(resumed.ssthresh, ssthresh, "pause {pause:?}");
        if halvings == 10 {
            assert_eq!(window, iw, "ten halvings reach IW");
        }
        // Whole segments only (Nagle holds a partial one while data is in flight).
        let burst = resumed.max.saturating_since(idle.max);
        assert_eq!(burst, window / idle.mss * idle.mss, "pause {pause:?}");
    }
}

impl Flow {
    /// A rate-limited application: whenever everything written has been acknowledged it
    /// writes `segments` more full segments (so one train a round trip), until `until`.
    fn rate_limited(&mut self, segments: usize, until: Instant) -> Snap {
        let mss = self.snaps[0].mss as usize;
        loop {
            let s = *self.snaps.last().unwrap();
            if s.at >= until {
                return s;
            }
            if s.una == s.max && self.written == self.write_limit {
                self.write_limit += segments * mss;
            }
            self.step();
        }
    }
}

/// RFC 7661's response to a loss in the non-validated phase, end to end. A sender grows
/// its window on 400 kB of bulk data, then writes only 4 segments a round trip for 2 s:
/// pipeACK (at most two trains, 8 segments) is under half the window, so the window is
/// non-validated. It then writes a 12-segment burst whose first segment is lost. At the
/// loss the algorithm sets its own ssthresh from the flight (NewReno half of 12
/// segments; CUBIC 0.7 of it), but recovery ends at the RFC's
/// `(max(pipeACK, LossFlightSize) - R) / 2` = (12 - 1) / 2 segments for both, with
/// ssthresh there too, and the window validated again.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc7661_a_loss_in_the_non_validated_phase_ends_recovery_at_the_flight_less_the_lost_halved() {
    for alg in [CongestionAlgorithm::NewReno, CongestionAlgorithm::Cubic] {
        let mut f = Flow::writing(alg, ms(50), 400_000);
        let mss = f.snaps[0].mss;
        let idle = f.run_until(ms(3000), |s| s.una == s.max);
        assert!(
            !idle.non_validated,
            "{alg:?}: bulk data validates the window"
        );
        let limited = f.rate_limited(4, idle.at + ms(2000));
        assert!(limited.non_validated, "{alg:?}: {limited:?}");
        assert!(limited.cwnd > 24 * mss, "{alg:?}: {limited:?}");
        // The burst: queued when everything is acknowledged, its first segment dropped.
        let quiet = if limited.una == limited.max {
            limited
        } else {
            f.run_until(ms(500), |s| s.una == s.max)
        };
        let armed = drop_one_data_frame(&mut f);
        armed.set(true);
        f.write_limit = f.written + 12 * mss as usize;
        let lost = f.run_until(ms(1000), |s| s.in_recovery);
        assert!(!armed.get(), "the frame was dropped");
        assert_eq!(lost.max.saturating_since(quiet.max), 12 * mss);
        let algorithm_ssthresh = match alg {
            CongestionAlgorithm::NewReno => 6 * mss,
            _ => 12 * mss * 7 / 10,
        };
        assert_eq!(
            lost.ssthresh, algorithm_ssthresh,
            "{alg:?}: the algorithm's own"
        );
        let open = f.run_until(ms(1000), |s| !s.in_recovery);
        assert_eq!(open.una, open.max, "{alg:?}: the loss was repaired");
        assert_eq!(open.cwnd, 11 * mss / 2, "{alg:?}: (12 - 1) / 2 segments");
        assert_eq!(open.ssthresh, open.cwnd, "{alg:?}");
        assert!(!open.non_validated, "{alg:?}: the loss ended the NVP");
    }
}

/// The validated counterpart: a CUBIC bulk sender (pipeACK is its whole window) ends
/// recovery at the ssthresh CUBIC set at the loss, not at RFC 7661's formula (the
/// NewReno case is `rfc9406_a_loss_in_slow_start_ends_it_as_without_hystart`).
#[test]
#[cfg_attr(miri, ignore)]
fn rfc7661_a_loss_in_the_validated_phase_is_the_algorithms_own_reduction() {
    let mut f = Flow::new(CongestionAlgorithm::Cubic, ms(50));
    let armed = drop_one_data_frame(&mut f);
    f.run_until(ms(2000), |s| s.cwnd >= 32 * s.mss);
    armed.set(true);
    let lost = f.run_until(ms(1000), |s| s.in_recovery);
    assert!(!lost.non_validated, "{lost:?}");
    let prev = f.snaps[f.snaps.len() - 2];
    // CUBIC's beta 0.7 of the flight at the loss (at most cwnd then).
    let acked = lost.una.saturating_since(prev.una);
    assert!(
        (prev.cwnd * 7 / 10..=(prev.cwnd + acked) * 7 / 10).contains(&lost.ssthresh),
        "ssthresh {} from cwnd {} (+{acked})",
        lost.ssthresh,
        prev.cwnd
    );
    let open = f.run_until(ms(1000), |s| !s.in_recovery);
    // Recovery ends at CUBIC's ssthresh; the rest of the exiting ACK train is
    // congestion avoidance, under one MSS of growth.
    assert_eq!(open.ssthresh, lost.ssthresh, "{open:?}");
    assert!(
        (open.ssthresh..open.ssthresh + open.mss).contains(&open.cwnd),
        "{open:?}"
    );
}

/// RFC 7661 with CUBIC after a pause longer than the pipeACK sampling period (2 s against
/// max(3 SRTT, 1 s) = 1 s). The sender is in congestion avoidance below W_max after a
/// loss when its application pauses. On resuming, the window it kept goes out as one
/// burst; the window is non-validated, so the first ACKs do not grow it, and once the
/// burst's ACKs validate it CUBIC starts a new epoch (RFC 9438 5.8: the pause is not
/// growth time): K is recomputed from the kept window, K = cbrt((W_max - cwnd) / C), and
/// W_max is unchanged. Without the new epoch K would stay that of the epoch before the
/// pause, computed from a smaller window.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc7661_cubic_resumes_after_a_pause_with_the_kept_window_and_a_new_epoch() {
    /// RFC 9438's C.
    const C: f64 = 0.4;
    let mut f = Flow::writing(CongestionAlgorithm::Cubic, ms(50), 600_000);
    let armed = drop_one_data_frame(&mut f);
    f.run_until(ms(2000), |s| s.cwnd >= 32 * s.mss);
    armed.set(true);
    f.run_until(ms(1000), |s| s.in_recovery);
    let idle = f.run_until(ms(5000), |s| s.una == s.max);
    let (w_max, k_before) = idle.cubic.unwrap();
    let mss = idle.mss;
    let kept = f64::from(idle.cwnd) / f64::from(mss);
    assert!(
        idle.ssthresh < idle.cwnd && kept < w_max - 1.0,
        "congestion avoidance below W_max: {idle:?}"
    );
    f.net.run_until(idle.at + Duration::from_secs(2));
    f.write_limit = usize::MAX;
    f.apps();
    let resumed = f.snap().unwrap();
    assert_eq!(resumed.cwnd, idle.cwnd, "the window is kept");
    assert!(resumed.non_validated, "{resumed:?}");
    let burst = resumed.max.saturating_since(idle.max);
    assert_eq!(burst, idle.cwnd / mss * mss);
    // The first growth: the new epoch's K, from the window kept through the pause.
    let grown = f.run_until(ms(1000), |s| s.cwnd > idle.cwnd);
    let (w_max_after, k_after) = grown.cubic.unwrap();
    assert_eq!(w_max_after, w_max);
    let k_new = ((w_max - kept) / C).cbrt();
    assert!(
        (k_after - k_new).abs() < 1e-9,
        "K {k_after}, expected {k_new}"
    );
    assert!(
        (k_before - k_new).abs() > 0.1,
        "K before {k_before}, new {k_new}"
    );
    // The new epoch starts at the plateau's approach: under one MSS of growth in the
    // first window (an epoch counted from before the pause would aim 1.5x higher).
    assert!(grown.cwnd - idle.cwnd < mss, "{grown:?}");
}

/// RFC 7661's end of the non-validated period while the sender keeps sending: after
/// 400 kB of bulk data a NewReno sender writes 4 segments a round trip (RTT 1 s, so the
/// pipeACK sampling period is 3 s) for 320 s. The window becomes non-validated once the
/// bulk samples age out and stops growing; 300 s later an ACK's pipeACK sample finds the
/// NVP over and the window halves once (ssthresh = max(ssthresh, 3/4 cwnd)), exactly
/// then and never again in the run, and the window stays non-validated.
#[test]
#[cfg_attr(miri, ignore)]
fn rfc7661_a_rate_limited_sender_gives_back_half_its_window_after_five_minutes() {
    let mut f = Flow::writing(CongestionAlgorithm::NewReno, ms(500), 400_000);
    let idle = f.run_until(ms(10_000), |s| s.una == s.max);
    f.rate_limited(4, idle.at + Duration::from_secs(320));
    let steps: Vec<(Snap, Snap)> = f.steps_since(idle.at).map(|(a, b)| (*a, *b)).collect();
    let entered = steps
        .iter()
        .find(|(_, b)| b.non_validated)
        .map(|(_, b)| *b)
        .expect("the window became non-validated");
    let cuts: Vec<&(Snap, Snap)> = steps.iter().filter(|(a, b)| b.cwnd < a.cwnd).collect();
    assert_eq!(cuts.len(), 1, "one halving: {cuts:?}");
    let (before, after) = *cuts[0];
    let nvp_end = entered.at + Duration::from_secs(300);
    assert!(
        after.at >= nvp_end && after.at <= nvp_end + Duration::from_secs(2),
        "halved at {:?}, NVP from {:?}",
        after.at,
        entered.at
    );
    assert_eq!(
        after.cwnd,
        (before.cwnd / 2).max(initial_window(before.mss))
    );
    assert_eq!(after.ssthresh, before.ssthresh.max(before.cwnd / 4 * 3));
    assert!(after.non_validated);
    // No growth while non-validated (the halving aside).
    for (a, b) in steps.iter().filter(|(a, _)| a.at >= entered.at) {
        assert!(b.cwnd <= a.cwnd, "{a:?} -> {b:?}");
    }
}
