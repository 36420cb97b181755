//! `Unpickler` (pickle bytes -> objects) and the module's `load`/`loads`.
//!
//! One `load` runs a [`Loader`]: CPython's opcode loop over an input buffer (the whole
//! data for `loads`; for a file, what `peek`/`read`/`readline` returned, read exactly
//! as CPython reads so the file is left just past the pickle), the value stack with its
//! separate mark stack (the "fence" below which an opcode may not pop), and the memo,
//! taken out of the unpickler for the call.
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use num_bigint::BigInt;
use parking_lot::Mutex;

use super::opcodes::*;
use super::pickler::{deep_attribute, dotted_path, method_ref, reconstruct};
use super::{is_unpickling_error, lookup_attr, repr_of, unpickling_error};
use crate::modules::native_args::{bind, getset, methods, new_args, object_type, receiver, this};
use crate::native_payload;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::set::SetObj;
use crate::types::str::{as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

#[derive(Default)]
pub(super) struct UState {
    read: Option<Value>,
    readline: Option<Value>,
    readinto: Option<Value>,
    peek: Option<Value>,
    buffers: Option<Value>,
    encoding: String,
    errors: String,
    pers: Option<(Value, bool)>,
    pub memo: Vec<Option<Value>>,
}

pub struct UnpicklerObj {
    pub(super) st: Mutex<UState>,
    /// The protocol of the pickle being loaded and `fix_imports`: read by `find_class`,
    /// which Python code may call while a load runs.
    proto: AtomicU8,
    fix_imports: AtomicBool,
}
native_payload!(UnpicklerObj, UNPICKLER);
static UNPICKLER_T: NativeType = NativeType {
    new: Some(unpickler_new),
    has_init: true,
    ..NativeType::of::<UnpicklerObj>()
};

pub fn make_type() -> Value {
    let t = new_type::<UnpicklerObj>(
        "Unpickler",
        "_pickle",
        object_type(),
        Kind::Native,
        &UNPICKLER_T,
        &UNPICKLER,
    );
    methods(
        &t,
        &[
            ("__init__", unpickler_init),
            ("load", unpickler_load),
            ("find_class", unpickler_find_class),
            ("__sizeof__", unpickler_sizeof),
        ],
    );
    crate::modules::native_args::static_new(&t, unpickler_dnew);
    getset(&t, "memo", get_memo, Some(set_memo));
    getset(&t, "persistent_load", get_persload, Some(set_persload));
    t
}

fn unpickler_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        UnpicklerObj {
            st: Mutex::new(UState::default()),
            proto: AtomicU8::new(0),
            fix_imports: AtomicBool::new(false),
        },
    ))
}

fn unpickler_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = new_args(vm, a, UnpicklerObj::class())?;
    unpickler_new(vm, &cls, &rest)
}

pub(super) fn this_unpickler<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a UnpicklerObj> {
    downcast::<UnpicklerObj>(v).ok_or_else(|| {
        let tn = v.type_data().name.clone();
        vm.type_error(format!(
            "descriptor requires a '_pickle.Unpickler' object but received a '{tn}'"
        ))
    })
}

/// The keyword options shared by `Unpickler()`, `load` and `loads`.
struct Options {
    fix_imports: bool,
    encoding: String,
    errors: String,
    buffers: Option<Value>,
}

fn options(vm: &mut Vm, fname: &str, p: &[Option<&Value>]) -> PyResult<Options> {
    let fix_imports = match p[0] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let mut strs = [String::from("ASCII"), String::from("strict")];
    for (i, (name, pos)) in [("encoding", 2), ("errors", 3)].iter().enumerate() {
        if let Some(v) = p[i + 1] {
            match as_str(v) {
                Some(s) => strs[i] = s.to_string(),
                None => {
                    let tn = v.type_data().name.clone();
                    return Err(
                        vm.type_error(format!("{fname}() argument '{name}' must be str, not {tn}"))
                    );
                }
            }
            let _ = pos;
        }
    }
    let buffers = match p[3] {
        Some(b) if !b.is_none() => Some(crate::ops::get_iter(vm, b)?),
        _ => None,
    };
    let [encoding, errors] = strs;
    Ok(Options {
        fix_imports,
        encoding,
        errors,
        buffers,
    })
}

/// The file's methods, as `_Unpickler_SetInputStream` looks them up.
fn input_stream(
    vm: &mut Vm,
    file: &Value,
) -> PyResult<(Value, Value, Option<Value>, Option<Value>)> {
    let peek = lookup_attr(vm, file, "peek")?;
    let readinto = lookup_attr(vm, file, "readinto")?;
    let read = lookup_attr(vm, file, "read")?;
    let readline = lookup_attr(vm, file, "readline")?;
    match (read, readline) {
        (Some(r), Some(l)) => Ok((r, l, readinto, peek)),
        _ => Err(vm.type_error("file must have 'read' and 'readline' attributes")),
    }
}

const OPTION_NAMES: [&str; 5] = ["file", "fix_imports", "encoding", "errors", "buffers"];

fn unpickler_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let p = bind(vm, "Unpickler", &rest, &OPTION_NAMES, 1, 1)?;
    let u = this_unpickler(vm, s)?;
    let old = std::mem::take(&mut *u.st.lock());
    drop(old);
    let Some(file) = p[0] else {
        return Err(vm.type_error("Unpickler() missing required argument 'file' (pos 1)"));
    };
    let (read, readline, readinto, peek) = input_stream(vm, file)?;
    let o = options(vm, "Unpickler", &p[1..])?;
    let pers = method_ref(vm, s, "persistent_load")?;
    u.fix_imports.store(o.fix_imports, Ordering::Relaxed);
    u.proto.store(0, Ordering::Relaxed);
    let mut st = u.st.lock();
    st.read = Some(read);
    st.readline = Some(readline);
    st.readinto = readinto;
    st.peek = peek;
    st.buffers = o.buffers;
    st.encoding = o.encoding;
    st.errors = o.errors;
    st.pers = pers;
    Ok(Value::none())
}

