//! `decimal.Context`: a context's settings, flags and traps; its signal dicts
//! (`context.flags`, `context.traps`); the current context of each thread (a
//! `ContextVar`, as CPython 3.11 built with contextvars keeps it); `localcontext`.
//!
//! A context's mutable state is one small `Copy` struct behind one lock
//! ([`Shared`]), shared by the context and its two signal dicts (which only view it,
//! as CPython's point into the context's flag words), so there is no reference cycle
//! between them. An operation copies the settings out, computes without the lock, and
//! then ORs the conditions it raised into the flags ([`add_status`]), raising the
//! first trapped signal as CPython does.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::number::{Ctx, Round};
use super::signals::{self, SIGNALS};
use crate::modules::native_args::{self, getset_del, methods, object_type};
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};

pub const MAX_PREC: i64 = 999_999_999_999_999_999;
pub const MAX_EMAX: i64 = 999_999_999_999_999_999;
pub const MIN_EMIN: i64 = -999_999_999_999_999_999;
pub const MIN_ETINY: i64 = MIN_EMIN - (MAX_PREC - 1);

/// What a context holds besides its signal dict objects.
#[derive(Clone, Copy, Debug)]
pub struct State {
    pub ctx: Ctx,
    pub capitals: bool,
    pub flags: u32,
    pub traps: u32,
}

/// CPython's `dflt_ctx`: what `DefaultContext` starts as.
pub const DEFAULT: State = State {
    ctx: Ctx {
        prec: 28,
        emax: 999_999,
        emin: -999_999,
        round: Round::HalfEven,
        clamp: false,
    },
    capitals: true,
    flags: 0,
    traps: signals::IEEE_INVALID | signals::DIVISION_BY_ZERO | signals::OVERFLOW,
};

/// The context used for exact conversions (`mpd_maxcontext`).
pub const MAX_CTX: Ctx = Ctx {
    prec: MAX_PREC,
    emax: MAX_EMAX,
    emin: MIN_EMIN,
    round: Round::HalfEven,
    clamp: false,
};

pub type Shared = Arc<ObjCell<State>>;

pub struct CtxObj {
    pub st: Shared,
    flags: Value,
    traps: Value,
}
native_payload!(CtxObj, CONTEXT);
static CONTEXT_T: NativeType = NativeType {
    new: Some(context_new),
    has_init: true,
    ..NativeType::of::<CtxObj>()
};

/// `SignalDictMixin`: a view of a context's flags or traps.
pub struct SignalDictObj {
    st: Shared,
    traps: bool,
}
native_payload!(SignalDictObj, SIGNAL_DICT_MIXIN);
static SIGNAL_DICT_T: NativeType = NativeType::of::<SignalDictObj>();

/// The `SignalDict` class: `SignalDictMixin` with `MutableMapping`'s mixin methods.
static SIGNAL_DICT: AtomicU64 = AtomicU64::new(0);
/// `DefaultContext`, `BasicContext`, `ExtendedContext` (immortal once made).
static TEMPLATES: [AtomicU64; 3] = [const { AtomicU64::new(0) }; 3];
/// The `ContextVar` holding each thread's current context.
static CURRENT_VAR: AtomicU64 = AtomicU64::new(0);

fn stored(cell: &AtomicU64) -> Value {
    Value::from_borrowed(RawValue(cell.load(Ordering::Acquire)))
}

pub fn context_type() -> Value {
    Value::from_borrowed(<CtxObj as crate::value::PyPayload>::class())
}

pub fn ctx_obj(v: &Value) -> Option<&CtxObj> {
    native::downcast::<CtxObj>(v)
}

/// The settings, flags and traps of context object `v` (checked by the caller).
pub fn state(v: &Value) -> State {
    match ctx_obj(v) {
        Some(c) => c.st.read(|s| *s),
        None => DEFAULT,
    }
}

/// Make a context object of class `cls` with state `s`.
pub fn make(cls: &Value, s: State) -> Value {
    let st: Shared = Arc::new(ObjCell::new(s));
    let sd = stored(&SIGNAL_DICT);
    let mk = |traps: bool| {
        native::alloc(
            &sd,
            SignalDictObj {
                st: st.clone(),
                traps,
            },
        )
    };
    let (flags, traps) = (mk(false), mk(true));
    native::alloc(cls, CtxObj { st, flags, traps })
}

