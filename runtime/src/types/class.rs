//! Type objects: name, bases, MRO, attribute dict and the instance layout ("kind").
use crate::object::{DeallocFn, ObjCell, PyObj, alloc, make_immortal};
use crate::types::dict::DictObj;
use crate::types::layout::Layout;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::header::ObjHeader;
use stitch_stencils::value::RawValue;

/// How instances of a type are laid out in memory (which payload they carry).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `Instance`: user classes and builtin exceptions.
    Object,
    Type,
    Int,
    Bool,
    Float,
    Str,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    Function,
    Builtin,
    Code,
    Module,
    Method,
    Range,
    Slice,
    Generator,
    Iter,
    DictView,
    Property,
    StaticMethod,
    ClassMethod,
    Super,
    /// Native types with a Rust payload of their own (`types/native.rs`).
    Native,
    /// `weakref.ref` and its Python subclasses (`WeakRefObj`).
    WeakRef,
    /// `weakref.ProxyType` and `weakref.CallableProxyType` (`ProxyObj`).
    WeakProxy,
    /// Types with no instances on the heap (None, NotImplemented, Ellipsis).
    Other,
}

pub struct TypeData {
    pub name: String,
    pub qualname: ObjCell<String>,
    pub module: ObjCell<String>,
    pub kind: Kind,
    pub dealloc: DeallocFn,
    pub bases: ObjCell<Vec<Value>>,
    pub mro: crate::object::PublishedCell<Vec<Value>>,
    pub dict: DictObj,
    /// `__slots__` names, when the class (or a base) declares them: the instance
    /// layout, inherited slots first (see `types/slots.rs`).
    pub slots: Option<Vec<String>>,
    /// How many of `slots` come from the bases (the rest are this class's own).
    pub slots_inherited: usize,
    /// Derives from BaseException (instances carry exception state).
    pub is_exception: bool,
    /// True for classes created by a `class` statement.
    pub is_heap: bool,
    /// Instances have a `__dict__` (false when this class and its bases use `__slots__`).
    pub has_dict: bool,
    /// For Python subclasses of builtin types: offset of the instance dict inside the
    /// payload (`SubObj<T>::dict`), else 0.
    pub dict_offset: usize,
    /// Instance payload and the layout of subclass instances (see `types::layout`).
    pub layout: Layout,
    /// Python classes may derive from this type (CPython's `Py_TPFLAGS_BASETYPE`).
    pub basetype: std::sync::atomic::AtomicBool,
    /// `__slots__` named `__weakref__` (or a base has weak reference support).
    pub weakrefable: bool,
    /// Cached hook bits (`HOOK_*`, the low 16 bits) and the hook epoch they were
    /// computed in (the rest): one relaxed load per question.
    pub hooks: std::sync::atomic::AtomicU64,
    /// Version tag for specialized instructions (0 = none; see `type_version`).
    pub version: stitch_sync::shim::AtomicU32,
    /// Addresses of the `TypeData` of direct subclasses (see `type_version`).
    pub subclasses: ObjCell<Vec<usize>>,
    /// Slots of native types (`types/native.rs`), inherited by Python subclasses.
    pub native: Option<&'static crate::types::native::NativeType>,
    /// How the cycle collector walks and clears instances (None: instances hold no
    /// references and are not tracked). See `crate::gc`.
    pub gc: Option<crate::gc::GcOps>,
    /// Bumped whenever the MRO is replaced after the class was made (`__bases__`
    /// assignment, see `types/set_bases.rs`): how a recomputation notices that a
    /// metaclass's `mro()` replaced it meanwhile (CPython compares `tp_mro`).
    pub mro_gen: std::sync::atomic::AtomicU32,
}

impl Kind {
    /// Builtin instance kinds whose methods are found by a plain lookup in the type's
    /// dict (no instance dict, no `__getattr__`): what `LOAD_METHOD` may bind without
    /// creating a bound method.
    pub fn methods_from_type_dict(self) -> bool {
        matches!(
            self,
            Kind::Int
                | Kind::Bool
                | Kind::Float
                | Kind::Str
                | Kind::List
                | Kind::Tuple
                | Kind::Dict
                | Kind::Set
                | Kind::FrozenSet
                | Kind::Range
                | Kind::DictView
                | Kind::Iter
                | Kind::Native
        )
    }
}

