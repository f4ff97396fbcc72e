"""Tests of generator/check/."""
