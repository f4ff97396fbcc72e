"""Load: YAML files to Documents that know the line of every value."""
