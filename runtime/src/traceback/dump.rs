//! Tracebacks written without allocating or locking, for `faulthandler`: from a
//! fatal-signal handler (SIGSEGV, SIGABRT, ...), a user signal (`faulthandler.
//! register`), the watchdog of `dump_traceback_later`, or `dump_traceback()`.
//!
//! Each thread running Python code *publishes* where its innermost frame pointer lives
//! (`Vm::frame`, which does not move while the thread runs) in a fixed table of atomic
//! slots, so a signal handler can find every thread's frames without a lock. The text is
//! CPython 3.11's (`Python/traceback.c`): `Current thread 0x... (most recent call
//! first):`, then `  File "name", line N in func` per frame, at most 100 frames and 100
//! threads, non-ASCII escaped as `\xNN`, `\uNNNN`, `\UNNNNNNNN`.
//!
//! Reading another thread's frames is only exact while that thread is stopped: the
//! watchdog and `dump_traceback(all_threads=True)` stop the world first. A signal
//! handler cannot; like CPython's, it reads the other threads' frames as they are (a
//! diagnostic of a process that is crashing or being inspected: it only reads, never
//! writes, and every pointer it follows is null-checked and bounded).
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};

use crate::object::PyObj;
use crate::types::code::CodeObj;
use crate::vm::Vm;
use stitch_stencils::frame::FrameHeader;

/// Threads whose frames can be dumped at once (CPython stops at 100 too).
const SLOTS: usize = 128;
/// Frames dumped per thread before `  ...`.
const MAX_FRAMES: usize = 100;
/// Threads dumped before `...`.
const MAX_THREADS: usize = 100;
/// Characters of a file or function name before `...`.
const MAX_STRING: usize = 500;

/// One published thread: its pthread id, where its innermost frame pointer lives, and
/// when it was published (newest threads are dumped first, as CPython lists them).
struct Slot {
    frame: AtomicPtr<*mut FrameHeader>,
    pthread: AtomicUsize,
    seq: AtomicU64,
    /// The thread's `Vm` and its `threading.get_ident()`, for `sys._current_frames`
    /// and `sys._current_exceptions` (read with the world stopped).
    vm: AtomicUsize,
    tid: AtomicU64,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    frame: AtomicPtr::new(std::ptr::null_mut()),
    pthread: AtomicUsize::new(0),
    seq: AtomicU64::new(0),
    vm: AtomicUsize::new(0),
    tid: AtomicU64::new(0),
};

/// Plain std atomics (not the sync shim): a signal handler reads them, and they carry no
/// protocol beyond "a non-null `frame` points at a live thread's frame slot".
static THREADS: [Slot; SLOTS] = [EMPTY; SLOTS];
static SEQ: AtomicU64 = AtomicU64::new(1);

fn pthread_self() -> usize {
    // SAFETY: always safe to call (and async-signal-safe on Linux).
    unsafe { libc::pthread_self() as usize }
}

/// A thread's frames stay published while this lives.
pub struct Published(Option<usize>);

impl Drop for Published {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            THREADS[i].pthread.store(0, Ordering::Release);
            THREADS[i].vm.store(0, Ordering::Release);
            THREADS[i]
                .frame
                .store(std::ptr::null_mut(), Ordering::Release);
        }
    }
}

/// Publish the calling thread's `Vm` (and so its innermost-frame slot `&vm.frame`),
/// which must stay at this address (not moved) until the guard is dropped. With every
/// slot taken the thread is simply not dumped.
pub fn publish(vm: *const Vm) -> Published {
    // The field's address, computed without reading through `vm`.
    let frame = vm
        .cast::<u8>()
        .wrapping_add(std::mem::offset_of!(Vm, frame))
        .cast::<*mut FrameHeader>();
    for (i, s) in THREADS.iter().enumerate() {
        if s.frame
            .compare_exchange(
                std::ptr::null_mut(),
                frame as *mut _,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            s.seq
                .store(SEQ.fetch_add(1, Ordering::Relaxed), Ordering::Relaxed);
            s.tid.store(crate::object::current_tid(), Ordering::Relaxed);
            s.vm.store(vm as usize, Ordering::Release);
            s.pthread.store(pthread_self(), Ordering::Release);
            return Published(Some(i));
        }
    }
    Published(None)
}

