//! `decimal.Decimal`, the Python-facing number: construction and conversions, the
//! operators (with CPython's implicit conversions: Decimal and int operands for
//! arithmetic; float, complex and Rational ones for comparisons), hashing, and the
//! conversions to int, float and str.
//!
//! Instances are immutable: the payload is a [`Dec`], so no lock is needed to read it.
//! The named methods shared with `Context` are declared in `ops_table.rs`.
use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, Ordering as AtOrd};

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Zero};
use stitch_stencils::value::RawValue;

use super::coeff::Coeff;
use super::context::{self, MAX_CTX, add_status, context_arg, current};
use super::number::{Ctx, Dec, Kind, Round};
use super::signals::*;
use super::text;
use crate::modules::native_args;
use crate::native_payload;
use crate::ops;
use crate::types::class::Kind as TypeKind;
use crate::types::int::{IntRef, as_int};
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};

pub struct DecObj {
    pub d: Dec,
}
native_payload!(DecObj, DECIMAL);
static DECIMAL_T: NativeType = NativeType {
    new: Some(dec_new),
    binary: Some(dec_binary),
    ..NativeType::of::<DecObj>()
};

/// `collections.namedtuple("DecimalTuple", "sign digits exponent")`.
static DECIMAL_TUPLE: AtomicU64 = AtomicU64::new(0);

pub fn dec_of(v: &Value) -> Option<&Dec> {
    native::downcast::<DecObj>(v).map(|o| &o.d)
}

/// A new exact `Decimal` holding `d`.
pub fn wrap(d: Dec) -> Value {
    Value::alloc(DecObj { d })
}

// ---- conversions to Dec -----------------------------------------------------------

pub fn from_int(i: &IntRef) -> Dec {
    match i {
        IntRef::Small(v) => Dec::from_i64(*v),
        IntRef::Big(b) => {
            let (sign, mag) = (b.sign(), b.magnitude().clone());
            Dec::finite(sign == Sign::Minus, Coeff::from_big(mag), 0)
        }
    }
}

/// A float, exactly (`m * 2^e` is `m * 5^-e * 10^e`).
pub fn from_float(f: f64) -> Dec {
    if f.is_nan() {
        return Dec::nan();
    }
    let neg = f.is_sign_negative();
    if f.is_infinite() {
        return Dec::inf(neg);
    }
    let bits = f.to_bits();
    let eb = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut m, mut e) = if eb == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), eb - 1075)
    };
    if m == 0 {
        return Dec::small(neg, 0, 0);
    }
    let tz = m.trailing_zeros();
    m >>= tz;
    e += tz as i64;
    if e >= 0 {
        let c = BigUint::from(m) << (e as usize);
        Dec::finite(neg, Coeff::from_big(c), 0)
    } else {
        let k = (-e) as u32;
        let c = BigUint::from(m) * BigUint::from(5u32).pow(k);
        Dec::finite(neg, Coeff::from_big(c), -(k as i64))
    }
}

/// An operand of arithmetic (`convert_op`): Decimal or int, else None.
#[inline]
pub fn operand(v: &Value) -> Option<Dec> {
    if let Some(d) = dec_of(v) {
        return Some(d.clone());
    }
    as_int(v).map(|i| from_int(&i))
}

/// `convert_op(TYPE_ERR, ...)`: an operand that must convert.
pub fn operand_or_raise<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<std::borrow::Cow<'a, Dec>> {
    match operand_cow(v) {
        Some(d) => Ok(d),
        None => Err(vm.type_error(format!(
            "conversion from {} to Decimal is not supported",
            native::tp_name(v.type_data())
        ))),
    }
}

/// Exactness check of a conversion under the maximum context: a result outside its
/// exponent range is InvalidOperation (a NaN when not trapped).
fn exact(d: Dec, st: &mut u32) -> Dec {
    if d.is_nan() && d.coeff.digits() as i64 > MAX_CTX.prec {
        *st |= INVALID_OPERATION;
        return Dec::nan();
    }
    if d.is_finite() {
        let mut s2 = 0;
        let f = d.clone().fix(&MAX_CTX, &mut s2);
        if s2 & (INEXACT | ROUNDED | CLAMPED) != 0 {
            *st |= INVALID_OPERATION;
            return Dec::nan();
        }
        return f;
    }
    d
}

