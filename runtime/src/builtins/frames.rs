//! The Python side of frames and tracebacks: `sys._getframe`, the attributes and
//! methods of `frame` objects (`f_back`, `f_code`, `f_lineno`, `f_locals`, ...,
//! `clear()`) and of `traceback` objects (`tb_frame`, `tb_lineno`, `tb_lasti`,
//! `tb_next`, and the `types.TracebackType(...)` constructor). The objects themselves
//! are `types/frame.rs` and `types/traceback.rs`.
use super::posargs;
use crate::modules::native_args::{bind, getset, getset_del, methods, new_args, static_new, this};
use crate::types::frame::{FrameObj, frame_object};
use crate::types::str::new_str;
use crate::types::traceback::TbObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    let frame = Value::from_borrowed(t.frame);
    for (name, get, set) in [
        ("f_back", f_back as crate::types::func::NativeFn, None),
        ("f_code", f_code, None),
        ("f_globals", f_globals, None),
        ("f_builtins", f_builtins, None),
        (
            "f_lineno",
            f_lineno,
            Some(set_f_lineno as crate::types::func::NativeFn),
        ),
        ("f_lasti", f_lasti, None),
        ("f_locals", f_locals, None),
        ("f_trace_lines", f_trace_lines, Some(set_f_trace_lines)),
        (
            "f_trace_opcodes",
            f_trace_opcodes,
            Some(set_f_trace_opcodes),
        ),
    ] {
        getset(&frame, name, get, set);
    }
    // `del frame.f_trace` unsets it (bdb's `set_continue` does).
    getset_del(&frame, "f_trace", f_trace, set_f_trace, del_f_trace);
    methods(&frame, &[("clear", frame_clear), ("__repr__", frame_repr)]);
    let tb = Value::from_borrowed(t.traceback);
    getset(&tb, "tb_frame", tb_frame, None);
    getset(&tb, "tb_lineno", tb_lineno, None);
    getset(&tb, "tb_lasti", tb_lasti, None);
    getset(&tb, "tb_next", tb_next, Some(set_tb_next));
    static_new(&tb, tb_new);
    crate::types::layout::set_final(t.traceback);
}

/// `sys._getframe([depth])`.
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
    Ok(unsafe { frame_object(f) })
}

/// `None` or a traceback, else a TypeError with `msg` (as `__traceback__`'s setter and
/// `with_traceback` check); None becomes NULL.
pub fn traceback_arg(vm: &mut Vm, v: &Value, msg: &str) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::NULL);
    }
    if v.downcast::<TbObj>().is_none() {
        return Err(vm.type_error(msg));
    }
    Ok(v.clone())
}

// ---- frame ---------------------------------------------------------------------------

fn this_frame<'a>(vm: &mut Vm, name: &str, a: &'a Args) -> PyResult<(&'a FrameObj, &'a Value)> {
    let (s, _) = this(vm, name, a, 0, 1)?;
    match s.downcast::<FrameObj>() {
        Some(f) => Ok((f, s)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'frame' objects doesn't apply to a '{}' object",
            super::type_name(s)
        ))),
    }
}

fn f_back(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_frame(vm, "f_back", a)?.0.back())
}

fn f_code(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_frame(vm, "f_code", a)?.0.code())
}

fn f_globals(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_frame(vm, "f_globals", a)?
        .0
        .st
        .with(|s| s.globals.clone()))
}

/// `f_builtins`: the globals' `__builtins__` (a module's dict, or a dict), else the
/// interpreter's builtins.
fn f_builtins(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let g = this_frame(vm, "f_builtins", a)?
        .0
        .st
        .with(|s| s.globals.clone());
    let b = g
        .downcast::<crate::types::dict::DictObj>()
        .and_then(|d| d.get_str("__builtins__"));
    let b = match b {
        Some(b) => b,
        None => vm.builtins.clone(),
    };
    if let Some(m) = b.downcast::<crate::types::module::ModuleObj>() {
        return Ok(m.dict.clone());
    }
    Ok(b)
}

