//! Code generation (AST + symbol table -> code objects with CPython-style bytecode).
//!
//! Stack depth is tracked while emitting (labels remember the depth jumps bring), so
//! every exception handler knows the depth to unwind to. Exception handling is
//! table-driven ("zero-cost"): each instruction records its innermost handler, and the
//! finished code object gets a table of ranges.
use std::collections::HashMap;

use num_bigint::BigInt;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::future::{self, Futures};
use super::symtable::{Resolved, ScopeKind, SymbolTable};
use crate::instructions::{self as opc, Op};
use crate::types::code::{self, CodeObj, ExcEntry};
use crate::types::str::new_str;
use crate::types::tuple::TupleObj;
use crate::value::Value;

/// Custom code flag: the code is a class body (NAME ops use the namespace in slot 0).
pub const CO_CLASSBODY: u32 = 0x1000;

/// YIELD_VALUE arguments (like CPython's RESUME argument after a yield): a `yield`
/// expression; a `yield` in an async generator (the value is wrapped); the yield of
/// a `yield from`/`await` loop, whose delegate is on top of the stack (`SEND` right
/// before it), which `throw`/`close` and `gi_yieldfrom`/`cr_await` look for.
pub const YIELD_PLAIN: u32 = 0;
pub const YIELD_ASYNC_GEN: u32 = 1;
pub const YIELD_DELEGATED: u32 = 2;

/// Past this many items a display or a call builds its list (tuple, dict) one item
/// at a time, so the stack stays small whatever the count (CPython's
/// STACK_USE_GUIDELINE).
const STACK_USE_GUIDELINE: usize = 30;

/// Whether a call's arguments go through an args tuple and a kwargs dict
/// (CALL_FUNCTION_EX): unpacking (`*a`, `**k`), or too many to push one by one.
fn needs_ex_call(args: &[Expr], kws: &[ast::Keyword]) -> bool {
    args.iter().any(|e| matches!(e, Expr::Starred(_)))
        || kws.iter().any(|k| k.arg.is_none())
        || args.len() + 2 * kws.len() > STACK_USE_GUIDELINE
}

pub struct CompileError {
    /// "SyntaxError", or "NotImplementedError" for constructs stitch does not run yet.
    pub kind: &'static str,
    pub msg: String,
    pub range: TextRange,
}

type CResult<T> = Result<T, CompileError>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Label(usize);

struct Instr {
    op: Op,
    arg: u32,
    target: Option<Label>,
    line: u32,
    /// End line and columns of the node the instruction was made for.
    span: code::Span,
    handler: Option<usize>,
}

#[derive(Clone, Copy)]
struct Handler {
    label: Label,
    depth: i32,
    lasti: bool,
}

enum FBlock<'a> {
    While {
        top: Label,
        exit: Label,
    },
    For {
        top: Label,
        exit: Label,
    },
    FinallyTry {
        body: &'a [Stmt],
    },
    /// A return value kept on the stack while an inlined finally body runs.
    PopValue,
    /// In the exception path of a finally, or in an except clause: [prev_exc, exc].
    FinallyEnd,
    /// Inside an except body: [prev_exc] below, and the bound name to clear.
    HandlerCleanup {
        name: Option<String>,
    },
    /// Inside a with body: the bound __exit__ below.
    /// A `with` (or `async with`) block: [exit] below the body's stack.
    With {
        is_async: bool,
        /// The `with` statement's line (its exit calls report it).
        line: u32,
    },
    /// Inside a handler's try region (nothing to unwind at compile time).
    TryExcept,
    /// Inside an `except*` clause's body, which nothing may jump out of.
    ExceptStar,
}

struct Unit<'a> {
    scope: usize,
    instrs: Vec<Instr>,
    labels: Vec<Option<usize>>,
    label_depth: Vec<Option<i32>>,
    consts: Vec<Value>,
    const_keys: HashMap<String, u32>,
    names: Vec<String>,
    name_idx: HashMap<String, u32>,
    varnames: Vec<String>,
    cellvars: Vec<String>,
    freevars: Vec<String>,
    depth: i32,
    maxdepth: i32,
    reachable: bool,
    handler_stack: Vec<Option<usize>>,
    handlers: Vec<Handler>,
    fblocks: Vec<FBlock<'a>>,
    name: String,
    qualname: String,
    argcount: usize,
    posonly: usize,
    kwonly: usize,
    flags: u32,
    line: u32,
    /// The rest of the current node's location (CPython's `SET_LOC`): what
    /// `co_positions()` gives for the instructions emitted now.
    span: code::Span,
    /// A label was bound since the last statement set `line`: a jump emitted now is
    /// the compiler's own control flow (no line: CPython's artificial jumps, which
    /// report no 'line' event).
    at_label: bool,
    firstline: u32,
    kind: ScopeKind,
    /// The body of an `async def` (where `async for`/`async with`/`await` may appear).
    async_def: bool,
    /// A comprehension's function (`await` is allowed here; CPython's
    /// COMPILER_SCOPE_COMPREHENSION).
    comprehension: bool,
}

pub struct Compiler<'a> {
    filename: String,
    /// (byte offset, line) pairs sorted by offset: a node starting at an offset is on
    /// the line of the last pair at or before it.
    lines: Vec<(u32, u32)>,
    st: SymbolTable,
    units: Vec<Unit<'a>>,
    nesting: u32,
    /// The module's `__future__` features: their bits go into every code object.
    future: Futures,
    /// The optimization level (`-O`: 1 drops asserts and makes `__debug__` false; 2
    /// also drops docstrings).
    optimize: u8,
    /// The offsets are into source text, so columns can be given (not for trees made
    /// from `_ast` nodes).
    columns: bool,
    /// `single` mode: top-level expression statements go to `sys.displayhook`.
    interactive: bool,
}

const MAX_NESTING: u32 = 400;

/// Marks a cell/free slot index relative to the end of the locals (`deref_index`).
const DEREF_MARK: u32 = 1 << 23;

/// CPython's error for jumping out of an `except*` clause.
const EXCEPT_STAR_EXIT: &str = "'break', 'continue' and 'return' cannot appear in an except* block";

/// CPython's error for binding `__debug__` (a name or an attribute).
const DEBUG_STORE: &str = "cannot assign to __debug__";

/// What a compiled module is for: a module body, `exec()` or `eval()`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Module,
    /// exec(): module statements run against a namespace passed as argument 0.
    Exec,
    /// eval(): a single expression, evaluated against a namespace in argument 0.
    Eval,
    /// compile(..., 'single') (what the REPL and doctest run): as `Exec`, and each
    /// expression statement outside functions and classes is shown through
    /// `sys.displayhook` (CPython's PRINT_EXPR).
    Single,
}

pub fn compile_module(
    body: &[Stmt],
    source: &str,
    filename: &str,
    st: SymbolTable,
    mode: Mode,
    future: Futures,
    optimize: u8,
) -> CResult<Value> {
    let mut lines = vec![(0u32, 1u32)];
    for (i, b) in source.bytes().enumerate() {
        if b == b'\n' {
            lines.push((i as u32 + 1, lines.len() as u32 + 1));
        }
    }
    compile_with_lines(body, lines, true, filename, st, mode, (future, optimize))
}

/// [`compile_module`] for a tree whose offsets are not into source text (one made from
/// `_ast` nodes): `lines` gives the line of each offset where a node starts, as
/// (offset, line) pairs sorted by offset.
pub fn compile_module_lines(
    body: &[Stmt],
    lines: Vec<(u32, u32)>,
    filename: &str,
    st: SymbolTable,
    mode: Mode,
    future: Futures,
    optimize: u8,
) -> CResult<Value> {
    compile_with_lines(body, lines, false, filename, st, mode, (future, optimize))
}

fn compile_with_lines(
    body: &[Stmt],
    lines: Vec<(u32, u32)>,
    columns: bool,
    filename: &str,
    st: SymbolTable,
    mode: Mode,
    (future, optimize): (Futures, u8),
) -> CResult<Value> {
    let mut c = Compiler {
        filename: filename.to_string(),
        lines,
        st,
        units: vec![],
        nesting: 0,
        future,
        optimize,
        columns,
        interactive: mode == Mode::Single,
    };
    c.push_unit(0, "<module>".into(), "<module>".into(), 1);
    if mode != Mode::Module {
        // NAME instructions use the namespace in slot 0, like a class body.
        let u = c.u();
        u.flags |= CO_CLASSBODY;
        u.varnames = vec![".ns".into()];
        u.argcount = 1;
    }
    if mode == Mode::Eval {
        let expr = match body {
            [Stmt::Expr(e)] => &e.value,
            [] => return c.syntax("invalid syntax", TextRange::default()),
            [s, ..] => return c.syntax("invalid syntax", s.range()),
        };
        c.set_line(expr.range());
        c.expr(expr)?;
        c.emit(Op::RETURN_VALUE, 0);
        return Ok(c.pop_unit());
    }
    // One statement: a compound one, or simple ones on one line (`a; b`).
    if mode == Mode::Single
        && let [first, rest @ ..] = body
    {
        let last_line = c.line_of(TextRange::empty(first.range().end()));
        if rest.iter().any(|s| c.line_of(s.range()) > last_line) {
            return c.syntax(
                "multiple statements found while compiling a single statement",
                TextRange::empty(first.range().end()),
            );
        }
    }
    if has_annotations(body) {
        c.emit(Op::SETUP_ANNOTATIONS, 0);
    }
    // A module's (or exec'd code's) leading string is its `__doc__` (shown instead in
    // `single` mode).
    let mut body = body;
    if let Some(first) = body.first()
        && mode != Mode::Single
        && let Some(doc) = is_docstring(first)
    {
        // Under -OO the string is dropped and `__doc__` keeps its default.
        if optimize < 2 {
            c.set_line(first.range());
            c.load_const(new_str(doc));
            c.name_op("__doc__", 1);
        }
        body = &body[1..];
    }
    c.body(body)?;
    c.implicit_return_line();
    c.load_const(Value::none());
    c.emit(Op::RETURN_VALUE, 0);
    Ok(c.pop_unit())
}

fn is_docstring(s: &Stmt) -> Option<&str> {
    if let Stmt::Expr(e) = s
        && let Expr::StringLiteral(sl) = &*e.value
    {
        return Some(sl.value.to_str());
    }
    None
}

impl<'a> Compiler<'a> {
    fn line_of(&self, r: TextRange) -> u32 {
        let off = r.start().to_u32();
        match self.lines.partition_point(|(o, _)| *o <= off) {
            0 => 1,
            i => self.lines[i - 1].1,
        }
    }

    fn u(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("unit")
    }

    fn push_unit(&mut self, scope: usize, name: String, qualname: String, firstline: u32) {
        let sc = &self.st.scopes[scope];
        let mut varnames: Vec<String> = vec![];
        for v in &sc.varnames {
            let is_param = sc
                .flags
                .get(v)
                .is_some_and(|f| f & super::symtable::PARAM != 0);
            let r = sc.lookup(v);
            if is_param || r == Resolved::Local {
                varnames.push(v.clone());
            }
        }
        // Locals that are assigned but only seen later (not in varnames yet).
        let mut extra: Vec<String> = sc
            .resolved
            .iter()
            .filter(|(k, r)| **r == Resolved::Local && !varnames.contains(k))
            .map(|(k, _)| k.clone())
            .collect();
        extra.sort();
        if sc.kind == ScopeKind::Function {
            varnames.extend(extra);
        }
        let kind = sc.kind;
        let (cellvars, freevars) = (sc.cellvars.clone(), sc.freevars.clone());
        let mut flags = self.future.flags;
        if kind == ScopeKind::Function {
            flags |= code::CO_OPTIMIZED | code::CO_NEWLOCALS;
            flags |= match (sc.is_generator, sc.is_coroutine) {
                (true, false) => code::CO_GENERATOR,
                (false, true) => code::CO_COROUTINE,
                (true, true) => code::CO_ASYNC_GENERATOR,
                (false, false) => 0,
            };
            // Nested: inside a function, directly or through classes.
            let mut p = sc.parent;
            while let Some(i) = p {
                if self.st.scopes[i].kind == ScopeKind::Function {
                    flags |= code::CO_NESTED;
                    break;
                }
                p = self.st.scopes[i].parent;
            }
        }
        if kind == ScopeKind::Class {
            flags |= CO_CLASSBODY;
            varnames = vec![".ns".into()];
        }
        if kind == ScopeKind::Module {
            varnames.clear();
        }
        self.units.push(Unit {
            scope,
            instrs: vec![],
            labels: vec![],
            label_depth: vec![],
            consts: vec![],
            const_keys: HashMap::new(),
            names: vec![],
            name_idx: HashMap::new(),
            varnames,
            cellvars,
            freevars,
            depth: 0,
            maxdepth: 0,
            reachable: true,
            handler_stack: vec![],
            handlers: vec![],
            fblocks: vec![],
            name,
            qualname,
            argcount: if kind == ScopeKind::Class { 1 } else { 0 },
            posonly: 0,
            kwonly: 0,
            flags,
            line: firstline,
            span: code::Span::NONE,
            at_label: false,
            firstline,
            kind,
            async_def: false,
            comprehension: false,
        });
    }

