//! The specializing adaptive interpreter's policy (PEP 659): when a generic
//! instruction tries to specialize, what it becomes, and when a specialization that
//! keeps missing is given up.
//!
//! Every specializable instruction has a 16-bit counter in its code object's
//! [`Caches`]: the high 4 bits are a backoff exponent, the low 12 bits a countdown.
//! - A generic instruction counts down on each execution; at zero it asks
//!   [`decide`] for a specialization of the operands it sees now. On success the
//!   specialized opcode (and its [`Record`]) is published and the countdown becomes the
//!   miss budget; on failure the countdown restarts at `2^exp - 1` with `exp` one
//!   higher (at most 12), so a site that cannot be specialized costs a decrement per
//!   run and an attempt every 4095 runs at worst.
//! - A specialized instruction whose guard fails runs the generic instruction instead
//!   (a *miss*) and counts down its budget; at zero it is despecialized: the generic
//!   unit from the compiled code goes back, with a longer backoff.
//!
//! How records and opcodes are published so that other threads running the same code
//! never see a cache that does not match is `stitch_sync::inline_cache`'s protocol;
//! every guard a specialized instruction needs is in its record, and the objects a
//! record names are borrowed under its version guard (see [`Record::value`]).
//!
//! Threads: a class-dict write that drops the last reference to a cached object
//! could free it while another thread is between its guard check and its incref.
//! Until the free-threading issue adds deferred freeing (QSBR) for class-dict
//! writes, only one thread runs Python code, so that window cannot open.
pub mod decide;
pub mod exec;
pub mod shared;
pub mod stack;
pub mod stats;

use stitch_sync::inline_cache::InlineCaches;

use crate::instructions::Op;
use crate::types::code::{CodeObj, ExcEntry};
use crate::value::Value;
use stitch_stencils::value::RawValue;

/// Classes one attribute site can remember (a polymorphic inline cache).
pub const POLY: usize = 4;

/// One guarded case of a record: a version, and what holds while it matches.
#[derive(Clone, Copy)]
pub struct Entry {
    /// The guarded version: a type version tag or a dict keys version.
    pub version: u32,
    /// An entry index, `__slots__` index or similar position.
    pub index: u32,
    /// A cached object (method, class attribute, builtin function), *borrowed*; NULL
    /// when unused. Records do not own objects: a record reachable from a function's
    /// code that owned that function would be a reference cycle. The pointer is only
    /// followed after the entry's version guard holds, which proves the class dict
    /// that references the object is unchanged since the record was made (or, for
    /// callables compared by identity, the object is immortal). `JUMP_BACKWARD_JIT`
    /// keeps its `&'static tier2::CompiledTrace` here instead (not a Python object).
    pub value: RawValue,
}

/// One published specialization of one instruction. Immutable once published.
pub struct Record {
    /// The specialized instruction this record was made for; an instruction that finds
    /// a record of another kind (a racing respecialization) treats it as a miss.
    pub op: Op,
    /// A second guarded version (the builtins dict's keys, for `LOAD_GLOBAL_BUILTIN`).
    pub version2: u32,
    /// Live entries (1..=POLY); attribute sites seen with several classes get one
    /// entry per class, checked in order.
    pub n: u8,
    pub entries: [Entry; POLY],
}

impl Record {
    pub fn new(op: Op, version: u32, index: u32) -> Record {
        let e = Entry {
            version,
            index,
            value: RawValue::NULL,
        };
        Record {
            op,
            version2: 0,
            n: 1,
            entries: [e; POLY],
        }
    }

    pub fn with_value(mut self, v: RawValue) -> Record {
        self.entries[0].value = v;
        self
    }

    #[inline(always)]
    pub fn first(&self) -> &Entry {
        &self.entries[0]
    }

    /// The entry guarding `version`, if any.
    #[inline(always)]
    pub fn find(&self, version: u32) -> Option<&Entry> {
        self.entries[..self.n as usize]
            .iter()
            .find(|e| e.version == version)
    }

    /// This record plus `other`'s first entry, if there is room.
    fn extended(&self, other: &Record) -> Option<Record> {
        let n = self.n as usize;
        if n >= POLY || self.op != other.op || self.find(other.first().version).is_some() {
            return None;
        }
        let mut entries = self.entries;
        entries[n] = *other.first();
        Some(Record {
            op: self.op,
            version2: self.version2,
            n: self.n + 1,
            entries,
        })
    }
}

pub type Caches = InlineCaches<Record>;

/// Specialized instructions whose records may hold several classes.
const POLYMORPHIC: &[Op] = &[
    Op::LOAD_ATTR_INSTANCE,
    Op::LOAD_ATTR_SLOT,
    Op::LOAD_ATTR_NONDESCRIPTOR,
    Op::STORE_ATTR_INSTANCE,
    Op::STORE_ATTR_SLOT,
    Op::LOAD_METHOD_INSTANCE,
    Op::LOAD_METHOD_NO_DICT,
    Op::LOAD_METHOD_INSTANCE_ATTR,
    Op::LOAD_METHOD_CLASS,
    Op::LOAD_METHOD_SUBCLASS,
];

/// Executions of a generic instruction before its first specialization attempt.
const WARMUP: u16 = 1;
/// Misses a specialized instruction absorbs before it is despecialized.
const MISS_BUDGET: u16 = 52;
const COUNT_MASK: u16 = 0x0fff;
const MAX_BACKOFF: u16 = 12;

