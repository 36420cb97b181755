//! `Element` (tag, attrib, text, tail and a list of child elements), `SubElement` and
//! the tree iterator behind `iter()` and `itertext()`.
//!
//! The payload mirrors what CPython's C element observably is: the attribute dict is
//! made only when first needed (an element with no attributes has none), children are
//! always elements (checked on every way in), and `__sizeof__` reports the sizes the C
//! object would have, from a model of its child array's growth (`Fields::grow`), since
//! test suites compare them with `struct.calcsize`.
//!
//! Everything sits in one `ObjCell`; a value is cloned out before any Python code runs
//! (a tag's `__eq__`, a dict key's `__hash__`, a finalizer of a replaced value), and
//! replaced values are dropped after the cell's lock is released.
use std::cell::{Cell, RefCell};

use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

use super::super::native_args::{bind, getset_del, methods, object_type, receiver, this};

/// Children an element holds before CPython allocates a separate array for them.
const STATIC_CHILDREN: usize = 4;
/// `sizeof(ElementObject)`: the object header and five pointers.
const ELEMENT_SIZE: i64 = 16 + 5 * 8;
/// `sizeof(ElementObjectExtra)`: attrib, length, allocated, children pointer and the
/// static child slots.
const EXTRA_SIZE: i64 = 4 * 8 + STATIC_CHILDREN as i64 * 8;

pub struct ElementObj {
    st: ObjCell<Fields>,
}
native_payload!(ElementObj, ELEMENT);

static ELEMENT_T: NativeType = NativeType {
    new: Some(element_new),
    has_init: true,
    weakrefable: true,
    ..NativeType::of::<ElementObj>()
};

pub(super) struct Fields {
    pub(super) tag: Value,
    pub(super) text: Value,
    pub(super) tail: Value,
    /// The attribute dict; `None` until one is needed (CPython's `extra->attrib`).
    pub(super) attrib: Option<Value>,
    pub(super) children: Vec<Value>,
    /// Whether CPython's `extra` block would exist, and its `allocated` count: only
    /// `__sizeof__` reads them.
    extra: bool,
    allocated: usize,
}

impl Fields {
    /// Room for `n` more children, as `element_resize` grows the C array.
    fn grow(&mut self, n: usize) {
        if !self.extra {
            self.extra = true;
            self.allocated = STATIC_CHILDREN;
        }
        let size = self.children.len() + n;
        if size > self.allocated {
            self.allocated = size + (size >> 3) + if size < 9 { 3 } else { 6 };
        }
    }
}

impl crate::gc::Traverse for ElementObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.st.read(|s| {
            crate::gc::visit_value(&s.tag, visit);
            crate::gc::visit_value(&s.text, visit);
            crate::gc::visit_value(&s.tail, visit);
            if let Some(a) = &s.attrib {
                crate::gc::visit_value(a, visit);
            }
            s.children
                .iter()
                .for_each(|c| crate::gc::visit_value(c, visit));
        });
    }
    fn clear(&self) {
        let taken = self.st.with(|s| {
            s.extra = false;
            (
                std::mem::replace(&mut s.tag, Value::none()),
                std::mem::replace(&mut s.text, Value::none()),
                std::mem::replace(&mut s.tail, Value::none()),
                s.attrib.take(),
                std::mem::take(&mut s.children),
            )
        });
        drop(taken);
    }
}

thread_local! {
    /// Whether an element's children are being released on this thread, and the
    /// children of elements freed meanwhile: a deep tree is freed level by level from
    /// this list rather than by one native recursion per level (CPython's trashcan),
    /// so a 200000-deep chain does not exhaust the stack.
    static RELEASING: Cell<bool> = const { Cell::new(false) };
    static PENDING: RefCell<Vec<Vec<Value>>> = const { RefCell::new(Vec::new()) };
}

impl Drop for ElementObj {
    fn drop(&mut self) {
        let children = self.st.with(|s| std::mem::take(&mut s.children));
        if children.is_empty() {
            return;
        }
        let nested = RELEASING.try_with(|r| r.replace(true)).unwrap_or(true);
        if nested {
            // An outer drop on this thread drains the list (or the thread is exiting
            // and its locals are gone: drop in place).
            // If the thread's locals are gone, the closure (holding the children)
            // is dropped unrun, which frees them in place.
            let _ = PENDING.try_with(|p| p.borrow_mut().push(children));
            return;
        }
        drop(children);
        loop {
            let next = PENDING.try_with(|p| p.borrow_mut().pop()).ok().flatten();
            match next {
                Some(v) => drop(v),
                None => break,
            }
        }
        let _ = RELEASING.try_with(|r| r.set(false));
    }
}

impl ElementObj {
    /// (tag, attrib, text, tail, children), read in one critical section: what a copy
    /// and a pickle take.
    fn fields(&self) -> (Value, Option<Value>, Value, Value, Vec<Value>) {
        self.st.read(|f| {
            (
                f.tag.clone(),
                f.attrib.clone(),
                f.text.clone(),
                f.tail.clone(),
                f.children.clone(),
            )
        })
    }

    pub(super) fn new(tag: Value, attrib: Option<Value>) -> ElementObj {
        // CPython stores no attribute dict for an empty one (`is_empty_dict`).
        let attrib = attrib.filter(|a| {
            !(a.type_raw() == types().dict && a.downcast::<DictObj>().is_some_and(|d| d.is_empty()))
        });
        let extra = attrib.is_some();
        ElementObj {
            st: ObjCell::new(Fields {
                tag,
                text: Value::none(),
                tail: Value::none(),
                attrib,
                children: Vec::new(),
                extra,
                allocated: if extra { STATIC_CHILDREN } else { 0 },
            }),
        }
    }

