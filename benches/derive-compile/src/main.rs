//! Measures zerocast-derive against zerocopy-derive on the same inputs:
//!
//! 1. expansion size: lines of `-Zunpretty=expanded` output (nightly) for a
//!    plain struct, a generic struct, a slice DST and a 3-variant enum with
//!    data, minus the lines of the same file without derives;
//! 2. cold build time of a crate with 200 derived types (50 of each shape):
//!    the whole build from an empty target dir (dependencies included), and
//!    the user crate alone (rebuilt after touching it). CPU time (user +
//!    system of every process) is the figure to compare on a shared
//!    machine; wall time is printed too. The two contenders alternate run
//!    by run.
//!
//! Run: `cargo run --release` in this directory (needs `cargo +nightly`).
//! It writes scratch crates under `target/scratch/` and prints a table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One crate under test: how to depend on it and what to import.
struct Subject {
    name: &'static str,
    dependency: String,
    prelude: &'static str,
}

/// The four shapes, as (label, item) with `{N}` replaced by a number.
const SHAPES: [(&str, &str); 4] = [
    (
        "plain struct",
        "#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]\n#[repr(C)]\npub struct Plain{N} {\n    pub kind: u8,\n    pub flags: u8,\n    pub len: [u8; 2],\n    pub id: [u8; 4],\n}\n",
    ),
    (
        "generic struct",
        "#[derive(KnownLayout, Immutable, FromBytes, IntoBytes)]\n#[repr(C)]\npub struct Generic{N}<T> {\n    pub first: T,\n    pub rest: [T; 3],\n}\n",
    ),
    (
        "slice DST",
        "#[derive(KnownLayout, Immutable, FromBytes, IntoBytes, Unaligned)]\n#[repr(C)]\npub struct Dst{N} {\n    pub kind: u8,\n    pub len: [u8; 3],\n    pub body: [u8],\n}\n",
    ),
    (
        "3-variant enum with data",
        "#[derive(KnownLayout, Immutable, TryFromBytes)]\n#[repr(u8)]\npub enum Enum{N} {\n    A(u8, bool),\n    B(u16),\n    C { x: u32, y: char },\n}\n",
    ),
];

fn subjects(repo: &Path) -> Vec<Subject> {
    let zerocast = repo.join("crates/zerocast");
    vec![
        Subject {
            name: "zerocast",
            dependency: format!(
                "zerocast = {{ path = {:?}, features = [\"derive\"] }}",
                zerocast.display().to_string()
            ),
            prelude: "use zerocast::*;",
        },
        Subject {
            name: "zerocopy",
            dependency: "zerocopy = { version = \"=0.8.64\", features = [\"derive\"] }".to_string(),
            prelude: "use zerocopy::*;",
        },
    ]
}

