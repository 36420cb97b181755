//! `_csv`: the CSV reader and writer the Lib's `csv.py` (DictReader, DictWriter,
//! Sniffer) is written on. `Dialect` objects hold validated formatting parameters; a
//! reader runs CPython's character state machine over the lines its iterable yields; a
//! writer quotes and escapes each row's fields and hands the joined line to the file's
//! `write`. Messages and exception types are CPython's.
//!
//! A reader's parse state sits behind its object's lock; the lock is never held while
//! Python code runs (the next line is fetched first, then parsed under the lock).
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::binascii::exception_type;
use super::native_args::{getset, methods, module, new_args, object_type, set, this};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, iter_self, new_type, next_method};
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

const QUOTE_MINIMAL: i64 = 0;
const QUOTE_ALL: i64 = 1;
const QUOTE_NONNUMERIC: i64 = 2;
const QUOTE_NONE: i64 = 3;

/// `_csv.Error`, the registry of named dialects (an immortal dict) and the field size
/// limit, process-wide as CPython's module state is per interpreter.
static ERROR: AtomicU64 = AtomicU64::new(0);
static DIALECTS: AtomicU64 = AtomicU64::new(0);
static FIELD_LIMIT: AtomicI64 = AtomicI64::new(128 * 1024);

fn error(vm: &mut Vm, msg: impl Into<String>) -> PyErr {
    vm.err(RawValue(ERROR.load(Ordering::Acquire)), msg)
}

fn registry() -> &'static DictObj {
    let v = Value::from_borrowed(RawValue(DIALECTS.load(Ordering::Acquire)));
    // SAFETY: DIALECTS holds an immortal dict made in `init` before any use.
    unsafe { &*(v.payload_unchecked::<DictObj>() as *const DictObj) }
}

/// Empties the dialect registry at exit (its dialects are the program's objects).
pub fn clear() {
    if DIALECTS.load(Ordering::Acquire) != 0 {
        let gone = registry().d.with(|d| d.clear());
        drop(gone);
    }
}

// ---- Dialect ---------------------------------------------------------------------------

/// Validated formatting parameters (immutable once made).
pub struct DialectObj {
    delimiter: char,
    quotechar: Option<char>,
    escapechar: Option<char>,
    doublequote: bool,
    skipinitialspace: bool,
    strict: bool,
    quoting: i64,
    lineterminator: String,
}
native_payload!(DialectObj, DIALECT);
static DIALECT_T: NativeType = NativeType {
    new: Some(dialect_new),
    ..NativeType::of::<DialectObj>()
};

const PARAMS: [&str; 8] = [
    "delimiter",
    "doublequote",
    "escapechar",
    "lineterminator",
    "quotechar",
    "quoting",
    "skipinitialspace",
    "strict",
];

fn dialect_class() -> Value {
    Value::from_borrowed(<DialectObj as crate::value::PyPayload>::class())
}

fn one_char(vm: &mut Vm, name: &str, v: &Value, or_none: bool) -> PyResult<Option<char>> {
    if or_none && v.is_none() {
        return Ok(None);
    }
    let Some(s) = as_str(v) else {
        let tn = v.type_data().name.clone();
        let what = if or_none { "string or None" } else { "string" };
        return Err(vm.type_error(format!("\"{name}\" must be {what}, not {tn}")));
    };
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(Some(c)),
        _ => Err(vm.type_error(format!("\"{name}\" must be a 1-character string"))),
    }
}

