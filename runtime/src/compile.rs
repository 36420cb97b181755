//! Front end (source -> AST -> code object): parsing with `ruff_python_parser`, scope
//! analysis, and code generation; plus the bytecode disassembler.
pub mod code_cache;
pub mod codegen;
pub mod dump;
pub mod fold;
pub mod future;
pub mod incomplete;
mod invalid_target;
pub mod pattern_check;
pub mod surrogate_literal;
pub mod symtable;
pub mod syntax_warnings;
pub mod unparse;

use ruff_python_parser::{LexicalErrorType, ParseErrorType};

use crate::value::Value;

/// A compile-time error with a position, printed CPython-style by the caller.
#[derive(Debug, Clone)]
pub struct SourceError {
    /// Python exception name ("SyntaxError", "IndentationError", ...).
    pub kind: &'static str,
    pub msg: String,
    pub filename: String,
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    pub end_col: usize,
    pub text: String,
}

fn position(source: &str, offset: usize) -> (usize, usize, String) {
    let offset = offset.min(source.len());
    let mut off = offset;
    while !source.is_char_boundary(off) {
        off -= 1;
    }
    let before = &source[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = source[line_start..off].chars().count() + 1;
    // The line keeps its newline, as CPython's SyntaxError.text does.
    let line_end = source[line_start..]
        .find('\n')
        .map(|i| line_start + i + 1)
        .unwrap_or(source.len());
    (line, col, source[line_start..line_end].to_string())
}

/// A compile error spanning bytes `start..end` of `source` (carets cover the span when
/// it stays on one line, as CPython prints them).
fn source_error(
    source: &str,
    filename: &str,
    kind: &'static str,
    msg: String,
    range: ruff_text_size::TextRange,
) -> SourceError {
    let (line, col, text) = position(source, range.start().to_usize());
    let (end_line, end_col, _) = position(source, range.end().to_usize());
    SourceError {
        kind,
        msg,
        filename: filename.to_string(),
        line,
        col,
        end_col: if end_line == line && end_col > col {
            end_col
        } else {
            col + 1
        },
        text,
    }
}

/// The optimization level code compiles at when the caller names none (CPython's
/// `-O`/`-OO` or `PYTHONOPTIMIZE`): 1 drops `assert` statements and makes `__debug__`
/// false, 2 also drops docstrings. Set once at start.
static OPTIMIZE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Set the process's optimization level (`sys.flags.optimize`).
pub fn set_default_optimize(level: u8) {
    OPTIMIZE.store(level.min(2), std::sync::atomic::Ordering::Relaxed);
}

/// The process's optimization level.
pub fn default_optimize() -> u8 {
    OPTIMIZE.load(std::sync::atomic::Ordering::Relaxed)
}

/// `compile()`'s `optimize` argument: -1 (or any negative) means the process's level.
fn optimize_level(optimize: i32) -> u8 {
    if optimize < 0 {
        default_optimize()
    } else {
        optimize.min(2) as u8
    }
}

/// Parse and compile a module. Never panics on any input.
///
/// The parser and the compiler's passes are recursive, so they run on a thread with a
/// large stack; together with the nesting checks below (CPython's limits), no input can
/// overflow it.
pub fn compile(source: &str, filename: &str) -> Result<Value, SourceError> {
    compile_mode(source, filename, codegen::Mode::Module)
}

/// Compile for a given mode (module, exec, eval).
pub fn compile_mode(
    source: &str,
    filename: &str,
    mode: codegen::Mode,
) -> Result<Value, SourceError> {
    compile_flags(source, filename, mode, 0, -1, &mut vec![])
}

/// [`compile_mode`] with `__future__` feature bits already on (`compile()`'s flags,
/// or those inherited from the code calling `compile`/`exec`/`eval`).
///
/// `optimize` is `compile()`'s (-1: the process's level).
///
/// The SyntaxWarnings the compiler found go into `warnings` (positioned as errors
/// are), for the caller to issue ([`crate::builtins::syntax_error::issue_warnings`]).
pub fn compile_flags(
    source: &str,
    filename: &str,
    mode: codegen::Mode,
    future_flags: u32,
    optimize: i32,
    warnings: &mut Vec<SourceError>,
) -> Result<Value, SourceError> {
    let src = source.to_string();
    let file = filename.to_string();
    let flags = future_flags & future::FUTURE_MASK;
    let optimize = optimize_level(optimize);
    on_compiler_stack(filename, move || {
        let r = compile_here(&src, &file, mode, flags, optimize);
        *warnings = syntax_warnings::take()
            .into_iter()
            .map(|(msg, range)| source_error(&src, &file, "SyntaxWarning", msg, range))
            .collect();
        r
    })
}

/// Runs `f` (parsing, compiling, converting syntax trees: all recursive) on a thread
/// with a large stack, and returns the value it made to the calling thread.
pub fn on_compiler_stack(
    filename: &str,
    f: impl FnOnce() -> Result<Value, SourceError> + Send,
) -> Result<Value, SourceError> {
    let tid = crate::object::current_tid();
    let r = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(COMPILE_STACK)
            .spawn_scoped(s, move || {
                // Objects made while compiling belong to the calling thread.
                crate::object::set_current_tid(tid);
                f().map(|v| SendValue(v.into_raw()))
            })
            .map(|h| h.join())
    });
    match r {
        // SAFETY: the raw value carries the one reference `f` returned.
        Ok(Ok(Ok(SendValue(raw)))) => Ok(unsafe { Value::from_raw(raw) }),
        Ok(Ok(Err(e))) => Err(e),
        _ => Err(SourceError {
            kind: "MemoryError",
            msg: "the compiler could not run (thread creation failed)".into(),
            filename: filename.to_string(),
            line: 1,
            col: 1,
            end_col: 1,
            text: String::new(),
        }),
    }
}

