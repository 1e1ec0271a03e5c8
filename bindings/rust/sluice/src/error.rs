//! Errors: every fallible sluice call returns a `sluice_error_t*`; this module
//! copies it into an owned [`Error`] and frees the C object at once.

use std::ffi::CStr;
use std::fmt;
use std::ptr::NonNull;

use sluice_sys as sys;

/// The stable error codes of sluice.h (`SLUICE_ERR_*`). The discriminants are
/// the generated `sluice_sys` constants, and a test checks that every code of
/// the header has a variant here (so a new code fails the suite until it is
/// added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(i32)]
pub enum ErrorCode {
    /// A NULL handle, a bad length, a string with a NUL byte, ...
    InvalidArgument = sys::SLUICE_ERR_INVALID_ARGUMENT,
    /// A configuration key that sluice (or librdkafka, for `kafka.*`) does not know.
    UnknownKey = sys::SLUICE_ERR_UNKNOWN_KEY,
    /// A configuration value out of range.
    InvalidValue = sys::SLUICE_ERR_INVALID_VALUE,
    /// A filter pattern was rejected ([`Error::offset`] and [`Error::path`] say where).
    InvalidPattern = sys::SLUICE_ERR_INVALID_PATTERN,
    /// The call is not allowed now (e.g. poll in push mode).
    InvalidState = sys::SLUICE_ERR_INVALID_STATE,
    /// The batch was acked or failed before.
    AlreadyCompleted = sys::SLUICE_ERR_ALREADY_COMPLETED,
    /// The engine is stopped or stopping.
    Stopped = sys::SLUICE_ERR_STOPPED,
    /// The batch's partition was reassigned; it will be delivered to the new owner.
    Revoked = sys::SLUICE_ERR_REVOKED,
    /// A bounded wait ran out.
    Timeout = sys::SLUICE_ERR_TIMEOUT,
    /// An error from librdkafka or the broker.
    Kafka = sys::SLUICE_ERR_KAFKA,
    /// Out of memory.
    NoMemory = sys::SLUICE_ERR_NO_MEMORY,
    /// A bug in sluice: please report it.
    Internal = sys::SLUICE_ERR_INTERNAL,
    /// An OS call failed.
    Io = sys::SLUICE_ERR_IO,
    /// A code this binding does not know (a newer library); [`Error::raw_code`]
    /// has the number.
    Unknown = -1,
}

impl ErrorCode {
    /// Every known code, in header order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidArgument,
        ErrorCode::UnknownKey,
        ErrorCode::InvalidValue,
        ErrorCode::InvalidPattern,
        ErrorCode::InvalidState,
        ErrorCode::AlreadyCompleted,
        ErrorCode::Stopped,
        ErrorCode::Revoked,
        ErrorCode::Timeout,
        ErrorCode::Kafka,
        ErrorCode::NoMemory,
        ErrorCode::Internal,
        ErrorCode::Io,
    ];

    /// The code for a C number; [`ErrorCode::Unknown`] for numbers not listed.
    pub fn from_raw(code: i32) -> ErrorCode {
        ErrorCode::ALL.iter().copied().find(|c| *c as i32 == code).unwrap_or(ErrorCode::Unknown)
    }

    /// The C number (`-1` for [`ErrorCode::Unknown`]).
    pub fn raw(self) -> i32 {
        self as i32
    }

    /// The C symbolic name, as `sluice_code_name()` gives it, e.g.
    /// `"SLUICE_ERR_UNKNOWN_KEY"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "SLUICE_ERR_INVALID_ARGUMENT",
            ErrorCode::UnknownKey => "SLUICE_ERR_UNKNOWN_KEY",
            ErrorCode::InvalidValue => "SLUICE_ERR_INVALID_VALUE",
            ErrorCode::InvalidPattern => "SLUICE_ERR_INVALID_PATTERN",
            ErrorCode::InvalidState => "SLUICE_ERR_INVALID_STATE",
            ErrorCode::AlreadyCompleted => "SLUICE_ERR_ALREADY_COMPLETED",
            ErrorCode::Stopped => "SLUICE_ERR_STOPPED",
            ErrorCode::Revoked => "SLUICE_ERR_REVOKED",
            ErrorCode::Timeout => "SLUICE_ERR_TIMEOUT",
            ErrorCode::Kafka => "SLUICE_ERR_KAFKA",
            ErrorCode::NoMemory => "SLUICE_ERR_NO_MEMORY",
            ErrorCode::Internal => "SLUICE_ERR_INTERNAL",
            ErrorCode::Io => "SLUICE_ERR_IO",
            ErrorCode::Unknown => "SLUICE_ERR_UNKNOWN",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An error from sluice: the C error's code, message and details, copied out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    raw_code: i32,
    message: String,
    key: Option<String>,
    offset: Option<i64>,
    path: Option<String>,
    retriable: bool,
}

