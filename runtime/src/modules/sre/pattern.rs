//! `re.Pattern`: a compiled pattern and its searching methods (`match`, `search`,
//! `findall`, `split`, `sub`, ...), with CPython 3.11's loops: an empty match is
//! allowed right after a non-empty one, and the next search must advance past an
//! empty match (`must_advance`).
use super::args::{bind, ssize};
use super::constants::*;
use super::engine::{SreError, State, Unit};
use super::matchobj::MatchObj;
use super::scanner::ScannerObj;
use super::subject::{Subject, View};
use crate::types::bytes::{ByteArrayObj, BytesObj};
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::str::{StrObj, new_string};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct PatternObj {
    /// The code list from `re._compiler`, with its set tables.
    pub prog: super::prog::Prog,
    /// The source pattern (str, bytes or None).
    pub pattern: Value,
    pub flags: i64,
    /// Number of capturing groups.
    pub groups: usize,
    /// name -> group number (a dict).
    pub groupindex: Value,
    /// group number -> name or None (a tuple).
    pub indexgroup: Value,
    /// Whether the pattern is bytes; None for a pattern compiled without source.
    pub is_bytes: Option<bool>,
}

impl PyPayload for PatternObj {
    fn class() -> RawValue {
        types().sre_pattern
    }
}

/// Run `$body` with `$t` bound to the subject's code units (`&[u8]` or `&[u32]`).
macro_rules! with_text {
    ($subj:expr, |$t:ident| $body:expr) => {
        match $subj.view() {
            View::Narrow($t) => $body,
            View::Wide($t) => $body,
        }
    };
}
pub(crate) use with_text;

pub fn install(t: RawValue) {
    use crate::builtins::add_method;
    add_method(t, "match", pattern_match);
    add_method(t, "fullmatch", pattern_fullmatch);
    add_method(t, "search", pattern_search);
    add_method(t, "findall", pattern_findall);
    add_method(t, "finditer", pattern_finditer);
    add_method(t, "scanner", pattern_scanner);
    add_method(t, "split", pattern_split);
    add_method(t, "sub", pattern_sub);
    add_method(t, "subn", pattern_subn);
    add_method(t, "__repr__", pattern_repr);
    add_method(t, "__eq__", pattern_eq);
    add_method(t, "__ne__", pattern_ne);
    add_method(t, "__hash__", pattern_hash);
    add_method(t, "__copy__", pattern_copy);
    add_method(t, "__deepcopy__", pattern_deepcopy);
    super::getter!(t, "pattern", PatternObj, |p| Ok(p.pattern.clone()));
    super::getter!(t, "flags", PatternObj, |p| Ok(Value::int(p.flags)));
    super::getter!(t, "groups", PatternObj, |p| {
        Ok(Value::int(p.groups as i64))
    });
    super::getter!(t, "groupindex", PatternObj, |p| {
        // CPython returns a read-only proxy; stitch has no mappingproxy yet, so a
        // copy keeps the pattern's own table safe from changes.
        let d = p.groupindex.downcast::<DictObj>().map(DictObj::copy);
        Ok(d.map(Value::alloc).unwrap_or_else(DictObj::new_value))
    });
}

/// The receiver of a Pattern method.
fn this<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a PatternObj)> {
    let p = a.pos();
    match p
        .first()
        .and_then(|s| s.downcast::<PatternObj>().map(|o| (s, o)))
    {
        Some(r) => Ok(r),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 're.Pattern' objects doesn't apply to this object"
        ))),
    }
}

/// The subject, checked against the pattern's kind (str patterns on str only).
pub fn subject_for(vm: &mut Vm, p: &PatternObj, v: &Value) -> PyResult<Subject> {
    let s = Subject::new(vm, v)?;
    match p.is_bytes {
        Some(false) if s.is_bytes => {
            Err(vm.type_error("cannot use a string pattern on a bytes-like object"))
        }
        Some(true) if !s.is_bytes => {
            Err(vm.type_error("cannot use a bytes pattern on a string-like object"))
        }
        _ => Ok(s),
    }
}