/// `Dialect(dialect=None, **params)`: a registered name or any object whose attributes
/// give the defaults, overridden by the keyword parameters.
fn dialect_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 9 {
        return Err(vm.type_error(format!(
            "function takes at most 9 arguments ({} given)",
            p.len()
        )));
    }
    let mut given: [Option<Value>; 9] = Default::default();
    for (i, v) in p.iter().enumerate() {
        given[i] = Some(v.clone());
    }
    for (k, v) in a.kw() {
        let i = match k {
            "dialect" => 0,
            _ => match PARAMS.iter().position(|n| *n == k) {
                Some(i) => i + 1,
                None => {
                    return Err(vm.type_error(format!(
                        "'{k}' is an invalid keyword argument for this function"
                    )));
                }
            },
        };
        if given[i].is_some() {
            let name = if i == 0 { "dialect" } else { PARAMS[i - 1] };
            return Err(vm.type_error(format!(
                "argument for function given by name ('{name}') and position ({})",
                i + 1
            )));
        }
        given[i] = Some(v.clone());
    }
    let mut dialect = given[0].take();
    if let Some(d) = &dialect
        && as_str(d).is_some()
    {
        dialect = Some(lookup(vm, d)?);
    }
    if let Some(d) = &dialect
        && native::downcast::<DialectObj>(d).is_some()
        && given[1..].iter().all(|g| g.is_none())
        && cls.raw() == <DialectObj as crate::value::PyPayload>::class()
    {
        return Ok(d.clone());
    }
    if let Some(d) = &dialect {
        for (i, n) in PARAMS.iter().enumerate() {
            if given[i + 1].is_none()
                && let Ok(v) = crate::ops::getattr_str(vm, d, n)
            {
                given[i + 1] = Some(v);
            }
        }
    }
    let [
        _,
        delimiter,
        doublequote,
        escapechar,
        lineterminator,
        quotechar,
        quoting,
        skip,
        strict,
    ] = given;
    let delim = match &delimiter {
        None => Some(','),
        Some(v) => one_char(vm, "delimiter", v, false)?,
    };
    let doublequote = super::args::flag(vm, doublequote.as_ref(), true)?;
    let escapechar = match &escapechar {
        None => None,
        Some(v) => one_char(vm, "escapechar", v, true)?,
    };
    let lineterminator = match &lineterminator {
        None => Some("\r\n".to_string()),
        Some(v) if v.is_none() => None,
        Some(v) => match as_str(v) {
            Some(s) => Some(s.to_string()),
            None => return Err(vm.type_error("\"lineterminator\" must be a string")),
        },
    };
    let quotechar_v = quotechar;
    let qc = match &quotechar_v {
        None => Some('"'),
        Some(v) => one_char(vm, "quotechar", v, true)?,
    };
    let mut q = match &quoting {
        None => QUOTE_MINIMAL,
        Some(v) => {
            if v.type_data().name != "int" || v.as_small_int().is_none() {
                if v.type_data().name == "int" {
                    return Err(vm.overflow_error("Python int too large to convert to C long"));
                }
                return Err(vm.type_error("\"quoting\" must be an integer"));
            }
            v.as_small_int().unwrap_or(0)
        }
    };
    let skipinitialspace = super::args::flag(vm, skip.as_ref(), false)?;
    let strict = super::args::flag(vm, strict.as_ref(), false)?;
    if !(QUOTE_MINIMAL..=QUOTE_NONE).contains(&q) {
        return Err(vm.type_error("bad \"quoting\" value"));
    }
    let Some(delimiter) = delim else {
        return Err(vm.type_error("\"delimiter\" must be a 1-character string"));
    };
    if quotechar_v.as_ref().is_some_and(|v| v.is_none()) && quoting.is_none() {
        q = QUOTE_NONE;
    }
    if q != QUOTE_NONE && qc.is_none() {
        return Err(vm.type_error("quotechar must be set if quoting enabled"));
    }
    let Some(lineterminator) = lineterminator else {
        return Err(vm.type_error("lineterminator must be set"));
    };
    Ok(native::alloc(
        cls,
        DialectObj {
            delimiter,
            quotechar: qc,
            escapechar,
            doublequote,
            skipinitialspace,
            strict,
            quoting: q,
            lineterminator,
        },
    ))
}

fn dialect_new_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = new_args(vm, a, <DialectObj as crate::value::PyPayload>::class())?;
    dialect_new(vm, &cls, &rest)
}

/// The dialect registered as `name`.
fn lookup(vm: &mut Vm, name: &Value) -> PyResult<Value> {
    match registry().get(vm, name)? {
        Some(d) => Ok(d),
        None => Err(error(vm, "unknown dialect")),
    }
}

/// `Dialect(dialect, **kw)` as the reader, writer and register_dialect make theirs.
fn call_dialect(vm: &mut Vm, dialect: Option<&Value>, a: &Args) -> PyResult<Value> {
    let mut args: Vec<Value> = Vec::new();
    if let Some(d) = dialect {
        args.push(d.clone());
    }
    let mut names = Vec::new();
    for (k, v) in a.kw() {
        args.push(v.clone());
        names.push(new_str(k));
    }
    vm.call_kw(&dialect_class(), &args, &names)
}