/// The string form of a DecimalTuple (`dectuple_as_str`), to be parsed.
fn tuple_as_str(vm: &mut Vm, v: &Value) -> PyResult<String> {
    let items: Vec<Value> = if let Some(t) = v.downcast::<TupleObj>() {
        t.items.to_vec()
    } else if let Some(l) = v.downcast::<ListObj>() {
        l.snapshot()
    } else {
        return Err(vm.type_error("argument must be a tuple or list"));
    };
    if items.len() != 3 {
        return Err(vm.value_error("argument must be a sequence of length 3"));
    }
    let sign = match as_int(&items[0]).and_then(|i| i.to_i64()) {
        Some(s @ (0 | 1)) if !items[0].is_float() => s,
        _ => {
            return Err(vm.value_error("sign must be an integer with the value 0 or 1"));
        }
    };
    let mut out = String::from(if sign == 1 { "-" } else { "+" });
    let mut special = false;
    let mut inf = false;
    let mut exp = 0i64;
    if let Some(s) = as_str(&items[2]) {
        special = true;
        match s {
            "F" => {
                out.push_str("Inf");
                inf = true;
            }
            "n" => out.push_str("NaN"),
            "N" => out.push_str("sNaN"),
            _ => {
                return Err(
                    vm.value_error("string argument in the third position must be 'F', 'n' or 'N'")
                );
            }
        }
    } else {
        match as_int(&items[2]) {
            Some(i) => match i.to_i64() {
                Some(e) => exp = e,
                None => {
                    return Err(vm.overflow_error("Python int too large to convert to C ssize_t"));
                }
            },
            None => return Err(vm.value_error("exponent must be an integer")),
        }
    }
    let digits: Vec<Value> = if let Some(t) = items[1].downcast::<TupleObj>() {
        t.items.to_vec()
    } else if let Some(l) = items[1].downcast::<ListObj>() {
        l.snapshot()
    } else {
        return Err(vm.value_error("coefficient must be a tuple of digits"));
    };
    if digits.is_empty() && !special {
        out.push('0');
    }
    for d in &digits {
        match as_int(d).and_then(|i| i.to_i64()) {
            Some(x @ 0..=9) => {
                if !inf {
                    out.push((b'0' + x as u8) as char);
                }
            }
            _ => return Err(vm.value_error("coefficient must be a tuple of digits")),
        }
    }
    if !special {
        out.push('E');
        out.push_str(&exp.to_string());
    }
    Ok(out)
}

/// `Decimal(value)` conversion (exact), adding conditions to `st`.
fn from_object_exact(vm: &mut Vm, v: Option<&Value>, st: &mut u32) -> PyResult<Dec> {
    let Some(v) = v else {
        return Ok(Dec::from_i64(0));
    };
    if let Some(d) = dec_of(v) {
        return Ok(d.clone());
    }
    if let Some(s) = as_str(v) {
        let s = s.to_string();
        let d = match text::ascii_form(&s, true, true).and_then(|a| text::parse(&a)) {
            Some(d) => exact(d, st),
            None => {
                *st |= CONVERSION_SYNTAX;
                Dec::nan()
            }
        };
        return Ok(d);
    }
    if let Some(i) = as_int(v) {
        return Ok(from_int(&i));
    }
    if v.downcast::<TupleObj>().is_some() || v.downcast::<ListObj>().is_some() {
        let s = tuple_as_str(vm, v)?;
        return Ok(match text::parse(&s) {
            Some(d) => exact(d, st),
            None => {
                *st |= CONVERSION_SYNTAX;
                Dec::nan()
            }
        });
    }
    if let Some(f) = v.as_float() {
        *st |= FLOAT_OPERATION;
        return Ok(from_float(f));
    }
    Err(vm.type_error(format!(
        "conversion from {} to Decimal is not supported",
        native::tp_name(v.type_data())
    )))
}

/// A parsed construction string as a context-fitted Decimal: a syntax error, or a NaN
/// whose payload is longer than the context allows, is `ConversionSyntax` (a NaN).
fn from_parsed(parsed: Option<Dec>, ctx: &Ctx, st: &mut u32) -> Dec {
    match parsed {
        Some(d) if d.is_nan() && d.coeff.digits() as i64 > ctx.prec - ctx.clamp as i64 => {
            *st |= CONVERSION_SYNTAX;
            Dec::nan()
        }
        Some(d) => d.fix(ctx, st),
        None => {
            *st |= CONVERSION_SYNTAX;
            Dec::nan()
        }
    }
}

