//! The type attribute cache (CPython's "method cache"): (type, name) -> what a walk of
//! the type's MRO finds, so attribute loads and method calls do not search every class
//! dict each time.
//!
//! Entries are valid for one global epoch. The epoch moves whenever any class's dict
//! changes (attribute assignment or deletion on a class) or a class is freed (its
//! address could be reused), which invalidates every entry at once. Classes change
//! rarely once a program runs, so entries live long. The table is per thread; the
//! epoch is shared, so a change made by one thread invalidates every thread's table.
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::class::TypeData;
use crate::value::Value;

const SIZE: usize = 4096;

static EPOCH: AtomicU64 = AtomicU64::new(1);

/// Forget every cached lookup (a class dict changed, or a class died).
pub fn invalidate() {
    EPOCH.fetch_add(1, Ordering::Relaxed);
}

#[derive(Default)]
struct Entry {
    ty: usize,
    hash: i64,
    epoch: u64,
    /// The name looked up (compared on a hit: hashes and addresses can collide).
    name: Box<str>,
    /// A walk of the Python classes only (`lookup_user`: special-method overrides
    /// of builtin subclasses, asked on every `hash()`/`==` of a namedtuple).
    user_only: bool,
    found: Option<(Value, Value)>,
}

thread_local! {
    /// Empty until the thread's first miss fills a slot (a thread that starts and
    /// ends without looking anything up, or ends after `clear`, pays nothing for it).
    static TABLE: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// `td.lookup_walk(name, hash, user_only)`, cached.
pub fn lookup(td: &TypeData, name: &str, hash: i64, user_only: bool) -> Option<(Value, Value)> {
    let ty = td as *const TypeData as usize;
    let slot =
        ((ty >> 4) ^ (hash as usize).wrapping_mul(0x9E37_79B9) ^ user_only as usize) & (SIZE - 1);
    lookup_at(td, slot, name, Some(hash), user_only, Option::clone)
}

/// [`lookup`] for a name given as text only (the special-method names the runtime
/// asks for by literal: `"__getitem__"`, `"__eq__"`, ...). The slot comes from the
/// text's address, so a hit computes no hash: the hash (a SipHash of the name) is
/// computed only to walk the MRO on a miss. A hit still compares the text itself, so
/// an address reused by another string cannot give a wrong answer.
pub fn lookup_by_name(td: &TypeData, name: &str, user_only: bool) -> Option<Value> {
    let ty = td as *const TypeData as usize;
    let key = (name.as_ptr() as usize >> 3) ^ name.len();
    let slot = ((ty >> 4) ^ key.wrapping_mul(0x9E37_79B9) ^ user_only as usize) & (SIZE - 1);
    // Only the value is wanted: a hit clones it alone (not the owning class too).
    lookup_at(td, slot, name, None, user_only, |f| {
        f.as_ref().map(|(v, _)| v.clone())
    })
}

fn lookup_at<R>(
    td: &TypeData,
    slot: usize,
    name: &str,
    hash: Option<i64>,
    user_only: bool,
    take: impl Fn(&Option<(Value, Value)>) -> Option<R>,
) -> Option<R> {
    let ty = td as *const TypeData as usize;
    let epoch = EPOCH.load(Ordering::Relaxed);
    let hit = TABLE.try_with(|t| {
        // The table is empty while `clear` drops it (finalizers may look names up).
        let t = t.try_borrow().ok()?;
        let e = t.get(slot)?;
        if e.ty == ty
            && hash.is_none_or(|h| e.hash == h)
            && e.epoch == epoch
            && e.user_only == user_only
            && &*e.name == name
        {
            Some(take(&e.found))
        } else {
            None
        }
    });
    if let Ok(Some(found)) = hit {
        return found;
    }
    let hash = hash.unwrap_or_else(|| crate::types::str::hash_str(name));
    let found = td.lookup_walk(name, hash, user_only);
    let r = take(&found);
    let _ = TABLE.try_with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            if t.is_empty() {
                *t = (0..SIZE).map(|_| Entry::default()).collect();
            }
            let Some(e) = t.get_mut(slot) else {
                return;
            };
            let old = std::mem::replace(
                e,
                Entry {
                    ty,
                    hash,
                    epoch,
                    name: name.into(),
                    user_only,
                    found,
                },
            );
            // Dropping cached values may free objects; do it after the borrow ends.
            drop(t);
            drop(old);
        }
    });
    r
}

/// Drop every entry (at shutdown, so cached values do not count as live objects; at
/// a thread's end). The table is made again if a lookup misses afterwards.
pub fn clear() {
    invalidate();
    let old = TABLE.try_with(|t| {
        t.try_borrow_mut()
            .map(|mut t| std::mem::take(&mut *t))
            .unwrap_or_default()
    });
    drop(old);
}
