//! What a generic instruction becomes, given the operands it sees (generic
//! instruction + operands -> specialized opcode + record).
//!
//! Each family states which stack operands it is shown (top of stack last). A
//! decision reads any version tag *before* it looks anything up (see
//! `types::type_version`), and only specializes when the specialized instruction,
//! guarded by the record, computes exactly what the generic one would.
use super::Record;
use crate::instructions::{self as opc, Op};
use crate::ops::{instance, user_descriptor};
use crate::types::class::{
    HOOK_GETATTR, HOOK_GETATTRIBUTE, HOOK_SETATTR, Kind, TypeData, as_type, type_data_raw,
};
use crate::types::code::CodeObj;
use crate::types::dict::DictObj;
use crate::types::func::{BuiltinFuncObj, FuncObj, MethodObj};
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::module::ModuleObj;
use crate::types::str::str_hash_of;
use crate::types::tuple::TupleObj;
use crate::types::type_version::type_version;
use crate::value::Value;
use crate::vm::Vm;
use crate::world::types;
use stitch_stencils::value::RawValue;

pub type Decision = Result<(Op, Option<Record>), &'static str>;

/// The class's version tag (read before any lookup; see `types::type_version`).
fn tag(td: &TypeData) -> Result<u32, &'static str> {
    match type_version(td) {
        0 => Err("type version tags exhausted"),
        v => Ok(v),
    }
}

/// Decide for the generic instruction `family` at `i` with argument `arg`.
/// Operands: BINARY_OP/COMPARE_OP [a, b]; LOAD_ATTR/LOAD_METHOD/STORE_ATTR [obj];
/// LOAD_GLOBAL [globals]; CALL [callable, self_or_null]; FOR_ITER [iterator];
/// BINARY_SUBSCR/STORE_SUBSCR [container, key]; UNPACK_SEQUENCE [sequence].
pub fn decide(vm: &Vm, co: &CodeObj, i: usize, family: Op, arg: u32, ops: &[&Value]) -> Decision {
    match family {
        Op::BINARY_OP => binary_op(arg, ops[0], ops[1]),
        Op::COMPARE_OP => compare_op(co, i, ops[0], ops[1]),
        Op::LOAD_ATTR => load_attr(&co.names[arg as usize], ops[0]),
        Op::LOAD_METHOD => load_method(&co.names[arg as usize], ops[0]),
        Op::STORE_ATTR => store_attr(&co.names[arg as usize], ops[0]),
        Op::LOAD_GLOBAL => load_global(vm, &co.names[arg as usize], ops[0]),
        Op::CALL => call(vm, arg, ops[0], ops[1]),
        Op::FOR_ITER => for_iter(ops[0]),
        Op::BINARY_SUBSCR => subscr(ops[0], ops[1], false),
        Op::STORE_SUBSCR => subscr(ops[0], ops[1], true),
        Op::UNPACK_SEQUENCE => unpack(arg, ops[0]),
        _ => Err("not a specializable instruction"),
    }
}

fn is_exact_str(v: &Value) -> bool {
    v.type_raw() == types().str
}

fn binary_op(arg: u32, a: &Value, b: &Value) -> Decision {
    let base = if arg >= opc::NB_INPLACE {
        arg - opc::NB_INPLACE
    } else {
        arg
    };
    let (ra, rb) = (a.raw(), b.raw());
    let int = crate::types::int::is_exact_int;
    let op = if int(a) && int(b) {
        match base {
            opc::NB_ADD => Op::BINARY_OP_ADD_INT,
            opc::NB_SUBTRACT => Op::BINARY_OP_SUB_INT,
            opc::NB_MULTIPLY => Op::BINARY_OP_MUL_INT,
            opc::NB_FLOOR_DIVIDE => Op::BINARY_OP_FLOORDIV_INT,
            opc::NB_REMAINDER => Op::BINARY_OP_MOD_INT,
            opc::NB_AND => Op::BINARY_OP_AND_INT,
            opc::NB_OR => Op::BINARY_OP_OR_INT,
            opc::NB_XOR => Op::BINARY_OP_XOR_INT,
            opc::NB_LSHIFT => Op::BINARY_OP_LSHIFT_INT,
            opc::NB_RSHIFT => Op::BINARY_OP_RSHIFT_INT,
            _ => return Err("int operator without a specialization"),
        }
    } else if stitch_stencils::uops::float_operands(ra, rb).is_some() {
        match base {
            opc::NB_ADD => Op::BINARY_OP_ADD_FLOAT,
            opc::NB_SUBTRACT => Op::BINARY_OP_SUB_FLOAT,
            opc::NB_MULTIPLY => Op::BINARY_OP_MUL_FLOAT,
            opc::NB_TRUE_DIVIDE => Op::BINARY_OP_TRUEDIV_FLOAT,
            _ => return Err("float operator without a specialization"),
        }
    } else if is_exact_str(a) && is_exact_str(b) && base == opc::NB_ADD {
        Op::BINARY_OP_ADD_STR
    } else {
        return Err("operand types without a specialization");
    };
    Ok((op, None))
}

