//! `_sre.SRE_Scanner`: successive matches over one subject (`pattern.scanner(s)`,
//! behind `finditer`). Each `match()`/`search()` continues where the last match ended;
//! after an empty match the next one must advance.
use super::engine::State;
use super::matchobj::MatchObj;
use super::pattern::{PatternObj, engine_error, with_text};
use super::subject::{Subject, View};
use crate::object::ObjCell;
use crate::types::func::BuiltinFuncObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// Where the next attempt starts; `start` is None once a match attempt failed.
#[derive(Clone, Copy)]
struct Progress {
    start: Option<usize>,
    must_advance: bool,
}

pub struct ScannerObj {
    pub pattern: Value,
    subject: Subject,
    pos: i64,
    endpos: i64,
    progress: ObjCell<Progress>,
}

impl PyPayload for ScannerObj {
    fn class() -> RawValue {
        types().sre_scanner
    }
}

pub fn install(t: RawValue) {
    crate::builtins::add_method(t, "match", scanner_match);
    crate::builtins::add_method(t, "search", scanner_search);
    super::getter!(t, "pattern", ScannerObj, |s| Ok(s.pattern.clone()));
}

impl ScannerObj {
    pub fn new_value(pattern: Value, subject: Subject, pos: i64, endpos: i64) -> Value {
        let len = subject.len() as i64;
        let start = pos.clamp(0, len) as usize;
        Value::alloc(ScannerObj {
            pattern,
            subject,
            pos,
            endpos,
            progress: ObjCell::new(Progress {
                start: Some(start),
                must_advance: false,
            }),
        })
    }

    /// `scanner.search` bound to `scanner` (the callable `finditer` iterates).
    pub fn bound_search(scanner: Value) -> Value {
        Value::alloc(BuiltinFuncObj {
            name: "search",
            f: scanner_search,
            self_: scanner,
            owner: "SRE_Scanner",
            is_method: true,
            objclass: Value::NULL,
        })
    }
}

fn scan(vm: &mut Vm, a: &Args, name: &str, search: bool) -> PyResult<Value> {
    let Some((slf, sc)) = a
        .pos()
        .first()
        .and_then(|s| s.downcast::<ScannerObj>().map(|o| (s, o)))
    else {
        return Err(vm.type_error(format!(
            "descriptor '{name}' for '_sre.SRE_Scanner' objects doesn't apply to this object"
        )));
    };
    let _ = slf;
    if a.pos().len() > 1 || a.has_kw() {
        return Err(vm.type_error(format!(
            "{name}() takes no arguments ({} given)",
            a.pos().len() - 1 + a.kw().count()
        )));
    }
    let Some(p) = sc.pattern.downcast::<PatternObj>() else {
        return Ok(Value::none());
    };
    let prog = sc.progress.read(|p| *p);
    let Some(start) = prog.start else {
        return Ok(Value::none());
    };
    let subj = &sc.subject;
    let (found, next) = with_text!(subj, |t| {
        let mut st = State::new(t, sc.pos, sc.endpos, p.groups);
        st.start = start;
        st.ptr = start;
        st.must_advance = prog.must_advance;
        let r = if search {
            st.search(&p.prog)
        } else {
            st.match_here(&p.prog)
        };
        match r {
            Ok(true) => {
                let m = MatchObj::from_state(&sc.pattern, subj, &st);
                let next = Progress {
                    start: Some(st.ptr),
                    must_advance: st.ptr == st.start,
                };
                (m, next)
            }
            Ok(false) => (
                Value::none(),
                Progress {
                    start: None,
                    must_advance: false,
                },
            ),
            Err(e) => return Err(engine_error(vm, e)),
        }
    });
    sc.progress.with(|p| *p = next);
    Ok(found)
}

fn scanner_match(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    scan(vm, a, "match", false)
}

fn scanner_search(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    scan(vm, a, "search", true)
}
