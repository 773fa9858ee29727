"""Server-rendered pages (Jinja2): thin routes over the services."""
