//! `_elementtree`: the accelerator `xml.etree.ElementTree` ends with (`from
//! _elementtree import *`), under CPython 3.11's names and behaviour: `Element`
//! (`element`), `SubElement`, `TreeBuilder` (`treebuilder`), `XMLParser` (`parser`),
//! `ParseError` and `_set_factories`.
//!
//! Why it exists: with only the Lib's pure-Python classes, every child list operation,
//! every parser event and every attribute of an element is Python code (CPython's own
//! pure-Python ElementTree is ~5x slower than its C module). Here an element's fields
//! and children are a Rust payload, and the parser runs pyexpat's engine
//! (`modules/pyexpat/engine.rs`, the project's one XML tokenizer) directly, building
//! the tree through the tree builder without Python-level handler calls when its
//! target is a plain `TreeBuilder` (CPython's shortcut).
//!
//! Path expressions other than a plain tag are handed to `xml.etree.ElementPath`, and
//! `__deepcopy__` of anything but an element or a str to `copy.deepcopy`, as CPython
//! does. Threads: every payload's mutable state sits behind its `ObjCell` (the parser's
//! engine behind a mutex); no lock is held while Python code runs (a factory, a
//! target's method, `__eq__` of a tag).
mod element;
mod parser;
mod treebuilder;

use std::sync::atomic::{AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::binascii::exception_type;
use super::native_args::{module, set};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

pub use element::{ElementIter, ElementObj};
pub use parser::XmlParserObj;
pub use treebuilder::TreeBuilderObj;

/// `ParseError` (a SyntaxError subclass, made once and immortal).
static PARSE_ERROR: AtomicU64 = AtomicU64::new(0);

/// The module state CPython keeps per interpreter: the comment and PI factories
/// `_set_factories` installs (what a `TreeBuilder` made without its own uses), and the
/// Python helpers the C module calls (`copy.deepcopy`, `xml.etree.ElementPath`).
struct Globals {
    comment_factory: Option<Value>,
    pi_factory: Option<Value>,
    deepcopy: Option<Value>,
    elementpath: Option<Value>,
}

static GLOBALS: parking_lot::Mutex<Globals> = parking_lot::Mutex::new(Globals {
    comment_factory: None,
    pi_factory: None,
    deepcopy: None,
    elementpath: None,
});

/// At teardown: release the module state (the factories and the Python helpers), so
/// what it holds is freed and the live-object count at exit stays exact.
pub fn clear() {
    let old = {
        let mut g = GLOBALS.lock();
        [
            g.comment_factory.take(),
            g.pi_factory.take(),
            g.deepcopy.take(),
            g.elementpath.take(),
        ]
    };
    drop(old);
}

fn parse_error_type() -> Value {
    Value::from_borrowed(RawValue(PARSE_ERROR.load(Ordering::Acquire)))
}

/// A `ParseError(msg)` with no `code`/`position` (the tree builder's own errors).
fn parse_error(vm: &mut Vm, msg: &str) -> PyErr {
    match vm.call(&parse_error_type(), &[crate::types::str::new_str(msg)]) {
        Ok(exc) => PyErr { exc },
        Err(e) => e,
    }
}

/// The factories `_set_factories` installed: (comment, pi).
fn factories() -> (Option<Value>, Option<Value>) {
    let g = GLOBALS.lock();
    (g.comment_factory.clone(), g.pi_factory.clone())
}

fn deepcopy_fn() -> Option<Value> {
    GLOBALS.lock().deepcopy.clone()
}

fn elementpath() -> Option<Value> {
    GLOBALS.lock().elementpath.clone()
}

/// `_set_factories(comment_factory, pi_factory)`: the previous pair, as a tuple.
fn set_factories(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "_set_factories", a, 2, 2)?;
    let (c, pi) = (&p[0], &p[1]);
    if !c.is_none() && !crate::ops::callable(c) {
        let tn = crate::types::native::tp_name(c.type_data());
        return Err(vm.type_error(format!("Comment factory must be callable, not {tn}")));
    }
    if !pi.is_none() && !crate::ops::callable(pi) {
        let tn = crate::types::native::tp_name(pi.type_data());
        return Err(vm.type_error(format!("PI factory must be callable, not {tn}")));
    }
    let keep = |v: &Value| (!v.is_none()).then(|| v.clone());
    let (old_c, old_pi) = {
        let mut g = GLOBALS.lock();
        (
            std::mem::replace(&mut g.comment_factory, keep(c)),
            std::mem::replace(&mut g.pi_factory, keep(pi)),
        )
    };
    Ok(TupleObj::from_items([
        old_c.unwrap_or_else(Value::none),
        old_pi.unwrap_or_else(Value::none),
    ]))
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    // CPython imports both when the module is first made (ElementTree.py has imported
    // ElementPath by then) and keeps using those: a module made again by a fresh
    // import (test.support's `import_fresh_module`) does not replace them.
    if GLOBALS.lock().elementpath.is_none() {
        let copy = crate::import::import_module(vm, "copy")?;
        let deepcopy = crate::ops::getattr_str(vm, &copy, "deepcopy")?;
        let ep = crate::import::import_module(vm, "xml.etree.ElementPath")?;
        let mut g = GLOBALS.lock();
        g.deepcopy = Some(deepcopy);
        g.elementpath = Some(ep);
    }
    let m = module(
        "_elementtree",
        &[
            ("SubElement", element::sub_element),
            ("_set_factories", set_factories),
        ],
    );
    if PARSE_ERROR.load(Ordering::Acquire) == 0 {
        let e = exception_type("ParseError", "xml.etree.ElementTree", types().syntax_error);
        crate::object::make_immortal(e.raw());
        PARSE_ERROR.store(e.raw().0, Ordering::Release);
    }
    set(&m, "ParseError", parse_error_type());
    set(&m, "Element", element::make_type());
    set(&m, "TreeBuilder", treebuilder::make_type());
    set(&m, "XMLParser", parser::make_type());
    Ok(m)
}
