//! A function's code object, replaceable (`f.__code__ = other`; networkx's `argmap`
//! swaps a function's code on its first call).
//!
//! Readers never lock: the code is read by every call (tier 1's exact calls, trace
//! guards, frame pushes), so it is a plain field, written only while no other thread
//! runs Python code (the world stopped, as `set_class` swaps an object's type). No
//! thread is then between a trace's callee guard and the frame push it protects, and a
//! trace that inlined code it did not guard learns of the change before the world
//! restarts (`tier2::watch::code_assigned`).
//!
//! Frames borrow their code from their function (the frame holds the function), and
//! `FuncObj::code` lends `&CodeObj` for as long as the function is borrowed, so a
//! replaced code object must outlive both: the slot keeps every code it ever held
//! until the function dies (a function's code is replaced rarely, usually once).
use std::cell::UnsafeCell;

use crate::object::ObjCell;
use crate::value::Value;

pub struct CodeSlot {
    /// The current code object (a strong reference).
    current: UnsafeCell<Value>,
    /// Codes this function had before (strong references), kept for borrowers.
    retired: ObjCell<Vec<Value>>,
}

// SAFETY: `current` is written only by `replace`, while every other thread is parked
// at a safe point or detached (touching no object), so no read races the write; all
// other access is shared reads of a `Value`, which is `Sync`.
unsafe impl Sync for CodeSlot {}
// SAFETY: the slot owns `Value`s, which are `Send`.
unsafe impl Send for CodeSlot {}

impl CodeSlot {
    pub fn new(code: Value) -> CodeSlot {
        CodeSlot {
            current: UnsafeCell::new(code),
            retired: ObjCell::new(Vec::new()),
        }
    }

    /// The current code object, borrowed.
    #[inline(always)]
    pub fn get(&self) -> &Value {
        // SAFETY: see `Sync`: no write runs while another thread can read; the value a
        // borrower holds stays alive in `retired` after a replacement.
        unsafe { &*self.current.get() }
    }

    /// Make `code` the current code; the old one is kept alive with the function.
    pub fn replace(&self, code: Value) {
        let swap = || {
            // SAFETY: the world is stopped (or only this thread runs Python code), so
            // no other thread reads `current` now; borrowers of the old value on this
            // thread keep it through `retired`.
            let old = unsafe { std::mem::replace(&mut *self.current.get(), code) };
            self.retired.with(|r| r.push(old));
            crate::tier2::watch::code_assigned();
        };
        crate::thread_state::stop_the_world(swap)
    }

    /// Drop the codes kept for borrowers (teardown: no borrower is left).
    pub fn drop_retired(&self) {
        drop(self.retired.with(std::mem::take));
    }

    /// Every code object held (current first), for the collector's traversal.
    pub fn for_each(&self, mut f: impl FnMut(&Value)) {
        f(self.get());
        self.retired.read(|r| r.iter().for_each(f));
    }
}
