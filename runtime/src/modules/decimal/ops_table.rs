//! The named operations, declared once each, and the Decimal and Context methods made
//! from them: `d.exp(context=None)` and `ctx.exp(d)` run the same function, differing
//! only in where the context comes from and how operands are converted (a Context
//! method converts every operand, raising TypeError for unsupported types).
use std::borrow::Cow;

use smallvec::SmallVec;

use super::context::{self, State, add_status, context_arg};
use super::decimal_type::{self, operand_or_raise, rest, this, wrap};
use super::number::{Dec, Round};
use super::text;
use crate::builtins::add_method;
use crate::modules::native_args;
use crate::types::str::{as_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// What an operation answers.
pub enum Out {
    D(Dec),
    Pair(Dec, Dec),
    B(bool),
    S(String),
}

impl Out {
    fn value(self) -> Value {
        match self {
            Out::D(d) => wrap(d),
            Out::Pair(a, b) => TupleObj::from_items([wrap(a), wrap(b)]),
            Out::B(b) => Value::bool(b),
            Out::S(s) => new_string(s),
        }
    }
}

type Unary = fn(&Dec, &State, &mut u32) -> Out;
type Binary = fn(&Dec, &Dec, &State, &mut u32) -> Out;

/// `d.name(context=None)`.
fn dec_unary(vm: &mut Vm, a: &Args, name: &str, f: Unary) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let b = native_args::bind(vm, name, &rest(a), &["context"], 0, 1)?;
    let c = context_arg(vm, b[0])?;
    let s = context::state(&c);
    let mut st = 0;
    let r = f(d, &s, &mut st);
    add_status(vm, &c, st)?;
    Ok(r.value())
}

/// `d.name()`: no context involved.
fn dec_plain(vm: &mut Vm, a: &Args, name: &str, f: Unary) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    native_args::this(vm, name, a, 0, 0)?;
    let mut st = 0;
    Ok(f(d, &context::DEFAULT, &mut st).value())
}

/// `d.name(other, context=None)`.
fn dec_binary(vm: &mut Vm, a: &Args, name: &str, f: Binary) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let b = native_args::bind(vm, name, &rest(a), &["other", "context"], 1, 2)?;
    let c = context_arg(vm, b[1])?;
    let none = Value::none();
    let o = operand_or_raise(vm, b[0].unwrap_or(&none))?;
    let s = context::state(&c);
    let mut st = 0;
    let r = f(d, &o, &s, &mut st);
    add_status(vm, &c, st)?;
    Ok(r.value())
}

/// The context receiver of a Context method and its operands, converted (borrowed
/// when they are Decimals).
fn ctx_operands<'a>(
    vm: &mut Vm,
    a: &Args<'a>,
    name: &str,
    n: usize,
) -> PyResult<(&'a Value, SmallVec<[Cow<'a, Dec>; 3]>)> {
    let Some(c) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    if context::ctx_obj(c).is_none() {
        return Err(vm.type_error(format!(
            "descriptor '{name}' for 'decimal.Context' objects doesn't apply to a '{}' object",
            c.type_data().name
        )));
    }
    let p = native_args::unpack(vm, name, &rest(a), n, n)?;
    let mut ds = SmallVec::new();
    for v in p {
        ds.push(operand_or_raise(vm, v)?);
    }
    Ok((c, ds))
}

fn ctx_unary(vm: &mut Vm, a: &Args, name: &str, f: Unary) -> PyResult<Value> {
    let (c, ds) = ctx_operands(vm, a, name, 1)?;
    let s = context::state(c);
    let mut st = 0;
    let r = f(&ds[0], &s, &mut st);
    add_status(vm, c, st)?;
    Ok(r.value())
}

fn ctx_binary(vm: &mut Vm, a: &Args, name: &str, f: Binary) -> PyResult<Value> {
    let (c, ds) = ctx_operands(vm, a, name, 2)?;
    let s = context::state(c);
    let mut st = 0;
    let r = f(&ds[0], &ds[1], &s, &mut st);
    add_status(vm, c, st)?;
    Ok(r.value())
}

