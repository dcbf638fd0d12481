use criterion::{black_box, criterion_group, criterion_main, Criterion};
use zerocast_stack_bench::{frames, smol::SmolHost, zc::ZcHost};

fn echo(c: &mut Criterion) {
    let arp = frames::arp_request();
    let icmp = frames::icmp_echo_request(56);
    let udp = frames::udp_request(64);
    let mut g = c.benchmark_group("icmp_echo_56");
    let mut zc = ZcHost::new(&arp);
    g.bench_function("zerocast-stack", |b| b.iter(|| black_box(zc.icmp_echo(black_box(&icmp)))));
    let mut smol = SmolHost::new(&arp);
    g.bench_function("smoltcp", |b| b.iter(|| black_box(smol.icmp_echo(black_box(&icmp)))));
    g.finish();
    let mut g = c.benchmark_group("udp_echo_64");
    let mut zc = ZcHost::new(&arp);
    g.bench_function("zerocast-stack", |b| b.iter(|| black_box(zc.udp_echo(black_box(&udp)))));
    let mut smol = SmolHost::new(&arp);
    g.bench_function("smoltcp", |b| b.iter(|| black_box(smol.udp_echo(black_box(&udp)))));
    g.finish();
}

criterion_group!(benches, echo);
criterion_main!(benches);
