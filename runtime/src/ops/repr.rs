//! `repr()`, `str()` and `format()` of values, with CPython's exact text.
use std::cell::RefCell;

use crate::types::class::{Kind, as_type};
use crate::types::dict::DictObj;
use crate::types::float::float_repr;
use crate::types::func::{BuiltinFuncObj, FuncObj, MethodObj};
use crate::types::int::{as_int, to_str_radix};
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::str::{StrObj, as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, exc_data, lookup_special};
use crate::world::types;

thread_local! {
    /// Containers whose repr is in progress (for `[...]` on self-reference).
    static REPR_STACK: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Python's repr of a str (quotes chosen like CPython).
pub fn str_repr(s: &str) -> String {
    str_repr_flagged(s, false)
}

/// The repr of a str value: a flagged str's mapped code points print as the lone
/// surrogates they stand for (`'\udc80'`).
pub fn str_obj_repr(s: &StrObj) -> String {
    str_repr_flagged(&s.s, s.surrogates)
}

/// repr of `s`, whose mapped code points are surrogates when `surr` is set.
pub fn str_repr_flagged(s: &str, surr: bool) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if surr && crate::types::str::is_mapped(c) => {
                let n = crate::types::str::logical_cp(c, true);
                out.push_str(&format!("\\u{n:04x}"));
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_unprintable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// Characters a str's repr escapes beyond the ASCII controls (what `str.isprintable`
/// rejects too).
pub(crate) fn is_unprintable(c: char) -> bool {
    if c.is_ascii() {
        return (c as u32) < 0x20 || c as u32 == 0x7f;
    }
    crate::modules::unicodedata::is_unprintable(c)
}

/// A repr that never runs Python code (for dumps and debugging).
pub fn debug_repr(v: &Value) -> String {
    if let Some(s) = v.downcast::<StrObj>() {
        return str_obj_repr(s);
    }
    if let Some(i) = as_int(v)
        && !v.is_bool()
    {
        return to_str_radix(&i, 10);
    }
    if let Some(f) = v.as_float() {
        return float_repr(f);
    }
    if v.is_none() {
        return "None".into();
    }
    if v.is_bool() {
        return if v.is_true_singleton() {
            "True".into()
        } else {
            "False".into()
        };
    }
    if let Some(t) = v.downcast::<TupleObj>() {
        let parts: Vec<String> = t.items.iter().map(debug_repr).collect();
        return if parts.len() == 1 {
            format!("({},)", parts[0])
        } else {
            format!("({})", parts.join(", "))
        };
    }
    if let Some(c) = v.downcast::<crate::types::code::CodeObj>() {
        return format!("<code object {}>", c.name);
    }
    format!("<{} object>", v.type_data().name)
}

/// Run `f` (a repr) unless `v`'s repr is already in progress on this thread, in which
/// case the result is `Err(recursive)` (CPython's `Py_ReprEnter`: `[...]`, `{...}`).
pub fn repr_guard<T>(
    vm: &mut Vm,
    v: &Value,
    recursive: &str,
    f: impl FnOnce(&mut Vm) -> PyResult<T>,
) -> PyResult<Result<T, String>> {
    let id = v.bits();
    if REPR_STACK.with(|s| s.borrow().contains(&id)) {
        return Ok(Err(recursive.to_string()));
    }
    REPR_STACK.with(|s| s.borrow_mut().push(id));
    let r = f(vm);
    REPR_STACK.with(|s| s.borrow_mut().pop());
    r.map(Ok)
}

pub fn repr(vm: &mut Vm, v: &Value) -> PyResult<String> {
    // As CPython's `PyObject_Repr`: a repr may call back into itself natively.
    vm.enter_recursive(" while getting the repr of an object")?;
    let r = repr_inner(vm, v);
    vm.leave_recursive();
    r
}

fn repr_inner(vm: &mut Vm, v: &Value) -> PyResult<String> {
    if let Some(f) = crate::vm::subclass_override(v, "__repr__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return match crate::types::str::as_str(&r) {
            Some(s) => Ok(s.to_string()),
            None => Err(vm.type_error("__repr__ returned non-string")),
        };
    }
    repr_base(vm, v)
}

/// repr with the builtin types' own behaviour.
pub fn repr_base(vm: &mut Vm, v: &Value) -> PyResult<String> {
    if v.is_none() {
        return Ok("None".into());
    }
    if v.is_bool() {
        return Ok(if v.is_true_singleton() {
            "True".into()
        } else {
            "False".into()
        });
    }
    if let Some(f) = v.as_float() {
        return Ok(float_repr(f));
    }
    if let Some(i) = as_int(v) {
        return crate::types::int_digits::to_decimal(vm, &i);
    }
    if let Some(s) = v.downcast::<StrObj>() {
        return Ok(str_obj_repr(s));
    }
    if let Some(c) = v.downcast::<crate::types::complex::ComplexObj>() {
        return Ok(crate::types::complex::complex_repr(c.re, c.im));
    }
    if let Some(b) = v.downcast::<crate::types::bytes::BytesObj>() {
        return Ok(crate::types::bytes::bytes_repr(&b.data, "b"));
    }
    if let Some(b) = v.downcast::<crate::types::bytes::ByteArrayObj>() {
        return Ok(format!(
            "{}({})",
            v.type_data().name,
            crate::types::bytes::bytes_repr(&b.data.get_clone(), "b")
        ));
    }
    if v.is(&Value::ellipsis()) {
        return Ok("Ellipsis".into());
    }
    if v.is(&Value::not_implemented()) {
        return Ok("NotImplemented".into());
    }
    if let Some(l) = v.downcast::<ListObj>() {
        let items = l.snapshot();
        let r = repr_guard(vm, v, "[...]", |vm| {
            let mut parts = Vec::with_capacity(items.len());
            for x in &items {
                parts.push(repr(vm, x)?);
            }
            Ok(format!("[{}]", parts.join(", ")))
        })?;
        return Ok(r.unwrap_or_else(|e| e));
    }
    if let Some(t) = v.downcast::<TupleObj>() {
        let items = t.items.to_vec();
        let r = repr_guard(vm, v, "(...)", |vm| {
            let mut parts = Vec::with_capacity(items.len());
            for x in &items {
                parts.push(repr(vm, x)?);
            }
            Ok(if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            })
        })?;
        return Ok(r.unwrap_or_else(|e| e));
    }
    if let Some(d) = v.downcast::<DictObj>() {
        let items = d.items();
        let r = repr_guard(vm, v, "{...}", |vm| {
            let mut parts = Vec::with_capacity(items.len());
            for (k, x) in &items {
                parts.push(format!("{}: {}", repr(vm, k)?, repr(vm, x)?));
            }
            Ok(format!("{{{}}}", parts.join(", ")))
        })?;
        return Ok(r.unwrap_or_else(|e| e));
    }
    if let Some(s) = crate::types::set::as_set(v) {
        let keys = s.keys();
        let frozen = v.type_raw() == types().frozenset;
        let tn = v.type_data().name.clone();
        if keys.is_empty() {
            return Ok(format!("{tn}()"));
        }
        let r = repr_guard(vm, v, &format!("{tn}(...)"), |vm| {
            let mut parts = Vec::with_capacity(keys.len());
            for k in &keys {
                parts.push(repr(vm, k)?);
            }
            let body = format!("{{{}}}", parts.join(", "));
            Ok(if frozen || v.type_raw() != types().set {
                format!("{tn}({body})")
            } else {
                body
            })
        })?;
        return Ok(r.unwrap_or_else(|e| e));
    }
    if let Some(td) = as_type(v) {
        let m = td.module.get_clone();
        return Ok(if m == "builtins" {
            format!("<class '{}'>", td.qualname())
        } else {
            format!("<class '{}.{}'>", m, td.qualname())
        });
    }
    let td = v.type_data();
    if td.kind.protocols_in_dict()
        && let Some(f) = td.lookup_protocol("__repr__")
    {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return match r.downcast::<StrObj>() {
            Some(s) => Ok(s.s.to_string()),
            None => Err(vm.type_error("__repr__ returned non-string")),
        };
    }
    if td.kind == Kind::Object || td.kind == Kind::Native {
        let f = if td.kind == Kind::Native {
            td.lookup("__repr__")
        } else {
            td.lookup_user("__repr__")
        }
        .map(crate::vm::receiver_first);
        if let Some(f) = f {
            let r = vm.call(&f, std::slice::from_ref(v))?;
            return match r.downcast::<StrObj>() {
                Some(s) => Ok(s.s.to_string()),
                None => {
                    let tn = r.type_data().name.clone();
                    Err(vm.type_error(format!("__repr__ returned non-string (type {tn})")))
                }
            };
        }
        if td.is_exception {
            return exception_repr(vm, v);
        }
        return Ok(default_repr(v));
    }
    if let Some(r) = v.downcast::<crate::types::range::RangeObj>() {
        if let Some(b) = &r.big {
            return Ok(if b.step == num_bigint::BigInt::from(1) {
                format!("range({}, {})", b.start, b.stop)
            } else {
                format!("range({}, {}, {})", b.start, b.stop, b.step)
            });
        }
        return Ok(if r.step == 1 {
            format!("range({}, {})", r.start, r.stop)
        } else {
            format!("range({}, {}, {})", r.start, r.stop, r.step)
        });
    }
    if let Some(f) = v.downcast::<FuncObj>() {
        return Ok(format!(
            "<function {} at {:#x}>",
            f.qualname_str(),
            v.bits()
        ));
    }
    if let Some(b) = v.downcast::<BuiltinFuncObj>() {
        if !b.self_.is_null() {
            let tn = b.self_.type_data().name.clone();
            return Ok(format!(
                "<built-in method {} of {} object at {:#x}>",
                b.name,
                tn,
                b.self_.bits()
            ));
        }
        if !b.objclass.is_null() {
            return Ok(format!("<method '{}' of '{}' objects>", b.name, b.owner));
        }
        return Ok(format!("<built-in function {}>", b.name));
    }
    if let Some(m) = v.downcast::<MethodObj>() {
        // CPython's method_repr: `__qualname__`, else `__name__`, else "?" (a callable
        // object without either, or with a non-str one).
        let mut fname = super::lookup_attr(vm, &m.func, "__qualname__")?;
        if fname.is_none() {
            fname = super::lookup_attr(vm, &m.func, "__name__")?;
        }
        let fname = fname
            .and_then(|q| as_str(&q).map(|s| s.to_string()))
            .unwrap_or_else(|| "?".to_string());
        let sr = repr(vm, &m.self_)?;
        return Ok(format!("<bound method {fname} of {sr}>"));
    }
    if let Some(m) = v.downcast::<ModuleObj>() {
        let name = crate::types::module::name_of(m);
        return Ok(
            if name == "sys" || name == "builtins" || name == "math" || name == "time" {
                format!("<module '{name}' (built-in)>")
            } else {
                let file = m
                    .dict()
                    .get_str("__file__")
                    .and_then(|f| as_str(&f).map(|s| s.to_string()));
                match file {
                    Some(f) => format!("<module '{name}' from '{f}'>"),
                    None => format!("<module '{name}'>"),
                }
            },
        );
    }
    if let Some(s) = v.downcast::<crate::types::misc::SliceObj>() {
        return Ok(format!(
            "slice({}, {}, {})",
            repr(vm, &s.start)?,
            repr(vm, &s.stop)?,
            repr(vm, &s.step)?
        ));
    }
    if let Some(g) = crate::types::generator::gen_payload(v) {
        let q = g.qualname.read(|q| as_str(q).unwrap_or("?").to_string());
        let tn = &td.name;
        return Ok(format!("<{tn} object {q} at {:#x}>", v.bits()));
    }
    if let Some(dv) = crate::types::misc::as_dict_view(v) {
        let items = super::collect(vm, v)?;
        let _ = dv;
        let mut parts = Vec::with_capacity(items.len());
        for x in &items {
            parts.push(repr(vm, x)?);
        }
        return Ok(format!("{}([{}])", td.name, parts.join(", ")));
    }
    if let Some(c) = v.downcast::<crate::types::code::CodeObj>() {
        return Ok(crate::builtins::code::repr(c, v));
    }
    if let Some(s) = v.downcast::<crate::types::misc::SuperObj>() {
        return Ok(crate::builtins::super_repr(s));
    }
    if let Some(f) = crate::vm::native_dunder(v, "__repr__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if let Some(s) = r.downcast::<StrObj>() {
            return Ok(s.s.to_string());
        }
        let tn = r.type_data().name.clone();
        return Err(vm.type_error(format!("__repr__ returned non-string (type {tn})")));
    }
    Ok(default_repr(v))
}

