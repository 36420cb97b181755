//! The parser engine (decoded text -> events): runs the tokenizer over the input
//! buffer, keeps the document's state (prolog, element stack, namespace bindings, the
//! internal DTD subset's entities and attribute defaults) and queues the events a
//! pyexpat `xmlparser` turns into handler calls. It knows nothing of Python: the
//! caller drains `queue` after every `step` (so a handler that raises stops the parse
//! right after its event, as in Expat) and tells the engine the few things that depend
//! on which handlers are set (`expand_internal`, `skipped_handler`, `ext_handler`).
use std::collections::{HashMap, VecDeque};

use super::decode::{Decoder, Enc};
use super::errors::*;
use super::tok::{self, PTok, Span, Stop, Tok};

/// A position as Expat reports it: line from 1, column in characters from 0, byte
/// offset in the input's encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: i64,
    pub col: i64,
    pub byte: i64,
}

/// The source text of an event, for the default handler (when the event's own
/// handler is not set).
pub enum Raw {
    None,
    /// A span of the current buffer (valid until the next `feed`).
    Span(usize, usize),
    Text(String),
    /// Several tokens, reported one call each (a declaration's tokens).
    Parts(Vec<String>),
}

/// A content model (`ElementDeclHandler`'s second argument).
pub struct Model {
    pub ty: u8,
    pub quant: u8,
    pub name: Option<String>,
    pub children: Vec<Model>,
}

pub enum Ev {
    XmlDecl {
        version: Option<String>,
        encoding: Option<String>,
        standalone: i64,
    },
    StartDoctype {
        name: String,
        sysid: Option<String>,
        pubid: Option<String>,
        internal: bool,
    },
    EndDoctype,
    EntityDecl {
        name: String,
        pe: bool,
        value: Option<String>,
        sysid: Option<String>,
        pubid: Option<String>,
        notation: Option<String>,
    },
    NotationDecl {
        name: String,
        sysid: Option<String>,
        pubid: Option<String>,
    },
    ElementDecl {
        name: String,
        model: Model,
    },
    AttlistDecl {
        el: String,
        att: String,
        ty: String,
        default: Option<String>,
        required: bool,
    },
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        nspec: usize,
    },
    End {
        name: String,
    },
    NsStart {
        prefix: Option<String>,
        uri: Option<String>,
    },
    NsEnd {
        prefix: Option<String>,
    },
    Data(String),
    Pi {
        target: String,
        data: String,
    },
    Comment(String),
    CdataStart,
    CdataEnd,
    /// Markup with no event of its own (prolog whitespace, an unexpanded reference).
    Default,
    Skipped {
        name: String,
        pe: bool,
    },
    /// An external entity to parse (`context` `None`: the DTD's external subset).
    ExternalRef {
        context: Option<String>,
        sysid: Option<String>,
        pubid: Option<String>,
    },
    /// The document has an external DTD part and does not say `standalone="yes"`.
    NotStandalone,
}

/// Why `step` stopped short.
pub enum Fail {
    Error(u32, Pos),
    /// The XML declaration names an encoding Expat does not have built in.
    Encoding(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Prolog,
    Subset,
    /// An external DTD subset (or external parameter entity): markup declarations to
    /// the end of the input, for a parser made with no context.
    ExtSubset,
    Content,
    Epilog,
}

#[derive(Clone)]
pub struct Entity {
    value: Option<String>,
    sysid: Option<String>,
    pubid: Option<String>,
    notation: Option<String>,
    open: bool,
}

#[derive(Clone)]
struct AttDef {
    name: String,
    cdata: bool,
    default: Option<String>,
}

struct Elem {
    qname: String,
    name: String,
    nbind: usize,
}

/// Where a token's text comes from: the document, or an internal entity's value
/// (whose events all take the position of the reference).
#[derive(Clone, Copy)]
enum Ctx {
    Doc,
    Entity { at: Pos, depth: usize },
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

pub struct Engine {
    pub dec: Decoder,
    buf: String,
    off: usize,
    pt_off: usize,
    pt: Pos,
    pt_cr: bool,
    phase: Phase,
    cdata: bool,
    stack: Vec<Elem>,
    pub queue: VecDeque<(Pos, Ev, Raw)>,
    /// `None`: no namespace processing; else the separator (possibly empty).
    ns: Option<String>,
    pub ns_triplets: bool,
    bindings: Vec<(String, String)>,
    entities: HashMap<String, Entity>,
    pe_entities: HashMap<String, Entity>,
    attdefs: HashMap<String, Vec<AttDef>>,
    has_param_refs: bool,
    standalone: i64,
    keep_processing: bool,
    saw_doctype: bool,
    at_start: bool,
    external: bool,
    /// Re-scan a pending token only once the buffer reaches this length (a token
    /// split across many small `Parse` calls is not scanned again for every one).
    retry_at: usize,
    pub expand_internal: bool,
    pub skipped_handler: bool,
    pub ext_handler: bool,
    pub use_foreign_dtd: bool,
    /// `SetParamEntityParsing`: 0 never, 1 unless standalone, 2 always.
    pub param_parsing: i64,
    pub not_standalone_handler: bool,
    /// The DOCTYPE's external subset, loaded through the handler at its end.
    ext_subset: Option<(Option<String>, Option<String>)>,
    pub started: bool,
    /// An encoding the XML declaration named that the caller must supply.
    pending_encoding: Option<String>,
}

fn s(t: &str, sp: Span) -> String {
    t[sp.0..sp.1].to_string()
}

fn unquote(t: &str, sp: Span) -> String {
    t[sp.0 + 1..sp.1 - 1].to_string()
}

impl Engine {
    pub fn new(enc: Option<Enc>, ns: Option<String>) -> Engine {
        Engine {
            dec: Decoder::new(enc),
            buf: String::new(),
            off: 0,
            pt_off: 0,
            pt: Pos {
                line: 1,
                col: 0,
                byte: 0,
            },
            pt_cr: false,
            phase: Phase::Prolog,
            cdata: false,
            stack: Vec::new(),
            queue: VecDeque::new(),
            ns,
            ns_triplets: false,
            bindings: vec![("xml".into(), XML_NS.into())],
            entities: HashMap::new(),
            pe_entities: HashMap::new(),
            attdefs: HashMap::new(),
            has_param_refs: false,
            standalone: -1,
            keep_processing: true,
            saw_doctype: false,
            at_start: true,
            external: false,
            retry_at: 0,
            expand_internal: true,
            skipped_handler: false,
            ext_handler: false,
            use_foreign_dtd: false,
            param_parsing: 0,
            not_standalone_handler: false,
            ext_subset: None,
            started: false,
            pending_encoding: None,
        }
    }

    /// A parser for an external entity referenced from `self`'s document, starting with
    /// the document's declarations: a parsed entity in content, or, with no context
    /// (`dtd`), the external DTD subset, whose declarations the document then adopts
    /// ([`Engine::adopt_declarations`]).
    pub fn external_child(&self, enc: Option<Enc>, dtd: bool) -> Engine {
        let mut e = Engine::new(enc, self.ns.clone());
        e.ns_triplets = self.ns_triplets;
        e.entities = self.entities.clone();
        e.pe_entities = self.pe_entities.clone();
        e.attdefs = self.attdefs.clone();
        e.has_param_refs = true;
        e.phase = if dtd {
            Phase::ExtSubset
        } else {
            Phase::Content
        };
        e.param_parsing = self.param_parsing;
        e.external = true;
        e
    }