fn f_lineno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // An instruction without a line (compiler-made code) reports None, as CPython's.
    match this_frame(vm, "f_lineno", a)?.0.lineno() {
        0 => Ok(Value::none()),
        n => Ok(Value::int(n as i64)),
    }
}

/// `f_lineno = n` from a trace function: a jump (`trace_jump.rs`).
fn set_f_lineno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_lineno", a)?;
    let Some(v) = a.pos().get(1) else {
        return Err(vm.err(types().attribute_error, "cannot delete attribute"));
    };
    let has_trace = fo.st.with(|s| !s.trace.is_none() && !s.trace.is_null());
    let code = fo.code();
    // SAFETY: frames hold code objects.
    let co = unsafe { code.payload_unchecked::<crate::types::code::CodeObj>() };
    let lasti = (fo.instr() as usize).saturating_sub(1);
    crate::trace_jump::set_lineno(vm, co, lasti, has_trace, v)?;
    Ok(Value::none())
}

fn f_lasti(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let instr = this_frame(vm, "f_lasti", a)?.0.instr() as i64;
    Ok(Value::int(if instr == 0 { -1 } else { 2 * (instr - 1) }))
}

fn f_locals(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_frame(vm, "f_locals", a)?.0.locals())
}

fn f_trace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_frame(vm, "f_trace", a)?.0.st.with(|s| s.trace.clone()))
}

fn setter_value<'a>(vm: &mut Vm, name: &str, a: &'a Args) -> PyResult<&'a Value> {
    match a.pos().get(1) {
        Some(v) => Ok(v),
        None => Err(vm.type_error(format!("can't delete {name}"))),
    }
}

fn set_f_trace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_trace", a)?;
    let v = setter_value(vm, "f_trace", a)?.clone();
    let old = fo.st.with(|s| std::mem::replace(&mut s.trace, v));
    drop(old);
    Ok(Value::none())
}

fn del_f_trace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_trace", a)?;
    let old = fo
        .st
        .with(|s| std::mem::replace(&mut s.trace, Value::none()));
    drop(old);
    Ok(Value::none())
}

fn bool_arg(v: &Value) -> Option<bool> {
    if v.is_true_singleton() {
        Some(true)
    } else if v.raw() == stitch_stencils::value::RawValue::FALSE {
        Some(false)
    } else {
        None
    }
}

fn f_trace_lines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_trace_lines", a)?;
    Ok(Value::bool(fo.st.with(|s| s.trace_lines)))
}

fn set_f_trace_lines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_trace_lines", a)?;
    let v = setter_value(vm, "f_trace_lines", a)?;
    let Some(b) = bool_arg(v) else {
        return Err(vm.type_error("attribute value type must be bool"));
    };
    fo.st.with(|s| s.trace_lines = b);
    Ok(Value::none())
}

fn f_trace_opcodes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_trace_opcodes", a)?;
    Ok(Value::bool(fo.st.with(|s| s.trace_opcodes)))
}

fn set_f_trace_opcodes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "f_trace_opcodes", a)?;
    let v = setter_value(vm, "f_trace_opcodes", a)?;
    let Some(b) = bool_arg(v) else {
        return Err(vm.type_error("attribute value type must be bool"));
    };
    fo.st.with(|s| s.trace_opcodes = b);
    Ok(Value::none())
}

fn frame_clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, _) = this_frame(vm, "clear", a)?;
    if let Some(g) = fo.live_generator()
        && let Some(go) = crate::types::generator::gen_payload(&g)
    {
        // A suspended generator's frame: finalize the generator (CPython's
        // `_PyGen_Finalize`: an unstarted coroutine warns, anything else is closed).
        use crate::types::generator::{GenKind, GenState};
        match go.state() {
            GenState::Running => {
                return Err(vm.err(types().runtime_error, "cannot clear an executing frame"));
            }
            GenState::Finished => {}
            GenState::Created if go.kind == GenKind::Coroutine => {
                super::coroutines::finalize(vm, &g);
            }
            _ => {
                if let Err(e) = super::generators::close(vm, &g) {
                    super::generators::report_unraisable(vm, &g, &e);
                }
            }
        }
        return Ok(Value::none());
    }
    if !fo.clear() {
        return Err(vm.err(types().runtime_error, "cannot clear an executing frame"));
    }
    Ok(Value::none())
}

