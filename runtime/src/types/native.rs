//! Native types with a Rust payload of their own (`itertools.chain`, `collections.deque`,
//! `functools.partial`, `operator.itemgetter`, ...): how they are declared, dispatched
//! and subclassed from Python.
//!
//! # The mechanism
//!
//! A native type is a type object whose `TypeData::native` points at a static
//! [`NativeType`] table. Its instances are `PyObj<T>` for a payload `T` (any Rust struct
//! implementing `PyPayload`); instances of Python subclasses are `PyObj<SubObj<T>>` (the
//! payload first, then the instance `__dict__`), so the payload sits at the same place
//! in both and [`downcast`] finds it for either.
//!
//! Behaviour lives in two places:
//! - the type dict, as for a Python class: native methods under their dunder names
//!   (`__len__`, `__getitem__`, `__repr__`, `__eq__`, ...). `vm::lookup_special` finds
//!   them for native types (and their subclasses) the way it finds a Python class's,
//!   so every protocol that falls back on a special method works unchanged;
//! - the slots of [`NativeType`], for the protocols that must not pay a dict lookup
//!   per use: `__next__` (loops over itertools objects), `__call__` (partial,
//!   itemgetter, lru_cache wrappers), construction, and the subclass layout.
//!
//! A Python subclass inherits the table (`types::class::new_class`), takes its instance
//! layout from it (`sub_dealloc`, `sub_dict_offset`), and is constructed by calling the
//! slot `new` with the subclass (`builtins::subclass::default_new`), then `__init__`.
//! Methods a subclass defines in Python win over the slots (`__next__`, `__call__`).
//!
//! Declaring a type: a payload struct, `native_payload!(Payload, CELL)` (its class
//! lives in a `static` set when the module creates the type), a `static` `NativeType`
//! built with [`NativeType::of::<Payload>()`], and [`new_type`] in the module's init.
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use crate::object::{DeallocFn, PyObj, dealloc_as};
use crate::types::class::{Kind, TypeData, new_builtin_type, type_data_raw};
use crate::types::dict::DictObj;
use crate::types::instance::SubObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};

/// `__next__` slot: Ok(None) when exhausted (no StopIteration object is made).
pub type IterNextFn = fn(&mut Vm, &Value) -> PyResult<Option<Value>>;
/// `__call__` slot: the object and the call's arguments.
pub type CallFn = fn(&mut Vm, &Value, &Args) -> PyResult<Value>;
/// `__get__` slot of a data descriptor: the descriptor and the instance.
pub type DescrGetFn = fn(&mut Vm, &Value, &Value) -> PyResult<Value>;
/// Binary-operator slot (the binary entries of CPython's `tp_as_number`): `a <op> b`
/// where `a` or `b` is an instance of the type itself (not of a subclass), `op` a base
/// `NB_*` operator. `Ok(None)`: not answered here (an operand of another type, an
/// operator the type leaves to its special methods); the generic protocol then runs,
/// special methods included, so the slot only short-cuts what they would do. It is
/// also asked for the in-place operators (with their base operator): a type with this
/// slot has no in-place special methods.
pub type BinaryFn = fn(&mut Vm, &Value, &Value, u32) -> PyResult<Option<Value>>;
/// Attribute-lookup hook, asked before the generic lookup: `Ok(Some(v))` answers,
/// `Ok(None)` lets the generic lookup go on (`types.GenericAlias` forwards most names
/// to its origin this way).
pub type GetAttrFn = fn(&mut Vm, &Value, &str) -> PyResult<Option<Value>>;
/// `__new__` slot: the class to instantiate (the native type or a Python subclass of
/// it) and the constructor's arguments.
pub type NewFn = fn(&mut Vm, &Value, &Args) -> PyResult<Value>;

/// The slots of a native type (see the module doc).
pub struct NativeType {
    /// Makes an instance (`None`: "cannot create 'X' instances").
    pub new: Option<NewFn>,
    /// Whether calling the type runs its `__init__` after `new` (deque, defaultdict).
    pub has_init: bool,
    pub iternext: Option<IterNextFn>,
    pub call: Option<CallFn>,
    /// `__get__` of a data descriptor (`_tuplegetter`): called with the descriptor and
    /// the instance, before the instance dict is looked at.
    pub data_get: Option<DescrGetFn>,
    pub getattro: Option<GetAttrFn>,
    /// Arithmetic without a special-method lookup and call (`_decimal`'s operators).
    pub binary: Option<BinaryFn>,
    /// Deallocator and instance-dict offset of `SubObj<T>`, for Python subclasses.
    pub sub_dealloc: DeallocFn,
    pub sub_dict_offset: usize,
    /// Offset of an instance `__dict__` (a `Value` field, never NULL) inside the
    /// payload of the type's own instances; 0 for none (then `Python subclasses` get
    /// theirs from `SubObj`).
    pub dict_offset: usize,
    /// Instances can be weakly referenced (CPython's `tp_weaklistoffset` set).
    pub weakrefable: bool,
}

