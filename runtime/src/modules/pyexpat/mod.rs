//! `pyexpat`: the XML parser under `xml.etree.ElementTree`, `xml.dom.minidom`,
//! `xml.sax.expatreader`, `plistlib` and `xmlrpc.client`, with CPython's `xmlparser`
//! API (handler attributes, `Parse`/`ParseFile`, positions, `ExpatError`) and Expat
//! 2.5's behaviour (its error codes, messages and positions, its splitting of character
//! data, its default-handler reporting).
//!
//! The parser is written here (`tok`, `engine`) rather than taken from a crate: the
//! Rust XML crates do not fit Expat's contract. quick-xml and xmlparser check far less
//! than Expat and have no push interface for input cut anywhere; xml-rs pulls from a
//! `Read`; rxml pushes and is strict but rejects DTDs, whose internal subset (entities,
//! attribute defaults, the default-handler tokens `xml.etree` reads the DOCTYPE from)
//! pyexpat users need. Expat's behaviour is the spec.
//!
//! Pipeline: bytes -> `decode` (UTF-8 text) -> `tok` (tokens) -> `engine` (events in a
//! queue) -> this file (handler calls). Threads: an `xmlparser`'s settings and handlers
//! sit behind its `ObjCell`, its engine behind a mutex; neither lock is held while a
//! handler runs, and a second `Parse` on a parser already parsing raises.
mod chars;
pub(crate) mod decode;
pub(crate) mod engine;
pub(crate) mod errors;
mod tok;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use stitch_stencils::value::RawValue;

