//! set and frozenset: CPython's open-addressing table (linear probes, then perturbed
//! jumps), so iteration order matches CPython's for the same hashes.
use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::vm::{PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct SetObj {
    pub d: ObjCell<SetData>,
}

impl PyPayload for SetObj {
    fn class() -> RawValue {
        types().set
    }
}

#[derive(Clone)]
pub struct Slot {
    pub hash: i64,
    /// NULL when empty or deleted (`dummy` tells which).
    pub key: Value,
    pub dummy: bool,
}

pub struct SetData {
    pub table: Vec<Slot>,
    pub fill: usize,
    pub used: usize,
    pub mutations: u64,
    /// Where `pop` starts looking (CPython's `finger`): repeated pops walk the
    /// table instead of rescanning its deleted prefix, in CPython's order.
    pub finger: usize,
}

const LINEAR_PROBES: usize = 9;
const MIN_SIZE: usize = 8;

enum Probe {
    Hit(usize),
    Maybe(Vec<(usize, Value)>),
}

impl Default for SetData {
    fn default() -> Self {
        SetData::new()
    }
}

impl SetData {
    pub fn new() -> SetData {
        SetData {
            table: vec![
                Slot {
                    hash: 0,
                    key: Value::NULL,
                    dummy: false
                };
                MIN_SIZE
            ],
            fill: 0,
            used: 0,
            mutations: 0,
            finger: 0,
        }
    }

    pub(crate) fn mask(&self) -> usize {
        self.table.len() - 1
    }

    fn probe(&self, key: &Value, hash: i64) -> Probe {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        let mut maybe = Vec::new();
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                let e = &self.table[j];
                if e.key.is_null() {
                    if !e.dummy {
                        return Probe::Maybe(maybe);
                    }
                } else if e.hash == hash {
                    match crate::ops::eq_fast(&e.key, key) {
                        Some(true) => return Probe::Hit(j),
                        Some(false) => {}
                        None => maybe.push((j, e.key.clone())),
                    }
                }
            }
            perturb >>= 5;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    pub(crate) fn insert_clean(table: &mut [Slot], key: Value, hash: i64) {
        let mask = table.len() - 1;
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for slot in table.iter_mut().skip(i).take(probes + 1) {
                if slot.key.is_null() {
                    *slot = Slot {
                        hash,
                        key,
                        dummy: false,
                    };
                    return;
                }
            }
            perturb >>= 5;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    pub(crate) fn resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        let old = std::mem::replace(
            &mut self.table,
            vec![
                Slot {
                    hash: 0,
                    key: Value::NULL,
                    dummy: false
                };
                size
            ],
        );
        self.fill = self.used;
        for s in old {
            if !s.key.is_null() {
                Self::insert_clean(&mut self.table, s.key, s.hash);
            }
        }
    }

    /// Insert a key known to be absent. As CPython's `set_add_entry`, the last
    /// deleted slot on the key's probe path is reused (then `fill` does not grow and
    /// no resize is due); else the key goes in the unused slot that ended the path.
    pub fn insert_new(&mut self, key: Value, hash: i64) {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        let mut freeslot = None;
        'outer: loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                let e = &self.table[j];
                if e.key.is_null() {
                    if !e.dummy {
                        i = j;
                        break 'outer;
                    }
                    freeslot = Some(j);
                }
            }
            perturb >>= 5;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
        if let Some(j) = freeslot {
            self.table[j] = Slot {
                hash,
                key,
                dummy: false,
            };
            self.used += 1;
            self.mutations += 1;
            return;
        }
        self.table[i] = Slot {
            hash,
            key,
            dummy: false,
        };
        self.fill += 1;
        self.used += 1;
        self.mutations += 1;
        if self.fill * 5 >= mask * 3 {
            let u = self.used;
            self.resize(if u > 50000 { u * 2 } else { u * 4 });
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.table.iter().filter(|s| !s.key.is_null())
    }

    pub fn keys(&self) -> Vec<Value> {
        self.iter().map(|s| s.key.clone()).collect()
    }

    pub fn remove_at(&mut self, j: usize) -> Value {
        let k = std::mem::replace(&mut self.table[j].key, Value::NULL);
        self.table[j].dummy = true;
        self.used -= 1;
        self.mutations += 1;
        k
    }

    /// Remove and return a key (`set_pop`), from the finger on; None when empty.
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut j = self.finger & mask;
        while self.table[j].key.is_null() {
            j = if j == mask { 0 } else { j + 1 };
        }
        self.finger = j + 1;
        Some(self.remove_at(j))
    }

    pub fn clear(&mut self) {
        *self = SetData::new();
    }
}

impl SetObj {
    pub fn new() -> SetObj {
        SetObj {
            d: ObjCell::new(SetData::new()),
        }
    }

