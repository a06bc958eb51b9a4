"""Where ledger rows come from. Each module is one source: the items it credits, a function
from its object's current state to the lines it wants in the ledger (see ``ledger_sync``),
and the ``@subscribe`` handlers that call it. A new source (consultations, workstations,
reading) is one more module here that declares its items."""

from shangliang.duty.sources import manual, meetings, opinions, proposals, reports

__all__ = ["manual", "meetings", "opinions", "proposals", "reports"]
