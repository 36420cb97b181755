//! Printing uncaught exceptions the way CPython does (traceback, chained exceptions).
use crate::ops;
use crate::types::code::CodeObj;
use crate::types::frame::FrameObj;
use crate::types::traceback::{TbObj, chain};
use crate::value::Value;
use crate::vm::{Vm, exc_data};

mod carets;
pub mod dump;
mod group;

/// Line `line` of the file, as CPython's printer reads it: without its newline, and
/// none for a name in angle brackets (`<string>`, `<stdin>`).
fn raw_source_line(filename: &str, line: u32) -> Option<String> {
    if filename.len() > 1 && filename.starts_with('<') && filename.ends_with('>') {
        return None;
    }
    let src = std::fs::read_to_string(filename).ok()?;
    src.split('\n')
        .nth(line.checked_sub(1)? as usize)
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
}

/// Line `line` of the file with blanks stripped from both ends.
fn source_line(filename: &str, line: u32) -> Option<String> {
    raw_source_line(filename, line).map(|l| l.trim().to_string())
}

/// One traceback entry as the formatter needs it.
struct Entry {
    code: Value,
    line: u32,
    /// `tb_lasti`: two per instruction.
    lasti: i64,
    globals: Value,
}

/// The traceback entries of `exc`, outermost first.
fn tb_entries(exc: &Value) -> Vec<Entry> {
    let tb = exc_data(exc)
        .map(|d| d.with(|d| d.traceback.clone()))
        .unwrap_or_default();
    chain(&tb)
        .iter()
        .filter_map(|t| {
            let t = t.downcast::<TbObj>()?;
            let fo = t.frame.downcast::<FrameObj>()?;
            let (code, globals) = fo.st.with(|s| (s.code.clone(), s.globals.clone()));
            Some(Entry {
                code,
                line: t.lineno.max(0) as u32,
                lasti: t.lasti,
                globals,
            })
        })
        .collect()
}

/// The position of the instruction an entry was running, when its code has columns
/// and they are shown (not under `-X no_debug_ranges`).
fn position_of(co: &CodeObj, lasti: i64, ranges: bool) -> Option<carets::Position> {
    let i = usize::try_from(lasti).ok()? / 2;
    let span = co.span_at(i)?;
    if !ranges || span.col == crate::types::code::Span::NO_COL {
        return None;
    }
    Some(carets::Position {
        line: co.line_of(i),
        end_line: span.end_line,
        col: span.col,
        end_col: span.end_col,
    })
}

