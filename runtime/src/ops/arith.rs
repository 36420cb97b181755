//! Arithmetic (BINARY_OP, unary operators) and truth testing.
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::instructions::{self as opc, Op};
use crate::types::float::divmod as float_divmod;
use crate::types::int::{self as int, IntRef, as_int};
use crate::types::list::ListObj;
use crate::types::str::StrObj;
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{PyResult, Vm, lookup_special};
use crate::world::types;

const DUNDERS: [(&str, &str, &str); 13] = [
    ("__add__", "__radd__", "__iadd__"),
    ("__and__", "__rand__", "__iand__"),
    ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
    ("__lshift__", "__rlshift__", "__ilshift__"),
    ("__matmul__", "__rmatmul__", "__imatmul__"),
    ("__mul__", "__rmul__", "__imul__"),
    ("__mod__", "__rmod__", "__imod__"),
    ("__or__", "__ror__", "__ior__"),
    ("__pow__", "__rpow__", "__ipow__"),
    ("__rshift__", "__rrshift__", "__irshift__"),
    ("__sub__", "__rsub__", "__isub__"),
    ("__truediv__", "__rtruediv__", "__itruediv__"),
    ("__xor__", "__rxor__", "__ixor__"),
];

/// Small-int and float fast paths that cannot fail. None means "take the slow path".
#[inline(always)]
pub fn binary_fast(a: &Value, b: &Value, op: u32) -> Option<Value> {
    let base = if op >= opc::NB_INPLACE {
        op - opc::NB_INPLACE
    } else {
        op
    };
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return match base {
            opc::NB_ADD => Some(Value::int(x + y)),
            opc::NB_SUBTRACT => Some(Value::int(x - y)),
            opc::NB_MULTIPLY => x.checked_mul(y).map(Value::int),
            opc::NB_FLOOR_DIVIDE if y != 0 => {
                Some(Value::int(num_integer::Integer::div_floor(&x, &y)))
            }
            opc::NB_REMAINDER if y != 0 => {
                Some(Value::int(num_integer::Integer::mod_floor(&x, &y)))
            }
            opc::NB_AND => Some(Value::int(x & y)),
            opc::NB_OR => Some(Value::int(x | y)),
            opc::NB_XOR => Some(Value::int(x ^ y)),
            opc::NB_TRUE_DIVIDE if y != 0 => {
                int::truediv(&IntRef::Small(x), &IntRef::Small(y)).map(Value::float)
            }
            _ => None,
        };
    }
    let (x, y) = match (a.as_exact_float(), b.as_exact_float()) {
        (Some(x), Some(y)) => (x, y),
        (Some(x), None) => (x, b.as_small_int()? as f64),
        (None, Some(y)) => (a.as_small_int()? as f64, y),
        _ => return None,
    };
    match base {
        opc::NB_ADD => Some(Value::float(x + y)),
        opc::NB_SUBTRACT => Some(Value::float(x - y)),
        opc::NB_MULTIPLY => Some(Value::float(x * y)),
        opc::NB_TRUE_DIVIDE if y != 0.0 => Some(Value::float(x / y)),
        _ => None,
    }
}

/// Whether `v` is an instance of a Python class that extends no builtin type's layout
/// (its operators are its special methods and nothing else).
#[inline]
fn is_plain_instance(v: &Value) -> bool {
    v.is_ptr() && {
        let td = v.type_data();
        td.kind == crate::types::class::Kind::Object && td.native.is_none()
    }
}

/// `a <op> b` can only be answered by special methods of Python classes: one operand
/// is a plain instance and the other is one too or an exact int, bool or float, whose
/// own operators return NotImplemented for it (no builtin rule applies: `Vector *
/// 2.0`, `2.0 * Vector`, `Vector + Vector`). The builtin attempts are skipped.
#[inline]
fn user_operands(a: &Value, b: &Value) -> bool {
    let exact_number = |v: &Value| {
        !v.is_ptr() || {
            let t = v.type_raw();
            let w = types();
            t == w.int || t == w.float || t == w.bool
        }
    };
    match (is_plain_instance(a), is_plain_instance(b)) {
        (true, true) => true,
        (true, false) => exact_number(b),
        (false, true) => exact_number(a),
        (false, false) => false,
    }
}

/// The binary slot of `v`'s type when that is a native type (not a Python subclass).
#[inline(always)]
fn exact_native_binary(v: &Value) -> Option<crate::types::native::BinaryFn> {
    if !v.is_ptr() {
        return None;
    }
    let td = v.type_data();
    if td.is_heap {
        return None;
    }
    td.native?.binary
}

