"""Reproducible training and evaluation of Rashomon's shipped models (not part of the installed package)."""
