//! A tree of `_ast` nodes back to code (`compile(tree, file, mode)`): each node is read
//! through its attributes (so subclasses and nodes built by hand work), checked with
//! CPython's messages for the usual mistakes (a missing field or location, a wrong
//! node kind, a wrong `ctx`, an empty body), and rebuilt as ruff's syntax node, which
//! stitch's compiler then compiles like parsed source.
//!
//! Positions: the compiler only needs line numbers, which it finds from the offset
//! where a node starts, and it tells scopes apart by their ranges. So each located
//! node gets its own offset (numbered in visiting order) and the line table maps each
//! offset to the node's `lineno`.
use ruff_python_ast::{self as ast, AtomicNodeIndex, Expr, Pattern, Stmt};
use ruff_text_size::{TextRange, TextSize};

use super::Classes;
use super::to_py::ParseMode;
use crate::compile::codegen::Mode;
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{PyResult, Vm};

// Each use is a fresh, unset index for a rebuilt node (what ruff's parser gives).
#[allow(
    clippy::declare_interior_mutable_const,
    reason = "each use is meant to be a fresh cell"
)]
const NI: AtomicNodeIndex = AtomicNodeIndex::NONE;

/// Deepest nesting of nodes converted (a tree built by a program can be deeper than any
/// parsed one; CPython stops such trees with a RecursionError too).
const MAX_DEPTH: u32 = 3000;

fn root_name(mode: ParseMode) -> &'static str {
    match mode {
        ParseMode::Exec => "Module",
        ParseMode::Eval => "Expression",
        ParseMode::Single => "Interactive",
        ParseMode::FuncType => "FunctionType",
    }
}

/// Checks that `tree` is the root node `mode` expects (`expected Module node, got
/// Expression`).
pub fn check_root(vm: &mut Vm, tree: &Value, mode: ParseMode) -> PyResult<()> {
    let c = super::classes(vm)?;
    let want = root_name(mode);
    if c.kind_of(tree) != Some(want) {
        let got = tree.type_data().name.clone();
        return Err(vm.type_error(format!("expected {want} node, got {got}")));
    }
    Ok(())
}

/// Compiles a tree of nodes to a code object.
/// `future_flags`: the `__future__` bits `compile()` was given or inherited;
/// `optimize`: its optimization level (-1: the process's).
pub fn compile_tree(
    vm: &mut Vm,
    tree: &Value,
    filename: &str,
    mode: ParseMode,
    future_flags: u32,
    optimize: i32,
) -> PyResult<Value> {
    check_root(vm, tree, mode)?;
    let c = super::classes(vm)?;
    let mut conv = Conv {
        vm,
        c,
        lines: Vec::new(),
        depth: 0,
    };
    let body: Vec<Stmt> = match mode {
        ParseMode::Exec => {
            let body = conv.stmts(tree, "body", "Module")?;
            for t in conv.seq(tree, "type_ignores", "Module")? {
                conv.kind(&t, "type_ignore")?;
            }
            body
        }
        ParseMode::Single => conv.stmts(tree, "body", "Interactive")?,
        ParseMode::Eval => {
            let e = conv.expr_field(tree, "body", "Expression", Ctx::Load)?;
            vec![Stmt::Expr(ast::StmtExpr {
                node_index: NI,
                range: ast_range(&e),
                value: Box::new(e),
            })]
        }
        ParseMode::FuncType => {
            return Err(conv
                .vm
                .value_error("compile() mode 'func_type' requires flag PyCF_ONLY_AST"));
        }
    };
    let lines = std::mem::take(&mut conv.lines);
    let cmode = match mode {
        ParseMode::Eval => Mode::Eval,
        ParseMode::Single => Mode::Single,
        _ => Mode::Exec,
    };
    let file = filename.to_string();
    let r = crate::compile::on_compiler_stack(filename, move || {
        crate::compile::compile_lines(&body, lines, &file, cmode, future_flags, optimize)
    });
    r.map_err(|e| crate::builtins::syntax_error_value(vm, &e))
}

fn ast_range(e: &Expr) -> TextRange {
    ruff_text_size::Ranged::range(e)
}

/// The context an expression must have where it stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Load,
    Store,
    Del,
}

impl Ctx {
    fn name(self) -> &'static str {
        match self {
            Ctx::Load => "Load",
            Ctx::Store => "Store",
            Ctx::Del => "Del",
        }
    }

    fn ruff(self) -> ast::ExprContext {
        match self {
            Ctx::Load => ast::ExprContext::Load,
            Ctx::Store => ast::ExprContext::Store,
            Ctx::Del => ast::ExprContext::Del,
        }
    }
}

struct Conv<'v> {
    vm: &'v mut Vm,
    c: &'static Classes,
    /// (offset, line) of every located node, in the order offsets were handed out.
    lines: Vec<(u32, u32)>,
    depth: u32,
}

fn ident_of(s: &str, r: TextRange) -> ast::Identifier {
    ast::Identifier::new(ast::name::Name::new(s), r)
}

