//! Expressions back to source text, for `from __future__ import annotations`
//! (PEP 563): each annotation is stored as the string CPython 3.11 makes of it.
//!
//! The text must match CPython's byte for byte (programs print `__annotations__`, and
//! `typing.get_type_hints` evaluates the strings), so the rules follow CPython's
//! unparser: a node is parenthesized only when its context binds tighter than it does;
//! constants are written through their repr (infinities as `1e309`, which reads back
//! as infinity); f-strings are rebuilt and then quoted by `str` repr as a whole;
//! implicitly concatenated strings are one constant. The code is stitch's own, over
//! ruff's tree (whose shapes differ from CPython's: defaults sit on parameters,
//! f-strings keep their parts, `f"{x=}"` keeps its debug text).
use num_bigint::BigInt;
use ruff_python_ast::{self as ast, Expr};

/// Binding strength of a context, weakest first (CPython's grammar levels). A node
/// written where the context's level is above its own gets parentheses.
type Prec = u8;
const TUPLE: Prec = 0;
/// `if`-`else` and `lambda`: the level of a whole annotation.
const TEST: Prec = 1;
const OR: Prec = 2;
const AND: Prec = 3;
const NOT: Prec = 4;
const CMP: Prec = 5;
/// `|`, and the level of `*x` / `**x` operands.
const BOR: Prec = 6;
const BXOR: Prec = 7;
const BAND: Prec = 8;
const SHIFT: Prec = 9;
const ARITH: Prec = 10;
const TERM: Prec = 11;
const FACTOR: Prec = 12;
const POWER: Prec = 13;
const AWAIT: Prec = 14;
const ATOM: Prec = 15;

/// The annotation text for `e` (what CPython stores under the `annotations` future).
pub fn annotation(e: &Expr) -> String {
    let mut w = String::new();
    expr(&mut w, e, TEST);
    w
}

/// Write `s` wrapped in parentheses when `cond`.
fn paren(w: &mut String, cond: bool, f: impl FnOnce(&mut String)) {
    if cond {
        w.push('(');
    }
    f(w);
    if cond {
        w.push(')');
    }
}

