//! sluice: AWS Lambda's Kafka event source mapping as an embeddable library.
//!
//! An [`Engine`] joins a consumer group, fetches a topic, filters records,
//! cuts per-partition batches, encodes each batch as the Lambda MSK event JSON
//! and hands it to you; offsets are committed only after you acknowledge a
//! batch (at-least-once). Pull batches on your threads ([`Engine::poll`],
//! [`Engine::batches`]) or let sluice call a handler ([`Engine::with_handler`]).
//!
//! ```no_run
//! use std::time::Duration;
//! let engine = sluice::Engine::new(&[
//!     ("bootstrap.servers", "127.0.0.1:9092"),
//!     ("topic", "orders"),
//!     ("group.id", "billing"),
//!     ("starting.position", "trim_horizon"),
//! ])?;
//! for batch in engine.batches(Duration::from_millis(500)) {
//!     let batch = batch?;
//!     for r in batch.records()? {
//!         println!("{}@{}: {:?}", r.partition(), r.offset(), r.value());
//!     }
//!     batch.ack()?; // commit after the work is done
//! }
//! # Ok::<(), sluice::Error>(())
//! ```
//!
//! Threading: [`Engine`] is `Send + Sync` (poll, stop and stats may run on any
//! thread at once); a [`Batch`] is `Send + Sync` and may be acked on another
//! thread; [`Config`], [`Filter`] and the testing types are `Send` only.
//! Every `unsafe impl` names the sluice.h statement it rests on.
//!
//! Errors: every fallible call returns [`Result`] with an [`Error`] carrying
//! the C error's [`ErrorCode`], message, and the configuration key, pattern
//! offset and path when there are ones.
#![warn(missing_docs)]

mod batch;
mod config;
mod engine;
mod error;
mod filter;
#[cfg(feature = "mock")]
pub mod testing;

pub use batch::{
    Batch, BatchRef, Header, Headers, Record, Records, TimestampType, FLAG_OVERSIZED, FLAG_RETRY,
};
pub use config::{Config, Setting};
pub use engine::{version, version_number, Batches, Engine};
pub use error::{Error, ErrorCode, Result};
pub use filter::Filter;

/// The raw declarations this crate is built on.
pub use sluice_sys as sys;
