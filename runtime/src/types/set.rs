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

/// One table entry: 16 bytes, as CPython's `setentry`. A NULL key is an unused slot
/// (hash 0) or a deleted one (hash [`DUMMY`]); a live key's hash is never looked at
/// to tell them apart, so any hash value is valid for it.
#[derive(Clone)]
pub struct Slot {
    pub hash: i64,
    pub key: Value,
}

/// The hash of a deleted slot (CPython's `dummy` key).
const DUMMY: i64 = -1;

impl Slot {
    const UNUSED: Slot = Slot {
        hash: 0,
        key: Value::NULL,
    };

    #[inline(always)]
    fn live(key: Value, hash: i64) -> Slot {
        Slot { hash, key }
    }
}

/// Walk `hash`'s probe path through `table` in CPython's order (a run of linear
/// probes, then a perturbed jump): `visit` sees each used slot (live or deleted) with
/// its index and may end the walk with a result; an unused slot ends it with
/// `Err(its index)`. The one copy of the probe sequence every lookup and insert takes.
#[inline(always)]
fn walk<R>(
    table: &[Slot],
    hash: i64,
    mut visit: impl FnMut(usize, &Slot) -> Option<R>,
) -> Result<R, usize> {
    let mask = table.len() - 1;
    let mut perturb = hash as u64;
    let mut i = hash as u64 as usize & mask;
    loop {
        let probes = if i + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        };
        for (j, e) in table.iter().enumerate().skip(i).take(probes + 1) {
            if e.key.is_null() && e.hash != DUMMY {
                return Err(j);
            }
            if let Some(r) = visit(j, e) {
                return Ok(r);
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

/// The unused slot that ends `hash`'s probe path, `visit` seeing the used ones.
#[inline(always)]
fn unused_on_path(table: &[Slot], hash: i64, mut visit: impl FnMut(usize, &Slot)) -> usize {
    match walk(table, hash, |j, e| {
        visit(j, e);
        None::<std::convert::Infallible>
    }) {
        Ok(never) => match never {},
        Err(j) => j,
    }
}

/// The table size `set_table_resize` picks for `minused`: the least power of two
/// above it, at least MIN_SIZE.
fn table_size(minused: usize) -> usize {
    let mut size = MIN_SIZE;
    while size <= minused {
        size <<= 1;
    }
    size
}

/// A table of `size` unused slots (a power of two).
fn unused_table(size: usize) -> Vec<Slot> {
    let mut t = Vec::with_capacity(size);
    t.resize_with(size, || Slot::UNUSED);
    t
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

/// The slow probe's answer: the key's slot, or the slots whose keys have its hash but
/// need `__eq__` to tell (none: the key is absent).
enum Probe {
    Hit(usize),
    Maybe(Vec<(usize, Value)>),
}

/// What a probe decides without running Python code ([`SetData::find`]).
pub(crate) enum Found {
    Hit(usize),
    Absent,
    /// An entry with the key's hash needs `__eq__`: ask [`SetObj::lookup`].
    Undecided,
}

impl Default for SetData {
    fn default() -> Self {
        SetData::new()
    }
}

impl SetData {
    pub fn new() -> SetData {
        SetData {
            table: unused_table(MIN_SIZE),
            fill: 0,
            used: 0,
            mutations: 0,
            finger: 0,
        }
    }

    pub(crate) fn mask(&self) -> usize {
        self.table.len() - 1
    }

    /// Where `key` is, when that is known without running Python code: the probe of
    /// every walk that may not leave the lock (set algebra between two sets) and the
    /// first try of every lookup. Allocates nothing.
    #[inline]
    pub(crate) fn find(&self, key: &Value, hash: i64) -> Found {
        let found = walk(&self.table, hash, |j, e| {
            if e.key.is_null() || e.hash != hash {
                return None;
            }
            // Identity first, as `eq_fast` begins, but without its call: the usual
            // hit for ints and interned strs.
            if e.key.is(key) {
                return Some(Found::Hit(j));
            }
            match crate::ops::eq_fast(&e.key, key) {
                Some(true) => Some(Found::Hit(j)),
                Some(false) => None,
                // The entries are compared in probe order, as CPython's: this one's
                // `__eq__` may say yes.
                None => Some(Found::Undecided),
            }
        });
        found.unwrap_or(Found::Absent)
    }

    /// The key's slot, or every slot on its path whose key needs `__eq__` to tell.
    fn probe(&self, key: &Value, hash: i64) -> Probe {
        let mut maybe = Vec::new();
        let hit = walk(&self.table, hash, |j, e| {
            if e.key.is_null() || e.hash != hash {
                return None;
            }
            match crate::ops::eq_fast(&e.key, key) {
                Some(true) => Some(j),
                Some(false) => None,
                None => {
                    maybe.push((j, e.key.clone()));
                    None
                }
            }
        });
        match hit {
            Ok(j) => Probe::Hit(j),
            Err(_) => Probe::Maybe(maybe),
        }
    }

    /// Put a key in a table with no deleted slots and no equal key (a resize, a copy).
    pub(crate) fn insert_clean(table: &mut [Slot], key: Value, hash: i64) {
        let j = unused_on_path(table, hash, |_, _| {});
        table[j] = Slot::live(key, hash);
    }

    pub(crate) fn resize(&mut self, minused: usize) {
        let old = std::mem::replace(&mut self.table, unused_table(table_size(minused)));
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
        let mut freeslot = None;
        let i = unused_on_path(&self.table, hash, |j, e| {
            if e.key.is_null() {
                freeslot = Some(j);
            }
        });
        if let Some(j) = freeslot {
            self.table[j] = Slot::live(key, hash);
            self.used += 1;
            self.mutations += 1;
            return;
        }
        self.table[i] = Slot::live(key, hash);
        self.fill += 1;
        self.used += 1;
        self.mutations += 1;
        if self.fill * 5 >= mask * 3 {
            let u = self.used;
            self.resize(if u > 50000 { u * 2 } else { u * 4 });
        }
    }

    /// A copy with this table's layout: what `set_merge` makes of it in an empty set
    /// (pre-sized; slot for slot when the sizes match and there are no deleted slots, a
    /// key placed past one being unreachable in a table without it; else by clean
    /// inserts), so the copy iterates in CPython's order.
    pub(crate) fn copy_layout(&self) -> SetData {
        let n = self.used;
        // `set_merge`'s pre-size of an empty (MIN_SIZE) table.
        let size = if n * 5 >= (MIN_SIZE - 1) * 3 {
            table_size(n * 2)
        } else {
            MIN_SIZE
        };
        let table = if size == self.table.len() && self.fill == self.used {
            self.table.clone()
        } else {
            let mut t = unused_table(size);
            for e in self.iter() {
                SetData::insert_clean(&mut t, e.key.clone(), e.hash);
            }
            t
        };
        SetData {
            table,
            fill: n,
            used: n,
            mutations: 1,
            finger: 0,
        }
    }

    /// After removals: when more than a quarter of the table is deleted slots, rebuild
    /// it without them (the end of `set_difference_update_internal`).
    pub(crate) fn compact_if_sparse(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
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
        self.table[j].hash = DUMMY;
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
        match self.d.read(|d| d.find(key, hash)) {
            Found::Hit(j) => return Ok(Some(j)),
            Found::Absent => return Ok(None),
            Found::Undecided => {}
        }
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
        let key = match self.d.with(|d| match d.find(&key, hash) {
            Found::Hit(_) => None,
            Found::Absent => {
                d.insert_new(key, hash);
                None
            }
            Found::Undecided => Some(key),
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

    /// Add every key of `other` (CPython's `set_merge`). An empty set takes a copy of
    /// `other`'s table with its layout (so iteration order matches CPython's); else the
    /// table is pre-sized and `other`'s keys added in its table order.
    pub fn merge(&self, vm: &mut Vm, other: &SetObj) -> PyResult<()> {
        if std::ptr::eq(self, other) || other.is_empty() {
            return Ok(());
        }
        if self.d.read(|d| d.fill == 0 && d.table.len() == MIN_SIZE) {
            // One consistent copy of `other` (another thread may change it after).
            let copy = other.d.read(|o| o.copy_layout());
            let raced = self.d.with(|d| {
                if d.fill != 0 || d.table.len() != MIN_SIZE {
                    return Some(copy);
                }
                let mutations = d.mutations;
                let empty = std::mem::replace(d, copy);
                d.mutations = mutations + 1;
                drop(empty);
                None
            });
            if raced.is_none() {
                return Ok(());
            }
        }
        let keys: Vec<(Value, i64)> = other
            .d
            .read(|o| o.iter().map(|e| (e.key.clone(), e.hash)).collect());
        let n = keys.len();
        self.d.with(|d| {
            if (d.fill + n) * 5 >= d.mask() * 3 {
                let u = d.used;
                d.resize((u + n) * 2);
            }
        });
        for (key, hash) in keys {
            self.add_entry(vm, key, hash)?;
        }
        Ok(())
    }

    /// A set of the given contents.
    pub(crate) fn from_data(d: SetData) -> SetObj {
        SetObj { d: ObjCell::new(d) }
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