/// `a <op> b` through a native type's binary slot, in CPython's order of `binary_op1`:
/// the left operand's slot first unless the right one's type is a proper subclass of
/// the left's; the right operand's slot when the left is an exact int, bool or float
/// (whose own operators return NotImplemented for a native type's instances). None:
/// the generic protocol decides.
#[inline]
fn native_binary(vm: &mut Vm, a: &Value, b: &Value, base: u32) -> PyResult<Option<Value>> {
    if let Some(f) = exact_native_binary(a) {
        let (ta, tb) = (a.type_raw(), b.type_raw());
        if !b.is_ptr() || ta == tb || !b.type_data().is_heap || !b.type_data().is_subtype_raw(ta) {
            return f(vm, a, b, base);
        }
        return Ok(None);
    }
    if let Some(f) = exact_native_binary(b) {
        let plain_number = !a.is_ptr() || {
            let t = a.type_raw();
            let w = types();
            t == w.int || t == w.float || t == w.bool
        };
        if plain_number {
            return f(vm, a, b, base);
        }
    }
    Ok(None)
}

fn is_number(v: &Value) -> bool {
    v.as_float().is_some() || as_int(v).is_some()
}

pub fn binary_op(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
    let inplace = op >= opc::NB_INPLACE;
    let base = if inplace { op - opc::NB_INPLACE } else { op };
    // bytes + bytes, both exactly bytes (immutable, so `+=` is the same): one
    // allocation at the result's size, before the protocol's searches.
    if base == opc::NB_ADD
        && let (Some(x), Some(y)) = (
            a.downcast_exact::<crate::types::bytes::BytesObj>(),
            b.downcast_exact::<crate::types::bytes::BytesObj>(),
        )
    {
        let mut v = Vec::with_capacity(x.data.len() + y.data.len());
        v.extend_from_slice(&x.data);
        v.extend_from_slice(&y.data);
        return Ok(crate::types::bytes::BytesObj::new_value(v));
    }
    if let Some(r) = native_binary(vm, a, b, base)? {
        return Ok(r);
    }
    if inplace {
        if let Some(f) = lookup_special(a, DUNDERS[base as usize].2) {
            let r = vm.call(&f, &[a.clone(), b.clone()])?;
            if !r.is(&Value::not_implemented()) {
                return Ok(r);
            }
        }
        // bytearray += bytes-like extends in place.
        if base == opc::NB_ADD
            && let Some(ba) = a.downcast::<crate::types::bytes::ByteArrayObj>()
            && let Some(y) = crate::types::bytes::as_bytes(b)
        {
            ba.data.with(|d| d.extend(y));
            return Ok(a.clone());
        }
        // list += iterable and list *= n mutate in place.
        if let Some(l) = a.downcast::<ListObj>() {
            if base == opc::NB_ADD {
                let items = super::collect(vm, b)?;
                l.items.with(|v| v.extend(items));
                return Ok(a.clone());
            }
            if base == opc::NB_MULTIPLY
                && let Some(n) = as_int(b)
            {
                let n = repeat_count(vm, n.to_i64(), b)?;
                let orig = l.items.read(|v| v.clone());
                let rep = super::repeat(vm, &orig, n, None)?;
                // The old items are dropped outside the list's lock (a finalizer may
                // touch the list).
                let old = l.items.with(|v| std::mem::replace(v, rep));
                drop(old);
                return Ok(a.clone());
            }
        }
        if let (Some(sa), Some(sb)) = (crate::types::set::as_set(a), crate::types::set::as_set(b))
            && a.type_raw() == types().set
        {
            let _ = sb;
            if crate::types::set_algebra::inplace(vm, sa, b, base)? {
                return Ok(a.clone());
            }
            super::set_binop(vm, a, b, base)?;
        }
    }
    let (fwd0, rev0, _) = DUNDERS[base as usize];
    let overridden = user_operands(a, b)
        || crate::vm::subclass_override(a, fwd0).is_some()
        || crate::vm::subclass_override(b, rev0).is_some();
    if !overridden {
        if let Some(r) = complex_binop(vm, a, b, base)? {
            return Ok(r);
        }
        if is_number(a) && is_number(b) {
            return num_binop(vm, a, b, base);
        }
        if let Some(r) = builtin_binop(vm, a, b, base)? {
            return Ok(r);
        }
    }
    // User classes: a.__op__(b), then b.__rop__(a); the right operand goes first when
    // its type is a proper subclass of the left's.
    let (fwd, rev, _) = DUNDERS[base as usize];
    let ta = a.type_raw();
    let tb = b.type_raw();
    let rf = if ta != tb {
        lookup_special(b, rev)
    } else {
        None
    };
    // As CPython's SLOT1BINFULL: the subclass's reflected method goes first only when
    // it overrides the left operand's (`method_is_overloaded`); an inherited one does not.
    let b_first = rf.is_some()
        && b.type_data().is_subtype_raw(ta)
        && !matches!(
            (crate::vm::lookup_special_raw(a, rev), crate::vm::lookup_special_raw(b, rev)),
            (Some(x), Some(y)) if x.is(&y)
        );
    if b_first && let Some(f) = &rf {
        let r = vm.call(f, &[b.clone(), a.clone()])?;
        if !r.is(&Value::not_implemented()) {
            return Ok(r);
        }
    }
    if let Some(f) = lookup_special(a, fwd) {
        let r = vm.call(&f, &[a.clone(), b.clone()])?;
        if !r.is(&Value::not_implemented()) {
            return Ok(r);
        }
    }
    if !b_first && let Some(f) = &rf {
        let r = vm.call(f, &[b.clone(), a.clone()])?;
        if !r.is(&Value::not_implemented()) {
            return Ok(r);
        }
    }
    if base == opc::NB_MULTIPLY
        && let Some(r) = repeat_by_index(vm, a, b, op)?
    {
        return Ok(r);
    }
    if base == opc::NB_OR {
        // `type.__or__`: `int | str` makes a `types.UnionType`.
        let r = crate::types::union_type::or(vm, a, b)?;
        if !r.is(&Value::not_implemented()) {
            return Ok(r);
        }
    }
    let sym = opc::BIN_OPS[base as usize];
    // CPython's `tp_name`: qualified for the types of native modules.
    let tp_name = crate::types::native::tp_name;
    let (na, nb) = (tp_name(a.type_data()), tp_name(b.type_data()));
    if base == opc::NB_ADD && (ta == types().str || ta == types().list || ta == types().tuple) {
        return Err(vm.type_error(format!("can only concatenate {na} (not \"{nb}\") to {na}")));
    }
    // bytes' and bytearray's `sq_concat` takes any buffer; anything else gets its message.
    if base == opc::NB_ADD
        && (ta == types().bytes || ta == types().bytearray)
        && crate::modules::buffer::bytes_like(b).is_none()
    {
        return Err(vm.type_error(format!("can't concat {nb} to {na}")));
    }
    // The sequences whose repeat names the other operand (`array.array` among them).
    let is_seq = |v: &Value| {
        let t = v.type_raw();
        t == types().str
            || t == types().list
            || t == types().tuple
            || crate::modules::array::is_array(v)
    };
    if base == opc::NB_MULTIPLY && (is_seq(a) || is_seq(b)) {
        let other = if is_seq(a) { nb } else { na };
        return Err(vm.type_error(format!(
            "can't multiply sequence by non-int of type '{other}'"
        )));
    }
    let sym = if base == opc::NB_POWER && !inplace {
        "** or pow()".to_string()
    } else {
        format!("{sym}{}", if inplace { "=" } else { "" })
    };
    Err(vm.type_error(format!(
        "unsupported operand type(s) for {sym}: '{na}' and '{nb}'"
    )))
}

