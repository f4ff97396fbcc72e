"""Developer tools: benchmarks, synthetic corpora and search probes (not used by a build)."""
