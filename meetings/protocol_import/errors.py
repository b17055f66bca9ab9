"""The one exception the protocol import raises for a file it cannot read."""


class ProtocolFileError(ValueError):
    """Russian message saying what is wrong with the uploaded file and what to do."""
