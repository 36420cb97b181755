//! `Pickler` (objects -> pickle bytes) and the module's `dump`/`dumps`.
//!
//! One `dump` runs a [`Saver`]: the output vector, the open frame, the memo (taken out
//! of the pickler for the call) and the hooks looked up for this pickler. `save` is
//! CPython's `save()`: the atoms (None, bool, int, float) are written without touching
//! the memo, then the memo is checked, then str/bytes, then the containers of exact
//! builtin types, then `reducer_override`, types and functions, the dispatch tables and
//! `__reduce_ex__`/`__reduce__`. Container recursion counts against the recursion
//! limit (`Vm::enter_recursive`) so a deep structure ends in RecursionError.
use std::collections::HashSet;

use parking_lot::Mutex;

use super::memo::Memo;
use super::opcodes::*;
use super::{lookup_attr, pickling_error, protocol_arg, repr_of, str_of};
use crate::modules::native_args::{bind, getset, methods, new_args, object_type, receiver};
use crate::native_payload;
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::func::MethodObj;
use crate::types::int::{IntRef, as_int};
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::set::SetObj;
use crate::types::str::{StrObj, as_str, new_str};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// What `__init__` configured, and the memo kept between `dump` calls.
#[derive(Default)]
pub(super) struct PState {
    /// `file.write`; None until `__init__` ran.
    pub write: Option<Value>,
    pub proto: u8,
    pub bin: i64,
    pub fast: i64,
    pub fix_imports: bool,
    /// `persistent_id`: the function, and whether it is a method of this pickler
    /// (then called with the pickler first; kept apart to avoid a reference cycle).
    pub pers: Option<(Value, bool)>,
    pub dispatch_table: Option<Value>,
    pub buffer_callback: Option<Value>,
    pub memo: Memo,
}

pub struct PicklerObj {
    pub(super) st: Mutex<PState>,
}
native_payload!(PicklerObj, PICKLER);
static PICKLER_T: NativeType = NativeType {
    new: Some(pickler_new),
    has_init: true,
    ..NativeType::of::<PicklerObj>()
};

pub fn make_type() -> Value {
    let t = new_type::<PicklerObj>(
        "Pickler",
        "_pickle",
        object_type(),
        Kind::Native,
        &PICKLER_T,
        &PICKLER,
    );
    methods(
        &t,
        &[
            ("__init__", pickler_init),
            ("dump", pickler_dump),
            ("clear_memo", pickler_clear_memo),
            ("__sizeof__", pickler_sizeof),
        ],
    );
    crate::modules::native_args::static_new(&t, pickler_dnew);
    getset(&t, "memo", get_memo, Some(set_memo));
    getset(&t, "persistent_id", get_persid, Some(set_persid));
    getset(&t, "dispatch_table", get_dispatch, Some(set_dispatch));
    getset(&t, "bin", get_bin, Some(set_bin));
    getset(&t, "fast", get_fast, Some(set_fast));
    t
}

fn pickler_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        PicklerObj {
            st: Mutex::new(PState::default()),
        },
    ))
}

fn pickler_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = new_args(vm, a, PicklerObj::class())?;
    pickler_new(vm, &cls, &rest)
}

pub(super) fn this_pickler<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a PicklerObj> {
    downcast::<PicklerObj>(v).ok_or_else(|| {
        let tn = v.type_data().name.clone();
        vm.type_error(format!(
            "descriptor requires a '_pickle.Pickler' object but received a '{tn}'"
        ))
    })
}

/// `init_method_ref`: `obj.name`, split into the function and "bound to obj" when it
/// is a method of `obj` itself.
pub(super) fn method_ref(vm: &mut Vm, obj: &Value, name: &str) -> PyResult<Option<(Value, bool)>> {
    let Some(f) = lookup_attr(vm, obj, name)? else {
        return Ok(None);
    };
    if let Some(m) = f.downcast_exact::<MethodObj>()
        && m.self_.is(obj)
    {
        return Ok(Some((m.func.clone(), true)));
    }
    Ok(Some((f, false)))
}

/// The bound method a split reference stands for (the `persistent_id` getter).
pub(super) fn reconstruct(f: &(Value, bool), obj: &Value) -> Value {
    if f.1 {
        Value::alloc(MethodObj {
            func: f.0.clone(),
            self_: obj.clone(),
        })
    } else {
        f.0.clone()
    }
}

fn pickler_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let p = bind(
        vm,
        "Pickler",
        &rest,
        &["file", "protocol", "fix_imports", "buffer_callback"],
        1,
        4,
    )?;
    let pk = this_pickler(vm, s)?;
    // A second `__init__` starts over.
    let old = std::mem::take(&mut *pk.st.lock());
    drop(old);
    let proto = protocol_arg(vm, p[1])?;
    let fix = match p[2] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let Some(file) = p[0] else {
        return Err(vm.type_error("Pickler() missing required argument 'file' (pos 1)"));
    };
    let Some(write) = lookup_attr(vm, file, "write")? else {
        return Err(vm.type_error("file must have a 'write' attribute"));
    };
    let cb = buffer_callback_arg(vm, p[3], proto)?;
    {
        let mut st = pk.st.lock();
        st.proto = proto;
        st.bin = (proto > 0) as i64;
        st.fix_imports = fix && proto < 3;
        st.write = Some(write);
        st.buffer_callback = cb;
        st.fast = 0;
    }
    let pers = method_ref(vm, s, "persistent_id")?;
    let dispatch = lookup_attr(vm, s, "dispatch_table")?;
    let mut st = pk.st.lock();
    st.pers = pers;
    st.dispatch_table = dispatch;
    Ok(Value::none())
}

fn buffer_callback_arg(vm: &mut Vm, v: Option<&Value>, proto: u8) -> PyResult<Option<Value>> {
    match v {
        Some(cb) if !cb.is_none() => {
            if proto < 5 {
                return Err(vm.value_error("buffer_callback needs protocol >= 5"));
            }
            Ok(Some(cb.clone()))
        }
        _ => Ok(None),
    }
}

fn pickler_dump(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::modules::native_args::this(vm, "dump", a, 1, 1)?;
    let pk = this_pickler(vm, s)?;
    let mut sv = {
        let mut st = pk.st.lock();
        let Some(write) = st.write.clone() else {
            drop(st);
            let tn = native::tp_name(s.type_data());
            return Err(pickling_error(
                vm,
                format!("Pickler.__init__() was not called by {tn}.__init__()"),
            ));
        };
        Saver {
            proto: st.proto,
            bin: st.bin != 0,
            fast: st.fast != 0,
            fix_imports: st.fix_imports,
            pers: st.pers.clone(),
            dispatch_table: st.dispatch_table.clone(),
            buffer_callback: st.buffer_callback.clone(),
            memo: std::mem::take(&mut st.memo),
            write: Some(write),
            me: Some(s.clone()),
            ..Saver::default()
        }
    };
    let r = sv.dump(vm, &r[0]).and_then(|_| sv.flush_to_file(vm));
    let memo = std::mem::take(&mut sv.memo);
    let mut st = pk.st.lock();
    if st.memo.len() == 0 {
        st.memo = memo;
    }
    drop(st);
    r.map(|_| Value::none())
}

