#!/usr/bin/env python3
"""Seeded generator of (patterns, record) pairs for the event-ruler comparison.

  gen_pairs.py [--seed N] [--count N] > pairs.jsonl

Each line is {"p": [pattern, ...], "v": base64 value | null, "k": base64 key | null,
"tag": what it exercises}. Values draw from small pools so that patterns often hit:
every operator, nesting, arrays of scalars and objects, $or, unicode and escapes,
numbers in many spellings, plain-string / scalar / invalid-UTF-8 / empty / null values,
and the key extension. Known, documented divergences (IP-address strings, dotted keys,
lone surrogates, duplicate keys) are left out on purpose: docs/FILTERS.md lists them.
"""
import argparse
import base64
import json
import random
import sys

KEYS = ["a", "b", "c", "d"]
STRINGS = ["a", "A", "abc", "ABC", "ab", "", "é", "É", "été", "ÉTÉ", "Straße", "STRASSE",
           "σας", "ΣΑΣ", "Привет", "привет", "😀", "x😀y", "x\"y", "tab\tx", "back\\slash",
           "null", "true", "300", "us-east-1", "US-EAST-1", "file.png", "FILE.PNG",
           "error", "Error", "warn", "ünï", "日本語", "prefix-x", "x-suffix", " sp "]
NUMBERS = ["0", "-0", "0.0", "1", "1.0", "1e0", "10", "1e1", "1E+1", "100", "1e2", "100.00",
           "300", "3e2", "300.0", "3.0e2", "0.5", "5e-1", "-1.5", "-15E-1", "2.25", "999999",
           "12345678901234567", "0.30000000000000004", "0.1", "1e-7", "-100", "5000000000",
           "1.7976931348623157e308", "123456789.123456"]