fn frame_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (fo, s) = this_frame(vm, "__repr__", a)?;
    let code = fo.code();
    // SAFETY: frames hold code objects.
    let co = unsafe { code.payload_unchecked::<crate::types::code::CodeObj>() };
    let file = crate::ops::repr_value(vm, &new_str(&co.filename))?;
    let file = crate::types::str::as_str(&file).unwrap_or("").to_string();
    Ok(new_str(&format!(
        "<frame at {:#x}, file {file}, line {}, code {}>",
        s.bits(),
        fo.lineno(),
        co.name
    )))
}

// ---- traceback -----------------------------------------------------------------------

fn this_tb<'a>(vm: &mut Vm, name: &str, a: &'a Args) -> PyResult<&'a TbObj> {
    let (s, _) = this(vm, name, a, 0, 1)?;
    match s.downcast::<TbObj>() {
        Some(t) => Ok(t),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'traceback' objects doesn't apply to a '{}' object",
            super::type_name(s)
        ))),
    }
}

fn tb_frame(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_tb(vm, "tb_frame", a)?.frame.clone())
}

fn tb_lineno(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(this_tb(vm, "tb_lineno", a)?.lineno))
}

fn tb_lasti(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(this_tb(vm, "tb_lasti", a)?.lasti))
}

fn tb_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(this_tb(vm, "tb_next", a)?.next())
}

/// `tb_next` of a new entry: None or a traceback (CPython's message otherwise).
fn next_arg(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if !v.is_none() && v.downcast::<TbObj>().is_none() {
        return Err(vm.type_error(format!(
            "expected traceback object or None, got '{}'",
            super::type_name(v)
        )));
    }
    Ok(v.clone())
}

fn set_tb_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let t = this_tb(vm, "tb_next", a)?;
    let Some(v) = a.pos().get(1) else {
        return Err(vm.type_error("can't delete tb_next attribute"));
    };
    if !v.is_none() && v.downcast::<TbObj>().is_none() {
        return Err(vm.type_error(format!(
            "expected traceback object, got '{}'",
            super::type_name(v)
        )));
    }
    let v = v.clone();
    // A chain must not come back to this entry.
    let me = &a.pos()[0];
    let mut cur = v.clone();
    while let Some(n) = cur.downcast::<TbObj>() {
        if cur.is(me) {
            return Err(vm.value_error("traceback loop detected"));
        }
        let next = n.next();
        cur = next;
    }
    let old = t.next.with(|n| std::mem::replace(n, v));
    drop(old);
    Ok(Value::none())
}

/// `TracebackType(tb_next, tb_frame, tb_lasti, tb_lineno)`.
pub(crate) fn tb_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_cls, rest) = new_args(vm, a, types().traceback)?;
    let p = bind(
        vm,
        "TracebackType",
        &rest,
        &["tb_next", "tb_frame", "tb_lasti", "tb_lineno"],
        4,
        4,
    )?;
    let (Some(next), Some(frame), Some(lasti), Some(lineno)) = (p[0], p[1], p[2], p[3]) else {
        return Err(vm.type_error("TracebackType() missing required argument"));
    };
    let next = next_arg(vm, next)?;
    if frame.downcast::<FrameObj>().is_none() {
        return Err(vm.type_error(format!(
            "TracebackType() argument 'tb_frame' must be frame, not {}",
            super::type_name(frame)
        )));
    }
    let int_arg = |vm: &mut Vm, v: &Value| -> PyResult<i64> {
        if v.type_data().is_subtype_raw(types().float) {
            return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
        }
        crate::ops::to_isize(vm, v)
    };
    let lasti = int_arg(vm, lasti)?;
    let lineno = int_arg(vm, lineno)?;
    Ok(Value::alloc(TbObj {
        next: crate::object::ObjCell::new(next),
        frame: frame.clone(),
        lasti,
        lineno,
    }))
}