fn write_crate(dir: &Path, subject: &Subject, body: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("scratch dir");
    let manifest = format!(
        "[package]\nname = \"user-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{}\n\n[workspace]\n",
        subject.name, subject.dependency
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    let src = format!(
        "#![allow(dead_code, unused_imports)]\n{}\n{}",
        subject.prelude, body
    );
    std::fs::write(dir.join("src/lib.rs"), src).expect("lib.rs");
}

/// Lines of the expanded crate (nightly `-Zunpretty=expanded`).
fn expanded_lines(dir: &Path) -> usize {
    let out = Command::new("cargo")
        .args([
            "+nightly",
            "rustc",
            "--quiet",
            "--lib",
            "--",
            "-Zunpretty=expanded",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("cargo +nightly rustc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// CPU seconds (user + system) used so far by this process's waited-for
/// children and their descendants (`cutime` + `cstime` of /proc/self/stat):
/// cargo waits for every rustc it starts, so a build's whole CPU time lands
/// here. CPU time, unlike wall time, barely moves when other builds share
/// the machine.
fn children_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the `(comm)` one, which may contain spaces.
    let rest = &stat[stat.rfind(')').expect("comm field") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `cutime` and `cstime` are fields 16 and 17 of the line (1-based), i.e.
    // 13 and 14 after `pid (comm)`, in clock ticks (100 per second on Linux).
    let ticks: u64 = fields[13].parse::<u64>().expect("cutime")
        + fields[14].parse::<u64>().expect("cstime");
    ticks as f64 / 100.0
}

/// One build: (wall seconds, CPU seconds).
fn build_seconds(dir: &Path, clean: bool) -> (f64, f64) {
    let target = dir.join("target");
    if clean {
        let _ = std::fs::remove_dir_all(&target);
    } else {
        // Touch the user crate so only it is rebuilt.
        let lib = dir.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).expect("read lib.rs");
        std::fs::write(&lib, text).expect("touch lib.rs");
    }
    let cpu_before = children_cpu_seconds();
    let start = Instant::now();
    let status = Command::new("cargo")
        .args(["build", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo build");
    assert!(status.success());
    (
        start.elapsed().as_secs_f64(),
        children_cpu_seconds() - cpu_before,
    )
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let repo = here.join("../..").canonicalize().expect("repo root");
    let scratch = here.join("target/scratch");
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);

    let part = std::env::var("PART").unwrap_or_default();
    if part != "build" {
        println!("## Expansion size (non-empty lines of -Zunpretty=expanded, minus the input)\n");
        println!("| input | zerocast | zerocopy | ratio |");
        println!("|---|---:|---:|---:|");
        for (label, item) in SHAPES {
            let mut lines = Vec::new();
            for subject in subjects(&repo) {
                let dir = scratch.join(format!("expand-{}", subject.name));
                write_crate(&dir, &subject, &item.replace("{N}", "0"));
                let with = expanded_lines(&dir);
                write_crate(
                    &dir,
                    &subject,
                    &item
                        .replace("{N}", "0")
                        .lines()
                        .filter(|l| !l.starts_with("#[derive"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                let without = expanded_lines(&dir);
                lines.push(with - without);
            }
            println!(
                "| {label} | {} | {} | {:.2} |",
                lines[0],
                lines[1],
                lines[0] as f64 / lines[1] as f64
            );
        }
    }
    if part == "expand" {
        return;
    }
    let body: String = (0..50)
        .flat_map(|n| {
            SHAPES
                .iter()
                .map(move |(_, item)| item.replace("{N}", &n.to_string()))
        })
        .collect();
    println!(
        "\n## Build time of a crate with 200 derived types (median of {runs} interleaved runs; CPU = user + system seconds of all processes)\n"
    );
    println!("| build | zerocast | zerocopy | ratio |");
    println!("|---|---:|---:|---:|");
    let subjects = subjects(&repo);
    let dirs: Vec<PathBuf> = subjects
        .iter()
        .map(|subject| {
            let dir = scratch.join(format!("build-{}", subject.name));
            write_crate(&dir, subject, &body);
            dir
        })
        .collect();
    // [subject][kind] where kind is cold wall, cold CPU, user wall, user CPU.
    let mut samples = vec![vec![Vec::new(); 4]; subjects.len()];
    // Contenders alternate run by run, so a slow phase of the shared
    // machine hits both alike.
    for _ in 0..runs {
        for (i, dir) in dirs.iter().enumerate() {
            let (wall, cpu) = build_seconds(dir, true);
            samples[i][0].push(wall);
            samples[i][1].push(cpu);
        }
        for (i, dir) in dirs.iter().enumerate() {
            let (wall, cpu) = build_seconds(dir, false);
            samples[i][2].push(wall);
            samples[i][3].push(cpu);
        }
    }
    let rows = [
        "cold, CPU (deps + user crate)",
        "cold, wall",
        "user crate only, CPU",
        "user crate only, wall",
    ];
    for (row, kind) in rows.iter().zip([1, 0, 3, 2]) {
        let zc = median(samples[0][kind].clone());
        let zcopy = median(samples[1][kind].clone());
        println!("| {row} | {zc:.2} | {zcopy:.2} | {:.2} |", zc / zcopy);
    }
}
