//! The conditions an operation can raise, as bits of a status word (the same
//! numbering libmpdec uses, so CPython's grouping of conditions into signals carries
//! over), and the Python exception classes that stand for them.
//!
//! Arithmetic (`number.rs`) only ORs bits into a `u32`; the Python-facing layer
//! (`context.rs`) adds them to a context's flags and raises when one is trapped.
//! Several conditions share one signal: ConversionSyntax, DivisionImpossible,
//! DivisionUndefined and InvalidContext are all the signal InvalidOperation (one
//! entry in `flags`/`traps`), but the raised exception lists the conditions.
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use crate::types::dict::DictObj;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyErr, PyResult, Vm};
use crate::world::types;

pub const CLAMPED: u32 = 0x1;
pub const CONVERSION_SYNTAX: u32 = 0x2;
pub const DIVISION_BY_ZERO: u32 = 0x4;
pub const DIVISION_IMPOSSIBLE: u32 = 0x8;
pub const DIVISION_UNDEFINED: u32 = 0x10;
pub const INEXACT: u32 = 0x40;
pub const INVALID_CONTEXT: u32 = 0x80;
pub const INVALID_OPERATION: u32 = 0x100;
/// FloatOperation has no libmpdec condition; CPython reuses this bit for it.
pub const FLOAT_OPERATION: u32 = 0x400;
pub const OVERFLOW: u32 = 0x800;
pub const ROUNDED: u32 = 0x1000;
pub const SUBNORMAL: u32 = 0x2000;
pub const UNDERFLOW: u32 = 0x4000;

/// Every condition that is the signal InvalidOperation.
pub const IEEE_INVALID: u32 = CONVERSION_SYNTAX
    | DIVISION_IMPOSSIBLE
    | DIVISION_UNDEFINED
    | INVALID_CONTEXT
    | INVALID_OPERATION;

/// The signals, in the order CPython lists them (`signal_map`): the first one set in a
/// trapped status names the exception raised. The bits are those of the signal as a
/// whole (InvalidOperation: every condition in it).
pub const SIGNALS: [(&str, u32); 9] = [
    ("InvalidOperation", IEEE_INVALID),
    ("FloatOperation", FLOAT_OPERATION),
    ("DivisionByZero", DIVISION_BY_ZERO),
    ("Overflow", OVERFLOW),
    ("Underflow", UNDERFLOW),
    ("Subnormal", SUBNORMAL),
    ("Inexact", INEXACT),
    ("Rounded", ROUNDED),
    ("Clamped", CLAMPED),
];

/// The conditions of InvalidOperation (`cond_map`), listed first in a raised
/// exception's argument.
const CONDITIONS: [(&str, u32); 5] = [
    ("InvalidOperation", INVALID_OPERATION),
    ("ConversionSyntax", CONVERSION_SYNTAX),
    ("DivisionImpossible", DIVISION_IMPOSSIBLE),
    ("DivisionUndefined", DIVISION_UNDEFINED),
    ("InvalidContext", INVALID_CONTEXT),
];

/// The exception classes: (name, base names). `DecimalException` first; each class
/// after its bases.
const CLASSES: [(&str, &[&str]); 14] = [
    ("DecimalException", &[]),
    ("Clamped", &["DecimalException"]),
    ("InvalidOperation", &["DecimalException"]),
    ("ConversionSyntax", &["InvalidOperation"]),
    ("DivisionByZero", &["DecimalException", "ZeroDivisionError"]),
    ("DivisionImpossible", &["InvalidOperation"]),
    (
        "DivisionUndefined",
        &["InvalidOperation", "ZeroDivisionError"],
    ),
    ("Inexact", &["DecimalException"]),
    ("InvalidContext", &["InvalidOperation"]),
    ("Rounded", &["DecimalException"]),
    ("Subnormal", &["DecimalException"]),
    ("Overflow", &["Inexact", "Rounded"]),
    ("Underflow", &["Inexact", "Rounded", "Subnormal"]),
    ("FloatOperation", &["DecimalException", "TypeError"]),
];

/// The classes once made (immortal), in `CLASSES` order.
static CLASS_CELLS: [AtomicU64; 14] = [const { AtomicU64::new(0) }; 14];

/// Make the exception classes (once per process) and return them with their names.
pub fn make_classes(vm: &mut Vm) -> PyResult<Vec<(&'static str, Value)>> {
    let mut out: Vec<(&'static str, Value)> = Vec::new();
    for (i, (name, bases)) in CLASSES.iter().enumerate() {
        let existing = CLASS_CELLS[i].load(Ordering::Acquire);
        if existing != 0 {
            out.push((name, Value::from_borrowed(RawValue(existing))));
            continue;
        }
        let mut bv = Vec::new();
        if bases.is_empty() {
            bv.push(Value::from_borrowed(types().arithmetic_error));
        }
        for b in bases.iter() {
            let v = match *b {
                "ZeroDivisionError" => Value::from_borrowed(types().zero_division_error),
                "TypeError" => Value::from_borrowed(types().type_error),
                other => out
                    .iter()
                    .find(|(n, _)| *n == other)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(Value::none),
            };
            bv.push(v);
        }
        let ns = DictObj::new();
        ns.set_str("__module__", new_str("decimal"));
        ns.set_str("__qualname__", new_str(name));
        let tyty = Value::from_borrowed(types().type_);
        let cls = vm.call(
            &tyty,
            &[new_str(name), TupleObj::new_value(bv), Value::alloc(ns)],
        )?;
        crate::shared_immortal::module_class(&cls);
        CLASS_CELLS[i].store(cls.bits(), Ordering::Release);
        out.push((name, cls));
    }
    Ok(out)
}

/// The exception class named `name` (made by `make_classes`).
pub fn class(name: &str) -> Value {
    let i = CLASSES.iter().position(|(n, _)| *n == name).unwrap_or(0);
    Value::from_borrowed(RawValue(CLASS_CELLS[i].load(Ordering::Acquire)))
}

/// The signal bits of a signal class, or None when `v` is not one of the nine signals.
pub fn bits_of_class(v: &Value) -> Option<u32> {
    SIGNALS
        .iter()
        .find(|(n, _)| class(n).is(v))
        .map(|(_, b)| *b)
}

/// The classes of the conditions in `status`, as CPython lists them in a raised
/// exception's argument and in `flags_as_list`.
pub fn condition_list(status: u32) -> Vec<Value> {
    let mut out = Vec::new();
    for (n, b) in CONDITIONS {
        if status & b != 0 {
            out.push(class(n));
        }
    }
    for (n, b) in &SIGNALS[1..] {
        if status & b != 0 {
            out.push(class(n));
        }
    }
    out
}

/// The exception for a trapped `status`: the first signal set, with the list of
/// conditions as its argument.
pub fn trap_error(_vm: &mut Vm, status: u32) -> PyErr {
    let name = SIGNALS
        .iter()
        .find(|(_, b)| status & b != 0)
        .map(|(n, _)| *n)
        .unwrap_or("InvalidOperation");
    let cls = class(name);
    let list = crate::types::list::ListObj::new_value(condition_list(status));
    let exc = crate::vm::new_instance_of(&cls, vec![list]);
    PyErr { exc }
}