fn compare_op(co: &CodeObj, i: usize, a: &Value, b: &Value) -> Decision {
    let (ra, rb) = (a.raw(), b.raw());
    let kind = if ra.is_small_int() && rb.is_small_int() {
        0
    } else if ra.is_float() && rb.is_float() {
        1
    } else if is_exact_str(a) && is_exact_str(b) {
        2
    } else {
        return Err("operand types without a specialization");
    };
    // Fuse with a conditional jump that consumes the result.
    let next = co
        .code
        .get(i + 1)
        .and_then(|w| Op::from_u8((w & 0xff) as u8));
    let fused = matches!(next, Some(Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE));
    let op = match (kind, fused) {
        (0, false) => Op::COMPARE_OP_INT,
        (1, false) => Op::COMPARE_OP_FLOAT,
        (2, false) => Op::COMPARE_OP_STR,
        (0, true) => Op::COMPARE_OP_INT_JUMP,
        (1, true) => Op::COMPARE_OP_FLOAT_JUMP,
        _ => Op::COMPARE_OP_STR_JUMP,
    };
    Ok((op, None))
}

/// Does the class attribute `d` take part in attribute access (a descriptor), as
/// opposed to a plain value returned as it is?
fn is_descriptor(d: &Value) -> bool {
    let t = types();
    let dt = d.type_raw();
    d.downcast::<FuncObj>().is_some()
        || d.downcast::<BuiltinFuncObj>().is_some()
        || dt == t.classmethod
        || dt == t.staticmethod
        || dt == t.property
        || user_descriptor(d, "__get__").is_some()
        || user_descriptor(d, "__set__").is_some()
        || user_descriptor(d, "__delete__").is_some()
}

fn is_data_descriptor(d: &Value) -> bool {
    d.type_raw() == types().property
        || user_descriptor(d, "__set__").is_some()
        || user_descriptor(d, "__delete__").is_some()
}

/// Common checks for attribute access on an instance of a Python class: the class's
/// version tag (read first), and the class-level lookup of the name.
fn instance_class(
    obj: &Value,
    name: &Value,
) -> Result<(u32, &'static TypeData, Option<Value>), &'static str> {
    if instance(obj).is_none() {
        return Err("not an instance of a Python class");
    }
    let td: &'static TypeData = type_data_raw(obj.type_raw());
    let (version, found) = class_lookup(td, name)?;
    Ok((version, td, found))
}

/// The class's version tag (read first) and what its MRO has for `name`, for a class
/// whose instances are not exceptions and that does not override `__getattribute__`.
fn class_lookup(td: &TypeData, name: &Value) -> Result<(u32, Option<Value>), &'static str> {
    if td.is_exception {
        return Err("exception instance");
    }
    let version = tag(td)?;
    if td.hook_bits() & HOOK_GETATTRIBUTE != 0 {
        return Err("class overrides __getattribute__");
    }
    let n = crate::types::str::as_str(name).unwrap_or("");
    let found = td
        .lookup_hashed(n, str_hash_of(name), false)
        .map(|(v, _)| v);
    Ok((version, found))
}

/// The slot index of `found` (what the class's MRO has for the name) when it is the
/// member descriptor of a slot of `td`'s instances: the descriptor decides, so a
/// subclass's property or class attribute of the same name is not taken for it.
fn slot_index(td: &TypeData, found: &Option<Value>) -> Option<usize> {
    let m = crate::types::attr_descriptor::slot_member(found.as_ref()?)?;
    let owner = m.attr().owner().raw();
    let i = m.slot? as usize;
    (td.is_subtype_raw(owner) && i < td.slots_len()).then_some(i)
}

fn instance_dict_index(obj: &Value, name: &Value) -> Option<usize> {
    let d = instance(obj)?.dict.downcast::<DictObj>()?;
    d.d.with(|d| d.index_of_identical(name, str_hash_of(name)))
}