/// Inline caches for code, checked first: each site may publish four records on
/// average before the code stops specializing (bounded memory under churn).
///
/// What tier 1 relies on to fetch and decode without checks (`interp::eval_loop`):
/// every unit's opcode is an `Op`, every jump target and exception handler is an
/// instruction of the code or the one past its end, and the live units end with one
/// `END_OF_CODE` unit after the code's last instruction. The instruction index then
/// stays within the units: it starts at 0 (or where a frame was saved), moves by one
/// from an instruction before `END_OF_CODE` or to a checked target, and
/// `END_OF_CODE` raises instead of moving. Specializing rewrites a unit's opcode to
/// another `Op` of the same family and keeps its argument. A code object from the
/// code cache or from `CodeType` that breaks a rule is refused here.
pub fn new_caches(code: &[u32], exc_table: &[ExcEntry]) -> Result<Caches, String> {
    let end = code.len();
    for (i, &w) in code.iter().enumerate() {
        let Some(op) = Op::from_u8((w & 0xff) as u8) else {
            return Err(format!("unknown opcode {} at instruction {i}", w & 0xff));
        };
        if crate::instructions::is_jump(op.family()) && (w >> 8) as usize > end {
            return Err(format!(
                "{} at instruction {i} jumps past the end",
                op.name()
            ));
        }
    }
    if let Some(e) = exc_table.iter().find(|e| e.handler as usize > end) {
        return Err(format!("exception handler {} past the end", e.handler));
    }
    let mut units = Vec::with_capacity(end + 1);
    units.extend_from_slice(code);
    units.push(Op::END_OF_CODE as u32);
    Ok(InlineCaches::new(&units, WARMUP, end * 4 + 32))
}

/// Count one execution of a generic instruction at `i`; true when it should try to
/// specialize now.
///
/// Counters live in the code object, which threads share: a write on every execution
/// of a hot generic instruction makes its cache line bounce between cores (measured:
/// it cost a third of the 2-thread throughput of a loop of big-int arithmetic). So
/// once other threads run, a site that has failed at the longest backoff stops
/// counting and stays generic.
#[inline(always)]
pub fn should_specialize(c: &Caches, i: usize) -> bool {
    let v = c.counter(i);
    if v & COUNT_MASK == 0 {
        return true;
    }
    if v >> 12 == MAX_BACKOFF && crate::thread_state::is_multi_threaded() {
        return false;
    }
    c.set_counter(i, v - 1);
    false
}

fn backoff(c: &Caches, i: usize) {
    let exp = ((c.counter(i) >> 12) + 1).min(MAX_BACKOFF);
    c.set_counter(i, (exp << 12) | ((1 << exp) - 1));
}

/// Try to specialize the generic instruction at `i` (stack operands as `decide`
/// documents). Returns true when a specialized form was published.
pub fn specialize(vm: &crate::vm::Vm, co: &CodeObj, i: usize, operands: &[&Value]) -> bool {
    let word = co.code[i];
    let Some(family) = Op::from_u8((word & 0xff) as u8) else {
        return false;
    };
    let arg = word >> 8;
    let decision = decide::decide(vm, co, i, family, arg, operands);
    let c = &co.quick;
    let (published, reason) = match decision {
        Ok((op, rec)) => (
            c.publish(i, (word & !0xff) | op as u32, rec),
            "cache arena full",
        ),
        Err(reason) => (false, reason),
    };
    if published {
        c.set_counter(i, (c.counter(i) & !COUNT_MASK) | MISS_BUDGET);
        stats::specialized(family);
    } else {
        backoff(c, i);
        stats::failed(family, co, i, reason);
    }
    published
}

/// A specialized instruction at `i` missed with these operands (the same its family
/// is shown by `decide`). A polymorphic site that meets a new class gets a record
/// with one more entry; otherwise the miss is counted, and the instruction is
/// despecialized when the budget is spent.
#[cold]
pub fn miss(vm: &crate::vm::Vm, co: &CodeObj, i: usize, op: Op, operands: &[&Value]) {
    let c = &co.quick;
    stats::missed(op);
    if POLYMORPHIC.contains(&op)
        && let Some(old) = c.record(i).filter(|r| r.op == op)
        && (old.n as usize) < POLY
        && let Ok((new_op, Some(new))) =
            decide::decide(vm, co, i, op.family(), co.code[i] >> 8, operands)
        && new_op == op
        && let Some(ext) = old.extended(&new)
        && c.publish(i, (co.code[i] & !0xff) | op as u32, Some(ext))
    {
        stats::extended(op);
        return;
    }
    let v = c.counter(i);
    if v & COUNT_MASK == 0 {
        c.despecialize(i, co.code[i]);
        backoff(c, i);
        stats::deopted(op, co, i);
    } else {
        c.set_counter(i, v - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(op: Op, arg: u32) -> u32 {
        op as u32 | arg << 8
    }

    /// What tier 1's unchecked fetch relies on: code that could move the instruction
    /// index outside the units is refused, and accepted code ends with `END_OF_CODE`.
    #[test]
    fn new_caches_checks_what_the_fetch_relies_on() {
        let ok = [
            unit(Op::LOAD_CONST, 0),
            unit(Op::JUMP, 3),
            unit(Op::RETURN_VALUE, 0),
        ];
        let c = new_caches(&ok, &[]).unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c.unit(3), Some(Op::END_OF_CODE as u32));

        let far_jump = [unit(Op::POP_JUMP_IF_TRUE, 4), unit(Op::RETURN_VALUE, 0)];
        assert!(new_caches(&far_jump, &[]).is_err());
        let bad_op = [0xfe, unit(Op::RETURN_VALUE, 0)];
        assert!(new_caches(&bad_op, &[]).is_err());
        let handler = ExcEntry {
            start: 0,
            end: 1,
            handler: 9,
            depth: 0,
            lasti: false,
        };
        assert!(new_caches(&ok, &[handler]).is_err());
    }
}