use super::binascii::exception_type;
use super::native_args::{bind, getset, methods, module, object_type, set};
use crate::native_payload;
use crate::object::ObjCell;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, new_type};
use crate::types::str::{as_str, new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;
use engine::{Engine, Ev, Fail, Pos, Raw};

static ERROR: AtomicU64 = AtomicU64::new(0);

/// The handler attributes, in CPython's order (index = slot).
const HANDLERS: [&str; 22] = [
    "StartElementHandler",
    "EndElementHandler",
    "ProcessingInstructionHandler",
    "CharacterDataHandler",
    "UnparsedEntityDeclHandler",
    "NotationDeclHandler",
    "StartNamespaceDeclHandler",
    "EndNamespaceDeclHandler",
    "CommentHandler",
    "StartCdataSectionHandler",
    "EndCdataSectionHandler",
    "DefaultHandler",
    "DefaultHandlerExpand",
    "NotStandaloneHandler",
    "ExternalEntityRefHandler",
    "StartDoctypeDeclHandler",
    "EndDoctypeDeclHandler",
    "EntityDeclHandler",
    "XmlDeclHandler",
    "ElementDeclHandler",
    "AttlistDeclHandler",
    "SkippedEntityHandler",
];
const H_START: usize = 0;
const H_END: usize = 1;
const H_PI: usize = 2;
const H_DATA: usize = 3;
const H_UNPARSED: usize = 4;
const H_NOTATION: usize = 5;
const H_NS_START: usize = 6;
const H_NS_END: usize = 7;
const H_COMMENT: usize = 8;
const H_CDATA_START: usize = 9;
const H_CDATA_END: usize = 10;
const H_DEFAULT: usize = 11;
const H_DEFAULT_EXPAND: usize = 12;
const H_NOT_STANDALONE: usize = 13;
const H_EXTERNAL: usize = 14;
const H_DOCTYPE_START: usize = 15;
const H_DOCTYPE_END: usize = 16;
const H_ENTITY_DECL: usize = 17;
const H_XML_DECL: usize = 18;
const H_ELEMENT_DECL: usize = 19;
const H_ATTLIST_DECL: usize = 20;
const H_SKIPPED: usize = 21;

/// An `xmlparser`'s settings, handlers and reporting state.
struct State {
    handlers: Vec<Value>,
    /// Which of the two default handlers was set last (Expat has one slot).
    default_expand: bool,
    buffer_text: bool,
    buffer_size: i64,
    text: String,
    ordered: bool,
    specified: bool,
    intern: Value,
    base: Value,
    error: (i64, i64, i64, i64),
    /// The event being reported (`None` outside handlers).
    current: Option<Pos>,
    /// Buffer offset of the event being reported (for `GetInputContext`).
    current_off: Option<usize>,
    finished: bool,
    fed: bool,
}

pub struct ParserObj {
    st: ObjCell<State>,
    eng: parking_lot::Mutex<Engine>,
    busy: AtomicBool,
    /// For a parser of the external DTD subset (`ExternalEntityParserCreate(None)`):
    /// the document's parser, which takes in the declarations it reads.
    dtd_of: Option<Value>,
}
native_payload!(ParserObj, PARSER);
static PARSER_T: NativeType = NativeType::of::<ParserObj>();

fn me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a ParserObj> {
    match native::downcast::<ParserObj>(v) {
        Some(p) => Ok(p),
        None => Err(vm.type_error("descriptor requires a 'pyexpat.xmlparser' object")),
    }
}

fn error_type() -> Value {
    Value::from_borrowed(RawValue(ERROR.load(Ordering::Acquire)))
}

/// An `ExpatError` for `code` at `p` (also recorded as the parser's error).
fn expat_error(vm: &mut Vm, po: &ParserObj, code: u32, p: Pos) -> PyErr {
    po.st
        .with(|s| s.error = (code as i64, p.line, p.col, p.byte));
    let msg = format!(
        "{}: line {}, column {}",
        errors::message(code).unwrap_or("unknown error"),
        p.line,
        p.col
    );
    let exc = match vm.call(&error_type(), &[new_string(msg)]) {
        Ok(e) => e,
        Err(e) => return e,
    };
    for (k, v) in [("code", code as i64), ("lineno", p.line), ("offset", p.col)] {
        if let Err(e) = crate::ops::setattr(vm, &exc, &new_str(k), Value::int(v)) {
            return e;
        }
    }
    PyErr { exc }
}

fn opt_str(s: Option<String>) -> Value {
    match s {
        Some(s) => new_string(s),
        None => Value::none(),
    }
}

/// A name through the parser's intern dict (the same str object for the same name).
fn name_value(vm: &mut Vm, intern: &Value, s: String) -> PyResult<Value> {
    let Some(d) = intern.downcast::<DictObj>() else {
        return Ok(new_string(s));
    };
    let k = new_string(s);
    if let Some(v) = d.get(vm, &k)? {
        return Ok(v);
    }
    d.set(vm, k.clone(), k.clone())?;
    Ok(k)
}

/// The model as nested tuples; deep nesting ends in RecursionError, as in CPython.
fn model_value(vm: &mut Vm, m: engine::Model) -> PyResult<Value> {
    if m.ty == engine::TOO_DEEP {
        return Err(vm.recursion_error());
    }
    vm.enter_recursive(" while converting a content model")?;
    let mut children = Vec::with_capacity(m.children.len());
    let mut r = Ok(());
    for c in m.children {
        match model_value(vm, c) {
            Ok(v) => children.push(v),
            Err(e) => {
                r = Err(e);
                break;
            }
        }
    }
    vm.leave_recursive();
    r?;
    Ok(TupleObj::from_items([
        Value::int(m.ty as i64),
        Value::int(m.quant as i64),
        opt_str(m.name),
        TupleObj::new_value(children),
    ]))
}

fn handler(po: &ParserObj, i: usize) -> Option<Value> {
    po.st.read(|s| {
        let h = &s.handlers[i];
        if h.is_none() { None } else { Some(h.clone()) }
    })
}

/// Calls handler `i` (if set) after flushing buffered text. `Ok(false)`: not set.
fn call(vm: &mut Vm, po: &ParserObj, i: usize, args: &[Value]) -> PyResult<Option<Value>> {
    let Some(h) = handler(po, i) else {
        return Ok(None);
    };
    flush(vm, po)?;
    vm.call(&h, args).map(Some)
}

/// Hands buffered character data to the CharacterDataHandler.
fn flush(vm: &mut Vm, po: &ParserObj) -> PyResult<()> {
    let text = po.st.with(|s| std::mem::take(&mut s.text));
    if text.is_empty() {
        return Ok(());
    }
    if let Some(h) = handler(po, H_DATA) {
        vm.call(&h, &[new_string(text)])?;
    }
    Ok(())
}

/// The default handler to call: the one set last of the two (Expat has one slot).
fn default_handler(po: &ParserObj) -> Option<usize> {
    po.st.read(default_idx)
}

/// Reports `raw` to the default handler, if one is set.
fn report_default(vm: &mut Vm, po: &ParserObj, raw: &Raw) -> PyResult<()> {
    let Some(h) = default_handler(po) else {
        return Ok(());
    };
    let parts = po.eng.lock().raw_parts(raw);
    for p in parts {
        call(vm, po, h, &[new_string(p)])?;
    }
    Ok(())
}

fn data(vm: &mut Vm, po: &ParserObj, text: String, raw: &Raw) -> PyResult<()> {
    let Some(h) = handler(po, H_DATA) else {
        return report_default(vm, po, raw);
    };
    let (buffered, size, used) = po
        .st
        .read(|s| (s.buffer_text, s.buffer_size, s.text.len() as i64));
    if !buffered {
        vm.call(&h, &[new_string(text)])?;
        return Ok(());
    }
    let len = text.len() as i64;
    if used + len > size {
        flush(vm, po)?;
        if handler(po, H_DATA).is_none() {
            return Ok(());
        }
    }
    if len > size {
        vm.call(&h, &[new_string(text)])?;
    } else {
        po.st.with(|s| s.text.push_str(&text));
    }
    Ok(())
}

/// Turns one event into handler calls.
fn dispatch(vm: &mut Vm, po: &ParserObj, ev: Ev, raw: Raw) -> PyResult<()> {
    let intern = po.st.read(|s| s.intern.clone());
    let base = || po.st.read(|s| s.base.clone());
    let done = match ev {
        Ev::Data(t) => return data(vm, po, t, &raw),
        Ev::Start { name, attrs, nspec } => {
            if handler(po, H_START).is_none() {
                false
            } else {
                let (ordered, specified) = po.st.read(|s| (s.ordered, s.specified));
                let n = if specified { nspec } else { attrs.len() };
                let name = name_value(vm, &intern, name)?;
                let a = if ordered {
                    let mut l = Vec::with_capacity(n * 2);
                    for (k, v) in attrs.into_iter().take(n) {
                        l.push(name_value(vm, &intern, k)?);
                        l.push(new_string(v));
                    }
                    ListObj::new_value(l)
                } else {
                    let d = DictObj::new_value();
                    for (k, v) in attrs.into_iter().take(n) {
                        let k = name_value(vm, &intern, k)?;
                        if let Some(dd) = d.downcast::<DictObj>() {
                            dd.set(vm, k, new_string(v))?;
                        }
                    }
                    d
                };
                call(vm, po, H_START, &[name, a])?.is_some()
            }
        }
        Ev::End { name } => {
            if handler(po, H_END).is_none() {
                false
            } else {
                let name = name_value(vm, &intern, name)?;
                call(vm, po, H_END, &[name])?.is_some()
            }
        }
        Ev::NsStart { prefix, uri } => {
            call(vm, po, H_NS_START, &[opt_str(prefix), opt_str(uri)])?;
            true
        }
        Ev::NsEnd { prefix } => {
            call(vm, po, H_NS_END, &[opt_str(prefix)])?;
            true
        }
        Ev::Pi { target, data } => {
            call(vm, po, H_PI, &[new_string(target), new_string(data)])?.is_some()
        }
        Ev::Comment(t) => call(vm, po, H_COMMENT, &[new_string(t)])?.is_some(),
        Ev::CdataStart => call(vm, po, H_CDATA_START, &[])?.is_some(),
        Ev::CdataEnd => call(vm, po, H_CDATA_END, &[])?.is_some(),
        Ev::XmlDecl {
            version,
            encoding,
            standalone,
        } => call(
            vm,
            po,
            H_XML_DECL,
            &[opt_str(version), opt_str(encoding), Value::int(standalone)],
        )?
        .is_some(),
        Ev::StartDoctype {
            name,
            sysid,
            pubid,
            internal,
        } => call(
            vm,
            po,
            H_DOCTYPE_START,
            &[
                new_string(name),
                opt_str(sysid),
                opt_str(pubid),
                Value::int(internal as i64),
            ],
        )?
        .is_some(),
        Ev::EndDoctype => call(vm, po, H_DOCTYPE_END, &[])?.is_some(),
        Ev::EntityDecl {
            name,
            pe,
            value,
            sysid,
            pubid,
            notation,
        } => {
            if notation.is_some() && handler(po, H_UNPARSED).is_some() {
                let args = [
                    new_string(name),
                    base(),
                    opt_str(sysid),
                    opt_str(pubid),
                    opt_str(notation),
                ];
                call(vm, po, H_UNPARSED, &args)?.is_some()
            } else if handler(po, H_ENTITY_DECL).is_some() {
                let args = [
                    new_string(name),
                    Value::int(pe as i64),
                    opt_str(value),
                    base(),
                    opt_str(sysid),
                    opt_str(pubid),
                    opt_str(notation),
                ];
                call(vm, po, H_ENTITY_DECL, &args)?.is_some()
            } else {
                false
            }
        }
        Ev::NotationDecl { name, sysid, pubid } => {
            let args = [new_string(name), base(), opt_str(sysid), opt_str(pubid)];
            call(vm, po, H_NOTATION, &args)?.is_some()
        }
        Ev::ElementDecl { name, model } => {
            if handler(po, H_ELEMENT_DECL).is_none() {
                false
            } else {
                let model = model_value(vm, model)?;
                call(vm, po, H_ELEMENT_DECL, &[new_string(name), model])?.is_some()
            }
        }
        Ev::AttlistDecl {
            el,
            att,
            ty,
            default,
            required,
        } => {
            let args = [
                new_string(el),
                new_string(att),
                new_string(ty),
                opt_str(default),
                Value::int(required as i64),
            ];
            call(vm, po, H_ATTLIST_DECL, &args)?.is_some()
        }
        Ev::Skipped { name, pe } => {
            call(
                vm,
                po,
                H_SKIPPED,
                &[new_string(name), Value::int(pe as i64)],
            )?;
            true
        }
        Ev::NotStandalone => {
            if let Some(r) = call(vm, po, H_NOT_STANDALONE, &[])? {
                let ok = match r.as_small_int() {
                    Some(n) => n != 0,
                    None => crate::ops::truthy(vm, &r)?,
                };
                if !ok {
                    let p = po.st.read(|s| s.current).unwrap_or_default();
                    return Err(expat_error(vm, po, errors::NOT_STANDALONE, p));
                }
            }
            true
        }
        Ev::ExternalRef {
            context,
            sysid,
            pubid,
        } => {
            let args = [opt_str(context), base(), opt_str(sysid), opt_str(pubid)];
            if let Some(r) = call(vm, po, H_EXTERNAL, &args)? {
                let ok = match r.as_small_int() {
                    Some(n) => n != 0,
                    None => crate::ops::truthy(vm, &r)?,
                };
                if !ok {
                    let p = po.st.read(|s| s.current).unwrap_or_default();
                    return Err(expat_error(vm, po, errors::EXTERNAL_ENTITY_HANDLING, p));
                }
            }
            true
        }
        Ev::Default => false,
    };
    if !done {
        report_default(vm, po, &raw)?;
    }
    Ok(())
}

/// The table of a single-byte encoding Expat does not know, from Python's codecs (as
/// pyexpat's unknown-encoding handler builds it).
pub(crate) fn encoding_table(
    vm: &mut Vm,
    name: &str,
) -> PyResult<Option<Box<[Option<char>; 256]>>> {
    let all: Vec<u8> = (0..=255u8).collect();
    let b = crate::types::bytes::BytesObj::new_value(all);
    let dec = crate::ops::getattr_str(vm, &b, "decode")?;
    let Ok(s) = vm.call(&dec, &[new_str(name), new_str("replace")]) else {
        return Ok(None);
    };
    let Some(s) = as_str(&s) else {
        return Ok(None);
    };
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 256 {
        return Ok(None);
    }
    let mut t = Box::new([None; 256]);
    for (i, c) in chars.into_iter().enumerate() {
        t[i] = if c == '\u{FFFD}' { None } else { Some(c) };
    }
    Ok(Some(t))
}

/// Runs the engine over what it has, reporting events as they come.
fn run(vm: &mut Vm, po: &ParserObj, fin: bool) -> PyResult<()> {
    loop {
        let next = {
            let mut e = po.eng.lock();
            match e.queue.pop_front() {
                Some(x) => Ok(Some(x)),
                None => {
                    let (expand, skipped, ext) = po.st.read(|s| {
                        (
                            default_idx(s) != Some(H_DEFAULT),
                            !s.handlers[H_SKIPPED].is_none(),
                            !s.handlers[H_EXTERNAL].is_none(),
                        )
                    });
                    e.expand_internal = expand;
                    e.skipped_handler = skipped;
                    e.ext_handler = ext;
                    e.not_standalone_handler =
                        po.st.read(|s| !s.handlers[H_NOT_STANDALONE].is_none());
                    match e.step(fin) {
                        Ok(true) => continue,
                        Ok(false) => Ok(None),
                        Err(f) => Err(f),
                    }
                }
            }
        };
        match next {
            Ok(Some((pos, ev, raw))) => {
                let off = match raw {
                    Raw::Span(a, _) => Some(a),
                    _ => None,
                };
                po.st.with(|s| {
                    s.current = Some(pos);
                    s.current_off = off;
                });
                let r = dispatch(vm, po, ev, raw);
                po.st.with(|s| s.current = None);
                if let Err(err) = r {
                    // As CPython's `flag_error`: the parser reports nothing more.
                    po.st.with(|s| {
                        for h in s.handlers.iter_mut() {
                            *h = Value::none();
                        }
                        s.text.clear();
                    });
                    po.eng.lock().queue.clear();
                    return Err(err);
                }
            }
            Ok(None) => return Ok(()),
            Err(Fail::Error(code, p)) => {
                // As CPython: text still buffered is not reported after an error.
                po.st.with(|s| s.text.clear());
                return Err(expat_error(vm, po, code, p));
            }
            Err(Fail::Encoding(name)) => {
                flush(vm, po)?;
                match encoding_table(vm, &name)? {
                    Some(t) => po.eng.lock().set_table(t),
                    None => {
                        let p = po.eng.lock().end_pos();
                        return Err(expat_error(vm, po, errors::UNKNOWN_ENCODING, p));
                    }
                }
            }
        }
    }
}

fn default_idx(s: &State) -> Option<usize> {
    let first = if s.default_expand {
        H_DEFAULT_EXPAND
    } else {
        H_DEFAULT
    };
    let other = if s.default_expand {
        H_DEFAULT
    } else {
        H_DEFAULT_EXPAND
    };
    if !s.handlers[first].is_none() {
        Some(first)
    } else if !s.handlers[other].is_none() {
        Some(other)
    } else {
        None
    }
}

/// Feeds `data` (str or bytes-like) and parses.
fn parse_data(vm: &mut Vm, this: &Value, data: &Value, fin: bool) -> PyResult<Value> {
    let po = me(vm, this)?;
    let bytes: Vec<u8> = if let Some(s) = as_str(data) {
        let mut e = po.eng.lock();
        if !e.dec.forced || e.dec.enc.is_none() {
            e.dec.enc = Some(decode::Enc::Utf8);
            e.dec.forced = true;
        }
        s.as_bytes().to_vec()
    } else {
        super::buffer::need(vm, data)?.into_owned()
    };
    if po.busy.swap(true, Ordering::AcqRel) {
        return Err(vm.runtime_error("cannot call Parse() on a parser that is parsing"));
    }
    if po.st.read(|s| s.finished) {
        po.busy.store(false, Ordering::Release);
        let p = po.eng.lock().end_pos();
        return Err(expat_error(vm, po, errors::FINISHED, p));
    }
    po.eng.lock().feed(&bytes);
    po.st.with(|s| {
        s.fed |= !bytes.is_empty();
        if fin {
            s.finished = true;
        }
    });
    let r = run(vm, po, fin).and_then(|()| flush(vm, po));
    po.busy.store(false, Ordering::Release);
    if let Some(doc) = po.dtd_of.as_ref().and_then(native::downcast::<ParserObj>) {
        let child = po.eng.lock();
        doc.eng.lock().adopt_declarations(&child);
    }
    r?;
    Ok(Value::int(1))
}

fn x_parse(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, rest) = super::native_args::receiver(vm, "Parse", a)?;
    let b = bind(vm, "Parse", &rest, &["data", "isfinal"], 1, 2)?;
    let fin = match b[1] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    let data = b[0].cloned().unwrap_or_else(Value::none);
    parse_data(vm, this, &data, fin)
}

