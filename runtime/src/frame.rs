//! Frames on the per-thread data stack.
//!
//! A frame is a [`FrameHeader`] followed by `localsplus` words (locals, cells, free
//! variables, then the value stack). Frames are bump-allocated in chunks that never
//! move, and freed in LIFO order. Generator frames live in memory owned by the
//! generator instead. Slots hold owned references (`Value` bits); NULL means unbound.
use stitch_stencils::frame::{FRAME_OWNED_BY_THREAD, FrameHeader};
use stitch_stencils::value::RawValue;

use crate::types::code::CodeObj;
use crate::value::Value;

const CHUNK_WORDS: usize = 1 << 18; // 2 MiB

pub struct DataStack {
    chunks: Vec<Box<[u64]>>,
    /// (chunk index, word offset) of each live frame, innermost last.
    allocs: Vec<(usize, usize)>,
    chunk: usize,
    top: usize,
    /// Start and length of the current chunk (`chunks[chunk]`), for the fast path.
    base: *mut u64,
    len: usize,
}

// SAFETY: the raw `base` pointer points into a chunk the stack owns; moving the stack
// to another thread moves that ownership with it.
unsafe impl Send for DataStack {}

impl Default for DataStack {
    fn default() -> Self {
        DataStack::new()
    }
}

impl DataStack {
    pub fn new() -> DataStack {
        let mut first = vec![0u64; CHUNK_WORDS].into_boxed_slice();
        let base = first.as_mut_ptr();
        DataStack {
            chunks: vec![first],
            allocs: Vec::with_capacity(256),
            chunk: 0,
            top: 0,
            base,
            len: CHUNK_WORDS,
        }
    }

    fn select_chunk(&mut self, c: usize) {
        self.chunk = c;
        self.base = self.chunks[c].as_mut_ptr();
        self.len = self.chunks[c].len();
    }

    /// Allocate memory for a frame of `words` words, of which the first `zeroed` are
    /// zeroed (the header and the locals: the value stack above them is written
    /// before it is read, so it is left as it was).
    #[inline]
    pub fn push(&mut self, words: usize, zeroed: usize) -> *mut FrameHeader {
        if self.top + words > self.len {
            self.next_chunk(words);
        }
        let start = self.top;
        self.allocs.push((self.chunk, start));
        self.top += words;
        // SAFETY: `start + words <= len`, the current chunk's length; the chunk's
        // memory never moves (boxed slices are only replaced when not in use).
        unsafe {
            let p = self.base.add(start);
            std::ptr::write_bytes(p, 0, zeroed.min(words));
            p as *mut FrameHeader
        }
    }

    #[cold]
    fn next_chunk(&mut self, words: usize) {
        let c = self.chunk + 1;
        if c == self.chunks.len() {
            self.chunks
                .push(vec![0u64; CHUNK_WORDS.max(words)].into_boxed_slice());
        } else if self.chunks[c].len() < words {
            self.chunks[c] = vec![0u64; words].into_boxed_slice();
        }
        self.select_chunk(c);
        self.top = 0;
    }

    /// Free the innermost frame's memory (its slots must already be cleared).
    #[inline]
    pub fn pop(&mut self) {
        if let Some((c, off)) = self.allocs.pop() {
            if c != self.chunk {
                self.select_chunk(c);
            }
            self.top = off;
        }
    }
}

/// Initialise a frame header in fresh zeroed memory.
///
/// A frame running a function holds one reference, to the function, and borrows the
/// function's code and globals (a function's `code` and `globals` never change, so
/// they live as long as it does): one incref per call instead of three. Frames
/// without a function (module and class bodies, `exec`) hold references to `code`
/// and `globals` themselves.
///
/// # Safety
/// `f` must point to memory of at least `words_for(nlocalsplus + stacksize)` words,
/// zeroed up to `words_for(nlocalsplus)`.
pub unsafe fn init_frame(
    f: *mut FrameHeader,
    code: &Value,
    func: &Value,
    globals: &Value,
    owner: u8,
) {
    // SAFETY: `code` is a code object (callers pass function code).
    let co = unsafe { code.payload_unchecked::<CodeObj>() };
    // SAFETY: the caller provides valid frame memory.
    unsafe {
        if func.is_null() {
            (*f).code = code.clone().into_raw();
            (*f).func = RawValue::NULL;
            (*f).globals = globals.clone().into_raw();
        } else {
            (*f).code = code.raw();
            (*f).func = func.clone().into_raw();
            (*f).globals = globals.raw();
        }
        (*f).previous = std::ptr::null_mut();
        (*f).instr = 0;
        (*f).nlocalsplus = co.nlocalsplus() as u32;
        (*f).stack_top = co.nlocalsplus() as u32;
        (*f).capacity = (co.nlocalsplus() + co.stacksize) as u32;
        (*f).owner = owner;
        (*f).is_entry = 0;
        (*f).is_init = 0;
    }
}

/// Memory for a frame running `co` on `stack` (header and locals zeroed).
///
/// `#[inline]`: on every call's path; without it, whether it is inlined depends on
/// which codegen unit the caller lands in (a call costs fib about 5% more).
#[inline]
pub fn push_frame_memory(stack: &mut DataStack, co: &CodeObj) -> *mut FrameHeader {
    let (words, zeroed) = frame_words(co);
    stack.push(words, zeroed)
}

/// Words needed for a frame running `co`, and how many of them (header and locals)
/// must start zeroed.
#[inline]
pub fn frame_words(co: &CodeObj) -> (usize, usize) {
    (
        FrameHeader::words_for(co.nlocalsplus() + co.stacksize),
        FrameHeader::words_for(co.nlocalsplus()),
    )
}

/// Release every reference a frame holds (live slots, code, func, globals).
///
/// # Safety
/// `f` must be an initialised frame not currently running.
pub unsafe fn clear_frame(f: *mut FrameHeader) {
    // SAFETY: the frame is initialised; slots below stack_top hold owned values or NULL.
    unsafe {
        if (*f).code.is_null() {
            return;
        }
        if (*f).has_object != 0 {
            // A frame object outlives this activation: hand it what it keeps.
            crate::types::frame::detach(f);
        }
        let lp = FrameHeader::localsplus(f) as *mut Value;
        let top = (*f).stack_top as usize;
        for i in 0..top {
            // The slot is not read again: the frame's memory is freed or re-zeroed.
            drop(lp.add(i).read());
        }
        (*f).stack_top = 0;
        let code = std::mem::replace(&mut (*f).code, RawValue::NULL);
        let func = std::mem::replace(&mut (*f).func, RawValue::NULL);
        let globals = std::mem::replace(&mut (*f).globals, RawValue::NULL);
        if func.is_null() {
            drop(Value::from_raw(code));
            drop(Value::from_raw(globals));
        } else {
            // Code and globals were borrowed from the function (see `init_frame`).
            drop(Value::from_raw(func));
        }
    }
}

/// The code object of a live frame.
///
/// # Safety
/// `f` must be a live, initialised frame.
pub unsafe fn frame_code<'a>(f: *const FrameHeader) -> &'a CodeObj {
    // SAFETY: frames hold a strong reference to their code object.
    unsafe { &(*((*f).code.as_ptr() as *const crate::object::PyObj<CodeObj>)).payload }
}

pub const OWNED_BY_THREAD: u8 = FRAME_OWNED_BY_THREAD;
