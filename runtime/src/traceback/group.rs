//! Printing an exception with its chain, and exception groups (PEP 654) as CPython's
//! nested boxes: a group's traceback is headed `Exception Group Traceback`, each
//! sub-exception is printed one level deeper under a `+---- i ----` rule with a `| `
//! margin, and the last one closes the box. Groups nested past `MAX_DEPTH` print as
//! `... (max_group_depth is 10)`; past `MAX_WIDTH` sub-exceptions the rest is counted
//! (`and N more exceptions`). The layout follows the Lib's
//! `traceback.TracebackException.format` so both print the same text.
use std::collections::HashSet;

use crate::builtins::exception_group::{exceptions_of, is_group};
use crate::value::Value;
use crate::vm::{Vm, exc_data};

const MAX_WIDTH: usize = 15;
const MAX_DEPTH: usize = 10;

const CAUSE: &str = "\nThe above exception was the direct cause of the following exception:\n\n";
const CONTEXT: &str = "\nDuring handling of the above exception, another exception occurred:\n\n";

/// Where the printer is: the exceptions already printed (a chain or group that loops
/// back prints each once), the group nesting depth, and whether the innermost box
/// still needs its closing rule.
#[derive(Default)]
pub struct Ctx {
    seen: HashSet<u64>,
    depth: usize,
    need_close: bool,
}

impl Ctx {
    fn indent(&self) -> String {
        " ".repeat(2 * self.depth)
    }

    /// Append `text` with every line behind the current indent and margin.
    fn emit(&self, out: &mut String, text: &str, margin: char) {
        let mut prefix = self.indent();
        if self.depth > 0 {
            prefix.push(margin);
            prefix.push(' ');
        }
        for line in text.split_inclusive('\n') {
            out.push_str(&prefix);
            out.push_str(line);
        }
    }
}

/// The next link of `exc`'s chain not printed yet: its cause, else its context unless
/// suppressed, with the sentence printed between the two.
fn next_link(exc: &Value, ctx: &Ctx) -> Option<(Value, &'static str)> {
    let d = exc_data(exc)?;
    let (cause, context, suppress) =
        d.with(|d| (d.cause.clone(), d.context.clone(), d.suppress_context));
    let usable = |v: &Value| !v.is_null() && !v.is_none() && !ctx.seen.contains(&v.bits());
    if usable(&cause) {
        return Some((cause, CAUSE));
    }
    if !suppress && usable(&context) {
        return Some((context, CONTEXT));
    }
    None
}

/// Format `exc` (and its chain when `chain_on`) into `out`.
pub fn format(vm: &mut Vm, exc: &Value, chain_on: bool, ctx: &mut Ctx, out: &mut String) {
    ctx.seen.insert(exc.bits());
    // (sentence printed before the exception, exception), innermost cause last.
    let mut chain: Vec<(Option<&'static str>, Value)> = vec![];
    let mut cur = exc.clone();
    loop {
        let link = if chain_on { next_link(&cur, ctx) } else { None };
        match link {
            Some((next, msg)) => {
                ctx.seen.insert(next.bits());
                chain.push((Some(msg), cur));
                cur = next;
            }
            None => {
                chain.push((None, cur));
                break;
            }
        }
    }
    // Sub-exceptions count as printed before any of them prints its own chain.
    for (_, e) in &chain {
        for c in exceptions_of(e) {
            ctx.seen.insert(c.bits());
        }
    }
    for (msg, e) in chain.iter().rev() {
        if let Some(m) = msg {
            ctx.emit(out, m, '|');
        }
        format_single(vm, e, chain_on, ctx, out);
    }
}

/// One exception of a chain: its traceback and lines, and a group's sub-exceptions.
fn format_single(vm: &mut Vm, e: &Value, chain_on: bool, ctx: &mut Ctx, out: &mut String) {
    let (stack, only) = super::parts_of(vm, e);
    if !is_group(e) {
        if !stack.is_empty() {
            ctx.emit(out, "Traceback (most recent call last):\n", '|');
            ctx.emit(out, &stack, '|');
        }
        ctx.emit(out, &only, '|');
        return;
    }
    if ctx.depth > MAX_DEPTH {
        ctx.emit(out, &format!("... (max_group_depth is {MAX_DEPTH})\n"), '|');
        return;
    }
    let toplevel = ctx.depth == 0;
    if toplevel {
        ctx.depth += 1;
    }
    if !stack.is_empty() {
        ctx.emit(
            out,
            "Exception Group Traceback (most recent call last):\n",
            if toplevel { '+' } else { '|' },
        );
        ctx.emit(out, &stack, '|');
    }
    ctx.emit(out, &only, '|');
    let excs = exceptions_of(e);
    let n = excs.len().min(MAX_WIDTH + 1);
    ctx.need_close = false;
    for i in 0..n {
        let last = i == n - 1;
        if last {
            // The closing rule may be printed by a nested group instead.
            ctx.need_close = true;
        }
        let truncated = i >= MAX_WIDTH;
        let title = if truncated {
            "...".to_string()
        } else {
            (i + 1).to_string()
        };
        out.push_str(&ctx.indent());
        out.push_str(if i == 0 { "+-" } else { "  " });
        out.push_str(&format!("+---------------- {title} ----------------\n"));
        ctx.depth += 1;
        if truncated {
            let remaining = excs.len() - MAX_WIDTH;
            let plural = if remaining > 1 { "s" } else { "" };
            ctx.emit(
                out,
                &format!("and {remaining} more exception{plural}\n"),
                '|',
            );
        } else {
            format(vm, &excs[i], chain_on, ctx, out);
        }
        if last && ctx.need_close {
            out.push_str(&ctx.indent());
            out.push_str("+------------------------------------\n");
            ctx.need_close = false;
        }
        ctx.depth -= 1;
    }
    if toplevel {
        ctx.depth = 0;
    }
}
