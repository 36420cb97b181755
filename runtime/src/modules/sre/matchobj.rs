//! `re.Match`: the result of a successful match: group spans over the subject, and
//! the accessors (`group`, `groups`, `groupdict`, `span`, `expand`, ...).
use super::args::bind;
use super::engine::{State, Unit};
use super::pattern::PatternObj;
use super::subject::Subject;
use crate::types::dict::DictObj;
use crate::types::str::new_string;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct MatchObj {
    pub pattern: Value,
    pub subject: Subject,
    /// Start and end of group 0, 1, ...; -1 for a group that did not take part.
    pub marks: Box<[isize]>,
    pub pos: usize,
    pub endpos: usize,
    /// The last group closed, or -1.
    pub lastindex: isize,
}

impl PyPayload for MatchObj {
    fn class() -> RawValue {
        types().sre_match
    }
}

impl MatchObj {
    /// The match object for a successful match in `st` (CPython's pattern_new_match).
    pub fn from_state<T: Unit>(pattern: &Value, subject: &Subject, st: &State<T>) -> Value {
        let groups = pattern.downcast::<PatternObj>().map_or(0, |p| p.groups);
        let mut marks = Vec::with_capacity(2 * (groups + 1));
        marks.push(st.start as isize);
        marks.push(st.ptr as isize);
        for g in 1..=groups {
            match st.group_span(g) {
                Some((a, b)) => {
                    marks.push(a as isize);
                    marks.push(b as isize);
                }
                None => {
                    marks.push(-1);
                    marks.push(-1);
                }
            }
        }
        Value::alloc(MatchObj {
            pattern: pattern.clone(),
            subject: subject.clone(),
            marks: marks.into_boxed_slice(),
            pos: st.pos,
            endpos: st.endpos,
            lastindex: st.lastindex,
        })
    }

    fn ngroups(&self) -> usize {
        self.marks.len() / 2
    }

    fn span(&self, i: usize) -> (isize, isize) {
        (self.marks[2 * i], self.marks[2 * i + 1])
    }

    /// Group `i`'s text, or `default` when it did not take part.
    fn group(&self, i: usize, default: &Value) -> Value {
        let (a, b) = self.span(i);
        if a < 0 {
            return default.clone();
        }
        self.subject.slice(a as usize, b as usize)
    }
}

pub fn install(t: RawValue) {
    use crate::builtins::add_method;
    add_method(t, "group", match_group);
    add_method(t, "__getitem__", match_getitem);
    add_method(t, "groups", match_groups);
    add_method(t, "groupdict", match_groupdict);
    add_method(t, "start", match_start);
    add_method(t, "end", match_end);
    add_method(t, "span", match_span);
    add_method(t, "expand", match_expand);
    add_method(t, "__repr__", match_repr);
    add_method(t, "__copy__", match_copy);
    add_method(t, "__deepcopy__", match_deepcopy);
    super::getter!(t, "string", MatchObj, |m| Ok(m.subject.value.clone()));
    super::getter!(t, "re", MatchObj, |m| Ok(m.pattern.clone()));
    super::getter!(t, "pos", MatchObj, |m| Ok(Value::int(m.pos as i64)));
    super::getter!(t, "endpos", MatchObj, |m| {
        Ok(Value::int(m.endpos as i64))
    });
    super::getter!(t, "lastindex", MatchObj, |m| {
        Ok(if m.lastindex >= 0 {
            Value::int(m.lastindex as i64)
        } else {
            Value::none()
        })
    });
    super::getter!(t, "lastgroup", MatchObj, |m| {
        if m.lastindex < 0 {
            return Ok(Value::none());
        }
        let names = m
            .pattern
            .downcast::<PatternObj>()
            .and_then(|p| p.indexgroup.downcast::<TupleObj>());
        Ok(names
            .and_then(|t| t.items.get(m.lastindex as usize).cloned())
            .unwrap_or_else(Value::none))
    });
    super::getter!(t, "regs", MatchObj, |m| {
        Ok(TupleObj::new_value(
            (0..m.ngroups())
                .map(|i| {
                    let (a, b) = m.span(i);
                    TupleObj::from_items([Value::int(a as i64), Value::int(b as i64)])
                })
                .collect(),
        ))
    });
}

fn this<'a>(vm: &mut Vm, a: &Args<'a>, name: &str) -> PyResult<(&'a Value, &'a MatchObj)> {
    let p = a.pos();
    match p
        .first()
        .and_then(|s| s.downcast::<MatchObj>().map(|o| (s, o)))
    {
        Some(r) => Ok(r),
        None => Err(vm.type_error(format!(
            "descriptor '{name}' for 're.Match' objects doesn't apply to this object"
        ))),
    }
}

