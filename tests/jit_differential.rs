//! Differential property test of the tiers: generated loops whose operand types,
//! globals, attributes and builtins change at random iterations run in tier 1
//! (`-X jit=off`), in the uop interpreter (`-X jit=uops`) and as machine code
//! (`-X jit=on`); all three must print the same, and match `python3` when it is
//! installed. Loops run long enough (1200 iterations) to be compiled before, and keep
//! running after, the changes, so traces take their exits and re-enter, hot exits
//! recompile loops and branches get side traces; inner loops link traces together.
use std::process::Command;

use proptest::prelude::*;

/// Statements of the loop body (over locals a, b, t, global G, attribute o.x, list L).
const BODY: &[&str] = &[
    "a = a + b",
    "a = a * 2 - b",
    "b = (b + i) % 97",
    "if i % 3 == 0:\n        t = t + 2\n    elif i % 5 == 1:\n        t = t - a",
    "t = t + G",
    "o.x = o.x + 1",
    "t = t + L[i % len(L)]",
    "t = t + o.x",
    "if a > b:\n        t = t + 1\n    else:\n        t = t - 1",
    "a = a % 1000003",
    "t = t * 0.5 + a",
    "c = abs(b) + C.k",
    "t = t - c",
    // Inner loops: traces jump into each other, loop ends get side traces.
    "for k in range(i % 4):\n        t = t + k",
    "for v in L:\n        if v > 2:\n            break\n        t = t + v",
    "for v in (a, b, o.x):\n        if v == 0:\n            continue\n        t = t + v",
];

/// Changes made at one iteration (types of locals, globals, attributes, builtins).
const CHANGES: &[&str] = &[
    "a = 2.5",
    "a = 10 ** 20",
    "b = True",
    "b = 7.75",
    "G = 1.5",
    "G = 10 ** 19",
    "o.x = 3.25",
    "L.append(2.5)",
    "C.k = 0.5",
    "t = 0",
    "globals()['abs'] = lambda v: 1",
];

fn program(body: &[usize], changes: &[(usize, u16)]) -> String {
    let mut s = String::from(
        "class C:\n    k = 1\n\n\nclass O:\n    pass\n\n\nG = 3\nL = [1, 2, 3]\no = O()\no.x = 0\n\n\ndef run(n):\n    global G\n    a = 1\n    b = 2\n    c = 0\n    t = 0\n    for i in range(n):\n",
    );
    for &(c, at) in changes {
        s += &format!("        if i == {at}:\n            {}\n", CHANGES[c]);
    }
    for &st in body {
        s += &format!("        {}\n", BODY[st].replace("\n    ", "\n        "));
    }
    s += "    return a, b, c, t\n\n\nprint(run(1200), G, o.x, L, C.k)\n";
    s
}

fn run(cmd: &str, args: &[&str], path: &str) -> Option<String> {
    let o = Command::new(cmd).args(args).arg(path).output().ok()?;
    Some(format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        // The last stderr line (an uncaught exception) must match too.
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .unwrap_or("")
    ))
}

fn python3_present() -> bool {
    Command::new("python3")
        .args(["-c", "pass"])
        .output()
        .is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
    #[test]
    fn tiers_agree_on_loops_whose_types_change(
        body in proptest::collection::vec(0..BODY.len(), 1..7),
        changes in proptest::collection::vec((0..CHANGES.len(), 70u16..1150), 0..4),
    ) {
        let src = program(&body, &changes);
        let dir = std::env::temp_dir().join(format!("stitch-diff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("loop.py");
        std::fs::write(&path, &src).unwrap();
        let path = path.to_str().unwrap();
        let stitch = env!("CARGO_BIN_EXE_stitch");
        let off = run(stitch, &["-X", "jit=off"], path).unwrap();
        let uops = run(stitch, &["-X", "jit=uops"], path).unwrap();
        let on = run(stitch, &["-X", "jit=on"], path).unwrap();
        prop_assert_eq!(&off, &uops, "tier 1 vs -X jit=uops\n{}", src);
        prop_assert_eq!(&off, &on, "tier 1 vs -X jit=on\n{}", src);
        if python3_present() {
            let py = run("python3", &[], path).unwrap();
            prop_assert_eq!(&py, &on, "python3 vs stitch\n{}", src);
        }
    }
}
