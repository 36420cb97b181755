//! Builtin functions (`print`, `len`, `sorted`, `min`, ...).
use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::classes;
use super::{posargs, type_name};
use crate::instructions as opc;
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::func::{NativeFn, new_builtin};
use crate::types::int::{IntRef, as_int, to_str_radix};
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::str::{StrObj, as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

pub fn install(d: &DictObj) {
    let fns: &[(&'static str, NativeFn)] = &[
        ("print", print),
        ("len", len),
        ("abs", abs),
        ("min", min),
        ("max", max),
        ("sum", sum),
        ("sorted", sorted),
        ("any", any),
        ("all", all),
        ("isinstance", isinstance),
        ("issubclass", issubclass),
        ("breakpoint", breakpoint),
        ("getattr", getattr),
        ("setattr", setattr),
        ("hasattr", hasattr),
        ("delattr", delattr),
        ("hash", hash),
        ("id", id),
        ("iter", iter),
        ("next", next),
        ("aiter", super::async_generators::builtin_aiter),
        ("anext", super::async_generators::builtin_anext),
        ("repr", repr),
        ("ascii", ascii),
        ("chr", chr),
        ("ord", ord),
        ("hex", hex),
        ("bin", bin),
        ("oct", oct),
        ("round", round),
        ("divmod", divmod),
        ("pow", pow),
        ("globals", globals),
        ("locals", locals),
        ("vars", vars),
        ("dir", dir),
        ("callable", callable),
        ("format", format),
        ("input", input),
        ("exit", exit),
        ("quit", exit),
        ("__build_class__", classes::build_class),
        ("__import__", import),
        ("exec", exec),
        ("eval", eval),
        ("compile", crate::modules::ast::compile_builtin),
        ("open", crate::modules::io::builtin_open),
    ];
    for (name, f) in fns {
        let v = new_builtin(name, *f);
        crate::object::make_immortal(v.raw());
        d.set_str(name, v);
    }
}

/// `sys.stdout` for `print`: the entry's position in the sys dict is remembered with
/// the dict's keys version (as LOAD_GLOBAL's specialization does), so a `print` reads
/// it without hashing or probing while no key of sys is added or removed.
fn sys_stdout_cached(d: &crate::types::dict::DictObj) -> Option<Value> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SLOT: AtomicU64 = AtomicU64::new(0);
    static KEY: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    d.d.with(|dd| {
        let v = dd.current_keys_version();
        let c = SLOT.load(Ordering::Relaxed);
        if v != 0 && (c >> 32) as u32 == v {
            return dd.entries.get(c as u32 as usize).map(|e| e.value.clone());
        }
        let bits = *KEY.get_or_init(|| crate::world::intern("stdout").bits());
        let key = Value::from_borrowed(stitch_stencils::value::RawValue(bits));
        let ix = dd.index_of_identical(&key, crate::types::str::str_hash_of(&key))?;
        let v = dd.keys_version();
        SLOT.store(((v as u64) << 32) | ix as u64, Ordering::Relaxed);
        Some(dd.entries[ix].value.clone())
    })
}

/// `sys.<name>`, looked up on every call (programs replace `sys.stdout`).
pub fn sys_stream(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    let sys = super::modules::sys_module();
    if name == "stdout"
        && let Some(m) = &sys
    {
        // SAFETY: the sys module is a module object.
        let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
        return match sys_stdout_cached(d) {
            Some(v) => Ok(Some(v)),
            None => Err(vm.runtime_error("lost sys.stdout")),
        };
    }
    let key = crate::world::intern(name);
    match sys.and_then(|m| {
        // SAFETY: the sys module is a module object.
        unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }
            .dict()
            .get_str_value(&key)
    }) {
        Some(v) => Ok(Some(v)),
        None => Err(vm.runtime_error(format!("lost sys.{name}"))),
    }
}

fn opt_str(vm: &mut Vm, v: Option<&Value>, default: &str, what: &str) -> PyResult<String> {
    match v {
        None => Ok(default.to_string()),
        Some(v) if v.is_none() => Ok(default.to_string()),
        Some(v) => match as_str(v) {
            Some(s) => Ok(s.to_string()),
            None => {
                let tn = type_name(v);
                Err(vm.type_error(format!("{what} must be None or a string, not {tn}")))
            }
        },
    }
}

