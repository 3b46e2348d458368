"""`unionfacts serve`: the review application (Starlette + Jinja2).

queries.py   what the pages show, read from the store (plain values)
chart.py     the server-rendered SVG of a metric over time
app.py       routes, CSRF, read-only mode
"""
