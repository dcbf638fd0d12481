//! `goodput [seeds] [mebibytes]`: the goodput-versus-loss table on zerocast-stack's
//! FakeNetwork (see `goodput.rs`): zerocast CUBIC / NewReno and smoltcp CUBIC / Reno, one
//! flow, 0, 1, 5 and 10 % loss each way, 10, 50 and 200 ms RTT, mean over the seeds, in
//! Mbit/s of simulated time. A run that does not finish within an hour of simulated time
//! shows as "stall".
use zerocast_stack::tcp::CongestionAlgorithm;
use zerocast_stack::time::Duration;
use zerocast_stack_bench::goodput::{transfer, Contender};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seeds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3);
    let mib: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(4);
    let who = [
        Contender::Zerocast(CongestionAlgorithm::Cubic),
        Contender::Zerocast(CongestionAlgorithm::NewReno),
        Contender::Smoltcp { cubic: true },
        Contender::Smoltcp { cubic: false },
    ];
    println!("{mib} MiB per transfer, mean of {seeds} seeds, Mbit/s of simulated time\n");
    print!("| RTT | loss |");
    for w in who {
        print!(" {} |", w.name());
    }
    println!();
    println!("|---|---|{}", "---:|".repeat(who.len()));
    for rtt_ms in [10u64, 50, 200] {
        for loss in [0.0, 0.01, 0.05, 0.10] {
            print!("| {rtt_ms} ms | {:.0} % |", loss * 100.0);
            for w in who {
                let mut sum = 0.0;
                let mut stalled = false;
                for seed in 0..seeds {
                    match transfer(
                        w,
                        Duration::from_millis(rtt_ms / 2),
                        loss,
                        mib << 20,
                        seed + 1,
                        Duration::from_secs(3600),
                    ) {
                        Some(g) => sum += g.mbit_s(),
                        None => stalled = true,
                    }
                }
                if stalled {
                    print!(" stall |");
                } else {
                    print!(" {:.2} |", sum / seeds as f64);
                }
            }
            println!();
        }
    }
}
