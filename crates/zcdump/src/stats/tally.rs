//! A [`Tally`]: the statistics of a run of consecutive frames (one batch), kept flat so that
//! counting a frame costs an integer compare, two additions and one hash-table update.
//! Tallies are merged into the report's [`Stats`](super::Stats) in file order.

use super::conversation::{ConversationKey, WordMap};
use crate::fields::{FrameFields, Proto, PATH_KEY_STEPS};

/// Frames and bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Totals {
    pub frames: u64,
    pub bytes: u64,
}

impl Totals {
    #[inline]
    pub fn add(&mut self, len: u64) {
        self.frames += 1;
        self.bytes += len;
    }

    pub fn merge(&mut self, other: Totals) {
        self.frames += other.frames;
        self.bytes += other.bytes;
    }
}

/// Frames whose protocol path is exactly `path`.
#[derive(Debug, Clone)]
pub(super) struct PathCount {
    pub path: Vec<Proto>,
    pub totals: Totals,
}

/// Statistics of consecutive frames.
///
/// ```
/// use zcdump::fields::{FrameFields, Proto};
/// use zcdump::stats::{Stats, Tally};
/// let mut f = FrameFields::default();
/// f.enter(Proto::Eth);
/// f.enter(Proto::Arp);
/// let mut tally = Tally::default();
/// tally.add(&f, 42);
/// tally.add(&f, 60);
/// let mut stats = Stats::new(10);
/// stats.merge(&mut tally);
/// let mut out = Vec::new();
/// stats.write(&mut out, None)?;
/// assert!(String::from_utf8(out)?.contains("frames:2 bytes:102"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Every path seen, in the order first seen (the report lists children that way).
    pub(super) paths: Vec<PathCount>,
    /// `FrameFields::path_key` to index in `paths`, for paths of up to `PATH_KEY_STEPS`.
    by_key: WordMap<u64, usize>,
    /// The previous frame's path key and index: consecutive frames often share it.
    last: Option<(u64, usize)>,
    /// Conversations in the order first seen, and where each one is in that list.
    pub(super) conversations: Vec<(ConversationKey, Totals)>,
    conversation_index: WordMap<ConversationKey, usize>,
    /// The previous frame's conversation: consecutive frames often share it.
    last_conversation: Option<usize>,
    pub(super) all: Totals,
    pub(super) malformed: u64,
    /// Frames whose link type zcdump does not decode.
    pub(super) link_not_decoded: u64,
    pub(super) bad_checksum_frames: u64,
    pub(super) bad_checksums: u64,
}

impl Tally {
    /// Counts one frame of `len` bytes on the wire.
    ///
    /// ```
    /// use zcdump::stats::{Stats, Tally};
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut tally = Tally::default();
    /// let mut bad = udp(1000);
    /// bad.push_uint(Field::UdpChecksumStatus, 0u8); // 0: bad
    /// tally.add(&bad, 60);
    /// let mut stats = Stats::new(10);
    /// stats.merge(&mut tally);
    /// assert!(report(&stats).contains("Bad checksums: 1 (in 1 frames)"));
    /// ```
    pub fn add(&mut self, f: &FrameFields, len: u64) {
        self.all.add(len);
        if f.malformed().is_some() {
            self.malformed += 1;
        }
        if f.link_not_decoded().is_some() {
            self.link_not_decoded += 1;
        }
        let bad = f.bad_checksums();
        if bad > 0 {
            self.bad_checksum_frames += 1;
            self.bad_checksums += u64::from(bad);
        }
        let path = self.path_index(f);
        self.paths[path].totals.add(len);
        if let Some(key) = ConversationKey::of(f) {
            let i = match self.last_conversation {
                Some(i) if self.conversations.get(i).is_some_and(|(k, _)| *k == key) => i,
                _ => {
                    let next = self.conversations.len();
                    let i = *self.conversation_index.entry(key).or_insert(next);
                    if i == next {
                        self.conversations.push((key, Totals::default()));
                    }
                    self.last_conversation = Some(i);
                    i
                }
            };
            if let Some((_, totals)) = self.conversations.get_mut(i) {
                totals.add(len);
            }
        }
    }

