"""The dashboard's pages; each module registers itself with ``register()``."""