/// `seq * n` / `n * seq` where `n` is not an int but has `__index__` (CPython's
/// `sq_repeat` takes any index): the repeat by the index's value.
fn repeat_by_index(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    use crate::types::bytes::{ByteArrayObj, BytesObj};
    use crate::types::str::StrObj;
    use crate::types::tuple::TupleObj;
    let is_seq = |v: &Value| {
        v.downcast::<ListObj>().is_some()
            || v.downcast::<TupleObj>().is_some()
            || v.downcast::<StrObj>().is_some()
            || v.downcast::<BytesObj>().is_some()
            || v.downcast::<ByteArrayObj>().is_some()
    };
    let (seq, count) = if is_seq(a) {
        (a, b)
    } else if is_seq(b) {
        (b, a)
    } else {
        return Ok(None);
    };
    if as_int(count).is_some() {
        return Ok(None);
    }
    let Some(f) = crate::vm::lookup_special(count, "__index__") else {
        return Ok(None);
    };
    let n = vm.call(&f, std::slice::from_ref(count))?;
    if as_int(&n).is_none() {
        let tn = n.type_data().name.clone();
        return Err(vm.type_error(format!("__index__ returned non-int (type {tn})")));
    }
    binary_op(vm, seq, &n, op).map(Some)
}

fn to_f64(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    match as_int(v).and_then(|i| i.to_f64()) {
        Some(f) => Ok(f),
        None => Err(vm.overflow_error("int too large to convert to float")),
    }
}

/// `a <op> b` by the builtin types' own rules, asking no special method (what the
/// builtins' `__add__` and friends run): None when the builtins do not handle the pair.
pub fn builtin_binary(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    if let Some(r) = complex_binop(vm, a, b, op)? {
        return Ok(Some(r));
    }
    if is_number(a) && is_number(b) {
        return num_binop(vm, a, b, op).map(Some);
    }
    builtin_binop(vm, a, b, op)
}

