//! `traverse` and `clear` of the builtin container payloads, and the table saying
//! which payload types the collector tracks.
//!
//! The rules every impl keeps (the collector's soundness rests on them):
//! - `traverse` visits only references the object *counts* (never an uncounted one,
//!   such as the self-reference at the head of a heap class's MRO): visiting more
//!   than the object holds would make a reachable object look unreachable. Missing a
//!   reference is safe (the referent then looks externally referenced).
//! - `clear` leaves the object valid (empty), since other garbage may still look at
//!   it while it is being freed; it drops what it takes out after releasing any lock.
//!   Immutable references (a tuple's items, an instance's dict pointer) are not
//!   cleared: the mutable containers on every cycle break it.
use std::any::TypeId;

use stitch_stencils::header::ObjHeader;
use stitch_stencils::value::RawValue;

use super::{GcOps, Traverse, Visit, ops, visit_value};
use crate::object::PyObj;
use crate::types::class::TypeData;
use crate::types::dict::DictObj;
use crate::types::func::{BuiltinFuncObj, CellObj, FuncObj, MethodObj};
use crate::types::generator::{GenObj, GenState};
use crate::types::instance::{Instance, SubObj};
use crate::types::iter::{IterObj, IterState};
use crate::types::list::ListObj;
use crate::types::misc::{DictViewObj, PropertyObj, SuperObj, WrapperObj};
use crate::types::module::ModuleObj;
use crate::types::set::SetObj;
use crate::types::tuple::TupleObj;
use crate::types::weakref::{ProxyObj, WeakRefObj};
use crate::value::Value;

type Entry = (fn() -> TypeId, fn() -> GcOps);

/// Every tracked payload type. A native type holding references adds its line here
/// (its `Traverse` impl lives next to it).
pub(crate) static TABLE: &[Entry] = &[
    (TypeId::of::<Instance>, ops::<Instance>),
    (TypeId::of::<TypeData>, ops::<TypeData>),
    (TypeId::of::<ListObj>, ops::<ListObj>),
    (TypeId::of::<TupleObj>, ops::<TupleObj>),
    (TypeId::of::<DictObj>, ops::<DictObj>),
    (TypeId::of::<SetObj>, ops::<SetObj>),
    (TypeId::of::<FuncObj>, ops::<FuncObj>),
    (TypeId::of::<CellObj>, ops::<CellObj>),
    (TypeId::of::<MethodObj>, ops::<MethodObj>),
    (TypeId::of::<BuiltinFuncObj>, ops::<BuiltinFuncObj>),
    (TypeId::of::<GenObj>, ops::<GenObj>),
    (TypeId::of::<ModuleObj>, ops::<ModuleObj>),
    (TypeId::of::<IterObj>, ops::<IterObj>),
    (TypeId::of::<PropertyObj>, ops::<PropertyObj>),
    (TypeId::of::<WrapperObj>, ops::<WrapperObj>),
    (TypeId::of::<SuperObj>, ops::<SuperObj>),
    (TypeId::of::<DictViewObj>, ops::<DictViewObj>),
    (TypeId::of::<WeakRefObj>, ops::<WeakRefObj>),
    (TypeId::of::<ProxyObj>, ops::<ProxyObj>),
    (
        TypeId::of::<crate::types::frame::FrameObj>,
        ops::<crate::types::frame::FrameObj>,
    ),
    (
        TypeId::of::<crate::types::traceback::TbObj>,
        ops::<crate::types::traceback::TbObj>,
    ),
    (
        TypeId::of::<crate::modules::collections::Deque>,
        ops::<crate::modules::collections::Deque>,
    ),
    (
        TypeId::of::<crate::modules::collections::DefaultDict>,
        ops::<crate::modules::collections::DefaultDict>,
    ),
    (
        TypeId::of::<crate::modules::asyncio::future::FutureObj>,
        ops::<crate::modules::asyncio::future::FutureObj>,
    ),
    (
        TypeId::of::<crate::modules::asyncio::future_iter::FutureIterObj>,
        ops::<crate::modules::asyncio::future_iter::FutureIterObj>,
    ),
    (
        TypeId::of::<crate::modules::asyncio::task::StepWrapper>,
        ops::<crate::modules::asyncio::task::StepWrapper>,
    ),
    (
        TypeId::of::<crate::modules::elementtree::ElementObj>,
        ops::<crate::modules::elementtree::ElementObj>,
    ),
    (
        TypeId::of::<crate::modules::elementtree::ElementIter>,
        ops::<crate::modules::elementtree::ElementIter>,
    ),
    (
        TypeId::of::<crate::modules::elementtree::TreeBuilderObj>,
        ops::<crate::modules::elementtree::TreeBuilderObj>,
    ),
    (
        TypeId::of::<crate::modules::elementtree::XmlParserObj>,
        ops::<crate::modules::elementtree::XmlParserObj>,
    ),
    (
        TypeId::of::<crate::modules::functools::Partial>,
        ops::<crate::modules::functools::Partial>,
    ),
    (
        TypeId::of::<crate::modules::ssl::SslContext>,
        ops::<crate::modules::ssl::SslContext>,
    ),
    (
        TypeId::of::<crate::modules::ssl::SslSocket>,
        ops::<crate::modules::ssl::SslSocket>,
    ),
    (
        TypeId::of::<crate::modules::thread::local::LocalState>,
        ops::<crate::modules::thread::local::LocalState>,
    ),
    (
        TypeId::of::<crate::types::mappingproxy::MappingProxy>,
        ops::<crate::types::mappingproxy::MappingProxy>,
    ),
    (
        TypeId::of::<crate::types::attr_descriptor::AttrDescriptor>,
        ops::<crate::types::attr_descriptor::AttrDescriptor>,
    ),
    (
        TypeId::of::<crate::types::attr_descriptor::MemberDescriptor>,
        ops::<crate::types::attr_descriptor::MemberDescriptor>,
    ),
];