    pub fn len(&self) -> usize {
        self.d.with(|d| d.used)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn lookup(&self, vm: &mut Vm, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        loop {
            let cands = match self.d.with(|d| d.probe(key, hash)) {
                Probe::Hit(j) => return Ok(Some(j)),
                Probe::Maybe(c) => c,
            };
            if cands.is_empty() {
                return Ok(None);
            }
            let before = self.d.with(|d| d.mutations);
            for (j, k) in cands {
                if vm.eq(&k, key)? {
                    if self.d.with(|d| d.mutations == before) {
                        return Ok(Some(j));
                    }
                    break;
                }
            }
            if self.d.with(|d| d.mutations) == before {
                return Ok(None);
            }
        }
    }

    pub fn add(&self, vm: &mut Vm, key: Value) -> PyResult<()> {
        let hash = vm.hash(&key)?;
        self.add_entry(vm, key, hash)
    }

    /// Add `key` with its known hash (`set_add_entry`). One probe under one lock when
    /// it decides alone (the key is there, or no entry with its hash needs `__eq__`):
    /// the common case for ints and strs. Else `__eq__` runs outside the lock and the
    /// insert probes again under it, so a key another thread added meanwhile (with an
    /// identical or builtin-equal key) is not added twice.
    pub fn add_entry(&self, vm: &mut Vm, key: Value, hash: i64) -> PyResult<()> {
        let key = match self.d.with(|d| match d.probe(&key, hash) {
            Probe::Hit(_) => None,
            Probe::Maybe(c) if c.is_empty() => {
                d.insert_new(key, hash);
                None
            }
            Probe::Maybe(_) => Some(key),
        }) {
            None => return Ok(()),
            Some(key) => key,
        };
        if self.lookup(vm, &key, hash)?.is_none() {
            self.d.with(|d| {
                if !matches!(d.probe(&key, hash), Probe::Hit(_)) {
                    d.insert_new(key, hash);
                }
            });
        }
        Ok(())
    }

    pub fn contains(&self, vm: &mut Vm, key: &Value) -> PyResult<bool> {
        let hash = vm.hash(key)?;
        self.contains_entry(vm, key, hash)
    }

    /// Is `key` (whose hash is `hash`) in the set? (`set_contains_entry`)
    pub fn contains_entry(&self, vm: &mut Vm, key: &Value, hash: i64) -> PyResult<bool> {
        Ok(self.lookup(vm, key, hash)?.is_some())
    }

    /// Remove `key`; returns whether it was present.
    pub fn discard(&self, vm: &mut Vm, key: &Value) -> PyResult<bool> {
        let hash = vm.hash(key)?;
        self.discard_entry(vm, key, hash)
    }

    /// Remove `key` with its known hash; whether it was there (`set_discard_entry`).
    pub fn discard_entry(&self, vm: &mut Vm, key: &Value, hash: i64) -> PyResult<bool> {
        Ok(match self.lookup(vm, key, hash)? {
            Some(j) => {
                let k = self.d.with(|d| d.remove_at(j));
                drop(k);
                true
            }
            None => false,
        })
    }

    pub fn keys(&self) -> Vec<Value> {
        self.d.with(|d| d.keys())
    }

    /// Add every key of `other` (CPython's `set_merge`: pre-size, then copy slots
    /// directly into an empty table, so iteration order matches CPython's).
    pub fn merge(&self, vm: &mut Vm, other: &SetObj) -> PyResult<()> {
        if std::ptr::eq(self, other) {
            return Ok(());
        }
        // One consistent copy of `other`'s live slots with their positions (another
        // thread may change `other` after it).
        let (slots, other_len, no_dummies) = other.d.read(|o| {
            let slots: Vec<(usize, Value, i64)> = o
                .table
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.key.is_null())
                .map(|(i, e)| (i, e.key.clone(), e.hash))
                .collect();
            (slots, o.table.len(), o.fill == o.used)
        });
        let n = slots.len();
        if n == 0 {
            return Ok(());
        }
        let rest = self.d.with(|d| {
            if (d.fill + n) * 5 >= d.mask() * 3 {
                let u = d.used;
                d.resize((u + n) * 2);
            }
            if d.fill != 0 {
                return Some(slots);
            }
            // An empty table takes the keys without comparisons: slot for slot when
            // the sizes match and `other` has no deleted slots (a key placed past one
            // would be unreachable in a table without it), else by clean inserts.
            let direct = d.table.len() == other_len && no_dummies;
            for (i, key, hash) in slots {
                if direct {
                    d.table[i] = Slot {
                        hash,
                        key,
                        dummy: false,
                    };
                } else {
                    SetData::insert_clean(&mut d.table, key, hash);
                }
            }
            d.fill = n;
            d.used = n;
            d.mutations += 1;
            None
        });
        for (_, key, hash) in rest.into_iter().flatten() {
            self.add_entry(vm, key, hash)?;
        }
        Ok(())
    }
}

impl Default for SetObj {
    fn default() -> Self {
        SetObj::new()
    }
}

/// The payload of a set or frozenset.
pub fn as_set(v: &Value) -> Option<&SetObj> {
    let t = v.type_raw();
    let td = v.type_data();
    if t == types().set
        || t == types().frozenset
        || (td.is_heap
            && matches!(
                td.kind,
                crate::types::class::Kind::Set | crate::types::class::Kind::FrozenSet
            ))
    {
        // SAFETY: set and frozenset objects (and their subclasses' instances) start
        // with a SetObj payload.
        Some(unsafe { v.payload_unchecked::<SetObj>() })
    } else {
        None
    }
}
