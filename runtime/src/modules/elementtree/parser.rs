//! `XMLParser`: bytes or str -> pyexpat's engine (`modules/pyexpat/engine.rs`, with
//! `}` as namespace separator, as CPython's expat parser) -> events -> the target.
//!
//! When the target is exactly a `TreeBuilder`, events go to the builder's Rust entry
//! points (`treebuilder.rs`) with no Python-level calls and no str objects for
//! character data pieces; any other target gets its `start`/`end`/`data`/`comment`/
//! `pi`/`start_ns`/`end_ns`/`doctype`/`close` methods called, as CPython's module does.
//! Names become "universal" names (`{uri}local`), each made once per parser.
//!
//! Errors are `ParseError`s with `code` and `position`, from the engine's Expat error
//! codes and messages; an undefined entity the engine leaves to the default handler is
//! looked up in `parser.entity` first. An engine error is kept and raised again by
//! later `feed`/`close` calls, as Expat stays in its error state.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::modules::pyexpat::decode::Enc;
use crate::modules::pyexpat::engine::{Engine, Ev, Fail, Pos, Raw};
use crate::modules::pyexpat::errors;
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;

use super::super::native_args::{getset, methods, object_type, receiver, this};
use super::treebuilder::{self, EV_COMMENT, EV_END_NS, EV_PI, EV_START_NS, EVENT_NAMES};

pub struct XmlParserObj {
    st: ObjCell<State>,
    /// `None` until `__init__` has run.
    eng: parking_lot::Mutex<Option<Engine>>,
    /// A feed is running (a handler feeding the same parser again is refused).
    busy: AtomicBool,
}
native_payload!(XmlParserObj, XMLPARSER);

static XMLPARSER_T: NativeType = NativeType {
    new: Some(parser_new),
    has_init: true,
    ..NativeType::of::<XmlParserObj>()
};

/// The target's methods, looked up once by `__init__` (CPython's `handle_*`).
#[derive(Clone, Default)]
struct Handlers {
    start_ns: Option<Value>,
    end_ns: Option<Value>,
    start: Option<Value>,
    data: Option<Value>,
    end: Option<Value>,
    comment: Option<Value>,
    pi: Option<Value>,
    close: Option<Value>,
    doctype: Option<Value>,
}

impl Handlers {
    fn each(&self) -> impl Iterator<Item = &Value> {
        [
            &self.start_ns,
            &self.end_ns,
            &self.start,
            &self.data,
            &self.end,
            &self.comment,
            &self.pi,
            &self.close,
            &self.doctype,
        ]
        .into_iter()
        .flatten()
    }
}

#[derive(Default)]
struct State {
    target: Option<Value>,
    entity: Option<Value>,
    h: Handlers,
    /// Which of Expat's optional handlers are set: namespace declarations, comments,
    /// processing instructions (unset ones' events go to the default handler).
    ns_decl: bool,
    comments: bool,
    pis: bool,
    /// Raw names -> universal names.
    names: HashMap<String, Value, NameHash>,
    /// The engine's error, raised again by later calls.
    error: Option<(u32, Pos)>,
    finished: bool,
    /// An encoding neither the engine nor Python's codecs know (LookupError on use).
    bad_encoding: Option<String>,
}

impl crate::gc::Traverse for XmlParserObj {
    fn traverse(&self, visit: crate::gc::Visit<'_>) {
        self.st.read(|s| {
            for v in [&s.target, &s.entity].into_iter().flatten() {
                crate::gc::visit_value(v, visit);
            }
            s.h.each().for_each(|v| crate::gc::visit_value(v, visit));
        });
    }
    fn clear(&self) {
        let taken = self
            .st
            .with(|s| (s.target.take(), s.entity.take(), std::mem::take(&mut s.h)));
        drop(taken);
    }
}

fn parser_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        XmlParserObj {
            st: ObjCell::new(State::default()),
            eng: parking_lot::Mutex::new(None),
            busy: AtomicBool::new(false),
        },
    ))
}

