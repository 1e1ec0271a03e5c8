//! The ESM filter-criteria language on its own (docs/FILTERS.md): the same
//! patterns `filter.patterns` takes, for matching records outside an engine.

use std::fmt;
use std::ptr::{self, NonNull};

use sluice_sys as sys;

use crate::error::{check, Result};

/// Compiled filter patterns (`sluice_filter_t`): a JSON array of up to 10
/// patterns, ORed.
///
/// ```no_run
/// let mut f = sluice::Filter::new(r#"[{"value":{"kind":["order"]}}]"#)?;
/// assert!(f.matches(None, Some(br#"{"kind":"order"}"#))?);
/// # Ok::<(), sluice::Error>(())
/// ```
pub struct Filter {
    raw: NonNull<sys::sluice_filter_t>,
}

// SAFETY: sluice.h: sluice_filter_match is "Not thread-safe for the same
// filter (it keeps a parser); use one filter per thread" — a filter may be
// used from one thread at a time, and moved between threads (no thread-local
// state), so Send; matching needs &mut self, so Sync adds nothing unsafe but
// is not claimed.
unsafe impl Send for Filter {}

impl Filter {
    /// Compiles `patterns`. Errors: `InvalidPattern`, with
    /// [`Error::offset`](crate::Error::offset) (a byte offset in `patterns`)
    /// and [`Error::path`](crate::Error::path).
    pub fn new(patterns: &str) -> Result<Filter> {
        let mut out = ptr::null_mut();
        // SAFETY: the pattern bytes with their length (no NUL needed); on
        // success we own *out.
        unsafe {
            check(sys::sluice_filter_new(patterns.as_ptr().cast(), patterns.len() as u64, &mut out))?;
        }
        Ok(Filter { raw: NonNull::new(out).expect("sluice_filter_new succeeded with NULL") })
    }

    /// Whether any pattern matches a record with this key and value (`None`:
    /// a null key or value).
    pub fn matches(&mut self, key: Option<&[u8]>, value: Option<&[u8]>) -> Result<bool> {
        let (kp, kl) = key.map_or((ptr::null(), 0), |k| (k.as_ptr(), k.len() as u64));
        let (vp, vl) = value.map_or((ptr::null(), 0), |v| (v.as_ptr(), v.len() as u64));
        let mut out = 0i32;
        // SAFETY: live filter used by this thread only (&mut self); byte
        // ranges valid for the call.
        unsafe { check(sys::sluice_filter_match(self.raw.as_ptr(), kp, kl, vp, vl, &mut out))? };
        Ok(out != 0)
    }
}

impl Drop for Filter {
    fn drop(&mut self) {
        // SAFETY: we own the filter.
        unsafe { sys::sluice_filter_destroy(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Filter").finish_non_exhaustive()
    }
}