/// Ops of instances of Python subclasses of builtins (`SubObj<T>`): the builtin
/// payload's ops (the type's inherited `layout.gc`), then the instance dict.
pub(crate) fn sub_obj_ops() -> GcOps {
    GcOps {
        traverse: sub_traverse,
        clear: sub_clear,
    }
}

/// The instance dict of a `SubObj<T>` (the payload follows the 32-byte header; payloads
/// are at most 8-byte aligned) and the builtin payload's ops.
///
/// # Safety
/// `h` is a live instance of a heap class whose layout is a `SubObj`.
unsafe fn sub_parts<'a>(h: *const ObjHeader) -> (Option<GcOps>, Option<&'a Value>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let td = &(*((*h).ob_type as *const PyObj<TypeData>)).payload;
        let dict = if td.dict_offset != 0 {
            let p = (h as *const u8).add(std::mem::size_of::<ObjHeader>() + td.dict_offset)
                as *const Value;
            Some(&*p)
        } else {
            None
        };
        (td.layout.gc, dict)
    }
}

/// # Safety
/// As [`sub_parts`].
unsafe fn sub_traverse(h: *const ObjHeader, visit: Visit<'_>) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let (base, dict) = sub_parts(h);
        if let Some(ops) = base {
            (ops.traverse)(h, visit);
        }
        if let Some(d) = dict {
            visit_value(d, visit);
        }
    }
}

/// # Safety
/// As [`sub_parts`].
unsafe fn sub_clear(h: *const ObjHeader) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if let (Some(ops), _) = sub_parts(h) {
            (ops.clear)(h);
        }
    }
}

impl<T: Traverse> Traverse for SubObj<T> {
    fn traverse(&self, visit: Visit<'_>) {
        self.base.traverse(visit);
        visit_value(&self.dict, visit);
    }
    fn clear(&self) {
        self.base.clear();
    }
}

