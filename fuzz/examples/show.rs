//! Print the Python program a fuzz input stands for, to read a finding or turn it into
//! a test program: `cargo run -p stitch-fuzz --example show -- deopt|thread_start FILE`
//! (`thread_start` prints the threaded version; `--single` its one-thread version).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(target), Some(file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: show deopt|thread_start FILE [--single]");
        std::process::exit(2);
    };
    let data = std::fs::read(file).expect("read input");
    let mut u = arbitrary::Unstructured::new(&data);
    let p = stitch_fuzz::deopt::generate(&mut u, target == "thread_start")
        .expect("every input gives a program");
    if target == "thread_start" && !args.iter().any(|a| a == "--single") {
        print!("{}", p.source_threaded);
    } else {
        print!("{}", p.source_single);
    }
}
