"""One module per kind of page. Pages only emit intent signals; the controller decides."""
