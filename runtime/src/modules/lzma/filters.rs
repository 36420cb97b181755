//! Filter specifiers (Python dicts such as `{"id": FILTER_LZMA2, "preset": 9}`) ->
//! liblzma's `lzma_filter` chains, and back (`_decode_filter_properties`), with the
//! checks and messages of CPython's `_lzmamodule.c`.
use liblzma_sys as x;

use super::lzma_error;
use crate::ops;
use crate::types::dict::DictObj;
use crate::types::int::as_int;
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;

const BCJ: [u64; 6] = [
    x::LZMA_FILTER_X86,
    x::LZMA_FILTER_POWERPC,
    x::LZMA_FILTER_IA64,
    x::LZMA_FILTER_ARM,
    x::LZMA_FILTER_ARMTHUMB,
    x::LZMA_FILTER_SPARC,
];

/// The options of one filter, owned (their addresses go into `lzma_filter`).
pub enum Opts {
    Lzma(Box<x::lzma_options_lzma>),
    Delta(Box<x::lzma_options_delta>),
    Bcj(Box<x::lzma_options_bcj>),
}

impl Opts {
    fn ptr(&mut self) -> *mut std::ffi::c_void {
        match self {
            Opts::Lzma(o) => &mut **o as *mut _ as *mut _,
            Opts::Delta(o) => &mut **o as *mut _ as *mut _,
            Opts::Bcj(o) => &mut **o as *mut _ as *mut _,
        }
    }
}

/// A filter chain as liblzma takes it: the filters then an `LZMA_VLI_UNKNOWN` entry.
pub struct Chain {
    /// Keeps the option structs the raw filters point to alive.
    _opts: Vec<Opts>,
    raw: Vec<x::lzma_filter>,
}

impl Chain {
    pub fn as_ptr(&self) -> *const x::lzma_filter {
        self.raw.as_ptr()
    }

    /// The one filter of a single-filter chain, if it is LZMA1 (FORMAT_ALONE).
    pub fn single_lzma1(&self) -> Option<&x::lzma_options_lzma> {
        match (self.raw.len(), self._opts.first()) {
            (2, Some(Opts::Lzma(o))) if self.raw[0].id == x::LZMA_FILTER_LZMA1 => Some(o),
            _ => None,
        }
    }
}

/// `PyLong_AsUnsignedLongLong`: an int in 0..2**64.
pub fn u64_arg(vm: &mut Vm, v: &Value) -> PyResult<u64> {
    let Some(i) = as_int(v) else {
        return Err(vm.type_error("an integer is required"));
    };
    let b = i.to_big();
    if b.sign() == num_bigint::Sign::Minus {
        return Err(vm.overflow_error("can't convert negative int to unsigned"));
    }
    u64::try_from(&b).map_err(|_| vm.overflow_error("int too big to convert"))
}

/// CPython's `uint32_converter`.
pub fn u32_arg(vm: &mut Vm, v: &Value) -> PyResult<u32> {
    let n = u64_arg(vm, v)?;
    u32::try_from(n).map_err(|_| vm.overflow_error("Value too large for uint32_t type"))
}