/// `Context.create_decimal(value)`: converted, then rounded to the context.
pub fn from_object_ctx(vm: &mut Vm, v: Option<&Value>, c: &Value) -> PyResult<Value> {
    let s = context::state(c);
    let ctx = s.ctx;
    let mut st = 0;
    let d = match v {
        None => Dec::from_i64(0),
        Some(v) if dec_of(v).is_some() => {
            let d = dec_of(v).cloned().unwrap_or_else(Dec::nan);
            if d.is_nan() && d.coeff.digits() as i64 > ctx.prec - ctx.clamp as i64 {
                add_status(vm, c, CONVERSION_SYNTAX)?;
                return Ok(wrap(Dec::nan()));
            }
            d.fix(&ctx, &mut st)
        }
        Some(v) if as_str(v).is_some() => {
            let s = as_str(v).unwrap_or("").to_string();
            let parsed = text::ascii_form(&s, false, false).and_then(|a| text::parse(&a));
            from_parsed(parsed, &ctx, &mut st)
        }
        Some(v) if v.downcast::<TupleObj>().is_some() || v.downcast::<ListObj>().is_some() => {
            let s = tuple_as_str(vm, v)?;
            from_parsed(text::parse(&s), &ctx, &mut st)
        }
        Some(v) => {
            let d = from_object_exact(vm, Some(v), &mut st)?;
            add_status(vm, c, st)?;
            st = 0;
            d.fix(&ctx, &mut st)
        }
    };
    add_status(vm, c, st)?;
    Ok(wrap(d))
}

fn dec_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let b = native_args::bind(vm, "Decimal", a, &["value", "context"], 0, 2)?;
    let c = context_arg(vm, b[1])?;
    if let Some(v) = b[0]
        && cls.raw() == DecObj::class()
        && v.type_raw() == DecObj::class()
    {
        return Ok(v.clone());
    }
    let mut st = 0;
    let d = from_object_exact(vm, b[0], &mut st)?;
    add_status(
        vm,
        &c,
        st & (IEEE_INVALID | DIVISION_BY_ZERO | FLOAT_OPERATION),
    )?;
    Ok(native::alloc(cls, DecObj { d }))
}

// ---- method plumbing ----------------------------------------------------------------

/// The receiver of a Decimal method.
pub fn this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a Dec)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match dec_of(s) {
        Some(d) => Ok((s, d)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'decimal.Decimal' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

/// The arguments after the receiver.
pub fn rest<'a>(a: &Args<'a>) -> Args<'a> {
    Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    }
}

/// Run `f` on `x` and `y` in the current context and wrap its result (the arithmetic
/// operators, as special methods and through the binary slot).
fn arith(vm: &mut Vm, x: &Dec, y: &Dec, f: ArithFn) -> PyResult<Value> {
    let c = current(vm)?;
    let s = context::state(&c);
    let mut st = 0;
    let r = f(x, y, &s.ctx, &mut st);
    add_status(vm, &c, st)?;
    Ok(wrap(r))
}

type ArithFn = fn(&Dec, &Dec, &super::number::Ctx, &mut u32) -> Dec;

/// An arithmetic special method: NotImplemented when the other operand does not convert.
fn binop(vm: &mut Vm, a: &Args, name: &str, reflected: bool, f: ArithFn) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let (_, p) = native_args::this(vm, name, a, 1, 1)?;
    let Some(o) = operand(&p[0]) else {
        return Ok(Value::not_implemented());
    };
    if reflected {
        arith(vm, &o, d, f)
    } else {
        arith(vm, d, &o, f)
    }
}

/// An operand of arithmetic, borrowed when it is a Decimal.
pub fn operand_cow(v: &Value) -> Option<std::borrow::Cow<'_, Dec>> {
    match dec_of(v) {
        Some(d) => Some(std::borrow::Cow::Borrowed(d)),
        None => as_int(v).map(|i| std::borrow::Cow::Owned(from_int(&i))),
    }
}