fn me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a DialectObj> {
    match native::downcast::<DialectObj>(v) {
        Some(d) => Ok(d),
        None => Err(vm.type_error("descriptor requires a '_csv.Dialect' object")),
    }
}

fn char_value(c: Option<char>) -> Value {
    match c {
        Some(c) => new_string(c.to_string()),
        None => Value::none(),
    }
}

fn d_delimiter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = me(vm, &a.pos()[0])?;
    Ok(char_value(Some(d.delimiter)))
}
fn d_quotechar(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(char_value(me(vm, &a.pos()[0])?.quotechar))
}
fn d_escapechar(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(char_value(me(vm, &a.pos()[0])?.escapechar))
}
fn d_lineterminator(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(new_str(&me(vm, &a.pos()[0])?.lineterminator))
}
fn d_quoting(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(me(vm, &a.pos()[0])?.quoting))
}
fn d_doublequote(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::bool(me(vm, &a.pos()[0])?.doublequote))
}
fn d_skipinitialspace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::bool(me(vm, &a.pos()[0])?.skipinitialspace))
}
fn d_strict(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::bool(me(vm, &a.pos()[0])?.strict))
}

macro_rules! readonly {
    ($($f:ident => $n:literal),*) => {
        $(fn $f(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
            Err(vm.attribute_error(concat!("attribute '", $n, "' of '_csv.Dialect' objects is not writable")))
        })*
    };
}
readonly!(ro_delimiter => "delimiter", ro_quotechar => "quotechar",
    ro_escapechar => "escapechar", ro_lineterminator => "lineterminator",
    ro_quoting => "quoting", ro_doublequote => "doublequote",
    ro_skipinitialspace => "skipinitialspace", ro_strict => "strict");

// ---- reader ----------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    EscapedChar,
    InField,
    InQuotedField,
    EscapeInQuotedField,
    QuoteInQuotedField,
    EatCrnl,
    AfterEscapedCrnl,
}

/// A character of input, or the end of a line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ch {
    C(char),
    Eol,
}

/// The parser: its state, the field being read and the fields of the record so far.
struct Parse {
    state: State,
    field: String,
    field_len: i64,
    numeric: bool,
    fields: Vec<(String, bool)>,
    line_num: i64,
}

/// A failure inside the state machine, turned into an exception outside the lock.
enum ParseErr {
    Csv(String),
}

pub struct ReaderObj {
    dialect: Value,
    input: Value,
    p: ObjCell<Parse>,
}
native_payload!(ReaderObj, READER);
static READER_T: NativeType = NativeType {
    iternext: Some(reader_next),
    ..NativeType::of::<ReaderObj>()
};

impl Parse {
    fn save_field(&mut self) {
        let f = std::mem::take(&mut self.field);
        self.fields.push((f, self.numeric));
        self.field_len = 0;
        self.numeric = false;
    }

    fn add_char(&mut self, c: char) -> Result<(), ParseErr> {
        let limit = FIELD_LIMIT.load(Ordering::Relaxed);
        if self.field_len >= limit {
            return Err(ParseErr::Csv(format!(
                "field larger than field limit ({limit})"
            )));
        }
        self.field.push(c);
        self.field_len += 1;
        Ok(())
    }

