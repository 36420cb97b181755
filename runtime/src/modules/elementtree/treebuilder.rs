//! `TreeBuilder`: builds a tree from start/data/end (and comment/pi) calls, made either
//! by Python code or, without Python-level calls, by `XMLParser` (`parser.rs`) when its
//! target is a plain `TreeBuilder`; with `_setevents` it also reports
//! `(event, object)` pairs to an `iterparse` queue.
//!
//! Character data is collected until the next start, end, comment or pi, then becomes
//! the text of the element last opened or the tail of the node last closed (or
//! inserted). Data coming from the parser is collected as Rust text, so an element's
//! text split over many parser events makes one str object.
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

use super::super::native_args::{methods, object_type, receiver, this};
use super::element::{ElementObj, is_element, join_values, new_element, not_element};

pub struct TreeBuilderObj {
    st: ObjCell<State>,
}
native_payload!(TreeBuilderObj, TREEBUILDER);

static TREEBUILDER_T: NativeType = NativeType {
    new: Some(tb_new),
    has_init: true,
    ..NativeType::of::<TreeBuilderObj>()
};

/// Which `iterparse` events to report (indexes into `State::events`).
pub(super) const EV_START: usize = 0;
pub(super) const EV_END: usize = 1;
pub(super) const EV_START_NS: usize = 2;
pub(super) const EV_END_NS: usize = 3;
pub(super) const EV_COMMENT: usize = 4;
pub(super) const EV_PI: usize = 5;
pub(super) const EVENT_NAMES: [&str; 6] = ["start", "end", "start-ns", "end-ns", "comment", "pi"];

/// Character data not yet given to an element.
enum Data {
    Empty,
    /// Only str pieces so far, concatenated.
    Text(String),
    /// Pieces of any type (`data()` called with something else than a str).
    Values(Vec<Value>),
}

struct State {
    root: Option<Value>,
    /// The element open now (None before the first start and after the last end).
    this: Value,
    /// The element most recently opened or closed.
    last: Value,
    /// The node whose tail collects data now (set by an end, an inserted comment or
    /// pi; cleared by a start).
    last_for_tail: Option<Value>,
    data: Data,
    /// The elements open around `this`.
    stack: Vec<Value>,
    element_factory: Option<Value>,
    comment_factory: Option<Value>,
    pi_factory: Option<Value>,
    insert_comments: bool,
    insert_pis: bool,
    /// `append` of the `iterparse` event queue, and the event names to report.
    events_append: Option<Value>,
    events: [Option<Value>; 6],
}

impl crate::gc::Traverse for TreeBuilderObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.st.read(|s| {
            let v = |x: &Value, visit: crate::gc::Visit<'_>| crate::gc::visit_value(x, visit);
            for x in [
                &s.root,
                &s.last_for_tail,
                &s.element_factory,
                &s.comment_factory,
            ]
            .into_iter()
            .flatten()
            {
                v(x, visit);
            }
            for x in [&s.pi_factory, &s.events_append].into_iter().flatten() {
                v(x, visit);
            }
            for x in s.events.iter().flatten() {
                v(x, visit);
            }
            v(&s.this, visit);
            v(&s.last, visit);
            s.stack.iter().for_each(|x| v(x, visit));
            if let Data::Values(d) = &s.data {
                d.iter().for_each(|x| v(x, visit));
            }
        });
    }
    fn clear(&self) {
        let taken = self.st.with(|s| {
            (
                s.root.take(),
                std::mem::replace(&mut s.this, Value::none()),
                std::mem::replace(&mut s.last, Value::none()),
                s.last_for_tail.take(),
                std::mem::replace(&mut s.data, Data::Empty),
                std::mem::take(&mut s.stack),
                (
                    s.element_factory.take(),
                    s.comment_factory.take(),
                    s.pi_factory.take(),
                    s.events_append.take(),
                    std::mem::take(&mut s.events),
                ),
            )
        });
        drop(taken);
    }
}

fn fresh_state() -> State {
    State {
        root: None,
        this: Value::none(),
        last: Value::none(),
        last_for_tail: None,
        data: Data::Empty,
        stack: Vec::new(),
        element_factory: None,
        comment_factory: None,
        pi_factory: None,
        insert_comments: false,
        insert_pis: false,
        events_append: None,
        events: Default::default(),
    }
}

/// A builder as `TreeBuilder.__new__` makes it (no factories: CPython's XMLParser
/// makes its default target so, without `__init__`).
pub(super) fn new_builder() -> Value {
    Value::alloc(TreeBuilderObj {
        st: ObjCell::new(fresh_state()),
    })
}

