"""Check: every rule a file must meet, as plain-English problems with their lines."""
