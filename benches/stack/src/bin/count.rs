//! `count <zerocast|smoltcp> <icmp|udp> <iterations>`: runs one contender's echo path
//! `iterations` times, for `count.sh` to measure with callgrind (instructions per packet =
//! the difference between two iteration counts, divided by their difference, so setup cost
//! cancels out).
use std::hint::black_box;
use zerocast_stack_bench::{frames, smol::SmolHost, zc::ZcHost};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (who, what, n) = match args.as_slice() {
        [_, who, what, n] => (who.as_str(), what.as_str(), n.parse::<usize>().expect("iterations")),
        _ => {
            eprintln!("usage: count <zerocast|smoltcp> <icmp|udp> <iterations>");
            std::process::exit(2);
        }
    };
    let arp = frames::arp_request();
    let request = if what == "icmp" { frames::icmp_echo_request(56) } else { frames::udp_request(64) };
    let mut total = 0usize;
    match (who, what) {
        ("zerocast", "icmp") => {
            let mut h = ZcHost::new(&arp);
            (0..n).for_each(|_| total += h.icmp_echo(black_box(&request)));
        }
        ("zerocast", "udp") => {
            let mut h = ZcHost::new(&arp);
            (0..n).for_each(|_| total += h.udp_echo(black_box(&request)));
        }
        ("smoltcp", "icmp") => {
            let mut h = SmolHost::new(&arp);
            (0..n).for_each(|_| total += h.icmp_echo(black_box(&request)));
        }
        ("smoltcp", "udp") => {
            let mut h = SmolHost::new(&arp);
            (0..n).for_each(|_| total += h.udp_echo(black_box(&request)));
        }
        _ => {
            eprintln!("unknown contender or path");
            std::process::exit(2);
        }
    }
    assert_eq!(total, n * request.len(), "every request got a full-length reply");
}
