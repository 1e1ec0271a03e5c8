//! Raw FFI declarations for libsluice: the stable C ABI `sluice.h` and, behind
//! the `mock` feature, the UNSTABLE test support `sluice_mock.h`.
//!
//! Everything between the `@generated` markers below is produced from the two
//! headers by `codegen.rs` and committed (no bindgen, no libclang at build
//! time). `tests/header_check.rs` regenerates it from the headers the crate was
//! built against and fails when the committed text differs; it also compares
//! the structs' layout and the constants with what the C compiler says, and
//! every declared function is referenced so a missing export fails the link.
//! After a header change, `SLUICE_SYS_BLESS=1 cargo build -p sluice-sys`
//! rewrites the region (build.rs does it).
//!
//! Linking: pkg-config's `sluice` (set `PKG_CONFIG_PATH=<build>/lib/pkgconfig`
//! for a build tree), or `SLUICE_LIB_DIR=<dir holding libsluice.so>` to skip
//! pkg-config (with `SLUICE_INCLUDE_DIR` for the headers the checker reads).
//!
//! The documentation of each item is the header's. Ownership, threading and
//! error rules are the header's too: see the safe `sluice` crate for a binding
//! that enforces them.
#![allow(non_camel_case_types)]
#![allow(clippy::all)]
// The docs are the C header's: brackets there are C and JSON, not intra-doc links.
#![allow(rustdoc::broken_intra_doc_links)]

#[allow(unused_imports)]
use core::ffi::{c_char, c_int, c_void};
#[allow(unused_imports)]
use core::marker::{PhantomData, PhantomPinned};

/// `SLUICE_VERSION_NUMBER`: MAJOR*10000 + MINOR*100 + PATCH of the headers
/// these declarations were generated from (a macro expression in C, so
/// written here by hand from the generated parts).
pub const SLUICE_VERSION_NUMBER: u32 =
    (SLUICE_VERSION_MAJOR * 10000 + SLUICE_VERSION_MINOR * 100 + SLUICE_VERSION_PATCH) as u32;

// @generated-begin by codegen.rs from sluice.h and sluice_mock.h: do not edit.
// ---- sluice.h (stable ABI) ----

/// Opaque handles.
#[repr(C)]
pub struct sluice_conf_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

#[repr(C)]
pub struct sluice_engine_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

#[repr(C)]
pub struct sluice_batch_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

#[repr(C)]
pub struct sluice_error_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

pub const SLUICE_VERSION_MAJOR: i32 = 1;
pub const SLUICE_VERSION_MINOR: i32 = 0;
pub const SLUICE_VERSION_PATCH: i32 = 0;

/// Error codes: stable numbers, never reused. An integer typedef, not an enum.
pub type sluice_code_t = i32;

/// NULL handle, bad length, ...
pub const SLUICE_ERR_INVALID_ARGUMENT: sluice_code_t = 1;
/// config key not known
pub const SLUICE_ERR_UNKNOWN_KEY: sluice_code_t = 2;
/// config value out of range
pub const SLUICE_ERR_INVALID_VALUE: sluice_code_t = 3;
/// filter pattern rejected
pub const SLUICE_ERR_INVALID_PATTERN: sluice_code_t = 4;
/// call not allowed now
pub const SLUICE_ERR_INVALID_STATE: sluice_code_t = 5;
/// batch acked/failed twice
pub const SLUICE_ERR_ALREADY_COMPLETED: sluice_code_t = 6;
/// engine stopped or stopping
pub const SLUICE_ERR_STOPPED: sluice_code_t = 7;
/// partition no longer ours
pub const SLUICE_ERR_REVOKED: sluice_code_t = 8;
/// bounded wait ran out
pub const SLUICE_ERR_TIMEOUT: sluice_code_t = 9;
/// error from librdkafka/broker
pub const SLUICE_ERR_KAFKA: sluice_code_t = 10;
pub const SLUICE_ERR_NO_MEMORY: sluice_code_t = 11;
/// a bug: please report
pub const SLUICE_ERR_INTERNAL: sluice_code_t = 12;
/// an OS call failed
pub const SLUICE_ERR_IO: sluice_code_t = 13;