    fn pop_unit(&mut self) -> Value {
        let u = self.units.pop().expect("unit");
        let positions: Vec<usize> = u
            .labels
            .iter()
            .map(|l| l.unwrap_or(u.instrs.len()))
            .collect();
        let mut code_units = Vec::with_capacity(u.instrs.len());
        let mut lines = Vec::with_capacity(u.instrs.len());
        let mut spans = Vec::with_capacity(u.instrs.len());
        let nlocals_final = u.varnames.len() as u32;
        for ins in &u.instrs {
            let arg = match ins.target {
                Some(l) => positions[l.0] as u32,
                None if ins.arg & DEREF_MARK != 0
                    && matches!(
                        ins.op,
                        Op::LOAD_DEREF | Op::STORE_DEREF | Op::DELETE_DEREF | Op::LOAD_CLOSURE
                    ) =>
                {
                    nlocals_final + (ins.arg & !DEREF_MARK)
                }
                None => ins.arg,
            };
            code_units.push((ins.op as u32) | (arg << 8));
            lines.push(ins.line);
            spans.push(ins.span);
        }
        let mut exc_table: Vec<ExcEntry> = vec![];
        let mut i = 0;
        while i < u.instrs.len() {
            if let Some(h) = u.instrs[i].handler {
                let start = i;
                while i < u.instrs.len() && u.instrs[i].handler == Some(h) {
                    i += 1;
                }
                let hd = u.handlers[h];
                exc_table.push(ExcEntry {
                    start: start as u32,
                    end: i as u32,
                    handler: positions[hd.label.0] as u32,
                    depth: hd.depth.max(0) as u32,
                    lasti: hd.lasti,
                });
            } else {
                i += 1;
            }
        }
        let nlocals = u.varnames.len();
        let cell2arg = u
            .cellvars
            .iter()
            .map(|c| {
                let nargs = u.argcount
                    + u.kwonly
                    + (u.flags & code::CO_VARARGS != 0) as usize
                    + (u.flags & code::CO_VARKEYWORDS != 0) as usize;
                u.varnames[..nargs.min(nlocals)].iter().position(|v| v == c)
            })
            .collect();
        let mut localsplus_names = u.varnames.clone();
        localsplus_names.extend(u.cellvars.iter().cloned());
        localsplus_names.extend(u.freevars.iter().cloned());
        let spans = if self.columns {
            code::Spans::new(&spans, &lines)
        } else {
            Default::default()
        };
        let co = CodeObj {
            name_objs: Default::default(),
            name: u.name,
            qualname: u.qualname,
            filename: self.filename.clone(),
            quick: crate::specialize::new_caches(&code_units, &exc_table)
                .expect("the compiler's jumps and handlers stay within its code"),
            code: code_units,
            consts: u.consts,
            names: u.names.iter().map(|n| crate::world::intern(n)).collect(),
            localsplus_names,
            nlocals,
            ncells: u.cellvars.len(),
            nfree: u.freevars.len(),
            cell2arg,
            argcount: u.argcount,
            posonlyargcount: u.posonly,
            kwonlyargcount: u.kwonly,
            flags: u.flags,
            stacksize: u.maxdepth.max(0) as usize + 2,
            firstlineno: u.firstline,
            lines,
            spans,
            exc_table,
        };
        Value::alloc(co)
    }

    // ---- emission -------------------------------------------------------------

    fn emit(&mut self, op: Op, arg: u32) {
        let u = self.u();
        let (fall, _) = opc::stack_effect(op, arg);
        let handler = u.handler_stack.last().copied().flatten();
        let (line, span) = (u.line, u.span);
        u.instrs.push(Instr {
            op,
            arg,
            target: None,
            line,
            span,
            handler,
        });
        u.depth += fall;
        if u.depth > u.maxdepth {
            u.maxdepth = u.depth;
        }
        if matches!(op, Op::RETURN_VALUE | Op::RERAISE | Op::RAISE_VARARGS) {
            u.reachable = false;
        }
    }

    fn emit_jump(&mut self, op: Op, target: Label) {
        let u = self.u();
        let (fall, jump) = opc::stack_effect(op, 0);
        let handler = u.handler_stack.last().copied().flatten();
        let (line, span) = if op == Op::JUMP && u.at_label {
            (0, code::Span::NONE)
        } else {
            (u.line, u.span)
        };
        u.instrs.push(Instr {
            op,
            arg: 0,
            target: Some(target),
            line,
            span,
            handler,
        });
        let jd = u.depth + jump;
        // A jump in dead code (after a return/raise/break/continue) runs with no known
        // depth: it must not decide the depth its target starts with.
        if u.reachable && u.label_depth[target.0].is_none() {
            u.label_depth[target.0] = Some(jd);
        }
        if jd > u.maxdepth {
            u.maxdepth = jd;
        }
        if matches!(op, Op::JUMP | Op::JUMP_BACKWARD) {
            u.reachable = false;
        } else {
            u.depth += fall;
            if u.depth > u.maxdepth {
                u.maxdepth = u.depth;
            }
        }
    }

    fn new_label(&mut self) -> Label {
        let u = self.u();
        u.labels.push(None);
        u.label_depth.push(None);
        Label(u.labels.len() - 1)
    }

    fn bind(&mut self, l: Label) {
        let u = self.u();
        u.labels[l.0] = Some(u.instrs.len());
        u.at_label = true;
        if !u.reachable {
            // Only a jump that was itself reachable makes the code after a dead stretch
            // live again; a label nothing reached (yet) stays dead, keeping its jumps
            // from giving later labels a wrong depth.
            if let Some(d) = u.label_depth[l.0] {
                u.depth = d;
                u.reachable = true;
            }
        } else if u.label_depth[l.0].is_none() {
            u.label_depth[l.0] = Some(u.depth);
        }
    }

    /// Bind a handler label: the stack holds the handler depth plus the exception.
    fn bind_handler(&mut self, l: Label, h: Handler) {
        let u = self.u();
        u.labels[l.0] = Some(u.instrs.len());
        u.depth = h.depth + 1 + h.lasti as i32;
        if u.depth > u.maxdepth {
            u.maxdepth = u.depth;
        }
        u.reachable = true;
        // Handler code is the compiler's own until a clause sets its line: no 'line'
        // events (CPython's handler blocks are artificial).
        u.line = 0;
    }

    fn push_handler(&mut self, label: Label, lasti: bool) -> Handler {
        let u = self.u();
        let h = Handler {
            label,
            depth: u.depth,
            lasti,
        };
        u.handlers.push(h);
        let id = u.handlers.len() - 1;
        u.handler_stack.push(Some(id));
        h
    }

    fn pop_handler(&mut self) {
        self.u().handler_stack.pop();
    }

    /// The implicit `return None` after a body: reached by jumps, it has no line of
    /// its own (CPython copies it for each jump with that jump's line: tracing then
    /// reports no 'line' for it and the last line run as its 'return''s).
    fn implicit_return_line(&mut self) {
        let u = self.u();
        if u.at_label {
            u.line = 0;
        }
    }

    fn set_line(&mut self, r: TextRange) {
        let l = self.line_of(r);
        let span = self.span_of(r);
        let u = self.u();
        u.line = l;
        u.span = span;
        u.at_label = false;
    }

    /// An attribute whose name is on a later line than where the current node starts
    /// (`(obj\n .meth)`) is located at the name, as CPython's
    /// `update_start_location_to_match_attr`.
    fn attr_location(&mut self, a: &ast::ExprAttribute) {
        let span = self.span_of(a.range());
        let len = a.attr.as_str().len() as u32;
        let u = self.u();
        if span.col == code::Span::NO_COL || u.line == span.end_line {
            return;
        }
        u.line = span.end_line;
        u.span.col = if len <= span.end_col {
            span.end_col - len
        } else {
            code::Span::NO_COL
        };
        if u.span.col == code::Span::NO_COL {
            u.span.end_col = code::Span::NO_COL;
        }
        u.span.end_line = u.span.end_line.max(u.line);
    }

    /// The end line and the UTF-8 byte columns of `r` (columns only when the offsets
    /// are into source text).
    fn span_of(&self, r: TextRange) -> code::Span {
        if !self.columns {
            return code::Span::NONE;
        }
        let at = |off: u32| match self.lines.partition_point(|(o, _)| *o <= off) {
            0 => (1, off),
            i => (self.lines[i - 1].1, off - self.lines[i - 1].0),
        };
        let (_, col) = at(r.start().to_u32());
        let (end_line, end_col) = at(r.end().to_u32());
        code::Span {
            end_line,
            col,
            end_col,
        }
    }

    fn add_const(&mut self, key: String, v: Value) -> u32 {
        let u = self.u();
        if let Some(&i) = u.const_keys.get(&key) {
            return i;
        }
        u.consts.push(v);
        let i = (u.consts.len() - 1) as u32;
        u.const_keys.insert(key, i);
        i
    }

    fn load_const(&mut self, v: Value) {
        let key = const_key(&v);
        let i = match key {
            Some(k) => self.add_const(k, v),
            None => {
                let u = self.u();
                u.consts.push(v);
                (u.consts.len() - 1) as u32
            }
        };
        self.emit(Op::LOAD_CONST, i);
    }

    fn name_index(&mut self, name: &str) -> u32 {
        let u = self.u();
        if let Some(&i) = u.name_idx.get(name) {
            return i;
        }
        u.names.push(name.to_string());
        let i = (u.names.len() - 1) as u32;
        u.name_idx.insert(name.to_string(), i);
        i
    }

    fn unsupported<T>(&self, what: &str, r: TextRange) -> CResult<T> {
        Err(CompileError {
            kind: "NotImplementedError",
            msg: format!("stitch does not support {what} yet"),
            range: r,
        })
    }

    fn syntax<T>(&self, msg: &str, r: TextRange) -> CResult<T> {
        Err(CompileError {
            kind: "SyntaxError",
            msg: msg.to_string(),
            range: r,
        })
    }

    // ---- names ------------------------------------------------------------------

    /// Whether the code being compiled is the body of an `async def`.
    fn in_async_function(&self) -> bool {
        self.units.last().is_some_and(|u| u.async_def)
    }

    /// Whether the code being compiled is an async generator (its `yield`s are seen
    /// by `__anext__`/`asend`, not by the event loop).
    fn in_async_generator(&self) -> bool {
        self.units
            .last()
            .is_some_and(|u| u.flags & code::CO_ASYNC_GENERATOR != 0)
    }

    fn scope_kind(&self) -> ScopeKind {
        self.units
            .last()
            .map(|u| u.kind)
            .unwrap_or(ScopeKind::Module)
    }

    fn resolve(&self, name: &str) -> Resolved {
        let u = self.units.last().expect("unit");
        self.st.scopes[u.scope].lookup(name)
    }

    /// The slot of a cell or free variable, as its position after the locals marked
    /// with [`DEREF_MARK`]: hidden locals (`match` subjects) may still be added to
    /// the locals, so `pop_unit` adds the final count of locals.
    fn deref_index(&self, name: &str) -> u32 {
        let u = self.units.last().expect("unit");
        if let Some(i) = u.cellvars.iter().position(|c| c == name) {
            return DEREF_MARK | i as u32;
        }
        if let Some(i) = u.freevars.iter().position(|c| c == name) {
            return DEREF_MARK | (u.cellvars.len() + i) as u32;
        }
        DEREF_MARK
    }

    fn fast_index(&mut self, name: &str) -> u32 {
        let u = self.u();
        if let Some(i) = u.varnames.iter().position(|v| v == name) {
            return i as u32;
        }
        u.varnames.push(name.to_string());
        (u.varnames.len() - 1) as u32
    }

    /// `name` as written in the current scope, mangled when it is a private name
    /// inside a class (see `symtable::mangle`).
    fn mangle(&self, name: &str) -> String {
        let u = self.units.last().expect("unit");
        let private = self.st.scopes[u.scope].private.as_deref();
        super::symtable::mangle(private, name).unwrap_or_else(|| name.to_string())
    }