    /// Takes in the declarations an external DTD subset's parser (`child`) made, as
    /// Expat's parsers share one DTD: the first declaration of a name wins.
    pub fn adopt_declarations(&mut self, child: &Engine) {
        for (name, ent) in &child.entities {
            self.entities
                .entry(name.clone())
                .or_insert_with(|| ent.clone());
        }
        for (name, ent) in &child.pe_entities {
            self.pe_entities
                .entry(name.clone())
                .or_insert_with(|| ent.clone());
        }
        for (el, defs) in &child.attdefs {
            let mine = self.attdefs.entry(el.clone()).or_default();
            for d in defs {
                if !mine.iter().any(|m| m.name == d.name) {
                    mine.push(d.clone());
                }
            }
        }
    }

    /// Appends input bytes.
    pub fn feed(&mut self, data: &[u8]) {
        self.started = true;
        if self.off > 0 && (self.off == self.buf.len() || self.off > 1 << 16) {
            let t = std::mem::take(&mut self.buf);
            self.pos_at(&t, self.off);
            self.buf = t;
            self.buf.drain(..self.off);
            self.pt_off -= self.off;
            self.off = 0;
            self.retry_at = self.retry_at.saturating_sub(self.off);
        }
        self.dec.raw.extend_from_slice(data);
    }

    /// The position at buffer offset `at` (never before the last one asked for).
    fn pos_at(&mut self, t: &str, at: usize) -> Pos {
        if at <= self.pt_off {
            return self.pt;
        }
        let enc = self.dec.enc.clone().unwrap_or(Enc::Utf8);
        let fixed = !matches!(enc, Enc::Utf8 | Enc::Utf16Le | Enc::Utf16Be);
        let mut p = self.pt;
        let mut cr = self.pt_cr;
        for c in t[self.pt_off..at.min(t.len())].chars() {
            match c {
                '\r' => {
                    p.line += 1;
                    p.col = 0;
                    cr = true;
                }
                '\n' => {
                    if !cr {
                        p.line += 1;
                        p.col = 0;
                    }
                    cr = false;
                }
                _ => {
                    p.col += 1;
                    cr = false;
                }
            }
            p.byte += if fixed { 1 } else { enc.width(c) };
        }
        self.pt = p;
        self.pt_off = at;
        self.pt_cr = cr;
        p
    }

    /// The position where the input consumed so far ends.
    pub fn end_pos(&mut self) -> Pos {
        let t = std::mem::take(&mut self.buf);
        let p = self.pos_at(&t, self.off);
        self.buf = t;
        Pos {
            byte: p.byte + self.dec.bom,
            ..p
        }
    }

    /// The text of a queued event's `Raw`.
    pub fn raw_parts(&self, r: &Raw) -> Vec<String> {
        match r {
            Raw::None => vec![],
            Raw::Span(a, b) => vec![self.buf[*a..*b].to_string()],
            Raw::Text(t) => vec![t.clone()],
            Raw::Parts(p) => p.clone(),
        }
    }

    /// Input bytes from the current event to the end of the buffer (UTF-8).
    pub fn context_bytes(&self, from: usize) -> Vec<u8> {
        self.buf.as_bytes()[from.min(self.buf.len())..].to_vec()
    }

    pub fn set_table(&mut self, table: Box<[Option<char>; 256]>) {
        self.dec.enc = Some(Enc::Table(table));
        self.dec.forced = true;
        self.dec.await_decl = false;
    }

    fn err(&mut self, t: &str, code: u32, at: usize, ctx: Ctx) -> Fail {
        match ctx {
            Ctx::Doc => {
                let p = self.pos_at(t, at);
                Fail::Error(
                    code,
                    Pos {
                        byte: p.byte + self.dec.bom,
                        ..p
                    },
                )
            }
            Ctx::Entity { at, .. } => Fail::Error(code, at),
        }
    }

    fn pos(&mut self, t: &str, at: usize, ctx: Ctx) -> Pos {
        match ctx {
            Ctx::Doc => {
                let p = self.pos_at(t, at);
                Pos {
                    byte: p.byte + self.dec.bom,
                    ..p
                }
            }
            Ctx::Entity { at, .. } => at,
        }
    }

    fn raw(t: &str, a: usize, b: usize, ctx: Ctx) -> Raw {
        match ctx {
            Ctx::Doc => Raw::Span(a, b),
            Ctx::Entity { .. } => Raw::Text(t[a..b].to_string()),
        }
    }

    fn push(&mut self, p: Pos, ev: Ev, raw: Raw) {
        self.queue.push_back((p, ev, raw));
    }

    /// Makes one step: one token's events queued (`Ok(true)`), or nothing more to
    /// do with the input so far (`Ok(false)`).
    pub fn step(&mut self, fin: bool) -> Result<bool, Fail> {
        if self.off >= self.buf.len() || !self.dec.raw.is_empty() {
            self.dec.pump(&mut self.buf, fin);
        }
        if !fin && self.retry_at > self.buf.len() {
            return Ok(false);
        }
        let t = std::mem::take(&mut self.buf);
        let r = match self.phase {
            Phase::Content => self.content_step(&t, fin),
            _ => self.prolog_step(&t, fin),
        };
        let out = match r {
            Ok(Some(end)) => {
                self.off = end;
                self.at_start = false;
                self.retry_at = 0;
                match self.pending_encoding.take() {
                    Some(n) => Err(Fail::Encoding(n)),
                    None => Ok(true),
                }
            }
            Ok(None) => Ok(true),
            Err(E::Stop(Stop::More)) => self.stall(&t, fin),
            Err(E::Stop(Stop::Err(code, at))) => Err(self.err(&t, code, at, Ctx::Doc)),
            Err(E::Fail(f)) => Err(f),
        };
        self.buf = t;
        out
    }

    fn stall(&mut self, t: &str, fin: bool) -> Result<bool, Fail> {
        let len = t.len();
        if self.dec.bad {
            return Err(self.err(t, INVALID_TOKEN, len, Ctx::Doc));
        }
        if !fin {
            let pending = len - self.off;
            if pending > 4096 {
                self.retry_at = len + pending;
            }
            return Ok(false);
        }
        if !self.dec.raw.is_empty() {
            return Err(self.err(t, PARTIAL_CHAR, len, Ctx::Doc));
        }
        let unclosed = self.off < len;
        match self.phase {
            Phase::Content if self.cdata => Err(self.err(t, UNCLOSED_CDATA_SECTION, len, Ctx::Doc)),
            Phase::Prolog | Phase::Subset | Phase::ExtSubset
                if unclosed && tok::char_at(t, self.off).is_some_and(super::chars::is_name) =>
            {
                // A bare name in the prolog is a complete token of no declaration.
                Err(self.err(t, SYNTAX, self.off, Ctx::Doc))
            }
            _ if unclosed => Err(self.err(t, UNCLOSED_TOKEN, self.off, Ctx::Doc)),
            Phase::Content if self.external && self.stack.is_empty() => Ok(false),
            Phase::ExtSubset => Ok(false),
            Phase::Content | Phase::Prolog | Phase::Subset => {
                Err(self.err(t, NO_ELEMENTS, len, Ctx::Doc))
            }
            Phase::Epilog => Ok(false),
        }
    }

