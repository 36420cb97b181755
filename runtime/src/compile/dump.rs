//! Bytecode disassembly for `-X dump=bytecode` (a format close to CPython's `dis`).
use crate::instructions::{self, Op};
use crate::types::code::CodeObj;
use crate::value::Value;

pub fn disassemble(code: &Value, out: &mut String) {
    // SAFETY: callers pass code objects.
    let co = unsafe { code.payload_unchecked::<CodeObj>() };
    out.push_str(&format!(
        "Disassembly of <code object {} at line {}>:\n",
        co.qualname, co.firstlineno
    ));
    let mut last_line = 0;
    let targets: Vec<u32> = co
        .code
        .iter()
        .filter_map(|w| {
            let op = Op::from_u8((*w & 0xff) as u8)?;
            instructions::is_jump(op).then_some(*w >> 8)
        })
        .chain(co.exc_table.iter().map(|e| e.handler))
        .collect();
    for (i, w) in co.code.iter().enumerate() {
        let line = co.line_of(i);
        let line_col = if line != last_line {
            last_line = line;
            if i > 0 {
                out.push('\n');
            }
            format!("{line:>4}")
        } else {
            "    ".to_string()
        };
        let marker = if targets.contains(&(i as u32)) {
            ">>"
        } else {
            "  "
        };
        let Some(op) = Op::from_u8((*w & 0xff) as u8) else {
            out.push_str(&format!(
                "{line_col} {marker} {i:>4} <bad opcode {}>\n",
                w & 0xff
            ));
            continue;
        };
        let arg = w >> 8;
        let detail = describe(co, op, arg);
        out.push_str(&format!(
            "{line_col} {marker} {i:>4} {:<22} {arg:<4} {detail}\n",
            op.name()
        ));
    }
    if !co.exc_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &co.exc_table {
            out.push_str(&format!(
                "  {} to {} -> {} [{}]{}\n",
                e.start,
                e.end,
                e.handler,
                e.depth,
                if e.lasti { " lasti" } else { "" }
            ));
        }
    }
    out.push('\n');
    for c in &co.consts {
        if c.downcast::<CodeObj>().is_some() {
            disassemble(c, out);
        }
    }
}

fn describe(co: &CodeObj, op: Op, arg: u32) -> String {
    use Op::*;
    let a = arg as usize;
    match op {
        LOAD_CONST => co
            .consts
            .get(a)
            .map(|c| format!("({})", crate::ops::debug_repr(c)))
            .unwrap_or_default(),
        LOAD_FAST | STORE_FAST | DELETE_FAST | LOAD_DEREF | STORE_DEREF | DELETE_DEREF
        | LOAD_CLOSURE => co
            .localsplus_names
            .get(a)
            .map(|n| format!("({n})"))
            .unwrap_or_default(),
        LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
        | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_NAME | IMPORT_FROM => co
            .names
            .get(a)
            .and_then(|n| crate::types::str::as_str(n).map(|s| format!("({s})")))
            .unwrap_or_default(),
        BINARY_OP => {
            let base = (arg % instructions::NB_INPLACE) as usize;
            let inplace = if arg >= instructions::NB_INPLACE {
                "="
            } else {
                ""
            };
            format!(
                "({}{inplace})",
                instructions::BIN_OPS.get(base).unwrap_or(&"?")
            )
        }
        COMPARE_OP => format!("({})", instructions::CMP_OPS.get(a).unwrap_or(&"?")),
        _ if instructions::is_jump(op) => format!("(to {arg})"),
        _ => String::new(),
    }
}
