//! list: a growable vector of values behind the object's critical section.
use crate::object::ObjCell;
use crate::value::{PyPayload, Value};
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct ListObj {
    pub items: ObjCell<Vec<Value>>,
}

impl PyPayload for ListObj {
    fn class() -> RawValue {
        types().list
    }
}

impl ListObj {
    pub fn new_value(items: Vec<Value>) -> Value {
        Value::alloc(ListObj {
            items: ObjCell::new(items),
        })
    }
    pub fn len(&self) -> usize {
        self.items.with(|v| v.len())
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn get(&self, i: usize) -> Option<Value> {
        self.items.read(|v| v.get(i).cloned())
    }
    pub fn push(&self, x: Value) {
        self.items.with(|v| v.push(x));
    }
    pub fn snapshot(&self) -> Vec<Value> {
        self.items.get_clone()
    }
}