/// The builder of `v` if it is exactly a `TreeBuilder` (the parser's shortcut).
pub(super) fn exact(v: &Value) -> Option<&TreeBuilderObj> {
    v.downcast_exact::<TreeBuilderObj>()
}

fn tb_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        TreeBuilderObj {
            st: ObjCell::new(fresh_state()),
        },
    ))
}

fn me<'a>(vm: &mut Vm, name: &str, v: &'a Value) -> PyResult<&'a TreeBuilderObj> {
    match downcast::<TreeBuilderObj>(v) {
        Some(t) => Ok(t),
        None => {
            let tn = native::tp_name(v.type_data());
            Err(vm.type_error(format!(
                "descriptor '{name}' for 'xml.etree.ElementTree.TreeBuilder' objects doesn't apply to a '{tn}' object"
            )))
        }
    }
}

/// `TreeBuilder(element_factory=None, *, comment_factory=None, pi_factory=None,
/// insert_comments=False, insert_pis=False)`.
fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let tb = me(vm, "__init__", s)?;
    let p = rest.pos();
    if p.len() > 1 {
        let n = p.len();
        return Err(vm.type_error(format!(
            "TreeBuilder() takes at most 1 positional argument ({n} given)"
        )));
    }
    let names = [
        "element_factory",
        "comment_factory",
        "pi_factory",
        "insert_comments",
        "insert_pis",
    ];
    let mut got: [Option<Value>; 5] = Default::default();
    if let Some(v) = p.first() {
        got[0] = Some(v.clone());
    }
    for (k, v) in rest.kw() {
        match names.iter().position(|n| *n == k) {
            Some(i) if got[i].is_none() => got[i] = Some(v.clone()),
            Some(_) => {
                return Err(vm.type_error(format!(
                    "argument for TreeBuilder() given by name ('{k}') and position (1)"
                )));
            }
            None => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for TreeBuilder()"
                )));
            }
        }
    }
    let not_none = |v: &Option<Value>| v.clone().filter(|x| !x.is_none());
    let element_factory = not_none(&got[0]);
    let (gc, gpi) = super::factories();
    let comment_factory = not_none(&got[1]).or(gc);
    let pi_factory = not_none(&got[2]).or(gpi);
    let insert_comments = match &got[3] {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    let insert_pis = match &got[4] {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    let old = tb.st.with(|s| {
        s.insert_comments = insert_comments && comment_factory.is_some();
        s.insert_pis = insert_pis && pi_factory.is_some();
        (
            std::mem::replace(&mut s.element_factory, element_factory),
            std::mem::replace(&mut s.comment_factory, comment_factory),
            std::mem::replace(&mut s.pi_factory, pi_factory),
        )
    });
    drop(old);
    Ok(Value::none())
}

/// Appends `child` to `parent`: directly for a plain element, else through its
/// `append` method.
fn add_subelement(vm: &mut Vm, parent: &Value, child: Value) -> PyResult<()> {
    if let Some(p) = parent.downcast_exact::<ElementObj>() {
        if !is_element(&child) {
            return Err(not_element(vm, &child));
        }
        p.push_child(child);
        return Ok(());
    }
    let app = ops::getattr_str(vm, parent, "append")?;
    vm.call(&app, &[child])?;
    Ok(())
}

/// Reports `(event, node)` to the event queue if event `i` is wanted.
fn append_event(vm: &mut Vm, tb: &TreeBuilderObj, i: usize, node: Value) -> PyResult<()> {
    let (app, ev) = tb
        .st
        .read(|s| (s.events_append.clone(), s.events[i].clone()));
    if let (Some(app), Some(ev)) = (app, ev) {
        vm.call(&app, &[TupleObj::from_items([ev, node])])?;
    }
    Ok(())
}

/// Whether event `i` is reported.
pub(super) fn wants(tb: &TreeBuilderObj, i: usize) -> bool {
    tb.st
        .read(|s| s.events_append.is_some() && s.events[i].is_some())
}

/// Whether the parser must hand processing instructions over.
pub(super) fn wants_pi(tb: &TreeBuilderObj) -> bool {
    tb.st
        .read(|s| (s.events_append.is_some() && s.events[EV_PI].is_some()) || s.insert_pis)
}

/// Sets the event queue's `append` and clears the events to report.
pub(super) fn reset_events(tb: &TreeBuilderObj, append: Value) {
    let old = tb.st.with(|s| {
        (
            s.events_append.replace(append),
            std::mem::take(&mut s.events),
        )
    });
    drop(old);
}

/// Reports event `i` under the name `name` (the object the caller passed).
pub(super) fn set_event(tb: &TreeBuilderObj, i: usize, name: Value) {
    drop(tb.st.with(|s| s.events[i].replace(name)));
}

/// Gives the collected character data to its element: the text of the element last
/// opened, or the tail of the node last closed.
fn flush(vm: &mut Vm, tb: &TreeBuilderObj) -> PyResult<()> {
    let Some((data, el, tail)) = tb.st.with(|s| {
        if matches!(s.data, Data::Empty) {
            return None;
        }
        let data = std::mem::replace(&mut s.data, Data::Empty);
        Some(match &s.last_for_tail {
            Some(e) => (data, e.clone(), true),
            None => (data, s.last.clone(), false),
        })
    }) else {
        return Ok(());
    };
    if let Some(e) = el.downcast_exact::<ElementObj>() {
        let prev = if tail { e.tail() } else { e.text() };
        let new = match (data, as_str(&prev)) {
            (Data::Text(t), _) if prev.is_none() => new_string(t),
            (Data::Text(t), Some(p)) => {
                let mut s = String::with_capacity(p.len() + t.len());
                s.push_str(p);
                s.push_str(&t);
                new_string(s)
            }
            (data, _) => {
                let joined = data_value(vm, data)?;
                if prev.is_none() {
                    joined
                } else {
                    ops::binary_op(vm, &prev, &joined, crate::instructions::NB_ADD)?
                }
            }
        };
        if tail {
            e.set_tail(new);
        } else {
            e.set_text(new);
        }
        return Ok(());
    }
    let name = if tail { "tail" } else { "text" };
    let prev = ops::getattr_str(vm, &el, name)?;
    let joined = data_value(vm, data)?;
    let new = if prev.is_none() {
        joined
    } else {
        ops::binary_op(vm, &prev, &joined, crate::instructions::NB_ADD)?
    };
    ops::setattr(vm, &el, &new_str(name), new)
}

fn data_value(vm: &mut Vm, d: Data) -> PyResult<Value> {
    match d {
        Data::Empty => Ok(new_str("")),
        Data::Text(t) => Ok(new_string(t)),
        Data::Values(v) => join_values(vm, v),
    }
}

/// Character data from the parser.
pub(super) fn data_str(tb: &TreeBuilderObj, text: &str) {
    tb.st.with(|s| match &mut s.data {
        Data::Empty => {
            // Data before the first start is dropped.
            if !s.last.is_none() {
                s.data = Data::Text(text.to_string());
            }
        }
        Data::Text(t) => t.push_str(text),
        Data::Values(v) => v.push(new_str(text)),
    });
}

/// Character data as an object (`data()` from Python, or an entity's value).
pub(super) fn data_value_in(tb: &TreeBuilderObj, v: Value) {
    if let Some(t) = as_str(&v) {
        let t = t.to_string();
        return data_str(tb, &t);
    }
    tb.st.with(|s| match &mut s.data {
        Data::Empty => {
            if !s.last.is_none() {
                s.data = Data::Values(vec![v]);
            }
        }
        Data::Text(t) => {
            let first = new_string(std::mem::take(t));
            s.data = Data::Values(vec![first, v]);
        }
        Data::Values(d) => d.push(v),
    });
}

/// Opens an element (`attrib` None: no attributes).
pub(super) fn start(
    vm: &mut Vm,
    tb: &TreeBuilderObj,
    tag: Value,
    attrib: Option<Value>,
) -> PyResult<Value> {
    flush(vm, tb)?;
    let factory = tb.st.read(|s| s.element_factory.clone());
    let node = match factory {
        None => new_element(tag, attrib),
        Some(f) => {
            let attrib = attrib.unwrap_or_else(DictObj::new_value);
            vm.call(&f, &[tag, attrib])?
        }
    };
    let (this, old_lft) = tb.st.with(|s| (s.this.clone(), s.last_for_tail.take()));
    drop(old_lft);
    if !this.is_none() {
        add_subelement(vm, &this, node.clone())?;
    } else {
        if tb.st.read(|s| s.root.is_some()) {
            return Err(super::parse_error(vm, "multiple elements on top level"));
        }
        tb.st.with(|s| s.root = Some(node.clone()));
    }
    let old = tb.st.with(|s| {
        s.stack.push(this);
        (
            std::mem::replace(&mut s.this, node.clone()),
            std::mem::replace(&mut s.last, node.clone()),
        )
    });
    drop(old);
    append_event(vm, tb, EV_START, node.clone())?;
    Ok(node)
}

/// Closes the element open now.
pub(super) fn end(vm: &mut Vm, tb: &TreeBuilderObj) -> PyResult<Value> {
    flush(vm, tb)?;
    let r = tb.st.with(|s| {
        let parent = s.stack.pop()?;
        let closed = std::mem::replace(&mut s.this, parent);
        let old_last = std::mem::replace(&mut s.last, closed.clone());
        let old_lft = s.last_for_tail.replace(closed.clone());
        Some((closed, old_last, old_lft))
    });
    let Some((closed, a, b)) = r else {
        return Err(vm.index_error("pop from empty stack"));
    };
    drop((a, b));
    append_event(vm, tb, EV_END, closed.clone())?;
    Ok(closed)
}

pub(super) fn comment(vm: &mut Vm, tb: &TreeBuilderObj, text: Value) -> PyResult<Value> {
    flush(vm, tb)?;
    let (factory, insert, this) = tb
        .st
        .read(|s| (s.comment_factory.clone(), s.insert_comments, s.this.clone()));
    let c = match factory {
        Some(f) => {
            let c = vm.call(&f, &[text])?;
            if insert && !this.is_none() {
                add_subelement(vm, &this, c.clone())?;
                drop(tb.st.with(|s| s.last_for_tail.replace(c.clone())));
            }
            c
        }
        None => text,
    };
    append_event(vm, tb, EV_COMMENT, c.clone())?;
    Ok(c)
}

pub(super) fn pi(vm: &mut Vm, tb: &TreeBuilderObj, target: Value, text: Value) -> PyResult<Value> {
    flush(vm, tb)?;
    let (factory, insert, this) = tb
        .st
        .read(|s| (s.pi_factory.clone(), s.insert_pis, s.this.clone()));
    let p = match factory {
        Some(f) => {
            let p = vm.call(&f, &[target, text])?;
            if insert && !this.is_none() {
                add_subelement(vm, &this, p.clone())?;
                drop(tb.st.with(|s| s.last_for_tail.replace(p.clone())));
            }
            p
        }
        None => TupleObj::from_items([target, text]),
    };
    append_event(vm, tb, EV_PI, p.clone())?;
    Ok(p)
}

/// A namespace declaration's start, reported as `(prefix, uri)`.
pub(super) fn start_ns(
    vm: &mut Vm,
    tb: &TreeBuilderObj,
    prefix: Value,
    uri: Value,
) -> PyResult<()> {
    if wants(tb, EV_START_NS) {
        append_event(vm, tb, EV_START_NS, TupleObj::from_items([prefix, uri]))?;
    }
    Ok(())
}

pub(super) fn end_ns(vm: &mut Vm, tb: &TreeBuilderObj) -> PyResult<()> {
    if wants(tb, EV_END_NS) {
        append_event(vm, tb, EV_END_NS, Value::none())?;
    }
    Ok(())
}

/// The root element (None if none was opened).
pub(super) fn done(tb: &TreeBuilderObj) -> Value {
    tb.st.read(|s| s.root.clone()).unwrap_or_else(Value::none)
}

// ---- Python methods -----------------------------------------------------------------

fn m_start(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "start", a, 2, 2)?;
    let tb = me(vm, "start", s)?;
    if p[1].downcast::<DictObj>().is_none()
        && !crate::types::class::as_type(&p[1].type_of())
            .is_some_and(|t| t.is_subtype_raw(types().dict))
    {
        let tn = native::tp_name(p[1].type_data());
        return Err(vm.type_error(format!("start() argument 2 must be dict, not {tn}")));
    }
    start(vm, tb, p[0].clone(), Some(p[1].clone()))
}

