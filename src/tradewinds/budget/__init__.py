"""Media-mix response curves and a constrained budget planner.

``adstock.py`` and ``saturation.py`` are the two transforms of a channel's daily spend;
``model.py`` fits them (with trend, weekday and holiday terms) by maximum likelihood and
bootstraps their uncertainty; ``planner.py`` allocates a budget across the fitted curves;
``forward.py`` plans week by week against the market calendar; ``service.py`` is what the
CLI, the API and the page call.
"""
