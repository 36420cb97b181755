//! `_io.StringIO`: a text stream over an in-memory buffer of characters, with
//! CPython's newline handling (`newline=None` translates on write, `""` keeps
//! everything and splits lines universally, "\n"/"\r"/"\r\n" name the line ending).
use super::newline::NlDecoder;
use super::{
    IoLock, IoTypes, Native, add_methods, add_property, closed_error, int_arg, method_pos,
    parse_args, set_state, size_arg, state_of, uninitialized,
};
use crate::builtins::type_name;
use crate::types::str::{as_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub struct StringState {
    buf: Vec<char>,
    pos: usize,
    closed: bool,
    /// Universal-newline decoder applied on write (newline None or "").
    decoder: Option<NlDecoder>,
    /// Line ending written for "\n" (newline "\r" or "\r\n").
    writenl: Option<&'static str>,
    /// Line ending readline looks for when not universal.
    readnl: Option<&'static str>,
}

pub fn install(io: &IoTypes) {
    let t = &io.string_io;
    add_methods(
        t,
        &[
            ("__init__", init),
            ("getvalue", getvalue),
            ("read", read),
            ("readline", readline),
            ("write", write),
            ("seek", seek),
            ("tell", tell),
            ("truncate", truncate),
            ("readable", true_if_open),
            ("writable", true_if_open),
            ("seekable", true_if_open),
            ("close", close),
            ("__next__", next),
        ],
    );
    add_property(t, "closed", closed, None);
    add_property(t, "line_buffering", line_buffering, None);
    add_property(t, "newlines", newlines, None);
}

fn with<R>(
    vm: &mut Vm,
    obj: &Value,
    check_closed: bool,
    f: impl FnOnce(&mut Vm, &mut StringState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(st) = state_of(obj) else {
        return Err(uninitialized(vm));
    };
    let Some(super::IoStateObj { s: Native::Str(l) }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock(vm, obj)?;
    if check_closed && g.closed {
        return Err(closed_error(vm, false));
    }
    f(vm, &mut g)
}

/// For `print`: is `f` a StringIO of the type itself, whose instance has no `write`
/// of its own, and which translates no newlines on write (`newline` other than None
/// or ""; the universal-newline decoder sees each write as final, so one write of a
/// joined line could differ from print's writes of its pieces)? Then writing the
/// whole line at once ([`write_text`]) is what print's writes would do.
pub fn plain_for_print(vm: &mut Vm, f: &Value) -> PyResult<bool> {
    if !super::is_exact(f, &super::io_types().string_io) {
        return Ok(false);
    }
    let own_write = f.type_data().instance_dict(f).is_some_and(|d| {
        d.downcast::<crate::types::dict::DictObj>()
            .is_some_and(|d| d.get_str("write").is_some())
    });
    if own_write {
        return Ok(false);
    }
    with(vm, f, false, |_, st| Ok(st.decoder.is_none()))
}

/// `f.write(s)` for a StringIO `f` (`plain_for_print` said yes).
pub fn write_text(vm: &mut Vm, f: &Value, s: &str) -> PyResult<()> {
    with(vm, f, true, |_, st| {
        st.write_str(s);
        Ok(())
    })
}

/// Validate a `newline` argument (shared with TextIOWrapper): None or one of the
/// four legal strings.
pub fn newline_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<Option<&'static str>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let Some(s) = as_str(v) else {
        let tn = type_name(v);
        return Err(vm.type_error(format!("newline must be str or None, not {tn}")));
    };
    match s {
        "" => Ok(Some("")),
        "\n" => Ok(Some("\n")),
        "\r" => Ok(Some("\r")),
        "\r\n" => Ok(Some("\r\n")),
        _ => {
            let r = crate::ops::repr(vm, v)?;
            Err(vm.value_error(format!("illegal newline value: {r}")))
        }
    }
}

fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let p = parse_args(vm, "StringIO", a, 1, &["initial_value", "newline"], 0)?;
    let newline = if p[1].is_none() {
        Some("\n")
    } else {
        newline_arg(vm, p[1])?
    };
    let initial = match p[0] {
        Some(v) if !v.is_none() => match as_str(v) {
            Some(s) => s.to_string(),
            None => {
                let tn = type_name(v);
                return Err(vm.type_error(format!("initial_value must be str or None, not {tn}")));
            }
        },
        _ => String::new(),
    };
    let universal = matches!(newline, None | Some(""));
    let mut st = StringState {
        buf: Vec::new(),
        pos: 0,
        closed: false,
        decoder: universal.then(|| NlDecoder::new(newline.is_none())),
        writenl: newline.filter(|n| n.starts_with('\r')),
        readnl: newline.filter(|n| !n.is_empty()),
    };
    if !initial.is_empty() {
        st.write_str(&initial);
        st.pos = 0;
    }
    set_state(vm, slf, Native::Str(IoLock::new(st)))?;
    Ok(Value::none())
}

impl StringState {
    fn write_str(&mut self, s: &str) -> usize {
        let n = s.chars().count();
        let text;
        let mut s = s;
        if let Some(d) = &mut self.decoder {
            text = d.decode(s, true);
            s = &text;
        }
        let translated;
        if let Some(nl) = self.writenl
            && s.contains('\n')
        {
            translated = s.replace('\n', nl);
            s = &translated;
        }
        if self.pos > self.buf.len() {
            self.buf.resize(self.pos, '\0');
        }
        if self.pos == self.buf.len() {
            self.buf.extend(s.chars());
            self.pos = self.buf.len();
        } else {
            for c in s.chars() {
                if self.pos < self.buf.len() {
                    self.buf[self.pos] = c;
                } else {
                    self.buf.push(c);
                }
                self.pos += 1;
            }
        }
        n
    }

