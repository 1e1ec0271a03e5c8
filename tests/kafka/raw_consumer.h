// A plain librdkafka consumer, no sluice engine: for kafka tests that check
// what the broker itself hands out.
#pragma once

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <string>

namespace sluice::testing {

// A consumer in `group`, assigned partitions 0..partitions-1 of topic from
// the beginning. Fails the test and returns nullptr if it cannot be made.
inline rd_kafka_t* raw_consumer_from_start(const std::string& bootstrap, const std::string& group,
                                           const std::string& topic, int32_t partitions) {
  char err[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", group.c_str(), err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) {
    ADD_FAILURE() << err;
    return nullptr;
  }
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
  for (int32_t p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(parts, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  const rd_kafka_resp_err_t e = rd_kafka_assign(rk, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ADD_FAILURE() << "assign: " << rd_kafka_err2str(e);
    rd_kafka_destroy(rk);
    return nullptr;
  }
  return rk;
}

}  // namespace sluice::testing