/// `spec[key]`, None when the key is missing (`PyMapping_GetOptionalItemString`).
fn optional_item(vm: &mut Vm, spec: &Value, key: &str) -> PyResult<Option<Value>> {
    if let Some(d) = spec.downcast::<DictObj>()
        && spec.type_raw() == types().dict
    {
        return Ok(d.get_str(key));
    }
    let k = crate::types::str::new_str(key);
    match ops::getitem(vm, spec, &k) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.exc.type_data().is_subtype_raw(types().key_error) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The keyword options of a spec (`PyArg_ParseTupleAndKeywords` with an empty tuple):
/// every key must be one of `names`; each value is converted by `conv`. Any failure
/// is reported as `ValueError(msg)`, as CPython replaces the parsing error.
fn options(
    vm: &mut Vm,
    spec: &Value,
    names: &[&str],
    msg: &str,
    mut conv: impl FnMut(&mut Vm, &str, &Value) -> PyResult<()>,
) -> PyResult<()> {
    let Some(d) = spec.downcast::<DictObj>() else {
        return Err(vm.value_error(msg));
    };
    for (k, v) in d.items() {
        let key = crate::types::str::as_str(&k).map(str::to_string);
        let ok = match key {
            Some(key) if names.contains(&key.as_str()) => conv(vm, &key, &v).is_ok(),
            _ => false,
        };
        if !ok {
            return Err(vm.value_error(msg));
        }
    }
    Ok(())
}

fn parse_lzma(vm: &mut Vm, spec: &Value) -> PyResult<Opts> {
    let preset = match optional_item(vm, spec, "preset")? {
        Some(p) => u32_arg(vm, &p)?,
        None => x::LZMA_PRESET_DEFAULT,
    };
    // SAFETY: an all-zero lzma_options_lzma is valid (null preset_dict, zero sizes).
    let mut o: Box<x::lzma_options_lzma> = Box::new(unsafe { std::mem::zeroed() });
    // SAFETY: `o` is a valid, writable lzma_options_lzma.
    if unsafe { x::lzma_lzma_preset(&mut *o, preset) } != 0 {
        return Err(lzma_error(
            vm,
            format!("Invalid compression preset: {preset}"),
        ));
    }
    let names = [
        "id",
        "preset",
        "dict_size",
        "lc",
        "lp",
        "pb",
        "mode",
        "nice_len",
        "mf",
        "depth",
    ];
    options(
        vm,
        spec,
        &names,
        "Invalid filter specifier for LZMA filter",
        |vm, k, v| {
            match k {
                "id" | "preset" => {}
                "dict_size" => o.dict_size = u32_arg(vm, v)?,
                "lc" => o.lc = u32_arg(vm, v)?,
                "lp" => o.lp = u32_arg(vm, v)?,
                "pb" => o.pb = u32_arg(vm, v)?,
                "mode" => o.mode = u32_arg(vm, v)? as x::lzma_mode,
                "nice_len" => o.nice_len = u32_arg(vm, v)?,
                "mf" => o.mf = u32_arg(vm, v)? as x::lzma_match_finder,
                _ => o.depth = u32_arg(vm, v)?,
            }
            Ok(())
        },
    )?;
    Ok(Opts::Lzma(o))
}

fn parse_delta(vm: &mut Vm, spec: &Value) -> PyResult<Opts> {
    let mut dist = 1;
    options(
        vm,
        spec,
        &["id", "dist"],
        "Invalid filter specifier for delta filter",
        |vm, k, v| {
            if k == "dist" {
                dist = u32_arg(vm, v)?;
            }
            Ok(())
        },
    )?;
    // SAFETY: an all-zero lzma_options_delta is valid (reserved fields zero).
    let mut o: Box<x::lzma_options_delta> = Box::new(unsafe { std::mem::zeroed() });
    o.type_ = x::lzma_delta_type_LZMA_DELTA_TYPE_BYTE;
    o.dist = dist;
    Ok(Opts::Delta(o))
}

fn parse_bcj(vm: &mut Vm, spec: &Value) -> PyResult<Opts> {
    let mut start_offset = 0;
    options(
        vm,
        spec,
        &["id", "start_offset"],
        "Invalid filter specifier for BCJ filter",
        |vm, k, v| {
            if k == "start_offset" {
                start_offset = u32_arg(vm, v)?;
            }
            Ok(())
        },
    )?;
    Ok(Opts::Bcj(Box::new(x::lzma_options_bcj { start_offset })))
}

/// CPython's `lzma_filter_converter`: one spec -> (filter id, options).
pub fn parse_filter(vm: &mut Vm, spec: &Value) -> PyResult<(u64, Opts)> {
    // `PyMapping_Check`: a dict, or anything with `__getitem__` but a list or tuple.
    let is_mapping = spec.downcast::<DictObj>().is_some()
        || crate::vm::lookup_special(spec, "__getitem__").is_some()
            && spec.type_raw() != types().list
            && spec.type_raw() != types().tuple;
    if !is_mapping {
        return Err(vm.type_error("Filter specifier must be a dict or dict-like object"));
    }
    let Some(id) = optional_item(vm, spec, "id")? else {
        return Err(vm.value_error("Filter specifier must have an \"id\" entry"));
    };
    let id = u64_arg(vm, &id)?;
    let opts = match id {
        x::LZMA_FILTER_LZMA1 | x::LZMA_FILTER_LZMA2 => parse_lzma(vm, spec)?,
        x::LZMA_FILTER_DELTA => parse_delta(vm, spec)?,
        _ if BCJ.contains(&id) => parse_bcj(vm, spec)?,
        _ => return Err(vm.value_error(format!("Invalid filter ID: {id}"))),
    };
    Ok((id, opts))
}

/// CPython's `parse_filter_chain_spec`: a sequence of specs -> a chain.
pub fn parse_chain(vm: &mut Vm, specs: &Value) -> PyResult<Chain> {
    // `PySequence_Length`: a mapping has no sequence length.
    if specs.downcast::<DictObj>().is_some() {
        let tn = super::super::native_args::type_name(specs);
        return Err(vm.type_error(format!("{tn} is not a sequence")));
    }
    let n = ops::len(vm, specs)?;
    if n > x::LZMA_FILTERS_MAX as usize {
        return Err(vm.value_error(format!(
            "Too many filters - liblzma supports a maximum of {}",
            x::LZMA_FILTERS_MAX
        )));
    }
    let mut opts = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let spec = ops::getitem(vm, specs, &Value::int(i as i64))?;
        let (id, o) = parse_filter(vm, &spec)?;
        ids.push(id);
        opts.push(o);
    }
    Ok(chain_of(ids, opts))
}

