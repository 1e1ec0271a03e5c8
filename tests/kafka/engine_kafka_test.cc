// The engine's behaviour suite on the real Kafka broker.
#include "support/engine_suite.h"

namespace sluice::testing {
using KafkaBackends = ::testing::Types<KafkaBackend>;
INSTANTIATE_TYPED_TEST_SUITE_P(Kafka, EngineSuite, KafkaBackends);
INSTANTIATE_TYPED_TEST_SUITE_P(Kafka, EngineScaleOut, KafkaBackends);
}  // namespace sluice::testing
