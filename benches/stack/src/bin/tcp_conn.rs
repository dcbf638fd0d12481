//! `tcp_conn <zerocast|smoltcp> <conns|rr|idle> <count>`: connections per second, 1-byte
//! request/response latency (p50/p99 of wall time per round trip) and heap bytes per idle
//! connection, for the two stacks joined in memory (see `tcp_conn.rs`). A counting global
//! allocator (here, never in the core) measures the heap: bytes live after opening `count`
//! idle connections minus before, per connection (both ends). `count_conn.sh` runs the
//! first two under callgrind at two counts for instructions per connection / round trip.
#![forbid(unsafe_code)]

use std::alloc::System;
use std::time::Instant;

use cap::Cap;
use zerocast_stack_bench::tcp_conn::{smol::SmolConns, ZcConns};

/// The system allocator, counting live bytes (the `cap` crate holds the `GlobalAlloc`
/// impl, so this binary stays free of unsafe code; no limit is set).
#[global_allocator]
static ALLOC: Cap<System> = Cap::new(System, usize::MAX);

/// Heap bytes live now.
fn live() -> usize {
    ALLOC.allocated()
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, who, what, count] = args.as_slice() else {
        eprintln!("usage: tcp_conn <zerocast|smoltcp> <conns|rr|idle> <count>");
        std::process::exit(2);
    };
    let n: usize = count.parse().expect("count");
    // smoltcp sockets get the buffers zerocast-stack's defaults name (128 KiB receive,
    // 256 KiB send), or 4 KiB each with `SMOL_SMALL=1`.
    let smol_buffers = if std::env::var_os("SMOL_SMALL").is_some() {
        (4096, 4096)
    } else {
        (128 * 1024, 256 * 1024)
    };
    match (who.as_str(), what.as_str()) {
        ("zerocast", "conns") => {
            let mut z = ZcConns::new();
            let t = Instant::now();
            for _ in 0..n {
                z.connection();
            }
            let s = t.elapsed().as_secs_f64();
            println!(
                "zerocast: {n} connections in {s:.3} s, {:.0}/s",
                n as f64 / s
            );
        }
        ("smoltcp", "conns") => {
            let mut m = SmolConns::new(smol_buffers);
            let t = Instant::now();
            for _ in 0..n {
                m.connection();
            }
            let s = t.elapsed().as_secs_f64();
            println!(
                "smoltcp: {n} connections in {s:.3} s, {:.0}/s",
                n as f64 / s
            );
        }
        (_, "rr") => {
            let mut times = Vec::with_capacity(n);
            if who == "zerocast" {
                let mut z = ZcConns::new();
                let (c, s) = z.open();
                for _ in 0..n {
                    let t = Instant::now();
                    z.round_trip(c, s);
                    times.push(t.elapsed().as_nanos() as u64);
                }
            } else {
                let mut m = SmolConns::new(smol_buffers);
                let (c, s) = m.open();
                for _ in 0..n {
                    let t = Instant::now();
                    m.round_trip(c, s);
                    times.push(t.elapsed().as_nanos() as u64);
                }
            }
            times.sort_unstable();
            println!(
                "{who}: {n} round trips, p50 {} ns, p99 {} ns, max {} ns",
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                times[n - 1]
            );
        }
        (_, "idle") => {
            let before;
            let after;
            if who == "zerocast" {
                let mut z = ZcConns::new();
                // One connection first, so tables exist before counting.
                let (c, s) = z.open();
                z.round_trip(c, s);
                before = live();
                let idle = z.idle(n);
                after = live();
                let with_data = {
                    for &(c, s) in &idle {
                        z.round_trip(c, s);
                    }
                    live()
                };
                println!(
                    "zerocast: {} bytes per idle connection (both ends); {} after one 1-byte exchange each",
                    (after - before) / n,
                    (with_data - before) / n
                );
            } else {
                let mut m = SmolConns::new(smol_buffers);
                let (c, s) = m.open();
                m.round_trip(c, s);
                before = live();
                let _idle = m.idle(n);
                after = live();
                println!(
                    "smoltcp: {} bytes per idle connection (both ends; socket {} bytes, buffers {:?} each end)",
                    (after - before) / n,
                    std::mem::size_of::<smoltcp::socket::tcp::Socket<'static>>(),
                    smol_buffers
                );
            }
        }
        _ => {
            eprintln!("unknown contender or measurement");
            std::process::exit(2);
        }
    }
}