fn print(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let mut sep = None;
    let mut end = None;
    let mut file = None;
    let mut flush = false;
    for (k, v) in a.kw() {
        match k {
            "sep" => sep = Some(v),
            "end" => end = Some(v),
            "file" => file = if v.is_none() { None } else { Some(v.clone()) },
            "flush" => flush = ops::truthy(vm, v)?,
            _ => {
                return Err(
                    vm.type_error(format!("'{k}' is an invalid keyword argument for print()"))
                );
            }
        }
    }
    // Text holding lone surrogates goes through the stream's `write` piece by piece
    // (its encoder applies `errors`, and positions in errors are per piece).
    let surr = crate::types::str::surrogates_seen()
        && (a.pos().iter().any(crate::types::str::is_flagged)
            || sep.is_some_and(crate::types::str::is_flagged)
            || end.is_some_and(crate::types::str::is_flagged));
    let sep_v = sep.filter(|v| as_str(v).is_some()).cloned();
    let end_v = end.filter(|v| as_str(v).is_some()).cloned();
    let sep = opt_str(vm, sep, " ", "sep")?;
    let end = opt_str(vm, end, "\n", "end")?;
    let file = match file {
        Some(f) => f,
        None => match sys_stream(vm, "stdout")? {
            Some(f) => f,
            None => return Ok(Value::none()),
        },
    };
    if file.is_none() {
        return Ok(Value::none());
    }
    let native_text = crate::modules::io::is_native_text(&file);
    let plain_stringio =
        !surr && !native_text && crate::modules::io::stringio::plain_for_print(vm, &file)?;
    if !surr && (native_text || plain_stringio) {
        // The fast path: the whole line encoded straight into the stream's buffer (a
        // StringIO's: appended to its text).
        let mut out = String::new();
        for (i, v) in a.pos().iter().enumerate() {
            if i > 0 {
                out.push_str(&sep);
            }
            match v.downcast_exact::<StrObj>() {
                Some(s) => out.push_str(&s.s),
                None => out.push_str(&ops::to_str(vm, v)?),
            }
        }
        out.push_str(&end);
        if plain_stringio {
            crate::modules::io::stringio::write_text(vm, &file, &out)?;
        } else {
            crate::modules::io::print_to(vm, &file, &out)?;
        }
    } else {
        // As CPython: one write() per piece.
        let w = ops::getattr_str(vm, &file, "write")?;
        for (i, v) in a.pos().iter().enumerate() {
            if i > 0 {
                let sv = sep_v.clone().unwrap_or_else(|| new_str(&sep));
                vm.call(&w, &[sv])?;
            }
            let s = ops::str_value(vm, v)?;
            vm.call(&w, &[s])?;
        }
        vm.call(&w, &[end_v.unwrap_or_else(|| new_str(&end))])?;
    }
    if flush {
        let f = ops::getattr_str(vm, &file, "flush")?;
        vm.call(&f, &[])?;
    }
    Ok(Value::none())
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "len", a, 1, 1)?;
    Ok(Value::int(ops::len(vm, &p[0])? as i64))
}

fn abs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "abs", a, 1, 1)?;
    let v = &p[0];
    if let Some(f) = v.as_float() {
        return Ok(Value::float(f.abs()));
    }
    if let Some(c) = v.downcast::<crate::types::complex::ComplexObj>() {
        return crate::types::complex::abs(vm, c.re, c.im);
    }
    if let Some(i) = as_int(v) {
        return Ok(match i {
            IntRef::Small(x) => Value::int(x.abs()),
            IntRef::Big(b) => Value::bigint(b.abs()),
        });
    }
    if let Some(f) = crate::vm::lookup_special(v, "__abs__") {
        return vm.call(&f, std::slice::from_ref(v));
    }
    let tn = type_name(v);
    Err(vm.type_error(format!("bad operand type for abs(): '{tn}'")))
}

fn min_max(vm: &mut Vm, a: &Args, is_max: bool) -> PyResult<Value> {
    let name = if is_max { "max" } else { "min" };
    let p = a.pos();
    let key = a.get_kw("key").filter(|k| !k.is_none()).cloned();
    let default = a.get_kw("default").cloned();
    for (k, _) in a.kw() {
        if k != "key" && k != "default" {
            return Err(vm.type_error(format!("{name}() got an unexpected keyword argument '{k}'")));
        }
    }
    // As CPython's `min_max`: one item at a time (an iterator's items, keys and
    // comparisons interleave), each key compared with the best so far by `<` (min) or
    // `>` (max); the first of equal items wins.
    let op = if is_max { ops::GT } else { ops::LT };
    let mut best: Option<(Value, Value)> = None;
    let mut consider = |vm: &mut Vm, it: Value| -> PyResult<()> {
        let k = match &key {
            Some(f) => vm.call(f, std::slice::from_ref(&it))?,
            None => it.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => ops::rich_bool(vm, &k, bk, op)?,
        };
        if better {
            best = Some((k, it));
        }
        Ok(())
    };
    match p.len() {
        0 => return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0"))),
        1 => {
            let iter = ops::get_iter(vm, &p[0])?;
            while let Some(it) = ops::next(vm, &iter)? {
                consider(vm, it)?;
            }
        }
        _ => {
            if default.is_some() {
                return Err(vm.type_error(format!(
                    "Cannot specify a default for {name}() with multiple positional arguments"
                )));
            }
            for it in p {
                consider(vm, it.clone())?;
            }
        }
    }
    match best {
        Some((_, v)) => Ok(v),
        None => match default {
            Some(d) => Ok(d),
            None => Err(vm.value_error(format!("{name}() arg is an empty sequence"))),
        },
    }
}

fn min(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    min_max(vm, a, false)
}
fn max(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    min_max(vm, a, true)
}

fn sum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.is_empty() {
        return Err(vm.type_error("sum() takes at least 1 positional argument (0 given)"));
    }
    if p.len() > 2 {
        return Err(super::arg_count_error(vm, "sum", p.len(), 1, 2));
    }
    let start = p
        .get(1)
        .or_else(|| a.get_kw("start"))
        .cloned()
        .unwrap_or_else(|| Value::int(0));
    if as_str(&start).is_some() {
        return Err(vm.type_error("sum() can't sum strings [use ''.join(seq) instead]"));
    }
    if crate::types::bytes::as_bytes(&start).is_some() {
        let tn = type_name(&start);
        return Err(vm.type_error(format!("sum() can't sum {tn} [use b''.join(seq) instead]")));
    }
    // Plain left-to-right addition, as CPython 3.11 does (3.12 added compensation).
    let it = ops::get_iter(vm, &p[0])?;
    let mut acc = start;
    loop {
        // Additions of builtin numbers run no Python code: a generator's items are
        // summed as it yields them (`next_not_taken`).
        let x = ops::next_not_taken(
            vm,
            &it,
            &mut |x| match ops::binary_fast(&acc, &x, opc::NB_ADD) {
                Some(r) => {
                    acc = r;
                    None
                }
                None => Some(x),
            },
        )?;
        let Some(x) = x else { return Ok(acc) };
        acc = ops::binary_op(vm, &acc, &x, opc::NB_ADD)?;
    }
}

