"""Tests of generator/adapter/."""
