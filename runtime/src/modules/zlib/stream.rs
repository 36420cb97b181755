//! A safe owner of one zlib stream (`z_stream` of zlib-rs's C API), deflating or
//! inflating. All `unsafe` of the zlib module is here.
//!
//! The stream is boxed because zlib's state points back at its `z_stream` (inflate and
//! deflate check that pointer), so it must never move; `next_in`/`next_out` are set
//! only for the duration of one [`Stream::step`] and cleared after it, so no pointer
//! into a caller's buffer outlives the call.
use std::ffi::{CStr, c_int};

use libz_rs_sys as z;

/// Deflating or inflating.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Deflate,
    Inflate,
}

pub struct Stream {
    z: Box<z::z_stream>,
    mode: Mode,
    /// Whether the zlib state is allocated (false after `end`).
    live: bool,
}

// SAFETY: a `Stream` exclusively owns its zlib state (allocated by the Rust global
// allocator); nothing in it is tied to a thread. Shared access goes through the
// owning object's `ObjCell`, which serialises callers.
unsafe impl Send for Stream {}

/// What one call of deflate or inflate did.
pub struct Step {
    /// zlib's return code.
    pub err: c_int,
    /// Input bytes consumed.
    pub consumed: usize,
    /// Whether the output room given was filled (zlib may have more to give).
    pub out_full: bool,
}

fn version() -> &'static [u8] {
    // The header version the C API checks in its init functions.
    b"1.3.1\0"
}

impl Stream {
    /// `deflateInit2`: Err carries zlib's code (and the stream, for its message).
    pub fn deflate(
        level: c_int,
        method: c_int,
        wbits: c_int,
        mem_level: c_int,
        strategy: c_int,
    ) -> Result<Stream, (c_int, Option<String>)> {
        let mut z = Box::<z::z_stream>::default();
        // SAFETY: `z` is a default-initialised stream (allocator set), owned here and
        // not moved afterwards (boxed); the version string is NUL-terminated.
        let err = unsafe {
            z::deflateInit2_(
                &mut *z,
                level,
                method,
                wbits,
                mem_level,
                strategy,
                version().as_ptr().cast(),
                std::mem::size_of::<z::z_stream>() as c_int,
            )
        };
        let s = Stream {
            z,
            mode: Mode::Deflate,
            live: err == z::Z_OK,
        };
        if err == z::Z_OK {
            Ok(s)
        } else {
            Err((err, s.msg()))
        }
    }

    /// `inflateInit2`.
    pub fn inflate(wbits: c_int) -> Result<Stream, (c_int, Option<String>)> {
        let mut z = Box::<z::z_stream>::default();
        // SAFETY: as in `deflate`.
        let err = unsafe {
            z::inflateInit2_(
                &mut *z,
                wbits,
                version().as_ptr().cast(),
                std::mem::size_of::<z::z_stream>() as c_int,
            )
        };
        let s = Stream {
            z,
            mode: Mode::Inflate,
            live: err == z::Z_OK,
        };
        if err == z::Z_OK {
            Ok(s)
        } else {
            Err((err, s.msg()))
        }
    }

    pub fn is_live(&self) -> bool {
        self.live
    }

    /// zlib's message for the last error, if it set one.
    pub fn msg(&self) -> Option<String> {
        if self.z.msg.is_null() {
            return None;
        }
        // SAFETY: zlib sets `msg` to a static NUL-terminated string (or leaves it null).
        let s = unsafe { CStr::from_ptr(self.z.msg) };
        Some(s.to_string_lossy().into_owned())
    }

