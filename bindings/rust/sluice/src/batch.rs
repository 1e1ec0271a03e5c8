//! Batches and their zero-copy views: the event JSON and the records borrow
//! from the batch, so the borrow checker keeps them from outliving it.

use std::ffi::{c_char, CStr};
use std::fmt;
use std::iter::FusedIterator;
use std::ops::Deref;
use std::ptr::{self, NonNull};
use std::sync::OnceLock;

use sluice_sys as sys;

use crate::error::{check, Result};

/// `flags()` bit: one record whose event alone passes `batch.max.bytes`.
pub const FLAG_OVERSIZED: u32 = sys::SLUICE_BATCH_OVERSIZED;
/// `flags()` bit: the batch was offered before and failed.
pub const FLAG_RETRY: u32 = sys::SLUICE_BATCH_RETRY;

/// A read-only view of a batch: what a push-mode handler receives (borrowed
/// from the engine for the duration of the call) and what a pulled [`Batch`]
/// dereferences to.
pub struct BatchRef {
    raw: NonNull<sys::sluice_batch_t>,
    // Read once when the view is made: sluice.h gives these accessors no
    // thread-safety statement, so they are not called concurrently later.
    topic: *const c_char,
    partition: i32,
    flags: u32,
    attempt: u32,
    // sluice_batch_event is "not thread-safe for the same batch": the OnceLock
    // makes the first (encoding) call happen once, with other callers waiting.
    event: OnceLock<Result<(usize, usize)>>,
}

// SAFETY (Send): sluice.h: sluice_batch_destroy is "Any thread, once",
// sluice_batch_ack/fail "Any thread"; a batch belongs to no thread, and the
// data it points to lives until it is destroyed wherever that happens.
unsafe impl Send for BatchRef {}
// SAFETY (Sync): the methods that take &self call only sluice_batch_records
// and sluice_batch_headers ("Any thread") and sluice_batch_event ("not
// thread-safe for the same batch"), which the OnceLock above serializes; topic,
// partition, flags and attempt were read when the view was made. ack/fail need
// the owned `Batch` by value.
unsafe impl Sync for BatchRef {}

impl BatchRef {
    /// # Safety
    /// `raw` is a live batch that stays valid while the view exists.
    pub(crate) unsafe fn new(raw: NonNull<sys::sluice_batch_t>) -> BatchRef {
        let p = raw.as_ptr();
        BatchRef {
            raw,
            topic: sys::sluice_batch_topic(p),
            partition: sys::sluice_batch_partition(p),
            flags: sys::sluice_batch_flags(p),
            attempt: sys::sluice_batch_attempt(p),
            event: OnceLock::new(),
        }
    }

    /// The topic.
    pub fn topic(&self) -> &str {
        if self.topic.is_null() {
            return "";
        }
        // SAFETY: NUL-terminated, owned by the batch, which outlives &self.
        // Kafka topic names are ASCII ([a-zA-Z0-9._-]).
        unsafe { CStr::from_ptr(self.topic) }.to_str().unwrap_or("")
    }

    /// The partition (a batch holds records of one partition).
    pub fn partition(&self) -> i32 {
        self.partition
    }

    /// `FLAG_*` bits.
    pub fn flags(&self) -> u32 {
        self.flags
    }

    /// Whether this batch was offered before and failed ([`FLAG_RETRY`]).
    pub fn is_retry(&self) -> bool {
        self.flags & FLAG_RETRY != 0
    }

    /// Whether this is one record whose event passes `batch.max.bytes`
    /// ([`FLAG_OVERSIZED`]).
    pub fn is_oversized(&self) -> bool {
        self.flags & FLAG_OVERSIZED != 0
    }

    /// How many times this batch was offered before (0 on first delivery).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The batch's event: the exact Lambda MSK event JSON (docs/EVENT.md),
    /// borrowed from the batch (encoded on the first call, then free).
    pub fn event(&self) -> Result<&[u8]> {
        let r = self.event.get_or_init(|| {
            let mut data: *const u8 = ptr::null();
            let mut len: u64 = 0;
            // SAFETY: live batch; the OnceLock runs this once (see the field).
            unsafe { check(sys::sluice_batch_event(self.raw.as_ptr(), &mut data, &mut len))? };
            Ok((data as usize, len as usize))
        });
        match r {
            Ok((data, len)) => Ok(slice_or_empty(*data as *const u8, *len)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The records, in offset order, as zero-copy views into the batch.
    pub fn records(&self) -> Result<Records<'_>> {
        let mut recs: *const sys::sluice_record_t = ptr::null();
        let mut n: u64 = 0;
        let mut hdrs: *const sys::sluice_header_t = ptr::null();
        let mut hn: u64 = 0;
        // SAFETY: live batch; both calls are "Any thread" and hand out arrays
        // owned by the batch, valid until it is destroyed (after &self ends).
        unsafe {
            check(sys::sluice_batch_records(self.raw.as_ptr(), &mut recs, &mut n))?;
            check(sys::sluice_batch_headers(self.raw.as_ptr(), &mut hdrs, &mut hn))?;
        }
        Ok(Records { iter: slice_or_empty(recs, n as usize).iter(), headers: slice_or_empty(hdrs, hn as usize) })
    }

    /// The C handle, for passing to C code. It stays owned by this batch.
    pub fn as_ptr(&self) -> *const sys::sluice_batch_t {
        self.raw.as_ptr()
    }
}

impl fmt::Debug for BatchRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("topic", &self.topic())
            .field("partition", &self.partition)
            .field("attempt", &self.attempt)
            .field("flags", &self.flags)
            .finish()
    }
}

