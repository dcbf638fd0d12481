//! [`FakeNetwork`]: several simulated hosts joined by lossy links, driven by one fake clock.
//!
//! Each host is a [`Node`] (normally a [`Stack`](crate::Stack)) with its own
//! [`FakeBindings`]. Hosts' devices are attached to *segments*: a segment delivers every
//! frame sent by one of its ports to all its other ports, like a hub, so a two-port segment is
//! a cable and a larger one a shared LAN; the stacks filter by address as real hosts do.
//!
//! Time only moves when [`FakeNetwork::step`] jumps the clock to the next event: the next
//! frame arriving at a port or the next timer of a host. Each segment's [`LinkConfig`] adds
//! latency, jitter, loss, duplication, reordering and corruption, all drawn from the
//! network's own seeded generator, so a scenario that fails for seed S fails the same way
//! every time it is run with S.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::bindings::{FakeBindings, SeededRng};
use crate::context::{DeviceId, Rng};
use crate::time::{Duration, Instant};

/// What the network drives: a stack, or a scripted peer in a test.
pub trait Node {
    /// A frame arrived on `device`.
    fn receive_frame(&mut self, bc: &mut FakeBindings, device: DeviceId, frame: &mut [u8]);
    /// The clock reached the node's deadline.
    fn handle_timers(&mut self, bc: &mut FakeBindings);
    /// When the node next needs [`Node::handle_timers`].
    fn next_deadline(&self) -> Option<Instant>;
}

impl Node for crate::Stack {
    fn receive_frame(&mut self, bc: &mut FakeBindings, device: DeviceId, frame: &mut [u8]) {
        crate::Stack::receive_frame(self, bc, device, frame);
    }
    fn handle_timers(&mut self, bc: &mut FakeBindings) {
        crate::Stack::handle_timers(self, bc);
    }
    fn next_deadline(&self) -> Option<Instant> {
        crate::Stack::next_deadline(self)
    }
}

/// The faults and delays of one segment. Probabilities are per delivered copy, per port.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkConfig {
    /// One-way delay of every frame.
    pub latency: Duration,
    /// Extra delay drawn uniformly from `0..=jitter`; frames may overtake each other.
    pub jitter: Duration,
    /// Probability that a copy is lost.
    pub loss: f64,
    /// Probability that a copy is delivered twice.
    pub duplicate: f64,
    /// Probability that a copy is held back by `reorder_delay`, letting later frames pass.
    pub reorder: f64,
    /// How long a reordered copy is held back.
    pub reorder_delay: Duration,
    /// Probability that one random byte of a copy is flipped.
    pub corrupt: f64,
}

impl LinkConfig {
    /// A perfect cable with the given one-way latency.
    ///
    /// ```
    /// use zerocast_stack::testutil::LinkConfig;
    /// use zerocast_stack::time::Duration;
    /// let lossy = LinkConfig { loss: 0.05, ..LinkConfig::ideal(Duration::from_millis(10)) };
    /// assert_eq!(lossy.latency, Duration::from_millis(10));
    /// ```
    #[must_use]
    pub const fn ideal(latency: Duration) -> LinkConfig {
        LinkConfig {
            latency,
            jitter: Duration::ZERO,
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
            reorder_delay: Duration::ZERO,
            corrupt: 0.0,
        }
    }
}

impl Default for LinkConfig {
    /// An ideal link with 1 ms latency.
    fn default() -> Self {
        LinkConfig::ideal(Duration::from_millis(1))
    }
}

/// A host of the network.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostId(usize);

/// A segment (cable or hub) of the network.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(usize);

/// Decides the fate of each frame crossing a segment before faults are applied: return
/// `false` to drop it; it may rewrite the bytes. Arguments: the sender and its device, the
/// frame.
pub type FrameFilter = Box<dyn FnMut(HostId, DeviceId, &mut Vec<u8>) -> bool>;

struct Segment {
    ports: Vec<(HostId, DeviceId)>,
    config: LinkConfig,
    filter: Option<FrameFilter>,
}

/// One frame on its way to a port.
#[derive(Clone, Debug)]
struct InFlight {
    to: HostId,
    device: DeviceId,
    bytes: Vec<u8>,
}

