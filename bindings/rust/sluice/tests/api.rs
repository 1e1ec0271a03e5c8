//! What needs no broker: configuration errors (incl. the shared vectors),
//! error codes against sluice.h, the standalone filter, versions.
mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use sluice::{sys, Config, Engine, ErrorCode, Filter};

fn vectors(name: &str) -> serde_json::Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/vectors").join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn bad_config_key_names_the_key() {
    let err = Engine::new(&[("bootstrap.servers", "127.0.0.1:1"), ("batch.sise", "10")]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownKey);
    assert_eq!(err.key(), Some("batch.sise"));
    assert!(!err.is_retriable());
    assert!(err.to_string().starts_with("SLUICE_ERR_UNKNOWN_KEY: "), "{err}");
    // The error type is a std error.
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    assert!(boxed.to_string().contains("batch.sise"));
}

#[test]
fn config_error_vectors() {
    let v = vectors("config_errors.json");
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let (key, value) = (c["key"].as_str().unwrap(), c["value"].as_str().unwrap());
        let mut conf = Config::new().unwrap();
        let err = conf.set(key, value).map(|_| ()).expect_err(&format!("{key}={value} must be rejected"));
        assert_eq!(err.code().name(), c["code"].as_str().unwrap(), "{key}={value}: {err}");
        assert_eq!(err.key(), Some(c["error_key"].as_str().unwrap()), "{key}={value}");
        let frag = c["message_contains"].as_str().unwrap();
        assert!(err.message().contains(frag), "{key}={value}: {:?} lacks {frag:?}", err.message());
    }
}

#[test]
fn config_set_get_and_maps() {
    let mut conf = Config::new().unwrap();
    conf.set("batch.size", "42").unwrap().set("topic", "t").unwrap();
    assert_eq!(conf.get("batch.size").unwrap(), "42");
    assert_eq!(conf.get("batch.sise").unwrap_err().code(), ErrorCode::UnknownKey);
    // The previous value is kept after a bad one.
    assert!(conf.set("batch.size", "0").is_err());
    assert_eq!(conf.get("batch.size").unwrap(), "42");
    // A NUL byte is an error on the Rust side, shaped like the C ones.
    let err = conf.set("topic", "a\0b").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    assert_eq!(err.key(), Some("topic"));
    // Settings from a HashMap, by reference and by value.
    let m: HashMap<String, String> = [("batch.size".to_string(), "7".to_string())].into();
    assert_eq!(Config::from_pairs(&m).unwrap().get("batch.size").unwrap(), "7");
    assert_eq!(Config::from_pairs(m).unwrap().get("batch.size").unwrap(), "7");
    // A missing required key: InvalidValue naming it.
    let err = Engine::new(&[("topic", "t"), ("group.id", "g")]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidValue, "{err}");
    assert_eq!(err.key(), Some("bootstrap.servers"));
}

/// ErrorCode against sluice.h: every SLUICE_ERR_* of the header (the
/// generated table, itself checked against the header by sluice-sys) has a
/// variant with the same number and name, and the library agrees.
#[test]
fn error_codes_match_the_header() {
    assert_eq!(ErrorCode::ALL.len(), sys::SLUICE_ERR_ALL.len(), "ErrorCode lacks or has extra codes");
    for (name, raw) in sys::SLUICE_ERR_ALL {
        let code = ErrorCode::from_raw(*raw);
        assert_ne!(code, ErrorCode::Unknown, "{name} = {raw} has no ErrorCode variant");
        assert_eq!(code.raw(), *raw);
        assert_eq!(code.name(), *name);
        let c_name = unsafe { std::ffi::CStr::from_ptr(sys::sluice_code_name(*raw)) };
        assert_eq!(c_name.to_str().unwrap(), *name);
    }
    assert_eq!(ErrorCode::from_raw(9999), ErrorCode::Unknown);
}

#[test]
fn filter_matches_and_reports_pattern_errors() {
    let mut f = Filter::new(r#"[{"value":{"kind":["order"],"n":[{"numeric":[">",10]}]}}, {"value":[{"prefix":"plain"}]}]"#).unwrap();
    assert!(f.matches(None, Some(br#"{"kind":"order","n":11}"#)).unwrap());
    assert!(!f.matches(None, Some(br#"{"kind":"order","n":10}"#)).unwrap());
    assert!(!f.matches(Some(b"k"), Some(br#"{"kind":"refund","n":99}"#)).unwrap());
    assert!(f.matches(None, Some(b"plain text")).unwrap());
    assert!(!f.matches(None, None).unwrap());
    assert!(!f.matches(None, Some(&[0xff, 0xfe])).unwrap(), "never fails on any bytes");
    let err = Filter::new(r#"[{"value":{"a":[{"nope":1}]}}]"#).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidPattern);
    assert!(err.offset().is_some(), "{err:?}");
    assert!(err.path().is_some_and(|p| p.starts_with("$[0]")), "{err:?}");
}

#[test]
fn version_matches_the_generated_header() {
    assert_eq!(sluice::version_number(), sys::SLUICE_VERSION_NUMBER);
    assert!(sluice::version().starts_with(&format!("{}.", sys::SLUICE_VERSION_MAJOR)));
}

#[test]
fn thread_traits() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Engine>();
    send_sync::<sluice::Batch>();
    send_sync::<sluice::BatchRef>();
    send_sync::<sluice::Records<'static>>();
    send_sync::<sluice::Error>();
    send::<Config>();
    send::<Filter>();
    send::<sluice::testing::Producer>();
    send::<sluice::testing::MockCluster>();
}
