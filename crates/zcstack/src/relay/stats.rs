//! What the relay has done: counters for the summary, and the table of live flows it
//! prints on SIGUSR1 and on exit.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A flow's protocol.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Proto {
    /// A TCP connection.
    Tcp,
    /// A UDP flow (one source and destination pair).
    Udp,
}

/// One live flow: who talks to whom, since when, how many bytes each way.
#[derive(Debug)]
pub struct Flow {
    /// TCP or UDP.
    pub proto: Proto,
    /// The client (on the TUN).
    pub client: SocketAddr,
    /// The original destination.
    pub dest: SocketAddr,
    /// When the relay took it.
    pub started: Instant,
    /// Bytes from the client to the destination.
    pub up: AtomicU64,
    /// Bytes from the destination to the client.
    pub down: AtomicU64,
}

/// Counters of everything the relay did (all flows, ended ones included).
#[derive(Debug, Default)]
pub struct Counters {
    /// TCP connections accepted from the TUN.
    pub tcp_accepted: AtomicU64,
    /// TCP connections relayed to their end (both directions closed).
    pub tcp_completed: AtomicU64,
    /// Outgoing connections refused (the client got a RST).
    pub tcp_refused: AtomicU64,
    /// Outgoing connections that timed out or found no route (the client got a RST).
    pub tcp_unreachable: AtomicU64,
    /// Connections reset by either side mid-relay.
    pub tcp_reset: AtomicU64,
    /// Connections ended by the idle timeout.
    pub tcp_idle: AtomicU64,
    /// Connections refused because the connection limit was reached.
    pub tcp_over_limit: AtomicU64,
    /// UDP flows opened.
    pub udp_flows: AtomicU64,
    /// UDP flows ended by the idle timeout.
    pub udp_expired: AtomicU64,
    /// UDP datagrams relayed client to destination.
    pub udp_up: AtomicU64,
    /// UDP datagrams relayed destination to client.
    pub udp_down: AtomicU64,
    /// UDP datagrams that could not be relayed (no socket, send error, proxy refusal).
    pub udp_dropped: AtomicU64,
    /// Payload bytes client to destination (TCP and UDP).
    pub bytes_up: AtomicU64,
    /// Payload bytes destination to client (TCP and UDP).
    pub bytes_down: AtomicU64,
    /// Frames read on one shard's queue and handed to the shard that owns their flow.
    pub steered: AtomicU64,
    /// Frames for another shard dropped because its queue was full.
    pub steer_dropped: AtomicU64,
}

/// The counters and the live flows, shared by every task.
#[derive(Debug, Default)]
pub struct Stats {
    /// The counters.
    pub counters: Counters,
    flows: Mutex<BTreeMap<u64, Arc<Flow>>>,
    next_id: AtomicU64,
    /// Flows (TCP connections and UDP flows) each shard took, by shard index; empty with
    /// one shard.
    shard_flows: Vec<AtomicU64>,
}

/// A live flow's entry; dropping it removes the flow from the table.
#[derive(Debug)]
pub struct FlowGuard {
    stats: Arc<Stats>,
    id: u64,
    /// The flow, whose byte counts the relay updates.
    pub flow: Arc<Flow>,
}

impl FlowGuard {
    /// Counts `n` bytes from the client to the destination.
    pub fn add_up(&self, n: usize) {
        let n = n as u64;
        self.flow.up.fetch_add(n, Ordering::Relaxed);
        self.stats.counters.bytes_up.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts `n` bytes from the destination to the client.
    pub fn add_down(&self, n: usize) {
        let n = n as u64;
        self.flow.down.fetch_add(n, Ordering::Relaxed);
        self.stats
            .counters
            .bytes_down
            .fetch_add(n, Ordering::Relaxed);
    }
}

impl Drop for FlowGuard {
    fn drop(&mut self) {
        self.stats.lock_flows().remove(&self.id);
    }
}

impl Stats {
    /// Stats of a relay with `shards` shards (with more than one, the summary has a line of
    /// flows per shard and steered frames).
    ///
    /// ```
    /// use zcstack::relay::stats::Stats;
    /// let stats = Stats::with_shards(2);
    /// stats.count_shard_flow(1);
    /// assert!(stats.summary().contains("shards: 0: 0 flows, 1: 1 flows; steered 0 frames"));
    /// assert!(!Stats::with_shards(1).summary().contains("shards"));
    /// ```
    #[must_use]
    pub fn with_shards(shards: usize) -> Stats {
        Stats {
            shard_flows: if shards > 1 {
                (0..shards).map(|_| AtomicU64::new(0)).collect()
            } else {
                Vec::new()
            },
            ..Stats::default()
        }
    }

