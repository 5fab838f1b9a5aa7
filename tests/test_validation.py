"""One test per kind of contributor mistake: each asserts the exact ``path:line:col: message``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from readingmap.cli import main

Problems = Callable[[Path], list[str]]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"fixture does not contain {old!r}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def test_valid_fixture_has_no_problems(mini: Path, problems: Problems) -> None:
    assert problems(mini) == []


def test_yaml_syntax_error(mini: Path, problems: Problems) -> None:
    replace(mini / "topics.yaml", "requires: [linear-algebra]", "requires: [linear-algebra")
    assert problems(mini) == [
        "data/topics.yaml:5:13: YAML syntax error: expected ',' or ']', but got ':'"
        " (while parsing a flow sequence)"
    ]


def test_duplicate_key(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  level: introductory\n", "  level: introductory\n  level: advanced\n")
    assert problems(mini) == [
        "data/resources.yaml:6:3: duplicate key 'level' (first given on line 5);"
        " YAML would silently keep only the last one"
    ]


def test_anchor_and_alias(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  topics: [linear-algebra]", "  topics: &t [linear-algebra]")
    replace(mini / "resources.yaml", "  topics: [real-analysis]", "  topics: *t")
    assert problems(mini) == [
        "data/resources.yaml:4:11: anchor &t is not allowed: write each value out in full",
        "data/resources.yaml:14:11: alias *t is not allowed: write the value out in full",
    ]


@pytest.mark.parametrize(
    ("value", "read_as"),
    [("no", "a boolean"), ("1984", "an integer"), ("2020-01-01", "a date")],
)
def test_implicit_type_surprise(mini: Path, problems: Problems, value: str, read_as: str) -> None:
    replace(mini / "resources.yaml", "    by: Suvrit", f"    by: {value}")
    assert problems(mini) == [
        f"data/resources.yaml:29:11: 'by' of an entry of 'recommended_in' of resource"
        f" 'goodfellow2016deep': {value!r} is read by YAML as {read_as}, not text;"
        f" write it in quotes ('{value}') if you mean the text"
    ]


def test_unknown_key_suggests_the_right_one(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  topics: [foundations]", "  topic: [foundations]")
    found = problems(mini)
    assert any(p.startswith("data/resources.yaml:24:3: unknown key 'topic' in resource"
                            " 'goodfellow2016deep' (did you mean 'topics'?); expected keys: id,")
               for p in found), found
    assert "data/resources.yaml:21:3: resource 'goodfellow2016deep' is missing the required key 'topics'" in found


def test_missing_required_field(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  level: advanced\n", "")
    assert problems(mini) == [
        "data/resources.yaml:34:3: resource 'yarotsky2017error' is missing the required key 'level'"
    ]


def test_wrong_shape(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  topics: [real-analysis]", "  topics: real-analysis")
    assert problems(mini) == [
        "data/resources.yaml:14:11: 'topics' of resource 'tao2016analysis' must be a list of ids"
        " (e.g. [a, b]), found a string"
    ]


def test_wrong_top_level_shape(mini: Path, problems: Problems) -> None:
    (mini / "sources.yaml").write_text("id: mo-thread\n", encoding="utf-8")
    assert problems(mini)[0] == (
        "data/sources.yaml:1:1: the top level must be a list of sources (each item starting with"
        " '- id:'), found a mapping"
    )


def test_duplicate_resource_id(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "- id: tao2016analysis", "- id: axler2024linear")
    assert "data/resources.yaml:11:7: resource id 'axler2024linear' is already used on line 1" in problems(mini)


def test_id_not_a_slug(mini: Path, problems: Problems) -> None:
    replace(mini / "topics.yaml", "- id: expressivity", "- id: Expressivity_2")
    found = problems(mini)
    assert (
        "data/topics.yaml:6:7: 'id' of topic 'Expressivity_2' is not a slug: use"
        " lower-case letters, digits and single hyphens (e.g. 'berner2021modern' or 'infinite-width')"
    ) in found
    # the resource that uses the old id is told so too: 'expressivity' no longer exists
    assert "data/resources.yaml:37:12: unknown topic or maths area 'expressivity'" in found


def test_unknown_topic_and_prerequisite(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  prerequisites: [approximation-theory, foundations]",
            "  prerequisites: [aproximation-theory, foundations]")
    replace(mini / "resources.yaml", "  topics: [expressivity]", "  topics: [expresivity]")
    assert problems(mini) == [
        "data/resources.yaml:37:12: unknown topic or maths area 'expresivity' (did you mean 'expressivity'?)",
        "data/resources.yaml:38:19: unknown prerequisite 'aproximation-theory'"
        " (did you mean 'approximation-theory'?)",
    ]


def test_maths_area_may_not_require_a_topic(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  requires: [real-analysis, linear-algebra]", "  requires: [real-analysis, foundations]")
    assert problems(mini) == [
        "data/maths.yaml:18:29: maths area 'approximation-theory' requires 'foundations', which is a"
        " research topic; a maths area may only require maths areas"
    ]


def test_duplicate_maths_id_does_not_hide_a_later_problem(mini: Path, problems: Problems) -> None:
    """A duplicate record used to shift every later record's positions (values and positions were
    paired by index); each problem must still be reported, at its own value."""
    replace(mini / "maths.yaml", "- id: real-analysis",
            "- id: linear-algebra\n  name: Again\n  description: A second record.\n  can_do: [a, b, c]\n- id: real-analysis")
    replace(mini / "maths.yaml", "  requires: [real-analysis, linear-algebra]",
            "  requires: [real-analysis, linear-algebra, foundations]")
    assert problems(mini) == [
        "data/maths.yaml:8:7: id 'linear-algebra' is already used at data/maths.yaml:1;"
        " topic and maths-area ids share one namespace",
        "data/maths.yaml:22:45: maths area 'approximation-theory' requires 'foundations', which is a"
        " research topic; a maths area may only require maths areas",
    ]


def test_repeated_topic_and_unknown_topic_each_at_its_column(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  topics: [expressivity]", "  topics: [expressivity, expressivity, nosuch]")
    assert problems(mini) == [
        "data/resources.yaml:37:26: 'topics' of resource 'yarotsky2017error' lists 'expressivity' twice",
        "data/resources.yaml:37:40: unknown topic or maths area 'nosuch'",
    ]


def test_cycle_is_named(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  description: Vector spaces, linear maps, eigenvalues and the singular value decomposition.",
            "  description: Vector spaces.\n  requires: [approximation-theory]")
    assert problems(mini) == [
        "data/maths.yaml:1:1: prerequisite cycle: linear-algebra -> approximation-theory ->"
        " linear-algebra (each requires the next to be read first; remove one requires edge)"
    ]


def test_resource_without_bibtex_entry(mini: Path, problems: Problems) -> None:
    replace(mini / "refs.bib", "@book{tao2016analysis,", "@book{tao2016analysisx,")
    assert problems(mini) == [
        "data/refs.bib:11:1: BibTeX entry 'tao2016analysisx' has no resource in data/resources.yaml:"
        " add one with id: tao2016analysisx, or remove the entry",
        "data/resources.yaml:11:7: resource 'tao2016analysis' has no BibTeX entry:"
        " add @...{tao2016analysis, ...} to data/refs.bib",
    ]


def test_duplicate_bibtex_key_differing_in_case(mini: Path, problems: Problems) -> None:
    append(mini / "refs.bib", "\n@book{Axler2024Linear,\n  title = {X}, author = {A, B}, year = {2020},"
           " publisher = {P},\n}\n")
    assert problems(mini) == [
        "data/refs.bib:46:1: duplicate BibTeX key 'Axler2024Linear': key 'axler2024linear'"
        " (keys ignore case) is already used on line 1"
    ]


def test_repeated_bibtex_field(mini: Path, problems: Problems) -> None:
    replace(mini / "refs.bib", "  edition = {4},", "  edition = {4},\n  year = {2023},")
    assert problems(mini) == ["data/refs.bib:6:3: field 'year' is given twice in entry 'axler2024linear'"]


def test_malformed_bibtex_entry(mini: Path, problems: Problems) -> None:
    replace(mini / "refs.bib", "  title = {Analysis {I}},", "  title = {Analysis {I},")
    found = problems(mini)
    assert found[0].startswith("data/refs.bib:")
    assert "BibTeX syntax error" in found[0]


def test_unsupported_entry_type(mini: Path, problems: Problems) -> None:
    replace(mini / "refs.bib", "@book{tao2016analysis,", "@online{tao2016analysis,")
    assert problems(mini) == [
        "data/refs.bib:11:1: unsupported entry type @online in entry 'tao2016analysis'; use one of:"
        " @article, @book, @inbook, @incollection, @inproceedings, @misc, @phdthesis, @techreport,"
        " @unpublished",
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "only http:// and https:// links are allowed (in lower case), found scheme 'javascript'"),
        ("ftp://example.org/x", "only http:// and https:// links are allowed (in lower case), found scheme 'ftp'"),
        ("https://evil.example@good.example/", "the URL puts a user name before the host ('user@host'), which disguises the real host"),
    ],
)
def test_url_not_http(mini: Path, problems: Problems, url: str, message: str) -> None:
    replace(mini / "refs.bib", "  url = {https://linear.axler.net/},", f"  url = {{{url}}},")
    assert problems(mini) == [f"data/refs.bib:7:3: field 'url' of entry 'axler2024linear': {message}"]


def test_every_problem_is_reported_at_once(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  level: introductory\n", "  level: beginner\n")
    replace(mini / "refs.bib", "  year = {2017},", "  year = {17},")
    replace(mini / "topics.yaml", "requires: [linear-algebra]", "requires: [linear-algebr]")
    assert problems(mini) == [
        "data/refs.bib:32:3: field 'year' of entry 'yarotsky2017error': '17' is not a four-digit year",
        "data/resources.yaml:5:10: 'level' of resource 'axler2024linear' 'beginner' is not one of:"
        " introductory, intermediate, advanced",
        "data/topics.yaml:4:14: topic 'foundations' requires unknown id 'linear-algebr'"
        " (did you mean 'linear-algebra'?)",
    ]


def test_check_cli_prints_every_problem_and_fails(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(mini / "resources.yaml", "  level: introductory\n", "  level: beginner\n")
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "data/resources.yaml:5:10: 'level' of resource 'axler2024linear' 'beginner' is not one of:"
        " introductory, intermediate, advanced"
    ]
    assert "1 problem found." in out.err


def test_check_cli_ok(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("ok: 5 resources, 2 topics, 3 maths areas, 1 sources")


def test_check_cli_github_format(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One workflow command per problem, escaped as the Actions runner expects."""
    replace(mini / "resources.yaml", "  level: introductory\n", "  level: '50%, at: most'\n")
    replace(mini / "resources.yaml", "  level: introductory\n", "  level: beginner\n")
    assert main(["check", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=data/resources.yaml,line=5,col=10,title=readingmap check::'level' of resource"
        " 'axler2024linear' '50%25, at: most' is not one of: introductory, intermediate, advanced",
        "::error file=data/resources.yaml,line=16,col=10,title=readingmap check::'level' of resource"
        " 'tao2016analysis' 'beginner' is not one of: introductory, intermediate, advanced",
    ]


def test_github_format_escapes_properties_and_newlines() -> None:
    from readingmap.problems import Problem

    assert Problem("data/a,b:c.yaml", 3, 1, "100%\nsure\r").as_github() == (
        "::error file=data/a%2Cb%3Ac.yaml,line=3,col=1,title=readingmap check::100%25%0Asure%0D"
    )


# -- a maths area's family ---------------------------------------------------------------------
def test_family_must_be_text(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  family: Analysis", "  family: [Analysis]")
    assert problems(mini) == [
        "data/maths.yaml:19:11: 'family' of maths area 'approximation-theory' must be text, found a list"]


def test_family_is_a_short_heading(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  family: Analysis", "  family: " + "Analysis " * 7)
    assert problems(mini) == [
        "data/maths.yaml:19:11: 'family' of maths area 'approximation-theory' is 62 characters long;"
        " at most 60 are allowed"]


def test_family_may_not_be_empty(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  family: Analysis", "  family: ''")
    assert problems(mini) == ["data/maths.yaml:19:11: 'family' of maths area 'approximation-theory' is empty: give a value"]


def test_family_has_one_spelling(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  name: Real analysis", "  name: Real analysis\n  family: analysis ")
    assert problems(mini) == [
        "data/maths.yaml:20:11: family 'Analysis' of maths area 'approximation-theory' is spelled"
        " 'analysis' on line 10: use one spelling"]


def test_topics_have_no_family(mini: Path, problems: Problems) -> None:
    replace(mini / "topics.yaml", "  name: Foundations",
            "  name: Foundations\n  family: Analysis")
    assert problems(mini) == [
        "data/topics.yaml:3:3: unknown key 'family' in topic 'foundations'; expected keys: id, name,"
        " aliases, description, requires, start_here, gentle_start"]


# -- what is not a reading (venues) ------------------------------------------------------------
def test_venue_takes_no_level(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  kind: paper\n", "  kind: venue\n")
    assert problems(mini) == [
        "data/resources.yaml:39:10: resource 'yarotsky2017error' is a venue, which is not a reading and"
        " takes no level: remove its 'level'"]


def test_reading_needs_a_level_and_a_start_is_a_reading(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  kind: paper\n  topics: [expressivity]\n"
            "  prerequisites: [approximation-theory, foundations]\n  level: advanced\n",
            "  kind: venue\n  topics: [expressivity]\n  prerequisites: [approximation-theory, foundations]\n")
    assert problems(mini) == [
        "data/topics.yaml:10:16: start_here of 'expressivity' names 'yarotsky2017error', which is not a"
        " reading (a venue): name something to read"]
    replace(mini / "resources.yaml", "  kind: book\n  topics: [linear-algebra]\n", "  kind: book\n"
            "  topics: [linear-algebra]\n  level: introductory\n")
    replace(mini / "resources.yaml", "  level: introductory\n  level: introductory\n", "")
    assert problems(mini)[0] == (
        "data/resources.yaml:1:3: resource 'axler2024linear' is missing the required key 'level'")


# -- a topic's gentle start ---------------------------------------------------------------------
def test_gentle_start_must_be_a_resource_on_the_topic(mini: Path, problems: Problems) -> None:
    replace(mini / "topics.yaml", "  start_here: [yarotsky2017error]\n",
            "  start_here: [yarotsky2017error]\n  gentle_start: goodfellow2016deep\n")
    assert problems(mini) == [
        "data/topics.yaml:11:17: gentle_start of topic 'expressivity' names 'goodfellow2016deep', which is"
        " not on the topic: its topics do not list 'expressivity'"]


def test_gentle_start_must_exist(mini: Path, problems: Problems) -> None:
    replace(mini / "topics.yaml", "  start_here: [yarotsky2017error]\n",
            "  start_here: [yarotsky2017error]\n  gentle_start: goodfellow2016\n")
    assert problems(mini) == [
        "data/topics.yaml:11:17: gentle_start of topic 'expressivity' names 'goodfellow2016', which is not"
        " a resource (did you mean 'goodfellow2016deep'?)"]


def test_gentle_start_must_be_introductory(mini: Path, problems: Problems) -> None:
    replace(mini / "topics.yaml", "  start_here: [yarotsky2017error]\n",
            "  start_here: [yarotsky2017error]\n  gentle_start: yarotsky2017error\n")
    assert problems(mini) == [
        "data/topics.yaml:11:17: gentle_start of topic 'expressivity' names 'yarotsky2017error', which is"
        " advanced: the gentle start must be an introductory resource"]


def test_topic_without_introductory_start_names_a_gentle_start(mini: Path, problems: Problems) -> None:
    replace(mini / "resources.yaml", "  topics: [foundations]\n", "  topics: [foundations, expressivity]\n")
    assert problems(mini) == [
        "data/topics.yaml:6:1: topic 'expressivity' starts with no introductory resource and names no gentle"
        " start: add gentle_start: <resource id>, an introductory way in for readers who lack the start's"
        " prerequisites (candidates: goodfellow2016deep)"]
    replace(mini / "topics.yaml", "  start_here: [yarotsky2017error]\n",
            "  start_here: [yarotsky2017error]\n  gentle_start: goodfellow2016deep\n")
    assert problems(mini) == []


# -- one result listed twice --------------------------------------------------------------------
SAME_WORK = ("data/results.yaml:29:9: results 'sawtooth-squaring' (line 13) and 'relu-sobolev-rates' cite the"
             " same work 'yarotsky2017error' and year 2017: if they are one result, merge them; if not,"
             " name one in the other's builds_on, or say in 'differs' how they differ")


def test_two_results_of_one_paper_and_year(mini: Path, problems: Problems) -> None:
    replace(mini / "results.yaml", "    builds_on: [sawtooth-squaring]\n", "")
    assert problems(mini) == [SAME_WORK]


def test_results_of_one_paper_that_say_how_they_differ(mini: Path, problems: Problems) -> None:
    replace(mini / "results.yaml", "    builds_on: [sawtooth-squaring]\n",
            "    differs: The rates for Sobolev balls, of which the squaring network is one step.\n")
    assert problems(mini) == []


def test_short_name_of_a_maths_area_is_short(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "  name: Linear algebra\n",
            "  name: Linear algebra\n  short: Linear algebra over any field\n")
    assert problems(mini) == [
        "data/maths.yaml:3:10: 'short' of maths area 'linear-algebra' is 29 characters long; at most 20"
        " are allowed"]


# -- what knowing a maths area means (can_do) -------------------------------------------------------
LA_CAN_DO = ("  can_do:\n    - compute the eigen-decomposition of a symmetric matrix\n"
             "    - compute a singular value decomposition\n    - solve a least-squares problem\n")


def test_every_maths_area_says_what_knowing_it_means(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", LA_CAN_DO, "")
    assert problems(mini) == ["data/maths.yaml:1:3: maths area 'linear-algebra' is missing the required key 'can_do'"]


def test_can_do_is_a_list(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", LA_CAN_DO, "  can_do: compute eigenvalues\n")
    assert problems(mini) == [
        "data/maths.yaml:4:11: 'can_do' of maths area 'linear-algebra' must be a list of 3 to 5 things a reader"
        " who knows the area can do (e.g. [compute the eigen-decomposition of a symmetric matrix]), found a string"]


def test_can_do_lists_three_to_five_things(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "    - solve a least-squares problem\n", "")
    assert problems(mini) == [
        "data/maths.yaml:5:5: 'can_do' of maths area 'linear-algebra' lists 2 things; give 3 to 5 concrete"
        " things a reader who knows the area can do"]
    replace(mini / "maths.yaml", "    - compute a singular value decomposition\n",
            "".join(f"    - skill {n}\n" for n in range(5)))
    assert problems(mini) == [
        "data/maths.yaml:5:5: 'can_do' of maths area 'linear-algebra' lists 6 things; give 3 to 5 concrete"
        " things a reader who knows the area can do"]


def test_can_do_items_are_short_distinct_texts(mini: Path, problems: Problems) -> None:
    replace(mini / "maths.yaml", "    - compute a singular value decomposition\n",
            "    - Compute the eigen-decomposition of a symmetric matrix\n    - " + "x" * 201 + "\n    - TODO\n")
    assert problems(mini) == [
        "data/maths.yaml:6:7: 'can_do' of maths area 'linear-algebra' lists 'Compute the eigen-decomposition"
        " of a symmetric matrix' twice",
        "data/maths.yaml:7:7: an entry of 'can_do' of maths area 'linear-algebra' is 201 characters long;"
        " at most 200 are allowed",
        "data/maths.yaml:8:7: still to fill: an entry of 'can_do' of maths area 'linear-algebra' (now 'TODO')",
    ]