fn expr(w: &mut String, e: &Expr, level: Prec) {
    match e {
        Expr::BoolOp(b) => {
            let (op, p) = match b.op {
                ast::BoolOp::And => (" and ", AND),
                ast::BoolOp::Or => (" or ", OR),
            };
            paren(w, level > p, |w| {
                for (i, v) in b.values.iter().enumerate() {
                    if i > 0 {
                        w.push_str(op);
                    }
                    expr(w, v, p + 1);
                }
            });
        }
        Expr::Named(n) => paren(w, level > TUPLE, |w| {
            expr(w, &n.target, ATOM);
            w.push_str(" := ");
            expr(w, &n.value, ATOM);
        }),
        Expr::BinOp(b) => {
            let (op, p) = binop(b.op);
            // `**` groups to the right: its left operand needs the tighter level.
            let right_assoc = b.op == ast::Operator::Pow;
            paren(w, level > p, |w| {
                expr(w, &b.left, p + right_assoc as u8);
                w.push_str(op);
                expr(w, &b.right, p + !right_assoc as u8);
            });
        }
        Expr::UnaryOp(u) => {
            let (op, p) = match u.op {
                ast::UnaryOp::Invert => ("~", FACTOR),
                ast::UnaryOp::Not => ("not ", NOT),
                ast::UnaryOp::UAdd => ("+", FACTOR),
                ast::UnaryOp::USub => ("-", FACTOR),
            };
            paren(w, level > p, |w| {
                w.push_str(op);
                expr(w, &u.operand, p);
            });
        }
        Expr::Lambda(l) => paren(w, level > TEST, |w| {
            let positional = l
                .parameters
                .as_ref()
                .is_some_and(|p| !p.posonlyargs.is_empty() || !p.args.is_empty());
            // CPython writes `lambda*a: 0` when there is no positional parameter.
            w.push_str(if positional { "lambda " } else { "lambda" });
            if let Some(p) = &l.parameters {
                parameters(w, p);
            }
            w.push_str(": ");
            expr(w, &l.body, TEST);
        }),
        Expr::If(i) => paren(w, level > TEST, |w| {
            expr(w, &i.body, TEST + 1);
            w.push_str(" if ");
            expr(w, &i.test, TEST + 1);
            w.push_str(" else ");
            expr(w, &i.orelse, TEST);
        }),
        Expr::Dict(d) => {
            w.push('{');
            for (i, item) in d.items.iter().enumerate() {
                if i > 0 {
                    w.push_str(", ");
                }
                match &item.key {
                    Some(k) => {
                        expr(w, k, TEST);
                        w.push_str(": ");
                        expr(w, &item.value, TEST);
                    }
                    None => {
                        w.push_str("**");
                        expr(w, &item.value, BOR);
                    }
                }
            }
            w.push('}');
        }
        Expr::Set(s) => {
            w.push('{');
            items(w, &s.elts);
            w.push('}');
        }
        Expr::ListComp(c) => {
            w.push('[');
            expr(w, &c.elt, TEST);
            comprehensions(w, &c.generators);
            w.push(']');
        }
        Expr::SetComp(c) => {
            w.push('{');
            expr(w, &c.elt, TEST);
            comprehensions(w, &c.generators);
            w.push('}');
        }
        Expr::DictComp(c) => {
            w.push('{');
            if let Some(k) = &c.key {
                expr(w, k, TEST);
                w.push_str(": ");
            }
            expr(w, &c.value, TEST);
            comprehensions(w, &c.generators);
            w.push('}');
        }
        Expr::Generator(g) => genexp(w, g),
        Expr::Await(a) => paren(w, level > AWAIT, |w| {
            w.push_str("await ");
            expr(w, &a.value, ATOM);
        }),
        Expr::Yield(y) => match &y.value {
            None => w.push_str("(yield)"),
            Some(v) => {
                w.push_str("(yield ");
                expr(w, v, TEST);
                w.push(')');
            }
        },
        Expr::YieldFrom(y) => {
            w.push_str("(yield from ");
            expr(w, &y.value, TEST);
            w.push(')');
        }
        Expr::Compare(c) => paren(w, level > CMP, |w| {
            expr(w, &c.left, CMP + 1);
            for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                w.push_str(cmpop(*op));
                expr(w, right, CMP + 1);
            }
        }),
        Expr::Call(c) => call(w, c),
        Expr::FString(f) => fstring(w, f),
        Expr::TString(_) => w.push_str("t''"),
        Expr::StringLiteral(s) => {
            // CPython keeps a `u` prefix (of the first part) as the constant's kind.
            let first_u =
                s.value.iter().next().is_some_and(|p| {
                    p.flags.prefix() == ast::str_prefix::StringLiteralPrefix::Unicode
                });
            if first_u {
                w.push('u');
            }
            // The literal's value as codegen makes it (lone surrogates kept), so the
            // repr escapes them as CPython's does.
            let v = super::surrogate_literal::literal_value(s);
            match crate::types::str::as_str_flag(&v) {
                Some((text, flagged)) => w.push_str(&crate::ops::str_repr_flagged(text, flagged)),
                None => w.push_str(&crate::ops::str_repr(s.value.to_str())),
            }
        }
        Expr::BytesLiteral(b) => {
            let data: Vec<u8> = b
                .value
                .iter()
                .flat_map(|p| p.value.iter().copied())
                .collect();
            w.push_str(&crate::types::bytes::bytes_repr(&data, "b"));
        }
        Expr::NumberLiteral(n) => number(w, &n.value),
        Expr::BooleanLiteral(b) => w.push_str(if b.value { "True" } else { "False" }),
        Expr::NoneLiteral(_) => w.push_str("None"),
        Expr::EllipsisLiteral(_) => w.push_str("..."),
        Expr::Attribute(a) => {
            expr(w, &a.value, ATOM);
            // `1.real` would read as a float: integers get a space before the dot.
            let int = matches!(&*a.value, Expr::NumberLiteral(n) if matches!(n.value, ast::Number::Int(_)));
            w.push_str(if int { " ." } else { "." });
            w.push_str(a.attr.as_str());
        }
        Expr::Subscript(s) => {
            expr(w, &s.value, ATOM);
            w.push('[');
            expr(w, &s.slice, TUPLE);
            w.push(']');
        }
        Expr::Starred(s) => {
            w.push('*');
            expr(w, &s.value, BOR);
        }
        Expr::Name(n) => w.push_str(n.id.as_str()),
        Expr::List(l) => {
            w.push('[');
            items(w, &l.elts);
            w.push(']');
        }
        Expr::Tuple(t) => {
            if t.elts.is_empty() {
                w.push_str("()");
                return;
            }
            paren(w, level > TUPLE, |w| {
                items(w, &t.elts);
                if t.elts.len() == 1 {
                    w.push(',');
                }
            });
        }
        Expr::Slice(s) => {
            if let Some(l) = &s.lower {
                expr(w, l, TEST);
            }
            w.push(':');
            if let Some(u) = &s.upper {
                expr(w, u, TEST);
            }
            if let Some(st) = &s.step {
                w.push(':');
                expr(w, st, TEST);
            }
        }
        Expr::IpyEscapeCommand(_) => {}
    }
}

