//! `array`: typed arrays of numbers (placeholder until the type lands).
use crate::value::Value;

pub fn raw_bytes(_v: &Value) -> Option<Vec<u8>> {
    None
}

pub fn is_array(_v: &Value) -> bool {
    false
}
