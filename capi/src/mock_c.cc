// The C shim for the unstable test support (sluice_mock.h): librdkafka's mock
// cluster, topic creation and a producer. Test tooling, not the engine, so the
// little logic it needs lives here rather than in core/.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <string>
#include <vector>

#include "capi/src/error_c.h"
#include "sluice_mock.h"

using sluice::make_error;
using sluice::capi::guard;
using sluice::capi::invalid_argument;
using sluice::capi::to_c_error;

struct sluice_mock_cluster {
  rd_kafka_t* rk = nullptr;  // the handle the mock cluster hangs off
  rd_kafka_mock_cluster_t* mc = nullptr;
  std::string bootstraps;
};

struct sluice_producer {
  rd_kafka_t* rk = nullptr;
  std::atomic<int> failed{0};
  std::string last_error;  // written on the producer's poll (caller's thread)
};

namespace {

sluice_error_t* kafka_error(const std::string& what, rd_kafka_resp_err_t err) {
  return to_c_error(make_error(SLUICE_ERR_KAFKA, what + ": " + rd_kafka_err2str(err)));
}

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (!m->err) return;
  auto* p = static_cast<sluice_producer*>(opaque);
  p->failed++;
  p->last_error = rd_kafka_err2str(m->err);
}

}  // namespace

extern "C" {

SLUICE_API sluice_error_t* sluice_mock_cluster_new(int32_t brokers, sluice_mock_cluster_t** out) {
  return guard([&]() -> sluice_error_t* {
    if (!out || brokers < 1 || brokers > 16)
      return invalid_argument("sluice_mock_cluster_new: brokers must be 1..16 and out non-NULL");
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
      rd_kafka_conf_destroy(conf);
      return to_c_error(make_error(SLUICE_ERR_KAFKA, std::string("mock cluster: ") + err));
    }
    rd_kafka_mock_cluster_t* mc = rd_kafka_mock_cluster_new(rk, brokers);
    if (!mc) {
      rd_kafka_destroy(rk);
      return to_c_error(make_error(SLUICE_ERR_KAFKA, "mock cluster: could not start"));
    }
    *out = new sluice_mock_cluster{rk, mc, rd_kafka_mock_cluster_bootstraps(mc)};
    return nullptr;
  });
}

SLUICE_API void sluice_mock_cluster_destroy(sluice_mock_cluster_t* c) {
  if (!c) return;
  (void)guard([&]() -> sluice_error_t* {
    rd_kafka_mock_cluster_destroy(c->mc);
    rd_kafka_destroy(c->rk);
    delete c;
    return nullptr;
  });
}

SLUICE_API const char* sluice_mock_cluster_bootstraps(const sluice_mock_cluster_t* c) {
  return c ? c->bootstraps.c_str() : "";
}

