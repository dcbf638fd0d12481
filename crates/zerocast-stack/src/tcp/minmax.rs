//! A windowed minimum: the lowest RTT sample seen over the last `window` of time.
//!
//! RFC 8985 (RACK) and RFC 9406 (HyStart++) want the path's *current* minimum RTT, not the
//! lowest sample of the connection's whole life: after a route change that lengthens the
//! path, a lifetime minimum would keep RACK's reordering window and the delay signals
//! sized for a path that no longer exists. Keeping every sample of the window is
//! unbounded, so this is Kathleen Nichols' estimator (the one Linux uses for `min_rtt`,
//! with a 300 s window): three candidates, the best in the window and the best of its
//! later second and last thirds, so that when the best ages out the next one is already
//! known. It is exact when samples arrive at least once per third of the window and
//! within one third of a window otherwise, in constant space.

use crate::time::{Duration, Instant};

/// Linux's `tcp_min_rtt_wlen` default: five minutes.
pub(crate) const DEFAULT_MIN_RTT_WINDOW: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sample {
    at: Instant,
    value: Duration,
}

/// The windowed minimum of a stream of timed samples.
#[derive(Debug, Clone)]
pub(crate) struct WindowedMin {
    window: Duration,
    /// `best[0]` is the minimum of the window; `best[1]` and `best[2]` the minima of
    /// later stretches of it, each no older than the one before.
    best: Option<[Sample; 3]>,
}

impl WindowedMin {
    pub(crate) fn new(window: Duration) -> Self {
        WindowedMin { window, best: None }
    }

    /// The minimum over the window, if there was any sample.
    pub(crate) fn get(&self) -> Option<Duration> {
        self.best.map(|b| b[0].value)
    }

    /// Takes a sample measured at `now`.
    pub(crate) fn update(&mut self, value: Duration, now: Instant) {
        let new = Sample { at: now, value };
        let Some(mut b) = self.best else {
            self.best = Some([new; 3]);
            return;
        };
        // A new overall minimum, or the window's best has aged out entirely: start over.
        if value <= b[0].value || now.saturating_duration_since(b[2].at) > self.window {
            self.best = Some([new; 3]);
            return;
        }
        if value <= b[1].value {
            b[1] = new;
            b[2] = new;
        } else if value <= b[2].value {
            b[2] = new;
        }
        self.best = Some(self.age(b, new));
    }

    /// Promotes the later candidates when the earlier ones leave the window, and refreshes
    /// a candidate that has been best for a whole third (or half) of the window so the
    /// three keep spanning it.
    fn age(&self, mut b: [Sample; 3], new: Sample) -> [Sample; 3] {
        let since_best = new.at.saturating_duration_since(b[0].at);
        if since_best > self.window {
            // The best expired: the second becomes best, the third second, the new one third.
            b = [b[1], b[2], new];
            if new.at.saturating_duration_since(b[0].at) > self.window {
                b = [b[1], b[2], new];
            }
        } else if b[1].at == b[0].at && since_best > self.window / 4 {
            // A quarter of the window passed with one candidate: take a second one.
            b[1] = new;
            b[2] = new;
        } else if b[2].at == b[1].at && since_best > self.window / 2 {
            // Half of it passed with two: take a third.
            b[2] = new;
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn t(secs: u64) -> Instant {
        Instant::ZERO + Duration::from_secs(secs)
    }

    #[test]
    fn the_lowest_sample_inside_the_window_wins() {
        let mut f = WindowedMin::new(Duration::from_secs(10));
        assert_eq!(f.get(), None);
        f.update(ms(30), t(0));
        f.update(ms(20), t(1));
        f.update(ms(50), t(2));
        f.update(ms(25), t(3));
        assert_eq!(f.get(), Some(ms(20)));
    }

    /// The path got longer at t = 10 s (20 ms → 80 ms): a lifetime minimum would say 20 ms
    /// forever; the 10 s window says 80 ms once the old samples are over 10 s old.
    #[test]
    fn rfc8985_a_longer_path_replaces_the_old_minimum_after_one_window() {
        let mut f = WindowedMin::new(Duration::from_secs(10));
        for s in 0..10 {
            f.update(ms(20), t(s));
        }
        for s in 10..=19 {
            f.update(ms(80 + s), t(s));
            assert_eq!(
                f.get(),
                Some(ms(20)),
                "t = {s} s: 20 ms is still in the window"
            );
        }
        // t = 20: the 20 ms sample of t = 9 s is 11 s old. The window (t = 10..20) saw
        // 90..=100 ms; the estimate keeps the best of its later thirds, exact here to
        // within the filter's third-of-a-window granularity.
        f.update(ms(100), t(20));
        let got = f.get().unwrap();
        assert!((ms(90)..=ms(100)).contains(&got), "{got:?}");
        for s in 21..40 {
            f.update(ms(80), t(s));
        }
        assert_eq!(f.get(), Some(ms(80)));
    }

    #[test]
    fn a_new_minimum_replaces_everything_at_once() {
        let mut f = WindowedMin::new(DEFAULT_MIN_RTT_WINDOW);
        f.update(ms(50), t(0));
        f.update(ms(60), t(100));
        f.update(ms(10), t(101));
        assert_eq!(f.get(), Some(ms(10)));
        // ... and it lasts the whole window, however many higher samples follow.
        for s in 102..400 {
            f.update(ms(70), t(s));
        }
        assert_eq!(f.get(), Some(ms(10)));
        f.update(ms(70), t(402));
        assert_eq!(f.get(), Some(ms(70)));
    }
}