fn unpickler_load(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "load", a, 0, 0)?;
    let u = this_unpickler(vm, s)?;
    let mut ld = {
        let mut st = u.st.lock();
        if st.read.is_none() {
            drop(st);
            let tn = native::tp_name(s.type_data());
            return Err(unpickling_error(
                vm,
                format!("Unpickler.__init__() was not called by {tn}.__init__()"),
            ));
        }
        let memo = std::mem::take(&mut st.memo);
        Loader {
            read: st.read.clone(),
            readline: st.readline.clone(),
            readinto: st.readinto.clone(),
            peek: st.peek.clone(),
            buffers: st.buffers.clone(),
            encoding: st.encoding.clone(),
            errors: st.errors.clone(),
            pers: st.pers.clone(),
            memo_len: memo.iter().filter(|v| v.is_some()).count(),
            memo,
            fix_imports: u.fix_imports.load(Ordering::Relaxed),
            custom_find_class: s.type_raw() != UnpicklerObj::class(),
            me: Some(s.clone()),
            ..Loader::default()
        }
    };
    let r = ld.load(vm);
    // A PEEK-less file may have been dropped; keep the unpickler's view in step.
    let mut st = u.st.lock();
    if st.memo.is_empty() {
        st.memo = std::mem::take(&mut ld.memo);
    }
    if ld.peek.is_none() {
        st.peek = None;
    }
    drop(st);
    r
}

fn unpickler_find_class(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "find_class", a, 2, 2)?;
    let u = this_unpickler(vm, s)?;
    let proto = u.proto.load(Ordering::Relaxed);
    let fix = u.fix_imports.load(Ordering::Relaxed);
    find_class(vm, proto, fix, &r[0], &r[1])
}

fn unpickler_sizeof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__sizeof__", a, 0, 0)?;
    let u = this_unpickler(vm, s)?;
    let n = u.st.lock().memo.len();
    Ok(Value::int(
        (std::mem::size_of::<UnpicklerObj>() + n * 8) as i64,
    ))
}

fn get_memo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "memo", a, 0, 0)?;
    this_unpickler(vm, s)?;
    Ok(super::proxies::unpickler_proxy(s))
}

fn set_memo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "memo", a, 1, 1)?;
    let u = this_unpickler(vm, s)?;
    let obj = &r[0];
    let memo = if let Some(src) = super::proxies::proxied_unpickler(obj) {
        let src = this_unpickler(vm, &src)?;
        src.st.lock().memo.clone()
    } else if let Some(d) = obj.downcast::<DictObj>() {
        let mut memo: Vec<Option<Value>> = Vec::new();
        for (k, v) in d.items() {
            if crate::types::int::as_int(&k).is_none() {
                return Err(vm.type_error("memo key must be integers"));
            }
            let idx = super::c_long(vm, &k)?;
            if idx < 0 {
                return Err(vm.value_error("memo key must be positive integers."));
            }
            let idx = idx as usize;
            if idx >= memo.len() {
                memo.resize(idx + 1, None);
            }
            memo[idx] = Some(v);
        }
        memo
    } else {
        let tn = native::tp_name(obj.type_data());
        return Err(vm.type_error(format!(
            "'memo' attribute must be an UnpicklerMemoProxy object or dict, not {tn}"
        )));
    };
    let old = std::mem::replace(&mut u.st.lock().memo, memo);
    drop(old);
    Ok(Value::none())
}

fn get_persload(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "persistent_load", a, 0, 0)?;
    let u = this_unpickler(vm, s)?;
    let f = u.st.lock().pers.clone();
    match f {
        Some(f) => Ok(reconstruct(&f, s)),
        None => Err(vm.attribute_error("persistent_load")),
    }
}

fn set_persload(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "persistent_load", a, 1, 1)?;
    let u = this_unpickler(vm, s)?;
    if !crate::ops::callable(&r[0]) {
        return Err(vm.type_error("persistent_load must be a callable taking one argument"));
    }
    let old = u.st.lock().pers.replace((r[0].clone(), false));
    drop(old);
    Ok(Value::none())
}

/// `find_class(module_name, global_name)`: the global, imported (with the 2.x names of
/// `_compat_pickle` mapped for old protocols).
fn find_class(
    vm: &mut Vm,
    proto: u8,
    fix_imports: bool,
    module_name: &Value,
    global_name: &Value,
) -> PyResult<Value> {
    let mut module_name = module_name.clone();
    let mut global_name = global_name.clone();
    if proto < 3 && fix_imports {
        let names = super::state_dict(vm, "_compat_pickle", "NAME_MAPPING")?;
        let key = TupleObj::from_items([module_name.clone(), global_name.clone()]);
        let item = match names.downcast::<DictObj>() {
            Some(d) => d.get(vm, &key)?,
            None => None,
        };
        if let Some(item) = item {
            let pair = match item.downcast::<TupleObj>() {
                Some(t) if t.items.len() == 2 => t.items.to_vec(),
                _ => {
                    let tn = native::tp_name(item.type_data());
                    return Err(vm.runtime_error(format!(
                        "_compat_pickle.NAME_MAPPING values should be 2-tuples, not {tn}"
                    )));
                }
            };
            if as_str(&pair[0]).is_none() || as_str(&pair[1]).is_none() {
                let a = native::tp_name(pair[0].type_data());
                let b = native::tp_name(pair[1].type_data());
                return Err(vm.runtime_error(format!(
                    "_compat_pickle.NAME_MAPPING values should be pairs of str, not ({a}, {b})"
                )));
            }
            module_name = pair[0].clone();
            global_name = pair[1].clone();
        } else {
            let imports = super::state_dict(vm, "_compat_pickle", "IMPORT_MAPPING")?;
            let item = match imports.downcast::<DictObj>() {
                Some(d) => d.get(vm, &module_name)?,
                None => None,
            };
            if let Some(item) = item {
                if as_str(&item).is_none() {
                    let tn = native::tp_name(item.type_data());
                    return Err(vm.runtime_error(format!(
                        "_compat_pickle.IMPORT_MAPPING values should be strings, not {tn}"
                    )));
                }
                module_name = item;
            }
        }
    }
    let Some(m) = as_str(&module_name) else {
        return Err(vm.type_error(
            "module name must be str, not ".to_string() + &module_name.type_data().name,
        ));
    };
    let module = crate::import::import_module(vm, m)?;
    if proto >= 4 {
        let dotted = dotted_path(vm, Some(&module), &global_name)?;
        if let Some((v, _)) = deep_attribute(vm, &module, &dotted)? {
            return Ok(v);
        }
    } else if let Some(n) = as_str(&global_name)
        && let Some(v) = lookup_attr(vm, &module, n)?
    {
        return Ok(v);
    }
    let nr = repr_of(vm, &global_name)?;
    let mr = repr_of(vm, &module)?;
    Err(vm.attribute_error(format!("Can't get attribute {nr} on {mr}")))
}

// ---- load / loads ------------------------------------------------------------------------

