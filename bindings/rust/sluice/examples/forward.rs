//! forward: writes each batch's Lambda event JSON to stdout, one per line,
//! and acknowledges the batch only after the write (and flush) succeeded, so
//! a crash or a closed pipe means redelivery, never loss.
//!
//!   cargo run --example forward -- --bootstrap HOST:PORT --topic T [--group G]
//!       [--from-beginning] [--max-batches N] [--set key=value]...
use std::io::Write;
use std::time::Duration;

use sluice::{Config, Engine};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut conf = Config::new()?;
    conf.set("group.id", "sluice-forward")?;
    let mut max_batches = u64::MAX;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--bootstrap" => conf.set("bootstrap.servers", &val()?)?,
            "--topic" => conf.set("topic", &val()?)?,
            "--group" => conf.set("group.id", &val()?)?,
            "--from-beginning" => conf.set("starting.position", "trim_horizon")?,
            "--max-batches" => {
                max_batches = val()?.parse()?;
                &mut conf
            }
            "--set" => {
                let kv = val()?;
                let (k, v) = kv.split_once('=').ok_or("--set takes key=value")?;
                conf.set(k, v)?
            }
            _ => return Err(format!("unknown argument {a}\nusage: forward --bootstrap B --topic T [--group G] [--from-beginning] [--max-batches N] [--set k=v]...").into()),
        };
    }
    let engine = Engine::from_config(&conf)?;
    let mut out = std::io::stdout().lock();
    let mut n = 0;
    for batch in engine.batches(Duration::from_millis(500)) {
        let batch = batch?;
        out.write_all(batch.event()?)?;
        out.write_all(b"\n")?;
        out.flush()?;
        batch.ack()?; // only now: the event is out
        n += 1;
        if n >= max_batches {
            break;
        }
    }
    engine.stop(Duration::from_secs(10))?;
    Ok(())
}
