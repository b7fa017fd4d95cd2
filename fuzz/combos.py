#!/usr/bin/env python3
"""Writes fuzz inputs whose fields mix valid, invalid, null and absent values at random.

libFuzzer's mutations rarely build a whole valid structure: runs 18-22 found the validator's
event branches, the rules' and claims' readers and the ATOP rows' parsing a few edges an hour,
and never drew from a valid rule on tie rows. These inputs hand the fuzzers those combinations
at once (a third of them valid throughout), plus inputs with many ids, so that a run from them
shows whether anything is left (docs/testing.md, "Structured seeds"). A development aid, like
fuzz/cov-since.sh; not used by the tests or by CI.
- default: `dataset` inputs (OUT-DIR/combo-NNN.json: twelve events of random kinds; every tenth
  also OUT-DIR/many-NNN.json, a valid dataset of 12-100 states, alliances and event ids);
- --whatif: `whatif_inputs` inputs (a `--with` scenario of such events, `---`, random
  `uncertainty` rules and `claims`, `---`, random `--vary` rules and `--without` selectors);
- --atop: `import_atop` inputs (a COW state list, `---`, ATOP rows of a few alliances mixing
  phases, obligations and blank, zero or invalid dates, sometimes `---` and a names file; and
  OUT-DIR/many-NNN with 12-340 alliances in ascending, descending or shuffled order);
- --unvotes: `import_unvotes` inputs (a roll-call table, `---`, a votes table: columns in any
  order, sessions and years that make several windows, the target dataset's four countries by
  ISO code or by name and others that match nothing, some invalid fields; and OUT-DIR/many-NNN
  with 20-50 roll calls, every country voting on each: up to 16 KiB, the runs' -max_len).
Usage: fuzz/combos.py [--whatif | --atop | --unvotes] OUT-DIR [COUNT] [SEED]   (the same bytes
for the same arguments)
"""
import json
import random
import sys

ABSENT = object()
BAD = object()  # in a list of values, the ones after it are invalid (or wrong for the kind)

COMMON = {
    "date": ["2020-01-01", "1992-05-15", BAD, "2020-02-30", "2020-1-1", 5, None, ABSENT],
    "note": ["n", ABSENT, BAD, "", 5, None, ["x"], ABSENT, ABSENT],
    "source": ["s1", ABSENT, BAD, "nosuch", 5, None, "", ABSENT, ABSENT],
    "id": ["UNIQUE", ABSENT, BAD, "dup", "", "a b", "x\u200b", 5, None, ABSENT, ABSENT],
    "tags": [["t"], [], ABSENT, BAD, ["t", "t"], "x", [5], [""], ["a b"], [], ["t", 5, "u"], None, ABSENT, ABSENT],
}
FIELDS = {
    "state": ["ARM", "RUS", BAD, "XXX", "", 5, None, ABSENT],
    "alliance": ["CSTO", BAD, "NOPE", 5, None, ABSENT],
    "a": ["ARM", BAD, "XXX", 5, None, ABSENT],
    "b": ["RUS", BAD, "ARM", "XXX", None, ABSENT],
    "delta": [0.3, -0.4, -2, BAD, 3, -2, 2, "x", None, ABSENT],
    "cameo": ["190", "051", ABSENT, BAD, "999", "x", 5, None, ABSENT, ABSENT],
    "half_life_days": [730, ABSENT, BAD, 0, -1, "x", None, ABSENT, ABSENT],
    "duration_days": [90, ABSENT, BAD, 0, -5, "x", None, ABSENT, ABSENT],
    "layer": ["events", "trade", ABSENT, BAD, "", "a b", 5, None, ABSENT, ABSENT],
    "factor": [0, 0.5, ABSENT, BAD, 2, -1, "x", None, ABSENT],
    "tie": [0.5, 0.9, BAD, 2, -0.1, "x", None, ABSENT],
    "article": [2, ABSENT, BAD, 0, -1, 1.5, "x", 4294967296, None, ABSENT],
    "outcome": ["honoured", "partial", "declined", BAD, "maybe", 5, None, ABSENT],
}
KINDS = {
    "enter": ["state"],
    "exit": ["state"],
    "join": ["state", "alliance"],
    "leave": ["state", "alliance"],
    "suspend": ["state", "alliance", "factor"],
    "resume": ["state", "alliance"],
    "dissolve": ["alliance"],
    "retie": ["alliance", "tie"],
    "tie": ["a", "b", "delta", "cameo", "half_life_days", "duration_days", "layer"],
    "invoke": ["state", "alliance", "article"],
    "respond": ["state", "alliance", "outcome"],
}
HEAD = {
    "name": "combos",
    "sources": [{"id": "s1", "title": "A source"}],
    "states": [{"id": "ARM", "name": "Armenia"}, {"id": "RUS", "name": "Russia"}],
    "alliances": [{"id": "CSTO", "name": "CSTO", "kind": "defense", "tie": 0.8}],
}