fn me<'a>(vm: &mut Vm, name: &str, v: &'a Value) -> PyResult<&'a XmlParserObj> {
    match downcast::<XmlParserObj>(v) {
        Some(p) => Ok(p),
        None => {
            let tn = native::tp_name(v.type_data());
            Err(vm.type_error(format!(
                "descriptor '{name}' for 'xml.etree.ElementTree.XMLParser' objects doesn't apply to a '{tn}' object"
            )))
        }
    }
}

/// `XMLParser.__init__() wasn't called` unless it was.
fn check_init(vm: &mut Vm, p: &XmlParserObj) -> PyResult<()> {
    if p.st.read(|s| s.target.is_none()) {
        return Err(vm.value_error("XMLParser.__init__() wasn't called"));
    }
    Ok(())
}

/// `XMLParser(*, target=None, encoding=None)`.
fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, rest) = receiver(vm, "__init__", a)?;
    let p = me(vm, "__init__", s)?;
    if !rest.pos().is_empty() {
        return Err(vm.type_error("XMLParser() takes no positional arguments"));
    }
    let mut target = Value::none();
    let mut encoding = None;
    for (k, v) in rest.kw() {
        match k {
            "target" => target = v.clone(),
            "encoding" => {
                if !v.is_none() {
                    match as_str(v) {
                        Some(e) => encoding = Some(e.to_string()),
                        None => {
                            let tn = native::tp_name(v.type_data());
                            return Err(vm.type_error(format!(
                                "XMLParser() argument 'encoding' must be str or None, not {tn}"
                            )));
                        }
                    }
                }
            }
            _ => {
                return Err(vm.type_error(format!(
                    "'{k}' is an invalid keyword argument for XMLParser()"
                )));
            }
        }
    }
    let (enc, bad_encoding) = match &encoding {
        None => (None, None),
        Some(n) => match Enc::builtin(n) {
            Some(e) => (Some(e), None),
            None => match crate::modules::pyexpat::encoding_table(vm, n)? {
                Some(t) => (Some(Enc::Table(t)), None),
                None => (None, Some(n.clone())),
            },
        },
    };
    if target.is_none() {
        target = treebuilder::new_builder();
    }
    let mut h = Handlers::default();
    for (slot, name) in [
        (&mut h.start_ns, "start_ns"),
        (&mut h.end_ns, "end_ns"),
        (&mut h.start, "start"),
        (&mut h.data, "data"),
        (&mut h.end, "end"),
        (&mut h.comment, "comment"),
        (&mut h.pi, "pi"),
        (&mut h.close, "close"),
        (&mut h.doctype, "doctype"),
    ] {
        *slot = ops::lookup_attr(vm, &target, name)?;
    }
    let ns_decl = h.start_ns.is_some() || h.end_ns.is_some();
    let comments = h.comment.is_some();
    let pis = h.pi.is_some();
    let old = p.st.with(|st| {
        std::mem::replace(
            st,
            State {
                target: Some(target),
                entity: Some(DictObj::new_value()),
                h,
                ns_decl,
                comments,
                pis,
                bad_encoding,
                ..State::default()
            },
        )
    });
    drop(old);
    *p.eng.lock() = Some(Engine::new(enc, Some("}".to_string())));
    Ok(Value::none())
}

/// A `ParseError` for `code` at `pos` (message: Expat's, or `msg`).
fn parse_error(vm: &mut Vm, code: u32, pos: Pos, msg: Option<&str>) -> PyErr {
    let m = msg.unwrap_or_else(|| errors::message(code).unwrap_or("unknown error"));
    let text = format!("{m}: line {}, column {}", pos.line, pos.col);
    let exc = match vm.call(&super::parse_error_type(), &[new_string(text)]) {
        Ok(e) => e,
        Err(e) => return e,
    };
    let position =
        crate::types::tuple::TupleObj::from_items([Value::int(pos.line), Value::int(pos.col)]);
    for (k, v) in [("code", Value::int(code as i64)), ("position", position)] {
        if let Err(e) = ops::setattr(vm, &exc, &new_str(k), v) {
            return e;
        }
    }
    PyErr { exc }
}

