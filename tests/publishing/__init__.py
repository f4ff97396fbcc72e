"""Tests of publishing/, the hosted pipelines (.github/, .gitlab-ci.yml) and the pre-commit hook."""