impl Traverse for Instance {
    fn traverse(&self, visit: Visit<'_>) {
        visit_value(&self.dict, visit);
        self.slots
            .read(|s| s.iter().for_each(|v| visit_value(v, visit)));
        if let Some(exc) = &self.exc {
            exc.read(|e| {
                for v in [&e.args, &e.context, &e.cause, &e.value, &e.traceback] {
                    visit_value(v, visit);
                }
            });
        }
    }
    fn clear(&self) {
        let slots = self.slots.with(|s| {
            s.iter_mut()
                .map(|v| std::mem::replace(v, Value::NULL))
                .collect::<Vec<_>>()
        });
        drop(slots);
        if let Some(exc) = &self.exc {
            let old = exc.with(|e| {
                (
                    std::mem::take(&mut e.context),
                    std::mem::take(&mut e.cause),
                    std::mem::take(&mut e.traceback),
                    std::mem::take(&mut e.value),
                )
            });
            drop(old);
        }
    }
}

impl Traverse for TypeData {
    fn traverse(&self, visit: Visit<'_>) {
        self.bases
            .read(|b| b.iter().for_each(|v| visit_value(v, visit)));
        // The class itself is in its MRO uncounted (heap classes; builtin types are
        // immortal), usually first.
        let me = self.self_raw();
        self.mro.read(|m| {
            m.iter()
                .filter(|v| v.raw() != me)
                .for_each(|v| visit_value(v, visit))
        });
        self.dict.traverse(visit);
    }
    fn clear(&self) {
        if !self.is_heap {
            return;
        }
        let gone = self.dict.d.with(|d| d.clear());
        crate::types::type_version::type_modified(self);
        crate::types::attr_cache::invalidate();
        drop(gone);
    }
}

// Sequences are walked last item first, as CPython does (`gc.get_referents` order).
impl Traverse for ListObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.items
            .read(|v| v.iter().rev().for_each(|x| visit_value(x, visit)));
    }
    fn clear(&self) {
        drop(self.items.with(std::mem::take));
    }
}

impl Traverse for TupleObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.items.iter().rev().for_each(|x| visit_value(x, visit));
    }
}

impl Traverse for DictObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.d.read(|d| {
            // Value, then key (CPython's order; str keys cannot be in cycles and
            // CPython's str-keyed tables do not report them).
            for e in d.iter() {
                visit_value(&e.value, visit);
                if crate::types::str::as_str(&e.key).is_none() {
                    visit_value(&e.key, visit);
                }
            }
        });
    }
    fn clear(&self) {
        drop(self.d.with(|d| d.clear()));
    }
}

impl Traverse for SetObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.d
            .read(|d| d.iter().for_each(|s| visit_value(&s.key, visit)));
    }
    fn clear(&self) {
        drop(self.d.with(std::mem::take));
    }
}

impl Traverse for FuncObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.code_slot.for_each(|c| visit_value(c, visit));
        visit_value(&self.globals, visit);
        for c in [
            &self.name,
            &self.qualname,
            &self.defaults,
            &self.kwdefaults,
            &self.dict,
            &self.annotations,
            &self.module,
            &self.doc,
        ] {
            c.read(|v| visit_value(v, visit));
        }
        self.closure.iter().for_each(|v| visit_value(v, visit));
    }
    fn clear(&self) {
        for c in [
            &self.defaults,
            &self.kwdefaults,
            &self.dict,
            &self.annotations,
            &self.module,
            &self.doc,
        ] {
            drop(c.with(std::mem::take));
        }
    }
}

impl Traverse for CellObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.v.read(|v| visit_value(v, visit));
    }
    fn clear(&self) {
        drop(self.v.with(std::mem::take));
    }
}

impl Traverse for MethodObj {
    fn traverse(&self, visit: Visit<'_>) {
        visit_value(&self.func, visit);
        visit_value(&self.self_, visit);
    }
}

impl Traverse for BuiltinFuncObj {
    fn traverse(&self, visit: Visit<'_>) {
        visit_value(&self.self_, visit);
    }
}

