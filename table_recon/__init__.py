"""Stage 3: tables become the statutory fields.

`formats` holds the two statutory formats as data; `detect` tells them apart; `row_match` maps
layout rows to template rows; `placement` uses the rules to place cells that flattened text lost
or joined; `rules` verifies; `narrative` ties the prose to the tables; `recon` runs them in order
and returns a `Report`.
"""