/// `a <op>= b` by the builtin types' own rules: the mutable containers change in
/// place and return themselves (`list.__iadd__`, `set.__ior__`, `dict.__ior__`).
pub fn builtin_inplace(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    if let Some(l) = a.downcast::<ListObj>() {
        match op {
            opc::NB_ADD => {
                let items = super::collect(vm, b)?;
                l.items.with(|v| v.extend(items));
                return Ok(Some(a.clone()));
            }
            opc::NB_MULTIPLY => {
                let Some(n) = as_int(b) else {
                    return Ok(None);
                };
                let n = repeat_count(vm, n.to_i64(), b)?;
                let orig = l.items.read(|v| v.clone());
                let rep = super::repeat(vm, &orig, n, None)?;
                // The old items are dropped outside the list's lock (a finalizer may
                // touch the list).
                let old = l.items.with(|v| std::mem::replace(v, rep));
                drop(old);
                return Ok(Some(a.clone()));
            }
            _ => return Ok(None),
        }
    }
    if let Some(ba) = a.downcast::<crate::types::bytes::ByteArrayObj>() {
        if op == opc::NB_ADD
            && let Some(y) = crate::types::bytes::as_bytes(b)
        {
            ba.data.with(|d| d.extend(y));
            return Ok(Some(a.clone()));
        }
        if op == opc::NB_MULTIPLY
            && let Some(n) = as_int(b)
        {
            let n = repeat_count(vm, n.to_i64(), b)?;
            let cur = ba.data.with(|d| d.clone());
            let rep = super::repeat(vm, &cur, n, None)?;
            ba.data.with(|d| *d = rep);
            return Ok(Some(a.clone()));
        }
        return Ok(None);
    }
    if let Some(d) = a.downcast::<crate::types::dict::DictObj>() {
        if op != opc::NB_OR {
            return Ok(None);
        }
        for (k, v) in super::mapping_items(vm, b)? {
            d.set(vm, k, v)?;
        }
        return Ok(Some(a.clone()));
    }
    if let Some(sa) = crate::types::set::as_set(a)
        && a.type_data().kind == crate::types::class::Kind::Set
    {
        if crate::types::set::as_set(b).is_none() {
            return Ok(None);
        }
        if crate::types::set_algebra::inplace(vm, sa, b, op)? {
            return Ok(Some(a.clone()));
        }
        super::set_binop(vm, a, b, op)?;
        return Ok(Some(a.clone()));
    }
    Ok(None)
}

pub fn num_binop(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        return int_binop(vm, &x, &y, op, a.is_bool() && b.is_bool());
    }
    let x = to_f64(vm, a)?;
    let y = to_f64(vm, b)?;
    float_binop(vm, x, y, op)
}

pub fn float_binop(vm: &mut Vm, x: f64, y: f64, op: u32) -> PyResult<Value> {
    Ok(Value::float(match op {
        opc::NB_ADD => x + y,
        opc::NB_SUBTRACT => x - y,
        opc::NB_MULTIPLY => x * y,
        opc::NB_TRUE_DIVIDE => {
            if y == 0.0 {
                return Err(vm.zero_division("float division by zero"));
            }
            x / y
        }
        opc::NB_FLOOR_DIVIDE => {
            if y == 0.0 {
                return Err(vm.zero_division("float floor division by zero"));
            }
            float_divmod(x, y).0
        }
        opc::NB_REMAINDER => {
            if y == 0.0 {
                return Err(vm.zero_division("float modulo"));
            }
            float_divmod(x, y).1
        }
        opc::NB_POWER => return float_pow(vm, x, y),
        _ => {
            let sym = opc::BIN_OPS[op as usize];
            return Err(vm.type_error(format!(
                "unsupported operand type(s) for {sym}: 'float' and 'float'"
            )));
        }
    }))
}

pub fn float_pow(vm: &mut Vm, x: f64, y: f64) -> PyResult<Value> {
    if x == 0.0 && y < 0.0 {
        return Err(vm.zero_division("0.0 cannot be raised to a negative power"));
    }
    if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
        // A negative base to a fractional power is complex, as in Python 3.
        let (re, im) =
            crate::types::complex::pow((x, 0.0), (y, 0.0)).unwrap_or((f64::NAN, f64::NAN));
        return Ok(crate::types::complex::new_complex(re, im));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(vm.overflow_error("(34, 'Numerical result out of range')"));
    }
    Ok(Value::float(r))
}

