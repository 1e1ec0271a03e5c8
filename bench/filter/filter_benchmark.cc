// filter_benchmark.cc: sluice_filter_benchmark, a plain timed loop (one
// thread, one core) over the same inputs the event-ruler program reads
// (bench/filter/data/, from gen_bench_data.py).
//
//   sluice_filter_benchmark [--data DIR] [--seconds S] [--only 200B/5] [--rounds R]
//   sluice_filter_benchmark --verdicts PAIRS.jsonl
//
// For 1, 5 and 10 patterns on ~200 B and ~1 KB documents it prints docs/s
// and how many of the 1000 documents matched (to check both engines agree).
// --only runs one configuration (docs 200B or 1KB, patterns 1, 5 or 10);
// --rounds R makes exactly R passes over the documents instead of timing S
// seconds (for instruction counts: valgrind --tool=callgrind ... --rounds 20).
// --verdicts prints sluice's answer for each (patterns, record) pair of
// tests/filter/gen_pairs.py: true, false or "error <message>".
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <simdjson.h>

#include "core/filter/filter.h"
#include "core/filter/matcher.h"

#ifndef SLUICE_FILTER_BENCH_DATA
#define SLUICE_FILTER_BENCH_DATA "bench/filter/data"
#endif

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    if (nl > at) out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

bool unbase64(std::string_view in, std::string* out) {
  static const std::string_view abc =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const size_t v = abc.find(c);
    if (v == std::string_view::npos) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

int verdicts(const std::string& file) {
  simdjson::dom::parser parser;
  std::string value, key;
  for (const std::string& line : lines(slurp(file))) {
    simdjson::dom::element c;
    if (parser.parse(line).get(c)) {
      std::printf("error bad input line\n");
      continue;
    }
    const std::string patterns = simdjson::minify(c["p"]);
    std::shared_ptr<const sluice::filter::Filter> f;
    if (auto st = sluice::filter::compile(patterns, &f); !st.ok()) {
      std::printf("error %s\n", st.error().message.c_str());
      continue;
    }
    sluice::filter::Matcher m(f);
    std::string_view v64, k64;
    const bool vnull = c["v"].get_string().get(v64) != simdjson::SUCCESS;
    const bool knull = c["k"].get_string().get(k64) != simdjson::SUCCESS;
    if (!vnull) unbase64(v64, &value);
    if (!knull) unbase64(k64, &key);
    const bool r = m.match(reinterpret_cast<const uint8_t*>(key.data()), knull ? 0 : key.size(),
                           knull, reinterpret_cast<const uint8_t*>(value.data()),
                           vnull ? 0 : value.size(), vnull);
    std::printf("%s\n", r ? "true" : "false");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = SLUICE_FILTER_BENCH_DATA;
  double seconds = 2.0;
  std::string only;
  long rounds = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--data") && i + 1 < argc) {
      dir = argv[++i];
    } else if (!std::strcmp(argv[i], "--verdicts") && i + 1 < argc) {
      return verdicts(argv[i + 1]);
    } else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
      only = argv[++i];
    } else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = std::atol(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: sluice_filter_benchmark [--data DIR] [--seconds S] [--only 200B/5] "
                   "[--rounds R] | --verdicts PAIRS.jsonl\n");
      return 2;
    }
  }
  std::printf("%-8s %-9s %8s %14s %10s %8s\n", "engine", "docs", "patterns", "docs/s", "MB/s",
              "matched");
  for (const char* docs_name : {"docs_200.jsonl", "docs_1k.jsonl"}) {
    const std::vector<std::string> docs = lines(slurp(dir + "/" + docs_name));
    size_t bytes = 0;
    for (const auto& d : docs) bytes += d.size();
    const char* label = docs_name[5] == '2' ? "200B" : "1KB";
    for (int n : {1, 5, 10}) {
      if (!only.empty() && only != std::string(label) + "/" + std::to_string(n)) continue;
      const std::string patterns = slurp(dir + "/patterns_" + std::to_string(n) + ".json");
      std::shared_ptr<const sluice::filter::Filter> f;
      if (auto st = sluice::filter::compile(patterns, &f); !st.ok()) {
        std::fprintf(stderr, "bad patterns: %s\n", st.error().message.c_str());
        return 2;
      }
      sluice::filter::Matcher m(f);
      size_t matched = 0;
      for (const auto& d : docs) {
        matched += m.match(nullptr, 0, true, reinterpret_cast<const uint8_t*>(d.data()), d.size(),
                           false);
      }
      using clock = std::chrono::steady_clock;
      const auto start = clock::now();
      size_t done = 0, sink = 0;
      double elapsed = 0;
      do {
        for (const auto& d : docs) {
          sink += m.match(nullptr, 0, true, reinterpret_cast<const uint8_t*>(d.data()), d.size(),
                          false);
        }
        done += docs.size();
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
      } while (rounds > 0 ? static_cast<long>(done / docs.size()) < rounds : elapsed < seconds);
      const double rate = static_cast<double>(done) / elapsed;
      std::printf("%-8s %-9s %8d %14.0f %10.1f %8zu\n", "sluice", label, n, rate,
                  rate * static_cast<double>(bytes) / static_cast<double>(docs.size()) / 1e6,
                  matched);
      if (sink == 0xFFFFFFFF) std::printf(" ");
    }
  }
  return 0;
}