const COMPILE_STACK: usize = 512 << 20;

/// A compiled code object crossing back from the compiler thread. Nothing else
/// references it, and the compiler thread is joined before it is used.
struct SendValue(stitch_stencils::value::RawValue);
// SAFETY: the value is uniquely owned and handed over once, after the producing thread
// finished (join is the happens-before edge).
unsafe impl Send for SendValue {}

fn compile_here(
    source: &str,
    filename: &str,
    mode: codegen::Mode,
    flags: u32,
    optimize: u8,
) -> Result<Value, SourceError> {
    let module = parse(source, filename)?;
    compile_parsed(&module.body, source, filename, mode, flags, optimize)
}

/// The module's future features (none for `eval`), with the bits `flags` turns on.
fn futures(
    body: &[ruff_python_ast::Stmt],
    mode: codegen::Mode,
    flags: u32,
    line_of: &dyn Fn(ruff_text_size::TextRange) -> u32,
) -> Result<future::Futures, future::FutureError> {
    let mut f = if mode == codegen::Mode::Eval {
        future::Futures::default()
    } else {
        future::parse(body, line_of)?
    };
    f.flags |= flags & future::FUTURE_MASK;
    Ok(f)
}

/// Compile a module made from `_ast` nodes (`modules/ast/from_py.rs`): its offsets
/// are node numbers, `lines` their lines ((offset, line) pairs sorted by offset).
/// Errors carry the line of the node they are about, and no source text.
pub fn compile_lines(
    body: &[ruff_python_ast::Stmt],
    lines: Vec<(u32, u32)>,
    filename: &str,
    mode: codegen::Mode,
    flags: u32,
    optimize: i32,
) -> Result<Value, SourceError> {
    let optimize = optimize_level(optimize);
    let line_of = |r: ruff_text_size::TextRange| {
        let off = r.start().to_u32();
        match lines.partition_point(|(o, _)| *o <= off) {
            0 => 1,
            i => lines[i - 1].1 as usize,
        }
    };
    let error = |kind: &'static str, msg: String, line: usize| SourceError {
        kind,
        msg,
        filename: filename.to_string(),
        line,
        col: 1,
        end_col: 1,
        text: String::new(),
    };
    let fut = futures(body, mode, flags, &|r| line_of(r) as u32)
        .map_err(|e| error(e.kind, e.msg, line_of(e.range)))?;
    let st = match symtable::build(body, fut.flags & future::CO_FUTURE_ANNOTATIONS != 0) {
        Ok(st) => st,
        Err(e) => {
            let kind = if e.msg.starts_with("maximum recursion") {
                "RecursionError"
            } else {
                "SyntaxError"
            };
            return Err(error(kind, e.msg, line_of(e.range)));
        }
    };
    let at = lines.clone();
    codegen::compile_module_lines(body, at, filename, st, mode, fut, optimize)
        .map_err(|e| error(e.kind, e.msg, line_of(e.range)))
}

