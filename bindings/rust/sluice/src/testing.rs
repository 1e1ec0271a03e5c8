//! Test support over sluice_mock.h (feature `mock`). UNSTABLE, like the
//! header: librdkafka's in-process mock cluster with fault injection, and
//! topic creation and a producer that work against any bootstrap address (the
//! mock cluster's or a real broker's), so tests need no other Kafka client.

use std::ffi::CStr;
use std::fmt;
use std::ptr::{self, NonNull};
use std::time::Duration;

use sluice_sys as sys;

use crate::engine::millis_capped;
use crate::error::{check, cstring, Error, ErrorCode, Result};

/// An in-process Kafka cluster (librdkafka's mock) on loopback. Destroy the
/// engines using it first: drop order matters (declare the cluster before
/// the engines, or drop them explicitly).
pub struct MockCluster {
    raw: NonNull<sys::sluice_mock_cluster_t>,
}

// SAFETY: sluice_mock.h follows sluice.h's conventions, where thread-safety is
// stated per function and nothing is tied to the creating thread (no
// thread-local state); it states no concurrency for the mock functions, so the
// cluster may move between threads (Send) but is not shared (no Sync).
unsafe impl Send for MockCluster {}

impl MockCluster {
    /// Starts a cluster of `brokers` brokers (1..16).
    pub fn new(brokers: i32) -> Result<MockCluster> {
        let mut out = ptr::null_mut();
        // SAFETY: out-parameter call; on success we own *out.
        unsafe { check(sys::sluice_mock_cluster_new(brokers, &mut out))? };
        Ok(MockCluster { raw: NonNull::new(out).expect("sluice_mock_cluster_new succeeded with NULL") })
    }

    /// The bootstrap address list, "127.0.0.1:port,...".
    pub fn bootstrap(&self) -> &str {
        // SAFETY: NUL-terminated, owned by the cluster (outlives &self).
        unsafe { CStr::from_ptr(sys::sluice_mock_cluster_bootstraps(self.raw.as_ptr())) }.to_str().unwrap_or("")
    }

    /// Creates a topic with `partitions` partitions (1..1000).
    pub fn create_topic(&self, topic: &str, partitions: i32) -> Result<()> {
        let t = cstring(topic, "the topic", None)?;
        // SAFETY: live cluster, used by one thread at a time (not Sync).
        unsafe { check(sys::sluice_mock_topic_create(self.raw.as_ptr(), t.as_ptr(), partitions)) }
    }

    /// Makes the next `count` requests of Kafka API `api_key` (1 = Fetch,
    /// 8 = OffsetCommit, ...) fail with Kafka error `error_code`.
    pub fn push_request_errors(&self, api_key: i16, count: i32, error_code: i32) -> Result<()> {
        // SAFETY: as in create_topic.
        unsafe { check(sys::sluice_mock_push_request_errors(self.raw.as_ptr(), api_key, count, error_code)) }
    }

    /// Takes broker `broker_id` (1-based) down or brings it back up.
    pub fn set_broker_up(&self, broker_id: i32, up: bool) -> Result<()> {
        // SAFETY: as in create_topic.
        unsafe { check(sys::sluice_mock_broker_set_up(self.raw.as_ptr(), broker_id, up as i32)) }
    }
}