    pub(super) fn push_child(&self, child: Value) {
        self.st.with(|s| {
            s.grow(1);
            s.children.push(child);
        });
    }

    pub(super) fn child(&self, i: usize) -> Option<Value> {
        self.st.read(|s| s.children.get(i).cloned())
    }

    pub(super) fn tag(&self) -> Value {
        self.st.read(|s| s.tag.clone())
    }

    pub(super) fn text(&self) -> Value {
        self.st.read(|s| s.text.clone())
    }

    pub(super) fn tail(&self) -> Value {
        self.st.read(|s| s.tail.clone())
    }

    pub(super) fn set_text(&self, v: Value) {
        drop(self.st.with(|s| std::mem::replace(&mut s.text, v)));
    }

    pub(super) fn set_tail(&self, v: Value) {
        drop(self.st.with(|s| std::mem::replace(&mut s.tail, v)));
    }

    /// The attribute dict, made (empty) if the element has none yet.
    fn attrib(&self) -> Value {
        self.st.with(|s| {
            if !s.extra {
                s.extra = true;
                s.allocated = STATIC_CHILDREN;
            }
            s.attrib.get_or_insert_with(DictObj::new_value).clone()
        })
    }
}

/// A new plain `Element` (never a subclass: CPython's `create_new_element`).
pub(super) fn new_element(tag: Value, attrib: Option<Value>) -> Value {
    Value::alloc(ElementObj::new(tag, attrib))
}

pub(super) fn is_element(v: &Value) -> bool {
    downcast::<ElementObj>(v).is_some()
}

/// CPython's `tp_name` of `v`'s type, for messages.
fn tp_name(v: &Value) -> String {
    native::tp_name(v.type_data())
}

/// `expected an Element, not "X"`.
pub(super) fn not_element(vm: &mut Vm, v: &Value) -> PyErr {
    let tn = tp_name(v);
    vm.type_error(format!("expected an Element, not \"{tn}\""))
}

fn me<'a>(vm: &mut Vm, name: &str, v: &'a Value) -> PyResult<&'a ElementObj> {
    match downcast::<ElementObj>(v) {
        Some(e) => Ok(e),
        None => {
            let tn = tp_name(v);
            Err(vm.type_error(format!(
                "descriptor '{name}' for 'xml.etree.ElementTree.Element' objects doesn't apply to a '{tn}' object"
            )))
        }
    }
}

/// An argument Argument Clinic checks with `subclass_of=Element`.
fn element_arg(vm: &mut Vm, fname: &str, pos: usize, v: &Value) -> PyResult<()> {
    if is_element(v) {
        return Ok(());
    }
    let tn = tp_name(v);
    let which = if pos == 0 {
        String::new()
    } else {
        format!(" {pos}")
    };
    Err(vm.type_error(format!(
        "{fname}() argument{which} must be xml.etree.ElementTree.Element, not {tn}"
    )))
}

fn is_dict(v: &Value) -> bool {
    v.downcast::<DictObj>().is_some()
        || crate::types::class::as_type(&v.type_of())
            .is_some_and(|t| t.is_subtype_raw(types().dict))
}

/// `attrib.copy()` for a dict argument (PyDict_Copy: a plain dict of its items).
fn dict_copy(vm: &mut Vm, d: &Value) -> PyResult<Value> {
    if let Some(dd) = d.downcast::<DictObj>() {
        return Ok(Value::alloc(dd.copy()));
    }
    let out = DictObj::new_value();
    dict_update(vm, &out, d)?;
    Ok(out)
}

fn dict_update(vm: &mut Vm, d: &Value, from: &Value) -> PyResult<()> {
    let upd = ops::getattr_str(vm, d, "update")?;
    vm.call(&upd, std::slice::from_ref(from))?;
    Ok(())
}

/// The attributes `Element()`/`SubElement()` start with: a copy of the `attrib`
/// argument updated with the keywords; with keywords only, an `attrib=` keyword's dict
/// is the base (CPython's `get_attrib_from_keywords`).
fn initial_attrib(vm: &mut Vm, attrib: Option<&Value>, a: &Args) -> PyResult<Option<Value>> {
    let kw: Vec<(&str, &Value)> = a.kw().collect();
    match attrib {
        Some(at) => {
            let d = dict_copy(vm, at)?;
            if let Some(dd) = d.downcast::<DictObj>() {
                for (k, v) in kw {
                    dd.set(vm, new_str(k), v.clone())?;
                }
            }
            Ok(Some(d))
        }
        None if kw.is_empty() => Ok(None),
        None => {
            let d = match kw.iter().find(|(k, _)| *k == "attrib") {
                Some((_, at)) => {
                    if !is_dict(at) {
                        let tn = tp_name(at);
                        return Err(vm.type_error(format!("attrib must be dict, not {tn}")));
                    }
                    dict_copy(vm, at)?
                }
                None => DictObj::new_value(),
            };
            if let Some(dd) = d.downcast::<DictObj>() {
                for (k, v) in kw {
                    if k != "attrib" {
                        dd.set(vm, new_str(k), v.clone())?;
                    }
                }
            }
            Ok(Some(d))
        }
    }
}

/// Positional `tag` and optional `attrib` dict of `Element()`/`SubElement()`.
fn dict_pos(vm: &mut Vm, fname: &str, n: usize, v: &Value) -> PyResult<()> {
    if is_dict(v) {
        return Ok(());
    }
    let tn = tp_name(v);
    Err(vm.type_error(format!("{fname}() argument {n} must be dict, not {tn}")))
}

fn element_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(cls, ElementObj::new(Value::none(), None)))
}

