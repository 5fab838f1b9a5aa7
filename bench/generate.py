"""Synthetic catalogue generator for the performance benchmark.

Writes a complete data directory (topics.yaml, maths.yaml and sources.yaml copied unchanged from
the real catalogue; resources.yaml and refs.bib generated) with N resources spread over the real
taxonomy. The output is a deterministic function of N, the seed and the mode, and passes
``readingmap check``.

Two modes:

* ``even`` (the default): synthetic entries spread evenly over the topics, 0-4 prerequisites;
* ``clustered``: the catalogue grown as contributed catalogues grow. It is the whole real catalogue
  (resources, references, results and starting points unchanged) plus N minus that many clones of
  real entries (the real BibTeX and ``why`` text under a new key), most of them on a few popular
  topics (thousands of resources each at N = 10,000), with long prerequisite lists drawn from a
  few popular areas, and the real entries' authors shared by every clone.

    python bench/generate.py --count 1000 --seed 1 --out bench/out/data-1000
    python bench/generate.py --mode clustered --count 10000 --out bench/out/clustered-10000
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "data"
COPIED = ("topics.yaml", "maths.yaml", "sources.yaml")

KINDS = ("paper", "paper", "paper", "book", "survey", "lecture-notes", "course", "blog", "video",
         "website")
LEVELS = ("introductory", "intermediate", "intermediate", "advanced")

# Surnames: ASCII for the key, LaTeX (some with accents) for the author field.
SURNAMES = [
    ("muller", r"M{\"u}ller"), ("schrodinger", r"Schr{\"o}dinger"), ("erdos", r"Erd{\H{o}}s"),
    ("godel", r"G{\"o}del"), ("lopez", r"L{\'o}pez"), ("perez", r"P{\'e}rez"),
    ("nunez", r"Nu{\~n}ez"), ("francois", r"Fran{\c{c}}ois"), ("garcia", r"Garc{\'\i}a"),
    ("smith", "Smith"), ("chen", "Chen"), ("wang", "Wang"), ("kumar", "Kumar"),
    ("nakamura", "Nakamura"), ("ivanov", "Ivanov"), ("rossi", "Rossi"), ("dubois", "Dubois"),
    ("kowalski", "Kowalski"), ("okafor", "Okafor"), ("silva", "Silva"), ("berg", "Berg"),
    ("hansen", "Hansen"), ("cohen", "Cohen"), ("park", "Park"), ("tanaka", "Tanaka"),
    ("zhang", "Zhang"), ("moreau", "Moreau"), ("novak", "Nov{\\'a}k"), ("weiss", "Weiss"),
    ("bauer", "Bauer"), ("jensen", "Jensen"), ("oconnor", "O'Connor"), ("mbeki", "Mbeki"),
]
FIRST_NAMES = [
    "Anna", "Boris", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ingrid", "Jonas",
    "Kofi", "Lena", "Marta", "Nikolai", "Olga", "Pedro", "Qing", "Rahul", "Sofia", "Tomás",
    r"J{\'e}r{\^o}me", r"Ren{\'e}e", r"Zo{\"e}", "Yusuf", "Xavier", "Wei", "Valérie",
]
TITLE_ADJ = [
    "Implicit", "Spectral", "Stochastic", "Mean-Field", "Nonconvex", "Geometric", "Sharp",
    "Uniform", "Optimal", "Deep", "Overparametrised", "Random", "Kernel", "Variational",
    "Asymptotic", "Provable", "Quantitative", "Tropical", "Invariant", "Sparse",
]
TITLE_NOUN = [
    "Regularisation", "Generalisation", "Approximation", "Dynamics", "Landscapes", "Limits",
    "Bounds", "Representations", "Networks", "Transformers", "Scattering", "Flows",
    "Compression", "Features", "Margins", "Symmetries", "Rates", "Ensembles",
]
TITLE_TAIL = [
    "in Deep Learning", "of Neural Networks", "for Residual Networks", "beyond the Lazy Regime",
    "via Optimal Transport", "and the Curse of Dimensionality", "in the Infinite-Width Limit",
    "for Gradient Descent", "on Manifolds", "with {ReLU} Activations", "of Attention",
]
KEY_WORDS = ["deep", "on", "a", "the", "towards", "neural", "sharp", "implicit", "spectral",
             "random", "mean", "kernel", "optimal", "learning", "gradient", "what"]
JOURNALS = [
    "Journal of Machine Learning Research", "Annals of Statistics",
    "SIAM Journal on Mathematics of Data Science", "Constructive Approximation",
    "Neural Computation", "Foundations of Computational Mathematics",
    "Information and Inference: A Journal of the {IMA}", "Probability Theory and Related Fields",
]
BOOKTITLES = [
    "Advances in Neural Information Processing Systems", "International Conference on Machine Learning",
    "Conference on Learning Theory", "International Conference on Learning Representations",
    "Proceedings of the {IEEE} Conference on Computer Vision and Pattern Recognition",
]
PUBLISHERS = [("Cambridge University Press", "Cambridge"), ("Springer", "Cham"),
              ("MIT Press", "Cambridge, MA"), ("Princeton University Press", "Princeton, NJ"),
              ("Oxford University Press", "Oxford")]
HOSTS = ["example.org", "lecture-notes.example.edu", "blog.example.com", "videos.example.net"]
MATHS_SNIPPETS = [
    r"$\mathbb{R}^d$", r"$O(n^{-1/2})$", r"$L^2(\mu)$", r"$\varepsilon > 0$", r"$W_L \sigma(W_1 x)$",
    r"$\|f\|_{\mathcal{B}}$", r"$e^{-t\Theta}$", r"$d \to \infty$", r"$\sqrt{m}$",
    r"$\mathcal{O}(\log n)$", r"$H^s(\Omega)$", r"$\nabla L(\theta)$",
]
SENTENCES = [
    "It proves {m} rates for networks whose width grows with the sample size.",
    "The argument reduces training dynamics to a kernel regime and controls the error in {m}.",
    "A clear account of why depth helps, with explicit constructions and lower bounds.",
    "Readers comfortable with concentration inequalities will find the proofs short and clean.",
    "The main theorem bounds the generalisation gap by a norm of the weights such as {m}.",
    "It connects the optimisation landscape to random matrix theory and spectral statistics.",
    "The exposition is self-contained and the examples are worked in full detail.",
    "It shows that gradient flow converges to a max-margin solution when {m}.",
    "Chapters end with exercises, and the appendix reviews the measure theory it needs.",
    "The paper's lower bound shows the dependence on {m} cannot be improved in general.",
    "A heuristic, physics-style treatment that is nevertheless a useful guide to the literature.",
    "It is often cited as the standard reference for the mean-field limit of two-layer networks.",
]
NOTES = [
    "Named in an answer as a good first reference.",
    "Suggested in a comment on the accepted answer; the commenter's name is not kept.",
    "Listed in the survey's section on this topic.",
    "Added by the editors to cover this area.",
]


def _isbn13(rng: random.Random) -> str:
    digits = [9, 7, 8] + [rng.randrange(10) for _ in range(9)]
    total = sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return f"{s[:3]}-{s[3]}-{s[4:7]}-{s[7:12]}-{s[12]}"


def _why(rng: random.Random) -> str:
    count = rng.randint(1, 3)
    chosen = rng.sample(SENTENCES, count)
    return " ".join(s.format(m=rng.choice(MATHS_SNIPPETS)) for s in chosen)


def _block(text: str, indent: str = "    ") -> str:
    """A folded YAML block scalar, wrapped like the real catalogue."""
    return "\n".join(textwrap.wrap(text, 92, initial_indent=indent, subsequent_indent=indent))


def generate(count: int, seed: int, out: Path, results: int = 1000) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(REAL_DATA / name, out / name)
    topics = [t["id"] for t in yaml.safe_load((REAL_DATA / "topics.yaml").read_text(encoding="utf-8"))]
    maths = [m["id"] for m in yaml.safe_load((REAL_DATA / "maths.yaml").read_text(encoding="utf-8"))]
    sources = [s["id"] for s in yaml.safe_load((REAL_DATA / "sources.yaml").read_text(encoding="utf-8"))]
    if count < len(maths):
        raise SystemExit(f"--count must be at least {len(maths)} (one teaching resource per maths area)")

    if count < len(maths) + len(topics):
        raise SystemExit(f"--count must be at least {len(maths) + len(topics)} (a teaching resource per maths"
                         " area and a starting point per topic)")
    start_here: dict[str, str] = {}
    yaml_parts = ["# Synthetic catalogue for the performance benchmark (bench/generate.py).\n"]
    bib_parts = ["% Synthetic references for the performance benchmark (bench/generate.py).\n"]
    for i in range(count):
        surname_key, surname_tex = rng.choice(SURNAMES)
        year = rng.randint(1985, 2025)
        rid = f"{surname_key}{year}{rng.choice(KEY_WORDS)}-{i}"
        if i < len(maths):
            # One textbook per maths area first, so every maths prerequisite has a teacher.
            kind, level = "book", "introductory"
            own = [maths[i], *rng.sample(topics, rng.randint(0, 1))]
        else:
            kind, level = rng.choice(KINDS), rng.choice(LEVELS)
            pool = topics if rng.random() < 0.85 else topics + maths
            own = rng.sample(pool, rng.randint(1, 3))
            if (n := i - len(maths)) < len(topics):
                # One resource about each topic next: the topic's starting point.
                own = [topics[n], *(t for t in own if t != topics[n])][:3]
                start_here[topics[n]] = rid
                # a start is a reading, and an introductory one, so no topic needs a gentle start
                kind = "paper" if kind == "venue" else kind
                level = "introductory"
        candidates = [n for n in maths + topics if n not in own]
        weights = [4 if n in maths else 1 for n in candidates]
        prereqs: list[str] = []
        for _ in range(rng.randint(0, 4)):
            pick = rng.choices(candidates, weights)[0]
            if pick not in prereqs:
                prereqs.append(pick)
        recs = []
        for _ in range(rng.randint(1, 2)):
            rec = f"    - source: {rng.choice(sources)}\n"
            if rng.random() < 0.3:
                rec += f"      by: {rng.choice(FIRST_NAMES).split('{')[0] or 'Anon'}\n"
            if rng.random() < 0.5:
                rec += f'      note: "{rng.choice(NOTES)}"\n'
            recs.append(rec)
        yaml_parts.append(
            f"- id: {rid}\n  kind: {kind}\n  topics: [{', '.join(own)}]\n"
            f"  prerequisites: [{', '.join(prereqs)}]\n"
            + ("" if kind == "venue" else f"  level: {level}\n")  # a venue is not a reading
            + "  recommended_in:\n"
            + "".join(recs)
            # when it was added (required since the "What's new" page): spread over a year, drawn
            # from no random number, so the catalogue of a seed stays the one it was
            + f"  added: 2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n"
            + f"  why: >-\n{_block(_why(rng))}\n"
            + '  checked: "2026-11-30"\n'
        )
        bib_parts.append(_bib_entry(rng, rid, kind, year, surname_tex))
    (out / "resources.yaml").write_text("".join(yaml_parts), encoding="utf-8")
    ids = [part.split("\n", 1)[0].removeprefix("- id: ") for part in yaml_parts[1:]]
    (out / "results.yaml").write_text(_results_yaml(rng, results, ids, topics, maths), encoding="utf-8")
    _point_start_here(out / "topics.yaml", start_here)
    (out / "refs.bib").write_text("\n".join(bib_parts), encoding="utf-8")


SIX = " " * 6
STATUS_WEIGHTS = {"theorem": 85, "heuristic": 7, "empirical": 5, "conjecture": 3}
QUESTION_STATUS_WEIGHTS = {"open": 3, "partly answered": 6, "settled": 1}


def _results_yaml(rng: random.Random, count: int, resources: list[str], topics: list[str], maths: list[str]) -> str:
    """``count`` results over the topics, as the real ones are linked: each builds on 0-2
    earlier results, mostly of its own topic; and a question for every ten results."""
    by_topic: dict[str, list[str]] = {t: [] for t in topics}
    results, questions = [], []
    for i in range(count):
        topic = rng.choice(topics)
        rid = f"result-{topic}-{i}"
        earlier = by_topic[topic] if rng.random() < 0.9 else [r for rs in by_topic.values() for r in rs]
        builds = sorted(set(rng.sample(earlier[-30:], min(len(earlier[-30:]), rng.choice((0, 0, 1, 1, 2))))))
        name = " ".join(rng.choice(KEY_WORDS).capitalize() if j == 0 else rng.choice(KEY_WORDS)
                        for j in range(rng.randint(3, 9)))
        reads = "".join(f"      - resource: {r}\n" + (f'        where: "Theorem {rng.randint(1, 9)}"\n'
                                                       if rng.random() < 0.6 else "")
                        for r in rng.sample(resources, rng.randint(1, 2)))
        status = rng.choices(tuple(STATUS_WEIGHTS), tuple(STATUS_WEIGHTS.values()))[0]
        results.append(
            f"  - id: {rid}\n    name: {name} {i}\n    who: {rng.choice(FIRST_NAMES).split('{')[0] or 'A.'} Author\n"
            f'    year: "{rng.randint(1950, 2025)}"\n    status: {status}\n'
            f"    topics: [{', '.join([topic, *rng.sample([t for t in topics if t != topic], rng.randint(0, 1))])}]\n"
            f"    maths: [{', '.join(rng.sample(maths, rng.randint(1, 3)))}]\n"
            + (f"    builds_on: [{', '.join(builds)}]\n" if builds else "")
            + f"    gloss: {name.lower()} holds under the usual assumptions.\n"
            # Random readings can give two results one work and year: say they differ.
            + "    differs: a synthetic result of its own.\n"
            + f"    statement: >-\n{_block(_why(rng), SIX)}\n    read:\n{reads}"
            + '    checked: "2026-11-30"\n    added: 2026-11-30\n')
        by_topic[topic].append(rid)
    for n in range(count // 10):
        topic = rng.choice([t for t in topics if by_topic[t]])
        answers = rng.sample(by_topic[topic], min(len(by_topic[topic]), rng.randint(2, 6)))
        status = rng.choices(tuple(QUESTION_STATUS_WEIGHTS), tuple(QUESTION_STATUS_WEIGHTS.values()))[0]
        questions.append(
            f"  - id: question-{topic}-{n}\n    topic: {topic}\n    status: {status}\n"
            f'    status_changed: "2026-11-30"\n    question: What does {rng.choice(KEY_WORDS)} say about'
            f" {rng.choice(KEY_WORDS)} ({n})?\n    known: >-\n{_block(_why(rng), SIX)}\n"
            f"    results: [{', '.join(answers)}]\n" + '    checked: "2026-11-30"\n')
    return ("# Synthetic results for the performance benchmark (bench/generate.py).\n"
            + "questions:\n" + "".join(questions) + "results:\n" + "".join(results))


def _point_start_here(path: Path, start_here: dict[str, str]) -> None:
    """The copied topics name real resources as their starting points: name generated ones."""
    lines, topic = [], ""
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("- id: "):
            topic = line[6:].strip()
        if line.startswith("  start_here: "):
            line = f"  start_here: [{start_here[topic]}]\n"
        if line.startswith("  gentle_start: "):
            continue  # it names a real resource; the generated start is introductory itself
        lines.append(line)
    path.write_text("".join(lines), encoding="utf-8")


def _authors(rng: random.Random, first_surname: str) -> str:
    names = [f"{first_surname}, {rng.choice(FIRST_NAMES)}"]
    for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
        names.append(f"{rng.choice(SURNAMES)[1]}, {rng.choice(FIRST_NAMES)}")
    return " and ".join(names)


def _bib_entry(rng: random.Random, key: str, kind: str, year: int, surname: str) -> str:
    title = f"{rng.choice(TITLE_ADJ)} {rng.choice(TITLE_NOUN)} {rng.choice(TITLE_TAIL)}"
    fields: list[tuple[str, str]] = [("author", _authors(rng, surname)), ("title", title)]
    if kind == "book":
        entry_type = "book"
        publisher, address = rng.choice(PUBLISHERS)
        fields += [("publisher", publisher), ("address", address)]
        if rng.random() < 0.6:
            fields.append(("isbn", _isbn13(rng)))
    elif kind in ("paper", "survey"):
        entry_type = rng.choice(("article", "article", "inproceedings", "misc"))
        if entry_type == "article":
            fields += [("journal", rng.choice(JOURNALS)), ("volume", str(rng.randint(1, 60))),
                       ("number", str(rng.randint(1, 12))),
                       ("pages", f"{(p := rng.randint(1, 900))}--{p + rng.randint(8, 60)}")]
        elif entry_type == "inproceedings":
            first = rng.randint(1, 9000)
            fields += [("booktitle", rng.choice(BOOKTITLES)), ("pages", f"{first}--{first + rng.randint(8, 20)}")]
    else:
        entry_type = "misc"
        fields.append(("howpublished", {"course": "Course", "blog": "Blog post", "video": "Video lectures",
                                        "lecture-notes": "Lecture notes", "website": "Website"}[kind]))
    fields.append(("year", str(year)))
    if entry_type in ("article", "inproceedings") and rng.random() < 0.6:
        fields.append(("doi", f"10.{rng.randint(1000, 99999)}/{key.replace('-', '.')}"))
    if kind in ("paper", "survey") and year >= 2008 and rng.random() < 0.7:
        yy = year % 100
        fields += [("eprint", f"{yy:02d}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}"),
                   ("archiveprefix", "arXiv")]
    if entry_type == "misc" or rng.random() < 0.3:
        fields.append(("url", f"https://{rng.choice(HOSTS)}/{key}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


#: Clustered mode: the popular topics (most clones are about one of them, first) and their weights.
HOT_TOPICS = (("infinite-width", 5), ("generalisation", 3), ("transformers-llms", 2))
#: Clustered mode: the areas long prerequisite lists are drawn from (maths areas and topics).
HOT_PREREQUISITES = ("probability", "linear-algebra", "optimisation", "functional-analysis",
                     "random-matrix-theory", "statistical-mechanics", "stochastic-processes",
                     "measure-theory", "multivariable-calculus", "statistics", "foundations",
                     "learning-theory", "expressivity", "optimisation-landscapes")
_FLOW_LIST = re.compile(r"^  (topics|prerequisites): \[(.*)\]$", re.M)


def _real_blocks(text: str, start: str) -> list[str]:
    """The top-level items of a data file, each from its ``start`` line to the next one."""
    positions = [m.start() for m in re.finditer(f"^{re.escape(start)}", text, re.M)]
    return [text[a:b].rstrip("\n") + "\n" for a, b in zip(positions, [*positions[1:], len(text)], strict=True)]


def generate_clustered(count: int, seed: int, out: Path) -> None:
    """The real catalogue plus clones of its entries, piled onto a few topics (see the module doc)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for name in (*COPIED, "topics.yaml", "results.yaml"):
        shutil.copyfile(REAL_DATA / name, out / name)
    resources_text = (REAL_DATA / "resources.yaml").read_text(encoding="utf-8")
    bib_text = (REAL_DATA / "refs.bib").read_text(encoding="utf-8")
    resources = _real_blocks(resources_text, "- id: ")
    entries = {m.group(1): block for block in _real_blocks(bib_text, "@")
               if (m := re.match(r"@\w+\{([^,\s]+),", block))}
    if count <= len(resources):
        raise SystemExit(f"--count must be more than {len(resources)} in clustered mode (the real catalogue"
                         " is kept whole and clones are added to it)")
    hot, weights = zip(*HOT_TOPICS, strict=True)
    yaml_parts = [resources_text.rstrip("\n") + "\n",
                  "# Clones of the real entries above, piled onto a few topics (bench/generate.py).\n"]
    bib_parts = [bib_text.rstrip("\n") + "\n"]
    for i in range(count - len(resources)):
        block = rng.choice(resources)
        real_id = block[len("- id: "):block.index("\n")].strip()
        new_id = f"{real_id}-c{i}"
        lists = {m.group(1): [v.strip() for v in m.group(2).split(",") if v.strip()]
                 for m in _FLOW_LIST.finditer(block)}
        topics = lists["topics"]
        if rng.random() < 0.85:
            first = rng.choices(hot, weights)[0]
            topics = [first, *(t for t in topics if t != first)][:3]
        prereqs = [p for p in lists["prerequisites"] if p not in topics]
        for p in rng.sample(HOT_PREREQUISITES, rng.randint(4, 10)):
            if p not in topics and p not in prereqs:
                prereqs.append(p)
        values = {"topics": ", ".join(topics), "prerequisites": ", ".join(prereqs)}
        clone = block.replace(f"- id: {real_id}\n", f"- id: {new_id}\n", 1)
        yaml_parts.append(_FLOW_LIST.sub(lambda m, v=values: f"  {m.group(1)}: [{v[m.group(1)]}]", clone))  # type: ignore[misc]
        entry = entries[real_id]
        bib_parts.append(re.sub(r"^(@\w+\{)[^,\s]+,", lambda m, k=new_id: f"{m.group(1)}{k},", entry, count=1))  # type: ignore[misc]
    (out / "resources.yaml").write_text("".join(yaml_parts), encoding="utf-8")
    (out / "refs.bib").write_text("\n".join(bib_parts), encoding="utf-8")


MODES = {"even": generate, "clustered": generate_clustered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="number of resources (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--results", type=int, default=1000,
                        help="number of results in the even catalogue (default 1000; a question per ten)")
    parser.add_argument("--mode", choices=tuple(MODES), default="even",
                        help="even: synthetic entries spread over the topics (default); clustered: clones"
                             " of the real entries piled onto a few topics")
    parser.add_argument("--out", type=Path, required=True, help="data directory to write")
    args = parser.parse_args()
    if args.mode == "even":
        generate(args.count, args.seed, args.out, args.results)
    else:
        MODES[args.mode](args.count, args.seed, args.out)
    print(f"wrote {args.count} resources to {args.out}")


if __name__ == "__main__":
    main()