/// Add `status` to the flags of context `c`; raise the first trapped signal.
pub fn add_status(vm: &mut Vm, c: &Value, status: u32) -> PyResult<()> {
    if status == 0 {
        return Ok(());
    }
    let Some(o) = ctx_obj(c) else { return Ok(()) };
    let traps = o.st.with(|s| {
        s.flags |= status;
        s.traps
    });
    if status & traps != 0 {
        return Err(signals::trap_error(vm, status & traps));
    }
    let _ = vm;
    Ok(())
}

/// At exit (`modules::clear_registries`): the `SignalDict` class lives for the whole
/// process, and through its bases, its MRO and its metaclass (`ABCMeta`, the most
/// derived metaclass of its bases, as in CPython) would keep `collections.abc`'s and
/// `abc`'s classes alive past teardown; let them go. Its metaclass becomes `type`.
pub fn clear() {
    let sd = SIGNAL_DICT.load(Ordering::Acquire);
    if sd == 0 {
        return;
    }
    let td = crate::types::class::type_data_raw(RawValue(sd));
    let bases = td.bases.with(std::mem::take);
    // SAFETY: teardown: no Python code runs any more, so nothing reads this MRO.
    let mro = unsafe { td.mro.replace(Vec::new()) };
    let h = sd as *mut crate::object::ObjHeader;
    let tyty = Value::from_borrowed(crate::world::types().type_);
    // SAFETY: `sd` is the live (immortal) SignalDict class, so `h` is its header; at
    // teardown no other thread runs and no Python code reads its class. The header's
    // reference moves to `meta` and `type`'s new one into the header.
    let meta = unsafe {
        let old = (*h).ob_type;
        (*h).ob_type = tyty.into_raw().as_ptr() as *const crate::object::ObjHeader;
        Value::from_raw(RawValue::from_ptr(old as *const u8))
    };
    drop((bases, mro, meta));
}

// ---- the current context ------------------------------------------------------------

/// This thread's current context, made from `DefaultContext` on first use.
pub fn current(vm: &mut Vm) -> PyResult<Value> {
    let var = stored(&CURRENT_VAR);
    if let Some(v) = crate::modules::contextvars::var_value(vm, &var)?
        && ctx_obj(&v).is_some()
    {
        return Ok(v);
    }
    let mut s = state(&stored(&TEMPLATES[0]));
    s.flags = 0;
    let c = make(&context_type(), s);
    set_current(vm, &c)?;
    Ok(c)
}

fn set_current(vm: &mut Vm, c: &Value) -> PyResult<()> {
    let var = stored(&CURRENT_VAR);
    crate::modules::contextvars::set_var_value(vm, &var, c.clone())
}

/// `context` if it is a Context, the current context for None, else TypeError
/// (`CONTEXT_CHECK_VA`).
pub fn context_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<Value> {
    match v {
        None => current(vm),
        Some(v) if v.is_none() => current(vm),
        Some(v) if ctx_obj(v).is_some() => Ok(v.clone()),
        Some(_) => Err(vm.type_error("optional argument must be a context")),
    }
}

fn getcontext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::unpack(vm, "getcontext", a, 0, 0)?;
    current(vm)
}

fn setcontext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "setcontext", a, 1, 1)?;
    let v = &p[0];
    if ctx_obj(v).is_none() {
        return Err(vm.type_error("argument must be a context"));
    }
    let c = if TEMPLATES
        .iter()
        .any(|t| t.load(Ordering::Acquire) == v.bits())
    {
        let mut s = state(v);
        s.flags = 0;
        make(&context_type(), s)
    } else {
        v.clone()
    };
    set_current(vm, &c)?;
    Ok(Value::none())
}

// ---- localcontext ------------------------------------------------------------------

pub struct ManagerObj {
    local: Value,
    global: Value,
}
native_payload!(ManagerObj, CONTEXT_MANAGER);
static MANAGER_T: NativeType = NativeType::of::<ManagerObj>();

const SETTINGS: [&str; 8] = [
    "prec", "rounding", "Emin", "Emax", "capitals", "clamp", "flags", "traps",
];

