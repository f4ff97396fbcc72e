"""Model: the typed objects of a site, and how checked Documents become them."""
