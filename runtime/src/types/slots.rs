//! `__slots__`: the instance layout a class's slot names give it, and access to a slot
//! through its member descriptor.
//!
//! Instances of Python classes keep slot values in `Instance::slots`, indexed by
//! position in the class's `TypeData::slots`: the layout inherited from the bases
//! first, then the class's own names, sorted (as CPython lays them out). A subclass's
//! layout starts with its base's, so a descriptor's index is valid in every instance
//! of its class and subclasses. Each own name gets a `member_descriptor` in the class
//! dict (`attr_descriptor.rs`); the attribute protocols find it in the MRO like any
//! data descriptor, so it wins over the instance dict and loses to a subclass's
//! property or class attribute of the same name, as in CPython. The specializer turns
//! a plain slot access into `LOAD_ATTR_SLOT`/`STORE_ATTR_SLOT` with the index the
//! descriptor found holds (`specialize/decide.rs`).
//!
//! Python subclasses of builtin types (`class P(tuple): __slots__ = ("x",)`) have no
//! `Instance`; their slot values live in the instance dict their layout carries, under
//! the slot's name, which `__dict__` does not show (`builtins/subclass.rs`).
use crate::types::attr_descriptor::MemberDescriptor;
use crate::types::class::{TypeData, as_type, type_data_raw};
use crate::types::dict::DictObj;
use crate::types::str::{as_str, new_str};
use crate::value::Value;
use crate::vm::{PyResult, Vm};
use crate::world::types;
use stitch_stencils::value::RawValue;

/// A class-creation error: the exception type and message (`new_class`'s form).
pub type ClassError = (RawValue, String);

/// The names a class body's `__slots__` gives (a str, an iterable of strs, or a dict
/// whose keys are the names, as tarfile's `TarInfo` has), unmangled, checked as
/// CPython checks them: strs that are identifiers.
pub fn declared_names(slots: &Value) -> Result<Vec<String>, ClassError> {
    let t = types();
    let items = if as_str(slots).is_some() {
        vec![slots.clone()]
    } else if let Some(d) = slots.downcast::<DictObj>() {
        d.keys()
    } else {
        crate::ops::seq_items_fast(slots).ok_or_else(|| {
            let tn = slots.type_data().name.clone();
            (t.type_error, format!("'{tn}' object is not iterable"))
        })?
    };
    items
        .iter()
        .map(|v| match as_str(v) {
            Some(s) if crate::builtins::strings::is_identifier(s) => Ok(s.to_string()),
            Some(_) => Err((t.type_error, "__slots__ must be identifiers".to_string())),
            None => {
                let tn = v.type_data().name.clone();
                Err((
                    t.type_error,
                    format!("__slots__ items must be strings, not '{tn}'"),
                ))
            }
        })
        .collect()
}

/// The class whose own slots end `td`'s layout (the first class in its MRO that adds
/// slots), if any: CPython's "solid base" as far as slots go.
fn solid(td: &TypeData) -> Option<RawValue> {
    td.mro.read(|m| {
        m.iter()
            .map(|t| t.raw())
            .find(|t| type_data_raw(*t).slots_inherited < type_data_raw(*t).slots_len())
    })
}

impl TypeData {
    /// The number of slots in the instance layout.
    pub fn slots_len(&self) -> usize {
        self.slots.as_ref().map_or(0, |s| s.len())
    }
}

/// The slot layout a new class inherits from `bases`: the layout of the base whose
/// slots extend every other base's (a base's layout is a prefix of its subclasses'),
/// or CPython's lay-out conflict when two bases add slots on separate lines.
pub fn inherited(bases: &[&TypeData]) -> Result<Option<Vec<String>>, ClassError> {
    let mut best: Option<(RawValue, &TypeData)> = None;
    let mut any = false;
    for b in bases {
        any |= b.slots.is_some();
        let Some(s) = solid(b) else { continue };
        match best {
            None => best = Some((s, b)),
            Some((cur, _)) if type_data_raw(s).is_subtype_raw(cur) => best = Some((s, b)),
            Some((cur, _)) if type_data_raw(cur).is_subtype_raw(s) => {}
            Some(_) => {
                return Err((
                    types().type_error,
                    "multiple bases have instance lay-out conflict".to_string(),
                ));
            }
        }
    }
    Ok(match best {
        Some((_, b)) => b.slots.clone(),
        None if any => Some(Vec::new()),
        None => None,
    })
}