fn localcontext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let mut names = vec!["ctx"];
    names.extend_from_slice(&SETTINGS);
    let b = crate::modules::kwonly::bind(vm, "localcontext", a, &names, 0, 1)?;
    let global = current(vm)?;
    let local = match b[0] {
        None => global.clone(),
        Some(v) if v.is_none() => global.clone(),
        Some(v) if ctx_obj(v).is_some() => v.clone(),
        Some(_) => return Err(vm.type_error("optional argument must be a context")),
    };
    let copy = make(&context_type(), state(&local));
    apply_settings(vm, &copy, &b[1..])?;
    Ok(Value::alloc(ManagerObj {
        local: copy,
        global,
    }))
}

fn manager_enter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = native_args::this(vm, "__enter__", a, 0, 0)?;
    let Some(m) = s.downcast_exact::<ManagerObj>() else {
        return Err(vm.type_error("descriptor '__enter__' requires a ContextManager"));
    };
    let local = m.local.clone();
    setcontext(vm, &Args::new(std::slice::from_ref(&local)))?;
    Ok(local)
}

fn manager_exit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor '__exit__' needs an argument"));
    };
    let Some(m) = s.downcast_exact::<ManagerObj>() else {
        return Err(vm.type_error("descriptor '__exit__' requires a ContextManager"));
    };
    let global = m.global.clone();
    setcontext(vm, &Args::new(std::slice::from_ref(&global)))?;
    Ok(Value::none())
}

// ---- Context construction and attributes ---------------------------------------------

fn context_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    let tmpl = TEMPLATES[0].load(Ordering::Acquire);
    let mut s = if tmpl != 0 {
        state(&stored(&TEMPLATES[0]))
    } else {
        DEFAULT
    };
    s.capitals = true;
    Ok(make(cls, s))
}

fn this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<(&'a Value, &'a CtxObj)> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    match ctx_obj(s) {
        Some(c) => Ok((s, c)),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 'decimal.Context' objects doesn't apply to a '{}' object",
            s.type_data().name
        ))),
    }
}

fn context_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__init__", a)?;
    let rest = Args {
        args: &a.args[1..],
        kwnames: a.kwnames,
    };
    let b = native_args::bind(vm, "Context", &rest, &SETTINGS, 0, 8)?;
    apply_settings(vm, s, &b)?;
    Ok(Value::none())
}

/// Set the given settings (None or absent: unchanged), in CPython's order.
fn apply_settings(vm: &mut Vm, c: &Value, vals: &[Option<&Value>]) -> PyResult<()> {
    let order = [0usize, 1, 2, 3, 4, 5, 7, 6];
    for i in order {
        if let Some(v) = vals.get(i).copied().flatten()
            && !v.is_none()
        {
            set_setting(vm, c, SETTINGS[i], v, true)?;
        }
    }
    Ok(())
}

fn ssize(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if crate::types::int::as_int(v).is_none() {
        let tn = v.type_data().name.clone();
        return Err(vm.type_error(format!("'{tn}' object cannot be interpreted as an integer")));
    }
    native_args::ssize_arg(vm, Some(v), 0)
}

