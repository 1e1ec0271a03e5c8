//! The engine: a consumer group member that fetches, filters, batches and
//! hands batches to the host, in pull mode ([`Engine::poll`],
//! [`Engine::batches`]) or push mode ([`Engine::with_handler`]).

use std::cell::Cell;
use std::ffi::{c_char, c_void, CStr};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use sluice_sys as sys;

use crate::batch::{Batch, BatchRef};
use crate::config::{Config, Setting};
use crate::error::{check, Error, ErrorCode, Result};

/// A running engine (`sluice_engine_t`). Dropping it stops it (as
/// [`Engine::stop`] with 10 s: unacknowledged batches are not committed) and
/// frees it; batches still alive stay readable, and acking them returns
/// `Stopped`.
pub struct Engine {
    raw: NonNull<sys::sluice_engine_t>,
    // Asked for on first use: the engine signals the fd (syscalls per batch)
    // only once someone has asked for it.
    wakeup_fd: OnceLock<Result<i32>>,
    // Serializes stop() calls: sluice.h allows concurrent stops ("Any
    // thread"), but libsluice 1.0.0 guards its "second call is a no-op" with
    // a plain bool (core/engine/engine.h `stopped_`), a data race; and waiting
    // here means a second stop returns only once the engine is stopped.
    stop_lock: Mutex<()>,
    // Push mode: the handler, freed after the engine (whose workers call it).
    handler: Option<Handler>,
}

// SAFETY (Send, Sync): sluice.h says sluice_engine_poll, sluice_engine_stop,
// sluice_engine_stats and sluice_engine_wakeup_fd run on "Any thread",
// concurrently with any other call on the engine; those are all that &self
// methods call (wakeup_fd's result is cached in a OnceLock, which makes
// concurrent first calls safe on our side too). sluice_engine_destroy is "not thread-safe with other
// calls on engine": it runs only in Drop, which has the engine to itself. The
// push handler is required to be Send + Sync because sluice calls it from
// "max.concurrency" worker threads at once.
unsafe impl Send for Engine {}
unsafe impl Sync for Engine {}

/// A boxed push handler, as the opaque pointer sluice passes back.
struct Handler {
    ptr: NonNull<c_void>,
    drop_fn: unsafe fn(*mut c_void),
}

impl Drop for Handler {
    fn drop(&mut self) {
        // SAFETY: ptr came from Box::into_raw of the type drop_fn was
        // instantiated with, and no worker uses it any more (the engine is
        // destroyed first).
        unsafe { (self.drop_fn)(self.ptr.as_ptr()) }
    }
}

unsafe fn drop_box<F>(p: *mut c_void) {
    drop(Box::from_raw(p.cast::<F>()));
}

thread_local! {
    // The handler running on this thread (its opaque pointer), if any: lets
    // stop() refuse instead of deadlocking, and Drop defer the destruction.
    static CURRENT_HANDLER: Cell<*const c_void> = const { Cell::new(ptr::null()) };
}

struct HandlerScope(*const c_void);

impl HandlerScope {
    fn enter(opaque: *const c_void) -> HandlerScope {
        HandlerScope(CURRENT_HANDLER.with(|c| c.replace(opaque)))
    }
}

impl Drop for HandlerScope {
    fn drop(&mut self) {
        CURRENT_HANDLER.with(|c| c.set(self.0));
    }
}

/// sluice's handler callback: runs the Rust handler, turns a returned error
/// or a panic into a failed batch (non-zero). Nothing unwinds into C.
unsafe extern "C" fn trampoline<F, E>(opaque: *mut c_void, batch: *const sys::sluice_batch_t) -> i32
where
    F: Fn(&BatchRef) -> std::result::Result<(), E> + Send + Sync + 'static,
{
    let (Some(batch), false) = (NonNull::new(batch.cast_mut()), opaque.is_null()) else {
        return 1;
    };
    let _scope = HandlerScope::enter(opaque);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: opaque is the Box<F> the engine owns for its whole life; the
        // batch is borrowed for this call only (the view does not escape: the
        // handler gets a reference with a call-local lifetime).
        let f = unsafe { &*opaque.cast::<F>() };
        let view = unsafe { BatchRef::new(batch) };
        f(&view).is_ok()
    }));
    match outcome {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(payload) => {
            // Dropping a panic payload may itself panic: contain that too.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            1
        }
    }
}

/// Milliseconds for sluice_engine_poll: rounded up; beyond i32::MAX ms means
/// forever (-1).
pub(crate) fn millis(d: Duration) -> i32 {
    let ms = d.as_nanos().div_ceil(1_000_000);
    i32::try_from(ms).unwrap_or(-1)
}

/// Milliseconds for the calls that take no "forever" (stop, flush, topic
/// creation: the engine treats a negative stop timeout as 0): rounded up,
/// capped at i32::MAX (24 days).
pub(crate) fn millis_capped(d: Duration) -> i32 {
    let ms = d.as_nanos().div_ceil(1_000_000);
    i32::try_from(ms).unwrap_or(i32::MAX)
}

