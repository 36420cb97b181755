//! The SyntaxWarnings CPython's compiler gives for code that is valid but almost
//! certainly a mistake: `assert (x, "msg")`, `x is 1`, `[(1, 2) (3, 4)]` (a missed
//! comma makes a call of a tuple), `[[1, 2] [3, 4]]` (a subscript of a list by a tuple).
//!
//! Code generation runs on the compiler thread, which has no interpreter to issue
//! warnings through `warnings`; so the checks only record (message, range) pairs in a
//! thread-local list that the compile entry point takes afterwards and hands to the
//! calling thread ([`take`]), which issues them (a warning turned into an error
//! becomes a SyntaxError there, as in CPython).
use std::cell::RefCell;

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

thread_local! {
    static PENDING: RefCell<Vec<(String, TextRange)>> = const { RefCell::new(Vec::new()) };
}

fn push(msg: String, range: TextRange) {
    PENDING.with(|p| p.borrow_mut().push((msg, range)));
}

/// The warnings this thread's compilations recorded, in source order of emission.
pub fn take() -> Vec<(String, TextRange)> {
    PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// The type an expression's value certainly has, when its form alone tells
/// (CPython's `infer_type`).
fn infer_type(e: &Expr) -> Option<&'static str> {
    Some(match e {
        Expr::Tuple(_) => "tuple",
        Expr::List(_) | Expr::ListComp(_) => "list",
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::Set(_) | Expr::SetComp(_) => "set",
        Expr::Generator(_) => "generator",
        Expr::Lambda(_) => "function",
        Expr::FString(_) | Expr::StringLiteral(_) => "str",
        Expr::BytesLiteral(_) => "bytes",
        Expr::NumberLiteral(n) => match n.value {
            ast::Number::Int(_) => "int",
            ast::Number::Float(_) => "float",
            ast::Number::Complex { .. } => "complex",
        },
        Expr::BooleanLiteral(_) => "bool",
        Expr::NoneLiteral(_) => "NoneType",
        Expr::EllipsisLiteral(_) => "ellipsis",
        Expr::Slice(_) => "slice",
        _ => return None,
    })
}

/// A constant other than None, True, False and `...` (a tuple of constants counts:
/// CPython folds it into one constant before checking).
fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        _ => false,
    }
}

fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::NoneLiteral(_) | Expr::BooleanLiteral(_) | Expr::EllipsisLiteral(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        _ => is_literal(e),
    }
}

/// `assert (test, msg)`: a non-empty tuple is always true.
pub fn check_assert(a: &ast::StmtAssert) {
    if let Expr::Tuple(t) = &*a.test
        && !t.elts.is_empty()
    {
        push(
            "assertion is always true, perhaps remove parentheses?".into(),
            a.range(),
        );
    }
}

/// `x is 1`, `x is not "s"`: identity with a literal (the first such operator).
pub fn check_compare(c: &ast::ExprCompare) {
    let mut left = is_literal(&c.left);
    for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
        let right = is_literal(right);
        if (left || right) && matches!(op, ast::CmpOp::Is | ast::CmpOp::IsNot) {
            let msg = if *op == ast::CmpOp::Is {
                "\"is\" with a literal. Did you mean \"==\"?"
            } else {
                "\"is not\" with a literal. Did you mean \"!=\"?"
            };
            push(msg.into(), c.range());
            return;
        }
        left = right;
    }
}

/// A call of a display or a constant: most likely a missed comma before a tuple.
pub fn check_call(c: &ast::ExprCall) {
    let callable_form = matches!(
        &*c.func,
        Expr::Tuple(_)
            | Expr::List(_)
            | Expr::ListComp(_)
            | Expr::Dict(_)
            | Expr::DictComp(_)
            | Expr::Set(_)
            | Expr::SetComp(_)
            | Expr::Generator(_)
            | Expr::FString(_)
    ) || is_constant(&c.func);
    if callable_form && let Some(t) = infer_type(&c.func) {
        push(
            format!("'{t}' object is not callable; perhaps you missed a comma?"),
            c.range(),
        );
    }
}

/// A subscript of a value that cannot be subscripted, or of a sequence by an index
/// that cannot be one: most likely a missed comma before a list.
pub fn check_subscript(s: &ast::ExprSubscript) {
    let v = &*s.value;
    let unsubscriptable = matches!(
        v,
        Expr::NumberLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::Set(_)
            | Expr::SetComp(_)
            | Expr::Generator(_)
            | Expr::Lambda(_)
    );
    if unsubscriptable {
        if let Some(t) = infer_type(v) {
            push(
                format!("'{t}' object is not subscriptable; perhaps you missed a comma?"),
                s.range(),
            );
        }
        return;
    }
    let Some(index) = infer_type(&s.slice) else {
        return;
    };
    if matches!(index, "int" | "bool" | "slice") {
        return;
    }
    let sequence = matches!(
        v,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::Tuple(_)
            | Expr::List(_)
            | Expr::ListComp(_)
            | Expr::FString(_)
    );
    if sequence && let Some(t) = infer_type(v) {
        push(
            format!(
                "{t} indices must be integers or slices, not {index}; perhaps you missed a comma?"
            ),
            s.range(),
        );
    }
}