impl Traverse for GenObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.name.read(|v| visit_value(v, visit));
        self.qualname.read(|v| visit_value(v, visit));
        visit_value(&self.code, visit);
        self.ag_finalizer.read(|v| visit_value(v, visit));
        self.exc_state.read(|v| visit_value(v, visit));
        self.origin.read(|v| visit_value(v, visit));
        // A running generator's frame is some thread's live frame: its values are
        // roots (the JIT may even hold some of them borrowed), so it is not walked.
        if !matches!(self.state(), GenState::Created | GenState::Suspended) {
            return;
        }
        self.frame.read(|f| {
            if f.is_empty() {
                return;
            }
            let fp = self.frame_ptr();
            // SAFETY: a created or suspended generator's frame is initialised and not
            // running; slots below `stack_top` hold owned values or NULL.
            unsafe {
                if (*fp).code.is_null() {
                    return;
                }
                if (*fp).func.is_null() {
                    visit((*fp).code);
                    visit((*fp).globals);
                } else {
                    visit((*fp).func);
                }
                let lp = stitch_stencils::frame::FrameHeader::localsplus(fp);
                for i in 0..(*fp).stack_top as usize {
                    let v = *lp.add(i);
                    if v.is_ptr() && !v.is_null() {
                        visit(v);
                    }
                }
            }
        });
    }
}

impl Traverse for ModuleObj {
    fn traverse(&self, visit: Visit<'_>) {
        visit_value(&self.dict, visit);
    }
}

impl Traverse for IterObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.state.read(|s| match s {
            IterState::Seq { seq: v, .. }
            | IterState::Str { s: v, .. }
            | IterState::Dict { dict: v, .. }
            | IterState::Set { set: v, .. }
            | IterState::Reversed { seq: v, .. }
            | IterState::Bytes { seq: v, .. }
            | IterState::GetItem { obj: v, .. } => visit_value(v, visit),
            IterState::Enumerate { it, n } => {
                visit_value(it, visit);
                visit_value(n, visit);
            }
            IterState::Zip { its, .. } => its.iter().for_each(|v| visit_value(v, visit)),
            IterState::Map { f, its } => {
                visit_value(f, visit);
                its.iter().for_each(|v| visit_value(v, visit));
            }
            IterState::Filter { f, it: v } | IterState::Callable { f, sentinel: v } => {
                visit_value(f, visit);
                visit_value(v, visit);
            }
            IterState::Range { .. } | IterState::Exhausted => {}
        });
    }
    fn clear(&self) {
        drop(
            self.state
                .with(|s| std::mem::replace(s, IterState::Exhausted)),
        );
    }
}

impl Traverse for PropertyObj {
    fn traverse(&self, visit: Visit<'_>) {
        for c in [&self.fget, &self.fset, &self.fdel, &self.doc, &self.name] {
            c.read(|v| visit_value(v, visit));
        }
    }
    fn clear(&self) {
        for c in [&self.fget, &self.fset, &self.fdel, &self.doc, &self.name] {
            drop(c.with(std::mem::take));
        }
    }
}

impl Traverse for WrapperObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.f.read(|v| visit_value(v, visit));
        self.dict.read(|v| visit_value(v, visit));
    }
}

impl Traverse for SuperObj {
    fn traverse(&self, visit: Visit<'_>) {
        for c in [&self.ty, &self.obj, &self.obj_type] {
            c.read(|v| visit_value(v, visit));
        }
    }
    fn clear(&self) {
        for c in [&self.ty, &self.obj, &self.obj_type] {
            drop(c.with(std::mem::take));
        }
    }
}

impl Traverse for DictViewObj {
    fn traverse(&self, visit: Visit<'_>) {
        visit_value(&self.dict, visit);
    }
}

impl Traverse for WeakRefObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.callback.read(|v| visit_value(v, visit));
    }
    fn clear(&self) {
        drop(self.callback.with(std::mem::take));
    }
}

impl Traverse for ProxyObj {
    fn traverse(&self, visit: Visit<'_>) {
        self.0.traverse(visit);
    }
    fn clear(&self) {
        self.0.clear();
    }
}

/// Visit a raw word that may be NULL or not a heap value.
#[inline(always)]
pub fn visit_raw(v: RawValue, visit: Visit<'_>) {
    if v.is_ptr() && !v.is_null() {
        visit(v);
    }
}
