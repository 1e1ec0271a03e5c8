#include "core/filter/pattern_json.h"

#include "core/filter/json_scan.h"
#include "core/filter/text.h"

namespace sluice::filter {
namespace {

class Reader {
 public:
  Reader(std::string_view t, const std::vector<int64_t>* offsets, int64_t base, int max_depth,
         int start_depth, bool keep)
      : t_(t), offsets_(offsets), base_(base), max_depth_(max_depth), start_depth_(start_depth),
        keep_(keep) {}

  Status run(JsonDoc* doc) {
    doc_ = doc;
    skip_ws();
    uint32_t root;
    if (auto st = value(start_depth_, &root); !st.ok()) return st;
    skip_ws();
    if (i_ != t_.size()) return fail("unexpected data after the JSON value");
    doc->root = root;
    return {};
  }

 private:
  int64_t outer(size_t i) const {
    if (offsets_ != nullptr) return (*offsets_)[i < offsets_->size() ? i : offsets_->size() - 1];
    return base_ + static_cast<int64_t>(i);
  }

  Status fail(const std::string& what) const { return fail_at(i_, what); }
  Status fail_at(size_t i, const std::string& what) const {
    Error e = make_error(SLUICE_ERR_INVALID_PATTERN, "invalid JSON: " + what);
    e.offset = outer(i);
    return e;
  }

