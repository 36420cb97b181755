//! `super`: construction (the zero-argument form reads the caller's `__class__` cell
//! and first argument), `super.__init__` for subclasses, the `supercheck` that picks
//! the class whose MRO is searched, unbound supers and their `__get__`, the
//! `__thisclass__` / `__self__` / `__self_class__` members and the repr, as CPython's
//! `Objects/typeobject.c`. Attribute lookup through a super is `ops::attr`'s
//! `super_getattr`.

use super::{add_method, add_static, method_args, type_name};
use crate::ops;
use crate::types::class::as_type;
use crate::types::func::CellObj;
use crate::types::misc::SuperObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};

pub fn install(t: &Types) {
    add_static(t.super_, "__new__", super_new);
    add_method(t.super_, "__init__", super_init);
    add_method(t.super_, "__get__", super_get);
    add_method(t.super_, "__repr__", super_repr);
}

/// `super(...)` called on `super` itself.
pub fn construct(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = Value::alloc(SuperObj::blank());
    // SAFETY: just allocated with a SuperObj payload.
    let s = unsafe { v.payload_unchecked::<SuperObj>() };
    init(vm, s, a)?;
    Ok(v)
}

/// `super.__new__(cls, *args)`: an empty super for `__init__` to fill.
fn super_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(cls) = a.pos().first() else {
        return Err(vm.type_error("super.__new__(): not enough arguments"));
    };
    if as_type(cls).is_none() {
        let tn = type_name(cls);
        return Err(vm.type_error(format!("super.__new__(X): X is not a type object ({tn})")));
    }
    let blank = Value::alloc(SuperObj::blank());
    if cls.raw() == types().super_ {
        return Ok(blank);
    }
    super::subclass::wrap(vm, cls, blank)
}

fn super_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first().and_then(|v| v.downcast::<SuperObj>()) else {
        return Err(vm.type_error("descriptor '__init__' requires a 'super' object"));
    };
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    init(vm, s, &rest)?;
    Ok(Value::none())
}

/// `super.__init__(type=<caller's __class__>, type_or_obj=<caller's first argument>)`.
fn init(vm: &mut Vm, s: &SuperObj, a: &Args) -> PyResult<()> {
    if a.has_kw() {
        return Err(vm.type_error("super() takes no keyword arguments"));
    }
    let p = a.pos();
    if p.len() > 2 {
        return Err(vm.type_error(format!(
            "super() expected at most 2 arguments, got {}",
            p.len()
        )));
    }
    let (ty, obj) = match p.len() {
        0 => from_frame(vm)?,
        1 => (p[0].clone(), Value::NULL),
        _ => (p[0].clone(), p[1].clone()),
    };
    if as_type(&ty).is_none() {
        let tn = type_name(&ty);
        return Err(vm.type_error(format!("super() argument 1 must be a type, not {tn}")));
    }
    let obj = if obj.is_none() && p.len() == 2 {
        // `super(T, None)` is an unbound super, as CPython's "O" conversion allows.
        Value::NULL
    } else {
        obj
    };
    let obj_type = if obj.is_null() {
        Value::NULL
    } else {
        supercheck(vm, &ty, &obj)?
    };
    let olds = [
        s.ty.with(|x| std::mem::replace(x, ty)),
        s.obj.with(|x| std::mem::replace(x, obj)),
        s.obj_type.with(|x| std::mem::replace(x, obj_type)),
    ];
    drop(olds);
    Ok(())
}

