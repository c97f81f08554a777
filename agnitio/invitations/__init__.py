"""Invitations: one e-mailed, single-use link for every kind of invitation (organisation members today; project
editors, participants, supervisors and Europass hosts/participants as their kinds are registered).

A row stores only the SHA-256 of the link's token and the address it was mailed to; only that address, verified on
the accepting account, may accept (`addresses`). What accepting *does* is the kind's business (`kinds`).
"""
