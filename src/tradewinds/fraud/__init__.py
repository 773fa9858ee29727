"""Invalid traffic and click fraud: click logs in, rules and models over them, the reasons
for each flag, wasted spend by campaign, exclusion lists and refund-claim evidence out.

``clicks.py`` reads click logs (TalkingData, the collector's click log) into a
:class:`~tradewinds.fraud.clicks.ClickLog`; ``rules.py`` applies the YAML rules of
``data/rules.yaml``; ``features.py`` builds the per-click features; ``models.py`` holds the
anomaly model over sources and the supervised model; ``scoring.py`` blends them into one
score per click; ``exports.py`` and ``evidence.py`` write what the platforms accept;
``service.py`` is what the CLI, the API and the page call.
"""