/// Set one setting; `from_init`: the constructor's (and localcontext's) argument,
/// where `flags` and `traps` may also be lists of signals.
fn set_setting(vm: &mut Vm, c: &Value, name: &str, v: &Value, from_init: bool) -> PyResult<()> {
    let Some(o) = ctx_obj(c) else { return Ok(()) };
    match name {
        "prec" => {
            let x = ssize(vm, v)?;
            if !(1..=MAX_PREC).contains(&x) {
                return Err(vm.value_error("valid range for prec is [1, MAX_PREC]"));
            }
            o.st.with(|s| s.ctx.prec = x);
        }
        "Emin" => {
            let x = ssize(vm, v)?;
            if !(MIN_EMIN..=0).contains(&x) {
                return Err(vm.value_error("valid range for Emin is [MIN_EMIN, 0]"));
            }
            o.st.with(|s| s.ctx.emin = x);
        }
        "Emax" => {
            let x = ssize(vm, v)?;
            if !(0..=MAX_EMAX).contains(&x) {
                return Err(vm.value_error("valid range for Emax is [0, MAX_EMAX]"));
            }
            o.st.with(|s| s.ctx.emax = x);
        }
        "rounding" => {
            let r = as_str(v).and_then(Round::from_name);
            let Some(r) = r else {
                return Err(vm.type_error(
                    "valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]",
                ));
            };
            o.st.with(|s| s.ctx.round = r);
        }
        "capitals" => {
            let x = ssize(vm, v)?;
            if x != 0 && x != 1 {
                return Err(vm.value_error("valid values for capitals are 0 or 1"));
            }
            o.st.with(|s| s.capitals = x == 1);
        }
        "clamp" => {
            let x = ssize(vm, v)?;
            if x != 0 && x != 1 {
                return Err(vm.value_error("valid values for clamp are 0 or 1"));
            }
            o.st.with(|s| s.ctx.clamp = x == 1);
        }
        "flags" | "traps" => {
            let bits = if from_init && v.downcast::<ListObj>().is_some() {
                list_as_flags(vm, v)?
            } else {
                dict_as_flags(vm, v)?
            };
            if name == "flags" {
                o.st.with(|s| s.flags = bits);
            } else {
                o.st.with(|s| s.traps = bits);
            }
        }
        _ => {}
    }
    Ok(())
}

fn invalid_signals(vm: &mut Vm) -> PyErr {
    let _ = vm;
    PyErr {
        exc: crate::vm::new_instance_of(
            &Value::from_borrowed(crate::world::types().key_error),
            vec![new_str(
                "valid values for signals are:\n  [InvalidOperation, FloatOperation, DivisionByZero,\n   Overflow, Underflow, Subnormal, Inexact, Rounded,\n   Clamped]",
            )],
        ),
    }
}

fn signal_bits(vm: &mut Vm, k: &Value) -> PyResult<u32> {
    signals::bits_of_class(k).ok_or_else(|| invalid_signals(vm))
}

fn list_as_flags(vm: &mut Vm, v: &Value) -> PyResult<u32> {
    let items = v
        .downcast::<ListObj>()
        .map(|l| l.snapshot())
        .unwrap_or_default();
    let mut bits = 0;
    for it in items {
        bits |= signal_bits(vm, &it)?;
    }
    Ok(bits)
}

fn dict_as_flags(vm: &mut Vm, v: &Value) -> PyResult<u32> {
    if let Some(sd) = native::downcast::<SignalDictObj>(v) {
        return Ok(sd_bits(sd));
    }
    let Some(d) = v.downcast::<DictObj>() else {
        return Err(vm.type_error("argument must be a signal dict"));
    };
    let key_err = |vm: &mut Vm| vm.err(crate::world::types().key_error, "invalid signal dict");
    if d.len() != SIGNALS.len() {
        return Err(key_err(vm));
    }
    let mut bits = 0;
    for (n, b) in SIGNALS {
        let Some(x) = d.get(vm, &signals::class(n))? else {
            return Err(key_err(vm));
        };
        if ops::truthy(vm, &x)? {
            bits |= b;
        }
    }
    Ok(bits)
}

macro_rules! getter {
    ($fname:ident, $pyname:literal, |$s:ident| $e:expr) => {
        fn $fname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (_, c) = this(vm, $pyname, a)?;
            let $s = c.st.read(|s| *s);
            Ok($e)
        }
    };
}
getter!(get_prec, "prec", |s| Value::int(s.ctx.prec));
getter!(get_emin, "Emin", |s| Value::int(s.ctx.emin));
getter!(get_emax, "Emax", |s| Value::int(s.ctx.emax));
getter!(get_capitals, "capitals", |s| Value::int(s.capitals as i64));
getter!(get_clamp, "clamp", |s| Value::int(s.ctx.clamp as i64));
getter!(get_rounding, "rounding", |s| crate::world::intern(
    s.ctx.round.name()
));
getter!(etiny, "Etiny", |s| Value::int(s.ctx.etiny()));
getter!(etop, "Etop", |s| Value::int(s.ctx.etop()));

fn get_flags(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, c) = this(vm, "flags", a)?;
    Ok(c.flags.clone())
}