    fn process(&mut self, d: &DialectObj, c: Ch) -> Result<(), ParseErr> {
        let is = |o: Option<char>| matches!((c, o), (Ch::C(x), Some(y)) if x == y);
        let nl = matches!(c, Ch::C('\n' | '\r'));
        let quote = is(d.quotechar) && d.quoting != QUOTE_NONE;
        let eol_state = |c: Ch| {
            if c == Ch::Eol {
                State::StartRecord
            } else {
                State::EatCrnl
            }
        };
        let mut state = self.state;
        if state == State::StartRecord {
            if c == Ch::Eol {
                return Ok(());
            }
            if nl {
                self.state = State::EatCrnl;
                return Ok(());
            }
            state = State::StartField;
            self.state = state;
        }
        if state == State::AfterEscapedCrnl {
            if c == Ch::Eol {
                return Ok(());
            }
            state = State::InField;
            self.state = state;
        }
        match state {
            State::StartRecord | State::AfterEscapedCrnl => unreachable!(),
            State::StartField => {
                if nl || c == Ch::Eol {
                    self.save_field();
                    self.state = eol_state(c);
                } else if quote {
                    self.state = State::InQuotedField;
                } else if is(d.escapechar) {
                    self.state = State::EscapedChar;
                } else if c == Ch::C(' ') && d.skipinitialspace {
                } else if is(Some(d.delimiter)) {
                    self.save_field();
                } else if let Ch::C(x) = c {
                    if d.quoting == QUOTE_NONNUMERIC {
                        self.numeric = true;
                    }
                    self.add_char(x)?;
                    self.state = State::InField;
                }
            }
            State::EscapedChar => {
                if let Ch::C(x @ ('\n' | '\r')) = c {
                    self.add_char(x)?;
                    self.state = State::AfterEscapedCrnl;
                    return Ok(());
                }
                let x = match c {
                    Ch::C(x) => x,
                    Ch::Eol => '\n',
                };
                self.add_char(x)?;
                self.state = State::InField;
            }
            State::InField => {
                if nl || c == Ch::Eol {
                    self.save_field();
                    self.state = eol_state(c);
                } else if is(d.escapechar) {
                    self.state = State::EscapedChar;
                } else if is(Some(d.delimiter)) {
                    self.save_field();
                    self.state = State::StartField;
                } else if let Ch::C(x) = c {
                    self.add_char(x)?;
                }
            }
            State::InQuotedField => {
                if c == Ch::Eol {
                } else if is(d.escapechar) {
                    self.state = State::EscapeInQuotedField;
                } else if quote {
                    self.state = if d.doublequote {
                        State::QuoteInQuotedField
                    } else {
                        State::InField
                    };
                } else if let Ch::C(x) = c {
                    self.add_char(x)?;
                }
            }
            State::EscapeInQuotedField => {
                let x = match c {
                    Ch::C(x) => x,
                    Ch::Eol => '\n',
                };
                self.add_char(x)?;
                self.state = State::InQuotedField;
            }
            State::QuoteInQuotedField => {
                if quote {
                    if let Ch::C(x) = c {
                        self.add_char(x)?;
                    }
                    self.state = State::InQuotedField;
                } else if is(Some(d.delimiter)) {
                    self.save_field();
                    self.state = State::StartField;
                } else if nl || c == Ch::Eol {
                    self.save_field();
                    self.state = eol_state(c);
                } else if !d.strict {
                    if let Ch::C(x) = c {
                        self.add_char(x)?;
                    }
                    self.state = State::InField;
                } else {
                    return Err(ParseErr::Csv(format!(
                        "'{}' expected after '{}'",
                        d.delimiter,
                        d.quotechar.unwrap_or('"')
                    )));
                }
            }
            State::EatCrnl => {
                if nl {
                } else if c == Ch::Eol {
                    self.state = State::StartRecord;
                } else {
                    return Err(ParseErr::Csv(
                        "new-line character seen in unquoted field - do you need to open \
                         the file in universal-newline mode?"
                            .to_string(),
                    ));
                }
            }
        }
        Ok(())
    }

    fn reset(&mut self) {
        self.fields.clear();
        self.field.clear();
        self.field_len = 0;
        self.numeric = false;
        self.state = State::StartRecord;
    }
}

fn reader_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.is_empty() || p.len() > 2 {
        let how = if p.is_empty() { "at least" } else { "at most" };
        let n = if p.is_empty() { 1 } else { 2 };
        return Err(vm.type_error(format!(
            " expected {how} {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            p.len()
        )));
    }
    let input = crate::ops::get_iter(vm, &p[0])?;
    let dialect = call_dialect(vm, p.get(1), a)?;
    Ok(Value::alloc(ReaderObj {
        dialect,
        input,
        p: ObjCell::new(Parse {
            state: State::StartRecord,
            field: String::new(),
            field_len: 0,
            numeric: false,
            fields: Vec::new(),
            line_num: 0,
        }),
    }))
}

fn reader_me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ReaderObj> {
    match native::downcast::<ReaderObj>(v) {
        Some(r) => Ok(r),
        None => Err(vm.type_error("descriptor requires a '_csv.reader' object")),
    }
}