pub fn default_repr(v: &Value) -> String {
    let td = v.type_data();
    let m = td.module.get_clone();
    let name = if m == "builtins" {
        td.qualname()
    } else {
        format!("{}.{}", m, td.qualname())
    };
    format!("<{} object at {:#x}>", name, v.bits())
}

fn exception_repr(vm: &mut Vm, v: &Value) -> PyResult<String> {
    let args = exc_data(v)
        .map(|d| d.with(|d| d.args.clone()))
        .unwrap_or_else(Value::none);
    let items = super::seq_items_fast(&args).unwrap_or_default();
    let name = v.type_data().name.clone();
    if items.len() == 1 {
        return Ok(format!("{name}({})", repr(vm, &items[0])?));
    }
    let r = repr(vm, &args)?;
    Ok(if items.is_empty() {
        format!("{name}()")
    } else {
        format!("{name}{r}")
    })
}

/// Python `str(v)`.
pub fn to_str(vm: &mut Vm, v: &Value) -> PyResult<String> {
    // As CPython's `PyObject_Str`: a str may call back into itself natively.
    vm.enter_recursive(" while getting the str of an object")?;
    let r = to_str_inner(vm, v);
    vm.leave_recursive();
    r
}

fn to_str_inner(vm: &mut Vm, v: &Value) -> PyResult<String> {
    if let Some(f) = crate::vm::subclass_override(v, "__str__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return match crate::types::str::as_str(&r) {
            Some(s) => Ok(s.to_string()),
            None => Err(vm.type_error("__str__ returned non-string")),
        };
    }
    if v.is_ptr()
        && v.type_data().is_heap
        && v.type_data().kind != Kind::Object
        && v.type_data().kind != Kind::Str
    {
        // bytes and bytearray have their own `__str__` (their repr, ignoring overrides).
        if matches!(v.type_data().kind, Kind::Bytes | Kind::ByteArray) {
            return repr_base(vm, v);
        }
        // A subclass of a native type inherits that type's own `__str__`
        // (`decimal.Decimal`'s), when it has one.
        if v.type_data().kind == Kind::Native
            && let Some((f, owner)) = v.type_data().lookup_with_owner("__str__")
            && as_type(&owner).is_some_and(|o| o.kind == Kind::Native)
        {
            let r = vm.call(&f, std::slice::from_ref(v))?;
            return match crate::types::str::as_str(&r) {
                Some(s) => Ok(s.to_string()),
                None => Err(vm.type_error("__str__ returned non-string")),
            };
        }
        return repr(vm, v);
    }
    if let Some(s) = v.downcast::<StrObj>() {
        return Ok(s.s.to_string());
    }
    let td = v.type_data();
    if td.kind == Kind::WeakProxy {
        let o = crate::modules::_weakref::referent(vm, v)?;
        return to_str(vm, &o);
    }
    if td.kind == Kind::Native
        && let Some(f) = td.dict.get_str("__str__")
    {
        // A native type's own `__str__` (mappingproxy's prints its mapping).
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return match crate::types::str::as_str(&r) {
            Some(s) => Ok(s.to_string()),
            None => Err(vm.type_error("__str__ returned non-string")),
        };
    }
    if td.kind == Kind::Object {
        if let Some(f) = td.lookup_user("__str__").map(crate::vm::receiver_first) {
            let r = vm.call(&f, std::slice::from_ref(v))?;
            return match r.downcast::<StrObj>() {
                Some(s) => Ok(s.s.to_string()),
                None => {
                    let tn = r.type_data().name.clone();
                    Err(vm.type_error(format!("__str__ returned non-string (type {tn})")))
                }
            };
        }
        if (td.is_subtype_raw(types().unicode_error)
            || td.is_subtype_raw(types().syntax_error)
            || td.is_subtype_raw(types().base_exception_group))
            && let Some(f) = td.lookup("__str__")
        {
            // The Unicode errors, SyntaxError and the groups build their message from
            // their state.
            let r = vm.call(&f, std::slice::from_ref(v))?;
            return Ok(crate::types::str::as_str(&r).unwrap_or("").to_string());
        }
        if td.is_exception && td.is_subtype_raw(types().os_error) {
            let s = crate::builtins::os_error::to_str(vm, v)?;
            return Ok(crate::types::str::as_str(&s).unwrap_or("").to_string());
        }
        if td.is_exception {
            let args = exc_data(v)
                .map(|d| d.with(|d| d.args.clone()))
                .unwrap_or_else(Value::none);
            let items = super::seq_items_fast(&args).unwrap_or_default();
            if td.is_subtype_raw(types().key_error) && items.len() == 1 {
                return repr(vm, &items[0]);
            }
            return match items.len() {
                0 => Ok(String::new()),
                1 => to_str(vm, &items[0]),
                _ => repr(vm, &args),
            };
        }
    }
    repr(vm, v)
}