fn load_attr(name: &Value, obj: &Value) -> Decision {
    if let Some(m) = obj.downcast::<ModuleObj>() {
        return module_entry(m, name, Op::LOAD_ATTR_MODULE);
    }
    if let Some(td) = as_type(obj) {
        if obj.type_raw() != types().type_ {
            return Err("class with a metaclass");
        }
        let version = tag(td)?;
        let n = crate::types::str::as_str(name).unwrap_or("");
        if crate::ops::is_type_own_attr(n) {
            return Err("attribute of type's own data descriptor");
        }
        let Some((v, _)) = td.lookup_hashed(n, str_hash_of(name), false) else {
            return Err("class attribute not found in the MRO");
        };
        let t = types();
        if v.type_raw() == t.classmethod
            || v.type_raw() == t.staticmethod
            || user_descriptor(&v, "__get__").is_some()
        {
            return Err("class attribute is a descriptor");
        }
        let r = Record::new(Op::LOAD_ATTR_CLASS, version, 0).with_value(v.raw());
        return Ok((Op::LOAD_ATTR_CLASS, Some(r)));
    }
    let (version, td, found) = instance_class(obj, name)?;
    if let Some(s) = slot_index(td, &found) {
        return Ok((
            Op::LOAD_ATTR_SLOT,
            Some(Record::new(Op::LOAD_ATTR_SLOT, version, s as u32)),
        ));
    }
    if let Some(d) = &found
        && is_data_descriptor(d)
    {
        if td.hook_bits() & HOOK_GETATTR == 0 && super::exec::python_getter(d).is_some() {
            // A getter raising AttributeError would fall back to `__getattr__`: only
            // classes without one.
            let r = Record::new(Op::LOAD_ATTR_PROPERTY, version, 0).with_value(d.raw());
            return Ok((Op::LOAD_ATTR_PROPERTY, Some(r)));
        }
        return Err("attribute is a data descriptor (property)");
    }
    if let Some(ix) = instance_dict_index(obj, name) {
        let r = Record::new(Op::LOAD_ATTR_INSTANCE, version, ix as u32);
        return Ok((Op::LOAD_ATTR_INSTANCE, Some(r)));
    }
    match found {
        Some(v)
            if !is_descriptor(&v)
                && !crate::types::str::as_str(name)
                    .unwrap_or("")
                    .starts_with("__") =>
        {
            let r = Record::new(Op::LOAD_ATTR_NONDESCRIPTOR, version, 0).with_value(v.raw());
            Ok((Op::LOAD_ATTR_NONDESCRIPTOR, Some(r)))
        }
        Some(_) => Err("class attribute is a descriptor"),
        None => Err("attribute not found in the instance dict"),
    }
}

fn module_entry(m: &ModuleObj, name: &Value, op: Op) -> Decision {
    let (version, ix) = m.dict().d.with(|d| {
        (
            d.keys_version(),
            d.index_of_identical(name, str_hash_of(name)),
        )
    });
    match ix {
        Some(ix) if version != 0 => Ok((op, Some(Record::new(op, version, ix as u32)))),
        _ => Err("module attribute not found"),
    }
}

/// What the class has for a method name, when it is a Python function or a native
/// method descriptor (`_io.BytesIO.read`): both are called with the instance as their
/// first argument.
fn method_of_class(found: Option<Value>) -> Result<Value, &'static str> {
    let Some(f) = found else {
        return Err("method not found on the class");
    };
    if f.downcast::<FuncObj>().is_none()
        && !f
            .downcast::<BuiltinFuncObj>()
            .is_some_and(|b| b.is_unbound_method())
    {
        return Err("class attribute is not a Python function");
    }
    Ok(f)
}

/// A method called on an instance of a Python subclass of a builtin type: a Python
/// function or a native method of the class, looked up by the class's version; the
/// instance's dict (if its layout has one) must not shadow it.
fn subclass_method(name: &Value, obj: &Value, td: &TypeData) -> Decision {
    let (version, found) = class_lookup(td, name)?;
    let n = crate::types::str::as_str(name).unwrap_or("");
    let f = method_of_class(found)?;
    if let Some(d) = td.instance_dict(obj) {
        let Some(d) = d.downcast_exact::<DictObj>() else {
            return Err("instance dict is not a dict");
        };
        if d.d.read(|d| d.get_hashed(n, str_hash_of(name)).is_some()) {
            return Err("method shadowed by the instance's dict");
        }
    }
    let r = Record::new(Op::LOAD_METHOD_SUBCLASS, version, 0).with_value(f.raw());
    Ok((Op::LOAD_METHOD_SUBCLASS, Some(r)))
}