pub fn sort_kwargs(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Option<Value>, bool)> {
    let mut key = None;
    let mut reverse = false;
    for (k, v) in a.kw() {
        match k {
            "key" => key = if v.is_none() { None } else { Some(v.clone()) },
            "reverse" => reverse = ops::truthy(vm, v)?,
            _ => {
                return Err(
                    vm.type_error(format!("'{k}' is an invalid keyword argument for {name}()"))
                );
            }
        }
    }
    Ok((key, reverse))
}

fn sorted(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() != 1 {
        return Err(vm.type_error(format!("sorted expected 1 argument, got {}", p.len())));
    }
    let (key, reverse) = sort_kwargs(vm, a, "sort")?;
    let items = ops::collect(vm, &p[0])?;
    let out = super::sort::sort_values(vm, items, key.as_ref(), reverse)?;
    Ok(ListObj::new_value(out))
}

fn any(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "any", a, 1, 1)?;
    let it = ops::get_iter(vm, &p[0])?;
    // Items whose truth needs no Python code are tested as a generator yields them;
    // the deciding one (or one that needs `__bool__`/`__len__`) comes back here.
    let decided = |x: Value| match ops::truthy_builtin(&x) {
        Some(t) if !t => None,
        _ => Some(x),
    };
    while let Some(x) = ops::next_not_taken(vm, &it, &mut { decided })? {
        if ops::truthy(vm, &x)? {
            return Ok(Value::bool(true));
        }
    }
    Ok(Value::bool(false))
}

fn all(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "all", a, 1, 1)?;
    let it = ops::get_iter(vm, &p[0])?;
    // Items whose truth needs no Python code are tested as a generator yields them;
    // the deciding one (or one that needs `__bool__`/`__len__`) comes back here.
    let decided = |x: Value| match ops::truthy_builtin(&x) {
        Some(t) if t => None,
        _ => Some(x),
    };
    while let Some(x) = ops::next_not_taken(vm, &it, &mut { decided })? {
        if !ops::truthy(vm, &x)? {
            return Ok(Value::bool(false));
        }
    }
    Ok(Value::bool(true))
}

fn isinstance(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "isinstance", a, 2, 2)?;
    Ok(Value::bool(super::isinstance(vm, &p[0], &p[1])?))
}

/// `breakpoint(*args, **kws)`: calls `sys.breakpointhook` with the same arguments.
fn breakpoint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // Missing: "lost sys.breakpointhook", as CPython says.
    let hook = sys_stream(vm, "breakpointhook")?.unwrap_or_else(Value::none);
    let kwnames = a.kwnames.to_vec();
    vm.call_kw(&hook, a.args, &kwnames)
}

fn issubclass(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "issubclass", a, 2, 2)?;
    Ok(Value::bool(super::issubclass(vm, &p[0], &p[1])?))
}

fn attr_name<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a str> {
    match as_str(v) {
        Some(s) => Ok(s),
        None => {
            let tn = type_name(v);
            Err(vm.type_error(format!("attribute name must be string, not '{tn}'")))
        }
    }
}

fn getattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "getattr", a, 2, 3)?;
    let n = attr_name(vm, &p[1])?;
    match ops::getattr_opt(vm, &p[0], n) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => match p.get(2) {
            Some(d) => Ok(d.clone()),
            None => Err(ops::no_attribute(vm, &p[0], n)),
        },
        Err(e) if p.len() == 3 && vm.err_matches(&e, types().attribute_error) => Ok(p[2].clone()),
        Err(e) => Err(e),
    }
}

fn setattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "setattr", a, 3, 3)?;
    attr_name(vm, &p[1])?;
    ops::setattr(vm, &p[0], &p[1], p[2].clone())?;
    Ok(Value::none())
}

fn hasattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "hasattr", a, 2, 2)?;
    let n = attr_name(vm, &p[1])?;
    match ops::getattr_opt(vm, &p[0], n) {
        Ok(v) => Ok(Value::bool(v.is_some())),
        Err(e) if vm.err_matches(&e, types().attribute_error) => Ok(Value::bool(false)),
        Err(e) => Err(e),
    }
}

fn delattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "delattr", a, 2, 2)?;
    attr_name(vm, &p[1])?;
    ops::delattr(vm, &p[0], &p[1])?;
    Ok(Value::none())
}

fn hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "hash", a, 1, 1)?;
    Ok(Value::int(vm.hash(&p[0])?))
}

