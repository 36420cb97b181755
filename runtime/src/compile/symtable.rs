//! Symbol tables (AST -> scopes): which names are local, global, free or cells.
//!
//! One pass records, per scope, what each name does (assigned, parameter, declared
//! global/nonlocal, used); a second pass resolves free variables through enclosing
//! function scopes (class scopes are skipped, as in Python).
use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Resolved {
    Local,
    GlobalExplicit,
    GlobalImplicit,
    Free,
    Cell,
}

pub const ASSIGNED: u8 = 1;
pub const PARAM: u8 = 2;
pub const GLOBAL: u8 = 4;
pub const NONLOCAL: u8 = 8;
pub const USED: u8 = 16;
/// A comprehension's iteration variable (CPython's `DEF_COMP_ITER`): a walrus in the
/// comprehension may not rebind it.
pub const COMP_ITER: u8 = 32;

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    pub flags: HashMap<String, u8>,
    /// Parameter and local names in first-seen order (parameters first).
    pub varnames: Vec<String>,
    pub resolved: HashMap<String, Resolved>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub is_generator: bool,
    /// An `async def`, a scope containing `await`, or a comprehension with `async for`
    /// (CPython's `ste_coroutine`): with `is_generator` it makes an async generator.
    pub is_coroutine: bool,
    /// A class scope whose methods use `super()` or `__class__`.
    pub needs_class_cell: bool,
    /// Free variables in first-use order.
    pub freevars: Vec<String>,
    pub cellvars: Vec<String>,
    /// The innermost enclosing class's name, for private-name mangling (`__x` in a
    /// class body or its methods means `_Class__x`).
    pub private: Option<String>,
    /// An annotation under `from __future__ import annotations`: visited only for
    /// CPython's errors, never compiled, detached from the scope tree (its names
    /// bind nothing and make no free variables).
    pub is_annotation: bool,
    /// A comprehension's kind as CPython's messages name it ("list comprehension",
    /// "generator expression", ...), None for other scopes.
    pub comp_kind: Option<&'static str>,
    /// Where each name was first declared `global`/`nonlocal` (or bound by a walrus
    /// in a comprehension): the location of the errors found when names are resolved.
    pub directives: HashMap<String, TextRange>,
    /// Inside a comprehension's iterable, written in this scope (a walrus is an error
    /// there).
    comp_iter_expr: u32,
}

/// CPython's private-name mangling: inside class `C`, an identifier `__x` (two leading
/// underscores, not a dunder, no dot) stands for `_C__x` (the class name without its
/// leading underscores; a class named only of underscores mangles nothing).
pub fn mangle(private: Option<&str>, name: &str) -> Option<String> {
    let class = private?;
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return None;
    }
    let class = class.trim_start_matches('_');
    if class.is_empty() {
        return None;
    }
    Some(format!("_{class}{name}"))
}

pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    pub by_node: HashMap<(u32, u32), usize>,
}

pub struct SymError {
    pub msg: String,
    pub range: TextRange,
}

fn key(r: TextRange) -> (u32, u32) {
    (r.start().to_u32(), r.end().to_u32())
}

struct Builder {
    t: SymbolTable,
    cur: usize,
    err: Option<SymError>,
    depth: u32,
    /// `from __future__ import annotations` is on: annotations are strings.
    future_annotations: bool,
    /// Visiting a comprehension's `for` target (CPython's `ste_comp_iter_target`).
    comp_iter_target: bool,
}

/// Deeper nesting than this is a RecursionError during compilation (as in CPython).
pub const MAX_DEPTH: u32 = 1000;

