//! Comparison, equality and hashing.
use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::FromPrimitive;

use crate::instructions::CMP_OPS;
use crate::types::class::{HOOK_EQ, HOOK_HASH, Kind};
use crate::types::dict::DictObj;
use crate::types::float::float_hash;
use crate::types::int::{IntRef, as_int, int_hash};
use crate::types::list::ListObj;
use crate::types::set::{SetObj, as_set};
use crate::types::str::StrObj;
use crate::types::tuple::{TupleObj, tuple_hash};
use crate::value::Value;
use crate::vm::{PyResult, Vm, lookup_special};

pub const LT: u32 = 0;
pub const LE: u32 = 1;
pub const EQ: u32 = 2;
pub const NE: u32 = 3;
pub const GT: u32 = 4;
pub const GE: u32 = 5;

const CMP_DUNDERS: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];
/// The reflected operator of each comparison (a < b  <=>  b > a).
const SWAPPED: [u32; 6] = [GT, GE, EQ, NE, LT, LE];

fn ord_result(o: Option<Ordering>, op: u32) -> bool {
    match o {
        None => op == NE,
        Some(o) => match op {
            LT => o == Ordering::Less,
            LE => o != Ordering::Greater,
            EQ => o == Ordering::Equal,
            NE => o != Ordering::Equal,
            GT => o == Ordering::Greater,
            _ => o != Ordering::Less,
        },
    }
}

/// Compare an int with a float exactly (as CPython does).
fn cmp_int_float(i: &IntRef, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if let IntRef::Small(x) = i
        && x.unsigned_abs() < (1u64 << 53)
    {
        return (*x as f64).partial_cmp(&f);
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    let fb = BigInt::from_f64(fl)?;
    let ib = i.to_big();
    match ib.cmp(&fb) {
        Ordering::Equal => Some(if f > fl {
            Ordering::Less
        } else {
            Ordering::Equal
        }),
        o => Some(o),
    }
}

/// Numeric ordering of two numbers, or None if either is not a number.
pub fn num_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    match (a.as_float(), b.as_float()) {
        (Some(x), Some(y)) => Some(x.partial_cmp(&y)),
        (Some(x), None) => {
            let i = as_int(b)?;
            Some(cmp_int_float(&i, x).map(|o| o.reverse()))
        }
        (None, Some(y)) => {
            let i = as_int(a)?;
            Some(cmp_int_float(&i, y))
        }
        (None, None) => {
            let (x, y) = (as_int(a)?, as_int(b)?);
            Some(Some(match (&x, &y) {
                (IntRef::Small(p), IntRef::Small(q)) => p.cmp(q),
                _ => x.to_big().cmp(&y.to_big()),
            }))
        }
    }
}

#[inline(always)]
pub fn compare_fast(a: &Value, b: &Value, op: u32) -> Option<bool> {
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Some(ord_result(Some(x.cmp(&y)), op));
    }
    if let (Some(x), Some(y)) = (a.as_exact_float(), b.as_exact_float()) {
        return Some(ord_result(x.partial_cmp(&y), op));
    }
    None
}

/// The kind of `v`'s type when that type is exactly a builtin one: not a Python
/// subclass (which may define comparisons) and not a native type laid out over a
/// builtin. Comparisons dispatch on it before trying the general protocol.
#[inline(always)]
fn exact_builtin_kind(v: &Value) -> Option<Kind> {
    let td = v.type_data();
    (!td.is_heap && td.native.is_none()).then_some(td.kind)
}

/// The ordering of two values of one exact builtin scalar type (int, bool, float,
/// str, bytes), which no Python code can change; None for any other pair. `Some(None)`
/// is an unordered pair (a NaN).
#[inline]
fn same_scalar_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    if a.type_raw() != b.type_raw() {
        return None;
    }
    match exact_builtin_kind(a)? {
        Kind::Int | Kind::Bool | Kind::Float => num_cmp(a, b),
        Kind::Str => {
            let (x, y) = (a.downcast_exact::<StrObj>()?, b.downcast_exact::<StrObj>()?);
            Some(Some(crate::types::str::cmp_strs(x, y)))
        }
        Kind::Bytes => {
            let x = a.downcast_exact::<crate::types::bytes::BytesObj>()?;
            let y = b.downcast_exact::<crate::types::bytes::BytesObj>()?;
            Some(Some(x.data[..].cmp(&y.data[..])))
        }
        _ => None,
    }
}

