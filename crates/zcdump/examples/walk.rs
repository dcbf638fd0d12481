//! The benchmark baseline: read every record of a capture and touch nothing else.
//!
//! usage: `cargo run --release -p zcdump --example walk -- FILE`
#![forbid(unsafe_code)]

use std::fs::File;
use std::process::ExitCode;

use zcdump::capture::CaptureReader;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: walk FILE");
        return ExitCode::from(2);
    };
    let file = File::open(&path).expect("capture opens");
    let mut reader = CaptureReader::open(file).expect("capture header");
    let (mut frames, mut bytes) = (0u64, 0u64);
    loop {
        match reader.next_packet() {
            Ok(Some(p)) => {
                frames += 1;
                bytes += p.data.len() as u64;
            }
            Ok(None) => break,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{frames} frames, {bytes} captured bytes");
    ExitCode::SUCCESS
}