fn binop(op: ast::Operator) -> (&'static str, Prec) {
    use ast::Operator::*;
    match op {
        Add => (" + ", ARITH),
        Sub => (" - ", ARITH),
        Mult => (" * ", TERM),
        MatMult => (" @ ", TERM),
        Div => (" / ", TERM),
        Mod => (" % ", TERM),
        FloorDiv => (" // ", TERM),
        LShift => (" << ", SHIFT),
        RShift => (" >> ", SHIFT),
        BitOr => (" | ", BOR),
        BitXor => (" ^ ", BXOR),
        BitAnd => (" & ", BAND),
        Pow => (" ** ", POWER),
    }
}

fn cmpop(op: ast::CmpOp) -> &'static str {
    use ast::CmpOp::*;
    match op {
        Eq => " == ",
        NotEq => " != ",
        Lt => " < ",
        LtE => " <= ",
        Gt => " > ",
        GtE => " >= ",
        Is => " is ",
        IsNot => " is not ",
        In => " in ",
        NotIn => " not in ",
    }
}

/// Comma-separated items, each at the `if`-`else` level.
fn items(w: &mut String, elts: &[Expr]) {
    for (i, e) in elts.iter().enumerate() {
        if i > 0 {
            w.push_str(", ");
        }
        expr(w, e, TEST);
    }
}

fn comprehensions(w: &mut String, gens: &[ast::Comprehension]) {
    for g in gens {
        w.push_str(if g.is_async { " async for " } else { " for " });
        expr(w, &g.target, TUPLE);
        w.push_str(" in ");
        expr(w, &g.iter, TEST + 1);
        for cond in &g.ifs {
            w.push_str(" if ");
            expr(w, cond, TEST + 1);
        }
    }
}

fn genexp(w: &mut String, g: &ast::ExprGenerator) {
    w.push('(');
    expr(w, &g.elt, TEST);
    comprehensions(w, &g.generators);
    w.push(')');
}

fn call(w: &mut String, c: &ast::ExprCall) {
    expr(w, &c.func, ATOM);
    let args = &c.arguments;
    // A lone generator argument keeps only its own parentheses: `f(x for x in y)`.
    if let [Expr::Generator(g)] = &*args.args
        && args.keywords.is_empty()
    {
        genexp(w, g);
        return;
    }
    w.push('(');
    let mut first = true;
    // CPython's tree lists positional arguments before keywords, whatever the order.
    for a in args.args.iter() {
        if !std::mem::take(&mut first) {
            w.push_str(", ");
        }
        expr(w, a, TEST);
    }
    for k in args.keywords.iter() {
        if !std::mem::take(&mut first) {
            w.push_str(", ");
        }
        match &k.arg {
            Some(name) => {
                w.push_str(name.as_str());
                w.push('=');
            }
            None => w.push_str("**"),
        }
        expr(w, &k.value, TEST);
    }
    w.push(')');
}

/// A lambda's parameter list, as CPython writes it.
fn parameters(w: &mut String, p: &ast::Parameters) {
    let mut first = true;
    let mut sep = |w: &mut String| {
        if !std::mem::take(&mut first) {
            w.push_str(", ");
        }
    };
    let npos = p.posonlyargs.len();
    for (i, a) in p.posonlyargs.iter().chain(p.args.iter()).enumerate() {
        sep(w);
        parameter(w, &a.parameter);
        if let Some(d) = &a.default {
            w.push('=');
            expr(w, d, TEST);
        }
        if npos > 0 && i + 1 == npos {
            w.push_str(", /");
        }
    }
    if p.vararg.is_some() || !p.kwonlyargs.is_empty() {
        sep(w);
        w.push('*');
        if let Some(v) = &p.vararg {
            parameter(w, v);
        }
    }
    for a in &p.kwonlyargs {
        sep(w);
        parameter(w, &a.parameter);
        if let Some(d) = &a.default {
            w.push('=');
            expr(w, d, TEST);
        }
    }
    if let Some(k) = &p.kwarg {
        sep(w);
        w.push_str("**");
        parameter(w, k);
    }
}

