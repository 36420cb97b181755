//! Stop-the-world with real Python threads: while the world is stopped, counters
//! that two busy threads keep incrementing must not move; afterwards they move again.
use std::time::Duration;

use stitch_runtime::types::dict::DictObj;
use stitch_runtime::types::list::ListObj;
use stitch_runtime::types::module::ModuleObj;
use stitch_runtime::{Options, Value, Vm, compile, import, thread_state};

const SETUP: &str = r#"
import threading, time
counts = [0, 0]
stop = []
started = threading.Barrier(3)
def spin(k):
    started.wait()
    while not stop:
        counts[k] += 1
ts = [threading.Thread(target=spin, args=(k,)) for k in range(2)]
for t in ts:
    t.start()
started.wait()
while counts[0] == 0 or counts[1] == 0:
    time.sleep(0.001)
"#;

fn run(vm: &mut Vm, src: &str, globals: &Value) {
    let code = compile::compile(src, "<test>").expect("compiles");
    vm.run_code(&code, globals).map_err(|_| "raised").unwrap();
}

fn counts(globals: &Value) -> Vec<Value> {
    // SAFETY: module globals are a dict.
    let g = unsafe { globals.payload_unchecked::<DictObj>() };
    let l = g.get_str("counts").expect("counts");
    l.downcast::<ListObj>().expect("list").snapshot()
}

fn as_i64(v: &Value) -> i64 {
    v.as_small_int().expect("small int")
}

#[test]
fn stopped_threads_do_not_run_python_code() {
    let mut vm = Vm::new(vec![], Options::default());
    let module = import::new_module("__main__", None);
    // SAFETY: new_module returns a module.
    let globals = unsafe { module.payload_unchecked::<ModuleObj>() }
        .dict
        .clone();
    run(&mut vm, SETUP, &globals);
    let (before, after) = thread_state::stop_the_world(|| {
        let a: Vec<i64> = counts(&globals).iter().map(as_i64).collect();
        std::thread::sleep(Duration::from_millis(30));
        let b: Vec<i64> = counts(&globals).iter().map(as_i64).collect();
        (a, b)
    });
    assert_eq!(before, after, "a thread ran while the world was stopped");
    // Restarted: the counters move again.
    run(&mut vm, "time.sleep(0.02)", &globals);
    let later: Vec<i64> = counts(&globals).iter().map(as_i64).collect();
    assert!(
        later[0] > after[0] && later[1] > after[1],
        "{later:?} vs {after:?}"
    );
    run(
        &mut vm,
        "stop.append(1)\nfor t in ts:\n    t.join()",
        &globals,
    );
}
