//! `_io.TextIOWrapper`: text over a buffered binary stream (encoding, errors, newline
//! translation, line buffering, `tell`/`seek` by byte position), and the standard
//! streams built from it. `print` writes straight into a native wrapper's buffer.
use super::buffered::{is_native_buffered, with_buf_state};
use super::codec::{self, Codec};
use super::newline::NlDecoder;
use super::{
    IoLock, IoTypes, Native, add_methods, add_property, call_method, closed_error, int_arg,
    io_types, method_pos, parse_args, set_state, size_arg, state_of, truthy_method, uninitialized,
    unsupported,
};
use crate::builtins::type_name;
use crate::types::bytes::BytesObj;
use crate::types::str::{as_str, new_str, new_string};
use crate::value::Value;
use crate::vm::{Args, PyErr, PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// Bytes asked of the buffer per decoding step (CPython's `_CHUNK_SIZE`).
const CHUNK_SIZE: usize = 8192;

pub struct TextState {
    /// The binary stream, NULL once detached.
    buffer: Value,
    /// The buffer's state object when it is exactly a native buffered class (then it
    /// is driven without method calls), else NULL.
    bstate: Value,
    encoding: String,
    codec: Codec,
    errors: String,
    line_buffering: bool,
    write_through: bool,
    readable: bool,
    writable: bool,
    seekable: bool,
    telling: bool,
    has_read1: bool,
    chunk_size: usize,
    /// Universal newlines on input (newline None or "").
    universal: bool,
    /// Line ending looked for when not universal ("\n", "\r" or "\r\n").
    readnl: &'static str,
    /// What "\n" becomes on output (None: unchanged).
    writenl: Option<&'static str>,
    nl: NlDecoder,
    /// Input bytes read but not decoded yet (an incomplete UTF-8 sequence).
    carry: Vec<u8>,
    /// The decoded text of the last chunk and how much of it was consumed.
    decoded: String,
    dpos: usize,
    /// The bytes `decoded` came from, and whether a "\r" held back from the chunk
    /// before starts it (for `tell`).
    chunk: Vec<u8>,
    cr_in: bool,
    /// UTF-16/32: the input's byte order (-1, 1; 0 before a "utf-16" BOM was read),
    /// and the bytes of the BOM at the start of `chunk`.
    wide_order: i32,
    chunk_bom: usize,
    /// "utf-16"/"utf-32": the next write starts with a BOM (at the stream's start).
    bom_pending: bool,
    /// A read happened (reconfigure may no longer change encoding or newline).
    read_started: bool,
    /// Buffer state objects this wrapper used before (detach, re-init): kept alive as
    /// long as the wrapper, since the print fast path may still be reading one.
    retired: Vec<Value>,
}

/// `IoLock::bits` of a TextIOWrapper: print may write straight into the buffer.
const FAST: u32 = 1;
const FAST_LINE_BUFFERING: u32 = 2;
const FAST_WRITE_THROUGH: u32 = 4;

impl TextState {
    /// The print fast path's view of this state (published after every locked
    /// operation): UTF-8 with no newline translation into a native buffer, and no
    /// read-ahead to discard.
    fn fast_bits(&self) -> u32 {
        if self.bstate.is_null()
            || !self.writable
            || self.codec != Codec::Utf8
            || self.writenl.is_some()
            || !self.decoded.is_empty()
            || !self.carry.is_empty()
        {
            return 0;
        }
        FAST | if self.line_buffering {
            FAST_LINE_BUFFERING
        } else {
            0
        } | if self.write_through {
            FAST_WRITE_THROUGH
        } else {
            0
        }
    }
}

/// Publish the fast-path view of a text state (called with its lock held).
fn publish(l: &IoLock<TextState>, s: &TextState) {
    use std::sync::atomic::Ordering;
    l.aux.store(s.bstate.raw().0, Ordering::Relaxed);
    l.bits.store(s.fast_bits(), Ordering::Release);
}

// SAFETY: `buffer` is only used by the thread holding the state's lock; objects are
// reference counted atomically by non-owner threads.
unsafe impl Send for TextState {}

pub fn install(io: &IoTypes) {
    let t = &io.text_io_wrapper;
    add_methods(
        t,
        &[
            ("__init__", init),
            ("read", read),
            ("readline", readline),
            ("write", write),
            ("flush", flush),
            ("close", close),
            ("detach", detach),
            ("seek", seek),
            ("tell", tell),
            ("truncate", truncate),
            ("reconfigure", reconfigure),
            ("fileno", |vm, a| delegate(vm, a, "fileno")),
            ("isatty", |vm, a| delegate(vm, a, "isatty")),
            ("seekable", |vm, a| delegate(vm, a, "seekable")),
            ("readable", |vm, a| delegate(vm, a, "readable")),
            ("writable", |vm, a| delegate(vm, a, "writable")),
            ("__next__", next),
            ("__repr__", repr),
        ],
    );
    add_property(
        t,
        "encoding",
        |vm, a| prop(vm, a, |s| new_str(&s.encoding)),
        None,
    );
    add_property(
        t,
        "errors",
        |vm, a| prop(vm, a, |s| new_str(&s.errors)),
        None,
    );
    add_property(
        t,
        "line_buffering",
        |vm, a| prop(vm, a, |s| Value::bool(s.line_buffering)),
        None,
    );
    add_property(
        t,
        "write_through",
        |vm, a| prop(vm, a, |s| Value::bool(s.write_through)),
        None,
    );
    add_property(
        t,
        "buffer",
        |vm, a| prop(vm, a, |s| buffer_or_none(&s.buffer)),
        None,
    );
    add_property(
        t,
        "newlines",
        |vm, a| {
            prop(vm, a, |s| {
                if s.universal {
                    s.nl.newlines()
                } else {
                    Value::none()
                }
            })
        },
        None,
    );
    add_property(
        t,
        "_CHUNK_SIZE",
        |vm, a| prop(vm, a, |s| Value::int(s.chunk_size as i64)),
        Some(set_chunk_size),
    );
    add_property(t, "closed", |vm, a| buffer_attr(vm, a, "closed"), None);
    add_property(t, "name", |vm, a| buffer_attr(vm, a, "name"), None);
}

fn buffer_or_none(v: &Value) -> Value {
    if v.is_null() {
        Value::none()
    } else {
        v.clone()
    }
}

fn with<R>(
    vm: &mut Vm,
    obj: &Value,
    f: impl FnOnce(&mut Vm, &mut TextState) -> PyResult<R>,
) -> PyResult<R> {
    let Some(st) = state_of(obj) else {
        return Err(uninitialized(vm));
    };
    let Some(super::IoStateObj { s: Native::Text(l) }) = st.downcast_exact::<super::IoStateObj>()
    else {
        return Err(uninitialized(vm));
    };
    let mut g = l.lock(vm, obj)?;
    let r = f(vm, &mut g);
    publish(l, &g);
    r
}

fn prop(vm: &mut Vm, a: &Args, f: impl FnOnce(&TextState) -> Value) -> PyResult<Value> {
    let slf = super::this(vm, a, "property")?;
    with(vm, slf, |vm, s| {
        s.attached(vm)?;
        Ok(f(s))
    })
}

fn set_chunk_size(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "_CHUNK_SIZE", a, 1, 1)?;
    let n = crate::ops::to_isize(vm, &r[0])?;
    if n <= 0 {
        return Err(vm.value_error("a strictly positive integer is required"));
    }
    with(vm, slf, |_, s| {
        s.chunk_size = n as usize;
        Ok(())
    })?;
    Ok(Value::none())
}

