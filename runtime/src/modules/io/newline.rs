//! Universal newlines: `_io.IncrementalNewlineDecoder` and the Rust decoder behind it
//! (also used directly by StringIO and TextIOWrapper).
use super::{
    IoLock, IoTypes, Native, add_methods, add_property, parse_args, set_state, state_of,
    uninitialized,
};
use crate::builtins::type_name;
use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub const SEEN_LF: u8 = 1;
pub const SEEN_CR: u8 = 2;
pub const SEEN_CRLF: u8 = 4;

/// Translates "\r\n" and "\r" to "\n" (when `translate`) and records which newlines
/// were seen. A "\r" at the end of a non-final chunk is held back until the next
/// chunk says whether a "\n" follows.
#[derive(Clone, Default)]
pub struct NlDecoder {
    pub translate: bool,
    pub pendingcr: bool,
    pub seennl: u8,
    /// The wrapped decoder object (IncrementalNewlineDecoder only), or NULL.
    pub inner: Value,
}

// SAFETY: `inner` is only used by the thread holding the decoder's lock, and objects
// are reference counted atomically by non-owner threads.
unsafe impl Send for NlDecoder {}

impl NlDecoder {
    pub fn new(translate: bool) -> NlDecoder {
        NlDecoder {
            translate,
            ..NlDecoder::default()
        }
    }

    pub fn decode(&mut self, input: &str, fin: bool) -> String {
        let mut s = String::with_capacity(input.len() + 1);
        if self.pendingcr && (!input.is_empty() || fin) {
            s.push('\r');
            self.pendingcr = false;
        }
        s.push_str(input);
        if !fin && s.ends_with('\r') {
            s.pop();
            self.pendingcr = true;
        }
        if !s.contains('\r') {
            if s.contains('\n') {
                self.seennl |= SEEN_LF;
            }
            return s;
        }
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => {
                    self.seennl |= SEEN_LF;
                    i += 1;
                }
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    self.seennl |= SEEN_CRLF;
                    if self.translate {
                        out.push_str(&s[last..i]);
                        out.push('\n');
                        last = i + 2;
                    }
                    i += 2;
                }
                b'\r' => {
                    self.seennl |= SEEN_CR;
                    if self.translate {
                        out.push_str(&s[last..i]);
                        out.push('\n');
                        last = i + 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if !self.translate {
            return s;
        }
        out.push_str(&s[last..]);
        out
    }

    pub fn newlines(&self) -> Value {
        newlines_value(self.seennl)
    }
}

/// The `newlines` attribute for a set of seen newline kinds.
pub fn newlines_value(seen: u8) -> Value {
    let one = |s: &str| new_str(s);
    match seen {
        0 => Value::none(),
        SEEN_LF => one("\n"),
        SEEN_CR => one("\r"),
        SEEN_CRLF => one("\r\n"),
        _ => {
            let mut v = Vec::new();
            if seen & SEEN_CR != 0 {
                v.push(one("\r"));
            }
            if seen & SEEN_LF != 0 {
                v.push(one("\n"));
            }
            if seen & SEEN_CRLF != 0 {
                v.push(one("\r\n"));
            }
            TupleObj::new_value(v)
        }
    }
}

pub fn install(io: &IoTypes) {
    let t = &io.newline_decoder;
    add_methods(
        t,
        &[
            ("__init__", init),
            ("decode", decode),
            ("getstate", getstate),
            ("setstate", setstate),
            ("reset", reset),
        ],
    );
    add_property(t, "newlines", newlines, None);
}

fn with<R>(
    vm: &mut Vm,
    obj: &Value,
    f: impl FnOnce(&mut Vm, &mut NlDecoder) -> PyResult<R>,
) -> PyResult<R> {
    let Some(st) = state_of(obj) else {
        return Err(vm.value_error("IncrementalNewlineDecoder.__init__() not called"));
    };
    let Some(super::IoStateObj {
        s: Native::Decoder(l),
    }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock(vm, obj)?;
    f(vm, &mut g)
}

fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let p = parse_args(
        vm,
        "IncrementalNewlineDecoder",
        a,
        1,
        &["decoder", "translate", "errors"],
        2,
    )?;
    let inner = p[0].cloned().unwrap_or_else(Value::none);
    let translate = match p[1] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    let mut d = NlDecoder::new(translate);
    d.inner = if inner.is_none() { Value::NULL } else { inner };
    set_state(vm, slf, Native::Decoder(IoLock::new(d)))?;
    Ok(Value::none())
}

fn decode(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "decode")?;
    let p = parse_args(vm, "decode", a, 1, &["input", "final"], 1)?;
    let input = p[0].cloned().unwrap_or_else(Value::none);
    let fin = match p[1] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    let inner = with(vm, slf, |_, d| Ok(d.inner.clone()))?;
    let text = if inner.is_null() {
        input
    } else {
        let f = crate::ops::getattr_str(vm, &inner, "decode")?;
        let names = [new_str("final")];
        vm.call_kw(&f, &[input, Value::bool(fin)], &names)?
    };
    let Some(s) = as_str(&text) else {
        let tn = type_name(&text);
        return Err(vm.type_error(format!("decoder should return a string result, not '{tn}'")));
    };
    let s = s.to_string();
    let out = with(vm, slf, |_, d| Ok(d.decode(&s, fin)))?;
    Ok(new_string(out))
}

fn getstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = super::method_pos(vm, "getstate", a, 0, 0)?;
    let (inner, pending) = with(vm, slf, |_, d| Ok((d.inner.clone(), d.pendingcr)))?;
    let (buf, mut flag) = if inner.is_null() {
        (BytesObj::new_value(vec![]), 0i64)
    } else {
        let st = super::call_method(vm, &inner, "getstate", &[])?;
        let items = crate::ops::seq_items_fast(&st).unwrap_or_default();
        if items.len() != 2 {
            return Err(vm.type_error("illegal decoder state"));
        }
        let f = crate::ops::to_isize(vm, &items[1])?;
        (items[0].clone(), f)
    };
    flag = (flag << 1) | pending as i64;
    Ok(TupleObj::from_items([buf, Value::int(flag)]))
}

fn setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = super::method_pos(vm, "setstate", a, 1, 1)?;
    let items = crate::ops::seq_items_fast(&r[0]).unwrap_or_default();
    if items.len() != 2 {
        return Err(vm.type_error("state argument must be a tuple"));
    }
    let flag = crate::ops::to_isize(vm, &items[1])?;
    let inner = with(vm, slf, |_, d| {
        d.pendingcr = flag & 1 != 0;
        Ok(d.inner.clone())
    })?;
    if !inner.is_null() {
        let st = TupleObj::from_items([items[0].clone(), Value::int(flag >> 1)]);
        super::call_method(vm, &inner, "setstate", &[st])?;
    }
    Ok(Value::none())
}

fn reset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = super::method_pos(vm, "reset", a, 0, 0)?;
    let inner = with(vm, slf, |_, d| {
        d.seennl = 0;
        d.pendingcr = false;
        Ok(d.inner.clone())
    })?;
    if !inner.is_null() {
        super::call_method(vm, &inner, "reset", &[])?;
    }
    Ok(Value::none())
}

fn newlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "newlines")?;
    with(vm, slf, |_, d| Ok(d.newlines()))
}