/// Every published thread's `threading.get_ident()` and `Vm` (allocates: not for
/// signal handlers). The `Vm`s may only be read while their threads are stopped.
pub fn published_vms() -> Vec<(u64, *const Vm)> {
    THREADS
        .iter()
        .filter_map(|s| {
            let vm = s.vm.load(Ordering::Acquire);
            (vm != 0 && !s.frame.load(Ordering::Acquire).is_null())
                .then(|| (s.tid.load(Ordering::Relaxed), vm as *const Vm))
        })
        .collect()
}

/// In the child of a fork: only the forking thread exists there.
pub fn after_fork_child() {
    let me = pthread_self();
    for s in THREADS.iter() {
        if s.pthread.load(Ordering::Acquire) != me {
            s.pthread.store(0, Ordering::Release);
            s.vm.store(0, Ordering::Release);
            s.frame.store(std::ptr::null_mut(), Ordering::Release);
        }
    }
}

/// Writes to a file descriptor through a small stack buffer (no allocation: usable in
/// a signal handler).
pub struct FdWriter {
    fd: i32,
    buf: [u8; 256],
    len: usize,
}

impl FdWriter {
    pub fn new(fd: i32) -> FdWriter {
        FdWriter {
            fd,
            buf: [0; 256],
            len: 0,
        }
    }

