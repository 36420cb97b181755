//! SyntaxError's constructor protocol: `SyntaxError(msg, (filename, lineno, offset,
//! text[, end_lineno, end_offset]))` sets `msg` and the position fields (the `args`
//! tuple keeps both arguments), and `str()` is `msg (file, line N)` with the file's
//! base name, as CPython's `SyntaxError_init` / `SyntaxError_str` do. The compiler's
//! errors ([`store_fields`]) carry the same fields, so `traceback` and the test suite
//! read one shape whichever made the exception.
//!
//! The fields live in the instance dict, with class-level `None` defaults (a subclass
//! whose `__init__` does not call ours still reads `None`), like OSError's.
use super::add_method;
use crate::ops;
use crate::types::class::type_data_raw;
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm, exc_data};
use crate::world::Types;

/// The attributes a SyntaxError always has (None until set).
const FIELDS: [&str; 8] = [
    "msg",
    "filename",
    "lineno",
    "offset",
    "text",
    "end_lineno",
    "end_offset",
    "print_file_and_line",
];

/// The position fields, in the order of the second constructor argument.
const POSITION: [&str; 6] = [
    "filename",
    "lineno",
    "offset",
    "text",
    "end_lineno",
    "end_offset",
];

pub fn install(t: &Types) {
    add_method(t.syntax_error, "__init__", syntax_error_init);
    add_method(t.syntax_error, "__str__", syntax_error_str);
    let d = &type_data_raw(t.syntax_error).dict;
    for f in FIELDS {
        d.set_str(f, Value::none());
    }
}

/// `SyntaxError.__init__(self, *args)`: `args` becomes `self.args`; the first is `msg`,
/// and a second one (any sequence of 4 to 6 items) gives the position fields.
fn syntax_error_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(
            vm.type_error("descriptor '__init__' of 'SyntaxError' object needs an argument")
        );
    };
    let args = &p[1..];
    if let Some(d) = exc_data(s) {
        let t = TupleObj::new_value(args.to_vec());
        let old = d.with(|d| std::mem::replace(&mut d.args, t));
        drop(old);
    }
    if let Some(m) = args.first() {
        ops::generic_setattr(vm, s, "msg", m.clone())?;
    }
    if args.len() == 2 {
        let mut vals = ops::collect(vm, &args[1])?;
        let n = vals.len();
        if n < 4 {
            return Err(vm.type_error(format!("function takes at least 4 arguments ({n} given)")));
        }
        if n > 6 {
            return Err(vm.type_error(format!("function takes at most 6 arguments ({n} given)")));
        }
        vals.resize_with(6, Value::none);
        for (name, v) in POSITION.iter().zip(vals) {
            ops::generic_setattr(vm, s, name, v)?;
        }
        if n == 5 {
            return Err(vm.type_error("end_offset must be provided when end_lineno is provided"));
        }
    }
    Ok(Value::none())
}

/// Set the fields of a SyntaxError the compiler made (its `args` are already
/// `(msg, (filename, lineno, offset, text, end_lineno, end_offset))`).
pub fn store_fields(vm: &mut Vm, exc: &Value, msg: Value, position: [Value; 6]) {
    let _ = ops::generic_setattr(vm, exc, "msg", msg);
    for (name, v) in POSITION.iter().zip(position) {
        let _ = ops::generic_setattr(vm, exc, name, v);
    }
}

fn syntax_error_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("__str__ needs self"));
    };
    let get = |vm: &mut Vm, n: &str| -> PyResult<Value> {
        Ok(ops::getattr_opt(vm, s, n)?.unwrap_or_else(Value::none))
    };
    let msg = get(vm, "msg")?;
    let msg = ops::to_str(vm, &msg)?;
    let filename = get(vm, "filename")?;
    // CPython shows only the file's base name.
    let file =
        crate::types::str::as_str(&filename).map(|f| f.rsplit('/').next().unwrap_or(f).to_string());
    let lineno = get(vm, "lineno")?;
    // Only an exact int counts as a line number (`PyLong_CheckExact`).
    let line = if lineno.type_raw() == crate::world::types().int {
        Some(ops::to_str(vm, &lineno)?)
    } else {
        None
    };
    Ok(new_string(match (file, line) {
        (Some(f), Some(l)) => format!("{msg} ({f}, line {l})"),
        (Some(f), None) => format!("{msg} ({f})"),
        (None, Some(l)) => format!("{msg} (line {l})"),
        (None, None) => msg,
    }))
}

/// A SyntaxError with only a message (errors found before there is a position, such
/// as undecodable source bytes), its `msg` set as `SyntaxError(msg)` would set it.
pub fn without_position(vm: &mut Vm, msg: impl Into<String>) -> crate::vm::PyErr {
    let msg = new_string(msg.into());
    let exc = vm.new_exception(crate::world::types().syntax_error, vec![msg.clone()]);
    let _ = ops::generic_setattr(vm, &exc, "msg", msg);
    crate::vm::PyErr { exc }
}

/// Issue the compiler's SyntaxWarnings through `_warnings`' `warn_explicit`, in order. One
/// that the filters turn into an error becomes a SyntaxError at the warning's
/// position (CPython's `compiler_warn`); any other error propagates.
pub fn issue_warnings(vm: &mut Vm, found: &[crate::compile::SourceError]) -> PyResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    let category = crate::world::types().syntax_warning;
    for w in found {
        let r = crate::modules::warnings::warn_explicit_str(
            vm,
            category,
            &w.msg,
            &w.filename,
            w.line as i64,
        );
        if let Err(e) = r {
            if vm.err_matches(&e, crate::world::types().syntax_warning) {
                let err = crate::compile::SourceError {
                    kind: "SyntaxError",
                    ..w.clone()
                };
                return Err(super::syntax_error_value(vm, &err));
            }
            return Err(e);
        }
    }
    Ok(())
}
