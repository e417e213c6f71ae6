"""Views never write through the ORM: writes go through a package's services.

import-linter checks imports (pyproject.toml); this rule is about calls, so it reads the
source of every view module for the ORM's write methods.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEW_MODULES = sorted(
    path
    for app in ("annotate", "corpus")
    for path in (ROOT / app).rglob("*.py")
    if path.name == "views.py" or path.parent.name == "views"
)
WRITE = re.compile(
    r"\.(save|create|update|delete|bulk_create|bulk_update|get_or_create|update_or_create)\("
)


def test_the_project_has_view_modules_to_check():
    assert len(VIEW_MODULES) >= 6


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_view_module_calls_no_orm_write(path):
    calls = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WRITE.search(line)
    ]
    assert not calls, "views write through services, not the ORM:\n" + "\n".join(calls)


def test_the_check_finds_a_write_when_there_is_one(tmp_path):
    # The pattern itself must catch the calls it is meant to catch.
    for line in ("member.delete()", "form.save()", "Claim.objects.create(x=1)", "qs.update(a=1)"):
        assert WRITE.search(line), line
    for line in ("services.delete_claim(campaign)", "messages.success(request, 'saved')"):
        assert not WRITE.search(line), line
