"""One module per page group; each defines ``router`` and is included automatically."""