/// Build the scopes of a module; `future_annotations` says annotations are stored as
/// strings (PEP 563), so their names are not looked up where they are written.
pub fn build(body: &[Stmt], future_annotations: bool) -> Result<SymbolTable, SymError> {
    let module = Scope::new(ScopeKind::Module, "<module>", None);
    let mut b = Builder {
        t: SymbolTable {
            scopes: vec![module],
            by_node: HashMap::new(),
        },
        cur: 0,
        err: None,
        depth: 0,
        future_annotations,
        comp_iter_target: false,
    };
    for s in body {
        b.stmt(s);
    }
    if let Some(e) = b.err {
        return Err(e);
    }
    b.resolve(0, &HashMap::new());
    if let Some(e) = b.err {
        return Err(e);
    }
    Ok(b.t)
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, parent: Option<usize>) -> Scope {
        Scope {
            kind,
            name: name.to_string(),
            flags: HashMap::new(),
            varnames: vec![],
            resolved: HashMap::new(),
            parent,
            children: vec![],
            is_generator: false,
            is_coroutine: false,
            needs_class_cell: false,
            freevars: vec![],
            cellvars: vec![],
            private: None,
            is_annotation: false,
            comp_kind: None,
            directives: HashMap::new(),
            comp_iter_expr: 0,
        }
    }

    pub fn lookup(&self, name: &str) -> Resolved {
        match self.resolved.get(name) {
            Some(r) => *r,
            None => match self.kind {
                ScopeKind::Function => Resolved::GlobalImplicit,
                _ => Resolved::GlobalImplicit,
            },
        }
    }
}

impl Builder {
    fn scope(&mut self) -> &mut Scope {
        &mut self.t.scopes[self.cur]
    }

