//! `marshal`: CPython's serialisation of constants (format version 4), so data written
//! by CPython reads back here and the reverse. Code objects are not marshallable from
//! Python: stitch's code is its own. The on-disk code cache (`compile/code_cache.rs`)
//! reuses this writer and reader with `stitch_code` set, which adds one type code of
//! stitch's own (`C`, a stitch code object) and keeps interned strings interned.
//!
//! Writing never emits back-references (`FLAG_REF`): CPython decides them from
//! reference counts, which no other runtime can reproduce, and a reader accepts
//! either form. Reading accepts every type code CPython writes, back-references
//! included.
use num_bigint::{BigInt, Sign};

use super::native_args::{self, module, set};
use crate::ops;
use crate::types::bytes::BytesObj;
use crate::types::complex::ComplexObj;
use crate::types::dict::DictObj;
use crate::types::int::{IntRef, as_int};
use crate::types::list::ListObj;
use crate::types::str::{new_str, new_string};
use crate::types::tuple::TupleObj;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// The format version `dumps` writes by default.
const VERSION: i64 = 4;
/// CPython's `MAX_MARSHAL_STACK_DEPTH`.
const MAX_DEPTH: usize = 2000;
const FLAG_REF: u8 = 0x80;

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module(
        "marshal",
        &[
            ("dumps", dumps),
            ("loads", loads),
            ("dump", dump),
            ("load", load),
        ],
    );
    set(&m, "version", Value::int(VERSION));
    Ok(m)
}

fn version_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<i64> {
    match v {
        None => Ok(VERSION),
        Some(v) => crate::modules::args::int(vm, v),
    }
}

/// `dumps(value, version=4, /)`.
fn dumps(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "dumps", a, 1, 2)?;
    let version = version_arg(vm, p.get(1))?;
    let mut w = Writer::new(version, false);
    w.write(vm, &p[0], 0)?;
    Ok(BytesObj::new_value(w.out))
}

/// `dump(value, file, version=4, /)`.
fn dump(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "dump", a, 2, 3)?;
    let version = version_arg(vm, p.get(2))?;
    let mut w = Writer::new(version, false);
    w.write(vm, &p[0], 0)?;
    let write = ops::getattr(vm, &p[1], &new_str("write"))?;
    vm.call(&write, &[BytesObj::new_value(w.out)])?;
    Ok(Value::none())
}

/// `loads(bytes, /)`: the first value; trailing bytes are ignored, as CPython does.
fn loads(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "loads", a, 1, 1)?;
    let data = crate::modules::buffer::need(vm, &p[0])?;
    let mut r = Reader::new(&data, false);
    r.read(vm, 0)
}

/// `load(file, /)`: reads the whole rest of the file, decodes one value, and seeks
/// back to just after it when the file can seek (so consecutive loads work).
fn load(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = native_args::unpack(vm, "load", a, 1, 1)?;
    let read = ops::getattr(vm, &p[0], &new_str("read"))?;
    let all = vm.call(&read, &[])?;
    let Some(data) = crate::modules::buffer::bytes_like(&all) else {
        return Err(vm.type_error(format!(
            "file.read() returned not bytes but {}",
            all.type_data().name
        )));
    };
    let mut r = Reader::new(&data, false);
    let v = r.read(vm, 0)?;
    let unread = data.len() - r.pos;
    if unread > 0
        && let Some(seek) = ops::getattr_opt(vm, &p[0], "seek")?
    {
        vm.call(&seek, &[Value::int(-(unread as i64)), Value::int(1)])?;
    }
    Ok(v)
}

pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
    pub(crate) version: i64,
    /// Writing the code cache: code objects allowed, interned strs marked as such.
    pub(crate) stitch_code: bool,
}

