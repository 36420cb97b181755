//! Process-wide settings made once at start, and undone for programs stitch executes.
//!
//! **Transparent huge pages off.** mimalloc asks the kernel for transparent huge pages
//! (`madvise(MADV_HUGEPAGE)` on its arenas), so the first touch of each 2 MiB region
//! faults in and zeroes a whole huge page. For an interpreter that starts often and
//! touches its heap sparsely this doubled peak memory and start-up time (measured with
//! farm-bench, `-c "import asyncio"`: 42 MiB peak and 0.17 s CPU with huge pages, 24 MiB
//! and 0.10 s without). CPython never uses them either. `prctl(PR_SET_THP_DISABLE)` is
//! checked by the kernel at fault time, so it also covers the arenas mimalloc reserved
//! before `main`. The flag is inherited across `fork` and `exec`, so a child about to
//! run another program clears it first ([`before_exec`]): programs stitch starts keep
//! the kernel's default.

/// At start, before the heap grows.
pub fn init() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// In a child between `fork` and `exec` (async-signal-safe: one system call), or right
/// before `os.exec*`: the program to run gets the kernel's default back.
pub fn before_exec() {
    #[cfg(target_os = "linux")]
    // SAFETY: as in `init`.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
    }
}

/// Set in the child of `os.fork`: the launcher thread that waits for the
/// interpreter's thread (and turns its result into the exit status) does not exist
/// there, so the interpreter's thread exits the process itself.
static FORKED_CHILD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// This process is the child of an `os.fork`.
pub fn mark_forked_child() {
    FORKED_CHILD.store(true, std::sync::atomic::Ordering::SeqCst);
}

pub fn is_forked_child() -> bool {
    FORKED_CHILD.load(std::sync::atomic::Ordering::SeqCst)
}

/// Set when the program ended with an uncaught `KeyboardInterrupt`.
static ENDED_BY_INTERRUPT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The program ends with an uncaught `KeyboardInterrupt` (its traceback printed).
pub fn ended_by_interrupt() {
    ENDED_BY_INTERRUPT.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// At the very end: a program killed by an uncaught `KeyboardInterrupt` dies of SIGINT
/// as CPython's does, so its parent (a shell: status 130) sees how it ended. Returns if
/// that was not how it ended (or the signal did not kill it).
pub fn exit_as_interrupted() {
    if !ENDED_BY_INTERRUPT.load(std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    // SAFETY: plain libc calls on a zeroed signal set; SIGINT gets its default action
    // and is unblocked on this thread, so raising it ends the process.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(libc::SIGINT);
    }
}
