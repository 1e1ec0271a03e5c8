//! The engine's behaviour on librdkafka's in-process mock cluster, the shared
//! event vectors (tests/vectors/events.json), and the binding's own
//! mechanics (iterator, filter, stats, completion errors, push-mode corners).
mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use common::*;
use sluice::testing::{Message, MockCluster, Producer};
use sluice::{sys, Config, Engine, ErrorCode};

#[test]
fn mock_consume_known_records() {
    consume_known_records(&Backend::mock());
}

#[test]
fn mock_ack_restart_no_redelivery() {
    ack_restart_no_redelivery(&Backend::mock());
}

#[test]
fn mock_fail_redelivers_same_batch() {
    fail_redelivers_same_batch(&Backend::mock());
}

#[test]
fn mock_push_panic_comes_back() {
    push_panic_comes_back(&Backend::mock());
}

/// Each case of tests/vectors/events.json, produced with its timestamps into
/// a fresh mock cluster and consumed as one batch: the event bytes must be
/// exactly the expected ones. The cases run side by side (one cluster each).
#[test]
fn event_vectors_match_byte_for_byte() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/vectors/events.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 4);
    std::thread::scope(|s| {
        let runs: Vec<_> = cases.iter().map(|c| s.spawn(move || replay_event_vector(c))).collect();
        let failed: Vec<String> = runs
            .into_iter()
            .zip(cases)
            .filter_map(|(r, c)| r.join().is_err().then(|| c["name"].as_str().unwrap().to_string()))
            .collect();
        assert!(failed.is_empty(), "event vectors failed (see the panics above): {failed:?}");
    });
}

