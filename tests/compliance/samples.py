"""Rule packs the API and page tests submit as a workspace's own pack."""

BRAND_PACK = """\
id: acme-brand
title: Acme brand terms
scope: user
rules:
  - id: acme.competitors
    kind: terms
    severity: block
    message: Do not name competitors.
    reference: Acme brand guide 2.1
    terms: {en: [globex]}
"""
