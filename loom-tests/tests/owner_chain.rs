//! loom model of `stitch_sync::owner_chain` (the per-thread loop traces of one back
//! edge): two threads append their own entries to a chain that a third thread walks,
//! with the real code through the sync shim.
//!
//! Checked: every appended entry is found by its owner afterwards (none is lost to a
//! racing append); a walker that reaches an entry sees its contents (written before
//! the append: loom's cell reports an unordered read); the bound holds (a full chain
//! turns exactly one of the two appends down). The model was checked against two
//! mutations of `owner_chain::append` (made by hand, not kept): a load-then-store
//! append loses a racing entry ("appended but not found"), and a Relaxed
//! compare-exchange lets the walker read an entry before its contents (loom: causality
//! violation).
//!
//! Bounds: three threads, `LOOM_MAX_PREEMPTIONS` (scripts/test sets 3).
#![cfg(stitch_loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;
use stitch_sync::owner_chain::{self, Chained, Link};

struct Entry {
    owner: u64,
    /// Written before the entry is published; a walker reads it (loom's cell reports a
    /// read that is not ordered after the write).
    payload: UnsafeCell<u64>,
    link: Link<Entry>,
}

impl Chained for Entry {
    fn owner(&self) -> u64 {
        self.owner
    }
    fn link(&self) -> &Link<Entry> {
        &self.link
    }
}

fn entry(owner: u64) -> &'static Entry {
    let e: &'static Entry = Box::leak(Box::new(Entry {
        owner,
        payload: UnsafeCell::new(0),
        link: Link::new(),
    }));
    // SAFETY (model): not yet shared.
    e.payload.with_mut(|p| unsafe { *p = owner * 100 });
    e
}

fn read(e: &Entry) -> u64 {
    // SAFETY (model): published entries are only read.
    e.payload.with(|p| unsafe { *p })
}

fn model(max: usize) {
    let mut b = loom::model::Builder::new();
    if b.preemption_bound.is_none() {
        b.preemption_bound = Some(3);
    }
    b.check(move || {
        let first = entry(1);
        let first = Arc::new(first);
        let appender = |owner: u64| {
            let first = first.clone();
            thread::spawn(move || {
                let mine = entry(owner);
                assert!(owner_chain::find(*first, owner).is_none());
                // SAFETY (model): leaked entries live for the process.
                let ok = unsafe { owner_chain::append(*first, mine, max) };
                if ok {
                    let f = owner_chain::find(*first, owner).expect("appended but not found");
                    assert!(std::ptr::eq(f, mine));
                }
                ok
            })
        };
        let a = appender(2);
        let b2 = appender(3);
        // A walker: whatever it reaches is fully written.
        for o in 1..=3 {
            if let Some(e) = owner_chain::find(*first, o) {
                assert_eq!(read(e), o * 100, "an entry seen before its contents");
            }
        }
        let ok2 = a.join().unwrap();
        let ok3 = b2.join().unwrap();
        for (o, ok) in [(2, ok2), (3, ok3)] {
            assert_eq!(owner_chain::find(*first, o).is_some(), ok, "owner {o}");
        }
        if max >= 3 {
            assert!(ok2 && ok3, "both fit");
        } else {
            assert!(ok2 != ok3, "exactly one fits in a chain of {max}");
        }
    });
}

#[test]
fn two_appenders_and_a_walker() {
    model(8);
}

#[test]
fn a_full_chain_turns_the_append_down() {
    model(2);
}
