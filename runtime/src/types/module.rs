//! Modules: a name and a globals dict.
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct ModuleObj {
    pub name: String,
    /// The module's globals (a dict object).
    pub dict: Value,
}

impl PyPayload for ModuleObj {
    fn class() -> RawValue {
        types().module
    }
}

impl ModuleObj {
    pub fn dict(&self) -> &crate::types::dict::DictObj {
        // SAFETY: `dict` is always a dict object.
        unsafe { self.dict.payload_unchecked() }
    }
}

/// A module's name as CPython's repr and attribute errors give it: its `__name__` when
/// that is a str (set by `module.__init__`, or reassigned), else the name it was made
/// with.
pub fn name_of(m: &ModuleObj) -> String {
    match m.dict().get_str("__name__") {
        Some(n) => match crate::types::str::as_str(&n) {
            Some(s) => s.to_string(),
            None => m.name.clone(),
        },
        None => m.name.clone(),
    }
}