fn id(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "id", a, 1, 1)?;
    Ok(Value::bigint(BigInt::from(p[0].bits())))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "iter", a, 1, 2)?;
    if p.len() == 2 {
        if !crate::types::weakref::is_callable(&p[0]) {
            return Err(vm.type_error("iter(v, w): v must be callable"));
        }
        return Ok(IterObj::new_value(
            types().callable_iterator,
            IterState::Callable {
                f: p[0].clone(),
                sentinel: p[1].clone(),
            },
        ));
    }
    ops::get_iter(vm, &p[0])
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "next", a, 1, 2)?;
    let it = &p[0];
    let is_iter = it.downcast::<IterObj>().is_some()
        || it.type_raw() == crate::world::types().generator
        || super::async_generators::is_awaitable_iter(it)
        || crate::vm::lookup_special(it, "__next__").is_some();
    if !is_iter {
        let tn = type_name(it);
        return Err(vm.type_error(format!("'{tn}' object is not an iterator")));
    }
    // Generators and awaitables finish with a value, which StopIteration carries.
    let step = if it.type_raw() == crate::world::types().generator {
        Some(vm.gen_resume(it, Value::none(), None))
    } else {
        super::async_generators::send(vm, it, Value::NULL)
    };
    if let Some(r) = step {
        return match r {
            Ok((v, true)) => Ok(v),
            Ok((v, false)) => match p.get(1) {
                Some(d) => Ok(d.clone()),
                None => Err(vm.stop_iteration(v)),
            },
            Err(e) => Err(e),
        };
    }
    match ops::next(vm, it)? {
        Some(v) => Ok(v),
        None => match p.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(vm.stop_iteration(Value::none())),
        },
    }
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "repr", a, 1, 1)?;
    ops::repr_value(vm, &p[0])
}

fn ascii(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "ascii", a, 1, 1)?;
    ops::ascii_value(vm, &p[0])
}

fn chr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "chr", a, 1, 1)?;
    let i = ops::to_isize(vm, &p[0])?;
    if (0xD800..0xE000).contains(&i) {
        let c = crate::types::str::surrogate_char(i as u32);
        return Ok(crate::types::str::new_string_flagged(c.to_string(), true));
    }
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => Ok(crate::types::str::char_str(c, false)),
        None => Err(vm.value_error("chr() arg not in range(0x110000)")),
    }
}

fn ord(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "ord", a, 1, 1)?;
    match p[0].downcast::<StrObj>() {
        Some(s) if s.nchars == 1 => Ok(Value::int(s.cp_at(0) as i64)),
        Some(s) => {
            let n = s.nchars;
            Err(vm.type_error(format!(
                "ord() expected a character, but string of length {n} found"
            )))
        }
        None => {
            if let Some(b) = crate::types::bytes::as_bytes(&p[0])
                && (p[0].downcast::<crate::types::bytes::BytesObj>().is_some()
                    || p[0]
                        .downcast::<crate::types::bytes::ByteArrayObj>()
                        .is_some())
            {
                if b.len() == 1 {
                    return Ok(Value::int(b[0] as i64));
                }
                let n = b.len();
                return Err(vm.type_error(format!(
                    "ord() expected a character, but string of length {n} found"
                )));
            }
            let tn = type_name(&p[0]);
            Err(vm.type_error(format!("ord() expected string of length 1, but {tn} found")))
        }
    }
}

fn radix(vm: &mut Vm, a: &Args, name: &str, r: u32, prefix: &str) -> PyResult<Value> {
    let p = posargs(vm, name, a, 1, 1)?;
    let b = ops::to_index(vm, &p[0])?;
    let s = to_str_radix(&IntRef::Big(&b.abs()), r);
    Ok(new_string(format!(
        "{}{prefix}{s}",
        if b.is_negative() { "-" } else { "" }
    )))
}

fn hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    radix(vm, a, "hex", 16, "0x")
}
fn bin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    radix(vm, a, "bin", 2, "0b")
}
fn oct(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    radix(vm, a, "oct", 8, "0o")
}

/// round(x[, ndigits]) with CPython's correctly rounded results.
pub fn round(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 2 {
        return Err(vm.type_error(format!(
            "round() takes at most 2 arguments ({} given)",
            p.len()
        )));
    }
    let x = p.first().or_else(|| a.get_kw("number"));
    let Some(x) = x else {
        return Err(vm.type_error("round() missing required argument 'number' (pos 1)"));
    };
    let nd = p
        .get(1)
        .or_else(|| a.get_kw("ndigits"))
        .filter(|v| !v.is_none())
        .cloned();
    if let Some(f) = x.as_float() {
        return match nd {
            // Exact for floats past i128 too (`round(1e300) == int(1e300)`).
            None => crate::builtins::finite_float_to_int(vm, f.round_ties_even()),
            Some(n) => {
                let n = ops::to_isize(vm, &n)?;
                if !f.is_finite() || f == 0.0 {
                    return Ok(Value::float(f));
                }
                if n > 300 {
                    return Ok(Value::float(f));
                }
                if n >= 0 {
                    let s = format!("{:.*}", n as usize, f);
                    Ok(Value::float(s.parse().unwrap_or(f)))
                } else {
                    let m = 10f64.powi((-n) as i32);
                    let r = (f / m).round_ties_even() * m;
                    Ok(Value::float(if r.is_finite() {
                        r
                    } else {
                        0.0f64.copysign(f)
                    }))
                }
            }
        };
    }
    if let Some(i) = as_int(x) {
        let Some(n) = nd else {
            return Ok(Value::bigint(i.to_big()));
        };
        let n = ops::to_isize(vm, &n)?;
        if n >= 0 {
            return Ok(Value::bigint(i.to_big()));
        }
        let m = num_traits::pow(BigInt::from(10), (-n) as usize);
        let v = i.to_big();
        let (q, r) = num_integer::Integer::div_mod_floor(&v, &m);
        let twice = &r * 2;
        let q = if twice > m || (twice == m && num_integer::Integer::is_odd(&q)) {
            q + 1
        } else {
            q
        };
        return Ok(Value::bigint(q * m));
    }
    if let Some(f) = crate::vm::lookup_special(x, "__round__") {
        let mut args = vec![x.clone()];
        if let Some(n) = nd {
            args.push(n);
        }
        return vm.call(&f, &args);
    }
    let tn = type_name(x);
    Err(vm.type_error(format!("type {tn} doesn't define __round__ method")))
}

