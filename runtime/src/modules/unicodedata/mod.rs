//! `unicodedata`: the Unicode Character Database as CPython 3.11 has it (Unicode
//! 14.0.0), and the 3.2.0 database (`ucd_3_2_0`, used by the Lib's `stringprep` and the
//! `idna` codec).
//!
//! Character properties come from `tables.rs`, generated from CPython 3.11's own
//! database (`scripts/gen_unicodedata.py`) so that every answer matches it. Names come
//! from the `unicode_names2` crate (Unicode 16.0), restricted to the characters assigned
//! in the version asked about; normalization from the `unicode-normalization` crate
//! (normalization of assigned characters is stable across Unicode versions).
mod tables;

use std::sync::atomic::{AtomicU64, Ordering};

use unicode_normalization::{IsNormalized, UnicodeNormalization};

use super::native_args::{getset, methods, module, object_type, set, unpack};
use crate::native_payload;
use crate::types::bytes::BytesObj;
use crate::types::class::Kind;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

/// Which database a call reads: the current one or 3.2.0.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Db {
    Current,
    V3_2,
}

/// The properties of one code point.
struct Props {
    category: &'static str,
    bidi: &'static str,
    combining: u8,
    eaw: &'static str,
    mirrored: bool,
}

fn props(db: Db, c: char) -> Props {
    let runs = match db {
        Db::Current => tables::RUNS,
        Db::V3_2 => tables::RUNS_3_2,
    };
    let cp = c as u32;
    let i = runs.partition_point(|(start, _)| *start <= cp) - 1;
    let (cat, bidi, comb, eaw, mir) = tables::RECORDS[runs[i].1 as usize];
    Props {
        category: tables::CATEGORIES[cat as usize],
        bidi: tables::BIDI[bidi as usize],
        combining: comb,
        eaw: tables::EAW[eaw as usize],
        mirrored: mir,
    }
}

/// Is `c` one that `repr` escapes and `str.isprintable` rejects: CPython's
/// `Py_UNICODE_ISPRINTABLE` is false for the categories "Other" (Cc, Cf, Cs, Co, Cn)
/// and "Separator" (Zl, Zp, Zs) but the ASCII space.
pub(crate) fn is_unprintable(c: char) -> bool {
    c != ' '
        && matches!(
            props(Db::Current, c).category,
            "Cc" | "Cf" | "Cs" | "Co" | "Cn" | "Zl" | "Zp" | "Zs"
        )
}

/// The value of a Unicode decimal digit (category Nd), as `int()` reads it.
pub(crate) fn decimal_digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    u8::try_from(numeric_values(Db::Current, c).0).ok()
}

/// `s` with its non-ASCII decimal digits as ASCII ones (the digits `int()` and
/// `Decimal()` accept, `_PyUnicode_TransformDecimalAndSpaceToASCII`'s digit half).
pub(crate) fn ascii_digits(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match decimal_digit(c) {
            Some(d) if !c.is_ascii() => (b'0' + d) as char,
            _ => c,
        })
        .collect::<String>()
        .into()
}

/// (decimal, digit, numeric) of `c`, each absent as -1 / NaN.
fn numeric_values(db: Db, c: char) -> (i8, i8, f64) {
    let cp = c as u32;
    if db == Db::V3_2
        && let Ok(i) = tables::NUMERIC_3_2.binary_search_by_key(&cp, |r| r.0)
    {
        let r = tables::NUMERIC_3_2[i];
        return (r.1, r.2, r.3);
    }
    match tables::NUMERIC.binary_search_by_key(&cp, |r| r.0) {
        Ok(i) => {
            let r = tables::NUMERIC[i];
            (r.1, r.2, r.3)
        }
        Err(_) => (-1, -1, f64::NAN),
    }
}

fn decomposition_of(db: Db, c: char) -> &'static str {
    let cp = c as u32;
    if db == Db::V3_2
        && let Ok(i) = tables::DECOMPOSITION_3_2.binary_search_by_key(&cp, |r| r.0)
    {
        return tables::DECOMPOSITION_3_2[i].1;
    }
    match tables::DECOMPOSITION.binary_search_by_key(&cp, |r| r.0) {
        Ok(i) => tables::DECOMPOSITION[i].1,
        Err(_) => "",
    }
}