/// Put the member descriptors of `cls`'s own slots (the layout from `start` on) in
/// its dict. A name the class body also binds is CPython's ValueError.
pub fn add_members(cls: &Value, td: &TypeData, start: usize) {
    let Some(names) = &td.slots else { return };
    for (i, n) in names.iter().enumerate().skip(start) {
        let d = crate::types::attr_descriptor::slot_descriptor(
            crate::world::intern(n),
            cls.clone(),
            i as u32,
        );
        td.dict.set_str(n, d);
    }
}

/// The own names of a class, mangled and sorted, checked against the class body's
/// names (`'x' in __slots__ conflicts with class variable`).
pub fn own_layout(
    class_name: &str,
    declared: &[String],
    ns: &DictObj,
) -> Result<Vec<String>, ClassError> {
    let mut own: Vec<String> = declared
        .iter()
        .filter(|n| *n != "__dict__" && *n != "__weakref__")
        .map(|n| crate::compile::symtable::mangle(Some(class_name), n).unwrap_or(n.clone()))
        .collect();
    own.sort();
    for n in &own {
        if n != "__qualname__" && n != "__classcell__" && ns.get_str(n).is_some() {
            return Err((
                types().value_error,
                format!("'{n}' in __slots__ conflicts with class variable"),
            ));
        }
    }
    Ok(own)
}

/// Does `obj` belong to the member's class (or a subclass)? CPython's check before
/// every slot access through a descriptor.
fn applies(vm: &mut Vm, m: &MemberDescriptor, obj: &Value) -> PyResult<()> {
    let owner = m.attr().owner();
    if obj.type_raw() == owner.raw() || obj.type_data().is_subtype_raw(owner.raw()) {
        return Ok(());
    }
    let on = as_type(owner).map_or(String::new(), |t| t.name.clone());
    let tn = obj.type_data().name.clone();
    Err(vm.type_error(format!(
        "descriptor '{}' for '{on}' objects doesn't apply to a '{tn}' object",
        m.attr().name()
    )))
}

/// The value of slot `m` of `obj` (None when unset), without the class check.
fn read(m: &MemberDescriptor, obj: &Value) -> Option<Value> {
    let i = m.slot? as usize;
    if let Some(inst) = crate::ops::instance(obj) {
        return inst
            .slots
            .read(|s| s.get(i).cloned())
            .filter(|v| !v.is_null());
    }
    let dv = obj.type_data().instance_dict(obj)?;
    let d = dv.downcast::<DictObj>()?;
    d.get_str(m.attr().name())
}

/// `member.__get__(obj)`: the slot's value, or CPython's AttributeError when unset.
pub fn get(vm: &mut Vm, m: &MemberDescriptor, obj: &Value) -> PyResult<Value> {
    match get_opt(vm, m, obj)? {
        Some(v) => Ok(v),
        None => Err(crate::ops::no_attribute(vm, obj, m.attr().name())),
    }
}

/// The slot's value for an attribute lookup (None when unset), after the class check.
pub fn get_opt(vm: &mut Vm, m: &MemberDescriptor, obj: &Value) -> PyResult<Option<Value>> {
    applies(vm, m, obj)?;
    Ok(read(m, obj))
}

/// `member.__set__(obj, v)` (`Some`) or `member.__delete__(obj)` (`None`; deleting an
/// unset slot is an AttributeError naming it, as in CPython 3.11).
pub fn set(vm: &mut Vm, m: &MemberDescriptor, obj: &Value, v: Option<Value>) -> PyResult<()> {
    applies(vm, m, obj)?;
    let Some(i) = m.slot.map(|i| i as usize) else {
        return Ok(());
    };
    let n = m.attr().name();
    let deleting = v.is_none();
    let had = if let Some(inst) = crate::ops::instance(obj) {
        let new = v.unwrap_or(Value::NULL);
        let old = inst
            .slots
            .with(|s| s.get_mut(i).map(|slot| std::mem::replace(slot, new)));
        let had = old.as_ref().is_some_and(|o| !o.is_null());
        drop(old);
        had
    } else {
        let dv = obj.type_data().instance_dict(obj).cloned();
        let Some(d) = dv.as_ref().and_then(|d| d.downcast::<DictObj>()) else {
            return Err(crate::ops::no_attribute(vm, obj, n));
        };
        match v {
            Some(v) => {
                d.set_str_value(&new_str(n), v);
                true
            }
            None => d.d.with(|d| d.remove_str(n)).is_some(),
        }
    };
    if deleting && !had {
        return Err(vm.attribute_error(n.to_string()));
    }
    Ok(())
}