/// The exception for an engine failure (CPython's pattern_error).
pub fn engine_error(vm: &mut Vm, e: SreError) -> PyErr {
    match e {
        SreError::Illegal => vm.runtime_error("internal error in regular expression engine"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Match,
    FullMatch,
    Search,
}

fn match_mode(vm: &mut Vm, a: &Args, name: &str, mode: Mode) -> PyResult<Value> {
    let (slf, p) = this(vm, a, name)?;
    let args = bind(vm, name, a, 1, &["string", "pos", "endpos"], 1)?;
    let subj = subject_for(vm, p, args[0].as_ref().unwrap())?;
    let pos = ssize(vm, &args[1], 0)?;
    let endpos = ssize(vm, &args[2], i64::MAX)?;
    with_text!(subj, |t| {
        let mut st = State::new(t, pos, endpos, p.groups);
        st.ptr = st.start;
        let r = match mode {
            Mode::Match => st.match_here(&p.prog),
            Mode::FullMatch => {
                st.match_all = true;
                st.match_here(&p.prog)
            }
            Mode::Search => st.search(&p.prog),
        };
        match r {
            Ok(true) => Ok(MatchObj::from_state(slf, &subj, &st)),
            Ok(false) => Ok(Value::none()),
            Err(e) => Err(engine_error(vm, e)),
        }
    })
}

fn pattern_match(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match_mode(vm, a, "match", Mode::Match)
}

fn pattern_fullmatch(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match_mode(vm, a, "fullmatch", Mode::FullMatch)
}

fn pattern_search(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match_mode(vm, a, "search", Mode::Search)
}

/// Group `g`'s text after a search, or `None`/empty when it did not take part
/// (CPython's state_getslice).
fn state_group<T: Unit>(st: &State<T>, subj: &Subject, g: usize, empty: bool) -> Value {
    match st.group_span(g) {
        Some((a, b)) => subj.slice(a, b),
        None if empty => subj.slice(0, 0),
        None => Value::none(),
    }
}

fn pattern_findall(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, p) = this(vm, a, "findall")?;
    let args = bind(vm, "findall", a, 1, &["string", "pos", "endpos"], 1)?;
    let subj = subject_for(vm, p, args[0].as_ref().unwrap())?;
    let pos = ssize(vm, &args[1], 0)?;
    let endpos = ssize(vm, &args[2], i64::MAX)?;
    let mut out = Vec::new();
    with_text!(subj, |t| {
        let mut st = State::new(t, pos, endpos, p.groups);
        while st.start <= st.end {
            st.reset();
            st.ptr = st.start;
            match st.search(&p.prog) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(engine_error(vm, e)),
            }
            let item = match p.groups {
                0 => subj.slice(st.start, st.ptr),
                1 => state_group(&st, &subj, 1, true),
                n => {
                    TupleObj::new_value((1..=n).map(|g| state_group(&st, &subj, g, true)).collect())
                }
            };
            out.push(item);
            st.must_advance = st.ptr == st.start;
            st.start = st.ptr;
        }
        Ok(ListObj::new_value(out))
    })
}

fn pattern_split(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, p) = this(vm, a, "split")?;
    let args = bind(vm, "split", a, 1, &["string", "maxsplit"], 1)?;
    let subj = subject_for(vm, p, args[0].as_ref().unwrap())?;
    let maxsplit = ssize(vm, &args[1], 0)?;
    let mut out = Vec::new();
    with_text!(subj, |t| {
        let mut st = State::new(t, 0, i64::MAX, p.groups);
        let mut n = 0;
        let mut last = st.start;
        while maxsplit == 0 || n < maxsplit {
            st.reset();
            st.ptr = st.start;
            match st.search(&p.prog) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(engine_error(vm, e)),
            }
            out.push(subj.slice(last, st.start));
            for g in 1..=p.groups {
                out.push(state_group(&st, &subj, g, false));
            }
            n += 1;
            st.must_advance = st.ptr == st.start;
            st.start = st.ptr;
            last = st.ptr;
        }
        out.push(subj.slice(last, st.endpos));
        Ok(ListObj::new_value(out))
    })
}

fn is_callable(v: &Value) -> bool {
    use crate::types::class::Kind;
    matches!(
        v.type_data().kind,
        Kind::Function | Kind::Builtin | Kind::Method | Kind::Type
    ) || crate::vm::lookup_special(v, "__call__").is_some()
}

/// The joined result of `sub`, built as CPython joins its list of pieces (with its
/// type errors for pieces of the wrong kind).
enum Joined {
    Str(String),
    Bytes(Vec<u8>),
}