fn x_parse_file(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, rest) = super::native_args::this(vm, "ParseFile", a, 1, 1)?;
    let Some(read) = crate::ops::getattr_opt(vm, &rest[0], "read")? else {
        return Err(vm.type_error("argument must have 'read' attribute"));
    };
    loop {
        let chunk = vm.call(&read, &[Value::int(2048)])?;
        let len = if let Some(s) = as_str(&chunk) {
            s.len()
        } else if let Some(b) = super::buffer::bytes_like(&chunk) {
            b.len()
        } else {
            let tn = chunk.type_data().name.clone();
            return Err(vm.type_error(format!("read() did not return a bytes object (type={tn})")));
        };
        if len == 0 {
            return parse_data(vm, this, &chunk, true);
        }
        parse_data(vm, this, &chunk, false)?;
    }
}

fn x_set_base(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, rest) = super::native_args::this(vm, "SetBase", a, 1, 1)?;
    let po = me(vm, this)?;
    if as_str(&rest[0]).is_none() {
        let tn = rest[0].type_data().name.clone();
        return Err(vm.type_error(format!("SetBase() argument must be str, not {tn}")));
    }
    let v = rest[0].clone();
    po.st.with(|s| s.base = v);
    Ok(Value::none())
}

fn x_get_base(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, _) = super::native_args::this(vm, "GetBase", a, 0, 0)?;
    Ok(me(vm, this)?.st.read(|s| s.base.clone()))
}

