"""Every third-party package the code imports is declared in pyproject.toml.

A package that only arrives as another package's dependency (scipy through scikit-learn,
once) can disappear with that package's next release; declaring it keeps the install
honest. App code must use the main dependencies; tests and benchmarks may also use the
``dev`` extras.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OWN = {"annotate", "corpus", "credence", "tests", "bench"}


def declared(requirements):
    # The distribution name is what a requirement starts with ("psycopg[binary]>=3.2").
    return {re.match(r"[A-Za-z0-9_.-]+", r).group().lower().replace("_", "-") for r in requirements}


MAIN = declared(PROJECT["dependencies"])
DEV = MAIN | declared(PROJECT["optional-dependencies"]["dev"])


def imported_top_levels(folders):
    names = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found = [node.module]
                else:
                    continue
                for name in found:
                    names.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return names


def undeclared(folders, allowed):
    distributions = packages_distributions()
    missing = []
    for name, where in sorted(imported_top_levels(folders).items()):
        if name in OWN or name in sys.stdlib_module_names or name == "__future__":
            continue
        dists = {d.lower().replace("_", "-") for d in distributions.get(name, [name])}
        if not dists & allowed:
            missing.append(f"{name} (imported in {where}; distribution {sorted(dists)})")
    return missing


def test_app_code_imports_only_declared_dependencies():
    assert undeclared(["annotate", "corpus", "credence"], MAIN) == []


def test_tests_and_benchmarks_import_only_declared_dependencies():
    assert undeclared(["tests", "bench"], DEV) == []


def test_the_check_notices_an_undeclared_import():
    assert imported_top_levels(["annotate"])  # it reads the code at all
    assert undeclared(["annotate"], set()) != []