fn pickler_clear_memo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "clear_memo", a, 0, 0)?;
    let pk = this_pickler(vm, s)?;
    let old = std::mem::take(&mut pk.st.lock().memo);
    drop(old);
    Ok(Value::none())
}

fn pickler_sizeof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "__sizeof__", a, 0, 0)?;
    let pk = this_pickler(vm, s)?;
    let n = pk.st.lock().memo.len();
    Ok(Value::int(
        (std::mem::size_of::<PicklerObj>() + 4096 + n * 32) as i64,
    ))
}

fn get_memo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "memo", a, 0, 0)?;
    this_pickler(vm, s)?;
    Ok(super::proxies::pickler_proxy(s))
}

fn set_memo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::modules::native_args::this(vm, "memo", a, 1, 1)?;
    let pk = this_pickler(vm, s)?;
    let obj = &r[0];
    let memo = if let Some(src) = super::proxies::proxied_pickler(obj) {
        let src = this_pickler(vm, &src)?;
        src.st.lock().memo.clone()
    } else if let Some(d) = obj.downcast::<DictObj>() {
        let mut memo = Memo::default();
        for (_, v) in d.items() {
            let pair = match v.downcast::<TupleObj>() {
                Some(t) if t.items.len() == 2 => t.items.to_vec(),
                _ => return Err(vm.type_error("'memo' values must be 2-item tuples")),
            };
            let id = super::c_long(vm, &pair[0])?;
            memo.set(&pair[1], id as u64);
        }
        memo
    } else {
        let tn = native::tp_name(obj.type_data());
        return Err(vm.type_error(format!(
            "'memo' attribute must be a PicklerMemoProxy object or dict, not {tn}"
        )));
    };
    let old = std::mem::replace(&mut pk.st.lock().memo, memo);
    drop(old);
    Ok(Value::none())
}

fn get_persid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "persistent_id", a, 0, 0)?;
    let pk = this_pickler(vm, s)?;
    let f = pk.st.lock().pers.clone();
    match f {
        Some(f) => Ok(reconstruct(&f, s)),
        None => Err(vm.attribute_error("persistent_id")),
    }
}

fn set_persid(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::modules::native_args::this(vm, "persistent_id", a, 1, 1)?;
    let pk = this_pickler(vm, s)?;
    if !crate::ops::callable(&r[0]) {
        return Err(vm.type_error("persistent_id must be a callable taking one argument"));
    }
    let old = pk.st.lock().pers.replace((r[0].clone(), false));
    drop(old);
    Ok(Value::none())
}

fn get_dispatch(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = crate::modules::native_args::this(vm, "dispatch_table", a, 0, 0)?;
    let pk = this_pickler(vm, s)?;
    let d = pk.st.lock().dispatch_table.clone();
    match d {
        Some(d) => Ok(d),
        None => {
            let tn = native::tp_name(s.type_data());
            Err(vm.attribute_error(format!("'{tn}' object has no attribute 'dispatch_table'")))
        }
    }
}

fn set_dispatch(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = crate::modules::native_args::this(vm, "dispatch_table", a, 1, 1)?;
    let pk = this_pickler(vm, s)?;
    let old = pk.st.lock().dispatch_table.replace(r[0].clone());
    drop(old);
    Ok(Value::none())
}

fn int_member(
    vm: &mut Vm,
    a: &Args,
    name: &str,
    f: fn(&mut PState) -> &mut i64,
) -> PyResult<Value> {
    let (s, r) = crate::modules::native_args::this(vm, name, a, 0, 1)?;
    let pk = this_pickler(vm, s)?;
    match r.first() {
        None => Ok(Value::int(*f(&mut pk.st.lock()))),
        Some(v) => {
            let n = super::c_long(vm, v)?;
            if n > i32::MAX as i64 || n < i32::MIN as i64 {
                return Err(vm.overflow_error("Python int too large to convert to C int"));
            }
            *f(&mut pk.st.lock()) = n;
            Ok(Value::none())
        }
    }
}

fn get_bin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_member(vm, a, "bin", |s| &mut s.bin)
}
fn set_bin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_member(vm, a, "bin", |s| &mut s.bin)
}
fn get_fast(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_member(vm, a, "fast", |s| &mut s.fast)
}
fn set_fast(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_member(vm, a, "fast", |s| &mut s.fast)
}

// ---- dump / dumps ------------------------------------------------------------------------

/// `dump(obj, file, protocol=None, *, fix_imports=True, buffer_callback=None)`.
pub fn module_dump(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(
        vm,
        "dump",
        a,
        &["obj", "file", "protocol", "fix_imports", "buffer_callback"],
        2,
        3,
    )?;
    let mut sv = one_shot(vm, p[2], p[3], p[4])?;
    let file = p[1].cloned().unwrap_or_else(Value::none);
    let Some(write) = lookup_attr(vm, &file, "write")? else {
        return Err(vm.type_error("file must have a 'write' attribute"));
    };
    sv.write = Some(write);
    let obj = p[0].cloned().unwrap_or_else(Value::none);
    sv.dump(vm, &obj)?;
    sv.flush_to_file(vm)?;
    Ok(Value::none())
}

/// `dumps(obj, protocol=None, *, fix_imports=True, buffer_callback=None)`.
pub fn module_dumps(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = bind(
        vm,
        "dumps",
        a,
        &["obj", "protocol", "fix_imports", "buffer_callback"],
        1,
        2,
    )?;
    let mut sv = one_shot(vm, p[1], p[2], p[3])?;
    let obj = p[0].cloned().unwrap_or_else(Value::none);
    sv.dump(vm, &obj)?;
    sv.commit_frame();
    Ok(BytesObj::new_value(std::mem::take(&mut sv.out)))
}