/// A batch handed out by [`Engine::poll`](crate::Engine::poll): owned by the
/// caller until acked, failed or dropped. Reading it goes through
/// [`BatchRef`] (it dereferences to one).
///
/// [`ack`](Batch::ack) and [`fail`](Batch::fail) consume the batch, so a
/// batch cannot be completed twice, and no record view can outlive it.
/// Dropping a batch that was neither acked nor failed counts as failed: it is
/// offered again.
pub struct Batch {
    view: BatchRef,
}

impl Batch {
    /// # Safety
    /// `raw` is a batch the caller owns (from sluice_engine_poll).
    pub(crate) unsafe fn from_raw(raw: NonNull<sys::sluice_batch_t>) -> Batch {
        Batch { view: BatchRef::new(raw) }
    }

    /// Marks the batch as processed: its offsets (and those of the records
    /// filtered out before it) get committed. Errors: `Revoked` (the partition
    /// was reassigned; the new owner gets the batch), `Stopped` (the engine
    /// stopped; it will be delivered again), `AlreadyCompleted` (only if C code
    /// completed it through [`as_ptr`](BatchRef::as_ptr)).
    pub fn ack(self) -> Result<()> {
        // SAFETY: live, owned batch; "Any thread". Dropping self frees it.
        unsafe { check(sys::sluice_batch_ack(self.view.raw.as_ptr())) }
    }

    /// Marks the batch as failed: the same records, in the same order, are
    /// offered again after `retry.backoff.ms`. Errors as [`Batch::ack`].
    pub fn fail(self) -> Result<()> {
        // SAFETY: as in ack.
        unsafe { check(sys::sluice_batch_fail(self.view.raw.as_ptr())) }
    }

    /// The C handle, for passing to C code. It stays owned by this batch:
    /// completing it from C makes a later `ack`/`fail` return
    /// `AlreadyCompleted`.
    pub fn as_mut_ptr(&mut self) -> *mut sys::sluice_batch_t {
        self.view.raw.as_ptr()
    }
}

impl Deref for Batch {
    type Target = BatchRef;
    fn deref(&self) -> &BatchRef {
        &self.view
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // SAFETY: we own the batch; nothing borrowed from it is alive (&mut).
        unsafe { sys::sluice_batch_destroy(self.view.raw.as_ptr()) }
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.view.fmt(f)
    }
}

fn slice_or_empty<'a, T>(p: *const T, n: usize) -> &'a [T] {
    if p.is_null() || n == 0 {
        &[]
    } else {
        // SAFETY: callers pass arrays sluice documents as n valid elements
        // owned by a batch that outlives 'a.
        unsafe { std::slice::from_raw_parts(p, n) }
    }
}

/// The records of a batch, in offset order: an iterator of [`Record`] views.
#[derive(Clone)]
pub struct Records<'a> {
    iter: std::slice::Iter<'a, sys::sluice_record_t>,
    headers: &'a [sys::sluice_header_t],
}

impl<'a> Records<'a> {
    /// The `i`-th of the records not yet iterated.
    pub fn get(&self, i: usize) -> Option<Record<'a>> {
        self.iter.as_slice().get(i).map(|raw| Record { raw, headers: self.headers })
    }

    /// The C views of the records not yet iterated.
    pub fn as_raw(&self) -> &'a [sys::sluice_record_t] {
        self.iter.as_slice()
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;
    #[inline]
    fn next(&mut self) -> Option<Record<'a>> {
        let headers = self.headers;
        self.iter.next().map(|raw| Record { raw, headers })
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl DoubleEndedIterator for Records<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let headers = self.headers;
        self.iter.next_back().map(|raw| Record { raw, headers })
    }
}

impl ExactSizeIterator for Records<'_> {}
impl FusedIterator for Records<'_> {}

impl fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

/// Kafka's timestamp types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimestampType {
    /// The broker gave no timestamp.
    NotAvailable,
    /// Set by the producer.
    CreateTime,
    /// Set by the broker when appending.
    LogAppendTime,
    /// A value this binding does not know.
    Other(i32),
}

