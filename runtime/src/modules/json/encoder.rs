//! The `make_encoder` type (CPython's `c_make_encoder`): `json.dumps` without indent
//! builds one per call and calls it once, `encoder(obj, 0)`, which returns a 1-tuple
//! holding the whole document. Builtin values are written straight into one buffer;
//! Python is called only for `default`, for a custom string encoder and for the items
//! of dict subclasses.
use std::collections::HashSet;

use crate::native_payload;
use crate::types::class::Kind;
use crate::types::dict::DictObj;
use crate::types::func::BuiltinFuncObj;
use crate::types::list::ListObj;
use crate::types::native::{self, NativeType, downcast, new_type};
use crate::types::str::{as_str, as_str_flag, new_string};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::types;

/// How strings are written: by the native escapers or by a Python callable.
enum StrEnc {
    Ascii,
    Unicode,
    Python(Value),
}

pub struct Encoder {
    check_circular: bool,
    default: Value,
    encoder: StrEnc,
    key_separator: String,
    item_separator: String,
    sort_keys: bool,
    skipkeys: bool,
    allow_nan: bool,
}
native_payload!(Encoder, ENCODER);
static ENCODER_T: NativeType = NativeType {
    new: Some(encoder_new),
    call: Some(encoder_call),
    ..NativeType::of::<Encoder>()
};

pub fn make_type() -> Value {
    let t = new_type::<Encoder>(
        "Encoder",
        "_json",
        types().object,
        Kind::Native,
        &ENCODER_T,
        &ENCODER,
    );
    crate::modules::native_args::methods(&t, &[("__call__", native::call_method)]);
    crate::modules::native_args::static_new(&t, encoder_dnew);
    t
}

fn encoder_dnew(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (cls, rest) = crate::modules::native_args::new_args(vm, a, Encoder::class())?;
    encoder_new(vm, &cls, &rest)
}

const PARAMS: [&str; 9] = [
    "markers",
    "default",
    "encoder",
    "indent",
    "key_separator",
    "item_separator",
    "sort_keys",
    "skipkeys",
    "allow_nan",
];

fn encoder_new(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let p = crate::modules::native_args::bind(vm, "make_encoder", a, &PARAMS, 9, 9)?;
    let arg = |i: usize| p[i].cloned().unwrap_or_else(Value::none);
    let markers = arg(0);
    if !markers.is_none() && markers.downcast::<DictObj>().is_none() {
        let tn = crate::modules::native_args::type_name(&markers);
        return Err(vm.type_error(format!(
            "make_encoder() argument 1 must be dict or None, not {tn}"
        )));
    }
    let sep = |vm: &mut Vm, i: usize| -> PyResult<String> {
        match as_str(&arg(i)) {
            Some(s) => Ok(s.to_string()),
            None => {
                let tn = crate::modules::native_args::type_name(&arg(i));
                Err(vm.type_error(format!(
                    "make_encoder() argument {} must be str, not {tn}",
                    i + 1
                )))
            }
        }
    };
    let key_separator = sep(vm, 4)?;
    let item_separator = sep(vm, 5)?;
    let enc = arg(2);
    let encoder = match enc.downcast::<BuiltinFuncObj>() {
        Some(b) if b.f as *const () == super::encode_basestring_ascii as *const () => StrEnc::Ascii,
        Some(b) if b.f as *const () == super::encode_basestring as *const () => StrEnc::Unicode,
        _ => StrEnc::Python(enc),
    };
    let sort_keys = crate::ops::truthy(vm, &arg(6))?;
    let skipkeys = crate::ops::truthy(vm, &arg(7))?;
    let allow_nan = crate::ops::truthy(vm, &arg(8))?;
    Ok(native::alloc(
        cls,
        Encoder {
            check_circular: !markers.is_none(),
            default: arg(1),
            encoder,
            key_separator,
            item_separator,
            sort_keys,
            skipkeys,
            allow_nan,
        },
    ))
}

