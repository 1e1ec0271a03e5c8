// stats_json.h: reads the few numbers the CLI needs out of
// sluice_engine_stats()'s JSON. The object is flat apart from "OffsetLag", and
// its key names are unique, so finding "Key": is enough; no JSON library.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sluice_cli {

// The integer after "key": in json, or fallback when absent.
inline int64_t stat_int(std::string_view json, std::string_view key, int64_t fallback = 0) {
  std::string pat;
  pat.reserve(key.size() + 3);
  pat += '"';
  pat += key;
  pat += "\":";
  size_t at = json.find(pat);
  if (at == std::string_view::npos) return fallback;
  at += pat.size();
  while (at < json.size() && json[at] == ' ') ++at;
  std::string digits;
  while (at < json.size() && (json[at] == '-' || (json[at] >= '0' && json[at] <= '9')))
    digits += json[at++];
  if (digits.empty() || digits == "-") return fallback;
  return std::strtoll(digits.c_str(), nullptr, 10);
}

// The string after "key": (JSON escapes \" \\ \n \t undone, others kept), or "".
inline std::string stat_string(std::string_view json, std::string_view key) {
  std::string pat = "\"" + std::string(key) + "\":\"";
  size_t at = json.find(pat);
  if (at == std::string_view::npos) return {};
  std::string out;
  for (at += pat.size(); at < json.size() && json[at] != '"'; ++at) {
    char c = json[at];
    if (c == '\\' && at + 1 < json.size()) {
      char n = json[++at];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace sluice_cli