impl Kind {
    /// Native types whose special methods live in their type dict (`types/native.rs`
    /// types, weak references and proxies): the object protocols find them as they find
    /// Python classes'.
    pub fn protocols_in_dict(self) -> bool {
        matches!(self, Kind::Native | Kind::WeakRef | Kind::WeakProxy)
    }
}

impl TypeData {
    /// A special method of a `protocols_in_dict` type or its Python subclass: the
    /// MRO's dicts without `object`'s (whose defaults the protocols already apply).
    pub fn lookup_protocol(&self, name: &str) -> Option<Value> {
        let object = types().object;
        self.mro.read(|mro| {
            mro.iter()
                .filter(|t| t.raw() != object)
                .find_map(|t| type_data_raw(t.raw()).dict.get_str(name))
        })
    }
}

pub const HOOK_GETATTRIBUTE: u16 = 1;
pub const HOOK_GETATTR: u16 = 2;
pub const HOOK_SETATTR: u16 = 4;
pub const HOOK_DELATTR: u16 = 8;
/// Not an attribute hook, but cached the same way: instances have a `__del__`.
pub const HOOK_DEL: u16 = 16;
/// Truth hooks, cached the same way for the truth test (`ops::truthy`): the class (or,
/// for a native type, its type dict) defines `__bool__` / `__len__`.
pub const HOOK_BOOL: u16 = 32;
pub const HOOK_LEN: u16 = 64;
/// Hash and equality, cached for Python subclasses of builtin types (namedtuples, str
/// and int subclasses as dict keys): a class whose MRO defines neither in Python
/// hashes and compares as its builtin base, with no lookup per `hash()` or `==`.
pub const HOOK_HASH: u16 = 128;
pub const HOOK_EQ: u16 = 256;

/// Bumped whenever a class gains or loses an attribute hook (`__getattr__` & co.), so
/// every class's cached hook bits are recomputed; such changes are rare.
static HOOK_EPOCH: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