/// A batch handler for push mode. Called on an engine-owned worker thread, at
/// most one call per partition at a time, at most "max.concurrency" calls at
/// once. Return 0 for success (the batch's offsets are committed) and anything
/// else for failure (the same batch is offered again after a backoff). The
/// batch is borrowed: do not destroy, ack or fail it; it is valid until the
/// handler returns.
pub type sluice_handler_fn = Option<unsafe extern "C" fn(opaque: *mut c_void, batch: *const sluice_batch_t) -> i32>;

/// Timestamp types, as in Kafka.
pub const SLUICE_TIMESTAMP_NONE: i32 = 0;
pub const SLUICE_TIMESTAMP_CREATE_TIME: i32 = 1;
pub const SLUICE_TIMESTAMP_LOG_APPEND_TIME: i32 = 2;
/// one record whose event passes batch.max.bytes
pub const SLUICE_BATCH_OVERSIZED: u32 = 1;
/// offered before and failed
pub const SLUICE_BATCH_RETRY: u32 = 2;

/// A zero-copy view of one record. Pointers point into the batch and stay valid
/// until the batch is destroyed. This struct's layout is frozen for ABI major 1;
/// new fields arrive through new accessors.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct sluice_record_t {
    pub offset: i64,
    /// epoch milliseconds; -1 when the broker gave none
    pub timestamp: i64,
    /// NULL when the key is null (not the same as empty)
    pub key: *const u8,
    /// NULL when the value is null (a tombstone)
    pub value: *const u8,
    /// 0 when key is NULL
    pub key_len: u32,
    /// 0 when value is NULL
    pub value_len: u32,
    pub partition: i32,
    /// SLUICE_TIMESTAMP_*
    pub timestamp_type: i32,
    /// index of the first header in sluice_batch_headers()
    pub header_first: u32,
    /// its headers are [header_first, header_first + header_count)
    pub header_count: u32,
}

/// A zero-copy view of one record header; order and duplicates as produced.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct sluice_header_t {
    /// not NUL-terminated
    pub name: *const c_char,
    /// NULL when the header value is null
    pub value: *const u8,
    pub name_len: u32,
    pub value_len: u32,
}

#[repr(C)]
pub struct sluice_filter_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

