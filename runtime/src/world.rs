//! The World: process-wide, immutable-after-start state shared by all threads.
//!
//! Builtin type objects are created once, made immortal, and published here; every
//! thread reads them without synchronisation afterwards (`OnceLock` gives the
//! happens-before edge).
use std::sync::OnceLock;

use stitch_stencils::value::RawValue;

use crate::object::make_immortal;
use crate::types::class::{Kind, TypeData, new_builtin_type};
use crate::types::layout::Layout;

macro_rules! builtin_types {
    (
        types { $($field:ident : $name:literal, $base:ident, $kind:ident, $payload:ty;)* }
        exceptions { $($efield:ident : $ename:literal, $ebase:ident;)* }
    ) => {
        /// Every builtin type object (immortal).
        pub struct Types {
            $(pub $field: RawValue,)*
            $(pub $efield: RawValue,)*
        }

        fn create_types() -> Types {
            // `type` and `object` first: every other type object points at `type`.
            let type_ = new_builtin_type("type", RawValue::NULL, Kind::Type,
                crate::object::dealloc_as::<TypeData>, Layout::for_kind::<TypeData>(Kind::Type));
            let object = new_builtin_type("object", RawValue::NULL, Kind::Object,
                crate::object::dealloc_as::<crate::types::instance::Instance>,
                Layout::instance());
            crate::types::class::fix_bootstrap(type_, object);
            let mut t = Types { $($field: RawValue::NULL,)* $($efield: RawValue::NULL,)* };
            t.type_ = type_;
            t.object = object;
            $(
                if t.$field.is_null() {
                    t.$field = new_builtin_type($name, t.$base, Kind::$kind,
                        crate::object::dealloc_as::<$payload>,
                        Layout::for_kind::<$payload>(Kind::$kind));
                }
            )*
            $(
                t.$efield = new_builtin_type($ename, t.$ebase, Kind::Object,
                    crate::object::dealloc_as::<crate::types::instance::Instance>,
                    Layout::instance());
            )*
            $( make_immortal(t.$field); )*
            $( make_immortal(t.$efield); )*
            t
        }

        impl Types {
            /// Every builtin exception type with its Python name (for the builtins module).
            pub fn exception_types(&self) -> Vec<(&'static str, RawValue)> {
                vec![$(($ename, self.$efield),)*]
            }
        }
    };
}

use crate::types::{
    class::TypeData as TypeP, dict::DictObj, float::FloatPayload, func::*, generator::GenObj,
    instance::Instance, int::BigIntObj, iter::*, list::ListObj, misc::*, module::ModuleObj,
    range::RangeObj, set::SetObj, str::StrObj, tuple::TupleObj,
};