/// Declares operations and installs them: `unary`/`binary` ones become both a Decimal
/// method and a Context method; `dec_plain` ones only a Decimal method without
/// arguments; `ctx_unary`/`ctx_binary` ones only a Context method.
macro_rules! table {
    ($( $kind:ident $name:literal => $f:expr; )*) => {
        pub fn install_decimal_methods(t: &Value) {
            $( table!(@dec t, $kind, $name, $f); )*
        }
        pub fn install_context_methods(t: &Value) {
            $( table!(@ctx t, $kind, $name, $f); )*
        }
    };
    (@dec $t:ident, unary, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { dec_unary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@dec $t:ident, binary, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { dec_binary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@dec $t:ident, plain, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { dec_plain(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@dec $t:ident, ctx_unary, $name:literal, $f:expr) => {};
    (@dec $t:ident, ctx_binary, $name:literal, $f:expr) => {};
    (@ctx $t:ident, unary, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { ctx_unary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@ctx $t:ident, plain, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { ctx_unary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@ctx $t:ident, ctx_unary, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { ctx_unary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@ctx $t:ident, binary, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { ctx_binary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
    (@ctx $t:ident, ctx_binary, $name:literal, $f:expr) => {{
        fn w(vm: &mut Vm, a: &Args) -> PyResult<Value> { ctx_binary(vm, a, $name, $f) }
        add_method($t.raw(), $name, w);
    }};
}

use Out::*;

table! {
    // Both Decimal and Context.
    unary "exp" => |d, s, st| D(d.exp_(&s.ctx, st));
    unary "ln" => |d, s, st| D(d.ln(&s.ctx, st));
    unary "log10" => |d, s, st| D(d.log10(&s.ctx, st));
    unary "logb" => |d, s, st| D(d.logb(&s.ctx, st));
    unary "logical_invert" => |d, s, st| D(d.logical_invert(&s.ctx, st));
    unary "next_minus" => |d, s, st| D(d.next_minus(&s.ctx, st));
    unary "next_plus" => |d, s, st| D(d.next_plus(&s.ctx, st));
    unary "normalize" => |d, s, st| D(d.normalize(&s.ctx, st));
    unary "sqrt" => |d, s, st| D(d.sqrt(&s.ctx, st));
    unary "is_normal" => |d, s, _| B(d.is_normal(&s.ctx));
    unary "is_subnormal" => |d, s, _| B(d.is_subnormal(&s.ctx));
    unary "number_class" => |d, s, _| S(d.number_class(&s.ctx).to_string());
    unary "to_eng_string" => |d, s, _| S(text::to_string(d, true, s.capitals));
    binary "compare" => |x, y, s, st| D(x.compare(y, false, &s.ctx, st));
    binary "compare_signal" => |x, y, s, st| D(x.compare(y, true, &s.ctx, st));
    binary "max" => |x, y, s, st| D(x.max_min(y, true, false, &s.ctx, st));
    binary "max_mag" => |x, y, s, st| D(x.max_min(y, true, true, &s.ctx, st));
    binary "min" => |x, y, s, st| D(x.max_min(y, false, false, &s.ctx, st));
    binary "min_mag" => |x, y, s, st| D(x.max_min(y, false, true, &s.ctx, st));
    binary "next_toward" => |x, y, s, st| D(x.next_toward(y, &s.ctx, st));
    binary "remainder_near" => |x, y, s, st| D(x.remainder_near(y, &s.ctx, st));
    binary "logical_and" => |x, y, s, st| D(x.logical(y, |a, b| a & b, &s.ctx, st));
    binary "logical_or" => |x, y, s, st| D(x.logical(y, |a, b| a | b, &s.ctx, st));
    binary "logical_xor" => |x, y, s, st| D(x.logical(y, |a, b| a ^ b, &s.ctx, st));
    binary "rotate" => |x, y, s, st| D(x.rotate(y, &s.ctx, st));
    binary "scaleb" => |x, y, s, st| D(x.scaleb(y, &s.ctx, st));
    binary "shift" => |x, y, s, st| D(x.shift(y, &s.ctx, st));
    binary "compare_total" => |x, y, _, _| D(Dec::from_i64(x.cmp_total(y) as i64));
    binary "compare_total_mag" => |x, y, _, _| {
        D(Dec::from_i64(x.with_sign(false).cmp_total(&y.with_sign(false)) as i64))
    };
    binary "copy_sign" => |x, y, _, _| D(x.with_sign(y.neg));
    binary "same_quantum" => |x, y, _, _| B(same_quantum(x, y));
    // Decimal methods without arguments; Context methods of one operand.
    plain "is_canonical" => |_, _, _| B(true);
    plain "is_finite" => |d, _, _| B(d.is_finite());
    plain "is_infinite" => |d, _, _| B(d.is_inf());
    plain "is_nan" => |d, _, _| B(d.is_nan());
    plain "is_qnan" => |d, _, _| B(d.is_qnan());
    plain "is_snan" => |d, _, _| B(d.is_snan());
    plain "is_signed" => |d, _, _| B(d.neg);
    plain "is_zero" => |d, _, _| B(d.is_zero());
    plain "copy_abs" => |d, _, _| D(d.with_sign(false));
    plain "copy_negate" => |d, _, _| D(d.negated());
    plain "canonical" => |d, _, _| D(d.clone());
    // Context only.
    ctx_unary "abs" => |d, s, st| D(d.abs(&s.ctx, st));
    ctx_unary "minus" => |d, s, st| D(d.minus(&s.ctx, st));
    ctx_unary "plus" => |d, s, st| D(d.plus(&s.ctx, st));
    ctx_unary "copy_decimal" => |d, _, _| D(d.clone());
    ctx_unary "to_sci_string" => |d, s, _| S(text::to_string(d, false, s.capitals));
    ctx_unary "to_integral" => |d, s, st| D(d.to_integral(s.ctx.round, false, &s.ctx, st));
    ctx_unary "to_integral_value" => |d, s, st| D(d.to_integral(s.ctx.round, false, &s.ctx, st));
    ctx_unary "to_integral_exact" => |d, s, st| D(d.to_integral(s.ctx.round, true, &s.ctx, st));
    ctx_binary "add" => |x, y, s, st| D(x.add(y, false, &s.ctx, st));
    ctx_binary "subtract" => |x, y, s, st| D(x.add(y, true, &s.ctx, st));
    ctx_binary "multiply" => |x, y, s, st| D(x.mul(y, &s.ctx, st));
    ctx_binary "divide" => |x, y, s, st| D(x.div(y, &s.ctx, st));
    ctx_binary "divide_int" => |x, y, s, st| D(x.floordiv(y, &s.ctx, st));
    ctx_binary "remainder" => |x, y, s, st| D(x.rem(y, &s.ctx, st));
    ctx_binary "divmod" => |x, y, s, st| {
        let (q, r) = x.divmod(y, &s.ctx, st);
        Pair(q, r)
    };
    ctx_binary "quantize" => |x, y, s, st| D(x.quantize(y, s.ctx.round, &s.ctx, st));
}

fn same_quantum(x: &Dec, y: &Dec) -> bool {
    if x.is_special() || y.is_special() {
        return (x.is_nan() && y.is_nan()) || (x.is_inf() && y.is_inf());
    }
    x.exp == y.exp
}

/// A `rounding` argument: None for the context's, else one of the ROUND_* strings.
fn rounding_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<Option<Round>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match as_str(v).and_then(Round::from_name) {
            Some(r) => Ok(Some(r)),
            None => Err(vm.type_error(
                "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
            )),
        },
    }
}

/// `d.quantize(exp, rounding=None, context=None)`.
fn dec_quantize(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "quantize", a)?;
    let b = native_args::bind(
        vm,
        "quantize",
        &rest(a),
        &["exp", "rounding", "context"],
        1,
        3,
    )?;
    let c = context_arg(vm, b[2])?;
    let r = rounding_arg(vm, b[1])?;
    let none = Value::none();
    let e = operand_or_raise(vm, b[0].unwrap_or(&none))?;
    let s = context::state(&c);
    let mut st = 0;
    let out = d.quantize(&e, r.unwrap_or(s.ctx.round), &s.ctx, &mut st);
    add_status(vm, &c, st)?;
    Ok(wrap(out))
}

fn to_integral_impl(vm: &mut Vm, a: &Args, name: &str, exact: bool) -> PyResult<Value> {
    let (_, d) = this(vm, name, a)?;
    let b = native_args::bind(vm, name, &rest(a), &["rounding", "context"], 0, 2)?;
    let c = context_arg(vm, b[1])?;
    let r = rounding_arg(vm, b[0])?;
    let s = context::state(&c);
    let mut st = 0;
    let out = d.to_integral(r.unwrap_or(s.ctx.round), exact, &s.ctx, &mut st);
    add_status(vm, &c, st)?;
    Ok(wrap(out))
}

fn dec_to_integral(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    to_integral_impl(vm, a, "to_integral", false)
}

fn dec_to_integral_value(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    to_integral_impl(vm, a, "to_integral_value", false)
}

fn dec_to_integral_exact(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    to_integral_impl(vm, a, "to_integral_exact", true)
}

fn dec_fma(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "fma", a)?;
    let b = native_args::bind(vm, "fma", &rest(a), &["other", "third", "context"], 2, 3)?;
    let c = context_arg(vm, b[2])?;
    let none = Value::none();
    let y = operand_or_raise(vm, b[0].unwrap_or(&none))?;
    let z = operand_or_raise(vm, b[1].unwrap_or(&none))?;
    let s = context::state(&c);
    let mut st = 0;
    let out = d.fma(&y, &z, &s.ctx, &mut st);
    add_status(vm, &c, st)?;
    Ok(wrap(out))
}

fn dec_adjusted(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, d) = this(vm, "adjusted", a)?;
    native_args::this(vm, "adjusted", a, 0, 0)?;
    Ok(Value::int(d.adjusted()))
}

fn dec_radix(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    this(vm, "radix", a)?;
    native_args::this(vm, "radix", a, 0, 0)?;
    Ok(wrap(Dec::from_i64(10)))
}

fn ctx_fma(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, ds) = ctx_operands(vm, a, "fma", 3)?;
    let s = context::state(c);
    let mut st = 0;
    let out = ds[0].fma(&ds[1], &ds[2], &s.ctx, &mut st);
    add_status(vm, c, st)?;
    Ok(wrap(out))
}

fn ctx_create_decimal(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(c) = a.pos().first().filter(|c| context::ctx_obj(c).is_some()) else {
        return Err(vm.type_error("descriptor 'create_decimal' requires a 'decimal.Context'"));
    };
    let p = native_args::unpack(vm, "create_decimal", &rest(a), 0, 1)?;
    decimal_type::from_object_ctx(vm, p.first(), c)
}

fn ctx_create_decimal_from_float(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(c) = a.pos().first().filter(|c| context::ctx_obj(c).is_some()) else {
        return Err(
            vm.type_error("descriptor 'create_decimal_from_float' requires a 'decimal.Context'")
        );
    };
    let p = native_args::unpack(vm, "create_decimal_from_float", &rest(a), 1, 1)?;
    let d = if let Some(i) = crate::types::int::as_int(&p[0]) {
        decimal_type::from_int(&i)
    } else if let Some(f) = p[0].as_float() {
        decimal_type::from_float(f)
    } else {
        return Err(vm.type_error("argument must be int or float"));
    };
    let s = context::state(c);
    let mut st = 0;
    let out = d.fix(&s.ctx, &mut st);
    add_status(vm, c, st)?;
    Ok(wrap(out))
}

/// `Context._apply(a)` / `apply(a)`: `a` rounded to the context.
fn ctx_apply(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (c, ds) = ctx_operands(vm, a, "_apply", 1)?;
    let s = context::state(c);
    let mut st = 0;
    let out = ds[0].clone().into_owned().fix(&s.ctx, &mut st);
    add_status(vm, c, st)?;
    Ok(wrap(out))
}

/// `Context.power(a, b, modulo=None)`.
fn ctx_power(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(c) = a.pos().first().filter(|c| context::ctx_obj(c).is_some()) else {
        return Err(vm.type_error("descriptor 'power' requires a 'decimal.Context'"));
    };
    let b = native_args::bind(vm, "power", &rest(a), &["a", "b", "modulo"], 2, 3)?;
    let none = Value::none();
    let x = operand_or_raise(vm, b[0].unwrap_or(&none))?;
    let y = operand_or_raise(vm, b[1].unwrap_or(&none))?;
    let m = match b[2] {
        Some(m) if !m.is_none() => Some(operand_or_raise(vm, m)?),
        _ => None,
    };
    let s = context::state(c);
    let mut st = 0;
    let out = match &m {
        Some(m) => x.power_mod(&y, m, &s.ctx, &mut st),
        None => x.power(&y, &s.ctx, &mut st),
    };
    add_status(vm, c, st)?;
    Ok(wrap(out))
}

/// `Context.canonical(d)`: only a Decimal (no conversion, as in CPython).
fn ctx_canonical(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(_) = a.pos().first().filter(|c| context::ctx_obj(c).is_some()) else {
        return Err(vm.type_error("descriptor 'canonical' requires a 'decimal.Context'"));
    };
    let p = native_args::unpack(vm, "canonical", &rest(a), 1, 1)?;
    if decimal_type::dec_of(&p[0]).is_none() {
        return Err(vm.type_error("argument must be a Decimal"));
    }
    Ok(p[0].clone())
}

/// `Context.is_canonical(d)`: only a Decimal, as `canonical`.
fn ctx_is_canonical(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(_) = a.pos().first().filter(|c| context::ctx_obj(c).is_some()) else {
        return Err(vm.type_error("descriptor 'is_canonical' requires a 'decimal.Context'"));
    };
    let p = native_args::unpack(vm, "is_canonical", &rest(a), 1, 1)?;
    if decimal_type::dec_of(&p[0]).is_none() {
        return Err(vm.type_error("argument must be a Decimal"));
    }
    Ok(Value::bool(true))
}

/// The methods whose signatures are their own.
pub fn install_special(dec: &Value, ctx: &Value) {
    native_args::methods(
        dec,
        &[
            ("quantize", dec_quantize),
            ("to_integral", dec_to_integral),
            ("to_integral_value", dec_to_integral_value),
            ("to_integral_exact", dec_to_integral_exact),
            ("fma", dec_fma),
            ("adjusted", dec_adjusted),
            ("radix", dec_radix),
        ],
    );
    native_args::methods(
        ctx,
        &[
            ("fma", ctx_fma),
            ("power", ctx_power),
            ("create_decimal", ctx_create_decimal),
            ("create_decimal_from_float", ctx_create_decimal_from_float),
            ("_apply", ctx_apply),
            ("canonical", ctx_canonical),
            ("is_canonical", ctx_is_canonical),
        ],
    );
}