SLUICE_API sluice_error_t* sluice_mock_topic_create(sluice_mock_cluster_t* c, const char* topic,
                                                    int32_t partitions) {
  return guard([&]() -> sluice_error_t* {
    if (!c || !topic || partitions < 1 || partitions > 1000)
      return invalid_argument("sluice_mock_topic_create: NULL argument or partitions not 1..1000");
    if (auto e = rd_kafka_mock_topic_create(c->mc, topic, partitions, 1))
      return kafka_error("mock topic create", e);
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_mock_push_request_errors(sluice_mock_cluster_t* c,
                                                           int16_t api_key, int32_t count,
                                                           int32_t error_code) {
  return guard([&]() -> sluice_error_t* {
    if (!c || count < 0) return invalid_argument("sluice_mock_push_request_errors: bad argument");
    std::vector<rd_kafka_resp_err_t> errs(count, static_cast<rd_kafka_resp_err_t>(error_code));
    rd_kafka_mock_push_request_errors_array(c->mc, api_key, errs.size(), errs.data());
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_mock_broker_set_up(sluice_mock_cluster_t* c, int32_t broker_id,
                                                     int32_t up) {
  return guard([&]() -> sluice_error_t* {
    if (!c) return invalid_argument("sluice_mock_broker_set_up: cluster is NULL");
    rd_kafka_resp_err_t e = up ? rd_kafka_mock_broker_set_up(c->mc, broker_id)
                               : rd_kafka_mock_broker_set_down(c->mc, broker_id);
    if (e) return kafka_error("mock broker set up/down", e);
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_topic_create(const char* bootstrap, const char* topic,
                                               int32_t partitions, int32_t timeout_ms) {
  return guard([&]() -> sluice_error_t* {
    if (!bootstrap || !topic || partitions < 1)
      return invalid_argument("sluice_topic_create: NULL argument or partitions < 1");
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof err);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
      rd_kafka_conf_destroy(conf);
      return to_c_error(make_error(SLUICE_ERR_KAFKA, std::string("admin client: ") + err));
    }
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic, partitions, 1, err, sizeof err);
    rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t* opt = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(opt, timeout_ms, err, sizeof err);
    rd_kafka_AdminOptions_set_request_timeout(opt, timeout_ms, err, sizeof err);
    rd_kafka_CreateTopics(rk, &nt, 1, opt, q);
    rd_kafka_event_t* ev = rd_kafka_queue_poll(q, timeout_ms + 1000);
    sluice_error_t* result = nullptr;
    if (!ev) {
      result = to_c_error(make_error(SLUICE_ERR_TIMEOUT, "create topic: no answer in time"));
    } else if (rd_kafka_event_error(ev)) {
      result = kafka_error("create topic", rd_kafka_event_error(ev));
    } else {
      size_t n = 0;
      const rd_kafka_topic_result_t** res =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
      for (size_t i = 0; i < n; ++i) {
        rd_kafka_resp_err_t e = rd_kafka_topic_result_error(res[i]);
        if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
          result = to_c_error(make_error(
              SLUICE_ERR_KAFKA, std::string("create topic: ") +
                                    (rd_kafka_topic_result_error_string(res[i])
                                         ? rd_kafka_topic_result_error_string(res[i])
                                         : rd_kafka_err2str(e))));
      }
    }
    if (ev) rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opt);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return result;
  });
}

SLUICE_API sluice_error_t* sluice_producer_new(const char* bootstrap, sluice_producer_t** out) {
  return guard([&]() -> sluice_error_t* {
    if (!bootstrap || !out) return invalid_argument("sluice_producer_new: NULL argument");
    auto* p = new sluice_producer;
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    const char* settings[][2] = {{"bootstrap.servers", bootstrap},
                                 {"acks", "all"},
                                 {"enable.idempotence", "false"},
                                 {"linger.ms", "5"},
                                 {"queue.buffering.max.messages", "1000000"},
                                 {"queue.buffering.max.kbytes", "1048576"},
                                 {"message.max.bytes", "16777216"}};
    for (auto& kv : settings)
      if (rd_kafka_conf_set(conf, kv[0], kv[1], err, sizeof err) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        delete p;
        return to_c_error(make_error(SLUICE_ERR_INVALID_VALUE, std::string("producer: ") + err));
      }
    rd_kafka_conf_set_opaque(conf, p);
    rd_kafka_conf_set_dr_msg_cb(conf, &on_delivery);
    p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!p->rk) {
      rd_kafka_conf_destroy(conf);
      delete p;
      return to_c_error(make_error(SLUICE_ERR_KAFKA, std::string("producer: ") + err));
    }
    *out = p;
    return nullptr;
  });
}

SLUICE_API void sluice_producer_destroy(sluice_producer_t* p) {
  if (!p) return;
  (void)guard([&]() -> sluice_error_t* {
    rd_kafka_flush(p->rk, 10000);
    rd_kafka_destroy(p->rk);
    delete p;
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_producer_send(sluice_producer_t* p, const char* topic,
                                                int32_t partition, const uint8_t* key,
                                                uint32_t key_len, const uint8_t* value,
                                                uint32_t value_len,
                                                const sluice_header_t* headers,
                                                uint32_t header_count, int64_t timestamp_ms) {
  return guard([&]() -> sluice_error_t* {
    if (!p || !topic || (header_count && !headers))
      return invalid_argument("sluice_producer_send: NULL argument");
    rd_kafka_headers_t* hdrs = nullptr;
    if (header_count) {
      hdrs = rd_kafka_headers_new(header_count);
      for (uint32_t i = 0; i < header_count; ++i)
        rd_kafka_header_add(hdrs, headers[i].name, headers[i].name_len, headers[i].value,
                            headers[i].value ? static_cast<ssize_t>(headers[i].value_len) : 0);
    }
    for (;;) {
      rd_kafka_resp_err_t e = rd_kafka_producev(
          p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(const_cast<uint8_t*>(key), key ? key_len : 0),
          RD_KAFKA_V_VALUE(const_cast<uint8_t*>(value), value ? value_len : 0),
          RD_KAFKA_V_TIMESTAMP(timestamp_ms), RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(p->rk, 10);  // the local queue drains as the broker acks
        continue;
      }
      if (e) {
        if (hdrs) rd_kafka_headers_destroy(hdrs);
        return kafka_error("produce", e);
      }
      break;  // headers now owned by the message
    }
    rd_kafka_poll(p->rk, 0);
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_producer_flush(sluice_producer_t* p, int32_t timeout_ms) {
  return guard([&]() -> sluice_error_t* {
    if (!p) return invalid_argument("sluice_producer_flush: producer is NULL");
    rd_kafka_resp_err_t e = rd_kafka_flush(p->rk, timeout_ms);
    if (e == RD_KAFKA_RESP_ERR__TIMED_OUT)
      return to_c_error(make_error(SLUICE_ERR_TIMEOUT, "flush: records still unacknowledged"));
    if (p->failed.exchange(0))
      return to_c_error(make_error(SLUICE_ERR_KAFKA, "produce failed: " + p->last_error));
    return nullptr;
  });
}

}  // extern "C"
