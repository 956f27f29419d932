"""Deduplicating customer records by e-mail (case-insensitive, surrounding spaces ignored).

Methods: sort-then-scan, a hash-set program (Python, shell pipeline, R or SQL), a running
'seen?' table, group-by prose, and counting the surplus copies per address.
"""

from __future__ import annotations

import random

from ..core import Family, Instance, Method, Pen, wrong_answers

PEOPLE = (
    "ana",
    "bo",
    "chen",
    "dita",
    "eli",
    "femi",
    "gus",
    "hana",
    "ivo",
    "jo",
    "kai",
    "lena",
    "mo",
    "nia",
    "omar",
    "pia",
)
DOMAINS = ("mail.com", "corp.io", "uni.edu", "post.net")


def _variant(rng: random.Random, email: str) -> str:
    """The same address with other casing and/or stray spaces."""
    user, dom = email.split("@")
    r = rng.random()
    if r < 0.4:
        user = user.capitalize()
    elif r < 0.6:
        email = email.upper()
        return rng.choice(["", " "]) + email
    if rng.random() < 0.5:
        dom = dom.upper()
    pad = rng.choice([("", " "), (" ", ""), ("  ", " "), ("", "")])
    return f"{pad[0]}{user}@{dom}{pad[1]}"


def make(rng: random.Random) -> Instance:
    """Draw unique customers, then repeat some with cosmetic differences."""
    k = rng.randint(4, 7)
    users = rng.sample(PEOPLE, k)
    emails = [
        f"{u}{rng.choice(['', '.', '_'])}{rng.randint(1, 99) if rng.random() < 0.4 else ''}"
        f"@{rng.choice(DOMAINS)}"
        for u in users
    ]
    emails = [e.replace(".@", "@").replace("_@", "@") for e in emails]
    rows = list(emails)
    for _ in range(rng.randint(2, 6)):
        rows.append(_variant(rng, rng.choice(emails)))
    rng.shuffle(rows)
    norm = {e.strip().lower() for e in rows}
    ans = len(norm)
    exact = len(set(rows))
    prompt = (
        f"A sign-up export has {len(rows)} rows with these e-mail fields (quotes show the exact "
        "text): " + ", ".join(f'"{e}"' for e in rows) + ". Two rows belong to the same customer "
        "exactly when their e-mails match ignoring letter case and leading/trailing spaces. "
        "How many distinct customers are there?"
    )
    wrong = wrong_answers(ans, [exact, len(rows), ans - 1, ans + 1, len(rows) - ans])
    return Instance(prompt, str(ans), wrong, {"rows": rows}, unit="customers")


def verify(inst: Instance) -> str:
    """Pairwise comparison: a row is new unless it equals an earlier one."""
    rows = inst.data["rows"]
    new = 0
    for i, e in enumerate(rows):
        key = e.strip().casefold()
        if all(key != rows[j].strip().casefold() for j in range(i)):
            new += 1
    return str(new)


def _norm(e: str) -> str:
    return e.strip().lower()


def sort_scan(inst: Instance, pen: Pen, ans: str) -> None:
    """Normalise, sort, and count positions where the value changes."""
    keys = sorted(_norm(e) for e in inst.data["rows"])
    items, prev, uniq = [], None, 0
    for k in keys:
        if k != prev:
            uniq += 1
            items.append(f"{k}  new ({uniq})")
        else:
            items.append(f"{k}  = previous, skip")
        prev = k
    pen.say(
        pen.pick("Lower-case and trim each address, then sort:", "Normalise, sort, scan:"),
        "duplicates end up next to each other." if pen.maybe(0.4) else "",
    )
    pen.lines(items, ("", "-", "1."))
    pen.say(pen.pick(f"{ans} changes of value, so {ans} customers.", f"Unique: {ans}."))


