// The engine's behaviour suite on librdkafka's mock cluster.
#include "support/engine_suite.h"

namespace sluice::testing {
using MockBackends = ::testing::Types<MockBackend>;
INSTANTIATE_TYPED_TEST_SUITE_P(Mock, EngineSuite, MockBackends);
}  // namespace sluice::testing