/// FxHash (rustc's) for the name table: names are short and not attacker-chosen in
/// a way that matters here (a collision costs a comparison), and SipHash showed in
/// profiles of parsing.
#[derive(Default, Clone, Copy)]
struct NameHash;

#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl std::hash::BuildHasher for NameHash {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher::default()
    }
}

/// What a run over the input reads from the parser's state (fixed during a feed).
struct Ctx {
    /// The target, when it is exactly a `TreeBuilder`.
    tb: Option<Value>,
    h: Handlers,
    entity: Value,
    ns_decl: bool,
    comments: bool,
    pis: bool,
}

/// The universal name of a raw Expat name (`uri}local` -> `{uri}local`).
fn universal(p: &XmlParserObj, raw: &str) -> Value {
    if let Some(v) = p.st.read(|s| s.names.get(raw).cloned()) {
        return v;
    }
    let v = if raw.contains('}') {
        new_string(format!("{{{raw}"))
    } else {
        new_str(raw)
    };
    p.st.with(|s| s.names.insert(raw.to_string(), v.clone()));
    v
}

/// Turns one event into builder calls or target method calls.
fn dispatch(
    vm: &mut Vm,
    p: &XmlParserObj,
    this: &Value,
    c: &Ctx,
    pos: Pos,
    ev: Ev,
    raw: Raw,
) -> PyResult<()> {
    let tb = c.tb.as_ref().and_then(|t| treebuilder::exact(t));
    match ev {
        Ev::Start { name, attrs, .. } => {
            if tb.is_none() && c.h.start.is_none() {
                return Ok(());
            }
            let tag = universal(p, &name);
            let attrib = if attrs.is_empty() {
                None
            } else {
                let d = DictObj::new_value();
                if let Some(dd) = d.downcast::<DictObj>() {
                    for (k, v) in attrs {
                        let k = universal(p, &k);
                        dd.set(vm, k, new_string(v))?;
                    }
                }
                Some(d)
            };
            if let Some(tb) = tb {
                treebuilder::start(vm, tb, tag, attrib)?;
            } else if let Some(h) = &c.h.start {
                let attrib = attrib.unwrap_or_else(DictObj::new_value);
                vm.call(h, &[tag, attrib])?;
            }
        }
        Ev::End { name } => {
            if let Some(tb) = tb {
                treebuilder::end(vm, tb)?;
            } else if let Some(h) = &c.h.end {
                let tag = universal(p, &name);
                vm.call(h, &[tag])?;
            }
        }
        Ev::Data(t) => {
            if let Some(tb) = tb {
                treebuilder::data_str(tb, &t);
            } else if let Some(h) = &c.h.data {
                vm.call(h, &[new_string(t)])?;
            }
        }
        Ev::Comment(t) if c.comments => {
            if let Some(tb) = tb {
                treebuilder::comment(vm, tb, new_string(t))?;
            } else if let Some(h) = &c.h.comment {
                vm.call(h, &[new_string(t)])?;
            }
        }
        Ev::Pi { target, data } if c.pis => {
            if let Some(tb) = tb {
                if treebuilder::wants_pi(tb) {
                    treebuilder::pi(vm, tb, new_string(target), new_string(data))?;
                }
            } else if let Some(h) = &c.h.pi {
                vm.call(h, &[new_string(target), new_string(data)])?;
            }
        }
        Ev::NsStart { prefix, uri } if c.ns_decl => {
            let prefix = new_string(prefix.unwrap_or_default());
            let uri = new_string(uri.unwrap_or_default());
            if let Some(tb) = tb {
                treebuilder::start_ns(vm, tb, prefix, uri)?;
            } else if let Some(h) = &c.h.start_ns {
                vm.call(h, &[prefix, uri])?;
            }
        }
        Ev::NsEnd { prefix } if c.ns_decl => {
            if let Some(tb) = tb {
                treebuilder::end_ns(vm, tb)?;
            } else if let Some(h) = &c.h.end_ns {
                vm.call(h, &[new_string(prefix.unwrap_or_default())])?;
            }
        }
        Ev::StartDoctype {
            name, sysid, pubid, ..
        } => {
            let name = universal(p, &name);
            let sysid = sysid.map(|s| universal(p, &s)).unwrap_or_else(Value::none);
            let pubid = pubid.map(|s| universal(p, &s)).unwrap_or_else(Value::none);
            if let Some(h) = &c.h.doctype {
                vm.call(h, &[name, pubid, sysid])?;
            } else if ops::lookup_attr(vm, this, "doctype")?.is_some() {
                crate::modules::warnings::warn_str(
                    vm,
                    types().runtime_warning,
                    "The doctype() method of XMLParser is ignored.  Define doctype() method on the TreeBuilder target.",
                    1,
                    None,
                )?;
            }
        }
        Ev::Default => {
            let parts = match p.eng.lock().as_ref() {
                Some(e) => e.raw_parts(&raw),
                None => Vec::new(),
            };
            for part in parts {
                default_text(vm, p, c, tb, pos, &part)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The default handler: an entity reference the engine could not expand is looked up
/// in `parser.entity` (CPython's `expat_default_handler`); other text is ignored.
fn default_text(
    vm: &mut Vm,
    _p: &XmlParserObj,
    c: &Ctx,
    tb: Option<&treebuilder::TreeBuilderObj>,
    pos: Pos,
    text: &str,
) -> PyResult<()> {
    if text.len() < 2 || !text.starts_with('&') {
        return Ok(());
    }
    let key = new_str(&text[1..text.len() - 1]);
    let value = match c.entity.downcast::<DictObj>() {
        Some(d) => d.get(vm, &key)?,
        None => None,
    };
    match value {
        Some(v) => {
            if let Some(tb) = tb {
                treebuilder::data_value_in(tb, v);
            } else if let Some(h) = &c.h.data {
                vm.call(h, &[v])?;
            }
            Ok(())
        }
        None => {
            let mut shown = text;
            if shown.len() > 100 {
                let mut cut = 100;
                while !shown.is_char_boundary(cut) {
                    cut -= 1;
                }
                shown = &shown[..cut];
            }
            let msg = format!("undefined entity {shown}");
            Err(parse_error(vm, errors::UNDEFINED_ENTITY, pos, Some(&msg)))
        }
    }
}

/// Runs the engine over the input fed so far, reporting events as they come.
fn run(vm: &mut Vm, p: &XmlParserObj, this: &Value, fin: bool) -> PyResult<()> {
    if let Some((code, pos)) = p.st.read(|s| s.error) {
        return Err(parse_error(vm, code, pos, None));
    }
    let c = p.st.read(|s| Ctx {
        tb: s.target.clone().filter(|t| treebuilder::exact(t).is_some()),
        h: s.h.clone(),
        entity: s.entity.clone().unwrap_or_else(Value::none),
        ns_decl: s.ns_decl,
        comments: s.comments,
        pis: s.pis,
    });
    {
        let mut g = p.eng.lock();
        if let Some(e) = g.as_mut() {
            e.expand_internal = true;
            e.skipped_handler = false;
            e.ext_handler = false;
            e.not_standalone_handler = false;
        }
    }
    loop {
        // Events are taken from the engine in batches, so its lock is not taken and
        // released once per event; a failure after them waits for them to be reported.
        let (batch, outcome) = {
            let mut g = p.eng.lock();
            let Some(e) = g.as_mut() else {
                return Ok(());
            };
            let mut outcome = None;
            while e.queue.len() < 256 {
                match e.step(fin) {
                    Ok(true) => {}
                    Ok(false) => {
                        outcome = Some(Ok(()));
                        break;
                    }
                    Err(f) => {
                        outcome = Some(Err(f));
                        break;
                    }
                }
            }
            (std::mem::take(&mut e.queue), outcome)
        };
        for (pos, ev, raw) in batch {
            dispatch(vm, p, this, &c, pos, ev, raw)?;
        }
        match outcome {
            None => {}
            Some(Ok(())) => return Ok(()),
            Some(Err(Fail::Error(code, pos))) => {
                p.st.with(|s| s.error = Some((code, pos)));
                return Err(parse_error(vm, code, pos, None));
            }
            Some(Err(Fail::Encoding(name))) => {
                match crate::modules::pyexpat::encoding_table(vm, &name)? {
                    Some(t) => {
                        if let Some(e) = p.eng.lock().as_mut() {
                            e.set_table(t);
                        }
                    }
                    None => {
                        let pos = p
                            .eng
                            .lock()
                            .as_mut()
                            .map(|e| e.end_pos())
                            .unwrap_or_default();
                        p.st.with(|s| s.error = Some((errors::UNKNOWN_ENCODING, pos)));
                        return Err(parse_error(vm, errors::UNKNOWN_ENCODING, pos, None));
                    }
                }
            }
        }
    }
}

/// `parse_bytes` once the parser is marked busy.
fn feed_and_run(
    vm: &mut Vm,
    this: &Value,
    p: &XmlParserObj,
    bytes: &[u8],
    utf8: bool,
    fin: bool,
) -> PyResult<()> {
    if p.st.read(|s| s.error.is_none() && s.finished) {
        let pos = p
            .eng
            .lock()
            .as_mut()
            .map(|e| e.end_pos())
            .unwrap_or_default();
        p.st.with(|s| s.error = Some((errors::FINISHED, pos)));
    }
    {
        let mut g = p.eng.lock();
        if let Some(e) = g.as_mut() {
            if utf8 && !e.started {
                e.dec.enc = Some(Enc::Utf8);
                e.dec.forced = true;
            }
            e.feed(bytes);
        }
    }
    if fin {
        p.st.with(|s| s.finished = true);
    }
    run(vm, p, this, fin)
}

/// Feeds `bytes` (`utf8`: it came from a str) and parses; `fin` ends the input.
fn parse_bytes(
    vm: &mut Vm,
    this: &Value,
    p: &XmlParserObj,
    bytes: &[u8],
    utf8: bool,
    fin: bool,
) -> PyResult<()> {
    if let Some(name) = p.st.read(|s| s.bad_encoding.clone()) {
        return Err(vm.err(types().lookup_error, format!("unknown encoding: {name}")));
    }
    if p.busy.swap(true, Ordering::AcqRel) {
        return Err(vm.runtime_error("cannot feed an XMLParser that is parsing"));
    }
    let r = feed_and_run(vm, this, p, bytes, utf8, fin);
    p.busy.store(false, Ordering::Release);
    r
}

fn feed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, d) = this(vm, "feed", a, 1, 1)?;
    let p = me(vm, "feed", s)?;
    check_init(vm, p)?;
    let data = &d[0];
    if let Some(t) = as_str(data) {
        let b = t.as_bytes().to_vec();
        parse_bytes(vm, s, p, &b, true, false)?;
    } else {
        let b = super::super::buffer::need(vm, data)?.into_owned();
        parse_bytes(vm, s, p, &b, false, false)?;
    }
    Ok(Value::none())
}

/// What `close()` and `_parse_whole` return once the input has ended.
fn finish_result(vm: &mut Vm, p: &XmlParserObj, whole: bool) -> PyResult<Value> {
    let (target, close) = p.st.read(|s| (s.target.clone(), s.h.close.clone()));
    if let Some(t) = &target
        && let Some(tb) = treebuilder::exact(t)
    {
        return Ok(treebuilder::done(tb));
    }
    if whole {
        return Ok(Value::none());
    }
    match close {
        Some(c) => vm.call(&c, &[]),
        None => Ok(Value::none()),
    }
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "close", a, 0, 0)?;
    let p = me(vm, "close", s)?;
    check_init(vm, p)?;
    parse_bytes(vm, s, p, &[], false, true)?;
    finish_result(vm, p, false)
}

/// `_parse_whole(file)`: reads `file` in 64 KiB chunks to its end (a str chunk is
/// encoded to UTF-8), then ends the input.
fn parse_whole(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, f) = this(vm, "_parse_whole", a, 1, 1)?;
    let p = me(vm, "_parse_whole", s)?;
    check_init(vm, p)?;
    let read = ops::getattr_str(vm, &f[0], "read")?;
    loop {
        let chunk = vm.call(&read, &[Value::int(64 * 1024)])?;
        let bytes: Vec<u8> = if chunk.type_raw() == types().str {
            let t = as_str(&chunk).unwrap_or("");
            if t.is_empty() {
                break;
            }
            t.as_bytes().to_vec()
        } else if chunk.type_raw() == types().bytes {
            match chunk.downcast::<crate::types::bytes::BytesObj>() {
                Some(b) if !b.data.is_empty() => b.data.clone(),
                _ => break,
            }
        } else {
            break;
        };
        parse_bytes(vm, s, p, &bytes, false, false)?;
    }
    parse_bytes(vm, s, p, &[], false, true)?;
    finish_result(vm, p, true)
}