/// Tuple equality item by item when no item needs Python code; None when one does.
fn tuple_eq_fast(x: &TupleObj, y: &TupleObj) -> Option<bool> {
    if x.items.len() != y.items.len() {
        return Some(false);
    }
    for (p, q) in x.items.iter().zip(y.items.iter()) {
        if !eq_fast(p, q)? {
            return Some(false);
        }
    }
    Some(true)
}

/// Equality decided without running Python code; None when a `__eq__` must run.
pub fn eq_fast(a: &Value, b: &Value) -> Option<bool> {
    // Identity implies equality here, as in CPython's PyObject_RichCompareBool (a NaN
    // is equal to itself inside containers and dict keys).
    if a.is(b) {
        return Some(true);
    }
    if a.type_raw() == b.type_raw() {
        // One exact builtin type: equality by the type's own rule, without an
        // ordering (strs of different lengths differ at once).
        match exact_builtin_kind(a) {
            Some(Kind::Int | Kind::Bool | Kind::Float) => {
                if let Some(o) = num_cmp(a, b) {
                    return Some(o == Some(Ordering::Equal));
                }
            }
            Some(Kind::Str) => {
                if let (Some(x), Some(y)) =
                    (a.downcast_exact::<StrObj>(), b.downcast_exact::<StrObj>())
                {
                    return Some(crate::types::str::eq_strs(x, y));
                }
            }
            Some(Kind::Bytes) => {
                let x = a.downcast_exact::<crate::types::bytes::BytesObj>();
                let y = b.downcast_exact::<crate::types::bytes::BytesObj>();
                if let (Some(x), Some(y)) = (x, y) {
                    return Some(x.data[..] == y.data[..]);
                }
            }
            // Two exact tuples: item by item, before the searches below.
            Some(Kind::Tuple) => {
                if let (Some(x), Some(y)) = (
                    a.downcast_exact::<TupleObj>(),
                    b.downcast_exact::<TupleObj>(),
                ) {
                    return tuple_eq_fast(x, y);
                }
            }
            _ => {}
        }
    }
    // An instance of a Python class whose `__eq__` decides: known before the
    // searches below (`list.index`, `in` and dict probes over such objects).
    let user_eq = |v: &Value| {
        v.is_ptr() && {
            let td = v.type_data();
            // The class's cached hook bits answer without a lookup (`object`
            // itself, not a heap class, defines none that count).
            td.kind == Kind::Object && td.is_heap && td.hook_bits() & HOOK_EQ != 0
        }
    };
    if user_eq(a) || user_eq(b) {
        return None;
    }
    if ((a.is_ptr() && a.type_data().is_heap) || (b.is_ptr() && b.type_data().is_heap))
        && (crate::vm::subclass_hook(a, "__eq__", HOOK_EQ).is_some()
            || crate::vm::subclass_hook(b, "__eq__", HOOK_EQ).is_some())
    {
        return None;
    }
    if let Some(r) = num_cmp(a, b) {
        return Some(r == Some(Ordering::Equal));
    }
    if (a.downcast::<crate::types::complex::ComplexObj>().is_some()
        || b.downcast::<crate::types::complex::ComplexObj>().is_some())
        && let (Some(x), Some(y)) = (super::as_complex(a), super::as_complex(b))
    {
        return Some(x == y);
    }
    if let (Some(x), Some(y)) = (a.downcast::<StrObj>(), b.downcast::<StrObj>()) {
        return Some(crate::types::str::eq_strs(x, y));
    }
    if let (Some(x), Some(y)) = (
        a.downcast::<crate::types::bytes::BytesObj>(),
        b.downcast::<crate::types::bytes::BytesObj>(),
    ) {
        return Some(x.data == y.data);
    }
    if let (Some(x), Some(y)) = (a.downcast::<TupleObj>(), b.downcast::<TupleObj>()) {
        return tuple_eq_fast(x, y);
    }
    let (ka, kb) = (a.type_data().kind, b.type_data().kind);
    if ka.protocols_in_dict()
        || kb.protocols_in_dict()
        || crate::vm::native_dunder(a, "__eq__").is_some()
        || crate::vm::native_dunder(b, "__eq__").is_some()
    {
        return None;
    }
    if ka == Kind::Object || kb == Kind::Object {
        // Neither defines `__eq__` (answered above): `object`'s identity.
        return Some(a.is(b));
    }
    if matches!(ka, Kind::List | Kind::Dict | Kind::Set | Kind::FrozenSet) && ka == kb {
        return None;
    }
    // Bound methods are equal when bound to the same object with equal functions
    // (CPython's `method_richcompare`: `a.f == a.f` though each access makes one).
    if let (Some(x), Some(y)) = (
        a.downcast::<crate::types::func::MethodObj>(),
        b.downcast::<crate::types::func::MethodObj>(),
    ) {
        return Some(x.self_.is(&y.self_) && eq_fast(&x.func, &y.func).unwrap_or(false));
    }
    if (ka == Kind::Set || ka == Kind::FrozenSet) && (kb == Kind::Set || kb == Kind::FrozenSet) {
        return None;
    }
    // Slices and bound methods compare by value (builtin_compare).
    let by_value = |v: &Value| {
        v.downcast::<crate::types::misc::SliceObj>().is_some()
            || v.downcast::<crate::types::func::MethodObj>().is_some()
            || v.downcast::<crate::types::func::BuiltinFuncObj>()
                .is_some_and(|f| !f.self_.is_null())
    };
    if by_value(a) && by_value(b) {
        return None;
    }
    // Identity is equality only for kinds whose `__eq__` is `object`'s; everything
    // else (bytearray, range, code, dict views, weak references, bytes against
    // bytearray, ...) compares by value in the full protocol.
    let identity_eq = |k: Kind| {
        matches!(
            k,
            Kind::Type
                | Kind::Function
                | Kind::Builtin
                | Kind::Module
                | Kind::Generator
                | Kind::Iter
                | Kind::Property
                | Kind::StaticMethod
                | Kind::ClassMethod
                | Kind::Super
                | Kind::Other
        )
    };
    // Builtins whose `__eq__` answers NotImplemented for every other kind here.
    let foreign_false = |k: Kind| {
        identity_eq(k)
            || matches!(
                k,
                Kind::Int
                    | Kind::Bool
                    | Kind::Float
                    | Kind::Str
                    | Kind::Bytes
                    | Kind::Tuple
                    | Kind::List
                    | Kind::Dict
            )
    };
    if (ka == kb && identity_eq(ka)) || (ka != kb && foreign_false(ka) && foreign_false(kb)) {
        Some(false)
    } else {
        None
    }
}