fn one_shot(
    vm: &mut Vm,
    protocol: Option<&Value>,
    fix: Option<&Value>,
    cb: Option<&Value>,
) -> PyResult<Saver> {
    let proto = protocol_arg(vm, protocol)?;
    let fix = match fix {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let cb = buffer_callback_arg(vm, cb, proto)?;
    Ok(Saver {
        out: Vec::with_capacity(WRITE_BUF_SIZE),
        memo: Memo::with_capacity(64),
        proto,
        bin: proto > 0,
        fix_imports: fix && proto < 3,
        buffer_callback: cb,
        ..Saver::default()
    })
}

// ---- the saver -------------------------------------------------------------------------

/// One pickling run (CPython's `PicklerObject` during `dump`).
#[derive(Default)]
pub(super) struct Saver {
    out: Vec<u8>,
    /// Where the open frame's header sits in `out` (protocol 4+).
    frame_start: Option<usize>,
    framing: bool,
    proto: u8,
    bin: bool,
    fast: bool,
    fix_imports: bool,
    fast_nesting: i32,
    fast_memo: HashSet<u64>,
    memo: Memo,
    pers: Option<(Value, bool)>,
    dispatch_table: Option<Value>,
    reducer_override: Option<Value>,
    /// Asked about every PickleBuffer (protocol 5): a false answer sends it out of band.
    buffer_callback: Option<Value>,
    write: Option<Value>,
    /// The Pickler object (for its hooks), None for `dumps`.
    me: Option<Value>,
}

impl Saver {
    #[inline]
    fn w(&mut self, data: &[u8]) {
        if self.framing && self.frame_start.is_none() {
            self.open_frame();
        }
        if data.len() < 16 {
            // Opcodes and their small arguments: a byte loop beats a memcpy call (as
            // CPython's `_Pickler_Write` does below 8 bytes).
            self.out.reserve(data.len());
            for &b in data {
                self.out.push(b);
            }
        } else {
            self.out.extend_from_slice(data);
        }
    }

    #[cold]
    fn open_frame(&mut self) {
        self.frame_start = Some(self.out.len());
        self.out.extend_from_slice(&[0xFE; FRAME_HEADER_SIZE]);
    }

    #[inline]
    fn op(&mut self, b: u8) {
        if self.framing && self.frame_start.is_none() {
            self.open_frame();
        }
        self.out.push(b);
    }

    pub(super) fn commit_frame(&mut self) {
        if !self.framing {
            return;
        }
        let Some(fs) = self.frame_start.take() else {
            return;
        };
        let len = self.out.len() - fs - FRAME_HEADER_SIZE;
        if len >= FRAME_SIZE_MIN {
            self.out[fs] = FRAME;
            self.out[fs + 1..fs + FRAME_HEADER_SIZE].copy_from_slice(&(len as u64).to_le_bytes());
        } else {
            self.out.drain(fs..fs + FRAME_HEADER_SIZE);
        }
    }

    /// Commit the frame and hand the buffer to `file.write`.
    fn flush_to_file(&mut self, vm: &mut Vm) -> PyResult<()> {
        self.commit_frame();
        let data = std::mem::take(&mut self.out);
        self.frame_start = None;
        if let Some(w) = self.write.clone() {
            vm.call(&w, &[BytesObj::new_value(data)])?;
        }
        Ok(())
    }

    fn opcode_boundary(&mut self, vm: &mut Vm) -> PyResult<()> {
        if !self.framing {
            return Ok(());
        }
        let Some(fs) = self.frame_start else {
            return Ok(());
        };
        if self.out.len() - fs - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET {
            self.commit_frame();
            if self.write.is_some() {
                self.flush_to_file(vm)?;
            }
        }
        Ok(())
    }

    /// Header and payload of a bytes-like object: a payload of a frame's size or more
    /// is written outside any frame, straight to the file when there is one.
    fn write_bytes(
        &mut self,
        vm: &mut Vm,
        header: &[u8],
        data: &[u8],
        payload: Option<&Value>,
    ) -> PyResult<()> {
        let bypass = data.len() >= FRAME_SIZE_TARGET;
        let framing = self.framing;
        if bypass {
            self.commit_frame();
            self.framing = false;
        }
        self.w(header);
        if bypass && self.write.is_some() {
            self.flush_to_file(vm)?;
            let p = match payload {
                Some(p) => p.clone(),
                None => BytesObj::new_value(data.to_vec()),
            };
            if let Some(w) = self.write.clone() {
                vm.call(&w, &[p])?;
            }
            self.out.clear();
            self.frame_start = None;
        } else {
            self.w(data);
        }
        self.framing = framing;
        Ok(())
    }

    pub(super) fn dump(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        self.reducer_override = match self.me.clone() {
            Some(me) => lookup_attr(vm, &me, "reducer_override")?,
            None => None,
        };
        if self.proto >= 2 {
            self.w(&[PROTO, self.proto]);
            if self.proto >= 4 {
                self.framing = true;
            }
        }
        let r = self.save(vm, obj, false);
        if r.is_ok() {
            self.op(STOP);
            self.commit_frame();
        }
        self.framing = false;
        self.reducer_override = None;
        r
    }

    fn memo_put(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        if self.fast {
            return Ok(());
        }
        let idx = self.memo.len() as u64;
        self.memo.set(obj, idx);
        if self.proto >= 4 {
            self.op(MEMOIZE);
        } else if !self.bin {
            let s = format!("p{idx}\n");
            self.w(s.as_bytes());
        } else if idx < 256 {
            self.w(&[BINPUT, idx as u8]);
        } else if idx <= 0xffff_ffff {
            let b = (idx as u32).to_le_bytes();
            self.w(&[LONG_BINPUT, b[0], b[1], b[2], b[3]]);
        } else {
            return Err(pickling_error(vm, "memo id too large for LONG_BINPUT"));
        }
        Ok(())
    }

    fn memo_get(&mut self, vm: &mut Vm, idx: u64) -> PyResult<()> {
        if !self.bin {
            let s = format!("g{idx}\n");
            self.w(s.as_bytes());
        } else if idx < 256 {
            self.w(&[BINGET, idx as u8]);
        } else if idx <= 0xffff_ffff {
            let b = (idx as u32).to_le_bytes();
            self.w(&[LONG_BINGET, b[0], b[1], b[2], b[3]]);
        } else {
            return Err(pickling_error(vm, "memo id too large for LONG_BINGET"));
        }
        Ok(())
    }

    pub(super) fn save(&mut self, vm: &mut Vm, obj: &Value, pers_save: bool) -> PyResult<()> {
        self.opcode_boundary(vm)?;
        if !pers_save && self.pers.is_some() && self.save_pers(vm, obj)? {
            return Ok(());
        }
        if let Some(v) = obj.as_small_int()
            && (i32::MIN as i64..=i32::MAX as i64).contains(&v)
        {
            self.save_int32(v as i32);
            return Ok(());
        }
        if obj.is_none() {
            self.op(NONE);
            return Ok(());
        }
        if obj.is_bool() {
            let t = obj.is_true_singleton();
            if self.proto >= 2 {
                self.op(if t { NEWTRUE } else { NEWFALSE });
            } else {
                self.w(if t { b"I01\n" } else { b"I00\n" });
            }
            return Ok(());
        }
        let t = types();
        let ty = obj.type_raw();
        if ty == t.int {
            return self.save_long(vm, obj);
        }
        if ty == t.float {
            self.save_float(obj.as_float().unwrap_or(0.0));
            return Ok(());
        }
        if let Some(i) = self.memo.get(obj) {
            return self.memo_get(vm, i);
        }
        if ty == t.str {
            return self.save_unicode(vm, obj);
        }
        if ty == t.bytes {
            return self.save_bytes(vm, obj);
        }
        vm.enter_recursive(" while pickling an object")?;
        let r = self.save_other(vm, obj, ty);
        vm.leave_recursive();
        r
    }

    fn save_other(
        &mut self,
        vm: &mut Vm,
        obj: &Value,
        ty: stitch_stencils::value::RawValue,
    ) -> PyResult<()> {
        let t = types();
        if ty == t.dict {
            return self.save_dict(vm, obj);
        }
        if ty == t.list {
            return self.save_list(vm, obj);
        }
        if ty == t.tuple {
            return self.save_tuple(vm, obj);
        }
        if ty == t.set {
            return self.save_set(vm, obj);
        }
        if ty == t.frozenset {
            return self.save_frozenset(vm, obj);
        }
        if ty == t.bytearray {
            return self.save_bytearray(vm, obj);
        }
        if ty == super::buffer::class() {
            return self.save_picklebuffer(vm, obj);
        }
        if let Some(ro) = self.reducer_override.clone() {
            let rv = vm.call(&ro, std::slice::from_ref(obj))?;
            if !rv.is(&Value::not_implemented()) {
                return self.save_reduce_value(vm, obj, rv);
            }
        }
        if ty == t.type_ {
            return self.save_type(vm, obj);
        }
        if ty == t.function {
            return self.save_global(vm, obj, None);
        }
        let tyv = Value::from_borrowed(ty);
        let reduce_func = match self.dispatch_table.clone() {
            None => {
                let table = super::state_dict(vm, "copyreg", "dispatch_table")?;
                match table.downcast::<DictObj>() {
                    Some(d) => d.get(vm, &tyv)?,
                    None => None,
                }
            }
            Some(table) => match crate::ops::getitem(vm, &table, &tyv) {
                Ok(f) => Some(f),
                Err(e) if vm.err_matches(&e, t.key_error) => None,
                Err(e) => return Err(e),
            },
        };
        let rv = if let Some(f) = reduce_func {
            vm.call(&f, std::slice::from_ref(obj))?
        } else if obj.type_data().is_subtype_raw(t.type_) {
            return self.save_global(vm, obj, None);
        } else if let Some(f) = lookup_attr(vm, obj, "__reduce_ex__")? {
            vm.call(&f, &[Value::int(self.proto as i64)])?
        } else if let Some(f) = lookup_attr(vm, obj, "__reduce__")? {
            vm.call(&f, &[])?
        } else {
            let tn = native::tp_name(obj.type_data());
            let r = repr_of(vm, obj)?;
            return Err(pickling_error(
                vm,
                format!("can't pickle '{tn}' object: {r}"),
            ));
        };
        self.save_reduce_value(vm, obj, rv)
    }

    /// What a reducer returned: a global's name, or a reduce tuple.
    fn save_reduce_value(&mut self, vm: &mut Vm, obj: &Value, rv: Value) -> PyResult<()> {
        if rv.downcast::<StrObj>().is_some() {
            return self.save_global(vm, obj, Some(rv));
        }
        let Some(tup) = rv.downcast::<TupleObj>() else {
            return Err(pickling_error(
                vm,
                "__reduce__ must return a string or tuple",
            ));
        };
        let items = tup.items.to_vec();
        self.save_reduce(vm, &items, Some(obj))
    }

    /// `persistent_id(obj)`: true when it gave an id (written instead of `obj`).
    fn save_pers(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<bool> {
        let Some((f, bound)) = self.pers.clone() else {
            return Ok(false);
        };
        let pid = match (&self.me, bound) {
            (Some(me), true) => vm.call(&f, &[me.clone(), obj.clone()])?,
            _ => vm.call(&f, std::slice::from_ref(obj))?,
        };
        if pid.is_none() {
            return Ok(false);
        }
        if self.bin {
            self.save(vm, &pid, true)?;
            self.op(BINPERSID);
        } else {
            let s = str_of(vm, &pid)?;
            if !s.is_ascii() {
                return Err(pickling_error(
                    vm,
                    "persistent IDs in protocol 0 must be ASCII strings",
                ));
            }
            self.op(PERSID);
            self.w(s.as_bytes());
            self.op(b'\n');
        }
        Ok(true)
    }

    fn save_long(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(i) = as_int(obj) else {
            return Ok(());
        };
        if let IntRef::Small(v) = i
            && (i32::MIN as i64..=i32::MAX as i64).contains(&v)
        {
            self.save_int32(v as i32);
            return Ok(());
        }
        if self.proto >= 2 {
            let big = i.to_big();
            let bytes = big.to_signed_bytes_le();
            let n = bytes.len();
            if n > 0x7fff_ffff {
                return Err(vm.overflow_error("int too large to pickle"));
            }
            if n < 256 {
                self.w(&[LONG1, n as u8]);
            } else {
                let b = (n as u32).to_le_bytes();
                self.w(&[LONG4, b[0], b[1], b[2], b[3]]);
            }
            self.w(&bytes);
        } else {
            let r = repr_of(vm, obj)?;
            self.op(LONG);
            self.w(r.as_bytes());
            self.w(b"L\n");
        }
        Ok(())
    }

    /// An int that fits 32 bits: BININT1/BININT2/BININT, or INT text for protocol 0.
    #[inline]
    fn save_int32(&mut self, v: i32) {
        if self.bin {
            let b = v.to_le_bytes();
            if b[2] != 0 || b[3] != 0 {
                self.w(&[BININT, b[0], b[1], b[2], b[3]]);
            } else if b[1] != 0 {
                self.w(&[BININT2, b[0], b[1]]);
            } else {
                self.w(&[BININT1, b[0]]);
            }
        } else {
            let s = format!("I{v}\n");
            self.w(s.as_bytes());
        }
    }

    fn save_float(&mut self, x: f64) {
        if self.bin {
            let b = x.to_be_bytes();
            let mut d = [BINFLOAT; 9];
            d[1..].copy_from_slice(&b);
            self.w(&d);
        } else {
            let s = crate::types::float::float_repr(x);
            self.op(FLOAT);
            self.w(s.as_bytes());
            self.op(b'\n');
        }
    }

    fn save_bytes_data(&mut self, vm: &mut Vm, obj: &Value, data: &[u8]) -> PyResult<()> {
        let size = data.len();
        let mut h = [0u8; 9];
        let hl = if size <= 0xff {
            h[0] = SHORT_BINBYTES;
            h[1] = size as u8;
            2
        } else if size <= 0xffff_ffff {
            h[0] = BINBYTES;
            h[1..5].copy_from_slice(&(size as u32).to_le_bytes());
            5
        } else if self.proto >= 4 {
            h[0] = BINBYTES8;
            h[1..9].copy_from_slice(&(size as u64).to_le_bytes());
            9
        } else {
            return Err(vm.overflow_error(
                "serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher",
            ));
        };
        self.write_bytes(vm, &h[..hl], data, Some(obj))?;
        self.memo_put(vm, obj)
    }

    fn save_bytes(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(b) = obj.downcast::<BytesObj>() else {
            return Ok(());
        };
        if self.proto < 3 {
            let bytes_t = Value::from_borrowed(types().bytes);
            let rv = if b.data.is_empty() {
                vec![bytes_t, TupleObj::from_iter([])]
            } else {
                let latin1: String = b.data.iter().map(|&c| c as char).collect();
                let enc = super::module_attr(vm, "codecs", "encode")?;
                vec![
                    enc,
                    TupleObj::from_iter([crate::types::str::new_string(latin1), new_str("latin1")]),
                ]
            };
            return self.save_reduce(vm, &rv, Some(obj));
        }
        self.save_bytes_data(vm, obj, &b.data)
    }

    fn save_bytearray(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(b) = obj.downcast::<ByteArrayObj>() else {
            return Ok(());
        };
        let data = b.data.get_clone();
        if self.proto < 5 {
            let t = Value::from_borrowed(types().bytearray);
            let args = if data.is_empty() {
                TupleObj::from_iter([])
            } else {
                TupleObj::from_iter([BytesObj::new_value(data)])
            };
            return self.save_reduce(vm, &[t, args], Some(obj));
        }
        let mut h = [BYTEARRAY8; 9];
        h[1..].copy_from_slice(&(data.len() as u64).to_le_bytes());
        self.write_bytes(vm, &h, &data, Some(obj))?;
        self.memo_put(vm, obj)
    }

    fn save_picklebuffer(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        if self.proto < 5 {
            return Err(pickling_error(
                vm,
                "PickleBuffer can only pickled with protocol >= 5",
            ));
        }
        let view = super::buffer::live_view(vm, obj)?;
        let contiguous = crate::ops::getattr_str(vm, &view, "contiguous")?;
        if !crate::ops::truthy(vm, &contiguous)? {
            return Err(pickling_error(
                vm,
                "PickleBuffer can not be pickled when pointing to a non-contiguous buffer",
            ));
        }
        let mut in_band = true;
        if let Some(cb) = self.buffer_callback.clone() {
            let r = vm.call(&cb, std::slice::from_ref(obj))?;
            in_band = crate::ops::truthy(vm, &r)?;
        }
        let ro = crate::ops::getattr_str(vm, &view, "readonly")?;
        let readonly = crate::ops::truthy(vm, &ro)?;
        if in_band {
            let data = crate::types::memoryview::view_bytes(&view).unwrap_or_default();
            if readonly {
                return self.save_bytes_data(vm, obj, &data);
            }
            let mut h = [BYTEARRAY8; 9];
            h[1..].copy_from_slice(&(data.len() as u64).to_le_bytes());
            self.write_bytes(vm, &h, &data, Some(obj))?;
            return self.memo_put(vm, obj);
        }
        self.op(NEXT_BUFFER);
        if readonly {
            self.op(READONLY_BUFFER);
        }
        Ok(())
    }

    fn save_unicode(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(s) = obj.downcast::<StrObj>() else {
            return Ok(());
        };
        if self.bin {
            let owned;
            let data: &[u8] = if s.surrogates {
                owned = crate::types::str::to_surrogatepass_utf8(&s.s, true);
                &owned
            } else {
                s.s.as_bytes()
            };
            let size = data.len();
            let mut h = [0u8; 9];
            let hl = if size <= 0xff && self.proto >= 4 {
                h[0] = SHORT_BINUNICODE;
                h[1] = size as u8;
                2
            } else if size <= 0xffff_ffff {
                h[0] = BINUNICODE;
                h[1..5].copy_from_slice(&(size as u32).to_le_bytes());
                5
            } else if self.proto >= 4 {
                h[0] = BINUNICODE8;
                h[1..9].copy_from_slice(&(size as u64).to_le_bytes());
                9
            } else {
                return Err(vm.overflow_error(
                    "serializing a string larger than 4 GiB requires pickle protocol 4 or higher",
                ));
            };
            if size < FRAME_SIZE_TARGET {
                self.w(&h[..hl]);
                self.w(data);
            } else {
                let data = data.to_vec();
                self.write_bytes(vm, &h[..hl], &data, None)?;
            }
        } else {
            let enc = raw_unicode_escape(&s.s, s.surrogates);
            self.op(UNICODE);
            self.w(&enc);
            self.op(b'\n');
        }
        self.memo_put(vm, obj)
    }

    fn save_tuple(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(t) = obj.downcast::<TupleObj>() else {
            return Ok(());
        };
        let len = t.items.len();
        if len == 0 {
            if self.proto > 0 {
                self.op(EMPTY_TUPLE);
            } else {
                self.w(&[MARK, TUPLE]);
            }
            return Ok(());
        }
        if len <= 3 && self.proto >= 2 {
            for x in t.items.iter() {
                self.save(vm, x, false)?;
            }
            if let Some(i) = self.memo.get(obj) {
                for _ in 0..len {
                    self.op(POP);
                }
                return self.memo_get(vm, i);
            }
            self.op([EMPTY_TUPLE, TUPLE1, TUPLE2, TUPLE3][len]);
            return self.memo_put(vm, obj);
        }
        self.op(MARK);
        for x in t.items.iter() {
            self.save(vm, x, false)?;
        }
        if let Some(i) = self.memo.get(obj) {
            if self.bin {
                self.op(POP_MARK);
            } else {
                for _ in 0..=len {
                    self.op(POP);
                }
            }
            return self.memo_get(vm, i);
        }
        self.op(TUPLE);
        self.memo_put(vm, obj)
    }

    fn fast_enter(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        self.fast_nesting += 1;
        if self.fast_nesting >= FAST_NESTING_LIMIT && !self.fast_memo.insert(obj.bits()) {
            let tn = native::tp_name(obj.type_data());
            return Err(vm.value_error(format!(
                "fast mode: can't pickle cyclic objects including object type {tn} at {:#x}",
                obj.bits()
            )));
        }
        Ok(())
    }

    fn fast_leave(&mut self, obj: &Value) {
        if self.fast_nesting >= FAST_NESTING_LIMIT {
            self.fast_memo.remove(&obj.bits());
        }
        self.fast_nesting -= 1;
    }

    fn save_list(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        if self.fast {
            self.fast_enter(vm, obj)?;
        }
        let r = self.save_list_body(vm, obj);
        if self.fast {
            self.fast_leave(obj);
        }
        r
    }

    fn save_list_body(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(l) = obj.downcast::<ListObj>() else {
            return Ok(());
        };
        if self.bin {
            self.op(EMPTY_LIST);
        } else {
            self.w(&[MARK, LIST]);
        }
        let len = l.len();
        self.memo_put(vm, obj)?;
        if len == 0 {
            return Ok(());
        }
        vm.enter_recursive(" while pickling an object")?;
        let r = if self.proto > 0 {
            self.batch_list_exact(vm, l)
        } else {
            let it = crate::ops::get_iter(vm, obj)?;
            self.batch_list(vm, &it)
        };
        vm.leave_recursive();
        r
    }

    fn batch_list_exact(&mut self, vm: &mut Vm, l: &ListObj) -> PyResult<()> {
        if l.len() == 1 {
            if let Some(x) = l.get(0) {
                self.save(vm, &x, false)?;
            }
            self.op(APPEND);
            return Ok(());
        }
        let mut total = 0;
        loop {
            let mut this_batch = 0;
            self.op(MARK);
            while let Some(x) = l.get(total) {
                self.save(vm, &x, false)?;
                total += 1;
                this_batch += 1;
                if this_batch == BATCHSIZE {
                    break;
                }
            }
            self.op(APPENDS);
            if total >= l.len() {
                break;
            }
        }
        Ok(())
    }

    fn batch_list(&mut self, vm: &mut Vm, it: &Value) -> PyResult<()> {
        if self.proto == 0 {
            while let Some(x) = crate::ops::next(vm, it)? {
                self.save(vm, &x, false)?;
                self.op(APPEND);
            }
            return Ok(());
        }
        loop {
            let Some(first) = crate::ops::next(vm, it)? else {
                break;
            };
            let Some(mut obj) = crate::ops::next(vm, it)? else {
                self.save(vm, &first, false)?;
                self.op(APPEND);
                break;
            };
            self.op(MARK);
            self.save(vm, &first, false)?;
            let mut n = 1;
            loop {
                self.save(vm, &obj, false)?;
                n += 1;
                if n == BATCHSIZE {
                    break;
                }
                match crate::ops::next(vm, it)? {
                    Some(x) => obj = x,
                    None => break,
                }
            }
            self.op(APPENDS);
            if n != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn save_dict(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        if self.fast {
            self.fast_enter(vm, obj)?;
        }
        let r = self.save_dict_body(vm, obj);
        if self.fast {
            self.fast_leave(obj);
        }
        r
    }

    fn save_dict_body(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(d) = obj.downcast::<DictObj>() else {
            return Ok(());
        };
        if self.bin {
            self.op(EMPTY_DICT);
        } else {
            self.w(&[MARK, DICT]);
        }
        self.memo_put(vm, obj)?;
        if d.is_empty() {
            return Ok(());
        }
        vm.enter_recursive(" while pickling an object")?;
        let r = if self.proto > 0 && obj.type_raw() == types().dict {
            self.batch_dict_exact(vm, d)
        } else {
            let items = crate::ops::getattr_str(vm, obj, "items")
                .and_then(|f| vm.call(&f, &[]))
                .and_then(|i| crate::ops::get_iter(vm, &i));
            match items {
                Ok(it) => self.batch_dict(vm, &it),
                Err(e) => Err(e),
            }
        };
        vm.leave_recursive();
        r
    }

    fn batch_dict_exact(&mut self, vm: &mut Vm, d: &DictObj) -> PyResult<()> {
        let size = d.len();
        let mut pos = 0;
        if size == 1 {
            if let Some((_, k, v)) = d.d.read(|dd| dd.next_entry(0)) {
                self.save(vm, &k, false)?;
                self.save(vm, &v, false)?;
            }
            self.op(SETITEM);
            return Ok(());
        }
        loop {
            let mut i = 0;
            self.op(MARK);
            while let Some((next, k, v)) = d.d.read(|dd| dd.next_entry(pos)) {
                pos = next;
                self.save(vm, &k, false)?;
                self.save(vm, &v, false)?;
                i += 1;
                if i == BATCHSIZE {
                    break;
                }
            }
            self.op(SETITEMS);
            if d.len() != size {
                return Err(vm.runtime_error("dictionary changed size during iteration"));
            }
            if i != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn pair(vm: &mut Vm, item: &Value) -> PyResult<(Value, Value)> {
        match item.downcast::<TupleObj>() {
            Some(t) if t.items.len() == 2 => Ok((t.items[0].clone(), t.items[1].clone())),
            _ => Err(vm.type_error("dict items iterator must return 2-tuples")),
        }
    }

    fn batch_dict(&mut self, vm: &mut Vm, it: &Value) -> PyResult<()> {
        if self.proto == 0 {
            while let Some(x) = crate::ops::next(vm, it)? {
                let (k, v) = Self::pair(vm, &x)?;
                self.save(vm, &k, false)?;
                self.save(vm, &v, false)?;
                self.op(SETITEM);
            }
            return Ok(());
        }
        loop {
            let Some(first) = crate::ops::next(vm, it)? else {
                break;
            };
            let (k1, v1) = Self::pair(vm, &first)?;
            let Some(mut obj) = crate::ops::next(vm, it)? else {
                self.save(vm, &k1, false)?;
                self.save(vm, &v1, false)?;
                self.op(SETITEM);
                break;
            };
            self.op(MARK);
            self.save(vm, &k1, false)?;
            self.save(vm, &v1, false)?;
            let mut n = 1;
            loop {
                let (k, v) = Self::pair(vm, &obj)?;
                self.save(vm, &k, false)?;
                self.save(vm, &v, false)?;
                n += 1;
                if n == BATCHSIZE {
                    break;
                }
                match crate::ops::next(vm, it)? {
                    Some(x) => obj = x,
                    None => break,
                }
            }
            self.op(SETITEMS);
            if n != BATCHSIZE {
                break;
            }
        }
        Ok(())
    }

    fn save_set(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(s) = obj.downcast::<SetObj>() else {
            return Ok(());
        };
        if self.proto < 4 {
            let items = ListObj::new_value(s.keys());
            let rv = [
                Value::from_borrowed(types().set),
                TupleObj::from_iter([items]),
            ];
            return self.save_reduce(vm, &rv, Some(obj));
        }
        self.op(EMPTY_SET);
        self.memo_put(vm, obj)?;
        let keys = s.keys();
        let size = keys.len();
        if size == 0 {
            return Ok(());
        }
        for chunk in keys.chunks(BATCHSIZE) {
            self.op(MARK);
            for k in chunk {
                self.save(vm, k, false)?;
            }
            self.op(ADDITEMS);
            if s.len() != size {
                return Err(vm.runtime_error("set changed size during iteration"));
            }
        }
        if size % BATCHSIZE == 0 {
            // CPython's loop runs once more after a full batch and finds nothing.
            self.w(&[MARK, ADDITEMS]);
        }
        Ok(())
    }

    fn save_frozenset(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let Some(s) = crate::types::set::as_set(obj) else {
            return Ok(());
        };
        if self.fast {
            // As CPython: entered and never left.
            self.fast_enter(vm, obj)?;
        }
        if self.proto < 4 {
            let items = ListObj::new_value(s.keys());
            let rv = [
                Value::from_borrowed(types().frozenset),
                TupleObj::from_iter([items]),
            ];
            return self.save_reduce(vm, &rv, Some(obj));
        }
        self.op(MARK);
        for k in s.keys() {
            self.save(vm, &k, false)?;
        }
        if let Some(i) = self.memo.get(obj) {
            self.op(POP_MARK);
            return self.memo_get(vm, i);
        }
        self.op(FROZENSET);
        self.memo_put(vm, obj)
    }

    fn save_type(&mut self, vm: &mut Vm, obj: &Value) -> PyResult<()> {
        let t = types();
        let singleton = if obj.raw() == t.none_type {
            Some(Value::none())
        } else if obj.raw() == t.ellipsis_type {
            Some(Value::ellipsis())
        } else if obj.raw() == t.not_implemented_type {
            Some(Value::not_implemented())
        } else {
            None
        };
        match singleton {
            Some(s) => {
                let rv = [Value::from_borrowed(t.type_), TupleObj::from_iter([s])];
                self.save_reduce(vm, &rv, Some(obj))
            }
            None => self.save_global(vm, obj, None),
        }
    }

    fn save_global(&mut self, vm: &mut Vm, obj: &Value, name: Option<Value>) -> PyResult<()> {
        let global_name = match name {
            Some(n) => n,
            None => match lookup_attr(vm, obj, "__qualname__")? {
                Some(n) => n,
                None => crate::ops::getattr_str(vm, obj, "__name__")?,
            },
        };
        let dotted = dotted_path(vm, None, &global_name)?;
        let module_name = whichmodule(vm, obj, &dotted)?;
        let module = match as_str(&module_name) {
            Some(m) => crate::import::import_module(vm, m).ok(),
            None => None,
        };
        let Some(module) = module else {
            let r = repr_of(vm, obj)?;
            let mr = repr_of(vm, &module_name)?;
            return Err(pickling_error(
                vm,
                format!("Can't pickle {r}: import of module {mr} failed"),
            ));
        };
        let lastname = new_str(dotted.last().map(|s| s.as_str()).unwrap_or(""));
        let found = deep_attribute(vm, &module, &dotted).ok().flatten();
        let Some((cls, parent)) = found else {
            let r = repr_of(vm, obj)?;
            let g = str_of(vm, &global_name)?;
            let m = str_of(vm, &module_name)?;
            return Err(pickling_error(
                vm,
                format!("Can't pickle {r}: attribute lookup {g} on {m} failed"),
            ));
        };
        if !cls.is(obj) {
            let r = repr_of(vm, obj)?;
            let g = str_of(vm, &global_name)?;
            let m = str_of(vm, &module_name)?;
            return Err(pickling_error(
                vm,
                format!("Can't pickle {r}: it's not the same object as {m}.{g}"),
            ));
        }
        if self.proto >= 2 {
            let reg = super::state_dict(vm, "copyreg", "_extension_registry")?;
            let key = TupleObj::from_iter([module_name.clone(), global_name.clone()]);
            let code = match reg.downcast::<DictObj>() {
                Some(d) => d.get(vm, &key)?,
                None => None,
            };
            if let Some(code_obj) = code {
                let Some(c) = as_int(&code_obj)
                    .and_then(|i| i.to_i64())
                    .filter(|_| crate::types::int::is_int(&code_obj))
                else {
                    let r = repr_of(vm, obj)?;
                    let cr = repr_of(vm, &code_obj)?;
                    return Err(pickling_error(
                        vm,
                        format!("Can't pickle {r}: extension code {cr} isn't an integer"),
                    ));
                };
                if c <= 0 || c > 0x7fff_ffff {
                    let r = repr_of(vm, obj)?;
                    return Err(pickling_error(
                        vm,
                        format!("Can't pickle {r}: extension code {c} is out of range"),
                    ));
                }
                let b = (c as u32).to_le_bytes();
                if c <= 0xff {
                    self.w(&[EXT1, b[0]]);
                } else if c <= 0xffff {
                    self.w(&[EXT2, b[0], b[1]]);
                } else {
                    self.w(&[EXT4, b[0], b[1], b[2], b[3]]);
                }
                return Ok(());
            }
        }
        let mut global_name = global_name;
        let mut module_name = module_name;
        if parent.is(&module) {
            global_name = lastname.clone();
        }
        if self.proto >= 4 {
            // CPython's module and qualified names are interned identifiers, so a
            // repeated one is a memo hit (BINGET) in the stream: the same here.
            module_name = interned(module_name);
            global_name = interned(global_name);
            self.save(vm, &module_name, false)?;
            self.save(vm, &global_name, false)?;
            self.op(STACK_GLOBAL);
        } else if !parent.is(&module) {
            let getattr = vm
                .builtins_dict()
                .get_str("getattr")
                .unwrap_or_else(Value::none);
            let rv = [getattr, TupleObj::from_iter([parent, lastname])];
            self.save_reduce(vm, &rv, None)?;
        } else {
            self.op(GLOBAL);
            if self.proto < 3 && self.fix_imports {
                (module_name, global_name) = fix_imports(vm, module_name, global_name)?;
            }
            let m = self.encode_ident(vm, &module_name, "module")?;
            self.w(&m);
            self.op(b'\n');
            let g = self.encode_ident(vm, &global_name, "global")?;
            self.w(&g);
            self.op(b'\n');
        }
        self.memo_put(vm, obj)
    }

    /// A GLOBAL name: UTF-8 for protocol 3, ASCII before.
    fn encode_ident(&mut self, vm: &mut Vm, name: &Value, what: &str) -> PyResult<Vec<u8>> {
        let Some((s, surr)) = crate::types::str::as_str_flag(name) else {
            let tn = name.type_data().name.clone();
            return Err(vm.type_error(format!("bad argument type for built-in operation: {tn}")));
        };
        if (self.proto == 3 && !surr) || s.is_ascii() {
            return Ok(s.as_bytes().to_vec());
        }
        let sv = str_of(vm, name)?;
        Err(pickling_error(
            vm,
            format!(
                "can't pickle {what} identifier '{sv}' using pickle protocol {}",
                self.proto
            ),
        ))
    }

    fn save_reduce(&mut self, vm: &mut Vm, args: &[Value], obj: Option<&Value>) -> PyResult<()> {
        if args.len() < 2 || args.len() > 6 {
            return Err(pickling_error(
                vm,
                "tuple returned by __reduce__ must contain 2 through 6 elements",
            ));
        }
        let callable = &args[0];
        let argtup = &args[1];
        let arg = |i: usize| args.get(i).filter(|v| !v.is_none()).cloned();
        let state = arg(2);
        let listitems = arg(3);
        let dictitems = arg(4);
        let state_setter = arg(5);
        if !crate::ops::callable(callable) {
            return Err(pickling_error(
                vm,
                "first item of the tuple returned by __reduce__ must be callable",
            ));
        }
        let Some(argt) = argtup.downcast::<TupleObj>() else {
            return Err(pickling_error(
                vm,
                "second item of the tuple returned by __reduce__ must be a tuple",
            ));
        };
        for (v, nth) in [(&listitems, "fourth"), (&dictitems, "fifth")] {
            if let Some(v) = v
                && !crate::ops::is_iterator(v)
            {
                let tn = native::tp_name(v.type_data());
                return Err(pickling_error(
                    vm,
                    format!(
                        "{nth} element of the tuple returned by __reduce__ must be an iterator, not {tn}"
                    ),
                ));
            }
        }
        if let Some(s) = &state_setter
            && !crate::ops::callable(s)
        {
            let tn = native::tp_name(s.type_data());
            return Err(pickling_error(
                vm,
                format!(
                    "sixth element of the tuple returned by __reduce__ must be a function, not {tn}"
                ),
            ));
        }
        let (mut use_newobj, mut use_newobj_ex) = (false, false);
        if self.proto >= 2
            && let Some(name) = lookup_attr(vm, callable, "__name__")?
            && let Some(n) = as_str(&name)
        {
            use_newobj_ex = n == "__newobj_ex__";
            use_newobj = n == "__newobj__";
        }
        if use_newobj_ex {
            if argt.items.len() != 3 {
                return Err(pickling_error(
                    vm,
                    format!(
                        "length of the NEWOBJ_EX argument tuple must be exactly 3, not {}",
                        argt.items.len()
                    ),
                ));
            }
            let (cls, a, kw) = (&argt.items[0], &argt.items[1], &argt.items[2]);
            if crate::types::class::as_type(cls).is_none() {
                let tn = native::tp_name(cls.type_data());
                return Err(pickling_error(
                    vm,
                    format!("first item from NEWOBJ_EX argument tuple must be a class, not {tn}"),
                ));
            }
            let Some(at) = a.downcast::<TupleObj>() else {
                let tn = native::tp_name(a.type_data());
                return Err(pickling_error(
                    vm,
                    format!("second item from NEWOBJ_EX argument tuple must be a tuple, not {tn}"),
                ));
            };
            let Some(kwd) = kw.downcast::<DictObj>() else {
                let tn = native::tp_name(kw.type_data());
                return Err(pickling_error(
                    vm,
                    format!("third item from NEWOBJ_EX argument tuple must be a dict, not {tn}"),
                ));
            };
            if self.proto >= 4 {
                self.save(vm, cls, false)?;
                self.save(vm, a, false)?;
                self.save(vm, kw, false)?;
                self.op(NEWOBJ_EX);
            } else {
                let cls_new = crate::ops::getattr_str(vm, cls, "__new__")?;
                let mut pargs = vec![cls_new, cls.clone()];
                pargs.extend(at.items.iter().cloned());
                let mut kwnames = Vec::new();
                for (k, v) in kwd.items() {
                    pargs.push(v);
                    kwnames.push(k);
                }
                let partial = super::module_attr(vm, "functools", "partial")?;
                let f = vm.call_kw(&partial, &pargs, &kwnames)?;
                self.save(vm, &f, false)?;
                self.save(vm, &TupleObj::from_iter([]), false)?;
                self.op(REDUCE);
            }
        } else if use_newobj {
            let Some(cls) = argt.items.first() else {
                return Err(pickling_error(vm, "__newobj__ arglist is empty"));
            };
            if crate::types::class::as_type(cls).is_none() {
                return Err(pickling_error(
                    vm,
                    "args[0] from __newobj__ args is not a type",
                ));
            }
            if let Some(o) = obj {
                let oc = match lookup_attr(vm, o, "__class__")? {
                    Some(c) => c,
                    None => o.type_of(),
                };
                if !oc.is(cls) {
                    return Err(pickling_error(
                        vm,
                        "args[0] from __newobj__ args has the wrong class",
                    ));
                }
            }
            self.save(vm, cls, false)?;
            let rest = TupleObj::new_value(argt.items[1..].to_vec());
            self.save(vm, &rest, false)?;
            self.op(NEWOBJ);
        } else {
            self.save(vm, callable, false)?;
            self.save(vm, argtup, false)?;
            self.op(REDUCE);
        }
        if let Some(o) = obj {
            if let Some(i) = self.memo.get(o) {
                self.op(POP);
                return self.memo_get(vm, i);
            }
            self.memo_put(vm, o)?;
        }
        if let Some(li) = &listitems {
            self.batch_list(vm, li)?;
        }
        if let Some(di) = &dictitems {
            self.batch_dict(vm, di)?;
        }
        if let Some(st) = &state {
            match &state_setter {
                None => {
                    self.save(vm, st, false)?;
                    self.op(BUILD);
                }
                Some(setter) => {
                    self.save(vm, setter, false)?;
                    if let Some(o) = obj {
                        self.save(vm, o, false)?;
                    } else {
                        self.op(NONE);
                    }
                    self.save(vm, st, false)?;
                    self.w(&[TUPLE2, REDUCE, POP]);
                }
            }
        }
        Ok(())
    }
}

/// The interned str equal to an exact str `v` (without lone surrogates), else `v`.
fn interned(v: Value) -> Value {
    match crate::types::str::as_str_flag(&v) {
        Some((s, false)) if v.type_raw() == types().str => crate::world::intern(s),
        _ => v,
    }
}

/// `_compat_pickle`'s 3.x -> 2.x renaming of a global (protocols 0-2).
fn fix_imports(vm: &mut Vm, module: Value, name: Value) -> PyResult<(Value, Value)> {
    let names = super::state_dict(vm, "_compat_pickle", "REVERSE_NAME_MAPPING")?;
    let key = TupleObj::from_iter([module.clone(), name.clone()]);
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
                    "_compat_pickle.REVERSE_NAME_MAPPING values should be 2-tuples, not {tn}"
                )));
            }
        };
        if as_str(&pair[0]).is_none() || as_str(&pair[1]).is_none() {
            let a = native::tp_name(pair[0].type_data());
            let b = native::tp_name(pair[1].type_data());
            return Err(vm.runtime_error(format!(
                "_compat_pickle.REVERSE_NAME_MAPPING values should be pairs of str, not ({a}, {b})"
            )));
        }
        return Ok((pair[0].clone(), pair[1].clone()));
    }
    let imports = super::state_dict(vm, "_compat_pickle", "REVERSE_IMPORT_MAPPING")?;
    let item = match imports.downcast::<DictObj>() {
        Some(d) => d.get(vm, &module)?,
        None => None,
    };
    if let Some(item) = item {
        if as_str(&item).is_none() {
            let tn = native::tp_name(item.type_data());
            return Err(vm.runtime_error(format!(
                "_compat_pickle.REVERSE_IMPORT_MAPPING values should be strings, not {tn}"
            )));
        }
        return Ok((item, name));
    }
    Ok((module, name))
}