/// `_setevents(events_queue, events_to_report=None)`: report parse events to
/// `events_queue.append` (iterparse and XMLPullParser).
fn setevents(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, args) = this(vm, "_setevents", a, 1, 2)?;
    let p = me(vm, "_setevents", s)?;
    check_init(vm, p)?;
    let target =
        p.st.read(|st| st.target.clone())
            .unwrap_or_else(Value::none);
    let Some(tb) = treebuilder::exact(&target) else {
        return Err(
            vm.type_error("event handling only supported for ElementTree.TreeBuilder targets")
        );
    };
    let append = ops::getattr_str(vm, &args[0], "append")?;
    treebuilder::reset_events(tb, append);
    let events = args.get(1).cloned().unwrap_or_else(Value::none);
    if events.is_none() {
        treebuilder::set_event(tb, treebuilder::EV_END, new_str("end"));
        return Ok(Value::none());
    }
    let items = match ops::get_iter(vm, &events) {
        Ok(it) => ops::collect(vm, &it)?,
        Err(e) if vm.err_matches(&e, types().type_error) => {
            return Err(vm.type_error("events must be a sequence"));
        }
        Err(e) => return Err(e),
    };
    for ev in items {
        let name: String = if let Some(t) = as_str(&ev) {
            t.to_string()
        } else if let Some(b) = ev.downcast::<crate::types::bytes::BytesObj>() {
            String::from_utf8_lossy(&b.data).into_owned()
        } else {
            return Err(vm.value_error("invalid events sequence"));
        };
        let Some(i) = EVENT_NAMES.iter().position(|n| *n == name) else {
            return Err(vm.value_error(format!("unknown event '{name}'")));
        };
        treebuilder::set_event(tb, i, ev.clone());
        p.st.with(|st| match i {
            EV_START_NS | EV_END_NS => st.ns_decl = true,
            EV_COMMENT => st.comments = true,
            EV_PI => st.pis = true,
            _ => {}
        });
    }
    Ok(Value::none())
}