    // ---- content ------------------------------------------------------------------

    /// `Ok(Some(end))` after a token; `Err(More)` when the buffer ends first.
    fn content_step(&mut self, t: &str, fin: bool) -> Result<Option<usize>, E> {
        let i = self.off;
        if i >= t.len() {
            return Err(E::Stop(Stop::More));
        }
        let (tk, e) = tok::content(t, i, self.cdata, fin)?;
        self.content_token(t, tk, i, e, Ctx::Doc)?;
        Ok(Some(e))
    }

    fn content_token(&mut self, t: &str, tk: Tok, s0: usize, e: usize, ctx: Ctx) -> Result<(), E> {
        match tk {
            Tok::Data => {
                let p = self.pos(t, s0, ctx);
                let whole = matches!(self.dec.enc, None | Some(Enc::Utf8)) || e - s0 <= 1024;
                if whole {
                    self.push(p, Ev::Data(t[s0..e].to_string()), Self::raw(t, s0, e, ctx));
                } else {
                    // Expat converts other encodings through a 1024-byte buffer and
                    // reports each piece as it goes.
                    let mut a = s0;
                    while a < e {
                        let mut b = (a + 1024).min(e);
                        while !t.is_char_boundary(b) {
                            b -= 1;
                        }
                        self.push(p, Ev::Data(t[a..b].to_string()), Self::raw(t, a, b, ctx));
                        a = b;
                    }
                }
            }
            Tok::Newline => {
                let p = self.pos(t, s0, ctx);
                self.push(p, Ev::Data("\n".into()), Self::raw(t, s0, e, ctx));
            }
            Tok::CharRef(c) => {
                let p = self.pos(t, s0, ctx);
                self.push(p, Ev::Data(c.to_string()), Self::raw(t, s0, e, ctx));
            }
            Tok::EntityRef(sp) => self.entity_ref(t, &t[sp.0..sp.1], s0, e, ctx)?,
            Tok::Comment(sp) => {
                let p = self.pos(t, s0, ctx);
                self.push(p, Ev::Comment(s(t, sp)), Self::raw(t, s0, e, ctx));
            }
            Tok::Pi { target, data } => {
                let tg = &t[target.0..target.1];
                if tg.eq_ignore_ascii_case("xml") {
                    if self.external
                        && s0 == 0
                        && matches!(ctx, Ctx::Doc)
                        && !self.started_content()
                    {
                        return self.xml_decl(t, data, s0, e);
                    }
                    return Err(self.at(t, MISPLACED_XML_PI, s0, ctx));
                }
                let p = self.pos(t, s0, ctx);
                self.push(
                    p,
                    Ev::Pi {
                        target: tg.to_string(),
                        data: s(t, data),
                    },
                    Self::raw(t, s0, e, ctx),
                );
            }
            Tok::CdataStart => {
                self.cdata = true;
                let p = self.pos(t, s0, ctx);
                self.push(p, Ev::CdataStart, Self::raw(t, s0, e, ctx));
            }
            Tok::CdataEnd => {
                self.cdata = false;
                let p = self.pos(t, s0, ctx);
                self.push(p, Ev::CdataEnd, Self::raw(t, s0, e, ctx));
            }
            Tok::EndTag { name } => {
                let q = &t[name.0..name.1];
                let depth = match ctx {
                    Ctx::Entity { depth, .. } => depth,
                    Ctx::Doc => 0,
                };
                if self.stack.len() <= depth {
                    if matches!(ctx, Ctx::Entity { .. }) {
                        return Err(self.at(t, ASYNC_ENTITY, s0, ctx));
                    }
                    return Err(self.at(t, INVALID_TOKEN, s0 + 1, ctx));
                }
                let top = self.stack.last().map(|x| x.qname.as_str()).unwrap_or("");
                if top != q {
                    return Err(self.at(t, TAG_MISMATCH, name.0, ctx));
                }
                let p = self.pos(t, s0, ctx);
                self.end_element(p, Self::raw(t, s0, e, ctx));
                if self.stack.is_empty() && !self.external {
                    self.phase = Phase::Epilog;
                }
            }
            Tok::StartTag { name, attrs, empty } => {
                self.start_tag(t, name, &attrs, empty, s0, e, ctx)?;
            }
        }
        Ok(())
    }

    /// Are external parameter entities (the external subset) loaded?
    fn loads_params(&self) -> bool {
        self.ext_handler
            && (self.param_parsing == 2 || (self.param_parsing == 1 && self.standalone != 1))
    }

    /// At the DOCTYPE's end: load the external subset, then ask about standalone.
    fn doctype_close(&mut self, p: Pos) {
        let ext = self.ext_subset.take();
        let ext = ext.or_else(|| self.use_foreign_dtd.then_some((None, None)));
        if let Some((sysid, pubid)) = ext
            && self.loads_params()
        {
            self.push(
                p,
                Ev::ExternalRef {
                    context: None,
                    sysid,
                    pubid,
                },
                Raw::None,
            );
            if self.standalone != 1 && self.not_standalone_handler {
                self.push(p, Ev::NotStandalone, Raw::None);
            }
        }
    }

    fn started_content(&self) -> bool {
        !self.at_start
    }

    fn at(&mut self, t: &str, code: u32, at: usize, ctx: Ctx) -> E {
        E::Fail(self.err(t, code, at, ctx))
    }

    fn end_element(&mut self, p: Pos, raw: Raw) {
        let Some(el) = self.stack.pop() else { return };
        self.push(p, Ev::End { name: el.name }, raw);
        for _ in 0..el.nbind {
            if let Some((pre, _)) = self.bindings.pop() {
                let prefix = if pre.is_empty() { None } else { Some(pre) };
                self.push(p, Ev::NsEnd { prefix }, Raw::None);
            }
        }
    }

    fn wfc_entities(&self) -> bool {
        !(self.has_param_refs || self.use_foreign_dtd) || self.standalone == 1
    }