    fn name_op(&mut self, name: &str, ctx: u8) {
        // ctx: 0 load, 1 store, 2 delete
        let name = &self.mangle(name);
        let r = self.resolve(name);
        let kind = self.scope_kind();
        // The implicit `__class__` cell of a class body is for its methods only: the
        // body's own `__class__` is an ordinary namespace name (as in CPython).
        let r = if kind == ScopeKind::Class && name == "__class__" && r == Resolved::Cell {
            Resolved::Local
        } else {
            r
        };
        let (op_load, op_store, op_del, arg) = match (r, kind) {
            (Resolved::Cell, _) => {
                let i = self.deref_index(name);
                (Op::LOAD_DEREF, Op::STORE_DEREF, Op::DELETE_DEREF, i)
            }
            (Resolved::Free, _) => {
                // A class body may have both: its own implicit `__class__` cell (for
                // its methods) and a free `__class__` from outside (what it reads).
                let u = self.units.last().expect("unit");
                let i = match u.freevars.iter().position(|c| c == name) {
                    Some(i) => DEREF_MARK | (u.cellvars.len() + i) as u32,
                    None => self.deref_index(name),
                };
                (Op::LOAD_DEREF, Op::STORE_DEREF, Op::DELETE_DEREF, i)
            }
            (Resolved::Local, ScopeKind::Function) => {
                let i = self.fast_index(name);
                (Op::LOAD_FAST, Op::STORE_FAST, Op::DELETE_FAST, i)
            }
            (Resolved::GlobalExplicit, _) | (Resolved::GlobalImplicit, ScopeKind::Function) => {
                let i = self.name_index(name);
                (Op::LOAD_GLOBAL, Op::STORE_GLOBAL, Op::DELETE_GLOBAL, i)
            }
            _ => {
                let i = self.name_index(name);
                (Op::LOAD_NAME, Op::STORE_NAME, Op::DELETE_NAME, i)
            }
        };
        let op = match ctx {
            0 => op_load,
            1 => op_store,
            _ => op_del,
        };
        self.emit(op, arg);
    }

    // ---- statements ---------------------------------------------------------------