/// The zero-argument form: the `__class__` cell and the first argument of the Python
/// function calling `super()`.
fn from_frame(vm: &mut Vm) -> PyResult<(Value, Value)> {
    let f = vm.frame;
    if f.is_null() {
        return Err(vm.runtime_error("super(): no current frame"));
    }
    // SAFETY: vm.frame is the live frame that called super().
    let (co, lp) = unsafe {
        (
            crate::frame::frame_code(f),
            stitch_stencils::frame::FrameHeader::localsplus(f) as *const Value,
        )
    };
    if co.argcount == 0 {
        return Err(vm.runtime_error("super(): no arguments"));
    }
    // SAFETY: slot 0 is the first argument (it may have moved into a cell).
    let mut first = unsafe { &*lp }.clone();
    if let Some(ci) = co.cell2arg.iter().position(|a| *a == Some(0)) {
        // SAFETY: cell slot inside localsplus.
        first = unsafe { &*lp.add(co.nlocals + ci) }
            .downcast::<CellObj>()
            .map(|c| c.get())
            .unwrap_or(Value::NULL);
    }
    if first.is_null() {
        return Err(vm.runtime_error("super(): arg[0] deleted"));
    }
    let cell_idx = co.localsplus_names[co.nlocals..]
        .iter()
        .position(|n| n == "__class__");
    let Some(ci) = cell_idx else {
        return Err(vm.runtime_error("super(): __class__ cell not found"));
    };
    // SAFETY: indexes inside localsplus.
    let cell = unsafe { &*lp.add(co.nlocals + ci) };
    let ty = cell
        .downcast::<CellObj>()
        .map(|c| c.get())
        .unwrap_or(Value::NULL);
    if ty.is_null() {
        return Err(vm.runtime_error("super(): empty __class__ cell"));
    }
    if as_type(&ty).is_none() {
        let tn = type_name(&ty);
        return Err(vm.type_error(format!("super(): __class__ is not a type ({tn})")));
    }
    Ok((ty, first))
}

/// CPython's `supercheck`: the class whose MRO the super searches. `obj` itself when it
/// is a subclass of `ty` (classmethods), else its type, else its `__class__` (proxies).
fn supercheck(vm: &mut Vm, ty: &Value, obj: &Value) -> PyResult<Value> {
    if as_type(obj).is_some() && crate::types::class::is_subclass(obj, ty) {
        return Ok(obj.clone());
    }
    if obj.type_data().is_subtype_raw(ty.raw()) {
        return Ok(obj.type_of());
    }
    let class_attr = match ops::getattr_opt(vm, obj, "__class__") {
        Ok(v) => v,
        Err(e) if vm.err_matches(&e, types().attribute_error) => None,
        Err(e) => return Err(e),
    };
    if let Some(c) = class_attr
        && as_type(&c).is_some()
        && !c.is(&obj.type_of())
        && crate::types::class::is_subclass(&c, ty)
    {
        return Ok(c);
    }
    Err(vm.type_error("super(type, obj): obj must be an instance or subtype of type"))
}

/// `super.__get__(obj, type=None)`: an unbound super binds to `obj`; a bound one (or no
/// object) gives itself.
fn super_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, r) = method_args(vm, "__get__", a, 1, 2)?;
    let Some(s) = sv.downcast::<SuperObj>() else {
        return Err(vm.type_error("descriptor '__get__' requires a 'super' object"));
    };
    let obj = &r[0];
    if obj.is_none() || !s.obj.get_clone().is_null() {
        return Ok(sv.clone());
    }
    let ty = s.ty.get_clone();
    if sv.type_raw() != types().super_ {
        // A subclass: construct another instance of it.
        return vm.call(&sv.type_of(), &[ty, obj.clone()]);
    }
    let v = Value::alloc(SuperObj::blank());
    // SAFETY: just allocated with a SuperObj payload.
    let ns = unsafe { v.payload_unchecked::<SuperObj>() };
    init(
        vm,
        ns,
        &Args {
            args: &[ty, obj.clone()],
            kwnames: &[],
        },
    )?;
    Ok(v)
}

/// `<super: <class 'T'>, <O object>>` (NULL when unbound).
fn super_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, _) = method_args(vm, "__repr__", a, 0, 0)?;
    let Some(s) = sv.downcast::<SuperObj>() else {
        return Err(vm.type_error("descriptor '__repr__' requires a 'super' object"));
    };
    Ok(crate::types::str::new_string(repr(s)))
}

/// The text of a super's repr.
pub fn repr(s: &SuperObj) -> String {
    let ty = s.ty.get_clone();
    let tn = if ty.is_null() {
        "NULL".to_string()
    } else {
        as_type(&ty).map(|t| t.name.clone()).unwrap_or_default()
    };
    let obj_type = s.obj_type.get_clone();
    match as_type(&obj_type) {
        Some(ot) => format!("<super: <class '{tn}'>, <{} object>>", ot.name),
        None => format!("<super: <class '{tn}'>, NULL>"),
    }
}
