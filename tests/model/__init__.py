"""Tests of generator/model/."""
