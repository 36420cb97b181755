//! The marker line CPython 3.11 prints under a traceback entry's source line: `^`
//! under the failing instruction's columns, and for a binary operator or a subscript
//! `~` under the operands with `^` under the operator or the brackets:
//!
//! ```text
//!     return x["a"] + 1
//!            ~~~~~~~^~~
//! ```
//!
//! It follows the C printer (`tb_displayline`) of CPython 3.11.7, the oracle here
//! (3.11.2 placed the `^` differently after a parenthesized left operand and inside
//! spaced brackets). The uncaught-exception hook, `sys.excepthook`, unraisable and
//! thread exceptions all print through it; the Lib's `traceback` module computes the
//! same line in Python. Columns come from the
//! code object's positions (UTF-8 byte offsets, as CPython's) and are counted in
//! characters of the line for printing. The operands are found by parsing the failing
//! instruction's source segment on its own: a segment that is not one expression
//! statement, or one that spans lines, gets plain carets.
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// Where an instruction's source is: lines and UTF-8 byte columns.
#[derive(Clone, Copy, Debug)]
pub(super) struct Position {
    pub line: u32,
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

/// The blanks CPython strips from a source line's start (and, for a segment spanning
/// lines, from its end).
fn blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0c')
}

/// The number of characters in the first `offset` bytes of `line` (a character cut by
/// the offset counts as one, as CPython decodes the prefix with "replace"); an offset
/// past the end counts the terminating NUL C sees there.
fn char_offset(line: &str, offset: u32) -> usize {
    let bytes = line.as_bytes();
    let offset = offset as usize;
    if offset > bytes.len() {
        return line.chars().count() + 1;
    }
    String::from_utf8_lossy(&bytes[..offset]).chars().count()
}

/// The marker line for `line` (the source line without its newline) and the position
/// of the instruction that was running, or None when CPython prints none: the
/// position is unknown, or the markers would cover the whole stripped line.
pub(super) fn caret_line(line: &str, pos: Position) -> Option<String> {
    let indent = line.bytes().take_while(|&b| blank(b)).count();
    let line_chars = line.chars().count();
    let start = char_offset(line, pos.col);
    let mut end = char_offset(line, pos.end_col);
    let mut anchors = None;
    if pos.line == pos.end_line {
        anchors = anchors_of(line, start, end);
    } else {
        // Spanning lines: up to the first line's last non-blank character. CPython
        // walks back from the line's length in characters over its UTF-8 bytes.
        let bytes = line.as_bytes();
        let mut i = line_chars;
        while i > 0 && blank(bytes[i - 1]) {
            i -= 1;
        }
        end = i;
    }
    if end.checked_sub(start) == Some(line_chars - indent) && anchors.is_none() {
        return None;
    }
    // Four columns of indent replace the line's own, as on the source line above.
    let mut out = String::with_capacity(end + 4);
    for offset in (indent as isize - 3)..=(end as isize) {
        let c = if offset <= start as isize {
            ' '
        } else if let Some((left, right)) = anchors
            && left < offset as usize
            && offset as usize <= right
        {
            '^'
        } else if anchors.is_some() {
            '~'
        } else {
            '^'
        };
        out.push(c);
    }
    Some(out)
}

/// For a segment that is a binary operation or a subscript, the character offsets in
/// `line` between which the operator or the brackets are (`(left, right]` is marked
/// `^`, the rest of the segment `~`).
fn anchors_of(line: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let segment: String = line
        .chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let parsed = ruff_python_parser::parse_module(&segment).ok()?;
    let [Stmt::Expr(stmt)] = parsed.syntax().body.as_slice() else {
        return None;
    };
    let bytes = segment.as_bytes();
    let (left, right) = match &*stmt.value {
        Expr::BinOp(b) => {
            let from = b.left.end().to_usize();
            let to = b.right.start().to_usize();
            // The operator's first character, past the closing parentheses of the left
            // operand; a second one (`//`, `**`) when it is not blank.
            let mut found = None;
            for i in from..to {
                if blank(bytes[i]) {
                    continue;
                }
                let right = if i + 1 < to && !blank(bytes[i + 1]) {
                    i + 2
                } else {
                    i + 1
                };
                found = Some((i, right));
                if !(i + 1 < to && bytes[i] == b')') {
                    break;
                }
            }
            found?
        }
        Expr::Subscript(s) => {
            // From the opening bracket through the closing one.
            let mut left = s.value.end().to_usize();
            let mut right = s.slice.end().to_usize() + 1;
            while left < bytes.len() && bytes[left] != b'[' {
                left += 1;
            }
            while right < bytes.len() && bytes[right] != b']' {
                right += 1;
            }
            if right < bytes.len() {
                right += 1;
            }
            (left, right)
        }
        _ => return None,
    };
    let to_chars = |b: usize| char_offset(&segment, b as u32) + start;
    Some((to_chars(left), to_chars(right)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(line: &str, col: u32, end_col: u32) -> Option<String> {
        caret_line(
            line,
            Position {
                line: 1,
                end_line: 1,
                col,
                end_col,
            },
        )
    }

    #[test]
    fn binary_operator_and_subscript() {
        let l = "    return x[\"a\"] + 1";
        assert_eq!(on(l, 11, 21).as_deref(), Some("           ~~~~~~~^~~"));
        assert_eq!(on("y = x // 0", 4, 10).as_deref(), Some("        ~~^^~~"));
        assert_eq!(
            on("y = d [ \"k\" ] + 1", 4, 13).as_deref(),
            Some("        ~~^^^^^^^")
        );
    }

    #[test]
    fn whole_line_has_none_unless_anchored() {
        assert_eq!(on("g()", 0, 3), None);
        assert_eq!(
            on("z = (a) + (b)", 4, 13).as_deref(),
            Some("        ~~~~^~~~~")
        );
        assert_eq!(on("z = (a)+1", 4, 9).as_deref(), Some("        ~~~^~"));
        assert_eq!(on("g()   ", 0, 3).as_deref(), Some("    ^^^"));
        assert_eq!(on("x+1", 0, 3).as_deref(), Some("    ~^~"));
    }

    #[test]
    fn columns_are_bytes_carets_are_characters() {
        // "é€" is 5 bytes, 2 characters.
        let l = "s = \"é€\" + 1";
        assert_eq!(on(l, 4, 15).as_deref(), Some("        ~~~~~^~~"));
    }

    #[test]
    fn spanning_lines_marks_to_the_last_non_blank() {
        let p = Position {
            line: 1,
            end_line: 2,
            col: 9,
            end_col: 6,
        };
        assert_eq!(
            caret_line("result = f(  ", p).as_deref(),
            Some("             ^^")
        );
    }
}
