//! dict: an insertion-ordered hash table (compact entries + open-addressed index).
//!
//! A dict of at most [`LINEAR_MAX`] entries has no index: a lookup scans the entries'
//! hashes (Ruby's small-hash "array table"). Most dicts are that small (instance
//! `__dict__`s, keyword arguments, small literals), so making one costs a single
//! allocation (the entries) instead of two, and a scan of a few hashes in one cache
//! line or two is as quick as probing.
//!
//! Keys whose equality is decided without running Python code (str, int, float, bool,
//! None, tuples of those, instances without `__eq__`) are compared inside the table;
//! other candidates are compared by the VM outside the borrow, then re-checked.
use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::vm::{PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct DictObj {
    pub d: ObjCell<DictData>,
}

impl PyPayload for DictObj {
    fn class() -> RawValue {
        types().dict
    }
}

#[derive(Clone)]
pub struct Entry {
    pub hash: i64,
    /// NULL for a deleted entry.
    pub key: Value,
    pub value: Value,
}

#[derive(Default)]
pub struct DictData {
    pub entries: Vec<Entry>,
    /// The open-addressed index into `entries`; empty while the dict is linear (at
    /// most `LINEAR_MAX` entries, deleted ones included).
    index: Vec<i32>,
    pub used: usize,
    /// Bumped on every insertion of a new key or deletion (iteration checks it).
    pub mutations: u64,
    /// Keys version for specialized instructions: names this exact set of keys at
    /// these entry positions (values may change). 0 = none assigned; any insertion,
    /// deletion or compaction resets it. Assigned from a global counter, so two dicts
    /// (or one dict at two moments) never share a version.
    keys_version: u32,
    /// Tier-2 traces rely on this dict's contents (`tier2::watch`): the next change of
    /// any key or value tells the JIT (once; watching again is the JIT's call).
    watched: bool,
    /// A one-word Bloom filter of the keys' hashes: bit `hash % 64` is set for every
    /// key inserted since the index was last built (deleted keys leave their bit).
    /// A clear bit proves a key absent without probing: what a method call on an
    /// instance asks of its `__dict__` every time (the method must not be shadowed),
    /// and what every lookup that falls through to a class or the builtins asks.
    bloom: u64,
}

/// The Bloom filter bit of a hash.
#[inline(always)]
fn bloom_bit(hash: i64) -> u64 {
    1u64 << (hash as u64 & 63)
}

/// A watched dict going away is its last change: traces that loaded constants from it
/// must be invalidated before its values are released (and before another dict may be
/// allocated at its address, which watch registrations are keyed by).
impl Drop for DictData {
    fn drop(&mut self) {
        self.modified();
    }
}

static NEXT_KEYS_VERSION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

const EMPTY: i32 = -1;
const DUMMY: i32 = -2;

/// The index slot the probe for a key visits after slot `i` (CPython's perturbed
/// linear congruence, which visits every slot).
#[inline(always)]
fn next_slot(i: usize, perturb: &mut u64, mask: usize) -> usize {
    *perturb >>= 5;
    (i.wrapping_mul(5)
        .wrapping_add(1)
        .wrapping_add(*perturb as usize))
        & mask
}

/// The most entries (deleted ones included) a dict keeps without an index.
pub const LINEAR_MAX: usize = 8;

/// Result of probing for a key.
pub enum Probe {
    Hit(usize),
    /// No fast hit; these candidates (entry index, key) need Python equality.
    Maybe(Vec<(usize, Value)>),
}

impl DictData {
    pub fn new() -> DictData {
        DictData::default()
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// The current keys version, assigning one if needed (0: versions exhausted).
    pub fn keys_version(&mut self) -> u32 {
        if self.keys_version == 0 {
            let v = NEXT_KEYS_VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if v == u32::MAX {
                NEXT_KEYS_VERSION.store(u32::MAX, std::sync::atomic::Ordering::Relaxed);
                return 0;
            }
            self.keys_version = v;
        }
        self.keys_version
    }

    /// The keys version as it is (0 = none): what specialized instructions compare.
    #[inline(always)]
    pub fn current_keys_version(&self) -> u32 {
        self.keys_version
    }

    /// Position of the live entry whose key is `key` itself (by identity), if any.
    pub fn index_of_identical(&self, key: &Value, hash: i64) -> Option<usize> {
        match self.probe(key, hash) {
            Probe::Hit(ix) if self.entries[ix].key.is(key) => Some(ix),
            _ => None,
        }
    }

    fn mask(&self) -> usize {
        self.index.len().wrapping_sub(1)
    }

    /// Probe sequence as in CPython's dict (perturbed linear congruence).
    fn probe(&self, key: &Value, hash: i64) -> Probe {
        let mut maybe = Vec::new();
        if self.bloom & bloom_bit(hash) == 0 {
            return Probe::Maybe(maybe);
        }
        // Entry `ix` is the key (true), or not, or needs Python equality (kept).
        let mut is_key = |ix: usize, e: &Entry| {
            if e.hash != hash || e.key.is_null() {
                return false;
            }
            match crate::ops::eq_fast(&e.key, key) {
                Some(t) => t,
                None => {
                    maybe.push((ix, e.key.clone()));
                    false
                }
            }
        };
        if self.index.is_empty() {
            for (ix, e) in self.entries.iter().enumerate() {
                if is_key(ix, e) {
                    return Probe::Hit(ix);
                }
            }
            return Probe::Maybe(maybe);
        }
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let ix = self.index[i];
            if ix == EMPTY {
                return Probe::Maybe(maybe);
            }
            if ix >= 0 && is_key(ix as usize, &self.entries[ix as usize]) {
                return Probe::Hit(ix as usize);
            }
            i = next_slot(i, &mut perturb, mask);
        }
    }

    fn find_slot(&self, hash: i64) -> usize {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        while self.index[i] >= 0 {
            i = next_slot(i, &mut perturb, mask);
        }
        i
    }

    fn rebuild(&mut self, min_used: usize) {
        let mut size = 8;
        while size * 2 < min_used * 3 + 1 {
            size *= 2;
        }
        self.keys_version = 0;
        if self.entries.len() != self.used {
            self.entries.retain(|e| !e.key.is_null());
        }
        self.index = vec![EMPTY; size];
        self.bloom = 0;
        for (n, e) in self.entries.iter().enumerate() {
            let slot = self.find_slot(e.hash);
            self.index[slot] = n as i32;
            self.bloom |= bloom_bit(e.hash);
        }
    }

    /// What names this dict in watch notifications.
    pub fn identity(&self) -> usize {
        self as *const DictData as usize
    }

    /// Ask to be told (`tier2::watch::fire`) when a key or value of this dict changes
    /// next.
    pub fn watch(&mut self) {
        self.watched = true;
    }

    /// A key or value is about to change: tell the watcher, if any. Every mutation
    /// of a key's value or of the set of keys goes through here.
    #[inline(always)]
    pub fn modified(&mut self) {
        if self.watched {
            self.watched = false;
            crate::tier2::watch::fire(self.identity());
        }
    }

    /// Replace the value of entry `ix`, returning the old one.
    #[inline(always)]
    pub fn replace_value(&mut self, ix: usize, value: Value) -> Value {
        self.modified();
        std::mem::replace(&mut self.entries[ix].value, value)
    }

    /// Insert a key known to be absent.
    pub fn insert_new(&mut self, key: Value, hash: i64, value: Value) {
        self.modified();
        if self.index.is_empty() && self.entries.len() == LINEAR_MAX && self.used < LINEAR_MAX {
            // Linear and full of deleted entries: compact and stay linear.
            self.entries.retain(|e| !e.key.is_null());
            self.bloom = self.entries.iter().fold(0, |b, e| b | bloom_bit(e.hash));
        }
        if !self.index.is_empty() || self.entries.len() == LINEAR_MAX {
            if self.index.is_empty() || (self.entries.len() + 1) * 3 >= self.index.len() * 2 {
                self.rebuild((self.used + 1) * 2);
            }
            let slot = self.find_slot(hash);
            self.index[slot] = self.entries.len() as i32;
        } else if self.entries.capacity() == 0 {
            // Room for four entries at once: cheaper than `push`'s generic growth
            // (43 instructions per new instance with three attributes, callgrind).
            self.entries.reserve_exact(4);
        }
        self.entries.push(Entry { hash, key, value });
        self.bloom |= bloom_bit(hash);
        self.used += 1;
        self.mutations += 1;
        self.keys_version = 0;
    }

    fn remove_at(&mut self, ix: usize) -> (Value, Value) {
        self.modified();
        if !self.index.is_empty() {
            let hash = self.entries[ix].hash;
            let mask = self.mask();
            let mut perturb = hash as u64;
            let mut i = (hash as u64 as usize) & mask;
            while self.index[i] != ix as i32 {
                i = next_slot(i, &mut perturb, mask);
            }
            self.index[i] = DUMMY;
        }
        let k = std::mem::replace(&mut self.entries[ix].key, Value::NULL);
        let v = std::mem::replace(&mut self.entries[ix].value, Value::NULL);
        self.used -= 1;
        self.mutations += 1;
        self.keys_version = 0;
        if self.used == 0 {
            self.entries.clear();
            self.index.clear();
            self.bloom = 0;
        }
        (k, v)
    }

    /// Lookup by a str key (no Python code can run: str equality is builtin).
    pub fn get_str(&self, name: &str) -> Option<Value> {
        self.get_hashed(name, crate::types::str::hash_str(name))
    }

    /// No entry for the str key `name` (hash known)? The Bloom filter answers most
    /// asks inline (a method call asks it of the instance dict every time).
    #[inline(always)]
    pub fn lacks_str(&self, name: &str, hash: i64) -> bool {
        self.bloom & bloom_bit(hash) == 0 || self.get_hashed(name, hash).is_none()
    }

    /// Lookup by a str key whose hash the caller knows (interned names cache it).
    pub fn get_hashed(&self, name: &str, hash: i64) -> Option<Value> {
        if self.bloom & bloom_bit(hash) == 0 {
            return None;
        }
        let is_name = |e: &Entry| {
            e.hash == hash
                && e.key
                    .downcast::<crate::types::str::StrObj>()
                    .is_some_and(|s| std::ptr::eq(s.s.as_ptr(), name.as_ptr()) || &*s.s == name)
        };
        if self.index.is_empty() {
            return self
                .entries
                .iter()
                .find(|e| is_name(e))
                .map(|e| e.value.clone());
        }
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let ix = self.index[i];
            if ix == EMPTY {
                return None;
            }
            if ix >= 0 {
                let e = &self.entries[ix as usize];
                if is_name(e) {
                    return Some(e.value.clone());
                }
            }
            i = next_slot(i, &mut perturb, mask);
        }
    }

    /// Set a str key (the key must be a str object).
    pub fn set_str_key(&mut self, key: Value, value: Value) {
        let hash = crate::types::str::str_hash_of(&key);
        match self.probe(&key, hash) {
            Probe::Hit(ix) => drop(self.replace_value(ix, value)),
            Probe::Maybe(_) => self.insert_new(key, hash, value),
        }
    }

    pub fn remove_str(&mut self, name: &str) -> Option<Value> {
        let key = crate::types::str::new_str(name);
        let hash = crate::types::str::str_hash_of(&key);
        match self.probe(&key, hash) {
            Probe::Hit(ix) => Some(self.remove_at(ix).1),
            Probe::Maybe(_) => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.key.is_null())
    }

    pub fn clear(&mut self) -> Vec<Entry> {
        self.modified();
        self.index.clear();
        self.bloom = 0;
        self.used = 0;
        self.mutations += 1;
        self.keys_version = 0;
        std::mem::take(&mut self.entries)
    }

    /// Entry at position `pos` or later that is live: (next pos, key, value).
    pub fn next_entry(&self, mut pos: usize) -> Option<(usize, Value, Value)> {
        while pos < self.entries.len() {
            let e = &self.entries[pos];
            if !e.key.is_null() {
                return Some((pos + 1, e.key.clone(), e.value.clone()));
            }
            pos += 1;
        }
        None
    }
}