def choose(rng, values, clean):
    """A value from the list: only from the valid ones (before BAD) if `clean`."""
    at = values.index(BAD) if BAD in values else len(values)
    return rng.choice(values[:at] if clean else values[:at] + values[at + 1:])


def event(rng, kind, n, clean):
    e = {"kind": kind}
    keys = list(COMMON) + KINDS[kind]
    if not clean and rng.random() < 0.1:
        keys.append(rng.choice([k for k in FIELDS if k not in KINDS[kind]]))
    if not clean and rng.random() < 0.05:
        keys.append("zzz")
    rng.shuffle(keys)
    for k in keys:
        v = choose(rng, COMMON.get(k) or FIELDS.get(k) or [1], clean)
        if v is ABSENT:
            continue
        e[k] = f"e{n}" if v == "UNIQUE" else v
    return e


SELECTORS = ["kind=suspend", "kind=tie", "alliance=CSTO", "state=ARM", "tag=t", "ties",
             "ties=ties.csv", "kind=tie,state=ARM", "kind=join , state=RUS", BAD, "kind=marry",
             "alliance=NOPE", "state=XXX", "tag=", "event=e1", "event=nosuch", "ties=other.csv", "",
             "layer=trade", "=", "kind", "ties,kind=tie"]
RULE = {
    "select": [{"kind": "tie"}, {"ties": True}] + SELECTORS + [{"state": 5}, {"event": "e1"}, 5,
                                                               None, ABSENT],
    "param": ["delta", "half_life_days", "duration_days", "factor", "tie", "goldstein_scale", BAD, "x",
              5, None, ABSENT],
    "range": [[0, 0.5], [0.2, 0.4], ABSENT, BAD, [0.5, 0], [-3, 3], [0, 2], [1], [0, "x"], "x", [0, 1e300], [-1, -0.5],
              None, ABSENT, ABSENT],
    "scale": [[0.5, 1.5], [0.8, 1.2], ABSENT, BAD, [1.5, 0.5], [0, 1], [-1, 2], [1], "x", [2, 1e300], None, ABSENT, ABSENT],
    "dist": ["uniform", "triangular", ABSENT, BAD, "normal", 5, None, ABSENT],
    "per": ["rule", "event", ABSENT, BAD, "draw", 5, None, ABSENT],
}
CLAIM = {
    "id": ["c", BAD, "c", "a b", "", 5, None, ABSENT],
    "text": ["A claim", ABSENT, BAD, "", "x\u0007", 5, ABSENT],
    "test": ["below", "above", "lowest", "highest", "falls", "rises", BAD, "equals", 5, ABSENT],
    "metric": ["mean_tie", "alignment", "density", "spoiler", "reliability", BAD, "nosuch", 5, ABSENT],
    "alliance": ["CSTO", ABSENT, BAD, "NOPE", 5],
    "state": ["ARM", ABSENT, BAD, "XXX", 5],
    "states": [["ARM", "RUS"], ABSENT, BAD, ["ARM"], ["XXX"], "ARM", ABSENT, ABSENT],
    "from": ["2020-01-01", "2024-06-01", ABSENT, BAD, "2020-13-01", 5, ABSENT, ABSENT],
    "to": ["2025-01-01", ABSENT, BAD, "2019-01-01", "x", ABSENT, ABSENT],
    "at": ["2024-06-01", ABSENT, BAD, "1900-01-01", "x", ABSENT, ABSENT],
    "value": [0, 0.5, -1, ABSENT, BAD, "x", None, ABSENT],
}
PARAMS = ["delta", "half_life_days", "duration_days", "factor", "tie", "goldstein_scale", "x"]


def pick(rng, table, clean):
    o = {}
    keys = list(table)
    if not clean and rng.random() < 0.05:
        keys.append("zzz")
    rng.shuffle(keys)
    for k in keys:
        v = choose(rng, table.get(k, [1]), clean)
        if v is not ABSENT:
            o[k] = v
    return o


