//! `_ast`: the node classes of Python's abstract syntax tree, which CPython's `ast`
//! module re-exports (`from _ast import *`), and the two conversions `compile()` needs:
//! source text to a tree of these nodes (`compile(src, file, mode, PyCF_ONLY_AST)`,
//! what `ast.parse` calls; `to_py.rs`) and a tree back to code (`compile(tree, ...)`,
//! `from_py.rs`, which rebuilds ruff's syntax tree and hands it to stitch's compiler).
//!
//! The classes are ordinary Python classes (`type(name, (base,), ns)`) made from the
//! one table in `nodes.rs`; instances keep their fields in their instance dict, as
//! CPython's do. The classes live for the whole process, so conversions find them (and
//! the `Load`/`Store`/operator singletons) without importing the module.
pub(crate) mod compile_fn;
mod from_py;
mod nodes;
mod to_py;

use std::collections::HashMap;
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

use super::args;
use super::native_class;
use crate::types::dict::DictObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;
use nodes::{Arity, NODES};

pub use compile_fn::compile_builtin;

/// `compile()` flag: return the syntax tree instead of a code object.
pub const PY_CF_ONLY_AST: i64 = 0x400;
/// `compile()` flag: keep `# type:` comments (accepted; stitch records none).
pub const PY_CF_TYPE_COMMENTS: i64 = 0x1000;
/// `compile()` flag: allow `await` at the top level.
pub const PY_CF_ALLOW_TOP_LEVEL_AWAIT: i64 = 0x2000;

/// The node classes, by name, and one shared instance of each class without fields or
/// location (`Load()`, `Add()`, ...): trees made from source share these, as CPython's
/// do (`parse('x').body[0].value.ctx is parse('y').body[0].value.ctx`).
pub struct Classes {
    by_name: HashMap<&'static str, u64>,
    /// Class object bits to the class's name, to tell which node class a value is.
    by_bits: HashMap<u64, &'static str>,
    singletons: HashMap<&'static str, u64>,
}

impl Classes {
    /// The class called `name` (a name of the table, or "AST").
    pub fn class(&self, name: &str) -> Value {
        match self.by_name.get(name) {
            Some(b) => Value::from_borrowed(RawValue(*b)),
            None => unreachable!("no _ast class {name}"),
        }
    }

    /// Which node class `v` is an instance of (the nearest in its class's MRO, so
    /// instances of Python subclasses of node classes count as their base's).
    pub fn kind_of(&self, v: &Value) -> Option<&'static str> {
        if !v.is_ptr() {
            return None;
        }
        v.type_data()
            .mro
            .read(|m| m.iter().find_map(|t| self.by_bits.get(&t.bits()).copied()))
    }

    /// The shared instance of the fieldless class `name`.
    pub fn singleton(&self, name: &str) -> Value {
        match self.singletons.get(name) {
            Some(b) => Value::from_borrowed(RawValue(*b)),
            None => unreachable!("no _ast singleton {name}"),
        }
    }
}

static CLASSES: OnceLock<Classes> = OnceLock::new();

/// The node classes, made on first use. Two threads racing here both build a set;
/// one is kept, the other stays unused (immortal, like every native class).
pub fn classes(vm: &mut Vm) -> PyResult<&'static Classes> {
    if let Some(c) = CLASSES.get() {
        return Ok(c);
    }
    let made = build_classes(vm)?;
    let _ = CLASSES.set(made);
    Ok(CLASSES.get().expect("set above"))
}

/// A value kept by a class for the life of the process (immortal, so it is not
/// counted as a live object at exit).
fn forever(v: Value) -> Value {
    crate::object::make_immortal(v.raw());
    v
}

fn str_tuple<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    forever(TupleObj::new_value(
        items.into_iter().map(crate::world::intern).collect(),
    ))
}

/// CPython's docstring of a node class: its signature, or for an abstract class the
/// alternatives (`operator = Add | Sub | ...`, one per line when they have fields).
fn doc_of(def: &nodes::NodeDef) -> String {
    let sig = |d: &nodes::NodeDef| {
        if d.fields.is_empty() {
            return d.name.to_string();
        }
        let fs: Vec<String> = d
            .fields
            .iter()
            .map(|(n, t, a)| {
                let q = match a {
                    Arity::One => "",
                    Arity::Opt => "?",
                    Arity::Seq => "*",
                };
                format!("{t}{q} {n}")
            })
            .collect();
        format!("{}({})", d.name, fs.join(", "))
    };
    let subs: Vec<&nodes::NodeDef> = NODES.iter().filter(|d| d.base == def.name).collect();
    if subs.is_empty() {
        return sig(def);
    }
    let sep = if subs.iter().all(|d| d.fields.is_empty()) {
        " | ".to_string()
    } else {
        format!("\n{}| ", " ".repeat(def.name.len() + 1))
    };
    let alts: Vec<String> = subs.iter().map(|d| sig(d)).collect();
    format!("{} = {}", def.name, alts.join(&sep))
}