builtin_types! {
    types {
        type_: "type", object, Type, TypeP;
        object: "object", object, Object, Instance;
        int: "int", object, Int, BigIntObj;
        bool: "bool", int, Bool, BigIntObj;
        float: "float", object, Float, FloatPayload;
        complex: "complex", object, Other, crate::types::complex::ComplexObj;
        str: "str", object, Str, StrObj;
        list: "list", object, List, ListObj;
        bytes: "bytes", object, Bytes, crate::types::bytes::BytesObj;
        bytearray: "bytearray", object, ByteArray, crate::types::bytes::ByteArrayObj;
        tuple: "tuple", object, Tuple, TupleObj;
        dict: "dict", object, Dict, DictObj;
        set: "set", object, Set, SetObj;
        frozenset: "frozenset", object, FrozenSet, SetObj;
        none_type: "NoneType", object, Other, FloatPayload;
        not_implemented_type: "NotImplementedType", object, Other, FloatPayload;
        ellipsis_type: "ellipsis", object, Other, FloatPayload;
        function: "function", object, Function, FuncObj;
        builtin_function: "builtin_function_or_method", object, Builtin, BuiltinFuncObj;
        method_descriptor: "method_descriptor", object, Builtin, BuiltinFuncObj;
        code: "code", object, Code, crate::types::code::CodeObj;
        module: "module", object, Module, ModuleObj;
        cell: "cell", object, Other, CellObj;
        method: "method", object, Method, MethodObj;
        range: "range", object, Range, RangeObj;
        slice: "slice", object, Slice, SliceObj;
        generator: "generator", object, Generator, GenObj;
        coroutine: "coroutine", object, Generator, GenObj;
        async_generator: "async_generator", object, Generator, GenObj;
        async_generator_asend: "async_generator_asend", object, Other,
            crate::types::async_gen::AsyncGenASend;
        async_generator_athrow: "async_generator_athrow", object, Other,
            crate::types::async_gen::AsyncGenAThrow;
        async_generator_wrapped_value: "async_generator_wrapped_value", object, Other,
            crate::types::async_gen::AsyncGenWrapped;
        anext_awaitable: "anext_awaitable", object, Other,
            crate::types::async_gen::ANextAwaitable;
        coroutine_wrapper: "coroutine_wrapper", object, Other,
            crate::types::coro_wrapper::CoroWrapper;
        // The builtin iterators: one payload (`types::iter`), CPython's type names.
        iterator: "iterator", object, Iter, IterObj;
        list_iterator: "list_iterator", object, Iter, IterObj;
        list_reverseiterator: "list_reverseiterator", object, Iter, IterObj;
        tuple_iterator: "tuple_iterator", object, Iter, IterObj;
        range_iterator: "range_iterator", object, Iter, IterObj;
        str_iterator: "str_iterator", object, Iter, IterObj;
        str_ascii_iterator: "str_ascii_iterator", object, Iter, IterObj;
        bytes_iterator: "bytes_iterator", object, Iter, IterObj;
        bytearray_iterator: "bytearray_iterator", object, Iter, IterObj;
        set_iterator: "set_iterator", object, Iter, IterObj;
        dict_keyiterator: "dict_keyiterator", object, Iter, IterObj;
        dict_valueiterator: "dict_valueiterator", object, Iter, IterObj;
        dict_itemiterator: "dict_itemiterator", object, Iter, IterObj;
        dict_reversekeyiterator: "dict_reversekeyiterator", object, Iter, IterObj;
        dict_reversevalueiterator: "dict_reversevalueiterator", object, Iter, IterObj;
        dict_reverseitemiterator: "dict_reverseitemiterator", object, Iter, IterObj;
        callable_iterator: "callable_iterator", object, Iter, IterObj;
        enumerate: "enumerate", object, Iter, IterObj;
        zip: "zip", object, Iter, IterObj;
        map: "map", object, Iter, IterObj;
        filter: "filter", object, Iter, IterObj;
        reversed: "reversed", object, Iter, IterObj;
        dict_keys: "dict_keys", object, DictView, DictViewObj;
        dict_values: "dict_values", object, DictView, DictViewObj;
        dict_items: "dict_items", object, DictView, DictViewObj;
        property: "property", object, Property, PropertyObj;
        staticmethod: "staticmethod", object, StaticMethod, WrapperObj;
        classmethod: "classmethod", object, ClassMethod, WrapperObj;
        super_: "super", object, Super, SuperObj;
        io_state: "_io_state", object, Other, crate::modules::io::IoStateObj;
        frame: "frame", object, Other, crate::types::frame::FrameObj;
        traceback: "traceback", object, Other, crate::types::traceback::TbObj;
        lock: "lock", object, Other, crate::modules::thread::lock::LockObj;
        sre_pattern: "Pattern", object, Other, crate::modules::sre::pattern::PatternObj;
        sre_match: "Match", object, Other, crate::modules::sre::matchobj::MatchObj;
        sre_scanner: "SRE_Scanner", object, Other, crate::modules::sre::scanner::ScannerObj;
        abc_data: "_abc_data", object, Other, crate::modules::_abc::AbcData;
        weakref: "ReferenceType", object, WeakRef, crate::types::weakref::WeakRefObj;
        weakproxy: "ProxyType", object, WeakProxy, crate::types::weakref::ProxyObj;
        weakcallableproxy: "CallableProxyType", object, WeakProxy, crate::types::weakref::ProxyObj;
        base_exception: "BaseException", object, Object, Instance;
    }
    exceptions {
        system_exit: "SystemExit", base_exception;
        keyboard_interrupt: "KeyboardInterrupt", base_exception;
        generator_exit: "GeneratorExit", base_exception;
        exception: "Exception", base_exception;
        base_exception_group: "BaseExceptionGroup", base_exception;
        exception_group: "ExceptionGroup", base_exception_group;
        stop_iteration: "StopIteration", exception;
        stop_async_iteration: "StopAsyncIteration", exception;
        arithmetic_error: "ArithmeticError", exception;
        floating_point_error: "FloatingPointError", arithmetic_error;
        overflow_error: "OverflowError", arithmetic_error;
        zero_division_error: "ZeroDivisionError", arithmetic_error;
        assertion_error: "AssertionError", exception;
        attribute_error: "AttributeError", exception;
        buffer_error: "BufferError", exception;
        eof_error: "EOFError", exception;
        import_error: "ImportError", exception;
        module_not_found_error: "ModuleNotFoundError", import_error;
        lookup_error: "LookupError", exception;
        index_error: "IndexError", lookup_error;
        key_error: "KeyError", lookup_error;
        memory_error: "MemoryError", exception;
        name_error: "NameError", exception;
        unbound_local_error: "UnboundLocalError", name_error;
        os_error: "OSError", exception;
        file_not_found_error: "FileNotFoundError", os_error;
        file_exists_error: "FileExistsError", os_error;
        permission_error: "PermissionError", os_error;
        is_a_directory_error: "IsADirectoryError", os_error;
        not_a_directory_error: "NotADirectoryError", os_error;
        timeout_error: "TimeoutError", os_error;
        reference_error: "ReferenceError", exception;
        runtime_error: "RuntimeError", exception;
        not_implemented_error: "NotImplementedError", runtime_error;
        recursion_error: "RecursionError", runtime_error;
        syntax_error: "SyntaxError", exception;
        indentation_error: "IndentationError", syntax_error;
        tab_error: "TabError", indentation_error;
        system_error: "SystemError", exception;
        type_error: "TypeError", exception;
        value_error: "ValueError", exception;
        unicode_error: "UnicodeError", value_error;
        unicode_decode_error: "UnicodeDecodeError", unicode_error;
        unicode_encode_error: "UnicodeEncodeError", unicode_error;
        connection_error: "ConnectionError", os_error;
        broken_pipe_error: "BrokenPipeError", connection_error;
        connection_aborted_error: "ConnectionAbortedError", connection_error;
        connection_refused_error: "ConnectionRefusedError", connection_error;
        connection_reset_error: "ConnectionResetError", connection_error;
        blocking_io_error: "BlockingIOError", os_error;
        child_process_error: "ChildProcessError", os_error;
        interrupted_error: "InterruptedError", os_error;
        process_lookup_error: "ProcessLookupError", os_error;
        unicode_translate_error: "UnicodeTranslateError", unicode_error;
        warning: "Warning", exception;
        pending_deprecation_warning: "PendingDeprecationWarning", warning;
        future_warning: "FutureWarning", warning;
        import_warning: "ImportWarning", warning;
        unicode_warning: "UnicodeWarning", warning;
        bytes_warning: "BytesWarning", warning;
        resource_warning: "ResourceWarning", warning;
        encoding_warning: "EncodingWarning", warning;
        user_warning: "UserWarning", warning;
        deprecation_warning: "DeprecationWarning", warning;
        runtime_warning: "RuntimeWarning", warning;
        syntax_warning: "SyntaxWarning", warning;
    }
}

