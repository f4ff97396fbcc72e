"""The MkDocs events and their state are one object (adapter/plugin.py); the hook file names it."""
from mkdocs.config import load_config

from generator.adapter.plugin import briefings_plugin
from generator.dev import corpus

HOOK = "generator/adapter/mkdocs_hook.py"


def test_every_copy_of_the_hook_file_hands_mkdocs_the_events_of_one_object(tmp_path):
    """MkDocs loads the hook by path, so two mkdocs.yml load two copies of it: state kept in the
    file would split between them, and serve's caches or the CLI's hand-over would be lost."""
    hooks = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        corpus.make_buildable(tmp_path / name)
        hooks.append(load_config(str(tmp_path / name / "mkdocs.yml")).plugins[HOOK])
    assert hooks[0] is not hooks[1]  # two copies of the file ...
    for hook in hooks:  # ... and one object behind both
        for event in ("on_startup", "on_shutdown", "on_config", "on_files", "on_page_markdown",
                      "on_page_content", "on_post_page", "on_post_build", "on_serve"):
            assert getattr(hook, event).__self__ is briefings_plugin(), event


def test_serve_keeps_its_caches_from_startup_to_shutdown_and_a_build_has_none(tmp_path):
    config = load_config(str(corpus.make_buildable(tmp_path) / "mkdocs.yml"))
    plugin = briefings_plugin()
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        caches = plugin.serve
        assert plugin.serving and caches is not None
        again = load_config(str(tmp_path / "mkdocs.yml"))  # as serve does on every rebuild
        assert again.plugins[HOOK].on_config.__self__.serve is caches
    finally:
        config.plugins.on_shutdown()
    assert plugin.serve is None and not plugin.serving
    config.plugins.on_startup(command="build", dirty=True)
    try:
        assert plugin.serve is None and plugin.reusing_pages
    finally:
        config.plugins.on_shutdown()
    assert not plugin.reusing_pages


def test_a_build_keeps_its_pages_in_the_project_for_the_next_build(tmp_path, caplog):
    """A build is a fresh process: what it rendered is kept on disk (pages/render_cache.py), and
    the next build of the same sources renders none of it again."""
    corpus.make(2, tmp_path)
    corpus.make_buildable(tmp_path)
    plugin = briefings_plugin()

    def generated():
        config = load_config(str(tmp_path / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            caplog.clear()
            with caplog.at_level("INFO", logger="mkdocs.hooks.briefings"):
                config.plugins.on_config(config)
            told = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Generated pages:")]
            return list(plugin.generated), told
        finally:
            config.plugins.on_shutdown()

    first, told = generated()
    assert told == ["Generated pages: 0 reviews' and 0 listing pages as kept, 2 reviews' and 20 listing pages rendered"]
    assert list((tmp_path / ".cache" / "render").glob("*.pages"))
    again, told = generated()
    assert again == first
    assert told == ["Generated pages: 2 reviews' and 20 listing pages as kept, 0 reviews' and 0 listing pages rendered"]