/// Is `c` assigned in `db`? (Unassigned code points have no name.)
fn assigned(db: Db, c: char) -> bool {
    props(db, c).category != "Cn"
}

fn name_of(db: Db, c: char) -> Option<String> {
    if !assigned(db, c) {
        return None;
    }
    unicode_names2::name(c).map(|n| n.to_string())
}

// ---- the UCD type --------------------------------------------------------------------

/// A database object (`unicodedata.ucd_3_2_0`): the module's functions as methods.
pub struct UcdObj {
    db: Db,
}
native_payload!(UcdObj, UCD);
static UCD_T: NativeType = NativeType::of::<UcdObj>();

/// The database of a method call (`self` a UCD object) and its remaining arguments.
fn split<'a>(vm: &mut Vm, a: &Args<'a>, method: bool) -> PyResult<(Db, Args<'a>)> {
    if !method {
        return Ok((
            Db::Current,
            Args {
                args: a.args,
                kwnames: a.kwnames,
            },
        ));
    }
    let Some(s) = a.pos().first() else {
        return Err(vm.type_error("descriptor needs an argument"));
    };
    let Some(u) = native::downcast::<UcdObj>(s) else {
        return Err(vm.type_error("descriptor requires a 'unicodedata.UCD' object"));
    };
    Ok((
        u.db,
        Args {
            args: &a.args[1..],
            kwnames: a.kwnames,
        },
    ))
}

/// The one-character argument of `fname`.
fn the_char(vm: &mut Vm, fname: &str, v: &Value) -> PyResult<char> {
    if let Some(s) = as_str(v) {
        let mut it = s.chars();
        if let (Some(c), None) = (it.next(), it.next()) {
            return Ok(c);
        }
    }
    let tn = v.type_data().name.clone();
    Err(vm.type_error(format!(
        "{fname}() argument must be a unicode character, not {tn}"
    )))
}

/// A function of one character (`unicodedata.category() takes exactly one argument`).
fn one_char(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<char> {
    if a.has_kw() {
        return Err(vm.type_error(format!("{fname}() takes no keyword arguments")));
    }
    match a.pos() {
        [v] => the_char(vm, fname, v),
        p => Err(vm.type_error(format!(
            "unicodedata.{fname}() takes exactly one argument ({} given)",
            p.len()
        ))),
    }
}

/// A character and an optional default (`decimal`, `digit`, `numeric`, `name`).
fn char_default<'a>(vm: &mut Vm, fname: &str, a: &Args<'a>) -> PyResult<(char, Option<&'a Value>)> {
    let p = unpack(vm, fname, a, 1, 2)?;
    let c = the_char(vm, fname, &p[0])?;
    Ok((c, p.get(1)))
}

macro_rules! both {
    ($f:ident, $m:ident, $imp:ident) => {
        fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (db, a) = split(vm, a, false)?;
            $imp(vm, db, &a)
        }
        fn $m(vm: &mut Vm, a: &Args) -> PyResult<Value> {
            let (db, a) = split(vm, a, true)?;
            $imp(vm, db, &a)
        }
    };
}

both!(category, m_category, category_imp);
both!(bidirectional, m_bidirectional, bidirectional_imp);
both!(combining, m_combining, combining_imp);
both!(east_asian_width, m_east_asian_width, eaw_imp);
both!(mirrored, m_mirrored, mirrored_imp);
both!(decimal, m_decimal, decimal_imp);
both!(digit, m_digit, digit_imp);
both!(numeric, m_numeric, numeric_imp);
both!(decomposition, m_decomposition, decomposition_imp);
both!(name, m_name, name_imp);
both!(lookup, m_lookup, lookup_imp);
both!(normalize, m_normalize, normalize_imp);
both!(is_normalized, m_is_normalized, is_normalized_imp);