fn buffer_attr(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let slf = super::this(vm, a, name)?;
    let b = with(vm, slf, |vm, s| s.attached(vm))?;
    crate::ops::getattr_str(vm, &b, name)
}

fn delegate(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, name, a, 0, 0)?;
    let b = with(vm, slf, |vm, s| s.attached(vm))?;
    call_method(vm, &b, name, &[])
}

// ---- construction ------------------------------------------------------------------

/// The encoding CPython picks for `encoding=None` / "locale" (the locale's, UTF-8
/// under the UTF-8 locales stitch assumes).
const LOCALE_ENCODING: &str = "UTF-8";

struct Config {
    encoding: String,
    codec: Codec,
    errors: String,
    newline: Option<&'static str>,
    line_buffering: bool,
    write_through: bool,
}

fn str_or_none(
    vm: &mut Vm,
    v: Option<&Value>,
    what: &str,
    fname: &str,
) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match as_str(v) {
            Some(s) => Ok(Some(s.to_string())),
            None => {
                let tn = type_name(v);
                Err(vm.type_error(format!(
                    "{fname}() argument '{what}' must be str or None, not {tn}"
                )))
            }
        },
    }
}

fn resolve_encoding(vm: &mut Vm, enc: Option<String>) -> PyResult<(String, Codec)> {
    let name = match enc.as_deref() {
        None | Some("locale") => LOCALE_ENCODING.to_string(),
        Some(e) => e.to_string(),
    };
    match Codec::lookup(&name) {
        Some(c) => Ok((name, c)),
        None => Err(vm.err(types().lookup_error, format!("unknown encoding: {name}"))),
    }
}

fn newline_value(vm: &mut Vm, v: Option<&Value>) -> PyResult<Option<&'static str>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let Some(s) = as_str(v) else {
        let tn = type_name(v);
        return Err(vm.type_error(format!(
            "TextIOWrapper() argument 'newline' must be str or None, not {tn}"
        )));
    };
    match s {
        "" => Ok(Some("")),
        "\n" => Ok(Some("\n")),
        "\r" => Ok(Some("\r")),
        "\r\n" => Ok(Some("\r\n")),
        _ => Err(vm.value_error(format!("illegal newline value: {s}"))),
    }
}

impl TextState {
    fn new(buffer: Value, c: Config, caps: (bool, bool, bool, bool)) -> TextState {
        let (readable, writable, seekable, has_read1) = caps;
        let bstate = if is_native_buffered(&buffer) {
            state_of(&buffer).unwrap_or(Value::NULL)
        } else {
            Value::NULL
        };
        let mut s = TextState {
            buffer,
            bstate,
            encoding: String::new(),
            codec: Codec::Utf8,
            errors: String::new(),
            line_buffering: false,
            write_through: false,
            readable,
            writable,
            seekable,
            telling: seekable,
            has_read1,
            chunk_size: CHUNK_SIZE,
            universal: true,
            readnl: "\n",
            writenl: None,
            nl: NlDecoder::new(true),
            carry: Vec::new(),
            decoded: String::new(),
            dpos: 0,
            chunk: Vec::new(),
            cr_in: false,
            wide_order: 0,
            chunk_bom: 0,
            bom_pending: false,
            read_started: false,
            retired: Vec::new(),
        };
        s.configure(c);
        s
    }

    fn configure(&mut self, c: Config) {
        self.encoding = c.encoding;
        if self.codec != c.codec {
            self.wide_order = 0;
            self.bom_pending = c.codec.has_bom();
        }
        self.codec = c.codec;
        self.errors = c.errors;
        self.line_buffering = c.line_buffering;
        self.write_through = c.write_through;
        self.universal = matches!(c.newline, None | Some(""));
        self.readnl = match c.newline {
            Some(n) if !n.is_empty() => n,
            _ => "\n",
        };
        self.writenl = match c.newline {
            None | Some("\n") | Some("") => None,
            Some(n) => Some(n),
        };
        self.nl = NlDecoder::new(c.newline.is_none());
    }

    fn attached(&self, vm: &mut Vm) -> PyResult<Value> {
        if self.buffer.is_null() {
            return Err(vm.value_error("underlying buffer has been detached"));
        }
        Ok(self.buffer.clone())
    }

