"""Whole-site tests: the example site (and others) built end to end, as readers get them."""
