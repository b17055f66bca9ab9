"""Import of meeting protocols (.docx / .txt) as proposals a person reviews before saving.

``extract_text`` turns an uploaded file into text (refusing unsafe or unreadable files with a
``ProtocolFileError``), ``parse_protocol`` reads that text into a ``ProtocolProposal``.
"""

from .errors import ProtocolFileError
from .extract import extract_text
from .parser import parse_protocol
from .proposals import DecisionProposal, ItemProposal, MeetingProposal, ProtocolProposal

__all__ = [
    "DecisionProposal",
    "ItemProposal",
    "MeetingProposal",
    "ProtocolFileError",
    "ProtocolProposal",
    "extract_text",
    "parse_protocol",
]
