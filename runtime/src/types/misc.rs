//! Small builtin types: slice, property, staticmethod/classmethod wrappers, super,
//! dict views.
use crate::object::ObjCell;
use crate::types::class::Kind;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct SliceObj {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}

impl PyPayload for SliceObj {
    fn class() -> RawValue {
        types().slice
    }
}

/// A property: its accessors sit in cells because `property.__init__` may (re)set them
/// (a Python subclass's `__init__` calling `super().__init__(fget, ...)`).
pub struct PropertyObj {
    pub fget: ObjCell<Value>,
    pub fset: ObjCell<Value>,
    pub fdel: ObjCell<Value>,
    pub doc: ObjCell<Value>,
    /// The name it was assigned to in a class body (`__set_name__`), for its error
    /// messages; NULL until then.
    pub name: ObjCell<Value>,
    /// The doc came from the getter, so a copy with a new getter takes the new one's.
    pub getter_doc: std::sync::atomic::AtomicBool,
}

impl PropertyObj {
    pub fn new(fget: Value, fset: Value, fdel: Value, doc: Value) -> PropertyObj {
        PropertyObj {
            fget: ObjCell::new(fget),
            fset: ObjCell::new(fset),
            fdel: ObjCell::new(fdel),
            doc: ObjCell::new(doc),
            name: ObjCell::new(Value::NULL),
            getter_doc: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl PyPayload for PropertyObj {
    fn class() -> RawValue {
        types().property
    }
}

/// Payload of `staticmethod` and `classmethod` objects (told apart by the type's kind);
/// the callable sits in a cell because `__init__` may set it.
pub struct WrapperObj {
    /// The wrapped callable: read with no lock by every call through the class
    /// (`LOAD_METHOD_CLASS`); replaced only by `__init__` called again, with the
    /// world stopped once threads run.
    pub f: crate::object::PublishedCell<Value>,
    /// The wrapper's own attributes (`__dict__`), NULL until one is set or the dict is
    /// asked for; see `wrapper_dict`.
    pub dict: ObjCell<Value>,
}

impl WrapperObj {
    pub fn new(f: Value) -> WrapperObj {
        WrapperObj {
            f: crate::object::PublishedCell::new(f),
            dict: ObjCell::new(Value::NULL),
        }
    }
}

/// The attributes CPython 3.10+ copies from the callable onto a new staticmethod or
/// classmethod (its `functools_wraps`); stitch reads them through from the callable
/// until the wrapper's dict is made, and copies them then.
pub const WRAPPER_COPIED: [&str; 5] = [
    "__module__",
    "__name__",
    "__qualname__",
    "__doc__",
    "__annotations__",
];

/// The `__dict__` of a staticmethod or classmethod, made on first use holding the
/// attributes copied from its callable (as CPython's holds them from the start).
pub fn wrapper_dict(vm: &mut crate::vm::Vm, w: &WrapperObj) -> crate::vm::PyResult<Value> {
    let d = w.dict.get_clone();
    if !d.is_null() {
        return Ok(d);
    }
    let f = w.f.get_clone();
    let fresh = crate::types::dict::DictObj::new();
    for n in WRAPPER_COPIED {
        if let Some(v) = crate::ops::getattr_opt(vm, &f, n)? {
            fresh.set_str(n, v);
        }
    }
    let fresh = Value::alloc(fresh);
    Ok(w.dict.with(|d| {
        if d.is_null() {
            *d = fresh;
        }
        d.clone()
    }))
}

/// The payload of a staticmethod or classmethod exactly (not of a Python subclass,
/// whose instances keep attributes in their own instance dict).
pub fn wrapper_exact(v: &Value) -> Option<&WrapperObj> {
    if !v.is_ptr() || v.type_data().is_heap {
        return None;
    }
    let k = v.type_data().kind;
    // SAFETY: instances of these kinds start with a WrapperObj payload.
    (k == Kind::ClassMethod || k == Kind::StaticMethod)
        .then(|| unsafe { v.payload_unchecked::<WrapperObj>() })
}

/// The callable wrapped by a classmethod or staticmethod (or an instance of a Python
/// subclass of either), else None.
pub fn wrapped_func(v: &Value) -> Option<Value> {
    if !v.is_ptr() {
        return None;
    }
    let k = v.type_data().kind;
    if k == Kind::ClassMethod || k == Kind::StaticMethod {
        // SAFETY: instances of these kinds start with a WrapperObj payload (subclass
        // instances are `SubObj<WrapperObj>`).
        Some(unsafe { v.payload_unchecked::<WrapperObj>() }.f.get_clone())
    } else {
        None
    }
}

/// Is `v` a classmethod (or an instance of a Python subclass of classmethod)?
pub fn is_classmethod(v: &Value) -> bool {
    v.is_ptr() && v.type_data().kind == Kind::ClassMethod
}

/// Is `v` a staticmethod (or an instance of a Python subclass of staticmethod)?
pub fn is_staticmethod(v: &Value) -> bool {
    v.is_ptr() && v.type_data().kind == Kind::StaticMethod
}

/// A `super` object. The fields sit in cells because `super.__init__` may (re)set them
/// (a Python subclass's `__init__`); all NULL until it runs.
pub struct SuperObj {
    /// The class whose MRO successor starts the lookup (`__thisclass__`).
    pub ty: ObjCell<Value>,
    /// The bound instance or class (`__self__`); NULL for an unbound super.
    pub obj: ObjCell<Value>,
    /// The class whose MRO is searched (`__self_class__`): `obj` itself when it is a
    /// subclass of `ty`, else its class; NULL for an unbound super.
    pub obj_type: ObjCell<Value>,
}

impl SuperObj {
    pub fn blank() -> SuperObj {
        SuperObj {
            ty: ObjCell::new(Value::NULL),
            obj: ObjCell::new(Value::NULL),
            obj_type: ObjCell::new(Value::NULL),
        }
    }
}

impl PyPayload for SuperObj {
    fn class() -> RawValue {
        types().super_
    }
}

/// Payload of dict_keys / dict_values / dict_items (told apart by type).
pub struct DictViewObj {
    pub dict: Value,
}

impl DictViewObj {
    pub fn dict(&self) -> &crate::types::dict::DictObj {
        // SAFETY: views are only made over dict objects.
        unsafe { self.dict.payload_unchecked() }
    }
    pub fn len(&self) -> usize {
        self.dict().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// 0 keys, 1 values, 2 items (from the view object's type).
    pub fn kind(&self, view: &Value) -> u8 {
        let t = view.type_raw();
        if t == types().dict_keys {
            0
        } else if t == types().dict_values {
            1
        } else {
            2
        }
    }
    pub fn contains(
        &self,
        vm: &mut crate::vm::Vm,
        view: &Value,
        item: &Value,
    ) -> crate::vm::PyResult<bool> {
        match self.kind(view) {
            0 => self.dict().contains(vm, item),
            1 => {
                for v in self.dict().values() {
                    if vm.eq(&v, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => {
                let Some(t) = item.downcast::<crate::types::tuple::TupleObj>() else {
                    return Ok(false);
                };
                if t.items.len() != 2 {
                    return Ok(false);
                }
                match self.dict().get(vm, &t.items[0])? {
                    Some(v) => vm.eq(&v, &t.items[1]),
                    None => Ok(false),
                }
            }
        }
    }
}

/// The payload of a dict_keys / dict_values / dict_items object.
pub fn as_dict_view(v: &Value) -> Option<&DictViewObj> {
    let t = v.type_raw();
    let ts = types();
    if t == ts.dict_keys || t == ts.dict_values || t == ts.dict_items {
        // SAFETY: view types carry a DictViewObj payload.
        Some(unsafe { v.payload_unchecked::<DictViewObj>() })
    } else {
        None
    }
}
