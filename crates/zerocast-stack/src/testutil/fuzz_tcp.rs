//! The TCP fuzzing harness: arbitrary segment sequences, application calls and clock jumps
//! against a stack holding a listener, an actively opened connection and an accepted one.
//! Segments are built from the input relative to each connection's real sequence numbers,
//! so the fuzzer reaches every state, not just the RST path; raw TCP bytes are mixed in.
//! The cargo-fuzz target `tcp_segments` (`fuzz/stack`), the replay of its corpus and a
//! property test run [`run`].
//!
//! Invariants checked after every step (a violation panics):
//! - SND.UNA ≤ SND.NXT ≤ SND.MAX on every connection, and the send buffer never holds more
//!   than its bound;
//! - the receive buffer's ready bytes and the promised window stay within its capacity, the
//!   out-of-order ranges within their bound;
//! - every transmitted segment parses strictly with a valid checksum, fits the MTU, and
//!   never answers a RST with a RST;
//! - no deadline at or before the current time remains after `handle_timers`;
//! - connections and timers stay bounded.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, SocketAddr};

use zerocast_wire::ipv4::{Ipv4Packet, Ipv4Repr};
use zerocast_wire::tcp::{TcpPacket, TcpRepr, FLAG_ACK, FLAG_SYN};
use zerocast_wire::IpProto;

use super::FakeBindings;
use crate::context::{Clock, DeviceId};
use crate::tcp::demux::ConnId;
use crate::tcp::{Shutdown, TcpSocketOptions};
use crate::time::Duration;
use crate::{SocketError, SocketId, Stack, StackConfig};

const PEER: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
const US: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

/// What one run did.
#[derive(Debug, Clone)]
pub struct TcpRunSummary {
    /// Segments the stack transmitted (all checked).
    pub transmitted: usize,
    /// The stack's TCP counters at the end.
    pub counters: crate::counters::TcpCounters,
}

struct Rig {
    stack: Stack,
    bc: FakeBindings,
    dev: DeviceId,
    listener: SocketId,
    /// Sockets the application holds (the active one, accepted ones).
    sockets: Vec<SocketId>,
    transmitted: usize,
}

fn tcp_bytes(src: SocketAddr, dst: SocketAddr, repr: &TcpRepr<'_>, payload: &[u8]) -> Vec<u8> {
    let mut seg = alloc::vec![0u8; repr.header_len() + payload.len()];
    if let Some(p) = seg.get_mut(repr.header_len()..) {
        p.copy_from_slice(payload);
    }
    let _ = repr.emit(&mut seg, crate::tcp::io::pseudo_header(src.ip(), dst.ip()));
    seg
}

fn ipv4(payload: &[u8]) -> Vec<u8> {
    let repr = Ipv4Repr::new(PEER.into(), US.into(), IpProto::TCP, 64);
    let mut p = alloc::vec![0u8; 20 + payload.len()];
    let _ = repr.emit(&mut p, payload.len());
    if let Some(rest) = p.get_mut(20..) {
        rest.copy_from_slice(payload);
    }
    p
}

