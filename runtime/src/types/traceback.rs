//! Traceback objects (`exc.__traceback__`): one entry per frame an exception passed
//! through, linked outermost first (`tb_next` leads towards where it was raised).
//!
//! The interpreter prepends an entry each time an exception leaves or is caught in a
//! frame (`interp.rs`, `add_traceback`), so an exception raised again keeps growing
//! the chain it already had, as in CPython.
use stitch_stencils::value::RawValue;

use crate::object::ObjCell;
use crate::types::code::CodeObj;
use crate::types::frame::FrameObj;
use crate::value::{PyPayload, Value};
use crate::world::types;

pub struct TbObj {
    /// The next (inner) entry, or None. Settable from Python.
    pub next: ObjCell<Value>,
    /// The frame object of the entry.
    pub frame: Value,
    /// `tb_lasti`: the offset of the instruction that was running, in CPython's units
    /// (two bytes per instruction).
    pub lasti: i64,
    /// The line of that instruction.
    pub lineno: i64,
}

/// Traceback entries are containers for the collector (they hold frames, which may
/// hold the exception that holds the traceback).
impl crate::gc::Traverse for TbObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.next.read(|v| crate::gc::visit_value(v, visit));
        crate::gc::visit_value(&self.frame, visit);
    }
    fn clear(&self) {
        drop(self.next.with(|v| std::mem::replace(v, Value::none())));
    }
}

impl PyPayload for TbObj {
    fn class() -> RawValue {
        types().traceback
    }
}

impl TbObj {
    /// A new entry for `frame` (a frame object) at instruction `instr`, in front of
    /// `next` (a traceback or NULL/None).
    pub fn new_value(frame: Value, instr: u32, next: Value) -> Value {
        // SAFETY: callers pass frame objects.
        let fo = unsafe { frame.payload_unchecked::<FrameObj>() };
        let code = fo.code();
        // SAFETY: frames hold code objects.
        let lineno = unsafe { code.payload_unchecked::<CodeObj>() }.line_of(instr as usize) as i64;
        let next = if next.is_null() { Value::none() } else { next };
        Value::alloc(TbObj {
            next: ObjCell::new(next),
            frame,
            lasti: 2 * instr as i64,
            lineno,
        })
    }

    pub fn next(&self) -> Value {
        self.next.get_clone()
    }
}

/// The traceback object `v` (None and non-tracebacks give None).
pub fn as_tb(v: &Value) -> Option<&TbObj> {
    v.downcast::<TbObj>()
}

/// The entries of a traceback chain, outermost first (stops at a cycle's repeat).
pub fn chain(tb: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = vec![];
    let mut seen = std::collections::HashSet::new();
    let mut cur = tb.clone();
    while let Some(t) = as_tb(&cur) {
        if !seen.insert(cur.bits()) {
            break;
        }
        let next = t.next();
        out.push(cur);
        cur = next;
    }
    out
}
