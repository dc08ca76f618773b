"""Writes of the disclosure app, each in a transaction: the request and its scope (requests.py), the review
(review.py), finding and building as jobs (jobs.py), approval and the disclosure log (release.py)."""