/// The group number `g` names: an int, or a group name (CPython's match_getindex).
fn index(vm: &mut Vm, m: &MatchObj, g: &Value) -> PyResult<usize> {
    let is_int = crate::types::int::as_int(g).is_some()
        || crate::vm::lookup_special(g, "__index__").is_some();
    let i: i64 = if is_int {
        use num_traits::ToPrimitive;
        crate::ops::to_index(vm, g)?.to_i64().unwrap_or(-1)
    } else {
        let gi = m
            .pattern
            .downcast::<PatternObj>()
            .map(|p| p.groupindex.clone());
        match gi.as_ref().and_then(|d| d.downcast::<DictObj>()) {
            Some(d) => match d.get(vm, g)? {
                Some(v) => v.as_small_int().unwrap_or(-1),
                None => -1,
            },
            None => -1,
        }
    };
    if i < 0 || i as usize >= m.ngroups() {
        return Err(vm.index_error("no such group"));
    }
    Ok(i as usize)
}

fn match_group(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a, "group")?;
    if a.has_kw() {
        return Err(vm.type_error("group() takes no keyword arguments"));
    }
    let args = &a.pos()[1..];
    let none = Value::none();
    match args.len() {
        0 => Ok(m.group(0, &none)),
        1 => {
            let i = index(vm, m, &args[0])?;
            Ok(m.group(i, &none))
        }
        _ => {
            let mut out = Vec::with_capacity(args.len());
            for g in args {
                let i = index(vm, m, g)?;
                out.push(m.group(i, &none));
            }
            Ok(TupleObj::new_value(out))
        }
    }
}

fn match_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a, "__getitem__")?;
    let Some(g) = a.pos().get(1) else {
        return Err(vm.type_error("expected 1 argument, got 0"));
    };
    let i = index(vm, m, g)?;
    Ok(m.group(i, &Value::none()))
}

fn match_groups(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a, "groups")?;
    let args = bind(vm, "groups", a, 1, &["default"], 0)?;
    let default = args[0].clone().unwrap_or_else(Value::none);
    Ok(TupleObj::new_value(
        (1..m.ngroups()).map(|i| m.group(i, &default)).collect(),
    ))
}

fn match_groupdict(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a, "groupdict")?;
    let args = bind(vm, "groupdict", a, 1, &["default"], 0)?;
    let default = args[0].clone().unwrap_or_else(Value::none);
    let out = DictObj::new_value();
    let gi = m
        .pattern
        .downcast::<PatternObj>()
        .map(|p| p.groupindex.clone());
    if let Some(d) = gi.as_ref().and_then(|d| d.downcast::<DictObj>()) {
        for key in d.keys() {
            let i = index(vm, m, &key)?;
            let v = m.group(i, &default);
            // SAFETY-free: `out` is the dict made above.
            out.downcast::<DictObj>().unwrap().set(vm, key, v)?;
        }
    }
    Ok(out)
}

/// The group a `start`/`end`/`span` call names (group 0 by default).
fn group_arg(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(usize, (isize, isize))> {
    let (_, m) = this(vm, a, name)?;
    if a.has_kw() {
        return Err(vm.type_error(format!("{name}() takes no keyword arguments")));
    }
    let args = &a.pos()[1..];
    if args.len() > 1 {
        return Err(vm.type_error(format!(
            "{name} expected at most 1 argument, got {}",
            args.len()
        )));
    }
    let i = match args.first() {
        Some(g) => index(vm, m, g)?,
        None => 0,
    };
    Ok((i, m.span(i)))
}

fn match_start(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, (s, _)) = group_arg(vm, a, "start")?;
    Ok(Value::int(s as i64))
}

fn match_end(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, (_, e)) = group_arg(vm, a, "end")?;
    Ok(Value::int(e as i64))
}

fn match_span(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, (s, e)) = group_arg(vm, a, "span")?;
    Ok(TupleObj::from_items([
        Value::int(s as i64),
        Value::int(e as i64),
    ]))
}

/// `expand(template)`: `re._expand(pattern, match, template)`, as CPython does.
fn match_expand(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, m) = this(vm, a, "expand")?;
    let args = bind(vm, "expand", a, 1, &["template"], 1)?;
    let re = crate::import::import_module(vm, "re")?;
    let Some(f) = crate::ops::getattr_opt(vm, &re, "_expand")? else {
        return Err(vm.err(
            types().attribute_error,
            "module 're' has no attribute '_expand'",
        ));
    };
    vm.call(
        &f,
        &[m.pattern.clone(), slf.clone(), args[0].clone().unwrap()],
    )
}

/// `<re.Match object; span=(0, 3), match='abc'>`
fn match_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (_, m) = this(vm, a, "__repr__")?;
    let g = m.group(0, &Value::none());
    let r = crate::ops::repr(vm, &g)?;
    let r: String = r.chars().take(50).collect();
    let (s, e) = m.span(0);
    Ok(new_string(format!(
        "<re.Match object; span=({s}, {e}), match={r}>"
    )))
}

fn match_copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = this(vm, a, "__copy__")?;
    Ok(slf.clone())
}

fn match_deepcopy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = this(vm, a, "__deepcopy__")?;
    Ok(slf.clone())
}