/// The binary slot (`nb_add` ...): the operators of the special methods below without
/// their lookup and argument handling; None for operands that do not convert and the
/// operators with more to them (`**`, divmod).
fn dec_binary(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    use crate::instructions as opc;
    let f: ArithFn = match op {
        opc::NB_ADD => |x, y, c, st| x.add(y, false, c, st),
        opc::NB_SUBTRACT => |x, y, c, st| x.add(y, true, c, st),
        opc::NB_MULTIPLY => |x, y, c, st| x.mul(y, c, st),
        opc::NB_TRUE_DIVIDE => |x, y, c, st| x.div(y, c, st),
        opc::NB_FLOOR_DIVIDE => |x, y, c, st| x.floordiv(y, c, st),
        opc::NB_REMAINDER => |x, y, c, st| x.rem(y, c, st),
        _ => return Ok(None),
    };
    let (Some(x), Some(y)) = (operand_cow(a), operand_cow(b)) else {
        return Ok(None);
    };
    arith(vm, &x, &y, f).map(Some)
}

macro_rules! binops {
    ($($fwd:ident, $rev:ident, $py:literal, $rpy:literal, $f:expr;)*) => {
        $(
            fn $fwd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                binop(vm, a, $py, false, $f)
            }
            fn $rev(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                binop(vm, a, $rpy, true, $f)
            }
        )*
    };
}

binops! {
    dec_add, dec_radd, "__add__", "__radd__", |x, y, c, st| x.add(y, false, c, st);
    dec_sub, dec_rsub, "__sub__", "__rsub__", |x, y, c, st| x.add(y, true, c, st);
    dec_mul, dec_rmul, "__mul__", "__rmul__", |x, y, c, st| x.mul(y, c, st);
    dec_truediv, dec_rtruediv, "__truediv__", "__rtruediv__", |x, y, c, st| x.div(y, c, st);
    dec_floordiv, dec_rfloordiv, "__floordiv__", "__rfloordiv__", |x, y, c, st| x.floordiv(y, c, st);
    dec_mod, dec_rmod, "__mod__", "__rmod__", |x, y, c, st| x.rem(y, c, st);
}

fn divmod_impl(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let (_, p) = native_args::this(vm, name, a, 1, 1)?;
    let Some(o) = operand(&p[0]) else {
        return Ok(Value::not_implemented());
    };
    let c = current(vm)?;
    let s = context::state(&c);
    let mut st = 0;
    let (q, r) = if reflected {
        o.divmod(d, &s.ctx, &mut st)
    } else {
        d.divmod(&o, &s.ctx, &mut st)
    };
    add_status(vm, &c, st)?;
    Ok(TupleObj::from_items([wrap(q), wrap(r)]))
}

/// `self ** other` or `pow(self, other, modulo)` (`nm_power`): NotImplemented when an
/// operand does not convert.
fn pow_impl(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let (_, p) = native_args::this(vm, name, a, 1, 2)?;
    let Some(o) = operand(&p[0]) else {
        return Ok(Value::not_implemented());
    };
    let m = match p.get(1) {
        Some(m) if !m.is_none() => match operand(m) {
            Some(m) => Some(m),
            None => return Ok(Value::not_implemented()),
        },
        _ => None,
    };
    let (x, y) = if reflected { (&o, d) } else { (d, &o) };
    let c = current(vm)?;
    let s = context::state(&c);
    let mut st = 0;
    let r = match &m {
        Some(m) => x.power_mod(y, m, &s.ctx, &mut st),
        None => x.power(y, &s.ctx, &mut st),
    };
    add_status(vm, &c, st)?;
    Ok(wrap(r))
}

fn dec_pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pow_impl(vm, a, "__pow__", false)
}

fn dec_rpow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pow_impl(vm, a, "__rpow__", true)
}

fn dec_divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    divmod_impl(vm, a, "__divmod__", false)
}

fn dec_rdivmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    divmod_impl(vm, a, "__rdivmod__", true)
}

fn unop(
    vm: &mut Vm,
    a: &Args,
    name: &str,
    f: fn(&Dec, &super::number::Ctx, &mut u32) -> Dec,
) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    native_args::this(vm, name, a, 0, 0)?;
    let c = current(vm)?;
    let s = context::state(&c);
    let mut st = 0;
    let r = f(d, &s.ctx, &mut st);
    add_status(vm, &c, st)?;
    Ok(wrap(r))
}

fn dec_neg(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unop(vm, a, "__neg__", |d, c, st| d.minus(c, st))
}

fn dec_pos(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unop(vm, a, "__pos__", |d, c, st| d.plus(c, st))
}

fn dec_abs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    unop(vm, a, "__abs__", |d, c, st| d.abs(c, st))
}

fn dec_bool(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__bool__", a)?;
    native_args::this(vm, "__bool__", a, 0, 0)?;
    Ok(Value::bool(d.is_nonzero()))
}

