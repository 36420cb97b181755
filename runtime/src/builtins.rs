//! The builtins module, builtin type constructors and methods, and native modules.
pub mod async_generators;
pub mod bytes;
mod bytes_text;
mod cell;
pub(crate) mod classes;
pub(crate) mod code;
mod containers;
pub(crate) mod coroutines;
mod except_star;
pub(crate) mod exception_group;
mod exception_protocol;
pub(crate) mod frames;
pub(crate) mod function_new;
pub(crate) mod functions;
pub mod generators;
mod instance_check;
pub(crate) mod iter_types;
mod matching;
mod modules;
mod numbers;
mod object_reduce;
pub(crate) mod os_error;
mod os_fs;
mod print_expr;
mod sizeof;
mod slot_wrappers;
mod sort;
pub(crate) mod strings;
pub mod subclass;
mod super_type;
pub(crate) mod syntax_error;
mod thread_frames;
mod traceback_module;
pub mod unicode_errors;

pub use classes::call_type;
pub use functions::sys_stream;
pub use instance_check::{isinstance, issubclass};
pub use modules::{make_native_module, module_with};
pub(crate) use numbers::{finite_float_to_int, float_to_int, int_new};
pub use super_type::repr as super_repr;

use stitch_stencils::value::RawValue;

use crate::compile::SourceError;
use crate::types::class::type_data_raw;
use crate::types::func::{BuiltinFuncObj, NativeFn, new_builtin};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::{Types, types};

/// Add a method implemented in Rust to a builtin type's dict.
pub(crate) fn add_method(ty: RawValue, name: &'static str, f: NativeFn) {
    let td = type_data_raw(ty);
    let owner: &'static str = Box::leak(td.name.clone().into_boxed_str());
    // A `method_descriptor` (CPython's type for `list.append`), so that pickling
    // and `copyreg` tables (multiprocessing's) tell it from `builtin_function_or_method`.
    let m = Value::alloc_with_type(
        &Value::from_borrowed(types().method_descriptor),
        BuiltinFuncObj {
            name,
            f,
            self_: Value::NULL,
            owner,
            is_method: true,
            objclass: Value::from_borrowed(ty),
        },
    );
    crate::object::make_immortal(m.raw());
    td.dict.set_str(name, m);
}

/// Add a plain (unbound, non-method) callable to a type dict, e.g. `object.__new__`.
pub(crate) fn add_static(ty: RawValue, name: &'static str, f: NativeFn) {
    let td = type_data_raw(ty);
    let v = new_builtin(name, f);
    crate::object::make_immortal(v.raw());
    td.dict.set_str(name, v);
}

/// Add a classmethod implemented in Rust to a type's dict (`__class_getitem__`,
/// `fromkeys`): the function receives the class first.
pub(crate) fn add_classmethod(ty: RawValue, name: &'static str, f: NativeFn) {
    // Named after its type (`float.__getformat__.__qualname__`), as the alternative
    // constructors are (`subclass::install_alt_constructors`).
    let owner: &'static str = Box::leak(type_data_raw(ty).name.clone().into_boxed_str());
    let b = Value::alloc(BuiltinFuncObj {
        name,
        f,
        self_: Value::NULL,
        owner,
        is_method: true,
        objclass: Value::NULL,
    });
    crate::object::make_immortal(b.raw());
    let cm = Value::alloc_with_type(
        &Value::from_borrowed(types().classmethod),
        crate::types::misc::WrapperObj::new(b),
    );
    crate::object::make_immortal(cm.raw());
    type_data_raw(ty).dict.set_str(name, cm);
}

pub fn install_type_methods(t: &Types) {
    classes::install(t);
    cell::install(t);
    strings::install(t);
    containers::install(t);
    numbers::install(t);
    generators::install(t);
    iter_types::install(t);
    async_generators::install(t);
    coroutines::install(t);
    subclass::install(t);
    bytes::install(t);
    bytes_text::install(t);
    unicode_errors::install(t);
    os_error::install(t);
    syntax_error::install(t);
    exception_group::install(t);
    exception_protocol::install(t);
    instance_check::install(t);
    super_type::install(t);
    frames::install(t);
    code::install(t);
    crate::types::generic_alias::install();
    crate::types::union_type::install();
    crate::types::mappingproxy::install();
    crate::types::range::install();
    slot_wrappers::install(t);
    sizeof::install(t);
    object_reduce::install(t);
    crate::types::attr_descriptor::install();
    subclass::install_alt_constructors(t);
}

