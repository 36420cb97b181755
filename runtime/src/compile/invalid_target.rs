//! CPython's messages for expressions that cannot be assigned to, deleted or used as
//! keyword names (`f() = 1`, `del 1`, `f(a.b=1)`), from the parser's error and the
//! source of the offending expression, which is parsed again to learn its kind.
use ruff_python_ast::{self as ast, Expr};
use ruff_python_parser::ParseErrorType;
use ruff_text_size::TextRange;

/// What CPython calls an expression in these messages (`_PyPegen_get_expr_name`).
fn expr_name(e: &Expr) -> &'static str {
    match e {
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Lambda(_) => "lambda",
        Expr::Call(_) => "function call",
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::Generator(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::FString(_) | Expr::TString(_) => "f-string expression",
        Expr::NoneLiteral(_) => "None",
        Expr::BooleanLiteral(b) if b.value => "True",
        Expr::BooleanLiteral(_) => "False",
        Expr::EllipsisLiteral(_) => "ellipsis",
        Expr::Compare(_) => "comparison",
        Expr::If(_) => "conditional expression",
        Expr::Named(_) => "named expression",
        _ => "literal",
    }
}

/// The message for parse error `e` at `range`, when it is about a bad target.
pub fn message(e: &ParseErrorType, source: &str, range: TextRange) -> Option<String> {
    let (start, end) = (range.start().to_usize(), range.end().to_usize());
    let text = source.get(start..end)?;
    let name = if text.starts_with('*') {
        "starred"
    } else {
        let parsed = ruff_python_parser::parse_expression(text).ok()?;
        expr_name(parsed.expr())
    };
    let keyword = matches!(name, "None" | "True" | "False");
    Some(match e {
        ParseErrorType::InvalidAssignmentTarget => {
            if !keyword && comparison_typo(source, start, end, text) {
                format!("cannot assign to {name} here. Maybe you meant '==' instead of '='?")
            } else {
                format!("cannot assign to {name}")
            }
        }
        ParseErrorType::InvalidDeleteTarget => format!("cannot delete {name}"),
        ParseErrorType::InvalidAugmentedAssignmentTarget => {
            format!("'{name}' is an illegal expression for augmented assignment")
        }
        ParseErrorType::InvalidAnnotatedAssignmentTarget => "illegal target for annotation".into(),
        ParseErrorType::InvalidNamedAssignmentTarget => {
            format!("cannot use assignment expressions with {name}")
        }
        ParseErrorType::OtherError(m) if m == "Expected a parameter name" => {
            if keyword {
                format!("cannot assign to {name}")
            } else {
                "expression cannot contain assignment, perhaps you meant \"==\"?".into()
            }
        }
        _ => return None,
    })
}

/// Whether the bad target at `start..end` reads as a mistyped comparison (CPython's
/// `invalid_named_expression`): an operand-level expression that opens the statement
/// (outside brackets, before any `=`), followed by one `=` and a value with no other;
/// displays and generator expressions are not such operands.
fn comparison_typo(source: &str, start: usize, end: usize, text: &str) -> bool {
    let operand = match ruff_python_parser::parse_expression(text) {
        Ok(p) => !matches!(
            p.expr(),
            Expr::BoolOp(_)
                | Expr::Generator(_)
                | Expr::List(_)
                | Expr::Tuple(_)
                | Expr::Compare(_)
                | Expr::If(_)
                | Expr::Lambda(_)
                | Expr::Named(_)
                | Expr::Starred(_)
                | Expr::UnaryOp(ast::ExprUnaryOp {
                    op: ast::UnaryOp::Not,
                    ..
                })
        ),
        Err(_) => false,
    };
    if !operand {
        return false;
    }
    let line_start = source[..start].rfind(['\n', ';']).map_or(0, |i| i + 1);
    let before = &source[line_start..start];
    let opened = |o: char, c: char| before.matches(o).count() != before.matches(c).count();
    if opened('[', ']') || opened('{', '}') || lone_equals(before).is_some() {
        return false;
    }
    let line_end = source[end..]
        .find(['\n', ';'])
        .map_or(source.len(), |i| end + i);
    let after = source[end..line_end].trim_start_matches([' ', '\t', ')']);
    match lone_equals(after) {
        Some(0) => lone_equals(&after[1..]).is_none(),
        _ => false,
    }
}

/// The byte offset of the first `=` in `s` that is an assignment (not part of `==`,
/// `!=`, `<=`, `>=` or `:=`).
fn lone_equals(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        b[i] == b'='
            && b.get(i + 1) != Some(&b'=')
            && !(i > 0 && matches!(b[i - 1], b'=' | b'!' | b'<' | b'>' | b':'))
    })
}
