// The configuration table: validation at set time, defaults, cross-key checks,
// and docs/CONFIGURATION.md generated from it.
#include "core/config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sluice::config {
namespace {

TEST(Config, DefaultsMatchLambda) {
  Config c;
  EXPECT_EQ(c.get_int("batch.size"), 100);
  EXPECT_EQ(c.get_int("batch.window.ms"), 500);
  EXPECT_EQ(c.get_int("batch.max.bytes"), 6291456);
  EXPECT_EQ(c.get_string("starting.position"), "latest");
  EXPECT_EQ(c.get_string("event.source"), "SelfManagedKafka");
}

TEST(Config, RangesAreEnforcedAtTheBoundaries) {
  Config c;
  EXPECT_TRUE(c.set("batch.size", "1").ok());
  EXPECT_TRUE(c.set("batch.size", "10000").ok());
  EXPECT_FALSE(c.set("batch.size", "0").ok());
  EXPECT_FALSE(c.set("batch.size", "10001").ok());
  EXPECT_FALSE(c.set("batch.size", "-5").ok());
  EXPECT_FALSE(c.set("batch.size", "5x").ok());
  EXPECT_FALSE(c.set("batch.size", "").ok());
  EXPECT_TRUE(c.set("batch.window.ms", "300000").ok());
  EXPECT_FALSE(c.set("batch.window.ms", "300001").ok());
  EXPECT_EQ(c.get_int("batch.size"), 10000) << "a rejected value keeps the previous one";
}

TEST(Config, ErrorsNameKeyAndAllowedValues) {
  Config c;
  Status st = c.set("event.source", "msk");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, SLUICE_ERR_INVALID_VALUE);
  EXPECT_EQ(st.error().key, "event.source");
  EXPECT_NE(st.error().message.find("aws:kafka"), std::string::npos);
  EXPECT_NE(st.error().message.find("SelfManagedKafka"), std::string::npos);
  st = c.set("nope", "1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, SLUICE_ERR_UNKNOWN_KEY);
  EXPECT_EQ(st.error().key, "nope");
}

TEST(Config, TopicNamesFollowKafkaRules) {
  Config c;
  EXPECT_TRUE(c.set("topic", "orders.v2_eu-west").ok());
  Status st = c.set("topic", "bad topic");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().key, "topic");
  EXPECT_FALSE(c.set("topic", "").ok());
  EXPECT_FALSE(c.set("group.id", std::string(201, 'g')).ok());
}

TEST(Config, KafkaPassThroughKeepsOrderAndLastValue) {
  Config c;
  ASSERT_TRUE(c.set("kafka.fetch.wait.max.ms", "50").ok());
  ASSERT_TRUE(c.set("kafka.client.rack", "a").ok());
  ASSERT_TRUE(c.set("kafka.fetch.wait.max.ms", "60").ok());
  ASSERT_EQ(c.kafka().size(), 2u);
  EXPECT_EQ(c.kafka()[0], (std::pair<std::string, std::string>{"fetch.wait.max.ms", "60"}));
  std::string v;
  ASSERT_TRUE(c.get("kafka.client.rack", &v).ok());
  EXPECT_EQ(v, "a");
  EXPECT_FALSE(c.set("kafka.fetch.wait.max.ms", "-7").ok());
}

TEST(Config, CrossKeyChecksWhenAnEngineIsMade) {
  Config c;
  ASSERT_TRUE(c.set("bootstrap.servers", "127.0.0.1:9092").ok());
  ASSERT_TRUE(c.set("topic", "t").ok());
  Status st = c.validate_for_engine();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().key, "group.id");
  ASSERT_TRUE(c.set("group.id", "g").ok());
  EXPECT_TRUE(c.validate_for_engine().ok());
  ASSERT_TRUE(c.set("starting.position", "at_timestamp").ok());
  EXPECT_EQ(c.validate_for_engine().error().key, "starting.position.timestamp");
  ASSERT_TRUE(c.set("starting.position.timestamp", "1700000000000").ok());
  EXPECT_TRUE(c.validate_for_engine().ok());
  ASSERT_TRUE(c.set("retry.backoff.ms", "500").ok());
  ASSERT_TRUE(c.set("retry.backoff.max.ms", "100").ok());
  EXPECT_EQ(c.validate_for_engine().error().key, "retry.backoff.max.ms");
}

// docs/CONFIGURATION.md is generated from the table. To refresh it:
//   SLUICE_UPDATE_DOCS=1 build/bin/sluice_unit_tests --gtest_filter=Config.DocsAreCurrent
TEST(Config, DocsAreCurrent) {
  const std::string path = std::string(SLUICE_SOURCE_DIR) + "/docs/CONFIGURATION.md";
  const std::string want = markdown();
  if (const char* u = std::getenv("SLUICE_UPDATE_DOCS"); u && std::string(u) == "1") {
    std::ofstream(path) << want;
  }
  std::ifstream in(path);
  std::stringstream have;
  have << in.rdbuf();
  EXPECT_EQ(have.str(), want) << "docs/CONFIGURATION.md is stale; regenerate it with "
                                 "SLUICE_UPDATE_DOCS=1 build/bin/sluice_unit_tests "
                                 "--gtest_filter=Config.DocsAreCurrent";
  for (const auto& k : keys()) EXPECT_NE(want.find("`" + std::string(k.name) + "`"), std::string::npos);
}

}  // namespace
}  // namespace sluice::config