    fn body(&mut self, stmts: &'a [Stmt]) -> CResult<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> CResult<()> {
        self.set_line(s.range());
        match s {
            Stmt::Expr(e) if self.interactive && self.units.len() == 1 => {
                // The helper goes under the value once it is computed, so the
                // expression needs no more stack than it would alone.
                self.expr(&e.value)?;
                let i = self.name_index("__print_expr__");
                self.emit(Op::LOAD_NAME, i); // [v, helper]
                self.emit(Op::SWAP, 2); // [helper, v]
                self.emit(Op::PUSH_NULL, 0); // [helper, v, NULL]
                self.emit(Op::SWAP, 2); // [helper, NULL, v]
                self.emit(Op::CALL, 1);
                self.emit(Op::POP_TOP, 0);
            }
            Stmt::Expr(e) => {
                self.expr(&e.value)?;
                self.emit(Op::POP_TOP, 0);
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < a.targets.len() {
                        self.emit(Op::COPY, 1);
                    }
                    self.store(t)?;
                }
            }
            Stmt::AugAssign(a) => self.aug_assign(a)?,
            Stmt::AnnAssign(a) => self.ann_assign(a)?,
            // A NOP keeps the line for tracing ('line' events), as CPython's does.
            Stmt::Pass(_) => self.emit(Op::NOP, 0),
            Stmt::If(i) => self.if_stmt(i)?,
            Stmt::While(w) => self.while_stmt(w)?,
            Stmt::For(f) => self.for_stmt(f)?,
            Stmt::Break(b) => self.break_continue(true, b.range)?,
            Stmt::Continue(c) => self.break_continue(false, c.range)?,
            Stmt::Return(r) => {
                if self.scope_kind() != ScopeKind::Function {
                    return self.syntax("'return' outside function", r.range);
                }
                if r.value.is_some() && self.in_async_generator() {
                    return self.syntax("'return' with value in async generator", r.range);
                }
                if self.in_except_star(0) {
                    return self.syntax(EXCEPT_STAR_EXIT, r.range);
                }
                match &r.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::none()),
                }
                self.unwind_all(true)?;
                self.emit(Op::RETURN_VALUE, 0);
            }
            Stmt::FunctionDef(f) => self.function_def(f)?,
            Stmt::ClassDef(c) => self.class_def(c)?,
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete(t)?;
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::RAISE_VARARGS, n);
            }
            // Under -O an assert compiles to nothing (its warning still shows).
            Stmt::Assert(a) => {
                super::syntax_warnings::check_assert(a);
                if self.optimize == 0 {
                    let end = self.new_label();
                    self.cond_jump(&a.test, true, end)?;
                    self.emit(Op::LOAD_ASSERTION_ERROR, 0);
                    if let Some(m) = &a.msg {
                        self.emit(Op::PUSH_NULL, 0);
                        self.expr(m)?;
                        self.emit(Op::CALL, 1);
                    }
                    self.emit(Op::RAISE_VARARGS, 1);
                    self.bind(end);
                }
            }
            Stmt::Try(t) => {
                // The `try` line's NOP (CPython's SETUP_FINALLY becomes one): tracing
                // reports the line.
                self.emit(Op::NOP, 0);
                if t.finalbody.is_empty() {
                    self.try_except(t)?;
                } else {
                    self.try_finally(t)?;
                }
            }
            Stmt::With(w) => {
                if w.is_async && !self.in_async_function() {
                    return self.syntax("'async with' outside async function", w.range);
                }
                self.with_stmt(&w.items, &w.body, w.is_async)?;
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let full = a.name.as_str();
                    self.load_const(Value::int(0));
                    self.load_const(Value::none());
                    let ni = self.name_index(full);
                    self.emit(Op::IMPORT_NAME, ni);
                    match &a.asname {
                        Some(asn) => {
                            // import a.b.c as d binds the submodule c.
                            for part in full.split('.').skip(1) {
                                let pi = self.name_index(part);
                                self.emit(Op::IMPORT_FROM, pi);
                                self.emit(Op::SWAP, 2);
                                self.emit(Op::POP_TOP, 0);
                            }
                            self.name_op(asn.as_str(), 1);
                        }
                        None => {
                            let first = full.split('.').next().unwrap_or(full).to_string();
                            self.name_op(&first, 1);
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => {
                // Future statements were read before compiling; one anywhere past
                // them (CPython compares lines) is out of place.
                if future::is_future_import(i)
                    && self
                        .future
                        .last
                        .is_none_or(|l| self.line_of(i.range) > self.line_of(l))
                {
                    return self.syntax(future::LATE, i.range);
                }
                self.load_const(Value::int(i.level as i64));
                let names: Vec<Value> = i.names.iter().map(|a| new_str(a.name.as_str())).collect();
                self.load_const(TupleObj::new_value(names));
                let m = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                let ni = self.name_index(m);
                self.emit(Op::IMPORT_NAME, ni);
                if i.names.len() == 1 && i.names[0].name.as_str() == "*" {
                    self.emit(Op::IMPORT_STAR, 0);
                } else {
                    for a in &i.names {
                        let ni = self.name_index(a.name.as_str());
                        self.emit(Op::IMPORT_FROM, ni);
                        let bound = a.asname.as_ref().unwrap_or(&a.name);
                        self.name_op(bound.as_str(), 1);
                    }
                    self.emit(Op::POP_TOP, 0);
                }
            }
            Stmt::Match(m) => self.match_stmt(m)?,
            Stmt::TypeAlias(t) => return self.unsupported("the 'type' statement", t.range),
            Stmt::IpyEscapeCommand(c) => return self.syntax("invalid syntax", c.range),
        }
        Ok(())
    }

    /// Under `from __future__ import annotations`, annotations are their source text.
    fn future_annotations(&self) -> bool {
        self.future.flags & future::CO_FUTURE_ANNOTATIONS != 0
    }

    /// An annotated assignment, as CPython compiles it: the value is stored first;
    /// a simple name's annotation in a module or class goes into `__annotations__`
    /// (mangled); other targets' annotations are evaluated and dropped there (unless
    /// they are strings), and a bare `x.y: T` / `x[i]: T` evaluates `x` (and `i`).
    /// Annotations inside functions are never evaluated.
    fn ann_assign(&mut self, a: &'a ast::StmtAnnAssign) -> CResult<()> {
        match &*a.target {
            Expr::Name(n) if n.id.as_str() == "__debug__" => {
                return self.syntax(DEBUG_STORE, n.range);
            }
            Expr::Attribute(at) if at.attr.as_str() == "__debug__" => {
                return self.syntax(DEBUG_STORE, at.range);
            }
            _ => {}
        }
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store(&a.target)?;
        }
        let in_function = self.scope_kind() == ScopeKind::Function;
        match &*a.target {
            Expr::Name(n) if a.simple && !in_function => {
                self.annotation_value(&a.annotation)?;
                self.name_op("__annotations__", 0);
                let key = self.mangle(n.id.as_str());
                self.load_const(crate::world::intern(&key));
                self.emit(Op::STORE_SUBSCR, 0);
            }
            Expr::Attribute(at) if a.value.is_none() => {
                self.expr(&at.value)?;
                self.emit(Op::POP_TOP, 0);
            }
            Expr::Subscript(sb) if a.value.is_none() => {
                self.expr(&sb.value)?;
                self.emit(Op::POP_TOP, 0);
                self.check_ann_subscript(&sb.slice)?;
            }
            _ => {}
        }
        if !a.simple && !in_function && !self.future_annotations() {
            self.expr(&a.annotation)?;
            self.emit(Op::POP_TOP, 0);
        }
        Ok(())
    }

    /// The parts of a bare annotated subscript target that CPython evaluates: a
    /// slice's bounds, a tuple's items, or the index.
    fn check_ann_subscript(&mut self, e: &'a Expr) -> CResult<()> {
        match e {
            Expr::Slice(s) => {
                for x in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(x)?;
                    self.emit(Op::POP_TOP, 0);
                }
            }
            Expr::Tuple(t) => {
                for x in &t.elts {
                    self.check_ann_subscript(x)?;
                }
            }
            _ => {
                self.expr(e)?;
                self.emit(Op::POP_TOP, 0);
            }
        }
        Ok(())
    }

    /// Push the value an annotation stores: the expression's value, or under the
    /// annotations future its text.
    fn annotation_value(&mut self, e: &'a Expr) -> CResult<()> {
        if self.future_annotations() {
            self.load_const(new_str(&super::unparse::annotation(e)));
            return Ok(());
        }
        if let Expr::Starred(s) = e {
            // `*args: *Ts` stores the one item the starred value unpacks to.
            self.expr(&s.value)?;
            self.emit(Op::UNPACK_SEQUENCE, 1);
            return Ok(());
        }
        self.expr(e)
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> CResult<()> {
        let op = binop_arg(a.op) + opc::NB_INPLACE;
        match &*a.target {
            Expr::Name(n) => {
                self.name_op(n.id.as_str(), 0);
                self.expr(&a.value)?;
                self.emit(Op::BINARY_OP, op);
                self.name_op(n.id.as_str(), 1);
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.emit(Op::COPY, 1);
                let attr = self.mangle(at.attr.as_str());
                let ni = self.name_index(&attr);
                self.emit(Op::LOAD_ATTR, ni);
                self.expr(&a.value)?;
                self.emit(Op::BINARY_OP, op);
                self.emit(Op::SWAP, 2);
                self.emit(Op::STORE_ATTR, ni);
            }
            Expr::Subscript(sb) => {
                self.expr(&sb.value)?;
                self.expr(&sb.slice)?;
                self.emit(Op::COPY, 2);
                self.emit(Op::COPY, 2);
                self.emit(Op::BINARY_SUBSCR, 0);
                self.expr(&a.value)?;
                self.emit(Op::BINARY_OP, op);
                // [obj, key, result] -> [result, obj, key]
                self.emit(Op::SWAP, 3);
                self.emit(Op::SWAP, 2);
                self.emit(Op::STORE_SUBSCR, 0);
            }
            other => {
                return self.syntax(
                    "'expression' is an illegal expression for augmented assignment",
                    other.range(),
                );
            }
        }
        Ok(())
    }

    fn if_stmt(&mut self, i: &'a ast::StmtIf) -> CResult<()> {
        let end = self.new_label();
        let mut next = self.new_label();
        self.cond_jump(&i.test, false, next)?;
        self.body(&i.body)?;
        if !i.elif_else_clauses.is_empty() {
            self.emit_jump(Op::JUMP, end);
        }
        for (n, c) in i.elif_else_clauses.iter().enumerate() {
            self.bind(next);
            next = self.new_label();
            self.set_line(c.range);
            if let Some(t) = &c.test {
                self.cond_jump(t, false, next)?;
            }
            self.body(&c.body)?;
            if n + 1 < i.elif_else_clauses.len() {
                self.emit_jump(Op::JUMP, end);
            }
        }
        self.bind(next);
        self.bind(end);
        Ok(())
    }

    fn while_stmt(&mut self, w: &'a ast::StmtWhile) -> CResult<()> {
        let top = self.new_label();
        let orelse = self.new_label();
        let exit = self.new_label();
        if self.truth(&w.test) == Some(true) {
            // `while True:`: the line's NOP (for tracing) runs once, before the loop.
            self.emit(Op::NOP, 0);
            self.bind(top);
        } else {
            self.bind(top);
            self.cond_jump(&w.test, false, orelse)?;
        }
        self.u().fblocks.push(FBlock::While { top, exit });
        self.body(&w.body)?;
        self.u().fblocks.pop();
        self.set_line(w.range);
        self.emit_jump(Op::JUMP_BACKWARD, top);
        self.bind(orelse);
        self.body(&w.orelse)?;
        self.bind(exit);
        Ok(())
    }

    /// Store the next item, run the body (break/continue target `exit`/`top`), loop back.
    fn loop_body(&mut self, f: &'a ast::StmtFor, top: Label, exit: Label) -> CResult<()> {
        self.store(&f.target)?;
        self.u().fblocks.push(FBlock::For { top, exit });
        self.body(&f.body)?;
        self.u().fblocks.pop();
        self.set_line(f.range);
        self.emit_jump(Op::JUMP_BACKWARD, top);
        Ok(())
    }

    /// `async for`: each step awaits `__anext__()` under a handler that ends the loop
    /// on StopAsyncIteration (END_ASYNC_FOR).
    fn async_for_stmt(&mut self, f: &'a ast::StmtFor) -> CResult<()> {
        if !self.in_async_function() {
            return self.syntax("'async for' outside async function", f.range);
        }
        let top = self.new_label();
        let end = self.new_label();
        let exit = self.new_label();
        self.expr(&f.iter)?;
        self.emit(Op::GET_AITER, 0);
        self.bind(top);
        self.set_line(f.range);
        let h = self.push_handler(end, false);
        self.emit(Op::GET_ANEXT, 0);
        self.emit(Op::GET_AWAITABLE, 0);
        self.yield_from()?;
        self.pop_handler();
        self.loop_body(f, top, exit)?;
        self.bind_handler(end, h); // [aiter, exc]
        self.emit(Op::END_ASYNC_FOR, 0);
        self.body(&f.orelse)?;
        self.bind(exit);
        Ok(())
    }

    fn for_stmt(&mut self, f: &'a ast::StmtFor) -> CResult<()> {
        if f.is_async {
            return self.async_for_stmt(f);
        }
        let top = self.new_label();
        let orelse = self.new_label();
        let exit = self.new_label();
        self.expr(&f.iter)?;
        self.emit(Op::GET_ITER, 0);
        self.bind(top);
        self.set_line(f.range);
        self.emit_jump(Op::FOR_ITER, orelse);
        self.loop_body(f, top, exit)?;
        self.bind(orelse);
        self.body(&f.orelse)?;
        self.bind(exit);
        Ok(())
    }

    fn break_continue(&mut self, is_break: bool, r: TextRange) -> CResult<()> {
        // An instruction on the statement's line before the unwinding code (a
        // `finally` body, a `with`'s exit call, on their own lines): tracing reports
        // the `break` first, as CPython's.
        let inner = self
            .u()
            .fblocks
            .iter()
            .rev()
            .take_while(|b| !matches!(b, FBlock::While { .. } | FBlock::For { .. }));
        if inner.clone().any(|b| {
            matches!(
                b,
                FBlock::FinallyTry { .. } | FBlock::With { .. } | FBlock::HandlerCleanup { .. }
            )
        }) {
            self.emit(Op::NOP, 0);
        }
        let n = self.u().fblocks.len();
        let mut i = n;
        while i > 0 {
            i -= 1;
            match &self.u().fblocks[i] {
                FBlock::ExceptStar => return self.syntax(EXCEPT_STAR_EXIT, r),
                FBlock::While { top, exit } | FBlock::For { top, exit } => {
                    let (top, exit) = (*top, *exit);
                    let is_for = matches!(self.u().fblocks[i], FBlock::For { .. });
                    self.unwind_to(i + 1, false)?;
                    if is_break {
                        if is_for {
                            self.emit(Op::POP_TOP, 0);
                        }
                        self.emit_jump(Op::JUMP, exit);
                    } else {
                        self.emit_jump(Op::JUMP_BACKWARD, top);
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        self.syntax(
            if is_break {
                "'break' outside loop"
            } else {
                "'continue' not properly in loop"
            },
            r,
        )
    }

    /// Emit the cleanup of every fblock above `level` (innermost first), keeping TOS
    /// (a return value) on top when `preserve`. Each block is popped before its cleanup
    /// is compiled and the outer ones stay, so a `break` or `return` in an inlined
    /// finally body sees the loops and handlers around it (CPython's
    /// `compiler_unwind_fblock_stack`).
    fn unwind_to(&mut self, level: usize, preserve: bool) -> CResult<()> {
        let saved_handlers = self.u().handler_stack.clone();
        let mut popped: Vec<FBlock<'a>> = Vec::new();
        let mut result = Ok(());
        while self.u().fblocks.len() > level {
            let Some(b) = self.u().fblocks.pop() else {
                break;
            };
            let r = self.unwind_one(&b, preserve);
            popped.push(b);
            if r.is_err() {
                result = r;
                break;
            }
        }
        self.u().handler_stack = saved_handlers;
        popped.reverse();
        self.u().fblocks.extend(popped);
        result
    }

    fn unwind_all(&mut self, preserve: bool) -> CResult<()> {
        self.unwind_to(0, preserve)
    }

    fn unwind_one(&mut self, b: &FBlock<'a>, preserve: bool) -> CResult<()> {
        match b {
            FBlock::While { .. } | FBlock::TryExcept | FBlock::ExceptStar => {}
            FBlock::For { .. } => {
                if preserve {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_TOP, 0);
            }
            FBlock::FinallyTry { body } => {
                // The finally body runs outside the try's handler. A preserved return
                // value stays below it: a `break`/`continue`/`return` in the body pops it.
                self.u().handler_stack.pop();
                let body: &'a [Stmt] = body;
                if preserve {
                    self.u().fblocks.push(FBlock::PopValue);
                }
                let r = self.body(body);
                if preserve {
                    self.u().fblocks.pop();
                }
                r?;
            }
            FBlock::PopValue => {
                if preserve {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_TOP, 0);
            }
            FBlock::FinallyEnd => {
                if preserve {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_TOP, 0);
                if preserve {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_EXCEPT, 0);
                self.u().handler_stack.pop();
            }
            FBlock::HandlerCleanup { name } => {
                if preserve {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_EXCEPT, 0);
                self.u().handler_stack.pop();
                if let Some(n) = name {
                    let n = n.clone();
                    self.load_const(Value::none());
                    self.name_op(&n, 1);
                    self.name_op(&n, 2);
                }
            }
            FBlock::With { is_async, line } => {
                let (is_async, line) = (*is_async, *line);
                self.u().handler_stack.pop();
                // The exit call has the `with` line; what unwinds after it has none
                // (it seems to run after the statement that left).
                self.u().line = line;
                if preserve {
                    self.emit(Op::SWAP, 2);
                }
                self.call_exit_none(is_async)?;
                self.u().line = 0;
            }
        }
        Ok(())
    }

    /// Emit the shared "cleanup" handler: [prev_exc, lasti, exc] -> restore, reraise.
    /// Its handler keeps the raising instruction (`lasti`), which `RERAISE 1` makes
    /// the frame's last instruction again: a frame the exception leaves reports the
    /// line that raised (`f_lineno`), not this compiler-made code's.
    fn emit_cleanup_handler(&mut self, label: Label, h: Handler) {
        debug_assert!(h.lasti);
        self.bind_handler(label, h);
        self.emit(Op::COPY, 3);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 1);
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        if t.is_star {
            return self.try_except_star(t);
        }
        let handler_l = self.new_label();
        let end = self.new_label();
        let h = self.push_handler(handler_l, false);
        self.u().fblocks.push(FBlock::TryExcept);
        self.body(&t.body)?;
        self.u().fblocks.pop();
        self.pop_handler();
        self.body(&t.orelse)?;
        self.emit_jump(Op::JUMP, end);

        // Exception path: [.., exc]
        self.bind_handler(handler_l, h);
        // The cleanup handler's depth excludes the exception: [.., prev] + new exc.
        let cleanup = self.new_label();
        let ch = self.push_handler(cleanup, true);
        self.emit(Op::PUSH_EXC_INFO, 0); // [prev, exc]
        let mut clause_line = 0;
        for (i, hd) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(hd) = hd;
            if hd.type_.is_none() && i + 1 < t.handlers.len() {
                return self.syntax("default 'except:' must be last", hd.range);
            }
            self.set_line(hd.range);
            clause_line = self.u().line;
            let next = self.new_label();
            if let Some(ty) = &hd.type_ {
                self.expr(ty)?;
                self.emit(Op::CHECK_EXC_MATCH, 0);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, next);
            }
            let name = hd.name.as_ref().map(|n| n.as_str().to_string());
            match &name {
                Some(n) => self.name_op(n, 1),
                None => self.emit(Op::POP_TOP, 0),
            }
            // [prev]
            let name_cleanup = self.new_label();
            let nh = self.push_handler(name_cleanup, true);
            self.u()
                .fblocks
                .push(FBlock::HandlerCleanup { name: name.clone() });
            self.body(&hd.body)?;
            self.u().fblocks.pop();
            self.pop_handler();
            // Leaving the handler is the compiler's own code (CPython's `UNSET_LOC`):
            // no 'line' event for the body's last line again.
            self.u().line = 0;
            self.emit(Op::POP_EXCEPT, 0);
            if let Some(n) = &name {
                self.load_const(Value::none());
                self.name_op(n, 1);
                self.name_op(n, 2);
            }
            self.emit_jump(Op::JUMP, end);
            // The handler body raised: clear the name, then the outer cleanup runs
            // (from the raising instruction: `RERAISE 1`).
            self.bind_handler(name_cleanup, nh);
            if let Some(n) = &name {
                self.load_const(Value::none());
                self.name_op(n, 1);
                self.name_op(n, 2);
            }
            self.emit(Op::RERAISE, 1);
            self.bind(next);
            if hd.type_.is_none() {
                break;
            }
        }
        // No clause matched: [prev, exc]. The re-raise has the last clause's line
        // (CPython's line propagation into the block its test jumps to).
        if self.u().reachable {
            self.u().line = clause_line;
            self.emit(Op::RERAISE, 0);
        }
        self.pop_handler();
        self.emit_cleanup_handler(cleanup, ch);
        self.bind(end);
        Ok(())
    }

    /// Whether an `except*` body encloses the code at or above fblock `level`.
    fn in_except_star(&self, level: usize) -> bool {
        let u = self.units.last().expect("unit");
        u.fblocks[level.min(u.fblocks.len())..]
            .iter()
            .any(|b| matches!(b, FBlock::ExceptStar))
    }

    /// `try ... except* T as e: ...` (PEP 654), with no opcodes of its own: the
    /// exception path keeps `[prev, orig, results, rest]` on the stack; each clause
    /// splits `rest` with `__except_star_match__(rest, T)` into `(match, rest)`, runs
    /// its body on a match and appends what the body raised to `results`; at the end
    /// the unhandled rest is appended and `__except_star_reraise__(orig, results)`
    /// gives the exception to re-raise, or None.
    fn try_except_star(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        let handler_l = self.new_label();
        let end = self.new_label();
        let h = self.push_handler(handler_l, false);
        self.u().fblocks.push(FBlock::TryExcept);
        self.body(&t.body)?;
        self.u().fblocks.pop();
        self.pop_handler();
        self.body(&t.orelse)?;
        self.emit_jump(Op::JUMP, end);

        self.bind_handler(handler_l, h); // [exc]
        let cleanup = self.new_label();
        let ch = self.push_handler(cleanup, true);
        self.emit(Op::PUSH_EXC_INFO, 0); // [prev, exc]
        self.emit(Op::COPY, 1); // [prev, orig, rest]
        self.emit(Op::BUILD_LIST, 0);
        self.emit(Op::SWAP, 2); // [prev, orig, results, rest]
        for hd in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(hd) = hd;
            self.set_line(hd.range);
            let Some(ty) = &hd.type_ else {
                return self.syntax("expected one or more exception types", hd.range);
            };
            let no_match = self.new_label();
            let next = self.new_label();
            self.call_helper_prefix("__except_star_match__");
            self.emit(Op::COPY, 3);
            self.expr(ty)?;
            self.emit(Op::CALL, 2); // [.., rest, (match, rest2)]
            self.emit(Op::SWAP, 2);
            self.emit(Op::POP_TOP, 0);
            self.emit(Op::UNPACK_SEQUENCE, 2); // [.., rest2, match]
            self.emit(Op::COPY, 1);
            self.emit_jump(Op::POP_JUMP_IF_NONE, no_match);
            let name = hd.name.as_ref().map(|n| n.as_str().to_string());
            match &name {
                Some(n) => self.name_op(n, 1),
                None => self.emit(Op::POP_TOP, 0),
            }
            // [prev, orig, results, rest]
            let raised = self.new_label();
            let rh = self.push_handler(raised, false);
            self.u().fblocks.push(FBlock::ExceptStar);
            self.body(&hd.body)?;
            self.u().fblocks.pop();
            self.pop_handler();
            self.clear_handler_name(&name);
            self.emit_jump(Op::JUMP, next);
            // The body raised: [prev, orig, results, rest, exc] -> results.append(exc)
            self.bind_handler(raised, rh);
            self.clear_handler_name(&name);
            self.emit(Op::LIST_APPEND, 2);
            self.emit_jump(Op::JUMP, next);
            self.bind(no_match); // [.., rest, None]
            self.emit(Op::POP_TOP, 0);
            self.bind(next);
        }
        // [prev, orig, results, rest]
        self.emit(Op::LIST_APPEND, 1); // [prev, orig, results]
        self.call_helper_prefix("__except_star_reraise__");
        self.emit(Op::COPY, 4);
        self.emit(Op::COPY, 4);
        self.emit(Op::CALL, 2); // [prev, orig, results, exc]
        self.emit(Op::SWAP, 3);
        self.emit(Op::POP_TOP, 0);
        self.emit(Op::POP_TOP, 0); // [prev, exc]
        let reraise = self.new_label();
        self.emit(Op::COPY, 1);
        self.emit_jump(Op::POP_JUMP_IF_NOT_NONE, reraise);
        self.emit(Op::POP_TOP, 0);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit_jump(Op::JUMP, end);
        self.bind(reraise);
        self.emit(Op::RERAISE, 0);
        self.pop_handler();
        self.emit_cleanup_handler(cleanup, ch);
        self.bind(end);
        Ok(())
    }

    /// `name = None; del name` after an except clause that bound one.
    fn clear_handler_name(&mut self, name: &Option<String>) {
        if let Some(n) = name {
            self.load_const(Value::none());
            self.name_op(n, 1);
            self.name_op(n, 2);
        }
    }

    fn try_finally(&mut self, t: &'a ast::StmtTry) -> CResult<()> {
        let exc_l = self.new_label();
        let end = self.new_label();
        let h = self.push_handler(exc_l, false);
        self.u()
            .fblocks
            .push(FBlock::FinallyTry { body: &t.finalbody });
        if t.handlers.is_empty() {
            self.body(&t.body)?;
            self.body(&t.orelse)?;
        } else {
            self.try_except(t)?;
        }
        self.u().fblocks.pop();
        self.pop_handler();
        self.body(&t.finalbody)?;
        self.emit_jump(Op::JUMP, end);

        self.bind_handler(exc_l, h);
        let cleanup = self.new_label();
        let ch = self.push_handler(cleanup, true);
        self.emit(Op::PUSH_EXC_INFO, 0);
        self.u().fblocks.push(FBlock::FinallyEnd);
        self.body(&t.finalbody)?;
        self.u().fblocks.pop();
        if self.u().reachable {
            self.emit(Op::RERAISE, 0);
        }
        self.pop_handler();
        self.emit_cleanup_handler(cleanup, ch);
        self.bind(end);
        Ok(())
    }

    /// `exit(None, None, None)` with [exit] on top, awaited for `async with`; pops exit.
    fn call_exit_none(&mut self, is_async: bool) -> CResult<()> {
        self.emit(Op::PUSH_NULL, 0);
        self.load_const(Value::none());
        self.load_const(Value::none());
        self.load_const(Value::none());
        self.emit(Op::CALL, 3);
        if is_async {
            self.emit(Op::GET_AWAITABLE, 2);
            self.yield_from()?;
        }
        self.emit(Op::POP_TOP, 0);
        Ok(())
    }

    fn with_stmt(
        &mut self,
        items: &'a [ast::WithItem],
        body: &'a [Stmt],
        is_async: bool,
    ) -> CResult<()> {
        let Some((first, rest)) = items.split_first() else {
            return self.body(body);
        };
        let with_line = self.u().line;
        self.expr(&first.context_expr)?;
        if is_async {
            self.emit(Op::BEFORE_ASYNC_WITH, 0); // [exit, awaitable]
            self.emit(Op::GET_AWAITABLE, 1);
            self.yield_from()?; // [exit, enter_result]
        } else {
            self.emit(Op::BEFORE_WITH, 0); // [exit, enter_result]
        }
        let exc_l = self.new_label();
        let end = self.new_label();
        // The handler depth excludes the enter result (stored below). The handler
        // keeps the raising instruction for `RERAISE 2` (the frame's line when the
        // exception leaves it is the body's, as CPython's).
        self.u().depth -= 1;
        let h = self.push_handler(exc_l, true);
        self.u().depth += 1;
        match &first.optional_vars {
            Some(v) => self.store(v)?,
            None => self.emit(Op::POP_TOP, 0),
        }
        self.u().fblocks.push(FBlock::With {
            is_async,
            line: with_line,
        });
        if rest.is_empty() {
            self.body(body)?;
        } else {
            self.with_stmt(rest, body, is_async)?;
        }
        self.u().fblocks.pop();
        self.pop_handler();
        // Normal exit: exit(None, None, None), on the `with` line.
        self.u().line = with_line;
        self.call_exit_none(is_async)?;
        self.emit_jump(Op::JUMP, end);

        // Exceptional exit: [exit, lasti, exc]
        self.bind_handler(exc_l, h);
        let cleanup = self.new_label();
        let ch = self.push_handler(cleanup, true);
        self.emit(Op::PUSH_EXC_INFO, 0); // [exit, lasti, prev, exc]
        self.u().line = with_line;
        self.emit(Op::WITH_EXCEPT_START, 0); // [exit, lasti, prev, exc, res]
        if is_async {
            self.emit(Op::GET_AWAITABLE, 2);
            self.yield_from()?;
        }
        let suppress = self.new_label();
        self.emit_jump(Op::POP_JUMP_IF_TRUE, suppress);
        self.emit(Op::RERAISE, 2);
        self.bind(suppress);
        self.pop_handler();
        self.emit(Op::POP_TOP, 0); // exc
        self.emit(Op::POP_EXCEPT, 0); // prev
        self.emit(Op::POP_TOP, 0); // lasti
        self.emit(Op::POP_TOP, 0); // exit
        self.emit_jump(Op::JUMP, end);
        // Cleanup: [exit, lasti, prev, lasti2, exc2]; unwinding drops what is below.
        self.emit_cleanup_handler(cleanup, ch);
        self.bind(end);
        Ok(())
    }

    // ---- functions and classes ---------------------------------------------------------

    fn child_scope(&self, r: TextRange) -> usize {
        *self
            .st
            .by_node
            .get(&(r.start().to_u32(), r.end().to_u32()))
            .unwrap_or(&0)
    }

    fn qualname_for(&self, name: &str) -> String {
        let u = self.units.last().expect("unit");
        // A function or class declared `global` where it is defined is named as if at
        // module level (CPython's compiler_set_qualname), so pickle can find it.
        if u.kind != ScopeKind::Module
            && matches!(self.resolve(&self.mangle(name)), Resolved::GlobalExplicit)
        {
            return name.to_string();
        }
        match u.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{}", u.qualname, name),
            ScopeKind::Function => format!("{}.<locals>.{}", u.qualname, name),
        }
    }

    /// Push defaults/kwdefaults for `p`; returns MAKE_FUNCTION flags.
    fn defaults(&mut self, p: Option<&'a ast::Parameters>) -> CResult<u32> {
        let Some(p) = p else { return Ok(0) };
        let mut flags = 0;
        let pos: Vec<&'a Expr> = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !pos.is_empty() {
            for d in &pos {
                self.expr(d)?;
            }
            self.emit(Op::BUILD_TUPLE, pos.len() as u32);
            flags |= 1;
        }
        let kw: Vec<(&'a str, &'a Expr)> = p
            .kwonlyargs
            .iter()
            .filter_map(|a| a.default.as_deref().map(|d| (a.parameter.name.as_str(), d)))
            .collect();
        if !kw.is_empty() {
            for (n, d) in &kw {
                // Keyed by the parameter's mangled name, as the code object names it
                // (`def f(self, *, __x=1)` in class C: `{'_C__x': 1}`).
                let name = self.mangle(n);
                self.load_const(new_str(&name));
                self.expr(d)?;
            }
            self.emit(Op::BUILD_MAP, kw.len() as u32);
            flags |= 2;
        }
        Ok(flags)
    }

    /// Push a function's annotations as a tuple of (name, value) pairs, in CPython
    /// 3.11's order (regular parameters, then positional-only ones, `*args`, keyword-only
    /// ones, `**kwargs`, the return); returns MAKE_FUNCTION's flag for them (4) or 0.
    fn annotations(&mut self, p: &'a ast::Parameters, returns: Option<&'a Expr>) -> CResult<u32> {
        let mut items: Vec<(&'a str, &'a Expr)> = Vec::new();
        let with_default = |a: &'a ast::ParameterWithDefault| {
            a.parameter
                .annotation
                .as_deref()
                .map(|e| (a.parameter.name.as_str(), e))
        };
        items.extend(p.args.iter().filter_map(with_default));
        items.extend(p.posonlyargs.iter().filter_map(with_default));
        if let Some(v) = &p.vararg
            && let Some(e) = v.annotation.as_deref()
        {
            items.push((v.name.as_str(), e));
        }
        items.extend(p.kwonlyargs.iter().filter_map(with_default));
        if let Some(v) = &p.kwarg
            && let Some(e) = v.annotation.as_deref()
        {
            items.push((v.name.as_str(), e));
        }
        if let Some(r) = returns {
            items.push(("return", r));
        }
        if items.is_empty() {
            return Ok(0);
        }
        for (n, e) in &items {
            let name = self.mangle(n);
            self.load_const(new_str(&name));
            self.annotation_value(e)?;
        }
        self.emit(Op::BUILD_TUPLE, 2 * items.len() as u32);
        Ok(4)
    }

    /// Emit MAKE_FUNCTION for a finished code object, loading its closure cells.
    fn make_closure(&mut self, code: Value, mut flags: u32) {
        // SAFETY: `code` was just created by `pop_unit`, so it is a CodeObj.
        let co = unsafe { code.payload_unchecked::<CodeObj>() };
        let frees: Vec<String> = co.localsplus_names[co.nlocals + co.ncells..].to_vec();
        if !frees.is_empty() {
            for f in &frees {
                let i = self.deref_index(f);
                self.emit(Op::LOAD_CLOSURE, i);
            }
            self.emit(Op::BUILD_TUPLE, frees.len() as u32);
            flags |= 8;
        }
        self.load_const(code);
        self.emit(Op::MAKE_FUNCTION, flags);
    }

    fn set_params(&mut self, p: Option<&ast::Parameters>) {
        let Some(p) = p else { return };
        let u = self.u();
        u.posonly = p.posonlyargs.len();
        u.argcount = p.posonlyargs.len() + p.args.len();
        u.kwonly = p.kwonlyargs.len();
        if p.vararg.is_some() {
            u.flags |= code::CO_VARARGS;
        }
        if p.kwarg.is_some() {
            u.flags |= code::CO_VARKEYWORDS;
        }
    }

    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult<()> {
        for d in &f.decorator_list {
            self.expr(&d.expression)?;
        }
        let mut flags = self.defaults(Some(&f.parameters))?;
        flags |= self.annotations(&f.parameters, f.returns.as_deref())?;
        let scope = self.child_scope(f.range);
        let qual = self.qualname_for(f.name.as_str());
        let line = self.line_of(f.range);
        self.push_unit(scope, f.name.as_str().to_string(), qual, line);
        self.set_params(Some(&f.parameters));
        self.u().async_def = f.is_async;
        let mut body: &'a [Stmt] = &f.body;
        if let Some(doc) = body.first().and_then(is_docstring) {
            if self.optimize < 2 {
                self.add_const(format!("doc:{doc}"), new_str(doc));
            } else {
                self.add_const("none-doc".into(), Value::none());
            }
            body = &body[1..];
        } else {
            self.add_const("none-doc".into(), Value::none());
        }
        self.body(body)?;
        if self.u().reachable {
            self.implicit_return_line();
            self.load_const(Value::none());
            self.emit(Op::RETURN_VALUE, 0);
        }
        let code = self.pop_unit();
        self.set_line(f.range);
        self.make_closure(code, flags);
        for d in f.decorator_list.iter().rev() {
            // Each application is located at its decorator (CPython 3.11).
            self.set_line(d.expression.range());
            self.emit(Op::PUSH_NULL, 0);
            self.emit(Op::SWAP, 2);
            self.emit(Op::CALL, 1);
        }
        self.name_op(f.name.as_str(), 1);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult<()> {
        if c.type_params.is_some() {
            return self.unsupported("generic class type parameters", c.range);
        }
        for d in &c.decorator_list {
            self.expr(&d.expression)?;
        }
        self.emit(Op::LOAD_BUILD_CLASS, 0);
        self.emit(Op::PUSH_NULL, 0);
        let scope = self.child_scope(c.range);
        let qual = self.qualname_for(c.name.as_str());
        let line = self.line_of(c.range);
        self.push_unit(scope, c.name.as_str().to_string(), qual.clone(), line);
        // __module__ and __qualname__ come from the build_class machinery; CPython's
        // stores of them run on the `class` line, which tracing reports first.
        self.set_line(c.range);
        self.emit(Op::NOP, 0);
        let mut body: &'a [Stmt] = &c.body;
        if has_annotations(body) {
            self.emit(Op::SETUP_ANNOTATIONS, 0);
        }
        if let Some(doc) = body.first().and_then(is_docstring) {
            if self.optimize < 2 {
                self.set_line(body[0].range());
                self.load_const(new_str(doc));
                self.name_op("__doc__", 1);
            }
            body = &body[1..];
        }
        self.body(body)?;
        self.implicit_return_line();
        if self.u().cellvars.iter().any(|c| c == "__class__") {
            // The cell goes to type.__new__ as `__classcell__` (filled as soon as the
            // class exists) and back to __build_class__ (which checks it was).
            let i = self.deref_index("__class__");
            self.emit(Op::LOAD_CLOSURE, i);
            self.emit(Op::COPY, 1);
            self.name_op("__classcell__", 1);
        } else {
            self.load_const(Value::none());
        }
        self.emit(Op::RETURN_VALUE, 0);
        let code = self.pop_unit();
        self.set_line(c.range);
        self.make_closure(code, 0);
        self.load_const(new_str(c.name.as_str()));
        let (args, kws): (&[Expr], &[ast::Keyword]) = match &c.arguments {
            Some(a) => (&a.args, &a.keywords),
            None => (&[], &[]),
        };
        self.call_args(args, kws, 2)?;
        for d in c.decorator_list.iter().rev() {
            self.set_line(d.expression.range());
            self.emit(Op::PUSH_NULL, 0);
            self.emit(Op::SWAP, 2);
            self.emit(Op::CALL, 1);
        }
        self.name_op(c.name.as_str(), 1);
        Ok(())
    }

    // ---- assignment targets ---------------------------------------------------------------

    /// Store into target `t`; its instructions get its location (CPython's SET_LOC for
    /// every expression, targets too: each name of a multi-line unpacking is a 'line').
    fn store(&mut self, t: &'a Expr) -> CResult<()> {
        let saved = (self.u().line, self.u().span);
        self.set_line(t.range());
        let r = self.store_inner(t);
        let u = self.u();
        (u.line, u.span) = saved;
        r
    }

    fn store_inner(&mut self, t: &'a Expr) -> CResult<()> {
        match t {
            Expr::Name(n) if n.id.as_str() == "__debug__" => {
                return self.syntax(DEBUG_STORE, n.range);
            }
            Expr::Name(n) => self.name_op(n.id.as_str(), 1),
            Expr::Attribute(a) if a.attr.as_str() == "__debug__" => {
                return self.syntax(DEBUG_STORE, a.range);
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let attr = self.mangle(a.attr.as_str());
                let ni = self.name_index(&attr);
                self.emit(Op::STORE_ATTR, ni);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::STORE_SUBSCR, 0);
            }
            Expr::Tuple(tu) => self.unpack(&tu.elts, t.range())?,
            Expr::List(l) => self.unpack(&l.elts, t.range())?,
            Expr::Starred(s) => {
                return self.syntax(
                    "starred assignment target must be in a list or tuple",
                    s.range,
                );
            }
            other => {
                return self.syntax(
                    &format!("cannot assign to {}", expr_kind(other)),
                    other.range(),
                );
            }
        }
        Ok(())
    }

    fn unpack(&mut self, elts: &'a [Expr], r: TextRange) -> CResult<()> {
        let star = elts.iter().position(|e| matches!(e, Expr::Starred(_)));
        match star {
            None => self.emit(Op::UNPACK_SEQUENCE, elts.len() as u32),
            Some(i) => {
                if elts
                    .iter()
                    .filter(|e| matches!(e, Expr::Starred(_)))
                    .count()
                    > 1
                {
                    return self.syntax("multiple starred expressions in assignment", r);
                }
                let after = elts.len() - i - 1;
                self.emit(Op::UNPACK_EX, (i as u32) | ((after as u32) << 8));
            }
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.store(&s.value)?,
                _ => self.store(e)?,
            }
        }
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CResult<()> {
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), 2),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let attr = self.mangle(a.attr.as_str());
                let ni = self.name_index(&attr);
                self.emit(Op::DELETE_ATTR, ni);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::DELETE_SUBSCR, 0);
            }
            Expr::Tuple(tu) => {
                for e in &tu.elts {
                    self.delete(e)?;
                }
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.delete(e)?;
                }
            }
            other => {
                return self.syntax(
                    &format!("cannot delete {}", expr_kind(other)),
                    other.range(),
                );
            }
        }
        Ok(())
    }

    // ---- expressions ----------------------------------------------------------------------

    /// Jump to `target` when `e`'s truth equals `when`.
    /// The truth of a test known at compile time: a literal's, or `__debug__`'s.
    fn truth(&self, e: &Expr) -> Option<bool> {
        match e {
            Expr::Name(n) if n.id.as_str() == "__debug__" => Some(self.optimize == 0),
            _ => constant_truth(e),
        }
    }

    fn cond_jump(&mut self, e: &'a Expr, when: bool, target: Label) -> CResult<()> {
        if self.truth(e).is_some_and(|t| t != when) {
            // `while True:`, `if 1:`: the jump is never taken, so no test at run time
            // (as CPython's compiler), but a NOP keeps the line for tracing. A jump
            // always taken is left as written.
            self.emit(Op::NOP, 0);
            return Ok(());
        }
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                return self.cond_jump(&u.operand, !when, target);
            }
            Expr::BoolOp(b) => {
                let is_and = b.op == ast::BoolOp::And;
                // and: jump if all true / any false; or: the mirror.
                if is_and != when {
                    // Any operand matching `when` jumps.
                    for v in &b.values {
                        self.cond_jump(v, when, target)?;
                    }
                } else {
                    let skip = self.new_label();
                    let n = b.values.len();
                    for (i, v) in b.values.iter().enumerate() {
                        if i + 1 < n {
                            self.cond_jump(v, !when, skip)?;
                        } else {
                            self.cond_jump(v, when, target)?;
                        }
                    }
                    self.bind(skip);
                }
                return Ok(());
            }
            Expr::Compare(c)
                if c.ops.len() == 1
                    && matches!(c.ops[0], ast::CmpOp::Is | ast::CmpOp::IsNot)
                    && matches!(c.comparators[0], Expr::NoneLiteral(_)) =>
            {
                self.expr(&c.left)?;
                let is = c.ops[0] == ast::CmpOp::Is;
                let op = if is == when {
                    Op::POP_JUMP_IF_NONE
                } else {
                    Op::POP_JUMP_IF_NOT_NONE
                };
                self.emit_jump(op, target);
                return Ok(());
            }
            _ => {}
        }
        self.expr(e)?;
        self.emit_jump(
            if when {
                Op::POP_JUMP_IF_TRUE
            } else {
                Op::POP_JUMP_IF_FALSE
            },
            target,
        );
        Ok(())
    }

    fn expr(&mut self, e: &'a Expr) -> CResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            self.nesting -= 1;
            return Err(CompileError {
                kind: "RecursionError",
                msg: "maximum recursion depth exceeded during compilation".into(),
                range: e.range(),
            });
        }
        // The instructions of this expression get its location; the enclosing
        // node's comes back after it (CPython's SET_LOC).
        let saved = (self.u().line, self.u().span);
        self.set_line(e.range());
        let r = self.expr_inner(e);
        let u = self.u();
        (u.line, u.span) = saved;
        self.nesting -= 1;
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult<()> {
        if let Some(v) = super::fold::constant(e) {
            self.load_const(v);
            return Ok(());
        }
        match e {
            Expr::NumberLiteral(n) => {
                let v = match &n.value {
                    ast::Number::Int(i) => int_literal(i),
                    ast::Number::Float(f) => Value::float(*f),
                    ast::Number::Complex { real, imag } => {
                        crate::types::complex::new_complex(*real, *imag)
                    }
                };
                self.load_const(v);
            }
            Expr::StringLiteral(s) => self.load_const(super::surrogate_literal::literal_value(s)),
            Expr::BytesLiteral(b) => {
                let data: Vec<u8> = b
                    .value
                    .as_slice()
                    .iter()
                    .flat_map(|p| p.value.iter().copied())
                    .collect();
                self.load_const(crate::types::bytes::BytesObj::new_value(data));
            }
            Expr::BooleanLiteral(b) => self.load_const(Value::bool(b.value)),
            Expr::NoneLiteral(_) => self.load_const(Value::none()),
            Expr::EllipsisLiteral(_) => self.load_const(Value::ellipsis()),
            // A constant, as CPython's AST optimizer makes it.
            Expr::Name(n) if n.id.as_str() == "__debug__" => {
                self.load_const(Value::bool(self.optimize == 0))
            }
            Expr::Name(n) => self.name_op(n.id.as_str(), 0),
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(Op::BINARY_OP, binop_arg(b.op));
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                let op = match u.op {
                    ast::UnaryOp::Not => Op::UNARY_NOT,
                    ast::UnaryOp::USub => Op::UNARY_NEGATIVE,
                    ast::UnaryOp::UAdd => Op::UNARY_POSITIVE,
                    ast::UnaryOp::Invert => Op::UNARY_INVERT,
                };
                self.emit(op, 0);
            }
            Expr::BoolOp(b) => {
                let end = self.new_label();
                let op = if b.op == ast::BoolOp::And {
                    Op::JUMP_IF_FALSE_OR_POP
                } else {
                    Op::JUMP_IF_TRUE_OR_POP
                };
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.emit_jump(op, end);
                    }
                }
                self.bind(end);
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::If(i) => {
                let orelse = self.new_label();
                let end = self.new_label();
                self.cond_jump(&i.test, false, orelse)?;
                self.expr(&i.body)?;
                self.emit_jump(Op::JUMP, end);
                self.bind(orelse);
                self.expr(&i.orelse)?;
                self.bind(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Op::COPY, 1);
                self.store(&n.target)?;
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let attr = self.mangle(a.attr.as_str());
                let ni = self.name_index(&attr);
                self.attr_location(a);
                self.emit(Op::LOAD_ATTR, ni);
            }
            Expr::Subscript(s) => {
                super::syntax_warnings::check_subscript(s);
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::BINARY_SUBSCR, 0);
            }
            Expr::Slice(s) => {
                for x in [&s.lower, &s.upper] {
                    match x {
                        Some(v) => self.expr(v)?,
                        None => self.load_const(Value::none()),
                    }
                }
                match &s.step {
                    Some(st) => {
                        self.expr(st)?;
                        self.emit(Op::BUILD_SLICE, 3);
                    }
                    None => self.emit(Op::BUILD_SLICE, 2),
                }
            }
            Expr::Call(c) => self.call(c)?,
            Expr::List(l) => self.sequence(&l.elts, Op::BUILD_LIST)?,
            Expr::Tuple(t) => self.sequence(&t.elts, Op::BUILD_TUPLE)?,
            Expr::Set(s) if s.elts.len() >= 3 && s.elts.iter().all(is_constant) => {
                // CPython folds this into a frozenset constant, which constant merging
                // rebuilds from its own iteration order, and SET_UPDATEs a new set from
                // it. Repeating those steps at run time gives CPython's iteration order.
                self.emit(Op::BUILD_SET, 0);
                self.emit(Op::BUILD_SET, 0);
                self.emit(Op::BUILD_LIST, 0);
                self.sequence(&s.elts, Op::BUILD_SET)?;
                self.emit(Op::LIST_EXTEND, 1);
                self.emit(Op::SET_UPDATE, 1);
                self.emit(Op::SET_UPDATE, 1);
            }
            Expr::Set(s) => self.sequence(&s.elts, Op::BUILD_SET)?,
            Expr::Dict(d) => self.dict(d)?,
            Expr::Lambda(l) => {
                let flags = self.defaults(l.parameters.as_deref())?;
                let scope = self.child_scope(l.range);
                let qual = self.qualname_for("<lambda>");
                let line = self.line_of(l.range);
                self.push_unit(scope, "<lambda>".into(), qual, line);
                self.set_params(l.parameters.as_deref());
                self.add_const("none-doc".into(), Value::none());
                self.expr(&l.body)?;
                self.emit(Op::RETURN_VALUE, 0);
                let code = self.pop_unit();
                self.make_closure(code, flags);
            }
            Expr::ListComp(c) => {
                self.comprehension(c.range, &c.generators, CompKind::List(&c.elt), "<listcomp>")?
            }
            Expr::SetComp(c) => {
                self.comprehension(c.range, &c.generators, CompKind::Set(&c.elt), "<setcomp>")?
            }
            Expr::DictComp(c) => {
                let Some(k) = &c.key else {
                    return self.unsupported("dict unpacking in comprehensions", c.range);
                };
                self.comprehension(
                    c.range,
                    &c.generators,
                    CompKind::Dict(k, &c.value),
                    "<dictcomp>",
                )?
            }
            Expr::Generator(c) => {
                self.comprehension(c.range, &c.generators, CompKind::Gen(&c.elt), "<genexpr>")?
            }
            Expr::Yield(y) => {
                if self.scope_kind() != ScopeKind::Function {
                    return self.syntax("'yield' outside function", y.range);
                }
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Value::none()),
                }
                self.emit_yield();
            }
            Expr::YieldFrom(y) => {
                if self.scope_kind() != ScopeKind::Function {
                    return self.syntax("'yield' outside function", y.range);
                }
                if self.in_async_function() {
                    return self.syntax("'yield from' inside async function", y.range);
                }
                self.expr(&y.value)?;
                self.emit(Op::GET_YIELD_FROM_ITER, 0);
                self.yield_from()?;
            }
            Expr::Await(a) => {
                if self.scope_kind() != ScopeKind::Function {
                    return self.syntax("'await' outside function", a.range);
                }
                let u = self.units.last().expect("unit");
                if !u.async_def && !u.comprehension {
                    return self.syntax("'await' outside async function", a.range);
                }
                self.expr(&a.value)?;
                self.emit(Op::GET_AWAITABLE, 0);
                self.yield_from()?;
            }
            Expr::FString(f) => self.fstring(f)?,
            Expr::Starred(s) => return self.syntax("can't use starred expression here", s.range),
            Expr::TString(t) => return self.unsupported("template strings", t.range),
            Expr::IpyEscapeCommand(c) => return self.syntax("invalid syntax", c.range),
        }
        Ok(())
    }

    /// A `yield` expression's YIELD_VALUE: argument 1 in an async generator, where
    /// the interpreter wraps the value so `asend` tells it from values an `await`
    /// passes through to the event loop.
    fn emit_yield(&mut self) {
        let arg = if self.in_async_generator() {
            YIELD_ASYNC_GEN
        } else {
            YIELD_PLAIN
        };
        self.emit(Op::YIELD_VALUE, arg);
    }

    fn yield_from(&mut self) -> CResult<()> {
        // [iter] -> SEND loop -> [result]
        self.load_const(Value::none());
        let top = self.new_label();
        let exit = self.new_label();
        self.bind(top);
        self.emit_jump(Op::SEND, exit);
        self.emit(Op::YIELD_VALUE, YIELD_DELEGATED);
        self.emit_jump(Op::JUMP_BACKWARD, top);
        self.bind(exit);
        Ok(())
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> CResult<()> {
        super::syntax_warnings::check_compare(c);
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.cmp_op(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for i in 0..n {
            self.expr(&c.comparators[i])?;
            if i + 1 < n {
                self.emit(Op::SWAP, 2);
                self.emit(Op::COPY, 2);
                self.cmp_op(c.ops[i]);
                self.emit_jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
            } else {
                self.cmp_op(c.ops[i]);
                self.emit_jump(Op::JUMP, end);
            }
        }
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_TOP, 0);
        self.bind(end);
        Ok(())
    }

    fn cmp_op(&mut self, op: ast::CmpOp) {
        use ast::CmpOp::*;
        match op {
            Lt => self.emit(Op::COMPARE_OP, 0),
            LtE => self.emit(Op::COMPARE_OP, 1),
            Eq => self.emit(Op::COMPARE_OP, 2),
            NotEq => self.emit(Op::COMPARE_OP, 3),
            Gt => self.emit(Op::COMPARE_OP, 4),
            GtE => self.emit(Op::COMPARE_OP, 5),
            Is => self.emit(Op::IS_OP, 0),
            IsNot => self.emit(Op::IS_OP, 1),
            In => self.emit(Op::CONTAINS_OP, 0),
            NotIn => self.emit(Op::CONTAINS_OP, 1),
        }
    }

    fn sequence(&mut self, elts: &'a [Expr], build: Op) -> CResult<()> {
        let has_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !has_star && elts.len() <= STACK_USE_GUIDELINE {
            for e in elts {
                self.expr(e)?;
            }
            self.emit(build, elts.len() as u32);
            return Ok(());
        }
        // Build a list (or set) incrementally, then convert.
        let (start, add, ext) = if build == Op::BUILD_SET {
            (Op::BUILD_SET, Op::SET_ADD, Op::SET_UPDATE)
        } else {
            (Op::BUILD_LIST, Op::LIST_APPEND, Op::LIST_EXTEND)
        };
        self.emit(start, 0);
        for e in elts {
            match e {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(ext, 1);
                }
                _ => {
                    self.expr(e)?;
                    self.emit(add, 1);
                }
            }
        }
        if build == Op::BUILD_TUPLE {
            self.emit(Op::LIST_TO_TUPLE, 0);
        }
        Ok(())
    }

    fn dict(&mut self, d: &'a ast::ExprDict) -> CResult<()> {
        if d.items.iter().all(|i| i.key.is_some()) && d.items.len() < 64 {
            for it in &d.items {
                if let Some(k) = &it.key {
                    self.expr(k)?;
                }
                self.expr(&it.value)?;
            }
            self.emit(Op::BUILD_MAP, d.items.len() as u32);
            return Ok(());
        }
        self.emit(Op::BUILD_MAP, 0);
        for it in &d.items {
            match &it.key {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(&it.value)?;
                    self.emit(Op::MAP_ADD, 1);
                }
                None => {
                    self.expr(&it.value)?;
                    self.emit(Op::DICT_UPDATE, 1);
                }
            }
        }
        Ok(())
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> CResult<()> {
        super::syntax_warnings::check_call(c);
        // Method calls: obj.meth(...) -> LOAD_METHOD avoids a bound-method object.
        if let Expr::Attribute(a) = &*c.func
            && !needs_ex_call(&c.arguments.args, &c.arguments.keywords)
        {
            self.expr(&a.value)?;
            let attr = self.mangle(a.attr.as_str());
            let ni = self.name_index(&attr);
            self.set_line(c.range());
            self.attr_location(a);
            self.emit(Op::LOAD_METHOD, ni);
            return self.call_args(&c.arguments.args, &c.arguments.keywords, 0);
        }
        self.expr(&c.func)?;
        self.emit(Op::PUSH_NULL, 0);
        self.call_args(&c.arguments.args, &c.arguments.keywords, 0)
    }

    /// Arguments after [callable, self_or_null] (plus `extra` positional items already
    /// pushed), then the call instruction.
    fn call_args(&mut self, args: &'a [Expr], kws: &'a [ast::Keyword], extra: u32) -> CResult<()> {
        if !needs_ex_call(args, kws) {
            for a in args {
                self.expr(a)?;
            }
            for k in kws {
                self.expr(&k.value)?;
            }
            let n = extra + (args.len() + kws.len()) as u32;
            if kws.is_empty() {
                self.emit(Op::CALL, n);
            } else {
                let names: Vec<Value> = kws
                    .iter()
                    .map(|k| crate::world::intern(k.arg.as_ref().map(|a| a.as_str()).unwrap_or("")))
                    .collect();
                self.load_const(TupleObj::new_value(names));
                self.emit(Op::CALL_KW, n);
            }
            return Ok(());
        }
        // General form: build an args tuple and a kwargs dict.
        self.emit(Op::BUILD_LIST, extra);
        for a in args {
            match a {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(Op::LIST_EXTEND, 1);
                }
                _ => {
                    self.expr(a)?;
                    self.emit(Op::LIST_APPEND, 1);
                }
            }
        }
        self.emit(Op::LIST_TO_TUPLE, 0);
        if kws.is_empty() {
            self.emit(Op::CALL_FUNCTION_EX, 0);
            return Ok(());
        }
        self.emit(Op::BUILD_MAP, 0);
        for k in kws {
            match &k.arg {
                Some(name) => {
                    self.load_const(new_str(name.as_str()));
                    self.expr(&k.value)?;
                    self.emit(Op::MAP_ADD, 1);
                }
                None => {
                    self.expr(&k.value)?;
                    self.emit(Op::DICT_MERGE, 1);
                }
            }
        }
        self.emit(Op::CALL_FUNCTION_EX, 1);
        Ok(())
    }

    fn fstring(&mut self, f: &'a ast::ExprFString) -> CResult<()> {
        let mut n = 0;
        for part in f.value.as_slice() {
            match part {
                ast::FStringPart::Literal(l) => {
                    self.load_const(new_str(&l.value));
                    n += 1;
                }
                ast::FStringPart::FString(fs) => n += self.fstring_elements(&fs.elements)?,
            }
        }
        if n == 0 {
            self.load_const(new_str(""));
        } else if n > 1 {
            self.emit(Op::BUILD_STRING, n);
        }
        Ok(())
    }

    fn fstring_elements(&mut self, els: &'a [ast::InterpolatedStringElement]) -> CResult<u32> {
        let mut n = 0;
        for el in els {
            match el {
                ast::InterpolatedStringElement::Literal(l) => {
                    self.load_const(new_str(&l.value));
                    n += 1;
                }
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conv = match i.conversion {
                        ast::ConversionFlag::None => 0,
                        ast::ConversionFlag::Str => 1,
                        ast::ConversionFlag::Repr => 2,
                        ast::ConversionFlag::Ascii => 3,
                    };
                    if let Some(dt) = &i.debug_text {
                        // f"{x=}": the text, then repr unless a conversion/spec is given.
                        self.load_const(new_str(&debug_text(dt, &i.expression)));
                        n += 1;
                        if conv == 0 && i.format_spec.is_none() {
                            conv = 2;
                        }
                    }
                    self.expr(&i.expression)?;
                    if let Some(spec) = &i.format_spec {
                        let k = self.fstring_elements(&spec.elements)?;
                        if k == 0 {
                            self.load_const(new_str(""));
                        } else if k > 1 {
                            self.emit(Op::BUILD_STRING, k);
                        }
                        conv |= 4;
                    }
                    self.emit(Op::FORMAT_VALUE, conv);
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    fn comprehension(
        &mut self,
        range: TextRange,
        gens: &'a [ast::Comprehension],
        kind: CompKind<'a>,
        name: &str,
    ) -> CResult<()> {
        let Some(first) = gens.first() else {
            return self.syntax("empty comprehension", range);
        };
        let is_gen = matches!(kind, CompKind::Gen(_));
        let scope = self.child_scope(range);
        // `async for` or `await` inside: an async generator expression, or a
        // comprehension that is awaited where it stands (only where `await` may be).
        let is_async = self.st.scopes[scope].is_coroutine;
        if is_async && !is_gen {
            let u = self.units.last().expect("unit");
            if !u.async_def && !u.comprehension {
                return self.syntax(
                    "asynchronous comprehension outside of an asynchronous function",
                    range,
                );
            }
        }
        let qual = self.qualname_for(name);
        let line = self.line_of(range);
        self.push_unit(scope, name.into(), qual, line);
        self.u().argcount = 1;
        self.u().comprehension = true;
        if !is_gen {
            let build = match kind {
                CompKind::List(_) => Op::BUILD_LIST,
                CompKind::Set(_) => Op::BUILD_SET,
                _ => Op::BUILD_MAP,
            };
            self.emit(build, 0);
        }
        self.comp_level(gens, 0, &kind)?;
        if is_gen {
            self.load_const(Value::none());
        }
        self.emit(Op::RETURN_VALUE, 0);
        let code = self.pop_unit();
        self.make_closure(code, 0);
        self.expr(&first.iter)?;
        self.emit(
            if first.is_async {
                Op::GET_AITER
            } else {
                Op::GET_ITER
            },
            0,
        );
        self.emit(Op::CALL, 0);
        // MAKE_FUNCTION left [func]; CALL needs [func, NULL, arg]: fix the layout.
        let u = self.u();
        let n = u.instrs.len();
        // Replace the trailing CALL 0 with: PUSH_NULL; SWAP 2; CALL 1
        u.instrs.truncate(n - 1);
        u.depth += 1;
        self.emit(Op::PUSH_NULL, 0);
        self.emit(Op::SWAP, 2);
        self.emit(Op::CALL, 1);
        if is_async && !is_gen {
            // The call made a coroutine: await it here.
            self.emit(Op::GET_AWAITABLE, 0);
            self.yield_from()?;
        }
        Ok(())
    }

    fn comp_level(
        &mut self,
        gens: &'a [ast::Comprehension],
        i: usize,
        kind: &CompKind<'a>,
    ) -> CResult<()> {
        let g = &gens[i];
        let top = self.new_label();
        let exit = self.new_label();
        if i == 0 {
            self.emit(Op::LOAD_FAST, 0);
        } else {
            self.expr(&g.iter)?;
            self.emit(
                if g.is_async {
                    Op::GET_AITER
                } else {
                    Op::GET_ITER
                },
                0,
            );
        }
        self.bind(top);
        // `async for`: await `__anext__()` under a handler whose END_ASYNC_FOR ends
        // the loop on StopAsyncIteration (as the statement does).
        let mut async_handler = None;
        if g.is_async {
            async_handler = Some(self.push_handler(exit, false));
            self.emit(Op::GET_ANEXT, 0);
            self.emit(Op::GET_AWAITABLE, 0);
            self.yield_from()?;
            self.pop_handler();
        } else {
            self.emit_jump(Op::FOR_ITER, exit);
        }
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.cond_jump(cond, false, top)?;
        }
        if i + 1 < gens.len() {
            self.comp_level(gens, i + 1, kind)?;
        } else {
            // Depth of the result container below: 1 (container) + iterators.
            let depth = (i + 2) as u32;
            match kind {
                CompKind::List(e) => {
                    self.expr(e)?;
                    self.emit(Op::LIST_APPEND, depth);
                }
                CompKind::Set(e) => {
                    self.expr(e)?;
                    self.emit(Op::SET_ADD, depth);
                }
                CompKind::Dict(k, v) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Op::MAP_ADD, depth);
                }
                CompKind::Gen(e) => {
                    self.expr(e)?;
                    self.emit_yield();
                    self.emit(Op::POP_TOP, 0);
                }
            }
        }
        self.emit_jump(Op::JUMP_BACKWARD, top);
        match async_handler {
            Some(h) => {
                self.bind_handler(exit, h); // [aiter, exc]
                self.emit(Op::END_ASYNC_FOR, 0);
            }
            None => self.bind(exit),
        }
        Ok(())
    }
}