/// What happened to frames, for tests that check that nothing leaked or multiplied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetworkCounters {
    /// Frames hosts transmitted on a device attached to a segment.
    pub sent: u64,
    /// Frames transmitted on a device attached to no segment (discarded).
    pub unattached: u64,
    /// Copies dropped by a segment's filter.
    pub filtered: u64,
    /// Copies lost to `LinkConfig::loss`.
    pub lost: u64,
    /// Extra copies made by `LinkConfig::duplicate`.
    pub duplicated: u64,
    /// Copies with a flipped byte.
    pub corrupted: u64,
    /// Copies handed to a host.
    pub delivered: u64,
}

/// Simulated hosts, segments and a shared fake clock.
///
/// ```
/// use zerocast_stack::testutil::{FakeBindings, FakeNetwork, LinkConfig, Node};
/// use zerocast_stack::context::{DeviceId, DeviceTx};
/// use zerocast_stack::time::{Duration, Instant};
///
/// /// A peer that answers every frame with the same bytes reversed, once.
/// struct Reverser { device: DeviceId, got: usize }
/// impl Node for Reverser {
///     fn receive_frame(&mut self, bc: &mut FakeBindings, dev: DeviceId, frame: &mut [u8]) {
///         self.got += 1;
///         if frame[0] == b'a' { frame.reverse(); bc.transmit(dev, frame); }
///     }
///     fn handle_timers(&mut self, _: &mut FakeBindings) {}
///     fn next_deadline(&self) -> Option<Instant> { None }
/// }
///
/// let dev = FakeNetwork::<Reverser>::device(0);
/// let mut net = FakeNetwork::new(9);
/// let a = net.add_host(Reverser { device: dev, got: 0 });
/// let b = net.add_host(Reverser { device: dev, got: 0 });
/// net.connect(&[(a, dev), (b, dev)], LinkConfig::ideal(Duration::from_millis(5)));
/// net.inject(a, dev, b"abc".to_vec()); // as if `a` had transmitted it
/// net.run_until_idle(100);
/// assert_eq!(net.node(b).got, 1);      // b got "abc" and sent back "cba"
/// assert_eq!(net.node(a).got, 1);      // a got "cba" and stopped
/// assert_eq!(net.now(), Instant::from_nanos(10_000_000));
/// ```
pub struct FakeNetwork<N: Node> {
    hosts: Vec<(N, FakeBindings)>,
    segments: Vec<Segment>,
    /// Where each (host, device) is attached.
    attachment: BTreeMap<(HostId, DeviceId), SegmentId>,
    /// Frames in flight, by arrival time; the sequence number keeps equal times in send order.
    in_flight: BTreeMap<(Instant, u64), InFlight>,
    next_seq: u64,
    now: Instant,
    seed: u64,
    rng: SeededRng,
    counters: NetworkCounters,
}

impl<N: Node> FakeNetwork<N> {
    /// An empty network whose faults are drawn from `seed`. Hosts get seeds derived from it.
    #[must_use]
    pub fn new(seed: u64) -> FakeNetwork<N> {
        FakeNetwork {
            hosts: Vec::new(),
            segments: Vec::new(),
            attachment: BTreeMap::new(),
            in_flight: BTreeMap::new(),
            next_seq: 0,
            now: Instant::ZERO,
            seed,
            rng: SeededRng::new(seed ^ 0x6e65_7477_6f72_6b00),
            counters: NetworkCounters::default(),
        }
    }

    /// The device id a node gives its `index`-th device, for scripted nodes that have no
    /// stack to hand one out.
    #[must_use]
    pub const fn device(index: u32) -> DeviceId {
        DeviceId(index)
    }

    /// The seed the network was made with (print it when a scenario fails).
    #[must_use]
    pub const fn seed(&self) -> u64 {
        self.seed
    }

    /// Adds a host; its bindings' clock starts at the network's current time.
    pub fn add_host(&mut self, node: N) -> HostId {
        let id = HostId(self.hosts.len());
        let host_seed = self.seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ (id.0 as u64 + 1);
        let mut bc = FakeBindings::new(host_seed);
        bc.set_now(self.now);
        self.hosts.push((node, bc));
        id
    }

    /// Joins the given (host, device) ports in one segment with `config`. A port already
    /// attached elsewhere moves to the new segment.
    pub fn connect(&mut self, ports: &[(HostId, DeviceId)], config: LinkConfig) -> SegmentId {
        let id = SegmentId(self.segments.len());
        for port in ports {
            if let Some(old) = self.attachment.insert(*port, id) {
                self.segments[old.0].ports.retain(|p| p != port);
            }
        }
        self.segments.push(Segment {
            ports: ports.to_vec(),
            config,
            filter: None,
        });
        id
    }

