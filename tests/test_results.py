"""results.yaml: questions and results are read and checked like the rest, each problem at its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readingmap.cli import main
from test_validation import Problems, replace


def test_results_load(mini: Path, problems: Problems) -> None:
    assert problems(mini) == []


def test_unknown_references_each_at_its_value(mini: Path, problems: Problems) -> None:
    path = mini / "results.yaml"
    replace(path, "    topics: [expressivity]\n    maths: [real-analysis]",
            "    topics: [expresivity, linear-algebra]\n    maths: [real-analysis, foundations, nosuch]")
    replace(path, "      - resource: yarotsky2017error\n        where: \"Proposition 2\"",
            "      - resource: yarotsky2017eror\n        where: \"Proposition 2\"")
    replace(path, "    builds_on: [sawtooth-squaring]", "    builds_on: [relu-sobolev-rates, sawtooth-squarin]")
    replace(path, "    results: [relu-sobolev-rates]", "    results: [relu-sobolev-rate]")
    replace(path, "    topic: expressivity", "    topic: real-analysis")
    assert problems(mini) == [
        "data/results.yaml:3:12: question 'what-can-relu-networks-approximate': 'real-analysis' is a maths area;"
        " 'topic' takes a research topic id",
        "data/results.yaml:10:15: question 'what-can-relu-networks-approximate': unknown result 'relu-sobolev-rate'"
        " (did you mean 'relu-sobolev-rates'?)",
        "data/results.yaml:19:14: result 'sawtooth-squaring': unknown research topic 'expresivity'"
        " (did you mean 'expressivity'?)",
        "data/results.yaml:19:27: result 'sawtooth-squaring' lists 'linear-algebra' in 'topics', but it is a"
        " maths area; 'topics' takes research topic ids",
        "data/results.yaml:20:28: result 'sawtooth-squaring' lists 'foundations' in 'maths', but it is a research"
        " topic; 'maths' takes maths area ids",
        "data/results.yaml:20:41: result 'sawtooth-squaring': unknown maths area 'nosuch'",
        "data/results.yaml:25:19: result 'sawtooth-squaring': 'read' names unknown resource 'yarotsky2017eror'"
        " (did you mean 'yarotsky2017error'?)",
        "data/results.yaml:38:17: result 'relu-sobolev-rates' builds on itself",
        "data/results.yaml:38:37: result 'relu-sobolev-rates' builds on unknown result 'sawtooth-squarin'"
        " (did you mean 'sawtooth-squaring'?)",
    ]


def test_builds_on_cycle_is_named(mini: Path, problems: Problems) -> None:
    replace(mini / "results.yaml", "    maths: [real-analysis]\n", "    maths: [real-analysis]\n"
            "    builds_on: [relu-sobolev-rates]\n")
    assert problems(mini) == [
        "data/results.yaml:13:9: builds_on cycle: sawtooth-squaring -> relu-sobolev-rates -> sawtooth-squaring"
        " (a result cannot build, even indirectly, on itself; remove one edge)"
    ]


def test_fields_are_checked(mini: Path, problems: Problems) -> None:
    path = mini / "results.yaml"
    replace(path, '    year: "2017"\n    status: theorem\n    topics: [expressivity]\n    maths: [real-analysis]',
            '    year: 2017\n    status: proven\n    topics: [expressivity]\n    maths: []')
    replace(path, "      - resource: yarotsky2017error\n        where: \"Theorem 1\"", "      - where: Theorem 1")
    assert problems(mini) == [
        "data/results.yaml:17:11: 'year' of result 'sawtooth-squaring': '2017' is read by YAML as an integer,"
        " not text; write it in quotes ('2017') if you mean the text",
        "data/results.yaml:18:13: 'status' of result 'sawtooth-squaring' 'proven' is not one of: theorem,"
        " conjecture, heuristic, empirical",
        "data/results.yaml:20:12: 'maths' of result 'sawtooth-squaring' must list at least 1 id",
        "data/results.yaml:45:9: an entry of 'read' of result 'relu-sobolev-rates' is missing the required key"
        " 'resource'",
    ]


def test_duplicate_ids_and_a_wrong_shape(mini: Path, problems: Problems) -> None:
    path = mini / "results.yaml"
    replace(path, "  - id: relu-sobolev-rates", "  - id: sawtooth-squaring")
    replace(path, "questions:\n", "question:\n")
    found = problems(mini)
    assert "data/results.yaml:29:9: result id 'sawtooth-squaring' is already used on line 13" in found
    assert ("data/results.yaml:1:1: unknown key 'question' (did you mean 'questions'?); expected keys:"
            " 'results', 'questions'") in found


def test_top_level_must_be_a_mapping(mini: Path, problems: Problems) -> None:
    (mini / "results.yaml").write_text("- id: x\n", encoding="utf-8")
    assert problems(mini) == [
        "data/results.yaml:1:1: the top level must be a mapping with the keys 'results', 'questions', found a list"
    ]


def test_checked_days_and_question_status_are_required_and_checked(mini: Path, problems: Problems) -> None:
    path = mini / "results.yaml"
    replace(path, "    status: partly answered\n", "    status: answered\n")
    replace(path, '    status_changed: "2026-12-06"\n', '    status_changed: "2026-02-30"\n')
    replace(path, '    checked: "2026-11-30"\nresults:', '    checked: 30/11/2026\nresults:')
    replace(path, '    gloss: Composing sawtooth functions, a deep narrow ReLU network squares numbers very accurately.\n'
                  '    checked: "2026-11-30"\n',
            '    gloss: Composing sawtooth functions, a deep narrow ReLU network squares numbers very accurately.\n')
    replace(path, '        where: "Theorem 1"\n    checked: "2026-11-30"', '        where: "Theorem 1"\n    checked: TODO')
    assert problems(mini) == [
        "data/results.yaml:4:13: 'status' of question 'what-can-relu-networks-approximate' 'answered' is not one"
        " of: open, partly answered, settled (did you mean 'partly answered'?)",
        "data/results.yaml:5:21: 'status_changed' of question 'what-can-relu-networks-approximate' '2026-02-30'"
        " is not a day of the calendar",
        "data/results.yaml:11:14: 'checked' of question 'what-can-relu-networks-approximate' '30/11/2026' is not"
        " a date of the form YYYY-MM-DD",
        "data/results.yaml:13:5: result 'sawtooth-squaring' is missing the required key 'checked'",
        "data/results.yaml:46:14: still to fill: 'checked' of result 'relu-sobolev-rates' (now 'TODO')",
    ]


def test_a_question_needs_its_status_and_the_day_it_changed(mini: Path, problems: Problems) -> None:
    replace(mini / "results.yaml", '    status: partly answered\n    status_changed: "2026-12-06"\n', "")
    assert problems(mini) == [
        "data/results.yaml:2:5: question 'what-can-relu-networks-approximate' is missing the required key 'status'",
        "data/results.yaml:2:5: question 'what-can-relu-networks-approximate' is missing the required key"
        " 'status_changed'",
    ]


def test_a_resource_needs_its_checked_day(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", '    The standard rigorous first course; free online.\n  checked: "2026-11-22"\n',
            "    The standard rigorous first course; free online.\n  checked: 2026-11-22T10:00:00\n")
    assert problems(mini) == [
        "data/resources.yaml:10:12: 'checked' of resource 'axler2024linear' is 19 characters long; at most 10"
        " are allowed",
    ]
def test_a_locator_naming_only_the_abstract_is_refused(mini: Path, problems: Problems) -> None:
    path = mini / "results.yaml"
    replace(path, 'where: "Proposition 2"', 'where: "Abstract (arXiv v2)"')
    replace(path, 'where: "Theorem 1"', 'where: "abstract"')
    assert problems(mini) == [
        "data/results.yaml:26:16: 'where' of an entry of 'read' of result 'sawtooth-squaring' is"
        " 'Abstract (arXiv v2)', which names only the abstract: give the theorem, proposition, lemma,"
        " section or chapter that states the result",
        "data/results.yaml:46:16: 'where' of an entry of 'read' of result 'relu-sobolev-rates' is 'abstract',"
        " which names only the abstract: give the theorem, proposition, lemma, section or chapter that"
        " states the result",
    ]


def test_a_locator_beside_the_abstract_is_kept(mini: Path, problems: Problems) -> None:
    replace(mini / "results.yaml", 'where: "Proposition 2"', 'where: "Abstract and Theorem 2.1 (arXiv v3)"')
    assert problems(mini) == []


def test_gloss_is_short_text(mini: Path, problems: Problems) -> None:
    path = mini / "results.yaml"
    replace(path, "    gloss: Deep ReLU", "    gloss: " + "x" * 400 + " Deep ReLU")
    assert problems(mini) == ["data/results.yaml:39:12: 'gloss' of result 'relu-sobolev-rates' is 506 characters"
                              " long; at most 400 are allowed"]


def test_unlocated_result_is_a_warning_that_strict_counts(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(mini / "results.yaml", '\n        where: "Proposition 2"', "")
    assert main(["check"]) == 0
    out = capsys.readouterr()
    warning = ("data/results.yaml:13:1: warning: result 'sawtooth-squaring' has no reading with a 'where' locator:"
               " name the theorem, section or chapter of a work in 'read' that states it")
    assert out.out.splitlines()[0] == warning
    assert out.out.splitlines()[1].startswith("ok: 5 resources")
    assert "1 warning." in out.err
    assert main(["check", "--strict"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [warning]
    assert "1 warning (--strict counts them as problems)." in out.err
    assert main(["check", "--format", "json", "--strict"]) == 1
    assert json.loads(capsys.readouterr().out) == {"ok": False, "problems": [], "warnings": [
        {"path": "data/results.yaml", "line": 13, "col": 1, "message": "result 'sawtooth-squaring' has no reading"
         " with a 'where' locator: name the theorem, section or chapter of a work in 'read' that states it"}]}
    assert main(["check", "--format", "github"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "::warning file=data/results.yaml,line=13,col=1,title=readingmap check::result 'sawtooth-squaring' has"
        " no reading with a 'where' locator: name the theorem, section or chapter of a work in 'read' that"
        " states it"]


def test_gloss_is_required(mini: Path, problems: Problems) -> None:
    replace(mini / "results.yaml", "    gloss: Composing sawtooth functions, a deep narrow ReLU network"
            " squares numbers very accurately.\n", "")
    assert problems(mini) == [
        "data/results.yaml:13:5: result 'sawtooth-squaring' is missing the required key 'gloss'"
    ]


def test_the_record_of_checks_has_a_row_for_every_result_and_lists_every_unlocated_one() -> None:
    """data/RESULTS.md records how each result was checked (one row in its first topic's table,
    four cells) and lists, under "No located reading yet", exactly the results whose first reading
    names no numbered statement, section or chapter: the record cannot drift from the data."""
    import re

    from readingmap.catalogue.load import load_catalogue

    repo = Path(__file__).parent.parent
    cat = load_catalogue(repo / "data")
    record = (repo / "data" / "RESULTS.md").read_text(encoding="utf-8")
    rows = [line for line in record.splitlines() if re.match(r"\| [a-z0-9-]+ \| `", line)]
    # A bar inside a formula would split its cell: formulas write \vert and \Vert.
    assert [row.split(" | ", 1)[0] for row in rows if len(re.split(r"(?<!\\)\|", row)) != 6] == []
    ids = [row.split(" | ", 1)[0][2:] for row in rows]
    assert sorted(ids) == sorted(r.id for r in cat.results)
    still = record.split("## Still to check", 1)[1]
    unlocated_part = still.split("**No located reading yet**", 1)[1].split("\n\n**", 1)[0]
    listed = set(re.findall(r"`([a-z0-9-]+)`", unlocated_part))
    heading = re.match(r" \((\d+)\)", unlocated_part)
    assert heading is not None and int(heading.group(1)) == len(listed)
    assert listed == {r.id for r in cat.results if not r.read[0].where}