fn x_get_input_context(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, _) = super::native_args::this(vm, "GetInputContext", a, 0, 0)?;
    let po = me(vm, this)?;
    let Some(off) = po.st.read(|s| s.current.and(s.current_off)) else {
        return Ok(Value::none());
    };
    let e = po.eng.lock();
    let b = e.context_bytes(off);
    Ok(crate::types::bytes::BytesObj::new_value(b))
}

fn x_set_param_entity_parsing(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, rest) = super::native_args::this(vm, "SetParamEntityParsing", a, 1, 1)?;
    let Some(n) = rest[0].as_small_int() else {
        return Err(vm.type_error("an integer is required"));
    };
    let po = me(vm, this)?;
    let mut e = po.eng.lock();
    if !(0..=2).contains(&n) || e.started {
        return Ok(Value::int(0));
    }
    e.param_parsing = n;
    Ok(Value::int(1))
}

fn x_use_foreign_dtd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, rest) = super::native_args::this(vm, "UseForeignDTD", a, 0, 1)?;
    let flag = match rest.first() {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => true,
    };
    let po = me(vm, this)?;
    let mut e = po.eng.lock();
    if e.started {
        drop(e);
        return Err(expat_error(
            vm,
            po,
            26,
            Pos {
                line: 1,
                col: 0,
                byte: 0,
            },
        ));
    }
    e.use_foreign_dtd = flag;
    Ok(Value::none())
}