/// The parts of a dotted `__qualname__`; a local object cannot be pickled.
pub(super) fn dotted_path(vm: &mut Vm, obj: Option<&Value>, name: &Value) -> PyResult<Vec<String>> {
    let s = match as_str(name) {
        Some(s) => s.to_string(),
        None => {
            let tn = name.type_data().name.clone();
            return Err(vm.type_error(format!(
                "descriptor 'split' for 'str' objects doesn't apply to a '{tn}' object"
            )));
        }
    };
    let parts: Vec<String> = s.split('.').map(|p| p.to_string()).collect();
    if parts.iter().any(|p| p == "<locals>") {
        let nr = repr_of(vm, name)?;
        let msg = match obj {
            None => format!("Can't pickle local object {nr}"),
            Some(o) => {
                let or = repr_of(vm, o)?;
                format!("Can't pickle local attribute {nr} on {or}")
            }
        };
        return Err(vm.attribute_error(msg));
    }
    Ok(parts)
}

/// `obj.a.b.c` for the parts of a dotted path, with the object holding the last one;
/// None when an attribute is missing.
pub(super) fn deep_attribute(
    vm: &mut Vm,
    obj: &Value,
    names: &[String],
) -> PyResult<Option<(Value, Value)>> {
    let mut cur = obj.clone();
    let mut parent = obj.clone();
    for n in names {
        parent = cur.clone();
        match lookup_attr(vm, &parent, n)? {
            Some(v) => cur = v,
            None => return Ok(None),
        }
    }
    Ok(Some((cur, parent)))
}