fn replay_event_vector(c: &serde_json::Value) {
    let b64 = |j: &serde_json::Value| j.as_str().map(b64decode);
    let name = c["name"].as_str().unwrap();
    let topic = c["topic"].as_str().unwrap();
    let mc = MockCluster::new(1).unwrap();
    mc.create_topic(topic, 1).unwrap();
    let mut prod = Producer::new(mc.bootstrap()).unwrap();
    let recs = c["records"].as_array().unwrap();
    for r in recs {
        let key = b64(&r["key_b64"]);
        let value = b64(&r["value_b64"]);
        let hs: Vec<(String, Option<Vec<u8>>)> = r["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_str().unwrap().to_string(), b64(&h[1])))
            .collect();
        let hrefs: Vec<(&str, Option<&[u8]>)> = hs.iter().map(|(n, v)| (n.as_str(), v.as_deref())).collect();
        let m = Message {
            partition: Some(0),
            key: key.as_deref(),
            value: value.as_deref(),
            headers: &hrefs,
            timestamp_ms: r["timestamp"].as_i64().unwrap(),
        };
        prod.send(topic, &m).unwrap();
    }
    prod.flush(Duration::from_secs(10)).unwrap();
    drop(prod);
    let mut s = vec![
        ("bootstrap.servers", mc.bootstrap().to_string()),
        ("topic", topic.to_string()),
        ("group.id", "vectors".to_string()),
        ("starting.position", "trim_horizon".to_string()),
        // One batch: cut when all the case's records are there.
        ("batch.size", recs.len().to_string()),
        ("batch.window.ms", "5000".to_string()),
        ("event.source", c["event_source"].as_str().unwrap().to_string()),
        ("event.bootstrap.servers", c["bootstrap_servers"].as_str().unwrap().to_string()),
    ];
    if let Some(arn) = c["arn"].as_str() {
        s.push(("event.source.arn", arn.to_string()));
    }
    let e = Engine::new(&s).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let b = loop {
        assert!(Instant::now() < deadline, "{name}: no batch");
        if let Some(b) = e.poll(Duration::from_millis(200)).unwrap() {
            break b;
        }
    };
    assert_eq!(b.records().unwrap().len(), recs.len(), "{name}: all records of a vector fit one batch");
    let got = b.event().unwrap();
    let want = c["expected_event"].as_str().unwrap();
    assert_eq!(std::str::from_utf8(got).unwrap(), want, "{name}");
    b.ack().unwrap();
    e.stop(Duration::from_secs(5)).unwrap();
}

/// filter.patterns in an engine: only matching records reach the host; the
/// others are counted as filtered out (and committed).
#[test]
fn filter_in_the_engine() {
    let be = Backend::mock();
    let (topic, group) = be.names("filter", 1);
    let mut p = Producer::new(&be.bootstrap).unwrap();
    for i in 0..20 {
        let v = format!(r#"{{"kind":"{}","i":{i}}}"#, if i % 4 == 0 { "order" } else { "other" });
        p.send(&topic, &Message { partition: Some(0), value: Some(v.as_bytes()), ..Default::default() }).unwrap();
    }
    p.flush(Duration::from_secs(10)).unwrap();
    let e = Engine::new(with(
        be.settings(&topic, &group),
        &[("filter.patterns", r#"[{"value":{"kind":["order"]}}]"#), ("batch.size", "100")],
    ))
    .unwrap();
    let got = pull_until(&e, 5, Duration::from_secs(30), |_| true);
    let offsets: Vec<i64> = got.iter().flat_map(|s| s.offsets.clone()).collect();
    assert_eq!(offsets, vec![0, 4, 8, 12, 16]);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let stats: serde_json::Value = serde_json::from_str(&e.stats().unwrap()).expect("stats are JSON");
        if stats["FilteredOutEventCount"] == 15 {
            break;
        }
        assert!(Instant::now() < deadline, "FilteredOutEventCount: {stats}");
        std::thread::sleep(Duration::from_millis(50));
    }
    e.stop(Duration::from_secs(5)).unwrap();
}

/// The batch iterator on one thread ends when another thread stops the
/// engine (Engine is Sync; a Batch is acked where it was polled).
#[test]
fn batches_iterator_ends_when_the_engine_stops() {
    let be = Backend::mock();
    let (topic, group) = be.names("iter", 2);
    produce_numbered(&be.bootstrap, &topic, 0, 30);
    produce_numbered(&be.bootstrap, &topic, 1, 30);
    let e = Engine::new(with(be.settings(&topic, &group), &[("batch.size", "7")])).unwrap();
    let seen = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let consumer = s.spawn(|| {
            let mut batches = 0;
            for b in e.batches(Duration::from_millis(50)) {
                let b = b.expect("batch");
                seen.fetch_add(b.records().unwrap().len(), Ordering::SeqCst);
                b.ack().unwrap();
                batches += 1;
            }
            batches
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        while seen.load(Ordering::SeqCst) < 60 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        e.stop(Duration::from_secs(5)).unwrap();
        let batches = consumer.join().unwrap();
        assert!(batches >= 10, "{batches} batches");
    });
    assert_eq!(seen.load(Ordering::SeqCst), 60);
    assert_eq!(e.poll(Duration::ZERO).unwrap_err().code(), ErrorCode::Stopped);
    e.stop(Duration::from_secs(1)).unwrap();
}

/// A batch completed behind the binding's back (through the C handle):
/// the safe ack still maps the C error.
#[test]
fn completing_twice_maps_already_completed() {
    let be = Backend::mock();
    let (topic, group) = be.names("twice", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 3);
    let e = Engine::new(be.settings(&topic, &group)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut b = loop {
        assert!(Instant::now() < deadline);
        if let Some(b) = e.poll(Duration::from_millis(100)).unwrap() {
            break b;
        }
    };
    assert!(unsafe { sys::sluice_batch_ack(b.as_mut_ptr()) }.is_null());
    let err = b.ack().unwrap_err();
    assert_eq!(err.code(), ErrorCode::AlreadyCompleted, "{err}");
    assert_eq!(err.code().name(), "SLUICE_ERR_ALREADY_COMPLETED");
}

/// Stats, the wake-up descriptor, poll's empty result.
#[test]
fn stats_and_wakeup_fd() {
    let be = Backend::mock();
    let (topic, group) = be.names("stats", 1);
    let e = Engine::new(be.settings(&topic, &group)).unwrap();
    assert!(e.poll(Duration::from_millis(10)).unwrap().is_none());
    let stats: serde_json::Value = serde_json::from_str(&e.stats().unwrap()).unwrap();
    assert!(stats["PolledEventCount"].is_number(), "{stats}");
    assert!(stats["OffsetLag"].is_object(), "{stats}");
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        assert!(e.wakeup_fd().unwrap().as_raw_fd() >= 0);
    }
    e.stop(Duration::from_secs(5)).unwrap();
    e.stop(Duration::from_secs(5)).unwrap();
}

/// From the engine's own handler, stop is refused (it would wait for the
/// handler itself), and dropping the last reference there does not hang.
#[test]
fn stop_and_drop_from_own_handler() {
    let be = Backend::mock();
    let (topic, group) = be.names("selfstop", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 10);
    let me: Arc<OnceLock<Weak<Engine>>> = Arc::default();
    let holder: Arc<Mutex<Option<Arc<Engine>>>> = Arc::default();
    let results: Arc<Mutex<Vec<ErrorCode>>> = Arc::default();
    let (m, h, r) = (me.clone(), holder.clone(), results.clone());
    let conf = Config::from_pairs(with(be.settings(&topic, &group), &[("batch.size", "5")])).unwrap();
    let e = Arc::new(
        Engine::with_handler(conf, move |_b| -> Result<(), ()> {
            if let Some(engine) = m.get().and_then(Weak::upgrade) {
                r.lock().unwrap().push(engine.stop(Duration::from_secs(1)).unwrap_err().code());
            }
            // Drop the engine's last strong reference on its own worker.
            drop(h.lock().unwrap().take());
            Ok(())
        })
        .unwrap(),
    );
    me.set(Arc::downgrade(&e)).unwrap();
    *holder.lock().unwrap() = Some(e);
    let deadline = Instant::now() + Duration::from_secs(30);
    while me.get().unwrap().upgrade().is_some() {
        assert!(Instant::now() < deadline, "the engine was never dropped");
        std::thread::sleep(Duration::from_millis(20));
    }
    let codes = results.lock().unwrap().clone();
    assert!(!codes.is_empty());
    assert!(codes.iter().all(|c| *c == ErrorCode::InvalidState), "{codes:?}");
    // The deferred destruction finishes by itself; the cluster outlives it.
    std::thread::sleep(Duration::from_millis(500));
}

/// Batches outlive their engine: readable after it is dropped; acking is
/// `Stopped`.
#[test]
fn batch_outlives_engine() {
    let be = Backend::mock();
    let (topic, group) = be.names("outlive", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 3);
    let e = Engine::new(be.settings(&topic, &group)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let b = loop {
        assert!(Instant::now() < deadline);
        if let Some(b) = e.poll(Duration::from_millis(100)).unwrap() {
            break b;
        }
    };
    let _ = e.stop(Duration::from_millis(100));
    drop(e);
    assert_eq!(b.records().unwrap().next().unwrap().value(), Some(&b"value-0-0"[..]));
    assert!(b.event().is_ok());
    assert_eq!(b.ack().unwrap_err().code(), ErrorCode::Stopped);
}

/// Two threads stop at once while a batch is out: both wait for the batch to
/// be acked (stop lets it finish), both succeed, and neither returns before
/// the engine is stopped.
#[test]
fn concurrent_stops_wait_for_the_engine() {
    let be = Backend::mock();
    let (topic, group) = be.names("stops", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 5);
    let e = Engine::new(be.settings(&topic, &group)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let held = loop {
        assert!(Instant::now() < deadline);
        if let Some(b) = e.poll(Duration::from_millis(100)).unwrap() {
            break b;
        }
    };
    std::thread::scope(|s| {
        let stoppers: Vec<_> = (0..2).map(|_| s.spawn(|| (e.stop(Duration::from_secs(10)), Instant::now()))).collect();
        std::thread::sleep(Duration::from_millis(300));
        let acked_at = Instant::now();
        held.ack().expect("a batch handed out before stop may still be acked");
        for st in stoppers {
            let (r, at) = st.join().unwrap();
            r.expect("both stops succeed");
            assert!(at >= acked_at, "a stop returned before the outstanding batch was acked");
        }
    });
    assert_eq!(e.poll(Duration::ZERO).unwrap_err().code(), ErrorCode::Stopped);
}
