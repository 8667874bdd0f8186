"""newsdb: a REST API for a news-analysis article database."""

__version__ = "0.1.0"