/// The module a global lives in: its `__module__`, else the first module of
/// `sys.modules` that holds it under its dotted name, else `__main__`.
fn whichmodule(vm: &mut Vm, obj: &Value, dotted: &[String]) -> PyResult<Value> {
    if let Some(m) = lookup_attr(vm, obj, "__module__")?
        && !m.is_none()
    {
        return Ok(m);
    }
    let modules = vm.modules.clone();
    let items: Vec<(Value, Value)> = match modules.downcast::<DictObj>() {
        Some(d) => d.items(),
        None => Vec::new(),
    };
    for (name, module) in items {
        if module.is_none() || as_str(&name) == Some("__main__") {
            continue;
        }
        if let Some((c, _)) = deep_attribute(vm, &module, dotted)?
            && c.is(obj)
        {
            return Ok(name);
        }
    }
    Ok(new_str("__main__"))
}

/// Protocol 0's text form of a str (`raw-unicode-escape`, with `\`, newline, CR, NUL
/// and ^Z escaped too so the line stays one line).
fn raw_unicode_escape(s: &str, surr: bool) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let ch = crate::types::str::logical_cp(c, surr);
        if ch >= 0x10000 {
            out.extend_from_slice(b"\\U");
            for sh in (0..8).rev() {
                out.push(HEX[((ch >> (sh * 4)) & 0xf) as usize]);
            }
        } else if ch >= 256 || matches!(ch, 0x5c | 0 | 0x0a | 0x0d | 0x1a) {
            out.extend_from_slice(b"\\u");
            for sh in (0..4).rev() {
                out.push(HEX[((ch >> (sh * 4)) & 0xf) as usize]);
            }
        } else {
            out.push(ch as u8);
        }
    }
    out
}
