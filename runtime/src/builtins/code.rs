//! Attributes and methods of code objects (`co_*`, `co_lines()`, `co_positions()`,
//! `replace()`), what `traceback`, `inspect` and friends read.
//!
//! Offsets are in CPython's units (two bytes per instruction), so `f_lasti`,
//! `tb_lasti` and `co_lines()` agree with each other. Code compiled from source
//! records each instruction's columns for `co_positions()` (the carets of the Lib's
//! `traceback`), unless `-X no_debug_ranges` asks for none.
use super::method_args;
use crate::types::code::CodeObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::Types;

pub fn install(t: &Types) {
    super::add_method(t.code, "co_lines", co_lines);
    super::add_method(t.code, "co_positions", co_positions);
    super::add_method(t.code, "replace", replace);
    super::add_method(t.code, "_varname_from_oparg", varname_from_oparg);
    super::add_method(t.code, "__eq__", code_eq);
    super::add_method(t.code, "__ne__", code_ne);
    super::add_method(t.code, "__hash__", code_hash);
}

/// Code objects are equal when they would run the same (CPython's `code_richcompare`):
/// name, signature counts, flags, first line, instructions, constants, names, local
/// names, line and exception tables; not the file or qualified name. `codeop` relies
/// on it, and compiling the same text twice gives equal code.
pub(crate) fn same_code(vm: &mut Vm, a: &CodeObj, b: &CodeObj) -> PyResult<bool> {
    if a.name != b.name
        || a.argcount != b.argcount
        || a.posonlyargcount != b.posonlyargcount
        || a.kwonlyargcount != b.kwonlyargcount
        || a.flags != b.flags
        || a.firstlineno != b.firstlineno
        || a.code != b.code
        || a.localsplus_names != b.localsplus_names
        || a.lines != b.lines
        || a.spans != b.spans
        || a.exc_table != b.exc_table
        || a.names.len() != b.names.len()
        || a.consts.len() != b.consts.len()
    {
        return Ok(false);
    }
    for (x, y) in a.names.iter().zip(&b.names) {
        if crate::types::str::as_str(x) != crate::types::str::as_str(y) {
            return Ok(false);
        }
    }
    for (x, y) in a.consts.iter().zip(&b.consts) {
        if !same_const(vm, x, y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Constants compare as CPython's constant keys do: of one type, floats and complex
/// numbers by their bits (so 0.0 and -0.0 differ), code objects as code, tuples item
/// by item, anything else by `==`.
fn same_const(vm: &mut Vm, x: &Value, y: &Value) -> PyResult<bool> {
    if x.is(y) {
        return Ok(true);
    }
    if x.type_of().raw() != y.type_of().raw() {
        return Ok(false);
    }
    if let (Some(p), Some(q)) = (x.as_float(), y.as_float()) {
        return Ok(p.to_bits() == q.to_bits());
    }
    if let (Some(p), Some(q)) = (x.downcast::<CodeObj>(), y.downcast::<CodeObj>()) {
        return same_code(vm, p, q);
    }
    if let (Some(p), Some(q)) = (x.downcast::<TupleObj>(), y.downcast::<TupleObj>()) {
        if p.items.len() != q.items.len() {
            return Ok(false);
        }
        for (i, j) in p.items.iter().zip(q.items.iter()) {
            if !same_const(vm, i, j)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let (Some(p), Some(q)) = (
        x.downcast::<crate::types::complex::ComplexObj>(),
        y.downcast::<crate::types::complex::ComplexObj>(),
    ) {
        return Ok(p.re.to_bits() == q.re.to_bits() && p.im.to_bits() == q.im.to_bits());
    }
    vm.eq(x, y)
}

fn code_compare(vm: &mut Vm, a: &Args, name: &str, equal: bool) -> PyResult<Value> {
    let (s, p) = method_args(vm, name, a, 1, 1)?;
    let (Some(x), Some(y)) = (s.downcast::<CodeObj>(), p[0].downcast::<CodeObj>()) else {
        return Ok(Value::not_implemented());
    };
    Ok(Value::bool(same_code(vm, x, y)? == equal))
}

fn code_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    code_compare(vm, a, "__eq__", true)
}

fn code_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    code_compare(vm, a, "__ne__", false)
}

/// A hash of fields equality compares exactly, so equal code objects hash alike.
fn code_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "__hash__", a, 0, 0)?;
    let Some(c) = s.downcast::<CodeObj>() else {
        return Err(vm.type_error("descriptor '__hash__' requires a 'code' object"));
    };
    Ok(Value::int(hash_of(c)))
}

/// `hash(code)`: never -1, which CPython reserves for errors.
pub(crate) fn hash_of(c: &CodeObj) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&c.name, &c.code, c.firstlineno, c.argcount, c.flags).hash(&mut h);
    (h.finish() >> 2) as i64
}

