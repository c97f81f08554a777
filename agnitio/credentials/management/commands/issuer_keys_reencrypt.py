"""The earlier name of `keys_reencrypt`, kept so existing runbooks work: it re-encrypts every stored key (issuer
keys, seal keys, the seal CA), not only issuer keys."""

from agnitio.core.management.commands.keys_reencrypt import Command as KeysReencrypt


class Command(KeysReencrypt):
    help = "Same as `keys_reencrypt` (the earlier name): re-encrypt every stored private key with the newest secret."
