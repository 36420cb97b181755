//! `_locale`: the C library's locale (setlocale, localeconv, nl_langinfo, strcoll,
//! strxfrm, getencoding). As CPython does at startup, LC_CTYPE is taken from the
//! environment, and a "C"/"POSIX" LC_CTYPE is coerced to C.UTF-8 when LC_ALL is not
//! set (PEP 538); the other categories stay "C" until a program sets them.
use std::ffi::{CStr, CString};
use std::sync::OnceLock;

use super::args;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// Applies the startup LC_CTYPE once per process.
pub fn ensure_ctype() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: setlocale with a NUL-terminated string; done once, early.
        unsafe {
            let r = libc::setlocale(libc::LC_CTYPE, c"".as_ptr());
            let cur = if r.is_null() {
                String::from("C")
            } else {
                CStr::from_ptr(r).to_string_lossy().into_owned()
            };
            if (cur == "C" || cur == "POSIX") && std::env::var_os("LC_ALL").is_none() {
                libc::setlocale(libc::LC_CTYPE, c"C.UTF-8".as_ptr());
            }
        }
    });
}

/// The locale's character encoding (`nl_langinfo(CODESET)`).
pub fn codeset() -> String {
    ensure_ctype();
    // SAFETY: nl_langinfo returns a NUL-terminated string owned by the C library.
    unsafe {
        let p = libc::nl_langinfo(libc::CODESET);
        if p.is_null() {
            return String::from("UTF-8");
        }
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// `_locale.Error` (a subclass of Exception made at first import).
static ERROR: OnceLock<u64> = OnceLock::new();

fn error_type(vm: &mut Vm) -> PyResult<Value> {
    if let Some(b) = ERROR.get() {
        return Ok(Value::from_borrowed(stitch_stencils::value::RawValue(*b)));
    }
    let ns = DictObj::new();
    ns.set_str("__module__", new_str("locale"));
    let bases = TupleObj::from_items([Value::from_borrowed(types().exception)]);
    let t = Value::from_borrowed(types().type_);
    let cls = vm.call(&t, &[new_str("Error"), bases, Value::alloc(ns)])?;
    crate::object::make_immortal(cls.raw());
    let _ = ERROR.set(cls.bits());
    Ok(cls)
}

const LANGINFO: &[(&str, libc::nl_item)] = &[
    ("CODESET", libc::CODESET),
    ("D_T_FMT", libc::D_T_FMT),
    ("D_FMT", libc::D_FMT),
    ("T_FMT", libc::T_FMT),
    ("T_FMT_AMPM", libc::T_FMT_AMPM),
    ("AM_STR", libc::AM_STR),
    ("PM_STR", libc::PM_STR),
    ("DAY_1", libc::DAY_1),
    ("DAY_2", libc::DAY_2),
    ("DAY_3", libc::DAY_3),
    ("DAY_4", libc::DAY_4),
    ("DAY_5", libc::DAY_5),
    ("DAY_6", libc::DAY_6),
    ("DAY_7", libc::DAY_7),
    ("ABDAY_1", libc::ABDAY_1),
    ("ABDAY_2", libc::ABDAY_2),
    ("ABDAY_3", libc::ABDAY_3),
    ("ABDAY_4", libc::ABDAY_4),
    ("ABDAY_5", libc::ABDAY_5),
    ("ABDAY_6", libc::ABDAY_6),
    ("ABDAY_7", libc::ABDAY_7),
    ("MON_1", libc::MON_1),
    ("MON_2", libc::MON_2),
    ("MON_3", libc::MON_3),
    ("MON_4", libc::MON_4),
    ("MON_5", libc::MON_5),
    ("MON_6", libc::MON_6),
    ("MON_7", libc::MON_7),
    ("MON_8", libc::MON_8),
    ("MON_9", libc::MON_9),
    ("MON_10", libc::MON_10),
    ("MON_11", libc::MON_11),
    ("MON_12", libc::MON_12),
    ("ABMON_1", libc::ABMON_1),
    ("ABMON_2", libc::ABMON_2),
    ("ABMON_3", libc::ABMON_3),
    ("ABMON_4", libc::ABMON_4),
    ("ABMON_5", libc::ABMON_5),
    ("ABMON_6", libc::ABMON_6),
    ("ABMON_7", libc::ABMON_7),
    ("ABMON_8", libc::ABMON_8),
    ("ABMON_9", libc::ABMON_9),
    ("ABMON_10", libc::ABMON_10),
    ("ABMON_11", libc::ABMON_11),
    ("ABMON_12", libc::ABMON_12),
    ("RADIXCHAR", libc::RADIXCHAR),
    ("THOUSEP", libc::THOUSEP),
    ("YESEXPR", libc::YESEXPR),
    ("NOEXPR", libc::NOEXPR),
    ("CRNCYSTR", libc::CRNCYSTR),
    ("ERA", libc::ERA),
    ("ERA_D_FMT", libc::ERA_D_FMT),
    ("ERA_D_T_FMT", libc::ERA_D_T_FMT),
    ("ERA_T_FMT", libc::ERA_T_FMT),
    ("ALT_DIGITS", libc::ALT_DIGITS),
    ("_DATE_FMT", 0x2006c),
];

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    ensure_ctype();
    let m = args::module(
        "_locale",
        &[
            ("setlocale", setlocale),
            ("localeconv", localeconv),
            ("nl_langinfo", nl_langinfo),
            ("strcoll", strcoll),
            ("strxfrm", strxfrm),
            ("getencoding", getencoding),
        ],
    );
    args::consts(
        &m,
        &[
            ("LC_CTYPE", libc::LC_CTYPE as i64),
            ("LC_COLLATE", libc::LC_COLLATE as i64),
            ("LC_TIME", libc::LC_TIME as i64),
            ("LC_MONETARY", libc::LC_MONETARY as i64),
            ("LC_NUMERIC", libc::LC_NUMERIC as i64),
            ("LC_ALL", libc::LC_ALL as i64),
            ("LC_MESSAGES", libc::LC_MESSAGES as i64),
            ("CHAR_MAX", 127),
        ],
    );
    for (n, v) in LANGINFO {
        args::set(&m, n, Value::int(*v as i64));
    }
    let e = error_type(vm)?;
    args::set(&m, "Error", e);
    Ok(m)
}

fn cstr(p: *const libc::c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the C library returns NUL-terminated strings.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

fn setlocale(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "setlocale", a, 1, 2)?;
    let cat = args::c_int(vm, &p[0])?;
    let loc = p.get(1).filter(|l| !l.is_none());
    let r = match loc {
        Some(l) => {
            let Some(s) = as_str(l) else {
                let tn = crate::builtins::type_name(l);
                return Err(vm.type_error(format!(
                    "setlocale() argument 2 must be str or None, not {tn}"
                )));
            };
            let Ok(c) = CString::new(s) else {
                return Err(vm.value_error("embedded null character"));
            };
            // SAFETY: NUL-terminated locale name.
            unsafe { libc::setlocale(cat, c.as_ptr()) }
        }
        // SAFETY: a query (NULL locale).
        None => unsafe { libc::setlocale(cat, std::ptr::null()) },
    };
    if r.is_null() {
        let e = error_type(vm)?;
        let exc = vm.call(&e, &[new_str("unsupported locale setting")])?;
        return Err(crate::vm::PyErr { exc });
    }
    Ok(new_string(cstr(r)))
}

fn grouping(p: *const libc::c_char) -> Value {
    let mut out = Vec::new();
    if !p.is_null() {
        // SAFETY: the grouping string is NUL-terminated.
        let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
        for &b in bytes {
            out.push(Value::int(b as i64));
            if b == 127 {
                break;
            }
        }
        if !bytes.is_empty() && bytes.last() != Some(&127) {
            out.push(Value::int(0));
        }
    }
    ListObj::new_value(out)
}

fn localeconv(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "_locale.localeconv", a)?;
    // SAFETY: localeconv returns a pointer to static data, read at once.
    let l = unsafe { &*libc::localeconv() };
    let d = DictObj::new();
    let s = |p: *const libc::c_char| new_string(cstr(p));
    let c = |x: libc::c_char| Value::int(x as u8 as i64);
    d.set_str("int_curr_symbol", s(l.int_curr_symbol));
    d.set_str("currency_symbol", s(l.currency_symbol));
    d.set_str("mon_decimal_point", s(l.mon_decimal_point));
    d.set_str("mon_thousands_sep", s(l.mon_thousands_sep));
    d.set_str("mon_grouping", grouping(l.mon_grouping));
    d.set_str("positive_sign", s(l.positive_sign));
    d.set_str("negative_sign", s(l.negative_sign));
    d.set_str("int_frac_digits", c(l.int_frac_digits));
    d.set_str("frac_digits", c(l.frac_digits));
    d.set_str("p_cs_precedes", c(l.p_cs_precedes));
    d.set_str("p_sep_by_space", c(l.p_sep_by_space));
    d.set_str("n_cs_precedes", c(l.n_cs_precedes));
    d.set_str("n_sep_by_space", c(l.n_sep_by_space));
    d.set_str("p_sign_posn", c(l.p_sign_posn));
    d.set_str("n_sign_posn", c(l.n_sign_posn));
    d.set_str("decimal_point", s(l.decimal_point));
    d.set_str("thousands_sep", s(l.thousands_sep));
    d.set_str("grouping", grouping(l.grouping));
    Ok(Value::alloc(d))
}