/// `_varname_from_oparg(i)`: the name of local, cell or free variable slot `i` (what
/// `dis` shows for the instructions that take a slot).
fn varname_from_oparg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = method_args(vm, "_varname_from_oparg", a, 1, 1)?;
    let Some(c) = s.downcast::<CodeObj>() else {
        return Err(vm.type_error("_varname_from_oparg() requires a 'code' object"));
    };
    let i = crate::types::int::as_int(&p[0]).and_then(|i| i.to_i64());
    match i
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| c.localsplus_names.get(i))
    {
        Some(n) => Ok(crate::world::intern(n)),
        None => Err(vm.err(
            crate::world::types().index_error,
            "tuple index out of range",
        )),
    }
}

fn names_tuple(names: &[String]) -> Value {
    TupleObj::new_value(names.iter().map(|n| crate::world::intern(n)).collect())
}

/// The `co_*` attribute `n` of `c`, or None for other names.
pub fn attr(c: &CodeObj, n: &str) -> Option<Value> {
    let lp = &c.localsplus_names;
    Some(match n {
        "co_name" => new_str(&c.name),
        "co_qualname" => new_str(&c.qualname),
        "co_filename" => new_str(&c.filename),
        "co_argcount" => Value::int(c.argcount as i64),
        "co_posonlyargcount" => Value::int(c.posonlyargcount as i64),
        "co_kwonlyargcount" => Value::int(c.kwonlyargcount as i64),
        "co_nlocals" => Value::int(c.nlocals as i64),
        "co_stacksize" => Value::int(c.stacksize as i64),
        "co_firstlineno" => Value::int(c.firstlineno as i64),
        // CPython's bits only (stitch marks class bodies with a private one).
        "co_flags" => Value::int((c.flags & !crate::compile::codegen::CO_CLASSBODY) as i64),
        "co_varnames" => names_tuple(&lp[..c.nlocals]),
        "co_cellvars" => names_tuple(&lp[c.nlocals..c.nlocals + c.ncells]),
        "co_freevars" => names_tuple(&lp[c.nlocals + c.ncells..]),
        "co_names" => TupleObj::new_value(c.names.clone()),
        "co_consts" => TupleObj::new_value(c.consts.clone()),
        // Two bytes per instruction (the opcode and the low byte of its argument),
        // so its length agrees with the offsets of `co_lines`.
        "co_code" => crate::types::bytes::BytesObj::new_value(
            c.code
                .iter()
                .flat_map(|w| [(w & 0xff) as u8, ((w >> 8) & 0xff) as u8])
                .collect(),
        ),
        "co_linetable" | "co_exceptiontable" | "co_lnotab" => {
            crate::types::bytes::BytesObj::new_value(vec![])
        }
        _ => return None,
    })
}

fn this_code<'a>(vm: &mut Vm, name: &str, a: &'a Args) -> PyResult<&'a CodeObj> {
    let (s, _) = method_args(vm, name, a, 0, 0)?;
    match s.downcast::<CodeObj>() {
        Some(c) => Ok(c),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'code' objects doesn't apply to a '{}' object",
            super::type_name(s)
        ))),
    }
}

/// `co_lines()`: `(start, end, line)` for each run of instructions on one line.
fn co_lines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = this_code(vm, "co_lines", a)?;
    let mut out: Vec<Value> = vec![];
    let mut start = 0usize;
    for i in 1..=c.code.len() {
        if i == c.code.len() || c.line_of(i) != c.line_of(start) {
            // Line 0: instructions of no line (the compiler's own jumps).
            let line = match c.line_of(start) {
                0 => Value::none(),
                l => Value::int(l as i64),
            };
            out.push(TupleObj::from_items([
                Value::int(2 * start as i64),
                Value::int(2 * i as i64),
                line,
            ]));
            start = i;
        }
    }
    let l = crate::types::list::ListObj::new_value(out);
    crate::ops::get_iter(vm, &l)
}

/// Do code objects give their column ranges? Not under CPython's `-X no_debug_ranges`
/// (or `PYTHONNODEBUGRANGES`), which traceback printers honour by showing no carets.
pub fn debug_ranges(vm: &Vm) -> bool {
    !(vm.opts.no_debug_ranges.0
        || crate::options::python_env("PYTHONNODEBUGRANGES").is_some_and(|v| !v.is_empty()))
}

/// `co_positions()`: `(line, end_line, col, end_col)` per instruction (None columns
/// for code compiled from `_ast` nodes, or without debug ranges).
fn co_positions(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = this_code(vm, "co_positions", a)?;
    let ranges = debug_ranges(vm);
    let col = |n: u32| {
        if n == crate::types::code::Span::NO_COL {
            Value::none()
        } else {
            Value::int(n as i64)
        }
    };
    let out: Vec<Value> = (0..c.code.len())
        .map(|i| {
            let line = c.line_of(i);
            if line == 0 {
                // No line (the compiler's own jumps): no position at all.
                return TupleObj::new_value(vec![Value::none(); 4]);
            }
            let l = Value::int(line as i64);
            match c.span_at(i) {
                Some(s) if ranges && s.col != crate::types::code::Span::NO_COL => {
                    TupleObj::from_items([
                        l,
                        Value::int(s.end_line as i64),
                        col(s.col),
                        col(s.end_col),
                    ])
                }
                _ => TupleObj::from_items([l.clone(), l, Value::none(), Value::none()]),
            }
        })
        .collect();
    let l = crate::types::list::ListObj::new_value(out);
    crate::ops::get_iter(vm, &l)
}