def hash_set(inst: Instance, pen: Pen, ans: str) -> None:
    """Insert normalised keys into a set and take its size."""
    rows = inst.data["rows"]
    lang = pen.pick("python", "bash", "r", "sql")
    listed = ", ".join(f'"{e}"' for e in rows)
    if lang == "python":
        name = pen.pick("emails", "rows", "raw")
        src = f"""{name} = [{listed}]
seen = {{e.strip().lower() for e in {name}}}
print(len(seen))"""
        out = inst.answer
    elif lang == "bash":
        src = """# emails.txt holds the column, one value per line
sed 's/^ *//; s/ *$//' emails.txt | tr 'A-Z' 'a-z' | sort -u | wc -l"""
        out = inst.answer
    elif lang == "r":
        src = f"""x <- c({listed})
length(unique(tolower(trimws(x))))"""
        out = f"[1] {inst.answer}"
    else:
        src = """SELECT COUNT(DISTINCT LOWER(TRIM(email))) AS customers
FROM signups;"""
        out = f"customers\n---------\n{inst.answer}"
    pen.say(pen.pick("A set does it:", "Hash-set of normalised keys.", "In code:"))
    pen.code(lang, src, out)
    pen.say(pen.pick(f"{ans} distinct.", f"=> {ans} customers.", f"Result: {ans}."))


def seen_table(inst: Instance, pen: Pen, ans: str) -> None:
    """Walk the rows in order with a running 'seen before?' flag."""
    rows = inst.data["rows"]
    seen: set[str] = set()
    table = []
    for i, e in enumerate(rows, 1):
        k = _norm(e)
        dup = k in seen
        seen.add(k)
        table.append([i, k, "yes" if dup else "no", len(seen)])
    pen.say(pen.pick("Row by row, tracking what I've seen:", "Running table:"))
    pen.table(["row", "key", "seen", "unique_so_far"], table, ("md", "csv", "aligned", "json"))
    pen.say(pen.pick(f"Final running count: {ans}.", f"Last row shows {ans}."))


def groups_prose(inst: Instance, pen: Pen, ans: str) -> None:
    """Describe each address group in sentences, then count groups."""
    rows = inst.data["rows"]
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(rows, 1):
        groups.setdefault(_norm(e), []).append(i)
    multi = [(k, v) for k, v in groups.items() if len(v) > 1]
    single = [k for k, v in groups.items() if len(v) == 1]
    sents = []
    for k, v in pen.shuffled(multi):
        sents.append(
            f"{k} shows up {len(v)} times (rows {', '.join(map(str, v))}) with only "
            "case or spacing differences."
        )
    pen.say(
        pen.pick("Group the rows by address.", "Let me group identical addresses."),
        *sents,
    )
    pen.say(
        f"The other {len(single)} addresses ({', '.join(single)}) appear once each.",
        f"That is {len(multi)} repeated groups plus {len(single)} singletons, {ans} customers.",
    )


def surplus(inst: Instance, pen: Pen, ans: str) -> None:
    """Count extra copies per address and subtract them from the row count."""
    rows = inst.data["rows"]
    groups: dict[str, int] = {}
    for e in rows:
        groups[_norm(e)] = groups.get(_norm(e), 0) + 1
    extra = [(k, c - 1) for k, c in groups.items() if c > 1]
    items = [f"{k}: {c + 1} copies -> {c} extra" for k, c in extra]
    total = sum(c for _, c in extra)
    pen.say(pen.pick("Count the surplus copies:", "Duplicates to drop:"))
    pen.lines(items, ("-", "*", "[x]"))
    pen.say(f"{len(rows)} rows - {total} extras = {ans}.")


def checks(inst: Instance) -> list[str]:
    """Re-checks of the customer count."""
    rows = inst.data["rows"]
    keys = sorted({_norm(e) for e in rows})
    return [
        f"Listing the distinct keys again: {', '.join(keys)} - that's {len(keys)}.",
        f"{len(rows)} rows, {len(rows) - len(keys)} of them repeats, leaves {len(keys)}.",
        "Trimming matters here: without it some spaced copies would count as new.",
    ]


FAMILY = Family(
    key="dedup",
    domain="data",
    make=make,
    verify=verify,
    methods=(
        Method("sort_then_scan", "list", sort_scan),
        Method("hash_set_program", "code", hash_set),
        Method("running_seen_table", "table", seen_table),
        Method("group_by_prose", "prose", groups_prose),
        Method("surplus_copies", "list", surplus),
    ),
    checks=checks,
    asides=(
        "Names aren't part of the key, only the e-mail.",
        "Case-insensitive comparison is the whole trick.",
        "Stray spaces are easy to miss when reading the list.",
    ),
)