fn divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "divmod", a, 2, 2)?;
    if let (Some(x), Some(y)) = (as_int(&p[0]), as_int(&p[1]))
        && y.is_zero()
        && !p[0].is_float()
        && !p[1].is_float()
    {
        let _ = x;
        return Err(vm.zero_division("integer division or modulo by zero"));
    }
    let (a, b) = (&p[0], &p[1]);
    let t = crate::world::types();
    let plain_real = |v: &Value| [t.int, t.bool, t.float].contains(&v.type_raw());
    if plain_real(a) && plain_real(b) {
        // The builtin reals' own slots, without calling them.
        let q = ops::binary_op(vm, a, b, opc::NB_FLOOR_DIVIDE)?;
        let r = ops::binary_op(vm, a, b, opc::NB_REMAINDER)?;
        return Ok(TupleObj::from_items([q, r]));
    }
    // `__divmod__` / `__rdivmod__` as any binary operator: the right operand first when
    // its type is a proper subclass of the left's and overrides the reflection.
    let rf = if a.type_raw() != b.type_raw() {
        crate::vm::lookup_special(b, "__rdivmod__")
    } else {
        None
    };
    let b_first = rf.is_some() && b.type_data().is_subtype_raw(a.type_raw());
    let mut tries: Vec<(Value, Value, Value)> = vec![];
    if b_first && let Some(f) = &rf {
        tries.push((f.clone(), b.clone(), a.clone()));
    }
    if let Some(f) = crate::vm::lookup_special(a, "__divmod__") {
        tries.push((f, a.clone(), b.clone()));
    }
    if !b_first && let Some(f) = rf {
        tries.push((f, b.clone(), a.clone()));
    }
    for (f, x, y) in tries {
        let r = vm.call(&f, &[x, y])?;
        if !r.is(&Value::not_implemented()) {
            return Ok(r);
        }
    }
    let real = |v: &Value| as_int(v).is_some() || v.as_float().is_some();
    if !real(a) || !real(b) {
        let (na, nb) = (type_name(a), type_name(b));
        return Err(vm.type_error(format!(
            "unsupported operand type(s) for divmod(): '{na}' and '{nb}'"
        )));
    }
    let q = ops::binary_op(vm, a, b, opc::NB_FLOOR_DIVIDE)?;
    let r = ops::binary_op(vm, a, b, opc::NB_REMAINDER)?;
    Ok(TupleObj::from_items([q, r]))
}

fn pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    let base = p.first().or_else(|| a.get_kw("base"));
    let exp = p.get(1).or_else(|| a.get_kw("exp"));
    let (Some(base), Some(exp)) = (base, exp) else {
        return Err(vm.type_error("pow() missing required argument 'exp' (pos 2)"));
    };
    let m = p
        .get(2)
        .or_else(|| a.get_kw("mod"))
        .filter(|v| !v.is_none());
    match m {
        None => ops::binary_op(vm, base, exp, opc::NB_POWER),
        Some(m) => {
            // A Python class's `__pow__` (an int subclass's too) takes the modulus:
            // CPython's ternary_op calls the base's slot first, and three-argument
            // `slot_nb_power` only ever calls the base's `__pow__` (never `__rpow__`).
            if base.type_data().is_heap
                && let Some(f) = base.type_data().lookup_user("__pow__")
            {
                let r = vm.call(
                    &crate::vm::receiver_first(f),
                    &[base.clone(), exp.clone(), m.clone()],
                )?;
                if !r.is(&Value::not_implemented()) {
                    return Ok(r);
                }
            }
            // A base of another type: its `__pow__` takes the modulus (ternary_op's
            // first slot; a float's rejects one below).
            if as_int(base).is_none() && base.as_float().is_none() {
                if !base.type_data().is_heap
                    && let Some(f) = crate::vm::lookup_special(base, "__pow__")
                {
                    let r = vm.call(&f, &[base.clone(), exp.clone(), m.clone()])?;
                    if !r.is(&Value::not_implemented()) {
                        return Ok(r);
                    }
                }
                let tp_name = |v: &Value| crate::types::native::tp_name(v.type_data());
                let (nb, ne, nm) = (tp_name(base), tp_name(exp), tp_name(m));
                return Err(vm.type_error(format!(
                    "unsupported operand type(s) for ** or pow(): '{nb}', '{ne}', '{nm}'"
                )));
            }
            let (Some(b), Some(e), Some(md)) = (as_int(base), as_int(exp), as_int(m)) else {
                return Err(vm.type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ));
            };
            let md = md.to_big();
            if md.is_zero() {
                return Err(vm.value_error("pow() 3rd argument cannot be 0"));
            }
            let mut e = e.to_big();
            let mut b = b.to_big();
            if e.is_negative() {
                // Modular inverse.
                let inv = mod_inverse(&b, &md);
                match inv {
                    Some(i) => b = i,
                    None => {
                        return Err(vm.value_error("base is not invertible for the given modulus"));
                    }
                }
                e = -e;
            }
            let r = b.modpow(&e, &md.abs());
            let r = if md.is_negative() && !r.is_zero() {
                r + &md
            } else {
                r
            };
            Ok(Value::bigint(r))
        }
    }
}

fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let g = num_integer::Integer::extended_gcd(a, m);
    if g.gcd != BigInt::from(1) && g.gcd != BigInt::from(-1) {
        return None;
    }
    Some(num_integer::Integer::mod_floor(&g.x, &m.abs()))
}