// ---- comparisons ----------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// `convert_op_cmp`: the operands to compare, or None for NotImplemented.
fn cmp_operands(
    vm: &mut Vm,
    c: &Value,
    v: &Dec,
    w: &Value,
    op: CmpOp,
) -> PyResult<Option<(Dec, Dec)>> {
    let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
    if let Some(o) = operand(w) {
        return Ok(Some((v.clone(), o)));
    }
    if let Some(f) = w.as_float() {
        if equality {
            if let Some(o) = context::ctx_obj(c) {
                o.st.with(|s| s.flags |= FLOAT_OPERATION);
            }
        } else {
            add_status(vm, c, FLOAT_OPERATION)?;
        }
        return Ok(Some((v.clone(), from_float(f))));
    }
    if let Some(z) = w.downcast::<crate::types::complex::ComplexObj>() {
        if equality && z.im == 0.0 {
            if let Some(o) = context::ctx_obj(c) {
                o.st.with(|s| s.flags |= FLOAT_OPERATION);
            }
            return Ok(Some((v.clone(), from_float(z.re))));
        }
        return Ok(None);
    }
    let rational = rational_type(vm)?;
    let isinstance = vm.builtins_dict().get_str("isinstance");
    let is_rational = match isinstance {
        Some(f) => vm.call(&f, &[w.clone(), rational])?,
        None => Value::bool(false),
    };
    if ops::truthy(vm, &is_rational)? {
        let num = ops::getattr_str(vm, w, "numerator")?;
        let num = operand_or_raise(vm, &num)?;
        if v.is_special() {
            return Ok(Some((v.clone(), num.into_owned())));
        }
        let den = ops::getattr_str(vm, w, "denominator")?;
        let den = operand_or_raise(vm, &den)?;
        // v * denominator, exactly (exponent kept aside so nothing can overflow).
        let vv = Dec::finite(v.neg, v.coeff.mul(&den.coeff), v.exp);
        let vv = if den.neg { vv.negated() } else { vv };
        return Ok(Some((vv, num.into_owned())));
    }
    Ok(None)
}

fn rational_type(vm: &mut Vm) -> PyResult<Value> {
    // Looked up each time (rare: comparisons with non-Decimal numbers), never cached:
    // a class kept in a static would keep `numbers`' classes alive past teardown.
    let numbers = crate::import::import_module(vm, "numbers")?;
    ops::getattr_str(vm, &numbers, "Rational")
}

fn richcompare(vm: &mut Vm, a: &Args, name: &str, op: CmpOp) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let (_, p) = native_args::this(vm, name, a, 1, 1)?;
    let c = current(vm)?;
    let Some((x, y)) = cmp_operands(vm, &c, d, &p[0], op)? else {
        return Ok(Value::not_implemented());
    };
    if x.is_nan() || y.is_nan() {
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            if x.is_snan() || y.is_snan() {
                add_status(vm, &c, INVALID_OPERATION)?;
            }
            return Ok(Value::bool(op == CmpOp::Ne));
        }
        add_status(vm, &c, INVALID_OPERATION)?;
        return Ok(Value::bool(false));
    }
    let o = x.cmp_num(&y);
    Ok(Value::bool(match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }))
}

fn dec_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    richcompare(vm, a, "__eq__", CmpOp::Eq)
}
fn dec_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    richcompare(vm, a, "__ne__", CmpOp::Ne)
}
fn dec_lt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    richcompare(vm, a, "__lt__", CmpOp::Lt)
}
fn dec_le(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    richcompare(vm, a, "__le__", CmpOp::Le)
}
fn dec_gt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    richcompare(vm, a, "__gt__", CmpOp::Gt)
}
fn dec_ge(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    richcompare(vm, a, "__ge__", CmpOp::Ge)
}

// ---- hashing ------------------------------------------------------------------------

const HASH_MODULUS: u64 = (1 << 61) - 1;
const HASH_INF: i64 = 314159;

fn mulmod(a: u64, b: u64) -> u64 {
    ((a as u128 * b as u128) % HASH_MODULUS as u128) as u64
}

fn powmod(mut b: u64, mut e: u64) -> u64 {
    let mut r = 1u64;
    b %= HASH_MODULUS;
    while e > 0 {
        if e & 1 == 1 {
            r = mulmod(r, b);
        }
        b = mulmod(b, b);
        e >>= 1;
    }
    r
}