fn get_traps(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, c) = this(vm, "traps", a)?;
    Ok(c.traps.clone())
}

macro_rules! setter {
    ($fname:ident, $pyname:literal) => {
        fn $fname(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (s, _) = this(vm, $pyname, a)?;
            let Some(v) = a.pos().get(1) else {
                return Err(vm.type_error("setter needs a value"));
            };
            set_setting(vm, s, $pyname, v, false)?;
            Ok(Value::none())
        }
    };
}
setter!(set_prec, "prec");
setter!(set_emin, "Emin");
setter!(set_emax, "Emax");
setter!(set_capitals, "capitals");
setter!(set_clamp, "clamp");
setter!(set_rounding, "rounding");
setter!(set_flags, "flags");
setter!(set_traps, "traps");

fn no_delete(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error("context attributes cannot be deleted"))
}

/// The names of the signals set in `bits`, in bit order (`mpd_lsnprint_signals`).
fn signal_names(bits: u32) -> String {
    let order: [(u32, &str); 9] = [
        (signals::CLAMPED, "Clamped"),
        (signals::IEEE_INVALID, "InvalidOperation"),
        (signals::DIVISION_BY_ZERO, "DivisionByZero"),
        (signals::INEXACT, "Inexact"),
        (signals::FLOAT_OPERATION, "FloatOperation"),
        (signals::OVERFLOW, "Overflow"),
        (signals::ROUNDED, "Rounded"),
        (signals::SUBNORMAL, "Subnormal"),
        (signals::UNDERFLOW, "Underflow"),
    ];
    // InvalidOperation's first bit sits between Clamped and DivisionByZero.
    let names: Vec<&str> = order
        .iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|(_, n)| *n)
        .collect();
    format!("[{}]", names.join(", "))
}

fn context_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, c) = this(vm, "__repr__", a)?;
    let s = c.st.read(|s| *s);
    Ok(new_string(format!(
        "Context(prec={}, rounding={}, Emin={}, Emax={}, capitals={}, clamp={}, flags={}, traps={})",
        s.ctx.prec,
        s.ctx.round.name(),
        s.ctx.emin,
        s.ctx.emax,
        s.capitals as i32,
        s.ctx.clamp as i32,
        signal_names(s.flags),
        signal_names(s.traps)
    )))
}

fn context_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, c) = this(vm, "copy", a)?;
    let s = c.st.read(|s| *s);
    Ok(make(&context_type(), s))
}

fn clear_flags(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, c) = this(vm, "clear_flags", a)?;
    c.st.with(|s| s.flags = 0);
    Ok(Value::none())
}

fn clear_traps(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, c) = this(vm, "clear_traps", a)?;
    c.st.with(|s| s.traps = 0);
    Ok(Value::none())
}

fn radix(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    native_args::this(vm, "radix", a, 0, 0)?;
    Ok(super::decimal_type::wrap(super::number::Dec::from_i64(10)))
}

/// The signal classes set in `bits`, in signal order (`signals_as_list`).
fn signals_as_list(bits: u32) -> Value {
    let items = SIGNALS
        .iter()
        .filter(|(_, b)| bits & b != 0)
        .map(|(n, _)| signals::class(n))
        .collect();
    ListObj::new_value(items)
}

fn context_reduce(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (v, c) = this(vm, "__reduce__", a)?;
    let s = c.st.read(|s| *s);
    let args = TupleObj::from_items([
        Value::int(s.ctx.prec),
        new_str(s.ctx.round.name()),
        Value::int(s.ctx.emin),
        Value::int(s.ctx.emax),
        Value::int(s.capitals as i64),
        Value::int(s.ctx.clamp as i64),
        signals_as_list(s.flags),
        signals_as_list(s.traps),
    ]);
    Ok(TupleObj::from_items([v.type_of(), args]))
}

// ---- SignalDict ----------------------------------------------------------------------

fn sd_bits(sd: &SignalDictObj) -> u32 {
    sd.st.read(|s| if sd.traps { s.traps } else { s.flags })
}

fn sd_this<'a>(vm: &mut Vm, name: &str, a: &Args<'a>) -> PyResult<&'a SignalDictObj> {
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error(format!("descriptor '{name}' needs an argument")));
    };
    native::downcast::<SignalDictObj>(s).ok_or_else(|| vm.value_error("invalid signal dict"))
}