  void skip_ws() {
    while (i_ < t_.size() &&
           (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) {
      ++i_;
    }
  }

  uint32_t add(JsonValue::Kind k, size_t start) {
    doc_->values.emplace_back();
    doc_->values.back().kind = k;
    doc_->values.back().offset = outer(start);
    return static_cast<uint32_t>(doc_->values.size() - 1);
  }

  Status value(int depth, uint32_t* out) {
    if (i_ >= t_.size()) return fail("unexpected end of input, expected a value");
    const size_t start = i_;
    const char c = t_[i_];
    if (c == '{' || c == '[') {
      if (depth + 1 > max_depth_) {
        return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
      }
      uint32_t v = add(c == '{' ? JsonValue::kObject : JsonValue::kArray, start);
      ++i_;
      skip_ws();
      const char close = c == '{' ? '}' : ']';
      if (i_ < t_.size() && t_[i_] == close) {
        ++i_;
      } else {
        for (;;) {
          if (c == '{') {
            if (i_ >= t_.size() || t_[i_] != '"') return fail("expected a string key");
            const size_t key_start = i_;
            std::string key;
            if (auto st = string(&key, nullptr); !st.ok()) return st;
            skip_ws();
            if (i_ >= t_.size() || t_[i_] != ':') return fail("expected ':'");
            ++i_;
            skip_ws();
            uint32_t child;
            if (auto st = value(depth + 1, &child); !st.ok()) return st;
            doc_->values[v].members.push_back({std::move(key), outer(key_start), child});
          } else {
            uint32_t child;
            if (auto st = value(depth + 1, &child); !st.ok()) return st;
            doc_->values[v].items.push_back(child);
          }
          skip_ws();
          if (i_ < t_.size() && t_[i_] == ',') {
            ++i_;
            skip_ws();
            continue;
          }
          if (i_ < t_.size() && t_[i_] == close) {
            ++i_;
            break;
          }
          return fail(c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
      }
      doc_->values[v].end = outer(i_ - 1) + 1;
      *out = v;
      return {};
    }
    if (c == '"') {
      uint32_t v = add(JsonValue::kString, start);
      std::string s;
      std::vector<int64_t> offs;
      if (auto st = string(&s, keep_ ? &offs : nullptr); !st.ok()) return st;
      doc_->values[v].text = std::move(s);
      doc_->values[v].text_offsets = std::move(offs);
      doc_->values[v].end = outer(i_ - 1) + 1;
      *out = v;
      return {};
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i_;
      while (j < t_.size() && (t_[j] == '-' || t_[j] == '+' || t_[j] == '.' || t_[j] == 'e' ||
                               t_[j] == 'E' || (t_[j] >= '0' && t_[j] <= '9'))) {
        ++j;
      }
      std::string_view num = t_.substr(i_, j - i_);
      if (!is_json_number(num)) return fail("malformed number");
      uint32_t v = add(JsonValue::kNumber, start);
      doc_->values[v].text = std::string(num);
      i_ = j;
      doc_->values[v].end = outer(i_ - 1) + 1;
      *out = v;
      return {};
    }
    struct Lit {
      std::string_view word;
      JsonValue::Kind kind;
    };
    for (Lit l : {Lit{"true", JsonValue::kTrue}, Lit{"false", JsonValue::kFalse},
                  Lit{"null", JsonValue::kNull}}) {
      if (t_.substr(i_, l.word.size()) == l.word) {
        uint32_t v = add(l.kind, start);
        i_ += l.word.size();
        doc_->values[v].end = outer(i_ - 1) + 1;
        *out = v;
        return {};
      }
    }
    return fail("expected a value");
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(size_t at, uint32_t* v) const {
    if (at + 4 > t_.size()) return false;
    uint32_t r = 0;
    for (size_t k = 0; k < 4; ++k) {
      int h = hex(t_[at + k]);
      if (h < 0) return false;
      r = (r << 4) | static_cast<uint32_t>(h);
    }
    *v = r;
    return true;
  }

  // Reads the string at i_ (which is '"'), unescaping into *s; *offs, when
  // given, gets the outer offset of every output byte plus the closing quote.
  Status string(std::string* s, std::vector<int64_t>* offs) {
    ++i_;
    for (;;) {
      if (i_ >= t_.size()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(t_[i_]);
      const size_t at = i_;
      if (c == '"') {
        if (offs) offs->push_back(outer(i_));
        ++i_;
        return {};
      }
      if (c < 0x20) return fail("control character in string (escape it)");
      if (c == '\\') {
        if (i_ + 1 >= t_.size()) return fail("unterminated string");
        const char e = t_[i_ + 1];
        char32_t out;
        size_t len = 2;
        switch (e) {
          case '"': out = '"'; break;
          case '\\': out = '\\'; break;
          case '/': out = '/'; break;
          case 'b': out = '\b'; break;
          case 'f': out = '\f'; break;
          case 'n': out = '\n'; break;
          case 'r': out = '\r'; break;
          case 't': out = '\t'; break;
          case 'u': {
            uint32_t u;
            if (!hex4(i_ + 2, &u)) return fail("bad \\u escape");
            len = 6;
            if (u >= 0xD800 && u <= 0xDBFF) {
              uint32_t lo;
              if (i_ + 7 < t_.size() && t_[i_ + 6] == '\\' && t_[i_ + 7] == 'u' &&
                  hex4(i_ + 8, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                len = 12;
              } else {
                return fail("unpaired surrogate in \\u escape");
              }
            } else if (u >= 0xDC00 && u <= 0xDFFF) {
              return fail("unpaired surrogate in \\u escape");
            }
            out = u;
            break;
          }
          default:
            return fail("bad escape");
        }
        const size_t before = s->size();
        internal::append_utf8(out, s);
        if (offs) offs->insert(offs->end(), s->size() - before, outer(at));
        i_ += len;
        continue;
      }
      // Copy a run of plain bytes, validating UTF-8.
      size_t j = i_;
      while (j < t_.size() && t_[j] != '"' && t_[j] != '\\' &&
             static_cast<unsigned char>(t_[j]) >= 0x20) {
        ++j;
      }
      if (!is_valid_utf8(reinterpret_cast<const uint8_t*>(t_.data()) + i_, j - i_)) {
        return fail("invalid UTF-8 in string");
      }
      if (offs) {
        for (size_t k = i_; k < j; ++k) offs->push_back(outer(k));
      }
      s->append(t_.data() + i_, j - i_);
      i_ = j;
    }
  }

  std::string_view t_;
  const std::vector<int64_t>* offsets_;
  int64_t base_;
  int max_depth_;
  int start_depth_;
  bool keep_;
  size_t i_ = 0;
  JsonDoc* doc_ = nullptr;
};

}  // namespace

Status parse_json(std::string_view text, const std::vector<int64_t>* offsets, int64_t base,
                  int max_depth, int start_depth, bool keep_string_offsets, JsonDoc* out) {
  Reader r(text, offsets, base, max_depth, start_depth, keep_string_offsets);
  return r.run(out);
}

}  // namespace sluice::filter
