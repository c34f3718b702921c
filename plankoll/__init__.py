"""plankoll: rule-based validation and consistency checks for Swedish regional governance plans."""

from pathlib import Path as _Path

__version__ = "0.1.0"

# In a source checkout the check kinds, renderers and rulebooks live beside this package
# (checks/, reports/, rules/) and are installed into it; let `python -m plankoll` run from the
# checkout too, where the current directory shadows the installed package.
_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "checks" / "__init__.py").is_file() and (_checkout / "pyproject.toml").is_file():
    __path__.append(str(_checkout))  # type: ignore[name-defined]
    # rules/ installs as plankoll.rulebooks (plankoll.rules is the rule model)
    import importlib.util as _util
    import sys as _sys

    if "plankoll.rulebooks" not in _sys.modules:
        _spec = _util.spec_from_file_location("plankoll.rulebooks", _checkout / "rules" / "__init__.py",
                                              submodule_search_locations=[str(_checkout / "rules")])
        if _spec and _spec.loader:
            _sys.modules["plankoll.rulebooks"] = _module = _util.module_from_spec(_spec)
            _spec.loader.exec_module(_module)