fn nl_langinfo(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "nl_langinfo", a, 1, 1)?;
    let key = args::c_int(vm, &p[0])?;
    if !LANGINFO.iter().any(|(_, k)| *k == key) {
        return Err(vm.value_error("unsupported langinfo constant"));
    }
    // SAFETY: a supported item; the result is NUL-terminated C library data.
    let r = unsafe { libc::nl_langinfo(key) };
    Ok(new_string(cstr(r)))
}

fn str_arg(vm: &mut Vm, v: &Value, n: usize, f: &str) -> PyResult<CString> {
    let Some(s) = as_str(v) else {
        let tn = crate::builtins::type_name(v);
        return Err(vm.type_error(format!("{f}() argument {n} must be str, not {tn}")));
    };
    CString::new(s).map_err(|_| vm.value_error("embedded null character"))
}

fn strcoll(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "strcoll", a, 2, 2)?;
    let x = str_arg(vm, &p[0], 1, "strcoll")?;
    let y = str_arg(vm, &p[1], 2, "strcoll")?;
    // SAFETY: NUL-terminated strings.
    let r = unsafe { libc::strcoll(x.as_ptr(), y.as_ptr()) };
    Ok(Value::int(r as i64))
}

fn strxfrm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = args::positional(vm, "strxfrm", a, 1, 1)?;
    let x = str_arg(vm, &p[0], 1, "strxfrm")?;
    // SAFETY: a NULL buffer with size 0 asks for the length.
    let n = unsafe { libc::strxfrm(std::ptr::null_mut(), x.as_ptr(), 0) };
    let mut buf = vec![0u8; n + 1];
    // SAFETY: buf has n + 1 writable bytes.
    unsafe { libc::strxfrm(buf.as_mut_ptr().cast(), x.as_ptr(), n + 1) };
    buf.truncate(n);
    Ok(new_string(String::from_utf8_lossy(&buf).into_owned()))
}

fn getencoding(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    args::none(vm, "_locale.getencoding", a)?;
    let c = codeset();
    Ok(new_string(c))
}