fn category_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let c = one_char(vm, "category", a)?;
    // A lone surrogate (a flagged str's mapped code point, types/str.rs).
    if crate::types::str::is_mapped(c) && a.pos().first().is_some_and(crate::types::str::is_flagged)
    {
        return Ok(new_str("Cs"));
    }
    Ok(new_str(props(db, c).category))
}

fn bidirectional_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let c = one_char(vm, "bidirectional", a)?;
    Ok(new_str(props(db, c).bidi))
}

fn combining_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let c = one_char(vm, "combining", a)?;
    Ok(Value::int(props(db, c).combining as i64))
}

fn eaw_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let c = one_char(vm, "east_asian_width", a)?;
    Ok(new_str(props(db, c).eaw))
}

fn mirrored_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let c = one_char(vm, "mirrored", a)?;
    Ok(Value::int(props(db, c).mirrored as i64))
}

fn decimal_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let (c, default) = char_default(vm, "decimal", a)?;
    match (numeric_values(db, c).0, default) {
        (d, _) if d >= 0 => Ok(Value::int(d as i64)),
        (_, Some(v)) => Ok(v.clone()),
        _ => Err(vm.value_error("not a decimal")),
    }
}

fn digit_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let (c, default) = char_default(vm, "digit", a)?;
    match (numeric_values(db, c).1, default) {
        (d, _) if d >= 0 => Ok(Value::int(d as i64)),
        (_, Some(v)) => Ok(v.clone()),
        _ => Err(vm.value_error("not a digit")),
    }
}

fn numeric_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let (c, default) = char_default(vm, "numeric", a)?;
    match (numeric_values(db, c).2, default) {
        (n, _) if !n.is_nan() => Ok(Value::float(n)),
        (_, Some(v)) => Ok(v.clone()),
        _ => Err(vm.value_error("not a numeric character")),
    }
}

fn decomposition_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let c = one_char(vm, "decomposition", a)?;
    Ok(new_str(decomposition_of(db, c)))
}

fn name_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    let (c, default) = char_default(vm, "name", a)?;
    match (name_of(db, c), default) {
        (Some(n), _) => Ok(new_string(n)),
        (None, Some(v)) => Ok(v.clone()),
        (None, None) => Err(vm.value_error("no such name")),
    }
}

/// `lookup(name)`: a character by its name or alias, case-insensitively; a named
/// sequence's characters are not known.
fn lookup_imp(vm: &mut Vm, db: Db, a: &Args) -> PyResult<Value> {
    if a.has_kw() {
        return Err(vm.type_error("lookup() takes no keyword arguments"));
    }
    let p = a.pos();
    if p.len() != 1 {
        return Err(vm.type_error(format!(
            "unicodedata.lookup() takes exactly one argument ({} given)",
            p.len()
        )));
    }
    let name: String = if let Some(s) = as_str(&p[0]) {
        s.to_string()
    } else if let Some(b) = p[0].downcast::<BytesObj>() {
        String::from_utf8_lossy(&b.data).into_owned()
    } else {
        let tn = p[0].type_data().name.clone();
        return Err(vm.type_error(format!("a bytes-like object is required, not '{tn}'")));
    };
    if name.len() > 256 {
        let k = new_str("name too long");
        return Err(vm.key_error(k));
    }
    match unicode_names2::character(&name) {
        Some(c) if assigned(db, c) => Ok(new_string(c.to_string())),
        _ => {
            let k = new_string(format!("undefined character name '{name}'"));
            Err(vm.key_error(k))
        }
    }
}

#[derive(Clone, Copy)]
enum Form {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
}