extern "C" {
    /// The library's version number (SLUICE_VERSION_NUMBER of the build). Any thread.
    pub fn sluice_version_number() -> u32;

    /// The library's version as "MAJOR.MINOR.PATCH"; static storage. Any thread.
    pub fn sluice_version_string() -> *const c_char;

    /// Frees an error. NULL is a no-op. Any thread.
    pub fn sluice_error_destroy(error: *mut sluice_error_t);

    /// The error's code. Returns SLUICE_ERR_INVALID_ARGUMENT for NULL. Any thread.
    pub fn sluice_error_code(error: *const sluice_error_t) -> sluice_code_t;

    /// The code's symbolic name, e.g. "SLUICE_ERR_UNKNOWN_KEY"; static storage;
    /// "SLUICE_ERR_UNKNOWN" for numbers not listed above. Any thread.
    pub fn sluice_code_name(code: sluice_code_t) -> *const c_char;

    /// A human-readable message; owned by the error. "" for NULL.
    pub fn sluice_error_message(error: *const sluice_error_t) -> *const c_char;

    /// 1 if retrying the same call later may succeed, else 0.
    pub fn sluice_error_retriable(error: *const sluice_error_t) -> i32;

    /// The configuration key the error is about, or "" when none; owned by the error.
    pub fn sluice_error_key(error: *const sluice_error_t) -> *const c_char;

    /// For pattern and value errors: the byte offset in the value where the problem
    /// is, or -1 when not applicable.
    pub fn sluice_error_offset(error: *const sluice_error_t) -> i64;

    /// For pattern errors: a JSON path into the pattern ("$[0].value.price"), or "".
    pub fn sluice_error_path(error: *const sluice_error_t) -> *const c_char;

    /// Frees memory that sluice returned to the caller (e.g. stats JSON). NULL is
    /// a no-op. Any thread.
    pub fn sluice_free(ptr: *mut c_void);

    /// Creates an empty configuration (every key at its default). The caller owns
    /// *out and frees it with sluice_conf_destroy().
    pub fn sluice_conf_new(out: *mut *mut sluice_conf_t) -> *mut sluice_error_t;

    /// Frees a configuration. NULL is a no-op. Engines created from it are not affected.
    pub fn sluice_conf_destroy(conf: *mut sluice_conf_t);

    /// Sets key to value, validating both now. Unknown key: SLUICE_ERR_UNKNOWN_KEY;
    /// bad value: SLUICE_ERR_INVALID_VALUE (or SLUICE_ERR_INVALID_PATTERN for
    /// "filter.patterns"), with sluice_error_key() naming the key and the message
    /// naming the allowed values. On error the previous value is kept. Both strings
    /// are copied. Not thread-safe for the same conf.
    pub fn sluice_conf_set(conf: *mut sluice_conf_t, key: *const c_char, value: *const c_char) -> *mut sluice_error_t;

    /// Copies the current value of key (default included) as a NUL-terminated
    /// string into *out; the caller frees it with sluice_free(). Safe concurrently
    /// with other sluice_conf_get calls, not with sluice_conf_set on the same conf.
    pub fn sluice_conf_get(conf: *const sluice_conf_t, key: *const c_char, out: *mut *mut c_char) -> *mut sluice_error_t;

    /// Switches the conf to push mode: engines created from it call fn on
    /// "max.concurrency" worker threads; sluice_engine_poll() then returns
    /// SLUICE_ERR_INVALID_STATE. fn == NULL switches back to pull mode. opaque is
    /// passed through untouched and must outlive the engine.
    pub fn sluice_conf_set_handler(conf: *mut sluice_conf_t, fn_: sluice_handler_fn, opaque: *mut c_void) -> *mut sluice_error_t;

    /// Creates an engine from conf (copied; conf may be destroyed afterwards) and
    /// starts it: it joins the consumer group, subscribes to "topic" and begins
    /// fetching. Fails with SLUICE_ERR_INVALID_VALUE naming the key when a
    /// required key ("bootstrap.servers", "topic", "group.id") is missing. The
    /// caller owns *out.
    pub fn sluice_engine_new(conf: *const sluice_conf_t, out: *mut *mut sluice_engine_t) -> *mut sluice_error_t;

    /// Stops the engine: no new batches are handed out; batches already handed out
    /// may still be acked or failed until timeout_ms passes (negative: no limit);
    /// then every
    /// acknowledged offset is committed (synchronously), the consumer leaves the
    /// group and the worker threads are joined. Batches not yet acknowledged are
    /// not committed and will be delivered again (to this group) later. Returns
    /// SLUICE_ERR_TIMEOUT if batches were still outstanding at the deadline (the
    /// engine is stopped all the same). Any thread; concurrent calls are fine: one
    /// stops, the others wait for it and return NULL, as does any later call.
    /// From a handler of the same engine: SLUICE_ERR_INVALID_STATE.
    pub fn sluice_engine_stop(engine: *mut sluice_engine_t, timeout_ms: i32) -> *mut sluice_error_t;

    /// Stops the engine if needed (as sluice_engine_stop with 10 s) and frees it.
    /// NULL is a no-op. Batches still alive stay valid until destroyed; acking them
    /// returns SLUICE_ERR_STOPPED. Not thread-safe with other calls on engine, and
    /// never to be called from a handler of the same engine (stop it from another
    /// thread first).
    pub fn sluice_engine_destroy(engine: *mut sluice_engine_t);

    /// Pull mode: waits up to timeout_ms (0 = don't wait, -1 = forever) for the
    /// next batch. On success *out is a batch the caller owns (sluice_batch_destroy)
    /// or NULL when none arrived in time. After a batch of a partition is handed
    /// out, the next batch of that partition is held back until this one is acked
    /// or failed. Returns SLUICE_ERR_STOPPED once the engine is stopped, and
    /// SLUICE_ERR_INVALID_STATE in push mode. Any thread; the GIL-free kind of
    /// blocking call: it holds no lock while waiting.
    pub fn sluice_engine_poll(engine: *mut sluice_engine_t, timeout_ms: i32, out: *mut *mut sluice_batch_t) -> *mut sluice_error_t;

    /// A file descriptor that becomes readable when a batch may be ready, for event
    /// loops (select/poll/epoll/asyncio). Any thread. After it turns readable, call
    /// sluice_engine_poll(engine, 0, ...) until it returns no batch; that also
    /// clears it. It stays readable while batches wait (level-triggered), so watch
    /// it only while waiting for a batch, not while holding one. It also turns
    /// readable when the engine stops (poll then returns SLUICE_ERR_STOPPED).
    /// The engine signals it only from the first call of this function on (it
    /// costs syscalls per batch, which engines that never ask do not pay); if
    /// batches are already waiting then, it is readable at once.
    /// Owned by the engine: do not close or read it. Linux only
    /// (eventfd); elsewhere SLUICE_ERR_INVALID_STATE.
    pub fn sluice_engine_wakeup_fd(engine: *mut sluice_engine_t, out: *mut i32) -> *mut sluice_error_t;

    /// The engine's counters as one JSON object (names as Lambda's metrics:
    /// PolledEventCount, FilteredOutEventCount, InvokedEventCount,
    /// FailedInvokeEventCount, CommittedEventCount, CommitErrorCount,
    /// PollingErrorCount, OffsetLag {"topic-partition": n}, MaxOffsetLag,
    /// SumOffsetLag; and sluice's own: Batches, AckedBatches, OversizedBatches,
    /// InFlightBatches, BufferedRecords, BufferedBytes, AssignedPartitions,
    /// PausedPartitions, Rebalances, and LastError, a string, "" when none). New
    /// keys may be added; none is removed within ABI major 1.
    /// *out is NUL-terminated, *len excludes the NUL; the caller frees *out with
    /// sluice_free(). Any thread.
    pub fn sluice_engine_stats(engine: *const sluice_engine_t, out: *mut *mut c_char, len: *mut u64) -> *mut sluice_error_t;

    /// Frees a batch. In pull mode a batch neither acked nor failed counts as
    /// failed (it will be offered again). NULL is a no-op. Any thread, once.
    pub fn sluice_batch_destroy(batch: *mut sluice_batch_t);

    /// Marks the batch as processed: its offsets (and those of records filtered out
    /// before it) get committed. The batch stays readable until destroyed. Returns
    /// SLUICE_ERR_ALREADY_COMPLETED if acked or failed before,
    /// SLUICE_ERR_REVOKED if its partition was taken away meanwhile (it will be
    /// delivered to the new owner), SLUICE_ERR_STOPPED after the engine stopped.
    /// Not for batches borrowed by a handler. Any thread.
    pub fn sluice_batch_ack(batch: *mut sluice_batch_t) -> *mut sluice_error_t;

    /// Marks the batch as failed: the same records are offered again, in the same
    /// order, after a backoff ("retry.backoff.ms"). Errors as sluice_batch_ack.
    pub fn sluice_batch_fail(batch: *mut sluice_batch_t) -> *mut sluice_error_t;

    /// The batch's event, the exact Lambda MSK event JSON (docs/EVENT.md). *data
    /// points into the batch (not NUL-terminated) and stays valid until it is
    /// destroyed. Encoded once, on the first call. Any thread.
    pub fn sluice_batch_event(batch: *const sluice_batch_t, data: *mut *const u8, len: *mut u64) -> *mut sluice_error_t;

    /// The records, in offset order: *records points to *count views owned by the
    /// batch (*records may be NULL when *count is 0). Any thread.
    pub fn sluice_batch_records(batch: *const sluice_batch_t, records: *mut *const sluice_record_t, count: *mut u64) -> *mut sluice_error_t;

    /// All headers of all records, indexed by sluice_record_t.header_first; owned
    /// by the batch (*headers may be NULL when *count is 0). Any thread.
    pub fn sluice_batch_headers(batch: *const sluice_batch_t, headers: *mut *const sluice_header_t, count: *mut u64) -> *mut sluice_error_t;

    /// The batch's topic (NUL-terminated, owned by the batch), partition, and
    /// flags (SLUICE_BATCH_*). These never fail for a valid batch; for NULL they
    /// return "", -1 and 0. Any thread (the values never change for a batch).
    pub fn sluice_batch_topic(batch: *const sluice_batch_t) -> *const c_char;

    pub fn sluice_batch_partition(batch: *const sluice_batch_t) -> i32;

    pub fn sluice_batch_flags(batch: *const sluice_batch_t) -> u32;

    /// How many times this batch was offered before (0 on first delivery). Any thread.
    pub fn sluice_batch_attempt(batch: *const sluice_batch_t) -> u32;

    /// Compiles filter patterns: the same value "filter.patterns" takes, a JSON
    /// array of up to 10 patterns (each a JSON object, or a string holding one, at
    /// most 4096 bytes), ORed. Errors: SLUICE_ERR_INVALID_PATTERN with
    /// sluice_error_offset() (byte offset in patterns) and sluice_error_path().
    /// The caller owns *out.
    pub fn sluice_filter_new(patterns: *const c_char, patterns_len: u64, out: *mut *mut sluice_filter_t) -> *mut sluice_error_t;

    /// Frees a filter. NULL is a no-op.
    pub fn sluice_filter_destroy(filter: *mut sluice_filter_t);

    /// Matches one record: *out = 1 if any pattern matches, else 0. key or value
    /// NULL means a null key/value. Never fails on any bytes. Not thread-safe for
    /// the same filter (it keeps a parser); use one filter per thread.
    pub fn sluice_filter_match(filter: *mut sluice_filter_t, key: *const u8, key_len: u64, value: *const u8, value_len: u64, out: *mut i32) -> *mut sluice_error_t;
}

