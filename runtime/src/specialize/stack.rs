//! `Stack`: the cursor on a frame's value stack that the instruction bodies shared by
//! tier 1 and tier 2 (`shared.rs`) run against. Tier 1 makes one from its frame's
//! localsplus and stack index, a trace's helper from its stack pointer; both read the
//! new top back afterwards, so the body is the one place the instruction's stack
//! discipline is written.
//!
//! Invariant: every slot below `top` down to the instruction's inputs holds an owned
//! value, except the inputs a trace borrowed (`borrowed`: bit k for input k, 0 the
//! top as the instruction found it), whose references belong to a local: a body
//! releases an input only through `release`, which leaves borrowed ones alone.
use crate::value::Value;

pub struct Stack {
    top: *mut Value,
    borrowed: u64,
}

impl Stack {
    /// A cursor whose top slot is just below `top`.
    ///
    /// # Safety
    /// The slots the body reads are live stack slots of one frame (owned, but for the
    /// `borrowed` inputs), and the ones it pushes are within the frame's capacity.
    #[inline(always)]
    pub unsafe fn new(top: *mut Value, borrowed: u64) -> Stack {
        Stack { top, borrowed }
    }

    /// One past the top slot.
    #[inline(always)]
    pub fn top(&self) -> *mut Value {
        self.top
    }

    /// The `n`-th slot from the top (1: the top).
    #[inline(always)]
    pub fn at(&self, n: usize) -> *mut Value {
        // SAFETY: the constructor's contract: the slot is in the frame's stack.
        unsafe { self.top.sub(n) }
    }

    /// Borrow the `n`-th value from the top (1: the top).
    #[inline(always)]
    pub fn peek(&self, n: usize) -> &Value {
        // SAFETY: the constructor's contract: a live slot.
        unsafe { &*self.at(n) }
    }

    /// Move the `n`-th value out of its slot (the slot is dead until `put` or a pop
    /// over it).
    #[inline(always)]
    pub fn take(&self, n: usize) -> Value {
        // SAFETY: the constructor's contract: a live slot, moved out once.
        unsafe { self.at(n).read() }
    }

    /// Move `v` into the `n`-th slot, whose value was taken.
    #[inline(always)]
    pub fn put(&mut self, n: usize, v: Value) {
        // SAFETY: the slot is in the stack and its value was taken.
        unsafe { self.at(n).write(v) }
    }

    /// Replace the `n`-th value, returning the old one.
    #[inline(always)]
    pub fn replace(&mut self, n: usize, v: Value) -> Value {
        // SAFETY: the constructor's contract: a live slot.
        unsafe { std::ptr::replace(self.at(n), v) }
    }

    /// Forget the top `n` slots (their values were taken or need no release).
    #[inline(always)]
    pub fn shrink(&mut self, n: usize) {
        self.top = self.at(n);
    }

    /// Pop the top.
    #[inline(always)]
    pub fn pop(&mut self) -> Value {
        let v = self.take(1);
        self.shrink(1);
        v
    }

    /// Push `v`.
    #[inline(always)]
    pub fn push(&mut self, v: Value) {
        // SAFETY: the constructor's contract: pushes stay within the capacity.
        unsafe {
            self.top.write(v);
            self.top = self.top.add(1);
        }
    }

    /// Release input `k` (0: the top as the instruction found it), taken out of its
    /// slot, unless the trace borrowed it.
    #[inline(always)]
    pub fn release(&self, k: u32, v: Value) {
        if self.borrowed & (1 << k) == 0 {
            discard(v);
        } else {
            std::mem::forget(v);
        }
    }
}

/// Release `v` with the reference decrement inlined: `drop` goes through `Value`'s
/// drop glue, which LLVM stops inlining in a function as big as tier 1's `eval`
/// (a call per released value: nbody under `-X jit=off` ran 11% more instructions).
#[inline(always)]
pub fn discard(v: Value) {
    let raw = v.raw();
    std::mem::forget(v);
    crate::object::decref(raw);
}