fn int_binop(vm: &mut Vm, x: &IntRef, y: &IntRef, op: u32, both_bool: bool) -> PyResult<Value> {
    Ok(match op {
        opc::NB_ADD => int::add(x, y),
        opc::NB_SUBTRACT => int::sub(x, y),
        opc::NB_MULTIPLY => int::mul(x, y),
        opc::NB_FLOOR_DIVIDE | opc::NB_REMAINDER => {
            if y.is_zero() {
                return Err(vm.zero_division(if op == opc::NB_REMAINDER {
                    "integer modulo by zero"
                } else {
                    "integer division or modulo by zero"
                }));
            }
            if op == opc::NB_FLOOR_DIVIDE {
                int::floordiv(x, y)
            } else {
                int::modulo(x, y)
            }
        }
        opc::NB_TRUE_DIVIDE => {
            if y.is_zero() {
                return Err(vm.zero_division("division by zero"));
            }
            match int::truediv(x, y) {
                Some(f) => Value::float(f),
                None => {
                    return Err(vm.overflow_error("integer division result too large for a float"));
                }
            }
        }
        opc::NB_POWER => {
            if y.is_negative() {
                let fx = to_f64_ref(vm, x)?;
                let fy = to_f64_ref(vm, y)?;
                return float_pow(vm, fx, fy);
            }
            let e = match y.to_i64() {
                Some(e) => e as u64,
                None => return Err(vm.overflow_error("exponent too large")),
            };
            if e > 1 && !matches!(x, IntRef::Small(-1..=1)) && e > 100_000_000 {
                return Err(vm.overflow_error("exponent too large"));
            }
            int::pow(x, e)
        }
        opc::NB_LSHIFT | opc::NB_RSHIFT => {
            if y.is_negative() {
                return Err(vm.value_error("negative shift count"));
            }
            let n = y.to_i64().unwrap_or(i64::MAX);
            if op == opc::NB_RSHIFT {
                if let IntRef::Small(v) = x {
                    return Ok(Value::int(if n >= 63 {
                        if *v < 0 { -1 } else { 0 }
                    } else {
                        v >> n
                    }));
                }
                if n > u32::MAX as i64 {
                    return Ok(Value::int(if x.is_negative() { -1 } else { 0 }));
                }
                let big = x.to_big();
                // Arithmetic shift: floor division by 2**n.
                let d = BigInt::from(1) << (n as usize);
                Value::bigint(num_integer::Integer::div_floor(&big, &d))
            } else {
                if x.is_zero() {
                    return Ok(Value::int(0));
                }
                if n > 1 << 30 {
                    return Err(vm.overflow_error("too many digits in integer"));
                }
                if let IntRef::Small(v) = x
                    && n < 16
                {
                    return Ok(Value::int(v << n));
                }
                Value::bigint(x.to_big() << (n as usize))
            }
        }
        opc::NB_AND | opc::NB_OR | opc::NB_XOR => {
            let r = match (x, y) {
                (IntRef::Small(a), IntRef::Small(b)) => match op {
                    opc::NB_AND => Value::int(a & b),
                    opc::NB_OR => Value::int(a | b),
                    _ => Value::int(a ^ b),
                },
                _ => {
                    let (a, b) = (x.to_big(), y.to_big());
                    Value::bigint(match op {
                        opc::NB_AND => a & b,
                        opc::NB_OR => a | b,
                        _ => a ^ b,
                    })
                }
            };
            if both_bool {
                return Ok(Value::bool(r.as_small_int() == Some(1)));
            }
            r
        }
        _ => return Err(vm.type_error("unsupported operand type(s) for @: 'int' and 'int'")),
    })
}

fn to_f64_ref(vm: &mut Vm, x: &IntRef) -> PyResult<f64> {
    match x.to_f64() {
        Some(f) => Ok(f),
        None => Err(vm.overflow_error("int too large to convert to float")),
    }
}

/// The items of a `%` argument tuple (to see whether any is a str with surrogates).
fn ops_items(b: &Value) -> Vec<Value> {
    b.downcast::<TupleObj>()
        .map(|t| t.items.to_vec())
        .unwrap_or_default()
}

