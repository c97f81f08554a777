"""Organisations: issuing organisations, memberships with roles, invitations, signatories, signature/stamp images."""
