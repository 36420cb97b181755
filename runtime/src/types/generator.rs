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

impl Drop for GenObj {
    fn drop(&mut self) {
        if self.state() != GenState::Finished {
            // SAFETY: the frame memory is owned by this generator and was initialised by
            // `Vm::make_frame_in`; clearing it releases the references it holds.
            unsafe { crate::frame::clear_frame(self.frame_ptr()) };
        }
    }
}
