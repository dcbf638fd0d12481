//! Orderly ends on SIGTERM and SIGINT: the connections are reset (RST), so the peer's
//! sockets end at once instead of retransmitting into a dead interface for minutes.
//!
//! The signals are blocked in every thread (the mask is set before the stack's thread
//! starts, which inherits it) and taken synchronously by `sigwait(2)` on a thread of ours,
//! so the handler is ordinary code: it takes the stack's lock, aborts the connections, and
//! exits. SIGKILL cannot be caught; a peer then sees nothing, as with any process.

use nix::sys::signal::{SigSet, Signal};

/// The signals that end zcstack in an orderly way.
fn termination_signals() -> SigSet {
    let mut set = SigSet::empty();
    set.add(Signal::SIGTERM);
    set.add(Signal::SIGINT);
    set
}

/// Blocks SIGTERM and SIGINT in the calling thread and the threads it starts from now on.
/// Call first thing in `main`'s thread, before the stack starts.
///
/// # Errors
/// The mask could not be set (never on Linux for these signals).
pub fn block_termination() -> std::io::Result<()> {
    termination_signals()
        .thread_block()
        .map_err(std::io::Error::from)
}

/// Starts a thread that waits for SIGTERM or SIGINT, runs `on_signal`, and exits the
/// process with status 128 + the signal's number (as a shell reports a killed process).
///
/// ```no_run
/// zcstack::signals::block_termination()?;
/// zcstack::signals::on_termination(|signal| eprintln!("stopping on {signal}"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn on_termination(on_signal: impl FnOnce(&str) + Send + 'static) {
    std::thread::spawn(move || {
        if let Ok(signal) = termination_signals().wait() {
            on_signal(signal.as_str());
            std::process::exit(128 + signal as i32);
        }
    });
}
