//! Instances of Python classes (and of the builtin exception types): an attribute
//! dict, `__slots__` storage, and exception state for BaseException subclasses.
use crate::object::ObjCell;
use crate::value::Value;

pub struct Instance {
    /// The instance `__dict__` (a dict object), or NULL for `__slots__`-only classes.
    pub dict: Value,
    /// Values of `__slots__` attributes, NULL when unset.
    pub slots: ObjCell<Vec<Value>>,
    /// Exception state, present when the class derives from BaseException.
    pub exc: Option<Box<ObjCell<ExcData>>>,
}

/// Instances of Python subclasses of builtin types (list, dict, tuple, set, int, str):
/// the builtin payload first, so the object can be used wherever the builtin is, then
/// the instance `__dict__`.
#[repr(C)]
pub struct SubObj<T> {
    pub base: T,
    pub dict: Value,
}

#[derive(Default)]
pub struct ExcData {
    pub args: Value,
    /// `__traceback__`: a traceback object (outermost entry first) or NULL.
    pub traceback: Value,
    pub context: Value,
    pub cause: Value,
    pub suppress_context: bool,
    /// Extra state of some exception types (StopIteration.value, SystemExit.code).
    pub value: Value,
}

impl Default for Value {
    fn default() -> Value {
        Value::NULL
    }
}
