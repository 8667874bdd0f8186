"""The vocabulary articles are filed under: outlets, authors, taxonomies and tags — found
or created by name, loaded, browsed and curated."""
