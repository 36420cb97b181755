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