/// Operators of str, list, tuple, set and dict.
fn builtin_binop(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    if let Some(sa) = a.downcast::<StrObj>() {
        if let Some(sb) = b.downcast::<StrObj>()
            && op == opc::NB_ADD
        {
            let mut s = String::with_capacity(sa.s.len() + sb.s.len());
            s.push_str(&sa.s);
            s.push_str(&sb.s);
            if sa.surrogates || sb.surrogates {
                let flag = crate::types::str::inputs_flag([a, b]).map_err(|m| vm.value_error(m))?;
                return Ok(Some(crate::types::str::new_string_flagged(s, flag)));
            }
            return Ok(Some(crate::types::str::new_string_len(
                s,
                sa.nchars + sb.nchars,
            )));
        }
        if op == opc::NB_MULTIPLY
            && let Some(n) = as_int(b)
        {
            let n = repeat_count(vm, n.to_i64(), b)?;
            // Once is the str itself (an exact one), as CPython's unicode_repeat.
            if n == 1 && a.downcast_exact::<StrObj>().is_some() {
                return Ok(Some(a.clone()));
            }
            let s = super::repeat_str(vm, &sa.s, n)?;
            if sa.surrogates {
                return Ok(Some(crate::types::str::new_string_flagged(s, true)));
            }
            return Ok(Some(crate::types::str::new_string_len(s, sa.nchars * n)));
        }
        if op == opc::NB_REMAINDER {
            let r = crate::format::percent_format(vm, &sa.s, b)?;
            if crate::types::str::surrogates_seen() {
                let items = ops_items(b);
                let flag = crate::types::str::inputs_flag(items.iter().chain([a, b]))
                    .map_err(|m| vm.value_error(m))?;
                if flag {
                    return Ok(Some(crate::types::str::flag_outputs(r)));
                }
            }
            return Ok(Some(r));
        }
        return Ok(None);
    }
    if op == opc::NB_MULTIPLY
        && as_int(a).is_some()
        && !a.is_float()
        && (b.downcast::<StrObj>().is_some()
            || b.downcast::<ListObj>().is_some()
            || b.downcast::<TupleObj>().is_some()
            || b.downcast::<crate::types::bytes::BytesObj>().is_some()
            || b.downcast::<crate::types::bytes::ByteArrayObj>().is_some())
    {
        return builtin_binop(vm, b, a, op);
    }
    let a_bytes = a.downcast::<crate::types::bytes::BytesObj>().is_some()
        || a.downcast::<crate::types::bytes::ByteArrayObj>().is_some();
    if a_bytes && op == opc::NB_ADD {
        // Concatenation with any bytes-like right operand (memoryview, array too), as
        // CPython's buffer concatenation: `a` borrowed, the result allocated once at its
        // size (copying `a` first and growing it cost two reallocations per `+`).
        if let Some(y) = crate::modules::buffer::bytes_like(b) {
            let v = crate::modules::buffer::with_bytes(a, |x| {
                let mut v = Vec::with_capacity(x.len() + y.len());
                v.extend_from_slice(x);
                v.extend_from_slice(&y);
                v
            })
            .unwrap_or_default();
            return Ok(Some(
                if a.downcast::<crate::types::bytes::ByteArrayObj>().is_some() {
                    crate::types::bytes::ByteArrayObj::new_value(v)
                } else {
                    crate::types::bytes::BytesObj::new_value(v)
                },
            ));
        }
        return Ok(None);
    }
    if let Some(x) = crate::types::bytes::as_bytes(a) {
        let make = |d: Vec<u8>| {
            if a.downcast::<crate::types::bytes::ByteArrayObj>().is_some() {
                crate::types::bytes::ByteArrayObj::new_value(d)
            } else {
                crate::types::bytes::BytesObj::new_value(d)
            }
        };
        if op == opc::NB_REMAINDER {
            return Ok(Some(make(crate::format::bytes_percent_format(vm, &x, b)?)));
        }
        if op == opc::NB_MULTIPLY
            && let Some(n) = as_int(b)
        {
            let n = repeat_count(vm, n.to_i64(), b)?;
            let bytearray = a.downcast::<crate::types::bytes::ByteArrayObj>().is_some();
            let overflow = (!bytearray).then_some("repeated bytes are too long");
            return Ok(Some(make(super::repeat(vm, &x, n, overflow)?)));
        }
        return Ok(None);
    }
    let seq_a = super::seq_items_fast(a);
    if let Some(items) = seq_a {
        let is_list = a.downcast::<ListObj>().is_some();
        if op == opc::NB_ADD {
            let same = if is_list {
                b.downcast::<ListObj>().is_some()
            } else {
                b.downcast::<TupleObj>().is_some()
            };
            if same {
                let mut v = items;
                v.extend(super::seq_items_fast(b).unwrap_or_default());
                return Ok(Some(if is_list {
                    ListObj::new_value(v)
                } else {
                    TupleObj::new_value(v)
                }));
            }
            return Ok(None);
        }
        if op == opc::NB_MULTIPLY
            && let Some(n) = as_int(b)
        {
            let n = repeat_count(vm, n.to_i64(), b)?;
            let v = super::repeat(vm, &items, n, None)?;
            return Ok(Some(if is_list {
                ListObj::new_value(v)
            } else {
                TupleObj::new_value(v)
            }));
        }
        return Ok(None);
    }
    if crate::types::set::as_set(a).is_some() && crate::types::set::as_set(b).is_some() {
        return super::set_binop(vm, a, b, op).map(Some);
    }
    if matches!(
        op,
        opc::NB_AND | opc::NB_OR | opc::NB_SUBTRACT | opc::NB_XOR
    ) && (is_set_like_view(a) || is_set_like_view(b))
    {
        // Like CPython's dictviews_* slots: both operands (in their own
        // order) become sets, whichever side the keys/items view is on.
        let sa = set_of(vm, a)?;
        let sb = set_of(vm, b)?;
        return super::set_binop(vm, &sa, &sb, op).map(Some);
    }
    if let (Some(da), Some(db)) = (
        a.downcast::<crate::types::dict::DictObj>(),
        b.downcast::<crate::types::dict::DictObj>(),
    ) && op == opc::NB_OR
    {
        let r = da.copy();
        for (k, v) in db.items() {
            r.set(vm, k, v)?;
        }
        return Ok(Some(Value::alloc(r)));
    }
    Ok(None)
}

/// dict_keys and dict_items behave as sets in binary operators.
pub fn is_set_like_view(v: &Value) -> bool {
    let t = v.type_raw();
    t == types().dict_keys || t == types().dict_items
}

/// A fresh set holding the items of any iterable.
pub fn set_of(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    let out = crate::types::set::SetObj::new();
    for item in super::collect(vm, v)? {
        out.add(vm, item)?;
    }
    Ok(Value::alloc(out))
}

