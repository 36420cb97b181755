//! Executable memory for traces, W^X: code is written into a private read-write
//! mapping, which is then turned read+execute; it is never writable and executable at
//! once.
use memmap2::{Mmap, MmapMut};

/// Read+execute machine code of one trace.
pub struct ExecutableCode {
    map: Mmap,
}

impl ExecutableCode {
    /// Copy `code` into fresh memory and make it executable.
    pub fn new(code: &[u8]) -> std::io::Result<ExecutableCode> {
        let mut map = MmapMut::map_anon(code.len().max(1))?;
        map[..code.len()].copy_from_slice(code);
        Ok(ExecutableCode {
            map: map.make_exec()?,
        })
    }

    pub fn addr(&self) -> usize {
        self.map.as_ptr() as usize
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
