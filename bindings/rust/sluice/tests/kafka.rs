//! The engine's behaviour against the real Kafka broker of
//! SLUICE_TEST_BOOTSTRAP (scripts/test starts one). Without it these tests
//! FAIL with a message saying so: they are never skipped.
mod common;

use common::*;

#[test]
fn kafka_consume_known_records() {
    consume_known_records(&Backend::kafka());
}

#[test]
fn kafka_ack_restart_no_redelivery() {
    ack_restart_no_redelivery(&Backend::kafka());
}

#[test]
fn kafka_fail_redelivers_same_batch() {
    fail_redelivers_same_batch(&Backend::kafka());
}

#[test]
fn kafka_push_panic_comes_back() {
    push_panic_comes_back(&Backend::kafka());
}
