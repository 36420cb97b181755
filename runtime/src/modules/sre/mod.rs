//! `_sre`: the regular expression engine under CPython's `re` package.
//!
//! CPython's `re/_parser.py` and `re/_compiler.py` turn a pattern into a list of
//! integer codes; `_sre.compile` wraps that list in a `re.Pattern`, whose methods run
//! it with the matcher in `engine.rs`. Files: `constants.rs` (the opcode numbers),
//! `chars.rs` (character classes and case), `engine.rs` (the matcher), `subject.rs`
//! (strings as code units), `pattern.rs`, `matchobj.rs`, `scanner.rs` (the objects),
//! `args.rs` (argument parsing); this file holds the module functions.
//!
//! Substitution templates (`\1`, `\g<name>`) are expanded as CPython 3.11 does it: by
//! calling back into `re._subx` and `re._expand`, which parse them in Python.
mod args;
mod chars;
pub mod constants;
pub mod engine;
pub mod matchobj;
pub mod pattern;
pub mod prog;
pub mod scanner;
mod subject;
mod validate;

use constants::*;
use pattern::PatternObj;

use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::type_data_raw;
use crate::types::dict::DictObj;
use crate::types::func::NativeFn;
use crate::types::list::ListObj;
use crate::types::str::{StrObj, new_str};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// A read-only attribute of a native type, computed from its payload `$ty`.
macro_rules! getter {
    ($t:expr, $name:literal, $ty:ty, |$o:ident| $body:expr) => {{
        fn get(
            vm: &mut crate::vm::Vm,
            a: &crate::vm::Args,
        ) -> crate::vm::PyResult<crate::value::Value> {
            let Some($o) = a.pos().first().and_then(|s| s.downcast::<$ty>()) else {
                return Err(vm.type_error(concat!("descriptor '", $name, "' needs an object")));
            };
            $body
        }
        super::install_getter($t, $name, get);
    }};
}
pub(crate) use getter;

/// Put a property whose getter is `f` in type `t`'s dict.
pub(crate) fn install_getter(t: RawValue, name: &'static str, f: NativeFn) {
    crate::modules::native_args::getset(&Value::from_borrowed(t), name, f, None);
}

static INSTALL: std::sync::Once = std::sync::Once::new();