/// `Element.__init__(self, tag, attrib={}, /, **extra)`.
fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let e = me(vm, "__init__", s)?;
    let p = rest.pos();
    if p.is_empty() || p.len() > 2 {
        let n = p.len();
        let msg = if n == 0 {
            "Element() takes at least 1 argument (0 given)".to_string()
        } else {
            format!("Element() takes at most 2 arguments ({n} given)")
        };
        return Err(vm.type_error(msg));
    }
    if let Some(at) = p.get(1) {
        dict_pos(vm, "Element", 2, at)?;
    }
    let attrib = initial_attrib(vm, p.get(1), &rest)?;
    let fresh = ElementObj::new(p[0].clone(), attrib);
    let new = fresh.st.with(|f| {
        (
            std::mem::replace(&mut f.tag, Value::none()),
            f.attrib.take(),
        )
    });
    let old = e.st.with(|s| {
        let tag = std::mem::replace(&mut s.tag, new.0);
        let text = std::mem::replace(&mut s.text, Value::none());
        let tail = std::mem::replace(&mut s.tail, Value::none());
        let attrib = match new.1 {
            Some(d) => {
                if !s.extra {
                    s.extra = true;
                    s.allocated = STATIC_CHILDREN;
                }
                s.attrib.replace(d)
            }
            None => None,
        };
        (tag, text, tail, attrib)
    });
    drop(old);
    Ok(Value::none())
}

/// `SubElement(parent, tag, attrib={}, /, **extra)`.
pub(super) fn sub_element(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = a.pos();
    if p.len() < 2 || p.len() > 3 {
        let n = p.len();
        let msg = if n < 2 {
            format!("SubElement() takes at least 2 arguments ({n} given)")
        } else {
            format!("SubElement() takes at most 3 arguments ({n} given)")
        };
        return Err(vm.type_error(msg));
    }
    let Some(parent) = downcast::<ElementObj>(&p[0]) else {
        let tn = tp_name(&p[0]);
        return Err(vm.type_error(format!(
            "SubElement() argument 1 must be xml.etree.ElementTree.Element, not {tn}"
        )));
    };
    if let Some(at) = p.get(2) {
        dict_pos(vm, "SubElement", 3, at)?;
    }
    let attrib = initial_attrib(vm, p.get(2), a)?;
    let child = new_element(p[1].clone(), attrib);
    parent.push_child(child.clone());
    Ok(child)
}

// ---- attributes ---------------------------------------------------------------------

/// `del element.tag` (and text, tail, attrib).
fn no_delete(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error("can't delete element attribute"))
}

fn g_tag(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(me(vm, "tag", &a.pos()[0])?.tag())
}
fn s_tag(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = me(vm, "tag", &a.pos()[0])?;
    let v = a.pos()[1].clone();
    drop(e.st.with(|s| std::mem::replace(&mut s.tag, v)));
    Ok(Value::none())
}
fn g_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(me(vm, "text", &a.pos()[0])?.text())
}
fn s_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    me(vm, "text", &a.pos()[0])?.set_text(a.pos()[1].clone());
    Ok(Value::none())
}
fn g_tail(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(me(vm, "tail", &a.pos()[0])?.tail())
}
fn s_tail(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    me(vm, "tail", &a.pos()[0])?.set_tail(a.pos()[1].clone());
    Ok(Value::none())
}
fn g_attrib(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(me(vm, "attrib", &a.pos()[0])?.attrib())
}
fn s_attrib(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = me(vm, "attrib", &a.pos()[0])?;
    let v = a.pos()[1].clone();
    if !is_dict(&v) {
        let tn = tp_name(&v);
        return Err(vm.type_error(format!("attrib must be dict, not {tn}")));
    }
    let old = e.st.with(|s| {
        if !s.extra {
            s.extra = true;
            s.allocated = STATIC_CHILDREN;
        }
        s.attrib.replace(v)
    });
    drop(old);
    Ok(Value::none())
}

// ---- the sequence protocol ----------------------------------------------------------

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__len__", a, 0, 0)?;
    let n = me(vm, "__len__", s)?.st.read(|f| f.children.len());
    Ok(Value::int(n as i64))
}

enum Key {
    Index(i64),
    Slice(crate::ops::SliceSpec),
}

fn key_of(vm: &mut Vm, k: &Value) -> PyResult<Key> {
    if let Some(sl) = k.downcast::<crate::types::misc::SliceObj>() {
        return Ok(Key::Slice(crate::ops::slice_unpack(vm, sl)?));
    }
    if crate::types::int::as_int(k).is_none() && crate::vm::lookup_special(k, "__index__").is_none()
    {
        return Err(vm.type_error("element indices must be integers"));
    }
    // PyNumber_AsSsize_t(key, IndexError): an index too large is an IndexError.
    match ops::to_isize(vm, k) {
        Ok(i) => Ok(Key::Index(i)),
        Err(e) => Err(e),
    }
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "__getitem__", a, 1, 1)?;
    let e = me(vm, "__getitem__", s)?;
    match key_of(vm, &p[0])? {
        Key::Index(i) => {
            let r = e.st.read(|f| {
                let n = f.children.len() as i64;
                let i = if i < 0 { i + n } else { i };
                (0..n).contains(&i).then(|| f.children[i as usize].clone())
            });
            r.ok_or_else(|| vm.index_error("child index out of range"))
        }
        Key::Slice(spec) => {
            let items = e.st.read(|f| {
                let (start, _, step, count) = spec.adjust(f.children.len() as i64);
                (0..count)
                    .map(|k| f.children[(start + k * step) as usize].clone())
                    .collect::<Vec<_>>()
            });
            Ok(ListObj::new_value(items))
        }
    }
}

