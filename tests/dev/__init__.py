"""Tests of generator/dev/."""
