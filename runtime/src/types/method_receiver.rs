//! The receiver check of a builtin type's method called unbound: `list.append(1, 2)`,
//! `str.__add__(fake_str, "abc")`, `__eq__ = str.__eq__` copied into an unrelated
//! class. CPython's method descriptors and slot wrappers refuse a first argument that
//! is not an instance of the type they come from (their native code would read a
//! foreign layout); stitch's native methods share that check here, before they run.
use crate::types::func::BuiltinFuncObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// The special methods CPython's builtin types expose as slot wrappers
/// (`wrapper_descriptor`), whose errors are worded differently from a method
/// descriptor's. Sorted, for the binary search.
const SLOT_WRAPPERS: &[&str] = &[
    "__abs__",
    "__add__",
    "__aiter__",
    "__and__",
    "__anext__",
    "__await__",
    "__bool__",
    "__call__",
    "__contains__",
    "__del__",
    "__delattr__",
    "__delete__",
    "__delitem__",
    "__divmod__",
    "__eq__",
    "__float__",
    "__floordiv__",
    "__ge__",
    "__get__",
    "__getattribute__",
    "__getitem__",
    "__gt__",
    "__hash__",
    "__iadd__",
    "__iand__",
    "__ifloordiv__",
    "__ilshift__",
    "__imatmul__",
    "__imod__",
    "__imul__",
    "__index__",
    "__init__",
    "__int__",
    "__invert__",
    "__ior__",
    "__ipow__",
    "__irshift__",
    "__isub__",
    "__iter__",
    "__itruediv__",
    "__ixor__",
    "__le__",
    "__len__",
    "__lshift__",
    "__lt__",
    "__matmul__",
    "__mod__",
    "__mul__",
    "__ne__",
    "__neg__",
    "__next__",
    "__or__",
    "__pos__",
    "__pow__",
    "__radd__",
    "__rand__",
    "__rdivmod__",
    "__repr__",
    "__rfloordiv__",
    "__rlshift__",
    "__rmatmul__",
    "__rmod__",
    "__rmul__",
    "__ror__",
    "__rpow__",
    "__rrshift__",
    "__rshift__",
    "__rsub__",
    "__rtruediv__",
    "__rxor__",
    "__set__",
    "__setattr__",
    "__setitem__",
    "__str__",
    "__sub__",
    "__truediv__",
    "__xor__",
];

/// Is `m` one of CPython's slot wrappers rather than a method descriptor? A few
/// special methods are both (`dict.__getitem__`, `set.__contains__`: CPython's
/// `METH_COEXIST`), and then the method descriptor is what the class dict holds.
fn is_slot_wrapper_of(m: &BuiltinFuncObj, owner: &str) -> bool {
    let coexists = matches!(
        (owner, m.name),
        ("list" | "dict", "__getitem__") | ("dict" | "set" | "frozenset", "__contains__")
    );
    !coexists && SLOT_WRAPPERS.binary_search(&m.name).is_ok()
}

/// Is the builtin method `m` (bound or not) one of CPython's slot wrappers? Bound,
/// it is a `method-wrapper`, which has an `__objclass__` where a bound method
/// descriptor has none.
pub fn is_slot_wrapper(m: &BuiltinFuncObj) -> bool {
    crate::types::class::as_type(&m.objclass)
        .is_some_and(|oc| is_slot_wrapper_of(m, &crate::types::native::tp_name(oc)))
}

/// Check the receiver `args[0]` of the unbound method `m` (a no-op for methods without
/// an owning type: plain functions, native classmethods).
#[inline]
pub fn check(vm: &mut Vm, m: &BuiltinFuncObj, args: &[Value]) -> PyResult<()> {
    if m.objclass.is_null() {
        return Ok(());
    }
    if let Some(r) = args.first()
        && r.type_raw() == m.objclass.raw()
    {
        return Ok(());
    }
    check_slow(vm, m, args)
}

#[cold]
fn check_slow(vm: &mut Vm, m: &BuiltinFuncObj, args: &[Value]) -> PyResult<()> {
    let owner = m.objclass.raw();
    if let Some(r) = args.first()
        && (owner == crate::world::types().object || r.type_data().is_subtype_raw(owner))
    {
        return Ok(());
    }
    let Some(oc) = crate::types::class::as_type(&m.objclass) else {
        return Ok(());
    };
    let on = crate::types::native::tp_name(oc);
    let slot = is_slot_wrapper_of(m, &on);
    let msg = match args.first() {
        None if slot => format!("descriptor '{}' of '{on}' object needs an argument", m.name),
        None => format!("unbound method {on}.{}() needs an argument", m.name),
        Some(r) if slot => format!(
            "descriptor '{}' requires a '{on}' object but received a '{}'",
            m.name,
            r.type_data().name
        ),
        Some(r) => format!(
            "descriptor '{}' for '{on}' objects doesn't apply to a '{}' object",
            m.name,
            r.type_data().name
        ),
    };
    Err(vm.type_error(msg))
}

#[cfg(test)]
mod tests {
    #[test]
    fn slot_wrapper_names_are_sorted() {
        assert!(super::SLOT_WRAPPERS.windows(2).all(|w| w[0] < w[1]));
    }
}
