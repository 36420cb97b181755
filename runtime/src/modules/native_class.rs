//! Classes of native modules written as Python classes with native methods
//! (`posix.DirEntry`, `select.poll`): made by `type(name, (object,), ns)`, so they get
//! an instance dict where the methods keep their state, and need no payload type of
//! their own.
use crate::builtins::add_method;
use crate::types::dict::DictObj;
use crate::types::func::NativeFn;
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;

/// The class `module.name` (a subclass of object) with `methods`. Immortal: native
/// modules keep their classes for the life of the process.
pub fn new(
    vm: &mut Vm,
    module: &str,
    name: &str,
    methods: &[(&'static str, NativeFn)],
) -> PyResult<Value> {
    let ns = DictObj::new();
    ns.set_str("__module__", crate::world::intern(module));
    ns.set_str("__qualname__", crate::world::intern(name));
    let bases = TupleObj::from_items([Value::from_borrowed(types().object)]);
    let tyty = Value::from_borrowed(types().type_);
    let cls = vm.call(&tyty, &[new_str(name), bases, Value::alloc(ns)])?;
    crate::object::make_immortal(cls.raw());
    for (n, f) in methods {
        add_method(cls.raw(), n, *f);
    }
    Ok(cls)
}

/// The instance dict of an object of such a class.
pub fn dict_of(v: &Value) -> Option<&DictObj> {
    if !v.is_ptr() || v.type_data().kind != crate::types::class::Kind::Object {
        return None;
    }
    // SAFETY: Kind::Object instances are `Instance`s.
    let inst = unsafe { v.payload_unchecked::<crate::types::instance::Instance>() };
    inst.dict.downcast::<DictObj>()
}
