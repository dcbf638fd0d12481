//! [`WakerTable`]: the tasks waiting on each socket, woken from the core's `socket_ready`.
//!
//! A socket call that would block stores its task's waker under the socket and the
//! direction it waits for; the core's readiness event for that socket takes and wakes it.
//! Both happen under the stack's lock, so an event can never fall between a failed call and
//! the registration (no lost wake-up), and a waker is woken at most once per registration
//! (no wake-up storms). An error wakes both directions: either call will now return it.

use std::collections::HashMap;
use std::task::Waker;

use zerocast_stack::context::{Readiness, SocketId};

/// Which way a task waits on a socket.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Interest {
    /// Data, a connection to accept, end of stream or an error.
    Read,
    /// Room to send, a connection established, or an error.
    Write,
}

/// The wakers of one socket.
#[derive(Debug, Default)]
struct Waiters {
    read: Option<Waker>,
    write: Option<Waker>,
}

/// Wakers by socket and direction.
#[derive(Debug, Default)]
pub struct WakerTable {
    sockets: HashMap<SocketId, Waiters>,
}

impl WakerTable {
    /// Stores `waker` as the one waiting on `socket` for `interest` (replacing an older one:
    /// one task waits per direction, as with tokio's own sockets).
    pub fn register(&mut self, socket: SocketId, interest: Interest, waker: &Waker) {
        let waiters = self.sockets.entry(socket).or_default();
        let slot = match interest {
            Interest::Read => &mut waiters.read,
            Interest::Write => &mut waiters.write,
        };
        if !slot.as_ref().is_some_and(|w| w.will_wake(waker)) {
            *slot = Some(waker.clone());
        }
    }

    /// Wakes what `readiness` unblocks on `socket`: readers when readable, writers when
    /// writable, both on an error. Returns how many wakers were woken.
    pub fn wake(&mut self, socket: SocketId, readiness: Readiness) -> usize {
        let Some(waiters) = self.sockets.get_mut(&socket) else {
            return 0;
        };
        let mut woken = 0;
        if readiness.readable || readiness.error {
            if let Some(w) = waiters.read.take() {
                w.wake();
                woken += 1;
            }
        }
        if readiness.writable || readiness.error {
            if let Some(w) = waiters.write.take() {
                w.wake();
                woken += 1;
            }
        }
        if waiters.read.is_none() && waiters.write.is_none() {
            self.sockets.remove(&socket);
        }
        woken
    }

    /// Forgets a closed socket's wakers, waking them so no task waits on an id the core may
    /// hand out again.
    pub fn forget(&mut self, socket: SocketId) {
        if let Some(waiters) = self.sockets.remove(&socket) {
            waiters
                .read
                .into_iter()
                .chain(waiters.write)
                .for_each(Waker::wake);
        }
    }

    /// Sockets with at least one waiting task.
    #[must_use]
    pub fn waiting_sockets(&self) -> usize {
        self.sockets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting() -> (Arc<Count>, Waker) {
        let c = Arc::new(Count(AtomicUsize::new(0)));
        (Arc::clone(&c), Waker::from(c))
    }

    /// Socket ids come from the core; a stack hands out 0, 1, ... for its first sockets.
    fn two_sockets() -> (SocketId, SocketId) {
        let mut stack = zerocast_stack::Stack::new(zerocast_stack::StackConfig::default());
        (stack.udp_open().unwrap(), stack.udp_open().unwrap())
    }

    const READABLE: Readiness = Readiness {
        readable: true,
        writable: false,
        error: false,
    };
    const WRITABLE: Readiness = Readiness {
        readable: false,
        writable: true,
        error: false,
    };
    const ERROR: Readiness = Readiness {
        readable: false,
        writable: false,
        error: true,
    };

    #[test]
    fn readable_wakes_the_reader_only_and_once() {
        let (s, _) = two_sockets();
        let (reads, reader) = counting();
        let (writes, writer) = counting();
        let mut table = WakerTable::default();
        table.register(s, Interest::Read, &reader);
        table.register(s, Interest::Write, &writer);
        assert_eq!(table.wake(s, READABLE), 1);
        assert_eq!(table.wake(s, READABLE), 0, "taken by the first event");
        assert_eq!(reads.0.load(Ordering::SeqCst), 1);
        assert_eq!(writes.0.load(Ordering::SeqCst), 0);
        assert_eq!(table.wake(s, WRITABLE), 1);
        assert_eq!(writes.0.load(Ordering::SeqCst), 1);
        assert_eq!(table.waiting_sockets(), 0, "an emptied entry is removed");
    }

    #[test]
    fn an_error_wakes_both_directions() {
        let (s, _) = two_sockets();
        let (reads, reader) = counting();
        let (writes, writer) = counting();
        let mut table = WakerTable::default();
        table.register(s, Interest::Read, &reader);
        table.register(s, Interest::Write, &writer);
        assert_eq!(table.wake(s, ERROR), 2);
        assert_eq!(reads.0.load(Ordering::SeqCst), 1);
        assert_eq!(writes.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn events_for_other_sockets_wake_nothing() {
        let (s, other) = two_sockets();
        let (reads, reader) = counting();
        let mut table = WakerTable::default();
        table.register(s, Interest::Read, &reader);
        assert_eq!(table.wake(other, READABLE), 0);
        assert_eq!(reads.0.load(Ordering::SeqCst), 0);
        table.forget(s);
        assert_eq!(reads.0.load(Ordering::SeqCst), 1, "forget wakes the waiter");
        assert_eq!(table.waiting_sockets(), 0);
    }

    #[test]
    fn a_newer_waker_replaces_the_older() {
        let (s, _) = two_sockets();
        let (first, w1) = counting();
        let (second, w2) = counting();
        let mut table = WakerTable::default();
        table.register(s, Interest::Read, &w1);
        table.register(s, Interest::Read, &w2);
        table.wake(s, READABLE);
        assert_eq!(first.0.load(Ordering::SeqCst), 0);
        assert_eq!(second.0.load(Ordering::SeqCst), 1);
    }
}