impl Engine {
    /// Creates and starts an engine from settings, e.g. a slice of pairs or a
    /// `HashMap<String, String>`. Required keys: `bootstrap.servers`, `topic`,
    /// `group.id`.
    ///
    /// ```no_run
    /// let engine = sluice::Engine::new(&[
    ///     ("bootstrap.servers", "127.0.0.1:9092"),
    ///     ("topic", "orders"),
    ///     ("group.id", "billing"),
    /// ])?;
    /// # Ok::<(), sluice::Error>(())
    /// ```
    pub fn new<I>(settings: I) -> Result<Engine>
    where
        I: IntoIterator,
        I::Item: Setting,
    {
        Engine::from_config(&Config::from_pairs(settings)?)
    }

    /// Creates and starts a pull-mode engine from a configuration (copied: the
    /// configuration may be reused or dropped).
    pub fn from_config(conf: &Config) -> Result<Engine> {
        Engine::create(conf, None)
    }

    /// Creates and starts a push-mode engine: sluice calls `handler` with each
    /// batch.
    ///
    /// Threads: the handler runs on engine-owned worker threads, at most
    /// `max.concurrency` calls at once (default 1), never two calls for the
    /// same partition at once; so it must be `Send + Sync`. Returning `Ok`
    /// acknowledges the batch (its offsets are committed); returning `Err` or
    /// panicking fails it (the panic is caught; the same batch is offered
    /// again after `retry.backoff.ms`, with `attempt()` one higher). The batch
    /// is borrowed for the call. Do not call [`Engine::stop`] from the handler
    /// (it returns `InvalidState`); [`Engine::poll`] returns `InvalidState` in
    /// push mode.
    pub fn with_handler<F, E>(conf: Config, handler: F) -> Result<Engine>
    where
        F: Fn(&BatchRef) -> std::result::Result<(), E> + Send + Sync + 'static,
    {
        let ptr = Box::into_raw(Box::new(handler)).cast::<c_void>();
        let handler = Handler { ptr: NonNull::new(ptr).unwrap(), drop_fn: drop_box::<F> };
        // SAFETY: the trampoline matches sluice_handler_fn; `ptr` outlives the
        // engine (freed in Drop after sluice_engine_destroy) as required.
        unsafe { check(sys::sluice_conf_set_handler(conf.as_ptr(), Some(trampoline::<F, E>), ptr))? };
        Engine::create(&conf, Some(handler))
    }

    fn create(conf: &Config, handler: Option<Handler>) -> Result<Engine> {
        let mut raw = ptr::null_mut();
        // SAFETY: valid conf (copied by the callee); on success we own *out.
        unsafe { check(sys::sluice_engine_new(conf.as_ptr(), &mut raw))? };
        let raw = NonNull::new(raw).expect("sluice_engine_new succeeded with NULL");
        Ok(Engine { raw, wakeup_fd: OnceLock::new(), stop_lock: Mutex::new(()), handler })
    }

    /// Waits up to `timeout` for the next batch (`Duration::ZERO`: don't wait;
    /// `Duration::MAX`: forever). `Ok(None)` when none arrived in time. After
    /// a batch of a partition is handed out, the next one of that partition
    /// waits until it is acked or failed. Errors: `Stopped` once the engine is
    /// stopped, `InvalidState` in push mode. Holds no lock while waiting:
    /// other threads may poll, stop or read stats meanwhile.
    pub fn poll(&self, timeout: Duration) -> Result<Option<Batch>> {
        let mut out = ptr::null_mut();
        // SAFETY: live engine; "Any thread"; on success *out is ours or NULL.
        unsafe { check(sys::sluice_engine_poll(self.raw.as_ptr(), millis(timeout), &mut out))? };
        // SAFETY: a batch handed to the caller, owned from here on.
        Ok(NonNull::new(out).map(|b| unsafe { Batch::from_raw(b) }))
    }

