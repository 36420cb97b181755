//! `_blake2`: BLAKE2b and BLAKE2s with every parameter CPython takes (digest size, key,
//! salt, personalization and the tree-hashing parameters).
use super::{Algo, State, feed, new_hash, type_of};
use crate::modules::buffer;
use crate::modules::native_args::{attr, set};
use crate::ops;
use crate::value::Value;
use crate::vm::{Args, PyResult, Vm};

pub(crate) const BLAKE2B: Algo = Algo {
    name: "blake2b",
    module: "_blake2",
    digest_size: 64,
    block_size: 128,
    slot: 12,
};
pub(crate) const BLAKE2S: Algo = Algo {
    name: "blake2s",
    module: "_blake2",
    digest_size: 32,
    block_size: 64,
    slot: 13,
};

/// Salt and personalization sizes, and the maximum key size (= maximum digest size).
fn sizes(algo: &Algo) -> (usize, usize) {
    if algo.slot == BLAKE2B.slot {
        (16, 64)
    } else {
        (8, 32)
    }
}

pub(crate) fn fill_module(m: &Value) {
    for algo in [&BLAKE2B, &BLAKE2S] {
        let t = type_of(algo);
        let (salt, max) = sizes(algo);
        let up = algo.name.to_ascii_uppercase();
        for (k, v) in [
            ("SALT_SIZE", salt),
            ("PERSON_SIZE", salt),
            ("MAX_KEY_SIZE", max),
            ("MAX_DIGEST_SIZE", max),
        ] {
            attr(&t, k, Value::int(v as i64));
            set(m, &format!("{up}_{k}"), Value::int(v as i64));
        }
        set(m, algo.name, t);
    }
}

const NAMES: [&str; 13] = [
    "data",
    "digest_size",
    "key",
    "salt",
    "person",
    "fanout",
    "depth",
    "leaf_size",
    "node_offset",
    "node_depth",
    "inner_size",
    "last_node",
    "usedforsecurity",
];

/// A C `int` argument.
fn int_arg(vm: &mut Vm, v: Option<&Value>, default: i64) -> PyResult<i64> {
    let Some(v) = v else { return Ok(default) };
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = ops::to_index(vm, v)?;
    match i32::try_from(&n) {
        Ok(i) => Ok(i as i64),
        Err(_) if n < 0.into() => Err(vm.overflow_error("signed integer is less than minimum")),
        Err(_) => Err(vm.overflow_error("signed integer is greater than maximum")),
    }
}

/// A C `unsigned long` argument (negative values refused as CPython's converter does).
fn ulong_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<u64> {
    let Some(v) = v else { return Ok(0) };
    if v.is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let n = ops::to_index(vm, v)?;
    if n < 0.into() {
        return Err(vm.value_error("value must be positive"));
    }
    u64::try_from(&n)
        .map_err(|_| vm.overflow_error("Python int too large to convert to C unsigned long"))
}

/// A buffer argument (key, salt, person); None is no value.
fn buf_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<Vec<u8>> {
    match v {
        None => Ok(vec![]),
        Some(v) if v.is_none() => Ok(vec![]),
        Some(v) => Ok(buffer::need(vm, v)?.into_owned()),
    }
}

/// `blake2b(data=b'', /, *, digest_size=64, key=b'', salt=b'', person=b'', fanout=1,
/// depth=1, leaf_size=0, node_offset=0, node_depth=0, inner_size=0, last_node=False,
/// usedforsecurity=True)`, and blake2s with its smaller sizes.
pub(crate) fn new(vm: &mut Vm, algo: &'static Algo, a: &Args) -> PyResult<Value> {
    let b = crate::modules::kwonly::bind(vm, algo.name, a, &NAMES, 1, 1)?;
    let (salt_max, max) = sizes(algo);
    let digest_size = int_arg(vm, b[1], max as i64)?;
    let key = buf_arg(vm, b[2])?;
    let salt = buf_arg(vm, b[3])?;
    let person = buf_arg(vm, b[4])?;
    let fanout = int_arg(vm, b[5], 1)?;
    let depth = int_arg(vm, b[6], 1)?;
    let leaf_size = ulong_arg(vm, b[7])?;
    let node_offset = ulong_arg(vm, b[8])?;
    let node_depth = int_arg(vm, b[9], 0)?;
    let inner_size = int_arg(vm, b[10], 0)?;
    let last_node = match b[11] {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    if digest_size <= 0 || digest_size > max as i64 {
        return Err(vm.value_error(format!("digest_size must be between 1 and {max} bytes")));
    }
    if salt.len() > salt_max {
        return Err(vm.value_error(format!("maximum salt length is {salt_max} bytes")));
    }
    if person.len() > salt_max {
        return Err(vm.value_error(format!("maximum person length is {salt_max} bytes")));
    }
    if !(0..=255).contains(&fanout) {
        return Err(vm.value_error("fanout must be between 0 and 255"));
    }
    if !(1..=255).contains(&depth) {
        return Err(vm.value_error("depth must be between 1 and 255"));
    }
    if leaf_size > 0xFFFF_FFFF {
        return Err(vm.overflow_error("leaf_size is too large"));
    }
    if algo.slot == BLAKE2S.slot && node_offset > 0xFFFF_FFFF_FFFF {
        return Err(vm.overflow_error("node_offset is too large"));
    }
    if !(0..=255).contains(&node_depth) {
        return Err(vm.value_error("node_depth must be between 0 and 255"));
    }
    if inner_size < 0 || inner_size > max as i64 {
        return Err(vm.value_error(format!("inner_size must be between 0 and is {max}")));
    }
    if key.len() > max {
        return Err(vm.value_error(format!("maximum key length is {max} bytes")));
    }
    let st = if algo.slot == BLAKE2B.slot {
        let mut p = blake2b_simd::Params::new();
        p.hash_length(digest_size as usize)
            .key(&key)
            .salt(&salt)
            .personal(&person)
            .fanout(fanout as u8)
            .max_depth(depth as u8)
            .max_leaf_length(leaf_size as u32)
            .node_offset(node_offset)
            .node_depth(node_depth as u8)
            .inner_hash_length(inner_size as usize)
            .last_node(last_node);
        State::Blake2b(p.to_state())
    } else {
        let mut p = blake2s_simd::Params::new();
        p.hash_length(digest_size as usize)
            .key(&key)
            .salt(&salt)
            .personal(&person)
            .fanout(fanout as u8)
            .max_depth(depth as u8)
            .max_leaf_length(leaf_size as u32)
            .node_offset(node_offset)
            .node_depth(node_depth as u8)
            .inner_hash_length(inner_size as usize)
            .last_node(last_node);
        State::Blake2s(p.to_state())
    };
    let h = new_hash(algo, digest_size as usize, st);
    if let Some(data) = b[0]
        && let Some(o) = super::hash_of(&h)
    {
        feed(vm, &o.st, data)?;
    }
    Ok(h)
}