    /// `name` as the current scope sees it (mangled inside a class).
    fn mangled<'n>(&self, name: &'n str) -> std::borrow::Cow<'n, str> {
        match mangle(self.t.scopes[self.cur].private.as_deref(), name) {
            Some(m) => std::borrow::Cow::Owned(m),
            None => std::borrow::Cow::Borrowed(name),
        }
    }

    fn add(&mut self, name: &str, flag: u8) {
        let name = &*self.mangled(name).into_owned();
        let s = self.scope();
        let e = s.flags.entry(name.to_string()).or_insert(0);
        *e |= flag;
        if flag & (ASSIGNED | PARAM) != 0 && !s.varnames.iter().any(|v| v == name) {
            s.varnames.push(name.to_string());
        }
    }

    /// Remember the first `global`/`nonlocal` directive naming `name` in this scope.
    fn directive(&mut self, name: &str, range: TextRange) {
        let key = self.mangled(name).into_owned();
        self.scope().directives.entry(key).or_insert(range);
    }

    fn error(&mut self, msg: String, range: TextRange) {
        if self.err.is_none() {
            self.err = Some(SymError { msg, range });
        }
    }

    fn enter(&mut self, kind: ScopeKind, name: &str, range: TextRange) -> usize {
        let id = self.t.scopes.len();
        let mut scope = Scope::new(kind, name, Some(self.cur));
        scope.private = if kind == ScopeKind::Class {
            Some(name.to_string())
        } else {
            self.t.scopes[self.cur].private.clone()
        };
        self.t.scopes.push(scope);
        self.t.scopes[self.cur].children.push(id);
        self.t.by_node.insert(key(range), id);
        let prev = self.cur;
        self.cur = id;
        prev
    }

    fn params(&mut self, p: &ast::Parameters) {
        // Slot order as CPython: positional, keyword-only, then *args and **kwargs.
        let named = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .chain(p.kwonlyargs.iter())
            .map(|a| &a.parameter);
        for param in named.chain(p.vararg.as_deref()).chain(p.kwarg.as_deref()) {
            let name = param.name.as_str();
            let key = self.mangled(name).into_owned();
            if self.scope().flags.get(&key).is_some_and(|f| f & PARAM != 0) {
                let msg = format!("duplicate argument '{name}' in function definition");
                // CPython's location is the name (and annotation), without `*`/`**`.
                let range = TextRange::new(param.name.range.start(), param.range.end());
                self.error(msg, range);
            }
            self.add(name, PARAM);
        }
    }

    /// A `global`/`nonlocal` declaration must come before any use of the name.
    fn check_declaration(&mut self, name: &str, kind: &str, range: TextRange) {
        let key = self.mangled(name).into_owned();
        let Some(f) = self.scope().flags.get(&key).copied() else {
            return;
        };
        let what = if f & PARAM != 0 {
            format!("is parameter and {kind}")
        } else if f & ASSIGNED != 0 {
            format!("is assigned to before {kind} declaration")
        } else if f & USED != 0 {
            format!("is used prior to {kind} declaration")
        } else {
            return;
        };
        self.error(format!("name '{name}' {what}"), range);
    }

    /// Visit call keywords; a keyword given twice is a SyntaxError, as in CPython.
    fn keywords(&mut self, kws: &[ast::Keyword]) {
        for (i, k) in kws.iter().enumerate() {
            if let Some(arg) = &k.arg
                && kws[..i]
                    .iter()
                    .any(|o| o.arg.as_ref().is_some_and(|a| a.as_str() == arg.as_str()))
            {
                self.error(
                    format!("keyword argument repeated: {}", arg.as_str()),
                    k.range,
                );
            }
            self.expr(&k.value);
        }
    }

    fn param_defaults(&mut self, p: &ast::Parameters) {
        for a in p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .chain(p.kwonlyargs.iter())
        {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    /// The annotations of a function's parameters (visited in the enclosing scope).
    fn param_annotations(&mut self, p: &ast::Parameters) {
        let named = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .chain(p.kwonlyargs.iter())
            .map(|a| &a.parameter);
        for param in named.chain(p.vararg.as_deref()).chain(p.kwarg.as_deref()) {
            if let Some(a) = &param.annotation {
                self.annotation(a);
            }
        }
    }

    /// An annotation: an expression of the current scope, or under the annotations
    /// future a block of its own (CPython's annotation block) that is only checked.
    fn annotation(&mut self, e: &Expr) {
        if !self.future_annotations {
            self.expr(e);
            return;
        }
        let id = self.t.scopes.len();
        let mut scope = Scope::new(ScopeKind::Function, "_annotation", Some(self.cur));
        scope.private = self.t.scopes[self.cur].private.clone();
        scope.is_annotation = true;
        self.t.scopes.push(scope);
        let prev = self.cur;
        self.cur = id;
        self.expr(e);
        self.cur = prev;
    }

    /// CPython's error for an expression that cannot appear in an annotation block.
    fn not_in_annotation(&mut self, what: &str, range: TextRange) {
        if self.scope().is_annotation {
            self.error(
                format!("'{what}' can not be used within an annotation"),
                range,
            );
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.error(
                "maximum recursion depth exceeded during compilation".into(),
                s.range(),
            );
        } else {
            self.stmt_inner(s);
        }
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression);
                }
                self.param_defaults(&f.parameters);
                self.param_annotations(&f.parameters);
                if let Some(r) = &f.returns {
                    self.annotation(r);
                }
                self.add(f.name.as_str(), ASSIGNED);
                let prev = self.enter(ScopeKind::Function, f.name.as_str(), f.range);
                if f.is_async {
                    self.scope().is_coroutine = true;
                }
                self.params(&f.parameters);
                self.stmts(&f.body);
                self.cur = prev;
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.expr(&d.expression);
                }
                if let Some(a) = &c.arguments {
                    for e in a.args.iter() {
                        self.expr(e);
                    }
                    self.keywords(&a.keywords);
                }
                self.add(c.name.as_str(), ASSIGNED);
                let prev = self.enter(ScopeKind::Class, c.name.as_str(), c.range);
                self.stmts(&c.body);
                self.cur = prev;
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v);
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.target(t);
                }
            }
            Stmt::Assign(a) => {
                self.expr(&a.value);
                for t in &a.targets {
                    self.target(t);
                }
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value);
                if let Expr::Name(n) = &*a.target {
                    self.add(n.id.as_str(), USED);
                }
                self.target(&a.target);
            }
            Stmt::AnnAssign(a) => {
                if let Expr::Name(n) = &*a.target
                    && a.simple
                    && self.scope().kind != ScopeKind::Module
                {
                    let key = self.mangled(n.id.as_str()).into_owned();
                    let f = self.scope().flags.get(&key).copied().unwrap_or(0);
                    let what = if f & GLOBAL != 0 {
                        "global"
                    } else {
                        "nonlocal"
                    };
                    if f & (GLOBAL | NONLOCAL) != 0 {
                        let msg = format!("annotated name '{}' can't be {what}", n.id.as_str());
                        self.error(msg, n.range);
                    }
                }
                if let Some(v) = &a.value {
                    self.expr(v);
                    self.target(&a.target);
                } else if let Expr::Name(n) = &*a.target {
                    // A bare annotation of a simple name makes it local.
                    if a.simple {
                        self.add(n.id.as_str(), ASSIGNED);
                    }
                } else {
                    self.target(&a.target);
                }
                self.annotation(&a.annotation);
            }
            Stmt::For(f) => {
                self.expr(&f.iter);
                self.target(&f.target);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.stmts(&w.body);
                self.stmts(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.stmts(&i.body);
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    self.stmts(&c.body);
                }
            }
            Stmt::With(w) => {
                for it in &w.items {
                    self.expr(&it.context_expr);
                    if let Some(v) = &it.optional_vars {
                        self.target(v);
                    }
                }
                self.stmts(&w.body);
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e);
                }
                if let Some(c) = &r.cause {
                    self.expr(c);
                }
            }
            Stmt::Try(t) => {
                self.stmts(&t.body);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty);
                    }
                    if let Some(n) = &h.name {
                        self.add(n.as_str(), ASSIGNED);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                if let Some(m) = &a.msg {
                    self.expr(m);
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let bound = match &a.asname {
                        Some(n) => n.as_str().to_string(),
                        None => a.name.as_str().split('.').next().unwrap_or("").to_string(),
                    };
                    self.add(&bound, ASSIGNED);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    if a.name.as_str() == "*" {
                        if self.scope().kind != ScopeKind::Module {
                            self.error("import * only allowed at module level".into(), a.range);
                        }
                        continue;
                    }
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    self.add(bound.as_str(), ASSIGNED);
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    let name = n.as_str();
                    self.check_declaration(name, "global", g.range);
                    self.add(name, GLOBAL);
                    self.directive(name, g.range);
                }
            }
            Stmt::Nonlocal(g) => {
                for n in &g.names {
                    let name = n.as_str();
                    self.check_declaration(name, "nonlocal", g.range);
                    if self.scope().kind == ScopeKind::Module {
                        self.error(
                            "nonlocal declaration not allowed at module level".into(),
                            g.range,
                        );
                    }
                    self.add(n.as_str(), NONLOCAL);
                    self.directive(name, g.range);
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::Match(m) => {
                self.expr(&m.subject);
                for case in &m.cases {
                    self.pattern(&case.pattern);
                    if let Some(g) = &case.guard {
                        self.expr(g);
                    }
                    self.stmts(&case.body);
                }
            }
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {}
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        }
    }

    fn pattern(&mut self, p: &ast::Pattern) {
        use ast::Pattern as P;
        match p {
            P::MatchValue(v) => self.expr(&v.value),
            P::MatchSingleton(_) => {}
            P::MatchSequence(s) => s.patterns.iter().for_each(|x| self.pattern(x)),
            P::MatchMapping(m) => {
                m.keys.iter().for_each(|k| self.expr(k));
                m.patterns.iter().for_each(|x| self.pattern(x));
                if let Some(r) = &m.rest {
                    self.add(r.as_str(), ASSIGNED);
                }
            }
            P::MatchClass(c) => {
                self.expr(&c.cls);
                c.arguments.patterns.iter().for_each(|x| self.pattern(x));
                c.arguments
                    .keywords
                    .iter()
                    .for_each(|k| self.pattern(&k.pattern));
            }
            P::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.add(n.as_str(), ASSIGNED);
                }
            }
            P::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.pattern(p);
                }
                if let Some(n) = &a.name {
                    self.add(n.as_str(), ASSIGNED);
                }
            }
            P::MatchOr(o) => o.patterns.iter().for_each(|x| self.pattern(x)),
        }
    }

    fn target(&mut self, t: &Expr) {
        match t {
            Expr::Name(n) if self.comp_iter_target => {
                // A comprehension's iteration variable may not be a walrus target
                // of the comprehension (bound outside it).
                let f = self.scope().flags.get(n.id.as_str()).copied();
                if f.unwrap_or(0) & (GLOBAL | NONLOCAL) != 0 {
                    let msg = format!(
                        "comprehension inner loop cannot rebind assignment expression target '{}'",
                        n.id.as_str()
                    );
                    self.error(msg, n.range);
                }
                self.add(n.id.as_str(), ASSIGNED | COMP_ITER)
            }
            Expr::Name(n) => self.add(n.id.as_str(), ASSIGNED),
            Expr::Tuple(tu) => tu.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            other => self.expr(other),
        }
    }

    /// A comprehension of `kind` ("list comprehension", "generator expression", ...).
    fn comprehension(
        &mut self,
        range: TextRange,
        gens: &[ast::Comprehension],
        elts: &[&Expr],
        kind: &'static str,
    ) {
        let is_gen = kind == "generator expression";
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = gens.first() {
            self.comp_iter(&first.iter);
        }
        let prev = self.enter(
            ScopeKind::Function,
            if is_gen { "<genexpr>" } else { "<listcomp>" },
            range,
        );
        self.add(".0", PARAM);
        self.scope().is_generator = is_gen;
        self.scope().comp_kind = Some(kind);
        for (i, g) in gens.iter().enumerate() {
            if g.is_async {
                self.scope().is_coroutine = true;
            }
            if i > 0 {
                self.comp_iter(&g.iter);
            }
            self.comp_iter_target = true;
            self.target(&g.target);
            self.comp_iter_target = false;
            for c in &g.ifs {
                self.expr(c);
            }
        }
        for e in elts {
            self.expr(e);
        }
        // An async list/set/dict comprehension is awaited where it is written, so the
        // enclosing scope awaits too; an async generator expression is not.
        let awaits_inline = self.scope().is_coroutine && !is_gen;
        self.cur = prev;
        if awaits_inline {
            self.scope().is_coroutine = true;
        }
    }

    /// A comprehension's iterable, where a walrus is an error.
    fn comp_iter(&mut self, e: &Expr) {
        self.scope().comp_iter_expr += 1;
        self.expr(e);
        self.scope().comp_iter_expr -= 1;
    }

    /// `yield` in a comprehension is an error (CPython's
    /// `symtable_raise_if_comprehension`).
    fn not_in_comprehension(&mut self, range: TextRange) {
        if let Some(kind) = self.scope().comp_kind {
            self.error(format!("'yield' inside {kind}"), range);
        }
    }

    fn expr(&mut self, e: &Expr) {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.error(
                "maximum recursion depth exceeded during compilation".into(),
                e.range(),
            );
        } else {
            self.expr_inner(e);
        }
        self.depth -= 1;
    }

    fn expr_inner(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => {
                let name = n.id.as_str();
                self.add(name, USED);
                if name == "super" || name == "__class__" {
                    self.mark_class_cell();
                }
            }
            Expr::BoolOp(b) => b.values.iter().for_each(|v| self.expr(v)),
            Expr::Named(n) => {
                self.not_in_annotation("named expression", n.range);
                if self.scope().comp_iter_expr > 0 {
                    self.error(
                        "assignment expression cannot be used in a comprehension iterable expression".into(),
                        n.range,
                    );
                }
                self.expr(&n.value);
                // The walrus binds in the nearest enclosing non-comprehension scope;
                // no comprehension on the way may iterate over the name.
                let mut s = self.cur;
                while self.t.scopes[s].comp_kind.is_some() {
                    if let Expr::Name(t) = &*n.target {
                        let f = self.t.scopes[s].flags.get(t.id.as_str()).copied();
                        if f.unwrap_or(0) & COMP_ITER != 0 {
                            let msg = format!(
                                "assignment expression cannot rebind comprehension iteration variable '{}'",
                                t.id.as_str()
                            );
                            self.error(msg, t.range);
                        }
                    }
                    match self.t.scopes[s].parent {
                        Some(p) => s = p,
                        None => break,
                    }
                }
                let prev = self.cur;
                if let Expr::Name(t) = &*n.target {
                    if s != prev {
                        match self.t.scopes[s].kind {
                            ScopeKind::Module => self.add(t.id.as_str(), GLOBAL),
                            ScopeKind::Class => self.error(
                                "assignment expression within a comprehension cannot be used in a class body".into(),
                                n.range,
                            ),
                            ScopeKind::Function => self.add(t.id.as_str(), NONLOCAL),
                        }
                    }
                    if s != prev {
                        self.directive(t.id.as_str(), t.range);
                    }
                    self.cur = s;
                    self.add(t.id.as_str(), ASSIGNED);
                    self.cur = prev;
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.param_defaults(p);
                }
                let prev = self.enter(ScopeKind::Function, "<lambda>", l.range);
                if let Some(p) = &l.parameters {
                    self.params(p);
                }
                self.expr(&l.body);
                self.cur = prev;
            }
            Expr::If(i) => {
                self.expr(&i.test);
                self.expr(&i.body);
                self.expr(&i.orelse);
            }
            Expr::Dict(d) => {
                for it in &d.items {
                    if let Some(k) = &it.key {
                        self.expr(k);
                    }
                    self.expr(&it.value);
                }
            }
            Expr::Set(s) => s.elts.iter().for_each(|v| self.expr(v)),
            Expr::ListComp(c) => {
                self.comprehension(c.range, &c.generators, &[&c.elt], "list comprehension")
            }
            Expr::SetComp(c) => {
                self.comprehension(c.range, &c.generators, &[&c.elt], "set comprehension")
            }
            Expr::DictComp(c) => {
                let mut v: Vec<&Expr> = vec![];
                if let Some(k) = &c.key {
                    v.push(k);
                }
                v.push(&c.value);
                self.comprehension(c.range, &c.generators, &v, "dict comprehension")
            }
            Expr::Generator(c) => {
                self.comprehension(c.range, &c.generators, &[&c.elt], "generator expression")
            }
            Expr::Await(a) => {
                self.not_in_annotation("await expression", a.range);
                self.expr(&a.value);
                self.scope().is_coroutine = true;
            }
            Expr::Yield(y) => {
                self.not_in_annotation("yield expression", y.range);
                self.not_in_comprehension(y.range);
                self.scope().is_generator = true;
                if let Some(v) = &y.value {
                    self.expr(v);
                }
            }
            Expr::YieldFrom(y) => {
                self.not_in_annotation("yield expression", y.range);
                self.not_in_comprehension(y.range);
                self.scope().is_generator = true;
                self.expr(&y.value);
            }
            Expr::Compare(c) => {
                self.expr(&c.left);
                c.comparators.iter().for_each(|v| self.expr(v));
            }
            Expr::Call(c) => {
                self.expr(&c.func);
                c.arguments.args.iter().for_each(|v| self.expr(v));
                self.keywords(&c.arguments.keywords);
            }
            Expr::FString(f) => {
                for part in f.value.as_slice() {
                    if let ast::FStringPart::FString(fs) = part {
                        self.fstring_elements(&fs.elements);
                    }
                }
            }
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Starred(s) => self.expr(&s.value),
            Expr::List(l) => l.elts.iter().for_each(|v| self.expr(v)),
            Expr::Tuple(l) => l.elts.iter().for_each(|v| self.expr(v)),
            Expr::Slice(s) => {
                for x in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(x);
                }
            }
            _ => {}
        }
    }

    fn fstring_elements(&mut self, els: &[ast::InterpolatedStringElement]) {
        for el in els {
            if let ast::InterpolatedStringElement::Interpolation(i) = el {
                self.expr(&i.expression);
                if let Some(spec) = &i.format_spec {
                    self.fstring_elements(&spec.elements);
                }
            }
        }
    }

    fn mark_class_cell(&mut self) {
        // The nearest enclosing class of the current function gets a __class__ cell.
        let mut s = self.cur;
        if self.t.scopes[s].kind != ScopeKind::Function {
            return;
        }
        self.add("__class__", USED);
        while let Some(p) = self.t.scopes[s].parent {
            if self.t.scopes[p].kind == ScopeKind::Class {
                self.t.scopes[p].needs_class_cell = true;
                return;
            }
            s = p;
        }
    }

    /// Resolve names in scope `id`, given the names bound by enclosing function scopes.
    fn resolve(&mut self, id: usize, enclosing: &HashMap<String, usize>) {
        let kind = self.t.scopes[id].kind;
        let names: Vec<(String, u8)> = self.t.scopes[id]
            .flags
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        for (name, f) in &names {
            let at = || self.t.scopes[id].directives.get(name).copied();
            let r = if f & GLOBAL != 0 {
                if f & NONLOCAL != 0 {
                    let at = at().unwrap_or_default();
                    self.error(format!("name '{name}' is nonlocal and global"), at);
                }
                Resolved::GlobalExplicit
            } else if f & NONLOCAL != 0 {
                if !enclosing.contains_key(name) {
                    let at = at().unwrap_or_default();
                    self.error(format!("no binding for nonlocal '{name}' found"), at);
                }
                Resolved::Free
            } else if f & (ASSIGNED | PARAM) != 0 {
                if kind == ScopeKind::Module {
                    Resolved::GlobalImplicit
                } else {
                    Resolved::Local
                }
            } else if kind != ScopeKind::Module && enclosing.contains_key(name) {
                Resolved::Free
            } else {
                Resolved::GlobalImplicit
            };
            self.t.scopes[id].resolved.insert(name.clone(), r);
        }
        // Names visible to children: this function's locals, plus what we saw.
        let mut inner = enclosing.clone();
        if kind == ScopeKind::Function {
            for (name, r) in self.t.scopes[id].resolved.iter() {
                if matches!(r, Resolved::Local | Resolved::Free | Resolved::Cell) {
                    inner.insert(name.clone(), id);
                }
            }
        }
        // A class's children may use its implicit `__class__` cell (its body's own
        // `__class__` is an ordinary name, resolved above, maybe free from outside).
        if kind == ScopeKind::Class {
            inner.insert("__class__".into(), id);
        }
        if kind == ScopeKind::Module {
            inner.clear();
        }
        let children = self.t.scopes[id].children.clone();
        for c in children {
            self.resolve(c, &inner);
        }
        // Children's free variables become cells here (or pass through as free).
        let mut cells: Vec<String> = vec![];
        let mut frees: Vec<String> = vec![];
        let children = self.t.scopes[id].children.clone();
        for c in children {
            for fv in self.t.scopes[c].freevars.clone() {
                let mine = self.t.scopes[id].resolved.get(&fv).copied();
                match (kind, mine) {
                    (ScopeKind::Function, Some(Resolved::Local | Resolved::Cell)) => {
                        if !cells.contains(&fv) {
                            cells.push(fv);
                        }
                    }
                    // A child's free `__class__` is this class's implicit cell
                    // (CPython's `drop_class_free`), never passed further out.
                    (ScopeKind::Class, _) if fv == "__class__" => {
                        self.t.scopes[id].needs_class_cell = true;
                    }
                    _ => {
                        if !frees.contains(&fv) {
                            frees.push(fv);
                        }
                    }
                }
            }
        }
        for c in &cells {
            self.t.scopes[id].resolved.insert(c.clone(), Resolved::Cell);
        }
        let s = &mut self.t.scopes[id];
        for c in cells {
            if !s.cellvars.contains(&c) {
                s.cellvars.push(c);
            }
        }
        if s.kind == ScopeKind::Class
            && s.needs_class_cell
            && !s.cellvars.iter().any(|c| c == "__class__")
        {
            s.cellvars.push("__class__".into());
        }
        let mut own_free: Vec<String> = s
            .resolved
            .iter()
            .filter(|(_, r)| **r == Resolved::Free)
            .map(|(k, _)| k.clone())
            .collect();
        own_free.sort();
        for f in frees {
            if !own_free.contains(&f) {
                // Passed through for a nested scope (CPython adds it to this scope too).
                if s.kind != ScopeKind::Module {
                    s.resolved.entry(f.clone()).or_insert(Resolved::Free);
                    own_free.push(f);
                }
            }
        }
        s.freevars = own_free;
    }
}
