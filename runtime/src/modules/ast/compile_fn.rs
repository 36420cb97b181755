//! The builtin `compile(source, filename, mode, flags=0, dont_inherit=False,
//! optimize=-1, *, _feature_version=-1)`: source text (str or bytes) to a code object,
//! or with `PyCF_ONLY_AST` to a syntax tree; a syntax tree to a code object.
use super::to_py::ParseMode;
use super::{PY_CF_ALLOW_TOP_LEVEL_AWAIT, PY_CF_ONLY_AST, PY_CF_TYPE_COMMENTS};
use crate::compile::codegen::Mode;
use crate::compile::future;
use crate::modules::args;
use crate::types::str::as_str;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// Flags `compile()` accepts besides the `PyCF_*` bits: the `__future__` feature
/// bits (which change nothing in 3.11 but `annotations`; all are kept in `co_flags`,
/// as CPython does) and `CO_NESTED`, which CPython also lets through.
const FUTURE_FLAGS: i64 = future::FUTURE_MASK as i64 | 0x1_0000;
const PYCF_DONT_IMPLY_DEDENT: i64 = 0x200;
const PYCF_IGNORE_COOKIE: i64 = 0x800;
/// An unfinished statement raises `SyntaxError: incomplete input` (what `codeop` and
/// the interactive prompt ask more lines on).
const PYCF_ALLOW_INCOMPLETE_INPUT: i64 = 0x4000;

pub fn compile_builtin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let names = [
        "source",
        "filename",
        "mode",
        "flags",
        "dont_inherit",
        "optimize",
        "_feature_version",
    ];
    let b = args::bind(vm, "compile", a, &names, 6, 3)?;
    let (src, file, mode) = (b[0].unwrap(), b[1].unwrap(), b[2].unwrap());
    let flags = match b[3] {
        Some(f) => args::int(vm, f)?,
        None => 0,
    };
    let optimize = match b[5] {
        Some(o) => {
            let o = args::int(vm, o)?;
            if !(-1..=2).contains(&o) {
                return Err(vm.value_error("compile(): invalid optimize value"));
            }
            o as i32
        }
        None => -1,
    };
    let known = PY_CF_ONLY_AST
        | PY_CF_TYPE_COMMENTS
        | PY_CF_ALLOW_TOP_LEVEL_AWAIT
        | FUTURE_FLAGS
        | PYCF_DONT_IMPLY_DEDENT
        | PYCF_IGNORE_COOKIE
        | PYCF_ALLOW_INCOMPLETE_INPUT;
    if flags & !known != 0 {
        return Err(vm.value_error("compile(): unrecognised flags"));
    }
    // The caller's future features apply too, unless `dont_inherit` is true.
    let dont_inherit = match b[4] {
        Some(d) => crate::ops::truthy(vm, d)?,
        None => false,
    };
    let mut future_flags = flags as u32 & future::FUTURE_MASK;
    if !dont_inherit {
        future_flags |= future::inherited(vm);
    }
    let filename = filename_of(vm, file)?;
    let only_ast = flags & PY_CF_ONLY_AST != 0;
    let mode = match as_str(mode) {
        Some("exec") => ParseMode::Exec,
        Some("eval") => ParseMode::Eval,
        Some("single") => ParseMode::Single,
        Some("func_type") if only_ast => ParseMode::FuncType,
        Some("func_type") => {
            return Err(vm.value_error("compile() mode 'func_type' requires flag PyCF_ONLY_AST"));
        }
        Some(_) => {
            return Err(vm.value_error("compile() mode must be 'exec', 'eval' or 'single'"));
        }
        None => {
            let tn = crate::builtins::type_name(mode);
            return Err(vm.type_error(format!("compile() argument 'mode' must be str, not {tn}")));
        }
    };
    // A node exists only once the classes do; plain source never needs them built.
    let is_node = super::CLASSES
        .get()
        .is_some_and(|c| c.kind_of(src).is_some());
    if is_node {
        if only_ast {
            super::from_py::check_root(vm, src, mode)?;
            return Ok(src.clone());
        }
        return super::from_py::compile_tree(vm, src, &filename, mode, future_flags, optimize);
    }
    let text = source_text(vm, src, "compile", "AST object")?;
    if only_ast {
        return super::to_py::parse(vm, &text, &filename, mode);
    }
    let cmode = match mode {
        ParseMode::Eval => Mode::Eval,
        ParseMode::Single => Mode::Single,
        _ => Mode::Exec,
    };
    if flags & PYCF_ALLOW_INCOMPLETE_INPUT != 0
        && crate::compile::incomplete::is_incomplete(
            &text,
            flags & PYCF_DONT_IMPLY_DEDENT != 0,
            mode == ParseMode::Eval,
        )
    {
        let e = crate::compile::SourceError {
            kind: "SyntaxError",
            msg: "incomplete input".into(),
            filename: filename.clone(),
            line: text.lines().count().max(1),
            col: 1,
            end_col: 1,
            text: String::new(),
        };
        return Err(crate::builtins::syntax_error_value(vm, &e));
    }
    let mut warnings = vec![];
    match crate::compile::compile_flags(
        &text,
        &filename,
        cmode,
        future_flags,
        optimize,
        &mut warnings,
    ) {
        Ok(c) => {
            crate::builtins::syntax_error::issue_warnings(vm, &warnings)?;
            Ok(c)
        }
        Err(e) => Err(crate::builtins::syntax_error_value(vm, &e)),
    }
}

/// The file name argument: a str, or bytes / path-like decoded as the file system does.
fn filename_of(vm: &mut Vm, v: &Value) -> PyResult<String> {
    if let Some(s) = as_str(v) {
        return Ok(s.to_string());
    }
    if let Some(b) = crate::types::bytes::as_bytes(v) {
        return Ok(String::from_utf8_lossy(&b).into_owned());
    }
    if let Some(f) = crate::vm::lookup_special(v, "__fspath__") {
        let p = vm.call(&f, std::slice::from_ref(v))?;
        if let Some(s) = as_str(&p) {
            return Ok(s.to_string());
        }
    }
    let tn = crate::builtins::type_name(v);
    Err(vm.type_error(format!(
        "expected str, bytes or os.PathLike object, not {tn}"
    )))
}

/// The source text of `compile`, `exec` or `eval` (`func`): a str, or a bytes-like
/// object decoded as UTF-8 (with a UTF-8 BOM dropped). `other` names what else the
/// function takes, for the TypeError.
pub(crate) fn source_text(vm: &mut Vm, v: &Value, func: &str, other: &str) -> PyResult<String> {
    let text = if let Some(s) = as_str(v) {
        s.to_string()
    } else if let Some(b) = crate::modules::buffer::bytes_like(v) {
        let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&b);
        match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(e) => {
                // The UnicodeDecodeError's message, as CPython's tokenizer reports it.
                let at = e.valid_up_to();
                let (n, reason) = crate::modules::codecs::unicode::utf8_error_at(&b[at..])
                    .unwrap_or((b.len() - at, "unexpected end of data"));
                let what = if n == 1 {
                    format!("byte 0x{:02x} in position {at}", b[at])
                } else {
                    format!("bytes in position {at}-{}", at + n - 1)
                };
                return Err(crate::builtins::syntax_error::without_position(
                    vm,
                    format!("(unicode error) 'utf-8' codec can't decode {what}: {reason}"),
                ));
            }
        }
    } else {
        return Err(vm.type_error(format!("{func}() arg 1 must be a string, bytes or {other}")));
    };
    if text.contains('\0') {
        return Err(vm.value_error("source code string cannot contain null bytes"));
    }
    Ok(text)
}