pub fn unary_op(vm: &mut Vm, a: &Value, op: Op) -> PyResult<Value> {
    if let Some(c) = a.downcast::<crate::types::complex::ComplexObj>() {
        match op {
            Op::UNARY_NEGATIVE => return Ok(crate::types::complex::new_complex(-c.re, -c.im)),
            Op::UNARY_POSITIVE => return Ok(crate::types::complex::new_complex(c.re, c.im)),
            _ => {}
        }
    }
    if let Some(f) = a.as_float() {
        match op {
            Op::UNARY_NEGATIVE => return Ok(Value::float(-f)),
            Op::UNARY_POSITIVE => return Ok(Value::float(f)),
            _ => {}
        }
    } else if let Some(i) = as_int(a) {
        return Ok(match op {
            Op::UNARY_NEGATIVE => match i {
                IntRef::Small(x) => Value::int(-x),
                IntRef::Big(b) => Value::bigint(-b),
            },
            // `+x` of an int subclass is a plain int.
            Op::UNARY_POSITIVE => match i {
                IntRef::Small(x) => Value::int(x),
                IntRef::Big(_) if a.type_raw() == types().int => a.clone(),
                IntRef::Big(b) => Value::bigint(b.clone()),
            },
            _ => match i {
                IntRef::Small(x) => Value::int(!x),
                IntRef::Big(b) => Value::bigint(-(b + BigInt::from(1))),
            },
        });
    }
    let (dunder, sym) = match op {
        Op::UNARY_NEGATIVE => ("__neg__", "-"),
        Op::UNARY_POSITIVE => ("__pos__", "+"),
        _ => ("__invert__", "~"),
    };
    if let Some(f) = lookup_special(a, dunder) {
        return vm.call(&f, std::slice::from_ref(a));
    }
    let tn = a.type_data().name.clone();
    Err(vm.type_error(format!("bad operand type for unary {sym}: '{tn}'")))
}

/// Python truth value.
pub fn truthy(vm: &mut Vm, v: &Value) -> PyResult<bool> {
    if v.is_ptr() && plain_instance_truth(v) == Some(true) {
        return Ok(true);
    }
    if let Some(f) = crate::vm::subclass_override(v, "__bool__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        return Ok(r.is_true_singleton());
    }
    if crate::vm::subclass_override(v, "__len__").is_some() {
        return Ok(super::len(vm, v)? > 0);
    }
    if let Some(t) = builtin_truth(v) {
        return Ok(t);
    }
    if let Some(f) = lookup_special(v, "__bool__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if !r.is_bool() {
            let tn = r.type_data().name.clone();
            return Err(vm.type_error(format!("__bool__ should return bool, returned {tn}")));
        }
        return Ok(r.is_true_singleton());
    }
    if lookup_special(v, "__len__").is_some() {
        return Ok(super::len(vm, v)? > 0);
    }
    Ok(true)
}

/// An instance of a Python class (or of a native type with a payload of its own)
/// whose type defines neither `__bool__` nor `__len__` is true: answered from the
/// type's cached hook bits instead of two special-method lookups per test (`if
/// self.frame:` in a loop). `None` when the type is of another kind or has a hook.
#[inline]
fn plain_instance_truth(v: &Value) -> Option<bool> {
    use crate::types::class::{HOOK_BOOL, HOOK_LEN, Kind};
    let td = v.type_data();
    let plain = (td.kind == Kind::Object && td.native.is_none())
        || (td.kind == Kind::Native && !td.is_heap && td.native.is_some());
    (plain && td.hook_bits() & (HOOK_BOOL | HOOK_LEN) == 0).then_some(true)
}

/// The truth of `v` when finding it runs no Python code: an immediate or an instance of
/// a builtin type (no Python subclass); None otherwise.
pub fn truthy_builtin(v: &Value) -> Option<bool> {
    if v.is_ptr() && v.type_data().is_heap {
        return None;
    }
    builtin_truth(v)
}

/// The truth of a value of a builtin type (not a subclass overriding `__bool__` or
/// `__len__`), which runs no code; `None` for anything else. One switch on the type's
/// kind, so a value meets only its own kind's payload check.
fn builtin_truth(v: &Value) -> Option<bool> {
    use crate::types::class::Kind;
    if !v.is_ptr() {
        if v.is_bool() {
            return Some(v.is_true_singleton());
        }
        if v.is_none() {
            return Some(false);
        }
        if let Some(f) = v.as_float() {
            return Some(f != 0.0);
        }
        return v.as_small_int().map(|i| i != 0);
    }
    match v.type_data().kind {
        Kind::Int | Kind::Bool => as_int(v).map(|i| !i.is_zero()),
        Kind::Float => v.as_float().map(|f| f != 0.0),
        Kind::Str => v.downcast::<StrObj>().map(|s| !s.s.is_empty()),
        Kind::List => v.downcast::<ListObj>().map(|l| !l.is_empty()),
        Kind::Tuple => v.downcast::<TupleObj>().map(|t| !t.items.is_empty()),
        Kind::Dict => v
            .downcast::<crate::types::dict::DictObj>()
            .map(|d| !d.is_empty()),
        Kind::Set | Kind::FrozenSet => crate::types::set::as_set(v).map(|s| !s.is_empty()),
        Kind::Range => v
            .downcast::<crate::types::range::RangeObj>()
            .map(|r| match &r.big {
                Some(b) => !num_traits::Zero::is_zero(&b.len()),
                None => !r.is_empty(),
            }),
        Kind::Bytes => v
            .downcast::<crate::types::bytes::BytesObj>()
            .map(|b| !b.data.is_empty()),
        Kind::ByteArray => v
            .downcast::<crate::types::bytes::ByteArrayObj>()
            .map(|b| b.data.with(|d| !d.is_empty())),
        _ => v
            .downcast::<crate::types::complex::ComplexObj>()
            .map(|c| c.re != 0.0 || c.im != 0.0),
    }
}

