#!/usr/bin/env python3
"""Writes the filter benchmark inputs (seeded, so both engines read the same):
data/docs_200.jsonl and data/docs_1k.jsonl (record values, one JSON per line,
about 200 and 1000 bytes) and data/patterns_{1,5,10}.json (filter.patterns
arrays). Run from anywhere: python3 bench/filter/gen_bench_data.py"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240601)

TYPES = ["order", "refund", "cancel", "order", "order"]
STATUS = ["paid", "pending", "failed", "paid"]
CUR = ["EUR", "USD", "usd", "GBP", "JPY"]
TIER = ["gold", "silver", "bronze", "platinum"]
COUNTRY = ["DE", "US", "FR", "JP", "BR", "IN"]


def doc(i, big):
    d = {
        "id": "ord-%06d" % i,
        "type": rng.choice(TYPES),
        "status": rng.choice(STATUS),
        "amount": round(rng.uniform(1, 2000), 2),
        "currency": rng.choice(CUR),
        "customer": {"id": "c-%d" % rng.randrange(10000), "tier": rng.choice(TIER),
                     "country": rng.choice(COUNTRY)},
        "items": [{"sku": rng.choice("ABCZ") + str(rng.randrange(100)), "qty": rng.randrange(1, 5)}
                  for _ in range(rng.randrange(1, 3))],
        "ts": 1700000000000 + rng.randrange(10**9),
    }
    if big:
        d["items"] += [{"sku": rng.choice("ABCZ") + str(rng.randrange(100)), "qty": rng.randrange(1, 5),
                        "price": round(rng.uniform(1, 300), 2), "tags": ["t%d" % rng.randrange(20)]}
                       for _ in range(6)]
        d["shipping"] = {"method": rng.choice(["ground", "air", "pickup"]),
                         "address": {"street": "%d Long Street Name" % rng.randrange(999),
                                     "city": rng.choice(["Berlin", "Paris", "Tokyo", "Austin"]),
                                     "zip": "%05d" % rng.randrange(99999)}}
        d["note"] = "".join(rng.choice("abcdefghij klmnop") for _ in range(250))
        d["flags"] = {"gift": rng.random() < 0.2, "express": rng.random() < 0.5, "coupon": None}
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False)


PATTERNS = [
    {"value": {"type": ["order"], "status": ["paid"]}},
    {"value": {"amount": [{"numeric": [">", 1900]}]}},
    {"value": {"customer": {"tier": ["platinum"], "country": [{"anything-but": ["US", "DE"]}]}}},
    {"value": {"items": {"sku": [{"prefix": "Z9"}]}}},
    {"value": {"currency": [{"equals-ignore-case": "jpy"}], "status": [{"exists": True}]}},
    {"value": {"type": ["refund"], "amount": [{"numeric": [">=", 100, "<", 200]}]}},
    {"value": {"customer": {"id": [{"suffix": "77"}]}}},
    {"value": {"$or": [{"status": ["failed"]}, {"currency": ["GBP"], "type": ["cancel"]}]}},
    {"value": {"items": {"qty": [4], "sku": [{"prefix": "A"}]}}},
    {"value": {"id": ["ord-000001", "ord-000002", "ord-000003"]}},
]


def main():
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    for name, big in (("docs_200.jsonl", False), ("docs_1k.jsonl", True)):
        with open(os.path.join(data, name), "w", encoding="utf-8") as f:
            for i in range(1000):
                f.write(doc(i, big) + "\n")
    for n in (1, 5, 10):
        with open(os.path.join(data, "patterns_%d.json" % n), "w", encoding="utf-8") as f:
            json.dump(PATTERNS[:n], f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