    fn entity_ref(&mut self, t: &str, name: &str, s0: usize, e: usize, ctx: Ctx) -> Result<(), E> {
        let pre = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        };
        let p = self.pos(t, s0, ctx);
        if let Some(c) = pre {
            self.push(p, Ev::Data(c.to_string()), Self::raw(t, s0, e, ctx));
            return Ok(());
        }
        let Some(ent) = self.entities.get(name).cloned() else {
            if self.wfc_entities() {
                return Err(self.at(t, UNDEFINED_ENTITY, s0, ctx));
            }
            if self.skipped_handler {
                self.push(
                    p,
                    Ev::Skipped {
                        name: name.to_string(),
                        pe: false,
                    },
                    Raw::None,
                );
            } else {
                self.push(p, Ev::Default, Self::raw(t, s0, e, ctx));
            }
            return Ok(());
        };
        if ent.open {
            return Err(self.at(t, RECURSIVE_ENTITY_REF, s0, ctx));
        }
        if ent.notation.is_some() {
            return Err(self.at(t, BINARY_ENTITY_REF, s0, ctx));
        }
        let Some(value) = ent.value else {
            if self.ext_handler {
                self.push(
                    p,
                    Ev::ExternalRef {
                        context: Some(name.to_string()),
                        sysid: ent.sysid,
                        pubid: ent.pubid,
                    },
                    Raw::None,
                );
            } else {
                self.push(p, Ev::Default, Self::raw(t, s0, e, ctx));
            }
            return Ok(());
        };
        if !self.expand_internal {
            if self.skipped_handler {
                self.push(
                    p,
                    Ev::Skipped {
                        name: name.to_string(),
                        pe: false,
                    },
                    Raw::None,
                );
            } else {
                self.push(p, Ev::Default, Self::raw(t, s0, e, ctx));
            }
            return Ok(());
        }
        self.set_open(name, true);
        let sub = Ctx::Entity {
            at: p,
            depth: self.stack.len(),
        };
        let saved = std::mem::replace(&mut self.cdata, false);
        let mut i = 0;
        while i < value.len() {
            match tok::content(&value, i, self.cdata, true) {
                Err(Stop::More) => {
                    let code = if self.cdata {
                        UNCLOSED_CDATA_SECTION
                    } else {
                        UNCLOSED_TOKEN
                    };
                    return Err(E::Fail(Fail::Error(code, p)));
                }
                Err(Stop::Err(code, _)) => return Err(E::Fail(Fail::Error(code, p))),
                Ok((tk, e2)) => {
                    self.content_token(&value, tk, i, e2, sub)?;
                    i = e2;
                }
            }
        }
        if self.stack.len()
            != match sub {
                Ctx::Entity { depth, .. } => depth,
                Ctx::Doc => 0,
            }
            || self.cdata
        {
            return Err(E::Fail(Fail::Error(ASYNC_ENTITY, p)));
        }
        self.cdata = saved;
        self.set_open(name, false);
        Ok(())
    }

    fn set_open(&mut self, name: &str, open: bool) {
        if let Some(e) = self.entities.get_mut(name) {
            e.open = open;
        }
    }