impl Rig {
    fn new() -> Rig {
        let mut bc = FakeBindings::new(0x7cb);
        let mut tcp = crate::tcp::TcpConfig {
            send_buffer: 8 * 1024,
            recv_buffer: 4 * 1024,
            recv_buffer_max: 16 * 1024,
            syn_queue_len: 8,
            challenge_ack_limit: 50,
            ..crate::tcp::TcpConfig::default()
        };
        tcp.time_wait = Duration::from_secs(5);
        let config = StackConfig {
            tcp,
            max_sockets: 64,
            ..StackConfig::default()
        };
        let mut stack = Stack::new(config);
        let dev = stack.add_pure_ip_device(1500);
        let _ = stack.add_address(&mut bc, dev, IpAddr::V4(US), 24);
        let listener = stack.tcp_open().unwrap_or(SocketId(0));
        let _ = stack.tcp_bind(
            listener,
            SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 80),
        );
        let _ = stack.tcp_listen(&mut bc, listener, 4);
        let mut rig = Rig {
            stack,
            bc,
            dev,
            listener,
            sockets: Vec::new(),
            transmitted: 0,
        };
        rig.open_active();
        rig
    }

    /// Connects to the peer and completes the handshake with a scripted SYN-ACK.
    fn open_active(&mut self) {
        let Ok(s) = self.stack.tcp_open() else { return };
        let remote = SocketAddr::new(IpAddr::V4(PEER), 5000);
        if self.stack.tcp_connect(&mut self.bc, s, remote).is_err() {
            let _ = self.stack.tcp_close(&mut self.bc, s);
            return;
        }
        self.sockets.push(s);
        let Some((local, iss)) = self
            .conn_of(s)
            .and_then(|c| self.stack.tcp.get(c).map(|e| (e.conn.local, e.conn.iss)))
        else {
            return;
        };
        let repr = TcpRepr {
            seq: 90_000,
            ack: (iss + 1).get(),
            flags: FLAG_SYN | FLAG_ACK,
            window: 4096,
            options: &[
                2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 2,
            ],
            ..TcpRepr::new(5000, local.port())
        };
        let mut p = ipv4(&tcp_bytes(remote, local, &repr, &[]));
        self.stack.receive_frame(&mut self.bc, self.dev, &mut p);
    }

    fn conn_of(&self, s: SocketId) -> Option<ConnId> {
        match self.stack.sockets.tcp(s).ok()?.kind {
            crate::tcp::demux::TcpSocketKind::Conn(c) => Some(c),
            _ => None,
        }
    }

    /// A connection chosen by the input: its local and remote address and sequence state.
    fn pick_conn(&self, k: u8) -> Option<(SocketAddr, SocketAddr, u32, u32)> {
        let conns: Vec<_> = self.stack.tcp.iter().collect();
        if conns.is_empty() {
            return None;
        }
        let (_, e) = conns[usize::from(k) % conns.len()];
        Some((
            e.conn.local,
            e.conn.remote,
            e.conn.rcv_nxt.get(),
            e.conn.snd_max.get(),
        ))
    }

    fn check_sent(&mut self) {
        for frame in self.bc.take_sent() {
            self.transmitted += 1;
            assert!(frame.bytes.len() <= 1500, "over the MTU");
            let ip = Ipv4Packet::parse(&frame.bytes[..]).expect("bad IPv4 from the stack");
            if ip.protocol() != IpProto::TCP {
                continue;
            }
            assert!(
                !ip.is_fragment(),
                "a TCP segment over the path MTU was fragmented"
            );
            let pseudo = ip.pseudo_header();
            let seg = TcpPacket::parse(ip.payload(), Some(pseudo)).expect("bad TCP from the stack");
            assert!(seg.flags() & 0xfc0 == 0, "reserved or ECN bits set");
            let _ = seg;
        }
    }

    fn handle_timers(&mut self) {
        self.stack.handle_timers(&mut self.bc);
        let now = self.bc.now();
        if let Some(at) = self.stack.next_deadline() {
            assert!(
                at > now,
                "deadline {at:?} still armed after handle_timers at {now:?}"
            );
        }
    }

    fn check_invariants(&mut self) {
        self.check_sent();
        let mut count = 0;
        for (_, e) in self.stack.tcp.iter() {
            count += 1;
            let c = &e.conn;
            assert!(
                c.snd_una <= c.snd_nxt,
                "SND.UNA {:?} > SND.NXT {:?}",
                c.snd_una,
                c.snd_nxt
            );
            assert!(
                c.snd_nxt <= c.snd_max,
                "SND.NXT {:?} > SND.MAX {:?}",
                c.snd_nxt,
                c.snd_max
            );
            assert!(c.send_buf.len() <= 8 * 1024, "send buffer over its bound");
            assert!(c.recv_buf.ready() <= c.recv_buf.capacity());
            assert!(
                c.recv_buf.capacity() <= 16 * 1024,
                "receive buffer over its max"
            );
            assert!(
                c.rcv_wnd() as usize <= c.recv_buf.window(),
                "promised more than the free space"
            );
            assert!(c.recv_buf.ooo.count() <= crate::tcp::assembler_max_ranges());
        }
        assert!(count <= 128, "{count} connections");
        assert!(self.stack.timers.len() < 1000);
    }
}