// ---- sluice_mock.h (UNSTABLE test support, feature "mock") ----

#[cfg(feature = "mock")]
#[repr(C)]
pub struct sluice_mock_cluster_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

#[cfg(feature = "mock")]
#[repr(C)]
pub struct sluice_producer_t {
    _private: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

#[cfg(feature = "mock")]
extern "C" {
    /// Starts an in-process mock cluster of `brokers` brokers (1..16) on loopback.
    /// The caller owns *out.
    pub fn sluice_mock_cluster_new(brokers: i32, out: *mut *mut sluice_mock_cluster_t) -> *mut sluice_error_t;

    /// Stops and frees the cluster. NULL is a no-op. Engines using it, and every
    /// batch they handed out (a live batch keeps its engine's Kafka client alive),
    /// must be destroyed first.
    pub fn sluice_mock_cluster_destroy(cluster: *mut sluice_mock_cluster_t);

    /// The bootstrap address list ("127.0.0.1:port,..."), owned by the cluster.
    pub fn sluice_mock_cluster_bootstraps(cluster: *const sluice_mock_cluster_t) -> *const c_char;

    /// Creates a topic with `partitions` partitions (1..1000) in the mock cluster.
    pub fn sluice_mock_topic_create(cluster: *mut sluice_mock_cluster_t, topic: *const c_char, partitions: i32) -> *mut sluice_error_t;

    /// Makes the next `count` requests of Kafka API `api_key` (e.g. 1 = Fetch,
    /// 8 = OffsetCommit) fail with Kafka error code `error_code`, in every broker.
    pub fn sluice_mock_push_request_errors(cluster: *mut sluice_mock_cluster_t, api_key: i16, count: i32, error_code: i32) -> *mut sluice_error_t;

    /// Takes broker `broker_id` (1-based) down (up = 0) or brings it back (up = 1).
    pub fn sluice_mock_broker_set_up(cluster: *mut sluice_mock_cluster_t, broker_id: i32, up: i32) -> *mut sluice_error_t;

    /// Creates topic with `partitions` partitions (replication factor 1) through
    /// the admin API of the cluster at `bootstrap`; waits up to timeout_ms. An
    /// already existing topic is not an error.
    pub fn sluice_topic_create(bootstrap: *const c_char, topic: *const c_char, partitions: i32, timeout_ms: i32) -> *mut sluice_error_t;

    /// A simple producer (acks=all, no idempotence), for tests and demos. The
    /// caller owns *out.
    pub fn sluice_producer_new(bootstrap: *const c_char, out: *mut *mut sluice_producer_t) -> *mut sluice_error_t;

    /// Flushes (up to 10 s) and frees. NULL is a no-op.
    pub fn sluice_producer_destroy(producer: *mut sluice_producer_t);

    /// Queues one record for `topic`/`partition` (-1 = chosen by key hash). key or
    /// value NULL = a null key/value. headers: header_count entries (name_len and
    /// value_len used; value NULL = null header value). timestamp_ms 0 = now. All
    /// bytes are copied. Not thread-safe for the same producer.
    pub fn sluice_producer_send(producer: *mut sluice_producer_t, topic: *const c_char, partition: i32, key: *const u8, key_len: u32, value: *const u8, value_len: u32, headers: *const sluice_header_t, header_count: u32, timestamp_ms: i64) -> *mut sluice_error_t;

    /// Waits up to timeout_ms until every queued record is acknowledged by the
    /// broker; SLUICE_ERR_TIMEOUT otherwise, SLUICE_ERR_KAFKA if any delivery failed.
    pub fn sluice_producer_flush(producer: *mut sluice_producer_t, timeout_ms: i32) -> *mut sluice_error_t;
}

/// Every `SLUICE_ERR_*` code of sluice.h as (name, value), in header order.
pub const SLUICE_ERR_ALL: &[(&str, sluice_code_t)] = &[
    ("SLUICE_ERR_INVALID_ARGUMENT", SLUICE_ERR_INVALID_ARGUMENT),
    ("SLUICE_ERR_UNKNOWN_KEY", SLUICE_ERR_UNKNOWN_KEY),
    ("SLUICE_ERR_INVALID_VALUE", SLUICE_ERR_INVALID_VALUE),
    ("SLUICE_ERR_INVALID_PATTERN", SLUICE_ERR_INVALID_PATTERN),
    ("SLUICE_ERR_INVALID_STATE", SLUICE_ERR_INVALID_STATE),
    ("SLUICE_ERR_ALREADY_COMPLETED", SLUICE_ERR_ALREADY_COMPLETED),
    ("SLUICE_ERR_STOPPED", SLUICE_ERR_STOPPED),
    ("SLUICE_ERR_REVOKED", SLUICE_ERR_REVOKED),
    ("SLUICE_ERR_TIMEOUT", SLUICE_ERR_TIMEOUT),
    ("SLUICE_ERR_KAFKA", SLUICE_ERR_KAFKA),
    ("SLUICE_ERR_NO_MEMORY", SLUICE_ERR_NO_MEMORY),
    ("SLUICE_ERR_INTERNAL", SLUICE_ERR_INTERNAL),
    ("SLUICE_ERR_IO", SLUICE_ERR_IO),
];

/// For the header checker (tests/header_check.rs): what this file declares.
#[doc(hidden)]
pub mod __check {
    use super::*;