/// Compile an already parsed module; `source` gives the lines of its offsets.
fn compile_parsed(
    body: &[ruff_python_ast::Stmt],
    source: &str,
    filename: &str,
    mode: codegen::Mode,
    flags: u32,
    optimize: u8,
) -> Result<Value, SourceError> {
    let line_of = |r: ruff_text_size::TextRange| {
        let end = r.start().to_usize().min(source.len());
        source.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
            + 1
    };
    let fut = futures(body, mode, flags, &line_of)
        .map_err(|e| source_error(source, filename, e.kind, e.msg, e.range))?;
    let annotations = fut.flags & future::CO_FUTURE_ANNOTATIONS != 0;
    let st = symtable::build(body, annotations).map_err(|e| {
        let kind = if e.msg.starts_with("maximum recursion") {
            "RecursionError"
        } else {
            "SyntaxError"
        };
        source_error(source, filename, kind, e.msg, e.range)
    })?;
    let _keep = surrogate_literal::keep_source(source);
    codegen::compile_module(body, source, filename, st, mode, fut, optimize)
        .map_err(|e| source_error(source, filename, e.kind, e.msg, e.range))
}

/// Parse a module, with CPython's messages for syntax errors (what `ast.parse` sees).
/// Recursive: run it on a thread with a large stack, as `compile_mode` does.
pub fn parse(source: &str, filename: &str) -> Result<ruff_python_ast::ModModule, SourceError> {
    if let Some(err) = check_nesting(source, filename) {
        return Err(err);
    }
    let parsed = match ruff_python_parser::parse_module(source) {
        Ok(p) => p,
        Err(e) => {
            let mut start = e.location.start().to_usize();
            let (mut kind, mut msg) = python_message(&e.error, source, start);
            // CPython's tokenizer reports bracket problems (an unmatched or mismatched
            // closing bracket; at end of input, one never closed) before the parser's.
            let at_end = matches!(e.error, ParseErrorType::Lexical(LexicalErrorType::Eof))
                || start >= source.trim_end().len();
            match bracket_problem(source) {
                Some(BracketProblem::Closing(at, m)) if start >= at => {
                    (kind, msg, start) = ("SyntaxError", m, at);
                }
                Some(BracketProblem::Unclosed(at, m))
                    if at_end
                        || source[..at].matches('\n').count()
                            != source[..start.min(source.len())].matches('\n').count() =>
                {
                    (kind, msg, start) = ("SyntaxError", m, at);
                }
                _ => {}
            }
            // Indentation that depends on the tab size is CPython's TabError, which its
            // tokenizer reports before the parser sees the lines.
            if kind == "IndentationError"
                && let Some(at) = tab_inconsistency(source)
            {
                (kind, msg, start) = (
                    "TabError",
                    "inconsistent use of tabs and spaces in indentation".into(),
                    at,
                );
            }
            // The offending expression's extent, for the messages that name one (CPython
            // marks all of it; other errors get one caret).
            let mut end = None;
            if kind == "SyntaxError"
                && let Some(m) = invalid_target::message(&e.error, source, e.location)
            {
                msg = m;
                let mut at = e.location.end().to_usize();
                if matches!(&e.error, ParseErrorType::OtherError(_)) {
                    // A keyword argument's bad name: CPython marks it through the `=`.
                    let rest = &source[at..];
                    let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                    if rest[blank..].starts_with('=') {
                        at += blank + 1;
                    }
                }
                end = Some(at);
            }
            if matches!(e.error, ParseErrorType::UnparenthesizedGeneratorExpression) {
                end = Some(e.location.end().to_usize());
            }
            if kind == "SyntaxError"
                && msg == "invalid syntax"
                && let Some((at, to)) = keyword_generator(source, start)
            {
                msg = "invalid syntax. Maybe you meant '==' or ':=' instead of '='?".into();
                start = at;
                end = Some(to);
            }
            if kind == "SyntaxError"
                && let Some((at, to, name)) = legacy_statement(source, start)
            {
                msg = format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?");
                start = at;
                end = Some(to);
            }
            let (line, mut col, text) = position(source, start);
            let mut end_col = match end.map(|e| position(source, e)) {
                Some((end_line, end_col, _)) if end_line == line && end_col > col => end_col,
                _ => col + 1,
            };
            if matches!(
                e.error,
                ParseErrorType::Lexical(LexicalErrorType::IndentationError)
            ) && kind == "IndentationError"
            {
                // CPython's tokenizer finds a bad dedent having read the whole line:
                // its caret is at the line's end.
                col = text.trim_end_matches(['\r', '\n']).chars().count() + 1;
                end_col = col + 1;
            }
            return Err(SourceError {
                kind,
                msg,
                filename: filename.to_string(),
                line,
                col,
                end_col,
                text,
            });
        }
    };
    Ok(parsed.into_syntax())
}