impl DictObj {
    pub fn new() -> DictObj {
        DictObj {
            d: ObjCell::new(DictData::new()),
        }
    }

    pub fn new_value() -> Value {
        Value::alloc(DictObj::new())
    }

    pub fn len(&self) -> usize {
        self.d.read(|d| d.used)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Find the entry index of `key`, running Python `__eq__` where needed.
    fn lookup_index(&self, vm: &mut Vm, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        loop {
            let cands = match self.d.read(|d| d.probe(key, hash)) {
                Probe::Hit(ix) => return Ok(Some(ix)),
                Probe::Maybe(c) => c,
            };
            if cands.is_empty() {
                return Ok(None);
            }
            let before = self.d.with(|d| d.mutations);
            for (ix, k) in cands {
                if vm.eq(&k, key)? {
                    let still = self.d.with(|d| {
                        d.mutations == before && d.entries.get(ix).is_some_and(|e| e.key.is(&k))
                    });
                    if still {
                        return Ok(Some(ix));
                    }
                    break;
                }
            }
            if self.d.with(|d| d.mutations) == before {
                return Ok(None);
            }
            // The table changed under a Python `__eq__`: probe again.
        }
    }

    pub fn get(&self, vm: &mut Vm, key: &Value) -> PyResult<Option<Value>> {
        let hash = vm.hash(key)?;
        Ok(self
            .lookup_index(vm, key, hash)?
            .map(|ix| self.d.read(|d| d.entries[ix].value.clone())))
    }

    pub fn contains(&self, vm: &mut Vm, key: &Value) -> PyResult<bool> {
        let hash = vm.hash(key)?;
        Ok(self.lookup_index(vm, key, hash)?.is_some())
    }

    pub fn set(&self, vm: &mut Vm, key: Value, value: Value) -> PyResult<()> {
        let hash = vm.hash(&key)?;
        match self.lookup_index(vm, &key, hash)? {
            Some(ix) => {
                let old = self.d.with(|d| d.replace_value(ix, value));
                drop(old);
            }
            None => self.d.with(|d| d.insert_new(key, hash, value)),
        }
        Ok(())
    }

    pub fn remove(&self, vm: &mut Vm, key: &Value) -> PyResult<Option<Value>> {
        let hash = vm.hash(key)?;
        Ok(self
            .lookup_index(vm, key, hash)?
            .map(|ix| self.d.with(|d| d.remove_at(ix)).1))
    }

    pub fn get_str(&self, name: &str) -> Option<Value> {
        self.d.read(|d| d.get_str(name))
    }

    pub fn set_str(&self, name: &str, value: Value) {
        let key = crate::world::intern(name);
        self.d.with(|d| d.set_str_key(key, value));
    }

    /// Remove a str key if present, returning its value (for the caller to release).
    pub fn del_str(&self, name: &str) -> Option<Value> {
        let key = crate::world::intern(name);
        let hash = crate::types::str::str_hash_of(&key);
        self.d.with(|d| match d.probe(&key, hash) {
            Probe::Hit(ix) => Some(d.remove_at(ix).1),
            Probe::Maybe(_) => None,
        })
    }

    /// Set with a str key object (its cached hash is used).
    pub fn set_str_value(&self, key: &Value, value: Value) {
        drop(self.replace_str_value(key, value));
    }

    /// Set with a str key object; returns the value it replaced (for the caller to
    /// release when it chooses).
    pub fn replace_str_value(&self, key: &Value, value: Value) -> Option<Value> {
        let hash = crate::types::str::str_hash_of(key);
        self.d.with(|d| {
            if d.bloom & bloom_bit(hash) == 0 {
                // Absent for sure: what setting a new instance's attributes finds.
                d.insert_new(key.clone(), hash, value);
                return None;
            }
            match d.probe(key, hash) {
                Probe::Hit(ix) => Some(d.replace_value(ix, value)),
                Probe::Maybe(_) => {
                    d.insert_new(key.clone(), hash, value);
                    None
                }
            }
        })
    }

    /// Get by a str key object (its cached hash is used).
    pub fn get_str_value(&self, key: &Value) -> Option<Value> {
        let s = crate::types::str::as_str(key)?;
        let h = crate::types::str::str_hash_of(key);
        self.d.read(|d| d.get_hashed(s, h))
    }

    pub fn keys(&self) -> Vec<Value> {
        self.d.read(|d| d.iter().map(|e| e.key.clone()).collect())
    }

    pub fn values(&self) -> Vec<Value> {
        self.d.read(|d| d.iter().map(|e| e.value.clone()).collect())
    }

    pub fn items(&self) -> Vec<(Value, Value)> {
        self.d
            .read(|d| d.iter().map(|e| (e.key.clone(), e.value.clone())).collect())
    }

    pub fn copy(&self) -> DictObj {
        let entries = self.d.with(|d| d.iter().cloned().collect::<Vec<_>>());
        let mut nd = DictData::new();
        for e in entries {
            nd.insert_new(e.key, e.hash, e.value);
        }
        DictObj {
            d: ObjCell::new(nd),
        }
    }
}

impl Default for DictObj {
    fn default() -> Self {
        DictObj::new()
    }
}