/// The hash of a number equal to `d` of any numeric type (`sys.hash_info` rules).
pub fn hash_of(vm: &mut Vm, v: &Value, d: &Dec) -> PyResult<i64> {
    match d.kind {
        Kind::SNaN => return Err(vm.type_error("Cannot hash a signaling NaN value")),
        Kind::NaN => {
            // Identity hash, as `object.__hash__(self)`.
            let object = Value::from_borrowed(crate::world::types().object);
            let h = ops::getattr_str(vm, &object, "__hash__")?;
            let r = vm.call(&h, std::slice::from_ref(v))?;
            return Ok(r.as_small_int().unwrap_or(0));
        }
        Kind::Inf => return Ok(if d.neg { -HASH_INF } else { HASH_INF }),
        Kind::Finite => {}
    }
    let exp_hash = if d.exp >= 0 {
        powmod(10, d.exp as u64)
    } else {
        // 10^-1 mod P is 10^(P-2).
        let inv10 = powmod(10, HASH_MODULUS - 2);
        powmod(inv10, d.exp.unsigned_abs())
    };
    let cm = match &d.coeff {
        Coeff::Small(c) => c % HASH_MODULUS,
        Coeff::Big(b) => {
            let r = b % BigUint::from(HASH_MODULUS);
            u64::try_from(&r).unwrap_or(0)
        }
    };
    let h = mulmod(cm, exp_hash) as i64;
    let h = if d.neg { -h } else { h };
    Ok(if h == -1 { -2 } else { h })
}

fn dec_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d) = this(vm, "__hash__", a)?;
    Ok(Value::int(hash_of(vm, s, d)?))
}

// ---- conversions from Decimal -------------------------------------------------------

fn capitals(vm: &mut Vm) -> PyResult<bool> {
    let c = current(vm)?;
    Ok(context::state(&c).capitals)
}

fn dec_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__str__", a)?;
    // The context is read only for a string with an exponent (its only capital).
    let mut s = text::to_string(d, false, true);
    if s.contains('E') && !capitals(vm)? {
        s = s.replace('E', "e");
    }
    Ok(new_string(s))
}

fn dec_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__repr__", a)?;
    let caps = capitals(vm)?;
    Ok(new_string(format!(
        "Decimal('{}')",
        text::to_string(d, false, caps)
    )))
}

/// The integer part of `d` rounded with `round` (`dec_as_long`).
pub fn to_int(vm: &mut Vm, d: &Dec, round: Round) -> PyResult<Value> {
    match d.kind {
        Kind::NaN | Kind::SNaN => return Err(vm.value_error("cannot convert NaN to integer")),
        Kind::Inf => return Err(vm.overflow_error("cannot convert Infinity to integer")),
        Kind::Finite => {}
    }
    let r = d.rescale(0, round);
    let mag = match &r.coeff {
        Coeff::Small(v) => BigInt::from(*v),
        Coeff::Big(b) => BigInt::from(b.clone()),
    };
    let i = if r.neg { -mag } else { mag };
    Ok(Value::bigint(i))
}

fn dec_int(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__int__", a)?;
    native_args::this(vm, "__int__", a, 0, 0)?;
    to_int(vm, d, Round::Down)
}

fn dec_floor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__floor__", a)?;
    native_args::this(vm, "__floor__", a, 0, 0)?;
    to_int(vm, d, Round::Floor)
}

fn dec_ceil(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__ceil__", a)?;
    native_args::this(vm, "__ceil__", a, 0, 0)?;
    to_int(vm, d, Round::Ceiling)
}

fn dec_round(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__round__", a)?;
    let p = native_args::unpack(vm, "__round__", &rest(a), 0, 1)?;
    match p.first() {
        Some(n) if !n.is_none() => {
            let Some(i) = as_int(n) else {
                return Err(vm.type_error("optional arg must be an integer"));
            };
            let Some(n) = i.to_i64() else {
                return Err(vm.overflow_error("Python int too large to convert to C ssize_t"));
            };
            let c = current(vm)?;
            let s = context::state(&c);
            let mut st = 0;
            let q = Dec::small(false, 1, n.saturating_neg());
            let r = d.quantize(&q, s.ctx.round, &s.ctx, &mut st);
            add_status(vm, &c, st)?;
            Ok(wrap(r))
        }
        _ => to_int(vm, d, Round::HalfEven),
    }
}