fn x_external_entity_parser_create(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (this, rest) = super::native_args::receiver(vm, "ExternalEntityParserCreate", a)?;
    let b = bind(
        vm,
        "ExternalEntityParserCreate",
        &rest,
        &["context", "encoding"],
        1,
        2,
    )?;
    let po = me(vm, this)?;
    let enc = match b[1] {
        Some(v) if !v.is_none() => match as_str(v) {
            Some(s) => Some(encoding_of(vm, s)?),
            None => {
                return Err(
                    vm.type_error("ExternalEntityParserCreate() argument 2 must be str, not bytes")
                );
            }
        },
        _ => None,
    };
    let dtd = b[0].is_none_or(|c| c.is_none());
    let eng = po.eng.lock().external_child(enc, dtd);
    let st = po.st.read(|s| State {
        handlers: s.handlers.clone(),
        default_expand: s.default_expand,
        buffer_text: s.buffer_text,
        buffer_size: s.buffer_size,
        text: String::new(),
        ordered: s.ordered,
        specified: s.specified,
        intern: s.intern.clone(),
        base: s.base.clone(),
        error: (0, 1, 0, -1),
        current: None,
        current_off: None,
        finished: false,
        fed: false,
    });
    Ok(Value::alloc(ParserObj {
        st: ObjCell::new(st),
        eng: parking_lot::Mutex::new(eng),
        busy: AtomicBool::new(false),
        dtd_of: dtd.then(|| this.clone()),
    }))
}