    /// Replaces a segment's faults, e.g. to cut a link mid-scenario (`loss: 1.0`).
    pub fn set_link_config(&mut self, segment: SegmentId, config: LinkConfig) {
        self.segments[segment.0].config = config;
    }

    /// Installs a filter that sees (and may drop or rewrite) every frame entering `segment`.
    pub fn set_filter(&mut self, segment: SegmentId, filter: FrameFilter) {
        self.segments[segment.0].filter = Some(filter);
    }

    /// The current simulated time.
    #[must_use]
    pub const fn now(&self) -> Instant {
        self.now
    }

    /// What happened to frames so far.
    #[must_use]
    pub const fn counters(&self) -> NetworkCounters {
        self.counters
    }

    /// How many frames are still on their way.
    #[must_use]
    pub fn frames_in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// A host's node.
    #[must_use]
    pub fn node(&self, host: HostId) -> &N {
        &self.hosts[host.0].0
    }

    /// A host's node and bindings, for socket calls from the test. Frames the call
    /// transmits enter the network at the next [`FakeNetwork::step`].
    pub fn host_mut(&mut self, host: HostId) -> (&mut N, &mut FakeBindings) {
        let (node, bc) = &mut self.hosts[host.0];
        bc.set_now(self.now);
        (node, bc)
    }

    /// Runs `f` on a host's node and bindings at the current time, then sends whatever it
    /// transmitted into the network.
    pub fn with_host<R>(
        &mut self,
        host: HostId,
        f: impl FnOnce(&mut N, &mut FakeBindings) -> R,
    ) -> R {
        let (node, bc) = self.host_mut(host);
        let result = f(node, bc);
        self.collect(host);
        result
    }

    /// Puts `bytes` on the segment of (`from`, `device`) as if that host had sent it.
    pub fn inject(&mut self, from: HostId, device: DeviceId, bytes: Vec<u8>) {
        self.send(from, device, bytes);
    }

    /// When the next event (a frame arriving or a host's timer) is due.
    #[must_use]
    pub fn next_event(&self) -> Option<Instant> {
        let frame = self.in_flight.keys().next().map(|k| k.0);
        let timer = self
            .hosts
            .iter()
            .filter_map(|(n, _)| n.next_deadline())
            .min();
        match (frame, timer) {
            (Some(f), Some(t)) => Some(f.min(t)),
            (f, t) => f.or(t),
        }
    }