/// `repr(code)`: CPython's form.
pub fn repr(c: &CodeObj, v: &Value) -> String {
    format!(
        "<code object {} at {:#x}, file \"{}\", line {}>",
        c.name,
        v.bits(),
        c.filename,
        c.firstlineno
    )
}

/// `code.replace(**changes)`: a copy with the name, qualified name, file name, first
/// line or CO_ITERABLE_COROUTINE flag replaced (the fields that do not change what the
/// instructions mean).
fn replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let Some(s) = p.first() else {
        return Err(vm.type_error("descriptor 'replace' needs an argument"));
    };
    if p.len() > 1 {
        return Err(vm.type_error(format!(
            "replace() takes exactly 0 positional arguments ({} given)",
            p.len() - 1
        )));
    }
    let Some(c) = s.downcast::<CodeObj>() else {
        return Err(vm.type_error("descriptor 'replace' requires a 'code' object"));
    };
    let (mut name, mut qualname, mut filename, mut firstlineno, mut flags) = (
        c.name.clone(),
        c.qualname.clone(),
        c.filename.clone(),
        c.firstlineno,
        c.flags,
    );
    for (k, v) in a.kw() {
        let text = |vm: &mut Vm, v: &Value| -> PyResult<String> {
            match crate::types::str::as_str(v) {
                Some(s) => Ok(s.to_string()),
                None => Err(vm.type_error(format!(
                    "replace() argument '{k}' must be str, not {}",
                    super::type_name(v)
                ))),
            }
        };
        match k {
            "co_name" => name = text(vm, v)?,
            "co_qualname" => qualname = text(vm, v)?,
            "co_filename" => filename = text(vm, v)?,
            "co_firstlineno" => {
                firstlineno = crate::ops::to_isize(vm, v)?.clamp(0, u32::MAX as i64) as u32
            }
            // Only CO_ITERABLE_COROUTINE may change (`types.coroutine` sets it): it
            // changes what `await` accepts, not what the instructions mean.
            "co_flags"
                if crate::types::int::as_int(v)
                    .and_then(|i| i.to_i64())
                    .is_some_and(|f| {
                        (f as u32 ^ flags) & !crate::types::code::CO_ITERABLE_COROUTINE == 0
                            && f >= 0
                            && f <= u32::MAX as i64
                    }) =>
            {
                flags = crate::types::int::as_int(v)
                    .and_then(|i| i.to_i64())
                    .unwrap_or(flags as i64) as u32;
            }
            _ if attr(c, k).is_some() => {
                // The same value is fine (`replace(co_flags=code.co_flags)`).
                let cur = attr(c, k).unwrap_or_default();
                if !vm.eq(&cur, v)? {
                    return Err(vm.err(
                        crate::world::types().not_implemented_error,
                        format!("stitch does not support code.replace({k}=...) yet"),
                    ));
                }
            }
            _ => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for replace()"
                )));
            }
        }
    }
    // Lines move with the first line (CPython's line table is relative to it).
    let shift = firstlineno as i64 - c.firstlineno as i64;
    let lines: Vec<u32> = c
        .lines
        .iter()
        .map(|l| (*l as i64 + shift).max(0) as u32)
        .collect();
    let spans: Vec<crate::types::code::Span> = (0..c.spans.len())
        .filter_map(|i| c.span_at(i))
        .map(|s| crate::types::code::Span {
            end_line: (s.end_line as i64 + shift).max(0) as u32,
            ..s
        })
        .collect();
    let spans = crate::types::code::Spans::new(&spans, &lines);
    let co = CodeObj {
        name_objs: Default::default(),
        name,
        qualname,
        filename,
        code: c.code.clone(),
        quick: crate::specialize::new_caches(&c.code, &c.exc_table)
            .map_err(|e| vm.err(crate::world::types().system_error, e))?,
        consts: c.consts.clone(),
        names: c.names.clone(),
        localsplus_names: c.localsplus_names.clone(),
        nlocals: c.nlocals,
        ncells: c.ncells,
        nfree: c.nfree,
        cell2arg: c.cell2arg.clone(),
        argcount: c.argcount,
        posonlyargcount: c.posonlyargcount,
        kwonlyargcount: c.kwonlyargcount,
        flags,
        stacksize: c.stacksize,
        firstlineno,
        lines,
        spans,
        exc_table: c.exc_table.clone(),
    };
    Ok(Value::alloc(co))
}
