//! What `-X dump=uops` and `-X dump=asm` print, and the perf map (`-X perf-map`).
use std::io::Write as _;

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
use stitch_stencils::value::RawValue;

/// What the dumps print, chosen once at startup.
#[derive(Clone, Copy, Debug, Default)]
pub struct DumpOptions {
    pub uops: bool,
    pub asm: bool,
    pub perf_map: bool,
}

static OPTIONS: std::sync::OnceLock<DumpOptions> = std::sync::OnceLock::new();

pub fn set_options(o: DumpOptions) {
    let _ = OPTIONS.set(o);
}

pub fn options() -> DumpOptions {
    OPTIONS.get().copied().unwrap_or_default()
}

/// A non-heap constant as Python would show it (None for heap objects).
pub fn show_raw(raw: RawValue) -> Option<String> {
    if raw.is_small_int() {
        Some(raw.as_small_int().to_string())
    } else if raw.is_float() {
        Some(format!("{:?}", raw.as_f64()))
    } else if raw == RawValue::NONE {
        Some("None".into())
    } else if raw == RawValue::TRUE {
        Some("True".into())
    } else if raw == RawValue::FALSE {
        Some("False".into())
    } else if raw.is_null() {
        Some("NULL".into())
    } else {
        None
    }
}

/// Disassemble machine code that will run at `addr` (Intel syntax, one line per
/// instruction, `marks` naming the offsets where each uop starts).
pub fn disassemble(code: &[u8], addr: u64, marks: &[(usize, String)]) -> String {
    let mut out = String::new();
    let mut decoder = Decoder::with_ip(64, code, addr, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut text = String::new();
    let mut inst = Instruction::default();
    while decoder.can_decode() {
        decoder.decode_out(&mut inst);
        let off = (inst.ip() - addr) as usize;
        for (_, m) in marks.iter().filter(|(o, _)| *o == off) {
            out.push_str(&format!("  ; {m}\n"));
        }
        text.clear();
        formatter.format(&inst, &mut text);
        let bytes: String = code[off..off + inst.len()]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        out.push_str(&format!("  {:016x} {bytes:<24} {text}\n", inst.ip()));
    }
    out
}

/// Append `addr size name` to `/tmp/perf-PID.map` (the format `perf` reads for JIT code).
pub fn perf_map(addr: usize, size: usize, name: &str) {
    let path = format!("/tmp/perf-{}.map", std::process::id());
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{addr:x} {size:x} stitch-trace:{name}");
    }
}