fn globals(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    if vm.frame.is_null() {
        return Ok(Value::none());
    }
    // SAFETY: vm.frame is live.
    Ok(Value::from_borrowed(unsafe { (*vm.frame).globals }))
}

fn locals(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if vm.frame.is_null() {
        return globals(vm, a);
    }
    // SAFETY: vm.frame is the live caller frame.
    Ok(unsafe { frame_locals(vm.frame) })
}

/// The locals of a frame as `locals()` sees them: a class body's namespace, the
/// globals of module code, else a fresh dict of the bound locals, cells and free vars.
///
/// # Safety
/// `f` must be a live frame.
pub unsafe fn frame_locals(f: *mut stitch_stencils::frame::FrameHeader) -> Value {
    // SAFETY: the caller guarantees f is live.
    let co = unsafe { crate::frame::frame_code(f) };
    if co.flags & crate::compile::codegen::CO_CLASSBODY != 0 {
        // SAFETY: slot 0 of a class body is its namespace.
        return unsafe { &*(stitch_stencils::frame::FrameHeader::localsplus(f) as *const Value) }
            .clone();
    }
    // SAFETY: f is live.
    if unsafe { (*f).func.is_null() } {
        // SAFETY: f is live; module code's locals are its globals.
        return Value::from_borrowed(unsafe { (*f).globals });
    }
    let d = DictObj::new();
    // SAFETY: slots below nlocalsplus are initialised.
    let lp = unsafe { stitch_stencils::frame::FrameHeader::localsplus(f) as *const Value };
    for (i, name) in co.localsplus_names.iter().enumerate() {
        // SAFETY: i < nlocalsplus.
        let v = unsafe { &*lp.add(i) };
        let v = if i >= co.nlocals {
            v.downcast::<crate::types::func::CellObj>()
                .map(|c| c.get())
                .unwrap_or(Value::NULL)
        } else {
            v.clone()
        };
        if !v.is_null() {
            d.set_str(name, v);
        }
    }
    Value::alloc(d)
}

fn vars(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "vars", a, 0, 1)?;
    match p.first() {
        None => locals(vm, a),
        Some(o) => match ops::getattr_opt(vm, o, "__dict__")? {
            Some(d) => Ok(d),
            None => Err(vm.type_error("vars() argument must have __dict__ attribute")),
        },
    }
}

/// `dir([obj])`: the sorted names of the current scope, or of `type(obj).__dir__(obj)`
/// (object's, type's and module's are below; classes may define their own).
fn dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "dir", a, 0, 1)?;
    let Some(o) = p.first() else {
        let l = locals(vm, a)?;
        let mut names = l
            .downcast::<DictObj>()
            .map(|d| d.keys())
            .unwrap_or_default();
        sort_names(vm, &mut names)?;
        return Ok(ListObj::new_value(names));
    };
    let ty = o.type_of();
    let mut names = match crate::types::class::as_type(&ty)
        .and_then(|t| t.lookup("__dir__"))
        .map(crate::vm::receiver_first)
    {
        Some(f) => {
            let r = vm.call(&f, std::slice::from_ref(o))?;
            ops::collect(vm, &r)?
        }
        None => object_dir_names(vm, o)?,
    };
    sort_names(vm, &mut names)?;
    Ok(ListObj::new_value(names))
}

/// Sort `names` as `sorted()` would (str names compare without calling Python).
fn sort_names(vm: &mut Vm, names: &mut [Value]) -> PyResult<()> {
    super::sort::sort_in_place(vm, names, None, false)
}

/// Names in `d` (a `__dict__`), appended to `out` unless already seen.
fn dict_names(d: &Value, out: &mut Vec<Value>, seen: &mut std::collections::HashSet<String>) {
    if let Some(d) = d.downcast::<DictObj>() {
        for k in d.keys() {
            if let Some(s) = as_str(&k)
                && seen.insert(s.to_string())
            {
                out.push(k.clone());
            }
        }
    }
}

/// Names of the attributes of a class and of its bases (what `type.__dir__` lists).
fn class_names(t: &Value, out: &mut Vec<Value>, seen: &mut std::collections::HashSet<String>) {
    if let Some(td) = crate::types::class::as_type(t) {
        for base in td.mro.get_clone() {
            let btd = crate::types::class::type_data_raw(base.raw());
            for k in btd.dict.keys() {
                if let Some(s) = as_str(&k)
                    && seen.insert(s.to_string())
                {
                    out.push(k.clone());
                }
            }
            for n in implicit_names(&base, btd) {
                if seen.insert(n.clone()) {
                    out.push(new_string(n));
                }
            }
        }
    }
}