pub fn hooks_changed() {
    HOOK_EPOCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

pub fn is_hook_name(n: &str) -> bool {
    matches!(
        n,
        "__getattribute__"
            | "__getattr__"
            | "__setattr__"
            | "__delattr__"
            | "__del__"
            | "__bool__"
            | "__len__"
            | "__hash__"
            | "__eq__"
    )
}

impl PyPayload for TypeData {
    fn class() -> RawValue {
        types().type_
    }
}

/// Builtin type objects are created before `types()` exists; their `ob_type` is patched
/// to `type` by [`fix_bootstrap`] and in `new_builtin_type` afterwards.
static mut TYPE_TYPE: RawValue = RawValue::NULL;

pub fn new_builtin_type(
    name: &str,
    base: RawValue,
    kind: Kind,
    dealloc: DeallocFn,
    layout: Layout,
) -> RawValue {
    let bases = if base.is_null() {
        vec![]
    } else {
        vec![Value::from_borrowed(base)]
    };
    let is_exception =
        name == "BaseException" || (!base.is_null() && type_data_raw(base).is_exception);
    let data = TypeData {
        name: name.to_string(),
        qualname: ObjCell::new(name.to_string()),
        module: ObjCell::new("builtins".to_string()),
        kind,
        dealloc,
        bases: ObjCell::new(bases),
        mro: crate::object::PublishedCell::new(vec![]),
        dict: DictObj::new(),
        slots: None,
        slots_inherited: 0,
        is_exception,
        is_heap: false,
        has_dict: true,
        dict_offset: 0,
        layout,
        basetype: std::sync::atomic::AtomicBool::new(true),
        weakrefable: kind == Kind::Object || kind == Kind::Type,
        hooks: std::sync::atomic::AtomicU64::new(0),
        version: stitch_sync::shim::AtomicU32::new(0),
        subclasses: ObjCell::new(Vec::new()),
        native: None,
        gc: layout.gc,
        mro_gen: std::sync::atomic::AtomicU32::new(0),
    };
    // SAFETY: TYPE_TYPE is written once during single-threaded world creation, before
    // any reader; reading a RawValue is a plain copy.
    let tt = unsafe { TYPE_TYPE };
    let v = alloc(tt, data);
    make_immortal(v);
    // MRO: self followed by the base's MRO (single inheritance for builtins).
    let mut mro = vec![Value::from_borrowed(v)];
    if !base.is_null() {
        mro.extend(type_data_raw(base).mro.get_clone());
    }
    // SAFETY: the type is being made during world setup; nothing reads it yet.
    unsafe { type_data_raw(v).mro.set(mro) };
    v
}

/// Make `type` an instance of itself and `object` an instance of `type`.
pub fn fix_bootstrap(type_: RawValue, object: RawValue) {
    // SAFETY: single-threaded world creation; both pointers are fresh type objects.
    unsafe {
        TYPE_TYPE = type_;
        (*(type_.as_ptr() as *mut ObjHeader)).ob_type = type_.as_ptr() as *const ObjHeader;
        (*(object.as_ptr() as *mut ObjHeader)).ob_type = type_.as_ptr() as *const ObjHeader;
    }
    // `type` derives from `object`.
    type_data_raw(type_)
        .bases
        .with(|b| *b = vec![Value::from_borrowed(object)]);
    // SAFETY: world setup (the bootstrap of `type` and `object`): nothing reads it yet.
    unsafe {
        type_data_raw(type_).mro.set(vec![
            Value::from_borrowed(type_),
            Value::from_borrowed(object),
        ])
    };
}

impl TypeData {
    /// The type object this payload belongs to.
    pub fn self_raw(&self) -> RawValue {
        let off = std::mem::offset_of!(PyObj<TypeData>, payload);
        // SAFETY: every `TypeData` is the payload of a `PyObj<TypeData>`; stepping back
        // over the header stays inside that allocation.
        RawValue::from_ptr(unsafe { (self as *const TypeData as *const u8).sub(off) })
    }
}

/// Store `new` as `cls`'s MRO after the class was made; returns the old one. Entries
/// that are the class itself are kept uncounted (see `new_class`), and come back
/// counted. The MRO is read without a lock, so the swap happens with the world
/// stopped; cached lookups, version tags and attribute hooks are forgotten.
pub fn replace_mro(cls: &Value, new: Vec<Value>) -> Vec<Value> {
    let Some(td) = as_type(cls) else {
        return new;
    };
    let me = cls.raw();
    let new: Vec<Value> = new
        .into_iter()
        .map(|v| {
            if v.raw() == me && td.is_heap {
                // The caller's `cls` keeps the class alive while this reference goes.
                let r = v.into_raw();
                crate::object::decref(r);
                unsafe_self_ref(r)
            } else {
                v
            }
        })
        .collect();
    // SAFETY: with the world stopped no other thread reads the MRO, and no `read` of it
    // is running on this thread (nothing calls back into Python code while reading).
    let old = crate::thread_state::stop_the_world(|| unsafe { td.mro.replace(new) });
    td.mro_gen
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    crate::types::attr_cache::invalidate();
    crate::types::type_version::type_modified(td);
    hooks_changed();
    old.into_iter()
        .map(|v| {
            if v.raw() == me && td.is_heap {
                let r = v.into_raw();
                Value::from_borrowed(r)
            } else {
                v
            }
        })
        .collect()
}

pub fn type_data_raw<'a>(t: RawValue) -> &'a TypeData {
    // SAFETY: callers pass type objects, which are `PyObj<TypeData>` and outlive uses.
    unsafe { &(*(t.as_ptr() as *const PyObj<TypeData>)).payload }
}

/// The TypeData of a value that is a type object.
pub fn as_type(v: &Value) -> Option<&TypeData> {
    v.downcast::<TypeData>()
}

pub fn is_type(v: &Value) -> bool {
    v.downcast::<TypeData>().is_some()
}

impl TypeData {
    /// Look a name up along the MRO (no descriptors applied).
    pub fn lookup(&self, name: &str) -> Option<Value> {
        crate::types::attr_cache::lookup_by_name(self, name, false)
    }

    /// Look a name up in the classes of the MRO defined in Python (not builtin types):
    /// the special-method dispatch for instances of Python classes.
    pub fn lookup_user(&self, name: &str) -> Option<Value> {
        crate::types::attr_cache::lookup_by_name(self, name, true)
    }

    /// Like `lookup`, but also says which class defined the name.
    pub fn lookup_with_owner(&self, name: &str) -> Option<(Value, Value)> {
        self.lookup_hashed(name, crate::types::str::hash_str(name), false)
    }

    /// The MRO walk behind every lookup: no allocation, one hash computation.
    pub fn lookup_hashed(&self, name: &str, hash: i64, user_only: bool) -> Option<(Value, Value)> {
        crate::types::attr_cache::lookup(self, name, hash, user_only)
    }

    /// The uncached MRO walk.
    pub fn lookup_walk(&self, name: &str, hash: i64, user_only: bool) -> Option<(Value, Value)> {
        self.mro.read(|mro| {
            for t in mro.iter() {
                let td = type_data_raw(t.raw());
                if user_only && !td.is_heap {
                    // A builtin base earlier in the MRO than a Python class defining
                    // the name wins, as in CPython: `IntEnum`'s MRO puts `int` before
                    // `Enum`, so its members hash as ints (`{200: x}[HTTPStatus.OK]`).
                    // `object` ends every MRO and never shadows anything.
                    if t.raw() != crate::world::types().object
                        && td.dict.d.read(|d| d.get_hashed(name, hash)).is_some()
                    {
                        return None;
                    }
                    continue;
                }
                if let Some(v) = td.dict.d.read(|d| d.get_hashed(name, hash)) {
                    return Some((v, t.clone()));
                }
            }
            None
        })
    }

    /// Is `name` defined by a Python class in the MRO (attribute hooks)?
    pub fn has_user(&self, name: &str) -> bool {
        self.lookup_user(name).is_some()
    }

    /// Which attribute hooks Python classes in the MRO define (cached per epoch).
    pub fn hook_bits(&self) -> u16 {
        let epoch = HOOK_EPOCH.load(std::sync::atomic::Ordering::Relaxed);
        let cached = self.hooks.load(std::sync::atomic::Ordering::Relaxed);
        if cached >> 16 == epoch {
            return cached as u16;
        }
        let mut b = 0;
        if !self.is_heap {
            // Native types keep their special methods in their own type dicts, which
            // never change; only the truth hooks are read for them.
            if self.native.is_some() {
                for (name, bit) in [("__bool__", HOOK_BOOL), ("__len__", HOOK_LEN)] {
                    if self.lookup(name).is_some() {
                        b |= bit;
                    }
                }
            }
            self.hooks
                .store(epoch << 16 | b as u64, std::sync::atomic::Ordering::Relaxed);
            return b;
        }
        for (name, bit) in [
            ("__getattribute__", HOOK_GETATTRIBUTE),
            ("__getattr__", HOOK_GETATTR),
            ("__setattr__", HOOK_SETATTR),
            ("__delattr__", HOOK_DELATTR),
            ("__del__", HOOK_DEL),
            ("__bool__", HOOK_BOOL),
            ("__len__", HOOK_LEN),
            ("__hash__", HOOK_HASH),
            ("__eq__", HOOK_EQ),
        ] {
            if self.lookup_user(name).is_some() {
                b |= bit;
            }
        }
        self.hooks
            .store(epoch << 16 | b as u64, std::sync::atomic::Ordering::Relaxed);
        b
    }

    pub fn is_subtype_raw(&self, other: RawValue) -> bool {
        match self
            .mro
            .read(|m| (!m.is_empty()).then(|| m.iter().any(|t| t.raw() == other)))
        {
            Some(found) => found,
            // No MRO yet (a metaclass's `mro()` is running): the `__base__` chain, as
            // CPython's `type_is_subtype_base_chain`.
            None => self.base_chain_has(other),
        }
    }

    #[cold]
    fn base_chain_has(&self, other: RawValue) -> bool {
        if self.self_raw() == other {
            return true;
        }
        let mut cur = self.best_base();
        // A chain longer than this is a cycle (which `__bases__` assignment refuses).
        for _ in 0..100_000 {
            let Some(c) = cur else { return false };
            if c.raw() == other {
                return true;
            }
            cur = type_data_raw(c.raw()).best_base();
        }
        false
    }

    pub fn qualname(&self) -> String {
        self.qualname.get_clone()
    }
}

/// Is `sub` the same class as, or a subclass of, `sup`?
pub fn is_subclass(sub: &Value, sup: &Value) -> bool {
    match as_type(sub) {
        Some(t) => t.is_subtype_raw(sup.raw()),
        None => false,
    }
}

/// C3 linearisation of a new class with `bases`. Err when no consistent order exists.
pub fn c3_mro(this: &Value, bases: &[Value]) -> Result<Vec<Value>, String> {
    let mut seqs: Vec<Vec<Value>> = bases
        .iter()
        .map(|b| as_type(b).map(|t| t.mro.get_clone()).unwrap_or_default())
        .collect();
    // A base whose metaclass's `mro()` is still running has no MRO to extend.
    if let Some(b) = bases
        .iter()
        .filter_map(as_type)
        .find(|t| t.mro.read(|m| m.is_empty()))
    {
        return Err(format!("Cannot extend an incomplete type '{}'", b.name));
    }
    // CPython's check_duplicates: a class may be a direct base only once.
    for (i, b) in bases.iter().enumerate() {
        if bases[..i].iter().any(|x| x.is(b)) {
            let n = as_type(b).map(|t| t.name.clone()).unwrap_or_default();
            return Err(format!("duplicate base class {n}"));
        }
    }
    seqs.push(bases.to_vec());
    let mut out = vec![this.clone()];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let mut chosen = None;
        for s in &seqs {
            let cand = &s[0];
            if !seqs.iter().any(|o| o[1..].iter().any(|x| x.is(cand))) {
                chosen = Some(cand.clone());
                break;
            }
        }
        let Some(c) = chosen else {
            let names: Vec<String> = bases
                .iter()
                .filter_map(|b| as_type(b).map(|t| t.name.clone()))
                .collect();
            return Err(format!(
                "Cannot create a consistent method resolution order (MRO) for bases {}",
                names.join(", ")
            ));
        };
        for s in seqs.iter_mut() {
            if s[0].is(&c) {
                s.remove(0);
            }
        }
        out.push(c);
    }
}