    /// Counts a flow taken by `shard`.
    pub fn count_shard_flow(&self, shard: usize) {
        if let Some(count) = self.shard_flows.get(shard) {
            count.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn lock_flows(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Flow>>> {
        self.flows.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a live flow; it stays in the table while the guard lives.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use zcstack::relay::stats::{Proto, Stats};
    /// let stats = Arc::new(Stats::default());
    /// let flow = stats.open(Proto::Udp, "10.0.0.1:5000".parse().unwrap(), "192.0.2.1:53".parse().unwrap());
    /// flow.add_up(40);
    /// assert_eq!(stats.live(), 1);
    /// assert!(stats.summary().contains("udp 10.0.0.1:5000 -> 192.0.2.1:53 up 40 B"));
    /// drop(flow);
    /// assert_eq!(stats.live(), 0);
    /// ```
    pub fn open(
        self: &Arc<Stats>,
        proto: Proto,
        client: SocketAddr,
        dest: SocketAddr,
    ) -> FlowGuard {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let flow = Arc::new(Flow {
            proto,
            client,
            dest,
            started: Instant::now(),
            up: AtomicU64::new(0),
            down: AtomicU64::new(0),
        });
        self.lock_flows().insert(id, Arc::clone(&flow));
        FlowGuard {
            stats: Arc::clone(self),
            id,
            flow,
        }
    }

    /// How many flows are live.
    #[must_use]
    pub fn live(&self) -> usize {
        self.lock_flows().len()
    }

    /// The summary: the counters, then one line per live flow (at most 100, then a count).
    #[must_use]
    pub fn summary(&self) -> String {
        let c = &self.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = format!(
            "tcp: {} accepted, {} completed, {} refused, {} unreachable, {} reset, {} idle, \
             {} over limit; udp: {} flows, {} expired, {} datagrams up, {} down, {} dropped; \
             bytes: {} up, {} down; live flows: {}\n",
            get(&c.tcp_accepted),
            get(&c.tcp_completed),
            get(&c.tcp_refused),
            get(&c.tcp_unreachable),
            get(&c.tcp_reset),
            get(&c.tcp_idle),
            get(&c.tcp_over_limit),
            get(&c.udp_flows),
            get(&c.udp_expired),
            get(&c.udp_up),
            get(&c.udp_down),
            get(&c.udp_dropped),
            get(&c.bytes_up),
            get(&c.bytes_down),
            self.live(),
        );
        if !self.shard_flows.is_empty() {
            let per_shard: Vec<String> = self
                .shard_flows
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{i}: {} flows", get(n)))
                .collect();
            let _ = writeln!(
                out,
                "shards: {}; steered {} frames, {} dropped",
                per_shard.join(", "),
                get(&c.steered),
                get(&c.steer_dropped)
            );
        }
        let flows = self.lock_flows();
        for flow in flows.values().take(100) {
            let proto = match flow.proto {
                Proto::Tcp => "tcp",
                Proto::Udp => "udp",
            };
            let _ = writeln!(
                out,
                "  {proto} {} -> {} up {} B down {} B for {:.1} s",
                flow.client,
                flow.dest,
                get(&flow.up),
                get(&flow.down),
                flow.started.elapsed().as_secs_f64()
            );
        }
        if flows.len() > 100 {
            let _ = writeln!(out, "  ... and {} more", flows.len() - 100);
        }
        out
    }
}