    fn check_closed(&self, vm: &mut Vm) -> PyResult<Value> {
        let b = self.attached(vm)?;
        let closed = if self.bstate.is_null() {
            super::iobase::is_closed(vm, &b)?
        } else {
            with_buf_state(vm, &self.bstate, |vm, bs| {
                let raw = bs.raw.clone();
                if raw.obj.is_null() {
                    return Err(vm.value_error("raw stream has been detached"));
                }
                super::buffered::raw_closed(vm, &raw)
            })?
        };
        if closed {
            return Err(closed_error(vm, true));
        }
        Ok(b)
    }

    /// A "utf-16"/"utf-32" stream opened (or reconfigured) away from its start writes
    /// no BOM, as CPython's TextIOWrapper sets its encoder's state then.
    fn after_configure(&mut self, vm: &mut Vm) -> PyResult<()> {
        if self.bom_pending && self.seekable && self.writable {
            let buffer = self.attached(vm)?;
            let pos = call_method(vm, &buffer, "tell", &[])?;
            if pos.as_small_int() != Some(0) {
                self.bom_pending = false;
            }
        }
        Ok(())
    }

    fn reset_decoder(&mut self) {
        self.carry.clear();
        self.decoded.clear();
        self.dpos = 0;
        self.chunk.clear();
        self.cr_in = false;
        self.nl.pendingcr = false;
    }

    // ---- writing ---------------------------------------------------------------------

    /// Write `s` (a str whose U+10F000.. stand-ins denote lone surrogates when `surr`
    /// is set: those go through the codec machinery, which applies `errors`).
    fn write(&mut self, vm: &mut Vm, s: &str, surr: bool) -> PyResult<()> {
        if self.bstate.is_null() || !self.writable {
            self.check_closed(vm)?;
        }
        if !self.writable {
            return Err(unsupported(vm, "not writable"));
        }
        let translated;
        let mut text = s;
        if let Some(nl) = self.writenl
            && text.contains('\n')
        {
            translated = text.replace('\n', nl);
            text = &translated;
        }
        let needflush = self.line_buffering && (text.contains('\n') || text.contains('\r'));
        let bytes;
        let encoded;
        let data: &[u8] = if surr {
            encoded =
                crate::modules::codecs::encode_text(vm, text, true, &self.encoding, &self.errors)?;
            match encoded.downcast::<BytesObj>() {
                Some(b) => &b.data,
                None => &[],
            }
        } else if matches!(self.codec, Codec::Utf16(_) | Codec::Utf32(_)) {
            bytes = codec::encode_wide(self.codec, text, self.bom_pending);
            self.bom_pending = false;
            &bytes
        } else if self.codec == Codec::Utf8 || text.is_ascii() {
            text.as_bytes()
        } else {
            bytes = codec::encode(vm, self.codec, text, &self.errors)?;
            &bytes
        };
        if !self.decoded.is_empty() || !self.carry.is_empty() {
            self.reset_decoder();
        }
        if !self.bstate.is_null() {
            let through = self.write_through;
            with_buf_state(vm, &self.bstate, |vm, b| {
                // The closed check of the buffer's raw stream, under the one lock.
                if b.raw_closed_now(vm)? {
                    return Err(closed_error(vm, true));
                }
                b.write(vm, data)?;
                if needflush || through {
                    b.flush_writes(vm)?;
                }
                Ok(())
            })?;
        } else {
            let buffer = self.attached(vm)?;
            call_method(vm, &buffer, "write", &[BytesObj::new_value(data.to_vec())])?;
            if needflush || self.write_through {
                call_method(vm, &buffer, "flush", &[])?;
            }
        }
        Ok(())
    }

    fn flush(&mut self, vm: &mut Vm) -> PyResult<()> {
        let buffer = self.check_closed(vm)?;
        self.telling = self.seekable;
        if !self.bstate.is_null() {
            with_buf_state(vm, &self.bstate, |vm, b| b.flush_writes(vm))
        } else {
            call_method(vm, &buffer, "flush", &[]).map(|_| ())
        }
    }

    // ---- reading ---------------------------------------------------------------------

    fn check_readable(&self, vm: &mut Vm) -> PyResult<Value> {
        let b = self.check_closed(vm)?;
        if !self.readable {
            return Err(unsupported(vm, "not readable"));
        }
        Ok(b)
    }

    /// Bytes from the buffer: one `read1` (or `read`) of `n`.
    fn read_input(&mut self, vm: &mut Vm, buffer: &Value, n: i64) -> PyResult<Vec<u8>> {
        if !self.bstate.is_null() {
            return with_buf_state(vm, &self.bstate, |vm, b| {
                if n < 0 {
                    Ok(b.read(vm, -1)?.unwrap_or_default())
                } else {
                    b.read1(vm, n)
                }
            });
        }
        let method = if n >= 0 && self.has_read1 {
            "read1"
        } else {
            "read"
        };
        let r = call_method(vm, buffer, method, &[Value::int(n)])?;
        if r.is_none() {
            return Ok(Vec::new());
        }
        match crate::types::bytes::as_bytes(&r) {
            Some(b) => Ok(b),
            None => {
                let tn = type_name(&r);
                Err(vm.type_error(format!(
                    "underlying {method}() should have returned a bytes-like object, not '{tn}'"
                )))
            }
        }
    }

    /// Decode `input` (after the carried bytes); the new text replaces `decoded`.
    fn decode_chunk(&mut self, vm: &mut Vm, new: &[u8], eof: bool) -> PyResult<()> {
        let mut input = std::mem::take(&mut self.carry);
        input.extend_from_slice(new);
        let (text, left) = if matches!(self.codec, Codec::Utf16(_) | Codec::Utf32(_)) {
            let before = self.wide_order;
            let (text, used) = codec::decode_wide(
                vm,
                self.codec,
                &input,
                &self.errors,
                &mut self.wide_order,
                eof,
            )?;
            self.chunk_bom = if self.codec.has_bom() && before == 0 && self.wide_order != 0 {
                self.codec.unit()
            } else {
                0
            };
            (text, input.len() - used)
        } else {
            codec::decode(vm, self.codec, &input, &self.errors, eof)?
        };
        self.cr_in = self.universal && self.nl.pendingcr;
        let text = if self.universal {
            self.nl.decode(&text, eof)
        } else {
            text
        };
        let keep = input.len() - left;
        self.carry = input[keep..].to_vec();
        input.truncate(keep);
        self.chunk = input;
        self.decoded = text;
        self.dpos = 0;
        self.read_started = true;
        Ok(())
    }

