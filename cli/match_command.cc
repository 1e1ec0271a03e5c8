// match_command.cc: `sluice match`, the filter-pattern tester. Reads record
// values one per line from stdin and prints `true` or `false` for each, in
// order, using only the C API (sluice_filter_*), like any host of libsluice.
#include <stdio.h>  // getline

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"
#include "sluice.h"

namespace {

void usage(FILE* out) {
  std::fprintf(out,
               "usage: sluice match --pattern '<json>' [--pattern '<json>' ...] [--key <key>]\n"
               "       sluice match --patterns '<json array>' [--key <key>]\n"
               "\n"
               "Reads record values from stdin, one per line (the newline is not part of the\n"
               "value), and prints `true` or `false` for each: whether any pattern keeps the\n"
               "record (patterns are ORed, as in Lambda's FilterCriteria). A value is matched\n"
               "as JSON when it is valid JSON, else as a plain string. --key gives every record\n"
               "that key (default: a null key). Pattern language: docs/FILTERS.md.\n"
               "\n"
               "  --pattern P    one pattern object, e.g. '{\"value\":{\"type\":[\"order\"]}}'\n"
               "  --patterns A   the whole \"filter.patterns\" value, a JSON array\n"
               "  --key K        the record key to use for every line\n"
               "\n"
               "exit status: 0 done, 1 I/O error, 2 usage error or invalid pattern\n");
}

// Prints a pattern error, pointing into the --pattern argument it came from.
void print_error(const sluice_error_t* err, const std::vector<std::string>& args,
                 const std::vector<size_t>& starts, bool single_array) {
  const int64_t off = sluice_error_offset(err);
  const char* path = sluice_error_path(err);
  size_t which = 0;
  if (!single_array) {
    for (size_t i = 0; i < starts.size(); ++i) {
      if (off >= static_cast<int64_t>(starts[i])) which = i;
    }
  }
  const std::string& text = args[which];
  const int64_t local = off < 0 ? -1 : off - static_cast<int64_t>(single_array ? 0 : starts[which]);
  std::string where;
  if (!single_array) {
    where = "--pattern #" + std::to_string(which + 1);
    // Paths are "$[i]..." within the array sluice built; show them per pattern.
    std::string p = path;
    const std::string prefix = "$[" + std::to_string(which) + "]";
    if (p.compare(0, prefix.size(), prefix) == 0) p = "$" + p.substr(prefix.size());
    if (!p.empty()) where += " at " + p;
  } else {
    where = "--patterns";
    if (path[0]) where += std::string(" at ") + path;
  }
  std::fprintf(stderr, "sluice match: invalid pattern (%s, byte %lld): %s\n", where.c_str(),
               static_cast<long long>(local), sluice_error_message(err));
  if (local >= 0 && local <= static_cast<int64_t>(text.size()) && text.size() < 200 &&
      text.find('\n') == std::string::npos) {
    std::fprintf(stderr, "  %s\n  %*s^\n", text.c_str(), static_cast<int>(local), "");
  }
}

}  // namespace

int sluice_cli_match(int argc, char** argv) {
  std::vector<std::string> patterns;
  std::string array_arg;
  bool have_array = false;
  std::string key;
  bool have_key = false;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "sluice match: %s needs a value\n", name);
        return nullptr;
      }
      return argv[++i];
    };
    if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!std::strcmp(a, "--pattern")) {
      const char* v = value(a);
      if (!v) return 2;
      patterns.emplace_back(v);
    } else if (!std::strcmp(a, "--patterns")) {
      const char* v = value(a);
      if (!v) return 2;
      array_arg = v;
      have_array = true;
    } else if (!std::strcmp(a, "--key")) {
      const char* v = value(a);
      if (!v) return 2;
      key = v;
      have_key = true;
    } else {
      std::fprintf(stderr, "sluice match: unexpected argument '%s' (see --help)\n", a);
      return 2;
    }
  }
  if (patterns.empty() == !have_array) {
    std::fprintf(stderr, "sluice match: give one or more --pattern, or one --patterns\n");
    usage(stderr);
    return 2;
  }

  // The patterns as the "filter.patterns" array, remembering where each starts.
  std::string all;
  std::vector<size_t> starts;
  if (have_array) {
    all = array_arg;
    patterns = {array_arg};
    starts = {0};
  } else {
    all = "[";
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (i) all += ",";
      starts.push_back(all.size());
      all += patterns[i];
    }
    all += "]";
  }
  sluice_filter_t* filter = nullptr;
  if (sluice_error_t* err = sluice_filter_new(all.data(), all.size(), &filter)) {
    print_error(err, patterns, starts, have_array);
    sluice_error_destroy(err);
    return 2;
  }

  const auto* kp = have_key ? reinterpret_cast<const uint8_t*>(key.data()) : nullptr;
  int status = 0;
  char* line = nullptr;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, stdin)) >= 0) {  // POSIX: keeps NUL bytes
    auto n = static_cast<size_t>(got);
    if (n > 0 && line[n - 1] == '\n') --n;
    int32_t out = 0;
    sluice_error_t* err = sluice_filter_match(filter, kp, key.size(),
                                              reinterpret_cast<const uint8_t*>(line), n, &out);
    if (err) {
      std::fprintf(stderr, "sluice match: %s\n", sluice_error_message(err));
      sluice_error_destroy(err);
      status = 1;
      break;
    }
    std::fputs(out ? "true\n" : "false\n", stdout);
  }
  std::free(line);
  if (std::ferror(stdin)) {
    std::fprintf(stderr, "sluice match: error reading stdin\n");
    status = 1;
  }
  if (std::fflush(stdout) != 0) status = 1;
  sluice_filter_destroy(filter);
  return status;
}