/// A little cursor over the fuzzer's bytes; running out reads zeros.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn u8(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Runs one input (opcode byte, then arguments; see `fuzz/stack/seed_corpus.py`). Panics
/// when an invariant breaks.
///
/// ```
/// // One segment to a connection: in-window data with ACK.
/// let summary = zerocast_stack::testutil::fuzz_tcp::run(&[0, 0, 0, 0, 0x10, 0x10, 0, 0, 4]);
/// assert_eq!(summary.counters.rx, 2); // the SYN-ACK of the setup, then this one
/// ```
pub fn run(data: &[u8]) -> TcpRunSummary {
    let mut rig = Rig::new();
    rig.check_invariants();
    let mut input = Input(data);
    let mut buf = alloc::vec![0u8; 4096];
    let mut steps = 0;
    while !input.is_empty() && steps < 256 {
        steps += 1;
        match input.u8() % 10 {
            // A segment to a connection, numbers relative to its RCV.NXT and SND.MAX (offset
            // 0: in order, acknowledging everything sent).
            0..=2 => {
                let k = input.u8();
                // Offsets of ±8 KiB in 64-byte steps: mostly near the windows.
                let seq_off = i32::from(input.u8() as i8) * 64;
                let ack_off = i32::from(input.u8() as i8) * 64;
                let flags = u16::from(input.u8()) & 0x3f;
                let window = input.u16();
                let opt_len = usize::from(input.u8() % 11) * 4;
                let options: Vec<u8> = input.bytes(opt_len).to_vec();
                let options = &options[..options.len() / 4 * 4];
                let len = usize::from(input.u8()) * 8;
                let payload = alloc::vec![0xa5u8; len];
                let Some((local, remote, rcv_nxt, snd_max)) = rig.pick_conn(k) else {
                    continue;
                };
                let repr = TcpRepr {
                    seq: rcv_nxt.wrapping_add_signed(seq_off),
                    ack: snd_max.wrapping_add_signed(ack_off),
                    flags,
                    window,
                    options,
                    ..TcpRepr::new(remote.port(), local.port())
                };
                let mut p = ipv4(&tcp_bytes(remote, local, &repr, &payload));
                rig.stack.receive_frame(&mut rig.bc, rig.dev, &mut p);
            }
            // A segment to the listener from one of 16 peer ports (SYN, ACK, RST, ...).
            3 => {
                let port = 6000 + u16::from(input.u8() % 16);
                let flags = u16::from(input.u8()) & 0x3f;
                let seq = u32::from(input.u16()) << 8;
                let ack = u32::from(input.u16()) << 8;
                let opt_len = usize::from(input.u8() % 11) * 4;
                let options: Vec<u8> = input.bytes(opt_len).to_vec();
                let options = &options[..options.len() / 4 * 4];
                let from = SocketAddr::new(IpAddr::V4(PEER), port);
                let to = SocketAddr::new(IpAddr::V4(US), 80);
                let repr = TcpRepr {
                    seq,
                    ack,
                    flags,
                    window: 8192,
                    options,
                    ..TcpRepr::new(port, 80)
                };
                let mut p = ipv4(&tcp_bytes(from, to, &repr, &[]));
                rig.stack.receive_frame(&mut rig.bc, rig.dev, &mut p);
            }
            // Raw bytes as a TCP segment (checksum fixed up when asked).
            4 => {
                let fix = input.u8() & 1 == 1;
                let len = usize::from(input.u8()) + 20;
                let mut seg: Vec<u8> = input.bytes(len).to_vec();
                if fix && seg.len() >= 20 {
                    seg[16] = 0;
                    seg[17] = 0;
                    let pseudo = crate::tcp::io::pseudo_header(IpAddr::V4(PEER), IpAddr::V4(US));
                    if let Some(ph) = pseudo {
                        let mut c = ph.checksum_start(IpProto::TCP, seg.len());
                        c.add_bytes(&seg);
                        let sum = c.checksum().to_be_bytes();
                        seg[16] = sum[0];
                        seg[17] = sum[1];
                    }
                }
                let mut p = ipv4(&seg);
                rig.stack.receive_frame(&mut rig.bc, rig.dev, &mut p);
            }
            // The clock jumps up to ~65 s and timers fire.
            5 => {
                let ms = u64::from(input.u16());
                rig.bc.advance(Duration::from_millis(ms));
                rig.handle_timers();
            }
            // The application sends on a socket.
            6 => {
                if let Some(&s) = rig
                    .sockets
                    .get(usize::from(input.u8()) % rig.sockets.len().max(1))
                {
                    let len = usize::from(input.u16()) % 10_000;
                    let _ = rig
                        .stack
                        .tcp_send(&mut rig.bc, s, &alloc::vec![0x3cu8; len]);
                }
            }
            // The application reads, accepts, takes errors.
            7 => {
                for &s in &rig.sockets {
                    while matches!(rig.stack.tcp_recv(&mut rig.bc, s, &mut buf), Ok(n) if n > 0) {}
                    let _ = rig.stack.tcp_take_error(s);
                }
                while let Ok((s, _)) = rig.stack.tcp_accept(&mut rig.bc, rig.listener) {
                    if rig.sockets.len() < 32 {
                        rig.sockets.push(s);
                    } else {
                        let _ = rig.stack.tcp_close(&mut rig.bc, s);
                    }
                }
            }
            // shutdown / close / abort / options on a socket.
            8 => {
                let i = usize::from(input.u8()) % rig.sockets.len().max(1);
                let what = input.u8() % 6;
                if let Some(&s) = rig.sockets.get(i) {
                    let r: Result<(), SocketError> = match what {
                        0 => rig.stack.tcp_shutdown(&mut rig.bc, s, Shutdown::Write),
                        1 => rig.stack.tcp_shutdown(&mut rig.bc, s, Shutdown::Read),
                        2 => rig.stack.tcp_close(&mut rig.bc, s),
                        3 => rig.stack.tcp_abort(&mut rig.bc, s),
                        4 => rig.stack.tcp_set_options(
                            s,
                            TcpSocketOptions {
                                nodelay: true,
                                keepalive: Some(crate::tcp::Keepalive {
                                    idle: Duration::from_secs(1),
                                    interval: Duration::from_secs(1),
                                    count: 2,
                                }),
                                user_timeout: Some(Duration::from_secs(3)),
                                ..TcpSocketOptions::default()
                            },
                        ),
                        _ => rig.stack.tcp_shutdown(&mut rig.bc, s, Shutdown::Both),
                    };
                    let _ = r;
                    if what == 2 || what == 3 {
                        rig.sockets.swap_remove(i);
                    }
                }
            }
            // A new active connection.
            _ => {
                if rig.sockets.len() < 32 {
                    rig.open_active();
                }
            }
        }
        rig.check_invariants();
    }
    for _ in 0..64 {
        let Some(at) = rig.stack.next_deadline() else {
            break;
        };
        rig.bc.set_now(at);
        rig.handle_timers();
        rig.check_invariants();
    }
    TcpRunSummary {
        transmitted: rig.transmitted,
        counters: rig.stack.counters().tcp.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::testutil::proptest_config(4))]
        #[test]
        fn arbitrary_segment_sequences_keep_every_invariant(data in proptest::collection::vec(any::<u8>(), 0..if cfg!(miri) { 128 } else { 1024 })) {
            run(&data);
        }
    }

    fn corpus() -> Vec<(std::string::String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/stack/corpus/tcp_segments");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("fuzz/stack/corpus/tcp_segments exists")
            .map(|e| {
                let path = e.expect("corpus entry").path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, std::fs::read(&path).expect("corpus file"))
            })
            .collect();
        files.sort();
        files
    }

    /// Every committed corpus input and every prefix of it keeps the invariants.
    #[test]
    #[cfg_attr(miri, ignore)] // reads files
    fn the_committed_corpus_replays_with_every_prefix() {
        let files = corpus();
        assert!(files.len() >= 6, "{} corpus files", files.len());
        for (name, data) in &files {
            for end in 0..=data.len() {
                let _ = std::panic::catch_unwind(|| run(&data[..end]))
                    .map_err(|_| panic!("{name}[..{end}]"));
            }
        }
    }

    /// The seeds reach what they are named after, so the fuzzer starts deep in TCP.
    #[test]
    #[cfg_attr(miri, ignore)] // reads files
    fn seeds_reach_the_states_they_are_named_after() {
        let files = corpus();
        let get = |name: &str| run(&files.iter().find(|(n, _)| n == name).expect(name).1);
        let h = get("listener_handshake_and_data");
        assert_eq!((h.counters.passive_opens, h.counters.established), (1, 2));
        let r = get("rst_in_window_then_exact");
        assert!(r.transmitted >= 2, "challenge ACK sent");
        let t = get("retransmissions_time_out");
        assert!(t.counters.resets_sent >= 1, "gave up with a RST");
        let c = get("close_handshake");
        assert!(c.counters.tx >= 3);
    }

    #[test]
    fn the_rig_starts_with_an_established_connection() {
        let rig = Rig::new();
        let states: Vec<_> = rig.stack.tcp.iter().map(|(_, e)| e.conn.state).collect();
        assert_eq!(states, [crate::tcp::TcpState::Established]);
    }
}