fn encoder_call(vm: &mut Vm, f: &Value, a: &Args) -> PyResult<Value> {
    let Some(enc) = downcast::<Encoder>(f) else {
        return Err(vm.type_error("Encoder expected"));
    };
    let p = crate::modules::native_args::bind(
        vm,
        "_iterencode",
        a,
        &["obj", "_current_indent_level"],
        2,
        2,
    )?;
    crate::ops::to_isize(vm, p[1].unwrap_or(&Value::int(0)))?;
    let obj = p[0].cloned().unwrap_or_else(Value::none);
    let mut w = Writer {
        enc,
        out: String::new(),
        markers: HashSet::new(),
        depth: 0,
        limit: vm.recursion_limit,
    };
    w.value(vm, &obj)?;
    Ok(TupleObj::from_items([new_string(w.out)]))
}

/// One encoding: the output buffer and the containers being written (for cycles).
struct Writer<'a> {
    enc: &'a Encoder,
    out: String,
    markers: HashSet<u64>,
    depth: u32,
    limit: u32,
}

impl Writer<'_> {
    /// Write str `s` (holding lone surrogates when `surr` is set).
    fn string(&mut self, vm: &mut Vm, s: &str, surr: bool) -> PyResult<()> {
        match &self.enc.encoder {
            StrEnc::Ascii => super::write_ascii(&mut self.out, s, surr),
            StrEnc::Unicode => super::write_unicode(&mut self.out, s),
            StrEnc::Python(f) => {
                let arg = crate::types::str::new_string_flagged(s.to_string(), surr);
                let r = vm.call(f, &[arg])?;
                match as_str(&r) {
                    Some(t) => self.out.push_str(t),
                    None => {
                        let tn = crate::modules::native_args::type_name(&r);
                        return Err(
                            vm.type_error(format!("encoder() must return a string, not {tn}"))
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn float(&mut self, vm: &mut Vm, f: f64) -> PyResult<()> {
        if !f.is_finite() {
            if !self.enc.allow_nan {
                return Err(vm.value_error("Out of range float values are not JSON compliant"));
            }
            self.out.push_str(if f > 0.0 {
                "Infinity"
            } else if f < 0.0 {
                "-Infinity"
            } else {
                "NaN"
            });
            return Ok(());
        }
        self.out.push_str(&crate::types::float::float_repr(f));
        Ok(())
    }

    fn int(&mut self, i: &crate::types::int::IntRef) {
        match i {
            crate::types::int::IntRef::Small(n) => {
                use std::fmt::Write;
                let _ = write!(self.out, "{n}");
            }
            big => self.out.push_str(&crate::types::int::to_str_radix(big, 10)),
        }
    }

    /// Enter a container (cycle and recursion checks).
    fn enter(&mut self, vm: &mut Vm, v: &Value) -> PyResult<()> {
        if self.enc.check_circular && !self.markers.insert(v.bits()) {
            return Err(vm.value_error("Circular reference detected"));
        }
        if self.depth >= self.limit {
            return Err(vm.err(
                types().recursion_error,
                "maximum recursion depth exceeded while encoding a JSON object",
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self, v: &Value) {
        self.depth -= 1;
        if self.enc.check_circular {
            self.markers.remove(&v.bits());
        }
    }

    fn value(&mut self, vm: &mut Vm, v: &Value) -> PyResult<()> {
        if v.is_none() {
            self.out.push_str("null");
            return Ok(());
        }
        if v.is_bool() {
            self.out.push_str(if v.is_true_singleton() {
                "true"
            } else {
                "false"
            });
            return Ok(());
        }
        if let Some((s, surr)) = as_str_flag(v) {
            return self.string(vm, s, surr);
        }
        if let Some(f) = v.as_float() {
            return self.float(vm, f);
        }
        if let Some(i) = crate::types::int::as_int(v) {
            self.int(&i);
            return Ok(());
        }
        let t = types();
        let td = v.type_data();
        if let Some(l) = v.downcast::<ListObj>() {
            let items = l.snapshot();
            return self.list(vm, v, &items);
        }
        if let Some(tu) = v.downcast::<TupleObj>() {
            let items: Vec<Value> = tu.items.to_vec();
            return self.list(vm, v, &items);
        }
        if v.downcast::<DictObj>().is_some() {
            return self.dict(vm, v);
        }
        if td.is_subtype_raw(t.float) {
            let fv = vm.call(&Value::from_borrowed(t.float), std::slice::from_ref(v))?;
            return self.float(vm, fv.as_float().unwrap_or(f64::NAN));
        }
        // Anything else goes through `default`.
        self.enter(vm, v)?;
        let r = vm.call(&self.enc.default, std::slice::from_ref(v));
        let r = match r {
            Ok(nv) => self.value(vm, &nv),
            Err(e) => Err(e),
        };
        self.leave(v);
        r
    }

    fn list(&mut self, vm: &mut Vm, v: &Value, items: &[Value]) -> PyResult<()> {
        if items.is_empty() {
            self.out.push_str("[]");
            return Ok(());
        }
        self.enter(vm, v)?;
        self.out.push('[');
        let mut r = Ok(());
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(&self.enc.item_separator);
            }
            r = self.value(vm, x);
            if r.is_err() {
                break;
            }
        }
        self.out.push(']');
        self.leave(v);
        r
    }

    fn dict(&mut self, vm: &mut Vm, v: &Value) -> PyResult<()> {
        let items: Vec<(Value, Value)> = match v.downcast_exact::<DictObj>() {
            Some(d) => d.items(),
            None => {
                let f = crate::ops::getattr_str(vm, v, "items")?;
                let it = vm.call(&f, &[])?;
                let mut out = Vec::new();
                for pair in crate::ops::collect(vm, &it)? {
                    let kv = crate::ops::collect(vm, &pair)?;
                    if kv.len() != 2 {
                        return Err(vm.value_error("items must return 2-tuples"));
                    }
                    out.push((kv[0].clone(), kv[1].clone()));
                }
                out
            }
        };
        if items.is_empty() {
            self.out.push_str("{}");
            return Ok(());
        }
        self.enter(vm, v)?;
        let r = self.dict_items(vm, items);
        self.leave(v);
        r
    }

    fn dict_items(&mut self, vm: &mut Vm, mut items: Vec<(Value, Value)>) -> PyResult<()> {
        if self.enc.sort_keys {
            // CPython sorts the (key, value) pairs as a list: same comparisons, errors.
            let l = ListObj::new_value(
                items
                    .drain(..)
                    .map(|(k, x)| TupleObj::from_items([k, x]))
                    .collect(),
            );
            let sort = crate::ops::getattr_str(vm, &l, "sort")?;
            vm.call(&sort, &[])?;
            if let Some(l) = l.downcast::<ListObj>() {
                for p in l.snapshot() {
                    if let Some(t) = p.downcast::<TupleObj>() {
                        items.push((t.items[0].clone(), t.items[1].clone()));
                    }
                }
            }
        }
        self.out.push('{');
        let mut first = true;
        for (k, x) in &items {
            let start = self.out.len();
            if !first {
                self.out.push_str(&self.enc.item_separator);
            }
            if let Some((s, surr)) = as_str_flag(k) {
                self.string(vm, s, surr)?;
            } else {
                let key = if let Some(f) = k.as_float() {
                    let mark = self.out.len();
                    self.float(vm, f)?;
                    self.out.split_off(mark)
                } else if k.is_bool() {
                    (if k.is_true_singleton() {
                        "true"
                    } else {
                        "false"
                    })
                    .to_string()
                } else if k.is_none() {
                    "null".to_string()
                } else if let Some(i) = crate::types::int::as_int(k) {
                    let mark = self.out.len();
                    self.int(&i);
                    self.out.split_off(mark)
                } else if self.enc.skipkeys {
                    self.out.truncate(start);
                    continue;
                } else {
                    let tn = crate::modules::native_args::type_name(k);
                    return Err(vm.type_error(format!(
                        "keys must be str, int, float, bool or None, not {tn}"
                    )));
                };
                self.string(vm, &key, false)?;
            }
            first = false;
            self.out.push_str(&self.enc.key_separator);
            self.value(vm, x)?;
        }
        self.out.push('}');
        Ok(())
    }
}