    /// Read and decode the next chunk. False at end of input.
    fn read_chunk(&mut self, vm: &mut Vm, buffer: &Value) -> PyResult<bool> {
        let n = self.chunk_size as i64;
        let new = self.read_input(vm, buffer, n)?;
        let eof = new.is_empty();
        self.decode_chunk(vm, &new, eof)?;
        Ok(!eof)
    }

    fn read(&mut self, vm: &mut Vm, n: i64) -> PyResult<String> {
        let buffer = self.check_readable(vm)?;
        if n < 0 {
            let mut out = self.decoded[self.dpos..].to_string();
            let rest = self.read_input(vm, &buffer, -1)?;
            self.decode_chunk(vm, &rest, true)?;
            out.push_str(&self.decoded);
            self.reset_decoder();
            return Ok(out);
        }
        let mut out = String::new();
        let mut need = n as usize;
        loop {
            let avail = &self.decoded[self.dpos..];
            let mut end = avail.len();
            let mut count = 0;
            for (i, _) in avail.char_indices() {
                if count == need {
                    end = i;
                    break;
                }
                count += 1;
            }
            out.push_str(&avail[..end]);
            self.dpos += end;
            need -= count;
            if need == 0 || !self.read_chunk(vm, &buffer)? {
                if need > 0 {
                    // End of input: what the last chunk decoded (if anything).
                    let avail = &self.decoded[self.dpos..];
                    let take: String = avail.chars().take(need).collect();
                    self.dpos += take.len();
                    out.push_str(&take);
                }
                return Ok(out);
            }
        }
    }

    /// Where the line starting in `s` ends (byte index after its ending), if it does.
    fn line_end(&self, s: &str, eof: bool) -> Option<usize> {
        let b = s.as_bytes();
        if self.universal && !self.nl.translate {
            let i = b.iter().position(|&c| c == b'\n' || c == b'\r')?;
            if b[i] == b'\r' {
                if i + 1 < b.len() {
                    return Some(if b[i + 1] == b'\n' { i + 2 } else { i + 1 });
                }
                return if eof { Some(i + 1) } else { None };
            }
            return Some(i + 1);
        }
        match self.readnl {
            "\r\n" => s.find("\r\n").map(|i| i + 2),
            "\r" => b.iter().position(|&c| c == b'\r').map(|i| i + 1),
            _ => b.iter().position(|&c| c == b'\n').map(|i| i + 1),
        }
    }

    fn readline(&mut self, vm: &mut Vm, limit: i64) -> PyResult<String> {
        let buffer = self.check_readable(vm)?;
        let mut line = String::new();
        let mut eof = false;
        loop {
            let avail = &self.decoded[self.dpos..];
            // A "\r" ending the last chunk ends the line, with a "\n" that follows it.
            if self.universal && !self.nl.translate && line.ends_with('\r') {
                if avail.starts_with('\n') {
                    line.push('\n');
                    self.dpos += 1;
                }
                break;
            }
            // A "\r\n" ending split between chunks.
            if self.readnl == "\r\n"
                && !self.universal
                && line.ends_with('\r')
                && avail.starts_with('\n')
            {
                line.push('\n');
                self.dpos += 1;
                break;
            }
            let found = self.line_end(avail, eof);
            let mut end = found.unwrap_or(avail.len());
            if limit >= 0 {
                let have = line.chars().count();
                let room = (limit as usize).saturating_sub(have);
                if let Some((i, _)) = avail[..end].char_indices().nth(room) {
                    end = i;
                    line.push_str(&avail[..end]);
                    self.dpos += end;
                    break;
                }
            }
            line.push_str(&avail[..end]);
            self.dpos += end;
            if found.is_some() || eof {
                break;
            }
            if limit >= 0 && line.chars().count() >= limit as usize {
                break;
            }
            if !self.read_chunk(vm, &buffer)? {
                eof = true;
                if self.decoded.is_empty() {
                    break;
                }
            }
        }
        Ok(line)
    }

    // ---- positions -------------------------------------------------------------------

    fn tell(&mut self, vm: &mut Vm) -> PyResult<i64> {
        let buffer = self.check_closed(vm)?;
        if !self.seekable {
            return Err(unsupported(vm, "underlying stream is not seekable"));
        }
        if !self.telling {
            return Err(vm.err(types().os_error, "telling position disabled by next() call"));
        }
        self.flush(vm)?;
        let pos = if !self.bstate.is_null() {
            with_buf_state(vm, &self.bstate, |vm, b| b.tell(vm))?
        } else {
            let r = call_method(vm, &buffer, "tell", &[])?;
            crate::ops::to_isize(vm, &r)?
        };
        let start = pos - self.carry.len() as i64 - self.chunk.len() as i64;
        Ok(start + self.consumed_input())
    }

    /// Input bytes (from the start of `chunk`, -1 for a carried "\r") behind
    /// `decoded[..dpos]`.
    fn consumed_input(&self) -> i64 {
        let unit = self.codec.unit() as i64;
        let at = |i: i64| -> Option<u32> {
            if i < 0 {
                Some(u32::from(b'\r'))
            } else {
                self.codec.unit_at(&self.chunk, i as usize, self.wide_order)
            }
        };
        let (cr, nl) = (u32::from(b'\r'), u32::from(b'\n'));
        let mut ip: i64 = if self.cr_in { -unit } else { 0 };
        if ip == 0 {
            ip += self.chunk_bom as i64;
        }
        for c in self.decoded[..self.dpos].chars() {
            if self.universal && self.nl.translate && c == '\n' && at(ip) == Some(cr) {
                ip += if at(ip + unit) == Some(nl) {
                    2 * unit
                } else {
                    unit
                };
                continue;
            }
            ip += self.codec.char_len(c) as i64;
        }
        ip
    }