/// `PySequence_Fast(v)` for slice assignment and `extend`, with CPython's message
/// when `v` is not iterable.
fn sequence_items(vm: &mut Vm, v: &Value) -> PyResult<Vec<Value>> {
    if let Some(l) = v.downcast::<ListObj>() {
        return Ok(l.snapshot());
    }
    if let Some(t) = v.downcast::<TupleObj>() {
        return Ok(t.items.to_vec());
    }
    let it = match ops::get_iter(vm, v) {
        Ok(it) => it,
        Err(e) if vm.err_matches(&e, types().type_error) => {
            let tn = tp_name(v);
            return Err(vm.type_error(format!("expected sequence, not \"{tn}\"")));
        }
        Err(e) => return Err(e),
    };
    crate::ops::collect(vm, &it)
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "__setitem__", a, 2, 2)?;
    let e = me(vm, "__setitem__", s)?;
    assign(vm, e, &p[0], Some(&p[1]))?;
    Ok(Value::none())
}

fn delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "__delitem__", a, 1, 1)?;
    let e = me(vm, "__delitem__", s)?;
    assign(vm, e, &p[0], None)?;
    Ok(Value::none())
}

/// `self[key] = value` (`value` None: `del self[key]`).
fn assign(vm: &mut Vm, e: &ElementObj, key: &Value, value: Option<&Value>) -> PyResult<()> {
    match key_of(vm, key)? {
        Key::Index(i) => {
            if let Some(v) = value
                && !is_element(v)
            {
                // CPython checks the index first.
                let ok = e.st.read(|f| {
                    let n = f.children.len() as i64;
                    let i = if i < 0 { i + n } else { i };
                    (0..n).contains(&i)
                });
                if !ok {
                    return Err(vm.index_error("child assignment index out of range"));
                }
                return Err(not_element(vm, v));
            }
            let old = e.st.with(|f| {
                let n = f.children.len() as i64;
                let i = if i < 0 { i + n } else { i };
                if !(0..n).contains(&i) {
                    return Err(());
                }
                Ok(match value {
                    Some(v) => std::mem::replace(&mut f.children[i as usize], v.clone()),
                    None => f.children.remove(i as usize),
                })
            });
            match old {
                Ok(old) => {
                    drop(old);
                    Ok(())
                }
                Err(()) => Err(vm.index_error("child assignment index out of range")),
            }
        }
        Key::Slice(spec) => match value {
            None => {
                let removed = e.st.with(|f| {
                    if !f.extra {
                        f.extra = true;
                        f.allocated = STATIC_CHILDREN;
                    }
                    let (start, _, step, count) = spec.adjust(f.children.len() as i64);
                    let mut idx: Vec<usize> =
                        (0..count).map(|k| (start + k * step) as usize).collect();
                    idx.sort_unstable();
                    let mut removed = Vec::with_capacity(idx.len());
                    for &i in idx.iter().rev() {
                        removed.push(f.children.remove(i));
                    }
                    removed
                });
                drop(removed);
                Ok(())
            }
            Some(v) => {
                let items = sequence_items(vm, v)?;
                let (count, step) = e.st.with(|f| {
                    let (_, _, step, count) = spec.adjust(f.children.len() as i64);
                    (count, step)
                });
                let newlen = items.len() as i64;
                if step != 1 && newlen != count {
                    return Err(vm.value_error(format!(
                        "attempt to assign sequence of size {newlen} to extended slice of size {count}"
                    )));
                }
                if newlen > count {
                    e.st.with(|f| f.grow((newlen - count) as usize));
                }
                if let Some(bad) = items.iter().find(|x| !is_element(x)) {
                    return Err(not_element(vm, bad));
                }
                let old = e.st.with(|f| {
                    if !f.extra {
                        f.extra = true;
                        f.allocated = STATIC_CHILDREN;
                    }
                    // The length may have changed while the items were collected.
                    let (start, _, step, count) = spec.adjust(f.children.len() as i64);
                    if step == 1 {
                        let start = start as usize;
                        let end = start + count as usize;
                        Ok(f.children.splice(start..end, items).collect::<Vec<_>>())
                    } else if count as usize != items.len() {
                        Err((items.len(), count))
                    } else {
                        let mut old = Vec::with_capacity(items.len());
                        for (k, it) in items.into_iter().enumerate() {
                            let i = (start + k as i64 * step) as usize;
                            old.push(std::mem::replace(&mut f.children[i], it));
                        }
                        Ok(old)
                    }
                });
                match old {
                    Ok(old) => {
                        drop(old);
                        Ok(())
                    }
                    Err((n, c)) => Err(vm.value_error(format!(
                        "attempt to assign sequence of size {n} to extended slice of size {c}"
                    ))),
                }
            }
        },
    }
}

// ---- children -----------------------------------------------------------------------

fn append(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "append", a, 1, 1)?;
    let e = me(vm, "append", s)?;
    element_arg(vm, "append", 0, &p[0])?;
    e.push_child(p[0].clone());
    Ok(Value::none())
}

fn extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "extend", a, 1, 1)?;
    let e = me(vm, "extend", s)?;
    let items = sequence_items(vm, &p[0])?;
    for it in items {
        if !is_element(&it) {
            return Err(not_element(vm, &it));
        }
        e.push_child(it);
    }
    Ok(Value::none())
}

fn insert(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "insert", a, 2, 2)?;
    let e = me(vm, "insert", s)?;
    let idx = super::super::native_args::ssize_arg(vm, Some(&p[0]), 0)?;
    element_arg(vm, "insert", 2, &p[1])?;
    let child = p[1].clone();
    e.st.with(|f| {
        f.grow(1);
        let n = f.children.len();
        let i = crate::ops::clamp_to_len(idx, n);
        f.children.insert(i, child);
    });
    Ok(Value::none())
}

