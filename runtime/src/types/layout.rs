//! Instance layouts, and how every builtin type (including native types written later in
//! Rust, such as `_io.BytesIO` or `collections.deque`) is subclassable from Python with no
//! per-type code.
//!
//! Each type object carries a [`Layout`]: the Rust payload its instances start with (as a
//! `TypeId`), and how instances of its Python subclasses are laid out. There are three:
//!
//! * `Instance` (kind `Object`): `object`, the exceptions and every class deriving only
//!   from them. Subclass instances are `Instance`s too (attribute dict, slots, exception
//!   state).
//! * `TypeData` (kind `Type`): metaclasses. Their instances are classes.
//! * `ModuleObj` (kind `Module`): modules and their subclasses alike (the module's dict
//!   is its instance dict), so a module's `__class__` may change to a subclass.
//! * Any other payload `T`: instances of a Python subclass are `SubObj<T>` (the builtin's
//!   payload first, `#[repr(C)]`, then the instance `__dict__`). Since the payload is at the
//!   same address as in a builtin instance, every native method and fast path written for
//!   `T` works on them: `Value::downcast::<T>()` accepts an instance of any heap class whose
//!   layout payload is `T`.
//!
//! The layout is filled in by `builtin_types!` (`world.rs`) from the payload named on the
//! type's line, and inherited by every Python subclass (`class::new_class`), so a native
//! type gets subclasses for free. Construction (`builtins/subclass.rs`) follows CPython's
//! split between `tp_new` and `tp_init`:
//!
//! * a builtin whose type dict defines a native `__init__` (mutable containers, `deque`,
//!   `property`, `classmethod`) is created empty, by its native `__new__` when it has one
//!   (called with the builtin type alone) or else by calling the type with no arguments,
//!   and `__init__` (inherited or overridden and reached through `super()`) fills it;
//! * any other builtin is created by calling the type with the call's arguments.
//!
//! The fresh builtin object is then *adopted*: when the constructor handed back the only
//! reference to a new object, its payload is moved into a `SubObj<T>` of the subclass
//! ([`adopt_unique`]); builtins that return immediates or shared objects (small ints,
//! floats, interned strings, the empty tuple) are copied by `subclass::wrap`.
//!
//! A native type gives its line in `builtin_types!` a kind other than `Object` (which
//! means `Instance` payloads), usually `Other`. One that must not be subclassed (as
//! CPython's types without `Py_TPFLAGS_BASETYPE`) calls [`set_final`] once, when it is
//! created.
use std::any::TypeId;
use std::sync::atomic::Ordering;

use crate::gc::{GcOps, ops_for};
use crate::object::{DeallocFn, dealloc_as};
use crate::types::class::{Kind, TypeData, type_data_raw};
use crate::types::instance::{Instance, SubObj};
use crate::types::module::ModuleObj;
use crate::value::Value;
use stitch_stencils::value::RawValue;

/// Turn a fresh instance of the builtin base into an instance of the subclass `cls` whose
/// instance dict is `dict`, or give it back when that is not possible without copying
/// (it is shared).
pub type AdoptFn = fn(base: Value, cls: &Value, dict: Value) -> Result<Value, Value>;

/// The memory layout of a type's instances and of its Python subclasses' instances.
#[derive(Clone, Copy)]
pub struct Layout {
    /// The Rust payload instances start with.
    pub payload: TypeId,
    /// Deallocator for instances of Python subclasses.
    pub sub_dealloc: DeallocFn,
    /// Offset of the instance dict inside a subclass instance's payload (0: no dict
    /// after a builtin payload; `Instance`s keep theirs inside).
    pub dict_offset: usize,
    /// Moves a fresh builtin instance into a subclass instance (None for `Instance` and
    /// `TypeData`, which are created directly).
    pub adopt: Option<AdoptFn>,
    /// The builtin payload `payload` itself starts with, for native types extending a
    /// builtin's layout (`collections.defaultdict`'s payload starts with a dict's).
    pub base_payload: Option<TypeId>,
    /// Cycle-collector ops of instances carrying `payload` (None: not tracked).
    pub gc: Option<GcOps>,
    /// Cycle-collector ops of Python subclasses' instances.
    pub sub_gc: Option<GcOps>,
    /// Bytes of the payload (`object.__sizeof__` of native objects).
    pub payload_size: usize,
}