/// Attributes stitch serves without an entry in the class dict (ops/attr.rs answers
/// them), which CPython's class dicts hold as descriptors: `dir()` lists them too.
fn implicit_names(cls: &Value, td: &crate::types::class::TypeData) -> Vec<String> {
    let t = crate::world::types();
    let fixed: &[&str] = match cls.raw() {
        r if r == t.object => &["__class__", "__doc__"],
        r if r == t.int => &["denominator", "imag", "numerator", "real"],
        r if r == t.float || r == t.complex => &["imag", "real"],
        r if r == t.builtin_function => &["__module__", "__name__", "__qualname__", "__self__"],
        r if r == t.method_descriptor => &["__name__", "__objclass__", "__qualname__"],
        r if r == t.generator => &[
            "__name__",
            "__qualname__",
            "gi_code",
            "gi_frame",
            "gi_running",
            "gi_suspended",
            "gi_yieldfrom",
        ],
        r if r == t.coroutine => &[
            "__name__",
            "__qualname__",
            "cr_await",
            "cr_code",
            "cr_frame",
            "cr_origin",
            "cr_running",
            "cr_suspended",
        ],
        r if r == t.async_generator => &[
            "__name__",
            "__qualname__",
            "ag_await",
            "ag_code",
            "ag_frame",
            "ag_running",
        ],
        r if r == t.code => &[
            "co_argcount",
            "co_cellvars",
            "co_code",
            "co_consts",
            "co_exceptiontable",
            "co_filename",
            "co_firstlineno",
            "co_flags",
            "co_freevars",
            "co_kwonlyargcount",
            "co_linetable",
            "co_lnotab",
            "co_name",
            "co_names",
            "co_nlocals",
            "co_posonlyargcount",
            "co_qualname",
            "co_stacksize",
            "co_varnames",
        ],
        r if r == t.property => &["__isabstractmethod__", "fdel", "fget", "fset"],
        r if r == t.staticmethod || r == t.classmethod => &[
            "__dict__",
            "__func__",
            "__isabstractmethod__",
            "__wrapped__",
        ],
        r if r == t.cell => &["cell_contents"],
        r if r == t.range || r == t.slice => &["start", "step", "stop"],
        r if r == t.dict_keys || r == t.dict_values || r == t.dict_items => &["mapping"],
        r if r == t.super_ => &["__self__", "__self_class__", "__thisclass__"],
        r if r == t.base_exception => &[
            "__cause__",
            "__context__",
            "__suppress_context__",
            "__traceback__",
            "args",
        ],
        _ => &[],
    };
    let mut names: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    if !td.is_heap {
        return names;
    }
    // A Python class: its `__doc__`, then the descriptors of its own `__slots__`, or
    // `__dict__`/`__weakref__` when it declares none.
    names.push("__doc__".into());
    match td.dict.get_str("__slots__") {
        None => {
            if td.has_dict {
                names.push("__dict__".into());
                names.push("__weakref__".into());
            }
        }
        Some(sl) => {
            let items = match as_str(&sl) {
                Some(one) => vec![one.to_string()],
                None => ops::seq_items_fast(&sl)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|v| as_str(v).map(str::to_string))
                    .collect(),
            };
            names.extend(items);
        }
    }
    names
}

/// `object.__dir__`: the instance's `__dict__` and the attributes of its class.
fn object_dir_names(vm: &mut Vm, o: &Value) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    if let Some(d) = ops::getattr_opt(vm, o, "__dict__")? {
        dict_names(&d, &mut out, &mut seen);
    }
    let cls = ops::getattr_opt(vm, o, "__class__")?.unwrap_or_else(|| o.type_of());
    class_names(&cls, &mut out, &mut seen);
    Ok(out)
}

pub(crate) fn object_dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "__dir__", a, 0, 0)?;
    let names = object_dir_names(vm, s)?;
    Ok(ListObj::new_value(names))
}

/// `type.__dir__`: the attributes of the class and of its bases (not its metaclass's).
pub(crate) fn type_dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "__dir__", a, 0, 0)?;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    class_names(s, &mut out, &mut seen);
    Ok(ListObj::new_value(out))
}

/// `module.__dir__`: the module's own `__dir__` function (PEP 562) or its dict's keys.
pub(crate) fn module_dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::builtins::method_args(vm, "__dir__", a, 0, 0)?;
    if s.downcast::<crate::types::module::ModuleObj>().is_none() {
        return Err(vm.type_error("descriptor '__dir__' requires a 'module' object"));
    }
    // The dict as `module.__dict__` gives it (a subclass may shadow it).
    let d = ops::getattr_str(vm, s, "__dict__")?;
    let Some(dict) = d.downcast::<DictObj>() else {
        return Err(vm.type_error("<module>.__dict__ is not a dictionary"));
    };
    if let Some(f) = dict.get_str("__dir__") {
        return vm.call(&f, &[]);
    }
    Ok(ListObj::new_value(dict.keys()))
}

fn callable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "callable", a, 1, 1)?;
    Ok(Value::bool(crate::ops::callable(&p[0])))
}

fn format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "format", a, 1, 2)?;
    let spec = match p.get(1) {
        None => String::new(),
        Some(s) => match as_str(s) {
            Some(s) => s.to_string(),
            None => {
                let tn = type_name(s);
                return Err(vm.type_error(format!("format() argument 2 must be str, not {tn}")));
            }
        },
    };
    ops::format(vm, &p[0], &spec)
}

fn input(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = posargs(vm, "input", a, 0, 1)?;
    let lost = |vm: &mut Vm, n: &str| vm.runtime_error(format!("input(): lost sys.{n}"));
    let Some(fin) = sys_stream(vm, "stdin")
        .ok()
        .flatten()
        .filter(|v| !v.is_none())
    else {
        return Err(lost(vm, "stdin"));
    };
    let Some(fout) = sys_stream(vm, "stdout")
        .ok()
        .flatten()
        .filter(|v| !v.is_none())
    else {
        return Err(lost(vm, "stdout"));
    };
    if let Ok(Some(ferr)) = sys_stream(vm, "stderr")
        && !ferr.is_none()
    {
        let _ = ops::getattr_str(vm, &ferr, "flush").and_then(|f| vm.call(&f, &[]));
    }
    if let Some(prompt) = p.first() {
        let s = ops::str_value(vm, prompt)?;
        let w = ops::getattr_str(vm, &fout, "write")?;
        vm.call(&w, &[s])?;
    }
    // A stdout that cannot flush does not stop input() (CPython clears the error).
    let _ = ops::getattr_str(vm, &fout, "flush").and_then(|f| vm.call(&f, &[]));
    let mut line = match crate::modules::io::readline_native(vm, &fin)? {
        Some(l) => l,
        None => {
            let f = ops::getattr_str(vm, &fin, "readline")?;
            let v = vm.call(&f, &[])?;
            match crate::types::str::as_str(&v) {
                Some(s) => s.to_string(),
                None => return Err(vm.type_error("object.readline() returned non-string")),
            }
        }
    };
    if line.is_empty() {
        return Err(vm.err(types().eof_error, "EOF when reading a line"));
    }
    if line.ends_with('\n') {
        line.pop();
    }
    Ok(new_string(line))
}