    /// The decoder flags in a `tell` cookie (bits 64 and up): for a "utf-16" or
    /// "utf-32" stream whose BOM said big-endian (the other order than this
    /// machine's), 2, the value CPython's cookies carry there; else 0.
    fn cookie_flags(&self) -> i64 {
        if self.codec.has_bom() && self.wide_order == 1 {
            2
        } else {
            0
        }
    }

    fn seek(&mut self, vm: &mut Vm, cookie: &Value, whence: i64) -> PyResult<Value> {
        let buffer = self.check_closed(vm)?;
        if !self.seekable {
            return Err(unsupported(vm, "underlying stream is not seekable"));
        }
        let zero = cookie.as_small_int() == Some(0);
        match whence {
            0 => {}
            1 => {
                if !zero {
                    return Err(unsupported(vm, "can't do nonzero cur-relative seeks"));
                }
                let p = self.tell(vm)?;
                return self.seek(vm, &Value::int(p), 0);
            }
            2 => {
                if !zero {
                    return Err(unsupported(vm, "can't do nonzero end-relative seeks"));
                }
                self.flush(vm)?;
                self.reset_decoder();
                return call_method(vm, &buffer, "seek", &[Value::int(0), Value::int(2)]);
            }
            _ => {
                return Err(
                    vm.value_error(format!("invalid whence ({whence}, should be 0, 1 or 2)"))
                );
            }
        }
        let (pos, flags) = split_cookie(vm, cookie)?;
        if pos < 0 {
            let r = crate::ops::repr(vm, cookie)?;
            return Err(vm.value_error(format!("negative seek position {r}")));
        }
        self.flush(vm)?;
        self.reset_decoder();
        if self.codec.has_bom() {
            // At the start a BOM is read and written again; elsewhere the cookie's
            // flags give the byte order, and nothing is written before the text.
            let at_start = pos == 0 && flags == 0;
            self.wide_order = match (at_start, flags) {
                (true, _) => 0,
                (false, 1 | 2) => 1,
                _ => -1,
            };
            self.bom_pending = at_start;
        }
        if !self.bstate.is_null() {
            with_buf_state(vm, &self.bstate, |vm, b| b.seek(vm, pos, 0))?;
        } else {
            call_method(vm, &buffer, "seek", &[Value::int(pos)])?;
        }
        Ok(cookie.clone())
    }
}

/// `TextIOWrapper(buffer, encoding=None, errors=None, newline=None,
/// line_buffering=False, write_through=False)`.
fn init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__init__")?;
    let p = parse_args(
        vm,
        "TextIOWrapper",
        a,
        1,
        &[
            "buffer",
            "encoding",
            "errors",
            "newline",
            "line_buffering",
            "write_through",
        ],
        1,
    )?;
    let buffer = p[0].cloned().unwrap_or_else(Value::none);
    let enc = str_or_none(vm, p[1], "encoding", "TextIOWrapper")?;
    let errors = str_or_none(vm, p[2], "errors", "TextIOWrapper")?;
    let newline = newline_value(vm, p[3])?;
    let line_buffering = match p[4] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    let write_through = match p[5] {
        Some(v) => crate::ops::truthy(vm, v)?,
        None => false,
    };
    let (encoding, codec) = resolve_encoding(vm, enc)?;
    let st = wrap(
        vm,
        buffer,
        Config {
            encoding,
            codec,
            errors: errors.unwrap_or_else(|| "strict".into()),
            newline,
            line_buffering,
            write_through,
        },
    )?;
    // A second __init__ replaces the state inside the existing state object: the
    // print fast path borrows that object for as long as the wrapper lives.
    if let Some(old) = state_of(slf)
        && let Some(super::IoStateObj { s: Native::Text(l) }) =
            old.downcast_exact::<super::IoStateObj>()
    {
        let mut st = st;
        let mut g = l.lock(vm, slf)?;
        st.retired = std::mem::take(&mut g.retired);
        st.retired.push(g.bstate.clone());
        *g = st;
        publish(l, &g);
        return Ok(Value::none());
    }
    let obj = Value::alloc(super::IoStateObj {
        s: Native::Text(IoLock::new(st)),
    });
    if let Some(super::IoStateObj { s: Native::Text(l) }) =
        obj.downcast_exact::<super::IoStateObj>()
        && let Some(g) = l.lock_plain()
    {
        publish(l, &g);
    }
    super::set_state_object(vm, slf, obj)?;
    Ok(Value::none())
}

fn wrap(vm: &mut Vm, buffer: Value, c: Config) -> PyResult<TextState> {
    let readable = truthy_method(vm, &buffer, "readable")?;
    let writable = truthy_method(vm, &buffer, "writable")?;
    let seekable = truthy_method(vm, &buffer, "seekable")?;
    let has_read1 = crate::ops::getattr_opt(vm, &buffer, "read1")?.is_some();
    let mut s = TextState::new(buffer, c, (readable, writable, seekable, has_read1));
    s.after_configure(vm)?;
    Ok(s)
}

/// A native TextIOWrapper over `buffer` (for `open()` and the standard streams).
#[allow(
    clippy::too_many_arguments,
    reason = "TextIOWrapper's constructor arguments"
)]
pub fn new_wrapper(
    vm: &mut Vm,
    buffer: Value,
    encoding: Option<String>,
    errors: Option<String>,
    newline: Option<&'static str>,
    line_buffering: bool,
    write_through: bool,
) -> PyResult<Value> {
    let (encoding, codec) = resolve_encoding(vm, encoding)?;
    let st = wrap(
        vm,
        buffer,
        Config {
            encoding,
            codec,
            errors: errors.unwrap_or_else(|| "strict".into()),
            newline,
            line_buffering,
            write_through,
        },
    )?;
    let obj = crate::vm::new_instance_of(&io_types().text_io_wrapper, vec![]);
    let state = Value::alloc(super::IoStateObj {
        s: Native::Text(IoLock::new(st)),
    });
    if let Some(super::IoStateObj { s: Native::Text(l) }) =
        state.downcast_exact::<super::IoStateObj>()
        && let Some(g) = l.lock_plain()
    {
        publish(l, &g);
    }
    super::set_state_object(vm, &obj, state)?;
    super::finalize::watch(&obj);
    Ok(obj)
}