/// One step from a match subject to the value a sub-pattern looks at.
#[derive(Clone)]
enum Step<'a> {
    Index(i64),
    /// A starred capture: items from `start` to `len - after`, as a list.
    Star(usize, usize),
    Key(&'a Expr),
    Attr(String),
    /// Positional sub-pattern `index` of a class pattern on `cls`.
    MatchArg(&'a Expr, usize),
}

impl<'a> Compiler<'a> {
    fn match_stmt(&mut self, m: &'a ast::StmtMatch) -> CResult<()> {
        if let Err((msg, range)) = super::pattern_check::check_match(m) {
            return self.syntax(&msg, range);
        }
        let n = self.units.len() * 1000 + self.u().instrs.len();
        let subject = format!(".match{n}");
        self.expr(&m.subject)?;
        self.store_hidden(&subject);
        let end = self.new_label();
        for case in &m.cases {
            self.set_line(case.range);
            let fail = self.new_label();
            self.pattern(&case.pattern, &subject, &[], fail)?;
            if let Some(g) = &case.guard {
                self.cond_jump(g, false, fail)?;
            }
            self.body(&case.body)?;
            self.emit_jump(Op::JUMP, end);
            self.bind(fail);
        }
        self.bind(end);
        self.delete_hidden(&subject);
        Ok(())
    }

    fn store_hidden(&mut self, name: &str) {
        if self.scope_kind() == ScopeKind::Function {
            let i = self.fast_index(name);
            self.emit(Op::STORE_FAST, i);
        } else {
            let i = self.name_index(name);
            self.emit(Op::STORE_NAME, i);
        }
    }

    fn load_hidden(&mut self, name: &str) {
        if self.scope_kind() == ScopeKind::Function {
            let i = self.fast_index(name);
            self.emit(Op::LOAD_FAST, i);
        } else {
            let i = self.name_index(name);
            self.emit(Op::LOAD_NAME, i);
        }
    }

    fn delete_hidden(&mut self, name: &str) {
        if self.scope_kind() == ScopeKind::Function {
            // Clear the slot without failing when it is unbound.
            self.load_const(Value::none());
            let i = self.fast_index(name);
            self.emit(Op::STORE_FAST, i);
        } else {
            let i = self.name_index(name);
            self.emit(Op::DELETE_NAME, i);
        }
    }

    /// Push the value at `path` from the subject.
    fn load_path(&mut self, subject: &str, path: &[Step<'a>]) -> CResult<()> {
        let Some((last, prefix)) = path.split_last() else {
            self.load_hidden(subject);
            return Ok(());
        };
        match last {
            Step::Index(i) => {
                self.load_path(subject, prefix)?;
                self.load_const(Value::int(*i));
                self.emit(Op::BINARY_SUBSCR, 0);
            }
            Step::Star(start, after) => {
                self.call_helper_prefix("__match_star__");
                self.load_path(subject, prefix)?;
                self.load_const(Value::int(*start as i64));
                self.load_const(Value::int(*after as i64));
                self.emit(Op::CALL, 3);
            }
            Step::Key(k) => {
                self.load_path(subject, prefix)?;
                self.expr(k)?;
                self.emit(Op::BINARY_SUBSCR, 0);
            }
            Step::Attr(a) => {
                self.load_path(subject, prefix)?;
                let ni = self.name_index(a);
                self.emit(Op::LOAD_ATTR, ni);
            }
            Step::MatchArg(cls, i) => {
                self.call_helper_prefix("__match_arg__");
                self.load_path(subject, prefix)?;
                self.expr(cls)?;
                self.load_const(Value::int(*i as i64));
                self.emit(Op::CALL, 3);
            }
        }
        Ok(())
    }

    /// Push a helper builtin and NULL for a call: [.., helper, NULL].
    fn call_helper_prefix(&mut self, helper: &str) {
        let i = self.name_index(helper);
        let op = if self.scope_kind() == ScopeKind::Function {
            Op::LOAD_GLOBAL
        } else {
            Op::LOAD_NAME
        };
        self.emit(op, i);
        self.emit(Op::PUSH_NULL, 0);
    }

    /// Emit checks that jump to `fail` unless the value at `path` matches `p`, binding
    /// the pattern's names as it goes. The stack is the same on both exits.
    fn pattern(
        &mut self,
        p: &'a ast::Pattern,
        subject: &str,
        path: &[Step<'a>],
        fail: Label,
    ) -> CResult<()> {
        use ast::Pattern as P;
        let with = |path: &[Step<'a>], s: Step<'a>| {
            let mut v = path.to_vec();
            v.push(s);
            v
        };
        match p {
            P::MatchValue(v) => {
                self.load_path(subject, path)?;
                self.expr(&v.value)?;
                self.emit(Op::COMPARE_OP, 2);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, fail);
            }
            P::MatchSingleton(s) => {
                self.load_path(subject, path)?;
                self.load_const(match s.value {
                    ast::Singleton::None => Value::none(),
                    ast::Singleton::True => Value::bool(true),
                    ast::Singleton::False => Value::bool(false),
                });
                self.emit(Op::IS_OP, 0);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, fail);
            }
            P::MatchSequence(s) => {
                let star = s.patterns.iter().position(|x| matches!(x, P::MatchStar(_)));
                let n = s.patterns.len();
                self.call_helper_prefix("__match_seq__");
                self.load_path(subject, path)?;
                self.load_const(Value::int(if star.is_some() {
                    n as i64 - 1
                } else {
                    n as i64
                }));
                self.load_const(Value::bool(star.is_some()));
                self.emit(Op::CALL, 3);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, fail);
                for (i, sub) in s.patterns.iter().enumerate() {
                    let step = match star {
                        Some(si) if i == si => Step::Star(si, n - si - 1),
                        Some(si) if i > si => Step::Index(i as i64 - n as i64),
                        _ => Step::Index(i as i64),
                    };
                    if let P::MatchStar(st) = sub {
                        if let Some(name) = &st.name {
                            self.load_path(subject, &with(path, step))?;
                            self.name_op(name.as_str(), 1);
                        }
                        continue;
                    }
                    self.pattern(sub, subject, &with(path, step), fail)?;
                }
            }
            P::MatchMapping(m) => {
                self.call_helper_prefix("__match_map__");
                self.load_path(subject, path)?;
                for k in m.keys.iter() {
                    self.expr(k)?;
                }
                self.emit(Op::BUILD_TUPLE, m.keys.len() as u32);
                self.emit(Op::CALL, 2);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, fail);
                for (k, sub) in m.keys.iter().zip(m.patterns.iter()) {
                    self.pattern(sub, subject, &with(path, Step::Key(k)), fail)?;
                }
                if let Some(rest) = &m.rest {
                    self.call_helper_prefix("__match_rest__");
                    self.load_path(subject, path)?;
                    for k in m.keys.iter() {
                        self.expr(k)?;
                    }
                    self.emit(Op::BUILD_TUPLE, m.keys.len() as u32);
                    self.emit(Op::CALL, 2);
                    self.name_op(rest.as_str(), 1);
                }
            }
            P::MatchClass(c) => {
                self.call_helper_prefix("__match_class__");
                self.load_path(subject, path)?;
                self.expr(&c.cls)?;
                self.load_const(Value::int(c.arguments.patterns.len() as i64));
                let names: Vec<Value> = c
                    .arguments
                    .keywords
                    .iter()
                    .map(|k| crate::world::intern(k.attr.as_str()))
                    .collect();
                self.load_const(TupleObj::new_value(names));
                self.emit(Op::CALL, 4);
                self.emit_jump(Op::POP_JUMP_IF_FALSE, fail);
                for (i, sub) in c.arguments.patterns.iter().enumerate() {
                    self.pattern(sub, subject, &with(path, Step::MatchArg(&c.cls, i)), fail)?;
                }
                for k in c.arguments.keywords.iter() {
                    self.pattern(
                        &k.pattern,
                        subject,
                        &with(path, Step::Attr(k.attr.as_str().to_string())),
                        fail,
                    )?;
                }
            }
            P::MatchStar(s) => return self.syntax("can't use starred pattern here", s.range),
            P::MatchAs(a) => {
                if let Some(sub) = &a.pattern {
                    self.pattern(sub, subject, path, fail)?;
                }
                if let Some(name) = &a.name {
                    self.load_path(subject, path)?;
                    self.name_op(name.as_str(), 1);
                }
            }
            P::MatchOr(o) => {
                let ok = self.new_label();
                let last = o.patterns.len() - 1;
                for (i, alt) in o.patterns.iter().enumerate() {
                    if i == last {
                        self.pattern(alt, subject, path, fail)?;
                    } else {
                        let next = self.new_label();
                        self.pattern(alt, subject, path, next)?;
                        self.emit_jump(Op::JUMP, ok);
                        self.bind(next);
                    }
                }
                self.bind(ok);
            }
        }
        Ok(())
    }
}

