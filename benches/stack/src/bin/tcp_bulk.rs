//! `tcp_bulk <zerocast|smoltcp> <cubic|reno> <mebibytes>`: one bulk transfer between two
//! stacks joined in memory (see `tcp_bulk.rs`), printing bytes, frames, rounds, wall time and
//! Gbit/s on this one core. `count_tcp.sh` runs it under callgrind at two sizes for
//! instructions per byte.
use std::time::Instant;
use zerocast_stack::tcp::CongestionAlgorithm;
use zerocast_stack_bench::tcp_bulk::{smol::SmolPair, ZcPair};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (who, alg, mib) = match args.as_slice() {
        [_, who, alg, mib] => (
            who.as_str(),
            alg.as_str(),
            mib.parse::<u64>().expect("mebibytes"),
        ),
        _ => {
            eprintln!("usage: tcp_bulk <zerocast|smoltcp> <cubic|reno> <mebibytes>");
            std::process::exit(2);
        }
    };
    let bytes = mib << 20;
    zerocast_stack_bench::tcp_bulk::CHECK_EVERY.store(4096, std::sync::atomic::Ordering::Relaxed);
    let cubic = alg == "cubic";
    let (start, read, frames, rounds) = match who {
        "zerocast" => {
            let mut p = ZcPair::new(if cubic {
                CongestionAlgorithm::Cubic
            } else {
                CongestionAlgorithm::NewReno
            });
            let start = Instant::now();
            let rounds = p.transfer(bytes);
            (start, p.read, p.frames, rounds)
        }
        "smoltcp" => {
            use smoltcp::socket::tcp::CongestionControl;
            let mut p = SmolPair::new(if cubic {
                CongestionControl::Cubic
            } else {
                CongestionControl::Reno
            });
            let start = Instant::now();
            let rounds = p.transfer(bytes);
            (start, p.read, p.frames, rounds)
        }
        _ => {
            eprintln!("unknown contender");
            std::process::exit(2);
        }
    };
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{who} {alg}: {read} bytes, {frames} frames, {rounds} rounds, {secs:.3} s, {:.2} Gbit/s",
        read as f64 * 8.0 / secs / 1e9
    );
}
