// json_escape.h: JSON string-content escaping that always yields valid UTF-8,
// for the strings of the Lambda event (topic, ARN, bootstrap servers, header
// names).
//
// Rules (RFC 8259), applied byte by byte:
//   '"' -> \"   '\' -> \\   0x08 \b, 0x0C \f, 0x0A \n, 0x0D \r, 0x09 \t,
//   other bytes < 0x20 -> \u00xx (lowercase hex); other ASCII as is (DEL too);
//   a well-formed UTF-8 sequence (shortest form, no surrogates, <= U+10FFFF)
//   is copied as is; every byte that does not start a well-formed sequence is
//   replaced by the six characters \ufffd, one per invalid byte (so the
//   truncated sequence E2 82 gives two of them), and scanning resumes at the
//   next byte.
// The size function and the writer agree by construction: both go through
// the same classification.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::event {

// Number of bytes json_escape(s, ...) writes (no surrounding quotes).
size_t json_escaped_size(std::string_view s);

// Writes the escaped content of s (no surrounding quotes) at out, which must
// hold json_escaped_size(s) bytes; returns one past the last byte written.
char* json_escape(std::string_view s, char* out);

// Convenience: the escaped content as a string (allocates).
std::string json_escape(std::string_view s);

}  // namespace sluice::event
