//! `Value`: an owning handle to one Python value (one 64-bit word).
//!
//! `Clone` increments the reference count and `Drop` decrements it, so Rust code in the
//! runtime cannot leak or double-free by accident. Immediates (small ints, floats,
//! singletons) make both free. The raw word is [`RawValue`] from the stencils ABI.
use std::mem::ManuallyDrop;

use num_bigint::BigInt;
use num_traits::ToPrimitive;
use stitch_stencils::value::RawValue;

use crate::object::{self, ObjHeader, PyObj};
use crate::types::class::TypeData;
use crate::world::types;

#[repr(transparent)]
pub struct Value(RawValue);

impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        object::incref(self.0);
        Value(self.0)
    }
}

impl Drop for Value {
    #[inline(always)]
    fn drop(&mut self) {
        object::decref(self.0);
    }
}

impl PartialEq for Value {
    /// Identity (`is`), not Python equality.
    fn eq(&self, other: &Value) -> bool {
        self.0 == other.0
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Value({:#x})", self.0.0)
    }
}

/// Payload types of builtin classes know their type object.
pub trait PyPayload: Sized + 'static {
    fn class() -> RawValue;

    /// Is `ty` a builtin type whose instances are exactly `PyObj<Self>`? Most payloads
    /// belong to one type (`class()`); a payload several builtin types share (the
    /// builtin iterators: `list_iterator`, `map`, ...) answers for all of them, so
    /// `downcast_exact` stays one inlined test on the hot paths.
    #[inline(always)]
    fn is_exact_type(ty: RawValue) -> bool {
        ty == Self::class()
    }

    /// Do other builtin (non-heap) types whose layout payload is `Self` carry it too
    /// (`method_descriptor` shares `builtin_function_or_method`'s)? Payloads of types
    /// that must stay apart (`frozenset` has `set`'s payload, `coroutine` a generator's)
    /// keep this false.
    const SHARED_BY_BUILTINS: bool = false;
}

impl Value {
    pub const NULL: Value = Value(RawValue::NULL);

    #[inline(always)]
    pub fn none() -> Value {
        Value(RawValue::NONE)
    }
    #[inline(always)]
    pub fn bool(b: bool) -> Value {
        Value(RawValue::from_bool(b))
    }
    #[inline(always)]
    pub fn not_implemented() -> Value {
        Value(RawValue::NOT_IMPLEMENTED)
    }
    #[inline(always)]
    pub fn ellipsis() -> Value {
        Value(RawValue::ELLIPSIS)
    }
    #[inline(always)]
    pub fn float(f: f64) -> Value {
        Value(RawValue::from_f64(f))
    }
    #[inline(always)]
    pub fn int(i: i64) -> Value {
        if RawValue::fits_small(i) {
            Value(RawValue::from_small_int(i))
        } else {
            Value::bigint(BigInt::from(i))
        }
    }
    /// An int from a BigInt, normalised to the small encoding when it fits.
    pub fn bigint(b: BigInt) -> Value {
        if let Some(i) = b.to_i64()
            && RawValue::fits_small(i)
        {
            return Value(RawValue::from_small_int(i));
        }
        Value::alloc(crate::types::int::BigIntObj(b))
    }

    pub fn alloc<T: PyPayload>(payload: T) -> Value {
        Value(object::alloc(T::class(), payload))
    }

    pub fn alloc_with_type<T>(ty: &Value, payload: T) -> Value {
        Value(object::alloc(ty.0, payload))
    }

    #[inline(always)]
    pub fn raw(&self) -> RawValue {
        self.0
    }
    #[inline(always)]
    pub fn bits(&self) -> u64 {
        self.0.0
    }
    /// Give up ownership, returning the raw word.
    #[inline(always)]
    pub fn into_raw(self) -> RawValue {
        ManuallyDrop::new(self).0
    }
    /// Take ownership of a raw word that carries a reference.
    ///
    /// # Safety
    /// `r` must carry one reference the caller gives up (or be an immediate).
    #[inline(always)]
    pub unsafe fn from_raw(r: RawValue) -> Value {
        Value(r)
    }
    /// A new reference to a value somebody else keeps alive.
    #[inline(always)]
    pub fn from_borrowed(r: RawValue) -> Value {
        object::incref(r);
        Value(r)
    }

    #[inline(always)]
    pub fn is_null(&self) -> bool {
        self.0.is_null()
    }
    #[inline(always)]
    pub fn is_none(&self) -> bool {
        self.0 == RawValue::NONE
    }
    #[inline(always)]
    pub fn is_ptr(&self) -> bool {
        self.0.is_ptr()
    }
    #[inline(always)]
    pub fn is(&self, other: &Value) -> bool {
        self.0 == other.0
    }
    #[inline(always)]
    pub fn is_small_int(&self) -> bool {
        self.0.is_small_int()
    }
    #[inline(always)]
    pub fn as_small_int(&self) -> Option<i64> {
        if self.0.is_small_int() {
            Some(self.0.as_small_int())
        } else {
            None
        }
    }
    #[inline(always)]
    pub fn is_float(&self) -> bool {
        self.0.is_float()
    }
    /// The value of a float (not of a float subclass instance): for fast paths that
    /// must leave subclasses to their overrides.
    #[inline(always)]
    pub fn as_exact_float(&self) -> Option<f64> {
        if self.0.is_float() {
            Some(self.0.as_f64())
        } else {
            None
        }
    }