def compact(rng):
    """A --vary rule (SELECTOR:PARAM=LO..HI or *LO..HI, options) or a --without selector."""
    if rng.random() < 0.3:
        return choose(rng, SELECTORS, False)
    sel = "" if rng.random() < 0.1 else choose(rng, SELECTORS, False) + ":"
    op = rng.choice(["=", "*", "", "=="])
    lo, hi = rng.choice([("0", "0.5"), ("0.5", "1.5"), ("1", "0"), ("x", "1"), ("-2", "2"), ("0", "")])
    bounds = rng.choice([f"{lo}..{hi}", f"{lo}.{hi}", lo])
    opts = "".join(":" + rng.choice(["uniform", "triangular", "per=event", "per=rule", "x"])
                   for _ in range(rng.choice([0, 0, 1, 2])))
    return f"{sel}{rng.choice(PARAMS)}{op}{bounds}{opts}"


COW = [("USA", 2, "United States of America", (1816, 1, 1), (2016, 12, 31)),
       ("CAN", 20, "Canada", (1920, 1, 10), (2016, 12, 31)),
       ("UKG", 200, "United Kingdom", (1816, 1, 1), (2016, 12, 31)),
       ("NTH", 210, "Netherlands", (1816, 1, 1), (1940, 7, 14)),
       ("NTH", 210, "Netherlands", (1945, 5, 13), (2016, 12, 31)),
       ("RUS", 365, "Russia", (1816, 1, 1), (2016, 12, 31)),
       ("ARM", 371, "Armenia", (1991, 12, 21), (2016, 12, 31))]
ATOP_COLS = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase",
             "defense", "offense", "neutral", "nonagg", "consul"]


def cow_file(rng, clean):
    lines = ["stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version"]
    for abb, code, name, (y, m, d), (ey, em, ed) in COW:
        row = [abb, str(code), name, str(y), str(m), str(d), str(ey), str(em), str(ed), "2016"]
        if not clean and rng.random() < 0.15:
            k = rng.randrange(len(row) - 1)
            row[k] = rng.choice(["", "x", "0", "13", "-1", "1e3", "900.0", '"q,uote"', '"', "99999",
                                 " 2 ", "A\tB"])
        if '"' not in row[2] and "," in row[2]:
            row[2] = f'"{row[2]}"'
        lines.append(",".join(row))
    if not clean and rng.random() < 0.2:
        lines.append(rng.choice(lines[1:]))  # a state listed twice
    return "\n".join(lines)


def atop_date_fields(rng, clean, start):
    y = start + rng.choice([0, 1, 5, 30])
    if clean:
        return [str(y), str(rng.choice([0, 1, 6, 12])), str(rng.choice([0, 1, 15, 31, 30]))]
    return [rng.choice([str(y), str(y), "0", "", "x", "1800", "2050", "-5", "99999", "1949.0"]),
            rng.choice(["1", "6", "0", "", "13", "2", "x"]),
            rng.choice(["1", "15", "0", "", "31", "29", "30", "x"])]


def atop_file(rng, clean):
    cols = list(ATOP_COLS)
    if rng.random() < 0.3:
        cols += ["cowid", "version"]
    rng.shuffle(cols)
    if not clean and rng.random() < 0.05:
        cols.remove(rng.choice(ATOP_COLS))
    lines = [",".join(cols)]
    members = [2, 20, 200, 210, 365, 371]
    for atopid in rng.sample([3180, 3181, 9001, 9002, 4001], rng.choice([1, 2, 3])):
        phases = rng.choice([[0], [1], [1, 2], [1, 2, 3], [2, 1]])
        start = rng.choice([1800, 1920, 1949, 1990, 1992, 2000])
        for ph in phases:
            for m in rng.sample(members, rng.choice([1, 2, 3, 4])):
                entry = atop_date_fields(rng, clean, start)
                if rng.random() < 0.5:
                    exit_ = ["0", "0", "0"]
                else:
                    exit_ = atop_date_fields(rng, clean, start + 10)
                obl = [str(rng.choice([0, 0, 1])) for _ in range(5)]
                if not clean and rng.random() < 0.1:
                    obl[rng.randrange(5)] = rng.choice(["", "x", "2", "-1"])
                v = {"atopid": str(atopid), "member": str(m), "yrent": entry[0], "moent": entry[1],
                     "dayent": entry[2], "yrexit": exit_[0], "moexit": exit_[1],
                     "dayexit": exit_[2], "phase": str(ph), "defense": obl[0], "offense": obl[1],
                     "neutral": obl[2], "nonagg": obl[3], "consul": obl[4], "cowid": "1",
                     "version": "5.1"}
                if not clean and rng.random() < 0.1:
                    v[rng.choice(ATOP_COLS)] = rng.choice(["", "x", "999", '"1,2"', '"', "3180.5"])
                row = [v.get(c, "") for c in cols]
                if not clean and rng.random() < 0.03:
                    row.append("extra")
                lines.append(",".join(row))
                if rng.random() < 0.05:
                    lines.append("")
    return "\n".join(lines), sorted({int(l.split(",")[cols.index("atopid")])
                                     for l in lines[1:] if l and "atopid" in cols
                                     and l.split(",")[cols.index("atopid")].isdigit()})