static TYPES: OnceLock<Types> = OnceLock::new();

static METHODS: std::sync::Once = std::sync::Once::new();

/// The builtin types. Created on first use; creating them allocates nothing but the
/// type objects themselves, so it cannot recurse into `types()`.
impl Types {
    /// The iterator types `iter()` and `reversed()` return for builtin containers
    /// (final and not constructible, as in CPython); `enumerate`, `zip`, `map`,
    /// `filter` and `reversed` are the other `IterObj` types.
    pub fn final_iterators(&self) -> [RawValue; 17] {
        [
            self.iterator,
            self.list_iterator,
            self.list_reverseiterator,
            self.tuple_iterator,
            self.range_iterator,
            self.str_iterator,
            self.str_ascii_iterator,
            self.bytes_iterator,
            self.bytearray_iterator,
            self.set_iterator,
            self.dict_keyiterator,
            self.dict_valueiterator,
            self.dict_itemiterator,
            self.dict_reversekeyiterator,
            self.dict_reversevalueiterator,
            self.dict_reverseitemiterator,
            self.callable_iterator,
        ]
    }
}

#[inline(always)]
pub fn types() -> &'static Types {
    TYPES.get_or_init(create_types)
}

/// The builtin types, or None while they are being made (code that may run during
/// their creation, such as `make_immortal`, must not start it again).
pub fn types_if_ready() -> Option<&'static Types> {
    TYPES.get()
}