    /// Jumps the clock to the next event and handles everything due at that instant: frames
    /// first, in send order, then timers, host by host. Returns `false` when nothing is
    /// pending at all.
    pub fn step(&mut self) -> bool {
        for host in 0..self.hosts.len() {
            self.collect(HostId(host));
        }
        let Some(at) = self.next_event() else {
            return false;
        };
        // A deadline in the past (a host armed a timer for "now") fires at the current time.
        self.now = self.now.max(at);
        while let Some(entry) = self.in_flight.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let mut frame = entry.remove();
            self.counters.delivered += 1;
            let (node, bc) = &mut self.hosts[frame.to.0];
            bc.set_now(self.now);
            node.receive_frame(bc, frame.device, &mut frame.bytes);
            self.collect(frame.to);
        }
        for host in 0..self.hosts.len() {
            let (node, bc) = &mut self.hosts[host];
            if node.next_deadline().is_some_and(|d| d <= self.now) {
                bc.set_now(self.now);
                node.handle_timers(bc);
                self.collect(HostId(host));
            }
        }
        true
    }

    /// Steps until the clock would pass `deadline`, then sets it to `deadline`.
    pub fn run_until(&mut self, deadline: Instant) {
        while self.next_event().is_some_and(|at| at <= deadline) {
            self.step();
        }
        self.now = self.now.max(deadline);
        for host in 0..self.hosts.len() {
            self.collect(HostId(host));
        }
    }

    /// Steps for `d` of simulated time.
    pub fn run_for(&mut self, d: Duration) {
        self.run_until(self.now + d);
    }

    /// Steps until nothing is pending or `max_steps` steps were taken (a protocol that keeps
    /// a periodic timer is never idle). Returns the number of steps taken.
    pub fn run_until_idle(&mut self, max_steps: usize) -> usize {
        let mut steps = 0;
        while steps < max_steps && self.step() {
            steps += 1;
        }
        steps
    }

    /// Steps until `done` holds (checked after every step) or `limit` of simulated time
    /// passes. Returns whether `done` held.
    pub fn run_until_condition(
        &mut self,
        limit: Duration,
        mut done: impl FnMut(&mut Self) -> bool,
    ) -> bool {
        let end = self.now + limit;
        loop {
            if done(self) {
                return true;
            }
            match self.next_event() {
                Some(at) if at <= end => {
                    self.step();
                }
                _ => {
                    self.run_until(end);
                    return done(self);
                }
            }
        }
    }

    /// Moves what `host` transmitted into the network.
    fn collect(&mut self, host: HostId) {
        let sent = self.hosts[host.0].1.take_sent();
        for frame in sent {
            self.send(host, frame.device, frame.bytes);
        }
    }

    /// Applies the segment's filter and faults to one frame and schedules its copies.
    fn send(&mut self, from: HostId, device: DeviceId, mut bytes: Vec<u8>) {
        let Some(&seg_id) = self.attachment.get(&(from, device)) else {
            self.counters.unattached += 1;
            return;
        };
        self.counters.sent += 1;
        let segment = &mut self.segments[seg_id.0];
        if let Some(filter) = segment.filter.as_mut() {
            if !filter(from, device, &mut bytes) {
                self.counters.filtered += 1;
                return;
            }
        }
        let config = segment.config.clone();
        let receivers: Vec<_> = segment
            .ports
            .iter()
            .copied()
            .filter(|p| *p != (from, device))
            .collect();
        for (to, to_device) in receivers {
            // Every decision consumes its draws whatever the probabilities, so one seed
            // gives the same timeline when only a probability changes.
            let lost = self.rng.chance(config.loss);
            let copies = if self.rng.chance(config.duplicate) {
                2
            } else {
                1
            };
            if lost {
                self.counters.lost += 1;
                continue;
            }
            if copies == 2 {
                self.counters.duplicated += 1;
            }
            for _ in 0..copies {
                let mut copy = bytes.clone();
                let corrupt = self.rng.chance(config.corrupt);
                let position = self.rng.next_u64();
                if corrupt && !copy.is_empty() {
                    let i = (position % copy.len() as u64) as usize;
                    copy[i] ^= 1 << (position >> 61);
                    self.counters.corrupted += 1;
                }
                let jitter_ns = u64::try_from(config.jitter.as_nanos()).unwrap_or(u64::MAX);
                let mut delay = config.latency
                    + Duration::from_nanos(self.rng.below(jitter_ns.saturating_add(1)));
                if self.rng.chance(config.reorder) {
                    delay += config.reorder_delay;
                }
                let seq = self.next_seq;
                self.next_seq += 1;
                self.in_flight.insert(
                    (self.now + delay, seq),
                    InFlight {
                        to,
                        device: to_device,
                        bytes: copy,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{Clock, DeviceTx};
    use alloc::vec;

    /// Records what it receives; transmits `count` numbered frames when its timer fires.
    struct Sender {
        received: Vec<(Instant, Vec<u8>)>,
        to_send: u32,
        next_at: Option<Instant>,
    }

    impl Sender {
        fn quiet() -> Sender {
            Sender {
                received: Vec::new(),
                to_send: 0,
                next_at: None,
            }
        }
    }

    impl Node for Sender {
        fn receive_frame(&mut self, bc: &mut FakeBindings, _: DeviceId, frame: &mut [u8]) {
            self.received.push((bc.now(), frame.to_vec()));
        }
        fn handle_timers(&mut self, bc: &mut FakeBindings) {
            for i in 0..self.to_send {
                bc.transmit(DeviceId(0), &i.to_be_bytes());
            }
            self.to_send = 0;
            self.next_at = None;
        }
        fn next_deadline(&self) -> Option<Instant> {
            self.next_at
        }
    }

    fn pair(seed: u64, config: LinkConfig, count: u32) -> (FakeNetwork<Sender>, HostId, HostId) {
        let mut net = FakeNetwork::new(seed);
        let a = net.add_host(Sender {
            received: Vec::new(),
            to_send: count,
            next_at: Some(Instant::from_nanos(1_000)),
        });
        let b = net.add_host(Sender::quiet());
        net.connect(&[(a, DeviceId(0)), (b, DeviceId(0))], config);
        (net, a, b)
    }

    #[test]
    fn every_copy_is_delivered_or_counted_as_lost() {
        let config = LinkConfig {
            loss: 0.2,
            duplicate: 0.1,
            reorder: 0.3,
            reorder_delay: Duration::from_millis(3),
            jitter: Duration::from_millis(1),
            ..LinkConfig::default()
        };
        let (mut net, _, b) = pair(11, config, 500);
        net.run_until_idle(10_000);
        let c = net.counters();
        assert_eq!(c.sent, 500);
        assert_eq!(c.delivered + c.lost, c.sent + c.duplicated);
        assert_eq!(net.node(b).received.len() as u64, c.delivered);
        assert_eq!(net.frames_in_flight(), 0);
        assert!(c.lost > 50 && c.duplicated > 10, "{c:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_timeline() {
        let config = LinkConfig {
            loss: 0.3,
            jitter: Duration::from_millis(4),
            ..LinkConfig::default()
        };
        let run = |seed| {
            let (mut net, _, b) = pair(seed, config.clone(), 200);
            net.run_until_idle(10_000);
            net.node(b).received.clone()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn reordering_lets_later_frames_overtake() {
        let config = LinkConfig {
            reorder: 0.5,
            reorder_delay: Duration::from_millis(10),
            ..LinkConfig::ideal(Duration::from_millis(1))
        };
        let (mut net, _, b) = pair(3, config, 100);
        net.run_until_idle(10_000);
        let order: Vec<u32> = net
            .node(b)
            .received
            .iter()
            .map(|(_, bytes)| u32::from_be_bytes(bytes[..4].try_into().unwrap()))
            .collect();
        assert_eq!(order.len(), 100);
        assert!(
            order.windows(2).any(|w| w[0] > w[1]),
            "no frame was overtaken"
        );
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn the_clock_jumps_to_arrivals_and_latency_is_exact() {
        let (mut net, _, b) = pair(1, LinkConfig::ideal(Duration::from_millis(7)), 1);
        net.run_until_idle(10);
        assert_eq!(
            net.node(b).received[0].0,
            Instant::from_nanos(1_000 + 7_000_000)
        );
    }

    #[test]
    fn a_filter_can_drop_and_rewrite() {
        let (mut net, _, b) = pair(1, LinkConfig::default(), 4);
        let seg = SegmentId(0);
        net.set_filter(
            seg,
            Box::new(|_, _, bytes: &mut Vec<u8>| {
                bytes.push(0xee);
                bytes[3] != 2
            }),
        );
        net.run_until_idle(100);
        let got: Vec<_> = net
            .node(b)
            .received
            .iter()
            .map(|(_, f)| f.clone())
            .collect();
        assert_eq!(
            got,
            [
                vec![0, 0, 0, 0, 0xee],
                vec![0, 0, 0, 1, 0xee],
                vec![0, 0, 0, 3, 0xee]
            ]
        );
        assert_eq!(net.counters().filtered, 1);
    }

    #[test]
    fn a_hub_delivers_to_every_other_port() {
        let mut net = FakeNetwork::new(0);
        let a = net.add_host(Sender {
            received: Vec::new(),
            to_send: 1,
            next_at: Some(Instant::ZERO),
        });
        let b = net.add_host(Sender::quiet());
        let c = net.add_host(Sender::quiet());
        net.connect(
            &[(a, DeviceId(0)), (b, DeviceId(0)), (c, DeviceId(0))],
            LinkConfig::default(),
        );
        net.run_until_idle(10);
        assert!(net.node(a).received.is_empty());
        assert_eq!(net.node(b).received.len(), 1);
        assert_eq!(net.node(c).received.len(), 1);
    }

    #[test]
    fn corruption_flips_exactly_one_bit() {
        let config = LinkConfig {
            corrupt: 1.0,
            ..LinkConfig::default()
        };
        let (mut net, _, b) = pair(9, config, 50);
        net.run_until_idle(1_000);
        for (i, (_, got)) in net.node(b).received.iter().enumerate() {
            let sent = (i as u32).to_be_bytes();
            let flipped: u32 = got
                .iter()
                .zip(sent)
                .map(|(x, y)| (x ^ y).count_ones())
                .sum();
            assert_eq!(flipped, 1, "frame {i}");
        }
    }
}
