//! How the kernel spreads a multi-queue TUN's traffic over its queues (tun-rs
//! `DeviceBuilder::multi_queue(true)`: `IFF_MULTI_QUEUE`; `SyncDevice::try_clone` attaches
//! another queue). Issue 13's multi-core design reads each queue on its own shard, so it
//! needs to know: does every packet of one flow arrive on one queue, and do different flows
//! use different queues? Here 64 UDP flows from the namespace answer both.
//!
//! The kernel (tun.c's automatic queue selection) picks the queue from its own symmetric
//! flow hash (`__skb_get_hash_symmetric`, keyed by a boot-time random seed, scaled to the
//! queue count) and remembers the queue a flow's packets were last written on. Userspace
//! cannot compute that hash, so a shard owns the flows the kernel hands its queue, and the
//! Toeplitz hash of `rss.rs` serves traffic entering from the other side (host sockets) and
//! software steering.
//!
//! Runs with `ZC_KERNEL_TESTS=1` (root, /dev/net/tun, `ip`, `python3`); reads are bounded by
//! a 5 s deadline.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tun_rs::{DeviceBuilder, Layer, SyncDevice};

mod support;

use support::Namespace;

/// The UDP source port of an IPv4/UDP packet to 10.94.0.2:9, if it is one.
fn flow_of(packet: &[u8]) -> Option<u16> {
    if packet.len() < 28 || packet[0] != 0x45 || packet[9] != 17 || packet[16..20] != [10, 94, 0, 2]
    {
        return None;
    }
    (packet[22..24] == [0, 9]).then(|| u16::from_be_bytes([packet[20], packet[21]]))
}

#[test]
fn each_flow_keeps_one_queue_and_flows_spread_over_queues() {
    if support::skip(&["ip", "python3"]) {
        return;
    }
    let tag = std::process::id() % 100_000;
    let ifname = format!("zcq{tag}");
    let ns = Namespace::new(format!("zcmq-{tag}"));
    let first = DeviceBuilder::new()
        .name(&ifname)
        .layer(Layer::L3)
        .mtu(1500)
        .multi_queue(true)
        .build_sync()
        .expect("open a multi-queue TUN");
    let second = first.try_clone().expect("attach a second queue");
    let queues: [&SyncDevice; 2] = [&first, &second];
    for q in queues {
        q.set_nonblocking(true).unwrap();
    }
    ns.take_interface(&ifname, &["10.94.0.1/24"]);
    // 64 flows (source ports 41000..41063), 4 datagrams each, interleaved.
    let script = "import socket\n\
                  socks=[]\n\
                  for p in range(41000,41064):\n    s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('10.94.0.1',p)); socks.append(s)\n\
                  for r in range(4):\n    for s in socks: s.sendto(b'x',('10.94.0.2',9))\n";
    let status = ns
        .command(&["timeout", "10", "python3", "-c", script])
        .stdin(Stdio::null())
        .status()
        .expect("run the senders");
    assert!(status.success());
    let mut queue_of: HashMap<u16, usize> = HashMap::new();
    let mut per_queue = [0usize; 2];
    let mut total = 0;
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 2048];
    while total < 256 && Instant::now() < deadline {
        let mut idle = true;
        for (index, q) in queues.iter().enumerate() {
            match q.recv(&mut buf) {
                Ok(n) => {
                    idle = false;
                    if let Some(port) = flow_of(&buf[..n]) {
                        total += 1;
                        per_queue[index] += 1;
                        let seen = *queue_of.entry(port).or_insert(index);
                        assert_eq!(seen, index, "flow {port} moved between queues");
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("read queue {index}: {e}"),
            }
        }
        if idle {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    eprintln!(
        "{total} datagrams of {} flows: queue 0 got {}, queue 1 got {}",
        queue_of.len(),
        per_queue[0],
        per_queue[1]
    );
    assert_eq!(total, 256, "every datagram read");
    assert_eq!(queue_of.len(), 64);
    assert!(
        per_queue.iter().all(|&n| n >= 256 / 8),
        "both queues used: {per_queue:?}"
    );
}