fn form_and_text(vm: &mut Vm, fname: &str, a: &Args) -> PyResult<(Form, String)> {
    let p = unpack(vm, fname, a, 2, 2).map_err(|_| {
        vm.type_error(format!(
            "{fname} expected 2 arguments, got {}",
            a.pos().len()
        ))
    })?;
    let Some(f) = as_str(&p[0]) else {
        let tn = p[0].type_data().name.clone();
        return Err(vm.type_error(format!("{fname}() argument 1 must be str, not {tn}")));
    };
    let Some(s) = as_str(&p[1]) else {
        let tn = p[1].type_data().name.clone();
        return Err(vm.type_error(format!("{fname}() argument 2 must be str, not {tn}")));
    };
    let form = match f {
        "NFC" => Form::Nfc,
        "NFD" => Form::Nfd,
        "NFKC" => Form::Nfkc,
        "NFKD" => Form::Nfkd,
        _ => return Err(vm.value_error("invalid normalization form")),
    };
    Ok((form, s.to_string()))
}

fn normalize_imp(vm: &mut Vm, _db: Db, a: &Args) -> PyResult<Value> {
    let (form, s) = form_and_text(vm, "normalize", a)?;
    let out: String = match form {
        Form::Nfc => s.nfc().collect(),
        Form::Nfd => s.nfd().collect(),
        Form::Nfkc => s.nfkc().collect(),
        Form::Nfkd => s.nfkd().collect(),
    };
    if out == s {
        return Ok(a.pos()[1].clone());
    }
    Ok(new_string(out))
}

fn is_normalized_imp(vm: &mut Vm, _db: Db, a: &Args) -> PyResult<Value> {
    let (form, s) = form_and_text(vm, "is_normalized", a)?;
    let quick = match form {
        Form::Nfc => unicode_normalization::is_nfc_quick(s.chars()),
        Form::Nfd => unicode_normalization::is_nfd_quick(s.chars()),
        Form::Nfkc => unicode_normalization::is_nfkc_quick(s.chars()),
        Form::Nfkd => unicode_normalization::is_nfkd_quick(s.chars()),
    };
    let yes = match quick {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        IsNormalized::Maybe => {
            let n: String = match form {
                Form::Nfc => s.nfc().collect(),
                Form::Nfd => s.nfd().collect(),
                Form::Nfkc => s.nfkc().collect(),
                Form::Nfkd => s.nfkd().collect(),
            };
            n == s
        }
    };
    Ok(Value::bool(yes))
}

fn ucd_version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (db, _) = split(vm, a, true)?;
    Ok(new_str(match db {
        Db::Current => "14.0.0",
        Db::V3_2 => "3.2.0",
    }))
}

static UCD_3_2: AtomicU64 = AtomicU64::new(0);

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "unicodedata",
        &[
            ("bidirectional", bidirectional),
            ("category", category),
            ("combining", combining),
            ("decimal", decimal),
            ("decomposition", decomposition),
            ("digit", digit),
            ("east_asian_width", east_asian_width),
            ("is_normalized", is_normalized),
            ("lookup", lookup),
            ("mirrored", mirrored),
            ("name", name),
            ("normalize", normalize),
            ("numeric", numeric),
        ],
    );
    let t = new_type::<UcdObj>(
        "UCD",
        "unicodedata",
        object_type(),
        Kind::Native,
        &UCD_T,
        &UCD,
    );
    methods(
        &t,
        &[
            ("bidirectional", m_bidirectional),
            ("category", m_category),
            ("combining", m_combining),
            ("decimal", m_decimal),
            ("decomposition", m_decomposition),
            ("digit", m_digit),
            ("east_asian_width", m_east_asian_width),
            ("is_normalized", m_is_normalized),
            ("lookup", m_lookup),
            ("mirrored", m_mirrored),
            ("name", m_name),
            ("normalize", m_normalize),
            ("numeric", m_numeric),
        ],
    );
    getset(&t, "unidata_version", ucd_version, None);
    if UCD_3_2.load(Ordering::Acquire) == 0 {
        let u = Value::alloc(UcdObj { db: Db::V3_2 });
        crate::object::make_immortal(u.raw());
        UCD_3_2.store(u.raw().0, Ordering::Release);
    }
    set(&m, "UCD", t);
    set(
        &m,
        "ucd_3_2_0",
        Value::from_borrowed(stitch_stencils::value::RawValue(
            UCD_3_2.load(Ordering::Acquire),
        )),
    );
    set(&m, "unidata_version", new_str("14.0.0"));
    Ok(m)
}
