//! Helpers shared by the test binaries: a Backend (mock cluster or the real
//! broker of SLUICE_TEST_BOOTSTRAP), unique names, producing, pulling, and
//! the engine behaviours both backends must show.
#![allow(dead_code)]

#[cfg(not(feature = "mock"))]
compile_error!("sluice's tests need the `mock` feature: cargo test --features mock (bindings/rust/test.sh does)");

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sluice::testing::{self, Message, MockCluster, Producer};
use sluice::{Batch, Config, Engine, ErrorCode, TimestampType};

pub const KEY_RESTART: &str = "kafka.session.timeout.ms";

/// Where the records live: an in-process mock cluster or a real broker.
pub struct Backend {
    pub bootstrap: String,
    pub name: &'static str,
    mock: Option<MockCluster>,
}

impl Backend {
    pub fn mock() -> Backend {
        let mc = MockCluster::new(1).expect("mock cluster");
        Backend { bootstrap: mc.bootstrap().to_string(), name: "mock", mock: Some(mc) }
    }

    /// The real broker of SLUICE_TEST_BOOTSTRAP; a missing variable is a
    /// failure, not a skip.
    pub fn kafka() -> Backend {
        let bs = std::env::var("SLUICE_TEST_BOOTSTRAP").unwrap_or_default();
        if bs.trim().is_empty() {
            panic!(
                "SLUICE_TEST_BOOTSTRAP is not set: the real-broker tests need a Kafka broker \
                 (start one with `SLUICE_KAFKA_DIR=/tmp/kafka scripts/kafka up` and export \
                 SLUICE_TEST_BOOTSTRAP=<the address it prints>, or run scripts/test)"
            );
        }
        Backend { bootstrap: bs, name: "kafka", mock: None }
    }

    pub fn create_topic(&self, topic: &str, partitions: i32) {
        match &self.mock {
            Some(mc) => mc.create_topic(topic, partitions).expect("mock topic"),
            None => testing::create_topic(&self.bootstrap, topic, partitions, Duration::from_secs(30))
                .expect("create topic"),
        }
    }

    /// A fresh topic and group for one test.
    pub fn names(&self, test: &str, partitions: i32) -> (String, String) {
        let topic = unique(&format!("rs-{}-{test}", self.name));
        self.create_topic(&topic, partitions);
        (topic, unique(&format!("rs-group-{test}")))
    }