fn encoding_of(vm: &mut Vm, name: &str) -> PyResult<decode::Enc> {
    if let Some(e) = decode::Enc::builtin(name) {
        return Ok(e);
    }
    match encoding_table(vm, name)? {
        Some(t) => Ok(decode::Enc::Table(t)),
        None => Err(vm.err(types().lookup_error, format!("unknown encoding: {name}"))),
    }
}

fn parser_create(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let b = bind(
        vm,
        "ParserCreate",
        a,
        &["encoding", "namespace_separator", "intern"],
        0,
        3,
    )?;
    let str_or_none = |vm: &mut Vm, v: Option<&Value>, n: &str| -> PyResult<Option<String>> {
        match v {
            None => Ok(None),
            Some(v) if v.is_none() => Ok(None),
            Some(v) => match as_str(v) {
                Some(s) => Ok(Some(s.to_string())),
                None => {
                    let tn = v.type_data().name.clone();
                    Err(vm.type_error(format!(
                        "ParserCreate() argument '{n}' must be str or None, not {tn}"
                    )))
                }
            },
        }
    };
    let encoding = str_or_none(vm, b[0], "encoding")?;
    let sep = str_or_none(vm, b[1], "namespace_separator")?;
    if let Some(s) = &sep
        && s.chars().count() > 1
    {
        return Err(
            vm.value_error("namespace_separator must be at most one character, omitted, or None")
        );
    }
    let intern = match b[2] {
        None => DictObj::new_value(),
        Some(v) if v.is_none() => Value::none(),
        Some(v) if v.downcast::<DictObj>().is_some() => v.clone(),
        Some(_) => return Err(vm.type_error("intern must be a dictionary")),
    };
    let enc = match &encoding {
        Some(n) => Some(encoding_of(vm, n)?),
        None => None,
    };
    let st = State {
        handlers: vec![Value::none(); HANDLERS.len()],
        default_expand: false,
        buffer_text: false,
        buffer_size: 8192,
        text: String::new(),
        ordered: false,
        specified: false,
        intern,
        base: Value::none(),
        error: (0, 1, 0, -1),
        current: None,
        current_off: None,
        finished: false,
        fed: false,
    };
    Ok(Value::alloc(ParserObj {
        st: ObjCell::new(st),
        eng: parking_lot::Mutex::new(Engine::new(enc, sep)),
        busy: AtomicBool::new(false),
        dtd_of: None,
    }))
}

fn error_string(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = super::native_args::unpack(vm, "ErrorString", a, 1, 1)?;
    let Some(n) = p[0].as_small_int() else {
        return Err(vm.type_error("an integer is required"));
    };
    Ok(match u32::try_from(n).ok().and_then(errors::message) {
        Some(m) => new_str(m),
        None => Value::none(),
    })
}

// ---- attributes ----------------------------------------------------------------------

macro_rules! handler_attrs {
    ($($i:literal => $g:ident, $s:ident);* $(;)?) => {
        $(
            fn $g(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                Ok(me(vm, &a.pos()[0])?.st.read(|s| s.handlers[$i].clone()))
            }
            fn $s(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                set_handler(vm, a, $i)
            }
        )*
        const HANDLER_FNS: [(crate::types::func::NativeFn, crate::types::func::NativeFn); 22] = [$(($g, $s)),*];
    };
}
handler_attrs!(
    0 => g0, s0; 1 => g1, s1; 2 => g2, s2; 3 => g3, s3; 4 => g4, s4; 5 => g5, s5;
    6 => g6, s6; 7 => g7, s7; 8 => g8, s8; 9 => g9, s9; 10 => g10, s10; 11 => g11, s11;
    12 => g12, s12; 13 => g13, s13; 14 => g14, s14; 15 => g15, s15; 16 => g16, s16;
    17 => g17, s17; 18 => g18, s18; 19 => g19, s19; 20 => g20, s20; 21 => g21, s21;
);