impl TypeData {
    /// CPython's `tp_base` (`__base__`): a builtin type's one base; for a Python class,
    /// the first base whose solid base (`solid_base`) is derived from every other
    /// base's, the one whose instance layout the class extends.
    pub fn best_base(&self) -> Option<Value> {
        let bases = self.bases.get_clone();
        if !self.is_heap {
            return bases.first().cloned();
        }
        let mut best: Option<(Value, RawValue)> = None;
        for b in bases {
            let Some(bt) = as_type(&b) else { continue };
            let solid = solid_base(bt, b.raw());
            match &best {
                Some((_, w)) if type_data_raw(*w).is_subtype_raw(solid) => {}
                Some((_, w)) if !type_data_raw(solid).is_subtype_raw(*w) => {}
                _ => best = Some((b, solid)),
            }
        }
        best.map(|(b, _)| b)
    }
}

/// CPython's solid_base: the nearest class along `__base__` from `td` (the type at
/// `raw`) whose instances are laid out differently from its base's: a builtin with a
/// payload of its own, or a Python class adding slots (an instance dict or weakref
/// list does not count, as in CPython's `extra_ivars`).
pub(crate) fn solid_base(td: &TypeData, raw: RawValue) -> RawValue {
    let base = td.best_base();
    let own_layout = match &base {
        None => true,
        Some(_) if td.is_heap => td.slots_len() > td.slots_inherited,
        Some(b) => as_type(b).is_none_or(|bt| bt.layout.payload != td.layout.payload),
    };
    match base {
        Some(b) if !own_layout => solid_base(type_data_raw(b.raw()), b.raw()),
        _ => raw,
    }
}

