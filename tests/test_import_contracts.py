"""The import contracts (pyproject.toml, checked by `lint-imports` in `make lint`) name most
routers one by one, since a module pattern cannot say "ends in router": none is left out."""

import re
import tomllib
from typing import Any

from tests.conftest import ROOT


def _contract(contract_id: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def _matches(pattern: str, module: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", r"[^.]+"), module) is not None


def test_only_app_main_may_import_any_router() -> None:
    protected = _contract("routers")["protected_modules"]
    routers = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in sorted((ROOT / "app").rglob("*router.py"))
    ]
    assert len(routers) >= 6
    for router in routers:
        assert any(_matches(pattern, router) for pattern in protected), router