/// `Result<T, sluice::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

unsafe fn owned_str(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

impl Error {
    /// Takes ownership of a C error: copies its fields and frees it.
    ///
    /// # Safety
    /// `err` must be a live error returned by a sluice function and not freed
    /// elsewhere; it is freed here.
    pub unsafe fn from_raw(err: NonNull<sys::sluice_error_t>) -> Error {
        let e = err.as_ptr();
        let raw_code = sys::sluice_error_code(e);
        let key = owned_str(sys::sluice_error_key(e));
        let path = owned_str(sys::sluice_error_path(e));
        let offset = sys::sluice_error_offset(e);
        let out = Error {
            code: ErrorCode::from_raw(raw_code),
            raw_code,
            message: owned_str(sys::sluice_error_message(e)),
            key: (!key.is_empty()).then_some(key),
            offset: (offset >= 0).then_some(offset),
            path: (!path.is_empty()).then_some(path),
            retriable: sys::sluice_error_retriable(e) != 0,
        };
        sys::sluice_error_destroy(e);
        out
    }

    /// An error made on the Rust side (e.g. a string with a NUL byte), with the
    /// same shape as the C ones.
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>, key: Option<&str>) -> Error {
        Error {
            code,
            raw_code: code.raw(),
            message: message.into(),
            key: key.map(str::to_owned),
            offset: None,
            path: None,
            retriable: false,
        }
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
    /// The C number of the code (useful when [`Error::code`] is `Unknown`).
    pub fn raw_code(&self) -> i32 {
        self.raw_code
    }
    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The configuration key the error is about, if any.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }
    /// For pattern and value errors: the byte offset in the value where the
    /// problem is.
    pub fn offset(&self) -> Option<i64> {
        self.offset
    }
    /// For pattern errors: a JSON path into the pattern, e.g. `$[0].value.price`.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
    /// Whether retrying the same call later may succeed.
    pub fn is_retriable(&self) -> bool {
        self.retriable
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(k) = &self.key {
            if !self.message.contains(k.as_str()) {
                write!(f, " (key {k})")?;
            }
        }
        if let Some(p) = &self.path {
            write!(f, " at {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// `Ok(())` for NULL, else the owned error.
///
/// # Safety
/// `err` is the return value of a sluice function (NULL or an owned error).
pub(crate) unsafe fn check(err: *mut sys::sluice_error_t) -> Result<()> {
    match NonNull::new(err) {
        None => Ok(()),
        Some(e) => Err(Error::from_raw(e)),
    }
}

/// A Rust string as a C string; a NUL byte inside is an InvalidArgument error
/// naming `what`.
pub(crate) fn cstring(s: &str, what: &str, key: Option<&str>) -> Result<std::ffi::CString> {
    std::ffi::CString::new(s).map_err(|_| {
        Error::new(ErrorCode::InvalidArgument, format!("{what} contains a NUL byte"), key)
    })
}
