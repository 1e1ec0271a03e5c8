// test_support.h: what the mock and kafka tests share: where the real broker
// is, unique topic/group names (tests run in parallel), and a fixture that
// fails, never skips, when no broker is there.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace sluice::testing {

// The real broker's bootstrap address: $SLUICE_TEST_BOOTSTRAP, else the one
// `scripts/kafka up` wrote for this build tree (<build>/kafka/bootstrap).
// Empty when neither exists.
std::string kafka_bootstrap();

// A name no other test (or earlier run) uses: prefix + pid + counter + time.
std::string unique_name(const std::string& prefix);

// Base fixture for tests against the real broker: SetUp fails the test with a
// clear message when there is no broker.
class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override;
  std::string bootstrap_;
};

}  // namespace sluice::testing