def names_file(rng, ids, clean):
    lines = ["atopid,name"]
    for i in ids:
        name = rng.choice(["A pact", '"A pact, with a comma"', "Pacte"])
        lines.append(f"{i},{name}")
    if not clean:
        lines.append(rng.choice(["9001,Twice", "x,Name", "9003,", '9004,"unclosed', "9005,A\u0007B"]))
    return "\n".join(lines)


def many(rng, path):
    """A valid dataset with many states, alliances, sources and event ids (in ascending,
    descending or shuffled order): the validator's maps of ids then split nodes at several
    levels."""
    n = rng.choice([12, 40, 70, 100])
    names = [f"S{k:03d}" for k in rng.sample(range(1000), n)]
    order = rng.choice(["up", "down", "shuffled"])
    if order != "shuffled":
        names.sort(reverse=order == "down")
    k = max(2, n // 6)
    states = [{"id": s, "name": s} for s in names]
    alliances = [{"id": f"A{j}", "name": f"A{j}", "kind": "defense", "tie": 0.5} for j in range(k)]
    sources = [{"id": f"s{j}", "title": "t"} for j in range(k)]
    events = []
    for j in range(n):
        e = {"date": f"{1990 + j % 30}-01-01", "kind": rng.choice(["join", "tie"]),
             "id": f"e{rng.randrange(10**6)}-{j}", "source": f"s{rng.randrange(k)}"}
        if e["kind"] == "join":
            e.update(state=rng.choice(names), alliance=f"A{rng.randrange(k)}")
        else:
            a, b = rng.sample(names, 2)
            e.update(a=a, b=b, delta=0.5, layer=f"L{rng.randrange(k)}")
        events.append(e)
    with open(path, "w") as f:
        json.dump({"name": "many", "sources": sources, "states": states, "alliances": alliances,
                   "events": events}, f, ensure_ascii=True, separators=(",", ":"))


RC_COLS = ["rcid", "session", "importantvote", "date"]
VOTE_COLS = ["rcid", "country", "country_code", "vote"]
# (name, ISO alpha-2): the target's dataset holds the first four (by ISO alpha-3); "" has no code.
COUNTRIES = [("United States", "US"), ("Russia", "RU"), ("France", "FR"), ("Armenia", "AM"),
             ("German Democratic Republic", "DD"), ("Federal Republic of Germany", ""),
             ("Armenia", ""), ("Russia", ""), ("Nowhere", "XX")]


def csv_row(rng, cols, v):
    return ",".join(v.get(c, rng.choice(["", "x", '"a, b"'])) for c in cols)


def unvotes_files(rng, clean, n_rc, voters):
    """A roll-call table of `n_rc` roll calls and a votes table where `voters` of COUNTRIES vote
    on each; with `clean` false, some fields invalid."""
    cols = list(RC_COLS) + rng.sample(["unres", "amend", "para", "short", "descr"], rng.choice([0, 2, 5]))
    rng.shuffle(cols)
    if not clean and rng.random() < 0.05:
        cols.remove(rng.choice(RC_COLS))
    lines = [",".join(cols)]
    rcids = rng.sample(range(1, 9000), n_rc)
    session = rng.choice([1, 40, 74])
    year = rng.choice([1946, 1989, 2015])
    for k, r in enumerate(rcids):
        if rng.random() < 0.2:
            session += 1
            year += rng.choice([0, 1, 1, 2])
        v = {"rcid": str(r), "session": str(session), "importantvote": rng.choice(["0", "1", "", "NA"]),
             "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             "short": '"PALESTINE, INTIFADAH"', "descr": "d"}
        if not clean and rng.random() < 0.1:
            f = rng.choice(RC_COLS)
            v[f] = rng.choice(["", "x", "-1", "4294967296", "1.5", "2", "2020-02-30", "1e3", '"', str(rcids[0])])
        lines.append(csv_row(rng, cols, v))
        if rng.random() < 0.03:
            lines.append("")
    vcols = list(VOTE_COLS) + (["vote_id"] if rng.random() < 0.2 else [])
    rng.shuffle(vcols)
    vlines = [",".join(vcols)]
    who = rng.sample(COUNTRIES, voters)
    rows = []
    for r in rcids:
        for name, code in who:
            vote = rng.choice(["yes", "yes", "no", "abstain"])
            v = {"rcid": str(r), "country": name, "country_code": code, "vote": vote, "vote_id": "1"}
            if not clean and rng.random() < 0.05:
                f = rng.choice(VOTE_COLS)
                v[f] = rng.choice(["", "x", "absent", "Yes", "9999999", "-1", '"', '"U,S"', " US "])
            rows.append(csv_row(rng, vcols, v))
    if rng.random() < 0.5:
        rng.shuffle(rows)  # the real file is not grouped by roll call
    return "\n".join(lines), "\n".join(vlines + rows)


def main():
    args = sys.argv[1:]
    mode = args.pop(0) if args[:1] in (["--whatif"], ["--atop"], ["--unvotes"]) else None
    out = args[0]
    count = int(args[1]) if len(args) > 1 else 200
    rng = random.Random(int(args[2]) if len(args) > 2 else 1)
    if mode == "--unvotes":
        for i in range(count):
            rc, votes = unvotes_files(rng, rng.random() < 0.33, rng.choice([1, 3, 8, 15]),
                                      rng.choice([2, 4, 6, 9]))
            with open(f"{out}/combo-{i:03d}", "w") as f:
                f.write(rc + "\n---\n" + votes + "\n")
        for i in range(count // 10):
            rc, votes = unvotes_files(rng, True, rng.choice([20, 35, 50]), len(COUNTRIES))
            with open(f"{out}/many-{i:03d}", "w") as f:
                f.write(rc + "\n---\n" + votes + "\n")
        return
    if mode == "--atop":
        for i in range(count):
            clean = rng.random() < 0.33
            atop, ids = atop_file(rng, clean)
            parts = [cow_file(rng, clean), atop]
            if rng.random() < 0.3:
                parts.append(names_file(rng, ids, clean))
            with open(f"{out}/combo-{i:03d}", "w") as f:
                f.write("\n---\n".join(parts) + "\n")
        # And a few with many alliances (ascending, descending, shuffled ids, some repeated),
        # one short row each: the per-alliance map then splits nodes at several levels.
        cow = cow_file(rng, True)
        for i in range(count // 10):
            n = rng.choice([12, 30, 100, 250, 340])
            ids = rng.sample(range(1000, 1000 + 4 * n), n)
            order = rng.choice(["up", "down", "shuffled"])
            ids = sorted(ids, reverse=order == "down") if order != "shuffled" else ids
            ids += rng.sample(ids, n // 10)
            lines = [",".join(ATOP_COLS)] + [f"{a},{rng.choice([2, 20, 200, 365])},1950,1,1,0,0,0,"
                              f"{rng.choice([0, 1, 2])},{rng.choice([0, 1])},0,0,0,1"
                              for a in ids]
            with open(f"{out}/many-{i:03d}", "w") as f:
                f.write(cow + "\n---\n" + "\n".join(lines) + "\n")
        return
    whatif = mode == "--whatif"
    n = 0
    for i in range(count):
        # A third of the inputs only valid values (they get past validation to what follows).
        clean = rng.random() < 0.33
        kinds = [rng.choice(list(KINDS)) for _ in range(8 if whatif else 12)]
        events = []
        for k in kinds:
            events.append(event(rng, k, n, clean))
            n += 1
        if not whatif:
            with open(f"{out}/combo-{i:03d}.json", "w") as f:
                json.dump(dict(HEAD, events=events), f, ensure_ascii=True)
            if i % 10 == 0:
                many(rng, f"{out}/many-{i // 10:03d}.json")
            continue
        scenario = {"events": events}
        if rng.random() < 0.1:
            scenario[rng.choice(["states", "name", "alliances"])] = []
        sections = {"uncertainty": [pick(rng, RULE, clean) for _ in range(rng.choice([1, 2, 4]))],
                    "claims": [pick(rng, CLAIM, clean) for _ in range(rng.choice([1, 2, 4]))]}
        for k in ("uncertainty", "claims"):
            if rng.random() < 0.1:
                del sections[k]
        lines = [compact(rng) for _ in range(rng.choice([1, 3, 8]))]
        with open(f"{out}/combo-{i:03d}", "w") as f:
            f.write(json.dumps(scenario, ensure_ascii=True) + "\n---\n")
            f.write(json.dumps(sections, ensure_ascii=True) + "\n---\n")
            f.write("\n".join(lines) + "\n")


main()