/// `load(file, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=())`.
pub fn module_load(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(vm, "load", a, &OPTION_NAMES, 1, 1)?;
    let file = p[0].cloned().unwrap_or_else(Value::none);
    let (read, readline, readinto, peek) = input_stream(vm, &file)?;
    let o = options(vm, "load", &p[1..])?;
    let mut ld = Loader {
        read: Some(read),
        readline: Some(readline),
        readinto,
        peek,
        ..Loader::with(o)
    };
    ld.load(vm)
}

/// `loads(data, /, *, fix_imports=True, encoding='ASCII', errors='strict', buffers=())`.
pub fn module_loads(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(vm, "loads", a, &OPTION_NAMES, 1, 1)?;
    let data = p[0].cloned().unwrap_or_else(Value::none);
    let o = options(vm, "loads", &p[1..])?;
    let mut ld = Loader::with(o);
    ld.set_input(vm, &data)?;
    ld.load(vm)
}

// ---- the loader --------------------------------------------------------------------------

#[derive(Default)]
struct Loader {
    input: Vec<u8>,
    /// Next byte of `input` to read (CPython's `next_read_idx`).
    pos: usize,
    /// Start of the bytes `peek` returned that the file has not skipped yet.
    prefetched: usize,
    read: Option<Value>,
    readline: Option<Value>,
    readinto: Option<Value>,
    peek: Option<Value>,
    buffers: Option<Value>,
    encoding: String,
    errors: String,
    pers: Option<(Value, bool)>,
    memo: Vec<Option<Value>>,
    memo_len: usize,
    stack: Vec<Value>,
    marks: Vec<usize>,
    proto: u8,
    fix_imports: bool,
    /// The Unpickler object (its hooks and `find_class`), None for `load`/`loads`.
    me: Option<Value>,
    /// `find_class` may be overridden (the unpickler is of a subclass).
    custom_find_class: bool,
}

type Res<T> = Result<T, PyErr>;

impl Loader {
    fn with(o: Options) -> Loader {
        Loader {
            encoding: o.encoding,
            errors: o.errors,
            buffers: o.buffers,
            fix_imports: o.fix_imports,
            ..Loader::default()
        }
    }

    fn set_input(&mut self, vm: &mut Vm, data: &Value) -> Res<usize> {
        match crate::modules::buffer::bytes_like(data) {
            Some(b) => {
                self.input = b.into_owned();
                self.pos = 0;
                self.prefetched = self.input.len();
                Ok(self.input.len())
            }
            None => Err(crate::modules::buffer::not_bytes_like(vm, data)),
        }
    }

    fn truncated(vm: &mut Vm) -> PyErr {
        unpickling_error(vm, "pickle data was truncated")
    }

    fn skip_consumed(&mut self, vm: &mut Vm) -> Res<()> {
        if self.pos <= self.prefetched {
            return Ok(());
        }
        let consumed = self.pos - self.prefetched;
        if let Some(r) = self.read.clone() {
            vm.call(&r, &[Value::int(consumed as i64)])?;
        }
        self.prefetched = self.pos;
        Ok(())
    }

    /// Refill `input` from the file with at least `n` bytes if it has them (None:
    /// a whole line); returns how many bytes `input` now holds.
    fn read_from_file(&mut self, vm: &mut Vm, n: Option<usize>) -> Res<usize> {
        self.skip_consumed(vm)?;
        let data = match n {
            None => {
                let rl = self.readline.clone().unwrap_or_else(Value::none);
                vm.call(&rl, &[])?
            }
            Some(n) => {
                if n < PREFETCH
                    && let Some(peek) = self.peek.clone()
                {
                    match vm.call(&peek, &[Value::int(PREFETCH as i64)]) {
                        Ok(d) => {
                            let got = self.set_input(vm, &d)?;
                            self.prefetched = 0;
                            if n <= got {
                                return Ok(n);
                            }
                        }
                        Err(e) if vm.err_matches(&e, types().not_implemented_error) => {
                            self.peek = None;
                        }
                        Err(e) => return Err(e),
                    }
                }
                let r = self.read.clone().unwrap_or_else(Value::none);
                vm.call(&r, &[Value::int(n as i64)])?
            }
        };
        self.set_input(vm, &data)
    }

    /// `n` bytes: their start in `input`.
    #[inline]
    fn read(&mut self, vm: &mut Vm, n: usize) -> Res<usize> {
        if n <= self.input.len() - self.pos {
            let s = self.pos;
            self.pos += n;
            return Ok(s);
        }
        self.read_slow(vm, n)
    }

    #[cold]
    fn read_slow(&mut self, vm: &mut Vm, n: usize) -> Res<usize> {
        if self.read.is_none() {
            return Err(Self::truncated(vm));
        }
        let got = self.read_from_file(vm, Some(n))?;
        if got < n {
            return Err(Self::truncated(vm));
        }
        self.pos = n;
        Ok(0)
    }

    /// `n` bytes copied out (large payloads; a file is read into them directly).
    fn read_into(&mut self, vm: &mut Vm, n: usize) -> Res<Vec<u8>> {
        let avail = self.input.len() - self.pos;
        let take = avail.min(n);
        let mut out = Vec::with_capacity(n);
        out.extend_from_slice(&self.input[self.pos..self.pos + take]);
        self.pos += take;
        if out.len() == n {
            return Ok(out);
        }
        if self.read.is_none() {
            return Err(Self::truncated(vm));
        }
        self.skip_consumed(vm)?;
        let rest = n - out.len();
        match self.readinto.clone() {
            None => {
                let r = self.read.clone().unwrap_or_else(Value::none);
                let data = vm.call(&r, &[Value::int(rest as i64)])?;
                let Some(b) = data.downcast::<BytesObj>() else {
                    let tr = repr_of(vm, &data.type_of())?;
                    return Err(vm.value_error(format!("read() returned non-bytes object ({tr})")));
                };
                if b.data.len() < rest {
                    return Err(Self::truncated(vm));
                }
                out.extend_from_slice(&b.data[..rest]);
            }
            Some(ri) => {
                let buf = ByteArrayObj::new_value(vec![0; rest]);
                let got = vm.call(&ri, std::slice::from_ref(&buf))?;
                let got = super::c_long(vm, &got)?;
                if got < 0 {
                    return Err(vm.value_error("readinto() returned negative size"));
                }
                if (got as usize) < rest {
                    return Err(Self::truncated(vm));
                }
                if let Some(b) = buf.downcast::<ByteArrayObj>() {
                    b.data.read(|d| out.extend_from_slice(&d[..rest]));
                }
            }
        }
        Ok(out)
    }

