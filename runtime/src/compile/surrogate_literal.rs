//! String literals with lone-surrogate escapes (`'\udc80'`, `'\U0000d800'`). ruff's
//! parser turns each such escape into U+FFFD, since its strings are Rust `str`s; CPython
//! keeps the surrogate. While a module whose source contains such an escape compiles,
//! its source is kept here, and a literal whose parsed value holds U+FFFD is re-read
//! from the source: each U+FFFD the parser produced is matched, in order, with the
//! escape or character that made it, and the surrogate ones become stitch's flagged
//! representation (`types::str`, mapped code points).
use std::cell::RefCell;

use ruff_python_ast::{self as ast, StringFlags};

use crate::value::Value;

thread_local! {
    /// The source of the module being compiled, when it has a surrogate escape.
    static SOURCE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Could `source` hold a surrogate escape? (A cheap over-approximation.)
fn may_have_surrogate_escape(source: &str) -> bool {
    let b = source.as_bytes();
    b.windows(3).any(|w| {
        w[0] == b'\\' && (w[1] == b'u' || w[1] == b'U') && matches!(w[2], b'd' | b'D' | b'0')
    })
}

/// Keeps the source while a module compiles; dropped when compiling ends.
pub struct SourceGuard(bool);

impl Drop for SourceGuard {
    fn drop(&mut self) {
        if self.0 {
            SOURCE.with(|s| *s.borrow_mut() = None);
        }
    }
}

/// Remember `source` for the compile that follows, if it may need it.
pub fn keep_source(source: &str) -> SourceGuard {
    if !may_have_surrogate_escape(source) {
        return SourceGuard(false);
    }
    SOURCE.with(|s| *s.borrow_mut() = Some(source.to_string()));
    SourceGuard(true)
}

/// The value of a string literal, with its lone surrogates when it has any.
pub fn literal_value(sl: &ast::ExprStringLiteral) -> Value {
    let text = sl.value.to_str();
    if text.contains('\u{fffd}')
        && let Some(fixed) = SOURCE.with(|s| s.borrow().as_deref().and_then(|src| recover(sl, src)))
    {
        return crate::types::str::new_string_flagged(fixed, true);
    }
    super::fold::str_value(text)
}

/// Rebuild the literal's text with surrogates (as mapped code points), or None when
/// the source cannot be matched with the parsed value.
fn recover(sl: &ast::ExprStringLiteral, source: &str) -> Option<String> {
    let mut out = String::new();
    for part in sl.value.iter() {
        let start = usize::from(part.range.start() + part.flags.opener_len());
        let end = usize::from(part.range.end() - part.flags.closer_len());
        let body = source.get(start..end)?;
        let marks = if part.flags.prefix().is_raw() {
            body.chars()
                .filter(|&c| c == '\u{fffd}')
                .map(|_| None)
                .collect()
        } else {
            replacement_sources(body)
        };
        let mut marks = marks.into_iter();
        for c in part.value.chars() {
            if c == '\u{fffd}' {
                match marks.next()? {
                    Some(u) => out.push(crate::types::str::surrogate_char(u)),
                    None => out.push(c),
                }
            } else {
                out.push(c);
            }
        }
    }
    Some(out)
}

/// For each U+FFFD the parser makes from `body` (a non-raw literal's text between its
/// quotes), in order: the surrogate it stands for, or None for a real U+FFFD.
fn replacement_sources(body: &str) -> Vec<Option<u32>> {
    let mut out = vec![];
    let mut it = body.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\u{fffd}' {
            out.push(None);
            continue;
        }
        if c != '\\' {
            continue;
        }
        let Some(e) = it.next() else { break };
        let digits = match e {
            'u' => 4,
            'U' => 8,
            'N' => {
                let mut name = String::new();
                for c in it.by_ref() {
                    if c == '}' {
                        break;
                    }
                    name.push(c);
                }
                if name
                    .trim_start_matches('{')
                    .eq_ignore_ascii_case("REPLACEMENT CHARACTER")
                {
                    out.push(None);
                }
                continue;
            }
            _ => continue,
        };
        let mut v = 0u32;
        for _ in 0..digits {
            match it.peek().and_then(|c| c.to_digit(16)) {
                Some(d) => {
                    v = v * 16 + d;
                    it.next();
                }
                None => break,
            }
        }
        if (0xD800..0xE000).contains(&v) {
            out.push(Some(v));
        } else if v == 0xFFFD {
            out.push(None);
        }
    }
    out
}