    pub fn bytes(&mut self, b: &[u8]) {
        for &c in b {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = c;
            self.len += 1;
        }
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// `n` in decimal.
    pub fn dec(&mut self, mut n: u64) {
        let mut d = [0u8; 20];
        let mut i = d.len();
        loop {
            i -= 1;
            d[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.bytes(&d[i..]);
    }

    /// `n` in lowercase hexadecimal, zero-padded to `width` digits.
    pub fn hex(&mut self, n: u64, width: usize) {
        let digits = (64 - n.leading_zeros() as usize)
            .div_ceil(4)
            .max(width)
            .clamp(1, 16);
        for k in (0..digits).rev() {
            let d = (n >> (4 * k)) & 15;
            self.bytes(&[b"0123456789abcdef"[d as usize]]);
        }
    }

    /// `s` with non-ASCII characters escaped and cut at `MAX_STRING` characters, as
    /// CPython's `_Py_DumpASCII`.
    fn ascii(&mut self, s: &str) {
        for (n, ch) in s.chars().enumerate() {
            if n == MAX_STRING {
                self.str("...");
                return;
            }
            let c = ch as u32;
            if (0x20..0x7f).contains(&c) || ch == '\t' || ch == '\n' || ch == '\r' {
                self.bytes(&[c as u8]);
            } else if c < 0x100 {
                self.str("\\x");
                self.hex(c as u64, 2);
            } else if c < 0x10000 {
                self.str("\\u");
                self.hex(c as u64, 4);
            } else {
                self.str("\\U");
                self.hex(c as u64, 8);
            }
        }
    }

    pub fn flush(&mut self) {
        let mut off = 0;
        while off < self.len {
            // SAFETY: writing initialised bytes of our own buffer.
            let n = unsafe {
                libc::write(
                    self.fd,
                    self.buf[off..].as_ptr() as *const libc::c_void,
                    self.len - off,
                )
            };
            if n <= 0 {
                if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                    continue;
                }
                break;
            }
            off += n as usize;
        }
        self.len = 0;
    }
}

impl Drop for FdWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

/// The frames from `top` outwards, one line each.
///
/// # Safety
/// `top` is null or the innermost frame of a thread that is this one or is stopped
/// (else the reads are racy, as in a signal handler: see the module doc).
unsafe fn frames(w: &mut FdWriter, top: *mut FrameHeader) {
    let mut f = top;
    if f.is_null() {
        w.str("  <no Python frame>\n");
        return;
    }
    let mut depth = 0;
    while !f.is_null() {
        if depth >= MAX_FRAMES {
            w.str("  ...\n");
            break;
        }
        // SAFETY: `f` is a frame of the chain (caller's contract); frames hold strong
        // references to their code objects.
        let (code, instr, prev) = unsafe {
            (
                std::ptr::read_volatile(std::ptr::addr_of!((*f).code)),
                std::ptr::read_volatile(std::ptr::addr_of!((*f).instr)),
                std::ptr::read_volatile(std::ptr::addr_of!((*f).previous)),
            )
        };
        w.str("  File \"");
        if code.is_ptr() && !code.as_ptr().is_null() {
            // SAFETY: a frame's code is a code object.
            let co = unsafe { &(*(code.as_ptr() as *const PyObj<CodeObj>)).payload };
            w.ascii(&co.filename);
            w.str("\", line ");
            let line = if instr == 0 {
                co.firstlineno
            } else {
                co.line_of(instr as usize - 1)
            };
            w.dec(line as u64);
            w.str(" in ");
            w.ascii(&co.name);
        } else {
            w.str("???\", line ??? in ???");
        }
        w.str("\n");
        f = prev;
        depth += 1;
    }
}

/// `Stack (most recent call first):` and the frames from `top` (CPython's
/// `_Py_DumpTraceback`).
///
/// # Safety
/// As [`frames`].
pub unsafe fn dump_stack(w: &mut FdWriter, top: *mut FrameHeader) {
    w.str("Stack (most recent call first):\n");
    // SAFETY: the caller's contract.
    unsafe { frames(w, top) };
}

/// Every published thread's frames, newest thread first; the calling thread's header
/// says `Current thread` when `mark_current` (CPython's `_Py_DumpTracebackThreads`).
///
/// # Safety
/// The other threads are stopped, or the caller accepts racy reads (signal handlers).
pub unsafe fn dump_threads(w: &mut FdWriter, mark_current: bool) {
    let me = pthread_self();
    let mut last = u64::MAX;
    let mut written = 0;
    loop {
        // The newest slot older than the last one dumped (no allocation: a scan per
        // thread; there are at most SLOTS).
        let mut best: Option<(u64, usize)> = None;
        for (i, s) in THREADS.iter().enumerate() {
            if s.frame.load(Ordering::Acquire).is_null() {
                continue;
            }
            let seq = s.seq.load(Ordering::Relaxed);
            if seq < last && best.is_none_or(|(b, _)| seq > b) {
                best = Some((seq, i));
            }
        }
        let Some((seq, i)) = best else { break };
        last = seq;
        let s = &THREADS[i];
        let slot = s.frame.load(Ordering::Acquire);
        if slot.is_null() {
            continue;
        }
        if written > 0 {
            w.str("\n");
        }
        if written >= MAX_THREADS {
            w.str("...\n");
            break;
        }
        let pthread = s.pthread.load(Ordering::Acquire);
        if mark_current && pthread == me {
            w.str("Current thread 0x");
        } else {
            w.str("Thread 0x");
        }
        w.hex(pthread as u64, 16);
        w.str(" (most recent call first):\n");
        // As CPython: the collector's flag is the interpreter's, shown for the current
        // thread.
        if mark_current && pthread == me && crate::gc::collect::running() {
            w.str("  Garbage-collecting\n");
        }
        // SAFETY: the slot points at a published thread's `Vm::frame` (the caller's
        // contract covers the frames themselves).
        let top = unsafe { std::ptr::read_volatile(slot) };
        // SAFETY: as above.
        unsafe { frames(w, top) };
        written += 1;
    }
}

/// The innermost frame of the calling thread, if it is published (for a signal
/// handler, which has no `Vm` at hand).
pub fn current_top() -> Option<*mut FrameHeader> {
    let me = pthread_self();
    for s in THREADS.iter() {
        let slot = s.frame.load(Ordering::Acquire);
        if !slot.is_null() && s.pthread.load(Ordering::Acquire) == me {
            // SAFETY: our own thread's published frame slot.
            return Some(unsafe { std::ptr::read_volatile(slot) });
        }
    }
    None
}