pub fn to_f64(vm: &mut Vm, d: &Dec) -> PyResult<f64> {
    if d.is_nan() {
        if d.is_snan() {
            return Err(vm.value_error("cannot convert signaling NaN to float"));
        }
        return Ok(if d.neg { -f64::NAN } else { f64::NAN });
    }
    let s = text::to_string(d, false, false);
    Ok(s.parse::<f64>().unwrap_or(f64::NAN))
}

fn dec_float(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__float__", a)?;
    native_args::this(vm, "__float__", a, 0, 0)?;
    Ok(Value::float(to_f64(vm, d)?))
}

fn dec_complex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__complex__", a)?;
    native_args::this(vm, "__complex__", a, 0, 0)?;
    let f = to_f64(vm, d)?;
    Ok(Value::alloc(crate::types::complex::ComplexObj {
        re: f,
        im: 0.0,
    }))
}

fn dec_real(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "real", a)?;
    Ok(s.clone())
}

fn dec_imag(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    this(vm, "imag", a)?;
    Ok(wrap(Dec::from_i64(0)))
}

fn dec_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__copy__", a)?;
    native_args::this(vm, "__copy__", a, 0, 0)?;
    Ok(s.clone())
}

fn dec_conjugate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "conjugate", a)?;
    native_args::this(vm, "conjugate", a, 0, 0)?;
    Ok(s.clone())
}

/// `__sizeof__`: the object and, past libmpdec's four inline words, one 64-bit word
/// per 19 digits of coefficient, as CPython's C decimal reports.
fn dec_sizeof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "__sizeof__", a)?;
    native_args::this(vm, "__sizeof__", a, 0, 0)?;
    let words = d.coeff.digits().div_ceil(19) as i64;
    Ok(Value::int(104 + if words > 4 { 8 * words } else { 0 }))
}

fn dec_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d) = this(vm, "__reduce__", a)?;
    native_args::this(vm, "__reduce__", a, 0, 0)?;
    let st = new_string(text::to_string(d, false, true));
    Ok(TupleObj::from_items([
        s.type_of(),
        TupleObj::from_items([st]),
    ]))
}

fn dec_as_tuple(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "as_tuple", a)?;
    native_args::this(vm, "as_tuple", a, 0, 0)?;
    let digits: Vec<Value> = match d.kind {
        Kind::Inf => vec![Value::int(0)],
        Kind::NaN | Kind::SNaN if d.coeff.is_zero() => vec![],
        _ => d
            .coeff
            .to_decimal_string()
            .bytes()
            .map(|b| Value::int((b - b'0') as i64))
            .collect(),
    };
    let exp = match d.kind {
        Kind::Inf => new_string("F".into()),
        Kind::NaN => new_string("n".into()),
        Kind::SNaN => new_string("N".into()),
        Kind::Finite => Value::int(d.exp),
    };
    let dt = Value::from_borrowed(RawValue(DECIMAL_TUPLE.load(AtOrd::Acquire)));
    vm.call(
        &dt,
        &[Value::int(d.neg as i64), TupleObj::new_value(digits), exp],
    )
}

fn dec_as_integer_ratio(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "as_integer_ratio", a)?;
    native_args::this(vm, "as_integer_ratio", a, 0, 0)?;
    match d.kind {
        Kind::NaN | Kind::SNaN => {
            return Err(vm.value_error("cannot convert NaN to integer ratio"));
        }
        Kind::Inf => return Err(vm.overflow_error("cannot convert Infinity to integer ratio")),
        Kind::Finite => {}
    }
    let c = BigInt::from(d.coeff.to_big());
    let (mut n, mut den) = if d.exp >= 0 {
        (c * BigInt::from(10u32).pow(d.exp as u32), BigInt::one())
    } else {
        (c, BigInt::from(10u32).pow((-d.exp) as u32))
    };
    let g = n.gcd(&den);
    if !g.is_zero() {
        n /= &g;
        den /= &g;
    }
    if d.neg {
        n = -n;
    }
    Ok(TupleObj::from_items([Value::bigint(n), Value::bigint(den)]))
}

fn dec_from_float(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "from_float", a, 2, 2)?;
    let (cls, v) = (&p[0], &p[1]);
    let d = if let Some(i) = as_int(v) {
        from_int(&i)
    } else if let Some(f) = v.as_float() {
        from_float(f)
    } else {
        return Err(vm.type_error("argument must be int or float"));
    };
    let r = wrap(d);
    if cls.raw() == DecObj::class() {
        return Ok(r);
    }
    vm.call(cls, &[r])
}