    /// Every constant as (name, value).
    pub fn constants() -> Vec<(&'static str, i64)> {
        #[allow(unused_mut)]
        let mut v: Vec<(&'static str, i64)> = vec![
            ("SLUICE_VERSION_MAJOR", SLUICE_VERSION_MAJOR as i64),
            ("SLUICE_VERSION_MINOR", SLUICE_VERSION_MINOR as i64),
            ("SLUICE_VERSION_PATCH", SLUICE_VERSION_PATCH as i64),
            ("SLUICE_ERR_INVALID_ARGUMENT", SLUICE_ERR_INVALID_ARGUMENT as i64),
            ("SLUICE_ERR_UNKNOWN_KEY", SLUICE_ERR_UNKNOWN_KEY as i64),
            ("SLUICE_ERR_INVALID_VALUE", SLUICE_ERR_INVALID_VALUE as i64),
            ("SLUICE_ERR_INVALID_PATTERN", SLUICE_ERR_INVALID_PATTERN as i64),
            ("SLUICE_ERR_INVALID_STATE", SLUICE_ERR_INVALID_STATE as i64),
            ("SLUICE_ERR_ALREADY_COMPLETED", SLUICE_ERR_ALREADY_COMPLETED as i64),
            ("SLUICE_ERR_STOPPED", SLUICE_ERR_STOPPED as i64),
            ("SLUICE_ERR_REVOKED", SLUICE_ERR_REVOKED as i64),
            ("SLUICE_ERR_TIMEOUT", SLUICE_ERR_TIMEOUT as i64),
            ("SLUICE_ERR_KAFKA", SLUICE_ERR_KAFKA as i64),
            ("SLUICE_ERR_NO_MEMORY", SLUICE_ERR_NO_MEMORY as i64),
            ("SLUICE_ERR_INTERNAL", SLUICE_ERR_INTERNAL as i64),
            ("SLUICE_ERR_IO", SLUICE_ERR_IO as i64),
            ("SLUICE_TIMESTAMP_NONE", SLUICE_TIMESTAMP_NONE as i64),
            ("SLUICE_TIMESTAMP_CREATE_TIME", SLUICE_TIMESTAMP_CREATE_TIME as i64),
            ("SLUICE_TIMESTAMP_LOG_APPEND_TIME", SLUICE_TIMESTAMP_LOG_APPEND_TIME as i64),
            ("SLUICE_BATCH_OVERSIZED", SLUICE_BATCH_OVERSIZED as i64),
            ("SLUICE_BATCH_RETRY", SLUICE_BATCH_RETRY as i64),
        ];
        v
    }