fn remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "remove", a, 1, 1)?;
    let e = me(vm, "remove", s)?;
    element_arg(vm, "remove", 0, &p[0])?;
    let x = &p[0];
    let mut i = 0;
    loop {
        let Some(c) = e.child(i) else {
            return Err(vm.value_error("list.remove(x): x not in list"));
        };
        if c.is(x) || vm.eq(&c, x)? {
            // The comparison may have changed the children: remove this child where
            // it is now, if it is still there.
            let removed = e.st.with(|f| {
                let at = if f.children.get(i).is_some_and(|v| v.is(&c)) {
                    Some(i)
                } else {
                    f.children.iter().position(|v| v.is(&c))
                };
                at.map(|k| f.children.remove(k))
            });
            drop(removed);
            return Ok(Value::none());
        }
        i += 1;
    }
}

fn clear(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "clear", a, 0, 0)?;
    let e = me(vm, "clear", s)?;
    let old = e.st.with(|f| {
        f.extra = false;
        f.allocated = 0;
        (
            f.attrib.take(),
            std::mem::take(&mut f.children),
            std::mem::replace(&mut f.text, Value::none()),
            std::mem::replace(&mut f.tail, Value::none()),
        )
    });
    drop(old);
    Ok(Value::none())
}

// ---- attributes as a mapping --------------------------------------------------------

fn get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "get", a)?;
    let b = bind(vm, "get", &rest, &["key", "default"], 1, 2)?;
    let e = me(vm, "get", s)?;
    let default = b[1].cloned().unwrap_or_else(Value::none);
    let Some(attrib) = e.st.read(|f| f.attrib.clone()) else {
        return Ok(default);
    };
    let key = b[0].cloned().unwrap_or_else(Value::none);
    if let Some(d) = attrib.downcast::<DictObj>() {
        return Ok(d.get(vm, &key)?.unwrap_or(default));
    }
    let g = ops::getattr_str(vm, &attrib, "get")?;
    vm.call(&g, &[key, default])
}

fn set_attr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "set", a, 2, 2)?;
    let e = me(vm, "set", s)?;
    let attrib = e.attrib();
    match attrib.downcast::<DictObj>() {
        Some(d) => d.set(vm, p[0].clone(), p[1].clone())?,
        None => ops::setitem(vm, &attrib, p[0].clone(), p[1].clone())?,
    }
    Ok(Value::none())
}

fn keys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "keys", a, 0, 0)?;
    let e = me(vm, "keys", s)?;
    let Some(attrib) = e.st.read(|f| f.attrib.clone()) else {
        return Ok(ListObj::new_value(vec![]));
    };
    match attrib.downcast::<DictObj>() {
        Some(d) => Ok(ListObj::new_value(d.keys())),
        None => {
            let k = ops::getattr_str(vm, &attrib, "keys")?;
            let r = vm.call(&k, &[])?;
            Ok(ListObj::new_value(crate::ops::collect(vm, &r)?))
        }
    }
}

fn items(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "items", a, 0, 0)?;
    let e = me(vm, "items", s)?;
    let Some(attrib) = e.st.read(|f| f.attrib.clone()) else {
        return Ok(ListObj::new_value(vec![]));
    };
    match attrib.downcast::<DictObj>() {
        Some(d) => Ok(ListObj::new_value(
            d.items()
                .into_iter()
                .map(|(k, v)| TupleObj::from_items([k, v]))
                .collect(),
        )),
        None => {
            let k = ops::getattr_str(vm, &attrib, "items")?;
            let r = vm.call(&k, &[])?;
            Ok(ListObj::new_value(crate::ops::collect(vm, &r)?))
        }
    }
}

fn makeelement(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "makeelement", a, 2, 2)?;
    me(vm, "makeelement", s)?;
    if !is_dict(&p[1]) {
        let tn = tp_name(&p[1]);
        return Err(vm.type_error(format!("makeelement() argument 2 must be dict, not {tn}")));
    }
    let attrib = dict_copy(vm, &p[1])?;
    Ok(new_element(p[0].clone(), Some(attrib)))
}

// ---- searching ----------------------------------------------------------------------

/// Whether `path` may be more than a plain tag (CPython's `checkpath`): a `{}`/`{*}`
/// wildcard, or one of `/*[@.` outside a `{uri}` part; anything but str or bytes too.
fn is_path(path: &Value) -> bool {
    let b: &[u8] = if let Some(s) = as_str(path) {
        s.as_bytes()
    } else if let Some(b) = path.downcast::<crate::types::bytes::BytesObj>() {
        b.data.as_slice()
    } else {
        return true;
    };
    if b.len() >= 3 && b[0] == b'{' && (b[1] == b'}' || (b[1] == b'*' && b[2] == b'}')) {
        return true;
    }
    let mut check = true;
    for &c in b {
        match c {
            b'{' => check = false,
            b'}' => check = true,
            b'/' | b'*' | b'[' | b'@' | b'.' if check => return true,
            _ => {}
        }
    }
    false
}

/// `xml.etree.ElementPath.<name>(*args)`.
fn elementpath_call(vm: &mut Vm, name: &str, args: &[Value]) -> PyResult<Value> {
    let Some(ep) = super::elementpath() else {
        return Err(vm.runtime_error("ElementPath module not found"));
    };
    let f = ops::getattr_str(vm, &ep, name)?;
    vm.call(&f, args)
}