/// Create the builtins and sys modules and register them in `sys.modules`.
pub fn init_modules(vm: &mut Vm) {
    let b = crate::import::new_module("builtins", None);
    // SAFETY: new_module returns a module object.
    let bd = unsafe { b.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    let t = types();
    for (name, ty) in [
        ("object", t.object),
        ("type", t.type_),
        ("int", t.int),
        ("bool", t.bool),
        ("float", t.float),
        ("complex", t.complex),
        ("str", t.str),
        ("list", t.list),
        ("tuple", t.tuple),
        ("dict", t.dict),
        ("set", t.set),
        ("frozenset", t.frozenset),
        ("bytes", t.bytes),
        ("bytearray", t.bytearray),
        ("range", t.range),
        ("enumerate", t.enumerate),
        ("zip", t.zip),
        ("map", t.map),
        ("filter", t.filter),
        ("reversed", t.reversed),
        ("slice", t.slice),
        ("property", t.property),
        ("staticmethod", t.staticmethod),
        ("classmethod", t.classmethod),
        ("super", t.super_),
        ("BaseException", t.base_exception),
    ] {
        bd.set_str(name, Value::from_borrowed(ty));
    }
    for (name, ty) in t.exception_types() {
        bd.set_str(name, Value::from_borrowed(ty));
    }
    bd.set_str("memoryview", crate::types::memoryview::install());
    bd.set_str("EnvironmentError", Value::from_borrowed(t.os_error));
    bd.set_str("IOError", Value::from_borrowed(t.os_error));
    bd.set_str("None", Value::none());
    bd.set_str("True", Value::bool(true));
    bd.set_str("False", Value::bool(false));
    bd.set_str("Ellipsis", Value::ellipsis());
    bd.set_str("NotImplemented", Value::not_implemented());
    bd.set_str(
        "__debug__",
        Value::bool(crate::compile::default_optimize() == 0),
    );
    functions::install(bd);
    matching::install(bd);
    except_star::install(bd);
    print_expr::install(bd);
    vm.builtins = b.clone();
    // SAFETY: vm.modules is a dict.
    let mods = vm.modules.clone();
    // SAFETY: vm.modules is a dict.
    let mods = unsafe { mods.payload_unchecked::<crate::types::dict::DictObj>() };
    mods.set_str("builtins", b);
    let sys = modules::make_sys(vm);
    mods.set_str("sys", sys);
}

/// Turn a compile error into a SyntaxError (or other) exception value.
pub fn syntax_error_value(vm: &mut Vm, e: &SourceError) -> PyErr {
    let t = types();
    let ty = match e.kind {
        "IndentationError" => t.indentation_error,
        "TabError" => t.tab_error,
        "NotImplementedError" => t.not_implemented_error,
        "RecursionError" => t.recursion_error,
        _ => t.syntax_error,
    };
    let msg = new_str(&e.msg);
    let position = [
        new_str(&e.filename),
        Value::int(e.line as i64),
        Value::int(e.col as i64),
        new_str(&e.text),
        Value::int(e.line as i64),
        Value::int(e.end_col as i64),
    ];
    // A SyntaxError's args are CPython's (msg, (filename, lineno, ...)); the other
    // kinds keep just the message but carry the position for the traceback printer.
    let args = if type_data_raw(ty).is_subtype_raw(t.syntax_error) {
        let info = crate::types::tuple::TupleObj::new_value(position.to_vec());
        vec![msg.clone(), info]
    } else {
        vec![msg.clone()]
    };
    let exc = vm.new_exception(ty, args);
    syntax_error::store_fields(vm, &exc, msg, position);
    PyErr { exc }
}

// ---- argument helpers -----------------------------------------------------------------

/// Check positional count and reject keywords.
pub(crate) fn posargs<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<&'a [Value]> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let p = a.pos();
    if p.len() < min || p.len() > max {
        return Err(arg_count_error(vm, name, p.len(), min, max));
    }
    Ok(p)
}

pub(crate) fn arg_count_error(
    vm: &mut Vm,
    name: &str,
    got: usize,
    min: usize,
    max: usize,
) -> PyErr {
    let msg = if min == max {
        match min {
            0 => format!("{name}() takes no arguments ({got} given)"),
            1 => format!("{name}() takes exactly one argument ({got} given)"),
            n => format!("{name}() takes exactly {n} arguments ({got} given)"),
        }
    } else if got < min {
        format!(
            "{name} expected at least {min} argument{}, got {got}",
            if min == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{name} expected at most {max} argument{}, got {got}",
            if max == 1 { "" } else { "s" }
        )
    };
    vm.type_error(msg)
}

/// Method arguments: self plus between min and max more.
pub(crate) fn method_args<'a>(
    vm: &mut Vm,
    name: &str,
    a: &Args<'a>,
    min: usize,
    max: usize,
) -> PyResult<(&'a Value, &'a [Value])> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let p = a.pos();
    if p.is_empty() {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    }
    let rest = &p[1..];
    if rest.len() < min || rest.len() > max {
        return Err(arg_count_error(vm, name, rest.len(), min, max));
    }
    Ok((&p[0], rest))
}

pub(crate) fn type_name(v: &Value) -> String {
    v.type_data().name.clone()
}