impl Conv<'_> {
    // ---- reading fields -------------------------------------------------------------

    fn attr(&mut self, node: &Value, name: &str) -> PyResult<Option<Value>> {
        crate::ops::getattr_opt(self.vm, node, name)
    }

    /// A required field: missing or None is `required field "x" missing from T`.
    fn req(&mut self, node: &Value, name: &str, owner: &str) -> PyResult<Value> {
        match self.attr(node, name)? {
            Some(v) if !v.is_none() => Ok(v),
            _ => Err(self
                .vm
                .type_error(format!("required field \"{name}\" missing from {owner}"))),
        }
    }

    /// An optional field: missing or None is None.
    fn opt(&mut self, node: &Value, name: &str) -> PyResult<Option<Value>> {
        Ok(self.attr(node, name)?.filter(|v| !v.is_none()))
    }

    /// A list field.
    fn seq(&mut self, node: &Value, name: &str, owner: &str) -> PyResult<Vec<Value>> {
        let v = self.req(node, name, owner)?;
        if let Some(l) = v.downcast::<crate::types::list::ListObj>() {
            return Ok(l.snapshot());
        }
        let tn = crate::builtins::type_name(&v);
        Err(self.vm.type_error(format!(
            "{owner} field \"{name}\" must be a list, not a {tn}"
        )))
    }

    fn int_of(&mut self, v: &Value) -> PyResult<i64> {
        if let Some(i) = v.as_small_int() {
            return Ok(i);
        }
        if v.is_bool() {
            return Ok(v.is_true_singleton() as i64);
        }
        let r = crate::ops::repr(self.vm, v)?;
        Err(self.vm.value_error(format!("invalid integer value: {r}")))
    }

    fn identifier(&mut self, v: &Value) -> PyResult<String> {
        match as_str(v) {
            Some(s) => Ok(s.to_string()),
            None => Err(self.vm.type_error("AST identifier must be of type str")),
        }
    }

    fn ident_field(&mut self, node: &Value, name: &str, owner: &str) -> PyResult<String> {
        let v = self.req(node, name, owner)?;
        self.identifier(&v)
    }

    fn opt_ident(
        &mut self,
        node: &Value,
        name: &str,
        r: TextRange,
    ) -> PyResult<Option<ast::Identifier>> {
        match self.opt(node, name)? {
            Some(v) => Ok(Some(ident_of(&self.identifier(&v)?, r))),
            None => Ok(None),
        }
    }

    /// The node's location: a range of its own, whose line is the node's `lineno`.
    fn loc(&mut self, node: &Value, owner: &str) -> PyResult<TextRange> {
        let l = self.req(node, "lineno", owner)?;
        let l = self.int_of(&l)?;
        let c = self.req(node, "col_offset", owner)?;
        self.int_of(&c)?;
        let el = match self.opt(node, "end_lineno")? {
            Some(v) => self.int_of(&v)?,
            None => l,
        };
        if let Some(v) = self.opt(node, "end_col_offset")? {
            self.int_of(&v)?;
        }
        // A fresh offset per node: scopes are told apart by their ranges.
        let off = self.lines.len() as u32;
        self.lines.push((off, l.clamp(1, u32::MAX as i64) as u32));
        let _ = el;
        Ok(TextRange::new(TextSize::new(off), TextSize::new(off + 1)))
    }

    /// Which node class (of the table) `v` is, and a TypeError naming `group` if it is
    /// not one of `group`'s.
    fn kind(&mut self, v: &Value, group: &str) -> PyResult<&'static str> {
        if let Some(k) = self.c.kind_of(v)
            && super::nodes::NODES
                .iter()
                .any(|d| d.name == k && (d.base == group || d.name == group))
        {
            return Ok(k);
        }
        let r = crate::ops::repr(self.vm, v)?;
        Err(self
            .vm
            .type_error(format!("expected some sort of {group}, but got {r}")))
    }

    fn enter(&mut self) -> PyResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.vm.err(
                crate::world::types().recursion_error,
                "maximum recursion depth exceeded during compilation",
            ));
        }
        Ok(())
    }

    // ---- statements -----------------------------------------------------------------

    fn stmts(&mut self, node: &Value, name: &str, owner: &str) -> PyResult<Vec<Stmt>> {
        let items = self.seq(node, name, owner)?;
        items.iter().map(|s| self.stmt(s)).collect()
    }

    /// A body that must not be empty (`empty body on If`).
    fn body(&mut self, node: &Value, owner: &str) -> PyResult<Vec<Stmt>> {
        let b = self.stmts(node, "body", owner)?;
        if b.is_empty() {
            return Err(self.vm.value_error(format!("empty body on {owner}")));
        }
        Ok(b)
    }

    fn stmt(&mut self, v: &Value) -> PyResult<Stmt> {
        self.enter()?;
        let r = self.stmt_inner(v);
        self.depth -= 1;
        r
    }

    fn stmt_inner(&mut self, v: &Value) -> PyResult<Stmt> {
        let k = self.kind(v, "stmt")?;
        let range = self.loc(v, "stmt")?;
        Ok(match k {
            "FunctionDef" | "AsyncFunctionDef" => {
                let name = self.ident_field(v, "name", k)?;
                let args = self.req(v, "args", k)?;
                let parameters = Box::new(self.arguments(&args)?);
                let body = self.body(v, k)?;
                let decorator_list = self.decorators(v, k)?;
                let returns = self.opt_expr(v, "returns")?.map(Box::new);
                Stmt::FunctionDef(ast::StmtFunctionDef {
                    node_index: NI,
                    range,
                    is_async: k == "AsyncFunctionDef",
                    decorator_list: decorator_list.into_iter().collect(),
                    name: ident_of(&name, range),
                    type_params: None,
                    parameters,
                    returns,
                    body: body.into_iter().collect(),
                })
            }
            "ClassDef" => {
                let name = self.ident_field(v, "name", k)?;
                let bases = self.exprs(v, "bases", k, Ctx::Load)?;
                let keywords = self.keywords(v, k)?;
                let body = self.body(v, k)?;
                let decorator_list = self.decorators(v, k)?;
                let arguments = if bases.is_empty() && keywords.is_empty() {
                    None
                } else {
                    Some(Box::new(ast::Arguments {
                        node_index: NI,
                        range,
                        args: bases.into_boxed_slice(),
                        keywords: keywords.into_iter().collect(),
                    }))
                };
                Stmt::ClassDef(ast::StmtClassDef {
                    node_index: NI,
                    range,
                    decorator_list: decorator_list.into_iter().collect(),
                    name: ident_of(&name, range),
                    type_params: None,
                    arguments,
                    body: body.into_iter().collect(),
                })
            }
            "Return" => Stmt::Return(ast::StmtReturn {
                node_index: NI,
                range,
                value: self.opt_expr(v, "value")?.map(Box::new),
            }),
            "Delete" => {
                let targets = self.exprs(v, "targets", k, Ctx::Del)?;
                if targets.is_empty() {
                    return Err(self.vm.value_error("empty targets on Delete"));
                }
                Stmt::Delete(ast::StmtDelete {
                    node_index: NI,
                    range,
                    targets,
                })
            }
            "Assign" => {
                let targets = self.exprs(v, "targets", k, Ctx::Store)?;
                if targets.is_empty() {
                    return Err(self.vm.value_error("empty targets on Assign"));
                }
                let value = Box::new(self.expr_field(v, "value", k, Ctx::Load)?);
                Stmt::Assign(ast::StmtAssign {
                    node_index: NI,
                    range,
                    targets,
                    value,
                })
            }
            "AugAssign" => {
                let target = Box::new(self.expr_field(v, "target", k, Ctx::Store)?);
                let op = self.operator(v, k)?;
                let value = Box::new(self.expr_field(v, "value", k, Ctx::Load)?);
                Stmt::AugAssign(ast::StmtAugAssign {
                    node_index: NI,
                    range,
                    target,
                    op,
                    value,
                })
            }
            "AnnAssign" => {
                let target = Box::new(self.expr_field(v, "target", k, Ctx::Store)?);
                let annotation = Box::new(self.expr_field(v, "annotation", k, Ctx::Load)?);
                let value = self.opt_expr(v, "value")?.map(Box::new);
                let simple = self.req(v, "simple", k)?;
                let simple = self.int_of(&simple)? != 0;
                Stmt::AnnAssign(ast::StmtAnnAssign {
                    node_index: NI,
                    range,
                    target,
                    annotation,
                    value,
                    simple,
                })
            }
            "For" | "AsyncFor" => {
                let target = Box::new(self.expr_field(v, "target", k, Ctx::Store)?);
                let iter = Box::new(self.expr_field(v, "iter", k, Ctx::Load)?);
                let body = self.body(v, k)?;
                let orelse = self.stmts(v, "orelse", k)?;
                Stmt::For(ast::StmtFor {
                    node_index: NI,
                    range,
                    is_async: k == "AsyncFor",
                    target,
                    iter,
                    body: body.into_iter().collect(),
                    orelse: orelse.into_iter().collect(),
                })
            }
            "While" => {
                let test = Box::new(self.expr_field(v, "test", k, Ctx::Load)?);
                let body = self.body(v, k)?;
                let orelse = self.stmts(v, "orelse", k)?;
                Stmt::While(ast::StmtWhile {
                    node_index: NI,
                    range,
                    test,
                    body: body.into_iter().collect(),
                    orelse: orelse.into_iter().collect(),
                })
            }
            "If" => {
                let test = Box::new(self.expr_field(v, "test", k, Ctx::Load)?);
                let body = self.body(v, k)?;
                let orelse = self.stmts(v, "orelse", k)?;
                let elif_else_clauses = if orelse.is_empty() {
                    vec![]
                } else {
                    vec![ast::ElifElseClause {
                        node_index: NI,
                        range,
                        test: None,
                        body: orelse.into_iter().collect(),
                    }]
                };
                Stmt::If(ast::StmtIf {
                    node_index: NI,
                    range,
                    test,
                    body: body.into_iter().collect(),
                    elif_else_clauses,
                })
            }
            "With" | "AsyncWith" => {
                let items_v = self.seq(v, "items", k)?;
                if items_v.is_empty() {
                    return Err(self.vm.value_error(format!("empty items on {k}")));
                }
                let mut items = Vec::new();
                for it in &items_v {
                    self.kind(it, "withitem")?;
                    let context_expr =
                        self.expr_field(it, "context_expr", "withitem", Ctx::Load)?;
                    let optional_vars = match self.opt(it, "optional_vars")? {
                        Some(o) => Some(Box::new(self.expr(&o, Ctx::Store)?)),
                        None => None,
                    };
                    items.push(ast::WithItem {
                        node_index: NI,
                        range,
                        context_expr,
                        optional_vars,
                    });
                }
                let body = self.body(v, k)?;
                Stmt::With(ast::StmtWith {
                    node_index: NI,
                    range,
                    is_async: k == "AsyncWith",
                    items,
                    body: body.into_iter().collect(),
                })
            }
            "Match" => {
                let subject = Box::new(self.expr_field(v, "subject", k, Ctx::Load)?);
                let cases_v = self.seq(v, "cases", k)?;
                if cases_v.is_empty() {
                    return Err(self.vm.value_error("empty cases on Match"));
                }
                let mut cases = Vec::new();
                for c in &cases_v {
                    self.kind(c, "match_case")?;
                    let p = self.req(c, "pattern", "match_case")?;
                    let pattern = self.pattern(&p)?;
                    let guard = self.opt_expr(c, "guard")?.map(Box::new);
                    let body = self.body(c, "match_case")?;
                    cases.push(ast::MatchCase {
                        node_index: NI,
                        range,
                        pattern,
                        guard,
                        body: body.into_iter().collect(),
                    });
                }
                Stmt::Match(ast::StmtMatch {
                    node_index: NI,
                    range,
                    subject,
                    cases,
                })
            }
            "Raise" => {
                let exc = self.opt_expr(v, "exc")?.map(Box::new);
                let cause = self.opt_expr(v, "cause")?.map(Box::new);
                if exc.is_none() && cause.is_some() {
                    return Err(self.vm.value_error("Raise with cause but no exception"));
                }
                Stmt::Raise(ast::StmtRaise {
                    node_index: NI,
                    range,
                    exc,
                    cause,
                })
            }
            "Try" | "TryStar" => {
                let body = self.body(v, k)?;
                let handlers_v = self.seq(v, "handlers", k)?;
                let mut handlers = Vec::new();
                for h in &handlers_v {
                    self.kind(h, "excepthandler")?;
                    let hr = self.loc(h, "excepthandler")?;
                    let type_ = self.opt_expr(h, "type")?.map(Box::new);
                    let name = self.opt_ident(h, "name", hr)?;
                    let hbody = self.body(h, "ExceptHandler")?;
                    handlers.push(ast::ExceptHandler::ExceptHandler(
                        ast::ExceptHandlerExceptHandler {
                            node_index: NI,
                            range: hr,
                            type_,
                            name,
                            body: hbody.into_iter().collect(),
                        },
                    ));
                }
                let orelse = self.stmts(v, "orelse", k)?;
                let finalbody = self.stmts(v, "finalbody", k)?;
                if handlers.is_empty() && finalbody.is_empty() {
                    return Err(self
                        .vm
                        .value_error(format!("{k} has neither except handlers nor finalbody")));
                }
                if handlers.is_empty() && !orelse.is_empty() {
                    return Err(self
                        .vm
                        .value_error(format!("{k} has orelse but no except handlers")));
                }
                Stmt::Try(ast::StmtTry {
                    node_index: NI,
                    range,
                    body: body.into_iter().collect(),
                    handlers,
                    orelse: orelse.into_iter().collect(),
                    finalbody: finalbody.into_iter().collect(),
                    is_star: k == "TryStar",
                })
            }
            "Assert" => Stmt::Assert(ast::StmtAssert {
                node_index: NI,
                range,
                test: Box::new(self.expr_field(v, "test", k, Ctx::Load)?),
                msg: self.opt_expr(v, "msg")?.map(Box::new),
            }),
            "Import" => Stmt::Import(ast::StmtImport {
                node_index: NI,
                range,
                names: self.aliases(v, k)?,
                is_lazy: false,
            }),
            "ImportFrom" => {
                let module = self.opt_ident(v, "module", range)?;
                let names = self.aliases(v, k)?;
                let level = match self.opt(v, "level")? {
                    Some(l) => self.int_of(&l)?,
                    None => 0,
                };
                if level < 0 {
                    return Err(self.vm.value_error("Negative ImportFrom level"));
                }
                Stmt::ImportFrom(ast::StmtImportFrom {
                    node_index: NI,
                    range,
                    module,
                    names,
                    level: level.min(u32::MAX as i64) as u32,
                    is_lazy: false,
                })
            }
            "Global" | "Nonlocal" => {
                let names_v = self.seq(v, "names", k)?;
                let mut names = Vec::new();
                for n in &names_v {
                    names.push(ident_of(&self.identifier(n)?, range));
                }
                if k == "Global" {
                    Stmt::Global(ast::StmtGlobal {
                        node_index: NI,
                        range,
                        names,
                    })
                } else {
                    Stmt::Nonlocal(ast::StmtNonlocal {
                        node_index: NI,
                        range,
                        names,
                    })
                }
            }
            "Expr" => Stmt::Expr(ast::StmtExpr {
                node_index: NI,
                range,
                value: Box::new(self.expr_field(v, "value", k, Ctx::Load)?),
            }),
            "Pass" => Stmt::Pass(ast::StmtPass {
                node_index: NI,
                range,
            }),
            "Break" => Stmt::Break(ast::StmtBreak {
                node_index: NI,
                range,
            }),
            _ => Stmt::Continue(ast::StmtContinue {
                node_index: NI,
                range,
            }),
        })
    }

    fn decorators(&mut self, v: &Value, owner: &str) -> PyResult<Vec<ast::Decorator>> {
        let ds = self.exprs(v, "decorator_list", owner, Ctx::Load)?;
        Ok(ds
            .into_iter()
            .map(|expression| ast::Decorator {
                node_index: NI,
                range: ast_range(&expression),
                expression,
            })
            .collect())
    }

    fn aliases(&mut self, v: &Value, owner: &str) -> PyResult<Vec<ast::Alias>> {
        let items = self.seq(v, "names", owner)?;
        let mut out = Vec::new();
        for a in &items {
            self.kind(a, "alias")?;
            let r = self.loc(a, "alias")?;
            let name = self.ident_field(a, "name", "alias")?;
            let asname = self.opt_ident(a, "asname", r)?;
            out.push(ast::Alias {
                node_index: NI,
                range: r,
                name: ident_of(&name, r),
                asname,
            });
        }
        Ok(out)
    }

    fn keywords(&mut self, v: &Value, owner: &str) -> PyResult<Vec<ast::Keyword>> {
        let items = self.seq(v, "keywords", owner)?;
        let mut out = Vec::new();
        for kw in &items {
            self.kind(kw, "keyword")?;
            let r = self.loc(kw, "keyword")?;
            let arg = self.opt_ident(kw, "arg", r)?;
            let value = self.expr_field(kw, "value", "keyword", Ctx::Load)?;
            out.push(ast::Keyword {
                node_index: NI,
                range: r,
                arg,
                value,
            });
        }
        Ok(out)
    }

    fn arg(&mut self, a: &Value) -> PyResult<ast::Parameter> {
        self.kind(a, "arg")?;
        let r = self.loc(a, "arg")?;
        let name = self.ident_field(a, "arg", "arg")?;
        let annotation = self.opt_expr(a, "annotation")?.map(Box::new);
        Ok(ast::Parameter {
            node_index: NI,
            range: r,
            name: ident_of(&name, r),
            annotation,
        })
    }

    fn args(&mut self, v: &Value, name: &str) -> PyResult<Vec<ast::Parameter>> {
        let items = self.seq(v, name, "arguments")?;
        items.iter().map(|a| self.arg(a)).collect()
    }

    fn arguments(&mut self, v: &Value) -> PyResult<ast::Parameters> {
        self.kind(v, "arguments")?;
        let posonly = self.args(v, "posonlyargs")?;
        let args = self.args(v, "args")?;
        let vararg = match self.opt(v, "vararg")? {
            Some(a) => Some(Box::new(self.arg(&a)?)),
            None => None,
        };
        let kwonly = self.args(v, "kwonlyargs")?;
        let kw_defaults_v = self.seq(v, "kw_defaults", "arguments")?;
        let kwarg = match self.opt(v, "kwarg")? {
            Some(a) => Some(Box::new(self.arg(&a)?)),
            None => None,
        };
        let defaults = self.exprs(v, "defaults", "arguments", Ctx::Load)?;
        if defaults.len() > posonly.len() + args.len() {
            return Err(self
                .vm
                .value_error("more positional defaults than args on arguments"));
        }
        if kw_defaults_v.len() != kwonly.len() {
            return Err(self
                .vm
                .value_error("length of kwonlyargs is not the same as kw_defaults on arguments"));
        }
        let mut kw_defaults = Vec::new();
        for d in &kw_defaults_v {
            kw_defaults.push(if d.is_none() {
                None
            } else {
                Some(self.expr(d, Ctx::Load)?)
            });
        }
        // Defaults belong to the last positional parameters.
        let first_default = posonly.len() + args.len() - defaults.len();
        let mut defaults = defaults.into_iter();
        let mut with_default = |i: usize, parameter: ast::Parameter| ast::ParameterWithDefault {
            node_index: NI,
            range: parameter.range,
            parameter,
            default: if i >= first_default {
                defaults.next().map(Box::new)
            } else {
                None
            },
        };
        let n_posonly = posonly.len();
        let posonlyargs = posonly
            .into_iter()
            .enumerate()
            .map(|(i, p)| with_default(i, p))
            .collect();
        let args = args
            .into_iter()
            .enumerate()
            .map(|(i, p)| with_default(n_posonly + i, p))
            .collect();
        let kwonlyargs = kwonly
            .into_iter()
            .zip(kw_defaults)
            .map(|(parameter, d)| ast::ParameterWithDefault {
                node_index: NI,
                range: parameter.range,
                parameter,
                default: d.map(Box::new),
            })
            .collect();
        Ok(ast::Parameters {
            node_index: NI,
            range: TextRange::default(),
            posonlyargs,
            args,
            vararg,
            kwonlyargs,
            kwarg,
        })
    }

    // ---- expressions ----------------------------------------------------------------

    fn exprs(&mut self, v: &Value, name: &str, owner: &str, ctx: Ctx) -> PyResult<Vec<Expr>> {
        let items = self.seq(v, name, owner)?;
        items.iter().map(|e| self.expr(e, ctx)).collect()
    }

    fn expr_field(&mut self, v: &Value, name: &str, owner: &str, ctx: Ctx) -> PyResult<Expr> {
        let e = self.req(v, name, owner)?;
        self.expr(&e, ctx)
    }

    fn opt_expr(&mut self, v: &Value, name: &str) -> PyResult<Option<Expr>> {
        match self.opt(v, name)? {
            Some(e) => Ok(Some(self.expr(&e, Ctx::Load)?)),
            None => Ok(None),
        }
    }

    fn expr(&mut self, v: &Value, ctx: Ctx) -> PyResult<Expr> {
        self.enter()?;
        let r = self.expr_inner(v, ctx);
        self.depth -= 1;
        r
    }

    /// The `ctx` of a node that has one, checked against the context it stands in.
    fn check_ctx(&mut self, v: &Value, k: &str, want: Ctx) -> PyResult<ast::ExprContext> {
        let c = self.req(v, "ctx", k)?;
        let got = self.kind(&c, "expr_context")?;
        if got != want.name() {
            return Err(self.vm.value_error(format!(
                "expression must have {} context but has {got} instead",
                want.name()
            )));
        }
        Ok(want.ruff())
    }

    fn operator(&mut self, v: &Value, owner: &str) -> PyResult<ast::Operator> {
        use ast::Operator::*;
        let o = self.req(v, "op", owner)?;
        Ok(match self.kind(&o, "operator")? {
            "Add" => Add,
            "Sub" => Sub,
            "Mult" => Mult,
            "MatMult" => MatMult,
            "Div" => Div,
            "Mod" => Mod,
            "Pow" => Pow,
            "LShift" => LShift,
            "RShift" => RShift,
            "BitOr" => BitOr,
            "BitXor" => BitXor,
            "BitAnd" => BitAnd,
            _ => FloorDiv,
        })
    }

    fn cmpop(&mut self, o: &Value) -> PyResult<ast::CmpOp> {
        use ast::CmpOp::*;
        Ok(match self.kind(o, "cmpop")? {
            "Eq" => Eq,
            "NotEq" => NotEq,
            "Lt" => Lt,
            "LtE" => LtE,
            "Gt" => Gt,
            "GtE" => GtE,
            "Is" => Is,
            "IsNot" => IsNot,
            "In" => In,
            _ => NotIn,
        })
    }

    fn comprehensions(&mut self, v: &Value, owner: &str) -> PyResult<Vec<ast::Comprehension>> {
        let items = self.seq(v, "generators", owner)?;
        if items.is_empty() {
            return Err(self
                .vm
                .value_error("comprehension with no generators".to_string()));
        }
        let mut out = Vec::new();
        for g in &items {
            self.kind(g, "comprehension")?;
            let target = self.expr_field(g, "target", "comprehension", Ctx::Store)?;
            let iter = self.expr_field(g, "iter", "comprehension", Ctx::Load)?;
            let ifs = self.exprs(g, "ifs", "comprehension", Ctx::Load)?;
            let is_async = match self.opt(g, "is_async")? {
                Some(a) => self.int_of(&a)? != 0,
                None => false,
            };
            out.push(ast::Comprehension {
                node_index: NI,
                range: ast_range(&iter),
                target,
                iter,
                ifs,
                is_async,
            });
        }
        Ok(out)
    }

    fn expr_inner(&mut self, v: &Value, ctx: Ctx) -> PyResult<Expr> {
        let k = self.kind(v, "expr")?;
        let range = self.loc(v, "expr")?;
        // Only targets may store or delete.
        if ctx != Ctx::Load
            && !matches!(
                k,
                "Name" | "Attribute" | "Subscript" | "Starred" | "List" | "Tuple"
            )
        {
            let verb = if ctx == Ctx::Store {
                "assigned to"
            } else {
                "deleted"
            };
            return Err(self.vm.value_error(format!(
                "expression which can't be {verb} in {} context",
                ctx.name()
            )));
        }
        Ok(match k {
            "BoolOp" => {
                let o = self.req(v, "op", k)?;
                let op = if self.kind(&o, "boolop")? == "And" {
                    ast::BoolOp::And
                } else {
                    ast::BoolOp::Or
                };
                let values = self.exprs(v, "values", k, Ctx::Load)?;
                if values.len() < 2 {
                    return Err(self.vm.value_error("BoolOp with less than 2 values"));
                }
                Expr::BoolOp(ast::ExprBoolOp {
                    node_index: NI,
                    range,
                    op,
                    values,
                })
            }
            "NamedExpr" => Expr::Named(ast::ExprNamed {
                node_index: NI,
                range,
                target: Box::new(self.expr_field(v, "target", k, Ctx::Store)?),
                value: Box::new(self.expr_field(v, "value", k, Ctx::Load)?),
            }),
            "BinOp" => {
                let left = Box::new(self.expr_field(v, "left", k, Ctx::Load)?);
                let op = self.operator(v, k)?;
                let right = Box::new(self.expr_field(v, "right", k, Ctx::Load)?);
                Expr::BinOp(ast::ExprBinOp {
                    node_index: NI,
                    range,
                    left,
                    op,
                    right,
                })
            }
            "UnaryOp" => {
                let o = self.req(v, "op", k)?;
                let op = match self.kind(&o, "unaryop")? {
                    "Invert" => ast::UnaryOp::Invert,
                    "Not" => ast::UnaryOp::Not,
                    "UAdd" => ast::UnaryOp::UAdd,
                    _ => ast::UnaryOp::USub,
                };
                let operand = Box::new(self.expr_field(v, "operand", k, Ctx::Load)?);
                Expr::UnaryOp(ast::ExprUnaryOp {
                    node_index: NI,
                    range,
                    op,
                    operand,
                })
            }
            "Lambda" => {
                let a = self.req(v, "args", k)?;
                let parameters = Some(Box::new(self.arguments(&a)?));
                let body = Box::new(self.expr_field(v, "body", k, Ctx::Load)?);
                Expr::Lambda(ast::ExprLambda {
                    node_index: NI,
                    range,
                    parameters,
                    body,
                })
            }
            "IfExp" => Expr::If(ast::ExprIf {
                node_index: NI,
                range,
                test: Box::new(self.expr_field(v, "test", k, Ctx::Load)?),
                body: Box::new(self.expr_field(v, "body", k, Ctx::Load)?),
                orelse: Box::new(self.expr_field(v, "orelse", k, Ctx::Load)?),
            }),
            "Dict" => {
                let keys = self.seq(v, "keys", k)?;
                let values = self.exprs(v, "values", k, Ctx::Load)?;
                if keys.len() != values.len() {
                    return Err(self
                        .vm
                        .value_error("Dict doesn't have the same number of keys as values"));
                }
                let mut items = Vec::new();
                for (key, value) in keys.iter().zip(values) {
                    let key = if key.is_none() {
                        None
                    } else {
                        Some(self.expr(key, Ctx::Load)?)
                    };
                    items.push(ast::DictItem { key, value });
                }
                Expr::Dict(ast::ExprDict {
                    node_index: NI,
                    range,
                    items,
                })
            }
            "Set" => Expr::Set(ast::ExprSet {
                node_index: NI,
                range,
                elts: self.exprs(v, "elts", k, Ctx::Load)?,
            }),
            "ListComp" | "SetComp" | "GeneratorExp" => {
                let elt = Box::new(self.expr_field(v, "elt", k, Ctx::Load)?);
                let generators = self.comprehensions(v, k)?;
                match k {
                    "ListComp" => Expr::ListComp(ast::ExprListComp {
                        node_index: NI,
                        range,
                        elt,
                        generators,
                    }),
                    "SetComp" => Expr::SetComp(ast::ExprSetComp {
                        node_index: NI,
                        range,
                        elt,
                        generators,
                    }),
                    _ => Expr::Generator(ast::ExprGenerator {
                        node_index: NI,
                        range,
                        elt,
                        generators,
                        parenthesized: true,
                    }),
                }
            }
            "DictComp" => {
                let key = Some(Box::new(self.expr_field(v, "key", k, Ctx::Load)?));
                let value = Box::new(self.expr_field(v, "value", k, Ctx::Load)?);
                let generators = self.comprehensions(v, k)?;
                Expr::DictComp(ast::ExprDictComp {
                    node_index: NI,
                    range,
                    key,
                    value,
                    generators,
                })
            }
            "Await" => Expr::Await(ast::ExprAwait {
                node_index: NI,
                range,
                value: Box::new(self.expr_field(v, "value", k, Ctx::Load)?),
            }),
            "Yield" => Expr::Yield(ast::ExprYield {
                node_index: NI,
                range,
                value: self.opt_expr(v, "value")?.map(Box::new),
            }),
            "YieldFrom" => Expr::YieldFrom(ast::ExprYieldFrom {
                node_index: NI,
                range,
                value: Box::new(self.expr_field(v, "value", k, Ctx::Load)?),
            }),
            "Compare" => {
                let left = Box::new(self.expr_field(v, "left", k, Ctx::Load)?);
                let ops_v = self.seq(v, "ops", k)?;
                let comparators = self.exprs(v, "comparators", k, Ctx::Load)?;
                if comparators.is_empty() {
                    return Err(self.vm.value_error("Compare with no comparators"));
                }
                if ops_v.len() != comparators.len() {
                    return Err(self.vm.value_error(
                        "Compare has a different number of comparators and operands",
                    ));
                }
                let mut ops = Vec::new();
                for o in &ops_v {
                    ops.push(self.cmpop(o)?);
                }
                Expr::Compare(ast::ExprCompare {
                    node_index: NI,
                    range,
                    left,
                    ops: ops.into_boxed_slice(),
                    comparators: comparators.into_boxed_slice(),
                })
            }
            "Call" => {
                let func = Box::new(self.expr_field(v, "func", k, Ctx::Load)?);
                let args = self.exprs(v, "args", k, Ctx::Load)?;
                let keywords = self.keywords(v, k)?;
                Expr::Call(ast::ExprCall {
                    node_index: NI,
                    range_start: range.start(),
                    func,
                    arguments: ast::Arguments {
                        node_index: NI,
                        range,
                        args: args.into_boxed_slice(),
                        keywords: keywords.into_iter().collect(),
                    },
                })
            }
            "FormattedValue" => {
                let el = self.formatted(v, range)?;
                self.fstring(vec![el], range)
            }
            "JoinedStr" => {
                let els = self.fstring_elements(v, range)?;
                self.fstring(els, range)
            }
            "Constant" => {
                let c = self.req_constant(v)?;
                self.constant(&c, range)?
            }
            "Attribute" => {
                let value = Box::new(self.expr_field(v, "value", k, Ctx::Load)?);
                let attr = self.ident_field(v, "attr", k)?;
                let ctx = self.check_ctx(v, k, ctx)?;
                Expr::Attribute(ast::ExprAttribute {
                    node_index: NI,
                    range,
                    value,
                    attr: ident_of(&attr, range),
                    ctx,
                })
            }
            "Subscript" => {
                let value = Box::new(self.expr_field(v, "value", k, Ctx::Load)?);
                let slice = Box::new(self.expr_field(v, "slice", k, Ctx::Load)?);
                let ctx = self.check_ctx(v, k, ctx)?;
                Expr::Subscript(ast::ExprSubscript {
                    node_index: NI,
                    range,
                    value,
                    slice,
                    ctx,
                })
            }
            "Starred" => {
                let value = Box::new(self.expr_field(v, "value", k, ctx)?);
                let ctx = self.check_ctx(v, k, ctx)?;
                Expr::Starred(ast::ExprStarred {
                    node_index: NI,
                    range,
                    value,
                    ctx,
                })
            }
            "Name" => {
                let id = self.ident_field(v, "id", k)?;
                if matches!(id.as_str(), "None" | "True" | "False") {
                    return Err(self
                        .vm
                        .value_error(format!("identifier field can't represent '{id}' constant")));
                }
                let ctx = self.check_ctx(v, k, ctx)?;
                Expr::Name(ast::ExprName {
                    node_index: NI,
                    range,
                    id: ast::name::Name::new(&id),
                    ctx,
                })
            }
            "List" | "Tuple" => {
                let elts = self.exprs(v, "elts", k, ctx)?;
                let ctx = self.check_ctx(v, k, ctx)?;
                if k == "List" {
                    Expr::List(ast::ExprList {
                        node_index: NI,
                        range,
                        elts,
                        ctx,
                    })
                } else {
                    Expr::Tuple(ast::ExprTuple {
                        node_index: NI,
                        range,
                        elts,
                        ctx,
                        parenthesized: true,
                    })
                }
            }
            _ => Expr::Slice(ast::ExprSlice {
                node_index: NI,
                range,
                lower: self.opt_expr(v, "lower")?.map(Box::new),
                upper: self.opt_expr(v, "upper")?.map(Box::new),
                step: self.opt_expr(v, "step")?.map(Box::new),
            }),
        })
    }

    /// A Constant's value (None is a value here, not a missing field).
    fn req_constant(&mut self, v: &Value) -> PyResult<Value> {
        match self.attr(v, "value")? {
            Some(c) => Ok(c),
            None => Err(self
                .vm
                .type_error("required field \"value\" missing from Constant")),
        }
    }

    /// A constant value as the literal expression that makes it.
    fn constant(&mut self, c: &Value, range: TextRange) -> PyResult<Expr> {
        use crate::types::bytes::BytesObj;
        use crate::types::complex::ComplexObj;
        if c.is_none() {
            return Ok(Expr::NoneLiteral(ast::ExprNoneLiteral {
                node_index: NI,
                range,
            }));
        }
        if c.is(&Value::ellipsis()) {
            return Ok(Expr::EllipsisLiteral(ast::ExprEllipsisLiteral {
                node_index: NI,
                range,
            }));
        }
        if c.is_bool() {
            return Ok(Expr::BooleanLiteral(ast::ExprBooleanLiteral {
                node_index: NI,
                range,
                value: c.is_true_singleton(),
            }));
        }
        let number = |value| {
            Expr::NumberLiteral(ast::ExprNumberLiteral {
                node_index: NI,
                range,
                value,
            })
        };
        if let Some(i) = crate::types::int::as_int(c) {
            let big = i.to_big();
            let digits = big.magnitude().to_string();
            let Ok(n) = digits.parse::<ast::Int>() else {
                return Err(self.vm.value_error("invalid integer constant"));
            };
            let lit = number(ast::Number::Int(n));
            if !i.is_negative() {
                return Ok(lit);
            }
            return Ok(Expr::UnaryOp(ast::ExprUnaryOp {
                node_index: NI,
                range,
                op: ast::UnaryOp::USub,
                operand: Box::new(lit),
            }));
        }
        if let Some(f) = c.as_float() {
            return Ok(number(ast::Number::Float(f)));
        }
        if let Some(z) = c.downcast::<ComplexObj>() {
            return Ok(number(ast::Number::Complex {
                real: z.re,
                imag: z.im,
            }));
        }
        if let Some(s) = as_str(c) {
            let lit = ast::StringLiteral {
                node_index: NI,
                range,
                value: s.into(),
                flags: ast::StringLiteralFlags::empty(),
            };
            return Ok(Expr::StringLiteral(ast::ExprStringLiteral {
                node_index: NI,
                range,
                value: ast::StringLiteralValue::single(lit),
            }));
        }
        if let Some(b) = c.downcast::<BytesObj>() {
            let lit = ast::BytesLiteral {
                node_index: NI,
                range,
                value: b.data.to_vec().into_boxed_slice(),
                flags: ast::BytesLiteralFlags::empty(),
            };
            return Ok(Expr::BytesLiteral(ast::ExprBytesLiteral {
                node_index: NI,
                range,
                value: ast::BytesLiteralValue::single(lit),
            }));
        }
        if let Some(t) = c.downcast::<crate::types::tuple::TupleObj>() {
            let items: Vec<Value> = t.items.to_vec();
            let mut elts = Vec::new();
            for it in &items {
                elts.push(self.constant(it, range)?);
            }
            return Ok(Expr::Tuple(ast::ExprTuple {
                node_index: NI,
                range,
                elts,
                ctx: ast::ExprContext::Load,
                parenthesized: true,
            }));
        }
        let tn = crate::builtins::type_name(c);
        Err(self
            .vm
            .type_error(format!("got an invalid type in Constant: {tn}")))
    }

    fn fstring(&mut self, elements: Vec<ast::InterpolatedStringElement>, range: TextRange) -> Expr {
        let fs = ast::FString {
            node_index: NI,
            range,
            elements: elements.into(),
            flags: ast::FStringFlags::empty(),
        };
        Expr::FString(ast::ExprFString {
            node_index: NI,
            range,
            value: ast::FStringValue::single(fs),
        })
    }

    /// The `values` of a JoinedStr: string constants and FormattedValues.
    fn fstring_elements(
        &mut self,
        v: &Value,
        range: TextRange,
    ) -> PyResult<Vec<ast::InterpolatedStringElement>> {
        let items = self.seq(v, "values", "JoinedStr")?;
        let mut out = Vec::new();
        for it in &items {
            match self.kind(it, "expr")? {
                "Constant" => {
                    let c = self.req_constant(it)?;
                    let Some(s) = as_str(&c) else {
                        return Err(self
                            .vm
                            .type_error("unexpected constant inside of a format string"));
                    };
                    out.push(ast::InterpolatedStringElement::Literal(
                        ast::InterpolatedStringLiteralElement {
                            node_index: NI,
                            range,
                            value: s.into(),
                        },
                    ));
                }
                "FormattedValue" => out.push(self.formatted(it, range)?),
                _ => {
                    return Err(self
                        .vm
                        .value_error("JoinedStr values must be Constant or FormattedValue"));
                }
            }
        }
        Ok(out)
    }

    fn formatted(
        &mut self,
        v: &Value,
        range: TextRange,
    ) -> PyResult<ast::InterpolatedStringElement> {
        let expression = Box::new(self.expr_field(v, "value", "FormattedValue", Ctx::Load)?);
        let conv = match self.opt(v, "conversion")? {
            Some(c) => self.int_of(&c)?,
            None => -1,
        };
        let conversion = match conv {
            -1 => ast::ConversionFlag::None,
            115 => ast::ConversionFlag::Str,
            114 => ast::ConversionFlag::Repr,
            97 => ast::ConversionFlag::Ascii,
            _ => {
                return Err(self
                    .vm
                    .value_error(format!("Unknown f-value conversion kind: {conv}")));
            }
        };
        let format_spec = match self.opt(v, "format_spec")? {
            Some(spec) => {
                self.kind(&spec, "expr")?;
                let elements = self.fstring_elements(&spec, range)?;
                Some(Box::new(ast::InterpolatedStringFormatSpec {
                    node_index: NI,
                    range,
                    elements: elements.into(),
                }))
            }
            None => None,
        };
        Ok(ast::InterpolatedStringElement::Interpolation(
            ast::InterpolatedElement {
                node_index: NI,
                range,
                expression,
                debug_text: None,
                conversion,
                format_spec,
            },
        ))
    }

    // ---- patterns -------------------------------------------------------------------

    fn patterns(&mut self, v: &Value, name: &str, owner: &str) -> PyResult<Vec<Pattern>> {
        let items = self.seq(v, name, owner)?;
        items.iter().map(|p| self.pattern(p)).collect()
    }

    fn pattern(&mut self, v: &Value) -> PyResult<Pattern> {
        self.enter()?;
        let r = self.pattern_inner(v);
        self.depth -= 1;
        r
    }

    fn pattern_inner(&mut self, v: &Value) -> PyResult<Pattern> {
        let k = self.kind(v, "pattern")?;
        let range = self.loc(v, "pattern")?;
        Ok(match k {
            "MatchValue" => Pattern::MatchValue(ast::PatternMatchValue {
                node_index: NI,
                range,
                value: Box::new(self.expr_field(v, "value", k, Ctx::Load)?),
            }),
            "MatchSingleton" => {
                let c = self.attr(v, "value")?.unwrap_or_else(Value::none);
                let value = if c.is_none() {
                    ast::Singleton::None
                } else if c.is_bool() && c.is_true_singleton() {
                    ast::Singleton::True
                } else if c.is_bool() {
                    ast::Singleton::False
                } else {
                    return Err(self
                        .vm
                        .value_error("MatchSingleton can only contain True, False and None"));
                };
                Pattern::MatchSingleton(ast::PatternMatchSingleton {
                    node_index: NI,
                    range,
                    value,
                })
            }
            "MatchSequence" => Pattern::MatchSequence(ast::PatternMatchSequence {
                node_index: NI,
                range,
                patterns: self.patterns(v, "patterns", k)?,
            }),
            "MatchMapping" => {
                let keys = self.exprs(v, "keys", k, Ctx::Load)?;
                let patterns = self.patterns(v, "patterns", k)?;
                if keys.len() != patterns.len() {
                    return Err(self.vm.value_error(
                        "MatchMapping doesn't have the same number of keys as patterns",
                    ));
                }
                let rest = self.opt_ident(v, "rest", range)?;
                Pattern::MatchMapping(ast::PatternMatchMapping {
                    node_index: NI,
                    range,
                    keys: keys.into_iter().collect(),
                    patterns: patterns.into_iter().collect(),
                    rest,
                })
            }
            "MatchClass" => {
                let cls = Box::new(self.expr_field(v, "cls", k, Ctx::Load)?);
                let patterns = self.patterns(v, "patterns", k)?;
                let attrs_v = self.seq(v, "kwd_attrs", k)?;
                let kwd_patterns = self.patterns(v, "kwd_patterns", k)?;
                if attrs_v.len() != kwd_patterns.len() {
                    return Err(self.vm.value_error(
                        "MatchClass doesn't have the same number of keyword attributes as patterns",
                    ));
                }
                let mut keywords = Vec::new();
                for (a, pattern) in attrs_v.iter().zip(kwd_patterns) {
                    let attr = ident_of(&self.identifier(a)?, range);
                    keywords.push(ast::PatternKeyword {
                        node_index: NI,
                        range,
                        attr,
                        pattern,
                    });
                }
                Pattern::MatchClass(ast::PatternMatchClass {
                    node_index: NI,
                    range,
                    cls,
                    arguments: ast::PatternArguments {
                        node_index: NI,
                        range,
                        patterns: patterns.into_iter().collect(),
                        keywords,
                    },
                })
            }
            "MatchStar" => Pattern::MatchStar(ast::PatternMatchStar {
                node_index: NI,
                range,
                name: self.opt_ident(v, "name", range)?,
            }),
            "MatchAs" => {
                let pattern = match self.opt(v, "pattern")? {
                    Some(p) => Some(Box::new(self.pattern(&p)?)),
                    None => None,
                };
                let name = self.opt_ident(v, "name", range)?;
                if pattern.is_some() && name.is_none() {
                    return Err(self
                        .vm
                        .value_error("MatchAs must specify a target name if a pattern is given"));
                }
                Pattern::MatchAs(ast::PatternMatchAs {
                    node_index: NI,
                    range,
                    pattern,
                    name,
                })
            }
            _ => {
                let patterns = self.patterns(v, "patterns", k)?;
                if patterns.len() < 2 {
                    return Err(self.vm.value_error("MatchOr requires at least 2 patterns"));
                }
                Pattern::MatchOr(ast::PatternMatchOr {
                    node_index: NI,
                    range,
                    patterns,
                })
            }
        })
    }
}
