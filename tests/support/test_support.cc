#include "support/test_support.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>

namespace sluice::testing {

std::string kafka_bootstrap() {
  if (const char* env = std::getenv("SLUICE_TEST_BOOTSTRAP"); env && *env) return env;
  std::ifstream in(std::string(SLUICE_BINARY_DIR) + "/kafka/bootstrap");
  std::string addr;
  if (in) std::getline(in, addr);
  return addr;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
         std::to_string(now % 1000000007);
}

void KafkaTest::SetUp() {
  bootstrap_ = kafka_bootstrap();
  ASSERT_FALSE(bootstrap_.empty())
      << "No Kafka broker for a 'kafka'-labelled test. Run the suite through ctest (its "
         "fixture starts one with scripts/kafka up), or start one by hand "
         "(SLUICE_KAFKA_DIR=" SLUICE_BINARY_DIR "/kafka scripts/kafka up) or set "
         "SLUICE_TEST_BOOTSTRAP=host:port.";
}

}  // namespace sluice::testing
