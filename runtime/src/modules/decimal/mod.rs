//! `_decimal`: CPython's C decimal module, natively (the Lib's `decimal.py` does
//! `from _decimal import *` and falls back on the pure-Python `_pydecimal` without it).
//!
//! # Layout
//! - `coeff.rs`: coefficients (a machine word while they fit, `BigUint` past that);
//! - `number.rs`: numbers and the specification's arithmetic, rounded to a context
//!   (conditions collected in a status word, never raised there);
//! - `digitwise.rs`: logb, scaleb, rotate, shift, logical operations, classification;
//! - `text.rs`: numeric-string parsing, scientific and engineering strings;
//! - `signals.rs`: condition bits and the exception classes;
//! - `context.rs`: `Context`, its signal dicts, the current context, `localcontext`;
//! - `decimal_type.rs`: `Decimal` (construction, operators, hashing, conversions);
//! - `ops_table.rs`: the named operations, shared by Decimal and Context methods.
//!
//! # Status
//! Done: construction (str, int, float, tuple, Decimal; exactness), the operators
//! `+ - * / // % divmod`, unary `- + abs`, comparisons with ints, floats, complex and
//! Rationals (FloatOperation), hashing equal to int/float/Fraction hashes, str/repr,
//! int/float/complex/round/floor/ceil, as_tuple, as_integer_ratio, from_float, quantize,
//! sqrt, fma, compare*, copy_*, is_*, logical_*, max/min(_mag), next_*, normalize,
//! number_class, remainder_near, rotate, scaleb, shift, same_quantum, to_eng_string,
//! to_integral*, adjusted, canonical, radix, conjugate, real/imag, pickling; Context
//! with its attributes, signal dicts, repr, pickling, create_decimal(_from_float),
//! the arithmetic methods listed in `ops_table.rs`; getcontext/setcontext/localcontext.
//!
//! Missing (so the module is registered only as `_stitch_decimal_wip`, never as
//! `_decimal`, until it is complete): `**`/`pow`/`power` (integer and general
//! powers, with modulo), `exp`, `ln`, `log10`, `Decimal.__format__`, and the
//! checks of test_decimal's C variant. `_pydecimal.py` is the reference for the
//! algorithms still to port (`_dexp`, `_dlog`, `_dpower`, `_power_exact`,
//! `_format_number`).
//!
//! # Testing
//! `tests/programs/decimal_*.py` against CPython's output; with the module registered
//! as `_decimal` locally: `stitch -m test test_decimal` (the C-variant classes run
//! once `_decimal` imports) against `python3.11 -m test test_decimal`.
mod coeff;
mod context;
mod decimal_type;
mod digitwise;
mod number;
mod ops_table;
mod signals;
mod text;

use crate::modules::native_args::{module, set};
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module("decimal", &[]);
    for (name, cls) in signals::make_classes(vm)? {
        set(&m, name, cls);
    }
    let dec = decimal_type::init(vm)?;
    let mut ctx_type = Value::none();
    for (name, v) in context::init(vm)? {
        if name == "Context" {
            ctx_type = v.clone();
        }
        set(&m, name, v);
    }
    ops_table::install_special(&dec, &ctx_type);
    set(&m, "Decimal", dec);
    set(&m, "DecimalTuple", decimal_type::decimal_tuple());
    for (n, _) in number::ROUND_NAMES {
        set(&m, n, crate::world::intern(n));
    }
    set(&m, "MAX_PREC", Value::int(context::MAX_PREC));
    set(&m, "MAX_EMAX", Value::int(context::MAX_EMAX));
    set(&m, "MIN_EMIN", Value::int(context::MIN_EMIN));
    set(&m, "MIN_ETINY", Value::int(context::MIN_ETINY));
    set(&m, "HAVE_THREADS", Value::bool(true));
    set(&m, "HAVE_CONTEXTVAR", Value::bool(true));
    set(&m, "__version__", new_str("1.70"));
    set(&m, "__libmpdec_version__", new_str("2.5.1"));
    Ok(m)
}