    /// The settings every test starts from.
    pub fn settings(&self, topic: &str, group: &str) -> BTreeMap<String, String> {
        [
            ("bootstrap.servers", self.bootstrap.as_str()),
            ("topic", topic),
            ("group.id", group),
            ("starting.position", "trim_horizon"),
            ("batch.window.ms", "0"),
            ("retry.backoff.ms", "10"),
            (KEY_RESTART, "6000"),
            ("kafka.heartbeat.interval.ms", "500"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

/// A name no other test (or earlier run against the same broker) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() % 1_000_000_000_000;
    format!("{prefix}-{}-{}-{nanos}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

pub fn with(mut s: BTreeMap<String, String>, extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    for (k, v) in extra {
        s.insert(k.to_string(), v.to_string());
    }
    s
}

/// Produces `n` records "value-<p>-<i>" (key "key-<i>") to partition p.
pub fn produce_numbered(bootstrap: &str, topic: &str, partition: i32, n: usize) {
    let mut p = Producer::new(bootstrap).expect("producer");
    for i in 0..n {
        let k = format!("key-{i}");
        let v = format!("value-{partition}-{i}");
        p.send(topic, &Message { partition: Some(partition), key: Some(k.as_bytes()), value: Some(v.as_bytes()), ..Default::default() })
            .expect("send");
    }
    p.flush(Duration::from_secs(30)).expect("flush");
}

/// What a test remembers of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub partition: i32,
    pub attempt: u32,
    pub retry: bool,
    pub offsets: Vec<i64>,
    pub values: Vec<String>,
}

pub fn seen(b: &Batch) -> Seen {
    let recs = b.records().expect("records");
    Seen {
        partition: b.partition(),
        attempt: b.attempt(),
        retry: b.is_retry(),
        offsets: recs.clone().map(|r| r.offset()).collect(),
        values: recs.map(|r| String::from_utf8_lossy(r.value().unwrap_or_default()).into_owned()).collect(),
    }
}

/// Polls until `want` records were seen in acked batches or `timeout`
/// passes; `ack` decides per batch (true: ack, false: fail).
pub fn pull_until(e: &Engine, want: usize, timeout: Duration, mut ack: impl FnMut(&Seen) -> bool) -> Vec<Seen> {
    let deadline = Instant::now() + timeout;
    let mut out = Vec::new();
    let mut acked = 0;
    while acked < want && Instant::now() < deadline {
        let Some(b) = e.poll(Duration::from_millis(100)).expect("poll") else { continue };
        let s = seen(&b);
        if ack(&s) {
            acked += s.offsets.len();
            b.ack().expect("ack");
        } else {
            b.fail().expect("fail");
        }
        out.push(s);
    }
    out
}

pub fn count(v: &[Seen]) -> usize {
    v.iter().map(|s| s.offsets.len()).sum()
}

/// Standard base64 decoding, for the vectors and the events.
pub fn b64decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().take_while(|c| *c != b'=') {
        acc = (acc << 6) | A.iter().position(|a| *a == c).expect("base64 digit") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Behaviours both backends must show.
// ---------------------------------------------------------------------------

/// Known records, consumed: the record views and the event agree with what
/// was produced (keys, values, null vs empty, headers in order with
/// duplicates and null values, timestamps).
pub fn consume_known_records(be: &Backend) {
    let (topic, group) = be.names("known", 1);
    let headers: &[(&str, Option<&[u8]>)] = &[("h1", Some(b"v1")), ("h1", Some(b"dup")), ("nullh", None), ("bin", Some(&[0x68, 0xff, 0x80]))];
    let mut p = Producer::new(&be.bootstrap).unwrap();
    p.send(&topic, &Message { partition: Some(0), key: Some(b"k0"), value: Some(b"hello"), headers, timestamp_ms: 1_700_000_000_000 })
        .unwrap();
    p.send(&topic, &Message { partition: Some(0), key: None, value: Some(b""), timestamp_ms: 1_700_000_000_001, ..Default::default() })
        .unwrap();
    p.send(&topic, &Message { partition: Some(0), key: Some(b""), value: None, timestamp_ms: 1_700_000_000_002, ..Default::default() })
        .unwrap();
    p.flush(Duration::from_secs(30)).unwrap();
    drop(p);

    let e = Engine::new(with(be.settings(&topic, &group), &[("batch.size", "3"), ("batch.window.ms", "5000")])).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let b = loop {
        assert!(Instant::now() < deadline, "no batch within 60 s");
        if let Some(b) = e.poll(Duration::from_millis(200)).unwrap() {
            break b;
        }
    };
    assert_eq!(b.topic(), topic);
    assert_eq!(b.partition(), 0);
    assert_eq!(b.attempt(), 0);
    assert!(!b.is_retry() && !b.is_oversized());
    let recs: Vec<_> = b.records().unwrap().collect();
    assert_eq!(recs.len(), 3, "all three records in one batch");
    assert_eq!(b.records().unwrap().len(), 3);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r.offset(), i as i64);
        assert_eq!(r.partition(), 0);
        assert_eq!(r.timestamp(), Some(1_700_000_000_000 + i as i64));
        assert_eq!(r.timestamp_type(), TimestampType::CreateTime);
    }
    assert_eq!(recs[0].key(), Some(&b"k0"[..]));
    assert_eq!(recs[0].value(), Some(&b"hello"[..]));
    assert_eq!(recs[1].key(), None, "null key");
    assert_eq!(recs[1].value(), Some(&b""[..]), "empty value, not null");
    assert_eq!(recs[2].key(), Some(&b""[..]), "empty key, not null");
    assert_eq!(recs[2].value(), None, "tombstone");
    let hs: Vec<(String, Option<Vec<u8>>)> = recs[0]
        .headers()
        .map(|h| (h.name_str().unwrap().to_string(), h.value().map(<[u8]>::to_vec)))
        .collect();
    assert_eq!(
        hs,
        vec![
            ("h1".to_string(), Some(b"v1".to_vec())),
            ("h1".to_string(), Some(b"dup".to_vec())),
            ("nullh".to_string(), None),
            ("bin".to_string(), Some(vec![0x68, 0xff, 0x80])),
        ]
    );
    assert_eq!(recs[1].headers().count(), 0);

    // The event: zero-copy (the same bytes on every call) and the records'
    // fields as EVENT.md has them.
    let ev = b.event().unwrap();
    assert_eq!(ev.as_ptr(), b.event().unwrap().as_ptr(), "the event is borrowed from the batch");
    let v: serde_json::Value = serde_json::from_slice(ev).expect("the event is JSON");
    assert_eq!(v["eventSource"], "SelfManagedKafka");
    let list = v["records"][format!("{topic}-0")].as_array().expect("records keyed topic-partition");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["offset"], 0);
    assert_eq!(list[0]["timestamp"], 1_700_000_000_000i64);
    assert_eq!(list[0]["timestampType"], "CREATE_TIME");
    assert_eq!(b64decode(list[0]["key"].as_str().unwrap()), b"k0");
    assert_eq!(b64decode(list[0]["value"].as_str().unwrap()), b"hello");
    assert_eq!(
        list[0]["headers"],
        serde_json::json!([{"h1":[118,49]},{"h1":[100,117,112]},{"nullh":[]},{"bin":[104,-1,-128]}])
    );
    assert!(list[1].get("key").is_none(), "null key: field omitted");
    assert_eq!(list[1]["value"], "");
    assert_eq!(list[2]["key"], "");
    assert!(list[2].get("value").is_none(), "tombstone: field omitted");
    b.ack().unwrap();
    e.stop(Duration::from_secs(10)).unwrap();
}

/// Ack, stop, restart in the same group: nothing acked comes again; a batch
/// taken but not acked at stop does (and acking it after stop is `Stopped`).
pub fn ack_restart_no_redelivery(be: &Backend) {
    let (topic, group) = be.names("restart", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 50);
    let s = with(be.settings(&topic, &group), &[("batch.size", "10")]);
    let next;
    {
        let e = Engine::new(&s).unwrap();
        let got = pull_until(&e, 20, Duration::from_secs(60), |_| true);
        let acked: Vec<i64> = got.iter().flat_map(|g| g.offsets.clone()).collect();
        assert!(acked.len() >= 20);
        assert_eq!(acked, (0..acked.len() as i64).collect::<Vec<i64>>());
        next = acked.len() as i64;
        // One more batch taken and held: it must come back after the restart.
        let deadline = Instant::now() + Duration::from_secs(30);
        let held = loop {
            assert!(Instant::now() < deadline, "no batch after the acked ones");
            if let Some(b) = e.poll(Duration::from_millis(100)).unwrap() {
                break b;
            }
        };
        assert_eq!(held.records().unwrap().next().unwrap().offset(), next);
        let err = e.stop(Duration::from_millis(200)).expect_err("stop reports the unacknowledged batch");
        assert_eq!(err.code(), ErrorCode::Timeout, "{err}");
        let err = held.ack().expect_err("ack after stop");
        assert_eq!(err.code(), ErrorCode::Stopped, "{err}");
    }
    let e = Engine::new(&s).unwrap();
    let got = pull_until(&e, (50 - next) as usize, Duration::from_secs(60), |_| true);
    assert_eq!(got.first().map(|g| g.offsets[0]), Some(next), "resumes right after the last acked batch");
    let offsets: Vec<i64> = got.iter().flat_map(|g| g.offsets.clone()).collect();
    assert_eq!(offsets, (next..50).collect::<Vec<i64>>());
    // Nothing more: no redelivery of what was acked.
    assert!(e.poll(Duration::from_millis(1500)).unwrap().is_none());
    e.stop(Duration::from_secs(10)).unwrap();
}

/// A failed batch is offered again: the same offsets, attempt 1, the retry
/// flag; then the partition goes on.
pub fn fail_redelivers_same_batch(be: &Backend) {
    let (topic, group) = be.names("fail", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 20);
    let e = Engine::new(with(be.settings(&topic, &group), &[("batch.size", "10")])).unwrap();
    let mut first: Option<Seen> = None;
    let got = pull_until(&e, 20, Duration::from_secs(60), |s| {
        if first.is_none() {
            first = Some(s.clone());
            return false;
        }
        true
    });
    let first = first.expect("a first batch");
    assert_eq!(first.offsets[0], 0);
    assert_eq!(first.attempt, 0);
    assert!(!first.retry);
    assert_eq!(got[1].offsets, first.offsets, "the same batch again");
    assert_eq!(got[1].values, first.values);
    assert_eq!(got[1].attempt, 1);
    assert!(got[1].retry);
    let rest: Vec<i64> = got[2..].iter().flat_map(|g| g.offsets.clone()).collect();
    assert_eq!(rest, (first.offsets.len() as i64..20).collect::<Vec<i64>>(), "then the partition goes on");
    assert!(got[2..].iter().all(|g| g.attempt == 0));
    e.stop(Duration::from_secs(10)).unwrap();
}

/// Push mode: a handler that panics fails its batch, which comes back with
/// attempt 1 (and a handler that returns Err likewise, attempt 2).
pub fn push_panic_comes_back(be: &Backend) {
    let (topic, group) = be.names("push", 1);
    produce_numbered(&be.bootstrap, &topic, 0, 10);
    type Calls = Arc<Mutex<Vec<(Vec<i64>, u32, bool)>>>;
    let calls: Calls = Arc::default();
    let c = calls.clone();
    let conf = Config::from_pairs(with(be.settings(&topic, &group), &[("batch.size", "5")])).unwrap();
    let e = Engine::with_handler(conf, move |b| -> Result<(), String> {
        let offsets: Vec<i64> = b.records().unwrap().map(|r| r.offset()).collect();
        let first = offsets[0];
        c.lock().unwrap().push((offsets, b.attempt(), b.is_retry()));
        match (first, b.attempt()) {
            (0, 0) => panic!("deliberate panic in a sluice handler (the test expects it)"),
            (0, 1) => Err("deliberate failure".into()),
            _ => Ok(()),
        }
    })
    .unwrap();
    assert_eq!(e.poll(Duration::ZERO).unwrap_err().code(), ErrorCode::InvalidState, "no poll in push mode");
    // Wait until every offset was handled successfully (calls other than the
    // first batch's first two attempts succeed).
    let done = |calls: &[(Vec<i64>, u32, bool)]| {
        let mut ok: Vec<i64> =
            calls.iter().filter(|c| !(c.0[0] == 0 && c.1 < 2)).flat_map(|c| c.0.clone()).collect();
        ok.sort();
        ok == (0..10).collect::<Vec<i64>>()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(&calls.lock().unwrap()) {
        assert!(Instant::now() < deadline, "not every record was handled: {:?}", calls.lock().unwrap());
        std::thread::sleep(Duration::from_millis(20));
    }
    e.stop(Duration::from_secs(10)).unwrap();
    let calls = calls.lock().unwrap().clone();
    let first: Vec<_> = calls.iter().filter(|c| c.0[0] == 0).cloned().collect();
    let f = first[0].0.clone();
    assert_eq!(
        first,
        vec![(f.clone(), 0, false), (f.clone(), 1, true), (f.clone(), 2, true)],
        "panic -> the same batch with attempt 1, Err -> attempt 2, then Ok"
    );
}