/// The binary stream under a text wrapper (NULL once detached).
pub fn buffer_of(s: &TextState) -> Value {
    s.buffer.clone()
}

pub fn check_newline(vm: &mut Vm, v: Option<&Value>) -> PyResult<Option<&'static str>> {
    newline_value(vm, v)
}

// ---- methods -----------------------------------------------------------------------

fn read(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "read", a, 0, 1)?;
    let n = size_arg(vm, r.first())?;
    Ok(new_string(with(vm, slf, |vm, s| s.read(vm, n))?))
}

fn readline(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "readline", a, 0, 1)?;
    let n = match r.first() {
        Some(v) if !v.is_none() => {
            if crate::types::int::as_int(v).is_none() {
                let tn = type_name(v);
                return Err(
                    vm.type_error(format!("argument should be integer or None, not '{tn}'"))
                );
            }
            crate::ops::to_isize(vm, v)?
        }
        _ => -1,
    };
    Ok(new_string(with(vm, slf, |vm, s| s.readline(vm, n))?))
}

/// One line for `input()` from a native stdin (None when `f` is not native).
pub fn readline_native(vm: &mut Vm, f: &Value) -> PyResult<Option<String>> {
    if !super::is_exact(f, &io_types().text_io_wrapper) {
        return Ok(None);
    }
    with(vm, f, |vm, s| s.readline(vm, -1)).map(Some)
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "__next__")?;
    let line = if super::is_exact(slf, &io_types().text_io_wrapper) {
        with(vm, slf, |vm, s| {
            s.telling = false;
            let l = s.readline(vm, -1)?;
            if l.is_empty() {
                s.telling = s.seekable;
            }
            Ok(l)
        })?
    } else {
        with(vm, slf, |_, s| {
            s.telling = false;
            Ok(())
        })?;
        let v = call_method(vm, slf, "readline", &[])?;
        match as_str(&v) {
            Some("") => {
                with(vm, slf, |_, s| {
                    s.telling = s.seekable;
                    Ok(())
                })?;
                return Err(super::stop_iteration(vm));
            }
            Some(_) => return Ok(v),
            None => {
                let tn = type_name(&v);
                return Err(vm.err(
                    types().os_error,
                    format!("readline() should have returned a str object, not '{tn}'"),
                ));
            }
        }
    };
    if line.is_empty() {
        return Err(super::stop_iteration(vm));
    }
    Ok(new_string(line))
}

fn write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "write", a, 1, 1)?;
    let Some(text) = as_str(&r[0]) else {
        let tn = type_name(&r[0]);
        return Err(vm.type_error(format!("write() argument must be str, not {tn}")));
    };
    let surr = crate::types::str::is_flagged(&r[0]);
    with(vm, slf, |vm, s| s.write(vm, text, surr))?;
    let n = r[0]
        .downcast::<crate::types::str::StrObj>()
        .map_or(0, |s| s.nchars);
    Ok(Value::int(n as i64))
}

fn flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "flush", a, 0, 0)?;
    with(vm, slf, |vm, s| s.flush(vm))?;
    Ok(Value::none())
}

fn close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "close", a, 0, 0)?;
    let buffer = with(vm, slf, |vm, s| s.attached(vm))?;
    if super::iobase::is_closed(vm, &buffer)? {
        return Ok(Value::none());
    }
    let r = call_method(vm, slf, "flush", &[]);
    let c = call_method(vm, &buffer, "close", &[]);
    if c.is_ok() {
        super::finalize::unwatch(slf);
    }
    match (r, c) {
        (Err(e), Ok(_)) => Err(e),
        (_, Err(e)) => Err(e),
        _ => Ok(Value::none()),
    }
}

fn detach(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "detach", a, 0, 0)?;
    call_method(vm, slf, "flush", &[])?;
    with(vm, slf, |vm, s| {
        let b = s.attached(vm)?;
        s.buffer = Value::NULL;
        let old = std::mem::replace(&mut s.bstate, Value::NULL);
        s.retired.push(old);
        Ok(b)
    })
}

fn seek(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "seek", a, 1, 2)?;
    let whence = match r.get(1) {
        Some(w) => int_arg(vm, w)?,
        None => 0,
    };
    let cookie = r[0].clone();
    with(vm, slf, |vm, s| s.seek(vm, &cookie, whence))
}

fn tell(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "tell", a, 0, 0)?;
    let (pos, flags) = with(vm, slf, |vm, s| Ok((s.tell(vm)?, s.cookie_flags())))?;
    if flags == 0 {
        return Ok(Value::int(pos));
    }
    // pos + (flags << 64), as CPython packs its cookie.
    use crate::instructions::{NB_ADD, NB_LSHIFT};
    let high = crate::ops::binary_op(vm, &Value::int(flags), &Value::int(64), NB_LSHIFT)?;
    crate::ops::binary_op(vm, &Value::int(pos), &high, NB_ADD)
}

/// A `tell` cookie's byte position and decoder flags (bits 64 and up).
fn split_cookie(vm: &mut Vm, cookie: &Value) -> PyResult<(i64, i64)> {
    if cookie.is_float() || cookie.as_small_int().is_some() {
        return Ok((int_arg(vm, cookie)?, 0));
    }
    use crate::instructions::{NB_AND, NB_RSHIFT};
    let mask = crate::ops::binary_op(
        vm,
        &Value::int(1),
        &Value::int(64),
        crate::instructions::NB_LSHIFT,
    )?;
    let mask = crate::ops::binary_op(vm, &mask, &Value::int(-1), crate::instructions::NB_ADD)?;
    let low = crate::ops::binary_op(vm, cookie, &mask, NB_AND)?;
    let high = crate::ops::binary_op(vm, cookie, &Value::int(64), NB_RSHIFT)?;
    if crate::ops::to_isize(vm, &high).is_err() || low.as_small_int().is_none() {
        // Not a cookie of ours: the plain conversion's error.
        return Ok((int_arg(vm, cookie)?, 0));
    }
    Ok((int_arg(vm, &low)?, int_arg(vm, &high)?))
}

