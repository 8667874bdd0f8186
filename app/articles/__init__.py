"""Articles: storing them (identity, matching), reading, listing, filtering, searching,
facets and analysis, and their routes."""
