//! The packet-level testbench (tests/programs/testbench.py): raw frames injected at one end
//! of a link, replies checked field by field against the RFCs. Every scenario runs first
//! against Linux in a namespace on a veth pair (the oracle: a check that Linux fails is a
//! wrong check), then against zcstack on a TAP. The TCP scenarios (testbench_tcp.py) need
//! an echo on port 7 and a sink on port 80: socat on Linux, `--tcp-echo 7 --http 80` on
//! zcstack. The multicast scenarios (testbench_mcast.py) need source-specific joins:
//! ssm_join.py on Linux, `--join-source` on zcstack. Runs with `ZC_KERNEL_TESTS=1`; needs
//! root, /dev/net/tun, socat, ss, and scapy in `ZC_SCAPY_PYTHON` (default `python3`).

mod common;

use std::process::Command;

use common::{serve, spawn, suite_skip_reason, Guarded, Netns};

const DUT_MAC: &str = "02:00:00:00:96:02";

fn scapy_python() -> String {
    std::env::var("ZC_SCAPY_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether the bench can run; panics if it was asked for (ZC_KERNEL_TESTS=1) and scapy is
/// missing.
fn ready() -> bool {
    if suite_skip_reason(&["socat", "ss"]).is_some() {
        return false;
    }
    let python = scapy_python();
    let has_scapy = Command::new(&python)
        .args(["-c", "import scapy"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_scapy,
        "the testbench needs scapy in {python} (set ZC_SCAPY_PYTHON; scripts/setup.sh makes .ci/venv)"
    );
    true
}

/// Runs the bench's `suite` ("ip", "tcp" or "all") on `iface` in `ns` and returns its
/// report, failing with it if any scenario failed.
fn run_bench(ns: &Netns, iface: &str, suite: &str) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/testbench.py");
    let python = scapy_python();
    let suite = format!("--suite={suite}");
    let out = ns.try_exec(&[&python, script, iface, DUT_MAC, &suite]);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(out.status.success(), "testbench failed:\n{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
    report
}

/// The bench's side of a link: no IPv6 of its own, so the kernel adds no traffic.
fn quiet_bench_side(ns: &Netns) {
    for key in ["all", "default"] {
        ns.exec(&[
            "sysctl",
            "-qw",
            &format!("net.ipv6.conf.{key}.disable_ipv6=1"),
        ]);
    }
}

#[test]
fn testbench_scenarios_hold_for_linux_on_a_veth() {
    if !ready() {
        return;
    }
    let Some(bench) = Netns::new("tblinuxa") else {
        return;
    };
    let Some(dut) = Netns::new("tblinuxb") else {
        return;
    };
    quiet_bench_side(&bench);
    common::run(Command::new("ip").args([
        "link",
        "add",
        "zctb0",
        "netns",
        &bench.name,
        "type",
        "veth",
        "peer",
        "name",
        "zctb1",
        "netns",
        &dut.name,
    ]));
    bench.exec(&["ip", "link", "set", "zctb0", "up"]);
    dut.exec(&["ip", "link", "set", "zctb1", "address", DUT_MAC]);
    dut.exec(&["ip", "addr", "add", "10.96.0.2/24", "dev", "zctb1"]);
    dut.exec(&["ip", "addr", "add", "fd96::2/64", "dev", "zctb1", "nodad"]);
    // One wire segment per frame the bench sees: without this the veth hands the bench
    // GSO super-frames, and a check of segment sizes would be about offload, not TCP.
    dut.exec(&["ip", "link", "set", "zctb1", "gso_max_segs", "1"]);
    dut.exec(&["ip", "link", "set", "zctb1", "up"]);
    let _services = linux_tcp_services(&dut);
    let _joins = linux_source_joins(&dut);
    let report = run_bench(&bench, "zctb0", "all");
    assert!(report.contains("35 passed"), "{report}");
}

/// The source-specific joins the multicast scenarios expect (testbench_mcast.py), as a
/// Linux application makes them (MCAST_JOIN_SOURCE_GROUP, ssm_join.py).
fn linux_source_joins(ns: &Netns) -> Guarded {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/programs/ssm_join.py");
    let mut args = vec!["python3", script, "zctb1"];
    args.extend(SOURCE_JOINS);
    let mut joins = spawn(ns.command(&args), "ssm_join.py");
    joins.wait_for_stderr("ssm_join: joined", std::time::Duration::from_secs(10));
    joins
}

/// testbench_mcast.py's groups and sources, as ssm_join.py and `--join-source` take them.
const SOURCE_JOINS: [&str; 2] = [
    "232.96.0.1=10.96.0.51,10.96.0.52",
    "ff3e::9601=fd96::51,fd96::52",
];

/// The kernel's TCP services the TCP scenarios expect (testbench_tcp.py): an echo on port
/// 7 and a sink on port 80 (reads and discards), IPv4 and IPv6; waits until both listen.
fn linux_tcp_services(ns: &Netns) -> Vec<Guarded> {
    let echo = spawn(
        ns.command(&[
            "socat",
            "TCP6-LISTEN:7,fork,reuseaddr,ipv6only=0",
            "EXEC:cat",
        ]),
        "socat echo",
    );
    let sink = spawn(
        ns.command(&[
            "socat",
            "-u",
            "TCP6-LISTEN:80,fork,reuseaddr,ipv6only=0",
            "OPEN:/dev/null",
        ]),
        "socat sink",
    );
    for _ in 0..100 {
        let out = ns.try_exec(&["ss", "-Hltn"]);
        let listening = String::from_utf8_lossy(&out.stdout).into_owned();
        if listening.contains(":7 ") && listening.contains(":80 ") {
            return vec![echo, sink];
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("socat did not start listening on ports 7 and 80");
}

#[test]
fn testbench_scenarios_hold_for_zcstack_on_a_tap() {
    if !ready() {
        return;
    }
    let Some(ns) = Netns::new("tbzcstack") else {
        return;
    };
    quiet_bench_side(&ns);
    ns.exec(&["ip", "tuntap", "add", "dev", "zctb0", "mode", "tap"]);
    ns.exec(&["ip", "link", "set", "zctb0", "up"]);
    let _stack = serve(
        &ns,
        &[
            "--tap",
            "zctb0",
            "--mac",
            DUT_MAC,
            "--addr",
            "10.96.0.2/24",
            "--addr",
            "fd96::2/64",
            "--tcp-echo",
            "7",
            "--http",
            "80",
            "--join-source",
            SOURCE_JOINS[0],
            "--join-source",
            SOURCE_JOINS[1],
        ],
    );
    let report = run_bench(&ns, "zctb0", "all");
    assert!(report.contains("35 passed"), "{report}");
}