fn truncate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, r) = method_pos(vm, "truncate", a, 0, 1)?;
    call_method(vm, slf, "flush", &[])?;
    let b = with(vm, slf, |vm, s| s.attached(vm))?;
    let arg = r.first().cloned().unwrap_or_else(Value::none);
    call_method(vm, &b, "truncate", &[arg])
}

fn reconfigure(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let slf = super::this(vm, a, "reconfigure")?;
    if a.pos().len() > 1 {
        return Err(vm.type_error(format!(
            "reconfigure() takes exactly 0 positional arguments ({} given)",
            a.pos().len() - 1
        )));
    }
    let p = parse_args(
        vm,
        "reconfigure",
        a,
        1,
        &[
            "encoding",
            "errors",
            "newline",
            "line_buffering",
            "write_through",
        ],
        0,
    )?;
    let enc = str_or_none(vm, p[0], "encoding", "reconfigure")?;
    let errors = str_or_none(vm, p[1], "errors", "reconfigure")?;
    let newline_given = p[2].is_some_and(|v| v.raw() != Value::ellipsis().raw());
    let newline = if newline_given {
        Some(newline_value(vm, p[2])?)
    } else {
        None
    };
    let lb = match p[3] {
        Some(v) if !v.is_none() => Some(crate::ops::truthy(vm, v)?),
        _ => None,
    };
    let wt = match p[4] {
        Some(v) if !v.is_none() => Some(crate::ops::truthy(vm, v)?),
        _ => None,
    };
    let codec = match &enc {
        Some(_) => Some(resolve_encoding(vm, enc.clone())?),
        None => None,
    };
    call_method(vm, slf, "flush", &[])?;
    with(vm, slf, |vm, s| {
        if (codec.is_some() || newline.is_some()) && s.read_started {
            return Err(unsupported(
                vm,
                "It is not possible to set the encoding or newline of stream after the first read",
            ));
        }
        let cur_newline: Option<&'static str> = if s.universal {
            if s.nl.translate { None } else { Some("") }
        } else {
            Some(s.readnl)
        };
        let (encoding, cd) = codec.clone().unwrap_or((s.encoding.clone(), s.codec));
        let errors = match (&errors, &enc) {
            (Some(e), _) => e.clone(),
            (None, Some(_)) => "strict".to_string(),
            (None, None) => s.errors.clone(),
        };
        let seennl = s.nl.seennl;
        s.configure(Config {
            encoding,
            codec: cd,
            errors,
            newline: newline.unwrap_or(cur_newline),
            line_buffering: lb.unwrap_or(s.line_buffering),
            write_through: wt.unwrap_or(s.write_through),
        });
        s.nl.seennl = seennl;
        Ok(())
    })?;
    Ok(Value::none())
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (slf, _) = method_pos(vm, "__repr__", a, 0, 0)?;
    let mut s = "<_io.TextIOWrapper".to_string();
    if let Some(n) = super::name_repr(vm, slf)? {
        s.push_str(&format!(" name={n}"));
    }
    if let Ok(Some(m)) = crate::ops::getattr_opt(vm, slf, "mode") {
        let r = crate::ops::repr(vm, &m)?;
        s.push_str(&format!(" mode={r}"));
    }
    let enc = with(vm, slf, |_, st| Ok(st.encoding.clone()))?;
    s.push_str(&format!(" encoding='{enc}'>"));
    Ok(new_str(&s))
}

// ---- print and the standard streams --------------------------------------------------

/// Write `s` to `f` natively when `f` is exactly a TextIOWrapper (the `print` fast
/// path: one lock, the text encoded straight into the buffer). Returns false when
/// `f` must be written through its Python `write` method.
pub fn print_to(vm: &mut Vm, f: &Value, s: &str) -> PyResult<bool> {
    if !super::is_exact(f, &io_types().text_io_wrapper) {
        return Ok(false);
    }
    if let Some(l) = text_lock_of(f) {
        use std::sync::atomic::Ordering;
        let bits = l.bits.load(Ordering::Acquire);
        if bits & FAST != 0 {
            let raw = l.aux.load(Ordering::Relaxed);
            // SAFETY: `aux` holds the buffer state object the wrapper's state owns
            // (in `bstate`, or in `retired` after a detach or re-init), and the state
            // lives as long as `f`, which the caller holds: the object is alive. The
            // ManuallyDrop handle neither counts nor releases a reference.
            let bstate = std::mem::ManuallyDrop::new(unsafe { Value::from_raw(RawValue(raw)) });
            let flush = (bits & FAST_LINE_BUFFERING != 0 && (s.contains('\n') || s.contains('\r')))
                || bits & FAST_WRITE_THROUGH != 0;
            with_buf_state(vm, &bstate, |vm, b| {
                if b.raw_closed_now(vm)? {
                    return Err(closed_error(vm, true));
                }
                b.write(vm, s.as_bytes())?;
                if flush {
                    b.flush_writes(vm)?;
                }
                Ok(())
            })?;
            return Ok(true);
        }
    }
    with(vm, f, |vm, st| st.write(vm, s, false))?;
    Ok(true)
}

/// The state of an exact TextIOWrapper, borrowed from it (no reference counting).
fn text_lock_of(f: &Value) -> Option<&IoLock<TextState>> {
    // SAFETY: `f` is exactly a TextIOWrapper (checked by the caller): an `Instance`
    // whose first slot is the hidden state slot.
    let inst = unsafe { f.payload_unchecked::<crate::types::instance::Instance>() };
    let bits = inst.slots.read(|s| s.first().map(|v| v.raw().0))?;
    if bits == 0 {
        return None;
    }
    // SAFETY: once set, a TextIOWrapper's state object is never replaced (a second
    // __init__ replaces what is inside it), so it lives as long as `f`: the
    // reference may carry `f`'s lifetime.
    let st: &super::IoStateObj = unsafe {
        let v = std::mem::ManuallyDrop::new(Value::from_raw(RawValue(bits)));
        let p: *const super::IoStateObj = v.downcast_exact::<super::IoStateObj>()?;
        &*p
    };
    match &st.s {
        Native::Text(l) => Some(l),
        _ => None,
    }
}

