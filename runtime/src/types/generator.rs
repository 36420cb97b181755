//! Generators, coroutines and async generators: a suspended frame kept in the
//! generator object.
//!
//! Calling a generator function builds the frame in memory owned by the generator (not
//! on the thread's data stack). Resuming links that frame on top of the caller's and
//! runs it; `yield` unlinks it again, leaving its locals and stack in place.
//!
//! Threads: the state is one atomic byte, and a resume claims the frame by moving the
//! state to `Running` with a compare-exchange, so two threads resuming the same
//! generator can never run its frame at once (the loser gets CPython's
//! "generator already executing").
use stitch_sync::shim::{AtomicU8, Ordering};

use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::frame::FrameHeader;
use stitch_stencils::value::RawValue;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum GenState {
    Created,
    Suspended,
    Running,
    Finished,
}

impl GenState {
    fn from_u8(v: u8) -> GenState {
        match v {
            0 => GenState::Created,
            1 => GenState::Suspended,
            2 => GenState::Running,
            _ => GenState::Finished,
        }
    }
}

/// Which of the three generator-like objects: they share the frame machinery and
/// differ in their type, their messages and (async generators) the `asend`/`athrow`
/// protocol of `builtins/async_generators.rs`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GenKind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

impl GenKind {
    /// The kind a code object's calls build (`CO_GENERATOR`/`CO_COROUTINE`/
    /// `CO_ASYNC_GENERATOR`).
    pub fn of_flags(flags: u32) -> GenKind {
        use crate::types::code::{CO_ASYNC_GENERATOR, CO_COROUTINE};
        if flags & CO_ASYNC_GENERATOR != 0 {
            GenKind::AsyncGenerator
        } else if flags & CO_COROUTINE != 0 {
            GenKind::Coroutine
        } else {
            GenKind::Generator
        }
    }
    pub fn type_raw(self) -> RawValue {
        match self {
            GenKind::Generator => types().generator,
            GenKind::Coroutine => types().coroutine,
            GenKind::AsyncGenerator => types().async_generator,
        }
    }
    /// The word CPython's messages use ("generator already executing", ...).
    pub fn noun(self) -> &'static str {
        match self {
            GenKind::Generator => "generator",
            GenKind::Coroutine => "coroutine",
            GenKind::AsyncGenerator => "async generator",
        }
    }
}

/// Words before a generator's frame in its memory: the owning generator's address.
pub const GEN_FRAME_PREFIX: usize = 1;

/// The generator owning the frame `f`, if a generator owns it (a borrowed address:
/// valid while the frame is).
///
/// # Safety
/// `f` is a live, initialised frame.
pub unsafe fn owner_of_frame(f: *mut FrameHeader) -> Option<Value> {
    // SAFETY: guaranteed by the caller; generator-owned frames are preceded by the
    // prefix word `set_owner` wrote.
    unsafe {
        if (*f).owner != stitch_stencils::frame::FRAME_OWNED_BY_GENERATOR {
            return None;
        }
        let bits = (f as *const u64).sub(GEN_FRAME_PREFIX).read();
        (bits != 0).then(|| Value::from_borrowed(RawValue(bits)))
    }
}

/// Async generator flag bits (CPython's `ag_hooks_inited`, `ag_closed`,
/// `ag_running_async`).
pub const AG_HOOKS_INITED: u8 = 1;
pub const AG_CLOSED: u8 = 2;
pub const AG_RUNNING_ASYNC: u8 = 4;
/// The finalizer hook was called for this generator's frame (or nothing can run it
/// any more): as CPython finalizes an object once, a later drop only clears the frame.
pub const AG_FINALIZED: u8 = 8;

pub struct GenObj {
    /// Frame memory: a `FrameHeader` followed by localsplus, 8-byte words.
    pub frame: ObjCell<Box<[u64]>>,
    /// Address of that memory (a boxed slice never moves), read without the lock.
    frame_addr: usize,
    state: AtomicU8,
    /// `__name__` and `__qualname__` (assignable).
    pub name: ObjCell<Value>,
    pub qualname: ObjCell<Value>,
    pub kind: GenKind,
    /// The code object, kept after the frame is cleared (`gi_code`).
    pub code: Value,
    /// `AG_*` bits (async generators only).
    ag_flags: AtomicU8,
    /// The `sys.set_asyncgen_hooks` finalizer seen at the first iteration (async
    /// generators), or NULL: called instead of closing when the generator is dropped.
    pub ag_finalizer: ObjCell<Value>,
    /// The exception the suspended frame is handling (CPython's `gi_exc_state`), or
    /// NULL: restored as the innermost handled exception when it resumes.
    pub exc_state: ObjCell<Value>,
    /// `cr_origin`: where a coroutine was created, as `(filename, lineno, name)`
    /// tuples innermost first (`sys.set_coroutine_origin_tracking_depth`), or NULL.
    pub origin: ObjCell<Value>,
}

impl PyPayload for GenObj {
    fn class() -> RawValue {
        types().generator
    }
}

