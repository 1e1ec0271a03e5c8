#!/usr/bin/env python3
"""Writes the fuzz seed corpora tests/fuzz/corpus/<target>/ (committed; rerun
only to refresh them): a few dozen small inputs per target, taken from the
event-ruler vectors (tests/filter/vectors.jsonl), the edge cases
(tests/filter/edge_cases.py), docs/FILTERS.md's examples and the benchmark
inputs. Input layouts: core/filter/pattern_parser_fuzz.cc (the patterns text)
and core/filter/matcher_fuzz.cc (a control byte, then patterns NUL record or
just the record)."""
import base64
import json
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

DOC_PATTERNS = [
    '[{"value": {"type": ["order"], "amount": [{"numeric": [">", 100]}]}},\n'
    ' "{\\"value\\": [{\\"prefix\\": \\"ERROR\\"}]}"]',
    '{"value":{"a":{"b":[{"exists":false}],"c":[1]}}}',
    '[{"value":{"$or":[{"a":[1]},{"b":[{"anything-but":{"prefix":"x"}}]}]},"key":[{"suffix":".png"}]}]',
    '[{"value":[{"equals-ignore-case":"straße"},{"prefix":{"equals-ignore-case":"us-"}}]}]',
    '[{"value":{"n":[{"numeric":[">=",0,"<",1e2]},12345678901234567,-0,5e-324]}}]',
    '[{"value":{"a":[{"wildcard":"x*"}]}}]',
    '[{"value":{"a":[{"numeric":[">",1,">",2]}]}}]',
    '[{"value":{"a":[]}}]',
    '[' + ','.join(['{"value":{"a%d":[1]}}' % i for i in range(11)]) + ']',
    '[{"value":' + '{"a":' * 70 + '[1]' + '}' * 70 + '}]',
    '[{"value":{"$or":[' + ','.join('{"a%d":[%d]}' % (i, i) for i in range(40)) + ']}}]',
    '"{\\"value\\":{\\"x\\":[\\"\\\\ud83d\\\\ude00\\"]}}"',
    '[{"value":{"x":["\\ud800"]}}]',
    '[{"value":{"x":["a\\u0000b"]}}]',
]

DOC_RECORDS = [
    b'{"type":"order","amount":150}', b'ERROR: disk full', b'42', b'"abc"', b'abc', b'',
    b'{"a":[{"b":1,"c":2},{"c":1}]}', b'{"a":1,"a":2}', b'{"x":"\\ud800"}', b'\xef\xbb\xbf{"a":1}',
    b'\xff\xfe invalid utf-8', b'[1,[2,[3]]]', b' {"a" : [ true , false , null ] } ',
    b'{"n":1e400,"m":-0.0e-0}', b'[' * 300 + b']' * 300, b'{"a":' * 50 + b'1' + b'}' * 50,
    b'{"a":"x', b'{"a":1}}', b'{"a":tru}', b'{"a":01}',
]


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    vectors = [json.loads(l) for l in open(os.path.join(ROOT, "tests/filter/vectors.jsonl"),
                                           encoding="utf-8")]
    edge = [json.loads(l) for l in subprocess.run(
        [sys.executable, os.path.join(ROOT, "tests/filter/edge_cases.py")],
        capture_output=True, check=True, text=True).stdout.splitlines()]
    bench = os.path.join(ROOT, "bench/filter/data")
    for t in ("pattern_parser_fuzz", "matcher_fuzz"):
        shutil.rmtree(os.path.join(HERE, "corpus", t), ignore_errors=True)

    rng = random.Random(7)
    picks = rng.sample(vectors, 24)
    # pattern_parser_fuzz: pattern texts.
    texts = [json.dumps(v["p"], ensure_ascii=False) for v in picks[:12]]
    texts += [json.dumps(e["p"], ensure_ascii=False) for e in edge[:8]]
    texts += DOC_PATTERNS
    texts += [open(os.path.join(bench, "patterns_%d.json" % n)).read() for n in (1, 10)]
    for i, t in enumerate(texts):
        write("pattern_parser_fuzz", "seed-%02d" % i, t.encode())

    # matcher_fuzz: ctl byte, then patterns NUL record (bit 7) or the record.
    def rec(v):
        return b"" if v is None else base64.b64decode(v)
    n = 0
    for v in picks[12:] + edge:
        ctl = 0x80 | (0x30 if v.get("k") is not None else 0) | (n & 0x0F)
        if v.get("v") is None and v.get("k") is not None:
            ctl = 0x80 | 0x10 | (n & 0x0F)
            data = rec(v["k"])
        else:
            data = rec(v.get("v"))
        write("matcher_fuzz", "seed-%02d" % n,
              bytes([ctl]) + json.dumps(v["p"], ensure_ascii=False).encode() + b"\0" + data)
        n += 1
    for i, r in enumerate(DOC_RECORDS):
        write("matcher_fuzz", "seed-%02d" % n, bytes([i % 16]) + r)
        n += 1
    docs = open(os.path.join(bench, "docs_200.jsonl"), "rb").read().splitlines()[:4]
    docs += open(os.path.join(bench, "docs_1k.jsonl"), "rb").read().splitlines()[:2]
    for i, d in enumerate(docs):
        write("matcher_fuzz", "seed-%02d" % n, bytes([1 + 11 * (i % 2)]) + d)
        n += 1


if __name__ == "__main__":
    main()
