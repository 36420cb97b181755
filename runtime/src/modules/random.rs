//! `_random`: the Mersenne Twister (MT19937) behind the Lib's `random.py`, seeded
//! exactly as CPython seeds it, so `random.seed(n)` reproduces CPython's sequences.
//! `_random.Random` is subclassable (`random.Random` is a Python subclass of it).
use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};

use super::native_args::{methods, module, object_type, set, this};
use crate::native_payload;
use crate::object::ObjCell;
use crate::ops;
use crate::types::class::Kind as TypeKind;
use crate::types::int::as_int;
use crate::types::native::{self, NativeType, new_type};
use crate::types::tuple::TupleObj;
use crate::value::{PyPayload, Value};
use crate::vm::{Args, PyResult, Vm};

const N: usize = 624;
const M: usize = 397;

/// The generator's state: 624 words and the position of the next one.
pub struct Mt {
    state: [u32; N],
    index: usize,
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

    /// A float in [0, 1) with 53 random bits, as CPython's `random_random`.
    fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// Seed from the OS's entropy (CPython: 624 words of urandom), or, failing that,
    /// from the time and the process id.
    fn seed_urandom(&mut self) {
        use std::io::Read;
        let mut buf = vec![0u8; N * 4];
        let ok = std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut buf))
            .is_ok();
        if ok {
            let key: Vec<u32> = buf
                .chunks(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            self.init_by_array(&key);
            return;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mix = now ^ ((std::process::id() as u128) << 64);
        let key: Vec<u32> = (0..4).map(|i| (mix >> (32 * i)) as u32).collect();
        self.init_by_array(&key);
    }
}

pub struct RandomObj {
    mt: ObjCell<Box<Mt>>,
}
native_payload!(RandomObj, RANDOM);
static RANDOM_T: NativeType = NativeType {
    new: Some(random_new),
    has_init: true,
    ..NativeType::of::<RandomObj>()
};

pub fn init(_vm: &mut Vm) -> PyResult<Value> {
    let m = module("_random", &[]);
    let t = new_type::<RandomObj>(
        "Random",
        "_random",
        object_type(),
        TypeKind::Native,
        &RANDOM_T,
        &RANDOM,
    );
    methods(
        &t,
        &[
            ("__init__", r_init),
            ("random", r_random),
            ("seed", r_seed),
            ("getrandbits", r_getrandbits),
            ("getstate", r_getstate),
            ("setstate", r_setstate),
        ],
    );
    set(&m, "Random", t);
    Ok(m)
}

/// A new generator for `cls` (seeded by `__init__`, as CPython's `random_init`).
fn random_new(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(native::alloc(
        cls,
        RandomObj {
            mt: ObjCell::new(Box::new(Mt::new())),
        },
    ))
}

/// `Random.__init__(seed=None)`: seeds the generator.
fn r_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let Some((s, p)) = a.pos().split_first() else {
        return Err(vm.type_error("descriptor '__init__' needs an argument"));
    };
    let td = s.type_data();
    let plain = s.type_raw() == RandomObj::class()
        || td
            .lookup("__init__")
            .is_some_and(|f| f.downcast::<crate::types::func::BuiltinFuncObj>().is_some());
    if plain && a.has_kw() {
        return Err(vm.type_error("Random() takes no keyword arguments"));
    }
    if p.len() > 1 {
        return Err(vm.type_error("Random() requires 0 or 1 argument"));
    }
    let g = me(vm, s)?;
    let mut fresh = Box::new(Mt::new());
    seed(vm, &mut fresh, p.first())?;
    g.mt.with(|m| *m = fresh);
    Ok(Value::none())
}

/// CPython's `random_seed`: None seeds from the OS; an int by its absolute value;
/// anything else by its hash (as an unsigned word).
fn seed(vm: &mut Vm, mt: &mut Mt, arg: Option<&Value>) -> PyResult<()> {
    let arg = match arg {
        Some(a) if !a.is_none() => a,
        _ => {
            mt.seed_urandom();
            return Ok(());
        }
    };
    let n: BigInt = match as_int(arg) {
        Some(i) => i.to_big().abs(),
        None => BigInt::from(vm.hash(arg)? as u64),
    };
    let (_, mag) = n.to_u32_digits();
    let key: Vec<u32> = if n.is_zero() { vec![0] } else { mag };
    mt.init_by_array(&key);
    Ok(())
}

fn me<'a>(vm: &mut Vm, v: &'a Value) -> PyResult<&'a RandomObj> {
    native::downcast::<RandomObj>(v)
        .ok_or_else(|| vm.type_error("descriptor requires a '_random.Random' object"))
}

fn r_random(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "random", a, 0, 0)?;
    let g = me(vm, s)?;
    Ok(Value::float(g.mt.with(|m| m.random())))
}

fn r_seed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "seed", a, 0, 1)?;
    let g = me(vm, s)?;
    // The key is computed first (hashing may run Python code), then installed.
    let mut fresh = Box::new(Mt::new());
    seed(vm, &mut fresh, r.first())?;
    g.mt.with(|m| *m = fresh);
    Ok(Value::none())
}

fn r_getrandbits(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "getrandbits", a, 1, 1)?;
    if r[0].is_float() {
        return Err(vm.type_error("'float' object cannot be interpreted as an integer"));
    }
    let k = ops::to_isize(vm, &r[0])?;
    if k < 0 {
        return Err(vm.value_error("number of bits must be non-negative"));
    }
    let g = me(vm, s)?;
    if k == 0 {
        return Ok(Value::int(0));
    }
    if k <= 32 {
        let v = g.mt.with(|m| m.next_u32() >> (32 - k as u32));
        return Ok(Value::int(v as i64));
    }
    // 32-bit words from the least significant end; the last keeps its top bits.
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

fn r_getstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, _) = this(vm, "getstate", a, 0, 0)?;
    let g = me(vm, s)?;
    let items = g.mt.with(|m| {
        let mut v: Vec<Value> = m.state.iter().map(|w| Value::int(*w as i64)).collect();
        v.push(Value::int(m.index as i64));
        v
    });
    Ok(TupleObj::new_value(items))
}

fn r_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (s, r) = this(vm, "setstate", a, 1, 1)?;
    let Some(t) = r[0].downcast::<TupleObj>() else {
        return Err(vm.type_error("state vector must be a tuple"));
    };
    let items = t.items.to_vec();
    if items.len() != N + 1 {
        return Err(vm.value_error("state vector is the wrong size"));
    }
    let mut st = [0u32; N];
    for (i, v) in items[..N].iter().enumerate() {
        let Some(x) = as_int(v) else {
            return Err(vm.type_error("an integer is required"));
        };
        let x = x.to_big();
        if x.is_negative() {
            return Err(vm.overflow_error("can't convert negative value to unsigned int"));
        }
        st[i] = match x.to_u64() {
            Some(u) => u as u32,
            None => {
                return Err(vm.overflow_error("Python int too large to convert to C unsigned long"));
            }
        };
    }
    let idx = match as_int(&items[N]).and_then(|x| x.to_i64()) {
        Some(i) => i,
        None => return Err(vm.value_error("invalid state")),
    };
    if idx < 0 || idx > N as i64 {
        return Err(vm.value_error("invalid state"));
    }
    let g = me(vm, s)?;
    g.mt.with(|m| {
        m.state = st;
        m.index = idx as usize;
    });
    Ok(Value::none())
}