fn reader_next(vm: &mut Vm, it: &Value) -> PyResult<Option<Value>> {
    let r = reader_me(vm, it)?;
    let Some(d) = native::downcast::<DialectObj>(&r.dialect) else {
        return Err(vm.type_error("reader has no dialect"));
    };
    r.p.with(|p| p.reset());
    let fields = loop {
        let Some(line) = crate::ops::next(vm, &r.input)? else {
            let tail = r.p.with(|p| {
                if !p.field.is_empty() || p.state == State::InQuotedField {
                    if d.strict {
                        Err(())
                    } else {
                        p.save_field();
                        Ok(Some(std::mem::take(&mut p.fields)))
                    }
                } else {
                    Ok(None)
                }
            });
            match tail {
                Err(()) => return Err(error(vm, "unexpected end of data")),
                Ok(Some(f)) => break f,
                Ok(None) => return Ok(None),
            }
        };
        let Some(s) = as_str(&line) else {
            let tn = line.type_data().name.clone();
            return Err(error(
                vm,
                format!(
                    "iterator should return strings, not {tn} (the file should be opened \
                     in text mode)"
                ),
            ));
        };
        let res = r.p.with(|p| {
            p.line_num += 1;
            for c in s.chars() {
                p.process(d, Ch::C(c))?;
            }
            p.process(d, Ch::Eol)?;
            if p.state == State::StartRecord {
                Ok(Some(std::mem::take(&mut p.fields)))
            } else {
                Ok(None)
            }
        });
        match res {
            Err(ParseErr::Csv(m)) => {
                r.p.with(|p| p.reset());
                return Err(error(vm, m));
            }
            Ok(Some(f)) => break f,
            Ok(None) => {}
        }
    };
    let float = Value::from_borrowed(types().float);
    let mut out = Vec::with_capacity(fields.len());
    for (f, numeric) in fields {
        let v = new_string(f);
        out.push(if numeric { vm.call(&float, &[v])? } else { v });
    }
    Ok(Some(ListObj::new_value(out)))
}

fn r_dialect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(reader_me(vm, &a.pos()[0])?.dialect.clone())
}
fn r_line_num(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(
        reader_me(vm, &a.pos()[0])?.p.read(|p| p.line_num),
    ))
}

// ---- writer ----------------------------------------------------------------------------

pub struct WriterObj {
    dialect: Value,
    write: Value,
}
native_payload!(WriterObj, WRITER);
static WRITER_T: NativeType = NativeType::of::<WriterObj>();

fn writer_fn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.is_empty() || p.len() > 2 {
        let how = if p.is_empty() { "at least" } else { "at most" };
        let n = if p.is_empty() { 1 } else { 2 };
        return Err(vm.type_error(format!(
            " expected {how} {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            p.len()
        )));
    }
    let write = match crate::ops::getattr_opt(vm, &p[0], "write")? {
        Some(w) => w,
        None => return Err(vm.type_error("argument 1 must have a \"write\" method")),
    };
    let dialect = call_dialect(vm, p.get(1), a)?;
    Ok(Value::alloc(WriterObj { dialect, write }))
}

fn writer_me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a WriterObj> {
    match native::downcast::<WriterObj>(v) {
        Some(w) => Ok(w),
        None => Err(vm.type_error("descriptor requires a '_csv.writer' object")),
    }
}

/// Does `v` support the number protocol (`PyNumber_Check`)?
fn is_number(v: &Value) -> bool {
    if v.as_small_int().is_some() || v.is_float() || crate::types::int::as_int(v).is_some() {
        return true;
    }
    if v.type_data().name == "complex" {
        return true;
    }
    ["__index__", "__int__", "__float__", "__complex__"]
        .iter()
        .any(|n| crate::vm::lookup_special(v, n).is_some())
}

