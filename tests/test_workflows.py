"""The GitHub workflows and issue forms: safe triggers, least privilege, pinned actions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


LOCKED_INSTALL = ("python -m pip install -r requirements.txt &&"
                  " python -m pip install --no-deps --no-build-isolation -e .")


def test_the_four_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "deploy.yml", "links.yml", "newest.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for step in _steps(_load(path)):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), f"{path.name}: {step['uses']} is not SHA-pinned"
    for line in text.splitlines():
        if re.match(r"\s*(-\s+)?uses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d", line), f"{path.name}: no version comment: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_untrusted_expression_in_run_lines(path: Path) -> None:
    for step in _steps(_load(path)):
        run = step.get("run", "")
        assert "${{" not in run, f"{path.name}: expression inside run: {run!r}"
    text = path.read_text(encoding="utf-8")
    assert "github.event." not in text
    assert "head_ref" not in text


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_never_pull_request_target_and_read_only_by_default(path: Path) -> None:
    workflow = _load(path)
    assert "pull_request_target" not in workflow["on"]
    code = [line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()]
    assert not any("pull_request_target" in line for line in code)
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        extra = {k: v for k, v in job.get("permissions", {}).items() if v != "read"}
        allowed = {"deploy.yml": {"deploy": {"pages": "write", "id-token": "write"}},
                   "links.yml": {"links": {"issues": "write"}}}.get(path.name, {}).get(name, {})
        assert extra == allowed, f"{path.name}: job {name} asks for {extra}"


def test_ci_runs_on_pull_requests_and_main_and_does_everything() -> None:
    ci = _load(GITHUB / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["on"]["push"] == {"branches": ["main"]}
    runs = "\n".join(step.get("run", "") for step in _steps(ci))
    assert LOCKED_INSTALL in runs
    assert "pytest" in runs
    # the browser tests run against a real browser there (they fail rather than skip under CI)
    test_step = next(step for step in _steps(ci) if "pytest" in step.get("run", ""))
    assert test_step["env"]["READINGMAP_CHROMIUM"]
    assert "readingmap check --format github" in runs
    assert "mkdocs build --strict" in runs
    for step in _steps(ci):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_ci_keeps_the_build_cache_between_runs() -> None:
    ci = _load(GITHUB / "workflows" / "ci.yml")
    steps = _steps(ci)
    cached = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@")]
    build = next(i for i, s in enumerate(steps) if "mkdocs build --strict" in s.get("run", ""))
    assert len(cached) == 1 and cached[0] < build
    step = steps[cached[0]]["with"]
    assert step["path"] == ".cache/readingmap"
    for part in ("hashFiles('requirements.txt', 'pyproject.toml')", "hashFiles('data/**')"):
        assert part in step["key"]
    assert step["restore-keys"].split()


def test_deploy_builds_then_deploys_in_a_separate_job() -> None:
    deploy = _load(GITHUB / "workflows" / "deploy.yml")
    assert set(deploy["on"]) == {"push", "workflow_dispatch"}
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert deploy["concurrency"]["group"]
    build, job = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert "permissions" not in build  # only the workflow's contents: read
    assert job["needs"] == "build"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    build_uses = [s.get("uses", "") for s in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build_uses)
    assert "mkdocs build --strict" in "\n".join(s.get("run", "") for s in build["steps"])
    assert [s["uses"].split("@")[0] for s in job["steps"]] == ["actions/deploy-pages"]


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml", "links.yml"])
def test_pull_requests_and_deploys_install_from_the_lock_file(name: str) -> None:
    workflow = _load(GITHUB / "workflows" / name)
    runs = "\n".join(step.get("run", "") for step in _steps(workflow))
    assert LOCKED_INSTALL in runs
    assert "pip install -e" not in runs.replace(LOCKED_INSTALL, "")
    setup = next(s for s in _steps(workflow) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"  # what requirements.txt is compiled for


def test_newest_allowed_releases_are_tested_weekly_outside_pull_requests() -> None:
    newest = _load(GITHUB / "workflows" / "newest.yml")
    assert set(newest["on"]) == {"schedule", "workflow_dispatch"}
    runs = "\n".join(step.get("run", "") for step in _steps(newest))
    assert "pip install --upgrade --upgrade-strategy eager -e '.[test]'" in runs
    assert "requirements.txt" not in runs
    assert "pytest" in runs and "mkdocs build --strict" in runs


def test_dependabot_updates_the_lock_file_and_the_actions() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text("utf-8"))
    assert config["version"] == 2
    assert {(u["package-ecosystem"], u["directory"]) for u in config["updates"]} == {
        ("pip", "/"), ("github-actions", "/")}


def test_readme_and_ci_install_from_the_lock_file() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme.split("## Quick start", 1)[1].split("\n## ", 1)[0], re.S)
    install = (".venv/bin/pip install -r requirements.txt &&"
               " .venv/bin/pip install --no-deps --no-build-isolation -e .")
    assert commands == [f"python3 -m venv .venv && {install} && .venv/bin/mkdocs serve",
                        f"python3 -m venv .venv && {install} && .venv/bin/pytest"]
    assert commands[1] in (ROOT / ".ci" / "run").read_text("utf-8")
    lock = (ROOT / "requirements.txt").read_text("utf-8")
    assert "pip-compile" in lock and "--generate-hashes" in lock
    pins = re.findall(r"^([a-z0-9._-]+)==\S+ \\$", lock, re.M)
    assert {"mkdocs", "mkdocs-material", "pyyaml", "pybtex", "pytest", "playwright", "setuptools"} <= set(pins)


def test_link_check_is_scheduled_and_never_blocks_pull_requests() -> None:
    links = _load(GITHUB / "workflows" / "links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    assert links["on"]["schedule"][0]["cron"]
    runs = "\n".join(step.get("run", "") for step in _steps(links))
    assert "readingmap links --json" in runs
    assert "--fail-on-broken" not in runs
    uses = [s.get("uses", "").split("@")[0] for s in _steps(links)]
    assert "actions/upload-artifact" in uses


def test_issue_forms_match_the_site_links() -> None:
    from readingmap.render.site import Options, edit_links

    _, issue_url = edit_links(Options(repo_url="https://github.com/o/r"), "berner2021modern", 3)
    assert issue_url is not None
    template = re.search(r"template=([\w.-]+)", issue_url)
    assert template is not None
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / template.group(1)).read_text("utf-8"))
    ids = {item.get("id") for item in form["body"]}
    prefilled = set(re.findall(r"[?&](\w[\w-]*)=", issue_url)) - {"template", "title"}
    assert prefilled and prefilled <= ids, (prefilled, ids)
    suggest = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "suggest-resource.yml").read_text("utf-8"))
    assert {"resource-title", "link", "why", "topic"} <= {i.get("id") for i in suggest["body"]}
    for each in (form, suggest):
        assert each["name"] and each["description"]
        assert all(i["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
                   for i in each["body"])


def test_pull_request_template_has_the_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    assert text.count("- [ ]") >= 5
    assert "readingmap check" in text and "mkdocs build --strict" in text