impl GenObj {
    /// `frame` is [`GEN_FRAME_PREFIX`] words (the owner's address, see [`set_owner`])
    /// followed by the frame.
    ///
    /// [`set_owner`]: GenObj::set_owner
    pub fn new(
        mut frame: Box<[u64]>,
        state: GenState,
        name: Value,
        qualname: Value,
        kind: GenKind,
        code: Value,
    ) -> GenObj {
        let frame_addr = frame[GEN_FRAME_PREFIX..].as_mut_ptr() as usize;
        GenObj {
            frame: ObjCell::new(frame),
            frame_addr,
            state: AtomicU8::new(state as u8),
            name: ObjCell::new(name),
            qualname: ObjCell::new(qualname),
            kind,
            code,
            ag_flags: AtomicU8::new(0),
            ag_finalizer: ObjCell::new(Value::NULL),
            exc_state: ObjCell::new(Value::NULL),
            origin: ObjCell::new(Value::NULL),
        }
    }
    pub fn ag_flag(&self, bit: u8) -> bool {
        self.ag_flags.load(Ordering::Acquire) & bit != 0
    }
    pub fn set_ag_flag(&self, bit: u8, on: bool) {
        if on {
            self.ag_flags.fetch_or(bit, Ordering::AcqRel);
        } else {
            self.ag_flags.fetch_and(!bit, Ordering::AcqRel);
        }
    }
    /// Record the generator object owning this payload in the word before its frame,
    /// so the frame's object can find its generator (`frame.clear()` closes it).
    pub fn set_owner(&self, g: &Value) {
        let bits = g.raw().0;
        // SAFETY: the frame memory starts GEN_FRAME_PREFIX words before the frame and
        // is owned by this generator; the word is only read through `owner_of_frame`.
        unsafe {
            (self.frame_ptr() as *mut u64)
                .sub(GEN_FRAME_PREFIX)
                .write(bits)
        };
    }
    pub fn frame_ptr(&self) -> *mut FrameHeader {
        self.frame_addr as *mut FrameHeader
    }
    pub fn state(&self) -> GenState {
        GenState::from_u8(self.state.load(Ordering::Acquire))
    }
    pub fn set_state(&self, st: GenState) {
        self.state.store(st as u8, Ordering::Release);
    }
    /// Move from `from` to `Running`; false if another thread changed the state first.
    pub fn claim(&self, from: GenState) -> bool {
        self.state
            .compare_exchange(
                from as u8,
                GenState::Running as u8,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }
}

impl GenObj {
    /// Is the suspended frame inside a try/with block (so closing it runs code)?
    /// An async generator with a finalizer hook always needs it called, unless it
    /// finished or was closed.
    fn needs_close(&self) -> bool {
        if self.ag_flag(AG_FINALIZED) {
            return false;
        }
        if self.kind == GenKind::AsyncGenerator
            && !self.ag_flag(AG_CLOSED)
            && self.state() != GenState::Finished
            && !self.ag_finalizer.read(|f| f.is_null())
        {
            return true;
        }
        if self.state() != GenState::Suspended {
            return false;
        }
        let f = self.frame_ptr();
        // SAFETY: a suspended generator's frame is initialised and not running.
        let (co, instr) = unsafe { (crate::frame::frame_code(f), (*f).instr) };
        co.find_handler(instr.saturating_sub(1)).is_some()
    }
}

impl Drop for GenObj {
    fn drop(&mut self) {
        if self.needs_close() {
            // Close it later, from the interpreter: move the frame into a fresh generator
            // object (this one is being freed) and queue that.
            let frame = self.frame.with(std::mem::take);
            let zombie = GenObj::new(
                frame,
                self.state(),
                self.name.read(Value::clone),
                self.qualname.read(Value::clone),
                self.kind,
                self.code.clone(),
            );
            zombie
                .ag_flags
                .store(self.ag_flags.load(Ordering::Acquire), Ordering::Release);
            let fin = self
                .ag_finalizer
                .with(|f| std::mem::replace(f, Value::NULL));
            zombie.ag_finalizer.with(|f| *f = fin);
            let exc = self.exc_state.with(std::mem::take);
            zombie.exc_state.with(|f| *f = exc);
            let ty = self.kind.type_raw();
            let g = Value::alloc_with_type(&Value::from_borrowed(ty), zombie);
            if let Some(z) = gen_payload(&g) {
                z.set_owner(&g);
            }
            if let Err(g) = crate::builtins::generators::defer_close(g) {
                // The thread is exiting: nothing can run the generator any more.
                if let Some(z) = gen_payload(&g) {
                    z.set_ag_flag(AG_FINALIZED, true);
                    z.set_state(GenState::Created);
                }
            }
            return;
        }
        if self.state() != GenState::Finished && !self.frame.with(|f| f.is_empty()) {
            // SAFETY: the frame memory is owned by this generator and was initialised
            // when it was created; clearing it releases the references it holds.
            unsafe { crate::frame::clear_frame(self.frame_ptr()) };
        }
    }
}

/// The `GenObj` of a generator, coroutine or async generator (None for anything else).
pub fn gen_payload(v: &Value) -> Option<&GenObj> {
    let t = v.type_raw();
    let ts = types();
    if t == ts.generator || t == ts.coroutine || t == ts.async_generator {
        // SAFETY: objects of these three types carry a GenObj payload.
        Some(unsafe { v.payload_unchecked::<GenObj>() })
    } else {
        None
    }
}