    /// Every struct's size, alignment and field offsets as (struct, what, bytes).
    pub fn layouts() -> Vec<(&'static str, &'static str, usize)> {
        #[allow(unused_mut)]
        let mut v: Vec<(&'static str, &'static str, usize)> = vec![
            ("sluice_record_t", "<size>", core::mem::size_of::<sluice_record_t>()),
            ("sluice_record_t", "<align>", core::mem::align_of::<sluice_record_t>()),
            ("sluice_record_t", "offset", core::mem::offset_of!(sluice_record_t, offset)),
            ("sluice_record_t", "timestamp", core::mem::offset_of!(sluice_record_t, timestamp)),
            ("sluice_record_t", "key", core::mem::offset_of!(sluice_record_t, key)),
            ("sluice_record_t", "value", core::mem::offset_of!(sluice_record_t, value)),
            ("sluice_record_t", "key_len", core::mem::offset_of!(sluice_record_t, key_len)),
            ("sluice_record_t", "value_len", core::mem::offset_of!(sluice_record_t, value_len)),
            ("sluice_record_t", "partition", core::mem::offset_of!(sluice_record_t, partition)),
            ("sluice_record_t", "timestamp_type", core::mem::offset_of!(sluice_record_t, timestamp_type)),
            ("sluice_record_t", "header_first", core::mem::offset_of!(sluice_record_t, header_first)),
            ("sluice_record_t", "header_count", core::mem::offset_of!(sluice_record_t, header_count)),
            ("sluice_header_t", "<size>", core::mem::size_of::<sluice_header_t>()),
            ("sluice_header_t", "<align>", core::mem::align_of::<sluice_header_t>()),
            ("sluice_header_t", "name", core::mem::offset_of!(sluice_header_t, name)),
            ("sluice_header_t", "value", core::mem::offset_of!(sluice_header_t, value)),
            ("sluice_header_t", "name_len", core::mem::offset_of!(sluice_header_t, name_len)),
            ("sluice_header_t", "value_len", core::mem::offset_of!(sluice_header_t, value_len)),
        ];
        v
    }