fn g_target(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = me(vm, "target", &a.pos()[0])?;
    Ok(p.st.read(|s| s.target.clone()).unwrap_or_else(Value::none))
}

fn g_entity(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = me(vm, "entity", &a.pos()[0])?;
    Ok(p.st.read(|s| s.entity.clone()).unwrap_or_else(Value::none))
}

fn g_version(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    me(vm, "version", &a.pos()[0])?;
    Ok(new_str("Expat 2.5.0"))
}

fn ro_target(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error(
        "attribute 'target' of 'xml.etree.ElementTree.XMLParser' objects is not writable",
    ))
}

fn ro_entity(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error(
        "attribute 'entity' of 'xml.etree.ElementTree.XMLParser' objects is not writable",
    ))
}

fn ro_version(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error(
        "attribute 'version' of 'xml.etree.ElementTree.XMLParser' objects is not writable",
    ))
}

pub(super) fn make_type() -> Value {
    let t = new_type::<XmlParserObj>(
        "XMLParser",
        "xml.etree.ElementTree",
        object_type(),
        Kind::Native,
        &XMLPARSER_T,
        &XMLPARSER,
    );
    methods(
        &t,
        &[
            ("__init__", init),
            ("feed", feed),
            ("close", close),
            ("_parse_whole", parse_whole),
            ("_setevents", setevents),
        ],
    );
    getset(&t, "target", g_target, Some(ro_target));
    getset(&t, "entity", g_entity, Some(ro_entity));
    getset(&t, "version", g_version, Some(ro_version));
    t
}