fn m_end(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "end", a, 1, 1)?;
    let tb = me(vm, "end", s)?;
    end(vm, tb)
}

fn m_data(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "data", a, 1, 1)?;
    let tb = me(vm, "data", s)?;
    data_value_in(tb, p[0].clone());
    Ok(Value::none())
}

fn m_comment(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "comment", a, 1, 1)?;
    let tb = me(vm, "comment", s)?;
    comment(vm, tb, p[0].clone())
}

fn m_pi(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "pi", a, 1, 2)?;
    let tb = me(vm, "pi", s)?;
    let text = p.get(1).cloned().unwrap_or_else(Value::none);
    pi(vm, tb, p[0].clone(), text)
}

fn m_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "close", a, 0, 0)?;
    let tb = me(vm, "close", s)?;
    Ok(done(tb))
}

pub(super) fn make_type() -> Value {
    let t = new_type::<TreeBuilderObj>(
        "TreeBuilder",
        "xml.etree.ElementTree",
        object_type(),
        Kind::Native,
        &TREEBUILDER_T,
        &TREEBUILDER,
    );
    methods(
        &t,
        &[
            ("__init__", init),
            ("start", m_start),
            ("end", m_end),
            ("data", m_data),
            ("comment", m_comment),
            ("pi", m_pi),
            ("close", m_close),
        ],
    );
    t
}
