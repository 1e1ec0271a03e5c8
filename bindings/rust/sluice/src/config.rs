//! Configuration: string keys and values, validated when set
//! (docs/CONFIGURATION.md lists the keys; `kafka.*` keys go to librdkafka).

use std::ffi::{c_char, CStr};
use std::fmt;
use std::ptr::{self, NonNull};

use sluice_sys as sys;

use crate::error::{check, cstring, Result};

/// One `key = value` setting: implemented for `(K, V)` and `&(K, V)` with
/// string-like `K` and `V`, so that slices of pairs, arrays, `HashMap`s and
/// `BTreeMap`s (by value or by reference) all work as settings.
pub trait Setting {
    /// The key.
    fn key(&self) -> &str;
    /// The value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> Setting for (K, V) {
    fn key(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Setting for &(K, V) {
    fn key(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

/// A set of settings (`sluice_conf_t`). Every key starts at its default;
/// [`Config::set`] validates at once, so a bad key or value is reported where
/// it is set, with [`Error::key`](crate::Error::key) naming it.
///
/// ```no_run
/// let mut conf = sluice::Config::new()?;
/// conf.set("bootstrap.servers", "127.0.0.1:9092")?
///     .set("topic", "orders")?
///     .set("group.id", "billing")?;
/// # Ok::<(), sluice::Error>(())
/// ```
pub struct Config {
    raw: NonNull<sys::sluice_conf_t>,
}

// SAFETY: sluice.h says of sluice_conf_set "Not thread-safe for the same conf"
// and ties a conf to no thread (no thread-local state anywhere: "No
// thread-local last error"), so a conf may move between threads; it is not
// Sync because the header allows no concurrent calls on one conf (mutation
// needs &mut self here, and we do not claim sluice_conf_get is safe beside it).
unsafe impl Send for Config {}

impl Config {
    /// An empty configuration (every key at its default).
    pub fn new() -> Result<Config> {
        let mut raw = ptr::null_mut();
        // SAFETY: out-parameter call; on success *out is a conf we own.
        unsafe { check(sys::sluice_conf_new(&mut raw))? };
        Ok(Config { raw: NonNull::new(raw).expect("sluice_conf_new succeeded with NULL") })
    }

    /// A configuration with these settings, set in order; stops at the first
    /// error.
    ///
    /// ```no_run
    /// let conf = sluice::Config::from_pairs(&[("topic", "orders"), ("group.id", "billing")])?;
    /// # Ok::<(), sluice::Error>(())
    /// ```
    pub fn from_pairs<I>(settings: I) -> Result<Config>
    where
        I: IntoIterator,
        I::Item: Setting,
    {
        let mut c = Config::new()?;
        for s in settings {
            c.set(s.key(), s.value())?;
        }
        Ok(c)
    }

    /// Sets `key` to `value`, validating both now. Errors: `UnknownKey`,
    /// `InvalidValue` (`InvalidPattern` for `filter.patterns`), with the key
    /// named; the previous value is kept.
    pub fn set(&mut self, key: &str, value: &str) -> Result<&mut Config> {
        let k = cstring(key, "the key", Some(key))?;
        let v = cstring(value, "the value", Some(key))?;
        // SAFETY: valid conf, NUL-terminated strings (copied by the callee);
        // &mut self: no other call on this conf runs meanwhile.
        unsafe { check(sys::sluice_conf_set(self.raw.as_ptr(), k.as_ptr(), v.as_ptr()))? };
        Ok(self)
    }

    /// The current value of `key` (its default if never set).
    pub fn get(&self, key: &str) -> Result<String> {
        let k = cstring(key, "the key", Some(key))?;
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: valid conf and key; on success *out is ours to sluice_free.
        unsafe {
            check(sys::sluice_conf_get(self.raw.as_ptr(), k.as_ptr(), &mut out))?;
            let s = CStr::from_ptr(out).to_string_lossy().into_owned();
            sys::sluice_free(out.cast());
            Ok(s)
        }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::sluice_conf_t {
        self.raw.as_ptr()
    }
}

impl Drop for Config {
    fn drop(&mut self) {
        // SAFETY: we own the conf; engines made from it hold their own copies.
        unsafe { sys::sluice_conf_destroy(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config").finish_non_exhaustive()
    }
}
