//! Callables: Python functions, native (builtin) functions, bound methods, cells.
use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct FuncObj {
    /// The code object (`__code__`, replaceable: `func_code`).
    pub code_slot: crate::types::func_code::CodeSlot,
    pub globals: Value,
    pub name: ObjCell<Value>,
    pub qualname: ObjCell<Value>,
    /// Positional defaults (a tuple) or NULL.
    pub defaults: ObjCell<Value>,
    /// Keyword-only defaults (a dict) or NULL.
    pub kwdefaults: ObjCell<Value>,
    /// Cells for the code's free variables.
    pub closure: Box<[Value]>,
    /// Function attributes (`f.x = 1`, `__wrapped__`), created on demand. The
    /// function's own attributes (`__doc__`, `__module__`, the fields above) are data
    /// descriptors in CPython: a key of the same name in this dict never shadows them.
    pub dict: ObjCell<Value>,
    /// `__annotations__` (a dict), or NULL until asked for when the def had none.
    pub annotations: ObjCell<Value>,
    /// `__module__` (writable).
    pub module: ObjCell<Value>,
    /// `__doc__` (writable): the docstring, or None.
    pub doc: ObjCell<Value>,
}

impl PyPayload for FuncObj {
    fn class() -> RawValue {
        types().function
    }
}

impl FuncObj {
    pub fn code(&self) -> &crate::types::code::CodeObj {
        // SAFETY: the slot always holds a code object.
        unsafe { self.code_slot.get().payload_unchecked() }
    }

    /// The code object as a value (a new reference).
    pub fn code_value(&self) -> Value {
        self.code_slot.get().clone()
    }

    /// The code object's address (what frames and trace guards hold).
    #[inline(always)]
    pub fn code_raw(&self) -> RawValue {
        self.code_slot.get().raw()
    }

    /// Number of positional defaults.
    pub fn defaults_len(&self) -> usize {
        self.defaults.with(|d| {
            d.downcast_exact::<crate::types::tuple::TupleObj>()
                .map(|t| t.items.len())
                .unwrap_or(0)
        })
    }

    /// Do `n` positional arguments alone fill this function's parameters (trailing
    /// ones from its defaults), with no `*args`/`**kwargs` or keyword-only parameters?
    #[inline]
    fn fits_positionally(&self, co: &crate::types::code::CodeObj, n: usize) -> bool {
        use crate::types::code::{CO_VARARGS, CO_VARKEYWORDS};
        (n == co.argcount || (n < co.argcount && co.argcount - n <= self.defaults_len()))
            && co.flags & (CO_VARARGS | CO_VARKEYWORDS) == 0
            && co.kwonlyargcount == 0
    }

    /// [`FuncObj::fits_positionally`], for a plain function frame (not a generator).
    /// Tier 1's fast call path and its specializations use exactly this rule; the
    /// frame they push makes the function's cells. Tier 2's inlined frames do not make
    /// cells: it asks [`FuncObj::takes_positionally_without_cells`].
    #[inline]
    pub fn takes_positionally(&self, n: usize) -> bool {
        let co = self.code();
        self.fits_positionally(co, n) && !co.is_generator()
    }

    /// [`FuncObj::fits_positionally`] for a generator, coroutine or async generator
    /// function: calling it makes the generator object (`CALL_PY_GENERATOR`).
    pub fn makes_generator_positionally(&self, n: usize) -> bool {
        let co = self.code();
        self.fits_positionally(co, n) && co.is_generator()
    }

    /// [`FuncObj::takes_positionally`], for a function with no cell variables (a
    /// frame tier 2 pushes inline).
    #[inline]
    pub fn takes_positionally_without_cells(&self, n: usize) -> bool {
        self.takes_positionally(n) && self.code().ncells == 0
    }
}

pub type NativeFn = fn(&mut Vm, &Args) -> PyResult<Value>;

pub struct BuiltinFuncObj {
    pub name: &'static str,
    pub f: NativeFn,
    /// The bound receiver, or NULL for a plain function / unbound method descriptor.
    pub self_: Value,
    /// The owning type's name for method descriptors (for repr); for a plain
    /// function of a native module, the module's name (its `__module__`); or "".
    pub owner: &'static str,
    /// True for methods of builtin types (bind on attribute access).
    pub is_method: bool,
    /// The type whose dict holds this method (`__objclass__`; pickled as
    /// `getattr(objclass, name)`), or NULL for plain functions.
    pub objclass: Value,
}

impl BuiltinFuncObj {
    /// A `method_descriptor` not yet bound: attribute access through an instance binds
    /// it. A bound builtin method stored in a class (`_IS_BLANK = re.compile(..).match`)
    /// is not a descriptor and comes back unchanged.
    #[inline]
    pub fn is_unbound_method(&self) -> bool {
        self.is_method && self.self_.is_null()
    }

    /// A native callable: `builtin_function_or_method` (plain functions and bound
    /// methods) or `method_descriptor` (a builtin type's method looked up on the type),
    /// which share this payload. The call fast paths use it rather than `downcast`.
    #[inline(always)]
    pub fn of(v: &Value) -> Option<&BuiltinFuncObj> {
        if let Some(b) = v.downcast_exact::<BuiltinFuncObj>() {
            return Some(b);
        }
        if v.is_ptr() && v.type_raw() == types().method_descriptor {
            // SAFETY: `method_descriptor` instances are `PyObj<BuiltinFuncObj>`
            // (allocated only by `builtins::add_method`).
            return Some(unsafe { v.payload_unchecked::<BuiltinFuncObj>() });
        }
        None
    }
}

impl PyPayload for BuiltinFuncObj {
    fn class() -> RawValue {
        types().builtin_function
    }
    /// `method_descriptor` objects are `PyObj<BuiltinFuncObj>` too.
    const SHARED_BY_BUILTINS: bool = true;
}

pub struct MethodObj {
    pub func: Value,
    pub self_: Value,
}

impl PyPayload for MethodObj {
    fn class() -> RawValue {
        types().method
    }
}

pub struct CellObj {
    pub v: ObjCell<Value>,
}

impl PyPayload for CellObj {
    fn class() -> RawValue {
        types().cell
    }
}

impl CellObj {
    pub fn new_value(v: Value) -> Value {
        Value::alloc(CellObj { v: ObjCell::new(v) })
    }
    pub fn get(&self) -> Value {
        self.v.get_clone()
    }
    pub fn set(&self, v: Value) {
        let old = self.v.with(|c| std::mem::replace(c, v));
        drop(old);
    }
}

/// A plain function of native module `module` (its `__module__`).
pub fn new_module_builtin(name: &'static str, f: NativeFn, module: &'static str) -> Value {
    Value::alloc(BuiltinFuncObj {
        name,
        f,
        self_: Value::NULL,
        owner: module,
        is_method: false,
        objclass: Value::NULL,
    })
}

pub fn new_builtin(name: &'static str, f: NativeFn) -> Value {
    Value::alloc(BuiltinFuncObj {
        name,
        f,
        self_: Value::NULL,
        owner: "",
        is_method: false,
        objclass: Value::NULL,
    })
}
