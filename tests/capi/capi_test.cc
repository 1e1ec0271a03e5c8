// The C ABI as a host sees it: versions, errors, config validation at set
// time, and misuse (NULL, wrong mode, double completion) answered with errors.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "support/capi_helpers.h"

extern "C" int sluice_header_check_c(void);
extern "C" int sluice_header_check_cxx(void);

namespace sluice::testing {
namespace {

TEST(CApi, HeadersCompileAsCAndCxx) {
  // Both objects were compiled with -pedantic -Werror; calling them proves they linked.
  EXPECT_EQ(sluice_header_check_c(), sluice_header_check_cxx());
}

TEST(CApi, Version) {
  EXPECT_EQ(sluice_version_number(), static_cast<uint32_t>(SLUICE_VERSION_NUMBER));
  std::string v = sluice_version_string();
  EXPECT_EQ(v, std::to_string(SLUICE_VERSION_MAJOR) + "." + std::to_string(SLUICE_VERSION_MINOR) +
                   "." + std::to_string(SLUICE_VERSION_PATCH));
}

TEST(CApi, ErrorAccessorsToleratesNull) {
  EXPECT_EQ(sluice_error_code(nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(sluice_error_message(nullptr), "");
  EXPECT_STREQ(sluice_error_key(nullptr), "");
  EXPECT_STREQ(sluice_error_path(nullptr), "");
  EXPECT_EQ(sluice_error_offset(nullptr), -1);
  EXPECT_EQ(sluice_error_retriable(nullptr), 0);
  EXPECT_STREQ(sluice_code_name(SLUICE_ERR_REVOKED), "SLUICE_ERR_REVOKED");
  EXPECT_STREQ(sluice_code_name(9999), "SLUICE_ERR_UNKNOWN");
  sluice_error_destroy(nullptr);
  sluice_free(nullptr);
}

TEST(CApi, DestroyAcceptsNull) {
  sluice_conf_destroy(nullptr);
  sluice_engine_destroy(nullptr);
  sluice_batch_destroy(nullptr);
  sluice_mock_cluster_destroy(nullptr);
  sluice_producer_destroy(nullptr);
}

TEST(CApi, UnknownKeyNamesTheKey) {
  ConfPtr conf = make_conf({});
  sluice_error_t* e = sluice_conf_set(conf.get(), "batch.sise", "10");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(sluice_error_code(e), SLUICE_ERR_UNKNOWN_KEY);
  EXPECT_STREQ(sluice_error_key(e), "batch.sise");
  EXPECT_NE(std::strstr(sluice_error_message(e), "batch.sise"), nullptr);
  sluice_error_destroy(e);
}

TEST(CApi, BadValuesNameKeyAndRange) {
  ConfPtr conf = make_conf({});
  sluice_error_t* e = sluice_conf_set(conf.get(), "batch.size", "10001");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(sluice_error_code(e), SLUICE_ERR_INVALID_VALUE);
  EXPECT_STREQ(sluice_error_key(e), "batch.size");
  EXPECT_NE(std::strstr(sluice_error_message(e), "1..10000"), nullptr) << sluice_error_message(e);
  sluice_error_destroy(e);

  e = sluice_conf_set(conf.get(), "starting.position", "earliest");
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(sluice_error_key(e), "starting.position");
  EXPECT_NE(std::strstr(sluice_error_message(e), "trim_horizon"), nullptr) << sluice_error_message(e);
  sluice_error_destroy(e);

  // The previous value is kept after a rejected set.
  SLUICE_ASSERT_OK(sluice_conf_set(conf.get(), "batch.size", "7"));
  expect_error(sluice_conf_set(conf.get(), "batch.size", "abc"), SLUICE_ERR_INVALID_VALUE);
  char* v = nullptr;
  SLUICE_ASSERT_OK(sluice_conf_get(conf.get(), "batch.size", &v));
  EXPECT_STREQ(v, "7");
  sluice_free(v);
}

TEST(CApi, KafkaPassThroughValidatedByLibrdkafka) {
  ConfPtr conf = make_conf({});
  SLUICE_ASSERT_OK(sluice_conf_set(conf.get(), "kafka.security.protocol", "plaintext"));
  sluice_error_t* e = sluice_conf_set(conf.get(), "kafka.security.protocol", "pigeon");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(sluice_error_code(e), SLUICE_ERR_INVALID_VALUE);
  EXPECT_STREQ(sluice_error_key(e), "kafka.security.protocol");
  sluice_error_destroy(e);
  expect_error(sluice_conf_set(conf.get(), "kafka.no.such.thing", "1"), SLUICE_ERR_UNKNOWN_KEY);
  // Keys sluice manages itself are refused, pointing to the right key.
  std::string m = expect_error(sluice_conf_set(conf.get(), "kafka.enable.auto.commit", "true"),
                               SLUICE_ERR_INVALID_VALUE);
  EXPECT_NE(m.find("sluice"), std::string::npos) << m;
  m = expect_error(sluice_conf_set(conf.get(), "kafka.auto.offset.reset", "earliest"),
                   SLUICE_ERR_INVALID_VALUE);
  EXPECT_NE(m.find("starting.position"), std::string::npos) << m;
}

TEST(CApi, EngineNeedsRequiredKeys) {
  ConfPtr conf = make_conf({{"topic", "t"}, {"group.id", "g"}});
  sluice_engine_t* e = reinterpret_cast<sluice_engine_t*>(0x1);
  sluice_error_t* err = sluice_engine_new(conf.get(), &e);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(sluice_error_code(err), SLUICE_ERR_INVALID_VALUE);
  EXPECT_STREQ(sluice_error_key(err), "bootstrap.servers");
  EXPECT_EQ(e, reinterpret_cast<sluice_engine_t*>(0x1)) << "outputs untouched on failure";
  sluice_error_destroy(err);

  ConfPtr aws = make_conf({{"bootstrap.servers", "127.0.0.1:1"}, {"topic", "t"},
                           {"group.id", "g"}, {"event.source", "aws:kafka"}});
  err = sluice_engine_new(aws.get(), &e);
  ASSERT_NE(err, nullptr);
  EXPECT_STREQ(sluice_error_key(err), "event.source.arn");
  sluice_error_destroy(err);
}

TEST(CApi, NullArgumentsAreErrors) {
  expect_error(sluice_conf_new(nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_conf_set(nullptr, "topic", "t"), SLUICE_ERR_INVALID_ARGUMENT);
  ConfPtr conf = make_conf({});
  expect_error(sluice_conf_set(conf.get(), nullptr, "t"), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_conf_set(conf.get(), "topic", nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_conf_get(conf.get(), "topic", nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_conf_set_handler(nullptr, nullptr, nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  sluice_engine_t* e = nullptr;
  expect_error(sluice_engine_new(nullptr, &e), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_engine_new(conf.get(), nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  sluice_batch_t* b = nullptr;
  expect_error(sluice_engine_poll(nullptr, 0, &b), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_engine_stop(nullptr, 0), SLUICE_ERR_INVALID_ARGUMENT);
  int32_t fd;
  expect_error(sluice_engine_wakeup_fd(nullptr, &fd), SLUICE_ERR_INVALID_ARGUMENT);
  char* s;
  uint64_t len;
  expect_error(sluice_engine_stats(nullptr, &s, &len), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_batch_ack(nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_batch_fail(nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  const uint8_t* d;
  expect_error(sluice_batch_event(nullptr, &d, &len), SLUICE_ERR_INVALID_ARGUMENT);
  const sluice_record_t* r;
  expect_error(sluice_batch_records(nullptr, &r, &len), SLUICE_ERR_INVALID_ARGUMENT);
  const sluice_header_t* h;
  expect_error(sluice_batch_headers(nullptr, &h, &len), SLUICE_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(sluice_batch_topic(nullptr), "");
  EXPECT_EQ(sluice_batch_partition(nullptr), -1);
  EXPECT_EQ(sluice_batch_flags(nullptr), 0u);
  sluice_filter_t* f;
  expect_error(sluice_filter_new(nullptr, 0, &f), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_mock_cluster_new(0, nullptr), SLUICE_ERR_INVALID_ARGUMENT);
  expect_error(sluice_producer_new(nullptr, nullptr), SLUICE_ERR_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace sluice::testing