/// CPython's "expected an indented block after 'if' statement on line N" from the
/// parser's message naming the clause (`` `if` statement``, `` `else` clause``) and the
/// offset where a body was expected; the header is the last line before it with code.
fn missing_block(ruff_msg: &str, source: &str, offset: usize) -> String {
    let offset = offset.min(source.len());
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    // At the end of the input the parser points at the header's own newline.
    let search_end = if source[line_start..].trim().is_empty() || offset < line_start {
        source.len()
    } else {
        line_start
    };
    let header = source[..search_end]
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .last();
    let (line, text) = header.map_or((1, ""), |(i, l)| (i + 1, l.trim()));
    let clause = ruff_msg.trim_start_matches("Expected an indented block after ");
    let keyword = clause.split('`').nth(1).unwrap_or("");
    let what = match keyword {
        "class" => "class definition".to_string(),
        "" => clause.to_string(),
        "except" if text.starts_with("except*") => "'except*' statement".to_string(),
        k => format!("'{k}' statement"),
    };
    format!("expected an indented block after {what} on line {line}")
}

/// A keyword argument whose value runs into a comprehension's `for`, as in
/// `f(a = i for i in x)`, where the parser stopped (at the `for`): CPython's
/// `invalid_kwarg` rule takes it for a mistyped comparison or walrus. Returns the
/// offsets of the keyword and of the end of its `=`, which CPython marks.
fn keyword_generator(source: &str, start: usize) -> Option<(usize, usize)> {
    let rest = source.get(start..)?;
    let after_for = rest
        .strip_prefix("async")
        .map_or(rest, |r| r.trim_start_matches([' ', '\t']))
        .strip_prefix("for")?;
    if after_for.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    // The argument the `for` ends: back to the nearest unmatched `(` or a `,` at
    // this argument's bracket depth.
    let head = &source[..start];
    let mut depth = 0usize;
    let mut arg_start = None;
    for (i, c) in head.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '(' if depth == 0 => {
                arg_start = Some(i + 1);
                break;
            }
            '[' | '{' if depth == 0 => return None,
            '(' | '[' | '{' => depth -= 1,
            ',' if depth == 0 => {
                arg_start = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let arg_start = arg_start?;
    let arg = &head[arg_start..];
    let name_at = arg_start + (arg.len() - arg.trim_start().len());
    let arg = arg.trim_start();
    let name_len = arg
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(arg.len());
    if name_len == 0 || arg.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after_name = arg[name_len..].trim_start_matches([' ', '\t']);
    let value = after_name.strip_prefix('=')?;
    if value.starts_with('=') || value.trim().is_empty() {
        return None;
    }
    let eq = name_at + name_len + (arg[name_len..].len() - after_name.len());
    Some((name_at, eq + 1))
}

/// Python 2's `print x` / `exec code` where the parser stopped (at `x`): the offsets
/// of the `print`/`exec` and of the expression's end, and the name, when the rest of
/// the line is an expression not in parentheses (CPython's `invalid_legacy_expression`).
fn legacy_statement(source: &str, start: usize) -> Option<(usize, usize, &'static str)> {
    let start = start.min(source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = source[..start].get(line_start..)?.trim_end();
    let name = ["print", "exec"]
        .into_iter()
        .find(|n| before.ends_with(n))?;
    let word = before.len() - name.len();
    let lead = before[..word].trim_end();
    if !(lead.is_empty() || lead.ends_with(':') || lead.ends_with(';')) {
        return None;
    }
    if word > 0 && !before[..word].ends_with([' ', '\t', ':', ';']) {
        return None;
    }
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let rest = source[start..line_end].trim_end();
    if rest.is_empty() || rest.starts_with('(') {
        return None;
    }
    ruff_python_parser::parse_expression(rest).ok()?;
    Some((line_start + word, start + rest.len(), name))
}

/// The offset of the first line whose indentation compares differently with tabs
/// worth 8 columns and with tabs worth 1 (CPython's tokenizer check behind TabError).
/// Only lines that start a statement count: not those inside brackets, strings or
/// after a backslash continuation, nor blank and comment-only lines.
fn tab_inconsistency(source: &str) -> Option<usize> {
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    let mut depth = 0usize;
    let mut in_triple: Option<&str> = None;
    let mut continued = false;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let starts_statement = depth == 0 && in_triple.is_none() && !continued;
        if starts_statement {
            let (mut col, mut alt, mut width) = (0usize, 0usize, 0usize);
            for c in line.chars() {
                match c {
                    ' ' => (col, alt) = (col + 1, alt + 1),
                    '\t' => (col, alt) = ((col / 8 + 1) * 8, alt + 1),
                    '\x0c' => (col, alt) = (0, 0),
                    _ => break,
                }
                width += 1;
            }
            let rest = line[width..].trim_end();
            if !rest.is_empty() && !rest.starts_with('#') {
                let &(top, top_alt) = stack.last()?;
                if col == top {
                    if alt != top_alt {
                        return Some(line_start);
                    }
                } else if col > top {
                    if alt <= top_alt {
                        return Some(line_start);
                    }
                    stack.push((col, alt));
                } else {
                    while stack.len() > 1 && stack.last().is_some_and(|&(c, _)| col < c) {
                        stack.pop();
                    }
                    if stack.last().is_some_and(|&(c, a)| c == col && a != alt) {
                        return Some(line_start);
                    }
                }
            }
        }
        // Track what carries over to the next line: brackets, triple-quoted strings
        // and a trailing backslash.
        continued = false;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if let Some(q) = in_triple {
                match line[i..].find(q) {
                    Some(k) if !line[..i + k].ends_with('\\') => {
                        i += k + 3;
                        in_triple = None;
                    }
                    Some(k) => i += k + 1,
                    None => break,
                }
                continue;
            }
            match bytes[i] {
                b'#' => break,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b'\\' if line[i + 1..].trim_end_matches(['\r', '\n']).is_empty() => {
                    continued = true;
                }
                q @ (b'\'' | b'"') => {
                    let triple = if q == b'"' { "\"\"\"" } else { "\'\'\'" };
                    if line[i..].starts_with(triple) {
                        in_triple = Some(triple);
                        i += 3;
                        continue;
                    }
                    // A one-line string: skip to its closing quote.
                    let mut j = i + 1;
                    while j < bytes.len() && bytes[j] != q && bytes[j] != b'\n' {
                        j += if bytes[j] == b'\\' { 2 } else { 1 };
                    }
                    i = j;
                }
                _ => {}
            }
            i += 1;
        }
    }
    None
}

