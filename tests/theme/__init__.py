"""Tests of theme/: the browser scripts, run with Node."""
