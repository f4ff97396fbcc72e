"""Output: the built site's PDFs, search index, last check and atomic switch."""