/// Children whose tag equals `path`, in order, read live (a tag's `__eq__` may change
/// the children); stops after the first when `first`.
fn children_with_tag(
    vm: &mut Vm,
    e: &ElementObj,
    path: &Value,
    first: bool,
) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = e.child(i) {
        i += 1;
        let Some(ce) = downcast::<ElementObj>(&c) else {
            continue;
        };
        let tag = ce.tag();
        if vm.eq(&tag, path)? {
            out.push(c);
            if first {
                break;
            }
        }
    }
    Ok(out)
}

fn find(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "find", a)?;
    let b = bind(vm, "find", &rest, &["path", "namespaces"], 1, 2)?;
    let e = me(vm, "find", s)?;
    let path = b[0].cloned().unwrap_or_else(Value::none);
    let ns = b[1].cloned().unwrap_or_else(Value::none);
    if !ns.is_none() || is_path(&path) {
        return elementpath_call(vm, "find", &[s.clone(), path, ns]);
    }
    Ok(children_with_tag(vm, e, &path, true)?
        .pop()
        .unwrap_or_else(Value::none))
}

fn findtext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "findtext", a)?;
    let b = bind(
        vm,
        "findtext",
        &rest,
        &["path", "default", "namespaces"],
        1,
        3,
    )?;
    let e = me(vm, "findtext", s)?;
    let path = b[0].cloned().unwrap_or_else(Value::none);
    let default = b[1].cloned().unwrap_or_else(Value::none);
    let ns = b[2].cloned().unwrap_or_else(Value::none);
    if !ns.is_none() || is_path(&path) {
        return elementpath_call(vm, "findtext", &[s.clone(), path, default, ns]);
    }
    match children_with_tag(vm, e, &path, true)?.pop() {
        Some(c) => {
            let t = downcast::<ElementObj>(&c)
                .map(|ce| ce.text())
                .unwrap_or_else(Value::none);
            Ok(if t.is_none() { new_str("") } else { t })
        }
        None => Ok(default),
    }
}

fn findall(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "findall", a)?;
    let b = bind(vm, "findall", &rest, &["path", "namespaces"], 1, 2)?;
    let e = me(vm, "findall", s)?;
    let path = b[0].cloned().unwrap_or_else(Value::none);
    let ns = b[1].cloned().unwrap_or_else(Value::none);
    if !ns.is_none() || is_path(&path) {
        return elementpath_call(vm, "findall", &[s.clone(), path, ns]);
    }
    Ok(ListObj::new_value(children_with_tag(vm, e, &path, false)?))
}

fn iterfind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "iterfind", a)?;
    let b = bind(vm, "iterfind", &rest, &["path", "namespaces"], 1, 2)?;
    me(vm, "iterfind", s)?;
    let path = b[0].cloned().unwrap_or_else(Value::none);
    let ns = b[1].cloned().unwrap_or_else(Value::none);
    elementpath_call(vm, "iterfind", &[s.clone(), path, ns])
}

// ---- copying and pickling -----------------------------------------------------------

fn copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__copy__", a, 0, 0)?;
    let e = me(vm, "__copy__", s)?;
    // As CPython: the copy shares the attribute dict.
    let (tag, attrib, text, tail, children) = e.fields();
    let c = ElementObj::new(tag, attrib);
    c.st.with(|f| {
        f.text = text;
        f.tail = tail;
        if !children.is_empty() {
            f.grow(children.len());
        }
        f.children = children;
    });
    Ok(Value::alloc(c))
}

/// `copy.deepcopy(v, memo)`, skipping None and str (immutable, copied as themselves).
fn deepcopy(vm: &mut Vm, v: &Value, memo: &Value) -> PyResult<Value> {
    if v.is_none() || v.type_raw() == types().str {
        return Ok(v.clone());
    }
    let Some(f) = super::deepcopy_fn() else {
        return Err(vm.runtime_error("deepcopy helper not found"));
    };
    vm.call(&f, &[v.clone(), memo.clone()])
}

fn deepcopy_method(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "__deepcopy__", a, 1, 1)?;
    let e = me(vm, "__deepcopy__", s)?;
    let memo = &p[0];
    if memo.downcast::<DictObj>().is_none() {
        let tn = tp_name(memo);
        return Err(vm.type_error(format!("__deepcopy__() argument must be dict, not {tn}")));
    }
    let (tag, attrib, text, tail) = e.st.read(|f| {
        (
            f.tag.clone(),
            f.attrib.clone(),
            f.text.clone(),
            f.tail.clone(),
        )
    });
    let tag = deepcopy(vm, &tag, memo)?;
    let attrib = match attrib {
        Some(at) => Some(deepcopy(vm, &at, memo)?),
        None => None,
    };
    let c = Value::alloc(ElementObj::new(tag, attrib));
    let ce = downcast::<ElementObj>(&c).expect("a new element");
    let text = deepcopy(vm, &text, memo)?;
    ce.set_text(text);
    let tail = deepcopy(vm, &tail, memo)?;
    ce.set_tail(tail);
    let n = e.st.read(|f| f.children.len());
    if n > 0 {
        ce.st.with(|f| f.grow(n));
    }
    let mut i = 0;
    while let Some(child) = e.child(i) {
        i += 1;
        let cc = deepcopy(vm, &child, memo)?;
        if !is_element(&cc) {
            return Err(not_element(vm, &cc));
        }
        ce.st.with(|f| f.children.push(cc));
    }
    let id = Value::bigint(num_bigint::BigInt::from(s.bits()));
    if let Some(d) = memo.downcast::<DictObj>() {
        d.set(vm, id, c.clone())?;
    }
    Ok(c)
}