fn set_handler(vm: &mut Vm, a: &Args, i: usize) -> PyResult<Value> {
    let po = me(vm, &a.pos()[0])?;
    let v = a.pos().get(1).cloned().unwrap_or_else(Value::none);
    if i == H_DATA {
        flush(vm, po)?;
    }
    po.st.with(|s| {
        if i == H_DEFAULT || i == H_DEFAULT_EXPAND {
            s.default_expand = i == H_DEFAULT_EXPAND;
        }
        s.handlers[i] = v;
    });
    Ok(Value::none())
}

fn flag_get(vm: &mut Vm, a: &Args, f: fn(&State) -> bool) -> PyResult<Value> {
    Ok(Value::bool(me(vm, &a.pos()[0])?.st.read(f)))
}

fn g_buffer_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    flag_get(vm, a, |s| s.buffer_text)
}
fn s_buffer_text(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let po = me(vm, &a.pos()[0])?;
    let on = crate::ops::truthy(vm, &a.pos()[1])?;
    if !on {
        flush(vm, po)?;
    }
    po.st.with(|s| s.buffer_text = on);
    Ok(Value::none())
}
fn g_ordered(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    flag_get(vm, a, |s| s.ordered)
}
fn s_ordered(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let on = crate::ops::truthy(vm, &a.pos()[1])?;
    me(vm, &a.pos()[0])?.st.with(|s| s.ordered = on);
    Ok(Value::none())
}
fn g_specified(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    flag_get(vm, a, |s| s.specified)
}
fn s_specified(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let on = crate::ops::truthy(vm, &a.pos()[1])?;
    me(vm, &a.pos()[0])?.st.with(|s| s.specified = on);
    Ok(Value::none())
}
fn g_ns_prefixes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::bool(me(vm, &a.pos()[0])?.eng.lock().ns_triplets))
}
fn s_ns_prefixes(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let on = crate::ops::truthy(vm, &a.pos()[1])?;
    me(vm, &a.pos()[0])?.eng.lock().ns_triplets = on;
    Ok(Value::none())
}
fn g_buffer_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(me(vm, &a.pos()[0])?.st.read(|s| s.buffer_size)))
}
fn s_buffer_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let po = me(vm, &a.pos()[0])?;
    let v = &a.pos()[1];
    if v.type_data().name != "int" {
        return Err(vm.type_error("buffer_size must be an integer"));
    }
    let Some(n) = v.as_small_int() else {
        return Err(vm.value_error("buffer_size must not be greater than 2147483647"));
    };
    if n <= 0 {
        return Err(vm.value_error("buffer_size must be greater than zero"));
    }
    if n > i32::MAX as i64 {
        return Err(vm.value_error(format!("buffer_size must not be greater than {}", i32::MAX)));
    }
    flush(vm, po)?;
    po.st.with(|s| s.buffer_size = n);
    Ok(Value::none())
}
fn g_buffer_used(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(
        me(vm, &a.pos()[0])?.st.read(|s| s.text.len() as i64),
    ))
}
fn g_intern(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(me(vm, &a.pos()[0])?.st.read(|s| s.intern.clone()))
}
fn g_error_code(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(me(vm, &a.pos()[0])?.st.read(|s| s.error.0)))
}
// Expat's `XML_GetErrorLineNumber` and friends are its current-position functions:
// during a handler they give the event's position, after an error the error's.
fn g_error_line(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    g_cur_line(vm, a)
}
fn g_error_col(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    g_cur_col(vm, a)
}
fn g_error_byte(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    g_cur_byte(vm, a)
}

/// The current event's position, or where the input consumed so far ends.
fn current(vm: &mut Vm, a: &Args) -> PyResult<(Pos, bool)> {
    let po = me(vm, &a.pos()[0])?;
    if let Some(p) = po.st.read(|s| s.current) {
        return Ok((p, true));
    }
    if let Some((p, fed)) = po.st.read(|s| {
        (s.error.0 != 0).then_some((
            Pos {
                line: s.error.1,
                col: s.error.2,
                byte: s.error.3,
            },
            s.fed,
        ))
    }) {
        return Ok((p, fed));
    }
    let fed = po.st.read(|s| s.fed);
    let p = po.eng.lock().end_pos();
    Ok((p, fed))
}
fn g_cur_line(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(current(vm, a)?.0.line))
}
fn g_cur_col(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(Value::int(current(vm, a)?.0.col))
}
fn g_cur_byte(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (p, fed) = current(vm, a)?;
    Ok(Value::int(if fed { p.byte } else { -1 }))
}

fn readonly(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Err(vm.attribute_error("readonly attribute"))
}