fn sd_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sd = sd_this(vm, "__getitem__", a)?;
    let (_, p) = native_args::this(vm, "__getitem__", a, 1, 1)?;
    let b = signal_bits(vm, &p[0])?;
    Ok(Value::bool(sd_bits(sd) & b != 0))
}

fn sd_setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sd = sd_this(vm, "__setitem__", a)?;
    let (_, p) = native_args::this(vm, "__setitem__", a, 2, 2)?;
    let b = signal_bits(vm, &p[0])?;
    let on = ops::truthy(vm, &p[1])?;
    let traps = sd.traps;
    sd.st.with(|s| {
        let w = if traps { &mut s.traps } else { &mut s.flags };
        if on {
            *w |= b;
        } else {
            *w &= !b;
        }
    });
    Ok(Value::none())
}

fn sd_delitem(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.value_error("signal keys cannot be deleted"))
}

fn sd_len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    sd_this(vm, "__len__", a)?;
    Ok(Value::int(SIGNALS.len() as i64))
}

fn sd_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    sd_this(vm, "__iter__", a)?;
    let t = TupleObj::new_value(SIGNALS.iter().map(|(n, _)| signals::class(n)).collect());
    ops::get_iter(vm, &t)
}

fn sd_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sd = sd_this(vm, "__repr__", a)?;
    let bits = sd_bits(sd);
    let parts: Vec<String> = SIGNALS
        .iter()
        .map(|(n, b)| {
            let v = if bits & b != 0 { "True" } else { "False" };
            format!("<class 'decimal.{n}'>:{v}")
        })
        .collect();
    Ok(new_string(format!("{{{}}}", parts.join(", "))))
}

fn flags_as_dict(vm: &mut Vm, bits: u32) -> PyResult<Value> {
    let d = DictObj::new();
    for (n, b) in SIGNALS {
        d.set(vm, signals::class(n), Value::bool(bits & b != 0))?;
    }
    Ok(Value::alloc(d))
}

fn sd_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sd = sd_this(vm, "copy", a)?;
    flags_as_dict(vm, sd_bits(sd))
}

fn sd_compare(vm: &mut Vm, a: &Args, ne: bool) -> PyResult<Value> {
    let sd = sd_this(vm, "__eq__", a)?;
    let (_, p) = native_args::this(vm, "__eq__", a, 1, 1)?;
    let mine = sd_bits(sd);
    let other = if let Some(o) = native::downcast::<SignalDictObj>(&p[0]) {
        sd_bits(o)
    } else if p[0].downcast::<DictObj>().is_some() {
        match dict_as_flags(vm, &p[0]) {
            Ok(b) => b,
            Err(_) => return Ok(Value::not_implemented()),
        }
    } else {
        return Ok(Value::not_implemented());
    };
    Ok(Value::bool((mine == other) ^ ne))
}

fn sd_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    sd_compare(vm, a, false)
}

fn sd_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    sd_compare(vm, a, true)
}

// ---- module setup --------------------------------------------------------------------

