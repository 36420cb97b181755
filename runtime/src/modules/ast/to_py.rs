//! Source text to a tree of `_ast` nodes (`compile(src, file, mode, PyCF_ONLY_AST)`):
//! ruff parses, and each ruff node becomes the node CPython 3.11's parser makes for the
//! same text, with CPython's field values and positions.
//!
//! Positions: ruff's ranges are byte offsets into the source, and CPython's
//! `col_offset` is a byte offset into the line (UTF-8), so a column is the offset minus
//! its line's start. Where the two parsers disagree on a node's extent, this file
//! follows CPython: a decorated definition starts at `def`/`class`, an `elif` is an
//! `If` running to the end of its chain, a generator expression that is a call's only
//! argument takes the call's parentheses, and the pieces of an f-string carry the
//! whole string's range (as 3.11 does).
use ruff_python_ast::{self as ast, Expr, Pattern, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Classes;
use super::nodes::NODES;
use crate::compile::SourceError;
use crate::types::list::ListObj;
use crate::types::str::new_str;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

/// What `compile(..., PyCF_ONLY_AST)` parses: a module, an expression, one interactive
/// statement, or a function signature comment.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ParseMode {
    Exec,
    Eval,
    Single,
    FuncType,
}

/// Parses `source` into a tree of `_ast` nodes.
pub fn parse(vm: &mut Vm, source: &str, filename: &str, mode: ParseMode) -> PyResult<Value> {
    let classes = super::classes(vm)?;
    let src = source.to_string();
    let file = filename.to_string();
    let r = crate::compile::on_compiler_stack(filename, move || build(classes, &src, &file, mode));
    r.map_err(|e| crate::builtins::syntax_error_value(vm, &e))
}

fn build(c: &Classes, source: &str, filename: &str, mode: ParseMode) -> Result<Value, SourceError> {
    if mode == ParseMode::FuncType {
        return func_type(c, source, filename);
    }
    let module = crate::compile::parse(source, filename)?;
    let conv = Conv::new(c, source);
    Ok(match mode {
        ParseMode::Exec => conv.node(
            "Module",
            vec![conv.stmts(&module.body), ListObj::new_value(vec![])],
            None,
        ),
        ParseMode::Single => conv.node("Interactive", vec![conv.stmts(&module.body)], None),
        ParseMode::Eval | ParseMode::FuncType => {
            let e = match &module.body[..] {
                [Stmt::Expr(e)] => &e.value,
                other => {
                    let at = other.get(1).map(|s| s.range().start()).unwrap_or_default();
                    return Err(syntax_error(source, filename, at));
                }
            };
            conv.node("Expression", vec![conv.expr(e)], None)
        }
    })
}

/// `(argtypes) -> returns`, the signature in a `# type:` comment of a function.
fn func_type(c: &Classes, source: &str, filename: &str) -> Result<Value, SourceError> {
    let wrapped = format!("_({})", source.replacen("->", ",", 1));
    let arrow = source.find("->");
    let module = crate::compile::parse(&wrapped, filename)?;
    let (Some(arrow), [Stmt::Expr(e)]) = (arrow, &module.body[..]) else {
        return Err(syntax_error(source, filename, TextSize::default()));
    };
    let Expr::Call(call) = &*e.value else {
        return Err(syntax_error(source, filename, TextSize::default()));
    };
    let conv = Conv::new(c, &wrapped);
    let Some((ret, args)) = call.arguments.args.split_last() else {
        return Err(syntax_error(source, filename, TextSize::default()));
    };
    let _ = arrow;
    let argtypes = match args {
        [Expr::Tuple(t)] if t.parenthesized => t.elts.iter().map(|e| conv.expr(e)).collect(),
        _ => args.iter().map(|e| conv.expr(e)).collect(),
    };
    Ok(conv.node(
        "FunctionType",
        vec![ListObj::new_value(argtypes), conv.expr(ret)],
        None,
    ))
}