    /// A line, with its newline: its bounds in `input`.
    fn readline(&mut self, vm: &mut Vm) -> Res<(usize, usize)> {
        if let Some(i) = self.input[self.pos..].iter().position(|&b| b == b'\n') {
            let s = self.pos;
            self.pos += i + 1;
            return Ok((s, self.pos));
        }
        if self.read.is_none() {
            return Err(Self::truncated(vm));
        }
        let n = self.read_from_file(vm, None)?;
        if n == 0 || self.input[n - 1] != b'\n' {
            return Err(Self::truncated(vm));
        }
        self.pos = n;
        Ok((0, n))
    }

    fn line(&mut self, vm: &mut Vm, min: usize) -> Res<Vec<u8>> {
        let (s, e) = self.readline(vm)?;
        if e - s < min {
            return Err(Self::truncated(vm));
        }
        Ok(self.input[s..e - 1].to_vec())
    }

    // ---- the stack ----

    #[inline]
    fn fence(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn underflow(&self, vm: &mut Vm) -> PyErr {
        unpickling_error(
            vm,
            if self.marks.is_empty() {
                "unpickling stack underflow"
            } else {
                "unexpected MARK found"
            },
        )
    }

    #[inline]
    fn pop(&mut self, vm: &mut Vm) -> Res<Value> {
        if self.stack.len() <= self.fence() {
            return Err(self.underflow(vm));
        }
        Ok(self.stack.pop().unwrap_or_else(Value::none))
    }

    fn top(&self, vm: &mut Vm) -> Res<Value> {
        if self.stack.len() <= self.fence() {
            return Err(self.underflow(vm));
        }
        Ok(self.stack[self.stack.len() - 1].clone())
    }

    fn marker(&mut self, vm: &mut Vm) -> Res<usize> {
        match self.marks.pop() {
            Some(m) => Ok(m),
            None => Err(unpickling_error(vm, "could not find MARK")),
        }
    }

    fn pop_tuple(&mut self, vm: &mut Vm, start: usize) -> Res<Value> {
        if start < self.fence() {
            return Err(self.underflow(vm));
        }
        let items = self.stack.split_off(start);
        Ok(TupleObj::new_value(items))
    }

    fn memo_put(&mut self, idx: usize, v: Value) {
        if idx >= self.memo.len() {
            let n = (idx * 2).max(idx + 1).max(32);
            self.memo.resize(n, None);
        }
        if self.memo[idx].replace(v).is_none() {
            self.memo_len += 1;
        }
    }

    fn memo_get(&mut self, vm: &mut Vm, idx: usize) -> Res<()> {
        match self.memo.get(idx).cloned().flatten() {
            Some(v) => {
                self.stack.push(v);
                Ok(())
            }
            None => Err(unpickling_error(
                vm,
                format!("Memo value not found at index {idx}"),
            )),
        }
    }

    fn call_find_class(&mut self, vm: &mut Vm, module: &Value, name: &Value) -> Res<Value> {
        if let Some(me) = self.me.clone() {
            if let Some(u) = downcast::<UnpicklerObj>(&me) {
                u.proto.store(self.proto, Ordering::Relaxed);
            }
            if self.custom_find_class {
                let f = crate::ops::getattr_str(vm, &me, "find_class")?;
                return vm.call(&f, &[module.clone(), name.clone()]);
            }
        }
        find_class(vm, self.proto, self.fix_imports, module, name)
    }

    fn call_pers(&mut self, vm: &mut Vm, pid: Value) -> Res<Value> {
        match (self.pers.clone(), self.me.clone()) {
            (Some((f, true)), Some(me)) => vm.call(&f, &[me, pid]),
            (Some((f, _)), _) => vm.call(&f, &[pid]),
            (None, _) => Err(unpickling_error(
                vm,
                "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
            )),
        }
    }

    // ---- the loop ----

    fn load(&mut self, vm: &mut Vm) -> Res<Value> {
        self.marks.clear();
        self.stack.clear();
        self.proto = 0;
        loop {
            let op = match self.read(vm, 1) {
                Ok(s) => self.input[s],
                Err(e) => {
                    if is_unpickling_error(vm, &e) {
                        return Err(vm.err(types().eof_error, "Ran out of input"));
                    }
                    return Err(e);
                }
            };
            if op == STOP {
                break;
            }
            self.step(vm, op)?;
        }
        self.skip_consumed(vm)?;
        let v = self.pop(vm)?;
        self.stack.clear();
        Ok(v)
    }

    fn step(&mut self, vm: &mut Vm, op: u8) -> Res<()> {
        match op {
            NONE => self.stack.push(Value::none()),
            NEWTRUE => self.stack.push(Value::bool(true)),
            NEWFALSE => self.stack.push(Value::bool(false)),
            BININT => {
                let s = self.read(vm, 4)?;
                let b = &self.input[s..s + 4];
                let v = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                self.stack.push(Value::int(v as i64));
            }
            BININT1 => {
                let s = self.read(vm, 1)?;
                self.stack.push(Value::int(self.input[s] as i64));
            }
            BININT2 => {
                let s = self.read(vm, 2)?;
                let v = u16::from_le_bytes([self.input[s], self.input[s + 1]]);
                self.stack.push(Value::int(v as i64));
            }
            INT => self.load_int(vm)?,
            LONG => {
                let mut l = self.line(vm, 2)?;
                if l.last() == Some(&b'L') {
                    l.pop();
                }
                let v = int_from_text(vm, &l)?;
                self.stack.push(v);
            }
            LONG1 | LONG4 => {
                let n = if op == LONG1 { 1 } else { 4 };
                let s = self.read(vm, n)?;
                let size = if n == 1 {
                    self.input[s] as i64
                } else {
                    let b = &self.input[s..s + 4];
                    i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64
                };
                if size < 0 {
                    return Err(unpickling_error(vm, "LONG pickle has negative byte count"));
                }
                let v = if size == 0 {
                    Value::int(0)
                } else {
                    let s = self.read(vm, size as usize)?;
                    Value::bigint(BigInt::from_signed_bytes_le(
                        &self.input[s..s + size as usize],
                    ))
                };
                self.stack.push(v);
            }
            FLOAT => {
                let l = self.line(vm, 2)?;
                let v = match std::str::from_utf8(&l).ok().and_then(parse_float) {
                    Some(f) => f,
                    None => return Err(vm.value_error("could not convert string to float")),
                };
                self.stack.push(Value::float(v));
            }
            BINFLOAT => {
                let s = self.read(vm, 8)?;
                let mut b = [0u8; 8];
                b.copy_from_slice(&self.input[s..s + 8]);
                self.stack.push(Value::float(f64::from_be_bytes(b)));
            }
            SHORT_BINBYTES | BINBYTES | BINBYTES8 => {
                let n = match op {
                    SHORT_BINBYTES => 1,
                    BINBYTES => 4,
                    _ => 8,
                };
                let size = self.size(vm, n, "BINBYTES")?;
                let data = self.payload(vm, size)?;
                self.stack.push(BytesObj::new_value(data));
            }
            BYTEARRAY8 => {
                let size = self.size(vm, 8, "BYTEARRAY8")?;
                let data = self.payload(vm, size)?;
                self.stack.push(ByteArrayObj::new_value(data));
            }
            NEXT_BUFFER => {
                let Some(it) = self.buffers.clone() else {
                    return Err(unpickling_error(
                        vm,
                        "pickle stream refers to out-of-band data but no *buffers* argument was given",
                    ));
                };
                match crate::ops::next(vm, &it)? {
                    Some(b) => self.stack.push(b),
                    None => {
                        return Err(unpickling_error(vm, "not enough out-of-band buffers"));
                    }
                }
            }
            READONLY_BUFFER => {
                let obj = self.top(vm)?;
                let view = crate::types::memoryview::new_view(vm, &obj)?;
                let ro = crate::ops::getattr_str(vm, &view, "readonly")?;
                if !ro.is_true_singleton() {
                    let f = crate::ops::getattr_str(vm, &view, "toreadonly")?;
                    let v = vm.call(&f, &[])?;
                    let n = self.stack.len();
                    self.stack[n - 1] = v;
                }
            }
            SHORT_BINSTRING | BINSTRING => {
                let n = if op == SHORT_BINSTRING { 1 } else { 4 };
                let size = self.size(vm, n, "BINSTRING")?;
                let s = self.read(vm, size)?;
                let data = self.input[s..s + size].to_vec();
                let v = self.decode_py2(vm, data)?;
                self.stack.push(v);
            }
            STRING => {
                let l = self.line(vm, 1)?;
                let len = l.len();
                if len < 2 || l[0] != l[len - 1] || (l[0] != b'\'' && l[0] != b'"') {
                    return Err(unpickling_error(
                        vm,
                        "the STRING opcode argument must be quoted",
                    ));
                }
                let inner = BytesObj::new_value(l[1..len - 1].to_vec());
                let f = super::module_attr(vm, "codecs", "escape_decode")?;
                let r = vm.call(&f, &[inner])?;
                let b = crate::ops::getitem(vm, &r, &Value::int(0))?;
                let data = crate::types::bytes::as_bytes(&b).unwrap_or_default();
                let v = self.decode_py2(vm, data)?;
                self.stack.push(v);
            }
            UNICODE => {
                let l = self.line(vm, 1)?;
                let v = raw_unicode_escape_decode(vm, &l)?;
                self.stack.push(v);
            }
            SHORT_BINUNICODE | BINUNICODE | BINUNICODE8 => {
                let n = match op {
                    SHORT_BINUNICODE => 1,
                    BINUNICODE => 4,
                    _ => 8,
                };
                let size = self.size(vm, n, "BINUNICODE")?;
                let s = self.read(vm, size)?;
                let v = utf8_surrogatepass(vm, &self.input[s..s + size])?;
                self.stack.push(v);
            }
            EMPTY_TUPLE => self.counted_tuple(vm, 0)?,
            TUPLE1 => self.counted_tuple(vm, 1)?,
            TUPLE2 => self.counted_tuple(vm, 2)?,
            TUPLE3 => self.counted_tuple(vm, 3)?,
            TUPLE => {
                let i = self.marker(vm)?;
                let n = self.stack.len() - i;
                self.counted_tuple(vm, n)?;
            }
            EMPTY_LIST => self.stack.push(ListObj::new_value(Vec::new())),
            EMPTY_DICT => self.stack.push(DictObj::new_value()),
            EMPTY_SET => self.stack.push(Value::alloc(SetObj::new())),
            LIST => {
                let i = self.marker(vm)?;
                let items = self.stack.split_off(i);
                self.stack.push(ListObj::new_value(items));
            }
            DICT => {
                let i = self.marker(vm)?;
                let j = self.stack.len();
                if !(j - i).is_multiple_of(2) {
                    return Err(unpickling_error(vm, "odd number of items for DICT"));
                }
                let d = DictObj::new();
                let items = self.stack.split_off(i);
                for kv in items.chunks(2) {
                    dict_set(vm, &d, &kv[0], &kv[1])?;
                }
                self.stack.push(Value::alloc(d));
            }
            FROZENSET => {
                let i = self.marker(vm)?;
                let items = self.stack.split_off(i);
                let s = SetObj::new();
                for x in items {
                    s.add(vm, x)?;
                }
                let fs = Value::alloc_with_type(&Value::from_borrowed(types().frozenset), s);
                self.stack.push(fs);
            }
            ADDITEMS => self.load_additems(vm)?,
            OBJ => {
                let i = self.marker(vm)?;
                if self.stack.len() < i + 1 {
                    return Err(self.underflow(vm));
                }
                let args = self.pop_tuple(vm, i + 1)?;
                let cls = self.pop(vm)?;
                let obj = instantiate(vm, &cls, &args)?;
                self.stack.push(obj);
            }
            INST => {
                let i = self.marker(vm)?;
                let m = self.line(vm, 2)?;
                let module = ascii_str(vm, &m)?;
                let c = self.line(vm, 2)?;
                let name = ascii_str(vm, &c)?;
                let cls = self.call_find_class(vm, &module, &name)?;
                let args = self.pop_tuple(vm, i)?;
                let obj = instantiate(vm, &cls, &args)?;
                self.stack.push(obj);
            }
            NEWOBJ | NEWOBJ_EX => self.load_newobj(vm, op == NEWOBJ_EX)?,
            GLOBAL => {
                let m = self.line(vm, 2)?;
                let module = utf8_strict(vm, &m)?;
                let c = self.line(vm, 2)?;
                let name = utf8_strict(vm, &c)?;
                let g = self.call_find_class(vm, &module, &name)?;
                self.stack.push(g);
            }
            STACK_GLOBAL => {
                let name = self.pop(vm)?;
                let module = self.pop(vm)?;
                if module.type_raw() != types().str || name.type_raw() != types().str {
                    return Err(unpickling_error(vm, "STACK_GLOBAL requires str"));
                }
                let g = self.call_find_class(vm, &module, &name)?;
                self.stack.push(g);
            }
            APPEND => {
                let n = self.stack.len();
                if n < 1 || n - 1 <= self.fence() {
                    return Err(self.underflow(vm));
                }
                self.do_append(vm, n - 1)?;
            }
            APPENDS => {
                let i = self.marker(vm)?;
                self.do_append(vm, i)?;
            }
            BUILD => self.load_build(vm)?,
            DUP => {
                let v = self.top(vm)?;
                self.stack.push(v);
            }
            BINGET => {
                let s = self.read(vm, 1)?;
                let idx = self.input[s] as usize;
                self.memo_get(vm, idx)?;
            }
            LONG_BINGET => {
                let s = self.read(vm, 4)?;
                let b = &self.input[s..s + 4];
                let idx = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
                self.memo_get(vm, idx)?;
            }
            GET => {
                let l = self.line(vm, 2)?;
                let idx = self.text_index(vm, &l)?;
                if idx < 0 {
                    return Err(unpickling_error(
                        vm,
                        format!("Memo value not found at index {idx}"),
                    ));
                }
                self.memo_get(vm, idx as usize)?;
            }
            MARK => {
                self.marks.push(self.stack.len());
            }
            BINPUT => {
                let s = self.read(vm, 1)?;
                let v = self.top(vm)?;
                self.memo_put(self.input[s] as usize, v);
            }
            LONG_BINPUT => {
                let s = self.read(vm, 4)?;
                let v = self.top(vm)?;
                let b = &self.input[s..s + 4];
                let idx = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
                self.memo_put(idx, v);
            }
            PUT => {
                let l = self.line(vm, 2)?;
                let v = self.top(vm)?;
                let idx = self.text_index(vm, &l)?;
                if idx < 0 {
                    return Err(vm.value_error("negative PUT argument"));
                }
                self.memo_put(idx as usize, v);
            }
            MEMOIZE => {
                let v = self.top(vm)?;
                self.memo_put(self.memo_len, v);
            }
            POP => {
                let n = self.stack.len();
                if self.marks.last() == Some(&n) {
                    self.marks.pop();
                } else if n <= self.fence() {
                    return Err(self.underflow(vm));
                } else {
                    self.stack.pop();
                }
            }
            POP_MARK => {
                let i = self.marker(vm)?;
                self.stack.truncate(i);
            }
            SETITEM => {
                let n = self.stack.len() as isize;
                self.do_setitems(vm, n - 2)?;
            }
            SETITEMS => {
                let i = self.marker(vm)?;
                self.do_setitems(vm, i as isize)?;
            }
            PERSID => {
                if self.pers.is_none() {
                    return Err(unpickling_error(
                        vm,
                        "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
                    ));
                }
                let l = self.line(vm, 1)?;
                if !l.is_ascii() {
                    return Err(unpickling_error(
                        vm,
                        "persistent IDs in protocol 0 must be ASCII strings",
                    ));
                }
                let pid = new_str(std::str::from_utf8(&l).unwrap_or(""));
                let v = self.call_pers(vm, pid)?;
                self.stack.push(v);
            }
            BINPERSID => {
                if self.pers.is_none() {
                    return Err(unpickling_error(
                        vm,
                        "A load persistent id instruction was encountered,\nbut no persistent_load function was specified.",
                    ));
                }
                let pid = self.pop(vm)?;
                let v = self.call_pers(vm, pid)?;
                self.stack.push(v);
            }
            REDUCE => {
                let argtup = self.pop(vm)?;
                let callable = self.pop(vm)?;
                let Some(t) = argtup.downcast::<TupleObj>() else {
                    return Err(vm.type_error("argument list must be a tuple"));
                };
                let args = t.items.to_vec();
                let v = vm.call(&callable, &args)?;
                self.stack.push(v);
            }
            PROTO => {
                let s = self.read(vm, 1)?;
                let p = self.input[s];
                if p as i64 > HIGHEST_PROTOCOL {
                    return Err(vm.value_error(format!("unsupported pickle protocol: {p}")));
                }
                self.proto = p;
            }
            FRAME => {
                let s = self.read(vm, 8)?;
                let mut b = [0u8; 8];
                b.copy_from_slice(&self.input[s..s + 8]);
                let len = u64::from_le_bytes(b);
                if len > isize::MAX as u64 {
                    return Err(vm.overflow_error(format!(
                        "FRAME length exceeds system's maximum of {} bytes",
                        isize::MAX
                    )));
                }
                self.read(vm, len as usize)?;
                self.pos -= len as usize;
            }
            EXT1 | EXT2 | EXT4 => self.load_extension(vm, op)?,
            _ => {
                let msg = if (0x20..=0x7e).contains(&op) && op != b'\'' && op != b'\\' {
                    format!("invalid load key, '{}'.", op as char)
                } else {
                    format!("invalid load key, '\\x{op:02x}'.")
                };
                return Err(unpickling_error(vm, msg));
            }
        }
        Ok(())
    }

    /// A little-endian size of `n` bytes.
    fn size(&mut self, vm: &mut Vm, n: usize, what: &str) -> Res<usize> {
        let s = self.read(vm, n)?;
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(&self.input[s..s + n]);
        let v = u64::from_le_bytes(b);
        if v > isize::MAX as u64 {
            let msg = format!(
                "{what} exceeds system's maximum size of {} bytes",
                isize::MAX
            );
            return Err(if what == "BINSTRING" {
                unpickling_error(vm, msg)
            } else {
                vm.overflow_error(msg)
            });
        }
        Ok(v as usize)
    }

    /// The bytes of a BINBYTES/BYTEARRAY8 payload.
    fn payload(&mut self, vm: &mut Vm, size: usize) -> Res<Vec<u8>> {
        if size <= self.input.len() - self.pos {
            let s = self.pos;
            self.pos += size;
            return Ok(self.input[s..s + size].to_vec());
        }
        self.read_into(vm, size)
    }

    fn text_index(&mut self, vm: &mut Vm, l: &[u8]) -> Res<i64> {
        let v = int_from_text_base(vm, l, 10)?;
        super::c_long(vm, &v)
    }

    fn counted_tuple(&mut self, vm: &mut Vm, n: usize) -> Res<()> {
        if self.stack.len() < n {
            return Err(self.underflow(vm));
        }
        let t = self.pop_tuple(vm, self.stack.len() - n)?;
        self.stack.push(t);
        Ok(())
    }

    fn load_int(&mut self, vm: &mut Vm) -> Res<()> {
        let l = self.line(vm, 2)?;
        let text = std::str::from_utf8(&l).unwrap_or("");
        match strtol(text) {
            Some(x) => {
                if l.len() == 2 && (x == 0 || x == 1) {
                    self.stack.push(Value::bool(x == 1));
                } else {
                    self.stack.push(Value::int(x));
                }
            }
            None => {
                let v = int_from_text(vm, &l)
                    .map_err(|_| vm.value_error("could not convert string to int"))?;
                self.stack.push(v);
            }
        }
        Ok(())
    }

    fn decode_py2(&mut self, vm: &mut Vm, data: Vec<u8>) -> Res<Value> {
        if self.encoding == "bytes" {
            return Ok(BytesObj::new_value(data));
        }
        let enc = self.encoding.to_ascii_lowercase();
        if (enc == "ascii" || enc == "utf-8" || enc == "utf8" || enc == "latin1")
            && self.errors == "strict"
            && data.is_ascii()
        {
            // SAFETY-free fast path: ASCII is valid UTF-8.
            return Ok(new_str(std::str::from_utf8(&data).unwrap_or("")));
        }
        let b = BytesObj::new_value(data);
        let f = crate::ops::getattr_str(vm, &b, "decode")?;
        vm.call(&f, &[new_str(&self.encoding), new_str(&self.errors)])
    }

    fn load_newobj(&mut self, vm: &mut Vm, ex: bool) -> Res<()> {
        let kwargs = if ex { Some(self.pop(vm)?) } else { None };
        let args = self.pop(vm)?;
        let cls = self.pop(vm)?;
        let which = if ex { "NEWOBJ_EX" } else { "NEWOBJ" };
        if crate::types::class::as_type(&cls).is_none() {
            let tn = native::tp_name(cls.type_data());
            return Err(unpickling_error(
                vm,
                format!("{which} class argument must be a type, not {tn}"),
            ));
        }
        let Some(at) = args.downcast::<TupleObj>() else {
            let tn = native::tp_name(args.type_data());
            return Err(unpickling_error(
                vm,
                format!("{which} args argument must be a tuple, not {tn}"),
            ));
        };
        let mut call_args = Vec::with_capacity(at.items.len() + 1);
        call_args.push(cls.clone());
        call_args.extend(at.items.iter().cloned());
        let mut kwnames = Vec::new();
        if let Some(kw) = &kwargs {
            let Some(d) = kw.downcast::<DictObj>() else {
                let tn = native::tp_name(kw.type_data());
                return Err(unpickling_error(
                    vm,
                    format!("{which} kwargs argument must be a dict, not {tn}"),
                ));
            };
            for (k, v) in d.items() {
                call_args.push(v);
                kwnames.push(k);
            }
        }
        let new = crate::ops::getattr_str(vm, &cls, "__new__")?;
        let obj = vm.call_kw(&new, &call_args, &kwnames)?;
        self.stack.push(obj);
        Ok(())
    }

    fn do_append(&mut self, vm: &mut Vm, x: usize) -> Res<()> {
        let len = self.stack.len();
        if x > len || x <= self.fence() {
            return Err(self.underflow(vm));
        }
        if len == x {
            return Ok(());
        }
        let list = self.stack[x - 1].clone();
        let items = self.stack.split_off(x);
        if list.type_raw() == types().list {
            if let Some(l) = list.downcast::<ListObj>() {
                l.items.with(|v| v.extend(items));
            }
            return Ok(());
        }
        if let Some(extend) = lookup_attr(vm, &list, "extend")? {
            vm.call(&extend, &[ListObj::new_value(items)])?;
            return Ok(());
        }
        let append = crate::ops::getattr_str(vm, &list, "append")?;
        for v in items {
            vm.call(&append, &[v])?;
        }
        Ok(())
    }

    fn do_setitems(&mut self, vm: &mut Vm, x: isize) -> Res<()> {
        let len = self.stack.len() as isize;
        if x > len || x <= self.fence() as isize {
            return Err(self.underflow(vm));
        }
        if len == x {
            return Ok(());
        }
        if (len - x) % 2 != 0 {
            return Err(unpickling_error(vm, "odd number of items for SETITEMS"));
        }
        let x = x as usize;
        let dict = self.stack[x - 1].clone();
        let items = self.stack.split_off(x);
        if dict.type_raw() == types().dict
            && let Some(d) = dict.downcast::<DictObj>()
        {
            for kv in items.chunks(2) {
                dict_set(vm, d, &kv[0], &kv[1])?;
            }
            return Ok(());
        }
        for kv in items.chunks(2) {
            crate::ops::setitem(vm, &dict, kv[0].clone(), kv[1].clone())?;
        }
        Ok(())
    }

    fn load_additems(&mut self, vm: &mut Vm) -> Res<()> {
        let mark = self.marker(vm)?;
        let len = self.stack.len();
        if mark > len || mark <= self.fence() {
            return Err(self.underflow(vm));
        }
        if len == mark {
            return Ok(());
        }
        let set = self.stack[mark - 1].clone();
        let items = self.stack.split_off(mark);
        if let Some(s) = set.downcast::<SetObj>() {
            for x in items {
                s.add(vm, x)?;
            }
            return Ok(());
        }
        let add = crate::ops::getattr_str(vm, &set, "add")?;
        for x in items {
            vm.call(&add, &[x])?;
        }
        Ok(())
    }

    fn load_build(&mut self, vm: &mut Vm) -> Res<()> {
        if self.stack.len() < self.fence() + 2 {
            return Err(self.underflow(vm));
        }
        let state = self.pop(vm)?;
        let inst = self.stack[self.stack.len() - 1].clone();
        if let Some(setstate) = lookup_attr(vm, &inst, "__setstate__")? {
            vm.call(&setstate, &[state])?;
            return Ok(());
        }
        let (state, slotstate) = match state.downcast::<TupleObj>() {
            Some(t) if t.items.len() == 2 => (t.items[0].clone(), Some(t.items[1].clone())),
            _ => (state, None),
        };
        if !state.is_none() {
            let Some(sd) = state.downcast::<DictObj>() else {
                return Err(unpickling_error(vm, "state is not a dictionary"));
            };
            let dict = crate::ops::getattr_str(vm, &inst, "__dict__")?;
            for (k, v) in sd.items() {
                let k = match as_str(&k) {
                    Some(s) if k.type_raw() == types().str => crate::world::intern(s),
                    _ => k,
                };
                crate::ops::setitem(vm, &dict, k, v)?;
            }
        }
        if let Some(ss) = slotstate {
            let Some(sd) = ss.downcast::<DictObj>() else {
                return Err(unpickling_error(vm, "slot state is not a dictionary"));
            };
            for (k, v) in sd.items() {
                crate::ops::setattr(vm, &inst, &k, v)?;
            }
        }
        Ok(())
    }

    fn load_extension(&mut self, vm: &mut Vm, op: u8) -> Res<()> {
        let n = match op {
            EXT1 => 1,
            EXT2 => 2,
            _ => 4,
        };
        let s = self.read(vm, n)?;
        let mut b = [0u8; 4];
        b[..n].copy_from_slice(&self.input[s..s + n]);
        let code = if n == 4 {
            i32::from_le_bytes(b) as i64
        } else {
            u32::from_le_bytes(b) as i64
        };
        if code <= 0 {
            return Err(unpickling_error(vm, "EXT specifies code <= 0"));
        }
        let py_code = Value::int(code);
        let cache = super::state_dict(vm, "copyreg", "_extension_cache")?;
        let cache_d = cache.downcast::<DictObj>();
        if let Some(d) = cache_d
            && let Some(obj) = d.get(vm, &py_code)?
        {
            self.stack.push(obj);
            return Ok(());
        }
        let inv = super::state_dict(vm, "copyreg", "_inverted_registry")?;
        let pair = match inv.downcast::<DictObj>() {
            Some(d) => d.get(vm, &py_code)?,
            None => None,
        };
        let Some(pair) = pair else {
            return Err(vm.value_error(format!("unregistered extension code {code}")));
        };
        let items = match pair.downcast::<TupleObj>() {
            Some(t) if t.items.len() == 2 && t.items.iter().all(|x| as_str(x).is_some()) => {
                t.items.to_vec()
            }
            _ => {
                return Err(vm.value_error(format!(
                    "_inverted_registry[{code}] isn't a 2-tuple of strings"
                )));
            }
        };
        let obj = self.call_find_class(vm, &items[0], &items[1])?;
        if let Some(d) = cache.downcast::<DictObj>() {
            d.set(vm, py_code, obj.clone())?;
        }
        self.stack.push(obj);
        Ok(())
    }
}

/// `d[k] = v`; an exact str key takes the dict's str path (its cached hash, one lock).
#[inline]
fn dict_set(vm: &mut Vm, d: &DictObj, k: &Value, v: &Value) -> Res<()> {
    if k.type_raw() == types().str {
        d.set_str_value(k, v.clone());
        return Ok(());
    }
    d.set(vm, k.clone(), v.clone())
}

/// `instantiate` of OBJ and INST: `cls.__new__(cls)` for a class without
/// `__getinitargs__` and no arguments, else `cls(*args)`.
fn instantiate(vm: &mut Vm, cls: &Value, args: &Value) -> Res<Value> {
    let items = args
        .downcast::<TupleObj>()
        .map(|t| t.items.to_vec())
        .unwrap_or_default();
    if items.is_empty()
        && crate::types::class::as_type(cls).is_some()
        && lookup_attr(vm, cls, "__getinitargs__")?.is_none()
    {
        let new = crate::ops::getattr_str(vm, cls, "__new__")?;
        return vm.call(&new, std::slice::from_ref(cls));
    }
    vm.call(cls, &items)
}

/// `strtol(s, &end, 0)` accepting the whole line: None on overflow or junk.
fn strtol(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if t.len() > 2 && (t.starts_with("0x") || t.starts_with("0X")) {
        (16, &t[2..])
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() || !digits.bytes().all(|c| (c as char).is_digit(radix)) {
        return None;
    }
    let v = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

/// `int(text, 0)`: CPython's `PyLong_FromString(s, NULL, 0)`.
fn int_from_text(vm: &mut Vm, l: &[u8]) -> Res<Value> {
    int_from_text_base(vm, l, 0)
}

fn int_from_text_base(vm: &mut Vm, l: &[u8], base: i64) -> Res<Value> {
    let s = String::from_utf8_lossy(l).into_owned();
    let int_t = Value::from_borrowed(types().int);
    vm.call(
        &int_t,
        &[crate::types::str::new_string(s), Value::int(base)],
    )
}

/// `PyOS_string_to_double` of a FLOAT line.
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_start();
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    let neg = lower.starts_with('-');
    let v = match body {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return t.parse::<f64>().ok(),
    };
    Some(if neg { -v } else { v })
}

fn ascii_str(vm: &mut Vm, l: &[u8]) -> Res<Value> {
    if l.is_ascii() {
        return Ok(new_str(std::str::from_utf8(l).unwrap_or("")));
    }
    let b = BytesObj::new_value(l.to_vec());
    let f = crate::ops::getattr_str(vm, &b, "decode")?;
    vm.call(&f, &[new_str("ascii"), new_str("strict")])
}

fn utf8_strict(vm: &mut Vm, l: &[u8]) -> Res<Value> {
    if let Ok(s) = std::str::from_utf8(l) {
        return Ok(new_str(s));
    }
    let b = BytesObj::new_value(l.to_vec());
    let f = crate::ops::getattr_str(vm, &b, "decode")?;
    vm.call(&f, &[new_str("utf-8"), new_str("strict")])
}

/// UTF-8 with encoded lone surrogates allowed (`surrogatepass`).
fn utf8_surrogatepass(vm: &mut Vm, data: &[u8]) -> Res<Value> {
    if let Ok(s) = std::str::from_utf8(data) {
        return Ok(new_str(s));
    }
    if let Some(v) = crate::types::str::from_surrogatepass_utf8(data) {
        return Ok(v);
    }
    let b = BytesObj::new_value(data.to_vec());
    let f = crate::ops::getattr_str(vm, &b, "decode")?;
    vm.call(&f, &[new_str("utf-8"), new_str("surrogatepass")])
}

/// `raw-unicode-escape` decoding of a protocol 0 UNICODE line.
fn raw_unicode_escape_decode(vm: &mut Vm, l: &[u8]) -> Res<Value> {
    let mut out = String::with_capacity(l.len());
    let mut surr = false;
    let mut i = 0;
    while i < l.len() {
        let c = l[i];
        i += 1;
        if c != b'\\' || i >= l.len() {
            out.push(c as char);
            continue;
        }
        let n = match l[i] {
            b'u' => 4,
            b'U' => 8,
            other => {
                out.push('\\');
                out.push(other as char);
                i += 1;
                continue;
            }
        };
        i += 1;
        let hex = l.get(i..i + n).and_then(|h| std::str::from_utf8(h).ok());
        let cp = hex
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        let Some(cp) = cp.filter(|&c| c <= 0x10ffff) else {
            // The codec's own error (truncated escape, out of range).
            let b = BytesObj::new_value(l.to_vec());
            let f = crate::ops::getattr_str(vm, &b, "decode")?;
            return vm.call(&f, &[new_str("raw-unicode-escape")]);
        };
        i += n;
        if (0xD800..0xE000).contains(&cp) {
            surr = true;
            out.push(crate::types::str::surrogate_char(cp));
        } else {
            out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
        }
    }
    Ok(if surr {
        crate::types::str::new_string_flagged(out, true)
    } else {
        crate::types::str::new_string(out)
    })
}
