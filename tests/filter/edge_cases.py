#!/usr/bin/env python3
"""Hand-written (patterns, record) pairs at the edges where sluice and event-ruler may part
ways; scripts/filter-compare runs them next to the generated ones and docs/FILTERS.md
explains each difference. Prints pairs.jsonl lines with a "tag"."""
import base64
import json
import sys

CASES = [
    # tag, patterns, value bytes (None = null), key bytes
    ("absence-before-positive-in-array", [{"value": {"a": {"b": [{"exists": False}], "c": [1]}}}],
     b'{"a":[{"b":1,"c":2},{"c":1}]}', None),
    ("absence-after-positive-in-array", [{"value": {"a": {"c": [{"exists": False}], "b": [1]}}}],
     b'{"a":[{"c":1,"b":2},{"b":1}]}', None),
    ("duplicate-keys-in-record", [{"value": {"a": [2]}}], b'{"a":1,"a":2}', None),
    ("duplicate-keys-objects", [{"value": {"a": {"b": [1], "c": [2]}}}],
     b'{"a":{"b":1},"a":{"c":2}}', None),
    ("dotted-key-in-record", [{"value": {"a": {"b": [1]}}}], b'{"a.b":1}', None),
    ("dotted-key-in-pattern", [{"value": {"a.b": [1]}}], b'{"a":{"b":1}}', None),
    ("ip-address-exact", [{"value": {"ip": ["10.0.0.1"]}}], b'{"ip":"10.0.0.1"}', None),
    ("ip-address-noncanonical", [{"value": {"ip": ["10.0.0.1"]}}], b'{"ip":"10.000.0.1"}', None),
    ("ipv6-forms", [{"value": {"ip": ["::1"]}}], b'{"ip":"0:0:0:0:0:0:0:1"}', None),
    ("ignore-case-sharp-s", [{"value": {"a": [{"equals-ignore-case": "straße"}]}}],
     b'{"a":"STRASSE"}', None),
    ("ignore-case-kelvin", [{"value": {"a": [{"equals-ignore-case": "k"}]}}],
     '{"a":"\u212a"}'.encode(), None),
    ("ignore-case-emoji", [{"value": {"a": [{"equals-ignore-case": "x\U0001F600"}]}}],
     '{"a":"X\U0001F600"}'.encode(), None),
    ("ignore-case-sharp-s-anything-but",
     [{"value": [{"anything-but": {"equals-ignore-case": ["Stra\u00dfe"]}}]}], b'STRASSE', None),
    ("prefix-ignore-case-emoji", [{"value": [{"prefix": {"equals-ignore-case": "x\U0001F600"}}]}],
     '"X\U0001F600y"'.encode(), None),
    ("ignore-case-dotted-I", [{"value": {"a": [{"equals-ignore-case": "\u0130"}]}}],
     b'{"a":"i"}', None),
    ("lone-surrogate-in-record", [{"value": {"a": [{"exists": True}]}}], b'{"a":"\\ud800"}', None),
    ("number-min-subnormal", [{"value": {"n": [{"numeric": [">", 0]}]}}], b'{"n":5e-324}', None),
    ("number-huge", [{"value": {"n": [{"anything-but": [1]}]}}], b'{"n":1e400}', None),
    ("number-17-digits", [{"value": {"n": [{"numeric": [">", 0]}]}}],
     b'{"n":12345678901234567}', None),
    ("suffix-empty-on-number", [{"value": {"n": [{"suffix": ""}, {"numeric": ["<", 0]}]}}],
     b'{"n":0.1}', None),
    ("bom", [{"value": {"a": [1]}}], b'\xef\xbb\xbf{"a":1}', None),
    ("non-json-exists-false", [{"value": {"a": [{"exists": False}]}}], b'not json', None),
    ("deep-record", [{"value": {"a": [1]}}], b'{"a":1,"z":' + b'[' * 1100 + b']' * 1100 + b'}',
     None),
    # 1000 levels of arrays and objects are JSON, 1001 are not (Jackson's limit).
    ("deep-record-1000", [{"value": {"a": [1]}}], b'{"a":1,"z":' + b'[' * 999 + b']' * 999 + b'}',
     None),
    ("deep-record-1001", [{"value": {"a": [1]}}], b'{"a":1,"z":' + b'[' * 1000 + b']' * 1000 + b'}',
     None),
    ("deep-record-objects-1001", [{"value": {"a": [1]}}],
     b'{"a":1,"z":' + b'{"z":' * 999 + b'{}' + b'}' * 999 + b'}', None),
    ("deep-record-as-string", [{"value": [{"prefix": "{\"a\":1,"}]}],
     b'{"a":1,"z":' + b'[' * 1000 + b']' * 1000 + b'}', None),
    ("tombstone-null-pattern", [{"value": [None]}], None, None),
    ("tombstone-exists-false", [{"value": [{"exists": False}]}], None, None),
    ("empty-value", [{"value": [""]}], b'', None),
    ("object-value-exists-true", [{"value": [{"exists": True}]}], b'{"a":1}', None),
    ("scalar-value-exists-false", [{"value": {"a": [{"exists": False}]}}], b'42', None),
    ("override-or", [{"value": {"a": [1], "$or": [{"a": [2]}, {"b": [3]}]}}], b'{"a":2}', None),
    ("key-plain", [{"key": [{"prefix": "user-"}]}], b'{}', b'user-7'),
    ("key-json", [{"key": {"id": [7]}}], b'{}', b'{"id":7.0}'),
    ("invalid-utf8-fffd", [{"value": ["ab\ufffdcd"]}], b'ab\xffcd', None),
    ("unpaired-key-escape", [{"value": {"ab": [1]}}], b'{"a\\u0062":1}', None),
]


def main():
    b = lambda x: None if x is None else base64.b64encode(x).decode()
    for tag, p, v, k in CASES:
        sys.stdout.write(json.dumps({"p": p, "v": b(v), "k": b(k), "tag": tag},
                                    ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