fn load_method(name: &Value, obj: &Value) -> Decision {
    if let Some(m) = obj.downcast::<ModuleObj>() {
        return module_entry(m, name, Op::LOAD_METHOD_MODULE);
    }
    let td = obj.type_data();
    match td.kind {
        Kind::Object => {
            let (version, td, found) = instance_class(obj, name)?;
            if let Some(ix) = instance_dict_index(obj, name) {
                // An attribute of the instance called as a function: no self argument
                // (unless the class has a data descriptor of that name, which wins).
                if found.as_ref().is_some_and(is_data_descriptor) {
                    return Err("attribute is a data descriptor (property)");
                }
                let r = Record::new(Op::LOAD_METHOD_INSTANCE_ATTR, version, ix as u32);
                return Ok((Op::LOAD_METHOD_INSTANCE_ATTR, Some(r)));
            }
            let f = method_of_class(found)?;
            let op = if td.has_dict {
                Op::LOAD_METHOD_INSTANCE
            } else {
                Op::LOAD_METHOD_NO_DICT
            };
            let r = Record::new(op, version, 0).with_value(f.raw());
            Ok((op, Some(r)))
        }
        Kind::Type if obj.type_raw() == types().type_ => class_method(name, obj),
        _ if td.is_heap => subclass_method(name, obj, td),
        // Others (super, modules, classes) resolve attributes differently.
        k if k.methods_from_type_dict() => {
            let version = tag(td)?;
            let n = crate::types::str::as_str(name).unwrap_or("");
            match td.lookup_hashed(n, str_hash_of(name), false) {
                Some((d, _))
                    if d.downcast::<BuiltinFuncObj>()
                        .is_some_and(|b| b.is_unbound_method()) =>
                {
                    let r = Record::new(Op::LOAD_METHOD_NO_DICT, version, 0).with_value(d.raw());
                    Ok((Op::LOAD_METHOD_NO_DICT, Some(r)))
                }
                _ => Err("builtin attribute is not a method"),
            }
        }
        _ => Err("object kind without a specialization"),
    }
}

/// `C.f(...)` on a class whose metaclass is `type`: a Python function (called as is),
/// a staticmethod (its function) or a classmethod (its function, with the class as
/// the first argument), found in the class's MRO under its version tag. The record's
/// index says which (0, 1, 2).
fn class_method(name: &Value, cls: &Value) -> Decision {
    let td = as_type(cls).ok_or("not a class")?;
    let n = crate::types::str::as_str(name).unwrap_or("");
    if crate::ops::is_type_own_attr(n) {
        return Err("attribute of type's own data descriptor");
    }
    let version = tag(td)?;
    let Some((v, _)) = td.lookup_hashed(n, str_hash_of(name), false) else {
        return Err("class attribute not found in the MRO");
    };
    let t = types();
    let kind = if v.downcast_exact::<FuncObj>().is_some() {
        0
    } else if v.type_raw() == t.staticmethod {
        1
    } else if v.type_raw() == t.classmethod {
        2
    } else {
        return Err("class attribute is not a function, staticmethod or classmethod");
    };
    let r = Record::new(Op::LOAD_METHOD_CLASS, version, kind).with_value(v.raw());
    Ok((Op::LOAD_METHOD_CLASS, Some(r)))
}

fn store_attr(name: &Value, obj: &Value) -> Decision {
    let (version, td, found) = instance_class(obj, name)?;
    if td.hook_bits() & HOOK_SETATTR != 0 {
        return Err("class overrides __setattr__");
    }
    if matches!(
        crate::types::str::as_str(name),
        Some("__dict__" | "__class__")
    ) {
        return Err("object's __dict__/__class__ setters");
    }
    if let Some(s) = slot_index(td, &found) {
        return Ok((
            Op::STORE_ATTR_SLOT,
            Some(Record::new(Op::STORE_ATTR_SLOT, version, s as u32)),
        ));
    }
    if let Some(d) = &found
        && is_data_descriptor(d)
    {
        return Err("attribute is a data descriptor (property)");
    }
    match instance_dict_index(obj, name) {
        Some(ix) => Ok((
            Op::STORE_ATTR_INSTANCE,
            Some(Record::new(Op::STORE_ATTR_INSTANCE, version, ix as u32)),
        )),
        // A new attribute (typically in `__init__`): the hint is where it will land,
        // which is where the next instance built the same way will have it too.
        None => match instance(obj).and_then(|i| i.dict.downcast_exact::<DictObj>()) {
            Some(d) => {
                let ix = d.d.with(|d| d.entries.len());
                let r = Record::new(Op::STORE_ATTR_INSTANCE, version, ix as u32);
                Ok((Op::STORE_ATTR_INSTANCE, Some(r)))
            }
            None => Err("instance without a dict"),
        },
    }
}

