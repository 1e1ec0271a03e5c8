// Replays the language-neutral vectors (tests/vectors/) through the C ABI: the
// same files the Python, Go and Rust suites replay.
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "support/capi_helpers.h"
#include "support/test_support.h"

namespace sluice::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> b64decode(simdjson::dom::element e) {
  if (e.is_null()) return std::nullopt;
  std::string_view s = e.get_string().value();
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    acc = (acc << 6) | static_cast<uint32_t>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

TEST(Vectors, EventsMatchByteForByte) {
  simdjson::dom::parser parser;
  std::string text = read_file(std::string(SLUICE_SOURCE_DIR) + "/tests/vectors/events.json");
  simdjson::dom::element doc = parser.parse(text).value();
  int cases = 0;
  for (simdjson::dom::element c : doc["cases"].get_array()) {
    std::string name(c["name"].get_string().value());
    SCOPED_TRACE(name);
    std::string topic(c["topic"].get_string().value());
    sluice_mock_cluster_t* mc = nullptr;
    SLUICE_ASSERT_OK(sluice_mock_cluster_new(1, &mc));
    SLUICE_ASSERT_OK(sluice_mock_topic_create(mc, topic.c_str(), 1));
    std::string bs = sluice_mock_cluster_bootstraps(mc);
    sluice_producer_t* p = nullptr;
    SLUICE_ASSERT_OK(sluice_producer_new(bs.c_str(), &p));
    size_t n = 0;
    for (simdjson::dom::element r : c["records"].get_array()) {
      auto key = b64decode(r["key_b64"].value());
      auto value = b64decode(r["value_b64"].value());
      std::vector<std::string> names;
      std::vector<std::optional<std::string>> vals;
      for (simdjson::dom::element h : r["headers"].get_array()) {
        names.emplace_back(h.at(0).get_string().value());
        vals.push_back(b64decode(h.at(1).value()));
      }
      std::vector<sluice_header_t> hs;
      for (size_t i = 0; i < names.size(); ++i)
        hs.push_back(sluice_header_t{names[i].data(),
                                     vals[i] ? reinterpret_cast<const uint8_t*>(vals[i]->data()) : nullptr,
                                     static_cast<uint32_t>(names[i].size()),
                                     vals[i] ? static_cast<uint32_t>(vals[i]->size()) : 0});
      SLUICE_ASSERT_OK(sluice_producer_send(
          p, topic.c_str(), 0, key ? reinterpret_cast<const uint8_t*>(key->data()) : nullptr,
          key ? static_cast<uint32_t>(key->size()) : 0,
          value ? reinterpret_cast<const uint8_t*>(value->data()) : nullptr,
          value ? static_cast<uint32_t>(value->size()) : 0, hs.data(),
          static_cast<uint32_t>(hs.size()), r["timestamp"].get_int64().value()));
      ++n;
    }
    SLUICE_ASSERT_OK(sluice_producer_flush(p, 10000));
    sluice_producer_destroy(p);

    std::map<std::string, std::string> s = {
        {"bootstrap.servers", bs},
        {"topic", topic},
        {"group.id", "vectors"},
        {"starting.position", "trim_horizon"},
        {"batch.window.ms", "2000"},
        {"event.source", std::string(c["event_source"].get_string().value())},
        {"event.bootstrap.servers", std::string(c["bootstrap_servers"].get_string().value())}};
    if (auto arn = c["arn"]; !arn.error()) s["event.source.arn"] = std::string(arn.get_string().value());
    {
      ConfPtr conf = make_conf(s);
      sluice_engine_t* raw = nullptr;
      SLUICE_ASSERT_OK(sluice_engine_new(conf.get(), &raw));
      EnginePtr e(raw);
      auto seen = pull_until(e.get(), n, 30000, {}, true);
      ASSERT_EQ(seen.size(), 1u) << "all records of a vector fit one batch";
      EXPECT_EQ(seen[0].event, std::string(c["expected_event"].get_string().value()));
      SLUICE_ASSERT_OK(sluice_engine_stop(e.get(), 5000));
    }
    sluice_mock_cluster_destroy(mc);
    ++cases;
  }
  EXPECT_GE(cases, 4);
}

TEST(Vectors, ConfigErrors) {
  simdjson::dom::parser parser;
  std::string text = read_file(std::string(SLUICE_SOURCE_DIR) + "/tests/vectors/config_errors.json");
  simdjson::dom::element doc = parser.parse(text).value();
  for (simdjson::dom::element c : doc["cases"].get_array()) {
    std::string key(c["key"].get_string().value()), value(c["value"].get_string().value());
    SCOPED_TRACE(key + "=" + value);
    ConfPtr conf = make_conf({});
    ErrorPtr err(sluice_conf_set(conf.get(), key.c_str(), value.c_str()));
    ASSERT_NE(err, nullptr);
    EXPECT_STREQ(sluice_code_name(sluice_error_code(err.get())), std::string(c["code"].get_string().value()).c_str());
    EXPECT_STREQ(sluice_error_key(err.get()), std::string(c["error_key"].get_string().value()).c_str());
    EXPECT_NE(std::string(sluice_error_message(err.get())).find(c["message_contains"].get_string().value()),
              std::string::npos) << sluice_error_message(err.get());
  }
}

}  // namespace
}  // namespace sluice::testing