fn parameter(w: &mut String, p: &ast::Parameter) {
    w.push_str(p.name.as_str());
    if let Some(a) = &p.annotation {
        w.push_str(": ");
        expr(w, a, TEST);
    }
}

/// A number through its repr; an infinity (a literal too big for a float) as `1e309`,
/// the shortest literal that reads back as one.
fn number(w: &mut String, n: &ast::Number) {
    let text = match n {
        ast::Number::Int(i) => match i.as_i64() {
            Some(v) => v.to_string(),
            None => big_int_text(i),
        },
        ast::Number::Float(f) => crate::types::float::float_repr(*f),
        ast::Number::Complex { real, imag } => crate::types::complex::complex_repr(*real, *imag),
    };
    w.push_str(&text.replace("inf", "1e309"));
}

/// A big integer literal (any base, with underscores) in decimal.
fn big_int_text(i: &ast::Int) -> String {
    let s = i.to_string().replace('_', "").to_ascii_lowercase();
    let (digits, radix) = match s.get(..2) {
        Some("0x") => (&s[2..], 16),
        Some("0o") => (&s[2..], 8),
        Some("0b") => (&s[2..], 2),
        _ => (&s[..], 10),
    };
    match BigInt::parse_bytes(digits.as_bytes(), radix) {
        Some(b) => b.to_string(),
        None => s,
    }
}

/// One piece of an f-string as CPython's tree has it: literal text (adjacent pieces
/// merged), or a replacement field.
enum Piece<'a> {
    Text(String),
    Field(&'a ast::InterpolatedElement, ast::ConversionFlag),
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Piece::Text(t)) = pieces.last_mut() {
        t.push_str(s);
    } else {
        pieces.push(Piece::Text(s.to_string()));
    }
}

fn elements<'a>(pieces: &mut Vec<Piece<'a>>, els: &'a [ast::InterpolatedStringElement]) {
    for el in els {
        match el {
            ast::InterpolatedStringElement::Literal(l) => push_text(pieces, &l.value),
            ast::InterpolatedStringElement::Interpolation(i) => {
                let mut conv = i.conversion;
                if let Some(dt) = &i.debug_text {
                    // `{x=}` is the text `x=` and the field, shown by repr unless a
                    // conversion or format spec says otherwise.
                    push_text(pieces, dt.as_str());
                    if conv == ast::ConversionFlag::None && i.format_spec.is_none() {
                        conv = ast::ConversionFlag::Repr;
                    }
                }
                pieces.push(Piece::Field(i, conv));
            }
        }
    }
}

/// The body of an f-string (or of a format spec): text with braces doubled, fields.
fn fstring_body(w: &mut String, pieces: &[Piece<'_>]) {
    for p in pieces {
        match p {
            Piece::Text(t) => w.push_str(&t.replace('{', "{{").replace('}', "}}")),
            Piece::Field(i, conv) => {
                let mut inner = String::new();
                // Above the `lambda` level, so a lambda's `:` cannot end the field.
                expr(&mut inner, &i.expression, TEST + 1);
                // `{{` would be an escaped brace: a leading `{` is set off by a space.
                w.push_str(if inner.starts_with('{') { "{ " } else { "{" });
                w.push_str(&inner);
                match conv {
                    ast::ConversionFlag::None => {}
                    ast::ConversionFlag::Str => w.push_str("!s"),
                    ast::ConversionFlag::Repr => w.push_str("!r"),
                    ast::ConversionFlag::Ascii => w.push_str("!a"),
                }
                if let Some(spec) = &i.format_spec {
                    w.push(':');
                    let mut sp = Vec::new();
                    elements(&mut sp, &spec.elements);
                    fstring_body(w, &sp);
                }
                w.push('}');
            }
        }
    }
}

fn fstring(w: &mut String, f: &ast::ExprFString) {
    let mut pieces = Vec::new();
    for part in f.value.as_slice() {
        match part {
            ast::FStringPart::Literal(l) => push_text(&mut pieces, &l.value),
            ast::FStringPart::FString(fs) => elements(&mut pieces, &fs.elements),
        }
    }
    let mut body = String::new();
    fstring_body(&mut body, &pieces);
    w.push('f');
    w.push_str(&crate::ops::str_repr(&body));
}
