"""Imports from tools people already have: each returns an :class:`Imported` organisation
in the data contract's shape (people, events or declared ties), ready to analyse or to
write as a data folder. Rules and examples: docs/imports.md."""

from .calendar import read_ics
from .common import Imported, match_people
from .edges import read_edge_list
from .slack import read_slack_export
from .viva import read_viva_p2p

__all__ = ["Imported", "match_people", "read_viva_p2p", "read_edge_list", "read_slack_export",
           "read_ics"]