/// The lines of a traceback's entries (`  File ...`, the source line and the markers
/// under the failing expression), collapsing runs of the same entry as CPython does.
fn stack_text(tb: &[Entry], ranges: bool) -> String {
    let mut out = String::new();
    let mut last: Option<(String, u32, String)> = None;
    let mut repeat = 0;
    for e in tb.iter() {
        // SAFETY: frames hold code objects.
        let co = unsafe { e.code.payload_unchecked::<CodeObj>() };
        let line = e.line;
        let key = (co.filename.clone(), line, co.name.clone());
        if last.as_ref() == Some(&key) {
            repeat += 1;
            if repeat >= 3 {
                continue;
            }
        } else {
            if repeat >= 3 {
                let n = repeat - 2;
                out.push_str(&format!(
                    "  [Previous line repeated {n} more time{}]\n",
                    if n == 1 { "" } else { "s" }
                ));
            }
            repeat = 0;
            last = Some(key);
        }
        out.push_str(&format!(
            "  File \"{}\", line {}, in {}\n",
            co.filename, line, co.name
        ));
        if let Some(raw) = raw_source_line(&co.filename, line) {
            // CPython strips the indentation only.
            let shown = raw.trim_start_matches([' ', '\t', '\x0c']);
            out.push_str(&format!("    {shown}\n"));
            if let Some(pos) = position_of(co, e.lasti, ranges)
                && let Some(marks) = carets::caret_line(&raw, pos)
            {
                out.push_str(&marks);
                out.push('\n');
            }
        }
    }
    if repeat >= 3 {
        let n = repeat - 2;
        out.push_str(&format!(
            "  [Previous line repeated {n} more time{}]\n",
            if n == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The exception's own lines (`ValueError: bad`, or a SyntaxError's position), then
/// its `__notes__` (PEP 678).
fn exc_only(vm: &mut Vm, exc: &Value, tb: &[Entry], out: &mut String) {
    exc_line(vm, exc, tb, out);
    notes_text(vm, exc, out);
}

/// The `__notes__` of `exc`, one line each (a note's own newlines split it), as
/// CPython prints them; anything but a list or tuple is printed as its repr.
fn notes_text(vm: &mut Vm, exc: &Value, out: &mut String) {
    let notes = match ops::getattr_opt(vm, exc, "__notes__") {
        Ok(Some(n)) if !n.is_none() => n,
        Ok(_) => return,
        Err(_) => {
            out.push_str("<__notes__ lookup failed>\n");
            return;
        }
    };
    let Some(items) = ops::seq_items_fast(&notes) else {
        let r = ops::repr(vm, &notes).unwrap_or_else(|_| "<__notes__ repr() failed>".into());
        out.push_str(&r);
        out.push('\n');
        return;
    };
    for n in items {
        let text = match crate::types::str::as_str(&n) {
            Some(s) => s.to_string(),
            None => ops::to_str(vm, &n).unwrap_or_else(|_| "<note str() failed>".into()),
        };
        for l in text.split('\n') {
            out.push_str(l);
            out.push('\n');
        }
    }
}

fn exc_line(vm: &mut Vm, exc: &Value, tb: &[Entry], out: &mut String) {
    let td = exc.type_data();
    let m = td.module.get_clone();
    let name = if m == "builtins" || m == "__main__" {
        td.qualname()
    } else {
        format!("{m}.{}", td.qualname())
    };
    // Compile-time errors (SyntaxError, and stitch's "not supported yet") carry the
    // source position instead of a traceback.
    let from_compiler = crate::vm::exc_data(exc).is_some()
        && ops::getattr_opt(vm, exc, "text").ok().flatten().is_some()
        && ops::getattr_opt(vm, exc, "lineno").ok().flatten().is_some();
    if td.is_subtype_raw(crate::world::types().syntax_error) || (tb.is_empty() && from_compiler) {
        let get = |vm: &mut Vm, n: &str| ops::getattr_opt(vm, exc, n).ok().flatten();
        let file = get(vm, "filename").map(|v| match crate::types::str::as_str(&v) {
            Some(s) => s.to_string(),
            // CPython prints a missing file name as "<string>", any other as its str().
            None if v.is_none() => "<string>".to_string(),
            None => ops::to_str(vm, &v).unwrap_or_else(|_| "<string>".to_string()),
        });
        let line = get(vm, "lineno").and_then(|v| v.as_small_int());
        let text =
            get(vm, "text").and_then(|v| crate::types::str::as_str(&v).map(|s| s.to_string()));
        let col = get(vm, "offset").and_then(|v| v.as_small_int());
        let end_col = get(vm, "end_offset").and_then(|v| v.as_small_int());
        let end_line = get(vm, "end_lineno").and_then(|v| v.as_small_int());
        if let (Some(f), Some(l)) = (file, line) {
            out.push_str(&format!("  File \"{f}\", line {l}\n"));
            if let Some(t) = text {
                let mut end = end_col.unwrap_or(-1);
                let size = t.chars().count() as i64;
                // An error spanning lines is marked to the end of its first line.
                if end_line.is_some_and(|e| e > l) {
                    end = size;
                }
                // No more carets than the line has characters.
                end = end.min(size + 1);
                syntax_error_text(out, col.unwrap_or(0), end, &t);
            }
        }
        // The message is `str(msg)` ("None" for a bare `raise SyntaxError`).
        let msg = get(vm, "msg").unwrap_or_else(Value::none);
        let msg = ops::to_str(vm, &msg).unwrap_or_else(|_| "<exception str() failed>".into());
        out.push_str(&format!("{name}: {msg}\n"));
        return;
    }
    let mut msg = match ops::to_str(vm, exc) {
        Ok(s) => s,
        Err(_) => "<exception str() failed>".to_string(),
    };
    if let Some(s) = suggestion(vm, exc, tb) {
        msg.push_str(&format!(". Did you mean: '{s}'?"));
    }
    if msg.is_empty() {
        out.push_str(&format!("{name}\n"));
    } else {
        out.push_str(&format!("{name}: {msg}\n"));
    }
}

/// A SyntaxError's source line and carets from 1-based column `offset` up to
/// `end_offset`, as CPython's `print_error_text`: leading blanks are dropped, and no
/// caret line is printed when the offset falls left of the text.
fn syntax_error_text(out: &mut String, offset: i64, end_offset: i64, text: &str) {
    let carets = if end_offset > 0 && end_offset > offset {
        (end_offset - offset) as usize
    } else {
        1
    };
    let mut offset = offset - 1;
    let trimmed = text.trim_start_matches([' ', '\t', '\x0c']);
    offset -= (text.chars().count() - trimmed.chars().count()) as i64;
    let mut text = trimmed;
    let len = text.chars().count() as i64 - text.ends_with('\n') as i64;
    offset = offset.min(len);
    // Only the line the offset is on, when the text holds several.
    while let Some(nl) = text.find('\n') {
        let inl = text[..nl].chars().count() as i64;
        if inl >= offset {
            break;
        }
        text = &text[nl + 1..];
        offset -= inl + 1;
    }
    out.push_str("    ");
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    if offset < 0 {
        return;
    }
    out.push_str("    ");
    out.push_str(&" ".repeat(offset as usize));
    out.push_str(&"^".repeat(carets));
    out.push('\n');
}

/// Format an exception with its `__cause__` / `__context__` chain.
pub fn format_exception(vm: &mut Vm, exc: &Value) -> String {
    format_exception_with(vm, exc, true)
}

/// Only the exception's own lines (`ValueError: bad`, or a SyntaxError's position),
/// and its notes.
pub fn format_exception_only(vm: &mut Vm, exc: &Value) -> String {
    let tb = tb_entries(exc);
    let mut out = String::new();
    exc_only(vm, exc, &tb, &mut out);
    out
}

/// The traceback entries of `exc`, outermost first: (filename, line, function, source).
pub fn entries(exc: &Value) -> Vec<(String, u32, String, String)> {
    tb_entries(exc)
        .iter()
        .map(|e| {
            // SAFETY: frames hold code objects.
            let co = unsafe { e.code.payload_unchecked::<CodeObj>() };
            let line = e.line;
            let src = source_line(&co.filename, line).unwrap_or_default();
            (co.filename.clone(), line, co.name.clone(), src)
        })
        .collect()
}

/// Format an exception, with its chain when `chain`; exception groups print as
/// CPython's nested boxes (see `group_print`).
pub fn format_exception_with(vm: &mut Vm, exc: &Value, chain_on: bool) -> String {
    let mut ctx = group::Ctx::default();
    let mut out = String::new();
    group::format(vm, exc, chain_on, &mut ctx, &mut out);
    out
}

/// The pieces `group_print` assembles: the stack lines and the exception's own lines.
pub(crate) fn parts_of(vm: &mut Vm, exc: &Value) -> (String, String) {
    let tb = tb_entries(exc);
    let ranges = crate::builtins::code::debug_ranges(vm);
    let stack = match traceback_limit(vm) {
        Some(limit) => stack_text(&tb[tb.len().saturating_sub(limit)..], ranges),
        None => stack_text(&tb, ranges),
    };
    let mut only = String::new();
    exc_only(vm, exc, &tb, &mut only);
    (stack, only)
}

/// `sys.tracebacklimit` when it is an int (`PyTraceBack_Print`): the innermost entries
/// printed, 0 (no traceback at all) for a limit <= 0, all for one too big for a C
/// long.
fn traceback_limit(vm: &mut Vm) -> Option<usize> {
    let sys = crate::import::loaded(vm, "sys")?;
    let limit = sys
        .downcast::<crate::types::module::ModuleObj>()?
        .dict()
        .get_str("tracebacklimit")?;
    let td = limit.type_data();
    if !td.is_subtype_raw(crate::world::types().int) {
        return None;
    }
    match ops::to_isize(vm, &limit) {
        Ok(n) => Some(n.max(0) as usize),
        // Out of a C long's range: the sign decides.
        Err(_) => {
            let r = ops::repr(vm, &limit).unwrap_or_default();
            if r.starts_with('-') { Some(0) } else { None }
        }
    }
}

/// CPython 3.11's "Did you mean" for NameError (frame locals, globals, builtins) and
/// AttributeError (`dir(obj)`).
fn suggestion(vm: &mut Vm, exc: &Value, tb: &[Entry]) -> Option<String> {
    let t = crate::world::types();
    let td = exc.type_data();
    let name_v = ops::getattr_opt(vm, exc, "name").ok().flatten()?;
    let name = crate::types::str::as_str(&name_v)?.to_string();
    if td.is_subtype_raw(t.name_error) {
        let last = tb.last()?;
        // SAFETY: frames hold code objects.
        let co = unsafe { last.code.payload_unchecked::<CodeObj>() };
        let locals: Vec<&str> = co.localsplus_names[..co.nlocals]
            .iter()
            .map(|s| s.as_str())
            .collect();
        if let Some(s) = crate::suggest::suggest(locals, &name) {
            return Some(s);
        }
        let globals: Vec<String> = last
            .globals
            .downcast::<crate::types::dict::DictObj>()
            .map(|g| {
                g.keys()
                    .iter()
                    .filter_map(|k| crate::types::str::as_str(k).map(|s| s.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(s) = crate::suggest::suggest(globals.iter().map(|s| s.as_str()), &name) {
            return Some(s);
        }
        return crate::suggest::suggest(crate::suggest::CPYTHON_BUILTINS.iter().copied(), &name);
    }
    if td.is_subtype_raw(t.attribute_error) {
        let obj = ops::getattr_opt(vm, exc, "obj").ok().flatten()?;
        let mut names: Vec<String> = vec![];
        if let Some(d) = ops::getattr_opt(vm, &obj, "__dict__").ok().flatten()
            && let Some(d) = d.downcast::<crate::types::dict::DictObj>()
        {
            names.extend(
                d.keys()
                    .iter()
                    .filter_map(|k| crate::types::str::as_str(k).map(|s| s.to_string())),
            );
        }
        let ty = if crate::types::class::as_type(&obj).is_some() {
            obj.clone()
        } else {
            obj.type_of()
        };
        if let Some(td) = crate::types::class::as_type(&ty) {
            for c in td.mro.get_clone() {
                let cd = crate::types::class::type_data_raw(c.raw());
                names.extend(
                    cd.dict
                        .keys()
                        .iter()
                        .filter_map(|k| crate::types::str::as_str(k).map(|s| s.to_string())),
                );
            }
        }
        names.sort();
        names.dedup();
        return crate::suggest::suggest(names.iter().map(|s| s.as_str()), &name);
    }
    None
}