/// Appends one field to `rec` (`None`: an empty field), quoting and escaping it as the
/// dialect asks. `nfields` is how many fields `rec` holds already.
fn join_field(
    d: &DialectObj,
    rec: &mut String,
    nfields: usize,
    field: Option<&str>,
    mut quoted: bool,
) -> Result<(), String> {
    let special = |c: char| {
        c == d.delimiter
            || Some(c) == d.escapechar
            || Some(c) == d.quotechar
            || d.lineterminator.contains(c)
    };
    let text = field.unwrap_or("");
    let mut body = String::with_capacity(text.len());
    for c in text.chars() {
        if special(c) {
            let mut want_escape = false;
            if d.quoting == QUOTE_NONE {
                want_escape = true;
            } else {
                if Some(c) == d.quotechar {
                    if d.doublequote {
                        body.push(c);
                    } else {
                        want_escape = true;
                    }
                } else if Some(c) == d.escapechar {
                    want_escape = true;
                }
                if !want_escape {
                    quoted = true;
                }
            }
            if want_escape {
                match d.escapechar {
                    Some(e) => body.push(e),
                    None => return Err("need to escape, but no escapechar set".to_string()),
                }
            }
        }
        body.push(c);
    }
    if nfields > 0 {
        rec.push(d.delimiter);
    }
    let q = d.quotechar.unwrap_or('"');
    if quoted {
        rec.push(q);
    }
    rec.push_str(&body);
    if quoted {
        rec.push(q);
    }
    Ok(())
}

fn writerow(vm: &mut Vm, w: &WriterObj, row: &Value) -> PyResult<Value> {
    let Some(d) = native::downcast::<DialectObj>(&w.dialect) else {
        return Err(vm.type_error("writer has no dialect"));
    };
    let it = match crate::ops::get_iter(vm, row) {
        Ok(it) => it,
        Err(e) if vm.err_matches(&e, types().type_error) => {
            let tn = row.type_data().name.clone();
            return Err(error(vm, format!("iterable expected, not {tn}")));
        }
        Err(e) => return Err(e),
    };
    let mut rec = String::new();
    let mut n = 0usize;
    while let Some(field) = crate::ops::next(vm, &it)? {
        let quoted = match d.quoting {
            QUOTE_NONNUMERIC => !is_number(&field),
            QUOTE_ALL => true,
            _ => false,
        };
        let text = if field.is_none() {
            None
        } else if let Some(s) = as_str(&field) {
            Some(s.to_string())
        } else {
            Some(crate::ops::to_str(vm, &field)?)
        };
        if let Err(m) = join_field(d, &mut rec, n, text.as_deref(), quoted) {
            return Err(error(vm, m));
        }
        n += 1;
    }
    if n == 1 && rec.is_empty() {
        if d.quoting == QUOTE_NONE {
            return Err(error(vm, "single empty field record must be quoted"));
        }
        if let Err(m) = join_field(d, &mut rec, 0, None, true) {
            return Err(error(vm, m));
        }
    }
    rec.push_str(&d.lineterminator);
    let line = new_string(rec);
    vm.call(&w.write, &[line])
}

fn w_writerow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = this(vm, "writerow", a, 1, 1)?;
    let w = writer_me(vm, s)?;
    writerow(vm, w, &rest[0])
}

fn w_writerows(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = this(vm, "writerows", a, 1, 1)?;
    let w = writer_me(vm, s)?;
    let it = crate::ops::get_iter(vm, &rest[0])?;
    while let Some(row) = crate::ops::next(vm, &it)? {
        writerow(vm, w, &row)?;
    }
    Ok(Value::none())
}

fn w_dialect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(writer_me(vm, &a.pos()[0])?.dialect.clone())
}

// ---- module functions ------------------------------------------------------------------

fn register_dialect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.is_empty() || p.len() > 2 {
        let how = if p.is_empty() { "at least" } else { "at most" };
        let n = if p.is_empty() { 1 } else { 2 };
        return Err(vm.type_error(format!(
            " expected {how} {n} argument{}, got {}",
            if n == 1 { "" } else { "s" },
            p.len()
        )));
    }
    if as_str(&p[0]).is_none() {
        return Err(vm.type_error("dialect name must be a string"));
    }
    let d = call_dialect(vm, p.get(1), a)?;
    registry().set(vm, p[0].clone(), d)?;
    Ok(Value::none())
}

fn unregister_dialect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::bind(vm, "unregister_dialect", a, &["name"], 1, 1)?;
    let name = p[0].cloned().unwrap_or_else(Value::none);
    match registry().remove(vm, &name)? {
        Some(_) => Ok(Value::none()),
        None => Err(error(vm, "unknown dialect")),
    }
}