impl NativeType {
    /// A table for payload `T` with no slots filled in.
    pub const fn of<T>() -> NativeType {
        NativeType {
            new: None,
            has_init: false,
            iternext: None,
            call: None,
            data_get: None,
            getattro: None,
            binary: None,
            sub_dealloc: dealloc_as::<SubObj<T>>,
            sub_dict_offset: std::mem::offset_of!(SubObj<T>, dict),
            dict_offset: 0,
            weakrefable: false,
        }
    }
}

/// Implements `PyPayload` for a native payload whose type object is kept in the
/// `static` `$cell` (an `AtomicU64`, 0 until the module creating the type runs).
#[macro_export]
macro_rules! native_payload {
    ($payload:ty, $cell:ident) => {
        static $cell: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        impl $crate::value::PyPayload for $payload {
            #[inline(always)]
            fn class() -> stitch_stencils::value::RawValue {
                stitch_stencils::value::RawValue($cell.load(std::sync::atomic::Ordering::Relaxed))
            }
        }
    };
}

/// Create a native type (immortal) named `name` in module `module`, with base `base`
/// (usually `object`), instance layout `kind` (`Kind::Native`, or the base's kind when
/// the payload starts with the base's payload, as defaultdict's starts with a dict),
/// and publish it in `cell` (the `native_payload!` cell of its payload).
pub fn new_type<T: 'static>(
    name: &str,
    module: &str,
    base: RawValue,
    kind: Kind,
    table: &'static NativeType,
    cell: &AtomicU64,
) -> Value {
    let existing = cell.load(Ordering::Acquire);
    if existing != 0 {
        return Value::from_borrowed(RawValue(existing));
    }
    // The payload may start with the base's (defaultdict's with a dict): record it so
    // that `downcast` of the base's payload accepts these instances.
    let mut layout = crate::types::layout::Layout::for_kind::<T>(kind);
    if kind != Kind::Native && !base.is_null() && type_data_raw(base).kind == kind {
        layout.base_payload = Some(type_data_raw(base).layout.payload);
    }
    let t = new_builtin_type(name, base, kind, dealloc_as::<T>, layout);
    // SAFETY: the type object was just created and no other code has seen it yet, so
    // this is the only reference to its payload.
    unsafe {
        let td = &mut (*(t.as_ptr() as *mut PyObj<TypeData>)).payload;
        td.native = Some(table);
        td.dict_offset = table.dict_offset;
    }
    type_data_raw(t).module.with(|m| *m = module.to_string());
    if table.new.is_some() {
        // `__new__` in the type dict, as CPython's `tp_new_wrapper`: what a Python
        // subclass's `super().__new__(cls, ...)` reaches (`collections.abc`'s
        // `_CallableGenericAlias` subclasses `types.GenericAlias` so).
        crate::builtins::add_static(t, "__new__", new_method);
    }
    cell.store(t.0, Ordering::Release);
    Value::from_borrowed(t)
}

/// Allocate an instance of `cls` (the native type of `T`, or a Python subclass of it)
/// holding `payload`.
pub fn alloc<T: PyPayload>(cls: &Value, payload: T) -> Value {
    if cls.raw() == T::class() {
        return Value::alloc(payload);
    }
    Value::alloc_with_type(
        cls,
        SubObj {
            base: payload,
            dict: DictObj::new_value(),
        },
    )
}

/// The payload of a native object whose type is `T`'s or a Python subclass of it.
#[inline(always)]
pub fn downcast<T: PyPayload>(v: &Value) -> Option<&T> {
    if let Some(p) = v.downcast_exact::<T>() {
        return Some(p);
    }
    downcast_sub(v)
}

#[cold]
fn downcast_sub<T: PyPayload>(v: &Value) -> Option<&T> {
    if !v.is_ptr() {
        return None;
    }
    let td = v.type_data();
    let cls = T::class();
    if td.is_heap && td.native.is_some() && !cls.is_null() && td.is_subtype_raw(cls) {
        // SAFETY: instances of Python subclasses of T's type are `PyObj<SubObj<T>>`,
        // whose payload begins with a `T` (`#[repr(C)]`).
        return Some(unsafe { v.payload_unchecked::<T>() });
    }
    None
}

/// The native table of `v`'s type, if it is a native type or a subclass of one.
#[inline(always)]
pub fn table(v: &Value) -> Option<&'static NativeType> {
    if v.is_ptr() {
        v.type_data().native
    } else {
        None
    }
}