/// Reject absurdly nested brackets before the recursive-descent parser sees them, as
/// CPython's tokenizer does ("too many nested parentheses", limit 200).
fn check_nesting(source: &str, filename: &str) -> Option<SourceError> {
    let mut depth = 0usize;
    let mut in_str: Option<u8> = None;
    let bytes = source.as_bytes();
    let mut i = 0;
    let mut unary_run = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = in_str {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q || b == b'\n' {
                in_str = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => in_str = Some(b),
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > 200 {
                    let (line, col, text) = position(source, i);
                    return Some(SourceError {
                        kind: "SyntaxError",
                        msg: "too many nested parentheses".into(),
                        filename: filename.to_string(),
                        line,
                        col,
                        end_col: col + 1,
                        text,
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        // Long runs of prefix operators (`- - - - x`, `not not ...`) nest the same way.
        let is_not = b == b'n'
            && bytes[i..].starts_with(b"not")
            && bytes
                .get(i + 3)
                .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'_')
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if is_not {
            unary_run += 1;
            i += 3;
            continue;
        }
        if matches!(b, b'-' | b'+' | b'~') {
            unary_run += 1;
            if unary_run > 2000 {
                let (line, col, text) = position(source, i);
                return Some(SourceError {
                    kind: "RecursionError",
                    msg: "maximum recursion depth exceeded during compilation".into(),
                    filename: filename.to_string(),
                    line,
                    col,
                    end_col: col + 1,
                    text,
                });
            }
        } else if !b.is_ascii_whitespace() {
            unary_run = 0;
        }
        i += 1;
    }
    None
}

/// CPython's wording for the parse errors users meet most; everything else is
/// "invalid syntax", as CPython says for most malformed input.
/// What CPython's tokenizer says about brackets in `source` (skipping strings and
/// comments): the first closing bracket that does not match (or has nothing to close),
/// else the innermost bracket still open at the end. Offsets are bytes.
enum BracketProblem {
    /// A bad closing bracket: reported when the parser fails at or after it.
    Closing(usize, String),
    /// An opening bracket never closed: reported when the parser fails at the end.
    Unclosed(usize, String),
}

fn bracket_problem(source: &str) -> Option<BracketProblem> {
    let b = source.as_bytes();
    let mut open: Vec<(usize, u8)> = Vec::new();
    let mut i = 0;
    let line_of = |off: usize| source[..off].matches('\n').count() + 1;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            q @ (b'\'' | b'"') => {
                let triple = b[i..].starts_with(&[q, q, q]);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if triple && b[i..].starts_with(&[q, q, q]) {
                        i += 3;
                        break;
                    }
                    if !triple && (b[i] == q || b[i] == b'\n') {
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            c @ (b'(' | b'[' | b'{') => open.push((i, c)),
            c @ (b')' | b']' | b'}') => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match open.pop() {
                    None => {
                        let msg = format!("unmatched '{}'", c as char);
                        return Some(BracketProblem::Closing(i, msg));
                    }
                    Some((at, o)) if o != want => {
                        let mut msg = format!(
                            "closing parenthesis '{}' does not match opening parenthesis '{}'",
                            c as char, o as char
                        );
                        if line_of(at) != line_of(i) {
                            msg.push_str(&format!(" on line {}", line_of(at)));
                        }
                        return Some(BracketProblem::Closing(i, msg));
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    open.pop()
        .map(|(at, o)| BracketProblem::Unclosed(at, format!("'{}' was never closed", o as char)))
}

fn python_message(e: &ParseErrorType, source: &str, offset: usize) -> (&'static str, String) {
    use ruff_python_ast::token::TokenKind;
    let line = source[..offset.min(source.len())].matches('\n').count() + 1;
    match e {
        ParseErrorType::UnexpectedIndentation => ("IndentationError", "unexpected indent".into()),
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => (
            "IndentationError",
            "unindent does not match any outer indentation level".into(),
        ),
        ParseErrorType::ExpectedToken {
            expected: TokenKind::Indent,
            ..
        } => ("IndentationError", "expected an indented block".into()),
        ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError) => {
            let rest = source.get(offset..).unwrap_or("");
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
                let last = source.lines().count().max(1);
                (
                    "SyntaxError",
                    format!("unterminated triple-quoted string literal (detected at line {last})"),
                )
            } else {
                (
                    "SyntaxError",
                    format!("unterminated string literal (detected at line {line})"),
                )
            }
        }
        ParseErrorType::Lexical(LexicalErrorType::Eof) => {
            ("SyntaxError", "unexpected EOF while parsing".into())
        }
        ParseErrorType::NonDefaultParamAfterDefaultParam => (
            "SyntaxError",
            "non-default argument follows default argument".into(),
        ),
        ParseErrorType::PositionalAfterKeywordArgument => (
            "SyntaxError",
            "positional argument follows keyword argument".into(),
        ),
        ParseErrorType::PositionalAfterKeywordUnpacking => (
            "SyntaxError",
            "positional argument follows keyword argument unpacking".into(),
        ),
        ParseErrorType::OtherError(m) if m.starts_with("Expected an indented block after ") => {
            ("IndentationError", missing_block(m, source, offset))
        }
        ParseErrorType::OtherError(m) if m == "Expected one or more exception types" => {
            ("SyntaxError", "expected one or more exception types".into())
        }
        ParseErrorType::OtherError(m)
            if m == "Cannot have both 'except' and 'except*' on the same 'try'" =>
        {
            (
                "SyntaxError",
                "cannot have both 'except' and 'except*' on the same 'try'".into(),
            )
        }
        ParseErrorType::UnparenthesizedGeneratorExpression => (
            "SyntaxError",
            "Generator expression must be parenthesized".into(),
        ),
        ParseErrorType::InvalidArgumentUnpackingOrder => (
            "SyntaxError",
            "iterable argument unpacking follows keyword argument unpacking".into(),
        ),
        _ => ("SyntaxError", "invalid syntax".into()),
    }
}
