"""unspin: read news articles like a fact-checker.

>>> from unspin import analyze
>>> report = analyze("Title\\n\\nThe minister reportedly said ...")
"""

__version__ = "0.1.0"

__all__ = ["__version__", "analyze"]


def __getattr__(name: str):
    # keep `import unspin` light: spaCy and ONNX Runtime load on first use of analyze
    if name == "analyze":
        from unspin.pipeline import analyze

        return analyze
    raise AttributeError(name)
