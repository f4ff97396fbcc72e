"""Tests of generator/pages/."""