/// A chain of the given filters (the options are moved in, so their boxes stay put).
pub fn chain_of(ids: Vec<u64>, mut opts: Vec<Opts>) -> Chain {
    let mut raw: Vec<x::lzma_filter> = ids
        .iter()
        .zip(opts.iter_mut())
        .map(|(&id, o)| x::lzma_filter {
            id,
            options: o.ptr(),
        })
        .collect();
    raw.push(x::lzma_filter {
        id: x::LZMA_VLI_UNKNOWN,
        options: std::ptr::null_mut(),
    });
    Chain { _opts: opts, raw }
}

/// `_encode_filter_properties(filter, /)`: the filter's encoded properties.
pub fn encode_properties(vm: &mut Vm, spec: &Value) -> PyResult<Vec<u8>> {
    let (id, opts) = parse_filter(vm, spec)?;
    let chain = chain_of(vec![id], vec![opts]);
    let mut size: u32 = 0;
    // SAFETY: the filter and its options are valid for the call.
    let ret = unsafe { x::lzma_properties_size(&mut size, chain.as_ptr()) };
    super::check_ret(vm, ret)?;
    let mut out = vec![0u8; size as usize];
    // SAFETY: `out` holds the `size` bytes liblzma said it writes.
    let ret = unsafe { x::lzma_properties_encode(chain.as_ptr(), out.as_mut_ptr()) };
    super::check_ret(vm, ret)?;
    Ok(out)
}

/// `_decode_filter_properties(filter_id, encoded_props, /)`: the filter spec dict.
pub fn decode_properties(vm: &mut Vm, id: u64, props: &[u8]) -> PyResult<Value> {
    let mut f = x::lzma_filter {
        id,
        options: std::ptr::null_mut(),
    };
    // SAFETY: `props` is a live buffer of its length; liblzma allocates the options
    // with malloc (no allocator given), freed below.
    let ret =
        unsafe { x::lzma_properties_decode(&mut f, std::ptr::null(), props.as_ptr(), props.len()) };
    super::check_ret(vm, ret)?;
    let fields: Result<Vec<(&str, u64)>, ()> = {
        let p = f.options;
        // In each arm liblzma allocated the options struct of the filter's id; a null
        // pointer (BCJ without properties) reads as the defaults.
        match id {
            x::LZMA_FILTER_LZMA1 if !p.is_null() => {
                // SAFETY: non-null lzma_options_lzma allocated by liblzma for LZMA1.
                let o = unsafe { &*(p as *const x::lzma_options_lzma) };
                Ok(vec![
                    ("lc", o.lc as u64),
                    ("lp", o.lp as u64),
                    ("pb", o.pb as u64),
                    ("dict_size", o.dict_size as u64),
                ])
            }
            x::LZMA_FILTER_LZMA2 if !p.is_null() => {
                // SAFETY: non-null lzma_options_lzma allocated by liblzma for LZMA2.
                let o = unsafe { &*(p as *const x::lzma_options_lzma) };
                Ok(vec![("dict_size", o.dict_size as u64)])
            }
            x::LZMA_FILTER_DELTA if !p.is_null() => {
                // SAFETY: non-null lzma_options_delta allocated by liblzma for delta.
                let o = unsafe { &*(p as *const x::lzma_options_delta) };
                Ok(vec![("dist", o.dist as u64)])
            }
            _ if BCJ.contains(&id) => {
                let start = if p.is_null() {
                    0
                } else {
                    // SAFETY: non-null lzma_options_bcj allocated by liblzma for BCJ.
                    unsafe { (*(p as *const x::lzma_options_bcj)).start_offset }
                };
                Ok(vec![("start_offset", start as u64)])
            }
            _ => Err(()),
        }
    };
    // SAFETY: allocated by liblzma with malloc (or null, which free accepts).
    unsafe { libc::free(f.options) };
    let Ok(fields) = fields else {
        return Err(vm.value_error(format!("Invalid filter ID: {id}")));
    };
    let d = DictObj::new();
    d.set_str("id", Value::bigint(id.into()));
    for (k, v) in fields {
        d.set_str(k, Value::bigint(v.into()));
    }
    Ok(Value::alloc(d))
}