    fn path_index(&mut self, f: &FrameFields) -> usize {
        if f.path().len() > PATH_KEY_STEPS {
            // Too deep for the packed key (cannot happen with zcdump's own dissector, which
            // follows at most 8 VLAN tags): compare the steps themselves.
            if let Some(i) = self.paths.iter().position(|p| p.path == f.path()) {
                return i;
            }
            return self.new_path(f.path());
        }
        let key = f.path_key();
        if let Some((last, i)) = self.last {
            if last == key {
                return i;
            }
        }
        let i = match self.by_key.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.new_path(f.path());
                self.by_key.insert(key, i);
                i
            }
        };
        self.last = Some((key, i));
        i
    }

    fn new_path(&mut self, path: &[Proto]) -> usize {
        self.paths.push(PathCount {
            path: path.to_vec(),
            totals: Totals::default(),
        });
        self.paths.len() - 1
    }

    /// Empties the tally, keeping its allocations.
    ///
    /// ```
    /// use zcdump::stats::{Stats, Tally};
    /// # use zcdump::fields::{Field, FrameFields, Proto, Value};
    /// # // An Ethernet/IPv4/UDP frame from 10.0.0.1:`port` to 10.0.0.2:53.
    /// # fn udp(port: u16) -> FrameFields {
    /// #     let mut f = FrameFields::default();
    /// #     f.enter(Proto::Eth);
    /// #     f.enter(Proto::Ip);
    /// #     f.push(Field::IpSrc, Value::Ipv4([10, 0, 0, 1]));
    /// #     f.push(Field::IpDst, Value::Ipv4([10, 0, 0, 2]));
    /// #     f.enter(Proto::Udp);
    /// #     f.push_uint(Field::UdpSrcport, port);
    /// #     f.push_uint(Field::UdpDstport, 53u16);
    /// #     f
    /// # }
    /// # fn report(stats: &Stats) -> String {
    /// #     let mut out = Vec::new();
    /// #     stats.write(&mut out, None).expect("writing to a Vec cannot fail");
    /// #     String::from_utf8(out).unwrap_or_default()
    /// # }
    /// let mut tally = Tally::default();
    /// tally.add(&udp(1000), 60);
    /// tally.clear();
    /// let mut stats = Stats::new(10);
    /// stats.merge(&mut tally);
    /// assert!(report(&stats).contains("Frames: 0 bytes: 0"));
    /// ```
    pub fn clear(&mut self) {
        self.paths.clear();
        self.by_key.clear();
        self.last = None;
        self.conversations.clear();
        self.conversation_index.clear();
        self.last_conversation = None;
        self.all = Totals::default();
        self.malformed = 0;
        self.link_not_decoded = 0;
        self.bad_checksum_frames = 0;
        self.bad_checksums = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(path: &[Proto]) -> FrameFields {
        let mut f = FrameFields::default();
        for &p in path {
            f.enter(p);
        }
        f
    }

    #[test]
    fn paths_are_kept_in_first_seen_order_and_counted_exactly() {
        let mut t = Tally::default();
        let a = frame(&[Proto::Eth, Proto::Ip, Proto::Tcp]);
        let b = frame(&[Proto::Eth, Proto::Arp]);
        for (f, len) in [(&a, 10), (&b, 20), (&a, 30), (&a, 1)] {
            t.add(f, len);
        }
        let seen: Vec<_> = t.paths.iter().map(|p| (p.path.len(), p.totals)).collect();
        assert_eq!(
            seen,
            [
                (
                    3,
                    Totals {
                        frames: 3,
                        bytes: 41
                    }
                ),
                (
                    2,
                    Totals {
                        frames: 1,
                        bytes: 20
                    }
                )
            ]
        );
    }

    #[test]
    fn paths_deeper_than_the_key_are_told_apart() {
        let mut long = vec![Proto::Eth];
        long.extend(std::iter::repeat_n(Proto::Vlan, PATH_KEY_STEPS));
        let mut other = long.clone();
        // Same last 16 steps, so the same packed key, but a different first step.
        other[0] = Proto::Sll;
        let mut t = Tally::default();
        t.add(&frame(&long), 1);
        t.add(&frame(&other), 1);
        t.add(&frame(&long), 1);
        assert_eq!(t.paths.len(), 2);
        assert_eq!(t.paths[0].totals.frames, 2);
    }
}