fn get_dialect(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::bind(vm, "get_dialect", a, &["name"], 1, 1)?;
    let name = p[0].cloned().unwrap_or_else(Value::none);
    lookup(vm, &name)
}

fn list_dialects(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    super::args::none(vm, "list_dialects", a)?;
    Ok(ListObj::new_value(registry().keys()))
}

fn field_size_limit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() > 1 {
        return Err(vm.type_error(format!(
            "field_size_limit() takes at most 1 argument ({} given)",
            p.len()
        )));
    }
    let mut new = p.first();
    for (k, v) in a.kw() {
        if k != "new_limit" || new.is_some() {
            return Err(vm.type_error(format!(
                "'{k}' is an invalid keyword argument for field_size_limit()"
            )));
        }
        new = Some(v);
    }
    let old = FIELD_LIMIT.load(Ordering::Relaxed);
    if let Some(v) = new {
        if v.type_data().name != "int" || v.is_bool() {
            return Err(vm.type_error("limit must be an integer"));
        }
        let n = super::args::int(vm, v)?;
        FIELD_LIMIT.store(n, Ordering::Relaxed);
    }
    Ok(Value::int(old))
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "_csv",
        &[
            ("reader", reader_fn),
            ("writer", writer_fn),
            ("register_dialect", register_dialect),
            ("unregister_dialect", unregister_dialect),
            ("get_dialect", get_dialect),
            ("list_dialects", list_dialects),
            ("field_size_limit", field_size_limit),
        ],
    );
    if ERROR.load(Ordering::Acquire) == 0 {
        let e = exception_type("Error", "_csv", types().exception);
        ERROR.store(e.raw().0, Ordering::Release);
        let reg = DictObj::new_value();
        crate::object::make_immortal(reg.raw());
        DIALECTS.store(reg.raw().0, Ordering::Release);
    }
    let dt = new_type::<DialectObj>(
        "Dialect",
        "_csv",
        object_type(),
        Kind::Native,
        &DIALECT_T,
        &DIALECT,
    );
    super::native_args::static_new(&dt, dialect_new_method);
    let getters: [(
        &'static str,
        crate::types::func::NativeFn,
        crate::types::func::NativeFn,
    ); 8] = [
        ("delimiter", d_delimiter, ro_delimiter),
        ("quotechar", d_quotechar, ro_quotechar),
        ("escapechar", d_escapechar, ro_escapechar),
        ("lineterminator", d_lineterminator, ro_lineterminator),
        ("quoting", d_quoting, ro_quoting),
        ("doublequote", d_doublequote, ro_doublequote),
        ("skipinitialspace", d_skipinitialspace, ro_skipinitialspace),
        ("strict", d_strict, ro_strict),
    ];
    for (n, g, s) in getters {
        getset(&dt, n, g, Some(s));
    }
    let rt = new_type::<ReaderObj>(
        "reader",
        "_csv",
        object_type(),
        Kind::Native,
        &READER_T,
        &READER,
    );
    methods(&rt, &[("__iter__", iter_self), ("__next__", next_method)]);
    getset(&rt, "dialect", r_dialect, None);
    getset(&rt, "line_num", r_line_num, None);
    let wt = new_type::<WriterObj>(
        "writer",
        "_csv",
        object_type(),
        Kind::Native,
        &WRITER_T,
        &WRITER,
    );
    methods(&wt, &[("writerow", w_writerow), ("writerows", w_writerows)]);
    getset(&wt, "dialect", w_dialect, None);
    set(&m, "Dialect", dt);
    set(
        &m,
        "Error",
        Value::from_borrowed(RawValue(ERROR.load(Ordering::Acquire))),
    );
    set(&m, "__version__", new_str("1.0"));
    set(&m, "__doc__", new_str(DOC));
    super::args::consts(
        &m,
        &[
            ("QUOTE_MINIMAL", QUOTE_MINIMAL),
            ("QUOTE_ALL", QUOTE_ALL),
            ("QUOTE_NONNUMERIC", QUOTE_NONNUMERIC),
            ("QUOTE_NONE", QUOTE_NONE),
        ],
    );
    let _ = vm;
    Ok(m)
}

/// The module docstring (the Lib's `csv` re-exports it as its own).
const DOC: &str = "CSV parsing and writing: reader and writer objects over dialects of \
the comma-separated-values format (PEP 305).";
