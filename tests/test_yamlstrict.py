"""The YAML reader gives the same tree and the same problems whichever parser PyYAML uses."""

from __future__ import annotations

import pytest

from readingmap.catalogue import yamlstrict

DOCUMENTS = {
    "deep flow nesting (libyaml stops at about 1,000 levels)": b"- why: " + b"[" * 1200 + b"]" * 1200 + b"\n",
    "unclosed flow list": b"- id: x\n  requires: [a, b\n- id: y\n",
    "mapping value in plain text": b"- id: x\n  why: a: b\n",
    "bad indentation": b"- id: x\n   name: y\n  why: z\n",
    "a valid record": b"- id: x\n  topics: [a, b]\n  why: >-\n    text\n",
}


def _shape(node: yamlstrict.Node | None, depth: int = 0) -> object:
    """The tree as plain data with positions, iteratively deep enough for the nesting case."""
    if node is None or depth > 50:
        return None
    if isinstance(node, yamlstrict.Scalar):
        return (node.value, node.tag, node.line, node.col)
    if isinstance(node, yamlstrict.Seq):
        return ("seq", node.line, node.col, [_shape(i, depth + 1) for i in node.items])
    return ("map", node.line, node.col, [(_shape(k), _shape(v, depth + 1)) for k, v in node.items])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_same_verdict_with_every_parser(name: str) -> None:
    results = {p: yamlstrict.load("f.yaml", DOCUMENTS[name], parser=p) for p in yamlstrict.PARSERS}
    verdicts = {p: (_shape(root), [str(x) for x in problems]) for p, (root, problems) in results.items()}
    reference = verdicts[yamlstrict.REFERENCE]
    assert all(v == reference for v in verdicts.values()), verdicts


def test_libyaml_refuses_what_the_reference_parser_reads() -> None:
    """The case the fallback exists for (where PyYAML is built with libyaml)."""
    import yaml

    if "libyaml" not in yamlstrict.PARSERS:
        pytest.skip("this PyYAML has no libyaml")
    document = DOCUMENTS["deep flow nesting (libyaml stops at about 1,000 levels)"].decode()
    try:
        list(yaml.parse(document, Loader=yamlstrict.PARSERS["libyaml"]))
    except yaml.MarkedYAMLError:
        root, problems = yamlstrict.load("f.yaml", document.encode(), parser="libyaml")
        assert problems == [] and isinstance(root, yamlstrict.Seq)  # read again by the reference parser
    else:
        pytest.skip("this libyaml reads the document: there is nothing to fall back from")


def test_deep_nesting_is_read_not_refused() -> None:
    root, problems = yamlstrict.load("f.yaml", DOCUMENTS["deep flow nesting (libyaml stops at about 1,000 levels)"])
    assert problems == []
    assert isinstance(root, yamlstrict.Seq)


def test_syntax_errors_are_worded_by_the_reference_parser() -> None:
    _, problems = yamlstrict.load("f.yaml", DOCUMENTS["unclosed flow list"])
    assert [str(p) for p in problems] == [
        "f.yaml:3:5: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence)"
    ]


def test_a_branch_hashes_once_and_its_hash_does_not_travel() -> None:
    import pickle

    root, problems = yamlstrict.load("x.yaml", b"- id: a\n  tags: [b, c]\n- id: d\n")
    assert not problems and isinstance(root, yamlstrict.Seq)
    again, _ = yamlstrict.load("x.yaml", b"- id: a\n  tags: [b, c]\n- id: d\n")
    assert hash(root) == hash(again) and root == again
    assert "_hash" in root.__dict__  # kept after the first hash
    copy = pickle.loads(pickle.dumps(root))
    # string hashes differ from one process to the next: a copy computes its own
    assert "_hash" not in copy.__dict__ and copy == root and hash(copy) == hash(root)