enum CompKind<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    Gen(&'a Expr),
}

fn debug_text(dt: &ast::DebugText, _e: &Expr) -> String {
    dt.as_str().to_string()
}

fn binop_arg(op: ast::Operator) -> u32 {
    use ast::Operator::*;
    match op {
        Add => opc::NB_ADD,
        Sub => opc::NB_SUBTRACT,
        Mult => opc::NB_MULTIPLY,
        MatMult => opc::NB_MATMUL,
        Div => opc::NB_TRUE_DIVIDE,
        Mod => opc::NB_REMAINDER,
        Pow => opc::NB_POWER,
        LShift => opc::NB_LSHIFT,
        RShift => opc::NB_RSHIFT,
        BitOr => opc::NB_OR,
        BitXor => opc::NB_XOR,
        BitAnd => opc::NB_AND,
        FloorDiv => opc::NB_FLOOR_DIVIDE,
    }
}

pub(crate) fn int_literal(i: &ast::Int) -> Value {
    if let Some(v) = i.as_i64() {
        return Value::int(v);
    }
    let s = i.to_string().replace('_', "");
    let lower = s.to_ascii_lowercase();
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0x") {
        (r.to_string(), 16)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (r.to_string(), 8)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r.to_string(), 2)
    } else {
        (lower, 10)
    };
    match BigInt::parse_bytes(digits.as_bytes(), radix) {
        Some(b) => Value::bigint(b),
        None => Value::int(0),
    }
}