pub fn init(vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "pyexpat",
        &[
            ("ParserCreate", parser_create),
            ("ErrorString", error_string),
        ],
    );
    if ERROR.load(Ordering::Acquire) == 0 {
        let e = exception_type("ExpatError", "xml.parsers.expat", types().exception);
        crate::object::make_immortal(e.raw());
        ERROR.store(e.raw().0, Ordering::Release);
    }
    let pt = new_type::<ParserObj>(
        "xmlparser",
        "pyexpat",
        object_type(),
        Kind::Native,
        &PARSER_T,
        &PARSER,
    );
    methods(
        &pt,
        &[
            ("Parse", x_parse),
            ("ParseFile", x_parse_file),
            ("SetBase", x_set_base),
            ("GetBase", x_get_base),
            ("GetInputContext", x_get_input_context),
            (
                "ExternalEntityParserCreate",
                x_external_entity_parser_create,
            ),
            ("SetParamEntityParsing", x_set_param_entity_parsing),
            ("UseForeignDTD", x_use_foreign_dtd),
        ],
    );
    for (i, n) in HANDLERS.iter().enumerate() {
        let (g, s) = HANDLER_FNS[i];
        getset(&pt, n, g, Some(s));
    }
    getset(&pt, "buffer_text", g_buffer_text, Some(s_buffer_text));
    getset(&pt, "buffer_size", g_buffer_size, Some(s_buffer_size));
    getset(&pt, "buffer_used", g_buffer_used, Some(readonly));
    getset(&pt, "ordered_attributes", g_ordered, Some(s_ordered));
    getset(&pt, "specified_attributes", g_specified, Some(s_specified));
    getset(
        &pt,
        "namespace_prefixes",
        g_ns_prefixes,
        Some(s_ns_prefixes),
    );
    getset(&pt, "intern", g_intern, Some(readonly));
    getset(&pt, "ErrorCode", g_error_code, Some(readonly));
    getset(&pt, "ErrorLineNumber", g_error_line, Some(readonly));
    getset(&pt, "ErrorColumnNumber", g_error_col, Some(readonly));
    getset(&pt, "ErrorByteIndex", g_error_byte, Some(readonly));
    getset(&pt, "CurrentLineNumber", g_cur_line, Some(readonly));
    getset(&pt, "CurrentColumnNumber", g_cur_col, Some(readonly));
    getset(&pt, "CurrentByteIndex", g_cur_byte, Some(readonly));
    set(&m, "XMLParserType", pt);
    set(&m, "ExpatError", error_type());
    set(&m, "error", error_type());
    set(&m, "EXPAT_VERSION", new_str("expat_2.5.0"));
    set(
        &m,
        "version_info",
        TupleObj::from_items([Value::int(2), Value::int(5), Value::int(0)]),
    );
    set(&m, "native_encoding", new_str("UTF-8"));
    let feats: Vec<Value> = [
        ("sizeof(XML_Char)", 1),
        ("sizeof(XML_LChar)", 1),
        ("XML_DTD", 0),
        ("XML_CONTEXT_BYTES", 1024),
        ("XML_NS", 0),
        ("XML_BLAP_MAX_AMP", 100),
        ("XML_BLAP_ACT_THRES", 8388608),
    ]
    .iter()
    .map(|(n, v)| TupleObj::from_items([new_str(n), Value::int(*v)]))
    .collect();
    set(&m, "features", ListObj::new_value(feats));
    for (n, v) in [
        ("XML_PARAM_ENTITY_PARSING_NEVER", 0),
        ("XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE", 1),
        ("XML_PARAM_ENTITY_PARSING_ALWAYS", 2),
    ] {
        set(&m, n, Value::int(v));
    }
    set(&m, "errors", errors_module(vm)?);
    set(&m, "model", model_module());
    set(&m, "__version__", new_str("3.11"));
    Ok(m)
}

fn errors_module(vm: &mut Vm) -> PyResult<Value> {
    let m = module("pyexpat.errors", &[]);
    set(
        &m,
        "__doc__",
        new_str("Constants used to describe error conditions."),
    );
    let codes = DictObj::new_value();
    let messages = DictObj::new_value();
    for (i, (name, msg)) in errors::TABLE.iter().enumerate() {
        set(&m, name, new_str(msg));
        if let (Some(c), Some(ms)) = (codes.downcast::<DictObj>(), messages.downcast::<DictObj>()) {
            c.set(vm, new_str(msg), Value::int(i as i64 + 1))?;
            ms.set(vm, Value::int(i as i64 + 1), new_str(msg))?;
        }
    }
    set(&m, "codes", codes);
    set(&m, "messages", messages);
    Ok(m)
}

fn model_module() -> Value {
    let m = module("pyexpat.model", &[]);
    set(
        &m,
        "__doc__",
        new_str("Constants used to interpret content model information."),
    );
    for (n, v) in [
        ("XML_CTYPE_EMPTY", 1),
        ("XML_CTYPE_ANY", 2),
        ("XML_CTYPE_MIXED", 3),
        ("XML_CTYPE_NAME", 4),
        ("XML_CTYPE_CHOICE", 5),
        ("XML_CTYPE_SEQ", 6),
        ("XML_CQUANT_NONE", 0),
        ("XML_CQUANT_OPT", 1),
        ("XML_CQUANT_REP", 2),
        ("XML_CQUANT_PLUS", 3),
    ] {
        set(&m, n, Value::int(v));
    }
    m
}
