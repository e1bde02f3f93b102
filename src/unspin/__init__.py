"""unspin: read news articles like a fact-checker.

>>> from unspin import analyze, classify
>>> report = analyze("Title\\n\\nThe minister reportedly said ...")
>>> classify("Title\\n\\nThe minister reportedly said ...", "reportedly said").techniques[0]
"""

__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "classify"]


def __getattr__(name: str):
    # keep `import unspin` light: spaCy and ONNX Runtime load on first use of analyze
    if name in ("analyze", "classify"):
        from unspin import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
