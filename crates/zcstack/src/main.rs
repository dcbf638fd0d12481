//! zcstack: zerocast-stack on a Linux TAP/TUN device.
//!
//! Exit status: 0 when a client mode succeeded (serve runs until killed), 1 when the stack
//! cannot start, stops on an error, or a client mode failed (the message says why), 2 for a
//! usage error (bad address syntax, bad URL, ...).
#![forbid(unsafe_code)]

use clap::Parser;
use zcstack::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => zcstack::serve::run(&args),
        Command::Fetch(args) => zcstack::client::fetch(&args),
        Command::Send(args) => zcstack::client::send(&args),
        Command::Relay(args) => zcstack::relay::run(&args),
    };
    if let Err(e) = result {
        eprintln!("zcstack: {e}");
        std::process::exit(e.exit_status());
    }
}