/// A zero-copy view of one record, borrowed from its batch.
#[derive(Clone, Copy)]
pub struct Record<'a> {
    raw: &'a sys::sluice_record_t,
    headers: &'a [sys::sluice_header_t],
}

fn bytes<'a>(p: *const u8, n: u32) -> Option<&'a [u8]> {
    if p.is_null() {
        None
    } else {
        Some(slice_or_empty(p, n as usize))
    }
}

impl<'a> Record<'a> {
    /// The offset.
    #[inline]
    pub fn offset(&self) -> i64 {
        self.raw.offset
    }
    /// The partition.
    #[inline]
    pub fn partition(&self) -> i32 {
        self.raw.partition
    }
    /// Epoch milliseconds, or None when the broker gave none.
    pub fn timestamp(&self) -> Option<i64> {
        (self.raw.timestamp != -1).then_some(self.raw.timestamp)
    }
    /// What the timestamp means.
    pub fn timestamp_type(&self) -> TimestampType {
        match self.raw.timestamp_type {
            sys::SLUICE_TIMESTAMP_NONE => TimestampType::NotAvailable,
            sys::SLUICE_TIMESTAMP_CREATE_TIME => TimestampType::CreateTime,
            sys::SLUICE_TIMESTAMP_LOG_APPEND_TIME => TimestampType::LogAppendTime,
            t => TimestampType::Other(t),
        }
    }
    /// The key; None for a null key (not the same as an empty one).
    #[inline]
    pub fn key(&self) -> Option<&'a [u8]> {
        bytes(self.raw.key, self.raw.key_len)
    }
    /// The value; None for a null value (a tombstone).
    #[inline]
    pub fn value(&self) -> Option<&'a [u8]> {
        bytes(self.raw.value, self.raw.value_len)
    }
    /// The headers, in produced order, duplicates kept.
    pub fn headers(&self) -> Headers<'a> {
        let first = self.raw.header_first as usize;
        let end = first.saturating_add(self.raw.header_count as usize);
        Headers { iter: self.headers.get(first..end).unwrap_or(&[]).iter() }
    }
    /// The C view.
    pub fn as_raw(&self) -> &'a sys::sluice_record_t {
        self.raw
    }
}

impl fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("partition", &self.partition())
            .field("offset", &self.offset())
            .field("timestamp", &self.timestamp())
            .field("key", &self.key().map(String::from_utf8_lossy))
            .field("value_len", &self.value().map(<[u8]>::len))
            .field("headers", &self.headers().count())
            .finish()
    }
}

/// The headers of one record.
#[derive(Clone)]
pub struct Headers<'a> {
    iter: std::slice::Iter<'a, sys::sluice_header_t>,
}

impl<'a> Iterator for Headers<'a> {
    type Item = Header<'a>;
    fn next(&mut self) -> Option<Header<'a>> {
        self.iter.next().map(|raw| Header { raw })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl DoubleEndedIterator for Headers<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.iter.next_back().map(|raw| Header { raw })
    }
}

impl ExactSizeIterator for Headers<'_> {}
impl FusedIterator for Headers<'_> {}

/// A zero-copy view of one record header.
#[derive(Clone, Copy)]
pub struct Header<'a> {
    raw: &'a sys::sluice_header_t,
}

impl<'a> Header<'a> {
    /// The name's bytes (Kafka header names are normally UTF-8).
    pub fn name(&self) -> &'a [u8] {
        slice_or_empty(self.raw.name.cast::<u8>(), self.raw.name_len as usize)
    }
    /// The name as UTF-8, or None if it is not valid UTF-8.
    pub fn name_str(&self) -> Option<&'a str> {
        std::str::from_utf8(self.name()).ok()
    }
    /// The value; None for a null header value.
    pub fn value(&self) -> Option<&'a [u8]> {
        bytes(self.raw.value, self.raw.value_len)
    }
}

impl fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("name", &String::from_utf8_lossy(self.name()))
            .field("value", &self.value().map(String::from_utf8_lossy))
            .finish()
    }
}

// SAFETY: Records, Record, Headers and Header are shared views of arrays and
// bytes that the batch owns and never changes while it lives (sluice.h:
// sluice_batch_records and sluice_batch_headers are "Any thread"; the views
// "stay valid until the batch is destroyed", which the lifetime 'a forbids
// while a view exists). They hold raw pointers only because the C structs do.
unsafe impl Send for Records<'_> {}
unsafe impl Sync for Records<'_> {}
unsafe impl Send for Record<'_> {}
unsafe impl Sync for Record<'_> {}
unsafe impl Send for Headers<'_> {}
unsafe impl Sync for Headers<'_> {}
unsafe impl Send for Header<'_> {}
unsafe impl Sync for Header<'_> {}
