"""User-facing errors. Each carries a one-line message; the CLI prints it and exits with 2,
the HTTP API answers 4xx. Anything else escaping is a bug."""


class UnspinError(Exception):
    """Base class: an error caused by the input or the environment, not by a bug."""

    exit_code = 2


class InputError(UnspinError):
    """The input cannot be read as an article (empty, binary, too large, undecodable...)."""


class FetchError(UnspinError):
    """A URL the user gave could not be fetched."""


class LanguageError(UnspinError):
    """The text is not English, so the English models cannot analyse it."""


class ModelError(UnspinError):
    """A shipped model file is missing or fails its hash check."""