/// Fill the builtin types' method tables (idempotent; called before any code runs).
pub fn init_world() {
    METHODS.call_once(|| crate::builtins::install_type_methods(types()));
}

/// Interned strings: identifiers and attribute names share one immortal str object, so
/// dict lookups by name usually succeed on pointer equality and reuse the cached hash.
/// Hashed with XXH3, not SipHash: loading cached code interns every name of every
/// imported module, and SipHash was most of that cost at start-up.
static INTERNED: std::sync::Mutex<Option<InternMap>> = std::sync::Mutex::new(None);
/// Keyed by the strings' UTF-8 bytes, so that a reader of serialised names (the code
/// cache, `marshal`) finds one already interned without checking its bytes as UTF-8 or
/// copying them first ([`intern_utf8`]): every key was a `str`.
type InternMap = std::collections::HashMap<Box<[u8]>, u64, InternHash>;

/// The intern table's hasher: XXH3's one-shot function over a key's bytes, seeded with
/// its length. XXH3's streaming `Hasher` (`Xxh3DefaultBuilder`, here before) buffers
/// every write and was half of each lookup's cost for names of a few bytes.
#[derive(Clone, Copy, Default)]
struct InternHash;

impl std::hash::BuildHasher for InternHash {
    type Hasher = InternHasher;
    fn build_hasher(&self) -> InternHasher {
        InternHasher(0)
    }
}

struct InternHasher(u64);

impl std::hash::Hasher for InternHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Is `v` the interned str object for its text (so a serialised copy is re-interned
/// when read back)?
pub fn is_interned(v: &crate::value::Value) -> bool {
    let Some(s) = crate::types::str::as_str(v) else {
        return false;
    };
    let g = match INTERNED.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    g.as_ref().and_then(|m| m.get(s.as_bytes())) == Some(&v.bits())
}

/// `sys.intern(v)`: the interned str equal to `v`, which becomes it when there is none.
pub fn intern_value(v: &crate::value::Value) -> crate::value::Value {
    let Some(s) = crate::types::str::as_str(v) else {
        return v.clone();
    };
    let mut g = match INTERNED.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let map = g.get_or_insert_with(InternMap::default);
    if let Some(&bits) = map.get(s.as_bytes()) {
        return crate::value::Value::from_borrowed(RawValue(bits));
    }
    // The table keeps a strong reference (released at teardown), as CPython's does
    // until finalization; the object is not made immortal: another thread may own it.
    map.insert(s.as_bytes().into(), v.clone().into_raw().0);
    HELD.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(s.into());
    v.clone()
}

/// The strings `sys.intern` added (the table holds a reference to each).
static HELD: std::sync::Mutex<Vec<Box<str>>> = std::sync::Mutex::new(Vec::new());

/// At teardown: drop the table's references to the strings `sys.intern` added.
pub fn release_interned() {
    let held = std::mem::take(&mut *HELD.lock().unwrap_or_else(|p| p.into_inner()));
    let mut dropped = Vec::new();
    {
        let mut g = match INTERNED.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(map) = g.as_mut() {
            for s in held {
                if let Some(bits) = map.remove(s.as_bytes()) {
                    // SAFETY: `intern_value` stored a strong reference as these bits.
                    dropped.push(unsafe { crate::value::Value::from_raw(RawValue(bits)) });
                }
            }
        }
    }
    drop(dropped);
}

pub fn intern(s: &str) -> crate::value::Value {
    let mut g = match INTERNED.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    let map = g.get_or_insert_with(InternMap::default);
    if let Some(&bits) = map.get(s.as_bytes()) {
        return crate::value::Value::from_borrowed(RawValue(bits));
    }
    let v = crate::types::str::new_str(s);
    crate::object::make_immortal(v.raw());
    map.insert(s.as_bytes().into(), v.bits());
    v
}

/// The interned str whose UTF-8 encoding is `b`, or None when `b` is not UTF-8. A name
/// already interned (most names a module's code holds) is found from its bytes alone.
pub fn intern_utf8(b: &[u8]) -> Option<crate::value::Value> {
    {
        let g = match INTERNED.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(&bits) = g.as_ref().and_then(|m| m.get(b)) {
            return Some(crate::value::Value::from_borrowed(RawValue(bits)));
        }
    }
    Some(intern(std::str::from_utf8(b).ok()?))
}
