"""Who a decision is addressed to: responsible parties as written, resolved into units of the region.

* ``names`` — the structure of a body's name (legal form, proper part, abbreviations and initials);
* ``classes`` — the official class wordings ("руководители ОМСУ …", "руководители ОО") and their qualifiers;
* ``resolver`` — ``PartyResolver``: aliases first, then classes, departments, people and named bodies;
* ``scope`` — whom an organiser may address at all;
* ``context`` — ``context_for``: what the participant lists say (positions, interviewed schools).
"""

from .context import context_for
from .resolver import Addressee, Context, PartyResolver, PartyTarget

__all__ = ["Addressee", "Context", "PartyResolver", "PartyTarget", "context_for"]