fn load_global(vm: &Vm, name: &Value, globals: &Value) -> Decision {
    let Some(g) = globals.downcast::<DictObj>() else {
        return Err("globals is not a dict");
    };
    let h = str_hash_of(name);
    let (gv, gix) =
        g.d.with(|d| (d.keys_version(), d.index_of_identical(name, h)));
    if gv == 0 {
        return Err("dict keys versions exhausted");
    }
    if let Some(ix) = gix {
        let r = Record::new(Op::LOAD_GLOBAL_MODULE, gv, ix as u32);
        return Ok((Op::LOAD_GLOBAL_MODULE, Some(r)));
    }
    let n = crate::types::str::as_str(name).unwrap_or("");
    if g.d.read(|d| d.get_hashed(n, h)).is_some() {
        return Err("global key is not the interned name");
    }
    let (bv, bix) = vm
        .builtins_dict()
        .d
        .with(|d| (d.keys_version(), d.index_of_identical(name, h)));
    match bix {
        Some(ix) if bv != 0 => {
            let mut r = Record::new(Op::LOAD_GLOBAL_BUILTIN, gv, ix as u32);
            // (version2: the builtins dict's keys version)
            r.version2 = bv;
            Ok((Op::LOAD_GLOBAL_BUILTIN, Some(r)))
        }
        _ => Err("name not found (or not interned) in builtins"),
    }
}

/// Records compare callables by identity; only immortal ones (never freed, so their
/// address is never reused) may be named.
fn immortal(v: &Value) -> Result<RawValue, &'static str> {
    if crate::object::refcount(v.raw()) == i64::MAX {
        Ok(v.raw())
    } else {
        Err("builtin function is not immortal")
    }
}

fn call(vm: &Vm, nargs: u32, callable: &Value, self_or_null: &Value) -> Decision {
    if self_or_null.is_null()
        && let Some(m) = callable.downcast_exact::<MethodObj>()
    {
        return match m.func.downcast_exact::<FuncObj>() {
            Some(f) if f.takes_positionally(nargs as usize + 1) => {
                Ok((Op::CALL_BOUND_METHOD_EXACT_ARGS, None))
            }
            _ => Err("bound method without exact positional arguments"),
        };
    }
    if self_or_null.is_null()
        && let Some(td) = as_type(callable)
    {
        if super::exec::builtin_class(callable) {
            return Ok((Op::CALL_BUILTIN_CLASS, None));
        }
        return alloc_and_init(td, callable, nargs as usize);
    }
    let nargs = nargs as usize + !self_or_null.is_null() as usize;
    if let Some(f) = callable.downcast_exact::<FuncObj>() {
        if f.makes_generator_positionally(nargs) {
            return Ok((Op::CALL_PY_GENERATOR, None));
        }
        if !f.takes_positionally(nargs) {
            return Err("Python function without exact positional arguments");
        }
        return Ok((Op::CALL_PY_EXACT_ARGS, None));
    }
    if let Some(b) = BuiltinFuncObj::of(callable) {
        if !b.self_.is_null() {
            return if self_or_null.is_null() {
                Ok((Op::CALL_BUILTIN, None))
            } else {
                Err("bound native method with a self argument")
            };
        }
        let t = types();
        let len = vm.builtins_dict().get_str("len").unwrap_or(Value::NULL);
        if callable.is(&len) && nargs == 1 && self_or_null.is_null() {
            let r = Record::new(Op::CALL_LEN, 0, 0).with_value(immortal(&len)?);
            return Ok((Op::CALL_LEN, Some(r)));
        }
        let append = type_data_raw(t.list).dict.get_str("append");
        if let Some(ap) = append
            && callable.is(&ap)
            && nargs == 2
            && self_or_null.type_raw() == t.list
        {
            let r = Record::new(Op::CALL_LIST_APPEND, 0, 0).with_value(immortal(&ap)?);
            return Ok((Op::CALL_LIST_APPEND, Some(r)));
        }
        return Ok((Op::CALL_BUILTIN, None));
    }
    Err("callable kind without a specialization")
}

