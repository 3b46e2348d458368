"""unionfacts: numeric facts from Chinese reports, and where the reports disagree."""

__version__ = "0.1.0"
