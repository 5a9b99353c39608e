"""Helpers of ``bench/search.py`` (a package: ``python -m bench`` does not run it)."""
