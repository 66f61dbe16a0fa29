"""The problem-code catalog: one definition per code, templates that fit their parameters."""

from __future__ import annotations

import string

import pytest

from coordeval import _messages
from coordeval._messages import MESSAGES, catalog
from coordeval.errors import Problem


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _base(name: str) -> str:
    return name.removesuffix("_zh").removesuffix("_en")


def test_a_code_defined_twice_is_refused():
    with pytest.raises(RuntimeError, match="defined twice: a"):
        catalog({"a": ("甲", "a")}, {"a": ("乙", "b")})


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_use_the_same_parameters(code):
    zh, en = MESSAGES[code]
    assert {_base(f) for f in _fields(zh)} == {_base(f) for f in _fields(en)}, code


def test_the_catalog_is_the_union_of_the_rooms():
    rooms = (
        _messages.core,
        _messages.io,
        _messages.model,
        _messages.analysis,
        _messages.report,
    )
    assert sum(len(r.MESSAGES) for r in rooms) == len(MESSAGES)


def test_a_coded_problem_is_worded_in_the_language_asked():
    p = Problem("footnote row", code="footnote_row")
    assert p.render("zh") == "脚注行：表格到此行之上为止"
    assert p.render("en") == "footnote row: the table ends above it"
    assert p.render("both") == "脚注行：表格到此行之上为止\nfootnote row: the table ends above it"