impl Joined {
    fn push_range<T: Unit>(&mut self, text: &[T], a: usize, b: usize) {
        match self {
            Joined::Str(s) => T::extend_string(s, &text[a..b]),
            Joined::Bytes(v) => v.extend(text[a..b].iter().map(|c| c.u() as u8)),
        }
    }

    fn push_value(&mut self, vm: &mut Vm, v: &Value, item: usize) -> PyResult<()> {
        match self {
            Joined::Str(s) => match v.downcast::<StrObj>() {
                Some(x) => {
                    s.push_str(&x.s);
                    Ok(())
                }
                None => {
                    let tn = v.type_data().name.clone();
                    Err(vm.type_error(format!(
                        "sequence item {item}: expected str instance, {tn} found"
                    )))
                }
            },
            Joined::Bytes(out) => {
                if let Some(b) = v.downcast::<BytesObj>() {
                    out.extend_from_slice(&b.data);
                    Ok(())
                } else if let Some(b) = v.downcast::<ByteArrayObj>() {
                    b.data.read(|d| out.extend_from_slice(d));
                    Ok(())
                } else {
                    let tn = v.type_data().name.clone();
                    Err(vm.type_error(format!(
                        "sequence item {item}: expected a bytes-like object, {tn} found"
                    )))
                }
            }
        }
    }
}

/// `sub`/`subn`: replace matches by a string (with `\\` escapes expanded by
/// `re._subx`, as CPython does) or by what a callable returns for each match.
fn subx(vm: &mut Vm, a: &Args, name: &str, with_count: bool) -> PyResult<Value> {
    let (slf, p) = this(vm, a, name)?;
    let args = bind(vm, name, a, 1, &["repl", "string", "count"], 2)?;
    let repl = args[0].clone().unwrap();
    let string = args[1].clone().unwrap();
    let count = ssize(vm, &args[2], 0)?;

    let (filter, callable) = if is_callable(&repl) {
        (repl, true)
    } else {
        // A template without backslashes is used as it is.
        let literal = if let Some(s) = repl.downcast::<StrObj>() {
            !s.s.contains('\\')
        } else if let Some(b) = repl.downcast::<BytesObj>() {
            !b.data.contains(&b'\\')
        } else if let Some(b) = repl.downcast::<ByteArrayObj>() {
            b.data.read(|d| !d.contains(&b'\\'))
        } else {
            false
        };
        if literal {
            (repl, false)
        } else {
            let re = crate::import::import_module(vm, "re")?;
            let f = crate::ops::getattr_opt(vm, &re, "_subx")?;
            let Some(f) = f else {
                return Err(vm.err(
                    types().attribute_error,
                    "module 're' has no attribute '_subx'",
                ));
            };
            let filt = vm.call(&f, &[slf.clone(), repl])?;
            let c = is_callable(&filt);
            (filt, c)
        }
    };

    let subj = subject_for(vm, p, &string)?;
    let mut out = if subj.is_bytes {
        Joined::Bytes(Vec::new())
    } else {
        Joined::Str(String::new())
    };
    let mut items = 0usize;
    let mut n = 0i64;
    with_text!(subj, |t| {
        let mut st = State::new(t, 0, i64::MAX, p.groups);
        let mut i = 0;
        while count == 0 || n < count {
            st.reset();
            st.ptr = st.start;
            match st.search(&p.prog) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(engine_error(vm, e)),
            }
            let (b, e) = (st.start, st.ptr);
            if i < b {
                out.push_range(t, i, b);
                items += 1;
            }
            if callable {
                let m = MatchObj::from_state(slf, &subj, &st);
                let item = vm.call(&filter, &[m])?;
                if !item.is_none() {
                    out.push_value(vm, &item, items)?;
                    items += 1;
                }
            } else {
                out.push_value(vm, &filter, items)?;
                items += 1;
            }
            i = e;
            n += 1;
            st.must_advance = st.ptr == st.start;
            st.start = st.ptr;
        }
        if i < st.endpos {
            out.push_range(t, i, st.endpos);
        }
        Ok(())
    })?;
    let result = match out {
        Joined::Str(s) => new_string(s),
        Joined::Bytes(v) => BytesObj::new_value(v),
    };
    if with_count {
        Ok(TupleObj::from_items([result, Value::int(n)]))
    } else {
        Ok(result)
    }
}

fn pattern_sub(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    subx(vm, a, "sub", false)
}