/// Create a class object (the `type(name, bases, dict)` core). `ns` entries are copied.
pub fn new_class(
    name: &str,
    qualname: &str,
    bases: Vec<Value>,
    ns: &DictObj,
    metatype: &Value,
) -> Result<Value, (RawValue, String)> {
    let t = types();
    let bases = if bases.is_empty() {
        vec![Value::from_borrowed(t.object)]
    } else {
        bases
    };
    let mut kind = Kind::Object;
    let mut layout = Layout::instance();
    let mut native: Option<&'static crate::types::native::NativeType> = None;
    let mut is_exception = false;
    let mut weakrefable = false;
    for b in &bases {
        let Some(bt) = as_type(b) else {
            return Err((t.type_error, "bases must be types".into()));
        };
        if !bt.basetype.load(std::sync::atomic::Ordering::Relaxed) {
            return Err((
                t.type_error,
                format!(
                    "type '{}' is not an acceptable base type",
                    crate::types::native::tp_name(bt)
                ),
            ));
        }
        if let Some(n) = bt.native {
            if native.is_some_and(|m: &crate::types::native::NativeType| !std::ptr::eq(m, n)) {
                return Err((
                    t.type_error,
                    "multiple bases have instance lay-out conflict".into(),
                ));
            }
            native = Some(n);
        }
        if bt.kind != Kind::Object {
            if kind == Kind::Object || layout.base_payload == Some(bt.layout.payload) {
                // First builtin base, or one whose layout the current one extends.
                if kind == Kind::Object {
                    kind = bt.kind;
                    layout = bt.layout;
                }
            } else if bt.layout.base_payload == Some(layout.payload) {
                // This base extends the current layout (defaultdict after dict).
                kind = bt.kind;
                layout = bt.layout;
            } else if layout.payload != bt.layout.payload {
                return Err((
                    t.type_error,
                    "multiple bases have instance lay-out conflict".into(),
                ));
            }
        }
        is_exception |= bt.is_exception;
        weakrefable |= bt.weakrefable;
    }
    let base_types: Vec<&TypeData> = bases.iter().filter_map(as_type).collect();
    let mut slots = crate::types::slots::inherited(&base_types)?;
    let slots_inherited = slots.as_ref().map_or(0, |s| s.len());
    let declared = match ns.get_str("__slots__") {
        Some(s) => Some(crate::types::slots::declared_names(&s)?),
        None => None,
    };
    // Instances get a dict unless this class declares __slots__ (without "__dict__")
    // and every Python base class does too; `__weakref__` likewise (only recorded:
    // weak references live elsewhere).
    // A module's dict is its instance dict, in every subclass.
    let base_has_dict = kind == Kind::Module
        || bases
            .iter()
            .any(|b| as_type(b).is_some_and(|t| t.is_heap && t.has_dict));
    // How many times the class's `__slots__` name `n`: more than once is CPython's
    // "already got one" too.
    let count = |n: &str| {
        declared
            .as_ref()
            .map_or(0, |d| d.iter().filter(|x| *x == n).count())
    };
    let declares = |n: &str| count(n) > 0;
    let var_size = matches!(kind, Kind::Int | Kind::Bool | Kind::Tuple | Kind::Bytes);
    // Variable-size builtins keep their items where slots would go: no slot at all,
    // not even `__dict__`, is allowed (checked before the names, as CPython).
    if var_size && declared.as_ref().is_some_and(|d| !d.is_empty()) {
        let bn = bases
            .iter()
            .filter_map(as_type)
            .find(|b| b.kind == kind)
            .map(|b| {
                b.mro.read(|m| {
                    m.iter()
                        .map(|t| type_data_raw(t.raw()))
                        .find(|t| !t.is_heap)
                        .map(|t| t.name.clone())
                        .unwrap_or_default()
                })
            })
            .unwrap_or_default();
        return Err((
            t.type_error,
            format!("nonempty __slots__ not supported for subtype of '{bn}'"),
        ));
    }
    if declares("__dict__") && (base_has_dict || count("__dict__") > 1) {
        return Err((
            t.type_error,
            "__dict__ slot disallowed: we already got one".into(),
        ));
    }
    let base_has_weakref = bases.iter().any(|b| {
        as_type(b).is_some_and(|t| t.is_heap && crate::types::weakref::heap_class_weakrefable(t))
    });
    if declares("__weakref__") && (base_has_weakref || count("__weakref__") > 1) {
        return Err((
            t.type_error,
            "__weakref__ slot disallowed: either we already got one, or __itemsize__ != 0".into(),
        ));
    }
    let has_dict = declared.is_none() || declares("__dict__") || base_has_dict;
    weakrefable |= declared.is_none() || declares("__weakref__");
    let own_slot_names = match &declared {
        Some(d) => Some(crate::types::slots::own_layout(name, d, ns)?),
        None => None,
    };
    if let Some(own) = &own_slot_names {
        slots
            .get_or_insert_with(Vec::new)
            .extend(own.iter().cloned());
    }
    if is_exception && kind != Kind::Object {
        return Err((
            t.type_error,
            "multiple bases have instance lay-out conflict".into(),
        ));
    }
    let (dealloc, dict_offset) = (layout.sub_dealloc, layout.dict_offset);
    let dict = ns.copy();
    let module = ns
        .get_str("__module__")
        .and_then(|m| crate::types::str::as_str(&m).map(|s| s.to_string()))
        .unwrap_or_else(|| "__main__".into());
    let data = TypeData {
        name: name.to_string(),
        qualname: ObjCell::new(qualname.to_string()),
        module: ObjCell::new(module),
        kind,
        dealloc,
        bases: ObjCell::new(bases.clone()),
        mro: crate::object::PublishedCell::new(vec![]),
        dict,
        slots,
        slots_inherited,
        is_exception,
        is_heap: true,
        has_dict,
        dict_offset,
        layout,
        basetype: std::sync::atomic::AtomicBool::new(true),
        weakrefable,
        hooks: std::sync::atomic::AtomicU64::new(0),
        version: stitch_sync::shim::AtomicU32::new(0),
        subclasses: ObjCell::new(Vec::new()),
        native,
        gc: layout.sub_gc,
        mro_gen: std::sync::atomic::AtomicU32::new(0),
    };
    let cls = Value::alloc_with_type(metatype, data);
    crate::shared_immortal::new_class(&cls);
    if let Some(td) = as_type(&cls) {
        crate::types::type_version::register_subclass(td, &bases);
        crate::types::slots::add_members(&cls, td, slots_inherited);
        crate::types::instance_getsets::add(
            &cls,
            td,
            &bases,
            declared.is_none() || declares("__dict__"),
            declared.is_none() || declares("__weakref__"),
        );
        // Every class has its own `__doc__` (None without a docstring), as CPython's
        // type_new sets it: a subclass does not inherit its base's.
        if td.dict.get_str("__doc__").is_none() {
            td.dict.set_str("__doc__", Value::none());
        }
    }
    match c3_mro(&cls, &bases) {
        Ok(mut mro) => {
            // The class's MRO holds itself: store a non-owning first entry to avoid a
            // reference cycle that would keep every class alive forever.
            let me = mro.remove(0).into_raw();
            crate::object::decref(me);
            let first = std::mem::ManuallyDrop::new(unsafe_self_ref(me));
            let mut all = vec![std::mem::ManuallyDrop::into_inner(first)];
            all.extend(mro);
            // SAFETY: the class is not returned yet: no other thread can reach it.
            unsafe {
                as_type(&cls)
                    .unwrap_or_else(|| unreachable_type())
                    .mro
                    .set(all)
            };
        }
        Err(msg) => return Err((t.type_error, msg)),
    }
    Ok(cls)
}

