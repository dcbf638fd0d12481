//! The relay's signals: SIGUSR1 prints the flow summary; SIGTERM and SIGINT reset every
//! relayed TCP connection (so the clients' sockets end at once), print the summary and
//! exit. The signals are blocked in every thread and taken by `sigwait(2)` on a thread of
//! ours, so the handling is ordinary code (as in [`crate::signals`]).

use nix::sys::signal::{SigSet, Signal};

fn relay_signals() -> SigSet {
    let mut set = SigSet::empty();
    set.add(Signal::SIGTERM);
    set.add(Signal::SIGINT);
    set.add(Signal::SIGUSR1);
    set
}

/// Blocks the relay's signals in the calling thread and the threads it starts from now on.
///
/// # Errors
/// The mask could not be set (never on Linux for these signals).
pub fn block() -> std::io::Result<()> {
    relay_signals().thread_block().map_err(std::io::Error::from)
}

/// Starts the thread that takes the signals: `on_usr1` for each SIGUSR1; `on_stop` for
/// SIGTERM or SIGINT, after which the process exits with 128 + the signal's number.
pub fn handle(on_usr1: impl Fn() + Send + 'static, on_stop: impl FnOnce(&str) + Send + 'static) {
    std::thread::spawn(move || loop {
        let Ok(signal) = relay_signals().wait() else {
            return;
        };
        if signal == Signal::SIGUSR1 {
            on_usr1();
            continue;
        }
        on_stop(signal.as_str());
        std::process::exit(128 + signal as i32);
    });
}