/// The `_sre` module.
pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let t = types();
    INSTALL.call_once(|| {
        pattern::install(t.sre_pattern);
        matchobj::install(t.sre_match);
        scanner::install(t.sre_scanner);
        for (ty, module) in [
            (t.sre_pattern, "re"),
            (t.sre_match, "re"),
            (t.sre_scanner, "_sre"),
        ] {
            type_data_raw(ty).module.with(|m| *m = module.to_string());
        }
    });
    let m = crate::import::new_module("_sre", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    let fns: [(&'static str, NativeFn); 6] = [
        ("compile", compile),
        ("getcodesize", getcodesize),
        ("ascii_iscased", ascii_iscased),
        ("unicode_iscased", unicode_iscased),
        ("ascii_tolower", ascii_tolower),
        ("unicode_tolower", unicode_tolower),
    ];
    for (n, f) in fns {
        d.set_str(n, crate::types::func::new_module_builtin(n, f, "_sre"));
    }
    d.set_str("MAGIC", Value::int(MAGIC));
    d.set_str("CODESIZE", Value::int(CODESIZE));
    d.set_str("MAXREPEAT", Value::int(i64::from(MAXREPEAT)));
    d.set_str("MAXGROUPS", Value::int(MAXGROUPS));
    d.set_str(
        "copyright",
        new_str(" SRE 2.2.2 Copyright (c) 1997-2002 by Secret Labs AB "),
    );
    Ok(m)
}

/// `_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)`.
fn compile(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let names = [
        "pattern",
        "flags",
        "code",
        "groups",
        "groupindex",
        "indexgroup",
    ];
    let v = args::bind(vm, "compile", a, 0, &names, 6)?;
    let [pattern, flags, code, groups, groupindex, indexgroup] =
        v.into_inner().unwrap_or_else(|_| unreachable!());
    let (pattern, flags, code, groups, groupindex, indexgroup) = (
        pattern.unwrap(),
        flags.unwrap(),
        code.unwrap(),
        groups.unwrap(),
        groupindex.unwrap(),
        indexgroup.unwrap(),
    );
    let Some(list) = code.downcast::<ListObj>() else {
        let tn = code.type_data().name.clone();
        return Err(vm.type_error(format!("compile() argument 'code' must be list, not {tn}")));
    };
    let Some(flags) = crate::types::int::as_int(&flags).and_then(|i| {
        use num_traits::ToPrimitive;
        i.to_big().to_i64()
    }) else {
        let tn = flags.type_data().name.clone();
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    };
    // The common case, all small ints, is read in place; otherwise the items are
    // copied out first (converting may run Python code).
    let fast: Option<Vec<u32>> = list.items.read(|v| {
        v.iter()
            .map(|it| {
                it.as_small_int()
                    .filter(|i| (0..=i64::from(u32::MAX)).contains(i))
                    .map(|i| i as u32)
            })
            .collect()
    });
    let items = if fast.is_some() {
        Vec::new()
    } else {
        list.items.get_clone()
    };
    let mut words = fast.unwrap_or_else(|| Vec::with_capacity(items.len()));
    for it in &items {
        if let Some(i) = it.as_small_int()
            && (0..=i64::from(u32::MAX)).contains(&i)
        {
            words.push(i as u32);
            continue;
        }
        let w = match crate::types::int::as_int(it) {
            Some(i) => {
                use num_traits::ToPrimitive;
                match i.to_big().to_u64() {
                    Some(u) if u <= u64::from(u32::MAX) => u as u32,
                    _ => {
                        return Err(vm.err(
                            types().overflow_error,
                            "regular expression code size limit exceeded",
                        ));
                    }
                }
            }
            None => {
                let tn = it.type_data().name.clone();
                return Err(
                    vm.type_error(format!("'{tn}' object cannot be interpreted as an integer"))
                );
            }
        };
        words.push(w);
    }
    let groups = args::ssize(vm, &Some(groups), 0)?;
    if groupindex.downcast::<DictObj>().is_none() {
        let tn = groupindex.type_data().name.clone();
        return Err(vm.type_error(format!(
            "compile() argument 'groupindex' must be dict, not {tn}"
        )));
    }
    if indexgroup.downcast::<TupleObj>().is_none() {
        let tn = indexgroup.type_data().name.clone();
        return Err(vm.type_error(format!(
            "compile() argument 'indexgroup' must be tuple, not {tn}"
        )));
    }
    let is_bytes = if pattern.is_none() {
        None
    } else if pattern.downcast::<StrObj>().is_some() {
        Some(false)
    } else if pattern.downcast::<BytesObj>().is_some()
        || pattern.downcast::<ByteArrayObj>().is_some()
    {
        Some(true)
    } else {
        let tn = pattern.type_data().name.clone();
        return Err(vm.type_error(format!("expected string or bytes-like object, got '{tn}'")));
    };
    let groups = groups.max(0) as usize;
    let Some(sets) = validate::validate(&words, groups) else {
        return Err(vm.runtime_error("invalid SRE code"));
    };
    Ok(Value::alloc(PatternObj {
        prog: prog::Prog::new(words, &sets),
        pattern,
        flags,
        groups,
        groupindex,
        indexgroup,
        is_bytes,
    }))
}

fn getcodesize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    crate::builtins::posargs(vm, "getcodesize", a, 0, 0)?;
    Ok(Value::int(CODESIZE))
}

/// The `character` argument of the case functions (a C int).
fn character(vm: &mut Vm, a: &Args, name: &str) -> PyResult<u32> {
    let v = args::bind(vm, name, a, 0, &["character"], 1)?;
    let c = args::ssize(vm, &v[0], 0)?;
    Ok(c as u32)
}

fn ascii_iscased(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = character(vm, a, "ascii_iscased")?;
    Ok(Value::bool(c < 128 && (c as u8).is_ascii_alphabetic()))
}

fn unicode_iscased(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = character(vm, a, "unicode_iscased")?;
    Ok(Value::bool(
        c != chars::lower_unicode(c) || c != chars::upper_unicode(c),
    ))
}

fn ascii_tolower(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = character(vm, a, "ascii_tolower")?;
    Ok(Value::int(i64::from(chars::lower_ascii(c))))
}

fn unicode_tolower(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = character(vm, a, "unicode_tolower")?;
    Ok(Value::int(i64::from(chars::lower_unicode(c))))
}
