//! Specialization statistics for `-X stats`: per family, how often sites were
//! specialized or failed to, and per specialized instruction its hits, misses and
//! despecializations; plus the sites that failed or deoptimized most.
//!
//! Counting is off unless `-X stats` turned it on. Hits, the one count on tier 1's hot
//! path, are counted only by the instrumented loop (`interp::eval` runs it while stats
//! are on), so the plain loop pays nothing for them; the rarer events check `enabled`.
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::instructions::Op;
use crate::types::code::CodeObj;

static ON: AtomicBool = AtomicBool::new(false);

/// The counters, declared once: each is an array indexed by opcode.
macro_rules! counters {
    ($($name:ident: $doc:literal;)*) => {
        $(#[doc = $doc] static $name: [AtomicU64; 256] = [const { AtomicU64::new(0) }; 256];)*
    };
}

counters! {
    SPECIALIZED: "Generic instructions (by family) that published a specialization.";
    FAILED: "Specialization attempts (by family) that found nothing to specialize.";
    HIT: "Executions (by specialized instruction) whose guards held.";
    MISS: "Executions (by specialized instruction) that fell back to the generic path.";
    DEOPT: "Specialized instructions (by opcode) put back to generic after too many misses.";
    EXTENDED: "Polymorphic sites (by opcode) that added a class to their record on a miss.";
}

/// A failing site: (code qualname, line, instruction, reason).
type Site = (String, u32, &'static str, &'static str);

/// Why and where sites failed or deoptimized, with counts.
static SITES: Mutex<Option<HashMap<Site, u64>>> = Mutex::new(None);

pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

#[inline(always)]
pub fn enabled() -> bool {
    ON.load(Ordering::Relaxed)
}

#[inline(always)]
pub fn hit(op: Op) {
    if enabled() {
        HIT[op as usize].fetch_add(1, Ordering::Relaxed);
    }
}

pub fn missed(op: Op) {
    if enabled() {
        MISS[op as usize].fetch_add(1, Ordering::Relaxed);
    }
}

pub fn extended(op: Op) {
    if enabled() {
        EXTENDED[op as usize].fetch_add(1, Ordering::Relaxed);
    }
}

pub fn specialized(family: Op) {
    if enabled() {
        SPECIALIZED[family as usize].fetch_add(1, Ordering::Relaxed);
    }
}

fn site(co: &CodeObj, i: usize, what: &'static str, reason: &'static str) {
    let mut g = SITES.lock().unwrap_or_else(|p| p.into_inner());
    let key = (co.qualname.clone(), co.line_of(i), what, reason);
    *g.get_or_insert_with(HashMap::new).entry(key).or_insert(0) += 1;
}

pub fn failed(family: Op, co: &CodeObj, i: usize, reason: &'static str) {
    if enabled() {
        FAILED[family as usize].fetch_add(1, Ordering::Relaxed);
        site(co, i, family.name(), reason);
    }
}

pub fn deopted(op: Op, co: &CodeObj, i: usize) {
    if enabled() {
        DEOPT[op as usize].fetch_add(1, Ordering::Relaxed);
        site(co, i, op.name(), "deoptimized after repeated misses");
    }
}

/// The report printed at exit by `-X stats`.
pub fn report() -> String {
    use std::fmt::Write;
    let get = |c: &[AtomicU64; 256], op: Op| c[op as usize].load(Ordering::Relaxed);
    let mut out = String::new();
    let _ = writeln!(out, "[stitch stats] specialization (tier 1):");
    let _ = writeln!(
        out,
        "  {:<28}{:>12}{:>12}{:>14}{:>10}{:>8}{:>8}",
        "family / instruction", "specialized", "failed", "hits", "misses", "deopts", "poly"
    );
    for &family in Op::ALL.iter().filter(|o| !o.is_specialized()) {
        let members: Vec<Op> = Op::ALL
            .iter()
            .copied()
            .filter(|o| o.is_specialized() && o.family() == family)
            .collect();
        if members.is_empty() {
            continue;
        }
        let (s, f) = (get(&SPECIALIZED, family), get(&FAILED, family));
        let hits: u64 = members.iter().map(|&o| get(&HIT, o)).sum();
        let misses: u64 = members.iter().map(|&o| get(&MISS, o)).sum();
        let deopts: u64 = members.iter().map(|&o| get(&DEOPT, o)).sum();
        let poly: u64 = members.iter().map(|&o| get(&EXTENDED, o)).sum();
        if s + f + hits + misses == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<28}{s:>12}{f:>12}{hits:>14}{misses:>10}{deopts:>8}{poly:>8}",
            family.name()
        );
        for o in members {
            let (h, m, d, p) = (
                get(&HIT, o),
                get(&MISS, o),
                get(&DEOPT, o),
                get(&EXTENDED, o),
            );
            if h + m + d > 0 {
                let _ = writeln!(
                    out,
                    "    {:<26}{:>24}{h:>14}{m:>10}{d:>8}{p:>8}",
                    o.name(),
                    ""
                );
            }
        }
    }
    let g = SITES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(sites) = g.as_ref() {
        let mut v: Vec<_> = sites.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let _ = writeln!(out, "  top failing sites:");
        for ((name, line, what, reason), n) in v.into_iter().take(10) {
            let _ = writeln!(out, "    {n:>8}  {name} line {line}: {what}: {reason}");
        }
    }
    out
}