PLAIN = ["hello", "abc", "error", "warn: disk", "{bad json", "[1,2", "tru", "42x", "a=b",
         " ", "Straße", "é", "'single'", "{\"a\":1,}", "01", "- 1"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    # ---------------------------------------------------------------- documents
    def json_string(self, s):
        out = ['"']
        for ch in s:
            if ch == '"':
                out.append('\\"')
            elif ch == "\\":
                out.append("\\\\")
            elif ord(ch) < 0x20:
                out.append("\\u%04x" % ord(ch))
            elif self.r.random() < 0.15:
                cp = ord(ch)
                if cp > 0xFFFF:
                    cp -= 0x10000
                    out.append("\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
                else:
                    out.append("\\u%04X" % cp if self.r.random() < 0.5 else "\\u%04x" % cp)
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)

    def scalar(self):
        x = self.r.random()
        if x < 0.5:
            return self.json_string(self.r.choice(STRINGS))
        if x < 0.85:
            return self.r.choice(NUMBERS)
        return self.r.choice(["true", "false", "null"])

    def value(self, depth):
        x = self.r.random()
        if depth < 3 and x < 0.25:
            return self.obj(depth + 1)
        if depth < 3 and x < 0.40:
            n = self.r.randrange(0, 4)
            kind = self.r.random()
            items = []
            for _ in range(n):
                if kind < 0.5:
                    items.append(self.scalar())
                elif kind < 0.85:
                    items.append(self.obj(depth + 1))
                else:
                    items.append(self.value(depth + 1))
            return "[" + ",".join(items) + "]"
        return self.scalar()

    def obj(self, depth):
        keys = self.r.sample(KEYS, self.r.randrange(0, 4))
        sep = self.r.choice([",", ", ", ",\n"])
        return "{" + sep.join(self.json_string(k) + ":" + self.value(depth) for k in keys) + "}"

    def record_part(self):
        """Bytes of a value (or key), or None for null."""
        x = self.r.random()
        if x < 0.70:
            return self.obj(0).encode()
        if x < 0.78:
            return self.scalar().encode()
        if x < 0.82:
            return self.value(1).encode()
        if x < 0.92:
            return self.r.choice(PLAIN + STRINGS).encode()
        if x < 0.95:
            return self.r.choice([b"ab\xffcd", b"\xc3", b"\xed\xa0\x80x", b"{\"a\":\"\xff\"}",
                                  b"\xf0\x9f\x98", b"abc\x80"])
        if x < 0.97:
            return b""
        return None

    # ---------------------------------------------------------------- patterns
    def num(self):
        # Operands event-ruler can compare (a rare one it rejects keeps the error path honest).
        if self.r.random() < 0.01:
            return "12345678901234567"
        return self.r.choice(NUMBERS[:22] + ["0.1", "-100", "5000000000", "123456789.123456"])

    def matcher(self):
        r = self.r
        s = lambda: r.choice(STRINGS)
        x = r.randrange(0, 24)
        if x == 0:
            return s()
        if x == 1:
            return json.loads(self.num())
        if x == 2:
            return r.choice([True, False, None])
        if x == 3:
            return {"equals-ignore-case": s()}
        if x == 4:
            return {"prefix": s()[:r.randrange(0, 4)]}
        if x == 5:
            return {"suffix": s()[-r.randrange(1, 4):]}
        if x == 6:
            return {"prefix": {"equals-ignore-case": s()[:r.randrange(0, 4)]}}
        if x == 7:
            return {"suffix": {"equals-ignore-case": s()[-r.randrange(1, 4):]}}
        if x == 8:
            return {"anything-but": [s() for _ in range(r.randrange(1, 3))]}
        if x == 9:
            return {"anything-but": s()}
        if x == 10:
            return {"anything-but": [json.loads(self.num()) for _ in range(r.randrange(1, 3))]}
        if x == 11:
            return {"anything-but": json.loads(self.num())}
        if x == 12:
            p = [t for t in (s()[:2] for _ in range(2)) if t] or ["a"]
            return {"anything-but": {"prefix": p if r.random() < 0.5 else p[0]}}
        if x == 13:
            p = [t for t in (s()[-2:] for _ in range(2)) if t] or ["c"]
            return {"anything-but": {"suffix": p if r.random() < 0.5 else p[0]}}
        if x == 14:
            return {"anything-but": {"equals-ignore-case": [s() for _ in range(r.randrange(1, 3))]}}
        if x in (15, 16):
            op = r.choice(["=", "<", "<=", ">", ">="])
            return {"numeric": [op, json.loads(self.num())]}
        if x in (17, 18):
            lo, hi = sorted(json.loads(self.num()) for _ in range(2))
            if lo == hi:
                hi = lo + 1
            return {"numeric": [r.choice([">", ">="]), lo, r.choice(["<", "<="]), hi]}
        if x in (19, 20):
            return {"exists": r.random() < 0.5}
        if x == 21:
            return {"exactly": s()}
        if x == 22:
            return json.loads(self.num())
        return s()

    def leaf(self):
        return [self.matcher() for _ in range(self.r.randrange(1, 4))]

    def pobj(self, depth):
        r = self.r
        out = {}
        for k in r.sample(KEYS, r.randrange(1, 3)):
            out[k] = self.pobj(depth + 1) if depth < 2 and r.random() < 0.3 else self.leaf()
        if depth < 2 and r.random() < 0.12:
            out["$or"] = [self.pobj(depth + 1) for _ in range(r.randrange(2, 4))]
        return out

    def pattern(self):
        r = self.r
        p = {}
        x = r.random()
        if x < 0.75:
            p["value"] = self.pobj(0)
        elif x < 0.92:
            p["value"] = self.leaf()
        else:
            p["$or"] = [{"value": self.pobj(0)}, {"value": self.leaf()}]
        if r.random() < 0.08:
            p["key"] = self.leaf() if r.random() < 0.5 else self.pobj(0)
        return p

    def case(self):
        r = self.r
        n = 1 if r.random() < 0.8 else r.randrange(2, 4)
        pats = [self.pattern() for _ in range(n)]
        if r.random() < 0.1:  # Lambda's string form
            pats = [json.dumps(p, ensure_ascii=False) for p in pats]
        v = self.record_part()
        k = self.record_part() if r.random() < 0.3 else None
        b = lambda x: None if x is None else base64.b64encode(x).decode()
        return {"p": pats, "v": b(v), "k": b(k)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=12000)
    a = ap.parse_args()
    g = Gen(a.seed)
    out = sys.stdout
    for _ in range(a.count):
        out.write(json.dumps(g.case(), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
