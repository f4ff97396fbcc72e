"""Pages: the model rendered through Jinja2 templates into Markdown pages, in memory."""
