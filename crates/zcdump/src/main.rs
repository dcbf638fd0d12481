//! The `zcdump` command; all logic lives in the library so tests can drive it.
#![forbid(unsafe_code)]

use std::io::{self, Write};
use std::os::fd::AsFd;
use std::process::ExitCode;

use clap::Parser;
use zcdump::cli::Args;

fn main() -> ExitCode {
    let args = Args::parse();
    // Write straight to the descriptor: the run loop already hands out 64 KiB blocks, and
    // std's line-buffered stdout would copy them once more.
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = match stdout.as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(stdout.lock()),
    };
    match zcdump::run::run(&args, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // If stderr is gone too there is nobody left to tell.
            let _ = writeln!(io::stderr(), "zcdump: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
