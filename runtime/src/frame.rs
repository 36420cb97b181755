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

/// A chunk of the data stack, left uninitialised: `push` zeroes what a frame reads
/// before writing, so zeroing 2 MiB up front (as `vec![0; n]` did, with a memset
/// whenever the allocator reused memory) only cost each new thread ~130 us.
type Chunk = Box<[std::mem::MaybeUninit<u64>]>;

fn new_chunk(words: usize) -> Chunk {
    Box::new_uninit_slice(words)
}

pub struct DataStack {
    chunks: Vec<Chunk>,
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
        let mut first = new_chunk(CHUNK_WORDS);
        let base = first.as_mut_ptr() as *mut u64;
        DataStack {
            chunks: vec![first],
            chunk: 0,
            top: 0,
            base,
            len: CHUNK_WORDS,
        }
    }

    fn select_chunk(&mut self, c: usize) {
        self.chunk = c;
        self.base = self.chunks[c].as_mut_ptr() as *mut u64;
        self.len = self.chunks[c].len();
    }

    /// Allocate memory for a frame of `words` words, of which the first `zeroed` are
    /// zeroed (the header and the locals: the value stack above them is written
    /// before it is read, so it is left as it was).
    #[inline]
    pub fn push(&mut self, words: usize, zeroed: usize) -> *mut FrameHeader {
        let p = self.push_uninit(words);
        // SAFETY: `p` starts `words` words of the current chunk.
        unsafe { std::ptr::write_bytes(p as *mut u64, 0, zeroed.min(words)) };
        p
    }

    /// Allocate memory for a frame of `words` words, left as it was (the caller writes
    /// every header field and slot it reads).
    #[inline(always)]
    pub fn push_uninit(&mut self, words: usize) -> *mut FrameHeader {
        if self.top + words > self.len {
            self.next_chunk(words);
        }
        let start = self.top;
        self.top += words;
        // SAFETY: `start + words <= len`, the current chunk's length; the chunk's
        // memory never moves (boxed slices are only replaced when not in use).
        unsafe { self.base.add(start) as *mut FrameHeader }
    }

    #[cold]
    fn next_chunk(&mut self, words: usize) {
        let c = self.chunk + 1;
        if c == self.chunks.len() {
            self.chunks.push(new_chunk(CHUNK_WORDS.max(words)));
        } else if self.chunks[c].len() < words {
            self.chunks[c] = new_chunk(words);
        }
        self.select_chunk(c);
        self.top = 0;
    }

    /// Free the memory of `f`, the innermost frame (its slots must already be
    /// cleared): the top goes back to where `f` starts. Frames are freed in LIFO
    /// order, so no list of allocations is kept: `f` itself says where it was.
    #[inline]
    pub fn pop(&mut self, f: *mut FrameHeader) {
        let w = f as *mut u64;
        // SAFETY: only compared and subtracted within the current chunk's bounds.
        let in_current = w >= self.base && w < unsafe { self.base.add(self.len) };
        if !in_current {
            self.pop_to_chunk_of(w);
            return;
        }
        // SAFETY: `w` lies in the current chunk.
        self.top = unsafe { w.offset_from(self.base) } as usize;
    }

    /// `pop` of the first frame of a chunk seen from a later chunk (the frames of the
    /// later chunks are all gone).
    #[cold]
    fn pop_to_chunk_of(&mut self, w: *mut u64) {
        for c in (0..self.chunk).rev() {
            let base = self.chunks[c].as_mut_ptr() as *mut u64;
            let len = self.chunks[c].len();
            // SAFETY: pointer comparisons and a subtraction within chunk `c`.
            if w >= base && w < unsafe { base.add(len) } {
                self.select_chunk(c);
                // SAFETY: `w` lies in chunk `c` (checked just above).
                self.top = unsafe { w.offset_from(base) } as usize;
                return;
            }
        }
        debug_assert!(false, "popped frame is in no chunk of this stack");
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
#[inline]
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