fn getstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__getstate__", a, 0, 0)?;
    let e = me(vm, "__getstate__", s)?;
    let (tag, attrib, text, tail, children) = e.fields();
    let d = DictObj::new_value();
    if let Some(dd) = d.downcast::<DictObj>() {
        dd.set_str("tag", tag);
        dd.set_str("_children", ListObj::new_value(children));
        dd.set_str("attrib", attrib.unwrap_or_else(DictObj::new_value));
        dd.set_str("text", text);
        dd.set_str("tail", tail);
    }
    Ok(d)
}

/// A pickled text or tail given as a list of pieces (CPython's join flag): joined.
fn joined(vm: &mut Vm, v: Value) -> PyResult<Value> {
    let Some(l) = v
        .downcast::<ListObj>()
        .filter(|_| v.type_raw() == types().list)
    else {
        return Ok(v);
    };
    join_values(vm, l.snapshot())
}

/// `"".join(items)` (a single item is returned as it is).
pub(super) fn join_values(vm: &mut Vm, mut items: Vec<Value>) -> PyResult<Value> {
    if items.len() == 1 {
        return Ok(items.pop().expect("one item"));
    }
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        match as_str(it) {
            Some(s) => out.push_str(s),
            None => {
                let tn = it.type_data().name.clone();
                return Err(vm.type_error(format!(
                    "sequence item {i}: expected str instance, {tn} found"
                )));
            }
        }
    }
    Ok(new_string(out))
}

fn setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, p) = this(vm, "__setstate__", a, 1, 1)?;
    let e = me(vm, "__setstate__", s)?;
    let state = &p[0];
    let Some(d) = state
        .downcast::<DictObj>()
        .filter(|_| state.type_raw() == types().dict)
    else {
        let r = ops::repr(vm, state)?;
        return Err(vm.type_error(format!("Don't know how to unpickle \"{r}\" as an Element")));
    };
    let mut tag = None;
    let mut attrib = None;
    let mut text = None;
    let mut tail = None;
    let mut children = None;
    for (k, v) in d.items() {
        let Some(name) = as_str(&k) else {
            return Err(vm.type_error("keywords must be strings"));
        };
        let slot = match name {
            "tag" => &mut tag,
            "attrib" => &mut attrib,
            "text" => &mut text,
            "tail" => &mut tail,
            "_children" => &mut children,
            _ => {
                return Err(vm.type_error(format!(
                    "'{name}' is an invalid keyword argument for this function"
                )));
            }
        };
        *slot = Some(v);
    }
    let Some(tag) = tag else {
        return Err(vm.type_error("tag may not be NULL"));
    };
    let text = joined(vm, text.unwrap_or_else(Value::none))?;
    let tail = joined(vm, tail.unwrap_or_else(Value::none))?;
    let old = e.st.with(|f| {
        (
            std::mem::replace(&mut f.tag, tag),
            std::mem::replace(&mut f.text, text),
            std::mem::replace(&mut f.tail, tail),
        )
    });
    drop(old);
    if children.is_none() && attrib.is_none() {
        return Ok(Value::none());
    }
    let mut err = None;
    let new_children = match &children {
        Some(c) => {
            let Some(l) = c.downcast::<ListObj>() else {
                return Err(vm.type_error("'_children' is not a list"));
            };
            let mut out = Vec::new();
            for it in l.snapshot() {
                if !is_element(&it) {
                    err = Some(not_element(vm, &it));
                    break;
                }
                out.push(it);
            }
            Some(out)
        }
        None => None,
    };
    let failed = err.is_some();
    let old = e.st.with(|f| {
        if !f.extra {
            f.extra = true;
            f.allocated = STATIC_CHILDREN;
        }
        let old_children = match new_children {
            Some(c) => {
                f.allocated = STATIC_CHILDREN;
                f.children.clear();
                f.grow(c.len());
                Some(std::mem::replace(&mut f.children, c))
            }
            None => None,
        };
        // On a bad child CPython keeps the children before it and the old attrib.
        let old_attrib = if failed {
            None
        } else {
            std::mem::replace(&mut f.attrib, attrib)
        };
        (old_children, old_attrib)
    });
    drop(old);
    match err {
        Some(e) => Err(e),
        None => Ok(Value::none()),
    }
}

fn sizeof(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__sizeof__", a, 0, 0)?;
    let e = me(vm, "__sizeof__", s)?;
    let mut n = ELEMENT_SIZE;
    if s.type_raw() != <ElementObj as crate::value::PyPayload>::class() {
        // A Python subclass's instances carry a __dict__ pointer too.
        n += 8;
    }
    e.st.read(|f| {
        if f.extra {
            n += EXTRA_SIZE;
            if f.allocated > STATIC_CHILDREN {
                n += 8 * f.allocated as i64;
            }
        }
    });
    Ok(Value::int(n))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "__repr__", a, 0, 0)?;
    let e = me(vm, "__repr__", s)?;
    let tag = e.tag();
    let r = crate::ops::repr_guard(vm, s, "", |vm| ops::repr(vm, &tag))?;
    match r {
        Ok(t) => Ok(new_string(format!("<Element {t} at {:#x}>", s.bits()))),
        Err(_) => {
            let tn = tp_name(s);
            Err(vm.runtime_error(format!("reentrant call inside {tn}.__repr__")))
        }
    }
}

// ---- iteration ----------------------------------------------------------------------

/// The iterator of `iter()` (elements in document order, optionally only those whose
/// tag equals `sought`) and of `itertext()` (each element's text, then each child's
/// tail after its subtree, skipping empty ones). It walks the live tree, as CPython's.
pub struct ElementIter {
    st: ObjCell<IterState>,
    sought: Option<Value>,
    gettext: bool,
}
native_payload!(ElementIter, ELEMENT_ITER);

static ELEMENT_ITER_T: NativeType = NativeType {
    iternext: Some(iter_next),
    ..NativeType::of::<ElementIter>()
};

