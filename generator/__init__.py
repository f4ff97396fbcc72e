"""Turn case review files into seven-minute briefings, learning briefs and theme pages."""