fn build_classes(vm: &mut Vm) -> PyResult<Classes> {
    let base = native_class::new(
        vm,
        "ast",
        "AST",
        &[("__init__", ast_init), ("__reduce__", ast_reduce)],
    )?;
    for (k, v) in [
        ("_fields", str_tuple([])),
        ("__match_args__", str_tuple([])),
        ("_attributes", str_tuple([])),
    ] {
        crate::ops::setattr(vm, &base, &new_str(k), v)?;
    }
    let mut by_name: HashMap<&'static str, u64> = HashMap::new();
    by_name.insert("AST", base.bits());
    let mut singletons = HashMap::new();
    let tyty = Value::from_borrowed(types().type_);
    for def in NODES {
        let ns = DictObj::new();
        ns.set_str("__module__", crate::world::intern("ast"));
        ns.set_str("__qualname__", crate::world::intern(def.name));
        ns.set_str("__doc__", forever(new_str(&doc_of(def))));
        let names = def.fields.iter().map(|f| f.0);
        ns.set_str("_fields", str_tuple(names.clone()));
        ns.set_str("__match_args__", str_tuple(names));
        // Location attributes are declared where they start: on the abstract class of
        // a sum, on the class itself for a product.
        let parent_located = NODES.iter().any(|d| d.name == def.base && d.located);
        if def.located && !parent_located {
            ns.set_str("_attributes", str_tuple(nodes::LOCATION));
            ns.set_str("end_lineno", Value::none());
            ns.set_str("end_col_offset", Value::none());
        } else if def.base == "AST" {
            ns.set_str("_attributes", str_tuple([]));
        }
        for (n, _, a) in def.fields {
            if *a == Arity::Opt {
                ns.set_str(n, Value::none());
            }
        }
        let parent = Value::from_borrowed(RawValue(by_name[def.base]));
        let bases = TupleObj::from_items([parent]);
        let cls = vm.call(&tyty, &[new_str(def.name), bases, Value::alloc(ns)])?;
        crate::object::make_immortal(cls.raw());
        let has_subclasses = NODES.iter().any(|d| d.base == def.name);
        if def.fields.is_empty() && !def.located && !has_subclasses {
            let one = forever(crate::vm::new_instance_plain(&cls, vec![]));
            // SAFETY: instances of these classes (Python classes deriving from object)
            // are `Instance`s.
            let inst = unsafe { one.payload_unchecked::<crate::types::instance::Instance>() };
            crate::object::make_immortal(inst.dict.raw());
            singletons.insert(def.name, one.bits());
        }
        by_name.insert(def.name, cls.bits());
        std::mem::forget(cls);
    }
    std::mem::forget(base);
    let by_bits = by_name.iter().map(|(n, b)| (*b, *n)).collect();
    Ok(Classes {
        by_name,
        by_bits,
        singletons,
    })
}

/// `import _ast`: the node classes and the `PyCF_*` flags.
pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let c = classes(vm)?;
    let m = args::module("_ast", &[]);
    args::set(&m, "AST", c.class("AST"));
    for def in NODES {
        args::set(&m, def.name, c.class(def.name));
    }
    args::consts(
        &m,
        &[
            ("PyCF_ONLY_AST", PY_CF_ONLY_AST),
            ("PyCF_TYPE_COMMENTS", PY_CF_TYPE_COMMENTS),
            ("PyCF_ALLOW_TOP_LEVEL_AWAIT", PY_CF_ALLOW_TOP_LEVEL_AWAIT),
        ],
    );
    Ok(m)
}

/// The strings of a `_fields` value (a tuple or list of names).
fn field_names(vm: &mut Vm, cls: &Value) -> PyResult<Vec<Value>> {
    match crate::ops::getattr_opt(vm, cls, "_fields")? {
        Some(f) => crate::ops::collect(vm, &f),
        None => Ok(vec![]),
    }
}

/// `AST.__init__`: positional arguments fill `_fields` in order, keywords set any
/// attribute; a field given both ways is an error.
fn ast_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((this, rest)) = a.pos().split_first() else {
        return Err(vm.type_error("descriptor '__init__' of 'ast.AST' object needs an argument"));
    };
    let cls = this.type_of();
    let fields = field_names(vm, &cls)?;
    let tname = this.type_data().name.to_string();
    if rest.len() > fields.len() {
        let n = fields.len();
        return Err(vm.type_error(format!(
            "{tname} constructor takes at most {n} positional argument{}",
            if n == 1 { "" } else { "s" }
        )));
    }
    for (f, v) in fields.iter().zip(rest) {
        crate::ops::setattr(vm, this, f, v.clone())?;
    }
    for (k, v) in a.kw() {
        if fields[..rest.len()]
            .iter()
            .any(|f| crate::types::str::as_str(f) == Some(k))
        {
            return Err(vm.type_error(format!("{tname} got multiple values for argument '{k}'")));
        }
        crate::ops::setattr(vm, this, &new_str(k), v.clone())?;
    }
    Ok(Value::none())
}

/// `AST.__reduce__`: `(type(self), (), self.__dict__)`, for `copy` and `pickle`.
fn ast_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(this) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__reduce__' of 'ast.AST' object needs an argument"));
    };
    let state = match crate::ops::getattr_opt(vm, this, "__dict__")? {
        Some(d) => d,
        None => Value::none(),
    };
    Ok(TupleObj::from_items([
        this.type_of(),
        TupleObj::from_items([]),
        state,
    ]))
}
