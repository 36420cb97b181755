//! `open()` (the builtin and `_io.open`), `open_code` and `text_encoding`: CPython's
//! argument checks and mode parsing, then FileIO -> Buffered* -> TextIOWrapper.
use super::{IoLock, Native, io_types, parse_args, set_state};
use crate::builtins::type_name;
use crate::types::str::{as_str, new_str};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub fn open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = parse_args(
        vm,
        "open",
        a,
        0,
        &[
            "file",
            "mode",
            "buffering",
            "encoding",
            "errors",
            "newline",
            "closefd",
            "opener",
        ],
        1,
    )?;
    let file = p[0].cloned().unwrap_or_else(Value::none);
    let mode = match p[1] {
        None => "r".to_string(),
        Some(m) => match as_str(m) {
            Some(s) => s.to_string(),
            None => {
                let tn = type_name(m);
                return Err(vm.type_error(format!("open() argument 'mode' must be str, not {tn}")));
            }
        },
    };
    let mut buffering = match p[2] {
        None => -1,
        Some(v) => {
            if v.is_float() {
                return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
            }
            crate::ops::to_isize(vm, v)?
        }
    };
    let opt = |vm: &mut Vm, v: Option<&Value>, what: &str| -> PyResult<Option<String>> {
        match v {
            None => Ok(None),
            Some(v) if v.is_none() => Ok(None),
            Some(v) => match as_str(v) {
                Some(s) => Ok(Some(s.to_string())),
                None => {
                    let tn = type_name(v);
                    Err(vm.type_error(format!(
                        "open() argument '{what}' must be str or None, not {tn}"
                    )))
                }
            },
        }
    };
    let encoding = opt(vm, p[3], "encoding")?;
    let errors = opt(vm, p[4], "errors")?;
    let newline_given = p[5].is_some_and(|v| !v.is_none());
    let newline = if newline_given {
        if let Some(v) = p[5]
            && as_str(v).is_none()
        {
            let tn = type_name(v);
            return Err(vm.type_error(format!(
                "open() argument 'newline' must be str or None, not {tn}"
            )));
        }
        super::textio::check_newline(vm, p[5])?
    } else {
        None
    };
    let closefd = match p[6] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let opener = p[7].filter(|v| !v.is_none()).cloned();

    // The file argument: a path (str, bytes, os.PathLike) or a descriptor.
    let is_number = crate::types::int::as_int(&file).is_some();
    // A path-like is replaced by its `__fspath__()` (so errors name the str path).
    let is_path =
        |v: &Value| as_str(v).is_some() || v.downcast::<crate::types::bytes::BytesObj>().is_some();
    let file = if !is_number && !is_path(&file) {
        let r = match crate::vm::lookup_special(&file, "__fspath__") {
            Some(f) => vm.call(&f, std::slice::from_ref(&file))?,
            None => Value::none(),
        };
        if !is_path(&r) {
            // The TypeError with CPython's wording.
            super::fileio::fspath(vm, &file)?;
        }
        r
    } else {
        file
    };

    let (mut creating, mut reading, mut writing, mut appending, mut updating) =
        (false, false, false, false, false);
    let (mut text, mut binary) = (false, false);
    let chars: Vec<char> = mode.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let flag = match c {
            'x' => &mut creating,
            'r' => &mut reading,
            'w' => &mut writing,
            'a' => &mut appending,
            '+' => &mut updating,
            't' => &mut text,
            'b' => &mut binary,
            _ => return Err(vm.value_error(format!("invalid mode: '{mode}'"))),
        };
        *flag = true;
        if chars[i + 1..].contains(&c) {
            return Err(vm.value_error(format!("invalid mode: '{mode}'")));
        }
    }
    let mut rawmode = String::new();
    if creating {
        rawmode.push('x');
    }
    if reading {
        rawmode.push('r');
    }
    if writing {
        rawmode.push('w');
    }
    if appending {
        rawmode.push('a');
    }
    if updating {
        rawmode.push('+');
    }
    if text && binary {
        return Err(vm.value_error("can't have text and binary mode at once"));
    }
    if creating as u8 + reading as u8 + writing as u8 + appending as u8 > 1 {
        return Err(vm.value_error("must have exactly one of create/read/write/append mode"));
    }
    if binary && encoding.is_some() {
        return Err(vm.value_error("binary mode doesn't take an encoding argument"));
    }
    if binary && errors.is_some() {
        return Err(vm.value_error("binary mode doesn't take an errors argument"));
    }
    if binary && newline_given {
        return Err(vm.value_error("binary mode doesn't take a newline argument"));
    }

    let io = io_types();
    let (st, name) = super::fileio::open_fd(vm, &file, &rawmode, closefd, opener.as_ref())?;
    let blksize = st.blksize;
    let isatty = if buffering == 1 || buffering < 0 {
        // SAFETY: isatty on the descriptor just opened.
        unsafe { libc::isatty(st.fd) == 1 }
    } else {
        false
    };
    let raw = crate::vm::new_instance_of(&io.file_io, vec![]);
    if !name.is_none() {
        crate::ops::generic_setattr(vm, &raw, "name", name)?;
    }
    set_state(vm, &raw, Native::File(IoLock::new(st)))?;

    let mut line_buffering = false;
    if buffering == 1 || (buffering < 0 && isatty) {
        buffering = -1;
        line_buffering = true;
    }
    if buffering < 0 {
        buffering = if blksize > 1 {
            blksize
        } else {
            super::DEFAULT_BUFFER_SIZE as i64
        };
    }
    if buffering == 0 {
        if binary {
            return Ok(raw);
        }
        let r = raw.clone();
        let _ = super::call_method(vm, &r, "close", &[]);
        return Err(vm.value_error("can't have unbuffered text I/O"));
    }
    let cls = if updating {
        &io.buffered_random
    } else if creating || writing || appending {
        &io.buffered_writer
    } else {
        &io.buffered_reader
    };
    let buffer = super::buffered::new_buffered(vm, cls, raw, buffering as usize)?;
    if binary {
        return Ok(buffer);
    }
    let w = match super::textio::new_wrapper(
        vm,
        buffer.clone(),
        encoding,
        errors,
        newline,
        line_buffering,
        false,
    ) {
        Ok(w) => w,
        Err(e) => {
            let _ = super::call_method(vm, &buffer, "close", &[]);
            return Err(e);
        }
    };
    crate::ops::generic_setattr(vm, &w, "mode", new_str(&mode))?;
    Ok(w)
}

/// `open_code(path)`: `open(path, "rb")`.
pub fn open_code(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = parse_args(vm, "open_code", a, 0, &["path"], 1)?;
    let path = p[0].cloned().unwrap_or_else(Value::none);
    if as_str(&path).is_none() {
        let tn = type_name(&path);
        return Err(vm.type_error(format!("open_code() argument 'path' must be str, not {tn}")));
    }
    open(vm, &Args::new(&[path, new_str("rb")]))
}

/// `text_encoding(encoding, stacklevel=2)`: the encoding, or "locale" for None.
pub fn text_encoding(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = parse_args(vm, "text_encoding", a, 0, &["encoding", "stacklevel"], 1)?;
    match p[0] {
        Some(v) if !v.is_none() => Ok(v.clone()),
        _ => Ok(new_str("locale")),
    }
}