    fn read(&mut self, n: i64) -> String {
        let start = self.pos.min(self.buf.len());
        let avail = self.buf.len() - start;
        let n = if n < 0 {
            avail
        } else {
            (n as usize).min(avail)
        };
        self.pos = start + n;
        self.buf[start..start + n].iter().collect()
    }

    fn line(&mut self, limit: i64) -> String {
        let start = self.pos.min(self.buf.len());
        let rest = &self.buf[start..];
        let end = match self.readnl {
            // Universal newlines without translation: \r, \n or \r\n end a line.
            None | Some("") if self.decoder.as_ref().is_some_and(|d| !d.translate) => {
                let mut e = rest.len();
                for (i, &c) in rest.iter().enumerate() {
                    if c == '\n' {
                        e = i + 1;
                        break;
                    }
                    if c == '\r' {
                        e = if rest.get(i + 1) == Some(&'\n') {
                            i + 2
                        } else {
                            i + 1
                        };
                        break;
                    }
                }
                e
            }
            Some("\r\n") => {
                let mut e = rest.len();
                for i in 0..rest.len() {
                    if rest[i] == '\r' && rest.get(i + 1) == Some(&'\n') {
                        e = i + 2;
                        break;
                    }
                }
                e
            }
            Some("\r") => match rest.iter().position(|&c| c == '\r') {
                Some(i) => i + 1,
                None => rest.len(),
            },
            _ => match rest.iter().position(|&c| c == '\n') {
                Some(i) => i + 1,
                None => rest.len(),
            },
        };
        let n = if limit >= 0 {
            end.min(limit as usize)
        } else {
            end
        };
        self.pos = start + n;
        rest[..n].iter().collect()
    }
}

fn getvalue(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "getvalue", a, 0, 0)?;
    let s = with(vm, slf, true, |_, s| Ok(s.buf.iter().collect::<String>()))?;
    Ok(new_string(s))
}

fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    let s = with(vm, slf, true, |_, s| Ok(s.read(n)))?;
    Ok(new_string(s))
}

fn readline(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readline", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    let s = with(vm, slf, true, |_, s| Ok(s.line(n)))?;
    Ok(new_string(s))
}

fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "write", a, 1, 1)?;
    let Some(s) = as_str(&r[0]) else {
        let tn = type_name(&r[0]);
        return Err(vm.type_error(format!("string argument expected, got '{tn}'")));
    };
    let n = with(vm, slf, true, |_, st| Ok(st.write_str(s)))?;
    Ok(Value::int(n as i64))
}

fn seek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "seek", a, 1, 2)?;
    let pos = int_arg(vm, &r[0])?;
    let whence = match r.get(1) {
        Some(w) => int_arg(vm, w)?,
        None => 0,
    };
    let p = with(vm, slf, true, |vm, s| {
        match whence {
            0 if pos < 0 => {
                return Err(vm.value_error(format!("Negative seek position {pos}")));
            }
            0 => s.pos = pos as usize,
            1 | 2 if pos != 0 => {
                let what = if whence == 1 { "cur" } else { "end" };
                return Err(vm.err(
                    crate::world::types().os_error,
                    format!("Can't do nonzero {what}-relative seeks"),
                ));
            }
            1 => {}
            2 => s.pos = s.buf.len(),
            _ => {
                return Err(
                    vm.value_error(format!("Invalid whence ({whence}, should be 0, 1 or 2)"))
                );
            }
        }
        Ok(s.pos)
    })?;
    Ok(Value::int(p as i64))
}

fn tell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "tell", a, 0, 0)?;
    let p = with(vm, slf, true, |_, s| Ok(s.pos))?;
    Ok(Value::int(p as i64))
}

fn truncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "truncate", a, 0, 1)?;
    let size = match r.first() {
        Some(v) if !v.is_none() => Some(int_arg(vm, v)?),
        _ => None,
    };
    let n = with(vm, slf, true, |vm, s| {
        let n = size.unwrap_or(s.pos as i64);
        if n < 0 {
            return Err(vm.value_error(format!("Negative size value {n}")));
        }
        if (n as usize) < s.buf.len() {
            s.buf.truncate(n as usize);
        }
        Ok(n)
    })?;
    Ok(Value::int(n))
}

fn true_if_open(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "readable")?;
    with(vm, slf, true, |_, _| Ok(()))?;
    Ok(Value::bool(true))
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "close", a, 0, 0)?;
    with(vm, slf, false, |_, s| {
        s.closed = true;
        s.buf = Vec::new();
        Ok(())
    })?;
    Ok(Value::none())
}

fn closed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "closed")?;
    let c = with(vm, slf, false, |_, s| Ok(s.closed))?;
    Ok(Value::bool(c))
}

fn line_buffering(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "line_buffering")?;
    with(vm, slf, true, |_, _| Ok(()))?;
    Ok(Value::bool(false))
}

fn newlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "newlines")?;
    with(vm, slf, true, |_, s| {
        Ok(match &s.decoder {
            Some(d) => d.newlines(),
            None => Value::none(),
        })
    })
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__next__")?;
    let line = if super::is_exact(slf, &super::io_types().string_io) {
        new_string(with(vm, slf, true, |_, s| Ok(s.line(-1)))?)
    } else {
        let v = super::call_method(vm, slf, "readline", &[])?;
        if as_str(&v).is_none() {
            let tn = type_name(&v);
            return Err(vm.err(
                crate::world::types().os_error,
                format!("readline() should have returned a str object, not '{tn}'"),
            ));
        }
        v
    };
    if as_str(&line).is_some_and(|s| s.is_empty()) {
        return Err(super::stop_iteration(vm));
    }
    Ok(line)
}
