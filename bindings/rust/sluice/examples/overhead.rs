//! overhead: the Rust side of bench/bindings/run.sh. Consumes a topic from
//! the beginning with a fresh group (trim_horizon, batch.window.ms 0) in pull
//! mode, walks every record view (offset, key and value lengths into a
//! checksum) and acks each batch: the same no-op work as
//! bench/bindings/capi_overhead.c, timed the same way (from the first batch,
//! so the group join is excluded). Prints `records_per_sec=<x>` last.
//!
//!   cargo run --release --example overhead -- --bootstrap B --topic T --records N [--batch-size 100]
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sluice::Engine;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut bootstrap, mut topic, mut records, mut batch_size) = (None, None, 0u64, "100".to_string());
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--bootstrap" => bootstrap = Some(v),
            "--topic" => topic = Some(v),
            "--records" => records = v.parse()?,
            "--batch-size" => batch_size = v,
            _ => return Err(format!("usage: overhead --bootstrap B --topic T --records N [--batch-size K] ({a}?)").into()),
        }
    }
    let (Some(bootstrap), Some(topic)) = (bootstrap, topic) else {
        return Err("usage: overhead --bootstrap B --topic T --records N [--batch-size K]".into());
    };
    if records == 0 {
        return Err("--records must be > 0".into());
    }
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
    let group = format!("rust-overhead-{}-{nanos}", std::process::id());
    let engine = Engine::new([
        ("bootstrap.servers", bootstrap.as_str()),
        ("topic", topic.as_str()),
        ("group.id", group.as_str()),
        ("starting.position", "trim_horizon"),
        ("batch.window.ms", "0"),
        ("batch.size", batch_size.as_str()),
    ])?;

    let (mut got, mut checksum) = (0u64, 0u64);
    let mut start: Option<Instant> = None;
    while got < records {
        let Some(batch) = engine.poll(Duration::from_secs(1))? else { continue };
        start.get_or_insert_with(Instant::now);
        let mut n = 0u64;
        for r in batch.records()? {
            checksum = checksum
                .wrapping_add(r.offset() as u64)
                .wrapping_add(r.value().map_or(0, <[u8]>::len) as u64)
                .wrapping_add(r.key().map_or(0, <[u8]>::len) as u64);
            n += 1;
        }
        batch.ack()?;
        got += n;
    }
    let secs = start.map_or(0.0, |s| s.elapsed().as_secs_f64());
    engine.stop(Duration::from_secs(10))?;
    drop(engine);
    println!("records={got} seconds={secs:.3} checksum={checksum}");
    println!("records_per_sec={:.1}", got as f64 / secs);
    Ok(())
}
