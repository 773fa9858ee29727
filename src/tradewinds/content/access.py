"""Who may use the content studio (see ``tradewinds.auth.access``).

Writing and approving copy, bulk jobs and their downloads need ``content.write`` (owner,
admin, marketer). Nothing in the studio is a money figure of the shop: a product's price
is the seller's own input, written into the copy.
"""

from __future__ import annotations

from tradewinds.auth.access import report

STUDIO = report("content.studio", title="the content studio", permission="content.write")
