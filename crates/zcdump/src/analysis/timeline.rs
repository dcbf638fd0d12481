//! `frame.time_epoch`, `frame.time_relative`, `frame.time_delta` and
//! `frame.time_delta_displayed`: each frame's capture time against the first frame, the
//! previous frame and the previous *displayed* frame, as tshark computes them in one pass.
//!
//! tshark's "displayed" frame is one that passed the display filter. While it evaluates the
//! filter on a frame, `frame.time_delta_displayed` already counts from the last frame that
//! passed (0 when none has), so a filter can read it; the table therefore learns which frames
//! passed only after the filter answered ([`Timeline::mark_displayed`]). Times are signed
//! nanoseconds: a capture whose clock steps back has negative deltas, as in tshark.

/// The four time fields of one frame, in nanoseconds.
///
/// ```
/// use zcdump::analysis::FrameTimes;
/// let t = FrameTimes::default();
/// assert_eq!((t.epoch_ns, t.relative_ns, t.delta_ns, t.delta_displayed_ns), (0, 0, 0, 0));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameTimes {
    /// `frame.time_epoch`: since the Unix epoch.
    pub epoch_ns: i128,
    /// `frame.time_relative`: since the first frame.
    pub relative_ns: i128,
    /// `frame.time_delta`: since the previous frame (0 for the first).
    pub delta_ns: i128,
    /// `frame.time_delta_displayed`: since the previous displayed frame (0 when none).
    pub delta_displayed_ns: i128,
}

/// The times a frame is measured from.
///
/// ```
/// use zcdump::analysis::Timeline;
/// let mut t = Timeline::default();
/// assert_eq!(t.observe(5_000).relative_ns, 0);
/// t.mark_displayed();
/// let second = t.observe(7_000);
/// assert_eq!((second.relative_ns, second.delta_ns, second.delta_displayed_ns), (2_000, 2_000, 2_000));
/// let third = t.observe(6_000); // the clock stepped back; frame 2 was not displayed
/// assert_eq!((third.delta_ns, third.delta_displayed_ns), (-1_000, 1_000));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Timeline {
    first: Option<i128>,
    previous: Option<i128>,
    displayed: Option<i128>,
}

impl Timeline {
    /// The times of the next frame, captured at `time_ns` nanoseconds since the epoch.
    pub fn observe(&mut self, time_ns: i128) -> FrameTimes {
        let since = |from: Option<i128>| from.map_or(0, |t| time_ns - t);
        let first = *self.first.get_or_insert(time_ns);
        let times = FrameTimes {
            epoch_ns: time_ns,
            relative_ns: time_ns - first,
            delta_ns: since(self.previous),
            delta_displayed_ns: since(self.displayed),
        };
        self.previous = Some(time_ns);
        times
    }

    /// Records that the frame last observed passed the display filter.
    pub fn mark_displayed(&mut self) {
        self.displayed = self.previous;
    }
}

/// Writes `ns` nanoseconds as tshark writes a time in `-T fields`: seconds, a point and nine
/// digits, with a minus sign before a negative value.
///
/// ```
/// use zcdump::analysis::write_seconds;
/// let mut out = Vec::new();
/// write_seconds(&mut out, 1_500_000_001);
/// out.push(b' ');
/// write_seconds(&mut out, -250_000_000);
/// assert_eq!(out, b"1.500000001 -0.250000000");
/// ```
pub fn write_seconds(out: &mut Vec<u8>, ns: i128) {
    use std::io::Write;
    let sign = if ns < 0 { "-" } else { "" };
    let abs = ns.unsigned_abs();
    // Writing to a Vec cannot fail.
    let _ = write!(
        out,
        "{sign}{}.{:09}",
        abs / 1_000_000_000,
        abs % 1_000_000_000
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_displayed_delta_counts_from_the_last_frame_that_passed() {
        let mut t = Timeline::default();
        assert_eq!(t.observe(100).delta_displayed_ns, 0);
        assert_eq!(
            t.observe(150).delta_displayed_ns,
            0,
            "nothing displayed yet"
        );
        t.mark_displayed();
        t.observe(170);
        let fourth = t.observe(200);
        assert_eq!((fourth.delta_ns, fourth.delta_displayed_ns), (30, 50));
    }
}
