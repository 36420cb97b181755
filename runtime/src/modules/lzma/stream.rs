//! An owned liblzma coder (`lzma_stream`): the only place `_lzma` calls liblzma's
//! coding functions. Each `Stream` is used by one thread at a time (its Python object
//! holds it in an `ObjCell`); liblzma allocates with malloc (no custom allocator).
use liblzma_sys as x;

use super::filters::Chain;

/// One `lzma_code` call: liblzma's return code, input consumed, output produced.
pub struct Step {
    pub ret: x::lzma_ret,
    pub consumed: usize,
    pub produced: usize,
}

pub struct Stream {
    /// Boxed so the struct liblzma was initialised with never moves.
    raw: Box<x::lzma_stream>,
}

// SAFETY: the coder state behind `raw` is owned by this value alone and liblzma keeps
// no thread-local state; callers serialize use through the object's lock.
unsafe impl Send for Stream {}
// SAFETY: as above; `&Stream` only reads `lzma_get_check`, under the same lock.
unsafe impl Sync for Stream {}

impl Stream {
    fn blank() -> Stream {
        // SAFETY: LZMA_STREAM_INIT is all zeroes (null pointers, zero counters), which
        // is a valid value of every field.
        let raw: x::lzma_stream = unsafe { std::mem::zeroed() };
        Stream { raw: Box::new(raw) }
    }

    /// A coder set up by `init` (one of liblzma's `*_encoder` / `*_decoder`
    /// functions), or liblzma's error code.
    fn make(init: impl FnOnce(*mut x::lzma_stream) -> x::lzma_ret) -> Result<Stream, x::lzma_ret> {
        let mut s = Stream::blank();
        let ret = init(&mut *s.raw);
        if ret == x::LZMA_OK { Ok(s) } else { Err(ret) }
    }

    pub fn easy_encoder(preset: u32, check: u32) -> Result<Stream, x::lzma_ret> {
        // SAFETY: `s` points to a zeroed lzma_stream owned by the new Stream.
        Stream::make(|s| unsafe { x::lzma_easy_encoder(s, preset, check) })
    }

    pub fn stream_encoder(chain: &Chain, check: u32) -> Result<Stream, x::lzma_ret> {
        // SAFETY: the chain is terminated by LZMA_VLI_UNKNOWN and its option structs
        // live until after the call (liblzma copies what it keeps).
        Stream::make(|s| unsafe { x::lzma_stream_encoder(s, chain.as_ptr(), check) })
    }

    pub fn alone_encoder(opts: &x::lzma_options_lzma) -> Result<Stream, x::lzma_ret> {
        // SAFETY: `opts` is a valid lzma_options_lzma for the duration of the call.
        Stream::make(|s| unsafe { x::lzma_alone_encoder(s, opts) })
    }

    pub fn raw_encoder(chain: &Chain) -> Result<Stream, x::lzma_ret> {
        // SAFETY: as `stream_encoder`.
        Stream::make(|s| unsafe { x::lzma_raw_encoder(s, chain.as_ptr()) })
    }

    pub fn auto_decoder(memlimit: u64, flags: u32) -> Result<Stream, x::lzma_ret> {
        // SAFETY: `s` points to a zeroed lzma_stream.
        Stream::make(|s| unsafe { x::lzma_auto_decoder(s, memlimit, flags) })
    }

    pub fn stream_decoder(memlimit: u64, flags: u32) -> Result<Stream, x::lzma_ret> {
        // SAFETY: `s` points to a zeroed lzma_stream.
        Stream::make(|s| unsafe { x::lzma_stream_decoder(s, memlimit, flags) })
    }

    pub fn alone_decoder(memlimit: u64) -> Result<Stream, x::lzma_ret> {
        // SAFETY: `s` points to a zeroed lzma_stream.
        Stream::make(|s| unsafe { x::lzma_alone_decoder(s, memlimit) })
    }

    pub fn raw_decoder(chain: &Chain) -> Result<Stream, x::lzma_ret> {
        // SAFETY: as `stream_encoder`.
        Stream::make(|s| unsafe { x::lzma_raw_decoder(s, chain.as_ptr()) })
    }

    /// Run the coder over `input` into `output` with `action` (LZMA_RUN/LZMA_FINISH).
    pub fn code(&mut self, input: &[u8], output: &mut [u8], action: x::lzma_action) -> Step {
        let s = &mut *self.raw;
        s.next_in = input.as_ptr();
        s.avail_in = input.len();
        s.next_out = output.as_mut_ptr();
        s.avail_out = output.len();
        // SAFETY: next_in/next_out describe live buffers of avail_in/avail_out bytes
        // for the duration of the call, and the stream was initialised by `make`.
        let ret = unsafe { x::lzma_code(s, action) };
        let consumed = input.len() - s.avail_in;
        let produced = output.len() - s.avail_out;
        // Do not leave pointers to the caller's buffers behind.
        s.next_in = std::ptr::null();
        s.avail_in = 0;
        s.next_out = std::ptr::null_mut();
        s.avail_out = 0;
        Step {
            ret,
            consumed,
            produced,
        }
    }

    /// The integrity check of the stream being decoded (`lzma_get_check`).
    pub fn check(&self) -> u32 {
        // SAFETY: the stream was initialised by `make`; the call only reads it.
        unsafe { x::lzma_get_check(&*self.raw) }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // SAFETY: the stream was initialised by `make` (or is zeroed, which lzma_end
        // accepts) and is not used again.
        unsafe { x::lzma_end(&mut *self.raw) }
    }
}