fn syntax_error(source: &str, filename: &str, at: TextSize) -> SourceError {
    let off = at.to_usize().min(source.len());
    let line_start = source[..off].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = source[off..]
        .find('\n')
        .map(|i| off + i)
        .unwrap_or(source.len());
    let col = source[line_start..off].chars().count() + 1;
    SourceError {
        kind: "SyntaxError",
        msg: "invalid syntax".into(),
        filename: filename.to_string(),
        line: source[..off].matches('\n').count() + 1,
        col,
        end_col: col + 1,
        text: source[line_start..line_end].to_string(),
    }
}

/// One conversion: the classes, the source and where its lines start.
struct Conv<'a> {
    c: &'a Classes,
    source: &'a str,
    line_starts: Vec<usize>,
}

fn ident(s: &str) -> Value {
    crate::world::intern(s)
}

fn opt_ident(i: &Option<ast::Identifier>) -> Value {
    match i {
        Some(i) => ident(i.as_str()),
        None => Value::none(),
    }
}

impl<'a> Conv<'a> {
    fn new(c: &'a Classes, source: &'a str) -> Conv<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Conv {
            c,
            source,
            line_starts,
        }
    }

    /// (line, byte column) of a byte offset.
    fn pos(&self, off: TextSize) -> (i64, i64) {
        let off = off.to_usize();
        let line = match self.line_starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line as i64 + 1, (off - self.line_starts[line]) as i64)
    }

    /// A node of class `name` with its fields in `_fields` order, located at `r`.
    fn node(&self, name: &str, fields: Vec<Value>, r: Option<TextRange>) -> Value {
        let def = NODES.iter().find(|d| d.name == name);
        let cls = self.c.class(name);
        let obj = crate::vm::new_instance_plain(&cls, vec![]);
        let Some(d) = super::native_class::dict_of(&obj) else {
            unreachable!("_ast classes have instance dicts")
        };
        if let Some(def) = def {
            debug_assert_eq!(def.fields.len(), fields.len(), "{name}");
            for ((n, _, _), v) in def.fields.iter().zip(fields) {
                d.set_str(n, v);
            }
        }
        if let Some(r) = r {
            let (l, c) = self.pos(r.start());
            let (el, ec) = self.pos(r.end());
            d.set_str("lineno", Value::int(l));
            d.set_str("col_offset", Value::int(c));
            d.set_str("end_lineno", Value::int(el));
            d.set_str("end_col_offset", Value::int(ec));
        }
        obj
    }

    fn single(&self, name: &str) -> Value {
        self.c.singleton(name)
    }

    fn list<T>(&self, items: &[T], f: impl Fn(&T) -> Value) -> Value {
        ListObj::new_value(items.iter().map(f).collect())
    }

    fn stmts(&self, body: &[Stmt]) -> Value {
        self.list(body, |s| self.stmt(s))
    }

    fn exprs(&self, es: &[Expr]) -> Value {
        self.list(es, |e| self.expr(e))
    }

    fn opt_expr(&self, e: Option<&Expr>) -> Value {
        match e {
            Some(e) => self.expr(e),
            None => Value::none(),
        }
    }

    fn ctx(&self, c: ast::ExprContext) -> Value {
        self.single(match c {
            ast::ExprContext::Store => "Store",
            ast::ExprContext::Del => "Del",
            _ => "Load",
        })
    }

    fn none() -> Value {
        Value::none()
    }

    /// Where a (possibly decorated) `def`/`class` statement starts for CPython: at its
    /// keyword (`async` for an async function), not at its first decorator.
    fn def_start(&self, r: TextRange, name: &ast::Identifier, decorated: bool) -> TextRange {
        if !decorated {
            return r;
        }
        let b = self.source.as_bytes();
        let mut i = name.range.start().to_usize();
        // Back over the blank before the name, then the keyword.
        while i > 0 && b[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        while i > 0 && b[i - 1].is_ascii_alphabetic() {
            i -= 1;
        }
        let mut j = i;
        while j > 0 && matches!(b[j - 1], b' ' | b'\t' | b'\\' | b'\n' | b'\r') {
            j -= 1;
        }
        if j >= 5 && &b[j - 5..j] == b"async" {
            i = j - 5;
        }
        TextRange::new(TextSize::new(i as u32), r.end())
    }

    fn stmt(&self, s: &Stmt) -> Value {
        let r = Some(s.range());
        match s {
            Stmt::FunctionDef(f) => {
                let name = if f.is_async {
                    "AsyncFunctionDef"
                } else {
                    "FunctionDef"
                };
                let at = self.def_start(f.range, &f.name, !f.decorator_list.is_empty());
                self.node(
                    name,
                    vec![
                        ident(f.name.as_str()),
                        self.arguments(&f.parameters),
                        self.stmts(&f.body),
                        self.list(&f.decorator_list, |d| self.expr(&d.expression)),
                        self.opt_expr(f.returns.as_deref()),
                        Self::none(),
                    ],
                    Some(at),
                )
            }
            Stmt::ClassDef(cd) => {
                let at = self.def_start(cd.range, &cd.name, !cd.decorator_list.is_empty());
                let (bases, keywords) = match &cd.arguments {
                    Some(a) => (self.exprs(&a.args), self.keywords(&a.keywords)),
                    None => (ListObj::new_value(vec![]), ListObj::new_value(vec![])),
                };
                self.node(
                    "ClassDef",
                    vec![
                        ident(cd.name.as_str()),
                        bases,
                        keywords,
                        self.stmts(&cd.body),
                        self.list(&cd.decorator_list, |d| self.expr(&d.expression)),
                    ],
                    Some(at),
                )
            }
            Stmt::Return(x) => self.node("Return", vec![self.opt_expr(x.value.as_deref())], r),
            Stmt::Delete(x) => self.node("Delete", vec![self.exprs(&x.targets)], r),
            Stmt::Assign(x) => self.node(
                "Assign",
                vec![self.exprs(&x.targets), self.expr(&x.value), Self::none()],
                r,
            ),
            Stmt::AugAssign(x) => self.node(
                "AugAssign",
                vec![
                    self.expr(&x.target),
                    self.single(op_name(x.op)),
                    self.expr(&x.value),
                ],
                r,
            ),
            Stmt::AnnAssign(x) => self.node(
                "AnnAssign",
                vec![
                    self.expr(&x.target),
                    self.expr(&x.annotation),
                    self.opt_expr(x.value.as_deref()),
                    Value::int(x.simple as i64),
                ],
                r,
            ),
            Stmt::For(x) => self.node(
                if x.is_async { "AsyncFor" } else { "For" },
                vec![
                    self.expr(&x.target),
                    self.expr(&x.iter),
                    self.stmts(&x.body),
                    self.stmts(&x.orelse),
                    Self::none(),
                ],
                r,
            ),
            Stmt::While(x) => self.node(
                "While",
                vec![
                    self.expr(&x.test),
                    self.stmts(&x.body),
                    self.stmts(&x.orelse),
                ],
                r,
            ),
            Stmt::If(x) => {
                let orelse = self.elif_chain(&x.elif_else_clauses, s.range().end());
                self.node(
                    "If",
                    vec![self.expr(&x.test), self.stmts(&x.body), orelse],
                    r,
                )
            }
            Stmt::With(x) => self.node(
                if x.is_async { "AsyncWith" } else { "With" },
                vec![
                    self.list(&x.items, |i| {
                        self.node(
                            "withitem",
                            vec![
                                self.expr(&i.context_expr),
                                self.opt_expr(i.optional_vars.as_deref()),
                            ],
                            None,
                        )
                    }),
                    self.stmts(&x.body),
                    Self::none(),
                ],
                r,
            ),
            Stmt::Match(x) => self.node(
                "Match",
                vec![
                    self.expr(&x.subject),
                    self.list(&x.cases, |c| {
                        self.node(
                            "match_case",
                            vec![
                                self.pattern(&c.pattern),
                                self.opt_expr(c.guard.as_deref()),
                                self.stmts(&c.body),
                            ],
                            None,
                        )
                    }),
                ],
                r,
            ),
            Stmt::Raise(x) => self.node(
                "Raise",
                vec![
                    self.opt_expr(x.exc.as_deref()),
                    self.opt_expr(x.cause.as_deref()),
                ],
                r,
            ),
            Stmt::Try(x) => self.node(
                if x.is_star { "TryStar" } else { "Try" },
                vec![
                    self.stmts(&x.body),
                    self.list(&x.handlers, |h| {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        self.node(
                            "ExceptHandler",
                            vec![
                                self.opt_expr(h.type_.as_deref()),
                                opt_ident(&h.name),
                                self.stmts(&h.body),
                            ],
                            Some(h.range),
                        )
                    }),
                    self.stmts(&x.orelse),
                    self.stmts(&x.finalbody),
                ],
                r,
            ),
            Stmt::Assert(x) => self.node(
                "Assert",
                vec![self.expr(&x.test), self.opt_expr(x.msg.as_deref())],
                r,
            ),
            Stmt::Import(x) => self.node("Import", vec![self.aliases(&x.names)], r),
            Stmt::ImportFrom(x) => self.node(
                "ImportFrom",
                vec![
                    opt_ident(&x.module),
                    self.aliases(&x.names),
                    Value::int(x.level as i64),
                ],
                r,
            ),
            Stmt::Global(x) => self.node(
                "Global",
                vec![self.list(&x.names, |n| ident(n.as_str()))],
                r,
            ),
            Stmt::Nonlocal(x) => self.node(
                "Nonlocal",
                vec![self.list(&x.names, |n| ident(n.as_str()))],
                r,
            ),
            Stmt::Expr(x) => self.node("Expr", vec![self.expr(&x.value)], r),
            Stmt::Pass(_) => self.node("Pass", vec![], r),
            Stmt::Break(_) => self.node("Break", vec![], r),
            Stmt::Continue(_) => self.node("Continue", vec![], r),
            // 3.12 syntax and IPython escapes: the parser accepted them, 3.11 has no
            // node for them; a placeholder keeps the tree whole.
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => self.node("Pass", vec![], r),
        }
    }

    /// The `orelse` of an `if`: each `elif` is an `If` from its keyword to the end of
    /// the whole statement, holding the rest of the chain; a final `else` is its body.
    fn elif_chain(&self, clauses: &[ast::ElifElseClause], end: TextSize) -> Value {
        match clauses.split_first() {
            None => ListObj::new_value(vec![]),
            Some((c, rest)) => match &c.test {
                None => self.stmts(&c.body),
                Some(test) => {
                    let inner = self.node(
                        "If",
                        vec![
                            self.expr(test),
                            self.stmts(&c.body),
                            self.elif_chain(rest, end),
                        ],
                        Some(TextRange::new(c.range.start(), end)),
                    );
                    ListObj::new_value(vec![inner])
                }
            },
        }
    }

    fn aliases(&self, names: &[ast::Alias]) -> Value {
        self.list(names, |a| {
            self.node(
                "alias",
                vec![ident(a.name.as_str()), opt_ident(&a.asname)],
                Some(a.range),
            )
        })
    }

    fn keywords(&self, kws: &[ast::Keyword]) -> Value {
        self.list(kws, |k| {
            self.node(
                "keyword",
                vec![opt_ident(&k.arg), self.expr(&k.value)],
                Some(k.range),
            )
        })
    }

    fn arg(&self, p: &ast::Parameter) -> Value {
        self.node(
            "arg",
            vec![
                ident(p.name.as_str()),
                self.opt_expr(p.annotation.as_deref()),
                Self::none(),
            ],
            // From the name on: a `*args` or `**kw` parameter's stars are not its.
            Some(TextRange::new(p.name.range.start(), p.range.end())),
        )
    }

    fn arguments(&self, p: &ast::Parameters) -> Value {
        let defaults: Vec<Value> = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .filter_map(|a| a.default.as_deref().map(|d| self.expr(d)))
            .collect();
        let kw_defaults: Vec<Value> = p
            .kwonlyargs
            .iter()
            .map(|a| self.opt_expr(a.default.as_deref()))
            .collect();
        let opt_arg = |a: &Option<Box<ast::Parameter>>| match a {
            Some(a) => self.arg(a),
            None => Value::none(),
        };
        self.node(
            "arguments",
            vec![
                self.list(&p.posonlyargs, |a| self.arg(&a.parameter)),
                self.list(&p.args, |a| self.arg(&a.parameter)),
                opt_arg(&p.vararg),
                self.list(&p.kwonlyargs, |a| self.arg(&a.parameter)),
                ListObj::new_value(kw_defaults),
                opt_arg(&p.kwarg),
                ListObj::new_value(defaults),
            ],
            None,
        )
    }

    fn comprehensions(&self, gens: &[ast::Comprehension]) -> Value {
        self.list(gens, |g| {
            self.node(
                "comprehension",
                vec![
                    self.expr(&g.target),
                    self.expr(&g.iter),
                    self.exprs(&g.ifs),
                    Value::int(g.is_async as i64),
                ],
                None,
            )
        })
    }

    fn constant(&self, v: Value, kind: Value, r: TextRange) -> Value {
        self.node("Constant", vec![v, kind], Some(r))
    }

    fn expr(&self, e: &Expr) -> Value {
        let r = Some(e.range());
        match e {
            Expr::BoolOp(x) => self.node(
                "BoolOp",
                vec![
                    self.single(if x.op == ast::BoolOp::And {
                        "And"
                    } else {
                        "Or"
                    }),
                    self.exprs(&x.values),
                ],
                r,
            ),
            Expr::Named(x) => self.node(
                "NamedExpr",
                vec![self.expr(&x.target), self.expr(&x.value)],
                r,
            ),
            Expr::BinOp(x) => self.node(
                "BinOp",
                vec![
                    self.expr(&x.left),
                    self.single(op_name(x.op)),
                    self.expr(&x.right),
                ],
                r,
            ),
            Expr::UnaryOp(x) => {
                let op = match x.op {
                    ast::UnaryOp::Invert => "Invert",
                    ast::UnaryOp::Not => "Not",
                    ast::UnaryOp::UAdd => "UAdd",
                    ast::UnaryOp::USub => "USub",
                };
                self.node("UnaryOp", vec![self.single(op), self.expr(&x.operand)], r)
            }
            Expr::Lambda(x) => {
                let args = match &x.parameters {
                    Some(p) => self.arguments(p),
                    None => self.arguments(&ast::Parameters::default()),
                };
                self.node("Lambda", vec![args, self.expr(&x.body)], r)
            }
            Expr::If(x) => self.node(
                "IfExp",
                vec![self.expr(&x.test), self.expr(&x.body), self.expr(&x.orelse)],
                r,
            ),
            Expr::Dict(x) => self.node(
                "Dict",
                vec![
                    self.list(&x.items, |i| self.opt_expr(i.key.as_ref())),
                    self.list(&x.items, |i| self.expr(&i.value)),
                ],
                r,
            ),
            Expr::Set(x) => self.node("Set", vec![self.exprs(&x.elts)], r),
            Expr::ListComp(x) => self.node(
                "ListComp",
                vec![self.expr(&x.elt), self.comprehensions(&x.generators)],
                r,
            ),
            Expr::SetComp(x) => self.node(
                "SetComp",
                vec![self.expr(&x.elt), self.comprehensions(&x.generators)],
                r,
            ),
            Expr::DictComp(x) => self.node(
                "DictComp",
                vec![
                    self.opt_expr(x.key.as_deref()),
                    self.expr(&x.value),
                    self.comprehensions(&x.generators),
                ],
                r,
            ),
            Expr::Generator(x) => self.node(
                "GeneratorExp",
                vec![self.expr(&x.elt), self.comprehensions(&x.generators)],
                r,
            ),
            Expr::Await(x) => self.node("Await", vec![self.expr(&x.value)], r),
            Expr::Yield(x) => self.node("Yield", vec![self.opt_expr(x.value.as_deref())], r),
            Expr::YieldFrom(x) => self.node("YieldFrom", vec![self.expr(&x.value)], r),
            Expr::Compare(x) => self.node(
                "Compare",
                vec![
                    self.expr(&x.left),
                    self.list(&x.ops, |o| self.single(cmp_name(*o))),
                    self.exprs(&x.comparators),
                ],
                r,
            ),
            Expr::Call(x) => {
                let args: Vec<Value> = match &x.arguments.args[..] {
                    // A generator expression as the only argument is bracketed by the
                    // call's parentheses.
                    [Expr::Generator(g)] if !g.parenthesized && x.arguments.keywords.is_empty() => {
                        let gr = x.arguments.range;
                        vec![self.node(
                            "GeneratorExp",
                            vec![self.expr(&g.elt), self.comprehensions(&g.generators)],
                            Some(gr),
                        )]
                    }
                    args => args.iter().map(|a| self.expr(a)).collect(),
                };
                self.node(
                    "Call",
                    vec![
                        self.expr(&x.func),
                        ListObj::new_value(args),
                        self.keywords(&x.arguments.keywords),
                    ],
                    r,
                )
            }
            Expr::FString(x) => self.fstring(x),
            Expr::TString(x) => self.constant(Value::none(), Value::none(), x.range),
            Expr::StringLiteral(x) => {
                let kind = if x.value.is_unicode() {
                    new_str("u")
                } else {
                    Value::none()
                };
                self.constant(new_str(x.value.to_str()), kind, x.range)
            }
            Expr::BytesLiteral(x) => {
                let data: Vec<u8> = x
                    .value
                    .iter()
                    .flat_map(|p| p.value.iter().copied())
                    .collect();
                self.constant(
                    crate::types::bytes::BytesObj::new_value(data),
                    Value::none(),
                    x.range,
                )
            }
            Expr::NumberLiteral(x) => {
                let v = match &x.value {
                    ast::Number::Int(i) => crate::compile::codegen::int_literal(i),
                    ast::Number::Float(f) => Value::float(*f),
                    ast::Number::Complex { real, imag } => {
                        crate::types::complex::new_complex(*real, *imag)
                    }
                };
                self.constant(v, Value::none(), x.range)
            }
            Expr::BooleanLiteral(x) => self.constant(Value::bool(x.value), Value::none(), x.range),
            Expr::NoneLiteral(x) => self.constant(Value::none(), Value::none(), x.range),
            Expr::EllipsisLiteral(x) => self.constant(Value::ellipsis(), Value::none(), x.range),
            Expr::Attribute(x) => self.node(
                "Attribute",
                vec![self.expr(&x.value), ident(x.attr.as_str()), self.ctx(x.ctx)],
                r,
            ),
            Expr::Subscript(x) => self.node(
                "Subscript",
                vec![self.expr(&x.value), self.expr(&x.slice), self.ctx(x.ctx)],
                r,
            ),
            Expr::Starred(x) => self.node("Starred", vec![self.expr(&x.value), self.ctx(x.ctx)], r),
            Expr::Name(x) => self.node("Name", vec![ident(x.id.as_str()), self.ctx(x.ctx)], r),
            Expr::List(x) => self.node("List", vec![self.exprs(&x.elts), self.ctx(x.ctx)], r),
            Expr::Tuple(x) => self.node("Tuple", vec![self.exprs(&x.elts), self.ctx(x.ctx)], r),
            Expr::Slice(x) => self.node(
                "Slice",
                vec![
                    self.opt_expr(x.lower.as_deref()),
                    self.opt_expr(x.upper.as_deref()),
                    self.opt_expr(x.step.as_deref()),
                ],
                r,
            ),
            Expr::IpyEscapeCommand(x) => self.constant(Value::none(), Value::none(), x.range),
        }
    }

    /// An f-string (with any strings implicitly joined to it) as 3.11's `JoinedStr`:
    /// adjacent literal text merged into one `Constant`, empty text dropped, every
    /// piece at the whole string's range.
    fn fstring(&self, f: &ast::ExprFString) -> Value {
        let whole = f.range;
        let mut values = Vec::new();
        let mut text = String::new();
        for part in f.value.as_slice() {
            match part {
                ast::FStringPart::Literal(l) => text.push_str(&l.value),
                ast::FStringPart::FString(fs) => {
                    self.elements(&fs.elements, whole, fs.range, &mut text, &mut values)
                }
            }
        }
        self.flush(&mut text, &mut values, whole);
        self.node("JoinedStr", vec![ListObj::new_value(values)], Some(whole))
    }

    fn flush(&self, text: &mut String, values: &mut Vec<Value>, whole: TextRange) {
        if !text.is_empty() {
            let s = std::mem::take(text);
            values.push(self.constant(new_str(&s), Value::none(), whole));
        }
    }

    fn elements(
        &self,
        els: &[ast::InterpolatedStringElement],
        whole: TextRange,
        part: TextRange,
        text: &mut String,
        values: &mut Vec<Value>,
    ) {
        for el in els {
            match el {
                ast::InterpolatedStringElement::Literal(l) => text.push_str(&l.value),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conv = match i.conversion {
                        ast::ConversionFlag::None => -1,
                        ast::ConversionFlag::Str => b's' as i64,
                        ast::ConversionFlag::Repr => b'r' as i64,
                        ast::ConversionFlag::Ascii => b'a' as i64,
                    };
                    if let Some(dt) = &i.debug_text {
                        text.push_str(dt.as_str());
                        if conv == -1 && i.format_spec.is_none() {
                            conv = b'r' as i64;
                        }
                    }
                    self.flush(text, values, whole);
                    let spec = match &i.format_spec {
                        Some(spec) => {
                            let mut st = String::new();
                            let mut sv = Vec::new();
                            self.elements(&spec.elements, whole, part, &mut st, &mut sv);
                            self.flush(&mut st, &mut sv, whole);
                            self.node("JoinedStr", vec![ListObj::new_value(sv)], Some(part))
                        }
                        None => Value::none(),
                    };
                    values.push(self.node(
                        "FormattedValue",
                        vec![self.expr(&i.expression), Value::int(conv), spec],
                        Some(whole),
                    ));
                }
            }
        }
    }

    fn pattern(&self, p: &Pattern) -> Value {
        let r = Some(p.range());
        match p {
            Pattern::MatchValue(x) => self.node("MatchValue", vec![self.expr(&x.value)], r),
            Pattern::MatchSingleton(x) => {
                let v = match x.value {
                    ast::Singleton::None => Value::none(),
                    ast::Singleton::True => Value::bool(true),
                    ast::Singleton::False => Value::bool(false),
                };
                self.node("MatchSingleton", vec![v], r)
            }
            Pattern::MatchSequence(x) => self.node(
                "MatchSequence",
                vec![self.list(&x.patterns, |p| self.pattern(p))],
                r,
            ),
            Pattern::MatchMapping(x) => self.node(
                "MatchMapping",
                vec![
                    self.exprs(&x.keys),
                    self.list(&x.patterns, |p| self.pattern(p)),
                    opt_ident(&x.rest),
                ],
                r,
            ),
            Pattern::MatchClass(x) => self.node(
                "MatchClass",
                vec![
                    self.expr(&x.cls),
                    self.list(&x.arguments.patterns, |p| self.pattern(p)),
                    self.list(&x.arguments.keywords, |k| ident(k.attr.as_str())),
                    self.list(&x.arguments.keywords, |k| self.pattern(&k.pattern)),
                ],
                r,
            ),
            Pattern::MatchStar(x) => self.node("MatchStar", vec![opt_ident(&x.name)], r),
            Pattern::MatchAs(x) => {
                let inner = match &x.pattern {
                    Some(p) => self.pattern(p),
                    None => Value::none(),
                };
                self.node("MatchAs", vec![inner, opt_ident(&x.name)], r)
            }
            Pattern::MatchOr(x) => self.node(
                "MatchOr",
                vec![self.list(&x.patterns, |p| self.pattern(p))],
                r,
            ),
        }
    }
}

/// CPython's class name of a binary operator (ruff's names are the same).
pub fn op_name(op: ast::Operator) -> &'static str {
    use ast::Operator::*;
    match op {
        Add => "Add",
        Sub => "Sub",
        Mult => "Mult",
        MatMult => "MatMult",
        Div => "Div",
        Mod => "Mod",
        Pow => "Pow",
        LShift => "LShift",
        RShift => "RShift",
        BitOr => "BitOr",
        BitXor => "BitXor",
        BitAnd => "BitAnd",
        FloorDiv => "FloorDiv",
    }
}

/// CPython's class name of a comparison operator.
pub fn cmp_name(op: ast::CmpOp) -> &'static str {
    use ast::CmpOp::*;
    match op {
        Eq => "Eq",
        NotEq => "NotEq",
        Lt => "Lt",
        LtE => "LtE",
        Gt => "Gt",
        GtE => "GtE",
        Is => "Is",
        IsNot => "IsNot",
        In => "In",
        NotIn => "NotIn",
    }
}