// ---- module setup --------------------------------------------------------------------

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let t = new_type::<DecObj>(
        "Decimal",
        "decimal",
        native_args::object_type(),
        TypeKind::Native,
        &DECIMAL_T,
        &DECIMAL,
    );
    native_args::methods(
        &t,
        &[
            ("__add__", dec_add),
            ("__radd__", dec_radd),
            ("__sub__", dec_sub),
            ("__rsub__", dec_rsub),
            ("__mul__", dec_mul),
            ("__rmul__", dec_rmul),
            ("__truediv__", dec_truediv),
            ("__rtruediv__", dec_rtruediv),
            ("__floordiv__", dec_floordiv),
            ("__rfloordiv__", dec_rfloordiv),
            ("__mod__", dec_mod),
            ("__rmod__", dec_rmod),
            ("__divmod__", dec_divmod),
            ("__rdivmod__", dec_rdivmod),
            ("__pow__", dec_pow),
            ("__format__", super::format::dec_format),
            ("__rpow__", dec_rpow),
            ("__neg__", dec_neg),
            ("__pos__", dec_pos),
            ("__abs__", dec_abs),
            ("__bool__", dec_bool),
            ("__eq__", dec_eq),
            ("__ne__", dec_ne),
            ("__lt__", dec_lt),
            ("__le__", dec_le),
            ("__gt__", dec_gt),
            ("__ge__", dec_ge),
            ("__hash__", dec_hash),
            ("__str__", dec_str),
            ("__repr__", dec_repr),
            ("__int__", dec_int),
            ("__trunc__", dec_int),
            ("__floor__", dec_floor),
            ("__ceil__", dec_ceil),
            ("__round__", dec_round),
            ("__float__", dec_float),
            ("__complex__", dec_complex),
            ("__copy__", dec_copy),
            ("__sizeof__", dec_sizeof),
            ("__deepcopy__", dec_deepcopy),
            ("__reduce__", dec_reduce),
            ("as_tuple", dec_as_tuple),
            ("as_integer_ratio", dec_as_integer_ratio),
            ("conjugate", dec_conjugate),
        ],
    );
    crate::builtins::add_classmethod(t.raw(), "from_float", dec_from_float);
    native_args::getset(&t, "real", dec_real, None);
    native_args::getset(&t, "imag", dec_imag, None);
    super::ops_table::install_decimal_methods(&t);
    if DECIMAL_TUPLE.load(AtOrd::Acquire) == 0 {
        let coll = crate::import::import_module(vm, "collections")?;
        let nt = ops::getattr_str(vm, &coll, "namedtuple")?;
        let kw = [crate::world::intern("module")];
        let dt = vm.call_kw(
            &nt,
            &[
                new_string("DecimalTuple".into()),
                new_string("sign digits exponent".into()),
                new_string("decimal".into()),
            ],
            &kw,
        )?;
        crate::shared_immortal::module_class(&dt);
        DECIMAL_TUPLE.store(dt.bits(), AtOrd::Release);
        // `numbers.Number.register(Decimal)`, as CPython's module init does.
        let numbers = crate::import::import_module(vm, "numbers")?;
        let number = ops::getattr_str(vm, &numbers, "Number")?;
        let register = ops::getattr_str(vm, &number, "register")?;
        vm.call(&register, std::slice::from_ref(&t))?;
        // Registering filled the negative caches of Number's subclasses with weak
        // references to Decimal, which lives as long as the process: empty them (a
        // cache only) so `numbers`' classes are freed at exit.
        for name in ["Number", "Complex", "Real", "Rational", "Integral"] {
            let abc = ops::getattr_str(vm, &numbers, name)?;
            let clear = ops::getattr_str(vm, &abc, "_abc_caches_clear")?;
            vm.call(&clear, &[])?;
        }
    }
    Ok(t)
}

fn dec_deepcopy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__deepcopy__", a)?;
    native_args::unpack(vm, "__deepcopy__", &rest(a), 1, 1)?;
    Ok(s.clone())
}

/// `DecimalTuple`, once the type exists.
pub fn decimal_tuple() -> Value {
    Value::from_borrowed(RawValue(DECIMAL_TUPLE.load(AtOrd::Acquire)))
}
