//! A [`Tally`]: the statistics of a run of consecutive frames (one batch), kept flat so that
//! counting a frame costs an integer compare, two additions and one hash-table update.
//! Tallies are merged into the report's [`Stats`](super::Stats) in file order.

use super::conversation::{conversations_of, ConversationKey, Hit, WordMap};
use super::tree::TreeHints;
use super::tree::{tree_bits, tree_path, uncounted, Step};
use crate::dissect::HttpEvents;
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

    /// Takes back one frame of `len` bytes counted here.
    pub fn remove(&mut self, len: u64) {
        self.frames = self.frames.saturating_sub(1);
        self.bytes = self.bytes.saturating_sub(len);
    }
}

/// What a counted frame did to, or assumed of, its TCP conversation's memory, in frame
/// order: settled when the tally is merged in file order (see `dissect::Conversations`).
#[derive(Debug, Clone, Copy)]
pub(super) struct HttpRecord {
    pub events: HttpEvents,
    /// For a frame that assumed an earlier request: the index in `paths` of its hierarchy
    /// path as counted, of the path it has when there was none, and its length.
    pub assumed: Option<(usize, usize, u64)>,
}

/// One conversation's counts: each direction's frames and bytes, and when it was seen.
#[derive(Debug, Clone, Copy)]
pub(super) struct Conversation {
    /// Whether the conversation's first frame went from the key's first endpoint to its
    /// second: tshark's endpoint A is that frame's source.
    pub a_is_first: bool,
    /// From the key's first endpoint to its second.
    pub forward: Totals,
    /// From the key's second endpoint to its first.
    pub backward: Totals,
    /// Earliest and latest capture time, in nanoseconds since the epoch.
    pub first_ns: i128,
    pub last_ns: i128,
    /// TCP: the first raw sequence number seen in each direction (forward, backward).
    /// tshark starts a new conversation on the same ports when a SYN without ACK carries
    /// a number other than the one its side started with.
    pub first_seq: [Option<u32>; 2],
    /// TCP: this run of frames began with a SYN without ACK (its direction and number);
    /// whether it continues the conversation before it is decided when tallies are merged
    /// in file order, since the number it is compared with may be in an earlier tally.
    pub syn: Option<(bool, u32)>,
}

impl Conversation {
    fn new(hit: &Hit, time_ns: i128) -> Self {
        Conversation {
            a_is_first: hit.forward,
            forward: Totals::default(),
            backward: Totals::default(),
            first_ns: time_ns,
            last_ns: time_ns,
            first_seq: [None; 2],
            syn: hit
                .seq
                .filter(|_| hit.pure_syn)
                .map(|seq| (hit.forward, seq)),
        }
    }

    fn add(&mut self, hit: &Hit, len: u64, time_ns: i128) {
        if hit.forward {
            self.forward.add(len);
        } else {
            self.backward.add(len);
        }
        let side = &mut self.first_seq[usize::from(!hit.forward)];
        if side.is_none() {
            *side = hit.seq;
        }
        self.first_ns = self.first_ns.min(time_ns);
        self.last_ns = self.last_ns.max(time_ns);
    }

    /// Whether `later`, the next run of frames on the same key, is a new conversation
    /// (tshark's port reuse: its SYN's number differs from the one its side began with).
    pub fn ends_before(&self, later: &Conversation) -> bool {
        later.syn.is_some_and(|(forward, seq)| {
            self.first_seq[usize::from(!forward)].is_some_and(|base| base != seq)
        })
    }

    /// Adds the counts of the same conversation in later frames.
    pub fn merge(&mut self, later: &Conversation) {
        self.forward.merge(later.forward);
        self.backward.merge(later.backward);
        self.first_ns = self.first_ns.min(later.first_ns);
        self.last_ns = self.last_ns.max(later.last_ns);
        for (mine, theirs) in self.first_seq.iter_mut().zip(later.first_seq) {
            if mine.is_none() {
                *mine = theirs;
            }
        }
    }

