"""Tests of generator/output/."""
