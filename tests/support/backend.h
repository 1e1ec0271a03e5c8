// backend.h: where an engine test's broker comes from. The same behaviour
// tests (engine_suite.h) run against librdkafka's mock cluster (label mock)
// and against the real Kafka broker (label kafka).
#pragma once

#include <string>

#include "support/capi_helpers.h"
#include "support/test_support.h"

namespace sluice::testing {

struct MockBackend {
  static constexpr const char* kName = "mock";
  sluice_mock_cluster_t* cluster = nullptr;
  void set_up() {
    SLUICE_ASSERT_OK(sluice_mock_cluster_new(1, &cluster));
  }
  void tear_down() { sluice_mock_cluster_destroy(cluster); }
  std::string bootstrap() const { return sluice_mock_cluster_bootstraps(cluster); }
  void create_topic(const std::string& topic, int32_t partitions) {
    SLUICE_ASSERT_OK(sluice_mock_topic_create(cluster, topic.c_str(), partitions));
  }
};

struct KafkaBackend {
  static constexpr const char* kName = "kafka";
  std::string addr;
  void set_up() {
    addr = kafka_bootstrap();
    ASSERT_FALSE(addr.empty())
        << "No Kafka broker for a 'kafka'-labelled test: run through ctest (its fixture "
           "starts one with scripts/kafka up) or set SLUICE_TEST_BOOTSTRAP=host:port.";
  }
  void tear_down() {}
  std::string bootstrap() const { return addr; }
  void create_topic(const std::string& topic, int32_t partitions) {
    SLUICE_ASSERT_OK(sluice_topic_create(addr.c_str(), topic.c_str(), partitions, 30000));
  }
};

}  // namespace sluice::testing
