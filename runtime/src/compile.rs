//! Front end (source -> AST -> code object): parsing with `ruff_python_parser`, scope
//! analysis, and code generation; plus the bytecode disassembler.
pub mod codegen;
pub mod dump;
pub mod opcode;
pub mod symtable;

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
    let line_end = source[line_start..].find('\n').map(|i| line_start + i).unwrap_or(source.len());
    (line, col, source[line_start..line_end].to_string())
}

/// Parse and compile a module. Never panics on any input.
pub fn compile(source: &str, filename: &str) -> Result<Value, SourceError> {
    if let Some(err) = check_nesting(source, filename) {
        return Err(err);
    }
    let parsed = match ruff_python_parser::parse_module(source) {
        Ok(p) => p,
        Err(e) => {
            let start = e.location.start().to_usize();
            let (line, col, text) = position(source, start);
            let (kind, msg) = python_message(&e.error, source, start);
            return Err(SourceError {
                kind,
                msg,
                filename: filename.to_string(),
                line,
                col,
                end_col: col + 1,
                text,
            });
        }
    };
    let module = parsed.into_syntax();
    let st = symtable::build(&module.body).map_err(|e| {
        let (line, col, text) = position(source, e.range.start().to_usize());
        SourceError {
            kind: "SyntaxError",
            msg: e.msg,
            filename: filename.to_string(),
            line,
            col,
            end_col: col + 1,
            text,
        }
    })?;
    let result = codegen::compile_module(&module.body, source, filename, st).map_err(|e| {
        let (line, col, text) = position(source, e.range.start().to_usize());
        SourceError { kind: e.kind, msg: e.msg, filename: filename.to_string(), line, col, end_col: col + 1, text }
    });
    drop_deep(module);
    result
}

/// Drop a (possibly very deep) AST on a thread with a big stack, so a pathological
/// input cannot overflow the caller's stack while being freed.
fn drop_deep<T: Send + 'static>(v: T) {
    let _ = std::thread::Builder::new().stack_size(256 << 20).spawn(move || drop(v)).map(|h| h.join());
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
fn python_message(e: &ParseErrorType, source: &str, offset: usize) -> (&'static str, String) {
    use ruff_python_ast::token::TokenKind;
    let line = source[..offset.min(source.len())].matches('\n').count() + 1;
    match e {
        ParseErrorType::UnexpectedIndentation => ("IndentationError", "unexpected indent".into()),
        ParseErrorType::Lexical(LexicalErrorType::IndentationError) => {
            ("IndentationError", "unindent does not match any outer indentation level".into())
        }
        ParseErrorType::ExpectedToken { expected: TokenKind::Indent, .. } => {
            ("IndentationError", "expected an indented block".into())
        }
        ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError) => {
            ("SyntaxError", format!("unterminated string literal (detected at line {line})"))
        }
        ParseErrorType::Lexical(LexicalErrorType::Eof) => ("SyntaxError", "unexpected EOF while parsing".into()),
        ParseErrorType::NonDefaultParamAfterDefaultParam => {
            ("SyntaxError", "non-default argument follows default argument".into())
        }
        ParseErrorType::PositionalAfterKeywordArgument => {
            ("SyntaxError", "positional argument follows keyword argument".into())
        }
        ParseErrorType::PositionalAfterKeywordUnpacking => {
            ("SyntaxError", "positional argument follows keyword argument unpacking".into())
        }
        _ => ("SyntaxError", "invalid syntax".into()),
    }
}
