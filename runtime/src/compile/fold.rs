//! Constant folding of expressions, as CPython's AST optimizer does before code
//! generation: `-1`, `2 * 3.5`, `1 << 10` and tuples of constants become one
//! `LOAD_CONST` instead of instructions that run on every evaluation. Besides saving
//! tier 1 the dispatch, it keeps `x != -1` a specializable compare of two ints (an
//! unfolded `-1` is a `UNARY_NEGATIVE` the JIT can only run through a helper).
//!
//! Only operations that cannot raise and whose result is small are folded (CPython
//! leaves `1 / 0` for run time and bounds the size of folded results); anything else
//! is compiled as written, so folding never changes what a program prints.
use ruff_python_ast::{self as ast, Expr};

use crate::types::tuple::TupleObj;
use crate::value::Value;

/// A folded number: small enough to compute here with Python's results.
#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn value(self) -> Value {
        match self {
            Num::Int(i) => Value::int(i),
            Num::Float(f) => Value::float(f),
        }
    }

    fn float(self) -> f64 {
        match self {
            // Round-to-nearest-even, as CPython's int-to-float conversion.
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// Left shifts are folded only below this width (CPython bounds folded results too).
const MAX_SHIFT: i64 = 62;

fn number(e: &Expr) -> Option<Num> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_i64().map(Num::Int),
            ast::Number::Float(f) => Some(Num::Float(*f)),
            ast::Number::Complex { .. } => None,
        },
        Expr::UnaryOp(u) => {
            let x = number(&u.operand)?;
            match (u.op, x) {
                (ast::UnaryOp::USub, Num::Int(i)) => i.checked_neg().map(Num::Int),
                (ast::UnaryOp::USub, Num::Float(f)) => Some(Num::Float(-f)),
                (ast::UnaryOp::UAdd, x) => Some(x),
                (ast::UnaryOp::Invert, Num::Int(i)) => Some(Num::Int(!i)),
                _ => None,
            }
        }
        Expr::BinOp(b) => binop(b.op, number(&b.left)?, number(&b.right)?),
        _ => None,
    }
}

fn binop(op: ast::Operator, a: Num, b: Num) -> Option<Num> {
    use ast::Operator as O;
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => match op {
            O::Add => x.checked_add(y),
            O::Sub => x.checked_sub(y),
            O::Mult => x.checked_mul(y),
            O::Pow if (0..=u32::MAX as i64).contains(&y) => x.checked_pow(y as u32),
            O::LShift if (0..MAX_SHIFT).contains(&y) => x.checked_mul(1i64 << y),
            O::RShift if y >= 0 => Some(x >> y.min(63)),
            O::BitAnd => Some(x & y),
            O::BitOr => Some(x | y),
            O::BitXor => Some(x ^ y),
            _ => None,
        }
        .map(Num::Int),
        _ => {
            let (x, y) = (a.float(), b.float());
            let r = match op {
                O::Add => x + y,
                O::Sub => x - y,
                O::Mult => x * y,
                // Division raises on zero and `**` on overflow or a negative base:
                // left for run time.
                _ => return None,
            };
            Some(Num::Float(r))
        }
    }
}

/// A string literal's value: identifier-like ones are interned, as in CPython.
pub fn str_value(text: &str) -> Value {
    let is_ident = text.len() <= 64 && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if is_ident {
        crate::world::intern(text)
    } else {
        crate::types::str::new_str(text)
    }
}

/// Elements of a folded tuple (CPython's bound on the tuples it folds is larger; this
/// keeps constant tables small).
const MAX_TUPLE: usize = 256;

fn literal(e: &Expr) -> Option<Value> {
    match e {
        Expr::StringLiteral(s) => Some(super::surrogate_literal::literal_value(s)),
        Expr::BooleanLiteral(b) => Some(Value::bool(b.value)),
        Expr::NoneLiteral(_) => Some(Value::none()),
        Expr::EllipsisLiteral(_) => Some(Value::ellipsis()),
        Expr::Tuple(t) => tuple(t),
        _ => number(e).map(Num::value),
    }
}

fn tuple(t: &ast::ExprTuple) -> Option<Value> {
    if t.elts.len() > MAX_TUPLE {
        return None;
    }
    let items = t.elts.iter().map(literal).collect::<Option<Vec<_>>>()?;
    Some(TupleObj::new_value(items))
}

/// The constant an operator expression or tuple folds to, if it does. Plain literals
/// are left to the code generator (they are one `LOAD_CONST` already).
pub fn constant(e: &Expr) -> Option<Value> {
    match e {
        Expr::UnaryOp(u) if u.op != ast::UnaryOp::Not => number(e),
        Expr::BinOp(_) => number(e),
        Expr::Tuple(t) if !t.elts.is_empty() => return tuple(t),
        _ => None,
    }
    .map(Num::value)
}
