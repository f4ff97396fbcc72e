"""The hosted pipelines: GitHub Actions workflows linted by actionlint, the GitLab file read and
its jobs checked, and every command they run is a real target of the Makefile."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    # PyYAML reads a bare `on:` key as True, as YAML 1.1 says; GitHub reads it as "on"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflow(name: str) -> dict:
    return load(REPO / ".github" / "workflows" / name)


def steps(job: dict) -> list[str]:
    return [step.get("uses") or step.get("run") for step in job["steps"]]


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(), re.M))


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert found, "actionlint is installed into .venv from requirements.txt"
    return found


def test_actionlint_finds_nothing_wrong_in_the_workflows():
    result = subprocess.run([actionlint(), "-color=false", *map(str, WORKFLOWS)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(WORKFLOWS) == 2


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text((REPO / ".github" / "workflows" / "publish.yml").read_text().replace("needs: build", "needs: biuld"))
    result = subprocess.run([actionlint(), "-color=false", "-oneline", str(broken)], capture_output=True, text=True)
    assert result.returncode == 1
    assert 'job "deploy" needs job "biuld" which does not exist' in result.stdout


def test_pull_requests_are_checked_built_and_the_site_kept_for_preview():
    flow = workflow("pull-request.yml")
    assert list(flow["on"]) == ["pull_request"]
    job = flow["jobs"]["build"]
    ran = steps(job)
    assert ran.index("make check") < ran.index("make site") < ran.index("actions/upload-artifact@v6")
    upload = job["steps"][-1]["with"]
    assert upload["path"] == "site/" and upload["if-no-files-found"] == "error"
    assert flow["permissions"] == {"contents": "read"}


def test_pushes_to_main_deploy_to_pages_only_after_check_and_build():
    flow = workflow("publish.yml")
    assert flow["on"]["push"] == {"branches": ["main"]}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    ran = steps(build)
    assert ran.index("make check") < ran.index("make site") < ran.index("actions/upload-pages-artifact@v4")
    assert "actions/configure-pages@v6" in ran
    assert deploy["needs"] == "build"  # a failed check or build fails `build`, so deploy never runs
    assert steps(deploy) == ["actions/deploy-pages@v5"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert flow["concurrency"]["cancel-in-progress"] is False
    assert not any(step.get("continue-on-error") for job in flow["jobs"].values() for step in job["steps"])


def test_gitlab_pipeline_has_the_same_checks_and_a_pages_job():
    ci = load(REPO / ".gitlab-ci.yml")
    keywords = {"workflow", "stages", "default", "variables", "cache"}
    jobs = {name: job for name, job in ci.items() if name not in keywords}
    assert set(jobs) == {"check", "build", "pages"}
    for name, job in jobs.items():
        assert job["stage"] in ci["stages"], name
        assert job["script"], name
        assert not job.get("allow_failure"), name
    assert ci["stages"].index("check") < ci["stages"].index("build") < ci["stages"].index("deploy")
    assert jobs["check"]["script"] == ["make check"]
    assert jobs["build"]["artifacts"]["paths"] == ["site/"]
    assert jobs["build"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    pages = jobs["pages"]
    assert pages["needs"] == ["check"] and pages["artifacts"]["paths"] == ["public"]  # GitLab Pages serves public/
    assert pages["script"] == ["make check", ".venv/bin/python -m generator build --site-dir public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_every_make_command_the_pipelines_run_is_a_real_target():
    lines = [step for name in ("pull-request.yml", "publish.yml") for job in workflow(name)["jobs"].values()
             for step in steps(job)]
    ci = load(REPO / ".gitlab-ci.yml")
    lines += [line for job in ci.values() if isinstance(job, dict) for line in job.get("script", [])]
    wanted = {line.split()[1] for line in lines if line.startswith("make ")}
    assert wanted == {"check", "site"}
    assert wanted <= make_targets()


BUILD_CACHES = [".cache/pdf", ".cache/gate", ".cache/search", ".cache/slides", ".cache/pages", ".cache/checked", ".cache/render"]


def test_github_keeps_the_build_caches_and_only_main_saves_them():
    publish, pull = workflow("publish.yml")["jobs"]["build"], workflow("pull-request.yml")["jobs"]["build"]
    for job, action in ((publish, "actions/cache@v5"), (pull, "actions/cache/restore@v5")):
        ran = steps(job)
        # restored before the check: it reads and keeps .cache/checked
        assert ran.index(action) < ran.index("make check") < ran.index("make site")
        cache = next(step for step in job["steps"] if step.get("uses") == action)["with"]
        assert cache["path"].split() == BUILD_CACHES
        assert cache["restore-keys"] == "briefings-build-" and cache["key"].startswith("briefings-build-")
        assert "github.run_id" in cache["key"]  # a saved cache is never overwritten: a new key each run
        assert job["timeout-minutes"] >= 60  # a cold build of 5,000 reviews: 26 minutes on 2 cores, measured


def test_gitlab_keeps_the_build_caches_and_only_the_pages_job_saves_them():
    ci = load(REPO / ".gitlab-ci.yml")
    def build_cache(caches):
        return next(c for c in caches if c["paths"] == BUILD_CACHES)
    assert build_cache(ci["cache"])["policy"] == "pull"
    assert build_cache(ci["pages"]["cache"])["policy"] == "pull-push"
    assert build_cache(ci["pages"]["cache"])["key"] == build_cache(ci["cache"])["key"]
    assert ci["pages"]["timeout"] == ci["build"]["timeout"] == "90 minutes"
