//! Stencil builder (stencils/src/templates.rs -> object file -> Rust tables).
//!
//! Compiles the `stencils` crate with `--cfg stitch_stencil_build` into a relocatable
//! object (`rustc --emit=obj`, medium code model, static relocations: see
//! ../shared/notes/stencil-build-facts.md for why these flags), parses it with
//! `object`, and writes `$OUT_DIR/stencils.rs`: one `Stencil` per `stencil_*` symbol
//! with its machine code and its holes (relocations the emitter patches). The build
//! fails, naming the stencil, on a relocation it cannot patch, a symbol that is not a
//! hole (a panic path or a runtime call), or a continuation reached by `call` instead
//! of a jump. A trailing `jmp _JIT_CONTINUE` is stripped: the next stencil is placed
//! right after.
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use object::{Object, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget};

use object::elf::{R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let src = manifest.join("../stencils/src");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let obj_path = out.join("stencils.o");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let status = Command::new(&rustc)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .args([
            "--edition=2024",
            "--crate-type=lib",
            "--crate-name=stitch_stencils_obj",
            "--emit=obj",
            "-C",
            "opt-level=3",
            "-C",
            "panic=abort",
            "-C",
            "codegen-units=1",
            "-C",
            "code-model=medium",
            "-C",
            "relocation-model=static",
            "-C",
            "jump-tables=no",
            // No SLP vectorization: it would load vector constants from a constant pool
            // (read-only data the stencils cannot carry).
            "-C",
            "llvm-args=-vectorize-slp=false",
            "-C",
            "force-unwind-tables=no",
            "-C",
            "debug-assertions=no",
            "-C",
            "overflow-checks=no",
            "--cfg",
            "stitch_stencil_build",
            "--cap-lints=allow",
            "-o",
        ])
        .arg(&obj_path)
        .arg(src.join("lib.rs"))
        .status()
        .expect("run rustc for the stencils");
    assert!(status.success(), "compiling the stencils failed");
    let data = std::fs::read(&obj_path).expect("read the stencil object");
    let file = object::File::parse(&*data).expect("parse the stencil object");
    let mut stencils = Vec::new();
    for sym in file.symbols() {
        let Ok(name) = sym.name() else { continue };
        let Some(uop) = name.strip_prefix("stencil_") else {
            continue;
        };
        if !sym.is_definition() {
            continue;
        }
        let section = file
            .section_by_index(sym.section_index().expect("stencil in a section"))
            .expect("section");
        let sdata = section.data().expect("section data");
        let start = sym.address() - section.address();
        let mut code = sdata[start as usize..(start + sym.size()) as usize].to_vec();
        let mut holes = Vec::new();
        for (off, rel) in section.relocations() {
            if off < start || off >= start + sym.size() {
                continue;
            }
            let off = off - start;
            let target = match rel.target() {
                RelocationTarget::Symbol(i) => file
                    .symbol_by_index(i)
                    .and_then(|s| s.name().map(str::to_string))
                    .unwrap_or_default(),
                _ => panic!("stencil {uop}: relocation at {off:#x} is not against a symbol"),
            };
            let r_type = match rel.flags() {
                RelocationFlags::Elf { r_type } => r_type,
                f => panic!("stencil {uop}: unexpected relocation flags {f:?}"),
            };
            let kind = match (target.as_str(), r_type) {
                ("_JIT_OPARG", R_X86_64_64) => "Oparg",
                ("_JIT_TID", R_X86_64_64) => "Tid",
                ("_JIT_HELPER", R_X86_64_64) => "Helper",
                ("_JIT_INCREF", R_X86_64_64) => "Incref",
                ("_JIT_DECREF", R_X86_64_64) => "Decref",
                ("_JIT_CONTINUE", R_X86_64_PLT32 | R_X86_64_PC32) => "Continue",
                ("_JIT_EXIT", R_X86_64_PLT32 | R_X86_64_PC32) => "Exit",
                ("_JIT_ERROR", R_X86_64_PLT32 | R_X86_64_PC32) => "Error",
                (t, r) => panic!(
                    "stencil {uop}: cannot patch relocation type {r} against `{t}` at {off:#x} \
                     (a panic path, a runtime call or read-only data?)"
                ),
            };
            if kind == "Continue" || kind == "Exit" || kind == "Error" {
                // The continuation must be reached by a jump, never a call.
                let o = off as usize;
                let jmp = o >= 1 && code[o - 1] == 0xE9;
                let jcc = o >= 2 && code[o - 2] == 0x0F && (0x80..=0x8F).contains(&code[o - 1]);
                assert!(
                    jmp || jcc,
                    "stencil {uop}: {kind} at {off:#x} is not a tail jump"
                );
            }
            holes.push((off as usize, kind, rel.addend()));
        }
        holes.sort();
        // Strip a trailing `jmp _JIT_CONTINUE`: the next stencil follows directly.
        let len = code.len();
        if let Some(&(off, "Continue", _)) = holes.last()
            && off + 4 == len
            && code[off - 1] == 0xE9
        {
            code.truncate(len - 5);
            holes.pop();
        }
        stencils.push((uop.to_string(), code, holes));
    }
    stencils.sort();
    assert!(
        !stencils.is_empty(),
        "no stencil_* symbols in the stencil object"
    );
    let mut s = String::from(
        "// @generated by jit/build.rs from stencils/src/templates.rs. Do not edit.\n\
         // Every `stencil_*` function is here; nothing is left out.\n\
         pub static STENCILS: &[Stencil] = &[\n",
    );
    for (name, code, holes) in &stencils {
        let _ = writeln!(
            s,
            "    Stencil {{\n        name: {name:?},\n        code: &{code:?},"
        );
        let _ = writeln!(s, "        holes: &[");
        for (off, kind, addend) in holes {
            let _ = writeln!(
                s,
                "            Hole {{ offset: {off}, value: HoleValue::{kind}, addend: {addend} }},"
            );
        }
        let _ = writeln!(s, "        ],\n    }},");
    }
    s.push_str("];\n");
    std::fs::write(out.join("stencils.rs"), s).expect("write stencils.rs");
}
