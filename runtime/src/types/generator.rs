//! Generators and coroutines: a suspended frame kept in the generator object.
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

pub struct GenObj {
    /// Frame memory: a `FrameHeader` followed by localsplus, 8-byte words.
    pub frame: ObjCell<Box<[u64]>>,
    /// Address of that memory (a boxed slice never moves), read without the lock.
    frame_addr: usize,
    state: AtomicU8,
    pub name: Value,
    pub qualname: Value,
    pub is_coroutine: bool,
}

impl PyPayload for GenObj {
    fn class() -> RawValue {
        types().generator
    }
}

impl GenObj {
    pub fn new(
        mut frame: Box<[u64]>,
        state: GenState,
        name: Value,
        qualname: Value,
        is_coroutine: bool,
    ) -> GenObj {
        let frame_addr = frame.as_mut_ptr() as usize;
        GenObj {
            frame: ObjCell::new(frame),
            frame_addr,
            state: AtomicU8::new(state as u8),
            name,
            qualname,
            is_coroutine,
        }
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
    fn needs_close(&self) -> bool {
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
                GenState::Suspended,
                self.name.clone(),
                self.qualname.clone(),
                self.is_coroutine,
            );
            let ty = if self.is_coroutine {
                types().coroutine
            } else {
                types().generator
            };
            let g = Value::alloc_with_type(&Value::from_borrowed(ty), zombie);
            if let Err(g) = crate::builtins::generators::defer_close(g) {
                // The thread is exiting: nothing can run the generator any more.
                if let Some(z) = g.downcast::<GenObj>() {
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