/// A deduplication key for constants that are safe to share.
fn const_key(v: &Value) -> Option<String> {
    if let Some(i) = v.as_small_int() {
        return Some(format!("i{i}"));
    }
    if let Some(f) = v.as_float() {
        return Some(format!("f{:x}", f.to_bits()));
    }
    if v.is_none() {
        return Some("None".into());
    }
    if v.is_bool() {
        return Some(format!("b{}", v.is_true_singleton()));
    }
    if let Some((s, surr)) = crate::types::str::as_str_flag(v) {
        // A str with lone surrogates never shares with one holding real U+10F000..
        return Some(format!("{}{s}", if surr { 'S' } else { 's' }));
    }
    None
}

/// Does a module or class body annotate a simple name anywhere (outside nested
/// functions and classes)? Then it needs an `__annotations__` dict.
fn has_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::AnnAssign(a) => a.simple,
        Stmt::If(i) => {
            has_annotations(&i.body) || i.elif_else_clauses.iter().any(|c| has_annotations(&c.body))
        }
        Stmt::For(f) => has_annotations(&f.body) || has_annotations(&f.orelse),
        Stmt::While(w) => has_annotations(&w.body) || has_annotations(&w.orelse),
        Stmt::With(w) => has_annotations(&w.body),
        Stmt::Try(t) => {
            has_annotations(&t.body)
                || has_annotations(&t.orelse)
                || has_annotations(&t.finalbody)
                || t.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    has_annotations(&h.body)
                })
        }
        _ => false,
    })
}

fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::UnaryOp(u) => {
            u.op == ast::UnaryOp::USub && matches!(&*u.operand, Expr::NumberLiteral(_))
        }
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        _ => false,
    }
}

fn expr_kind(e: &Expr) -> &'static str {
    match e {
        Expr::Call(_) => "function call",
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => "literal",
        Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::Compare(_) => "comparison",
        Expr::Lambda(_) => "lambda",
        _ => "expression",
    }
}

/// The truth of a literal whose truth cannot depend on anything (None, a bool, an int
/// or a float literal); None for any other expression.
fn constant_truth(e: &Expr) -> Option<bool> {
    match e {
        Expr::BooleanLiteral(b) => Some(b.value),
        Expr::NoneLiteral(_) => Some(false),
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_u64().map(|v| v != 0).or(Some(true)),
            ast::Number::Float(f) => Some(*f != 0.0),
            ast::Number::Complex { real, imag } => Some(*real != 0.0 || *imag != 0.0),
        },
        _ => None,
    }
}
