//! Object protocols: what the interpreter and builtins do to values (arithmetic,
//! comparison, hashing, attributes, items, iteration, repr). Builtin types are handled
//! natively; instances of Python classes go through their dunder methods.
mod arith;
mod attr;
mod compare;
mod exc;
mod item;
mod iter;
mod repeat;
mod repr;

pub use arith::*;
pub use attr::*;
pub use compare::*;
pub use exc::*;
pub use item::*;
pub use iter::*;
pub use repeat::{repeat, repeat_str, zeros};
pub use repr::*;

use crate::types::dict::DictObj;
use crate::types::func::FuncObj;
use crate::types::list::ListObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// Items of a list or tuple without running Python code.
pub fn seq_items_fast(v: &Value) -> Option<Vec<Value>> {
    if v.is_ptr() && v.type_data().is_heap && crate::vm::subclass_override(v, "__iter__").is_some()
    {
        return None;
    }
    if let Some(t) = v.downcast::<TupleObj>() {
        return Some(t.items.to_vec());
    }
    v.downcast::<ListObj>().map(|l| l.snapshot())
}

/// Build a function object (MAKE_FUNCTION).
pub fn make_function(
    code: Value,
    globals: Value,
    defaults: Value,
    kwdefaults: Value,
    annotations: Option<Value>,
    closure: Option<Value>,
) -> Value {
    // SAFETY: MAKE_FUNCTION's operand is always a code object constant.
    let co = unsafe { code.payload_unchecked::<crate::types::code::CodeObj>() };
    let (name, qualname) = co.name_objs().clone();
    let closure: Box<[Value]> = closure
        .and_then(|c| c.downcast::<TupleObj>().map(|t| Box::from(&t.items[..])))
        .unwrap_or_default();
    // `__name__`'s hash computed once (looking it up by text hashed it per function).
    static NAME_HASH: std::sync::LazyLock<i64> =
        std::sync::LazyLock::new(|| crate::types::str::hash_str("__name__"));
    let module = globals
        .downcast::<DictObj>()
        .and_then(|g| g.d.read(|d| d.get_hashed("__name__", *NAME_HASH)))
        .unwrap_or_else(Value::none);
    let doc = co
        .consts
        .first()
        .filter(|c| crate::types::str::as_str(c).is_some())
        .cloned();
    // The annotations come as a tuple of (name, value) pairs, as CPython 3.11's
    // MAKE_FUNCTION takes them; the function keeps them as a dict.
    let annotations = match annotations.as_ref().and_then(|a| a.downcast::<TupleObj>()) {
        Some(a) => {
            let ann = DictObj::new();
            for kv in a.items.chunks(2) {
                if let [k, v] = kv
                    && let Some(k) = crate::types::str::as_str(k)
                {
                    ann.set_str(k, v.clone());
                }
            }
            Value::alloc(ann)
        }
        None => Value::NULL,
    };
    let f = FuncObj {
        code_slot: crate::types::func_code::CodeSlot::new(code),
        globals,
        name: crate::object::ObjCell::new(name),
        qualname: crate::object::ObjCell::new(qualname),
        defaults: crate::object::ObjCell::new(defaults),
        kwdefaults: crate::object::ObjCell::new(kwdefaults),
        closure,
        dict: crate::object::ObjCell::new(Value::NULL),
        annotations: crate::object::ObjCell::new(annotations),
        module: crate::object::ObjCell::new(module),
        doc: crate::object::ObjCell::new(doc.unwrap_or_else(Value::none)),
    };
    let f = Value::alloc(f);
    crate::shared_immortal::new_function(&f);
    f
}

/// `len(v)`.
/// `callable(v)`: functions, builtins, methods, types, and objects whose type has
/// `__call__`.
pub fn callable(v: &Value) -> bool {
    use crate::types::class::Kind;
    matches!(
        v.type_data().kind,
        Kind::Function | Kind::Builtin | Kind::Method | Kind::Type | Kind::StaticMethod
    ) || (v.is_ptr() && crate::types::native::call_slot(v).is_some())
        || crate::vm::lookup_special(v, "__call__").is_some()
}

pub fn len(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    if let Some(f) = crate::vm::subclass_hook(v, "__len__", crate::types::class::HOOK_LEN) {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return len_result(vm, &r);
    }
    len_base(vm, v)
}

/// What a `__len__` returned, as a length: an int, not negative, that fits an index
/// (CPython's `slot_sq_length`).
fn len_result(vm: &mut Vm, r: &Value) -> PyResult<usize> {
    let Some(n) = crate::types::int::as_int(r) else {
        let tn = r.type_data().name.clone();
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    };
    if n.is_negative() {
        return Err(vm.value_error("__len__() should return >= 0"));
    }
    match n.to_i64() {
        Some(n) => Ok(n as usize),
        None => Err(vm.err(
            crate::world::types().overflow_error,
            "cannot fit 'int' into an index-sized integer",
        )),
    }
}

/// `len()` with the builtin types' own behaviour.
pub fn len_base(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    // Instances of native types and of Python classes hold no builtin container: go
    // straight to their `__len__` (the downcasts below would each take the subclass
    // path for them).
    if v.is_ptr()
        && matches!(
            v.type_data().kind,
            crate::types::class::Kind::Native | crate::types::class::Kind::Object
        )
    {
        return len_special(vm, v);
    }
    if let Some(l) = v.downcast::<ListObj>() {
        return Ok(l.len());
    }
    if let Some(t) = v.downcast::<TupleObj>() {
        return Ok(t.items.len());
    }
    if let Some(s) = v.downcast::<crate::types::str::StrObj>() {
        return Ok(s.nchars);
    }
    if let Some(d) = v.downcast::<DictObj>() {
        return Ok(d.len());
    }
    if let Some(s) = crate::types::set::as_set(v) {
        return Ok(s.len());
    }
    if let Some(r) = v.downcast::<crate::types::range::RangeObj>() {
        if let Some(b) = &r.big {
            return crate::types::range::big_len(vm, b);
        }
        return Ok(r.len() as usize);
    }
    if let Some(b) = crate::types::bytes::as_bytes(v) {
        return Ok(b.len());
    }
    if let Some(dv) = crate::types::misc::as_dict_view(v) {
        return Ok(dv.len());
    }
    len_special(vm, v)
}

/// `len()` through the object's `__len__`.
fn len_special(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    if let Some(f) = crate::vm::lookup_special(v, "__len__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return len_result(vm, &r);
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!("object of type '{tn}' has no len()")))
}
