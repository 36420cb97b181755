//! loom model: publishing a specialization while another thread executes the same
//! instruction (`stitch_sync::inline_cache`, the real code, through the sync shim).
//!
//! Thread W (the specializer) publishes specialization A of instruction 0, puts the
//! generic instruction back, then publishes specialization B, as a site that misses,
//! deoptimizes and is specialized again does. Thread R (the interpreter) executes the
//! instruction twice: it loads the code unit and, for a specialized opcode, the record.
//! The model checks, in every interleaving loom explores:
//! - a reader that sees a specialized opcode always finds a record, never null;
//! - that record is fully written (its two fields agree);
//! - it is the record published with that opcode or a newer one, never an older one
//!   (so a record that names another specialization can only be newer, and the
//!   reader's kind check turns it into a miss).
//!
//! Bounds: two threads, default loom preemption bound (3 via `LOOM_MAX_PREEMPTIONS`
//! when set by the caller). Runtime: well under a second in release mode.
#![cfg(stitch_loom)]

use loom::thread;
use std::sync::Arc;
use stitch_sync::inline_cache::InlineCaches;

const GENERIC: u32 = 7 | (5 << 8);
const SPEC_A: u32 = 200 | (5 << 8);
const SPEC_B: u32 = 201 | (5 << 8);

/// A record: which specialization it was made for, its publication sequence number,
/// and a payload that must equal the sequence number when fully written.
struct Rec {
    kind: u32,
    seq: u32,
    payload: u32,
}

#[test]
fn reader_never_sees_an_older_or_partial_record() {
    let mut model = loom::model::Builder::new();
    if model.preemption_bound.is_none() {
        model.preemption_bound = Some(3);
    }
    model.check(|| {
        let caches = Arc::new(InlineCaches::<Rec>::new(&[GENERIC, GENERIC], 1, 8));
        let w = {
            let c = caches.clone();
            thread::spawn(move || {
                assert!(c.publish(
                    0,
                    SPEC_A,
                    Some(Rec {
                        kind: SPEC_A,
                        seq: 1,
                        payload: 1
                    })
                ));
                c.despecialize(0, GENERIC);
                assert!(c.publish(
                    0,
                    SPEC_B,
                    Some(Rec {
                        kind: SPEC_B,
                        seq: 2,
                        payload: 2
                    })
                ));
            })
        };
        for _ in 0..2 {
            let unit = caches.unit(0).expect("instruction 0 exists");
            if unit == GENERIC {
                continue;
            }
            let rec = caches
                .record(0)
                .expect("a specialized opcode always has a record");
            assert_eq!(rec.payload, rec.seq, "record seen half-written");
            let published_with = if unit == SPEC_A { 1 } else { 2 };
            assert!(rec.seq >= published_with, "record older than its opcode");
            if rec.kind != unit {
                // Only a newer specialization can disagree; the reader treats it as
                // a miss and runs the generic instruction.
                assert!(rec.seq > published_with);
            }
        }
        w.join().unwrap();
        // After the writer is done, the site is B with B's record.
        assert_eq!(caches.unit(0), Some(SPEC_B));
        assert_eq!(caches.record(0).map(|r| r.kind), Some(SPEC_B));
    });
}

#[test]
fn arena_limit_refuses_without_changing_the_site() {
    loom::model(|| {
        let caches = InlineCaches::<Rec>::new(&[GENERIC], 1, 1);
        assert!(caches.publish(
            0,
            SPEC_A,
            Some(Rec {
                kind: SPEC_A,
                seq: 1,
                payload: 1
            })
        ));
        caches.despecialize(0, GENERIC);
        assert!(!caches.publish(
            0,
            SPEC_B,
            Some(Rec {
                kind: SPEC_B,
                seq: 2,
                payload: 2
            })
        ));
        assert_eq!(caches.unit(0), Some(GENERIC));
        assert_eq!(caches.record(0).map(|r| r.seq), Some(1));
    });
}