    /// The value of a float, or of an instance of a Python subclass of float.
    #[inline(always)]
    pub fn as_float(&self) -> Option<f64> {
        if self.0.is_float() {
            Some(self.0.as_f64())
        } else if self.0.is_ptr() {
            self.float_subclass_value()
        } else {
            None
        }
    }

    #[cold]
    fn float_subclass_value(&self) -> Option<f64> {
        self.downcast_subclass::<crate::types::float::FloatPayload>()
            .map(|f| f.0)
    }
    #[inline(always)]
    pub fn is_bool(&self) -> bool {
        self.0.is_bool()
    }
    #[inline(always)]
    pub fn is_true_singleton(&self) -> bool {
        self.0 == RawValue::TRUE
    }

    /// The header of a heap object.
    #[inline(always)]
    pub fn header(&self) -> Option<&ObjHeader> {
        if self.0.is_ptr() {
            // SAFETY: heap pointers always point at a live object with a header.
            Some(unsafe { &*(self.0.as_ptr() as *const ObjHeader) })
        } else {
            None
        }
    }

    /// The type object of this value (borrowed: types outlive their instances).
    /// The heap-object path (one load) is inlined into every caller; the immediates'
    /// types come from the world's type table out of line.
    #[inline(always)]
    pub fn type_raw(&self) -> RawValue {
        let r = self.0;
        if r.is_ptr() {
            // SAFETY: live heap object.
            RawValue::from_ptr(unsafe { (*(r.as_ptr() as *const ObjHeader)).ob_type } as *const u8)
        } else {
            immediate_type(r)
        }
    }

    pub fn type_of(&self) -> Value {
        Value::from_borrowed(self.type_raw())
    }

    /// The type's data of this value.
    #[inline]
    pub fn type_data(&self) -> &TypeData {
        // SAFETY: every type object is a `PyObj<TypeData>`; builtin types are immortal
        // and user types outlive their instances (instances hold a reference).
        unsafe { &(*(self.type_raw().as_ptr() as *const PyObj<TypeData>)).payload }
    }

    /// Payload of a heap object whose type is `T`'s class, or a Python subclass of it
    /// (whose instances start with the same payload; see `types::layout`).
    #[inline(always)]
    pub fn downcast<T: PyPayload>(&self) -> Option<&T> {
        if let Some(p) = self.downcast_exact::<T>() {
            return Some(p);
        }
        // Only a Python class, a native type extending a builtin's payload, or a
        // builtin sharing `T` can hold a `T` under another type: an instance of any
        // other builtin (the common miss: `downcast` chains testing a list, a tuple, a
        // range... in turn) is answered here, without the call.
        if self.0.is_ptr()
            && (T::SHARED_BY_BUILTINS || {
                let td = self.type_data();
                td.is_heap || td.native.is_some()
            })
        {
            self.downcast_subclass::<T>()
        } else {
            None
        }
    }

    #[cold]
    fn downcast_subclass<T: PyPayload>(&self) -> Option<&T> {
        let td = self.type_data();
        if (td.is_heap || td.native.is_some() || T::SHARED_BY_BUILTINS)
            && crate::types::layout::has_payload::<T>(td)
        {
            // SAFETY: instances of a Python class whose layout payload is `T` are
            // `PyObj<T>` (classes made by a metaclass) or `PyObj<SubObj<T>>`, whose payload
            // begins with a `T` (`#[repr(C)]`); native types extending a builtin's payload
            // (defaultdict for dict) have payloads that begin with a `T` too; builtin
            // types sharing `T` (`SHARED_BY_BUILTINS`) have `PyObj<T>` instances.
            return Some(unsafe { &(*(self.0.as_ptr() as *const PyObj<T>)).payload });
        }
        None
    }

    /// Payload of an object whose type is exactly `T`'s builtin class (see
    /// `PyPayload::is_exact_type`), not a Python subclass.
    #[inline(always)]
    pub fn downcast_exact<T: PyPayload>(&self) -> Option<&T> {
        let r = self.0;
        if r.is_ptr() {
            // SAFETY: heap pointer to a live object; the type check proves the layout.
            unsafe {
                let h = r.as_ptr() as *const ObjHeader;
                if T::is_exact_type(RawValue::from_ptr((*h).ob_type as *const u8)) {
                    return Some(&(*(h as *const PyObj<T>)).payload);
                }
            }
        }
        None
    }

    /// Payload, when the caller has checked the layout another way (kind of the type).
    ///
    /// # Safety
    /// The object must be a `PyObj<T>`.
    #[inline(always)]
    pub unsafe fn payload_unchecked<T>(&self) -> &T {
        // SAFETY: guaranteed by the caller.
        unsafe { &(*(self.0.as_ptr() as *const PyObj<T>)).payload }
    }
}

/// The type of an immediate (a small int, a float or a singleton).
#[inline(never)]
fn immediate_type(r: RawValue) -> RawValue {
    if r.is_small_int() {
        types().int
    } else if r.is_float() {
        types().float
    } else {
        match r {
            RawValue::NONE => types().none_type,
            RawValue::TRUE | RawValue::FALSE => types().bool,
            RawValue::NOT_IMPLEMENTED => types().not_implemented_type,
            RawValue::ELLIPSIS => types().ellipsis_type,
            _ => types().none_type,
        }
    }
}
