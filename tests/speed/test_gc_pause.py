"""The garbage collector is paused while a stage runs, and always running again afterwards."""
import gc

import pytest

from generator.speed import gc_pause as collector
from generator.pages import site as rendering
from generator.check import review as validation
from generator.site import load_site

from conftest import REPO


def test_the_collector_is_paused_inside_and_running_after_even_a_failure():
    seen = []

    @collector.paused
    def stage(fail: bool):
        seen.append(gc.isenabled())
        inner()  # a paused stage inside another leaves it paused
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("stopped")

    @collector.paused
    def inner():
        seen.append(gc.isenabled())

    assert gc.isenabled()
    stage(fail=False)
    with pytest.raises(ValueError):
        stage(fail=True)
    assert seen == [False] * 6 and gc.isenabled()


def test_loading_and_rendering_run_with_the_collector_paused(monkeypatch):
    states = []
    real, budget = rendering.render_review, validation.check_budget
    monkeypatch.setattr(rendering, "render_review", lambda *a: states.append(gc.isenabled()) or real(*a))
    monkeypatch.setattr(validation, "check_budget", lambda *a: states.append(gc.isenabled()) or budget(*a))
    site = load_site(REPO).site
    assert len(states) == len(site.reviews)
    rendering.render_site(site)
    assert states and not any(states) and gc.isenabled()
