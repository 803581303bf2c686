#!/usr/bin/env python3
"""Extracts the 147 actions of Helsinki's Carbon Neutral 2035 action plan, with their 8 areas
and groups, from the Chinese seed article into the demo plan CSV.

    scripts/extract-helsinki-plan.py SEED.txt > Sources/CityCarbonStore/Resources/demo/helsinki-plan.csv

English names come from scripts/helsinki-plan-en.tsv (identifier, tab, English), written by
hand from the Chinese text; a missing or extra line is an error.
"""
import csv
import html
import os
import re
import sys

NUMERALS = "一二三四五六七八"

# The organisations the seed names as doing an action: HSL runs the buses of actions 22–23,
# the Port of Helsinki writes the carbon-neutral port plan of action 24. Every other action is
# the City's, and the seed does not say which division leads it, so it is left empty.
ORGANISATIONS = {"22": "HSL", "23": "HSL", "24": "Port of Helsinki"}


def lines_of(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"<(p|h\d|li|br)[^>]*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


def main():
    seed = sys.argv[1]
    english = {}
    with open(os.path.join(os.path.dirname(__file__), "helsinki-plan-en.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                key, value = line.rstrip("\n").split("\t", 1)
                english[key] = value
    area = group = None
    rows = []
    for line in lines_of(seed):
        m = re.match(r"^([一二三四五六七八])、(.+)$", line)
        if m and not re.match(r"^\d", line):
            area = f"A{NUMERALS.index(m.group(1)) + 1}"
            rows.append(("area", area, "", m.group(2).strip()))
            group = None
            continue
        m = re.match(r"^（([一二三四五六七八九十]+)）\s*(.+)$", line)
        if m and area:
            group = f"{area}.{'一二三四五六七八九十'.index(m.group(1)) + 1}"
            rows.append(("group", group, area, m.group(2).strip()))
            continue
        m = re.match(r"^(\d{1,3})\s*[\.．]\s*(.+)$", line)
        if m and area and 1 <= int(m.group(1)) <= 147:
            rows.append(("action", m.group(1), group or area, m.group(2).strip().rstrip("；;。")))
    actions = [r for r in rows if r[0] == "action"]
    assert [int(r[1]) for r in actions] == list(range(1, 148)), "the seed's actions are not 1…147 in order"
    missing = [r[1] for r in rows if r[1] not in english]
    extra = sorted(set(english) - {r[1] for r in rows})
    assert not missing and not extra, f"English names missing for {missing}, extra {extra}"
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["kind", "identifier", "parent", "name_zh", "name_en", "organisation"])
    for kind, identifier, parent, zh in rows:
        out.writerow([kind, identifier, parent, zh, english[identifier], ORGANISATIONS.get(identifier, "") if kind == "action" else ""])


if __name__ == "__main__":
    main()
