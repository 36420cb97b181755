//! `sys._getframe`: frame objects for introspection (`f_code`, `f_lineno`, `f_globals`,
//! `f_locals`, `f_back`, `f_lasti`). Interpreter frames live on the thread's data stack
//! and are reused after they return, so Python code gets a snapshot of the chain taken
//! at the call; unlike CPython's, a kept frame object does not follow later changes to
//! the frame's locals or line.
use stitch_stencils::frame::FrameHeader;

use super::posargs;
use crate::types::dict::DictObj;
use crate::types::instance::Instance;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, new_instance_of};
use crate::world::types;

/// A snapshot of `f` and, through `f_back`, of every frame that called it.
///
/// # Safety
/// `f` must be a live frame of this thread (or null).
pub(crate) unsafe fn snapshot(f: *mut FrameHeader) -> Value {
    if f.is_null() {
        return Value::none();
    }
    // SAFETY: the caller guarantees f is live, and so are the frames it links to.
    let (code, globals, instr, back) = unsafe {
        (
            Value::from_borrowed((*f).code),
            Value::from_borrowed((*f).globals),
            (*f).instr as usize,
            (*f).previous,
        )
    };
    // SAFETY: a live frame's code is a code object.
    let co = unsafe { crate::frame::frame_code(f) };
    let lineno = co.line_of(instr.saturating_sub(1));
    // SAFETY: f is live.
    let locals = unsafe { super::functions::frame_locals(f) };
    // SAFETY: back is null or a live frame further down the same stack.
    let back = unsafe { snapshot(back) };
    let obj = new_instance_of(&Value::from_borrowed(types().frame), vec![]);
    // SAFETY: frame objects are `Instance`s with an attribute dict.
    let inst = unsafe { obj.payload_unchecked::<Instance>() };
    if let Some(d) = inst.dict.downcast::<DictObj>() {
        d.set_str("f_code", code);
        d.set_str("f_globals", globals);
        d.set_str("f_locals", locals);
        d.set_str("f_lineno", Value::int(lineno as i64));
        d.set_str("f_lasti", Value::int(2 * instr.saturating_sub(1) as i64));
        d.set_str("f_back", back);
    }
    obj
}

pub fn getframe(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "_getframe", a, 0, 1)?;
    let depth = match p.first() {
        Some(v) => match v.as_small_int() {
            Some(d) => d,
            None => return Err(vm.type_error("an integer is required")),
        },
        None => 0,
    };
    let mut f = vm.frame;
    let mut left = depth.max(0);
    while left > 0 && !f.is_null() {
        // SAFETY: f is a live frame; previous links stay within the live chain.
        f = unsafe { (*f).previous };
        left -= 1;
    }
    if f.is_null() {
        return Err(vm.value_error("call stack is not deep enough"));
    }
    // SAFETY: f is a live frame of this thread.
    Ok(unsafe { snapshot(f) })
}
