//! `compile(..., flags=PyCF_ALLOW_INCOMPLETE_INPUT)`: is source text that does not
//! compile merely unfinished? The interactive prompt (`code`, `codeop`, stitch's own
//! REPL) asks more lines while the answer is yes.
//!
//! CPython's tokenizer decides it: the input is incomplete when it ends while the
//! parser still wants tokens after the line's implicit NEWLINE — inside brackets, a
//! triple-quoted string or a backslash continuation, after a block opener (`if x:`)
//! or a decorator, or after a `try` body with no handler yet. A statement that is
//! wrong before its line ends (`a = 1 +`) is a real error. Under
//! `PyCF_DONT_IMPLY_DEDENT` (codeop's flag) an indented last line without its newline
//! is unfinished too: the block may go on. stitch reads the same facts from
//! ruff's tokens and errors.
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{LexicalErrorType, Mode, ParseErrorType, ParseOptions};
use ruff_text_size::Ranged;

/// True when `source`, which may or may not parse, is an unfinished statement.
pub fn is_incomplete(source: &str, dont_imply_dedent: bool) -> bool {
    let parsed = ruff_python_parser::parse_unchecked(source, ParseOptions::from(Mode::Module));
    let errors = parsed.errors();
    if errors.is_empty() {
        return dont_imply_dedent && !source.ends_with('\n') && last_line_indented(&parsed, source);
    }
    // An unterminated triple-quoted string or a continuation at the end wants more;
    // any other lexical error is final. (The lexer's "unexpected end of file" inside
    // brackets is judged below, by where the parser's errors are.)
    let end = source.trim_end().len();
    if source[..end]
        .rsplit('\n')
        .next()
        .is_some_and(|l| code_part(l).ends_with('\\'))
    {
        return true;
    }
    let mut parse_errors = vec![];
    for e in errors {
        match &e.error {
            ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError)
                if triple_quoted(&source[e.location.start().to_usize()..]) =>
            {
                return true;
            }
            ParseErrorType::Lexical(LexicalErrorType::LineContinuationError)
                if e.location.end().to_usize() >= end =>
            {
                return true;
            }
            ParseErrorType::Lexical(LexicalErrorType::Eof) => {}
            ParseErrorType::Lexical(_) => return false,
            _ => parse_errors.push(e),
        }
    }
    // Otherwise only errors found at the very end can be fixed by more lines: inside
    // brackets, or after a complete last line that needs a block or a clause.
    if parse_errors
        .iter()
        .any(|e| e.location.start().to_usize() < end)
    {
        return false;
    }
    if open_brackets(&parsed) {
        return true;
    }
    let Some(last) = source
        .lines()
        .map(|l| code_part(l).trim())
        .rfind(|l| !l.is_empty())
    else {
        return false;
    };
    last.ends_with(':') || last.starts_with('@') || in_try_body(source)
}

/// More brackets opened than closed, outside f-strings (whose `{` are tokens too).
fn open_brackets(parsed: &ruff_python_parser::Parsed<ruff_python_ast::Mod>) -> bool {
    let (mut depth, mut fstrings) = (0i32, 0i32);
    for t in parsed.tokens().iter() {
        match t.kind() {
            TokenKind::FStringStart => fstrings += 1,
            TokenKind::FStringEnd => fstrings -= 1,
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace if fstrings == 0 => depth += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace if fstrings == 0 => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// The last logical line is indented (a block may go on), or the source ends in a
/// line of blanks only.
fn last_line_indented(
    parsed: &ruff_python_parser::Parsed<ruff_python_ast::Mod>,
    source: &str,
) -> bool {
    let tail = source.rsplit('\n').next().unwrap_or("");
    if !tail.is_empty() && tail.trim().is_empty() {
        return true;
    }
    // The first token after the last logical newline starts the last logical line.
    let mut first = None;
    let mut at_start = true;
    for t in parsed.tokens().iter() {
        match t.kind() {
            TokenKind::Newline => at_start = true,
            TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::NonLogicalNewline
            | TokenKind::Comment
            | TokenKind::EndOfFile => {}
            _ if at_start => {
                first = Some(t.start().to_usize());
                at_start = false;
            }
            _ => {}
        }
    }
    let Some(first) = first else {
        return false;
    };
    let line_start = source[..first].rfind('\n').map_or(0, |i| i + 1);
    line_start < first && source[line_start..first].trim().is_empty()
}

/// `text` starts with a (prefixed) triple-quoted string.
fn triple_quoted(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    rest.starts_with("\"\"\"") || rest.starts_with("'''")
}

/// The line without a trailing comment (a `#` outside quotes).
fn code_part(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => return &line[..i],
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    line
}

/// The last unindented statement is a `try:` whose handlers have not started: its
/// body parsed, and the parser now wants `except` or `finally`.
fn in_try_body(source: &str) -> bool {
    source
        .lines()
        .rfind(|l| !l.trim().is_empty() && !l.starts_with([' ', '\t', '#']))
        .is_some_and(|l| code_part(l).trim() == "try:")
}

#[cfg(test)]
mod tests {
    use super::is_incomplete;

    #[test]
    fn unfinished_statements_want_more() {
        for s in [
            "if 1:",
            "if 1:\n  x = 1",
            "(1,",
            "\"\"\"abc",
            "@dec\n",
            "try:\n  x\n",
            "if 1:\n  x = 1\nelse:",
            "a = 1 + \\",
            "a = 1 + \\\n",
            "lambda: (",
            "while True:\n  pass\n  ",
        ] {
            assert!(is_incomplete(s, true), "{s:?}");
        }
    }

    #[test]
    fn errors_before_the_end_are_final() {
        for s in [
            "a = 1 +",
            "1 +* 2",
            "'abc",
            "f'{'",
            "def f(:",
            "x = ]",
            "x = 1",
            "x = [1,\n 2]",
        ] {
            assert!(!is_incomplete(s, true), "{s:?}");
        }
    }
}