    /// Every function as (name, address).
    pub fn symbols() -> Vec<(&'static str, usize)> {
        #[allow(unused_mut)]
        let mut v: Vec<(&'static str, usize)> = vec![
            ("sluice_version_number", sluice_version_number as *const () as usize),
            ("sluice_version_string", sluice_version_string as *const () as usize),
            ("sluice_error_destroy", sluice_error_destroy as *const () as usize),
            ("sluice_error_code", sluice_error_code as *const () as usize),
            ("sluice_code_name", sluice_code_name as *const () as usize),
            ("sluice_error_message", sluice_error_message as *const () as usize),
            ("sluice_error_retriable", sluice_error_retriable as *const () as usize),
            ("sluice_error_key", sluice_error_key as *const () as usize),
            ("sluice_error_offset", sluice_error_offset as *const () as usize),
            ("sluice_error_path", sluice_error_path as *const () as usize),
            ("sluice_free", sluice_free as *const () as usize),
            ("sluice_conf_new", sluice_conf_new as *const () as usize),
            ("sluice_conf_destroy", sluice_conf_destroy as *const () as usize),
            ("sluice_conf_set", sluice_conf_set as *const () as usize),
            ("sluice_conf_get", sluice_conf_get as *const () as usize),
            ("sluice_conf_set_handler", sluice_conf_set_handler as *const () as usize),
            ("sluice_engine_new", sluice_engine_new as *const () as usize),
            ("sluice_engine_stop", sluice_engine_stop as *const () as usize),
            ("sluice_engine_destroy", sluice_engine_destroy as *const () as usize),
            ("sluice_engine_poll", sluice_engine_poll as *const () as usize),
            ("sluice_engine_wakeup_fd", sluice_engine_wakeup_fd as *const () as usize),
            ("sluice_engine_stats", sluice_engine_stats as *const () as usize),
            ("sluice_batch_destroy", sluice_batch_destroy as *const () as usize),
            ("sluice_batch_ack", sluice_batch_ack as *const () as usize),
            ("sluice_batch_fail", sluice_batch_fail as *const () as usize),
            ("sluice_batch_event", sluice_batch_event as *const () as usize),
            ("sluice_batch_records", sluice_batch_records as *const () as usize),
            ("sluice_batch_headers", sluice_batch_headers as *const () as usize),
            ("sluice_batch_topic", sluice_batch_topic as *const () as usize),
            ("sluice_batch_partition", sluice_batch_partition as *const () as usize),
            ("sluice_batch_flags", sluice_batch_flags as *const () as usize),
            ("sluice_batch_attempt", sluice_batch_attempt as *const () as usize),
            ("sluice_filter_new", sluice_filter_new as *const () as usize),
            ("sluice_filter_destroy", sluice_filter_destroy as *const () as usize),
            ("sluice_filter_match", sluice_filter_match as *const () as usize),
        ];
        #[cfg(feature = "mock")]
        v.extend_from_slice(&[
            ("sluice_mock_cluster_new", sluice_mock_cluster_new as *const () as usize),
            ("sluice_mock_cluster_destroy", sluice_mock_cluster_destroy as *const () as usize),
            ("sluice_mock_cluster_bootstraps", sluice_mock_cluster_bootstraps as *const () as usize),
            ("sluice_mock_topic_create", sluice_mock_topic_create as *const () as usize),
            ("sluice_mock_push_request_errors", sluice_mock_push_request_errors as *const () as usize),
            ("sluice_mock_broker_set_up", sluice_mock_broker_set_up as *const () as usize),
            ("sluice_topic_create", sluice_topic_create as *const () as usize),
            ("sluice_producer_new", sluice_producer_new as *const () as usize),
            ("sluice_producer_destroy", sluice_producer_destroy as *const () as usize),
            ("sluice_producer_send", sluice_producer_send as *const () as usize),
            ("sluice_producer_flush", sluice_producer_flush as *const () as usize),
        ]);
        v
    }
}
// @generated-end