    /// An attribute value with references replaced and whitespace normalized.
    fn attr_value(
        &mut self,
        t: &str,
        sp: Span,
        out: &mut String,
        tag: usize,
        ctx: Ctx,
        depth: u32,
    ) -> Result<(), E> {
        let b = t.as_bytes();
        let mut i = sp.0;
        while i < sp.1 {
            match b[i] {
                b'&' => {
                    let (tk, e) = tok::reference(t, i).map_err(|st| match st {
                        Stop::More => E::Fail(self.err(t, INVALID_TOKEN, i, ctx)),
                        s => E::Stop(s),
                    })?;
                    match tk {
                        Tok::CharRef(c) => out.push(c),
                        Tok::EntityRef(n) => {
                            let name = &t[n.0..n.1];
                            match name {
                                "lt" => out.push('<'),
                                "gt" => out.push('>'),
                                "amp" => out.push('&'),
                                "quot" => out.push('"'),
                                "apos" => out.push('\''),
                                _ => match self.entities.get(name).cloned() {
                                    None => {
                                        if self.wfc_entities() {
                                            return Err(self.at(t, UNDEFINED_ENTITY, tag, ctx));
                                        }
                                    }
                                    Some(ent) => {
                                        if ent.open || depth > 40 {
                                            return Err(self.at(t, RECURSIVE_ENTITY_REF, tag, ctx));
                                        }
                                        let Some(v) = ent.value else {
                                            return Err(self.at(
                                                t,
                                                ATTRIBUTE_EXTERNAL_ENTITY_REF,
                                                tag,
                                                ctx,
                                            ));
                                        };
                                        if v.contains('<') {
                                            return Err(self.at(t, INVALID_TOKEN, tag, ctx));
                                        }
                                        self.set_open(name, true);
                                        let sub = match ctx {
                                            Ctx::Doc => {
                                                let p = self.pos(t, tag, ctx);
                                                Ctx::Entity { at: p, depth: 0 }
                                            }
                                            c => c,
                                        };
                                        let r = self.attr_value(
                                            &v,
                                            (0, v.len()),
                                            out,
                                            0,
                                            sub,
                                            depth + 1,
                                        );
                                        self.set_open(name, false);
                                        r?;
                                    }
                                },
                            }
                        }
                        _ => {}
                    }
                    i = e;
                }
                b'\r' => {
                    out.push(' ');
                    i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                }
                b'\n' | b'\t' => {
                    out.push(' ');
                    i += 1;
                }
                _ => {
                    let c = tok::char_at(t, i).unwrap_or(' ');
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments, reason = "one start tag's pieces")]
    fn start_tag(
        &mut self,
        t: &str,
        name: Span,
        attrs: &[tok::AttrTok],
        empty: bool,
        s0: usize,
        e: usize,
        ctx: Ctx,
    ) -> Result<(), E> {
        let qname = s(t, name);
        let mut list: Vec<(String, String)> = Vec::with_capacity(attrs.len());
        for a in attrs {
            let an = &t[a.name.0..a.name.1];
            if list.iter().any(|(n, _)| n == an) {
                return Err(self.at(t, DUPLICATE_ATTRIBUTE, a.name.0, ctx));
            }
            let mut v = String::new();
            self.attr_value(t, a.value, &mut v, s0, ctx, 0)?;
            list.push((an.to_string(), v));
        }
        let nspec = list.len();
        if let Some(defs) = self.attdefs.get(&qname) {
            for d in defs {
                match list.iter_mut().find(|(n, _)| *n == d.name) {
                    Some((_, v)) => {
                        if !d.cdata {
                            *v = v
                                .split(' ')
                                .filter(|x| !x.is_empty())
                                .collect::<Vec<_>>()
                                .join(" ");
                        }
                    }
                    None => {
                        if let Some(dv) = &d.default {
                            list.push((d.name.clone(), dv.clone()));
                        }
                    }
                }
            }
        }
        let p = self.pos(t, s0, ctx);
        let mut nspec = nspec;
        let (ename, nbind) = match self.ns.clone() {
            None => (qname.clone(), 0),
            Some(sep) => {
                let mut nbind = 0;
                let mut kept = Vec::with_capacity(list.len());
                for (i, (n, v)) in list.into_iter().enumerate() {
                    let prefix = if n == "xmlns" {
                        Some(String::new())
                    } else {
                        n.strip_prefix("xmlns:").map(|x| x.to_string())
                    };
                    match prefix {
                        Some(pre) => {
                            if i < nspec {
                                nspec -= 1;
                            }
                            if pre == "xmlns" {
                                return Err(self.at(t, RESERVED_PREFIX_XMLNS, s0, ctx));
                            }
                            if pre == "xml" && v != XML_NS || pre != "xml" && v == XML_NS {
                                return Err(self.at(t, RESERVED_PREFIX_XML, s0, ctx));
                            }
                            if !sep.is_empty() && v.contains(sep.as_str()) {
                                // Expat 2.4.5+: a URI holding the separator would make
                                // expanded names ambiguous.
                                return Err(self.at(t, SYNTAX, s0, ctx));
                            }
                            if v.is_empty() && !pre.is_empty() {
                                return Err(self.at(t, UNDECLARING_PREFIX, s0, ctx));
                            }
                            let prefix = if pre.is_empty() {
                                None
                            } else {
                                Some(pre.clone())
                            };
                            let uri = if v.is_empty() { None } else { Some(v.clone()) };
                            self.push(p, Ev::NsStart { prefix, uri }, Raw::None);
                            self.bindings.push((pre, v));
                            nbind += 1;
                        }
                        None => kept.push((n, v)),
                    }
                }
                let ename = match self.expand(&qname, true, &sep) {
                    Ok(n) => n,
                    Err(Some(k)) => return Err(self.at(t, INVALID_TOKEN, name.0 + k, ctx)),
                    Err(None) => return Err(self.at(t, UNBOUND_PREFIX, s0, ctx)),
                };
                let mut out: Vec<(String, String)> = Vec::with_capacity(kept.len());
                for (i, (n, v)) in kept.into_iter().enumerate() {
                    let en = match self.expand(&n, false, &sep) {
                        Ok(x) => x,
                        Err(Some(k)) => {
                            let at = attrs.get(i).map(|a| a.name.0 + k).unwrap_or(s0);
                            return Err(self.at(t, INVALID_TOKEN, at, ctx));
                        }
                        Err(None) => return Err(self.at(t, UNBOUND_PREFIX, s0, ctx)),
                    };
                    if out.iter().any(|(x, _)| *x == en) {
                        return Err(self.at(t, DUPLICATE_ATTRIBUTE, s0, ctx));
                    }
                    out.push((en, v));
                }
                list = out;
                (ename, nbind)
            }
        };
        self.push(
            p,
            Ev::Start {
                name: ename.clone(),
                attrs: list,
                nspec,
            },
            Self::raw(t, s0, e, ctx),
        );
        self.stack.push(Elem {
            qname,
            name: ename,
            nbind,
        });
        if empty {
            let pe = self.pos(t, e, ctx);
            self.end_element(pe, Raw::None);
            if self.stack.is_empty() && !self.external {
                self.phase = Phase::Epilog;
            }
        }
        Ok(())
    }

    /// A qualified name in namespace form: `Err(Some(k))` for a second colon at byte
    /// `k` of the name, `Err(None)` for an unbound prefix.
    fn expand(&self, q: &str, element: bool, sep: &str) -> Result<String, Option<usize>> {
        let Some(c) = q.find(':') else {
            if element
                && let Some((_, uri)) = self.bindings.iter().rev().find(|(p, _)| p.is_empty())
                && !uri.is_empty()
            {
                return Ok(format!("{uri}{sep}{q}"));
            }
            return Ok(q.to_string());
        };
        if let Some(k) = q[c + 1..].find(':') {
            return Err(Some(c + 1 + k));
        }
        let (pre, local) = (&q[..c], &q[c + 1..]);
        if c == 0 || local.is_empty() {
            return Ok(q.to_string());
        }
        let Some((_, uri)) = self.bindings.iter().rev().find(|(p, _)| p == pre) else {
            return Err(None);
        };
        if self.ns_triplets {
            Ok(format!("{uri}{sep}{local}{sep}{pre}"))
        } else {
            Ok(format!("{uri}{sep}{local}"))
        }
    }

    // ---- prolog, DTD, epilog ---------------------------------------------------------

    fn prolog_step(&mut self, t: &str, fin: bool) -> Result<Option<usize>, E> {
        let i = self.off;
        if i >= t.len() {
            return Err(E::Stop(Stop::More));
        }
        let _ = fin;
        if self.phase == Phase::Epilog && tok::char_at(t, i).is_some_and(super::chars::is_name) {
            return Err(E::Stop(Stop::Err(JUNK_AFTER_DOC_ELEMENT, i)));
        }
        let (tk, e) = match tok::prolog(t, i) {
            Err(Stop::Err(SYNTAX, at)) if self.phase == Phase::Epilog && at == i => {
                return Err(E::Stop(Stop::Err(JUNK_AFTER_DOC_ELEMENT, i)));
            }
            r => r?,
        };
        let p = self.pos(t, i, Ctx::Doc);
        match tk {
            PTok::S => {
                self.push(p, Ev::Default, Raw::Span(i, e));
            }
            PTok::Pi { target, data } => {
                let tg = &t[target.0..target.1];
                if tg.eq_ignore_ascii_case("xml") {
                    if self.at_start
                        && i == 0
                        && matches!(self.phase, Phase::Prolog | Phase::ExtSubset)
                    {
                        self.xml_decl(t, data, i, e)?;
                        return Ok(Some(e));
                    }
                    let code = if self.phase == Phase::Epilog {
                        JUNK_AFTER_DOC_ELEMENT
                    } else {
                        MISPLACED_XML_PI
                    };
                    return Err(E::Stop(Stop::Err(code, i)));
                }
                self.push(
                    p,
                    Ev::Pi {
                        target: tg.to_string(),
                        data: s(t, data),
                    },
                    Raw::Span(i, e),
                );
            }
            PTok::Comment(sp) => {
                self.push(p, Ev::Comment(s(t, sp)), Raw::Span(i, e));
            }
            PTok::Element => match self.phase {
                Phase::Prolog => {
                    self.phase = Phase::Content;
                    if self.use_foreign_dtd && !self.saw_doctype && self.loads_params() {
                        self.push(
                            p,
                            Ev::ExternalRef {
                                context: None,
                                sysid: None,
                                pubid: None,
                            },
                            Raw::None,
                        );
                    }
                    return Ok(None);
                }
                Phase::Epilog => return Err(E::Stop(Stop::Err(JUNK_AFTER_DOC_ELEMENT, i))),
                _ => return Err(E::Stop(Stop::Err(SYNTAX, i))),
            },
            PTok::DeclOpen(sp) => {
                let kw = &t[sp.0..sp.1];
                return match (self.phase, kw) {
                    (Phase::Prolog, "DOCTYPE") if !self.saw_doctype => {
                        self.doctype(t, i, e).map(Some)
                    }
                    (Phase::Subset | Phase::ExtSubset, _) => {
                        self.markup_decl(t, kw, i, e).map(Some)
                    }
                    (Phase::Epilog, _) => Err(E::Stop(Stop::Err(JUNK_AFTER_DOC_ELEMENT, i))),
                    _ => Err(E::Stop(Stop::Err(SYNTAX, i))),
                };
            }
            PTok::PeRef(sp) if matches!(self.phase, Phase::Subset | Phase::ExtSubset) => {
                self.has_param_refs = true;
                if self.standalone != 1 {
                    self.keep_processing = false;
                }
                let known = self.pe_entities.contains_key(&t[sp.0..sp.1]);
                if self.param_parsing != 0 && !known && self.skipped_handler {
                    self.push(
                        p,
                        Ev::Skipped {
                            name: s(t, sp),
                            pe: true,
                        },
                        Raw::None,
                    );
                } else {
                    self.push(p, Ev::Default, Raw::Span(i, e));
                }
                if self.standalone != 1 && self.not_standalone_handler {
                    self.push(p, Ev::NotStandalone, Raw::None);
                }
            }
            PTok::PeRef(_) if self.phase == Phase::Prolog => {
                return Err(E::Stop(Stop::Err(PARAM_ENTITY_REF, i)));
            }
            PTok::Punct(b']') if self.phase == Phase::Subset => {
                let mut parts = vec!["]".to_string()];
                let mut j = e;
                loop {
                    match tok::prolog(t, j)? {
                        (PTok::S, e2) => {
                            parts.push(s(t, (j, e2)));
                            j = e2;
                        }
                        (PTok::Punct(b'>'), e2) => {
                            parts.push(">".into());
                            let p = self.pos(t, j, Ctx::Doc);
                            self.doctype_close(p);
                            self.push(p, Ev::EndDoctype, Raw::Parts(parts));
                            self.phase = Phase::Prolog;
                            return Ok(Some(e2));
                        }
                        _ => return Err(E::Stop(Stop::Err(SYNTAX, j))),
                    }
                }
            }
            _ => {
                let code = if self.phase == Phase::Epilog {
                    JUNK_AFTER_DOC_ELEMENT
                } else {
                    SYNTAX
                };
                return Err(E::Stop(Stop::Err(code, i)));
            }
        }
        Ok(Some(e))
    }

    /// `<?xml version=... encoding=... standalone=...?>`.
    fn xml_decl(&mut self, t: &str, data: Span, s0: usize, e: usize) -> Result<(), E> {
        let b = t.as_bytes();
        let mut i = data.0;
        let mut vals: Vec<(String, String)> = Vec::new();
        let bad = |at: usize| E::Stop(Stop::Err(XML_DECL, at));
        while i < data.1 {
            while i < data.1 && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= data.1 {
                break;
            }
            let ns = i;
            while i < data.1 && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            let n = &t[ns..i];
            let expect = match vals.len() {
                0 if self.external => ["version", "encoding"].contains(&n),
                0 => n == "version",
                _ => {
                    let last = vals.last().map(|x| x.0.as_str()).unwrap_or("");
                    (n == "encoding" && last == "version")
                        || (n == "standalone" && last != "standalone")
                }
            };
            if !expect {
                return Err(bad(ns));
            }
            while i < data.1 && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= data.1 || b[i] != b'=' {
                return Err(bad(i));
            }
            i += 1;
            while i < data.1 && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= data.1 || (b[i] != b'"' && b[i] != b'\'') {
                return Err(bad(i));
            }
            let q = b[i];
            let vs = i + 1;
            let Some(k) = t[vs..data.1].find(q as char) else {
                return Err(bad(i));
            };
            vals.push((n.to_string(), t[vs..vs + k].to_string()));
            i = vs + k + 1;
            if i < data.1 && !b[i].is_ascii_whitespace() {
                return Err(bad(i));
            }
        }
        if vals.is_empty() && !self.external {
            return Err(bad(data.0));
        }
        let get = |k: &str| vals.iter().find(|x| x.0 == k).map(|x| x.1.clone());
        let standalone = match get("standalone").as_deref() {
            None => -1,
            Some("yes") => 1,
            Some("no") => 0,
            Some(_) => return Err(bad(data.0)),
        };
        self.standalone = standalone;
        let encoding = get("encoding");
        let p = self.pos(t, s0, Ctx::Doc);
        self.push(
            p,
            Ev::XmlDecl {
                version: get("version"),
                encoding: encoding.clone(),
                standalone,
            },
            Raw::Span(s0, e),
        );
        if self.dec.declared(encoding.as_deref()).is_err() {
            self.pending_encoding = encoding;
        }
        Ok(())
    }

    /// The prolog tokens from `i` up to one of `ends` (included).
    fn decl_tokens(t: &str, mut i: usize, ends: &[u8]) -> Result<(Vec<(PTok, Span)>, usize), E> {
        let mut out = Vec::new();
        loop {
            let (tk, e) = tok::prolog(t, i)?;
            let stop = matches!(tk, PTok::Punct(c) if ends.contains(&c));
            if matches!(
                tk,
                PTok::DeclOpen(_) | PTok::Element | PTok::Pi { .. } | PTok::Comment(_)
            ) {
                return Err(E::Stop(Stop::Err(SYNTAX, i)));
            }
            out.push((tk, (i, e)));
            i = e;
            if stop {
                return Ok((out, e));
            }
        }
    }

    fn doctype(&mut self, t: &str, s0: usize, e0: usize) -> Result<usize, E> {
        let (toks, end) = Self::decl_tokens(t, e0, b"[>")?;
        let mut parts = vec![s(t, (s0, e0))];
        let mut sig: Vec<(&PTok, Span)> = Vec::new();
        for (tk, sp) in &toks {
            parts.push(s(t, *sp));
            if !matches!(tk, PTok::S) {
                sig.push((tk, *sp));
            }
        }
        let syntax = |sp: Span| E::Stop(Stop::Err(SYNTAX, sp.0));
        let mut k = 0;
        let name = match sig.first() {
            Some((PTok::Name, sp)) => s(t, *sp),
            Some((_, sp)) => return Err(syntax(*sp)),
            None => return Err(syntax((end, end))),
        };
        k += 1;
        let (mut sysid, mut pubid) = (None, None);
        if let Some((PTok::Name, sp)) = sig.get(k) {
            match &t[sp.0..sp.1] {
                "SYSTEM" => match sig.get(k + 1) {
                    Some((PTok::Literal, l)) => {
                        sysid = Some(unquote(t, *l));
                        k += 2;
                    }
                    _ => return Err(syntax(*sp)),
                },
                "PUBLIC" => match (sig.get(k + 1), sig.get(k + 2)) {
                    (Some((PTok::Literal, l1)), Some((PTok::Literal, l2))) => {
                        pubid = Some(unquote(t, *l1));
                        sysid = Some(unquote(t, *l2));
                        k += 3;
                    }
                    _ => return Err(syntax(*sp)),
                },
                _ => return Err(syntax(*sp)),
            }
            self.has_param_refs = true;
        }
        let internal = match sig.get(k) {
            Some((PTok::Punct(b'['), _)) => true,
            Some((PTok::Punct(b'>'), _)) => false,
            Some((_, sp)) => return Err(syntax(*sp)),
            None => return Err(syntax((end, end))),
        };
        if !internal {
            parts.pop();
        }
        self.saw_doctype = true;
        let p = self.pos(t, sig[k].1.0, Ctx::Doc);
        if sysid.is_some() {
            self.ext_subset = Some((sysid.clone(), pubid.clone()));
            if self.standalone != 1 && self.not_standalone_handler {
                self.push(p, Ev::NotStandalone, Raw::None);
            }
        }
        self.push(
            p,
            Ev::StartDoctype {
                name,
                sysid,
                pubid,
                internal,
            },
            Raw::Parts(parts),
        );
        if internal {
            self.phase = Phase::Subset;
        } else {
            let pe = self.pos(t, end - 1, Ctx::Doc);
            self.doctype_close(pe);
            self.push(pe, Ev::EndDoctype, Raw::Parts(vec![">".into()]));
        }
        Ok(end)
    }

    /// An entity value literal: character references replaced.
    fn entity_value(&mut self, t: &str, sp: Span) -> Result<String, E> {
        let b = t.as_bytes();
        let mut out = String::new();
        let mut i = sp.0 + 1;
        let end = sp.1 - 1;
        while i < end {
            if b[i] == b'&' {
                let (tk, e) = tok::reference(t, i).map_err(|st| match st {
                    Stop::More => E::Stop(Stop::Err(INVALID_TOKEN, i)),
                    s => E::Stop(s),
                })?;
                match tk {
                    Tok::CharRef(c) => out.push(c),
                    _ => out.push_str(&t[i..e]),
                }
                i = e;
            } else if b[i] == b'%' {
                return Err(E::Stop(Stop::Err(SYNTAX, i)));
            } else {
                let c = tok::char_at(t, i).unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
        Ok(out)
    }

    fn markup_decl(&mut self, t: &str, kw: &str, s0: usize, e0: usize) -> Result<usize, E> {
        let (toks, end) = Self::decl_tokens(t, e0, b">")?;
        let mut parts = vec![s(t, (s0, e0))];
        let mut sig: Vec<(&PTok, Span)> = Vec::new();
        for (tk, sp) in &toks {
            parts.push(s(t, *sp));
            if !matches!(tk, PTok::S) {
                sig.push((tk, *sp));
            }
        }
        let close = sig.last().map(|x| x.1.0).unwrap_or(s0);
        let syntax =
            |k: usize| E::Stop(Stop::Err(SYNTAX, sig.get(k).map(|x| x.1.0).unwrap_or(end)));
        let is_name = |k: usize| matches!(sig.get(k), Some((PTok::Name, _)));
        let txt = |k: usize| sig.get(k).map(|x| &t[x.1.0..x.1.1]).unwrap_or("");
        let lit = |k: usize| match sig.get(k) {
            Some((PTok::Literal, sp)) => Some(unquote(t, *sp)),
            _ => None,
        };
        let raw = Raw::Parts(parts);
        match kw {
            "ENTITY" => {
                let mut k = 0;
                let pe = matches!(sig.first(), Some((PTok::Punct(b'%'), _)));
                if pe {
                    k += 1;
                }
                if !is_name(k) {
                    return Err(syntax(k));
                }
                let name = txt(k).to_string();
                k += 1;
                let mut ent = Entity {
                    value: None,
                    sysid: None,
                    pubid: None,
                    notation: None,
                    open: false,
                };
                match sig.get(k) {
                    Some((PTok::Literal, sp)) => {
                        ent.value = Some(self.entity_value(t, *sp)?);
                        k += 1;
                    }
                    Some((PTok::Name, _)) if txt(k) == "SYSTEM" => {
                        ent.sysid = Some(lit(k + 1).ok_or_else(|| syntax(k + 1))?);
                        k += 2;
                    }
                    Some((PTok::Name, _)) if txt(k) == "PUBLIC" => {
                        ent.pubid = Some(lit(k + 1).ok_or_else(|| syntax(k + 1))?);
                        ent.sysid = Some(lit(k + 2).ok_or_else(|| syntax(k + 2))?);
                        k += 3;
                    }
                    _ => return Err(syntax(k)),
                }
                if ent.value.is_none() && !pe && txt(k) == "NDATA" {
                    if !is_name(k + 1) {
                        return Err(syntax(k + 1));
                    }
                    ent.notation = Some(txt(k + 1).to_string());
                    k += 2;
                }
                if !matches!(sig.get(k), Some((PTok::Punct(b'>'), _))) {
                    return Err(syntax(k));
                }
                let at = if ent.value.is_some() {
                    sig[if pe { 2 } else { 1 }].1.0
                } else {
                    close
                };
                let p = self.pos(t, at, Ctx::Doc);
                let table = if pe {
                    &mut self.pe_entities
                } else {
                    &mut self.entities
                };
                if self.keep_processing && !table.contains_key(&name) {
                    table.insert(name.clone(), ent.clone());
                    self.push(
                        p,
                        Ev::EntityDecl {
                            name,
                            pe,
                            value: ent.value,
                            sysid: ent.sysid,
                            pubid: ent.pubid,
                            notation: ent.notation,
                        },
                        raw,
                    );
                } else {
                    self.push(p, Ev::Default, raw);
                }
            }
            "NOTATION" => {
                if !is_name(0) {
                    return Err(syntax(0));
                }
                let name = txt(0).to_string();
                let (sysid, pubid, k) = match txt(1) {
                    "SYSTEM" => (Some(lit(2).ok_or_else(|| syntax(2))?), None, 3),
                    "PUBLIC" => {
                        let pubid = lit(2).ok_or_else(|| syntax(2))?;
                        match lit(3) {
                            Some(sy) => (Some(sy), Some(pubid), 4),
                            None => (None, Some(pubid), 3),
                        }
                    }
                    _ => return Err(syntax(1)),
                };
                if !matches!(sig.get(k), Some((PTok::Punct(b'>'), _))) {
                    return Err(syntax(k));
                }
                let p = self.pos(t, sig[k - 1].1.0, Ctx::Doc);
                self.push(p, Ev::NotationDecl { name, sysid, pubid }, raw);
            }
            "ELEMENT" => {
                if !is_name(0) {
                    return Err(syntax(0));
                }
                let name = txt(0).to_string();
                let toks: Vec<(&PTok, &str)> = sig[1..]
                    .iter()
                    .map(|(tk, sp)| (*tk, &t[sp.0..sp.1]))
                    .collect();
                let (model, k) = match toks.first() {
                    Some((PTok::Name, "EMPTY")) => (
                        Model {
                            ty: 1,
                            quant: 0,
                            name: None,
                            children: vec![],
                        },
                        1,
                    ),
                    Some((PTok::Name, "ANY")) => (
                        Model {
                            ty: 2,
                            quant: 0,
                            name: None,
                            children: vec![],
                        },
                        1,
                    ),
                    Some((PTok::Punct(b'('), _)) => match parse_group(&toks, 0, 0) {
                        Some(x) => x,
                        None => return Err(syntax(1)),
                    },
                    _ => return Err(syntax(1)),
                };
                if !matches!(toks.get(k), Some((PTok::Punct(b'>'), _))) {
                    return Err(syntax(k + 1));
                }
                let mut last = k;
                if last >= 2
                    && matches!(
                        toks.get(last - 1),
                        Some((PTok::Punct(b'?' | b'*' | b'+'), _))
                    )
                {
                    last -= 1;
                }
                let p = self.pos(t, sig[last].1.0, Ctx::Doc);
                self.push(p, Ev::ElementDecl { name, model }, raw);
            }
            "ATTLIST" => {
                if !is_name(0) {
                    return Err(syntax(0));
                }
                let el = txt(0).to_string();
                let mut k = 1;
                let mut evs = Vec::new();
                while !matches!(sig.get(k), Some((PTok::Punct(b'>'), _))) {
                    if !is_name(k) {
                        return Err(syntax(k));
                    }
                    let att = txt(k).to_string();
                    k += 1;
                    let mut ty = String::new();
                    if is_name(k) {
                        ty.push_str(txt(k));
                        let notation = txt(k) == "NOTATION";
                        k += 1;
                        if notation && !matches!(sig.get(k), Some((PTok::Punct(b'('), _))) {
                            return Err(syntax(k));
                        }
                    }
                    if matches!(sig.get(k), Some((PTok::Punct(b'('), _))) {
                        loop {
                            ty.push_str(txt(k));
                            k += 1;
                            if matches!(sig.get(k - 1), Some((PTok::Punct(b')'), _))) {
                                break;
                            }
                            if sig.get(k).is_none() {
                                return Err(syntax(k));
                            }
                        }
                    }
                    if ty.is_empty() {
                        return Err(syntax(k));
                    }
                    let (default, required) = match sig.get(k) {
                        Some((PTok::PoundName, _)) if txt(k) == "#REQUIRED" => {
                            k += 1;
                            (None, true)
                        }
                        Some((PTok::PoundName, _)) if txt(k) == "#IMPLIED" => {
                            k += 1;
                            (None, false)
                        }
                        Some((PTok::PoundName, _)) if txt(k) == "#FIXED" => {
                            let Some((_, sp)) =
                                sig.get(k + 1).filter(|x| matches!(x.0, PTok::Literal))
                            else {
                                return Err(syntax(k + 1));
                            };
                            k += 2;
                            let mut v = String::new();
                            self.attr_value(t, (sp.0 + 1, sp.1 - 1), &mut v, sp.0, Ctx::Doc, 0)?;
                            (Some(v), true)
                        }
                        Some((PTok::Literal, sp)) => {
                            let sp = *sp;
                            k += 1;
                            let mut v = String::new();
                            self.attr_value(t, (sp.0 + 1, sp.1 - 1), &mut v, sp.0, Ctx::Doc, 0)?;
                            (Some(v), false)
                        }
                        _ => return Err(syntax(k)),
                    };
                    evs.push((att, ty, default, required, sig[k - 1].1.0));
                }
                let mut raw = Some(raw);
                for (att, ty, default, required, at) in evs {
                    let p = self.pos(t, at, Ctx::Doc);
                    if self.keep_processing {
                        let defs = self.attdefs.entry(el.clone()).or_default();
                        if !defs.iter().any(|d| d.name == att) {
                            defs.push(AttDef {
                                name: att.clone(),
                                cdata: ty == "CDATA",
                                default: default.clone(),
                            });
                        }
                    }
                    let r = raw.take().unwrap_or(Raw::None);
                    self.push(
                        p,
                        Ev::AttlistDecl {
                            el: el.clone(),
                            att,
                            ty,
                            default,
                            required,
                        },
                        r,
                    );
                }
                if let Some(r) = raw {
                    let p = self.pos(t, close, Ctx::Doc);
                    self.push(p, Ev::Default, r);
                }
            }
            _ => return Err(E::Stop(Stop::Err(SYNTAX, s0))),
        }
        Ok(end)
    }
}

/// Content models nested deeper than this are not built (CPython's conversion to
/// tuples would hit the recursion limit long before).
const MAX_MODEL_DEPTH: usize = 5000;
/// `Model::ty` of a model nested deeper than `MAX_MODEL_DEPTH`.
pub const TOO_DEEP: u8 = 255;

/// A content model group at `toks[k]` (a `(`): the model and the index after it.
fn parse_group(toks: &[(&PTok, &str)], k: usize, depth: usize) -> Option<(Model, usize)> {
    if depth > MAX_MODEL_DEPTH {
        // Too deep to convert to nested tuples: a marker the caller reports as
        // CPython does (RecursionError), without recursing further here.
        return Some((
            Model {
                ty: TOO_DEEP,
                quant: 0,
                name: None,
                children: vec![],
            },
            toks.len().saturating_sub(1),
        ));
    }
    let mut k = k + 1;
    if let Some((PTok::PoundName, "#PCDATA")) = toks.get(k) {
        k += 1;
        let mut children = Vec::new();
        while let Some((PTok::Punct(b'|'), _)) = toks.get(k) {
            match toks.get(k + 1) {
                Some((PTok::Name, n)) => children.push(Model {
                    ty: 4,
                    quant: 0,
                    name: Some(n.to_string()),
                    children: vec![],
                }),
                _ => return None,
            }
            k += 2;
        }
        if !matches!(toks.get(k), Some((PTok::Punct(b')'), _))) {
            return None;
        }
        k += 1;
        let quant = if let Some((PTok::Punct(b'*'), _)) = toks.get(k) {
            k += 1;
            2
        } else {
            if !children.is_empty() {
                return None;
            }
            0
        };
        return Some((
            Model {
                ty: 3,
                quant,
                name: None,
                children,
            },
            k,
        ));
    }
    let mut children = Vec::new();
    let mut sep = 0u8;
    loop {
        let (mut m, k2) = match toks.get(k) {
            Some((PTok::Name, n)) => (
                Model {
                    ty: 4,
                    quant: 0,
                    name: Some(n.to_string()),
                    children: vec![],
                },
                k + 1,
            ),
            Some((PTok::Punct(b'('), _)) => {
                let (m, k2) = parse_group(toks, k, depth + 1)?;
                if m.ty == TOO_DEEP {
                    return Some((m, k2));
                }
                (m, k2)
            }
            _ => return None,
        };
        k = k2;
        if m.ty == 4 {
            m.quant = quant(toks, &mut k);
        }
        children.push(m);
        match toks.get(k) {
            Some((PTok::Punct(b')'), _)) => {
                k += 1;
                break;
            }
            Some((PTok::Punct(c @ (b'|' | b',')), _)) => {
                if sep != 0 && sep != *c {
                    return None;
                }
                sep = *c;
                k += 1;
            }
            _ => return None,
        }
    }
    let q = quant(toks, &mut k);
    let ty = if sep == b'|' { 5 } else { 6 };
    Some((
        Model {
            ty,
            quant: q,
            name: None,
            children,
        },
        k,
    ))
}

fn quant(toks: &[(&PTok, &str)], k: &mut usize) -> u8 {
    let q = match toks.get(*k) {
        Some((PTok::Punct(b'?'), _)) => 1,
        Some((PTok::Punct(b'*'), _)) => 2,
        Some((PTok::Punct(b'+'), _)) => 3,
        _ => return 0,
    };
    *k += 1;
    q
}

/// A step's failure inside the engine: a tokenizer stop (positioned by buffer
/// offset) or an already positioned failure.
enum E {
    Stop(Stop),
    Fail(Fail),
}

impl From<Stop> for E {
    fn from(s: Stop) -> E {
        E::Stop(s)
    }
}