fn pattern_subn(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    subx(vm, a, "subn", true)
}

fn pattern_scanner(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, p) = this(vm, a, "scanner")?;
    let args = bind(vm, "scanner", a, 1, &["string", "pos", "endpos"], 1)?;
    let subj = subject_for(vm, p, args[0].as_ref().unwrap())?;
    let pos = ssize(vm, &args[1], 0)?;
    let endpos = ssize(vm, &args[2], i64::MAX)?;
    Ok(ScannerObj::new_value(slf.clone(), subj, pos, endpos))
}

/// `finditer`: `iter(scanner.search, None)`, as CPython builds it.
fn pattern_finditer(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, p) = this(vm, a, "finditer")?;
    let args = bind(vm, "finditer", a, 1, &["string", "pos", "endpos"], 1)?;
    let subj = subject_for(vm, p, args[0].as_ref().unwrap())?;
    let pos = ssize(vm, &args[1], 0)?;
    let endpos = ssize(vm, &args[2], i64::MAX)?;
    let scanner = ScannerObj::new_value(slf.clone(), subj, pos, endpos);
    let search = ScannerObj::bound_search(scanner);
    Ok(crate::types::iter::IterObj::new_value(
        crate::world::types().callable_iterator,
        crate::types::iter::IterState::Callable {
            f: search,
            sentinel: Value::none(),
        },
    ))
}

/// `repr(pattern)`: `re.compile('...', re.IGNORECASE)`.
fn pattern_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, p) = this(vm, a, "__repr__")?;
    let r = crate::ops::repr(vm, &p.pattern)?;
    let r: String = r.chars().take(200).collect();
    let mut flags = p.flags as u32;
    // Omit re.UNICODE for str patterns, where it is the default.
    if p.is_bytes != Some(true) && flags & (FLAG_LOCALE | FLAG_UNICODE | FLAG_ASCII) == FLAG_UNICODE
    {
        flags &= !FLAG_UNICODE;
    }
    let mut names = Vec::new();
    for (bit, name) in FLAG_NAMES {
        if flags & bit != 0 {
            names.push(name.to_string());
            flags &= !bit;
        }
    }
    if flags != 0 {
        names.push(format!("0x{flags:x}"));
    }
    let s = if names.is_empty() {
        format!("re.compile({r})")
    } else {
        format!("re.compile({r}, {})", names.join("|"))
    };
    Ok(new_string(s))
}

/// Pattern equality: same flags, kind, code and source.
fn pattern_equal(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Option<bool>> {
    let (slf, p) = this(vm, a, name)?;
    let Some(other) = a.pos().get(1) else {
        return Err(vm.type_error(format!("expected 1 argument, got 0 ({name})")));
    };
    let Some(q) = other.downcast::<PatternObj>() else {
        return Ok(None);
    };
    if slf.is(other) {
        return Ok(Some(true));
    }
    if p.flags != q.flags || p.is_bytes != q.is_bytes || p.prog.code != q.prog.code {
        return Ok(Some(false));
    }
    Ok(Some(vm.eq(&p.pattern, &q.pattern)?))
}

fn pattern_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(match pattern_equal(vm, a, "__eq__")? {
        Some(b) => Value::bool(b),
        None => Value::not_implemented(),
    })
}

fn pattern_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(match pattern_equal(vm, a, "__ne__")? {
        Some(b) => Value::bool(!b),
        None => Value::not_implemented(),
    })
}

fn pattern_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, p) = this(vm, a, "__hash__")?;
    let mut h = vm.hash(&p.pattern)?;
    // Mix in the code words (any good hash conforms; CPython hashes their bytes).
    let mut x: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in p.prog.code.iter() {
        x = (x ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h ^= x as i64;
    h ^= p.flags;
    h ^= i64::from(p.is_bytes == Some(true));
    h ^= p.prog.code.len() as i64;
    if h == -1 {
        h = -2;
    }
    Ok(Value::int(h))
}

fn pattern_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = this(vm, a, "__copy__")?;
    Ok(slf.clone())
}

fn pattern_deepcopy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = this(vm, a, "__deepcopy__")?;
    if a.pos().len() != 2 {
        return Err(crate::builtins::arg_count_error(
            vm,
            "__deepcopy__",
            a.pos().len() - 1,
            1,
            1,
        ));
    }
    Ok(slf.clone())
}