/// The standard streams as made at startup (their native flush is `flush_stdout`).
static STD: std::sync::OnceLock<StdStreams> = std::sync::OnceLock::new();

struct StdStreams {
    stdout: Value,
    stderr: Value,
}

// SAFETY: the stream objects are immortal (made so at creation); they are shared
// like any object, each access locking the stream's own state.
unsafe impl Sync for StdStreams {}
// SAFETY: see above.
unsafe impl Send for StdStreams {}

fn std_stream(vm: &mut Vm, fd: i32) -> PyResult<Value> {
    let io = io_types();
    let write = fd != 0;
    let mode = if write { "wb" } else { "rb" };
    let (st, _) = super::fileio::open_fd(vm, &Value::int(fd as i64), mode, false, None)?;
    let raw = crate::vm::new_instance_of(&io.file_io, vec![]);
    let name = match fd {
        0 => "<stdin>",
        1 => "<stdout>",
        _ => "<stderr>",
    };
    crate::ops::generic_setattr(vm, &raw, "name", new_str(name))?;
    // SAFETY: isatty on a descriptor number (any value is allowed).
    let tty = unsafe { libc::isatty(fd) } == 1;
    set_state(vm, &raw, Native::File(IoLock::new(st)))?;
    let cls = if write {
        &io.buffered_writer
    } else {
        &io.buffered_reader
    };
    let buf = super::buffered::new_buffered(vm, cls, raw, super::DEFAULT_BUFFER_SIZE)?;
    let (encoding, env_errors) = io_encoding_env();
    let errors = if fd == 2 {
        "backslashreplace".to_string()
    } else if let Some(e) = env_errors {
        e
    } else if c_like_locale() {
        "surrogateescape".to_string()
    } else {
        "strict".to_string()
    };
    let w = new_wrapper(
        vm,
        buf,
        Some(encoding.unwrap_or_else(|| "utf-8".into())),
        Some(errors),
        None,
        tty || fd == 2,
        // `-u`: every write goes through to the file.
        write && vm.opts.cli.unbuffered,
    )?;
    crate::ops::generic_setattr(vm, &w, "mode", new_str(if write { "w" } else { "r" }))?;
    crate::object::make_immortal(w.raw());
    Ok(w)
}

/// `$PYTHONIOENCODING` (`encoding[:errors]`) as CPython's `config_init_stdio_encoding`
/// reads it: the standard streams' encoding, and their error handler (`strict` when
/// only an encoding is given; stderr keeps `backslashreplace` whatever it says).
fn io_encoding_env() -> (Option<String>, Option<String>) {
    let Some(opt) = crate::options::python_env("PYTHONIOENCODING") else {
        return (None, None);
    };
    let (enc, errors) = match opt.split_once(':') {
        Some((e, r)) => (e, (!r.is_empty()).then_some(r)),
        None => (opt.as_str(), None),
    };
    if enc.is_empty() {
        return (None, errors.map(str::to_string));
    }
    (
        Some(enc.to_string()),
        Some(errors.unwrap_or("strict").to_string()),
    )
}

/// Is the character-type locale the C locale or one of its UTF-8 forms (what
/// CPython coerces C to)? Then stdin and stdout use `surrogateescape`, as in CPython,
/// so undecodable bytes read in (file names, arguments) are written back unchanged.
fn c_like_locale() -> bool {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    let loc = var("LC_ALL")
        .or_else(|| var("LC_CTYPE"))
        .or_else(|| var("LANG"))
        .unwrap_or_default();
    matches!(
        loc.as_str(),
        "" | "C" | "POSIX" | "C.UTF-8" | "C.utf8" | "C.UTF8" | "C.utf-8" | "UTF-8"
    )
}

/// `sys.stdin`, `sys.stdout`, `sys.stderr`: TextIOWrapper over BufferedReader /
/// BufferedWriter over FileIO(0, 1, 2); line-buffered on a terminal (stderr always).
pub fn make_std_streams(vm: &mut Vm) -> PyResult<[Value; 3]> {
    let stdin = std_stream(vm, 0)?;
    let stdout = std_stream(vm, 1)?;
    let stderr = std_stream(vm, 2)?;
    let _ = STD.set(StdStreams {
        stdout: stdout.clone(),
        stderr: stderr.clone(),
    });
    Ok([stdin, stdout, stderr])
}

/// Write out what the original `sys.stdout` and `sys.stderr` have buffered (before
/// blocking, before a traceback is printed, at exit).
pub fn stdout_flush(vm: &mut Vm) {
    if let Some(s) = STD.get() {
        for f in [s.stdout.clone(), s.stderr.clone()] {
            let _ = with(vm, &f, |vm, st| {
                if st.bstate.is_null() {
                    return Ok(());
                }
                with_buf_state(vm, &st.bstate, |vm, bs| bs.flush_writes(vm))
            });
        }
    }
}

/// At exit: flush `sys.stdout` and `sys.stderr` (whatever they are now) and the
/// original streams.
pub fn flush_std_at_exit(vm: &mut Vm) {
    let sys = crate::import::import_module(vm, "sys").ok();
    if let Some(sys) = sys {
        for n in ["stdout", "stderr"] {
            if let Ok(Some(f)) = crate::ops::getattr_opt(vm, &sys, n)
                && !f.is_none()
            {
                let _: Result<Value, PyErr> = call_method(vm, &f, "flush", &[]);
            }
        }
    }
    stdout_flush(vm);
    if let Some(s) = STD.get() {
        let err = s.stderr.clone();
        let _ = with(vm, &err, |vm, st| st.flush(vm));
    }
}