impl Drop for MockCluster {
    fn drop(&mut self) {
        // SAFETY: we own the cluster.
        unsafe { sys::sluice_mock_cluster_destroy(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for MockCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockCluster").field("bootstrap", &self.bootstrap()).finish()
    }
}

/// Creates `topic` (replication factor 1) through the admin API of the
/// cluster at `bootstrap`, waiting up to `timeout`. An existing topic is fine.
pub fn create_topic(bootstrap: &str, topic: &str, partitions: i32, timeout: Duration) -> Result<()> {
    let b = cstring(bootstrap, "the bootstrap address", None)?;
    let t = cstring(topic, "the topic", None)?;
    // SAFETY: NUL-terminated strings valid for the call.
    unsafe { check(sys::sluice_topic_create(b.as_ptr(), t.as_ptr(), partitions, millis_capped(timeout))) }
}

/// One record to produce. `Default` is a record with null key and value, no
/// headers, partition chosen by key hash, timestamp "now".
#[derive(Debug, Clone, Copy, Default)]
pub struct Message<'a> {
    /// The partition; None: chosen by key hash.
    pub partition: Option<i32>,
    /// The key; None: a null key.
    pub key: Option<&'a [u8]>,
    /// The value; None: a null value (a tombstone).
    pub value: Option<&'a [u8]>,
    /// Headers in order (duplicates allowed); a None value is a null value.
    pub headers: &'a [(&'a str, Option<&'a [u8]>)],
    /// CREATE_TIME in epoch milliseconds; 0: now.
    pub timestamp_ms: i64,
}

/// A simple producer (acks=all, no idempotence), for tests and demos.
/// Dropping it flushes (up to 10 s).
pub struct Producer {
    raw: NonNull<sys::sluice_producer_t>,
}

// SAFETY: sluice_producer_send is "Not thread-safe for the same producer" and
// nothing ties a producer to a thread: Send, not Sync (send needs &mut self).
unsafe impl Send for Producer {}

fn len32(n: usize, what: &str) -> Result<u32> {
    u32::try_from(n).map_err(|_| Error::new(ErrorCode::InvalidArgument, format!("{what} is longer than 4 GiB"), None))
}

impl Producer {
    /// A producer for the cluster at `bootstrap`.
    pub fn new(bootstrap: &str) -> Result<Producer> {
        let b = cstring(bootstrap, "the bootstrap address", None)?;
        let mut out = ptr::null_mut();
        // SAFETY: out-parameter call; on success we own *out.
        unsafe { check(sys::sluice_producer_new(b.as_ptr(), &mut out))? };
        Ok(Producer { raw: NonNull::new(out).expect("sluice_producer_new succeeded with NULL") })
    }

    /// Queues one record for `topic` (all bytes are copied).
    pub fn send(&mut self, topic: &str, m: &Message<'_>) -> Result<()> {
        let t = cstring(topic, "the topic", None)?;
        let mut hs = Vec::with_capacity(m.headers.len());
        for (name, value) in m.headers {
            hs.push(sys::sluice_header_t {
                name: name.as_ptr().cast(),
                value: value.map_or(ptr::null(), <[u8]>::as_ptr),
                name_len: len32(name.len(), "a header name")?,
                value_len: len32(value.map_or(0, <[u8]>::len), "a header value")?,
            });
        }
        let (kp, kl) = m.key.map_or((ptr::null(), 0), |k| (k.as_ptr(), k.len()));
        let (vp, vl) = m.value.map_or((ptr::null(), 0), |v| (v.as_ptr(), v.len()));
        // SAFETY: live producer used by this thread only (&mut self); every
        // pointer is valid for the call (the callee copies).
        unsafe {
            check(sys::sluice_producer_send(
                self.raw.as_ptr(),
                t.as_ptr(),
                m.partition.unwrap_or(-1),
                kp,
                len32(kl, "the key")?,
                vp,
                len32(vl, "the value")?,
                if hs.is_empty() { ptr::null() } else { hs.as_ptr() },
                len32(hs.len(), "the header list")?,
                m.timestamp_ms,
            ))
        }
    }

    /// Waits up to `timeout` until every queued record is acknowledged.
    /// Errors: `Timeout`, or `Kafka` if a delivery failed.
    pub fn flush(&mut self, timeout: Duration) -> Result<()> {
        // SAFETY: live producer, &mut self.
        unsafe { check(sys::sluice_producer_flush(self.raw.as_ptr(), millis_capped(timeout))) }
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        // SAFETY: we own the producer.
        unsafe { sys::sluice_producer_destroy(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for Producer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Producer").finish_non_exhaustive()
    }
}
