//! Frame layout: a fixed header followed by `localsplus` (locals, cells, then the value
//! stack), contiguous in a per-thread data stack.
//!
//! ```text
//!  FrameHeader (64 bytes) | local 0 .. local n-1 | cell/free vars | value stack ...
//! ```
//!
//! Machine code addresses locals as `frame + size_of::<FrameHeader>() + 8 * index`, and
//! the stack top through `stack_top` (a count of words above the start of localsplus).
//! Python-to-Python calls push a new frame on the same data stack and continue in the
//! same interpreter loop, so Python recursion never recurses on the native stack.
use crate::value::RawValue;

#[repr(C)]
pub struct FrameHeader {
    /// The code object (strong reference).
    pub code: RawValue,
    /// The function object being run, or NULL for module code (strong reference).
    pub func: RawValue,
    /// The globals dict (strong reference).
    pub globals: RawValue,
    /// The calling frame in the same data stack, or null.
    pub previous: *mut FrameHeader,
    /// Index (in code units) of the next instruction to run.
    pub instr: u32,
    /// Number of live words in `localsplus` (locals + cells + stack entries).
    pub stack_top: u32,
    /// Number of locals plus cells (the value stack starts here).
    pub nlocalsplus: u32,
    /// Total words of `localsplus` reserved (locals + cells + max stack depth).
    pub capacity: u32,
    /// Who owns the memory: 0 the thread data stack, 1 a generator object.
    pub owner: u8,
    /// [`ENTRY`] when this frame was entered from native code (its return leaves the
    /// loop), [`ENTRY_DRAINED`] for a generator's frame so entered whose yields go to
    /// the VM's drain sink without leaving it; 0 otherwise.
    pub is_entry: u8,
    /// 1 when this frame runs `__init__` for `CALL_ALLOC_AND_ENTER_INIT`: its return
    /// value must be None and is discarded (the new instance is already on the
    /// caller's stack).
    pub is_init: u8,
    /// 1 when a Python frame object stands for this frame (`sys._getframe`, a
    /// traceback): clearing the frame hands the object what it keeps
    /// (runtime/src/types/frame.rs).
    pub has_object: u8,
    pub _pad: [u8; 4],
    /// Depth of this frame in the thread's Python call stack (for RecursionError).
    pub depth: u32,
    /// While tracing: the line of the last instruction run that has one (what
    /// `f_lineno` reports at an instruction of no line, as CPython's copies of such
    /// exits carry their predecessor's line).
    pub trace_line: u32,
}

pub const ENTRY: u8 = 1;
pub const ENTRY_DRAINED: u8 = 2;

pub const FRAME_OWNED_BY_THREAD: u8 = 0;
pub const FRAME_OWNED_BY_GENERATOR: u8 = 1;

impl FrameHeader {
    /// Words needed for a frame with `slots` localsplus entries.
    pub const fn words_for(slots: usize) -> usize {
        core::mem::size_of::<FrameHeader>() / 8 + slots
    }

    /// Pointer to localsplus slot 0.
    ///
    /// # Safety
    /// `this` must point to a live frame.
    #[inline(always)]
    pub unsafe fn localsplus(this: *mut FrameHeader) -> *mut RawValue {
        // SAFETY: localsplus immediately follows the header inside the same allocation.
        unsafe { (this as *mut u8).add(core::mem::size_of::<FrameHeader>()) as *mut RawValue }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    #[test]
    fn frame_layout_is_fixed() {
        assert_eq!(offset_of!(FrameHeader, code), 0);
        assert_eq!(offset_of!(FrameHeader, func), 8);
        assert_eq!(offset_of!(FrameHeader, globals), 16);
        assert_eq!(offset_of!(FrameHeader, previous), 24);
        assert_eq!(offset_of!(FrameHeader, instr), 32);
        assert_eq!(offset_of!(FrameHeader, stack_top), 36);
        assert_eq!(offset_of!(FrameHeader, nlocalsplus), 40);
        assert_eq!(offset_of!(FrameHeader, capacity), 44);
        assert_eq!(offset_of!(FrameHeader, owner), 48);
        assert_eq!(offset_of!(FrameHeader, is_entry), 49);
        assert_eq!(offset_of!(FrameHeader, is_init), 50);
        assert_eq!(offset_of!(FrameHeader, has_object), 51);
        assert_eq!(offset_of!(FrameHeader, depth), 56);
        assert_eq!(size_of::<FrameHeader>(), 64);
        assert_eq!(FrameHeader::words_for(3), 11);
    }
}
