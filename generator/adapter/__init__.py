"""Adapters: the site engine (MkDocs) running the generator, and what serve keeps."""
