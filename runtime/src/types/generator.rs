//! Generators and coroutines: a suspended frame kept in the generator object.
//!
//! Calling a generator function builds the frame in memory owned by the generator (not
//! on the thread's data stack). Resuming links that frame on top of the caller's and
//! runs it; `yield` unlinks it again, leaving its locals and stack in place.
use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::frame::FrameHeader;
use stitch_stencils::value::RawValue;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GenState {
    Created,
    Suspended,
    Running,
    Finished,
}

pub struct GenObj {
    /// Frame memory: a `FrameHeader` followed by localsplus, 8-byte words.
    pub frame: ObjCell<Box<[u64]>>,
    pub state: ObjCell<GenState>,
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
    pub fn frame_ptr(&self) -> *mut FrameHeader {
        self.frame.with(|f| f.as_mut_ptr() as *mut FrameHeader)
    }
    pub fn state(&self) -> GenState {
        self.state.with(|s| *s)
    }
    pub fn set_state(&self, st: GenState) {
        self.state.with(|s| *s = st);
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
            let zombie = GenObj {
                frame: ObjCell::new(frame),
                state: ObjCell::new(GenState::Suspended),
                name: self.name.clone(),
                qualname: self.qualname.clone(),
                is_coroutine: self.is_coroutine,
            };
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