impl Writer {
    pub(crate) fn new(version: i64, stitch_code: bool) -> Writer {
        Writer {
            out: Vec::new(),
            version,
            stitch_code,
        }
    }

    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    pub(crate) fn i32(&mut self, n: i32) {
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    fn sized(&mut self, vm: &mut Vm, n: usize) -> PyResult<()> {
        match i32::try_from(n) {
            Ok(n) => {
                self.i32(n);
                Ok(())
            }
            Err(_) => Err(vm.value_error("unmarshallable object")),
        }
    }

    pub(crate) fn write(&mut self, vm: &mut Vm, v: &Value, depth: usize) -> PyResult<()> {
        if depth > MAX_DEPTH {
            return Err(vm.value_error("object too deeply nested to marshal"));
        }
        if v.is_none() {
            self.byte(b'N');
        } else if v.is_bool() {
            self.byte(if v.is_true_singleton() { b'T' } else { b'F' });
        } else if v.raw() == Value::ellipsis().raw() {
            self.byte(b'.');
        } else if v.raw() == types().stop_iteration {
            self.byte(b'S');
        } else if v.is_small_int() || v.type_raw() == types().int {
            self.int(as_int(v).expect("an int"));
        } else if let Some(f) = v.as_float()
            && v.type_raw() == types().float
        {
            if self.version > 1 {
                self.byte(b'g');
                self.out.extend_from_slice(&f.to_le_bytes());
            } else {
                let s = crate::types::float::float_repr(f);
                self.byte(b'f');
                self.byte(s.len() as u8);
                self.out.extend_from_slice(s.as_bytes());
            }
        } else if v.type_raw() == types().complex {
            let c = v.downcast::<ComplexObj>().expect("a complex");
            self.byte(b'y');
            self.out.extend_from_slice(&c.re.to_le_bytes());
            self.out.extend_from_slice(&c.im.to_le_bytes());
        } else if v.type_raw() == types().str {
            let (s, surr) = crate::types::str::as_str_flag(v).expect("a str");
            if surr {
                // Lone surrogates as CPython writes them (UTF-8, surrogatepass).
                let b = crate::types::str::to_surrogatepass_utf8(s, true);
                self.byte(b'u');
                self.sized(vm, b.len())?;
                self.out.extend_from_slice(&b);
            } else if self.stitch_code && crate::world::is_interned(v) {
                // CPython's interned-str codes: read back through the intern table.
                if s.is_ascii() && s.len() < 256 {
                    self.byte(b'Z');
                    self.byte(s.len() as u8);
                } else {
                    self.byte(if s.is_ascii() { b'A' } else { b't' });
                    self.sized(vm, s.len())?;
                }
            } else if self.version >= 4 && s.is_ascii() {
                if s.len() < 256 {
                    self.byte(b'z');
                    self.byte(s.len() as u8);
                } else {
                    self.byte(b'a');
                    self.sized(vm, s.len())?;
                }
            } else {
                self.byte(b'u');
                self.sized(vm, s.len())?;
            }
            if !surr {
                self.out.extend_from_slice(s.as_bytes());
            }
        } else if v.type_raw() == types().tuple {
            let items = v.downcast::<TupleObj>().expect("a tuple").items.to_vec();
            if self.version >= 4 && items.len() < 256 {
                self.byte(b')');
                self.byte(items.len() as u8);
            } else {
                self.byte(b'(');
                self.sized(vm, items.len())?;
            }
            self.items(vm, &items, depth)?;
        } else if v.type_raw() == types().list {
            let items = v.downcast::<ListObj>().expect("a list").snapshot();
            self.byte(b'[');
            self.sized(vm, items.len())?;
            self.items(vm, &items, depth)?;
        } else if v.type_raw() == types().dict {
            let d = v.downcast::<DictObj>().expect("a dict");
            self.byte(b'{');
            for (k, val) in d.items() {
                self.write(vm, &k, depth + 1)?;
                self.write(vm, &val, depth + 1)?;
            }
            self.byte(b'0');
        } else if v.type_raw() == types().set || v.type_raw() == types().frozenset {
            let items = ops::collect(vm, v)?;
            self.byte(if v.type_raw() == types().set {
                b'<'
            } else {
                b'>'
            });
            self.sized(vm, items.len())?;
            self.items(vm, &items, depth)?;
        } else if self.stitch_code
            && let Some(code) = v.downcast::<crate::types::code::CodeObj>()
        {
            self.byte(b'C');
            crate::compile::code_cache::write_code(self, vm, code, depth)?;
        } else if let Some(b) = crate::modules::buffer::bytes_like(v) {
            self.byte(b's');
            self.sized(vm, b.len())?;
            self.out.extend_from_slice(&b);
        } else {
            return Err(vm.value_error("unmarshallable object"));
        }
        Ok(())
    }

    fn items(&mut self, vm: &mut Vm, items: &[Value], depth: usize) -> PyResult<()> {
        for it in items {
            self.write(vm, it, depth + 1)?;
        }
        Ok(())
    }

    /// An int: `i` (32-bit) when it fits, else `l` with base-2**15 digits.
    fn int(&mut self, i: IntRef) {
        if let Some(n) = i.to_i64().and_then(|n| i32::try_from(n).ok()) {
            self.byte(b'i');
            self.i32(n);
            return;
        }
        let big = i.to_big();
        let (sign, mag) = big.into_parts();
        let mut digits = Vec::new();
        let mut m = mag;
        let zero = num_bigint::BigUint::from(0u8);
        while m > zero {
            let d = (&m & num_bigint::BigUint::from(0x7fffu32))
                .to_u32_digits()
                .first()
                .copied()
                .unwrap_or(0);
            digits.push(d as u16);
            m >>= 15;
        }
        let n = digits.len() as i32;
        self.byte(b'l');
        self.i32(if sign == Sign::Minus { -n } else { n });
        for d in digits {
            self.out.extend_from_slice(&d.to_le_bytes());
        }
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) pos: usize,
    /// Values flagged `FLAG_REF`, by index (a reserved slot holds NULL until filled).
    pub(crate) refs: Vec<Value>,
    /// Reading the code cache: stitch code objects (`C`) allowed.
    pub(crate) stitch_code: bool,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], stitch_code: bool) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            refs: Vec::new(),
            stitch_code,
        }
    }

    fn eof(vm: &mut Vm) -> crate::vm::PyErr {
        vm.err(types().eof_error, "marshal data too short")
    }

    pub(crate) fn take(&mut self, vm: &mut Vm, n: usize) -> PyResult<&[u8]> {
        if self.data.len() - self.pos < n {
            return Err(Self::eof(vm));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self, vm: &mut Vm) -> PyResult<u8> {
        Ok(self.take(vm, 1)?[0])
    }

    pub(crate) fn i32(&mut self, vm: &mut Vm) -> PyResult<i32> {
        let b = self.take(vm, 4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self, vm: &mut Vm) -> PyResult<f64> {
        let b = self.take(vm, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// A non-negative 32-bit size.
    fn size(&mut self, vm: &mut Vm) -> PyResult<usize> {
        let n = self.i32(vm)?;
        if n < 0 {
            return Err(vm.value_error("bad marshal data (size out of range)"));
        }
        Ok(n as usize)
    }

    fn text_float(&mut self, vm: &mut Vm) -> PyResult<f64> {
        let n = self.u8(vm)? as usize;
        let s = String::from_utf8_lossy(self.take(vm, n)?).into_owned();
        s.trim()
            .parse::<f64>()
            .map_err(|_| vm.value_error("bad marshal data (invalid float)"))
    }

    pub(crate) fn read(&mut self, vm: &mut Vm, depth: usize) -> PyResult<Value> {
        if depth > MAX_DEPTH {
            return Err(vm.value_error("recursion limit exceeded"));
        }
        if self.pos >= self.data.len() {
            return Err(vm.err(types().eof_error, "EOF read where object expected"));
        }
        let code = self.u8(vm)?;
        let flag = code & FLAG_REF != 0;
        // A container flagged for reference reserves its slot before its items.
        let slot = if flag {
            self.refs.push(Value::NULL);
            Some(self.refs.len() - 1)
        } else {
            None
        };
        let v = match code & !FLAG_REF {
            b'0' => return Err(vm.value_error("bad marshal data (unknown type code)")),
            b'N' => Value::none(),
            b'F' => Value::bool(false),
            b'T' => Value::bool(true),
            b'.' => Value::ellipsis(),
            b'S' => Value::from_borrowed(types().stop_iteration),
            b'i' => Value::int(i64::from(self.i32(vm)?)),
            b'I' => {
                let b = self.take(vm, 8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Value::bigint(BigInt::from(i64::from_le_bytes(a)))
            }
            b'l' => self.long(vm)?,
            b'g' => Value::float(self.f64(vm)?),
            b'f' => Value::float(self.text_float(vm)?),
            b'y' => {
                let re = self.f64(vm)?;
                let im = self.f64(vm)?;
                Value::alloc(ComplexObj { re, im })
            }
            b'x' => {
                let re = self.text_float(vm)?;
                let im = self.text_float(vm)?;
                Value::alloc(ComplexObj { re, im })
            }
            b's' => {
                let n = self.size(vm)?;
                BytesObj::new_value(self.take(vm, n)?.to_vec())
            }
            b'u' | b'a' => {
                let n = self.size(vm)?;
                self.text(vm, n)?
            }
            b'z' => {
                let n = self.u8(vm)? as usize;
                self.text(vm, n)?
            }
            // Interned strs (CPython's TYPE_INTERNED, TYPE_ASCII_INTERNED, ...).
            b't' | b'A' => {
                let n = self.size(vm)?;
                self.interned(vm, n)?
            }
            b'Z' => {
                let n = self.u8(vm)? as usize;
                self.interned(vm, n)?
            }
            b'C' if self.stitch_code => crate::compile::code_cache::read_code(self, vm, depth)?,
            b')' => {
                let n = self.u8(vm)? as usize;
                let items = self.items(vm, n, depth)?;
                TupleObj::new_value(items)
            }
            b'(' => {
                let n = self.size(vm)?;
                let items = self.items(vm, n, depth)?;
                TupleObj::new_value(items)
            }
            b'[' => {
                let n = self.size(vm)?;
                let l = ListObj::new_value(Vec::new());
                self.fill(slot, &l);
                let items = self.items(vm, n, depth)?;
                let list = l.downcast::<ListObj>().expect("a list");
                for it in items {
                    list.push(it);
                }
                l
            }
            b'{' => {
                let d = DictObj::new_value();
                self.fill(slot, &d);
                loop {
                    if self.data.get(self.pos) == Some(&b'0') {
                        self.pos += 1;
                        break;
                    }
                    let k = self.read(vm, depth + 1)?;
                    let val = self.read(vm, depth + 1)?;
                    ops::setitem(vm, &d, k, val)?;
                }
                d
            }
            c @ (b'<' | b'>') => {
                let n = self.size(vm)?;
                let items = self.items(vm, n, depth)?;
                let ty = if c == b'<' {
                    types().set
                } else {
                    types().frozenset
                };
                vm.call(&Value::from_borrowed(ty), &[ListObj::new_value(items)])?
            }
            b'r' => {
                let i = self.size(vm)?;
                return match self.refs.get(i) {
                    Some(v) if !v.is_null() => Ok(v.clone()),
                    _ => Err(vm.value_error("bad marshal data (invalid reference)")),
                };
            }
            b'c' => {
                return Err(
                    vm.value_error("bad marshal data (stitch cannot load CPython code objects)")
                );
            }
            _ => return Err(vm.value_error("bad marshal data (unknown type code)")),
        };
        self.fill(slot, &v);
        Ok(v)
    }

    fn fill(&mut self, slot: Option<usize>, v: &Value) {
        if let Some(i) = slot {
            self.refs[i] = v.clone();
        }
    }

    fn items(&mut self, vm: &mut Vm, n: usize, depth: usize) -> PyResult<Vec<Value>> {
        let mut out = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            out.push(self.read(vm, depth + 1)?);
        }
        Ok(out)
    }

    fn text(&mut self, vm: &mut Vm, n: usize) -> PyResult<Value> {
        let b = self.take(vm, n)?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(new_string(s.to_string())),
            Err(_) => match crate::types::str::from_surrogatepass_utf8(b) {
                Some(v) => Ok(v),
                None => Err(vm.value_error("bad marshal data (invalid UTF-8 in a string)")),
            },
        }
    }

    fn interned(&mut self, vm: &mut Vm, n: usize) -> PyResult<Value> {
        let b = self.take(vm, n)?;
        match crate::world::intern_utf8(b) {
            Some(v) => Ok(v),
            None => Err(vm.value_error("bad marshal data (invalid UTF-8 in a string)")),
        }
    }

    fn long(&mut self, vm: &mut Vm) -> PyResult<Value> {
        let n = self.i32(vm)?;
        let count = n.unsigned_abs() as usize;
        let mut mag = num_bigint::BigUint::from(0u8);
        let mut digits = Vec::with_capacity(count.min(1 << 16));
        for _ in 0..count {
            let b = self.take(vm, 2)?;
            let d = u16::from_le_bytes([b[0], b[1]]);
            if d > 0x7fff {
                return Err(vm.value_error("bad marshal data (digit out of range in long)"));
            }
            digits.push(d);
        }
        if digits.last() == Some(&0) {
            return Err(vm.value_error("bad marshal data (unnormalized long data)"));
        }
        for d in digits.iter().rev() {
            mag = (mag << 15u32) + num_bigint::BigUint::from(*d);
        }
        let sign = if n < 0 { Sign::Minus } else { Sign::Plus };
        Ok(Value::bigint(BigInt::from_biguint(sign, mag)))
    }
}