fn unreachable_type() -> &'static TypeData {
    type_data_raw(types().object)
}

/// A `Value` for the class itself inside its own MRO, not counted as a reference.
fn unsafe_self_ref(me: RawValue) -> Value {
    // SAFETY: the MRO's first entry is never dropped through this handle: `Drop` for
    // `TypeData` forgets it (see below), so the class does not keep itself alive.
    unsafe { Value::from_raw(me) }
}

impl Drop for TypeData {
    fn drop(&mut self) {
        // A later class could reuse this address: forget cached lookups.
        crate::types::attr_cache::invalidate();
        crate::types::type_version::unregister_subclass(self);
        // Forget the uncounted self-references of a heap class's MRO (its head, or
        // wherever a metaclass's `mro()` put the class).
        if self.is_heap {
            let me = self.self_raw();
            for v in std::mem::take(self.mro.get_mut()) {
                if v.raw() == me {
                    std::mem::forget(v);
                }
            }
        }
    }
}

impl TypeData {
    /// The instance dict of `v` (an instance of this type), if it has one.
    pub fn instance_dict<'a>(&self, v: &'a Value) -> Option<&'a Value> {
        match self.kind {
            Kind::Object => {
                // SAFETY: Kind::Object instances are `Instance`s.
                let inst = unsafe { v.payload_unchecked::<crate::types::instance::Instance>() };
                if inst.dict.is_null() {
                    None
                } else {
                    Some(&inst.dict)
                }
            }
            _ if (self.is_heap || self.native.is_some()) && self.dict_offset != 0 => {
                // SAFETY: Python subclasses of builtins lay out `SubObj<T>` whose dict sits
                // at `dict_offset` inside the payload, which follows the 32-byte header.
                let p = unsafe {
                    (v.raw().as_ptr() as *const u8)
                        .add(std::mem::size_of::<ObjHeader>() + self.dict_offset)
                        as *const Value
                };
                // SAFETY: see above; the dict field is initialised at allocation.
                let d = unsafe { &*p };
                if d.is_null() { None } else { Some(d) }
            }
            _ => None,
        }
    }
}
