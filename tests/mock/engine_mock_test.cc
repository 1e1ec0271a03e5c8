// The engine's behaviour suite on librdkafka's mock cluster.
#include "support/engine_suite.h"

namespace sluice::testing {
using MockBackends = ::testing::Types<MockBackend>;
INSTANTIATE_TYPED_TEST_SUITE_P(Mock, EngineSuite, MockBackends);
// Real-broker only (see EngineScaleOut in engine_suite.h).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EngineScaleOut);
}  // namespace sluice::testing