struct IterState {
    /// The element iteration starts from, until it is visited.
    root: Option<Value>,
    /// Open elements and the index of the next child to visit in each.
    stack: Vec<(Value, usize)>,
}

impl crate::gc::Traverse for ElementIter {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        if let Some(t) = &self.sought {
            crate::gc::visit_value(t, visit);
        }
        self.st.read(|s| {
            if let Some(r) = &s.root {
                crate::gc::visit_value(r, visit);
            }
            s.stack
                .iter()
                .for_each(|(p, _)| crate::gc::visit_value(p, visit));
        });
    }
    fn clear(&self) {
        let taken = self
            .st
            .with(|s| (s.root.take(), std::mem::take(&mut s.stack)));
        drop(taken);
    }
}

fn new_iter(root: &Value, sought: Option<Value>, gettext: bool) -> Value {
    Value::alloc(ElementIter {
        st: ObjCell::new(IterState {
            root: Some(root.clone()),
            stack: Vec::new(),
        }),
        sought,
        gettext,
    })
}

/// Non-empty text (a str tested by length, anything else by truth).
fn nonempty(vm: &mut Vm, t: &Value) -> PyResult<bool> {
    if t.is_none() {
        return Ok(false);
    }
    match as_str(t) {
        Some(s) => Ok(!s.is_empty()),
        None => ops::truthy(vm, t),
    }
}

fn iter_next(vm: &mut Vm, itv: &Value) -> PyResult<Option<Value>> {
    let Some(it) = downcast::<ElementIter>(itv) else {
        return Ok(None);
    };
    loop {
        let top = it.st.read(|s| s.stack.last().map(|(p, i)| (p.clone(), *i)));
        let elem = match top {
            None => match it.st.with(|s| s.root.take()) {
                Some(r) => r,
                None => return Ok(None),
            },
            Some((parent, idx)) => {
                let child = downcast::<ElementObj>(&parent).and_then(|p| p.child(idx));
                match child {
                    Some(c) => {
                        it.st.with(|s| {
                            if let Some(t) = s.stack.last_mut() {
                                t.1 += 1;
                            }
                        });
                        c
                    }
                    None => {
                        let depth = it.st.with(|s| {
                            s.stack.pop();
                            s.stack.len()
                        });
                        // itertext() gives inner text only: not the tail of the
                        // element it started from.
                        if it.gettext && depth > 0 {
                            let tail = downcast::<ElementObj>(&parent)
                                .map(|p| p.tail())
                                .unwrap_or_else(Value::none);
                            if nonempty(vm, &tail)? {
                                return Ok(Some(tail));
                            }
                        }
                        continue;
                    }
                }
            }
        };
        it.st.with(|s| s.stack.push((elem.clone(), 0)));
        let Some(ee) = downcast::<ElementObj>(&elem) else {
            continue;
        };
        if it.gettext {
            let text = ee.text();
            if nonempty(vm, &text)? {
                return Ok(Some(text));
            }
            continue;
        }
        match &it.sought {
            None => return Ok(Some(elem)),
            Some(t) => {
                let tag = ee.tag();
                if vm.eq(&tag, t)? {
                    return Ok(Some(elem));
                }
            }
        }
    }
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "iter", a)?;
    let b = bind(vm, "iter", &rest, &["tag"], 0, 1)?;
    me(vm, "iter", s)?;
    let tag = b[0].cloned().unwrap_or_else(Value::none);
    let star = match as_str(&tag) {
        Some(t) => t == "*",
        None => tag
            .downcast::<crate::types::bytes::BytesObj>()
            .is_some_and(|b| b.data.as_slice() == b"*"),
    };
    let sought = (!tag.is_none() && !star).then_some(tag);
    Ok(new_iter(s, sought, false))
}

fn itertext(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "itertext", a, 0, 0)?;
    me(vm, "itertext", s)?;
    Ok(new_iter(s, None, true))
}

// ---- the type -----------------------------------------------------------------------

pub(super) fn make_type() -> Value {
    let t = new_type::<ElementObj>(
        "Element",
        "xml.etree.ElementTree",
        object_type(),
        Kind::Native,
        &ELEMENT_T,
        &ELEMENT,
    );
    methods(
        &t,
        &[
            ("__init__", init),
            ("append", append),
            ("extend", extend),
            ("insert", insert),
            ("remove", remove),
            ("clear", clear),
            ("find", find),
            ("findtext", findtext),
            ("findall", findall),
            ("iterfind", iterfind),
            ("iter", iter),
            ("itertext", itertext),
            ("get", get),
            ("set", set_attr),
            ("keys", keys),
            ("items", items),
            ("makeelement", makeelement),
            ("__copy__", copy),
            ("__deepcopy__", deepcopy_method),
            ("__getstate__", getstate),
            ("__setstate__", setstate),
            ("__sizeof__", sizeof),
            ("__len__", len),
            ("__getitem__", getitem),
            ("__setitem__", setitem),
            ("__delitem__", delitem),
            ("__repr__", repr),
        ],
    );
    getset_del(&t, "tag", g_tag, s_tag, no_delete);
    getset_del(&t, "text", g_text, s_text, no_delete);
    getset_del(&t, "tail", g_tail, s_tail, no_delete);
    getset_del(&t, "attrib", g_attrib, s_attrib, no_delete);
    let it = new_type::<ElementIter>(
        "_element_iterator",
        "_elementtree",
        object_type(),
        Kind::Native,
        &ELEMENT_ITER_T,
        &ELEMENT_ITER,
    );
    methods(
        &it,
        &[
            ("__iter__", native::iter_self),
            ("__next__", native::next_method),
        ],
    );
    t
}
