#include "core/filter/pattern_parser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "core/filter/filter.h"
#include "core/filter/pattern_json.h"

namespace sluice::filter {
namespace {

using Path = std::vector<std::string>;

// One alternative while compiling: field path (an index into
// Compiler::paths_) -> condition. A later write to the same path replaces the
// earlier one, as event-ruler does. Paths are interned so that "$or"
// expansions (up to kMaxAlternatives copies of every field) copy and compare
// integers, not lists of strings.
struct Alt {
  std::vector<std::pair<uint32_t, uint32_t>> fields;
  void put(uint32_t path, uint32_t cond) {
    for (auto& f : fields) {
      if (f.first == path) {
        f.second = cond;
        return;
      }
    }
    fields.emplace_back(path, cond);
  }
};

bool plain_key(const std::string& k) {
  if (k.empty()) return false;
  for (char c : k) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '$';
    if (!ok) return false;
  }
  return true;
}

std::string json_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* hexd = "0123456789abcdef";
      out += "\\u00";
      out += hexd[(c >> 4) & 0xF];
      out += hexd[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string key_path(const std::string& base, const std::string& key) {
  if (plain_key(key)) return base + "." + key;
  return base + "[" + json_quote(key) + "]";
}

std::string index_path(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

bool is_operator_name(const std::string& k) {
  static const char* const kNames[] = {"exactly", "equals-ignore-case", "prefix",  "suffix",
                                       "anything-but", "exists", "wildcard", "numeric", "cidr"};
  for (const char* n : kNames) {
    if (k == n) return true;
  }
  return false;
}

class Compiler {
 public:
  Status run(std::string_view text, std::unique_ptr<CompiledFilter>* out) {
    size_t first = 0;
    while (first < text.size() && (text[first] == ' ' || text[first] == '\t' ||
                                   text[first] == '\n' || text[first] == '\r')) {
      ++first;
    }
    const bool outer_array = first < text.size() && text[first] == '[';
    JsonDoc outer;
    if (auto st = parse_json(text, nullptr, 0, kMaxPatternDepth, outer_array ? -1 : 0, true,
                             &outer);
        !st.ok()) {
      Error e = st.take();
      e.path = "$";
      return e;
    }
    const JsonValue& root = outer.values[outer.root];
    if (root.kind == JsonValue::kArray) {
      if (root.items.empty()) {
        return fail(root.offset, "$", "no patterns: the array must hold 1 to 10 patterns");
      }
      if (root.items.size() > kMaxPatterns) {
        return fail(outer.values[root.items[kMaxPatterns]].offset, index_path("$", kMaxPatterns),
                    "too many patterns: at most " + std::to_string(kMaxPatterns));
      }
      for (size_t i = 0; i < root.items.size(); ++i) {
        if (auto st = pattern(outer, root.items[i], index_path("$", i)); !st.ok()) return st;
      }
    } else if (root.kind == JsonValue::kObject) {
      if (auto st = pattern(outer, outer.root, "$"); !st.ok()) return st;
    } else {
      return fail(root.offset, "$",
                  "filter patterns must be a JSON array of patterns (objects, or strings holding "
                  "one) or a single pattern object");
    }
    build(out);
    return {};
  }

 private:
  static Status fail(int64_t offset, std::string path, std::string msg) {
    Error e = make_error(SLUICE_ERR_INVALID_PATTERN, std::move(msg));
    e.offset = offset;
    e.path = std::move(path);
    return e;
  }

  Status pattern(const JsonDoc& outer, uint32_t idx, const std::string& jpath) {
    const JsonValue& v = outer.values[idx];
    ++patterns_;
    if (v.kind == JsonValue::kString) {
      if (v.text.size() > kMaxPatternBytes) {
        return fail(v.offset, jpath,
                    "pattern is " + std::to_string(v.text.size()) + " bytes, more than " +
                        std::to_string(kMaxPatternBytes));
      }
      auto inner = std::make_unique<JsonDoc>();
      if (auto st = parse_json(v.text, &v.text_offsets, 0, kMaxPatternDepth, 0, false, inner.get());
          !st.ok()) {
        Error e = st.take();
        e.message = "pattern string: " + e.message;
        e.path = jpath;
        return e;
      }
      const JsonDoc& d = *inner;
      docs_.push_back(std::move(inner));
      return object_pattern(d, d.root, jpath);
    }
    if (v.kind == JsonValue::kObject) {
      const int64_t size = v.end - v.offset;
      if (size > static_cast<int64_t>(kMaxPatternBytes)) {
        return fail(v.offset, jpath,
                    "pattern is " + std::to_string(size) + " bytes, more than " +
                        std::to_string(kMaxPatternBytes));
      }
      return object_pattern(outer, idx, jpath);
    }
    return fail(v.offset, jpath, "a pattern must be a JSON object or a JSON string holding one");
  }

  Status object_pattern(const JsonDoc& d, uint32_t idx, const std::string& jpath) {
    const JsonValue& v = d.values[idx];
    if (v.kind != JsonValue::kObject) {
      return fail(v.offset, jpath, "a pattern must be a JSON object");
    }
    std::vector<Alt> alts(1);
    Path path;
    if (auto st = object(d, idx, jpath, path, false, true, &alts); !st.ok()) return st;
    for (auto& a : alts) alts_.push_back(std::move(a));
    return {};
  }

  Status object(const JsonDoc& d, uint32_t idx, const std::string& jpath, Path& path, bool in_or,
                bool top, std::vector<Alt>* alts) {
    const JsonValue& obj = d.values[idx];
    if (obj.members.empty()) return fail(obj.offset, jpath, "empty objects are not allowed");
    for (const auto& m : obj.members) {
      const std::string mp = key_path(jpath, m.key);
      const JsonValue& val = d.values[m.value];
      if (m.key == "$or") {
        if (val.kind != JsonValue::kArray || val.items.size() < 2) {
          return fail(val.offset, mp, "\"$or\" takes an array of at least two objects");
        }
        std::vector<Alt> current = std::move(*alts);
        alts->clear();
        for (size_t k = 0; k < val.items.size(); ++k) {
          const JsonValue& branch = d.values[val.items[k]];
          const std::string bp = index_path(mp, k);
          if (branch.kind != JsonValue::kObject) {
            return fail(branch.offset, bp, "each element of \"$or\" must be an object");
          }
          std::vector<Alt> next = current;
          if (auto st = object(d, val.items[k], bp, path, true, top, &next); !st.ok()) return st;
          if (alts_.size() + alts->size() + next.size() > kMaxAlternatives) {
            return fail(val.offset, mp,
                        "\"$or\" expands to more than " + std::to_string(kMaxAlternatives) +
                            " alternatives in total");
          }
          for (auto& a : next) alts->push_back(std::move(a));
        }
        continue;
      }
      if (in_or && is_operator_name(m.key)) {
        return fail(m.key_offset, mp,
                    "\"" + m.key + "\" is an operator name and cannot be a field name inside \"$or\"");
      }
      if (top && m.key != "value" && m.key != "key") {
        return fail(m.key_offset, mp,
                    "unknown top-level field \"" + m.key +
                        "\": a pattern addresses \"value\" (and sluice's extension \"key\")");
      }
      if (val.kind == JsonValue::kObject) {
        path.push_back(m.key);
        Status st = object(d, m.value, mp, path, in_or, false, alts);
        path.pop_back();
        if (!st.ok()) return st;
      } else if (val.kind == JsonValue::kArray) {
        uint32_t cond = 0;
        if (auto st = condition(d, m.value, mp, &cond); !st.ok()) return st;
        path.push_back(m.key);
        const uint32_t pid = intern(path);
        path.pop_back();
        for (auto& a : *alts) a.put(pid, cond);
      } else {
        return fail(val.offset, mp,
                    "\"" + m.key + "\" must be an object or an array of values (a leaf is always "
                    "an array, e.g. [\"v\"])");
      }
    }
    return {};
  }

  uint32_t intern(const Path& p) {
    auto [it, added] = path_ids_.emplace(p, static_cast<uint32_t>(paths_.size()));
    if (added) paths_.push_back(p);
    return it->second;
  }

  Status number_operand(const JsonValue& v, const std::string& p, double* out) {
    if (v.kind != JsonValue::kNumber) return fail(v.offset, p, "must be a number");
    if (!comparable_number(v.text, out)) {
      return fail(v.offset, p,
                  "number " + v.text +
                      " cannot be compared exactly (it is not the shortest form of a finite "
                      "double)");
    }
    return {};
  }

  Status numeric(const JsonDoc& d, const JsonValue& arr, const std::string& p, LeafOp* op) {
    if (arr.kind != JsonValue::kArray) {
      return fail(arr.offset, p, "\"numeric\" takes an array like [\">\", 0, \"<=\", 5]");
    }
    const auto& it = arr.items;
    if (it.empty()) return fail(arr.offset, p, "\"numeric\" needs an operator and a number");
    auto op_at = [&](size_t i, std::string* o) -> Status {
      const JsonValue& v = d.values[it[i]];
      if (v.kind != JsonValue::kString ||
          (v.text != "=" && v.text != "<" && v.text != "<=" && v.text != ">" && v.text != ">=")) {
        return fail(v.offset, index_path(p, i),
                    "numeric operator must be one of \"=\", \"<\", \"<=\", \">\", \">=\"");
      }
      *o = v.text;
      return {};
    };
    auto num_at = [&](size_t i, double* x) -> Status {
      if (i >= it.size()) {
        return fail(arr.end - 1, index_path(p, i), "numeric operator without a number after it");
      }
      return number_operand(d.values[it[i]], index_path(p, i), x);
    };
    std::string o1;
    double x1;
    if (auto st = op_at(0, &o1); !st.ok()) return st;
    if (auto st = num_at(1, &x1); !st.ok()) return st;
    const double inf = std::numeric_limits<double>::infinity();
    op->op = Op::kNumeric;
    op->lo = -inf;
    op->hi = inf;
    if (o1 == "=") {
      op->lo = op->hi = x1;
    } else if (o1 == "<" || o1 == "<=") {
      op->hi = x1;
      op->hi_open = o1 == "<";
    } else {
      op->lo = x1;
      op->lo_open = o1 == ">";
    }
    const bool lower = o1 == ">" || o1 == ">=";
    if (it.size() == 2) return {};
    if (!lower) {
      return fail(d.values[it[2]].offset, index_path(p, 2),
                  "too many elements: only \">\" or \">=\" may be followed by \"<\" or \"<=\"");
    }
    std::string o2;
    if (auto st = op_at(2, &o2); !st.ok()) return st;
    if (o2 != "<" && o2 != "<=") {
      return fail(d.values[it[2]].offset, index_path(p, 2),
                  "the second numeric operator must be \"<\" or \"<=\"");
    }
    double x2;
    if (auto st = num_at(3, &x2); !st.ok()) return st;
    if (it.size() > 4) {
      return fail(d.values[it[4]].offset, index_path(p, 4), "too many elements in numeric range");
    }
    if (!(x1 < x2)) {
      return fail(d.values[it[3]].offset, index_path(p, 3),
                  "the upper bound must be greater than the lower bound");
    }
    op->hi = x2;
    op->hi_open = o2 == "<";
    return {};
  }

  Status anything_but(const JsonDoc& d, const JsonValue& v, const std::string& p, LeafOp* op) {
    if (v.kind == JsonValue::kString) {
      op->op = Op::kAnythingBut;
      op->strings.push_back(v.text);
      return {};
    }
    if (v.kind == JsonValue::kNumber) {
      op->op = Op::kAnythingButNumber;
      double x;
      if (auto st = number_operand(v, p, &x); !st.ok()) return st;
      op->numbers.push_back(x);
      return {};
    }
    if (v.kind == JsonValue::kArray) {
      if (v.items.empty()) return fail(v.offset, p, "empty \"anything-but\" list");
      const JsonValue::Kind first = d.values[v.items[0]].kind;
      for (size_t i = 0; i < v.items.size(); ++i) {
        const JsonValue& e = d.values[v.items[i]];
        const std::string ep = index_path(p, i);
        if (e.kind != JsonValue::kString && e.kind != JsonValue::kNumber) {
          return fail(e.offset, ep, "\"anything-but\" values must be strings or numbers");
        }
        if (e.kind != first) {
          return fail(e.offset, ep,
                      "\"anything-but\" values must be all strings or all numbers, not mixed");
        }
        if (e.kind == JsonValue::kString) {
          op->strings.push_back(e.text);
        } else {
          double x;
          if (auto st = number_operand(e, ep, &x); !st.ok()) return st;
          op->numbers.push_back(x);
        }
      }
      op->op = first == JsonValue::kString ? Op::kAnythingBut : Op::kAnythingButNumber;
      return {};
    }
    if (v.kind == JsonValue::kObject) {
      if (v.members.size() != 1) {
        return fail(v.offset, p,
                    "\"anything-but\" object takes exactly one of \"equals-ignore-case\", "
                    "\"prefix\", \"suffix\"");
      }
      const auto& m = v.members[0];
      const std::string mp = key_path(p, m.key);
      if (m.key == "equals-ignore-case") {
        op->op = Op::kAnythingButIgnoreCase;
      } else if (m.key == "prefix") {
        op->op = Op::kAnythingButPrefix;
      } else if (m.key == "suffix") {
        op->op = Op::kAnythingButSuffix;
      } else {
        return fail(m.key_offset, mp,
                    "unsupported \"anything-but\" operator \"" + m.key +
                        "\" (supported: equals-ignore-case, prefix, suffix)");
      }
      const JsonValue& x = d.values[m.value];
      std::vector<const JsonValue*> vals;
      std::vector<std::string> paths;
      if (x.kind == JsonValue::kString) {
        vals.push_back(&x);
        paths.push_back(mp);
      } else if (x.kind == JsonValue::kArray) {
        if (x.items.empty()) return fail(x.offset, mp, "empty \"anything-but\" list");
        for (size_t i = 0; i < x.items.size(); ++i) {
          vals.push_back(&d.values[x.items[i]]);
          paths.push_back(index_path(mp, i));
        }
      } else {
        return fail(x.offset, mp, "must be a string or an array of strings");
      }
      for (size_t i = 0; i < vals.size(); ++i) {
        if (vals[i]->kind != JsonValue::kString) {
          return fail(vals[i]->offset, paths[i], "must be a string");
        }
        if (op->op != Op::kAnythingButIgnoreCase && vals[i]->text.empty()) {
          return fail(vals[i]->offset, paths[i], "empty prefix/suffix is not allowed here");
        }
        if (op->op == Op::kAnythingButIgnoreCase) {
          op->folds.push_back(case_pairs(vals[i]->text));
        } else {
          op->strings.push_back(vals[i]->text);
        }
      }
      return {};
    }
    return fail(v.offset, p,
                "\"anything-but\" takes a string, a number, an array of them, or an object");
  }

  // {"prefix": "x"} or {"prefix": {"equals-ignore-case": "x"}}, same for suffix.
  Status affix(const JsonDoc& d, const JsonValue& v, const std::string& p, bool prefix,
               LeafOp* op) {
    if (v.kind == JsonValue::kString) {
      op->op = prefix ? Op::kPrefix : Op::kSuffix;
      op->text = v.text;
      return {};
    }
    if (v.kind == JsonValue::kObject && v.members.size() == 1 &&
        v.members[0].key == "equals-ignore-case") {
      const JsonValue& x = d.values[v.members[0].value];
      if (x.kind != JsonValue::kString) {
        return fail(x.offset, key_path(p, "equals-ignore-case"), "must be a string");
      }
      op->op = prefix ? Op::kPrefixIgnoreCase : Op::kSuffixIgnoreCase;
      op->fold = case_pairs(x.text);
      return {};
    }
    return fail(v.offset, p, "must be a string or {\"equals-ignore-case\": \"...\"}");
  }

  Status operation(const JsonDoc& d, const JsonValue& obj, const std::string& p, Condition* c) {
    if (obj.members.empty()) return fail(obj.offset, p, "empty operator object");
    if (obj.members.size() > 1) {
      return fail(obj.members[1].key_offset, key_path(p, obj.members[1].key),
                  "only one operator per object");
    }
    const auto& m = obj.members[0];
    const std::string mp = key_path(p, m.key);
    const JsonValue& v = d.values[m.value];
    LeafOp op;
    if (m.key == "exactly") {
      if (v.kind != JsonValue::kString) return fail(v.offset, mp, "must be a string");
      op.op = Op::kExactString;
      op.text = v.text;
    } else if (m.key == "equals-ignore-case") {
      if (v.kind != JsonValue::kString) return fail(v.offset, mp, "must be a string");
      op.op = Op::kEqualsIgnoreCase;
      op.fold = case_pairs(v.text);
    } else if (m.key == "prefix" || m.key == "suffix") {
      if (auto st = affix(d, v, mp, m.key == "prefix", &op); !st.ok()) return st;
    } else if (m.key == "numeric") {
      if (auto st = numeric(d, v, mp, &op); !st.ok()) return st;
      c->wants_number = true;
    } else if (m.key == "exists") {
      if (v.kind == JsonValue::kFalse) {
        c->absent_ok = true;
        return {};
      }
      if (v.kind != JsonValue::kTrue) return fail(v.offset, mp, "must be true or false");
      op.op = Op::kExists;
    } else if (m.key == "anything-but") {
      if (auto st = anything_but(d, v, mp, &op); !st.ok()) return st;
      if (op.op == Op::kAnythingButNumber) c->wants_number = true;
    } else if (m.key == "wildcard" || m.key == "cidr") {
      return fail(m.key_offset, mp,
                  "operator \"" + m.key + "\" is not part of Lambda's filter language and sluice "
                  "does not implement it");
    } else {
      return fail(m.key_offset, mp,
                  "unknown operator \"" + m.key +
                      "\" (known: exactly, equals-ignore-case, prefix, suffix, anything-but, "
                      "numeric, exists)");
    }
    c->ops.push_back(std::move(op));
    return {};
  }

  Status condition(const JsonDoc& d, uint32_t idx, const std::string& jpath, uint32_t* out) {
    const JsonValue& arr = d.values[idx];
    if (arr.items.empty()) return fail(arr.offset, jpath, "empty arrays are not allowed");
    Condition c;
    for (size_t i = 0; i < arr.items.size(); ++i) {
      const JsonValue& v = d.values[arr.items[i]];
      const std::string p = index_path(jpath, i);
      LeafOp op;
      switch (v.kind) {
        case JsonValue::kString:
          op.op = Op::kExactString;
          op.text = v.text;
          break;
        case JsonValue::kNumber:
          op.op = Op::kExactNumber;
          op.text = v.text;
          op.comparable = comparable_number(v.text, &op.value);
          if (op.comparable) c.wants_number = true;
          break;
        case JsonValue::kTrue:
          op.op = Op::kTrue;
          break;
        case JsonValue::kFalse:
          op.op = Op::kFalse;
          break;
        case JsonValue::kNull:
          op.op = Op::kNull;
          break;
        case JsonValue::kObject:
          if (auto st = operation(d, v, p, &c); !st.ok()) return st;
          continue;
        case JsonValue::kArray:
          return fail(v.offset, p,
                      "a value must be a string, number, true, false, null or an operator "
                      "object, not an array");
      }
      c.ops.push_back(std::move(op));
    }
    conditions_.push_back(std::move(c));
    *out = static_cast<uint32_t>(conditions_.size() - 1);
    return {};
  }

  // ---- building the trie and its masks ----

  uint32_t new_mask(CompiledFilter* f, uint64_t fill) {
    const auto at = static_cast<uint32_t>(f->masks.size());
    f->masks.insert(f->masks.end(), f->words, fill);
    return at;
  }

  void build(std::unique_ptr<CompiledFilter>* out) {
    auto f = std::make_unique<CompiledFilter>();
    f->pattern_count = patterns_;
    f->alternatives = static_cast<uint32_t>(alts_.size());
    f->words = std::max<uint32_t>(1, (f->alternatives + 63) / 64);
    const uint32_t W = f->words;
    f->nodes.emplace_back();  // root
    std::vector<size_t> depth(1, 0);

    // Conditions actually used, renumbered; each with its alternatives mask.
    std::vector<int64_t> renum(conditions_.size(), -1);
    std::vector<std::vector<uint32_t>> users(conditions_.size());
    std::vector<uint32_t> cond_node(conditions_.size(), 0);
    std::vector<uint32_t> path_node(paths_.size(), UINT32_MAX);
    for (uint32_t ai = 0; ai < alts_.size(); ++ai) {
      for (const auto& [pid, cond] : alts_[ai].fields) {
        if (path_node[pid] != UINT32_MAX) {
          users[cond].push_back(ai);
          cond_node[cond] = path_node[pid];
          continue;
        }
        uint32_t n = 0;
        for (const auto& seg : paths_[pid]) {
          uint32_t next = UINT32_MAX;
          for (const auto& ch : f->nodes[n].children) {
            if (ch.key == seg) next = ch.node;
          }
          if (next == UINT32_MAX) {
            next = static_cast<uint32_t>(f->nodes.size());
            f->nodes[n].children.push_back({seg, next});
            f->nodes.emplace_back();
            depth.push_back(depth[n] + 1);
            f->max_depth = std::max(f->max_depth, depth.back());
          }
          n = next;
        }
        path_node[pid] = n;
        users[cond].push_back(ai);
        cond_node[cond] = n;
      }
    }
    for (uint32_t c = 0; c < conditions_.size(); ++c) {
      if (users[c].empty()) continue;
      renum[c] = static_cast<int64_t>(f->conditions.size());
      Condition cc = std::move(conditions_[c]);
      cc.mask = new_mask(f.get(), 0);
      for (uint32_t ai : users[c]) f->masks[cc.mask + ai / 64] |= uint64_t{1} << (ai % 64);
      f->nodes[cond_node[c]].conditions.push_back(static_cast<uint32_t>(f->conditions.size()));
      f->conditions.push_back(std::move(cc));
    }
    // Masks, children before parents (children always have higher indexes).
    const size_t N = f->nodes.size();
    std::vector<uint32_t> below(N);  // alternatives with a condition strictly below
    for (size_t i = 0; i < N; ++i) {
      TrieNode& t = f->nodes[i];
      t.not_self = new_mask(f.get(), ~uint64_t{0});
      t.absent_self = new_mask(f.get(), ~uint64_t{0});
      t.children_absent = new_mask(f.get(), ~uint64_t{0});
      t.absent_all = new_mask(f.get(), ~uint64_t{0});
      t.children_fail = new_mask(f.get(), ~uint64_t{0});
      below[i] = new_mask(f.get(), 0);
    }
    uint64_t* M = nullptr;
    for (size_t i = N; i-- > 0;) {
      TrieNode& t = f->nodes[i];
      M = f->masks.data();
      for (uint32_t ci : t.conditions) {
        const Condition& c = f->conditions[ci];
        for (uint32_t w = 0; w < W; ++w) {
          M[t.not_self + w] &= ~M[c.mask + w];
          if (!c.absent_ok) M[t.absent_self + w] &= ~M[c.mask + w];
        }
      }
      for (const auto& ch : t.children) {
        const TrieNode& u = f->nodes[ch.node];
        for (uint32_t w = 0; w < W; ++w) {
          M[t.children_absent + w] &= M[u.absent_all + w];
          M[below[i] + w] |= M[below[ch.node] + w] | ~M[u.not_self + w];
        }
      }
      for (uint32_t w = 0; w < W; ++w) {
        M[t.absent_all + w] = M[t.absent_self + w] & M[t.children_absent + w];
        M[t.children_fail + w] = ~M[below[i] + w];
      }
    }
    f->all_alternatives = new_mask(f.get(), 0);
    for (uint32_t ai = 0; ai < f->alternatives; ++ai) {
      f->masks[f->all_alternatives + ai / 64] |= uint64_t{1} << (ai % 64);
    }
    for (const auto& ch : f->nodes[0].children) {
      if (ch.key == "value") f->value_node = static_cast<int32_t>(ch.node);
      if (ch.key == "key") f->key_node = static_cast<int32_t>(ch.node);
    }
    *out = std::move(f);
  }

  std::vector<std::unique_ptr<JsonDoc>> docs_;  // keeps string patterns' trees alive
  std::vector<Condition> conditions_;
  std::vector<Alt> alts_;
  std::map<Path, uint32_t> path_ids_;
  std::vector<Path> paths_;  // by id
  size_t patterns_ = 0;
};

}  // namespace

Status compile_patterns(std::string_view patterns_json, std::unique_ptr<CompiledFilter>* out) {
  Compiler c;
  return c.run(patterns_json, out);
}

}  // namespace sluice::filter
