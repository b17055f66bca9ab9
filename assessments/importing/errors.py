"""The one exception of the importing package (kept apart so every module can raise it)."""


class ResultFileError(ValueError):
    """The file as a whole cannot be read: unsupported format, damaged archive, zip bomb,
    empty file, no header row. The message is in Russian and is meant for the user."""