    /// One call of deflate/inflate with `flush`, reading from `input` and appending at
    /// most `room` bytes to `out`.
    pub fn step(&mut self, input: &[u8], out: &mut Vec<u8>, room: usize, flush: c_int) -> Step {
        if !self.live {
            return Step {
                err: z::Z_STREAM_ERROR,
                consumed: 0,
                out_full: false,
            };
        }
        let avail_in = input.len().min(u32::MAX as usize);
        let room = room.min(u32::MAX as usize);
        out.reserve(room);
        let start = out.len();
        self.z.next_in = input.as_ptr();
        self.z.avail_in = avail_in as u32;
        // SAFETY: `reserve` made `room` bytes of spare capacity past `start`.
        self.z.next_out = unsafe { out.as_mut_ptr().add(start) };
        self.z.avail_out = room as u32;
        // SAFETY: the stream is live; next_in/avail_in describe `input`, which is
        // borrowed for this call, and next_out/avail_out the spare capacity of `out`.
        let err = unsafe {
            match self.mode {
                Mode::Deflate => z::deflate(&mut *self.z, flush),
                Mode::Inflate => z::inflate(&mut *self.z, flush),
            }
        };
        let produced = room - self.z.avail_out as usize;
        let consumed = avail_in - self.z.avail_in as usize;
        let out_full = self.z.avail_out == 0;
        self.z.next_in = std::ptr::null();
        self.z.avail_in = 0;
        self.z.next_out = std::ptr::null_mut();
        self.z.avail_out = 0;
        // SAFETY: zlib wrote `produced` bytes at the start of the spare capacity.
        unsafe { out.set_len(start + produced) };
        Step {
            err,
            consumed,
            out_full,
        }
    }

    /// `deflateSetDictionary` / `inflateSetDictionary`.
    pub fn set_dictionary(&mut self, dict: &[u8]) -> c_int {
        if !self.live {
            return z::Z_STREAM_ERROR;
        }
        let Ok(n) = u32::try_from(dict.len()) else {
            return z::Z_STREAM_ERROR;
        };
        // SAFETY: the stream is live; zlib copies the dictionary during the call.
        unsafe {
            match self.mode {
                Mode::Deflate => z::deflateSetDictionary(&mut *self.z, dict.as_ptr(), n),
                Mode::Inflate => z::inflateSetDictionary(&mut *self.z, dict.as_ptr(), n),
            }
        }
    }

    /// `deflateCopy` / `inflateCopy`.
    pub fn copy(&mut self) -> Result<Stream, c_int> {
        if !self.live {
            return Err(z::Z_STREAM_ERROR);
        }
        let mut dst = Box::<z::z_stream>::default();
        // zlib-rs refuses to copy a stream whose output pointer is null (as between
        // steps here): give it a dangling one with no room, never written through.
        self.z.next_out = std::ptr::NonNull::<u8>::dangling().as_ptr();
        self.z.avail_out = 0;
        let src: *mut z::z_stream = &mut *self.z;
        // SAFETY: the source stream is live and not in a call; the destination is a
        // fresh boxed stream that zlib fills with a copy of the state.
        let err = unsafe {
            match self.mode {
                Mode::Deflate => z::deflateCopy(&mut *dst, src),
                Mode::Inflate => z::inflateCopy(&mut *dst, src),
            }
        };
        self.z.next_out = std::ptr::null_mut();
        dst.next_out = std::ptr::null_mut();
        if err != z::Z_OK {
            return Err(err);
        }
        Ok(Stream {
            z: dst,
            mode: self.mode,
            live: true,
        })
    }

    /// Free zlib's state (`deflateEnd` / `inflateEnd`).
    pub fn end(&mut self) -> c_int {
        if !self.live {
            return z::Z_OK;
        }
        self.live = false;
        // SAFETY: the stream is live and ends here; it is not used again.
        unsafe {
            match self.mode {
                Mode::Deflate => z::deflateEnd(&mut *self.z),
                Mode::Inflate => z::inflateEnd(&mut *self.z),
            }
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let _ = self.end();
    }
}

/// The zlib version zlib-rs is compatible with (as `zlibVersion()` reports it, without
/// zlib-rs's own suffix).
pub fn zlib_version() -> String {
    // SAFETY: zlibVersion returns a static NUL-terminated string.
    let s = unsafe { CStr::from_ptr(z::zlibVersion()) };
    let s = s.to_string_lossy();
    s.split('-').next().unwrap_or("").to_string()
}

/// adler32 of `data` continuing from `value`.
pub fn adler32(value: u32, data: &[u8]) -> u32 {
    let mut a = value as std::ffi::c_ulong;
    for chunk in data.chunks(1 << 30) {
        // SAFETY: `chunk` is a valid buffer of the given length for the call.
        a = unsafe { z::adler32(a, chunk.as_ptr(), chunk.len() as u32) };
    }
    a as u32
}