fn exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let args = a.pos().to_vec();
    Err(crate::vm::PyErr {
        exc: vm.new_exception(types().system_exit, args),
    })
}

fn import(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = crate::modules::native_args::bind(
        vm,
        "__import__",
        a,
        &["name", "globals", "locals", "fromlist", "level"],
        1,
        5,
    )?;
    let Some(name) = b[0].and_then(|n| as_str(n)) else {
        return Err(vm.type_error("module name must be a string"));
    };
    let name = name.to_string();
    let fromlist = b[3]
        .filter(|f| !f.is_none())
        .cloned()
        .unwrap_or_else(|| TupleObj::from_items([]));
    let level = b[4].cloned().unwrap_or_else(|| Value::int(0));
    if level.as_small_int().is_some_and(|l| l < 0) {
        return Err(vm.value_error("level must be >= 0"));
    }
    if name.is_empty() && level.as_small_int() == Some(0) {
        return Err(vm.value_error("Empty module name"));
    }
    let globals = b[1]
        .filter(|g| !g.is_none())
        .cloned()
        .unwrap_or_else(DictObj::new_value);
    crate::import::import_name(vm, &new_str(&name), &fromlist, &level, &globals)
}

/// The caller's globals and a namespace for exec/eval: explicit dicts, or the caller's
/// globals and (inside a function) a snapshot of its locals.
fn exec_namespaces(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Value, Value)> {
    let p = a.pos();
    let globals = p
        .get(1)
        .or_else(|| a.get_kw("globals"))
        .filter(|g| !g.is_none())
        .cloned();
    let explicit_locals = p
        .get(2)
        .or_else(|| a.get_kw("locals"))
        .filter(|l| !l.is_none())
        .cloned();
    let globals = match globals {
        Some(g) => {
            if g.downcast::<DictObj>().is_none() {
                let tn = type_name(&g);
                return Err(vm.type_error(format!("{name}() globals must be a dict, not {tn}")));
            }
            if let Some(gd) = g.downcast::<DictObj>()
                && gd.get_str("__builtins__").is_none()
            {
                gd.set_str("__builtins__", vm.builtins.clone());
            }
            g
        }
        None => globals_of_caller(vm),
    };
    let ns = match explicit_locals {
        Some(l) => l,
        None if p.get(1).is_some() || a.get_kw("globals").is_some() => globals.clone(),
        None => locals(vm, &Args::new(&[]))?,
    };
    Ok((globals, ns))
}

fn globals_of_caller(vm: &mut Vm) -> Value {
    if vm.frame.is_null() {
        return DictObj::new_value();
    }
    // SAFETY: vm.frame is the live frame that called exec/eval.
    Value::from_borrowed(unsafe { (*vm.frame).globals })
}

fn code_for(
    vm: &mut Vm,
    src: &Value,
    mode: crate::compile::codegen::Mode,
    name: &str,
) -> PyResult<Value> {
    if src.downcast::<crate::types::code::CodeObj>().is_some() {
        return Ok(src.clone());
    }
    // Bytes-like sources are decoded as compile() decodes them.
    let owned = crate::modules::ast::compile_fn::source_text(vm, src, name, "code object")?;
    let s = owned.as_str();
    let text = if mode == crate::compile::codegen::Mode::Eval {
        s.trim_start_matches([' ', '\t'])
    } else {
        s
    };
    // Source text compiled here keeps the caller's `__future__` features.
    let flags = crate::compile::future::inherited(vm);
    let mut warnings = vec![];
    match crate::compile::compile_flags(text, "<string>", mode, flags, -1, &mut warnings) {
        Ok(c) => {
            super::syntax_error::issue_warnings(vm, &warnings)?;
            Ok(c)
        }
        Err(e) => Err(super::syntax_error_value(vm, &e)),
    }
}

fn run_in_namespace(vm: &mut Vm, code: &Value, globals: Value, ns: Value) -> PyResult<Value> {
    let f = ops::make_function(code.clone(), globals, Value::NULL, Value::NULL, None, None);
    vm.call(&f, &[ns])
}

fn exec(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(src) = a.pos().first() else {
        return Err(vm.type_error("exec() missing required argument 'source' (pos 1)"));
    };
    let code = code_for(vm, src, crate::compile::codegen::Mode::Exec, "exec")?;
    let (globals, ns) = exec_namespaces(vm, a, "exec")?;
    run_in_namespace(vm, &code, globals, ns)?;
    Ok(Value::none())
}

fn eval(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(src) = a.pos().first() else {
        return Err(vm.type_error("eval() missing required argument 'source' (pos 1)"));
    };
    let code = code_for(vm, src, crate::compile::codegen::Mode::Eval, "eval")?;
    let (globals, ns) = exec_namespaces(vm, a, "eval")?;
    run_in_namespace(vm, &code, globals, ns)
}
