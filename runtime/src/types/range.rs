//! range: start, stop and step as machine ints (ranges beyond i64 raise OverflowError).
use crate::value::PyPayload;
use crate::world::types;
use stitch_stencils::value::RawValue;

pub struct RangeObj {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl PyPayload for RangeObj {
    fn class() -> RawValue {
        types().range
    }
}

impl RangeObj {
    pub fn len(&self) -> i64 {
        let (lo, hi, step) = (self.start as i128, self.stop as i128, self.step as i128);
        let n = if step > 0 && lo < hi {
            (hi - lo - 1) / step + 1
        } else if step < 0 && lo > hi {
            (lo - hi - 1) / (-step) + 1
        } else {
            0
        };
        n as i64
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn item(&self, i: i64) -> i64 {
        self.start + i * self.step
    }
}