pub fn str_value(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if v.downcast_exact::<StrObj>().is_some() {
        return Ok(v.clone());
    }
    Ok(new_string(to_str(vm, v)?))
}

pub fn repr_value(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    Ok(new_string(repr(vm, v)?))
}

pub fn ascii_value(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    let r = repr(vm, v)?;
    let mut out = String::with_capacity(r.len());
    for c in r.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n <= 0xff {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n <= 0xffff {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    Ok(new_string(out))
}

/// `format(v, spec)`.
pub fn format(vm: &mut Vm, v: &Value, spec: &str) -> PyResult<Value> {
    let td = v.type_data();
    if (td.kind == Kind::Object || td.is_heap)
        && let Some(f) = lookup_special(v, "__format__")
    {
        let r = vm.call(&f, &[v.clone(), crate::types::str::new_str(spec)])?;
        if crate::types::str::as_str(&r).is_none() {
            let tn = r.type_data().name.clone();
            return Err(vm.type_error(format!("__format__ must return a str, not {tn}")));
        }
        return Ok(r);
    }
    // A native type's own `__format__` (a native module's type, such as
    // `decimal.Decimal`), not the `object.__format__` every type inherits.
    if td.kind == Kind::Native
        && let Some((f, owner)) = td.lookup_with_owner("__format__")
        && as_type(&owner).is_some_and(|o| o.kind == Kind::Native)
    {
        let r = vm.call(&f, &[v.clone(), crate::types::str::new_str(spec)])?;
        if crate::types::str::as_str(&r).is_none() {
            let tn = r.type_data().name.clone();
            return Err(vm.type_error(format!("__format__ must return a str, not {tn}")));
        }
        return Ok(r);
    }
    // The builtins' `__format__` with an empty spec is `str(self)`, which a Python
    // subclass may override.
    if spec.is_empty() && td.is_heap && td.kind != Kind::Object {
        return str_value(vm, v);
    }
    let flag = crate::types::str::is_flagged(v);
    crate::format::format_value(vm, v, spec).map(|s| crate::types::str::new_string_flagged(s, flag))
}
