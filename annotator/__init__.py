"""annotator: a desktop tool for coding political discourse."""

__version__ = "0.1.0"
