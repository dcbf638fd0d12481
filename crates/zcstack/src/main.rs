//! zcstack: zerocast-stack on a Linux TAP/TUN device.
//!
//! Exit status: 0 never (serve runs until killed), 1 when the stack cannot start or stops
//! on an error (the message says why), 2 for a usage error (bad address syntax, ...).
#![forbid(unsafe_code)]

use clap::Parser;
use zcstack::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => zcstack::serve::run(&args),
    };
    if let Err(e) = result {
        eprintln!("zcstack: {e}");
        std::process::exit(e.exit_status());
    }
}