impl Vm {
    /// Python `a == b` as a bool.
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = eq_fast(a, b) {
            return Ok(r);
        }
        let r = compare(self, a, b, EQ)?;
        super::truthy(self, &r)
    }

    /// The hash a `__hash__` method's result stands for (CPython's `slot_tp_hash`): an
    /// int that fits a hash is used as it is (-1 being reserved, it becomes -2);
    /// a larger one is reduced as int hashes are.
    fn hash_result(&mut self, r: &Value) -> PyResult<i64> {
        match as_int(r) {
            Some(i) => Ok(match i.to_i64() {
                Some(-1) => -2,
                Some(x) => x,
                None => int_hash(&i),
            }),
            None => Err(self.type_error("__hash__ method should return an integer")),
        }
    }

    /// Python `hash(v)`.
    pub fn hash(&mut self, v: &Value) -> PyResult<i64> {
        // Small ints first (set and dict keys, mostly): their hash is themselves (they
        // are far below the modulus 2**61 - 1), -1 being reserved.
        if let Some(n) = v.as_small_int() {
            return Ok(if n == -1 { -2 } else { n });
        }
        // The common keys of exact builtin types: one type compare each, no override
        // to look for.
        if let Some(s) = v.downcast_exact::<StrObj>() {
            return Ok(s.hash());
        }
        if let Some(t) = v.downcast_exact::<TupleObj>() {
            return self.hash_tuple(t);
        }
        if let Some(b) = v.downcast_exact::<crate::types::bytes::BytesObj>() {
            return Ok(b.hash());
        }
        if let Some(f) = crate::vm::subclass_hook(v, "__hash__", HOOK_HASH) {
            if f.is_none() {
                let tn = v.type_data().name.clone();
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            let r = self.call(&f, std::slice::from_ref(v))?;
            return self.hash_result(&r);
        }
        self.hash_base(v)
    }

    /// A tuple's hash: its items' hashes combined (CPython's xxHash-based tuplehash).
    fn hash_tuple(&mut self, t: &TupleObj) -> PyResult<i64> {
        let mut h = crate::types::tuple::TupleHasher::new();
        for x in t.items.iter() {
            h.push(self.hash(x)?);
        }
        Ok(h.finish())
    }

    /// hash() with the builtin types' own behaviour.
    pub fn hash_base(&mut self, v: &Value) -> PyResult<i64> {
        // The common keys by their layout first (one load), exact types or not.
        if v.is_ptr() {
            match v.type_data().kind {
                Kind::Tuple => {
                    if let Some(t) = v.downcast::<TupleObj>() {
                        return self.hash_tuple(t);
                    }
                }
                Kind::Str => {
                    if let Some(s) = v.downcast::<StrObj>() {
                        return Ok(s.hash());
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = v.downcast::<StrObj>() {
            return Ok(s.hash());
        }
        if let Some(f) = v.as_float() {
            return Ok(float_hash(f));
        }
        if let Some(b) = v.downcast::<crate::types::bytes::BytesObj>() {
            return Ok(b.hash());
        }
        if let Some(c) = v.downcast::<crate::types::complex::ComplexObj>() {
            return Ok(crate::types::complex::complex_hash(c.re, c.im));
        }
        if let Some(i) = as_int(v) {
            return Ok(int_hash(&i));
        }
        if v.is_none() {
            return Ok(0xFCA8_6420);
        }
        if let Some(c) = v.downcast::<crate::types::code::CodeObj>() {
            return Ok(crate::builtins::code::hash_of(c));
        }
        if let Some(t) = v.downcast::<TupleObj>() {
            return self.hash_tuple(t);
        }
        let td = v.type_data();
        match td.kind {
            Kind::List | Kind::Dict | Kind::Set | Kind::ByteArray => {
                let tn = td.name.clone();
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            // dict_keys and dict_items (set-like, compared by value); dict_values is not.
            Kind::DictView if td.dict.get_str("__hash__").is_some_and(|h| h.is_none()) => {
                let tn = td.name.clone();
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            Kind::FrozenSet => {
                let keys = as_set(v).map(|s| s.keys()).unwrap_or_default();
                let mut h: u64 = 0;
                for k in keys {
                    let kh = self.hash(&k)? as u64;
                    h ^= (kh ^ (kh << 16) ^ 89869747).wrapping_mul(3644798167);
                }
                h = h.wrapping_mul(69069).wrapping_add(907133923);
                let h = h as i64;
                return Ok(if h == -1 { 590923713 } else { h });
            }
            Kind::Range => {
                if let Some((len, start, step)) = crate::types::range::canonical(v) {
                    let none = 0xFCA8_6420;
                    let h = |b: &BigInt| int_hash(&IntRef::Big(b));
                    let hs = [
                        h(&len),
                        start.as_ref().map_or(none, h),
                        step.as_ref().map_or(none, h),
                    ];
                    return Ok(tuple_hash(&hs));
                }
            }
            Kind::Method => {
                if let Some(m) = v.downcast::<crate::types::func::MethodObj>() {
                    // CPython's `meth_hash`: the bound object's address and the
                    // function's hash, consistent with `==` above.
                    let s = m.self_.bits().rotate_right(4) as i64 & i64::MAX;
                    let h = s ^ self.hash(&m.func)?;
                    return Ok(if h == -1 { -2 } else { h });
                }
            }
            Kind::WeakRef | Kind::WeakProxy => {
                if let Some(f) = td.lookup_protocol("__hash__") {
                    let r = self.call(&f, std::slice::from_ref(v))?;
                    return self.hash_result(&r);
                }
            }
            Kind::Object | Kind::Native => {
                let f = if td.kind == Kind::Native {
                    td.lookup("__hash__")
                } else {
                    td.lookup_user("__hash__")
                }
                .map(crate::vm::receiver_first);
                if let Some(f) = f {
                    if f.is_none() {
                        let tn = crate::types::native::tp_name(td);
                        return Err(self.type_error(format!("unhashable type: '{tn}'")));
                    }
                    let r = self.call(&f, std::slice::from_ref(v))?;
                    return self.hash_result(&r);
                }
            }
            _ => {}
        }
        if let Some(f) = crate::vm::native_dunder(v, "__hash__") {
            if f.is_none() {
                let tn = crate::types::native::tp_name(v.type_data());
                return Err(self.type_error(format!("unhashable type: '{tn}'")));
            }
            let r = self.call(&f, std::slice::from_ref(v))?;
            return self.hash_result(&r);
        }
        // Bound methods hash by their receiver's identity and their function.
        if let Some(m) = v.downcast::<crate::types::func::MethodObj>() {
            let (s, f) = (m.self_.clone(), m.func.clone());
            let fh = self.hash(&f)?;
            return Ok(identity_hash(&s) ^ fh);
        }
        if let Some(b) = v.downcast::<crate::types::func::BuiltinFuncObj>()
            && !b.self_.is_null()
        {
            let nh = crate::types::str::hash_str(b.name) ^ crate::types::str::hash_str(b.owner);
            return Ok(identity_hash(&b.self_) ^ nh);
        }
        Ok(identity_hash(v))
    }
}

/// Identity hash (like CPython's pointer rotation).
fn identity_hash(v: &Value) -> i64 {
    let p = v.bits();
    p.rotate_right(4) as i64 & i64::MAX
}

fn seq_compare(vm: &mut Vm, x: &[Value], y: &[Value], op: u32) -> PyResult<bool> {
    for (p, q) in x.iter().zip(y.iter()) {
        if p.is(q) {
            continue;
        }
        if !vm.eq(p, q)? {
            if op == EQ {
                return Ok(false);
            }
            if op == NE {
                return Ok(true);
            }
            return rich_bool(vm, p, q, op);
        }
    }
    Ok(ord_result(Some(x.len().cmp(&y.len())), op))
}

/// `a <op> b` for two values of one exact builtin type whose comparison is the
/// builtin's own (scalars; tuples and lists item by item); None for any other pair,
/// which takes the general protocol of [`compare_inner`]. The same answers, without
/// asking either side for overriding methods it cannot have.
#[inline]
fn compare_exact(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> Option<PyResult<bool>> {
    if let Some(o) = same_scalar_cmp(a, b) {
        return Some(Ok(ord_result(o, op)));
    }
    if let Some(x) = exact_set(a)
        && let Some(y) = exact_set(b)
    {
        // Counted as in `compare`: frozensets nest, and comparing their keys recurses.
        if let Err(e) = vm.enter_recursive(" in comparison") {
            return Some(Err(e));
        }
        let r = set_compare(vm, x, y, op);
        vm.leave_recursive();
        return Some(r);
    }
    if a.type_raw() != b.type_raw() || exact_builtin_kind(a).is_none() {
        return None;
    }
    // The payloads are found before the recursion count is taken, so that no early
    // return can leave it raised.
    let tuples = a
        .downcast_exact::<TupleObj>()
        .zip(b.downcast_exact::<TupleObj>());
    let lists = a
        .downcast_exact::<ListObj>()
        .zip(b.downcast_exact::<ListObj>());
    if tuples.is_none() && lists.is_none() {
        return None;
    }
    // Containers count against the recursion limit as in `compare`: a list may hold
    // itself, and a deep nesting must end in RecursionError.
    if let Err(e) = vm.enter_recursive(" in comparison") {
        return Some(Err(e));
    }
    let r = match (tuples, lists) {
        // A tuple's items never change, so they are compared in place (no copy).
        (Some((x, y)), _) if (op == EQ || op == NE) && x.items.len() != y.items.len() => {
            Ok(op == NE)
        }
        (Some((x, y)), _) => seq_compare(vm, &x.items, &y.items, op),
        (None, Some((x, y))) => list_compare(vm, x, y, op),
        // Excluded above; answered as "not this path" all the same.
        (None, None) => {
            vm.leave_recursive();
            return None;
        }
    };
    vm.leave_recursive();
    Some(r)
}

/// List comparison as CPython's `list_richcompare`: item by item, each read afresh
/// (an `__eq__` may change either list), then by length.
fn list_compare(vm: &mut Vm, x: &ListObj, y: &ListObj, op: u32) -> PyResult<bool> {
    if (op == EQ || op == NE) && x.len() != y.len() {
        return Ok(op == NE);
    }
    let mut i = 0;
    loop {
        let (Some(p), Some(q)) = (x.get(i), y.get(i)) else {
            return Ok(ord_result(Some(x.len().cmp(&y.len())), op));
        };
        if !p.is(&q) && !vm.eq(&p, &q)? {
            return match op {
                EQ => Ok(false),
                NE => Ok(true),
                _ => rich_bool(vm, &p, &q, op),
            };
        }
        i += 1;
    }
}

/// `a <op> b` as a bool: the result of the rich comparison, made truthy.
pub fn rich_bool(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<bool> {
    if let Some(r) = compare_fast(a, b, op) {
        return Ok(r);
    }
    if let Some(r) = compare_exact(vm, a, b, op) {
        return r;
    }
    let r = compare(vm, a, b, op)?;
    super::truthy(vm, &r)
}

fn builtin_compare(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<bool>> {
    if let Some(o) = num_cmp(a, b) {
        return Ok(Some(ord_result(o, op)));
    }
    if let (Some(x), Some(y)) = (
        a.downcast::<crate::types::misc::SliceObj>(),
        b.downcast::<crate::types::misc::SliceObj>(),
    ) {
        // Slices compare as (start, stop, step) tuples.
        let xs = [x.start.clone(), x.stop.clone(), x.step.clone()];
        let ys = [y.start.clone(), y.stop.clone(), y.step.clone()];
        return seq_compare(vm, &xs, &ys, op).map(Some);
    }
    if op == EQ || op == NE {
        if let (Some(x), Some(y)) = (
            a.downcast::<crate::types::code::CodeObj>(),
            b.downcast::<crate::types::code::CodeObj>(),
        ) {
            let eq = crate::builtins::code::same_code(vm, x, y)?;
            return Ok(Some(eq == (op == EQ)));
        }
        if let (Some(x), Some(y)) = (
            crate::types::range::canonical(a),
            crate::types::range::canonical(b),
        ) {
            return Ok(Some((x == y) == (op == EQ)));
        }
        // Bound methods are equal when their functions are and they are bound to the
        // same object (identity, as CPython 3.8+).
        if let (Some(x), Some(y)) = (
            a.downcast::<crate::types::func::MethodObj>(),
            b.downcast::<crate::types::func::MethodObj>(),
        ) {
            let (xs, ys) = (x.self_.clone(), y.self_.clone());
            let (xf, yf) = (x.func.clone(), y.func.clone());
            let eq = xs.is(&ys) && vm.eq(&xf, &yf)?;
            return Ok(Some(eq == (op == EQ)));
        }
        if let (Some(x), Some(y)) = (
            a.downcast::<crate::types::func::BuiltinFuncObj>(),
            b.downcast::<crate::types::func::BuiltinFuncObj>(),
        ) && !x.self_.is_null()
        {
            let eq = x.self_.is(&y.self_) && x.name == y.name && x.owner == y.owner;
            return Ok(Some(eq == (op == EQ)));
        }
    }
    if let (Some(x), Some(y)) = (a.downcast::<StrObj>(), b.downcast::<StrObj>()) {
        return Ok(Some(ord_result(
            Some(crate::types::str::cmp_strs(x, y)),
            op,
        )));
    }
    if (a.downcast::<crate::types::complex::ComplexObj>().is_some()
        || b.downcast::<crate::types::complex::ComplexObj>().is_some())
        && (op == EQ || op == NE)
        && let (Some(x), Some(y)) = (super::as_complex(a), super::as_complex(b))
    {
        return Ok(Some((x == y) == (op == EQ)));
    }
    if let (Some(x), Some(y)) = (
        crate::types::bytes::as_bytes(a),
        crate::types::bytes::as_bytes(b),
    ) {
        return Ok(Some(ord_result(Some(x.cmp(&y)), op)));
    }
    if let (Some(x), Some(y)) = (a.downcast::<ListObj>(), b.downcast::<ListObj>()) {
        let (xs, ys) = (x.snapshot(), y.snapshot());
        if (op == EQ || op == NE) && xs.len() != ys.len() {
            return Ok(Some(op == NE));
        }
        return seq_compare(vm, &xs, &ys, op).map(Some);
    }
    if let (Some(x), Some(y)) = (a.downcast::<TupleObj>(), b.downcast::<TupleObj>()) {
        if (op == EQ || op == NE) && x.items.len() != y.items.len() {
            return Ok(Some(op == NE));
        }
        let (xs, ys) = (x.items.to_vec(), y.items.to_vec());
        return seq_compare(vm, &xs, &ys, op).map(Some);
    }
    if let (Some(x), Some(y)) = (a.downcast::<DictObj>(), b.downcast::<DictObj>()) {
        if op != EQ && op != NE {
            return Ok(None);
        }
        if x.len() != y.len() {
            return Ok(Some(op == NE));
        }
        for (k, v) in x.items() {
            match y.get(vm, &k)? {
                Some(v2) => {
                    if !vm.eq(&v, &v2)? {
                        return Ok(Some(op == NE));
                    }
                }
                None => return Ok(Some(op == NE)),
            }
        }
        return Ok(Some(op == EQ));
    }
    let view_a = super::arith::is_set_like_view(a);
    let view_b = super::arith::is_set_like_view(b);
    let set_like_a = view_a || as_set(a).is_some();
    let set_like_b = view_b || as_set(b).is_some();
    if (view_a || view_b) && set_like_a && set_like_b {
        let sa = super::arith::set_of(vm, a)?;
        let sb = super::arith::set_of(vm, b)?;
        return builtin_compare(vm, &sa, &sb, op);
    }
    if let (Some(x), Some(y)) = (as_set(a), as_set(b)) {
        return set_compare(vm, x, y, op).map(Some);
    }
    if (op == EQ || op == NE)
        && let (Some(x), Some(y)) = (
            a.downcast::<crate::types::func::MethodObj>(),
            b.downcast::<crate::types::func::MethodObj>(),
        )
    {
        let same = x.self_.is(&y.self_) && vm.eq(&x.func, &y.func)?;
        return Ok(Some(same == (op == EQ)));
    }
    Ok(None)
}

/// `set_richcompare`: sizes first, then a subset walk with the stored hashes.
fn set_compare(vm: &mut Vm, x: &SetObj, y: &SetObj, op: u32) -> PyResult<bool> {
    use crate::types::set_algebra::is_subset;
    let (nx, ny) = (x.len(), y.len());
    Ok(match op {
        EQ => nx == ny && is_subset(vm, x, y)?,
        NE => !(nx == ny && is_subset(vm, x, y)?),
        LE => is_subset(vm, x, y)?,
        LT => nx < ny && is_subset(vm, x, y)?,
        GE => is_subset(vm, y, x)?,
        _ => ny < nx && is_subset(vm, y, x)?,
    })
}

/// The payload of an exact set or frozenset (not a subclass's instance, whose class
/// may define the comparison).
#[inline]
fn exact_set(v: &Value) -> Option<&SetObj> {
    let w = crate::world::types();
    let t = v.type_raw();
    if t == w.set || t == w.frozenset {
        as_set(v)
    } else {
        None
    }
}

/// Comparison with the builtin types' own behaviour (for `list.__eq__` & co.).
pub fn compare_base(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
    match builtin_compare(vm, a, b, op)? {
        Some(r) => Ok(Value::bool(r)),
        None => Ok(Value::not_implemented()),
    }
}

/// Rich comparison `a <op> b` (op in LT..GE), returning a Python value. Counts against
/// the recursion limit as CPython's `PyObject_RichCompare` does: comparing containers
/// that hold themselves (`d = {}; d[0] = d; copy.deepcopy(d) == d`) recurses with no
/// Python frame in between, and must end in RecursionError, not a native stack overflow.
pub fn compare(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
    if let Some(r) = compare_exact(vm, a, b, op) {
        return r.map(Value::bool);
    }
    vm.enter_recursive(" in comparison")?;
    let r = compare_inner(vm, a, b, op);
    vm.leave_recursive();
    r
}

/// Does a Python subclass of a builtin type define the comparison `op` (`__eq__`
/// answered from the class's cached hook bits)?
fn cmp_override(v: &Value, op: u32) -> bool {
    if op == EQ {
        crate::vm::subclass_hook(v, "__eq__", HOOK_EQ).is_some()
    } else {
        crate::vm::subclass_override(v, CMP_DUNDERS[op as usize]).is_some()
    }
}

/// Can `v`'s type answer the comparison `op` with a method of its own (a Python class,
/// a native type, a builtin subclass overriding it, a builtin keeping its dunders in
/// its dict)? False for the builtin types `builtin_compare` answers. The type is read
/// once: this runs for every comparison that is not between two exact scalars.
#[inline(always)]
fn may_define_cmp(v: &Value, op: u32) -> bool {
    let td = v.type_data();
    if td.kind == Kind::Object || td.native.is_some() || td.kind.protocols_in_dict() {
        return true;
    }
    if !v.is_ptr() {
        return false;
    }
    if td.is_heap {
        cmp_override(v, op)
    } else {
        td.kind == Kind::Other && td.dict.get_str(CMP_DUNDERS[op as usize]).is_some()
    }
}

fn compare_inner(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
    // str and bytes (exactly those types) are never equal; CPython answers after both
    // richcompares return NotImplemented (BytesWarning under -b is not implemented).
    if (op == EQ || op == NE) && a.is_ptr() && b.is_ptr() {
        let w = crate::world::types();
        let (ta, tb) = (a.type_raw(), b.type_raw());
        if (ta == w.str && tb == w.bytes) || (ta == w.bytes && tb == w.str) {
            return Ok(Value::bool(op == NE));
        }
    }
    let a_user = may_define_cmp(a, op);
    let b_user = may_define_cmp(b, SWAPPED[op as usize]);
    if !a_user && !b_user {
        if let Some(r) = builtin_compare(vm, a, b, op)? {
            return Ok(Value::bool(r));
        }
    } else {
        let rop = SWAPPED[op as usize];
        let b_sub =
            b_user && a.type_raw() != b.type_raw() && b.type_data().is_subtype_raw(a.type_raw());
        let try_call = |vm: &mut Vm, x: &Value, y: &Value, o: u32| -> PyResult<Option<Value>> {
            if let Some(f) = crate::vm::lookup_special_raw(x, CMP_DUNDERS[o as usize]) {
                let r = if crate::vm::takes_receiver(&f) {
                    vm.call(&f, &[x.clone(), y.clone()])?
                } else {
                    // Another descriptor (a property, ...): bound first; failing to
                    // bind means NotImplemented, as CPython's slot_tp_richcompare.
                    match super::bind_descriptor(vm, f, x, &x.type_of()) {
                        Ok(bound) => vm.call(&bound, std::slice::from_ref(y))?,
                        Err(_) => return Ok(None),
                    }
                };
                if !r.is(&Value::not_implemented()) {
                    return Ok(Some(r));
                }
            } else if o == NE
                && let Some(f) = lookup_special(x, "__eq__")
            {
                // `object.__ne__`: the inverse of the side's own `__eq__` (so a
                // subclass's reflected `!=` runs its `__eq__` first, as for datetime
                // against date).
                let r = vm.call(&f, &[x.clone(), y.clone()])?;
                if !r.is(&Value::not_implemented()) {
                    let t = super::truthy(vm, &r)?;
                    return Ok(Some(Value::bool(!t)));
                }
            }
            Ok(None)
        };
        if b_sub && let Some(r) = try_call(vm, b, a, rop)? {
            return Ok(r);
        }
        if let Some(r) = try_call(vm, a, b, op)? {
            return Ok(r);
        }
        if !b_sub && let Some(r) = try_call(vm, b, a, rop)? {
            return Ok(r);
        }
    }
    match op {
        EQ => Ok(Value::bool(a.is(b) && !a.is_float())),
        NE => Ok(Value::bool(!a.is(b) || a.is_float())),
        _ => {
            let (na, nb) = (a.type_data().name.clone(), b.type_data().name.clone());
            let sym = CMP_OPS[op as usize];
            Err(vm.type_error(format!(
                "'{sym}' not supported between instances of '{na}' and '{nb}'"
            )))
        }
    }
}

/// `a < b` as a bool (used by sorting, min and max).
pub fn less_than(vm: &mut Vm, a: &Value, b: &Value) -> PyResult<bool> {
    rich_bool(vm, a, b, LT)
}