/// The `__next__` slot to run for `it`, unless a Python subclass overrides `__next__`.
#[inline(always)]
pub fn iternext_slot(it: &Value) -> Option<IterNextFn> {
    let td = it.type_data();
    let f = td.native?.iternext?;
    if td.is_heap && td.lookup_user("__next__").is_some() {
        return None;
    }
    Some(f)
}

/// The `__call__` slot to run for `f`, unless a Python subclass overrides `__call__`.
#[inline(always)]
pub fn call_slot(f: &Value) -> Option<CallFn> {
    let td = f.type_data();
    let c = td.native?.call?;
    if td.is_heap && td.lookup_user("__call__").is_some() {
        return None;
    }
    Some(c)
}

/// Calling a native type (or a Python subclass without its own `__new__`): the `new`
/// slot, then `__init__` when the type has one.
pub fn construct(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let td = type_data_raw(cls.raw());
    let Some(n) = td.native else {
        return Err(vm.type_error("not a native type"));
    };
    let Some(new) = n.new else {
        let name = td.qualname();
        let m = td.module.get_clone();
        return Err(vm.type_error(format!("cannot create '{m}.{name}' instances")));
    };
    let obj = new(vm, cls, a)?;
    if n.has_init
        && let Some(init) = td.lookup("__init__")
    {
        let mut full = Vec::with_capacity(a.args.len() + 1);
        full.push(obj.clone());
        full.extend_from_slice(a.args);
        vm.call_kw(&init, &full, a.kwnames)?;
    }
    Ok(obj)
}

/// The kind of instance layout of native types that carry their own payload.
pub const KIND: Kind = Kind::Native;

/// A method `name` defined by a native type (or a Python class) above the plain
/// builtin base in `td`'s MRO: how defaultdict's `__missing__` and `__repr__` override
/// dict's behaviour as a Python subclass's methods would.
pub fn override_of(td: &TypeData, name: &str) -> Option<Value> {
    td.mro.read(|mro| {
        for t in mro.iter() {
            let bt = type_data_raw(t.raw());
            if !bt.is_heap && bt.native.is_none() {
                return None;
            }
            if let Some(v) = bt.dict.get_str(name) {
                return Some(v);
            }
        }
        None
    })
}

/// CPython's `tp_name` of a type: `module.name` for native types (as C types spell
/// theirs, e.g. `collections.deque`), the plain name otherwise (and for the native
/// types of `builtins`, such as `mappingproxy`).
pub fn tp_name(td: &TypeData) -> String {
    let module = td.module.get_clone();
    if td.native.is_some() && !td.is_heap && module != "builtins" {
        format!("{module}.{}", td.name)
    } else {
        td.name.clone()
    }
}

/// `__new__(cls, *args, **kwargs)` of native types: the `new` slot of `cls`'s native
/// base, for `cls` a native type or a Python subclass of one.
fn new_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((cls, rest)) = a.args.split_first() else {
        return Err(vm.type_error("__new__(): not enough arguments"));
    };
    let Some(td) = crate::types::class::as_type(cls) else {
        let tn = crate::builtins::type_name(cls);
        return Err(vm.type_error(format!("__new__(X): X is not a type object ({tn})")));
    };
    let Some(new) = td.native.and_then(|n| n.new) else {
        let name = tp_name(td);
        return Err(vm.type_error(format!("cannot create '{name}' instances")));
    };
    new(
        vm,
        cls,
        &Args {
            args: rest,
            kwnames: a.kwnames,
        },
    )
}

/// `__call__` in the type dict (the slot does the work; this is for explicit calls).
pub fn call_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((s, _)) = a.args.split_first() else {
        return Err(vm.type_error("descriptor '__call__' needs an argument"));
    };
    let Some(c) = table(s).and_then(|t| t.call) else {
        return Err(vm.type_error("descriptor '__call__' requires a callable"));
    };
    c(
        vm,
        s,
        &Args {
            args: &a.args[1..],
            kwnames: a.kwnames,
        },
    )
}

/// `__iter__` of every native iterator type: the object itself.
pub fn iter_self(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "__iter__", a, 0, 0)?;
    Ok(s.clone())
}

/// `__next__` of every native iterator type: its `iternext` slot, with StopIteration.
pub fn next_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "__next__", a, 0, 0)?;
    let Some(f) = table(s).and_then(|t| t.iternext) else {
        return Err(vm.type_error("descriptor '__next__' requires an iterator"));
    };
    match f(vm, s)? {
        Some(v) => Ok(v),
        None => Err(vm.stop_iteration(Value::none())),
    }
}
