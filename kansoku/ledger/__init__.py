"""The cross-document ledger: many documents' reports fused into canonical events.

config.py          fusion thresholds and weights (domain/fusion.yaml)
report.py          one report (an extracted event of one document) as fusion sees it
match.py           is this report the same real event as that canonical event? (pure)
sources.py         who is an independent source: outlets, reprints, relays of one primary
contradictions.py  reports of one event that disagree on date, number, place or polarity
summary.py         a canonical event's fused time, certainty, label, corroboration
facilities.py      the facility board: last known state of each facility
review.py          human confirm / reject / edit, applied over the machine's version
"""