/// The truth of `v` if finding it runs no Python code (no `__bool__` or `__len__`
/// defined in Python on its type: builtin values, and instances of classes that
/// define neither, which are true).
pub fn truth_without_calls(v: &Value) -> Option<bool> {
    if crate::vm::subclass_override(v, "__bool__").is_some()
        || crate::vm::subclass_override(v, "__len__").is_some()
    {
        return None;
    }
    if let Some(t) = builtin_truth(v) {
        return Some(t);
    }
    if lookup_special(v, "__bool__").is_some() || lookup_special(v, "__len__").is_some() {
        return None;
    }
    Some(true)
}

/// Exact int conversion for indices (`__index__`).
pub fn to_index(vm: &mut Vm, v: &Value) -> PyResult<BigInt> {
    if let Some(i) = as_int(v) {
        return Ok(i.to_big());
    }
    if let Some(f) = lookup_special(v, "__index__") {
        let r = vm.call(&f, std::slice::from_ref(v))?;
        if let Some(i) = as_int(&r) {
            return Ok(i.to_big());
        }
        let rn = r.type_data().name.clone();
        return Err(vm.type_error(format!("__index__ returned non-int (type {rn})")));
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")))
}

/// An index that must fit a machine word.
pub fn to_isize(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if let Some(i) = v.as_small_int() {
        return Ok(i);
    }
    let b = to_index(vm, v)?;
    match b.to_i64() {
        Some(i) => Ok(i),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.err(
                types().index_error,
                format!("cannot fit '{tn}' into an index-sized integer"),
            ))
        }
    }
}

/// The count of a sequence repetition (`seq * n`): negative counts repeat zero times,
/// and a count beyond a machine word is CPython's `OverflowError`.
fn repeat_count(vm: &mut Vm, n: Option<i64>, v: &Value) -> PyResult<usize> {
    match n {
        Some(n) => Ok(n.max(0) as usize),
        None => {
            let tn = v.type_data().name.clone();
            Err(vm.err(
                types().overflow_error,
                format!("cannot fit '{tn}' into an index-sized integer"),
            ))
        }
    }
}

pub fn big_is_zero(b: &BigInt) -> bool {
    b.is_zero() || b.abs().is_zero()
}

/// The value of a number as a complex (re, im), if it is int, float or complex.
pub fn as_complex(v: &Value) -> Option<(f64, f64)> {
    if let Some(c) = v.downcast::<crate::types::complex::ComplexObj>() {
        return Some((c.re, c.im));
    }
    if let Some(f) = v.as_float() {
        return Some((f, 0.0));
    }
    as_int(v).and_then(|i| i.to_f64()).map(|f| (f, 0.0))
}

fn complex_binop(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    use crate::types::complex::{ComplexObj, new_complex};
    if a.downcast::<ComplexObj>().is_none() && b.downcast::<ComplexObj>().is_none() {
        return Ok(None);
    }
    let (Some(x), Some(y)) = (as_complex(a), as_complex(b)) else {
        return Ok(None);
    };
    let r = match op {
        opc::NB_ADD => (x.0 + y.0, x.1 + y.1),
        opc::NB_SUBTRACT => (x.0 - y.0, x.1 - y.1),
        opc::NB_MULTIPLY => (x.0 * y.0 - x.1 * y.1, x.0 * y.1 + x.1 * y.0),
        opc::NB_TRUE_DIVIDE => match crate::types::complex::div(x, y) {
            Some(r) => r,
            None => return Err(vm.zero_division("complex division by zero")),
        },
        opc::NB_POWER => match crate::types::complex::pow(x, y) {
            Some(r) => r,
            None => return Err(vm.zero_division("0.0 to a negative or complex power")),
        },
        opc::NB_FLOOR_DIVIDE => return Err(vm.type_error("can't take floor of complex number.")),
        opc::NB_REMAINDER => return Err(vm.type_error("can't mod complex numbers.")),
        _ => return Ok(None),
    };
    Ok(Some(new_complex(r.0, r.1)))
}