/// `C(args)` for a plain Python class: `object.__new__` and a Python `__init__`
/// taking exactly the instance and the arguments.
fn alloc_and_init(td: &TypeData, cls: &Value, nargs: usize) -> Decision {
    if cls.type_raw() != types().type_ {
        return Err("class with a metaclass");
    }
    if !td.is_heap || td.kind != Kind::Object || td.is_exception {
        return Err("class is not a plain Python class");
    }
    let version = tag(td)?;
    let user = |n: &str| {
        td.lookup_with_owner(n)
            .filter(|(_, owner)| as_type(owner).is_some_and(|o| o.is_heap))
    };
    if user("__new__").is_some() {
        return Err("class defines __new__");
    }
    match user("__init__") {
        Some((init, _)) => match init.downcast_exact::<FuncObj>() {
            Some(f) if f.takes_positionally(nargs + 1) => {
                let r = Record::new(Op::CALL_ALLOC_AND_ENTER_INIT, version, 0);
                Ok((
                    Op::CALL_ALLOC_AND_ENTER_INIT,
                    Some(r.with_value(init.raw())),
                ))
            }
            _ => Err("__init__ without exact positional arguments"),
        },
        // `C()` of a plain class with no `__init__` of its own (every base a Python
        // class but `object`, not abstract): the instance alone.
        None if nargs == 0
            && td.native.is_none()
            && td.dict.get_str("__abstractmethods__").is_none()
            && td.mro.read(|m| {
                m.iter().all(|b| {
                    b.raw() == types().object || crate::types::class::type_data_raw(b.raw()).is_heap
                })
            }) =>
        {
            Ok((
                Op::CALL_ALLOC_NO_INIT,
                Some(Record::new(Op::CALL_ALLOC_NO_INIT, version, 0)),
            ))
        }
        None => Err("class without a Python __init__"),
    }
}

fn for_iter(it: &Value) -> Decision {
    let t = types();
    if it.type_raw() == t.generator {
        // Run in the calling loop by the generic instruction (`Vm::gen_begin_inline`).
        return Err("generator (resumed in this loop by FOR_ITER itself)");
    }
    let Some(io) = it.downcast_exact::<IterObj>() else {
        return Err("iterator kind without a specialization");
    };
    let ty = it.type_raw();
    io.state.with(|s| match s {
        IterState::Range { .. } if ty == t.range_iterator => Ok((Op::FOR_ITER_RANGE, None)),
        IterState::Seq { seq, .. } if ty == t.list_iterator && seq.type_raw() == t.list => {
            Ok((Op::FOR_ITER_LIST, None))
        }
        IterState::Seq { seq, .. } if ty == t.tuple_iterator && seq.type_raw() == t.tuple => {
            Ok((Op::FOR_ITER_TUPLE, None))
        }
        _ => Err("iterator kind without a specialization"),
    })
}

fn subscr(container: &Value, key: &Value, store: bool) -> Decision {
    let t = types();
    let ct = container.type_raw();
    let int_key = key.raw().is_small_int();
    let op = match (store, ct) {
        (false, c) if c == t.list && int_key => Op::BINARY_SUBSCR_LIST_INT,
        (false, c) if c == t.tuple && int_key => Op::BINARY_SUBSCR_TUPLE_INT,
        (false, c) if c == t.dict => Op::BINARY_SUBSCR_DICT,
        (true, c) if c == t.list && int_key => Op::STORE_SUBSCR_LIST_INT,
        (true, c) if c == t.dict => Op::STORE_SUBSCR_DICT,
        _ => return Err("container or key type without a specialization"),
    };
    Ok((op, None))
}

fn unpack(n: u32, seq: &Value) -> Decision {
    let t = types();
    if let Some(tu) = seq.downcast::<TupleObj>()
        && seq.type_raw() == t.tuple
        && tu.items.len() == n as usize
    {
        return Ok((Op::UNPACK_SEQUENCE_TUPLE, None));
    }
    if let Some(l) = seq.downcast::<ListObj>()
        && seq.type_raw() == t.list
        && l.len() == n as usize
    {
        return Ok((Op::UNPACK_SEQUENCE_LIST, None));
    }
    Err("sequence kind or length without a specialization")
}