impl Layout {
    /// The layout of a builtin type of kind `kind` whose instances carry `T`.
    pub fn for_kind<T: 'static>(kind: Kind) -> Layout {
        // Kind `Object` means `Instance` payloads: a native payload under it would be
        // laid out wrongly in its subclasses.
        debug_assert!(kind != Kind::Object || TypeId::of::<T>() == TypeId::of::<Instance>());
        match kind {
            Kind::Object => Layout::instance(),
            // A module's attributes are its own dict: Python subclasses add nothing to
            // the layout (their slots, if any, live in that dict, as other subclasses'
            // live in theirs), so `module.__class__ = ModuleSubclass` swaps the class
            // of an object whose memory both classes lay out alike.
            Kind::Module => Layout {
                payload: {
                    debug_assert!(TypeId::of::<T>() == TypeId::of::<ModuleObj>());
                    TypeId::of::<T>()
                },
                sub_dealloc: dealloc_as::<T>,
                dict_offset: std::mem::offset_of!(ModuleObj, dict),
                adopt: Some(adopt_in_place::<T>),
                base_payload: None,
                gc: ops_for(TypeId::of::<T>()),
                sub_gc: ops_for(TypeId::of::<T>()),
                payload_size: std::mem::size_of::<T>(),
            },
            Kind::Type => Layout {
                payload: TypeId::of::<TypeData>(),
                sub_dealloc: dealloc_as::<TypeData>,
                dict_offset: 0,
                adopt: None,
                base_payload: None,
                gc: ops_for(TypeId::of::<TypeData>()),
                sub_gc: ops_for(TypeId::of::<TypeData>()),
                payload_size: std::mem::size_of::<TypeData>(),
            },
            _ => Layout {
                payload: TypeId::of::<T>(),
                sub_dealloc: dealloc_as::<SubObj<T>>,
                dict_offset: std::mem::offset_of!(SubObj<T>, dict),
                adopt: Some(adopt_unique::<T>),
                base_payload: None,
                gc: ops_for(TypeId::of::<T>()),
                sub_gc: Some(crate::gc::traverse::sub_obj_ops()),
                payload_size: std::mem::size_of::<T>(),
            },
        }
    }

    /// `Instance` layout: `object`, exceptions and plain Python classes.
    pub fn instance() -> Layout {
        Layout {
            payload: TypeId::of::<Instance>(),
            sub_dealloc: dealloc_as::<Instance>,
            dict_offset: 0,
            adopt: None,
            base_payload: None,
            gc: ops_for(TypeId::of::<Instance>()),
            sub_gc: ops_for(TypeId::of::<Instance>()),
            payload_size: std::mem::size_of::<Instance>(),
        }
    }
}

/// [`AdoptFn`] for a payload whose subclasses keep its layout (modules): the payload of
/// an unshared fresh builtin object moves into a new object of `cls` as it is.
fn adopt_in_place<T: 'static>(base: Value, cls: &Value, _dict: Value) -> Result<Value, Value> {
    let bt = base.type_data();
    if !base.is_ptr() || bt.is_heap || bt.layout.payload != TypeId::of::<T>() {
        return Err(base);
    }
    // SAFETY: a builtin (non-heap) object whose type's payload is `T` is a `PyObj<T>`.
    let payload = unsafe { crate::object::take_unique::<T>(base)? };
    Ok(Value::alloc_with_type(cls, payload))
}

/// [`AdoptFn`] for payload `T`: move the payload of an unshared fresh builtin object into
/// a new `SubObj<T>` of `cls` (no copy, so it works for any payload).
fn adopt_unique<T: 'static>(base: Value, cls: &Value, dict: Value) -> Result<Value, Value> {
    let bt = base.type_data();
    if !base.is_ptr() || bt.is_heap || bt.layout.payload != TypeId::of::<T>() {
        return Err(base);
    }
    // SAFETY: a builtin (non-heap) object whose type's payload is `T` is a `PyObj<T>`.
    let payload = unsafe { crate::object::take_unique::<T>(base)? };
    Ok(Value::alloc_with_type(
        cls,
        SubObj {
            base: payload,
            dict,
        },
    ))
}

/// Is `td`'s instance payload `T` (a builtin of `T`'s layout or a Python subclass)?
#[inline]
pub fn has_payload<T: 'static>(td: &TypeData) -> bool {
    let t = TypeId::of::<T>();
    td.layout.payload == t || td.layout.base_payload == Some(t)
}

/// The builtin type whose payload `v` carries: `type(v)` itself for builtin instances,
/// the builtin base for instances of Python subclasses. Results that builtin methods
/// build "of the same type" (`frozenset | set`) must use it: a payload allocated with a
/// Python subclass as its type would be freed as a `SubObj<T>`.
pub fn builtin_type_of(v: &Value) -> Value {
    let td = v.type_data();
    if !td.is_heap {
        return v.type_of();
    }
    td.mro
        .read(|mro| {
            mro.iter()
                .find(|t| {
                    let b = type_data_raw(t.raw());
                    !b.is_heap && b.layout.payload == td.layout.payload
                })
                .cloned()
        })
        .unwrap_or_else(|| v.type_of())
}

/// Mark a builtin type as not subclassable ("type 'X' is not an acceptable base type").
pub fn set_final(ty: RawValue) {
    type_data_raw(ty).basetype.store(false, Ordering::Relaxed);
}

/// The builtin types CPython does not let Python classes derive from.
pub fn mark_final_builtins(t: &crate::world::Types) {
    for ty in [
        t.bool,
        t.none_type,
        t.not_implemented_type,
        t.ellipsis_type,
        t.function,
        t.builtin_function,
        t.method_descriptor,
        t.code,
        t.cell,
        t.method,
        t.range,
        t.slice,
        t.generator,
        t.coroutine,
        t.async_generator,
        t.async_generator_asend,
        t.async_generator_athrow,
        t.async_generator_wrapped_value,
        t.anext_awaitable,
        t.coroutine_wrapper,
        t.dict_keys,
        t.dict_values,
        t.dict_items,
        t.frame,
        t.lock,
    ]
    .into_iter()
    .chain(t.final_iterators())
    {
        set_final(ty);
    }
}