    /// Frames and bytes from endpoint A to B, and from B to A.
    pub fn a_to_b(&self) -> (Totals, Totals) {
        if self.a_is_first {
            (self.forward, self.backward)
        } else {
            (self.backward, self.forward)
        }
    }

    /// Frames in both directions.
    pub fn frames(&self) -> u64 {
        self.forward.frames + self.backward.frames
    }

    /// Bytes in both directions.
    pub fn bytes(&self) -> u64 {
        self.forward.bytes + self.backward.bytes
    }
}

/// Frames whose protocol path is exactly `path`.
#[derive(Debug, Clone)]
pub(super) struct PathCount {
    pub path: Vec<Step>,
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
    /// `FrameFields::path_key` and [`tree_bits`] to index in `paths`, for paths of up to
    /// `PATH_KEY_STEPS`: the two decide the hierarchy path, so a frame whose pair was seen
    /// needs neither its hierarchy path built nor the list searched.
    by_key: WordMap<(u64, u64), usize>,
    /// The previous frame's pair and index: consecutive frames often share it.
    last: Option<((u64, u64), usize)>,
    /// Conversations in the order first seen, and where each key's latest is in that
    /// list. A TCP SYN without ACK starts a new entry on the same key (see
    /// [`Conversation::syn`]).
    pub(super) conversations: Vec<(ConversationKey, Conversation)>,
    conversation_index: WordMap<ConversationKey, usize>,
    /// The previous frame's conversations (one per layer, a few): consecutive frames often
    /// share them.
    last_conversations: Vec<usize>,
    /// The protocol tree path of the frame being counted, when it differs from the path.
    tree_path: Vec<Step>,
    /// Capture time of the first frame seen, counted or not: conversation start times are
    /// relative to it.
    pub(super) first_frame_ns: Option<i128>,
    pub(super) all: Totals,
    pub(super) malformed: u64,
    /// Frames whose link type zcdump does not decode.
    pub(super) link_not_decoded: u64,
    pub(super) bad_checksum_frames: u64,
    pub(super) bad_checksums: u64,
    /// The frames that touched their TCP conversation's memory, in order.
    pub(super) http: Vec<HttpRecord>,
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
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
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
        self.add_at(f, len, false, 0);
    }

    /// Notes the capture time of a frame, whether or not it is counted: the first one is
    /// the time conversation starts are relative to (tshark's `frame.time_relative`).
    pub fn see_frame(&mut self, time_ns: i128) {
        self.first_frame_ns.get_or_insert(time_ns);
    }

    /// Counts one frame of `len` bytes on the wire captured at `time_ns` nanoseconds since
    /// the epoch; `snapped`: the capture kept fewer bytes than that.
    pub fn add_at(&mut self, f: &FrameFields, len: u64, snapped: bool, time_ns: i128) {
        self.see_frame(time_ns);
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
        let mut layer = 0;
        let mut hints = conversations_of(f, |hit| {
            let key = hit.key;
            let cached = self
                .last_conversations
                .get(layer)
                .copied()
                .filter(|&i| self.conversations.get(i).is_some_and(|(k, _)| *k == key));
            let i = match cached {
                Some(i) if !hit.pure_syn => i,
                _ => {
                    let next = self.conversations.len();
                    let slot = self.conversation_index.entry(key).or_insert(next);
                    if hit.pure_syn {
                        // Every SYN starts a run of its own; merging decides whether it
                        // continues the conversation. The cached indices may name the
                        // run it ends.
                        *slot = next;
                        self.last_conversations.fill(usize::MAX);
                    }
                    let i = *slot;
                    if i == next {
                        self.conversations
                            .push((key, Conversation::new(&hit, time_ns)));
                    }
                    i
                }
            };
            if let Some((_, c)) = self.conversations.get_mut(i) {
                c.add(&hit, len, time_ns);
            }
            match self.last_conversations.get_mut(layer) {
                Some(slot) => *slot = i,
                None => self.last_conversations.push(i),
            }
            layer += 1;
        });
        hints.snapped = snapped;
        if uncounted(f, &hints) {
            return;
        }
        let known = self.paths.len();
        let path = self.path_index(f, &hints);
        self.paths[path].totals.add(len);
        let events = f.http_events();
        if events.reset || events.request || events.assumed.is_some() {
            let assumed = events.assumed.map(|unseen| {
                let (counted, without) = self.path_without_http(path, path >= known, unseen.short);
                (counted, without, len)
            });
            self.http.push(HttpRecord { events, assumed });
        }
    }

    /// Finds (or adds, with nothing counted) path `counted` cut before its `http` step,
    /// ending in `_ws.short` when `short`: how tshark shows a continuation in a
    /// conversation that has seen no request. Returns the indices of both paths. A new
    /// path goes where this frame's first path would have gone in file order: before
    /// `counted` when that is new too (`counted_is_new`), since merging creates tree
    /// nodes in the order of `paths`.
    fn path_without_http(
        &mut self,
        counted: usize,
        counted_is_new: bool,
        short: bool,
    ) -> (usize, usize) {
        let mut steps: Vec<Step> = self.paths[counted]
            .path
            .iter()
            .copied()
            .take_while(|s| *s != Step::Proto(Proto::Http))
            .collect();
        if short {
            steps.push(Step::Named("_ws.short"));
        }
        if let Some(i) = self.paths.iter().position(|p| p.path == steps) {
            return (counted, i);
        }
        if !counted_is_new {
            return (counted, self.new_path(&steps));
        }
        self.paths.insert(
            counted,
            PathCount {
                path: steps,
                totals: Totals::default(),
            },
        );
        // Only this frame's own key can name the path that moved.
        for i in self.by_key.values_mut() {
            if *i == counted {
                *i = counted + 1;
            }
        }
        if let Some((_, i)) = &mut self.last {
            if *i == counted {
                *i = counted + 1;
            }
        }
        (counted + 1, counted)
    }

    /// The index of frame `f`'s hierarchy path in `paths`, added if new.
    fn path_index(&mut self, f: &FrameFields, hints: &TreeHints) -> usize {
        if f.path().len() > PATH_KEY_STEPS {
            // Too deep for the packed key (cannot happen with zcdump's own dissector, which
            // follows at most 8 VLAN tags): compare the steps themselves.
            return self.build_path_index(f, hints);
        }
        let key = (f.path_key(), tree_bits(f, hints));
        if let Some((last, i)) = self.last {
            if last == key {
                return i;
            }
        }
        let i = match self.by_key.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.build_path_index(f, hints);
                self.by_key.insert(key, i);
                i
            }
        };
        self.last = Some((key, i));
        i
    }

    /// Builds frame `f`'s hierarchy path and finds it in `paths` (added if new).
    fn build_path_index(&mut self, f: &FrameFields, hints: &TreeHints) -> usize {
        let mut tree = std::mem::take(&mut self.tree_path);
        if !tree_path(f, hints, &mut tree) {
            tree.clear();
            tree.extend(f.path().iter().map(|&p| Step::Proto(p)));
        }
        let i = match self.paths.iter().position(|p| p.path == tree) {
            Some(i) => i,
            None => self.new_path(&tree),
        };
        self.tree_path = tree;
        i
    }

    fn new_path(&mut self, path: &[Step]) -> usize {
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
    /// #     f.push_uint(Field::UdpChecksumStatus, 2u8); // the header was whole
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
        self.last_conversations.clear();
        self.first_frame_ns = None;
        self.all = Totals::default();
        self.malformed = 0;
        self.link_not_decoded = 0;
        self.bad_checksum_frames = 0;
        self.bad_checksums = 0;
        self.http.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Proto;

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
