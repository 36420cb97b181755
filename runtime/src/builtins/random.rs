//! `_random`: the Mersenne Twister (MT19937) behind `random`, seeded exactly as CPython
//! seeds it, so `random.seed(n)` reproduces CPython's sequences. The rest of `random`
//! (randrange, shuffle, gauss, ...) is Python in lib/random.py, on top of `random()` and
//! `getrandbits()`.
use num_bigint::{BigInt, Sign};
use num_traits::Zero;

use super::{add_method, method_args, type_name};
use crate::object::ObjCell;
use crate::ops;
use crate::types::int::as_int;
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};
use crate::world::{Types, types};
use stitch_stencils::value::RawValue;

const N: usize = 624;
const M: usize = 397;

pub struct Mt {
    state: [u32; N],
    index: usize,
}

pub struct MtObj {
    pub mt: ObjCell<Box<Mt>>,
}

impl PyPayload for MtObj {
    fn class() -> RawValue {
        types().mersenne
    }
}

impl Mt {
    fn new() -> Mt {
        let mut m = Mt {
            state: [0; N],
            index: N + 1,
        };
        m.init_genrand(5489);
        m
    }

    fn init_genrand(&mut self, s: u32) {
        self.state[0] = s;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1812433253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19650218);
        let (mut i, mut j) = (1usize, 0usize);
        let len = key.len().max(1);
        for _ in 0..N.max(len) {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1664525))
                .wrapping_add(key.get(j).copied().unwrap_or(0))
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
            if j >= len {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1566083941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
        }
        self.state[0] = 0x8000_0000;
        self.index = N;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            const UPPER: u32 = 0x8000_0000;
            const LOWER: u32 = 0x7fff_ffff;
            const MATRIX_A: u32 = 0x9908_b0df;
            for k in 0..N {
                let y = (self.state[k] & UPPER) | (self.state[(k + 1) % N] & LOWER);
                let mag = if y & 1 != 0 { MATRIX_A } else { 0 };
                self.state[k] = self.state[(k + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }
}

pub fn install(t: &Types) {
    add_method(t.mersenne, "random", mt_random);
    add_method(t.mersenne, "seed", mt_seed);
    add_method(t.mersenne, "getrandbits", mt_getrandbits);
    add_method(t.mersenne, "getstate", mt_getstate);
    add_method(t.mersenne, "setstate", mt_setstate);
}

pub fn make_module() -> Value {
    let m = crate::import::new_module("_random", None);
    // SAFETY: new_module returns a module object.
    let d = unsafe { m.payload_unchecked::<crate::types::module::ModuleObj>() }.dict();
    d.set_str("Random", Value::from_borrowed(types().mersenne));
    m
}

/// `_random.Random()` (called through `call_type`).
pub fn new_generator() -> Value {
    let mut mt = Box::new(Mt::new());
    seed_from_time(&mut mt);
    Value::alloc(MtObj {
        mt: ObjCell::new(mt),
    })
}

fn seed_from_time(mt: &mut Mt) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mix = now ^ ((std::process::id() as u128) << 64);
    let key: Vec<u32> = (0..4).map(|i| (mix >> (32 * i)) as u32).collect();
    mt.init_by_array(&key);
}

fn this<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a MtObj> {
    v.downcast::<MtObj>()
        .ok_or_else(|| vm.type_error("descriptor requires a '_random.Random' object"))
}

fn mt_random(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "random", a, 0, 0)?;
    let g = this(vm, s)?;
    Ok(Value::float(g.mt.with(|m| m.random())))
}

fn mt_seed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "seed", a, 0, 1)?;
    let g = this(vm, s)?;
    let arg = r.first().cloned().unwrap_or_else(Value::none);
    if arg.is_none() {
        g.mt.with(|m| seed_from_time(m));
        return Ok(Value::none());
    }
    let n: BigInt = match as_int(&arg) {
        Some(i) => i.to_big(),
        None => {
            // CPython hashes other objects; str/bytes seeds are converted in random.py.
            let h = vm.hash(&arg)?;
            BigInt::from(h)
        }
    };
    let (_, mag) = n.to_u32_digits();
    let key: Vec<u32> = if n.is_zero() { vec![0] } else { mag };
    let _ = Sign::NoSign;
    g.mt.with(|m| m.init_by_array(&key));
    Ok(Value::none())
}

fn mt_getrandbits(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "getrandbits", a, 1, 1)?;
    let k = ops::to_isize(vm, &r[0])?;
    if k < 0 {
        return Err(vm.value_error("number of bits must be non-negative"));
    }
    let g = this(vm, s)?;
    if k == 0 {
        return Ok(Value::int(0));
    }
    if k <= 32 {
        let v = g.mt.with(|m| m.next_u32() >> (32 - k as u32));
        return Ok(Value::int(v as i64));
    }
    // Fill 32-bit words from the least significant end; the last word keeps its top bits.
    let words = ((k - 1) / 32 + 1) as usize;
    let mut digits = Vec::with_capacity(words);
    let mut left = k;
    g.mt.with(|m| {
        for _ in 0..words {
            let mut w = m.next_u32();
            if left < 32 {
                w >>= 32 - left as u32;
            }
            digits.push(w);
            left -= 32;
        }
    });
    Ok(Value::bigint(BigInt::from_slice(Sign::Plus, &digits)))
}

fn mt_getstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = method_args(vm, "getstate", a, 0, 0)?;
    let g = this(vm, s)?;
    let items = g.mt.with(|m| {
        let mut v: Vec<Value> = m.state.iter().map(|w| Value::int(*w as i64)).collect();
        v.push(Value::int(m.index as i64));
        v
    });
    Ok(TupleObj::new_value(items))
}

fn mt_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = method_args(vm, "setstate", a, 1, 1)?;
    let items = ops::collect(vm, &r[0])?;
    if items.len() != N + 1 {
        let tn = type_name(&r[0]);
        return Err(vm.value_error(format!("state vector is the wrong size ({tn})")));
    }
    let mut st = [0u32; N];
    for (i, v) in items[..N].iter().enumerate() {
        st[i] = as_int(v).and_then(|x| x.to_i64()).unwrap_or(0) as u32;
    }
    let idx = as_int(&items[N])
        .and_then(|x| x.to_i64())
        .unwrap_or(N as i64)
        .clamp(0, N as i64) as usize;
    let g = this(vm, s)?;
    g.mt.with(|m| {
        m.state = st;
        m.index = idx;
    });
    Ok(Value::none())
}