    /// An iterator of batches: polls with `poll_timeout` per wait, skips empty
    /// waits, and ends when the engine stops (another thread called
    /// [`Engine::stop`]). Other errors are yielded; after a non-retriable one
    /// the iterator ends.
    pub fn batches(&self, poll_timeout: Duration) -> Batches<'_> {
        Batches { engine: self, timeout: poll_timeout, done: false }
    }

    /// Stops the engine: hands out nothing new; batches already out may still
    /// be acked or failed until `timeout`; then every acknowledged offset is
    /// committed, the consumer leaves the group and the threads are joined.
    /// Returns `Timeout` if batches were still unacknowledged at the deadline
    /// (the engine is stopped all the same; those batches will be delivered
    /// again). A second call does nothing (if another thread is stopping the
    /// engine, it waits until that stop is done). `InvalidState` from this
    /// engine's own handler.
    pub fn stop(&self, timeout: Duration) -> Result<()> {
        if self.in_own_handler() {
            return Err(Error::new(
                ErrorCode::InvalidState,
                "Engine::stop called from the engine's own handler; stop it from another thread",
                None,
            ));
        }
        let _one_at_a_time = self.stop_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // SAFETY: live engine; "Any thread".
        unsafe { check(sys::sluice_engine_stop(self.raw.as_ptr(), millis_capped(timeout))) }
    }

    /// The engine's counters as one JSON object (Lambda's metric names:
    /// PolledEventCount, FilteredOutEventCount, CommittedEventCount,
    /// OffsetLag, ...; see sluice.h).
    pub fn stats(&self) -> Result<String> {
        let mut out: *mut c_char = ptr::null_mut();
        let mut len: u64 = 0;
        // SAFETY: live engine; "Any thread"; *out is ours to sluice_free.
        unsafe {
            check(sys::sluice_engine_stats(self.raw.as_ptr(), &mut out, &mut len))?;
            let s = String::from_utf8_lossy(std::slice::from_raw_parts(out.cast::<u8>(), len as usize)).into_owned();
            sys::sluice_free(out.cast());
            Ok(s)
        }
    }

    /// A file descriptor that becomes readable when a batch may be ready, for
    /// event loops: after it turns readable, poll with `Duration::ZERO` until
    /// no batch comes back (that also clears it). Owned by the engine: do not
    /// close or read it. Linux only; elsewhere `InvalidState`.
    #[cfg(unix)]
    pub fn wakeup_fd(&self) -> Result<std::os::fd::BorrowedFd<'_>> {
        let fd = self
            .wakeup_fd
            .get_or_init(|| {
                let mut fd = -1;
                // SAFETY: live engine; "Any thread".
                unsafe { check(sys::sluice_engine_wakeup_fd(self.raw.as_ptr(), &mut fd)) }.map(|()| fd)
            })
            .clone()?;
        // SAFETY: the engine keeps the descriptor open until it is destroyed,
        // which cannot happen while &self is borrowed.
        Ok(unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) })
    }

    /// The C handle, for passing to C code. It stays owned by this engine.
    pub fn as_ptr(&self) -> *mut sys::sluice_engine_t {
        self.raw.as_ptr()
    }

    fn in_own_handler(&self) -> bool {
        match &self.handler {
            Some(h) => CURRENT_HANDLER.with(|c| c.get() == h.ptr.as_ptr().cast_const()),
            None => false,
        }
    }
}

struct SendEngine(NonNull<sys::sluice_engine_t>, Option<Handler>);
// SAFETY: sluice_engine_destroy may run on any thread as long as nothing else
// uses the engine (it has been given up by its only owner); the handler is
// Send + Sync by with_handler's bounds.
unsafe impl Send for SendEngine {}

impl Drop for Engine {
    fn drop(&mut self) {
        if self.in_own_handler() {
            // Destroying joins the worker threads, this one included: hand the
            // job to a thread of its own, which finishes once this handler
            // call has returned.
            let job = SendEngine(self.raw, self.handler.take());
            std::thread::spawn(move || {
                let job = job;
                // SAFETY: sole owner (see SendEngine).
                unsafe { sys::sluice_engine_destroy(job.0.as_ptr()) };
                drop(job.1);
            });
            return;
        }
        // SAFETY: we own the engine and nothing else uses it (&mut self).
        // The handler field is dropped after this, once no worker runs.
        unsafe { sys::sluice_engine_destroy(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine").field("push", &self.handler.is_some()).finish_non_exhaustive()
    }
}

/// The iterator of [`Engine::batches`].
pub struct Batches<'a> {
    engine: &'a Engine,
    timeout: Duration,
    done: bool,
}

impl Iterator for Batches<'_> {
    type Item = Result<Batch>;
    fn next(&mut self) -> Option<Result<Batch>> {
        while !self.done {
            match self.engine.poll(self.timeout) {
                Ok(Some(b)) => return Some(Ok(b)),
                Ok(None) => continue,
                Err(e) if e.code() == ErrorCode::Stopped => self.done = true,
                Err(e) => {
                    self.done = !e.is_retriable();
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

impl std::iter::FusedIterator for Batches<'_> {}

/// The library's version, e.g. `"1.0.0"` (what is linked, not what the
/// binding was generated from: [`sluice_sys::SLUICE_VERSION_NUMBER`]).
pub fn version() -> &'static str {
    // SAFETY: static storage, NUL-terminated.
    unsafe { CStr::from_ptr(sys::sluice_version_string()) }.to_str().unwrap_or("")
}

/// The library's version as MAJOR*10000 + MINOR*100 + PATCH.
pub fn version_number() -> u32 {
    // SAFETY: no arguments, any thread.
    unsafe { sys::sluice_version_number() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_in_milliseconds() {
        assert_eq!(millis(Duration::ZERO), 0);
        assert_eq!(millis(Duration::from_micros(1)), 1, "rounded up, so a short wait still waits");
        assert_eq!(millis(Duration::from_millis(1500)), 1500);
        assert_eq!(millis(Duration::MAX), -1, "poll: forever");
        assert_eq!(millis_capped(Duration::MAX), i32::MAX, "stop has no forever: capped, never -1");
        assert_eq!(millis_capped(Duration::from_secs(10)), 10_000);
    }
}