/// Create the Context, SignalDict and ContextManager types, the three templates and
/// the current-context variable; returns `(name, value)` pairs for the module.
pub fn init(vm: &mut Vm) -> PyResult<Vec<(&'static str, Value)>> {
    let mixin = new_type::<SignalDictObj>(
        "SignalDictMixin",
        "decimal",
        object_type(),
        Kind::Native,
        &SIGNAL_DICT_T,
        &SIGNAL_DICT_MIXIN,
    );
    methods(
        &mixin,
        &[
            ("__getitem__", sd_getitem),
            ("__setitem__", sd_setitem),
            ("__delitem__", sd_delitem),
            ("__len__", sd_len),
            ("__iter__", sd_iter),
            ("__repr__", sd_repr),
            ("__eq__", sd_eq),
            ("__ne__", sd_ne),
            ("copy", sd_copy),
        ],
    );
    native_args::attr(&mixin, "__hash__", Value::none());
    if SIGNAL_DICT.load(Ordering::Acquire) == 0 {
        let abc = crate::import::import_module(vm, "collections.abc")?;
        let mm = ops::getattr_str(vm, &abc, "MutableMapping")?;
        let ns = DictObj::new();
        ns.set_str("__module__", new_str("decimal"));
        let tyty = Value::from_borrowed(crate::world::types().type_);
        let sd = vm.call(
            &tyty,
            &[
                new_str("SignalDict"),
                TupleObj::from_items([mixin.clone(), mm]),
                Value::alloc(ns),
            ],
        )?;
        crate::shared_immortal::module_class(&sd);
        SIGNAL_DICT.store(sd.bits(), Ordering::Release);
    }
    let ctx = new_type::<CtxObj>(
        "Context",
        "decimal",
        object_type(),
        Kind::Native,
        &CONTEXT_T,
        &CONTEXT,
    );
    methods(
        &ctx,
        &[
            ("__init__", context_init),
            ("__repr__", context_repr),
            ("__reduce__", context_reduce),
            ("copy", context_copy),
            ("__copy__", context_copy),
            ("clear_flags", clear_flags),
            ("clear_traps", clear_traps),
            ("Etiny", etiny),
            ("Etop", etop),
            ("radix", radix),
        ],
    );
    getset_del(&ctx, "prec", get_prec, set_prec, no_delete);
    getset_del(&ctx, "Emin", get_emin, set_emin, no_delete);
    getset_del(&ctx, "Emax", get_emax, set_emax, no_delete);
    getset_del(&ctx, "rounding", get_rounding, set_rounding, no_delete);
    getset_del(&ctx, "capitals", get_capitals, set_capitals, no_delete);
    getset_del(&ctx, "clamp", get_clamp, set_clamp, no_delete);
    getset_del(&ctx, "flags", get_flags, set_flags, no_delete);
    getset_del(&ctx, "traps", get_traps, set_traps, no_delete);
    super::ops_table::install_context_methods(&ctx);

    let mgr = new_type::<ManagerObj>(
        "ContextManager",
        "decimal",
        object_type(),
        Kind::Native,
        &MANAGER_T,
        &CONTEXT_MANAGER,
    );
    methods(
        &mgr,
        &[("__enter__", manager_enter), ("__exit__", manager_exit)],
    );

    if TEMPLATES[0].load(Ordering::Acquire) == 0 {
        let basic = State {
            ctx: Ctx {
                prec: 9,
                round: Round::HalfUp,
                ..DEFAULT.ctx
            },
            traps: DEFAULT.traps | signals::UNDERFLOW | signals::CLAMPED,
            ..DEFAULT
        };
        let extended = State {
            ctx: Ctx {
                prec: 9,
                ..DEFAULT.ctx
            },
            traps: 0,
            ..DEFAULT
        };
        for (i, s) in [DEFAULT, basic, extended].into_iter().enumerate() {
            let c = make(&ctx, s);
            crate::object::make_immortal(c.raw());
            // Its signal dicts (and their instance dicts) live as long as it does.
            if let Some(o) = ctx_obj(&c) {
                for d in [&o.flags, &o.traps] {
                    crate::object::make_immortal(d.raw());
                    if let Some(idict) = d.type_data().instance_dict(d) {
                        crate::object::make_immortal(idict.raw());
                    }
                }
            }
            TEMPLATES[i].store(c.bits(), Ordering::Release);
        }
        let cv = crate::import::import_module(vm, "_contextvars")?;
        let cvt = ops::getattr_str(vm, &cv, "ContextVar")?;
        let name = new_str("decimal_context");
        crate::object::make_immortal(name.raw());
        let var = vm.call(&cvt, &[name])?;
        crate::object::make_immortal(var.raw());
        CURRENT_VAR.store(var.bits(), Ordering::Release);
    }
    let f = |n: &'static str, f| (n, crate::types::func::new_module_builtin(n, f, "decimal"));
    Ok(vec![
        ("Context", ctx),
        ("DefaultContext", stored(&TEMPLATES[0])),
        ("BasicContext", stored(&TEMPLATES[1])),
        ("ExtendedContext", stored(&TEMPLATES[2])),
        f("getcontext", getcontext),
        f("setcontext", setcontext),
        f("localcontext", localcontext),
    ])
}
