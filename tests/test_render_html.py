"""The HTML feedback page: stored expected pages, escaping, and what each audience sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from nnex.render.html import feedback_html
from tests.expected_files import assert_matches_expected
from tests.samples import GRADER_FAULT, HOSTILE_NAME, HOSTILE_OUTPUT, sample_class


def student(name: str):
    return next(r for r in sample_class() if r.student == name)


@pytest.mark.parametrize(("name", "instructor", "expected"), [
    ("abe", False, "feedback_abe.html"),
    ("abe", True, "feedback_abe_instructor.html"),
    ("江藤", False, "feedback_not_loadable_and_stub.html"),
    ("kato", True, "feedback_grader_error_instructor.html"),
    ("miura", False, "feedback_missing.html"),
    (HOSTILE_NAME, False, "feedback_hostile.html"),
])
def test_feedback_matches_expected(name, instructor, expected):
    assert_matches_expected(expected, feedback_html(student(name), show_hidden_values=instructor))


@pytest.mark.parametrize("instructor", [False, True])
def test_everything_the_student_controls_is_escaped(instructor):
    page = feedback_html(student(HOSTILE_NAME), show_hidden_values=instructor)
    assert "<script" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in page
    assert "ValueError(&#x27;&lt;b&gt;bold&lt;/b&gt;&#x27;)" in page
    if instructor:  # the printed output is shown (escaped) to instructors only
        assert "&lt;/pre&gt;&lt;script&gt;alert(&quot;printed&quot;)" in page


def test_student_page_hides_hidden_inputs_and_values():
    page = feedback_html(student("abe"))
    assert "relu(-3)" in page                      # the public check's call…
    assert page.count("結果 / got") == 1            # …and its values
    assert "relu(array of shape (4, 3))" not in page  # the hidden check names no input
    assert "値が違います / wrong value" in page
    assert page.count("ヒント: ReLU は負の入力を 0 にします") == 2  # hints on both failures


def test_instructor_page_shows_hidden_values_and_printed_output():
    page = feedback_html(student("abe"), show_hidden_values=True)
    assert "relu(array of shape (4, 3))" in page
    assert page.count("結果 / got") == 2
    assert HOSTILE_OUTPUT not in feedback_html(student(HOSTILE_NAME))
    assert "プログラムの出力" not in feedback_html(student(HOSTILE_NAME))
    assert "プログラムの出力" in feedback_html(student(HOSTILE_NAME), show_hidden_values=True)


def test_grader_error_is_not_the_students_fault():
    for instructor in (False, True):
        page = feedback_html(student("kato"), show_hidden_values=instructor)
        assert GRADER_FAULT.ja in page and GRADER_FAULT.en in page
        assert 'class="grader_error"' in page and "採点エラー" in page
        assert ("module &#x27;numpy&#x27; has no attribute" in page) == instructor


def test_not_loadable_and_stub_show_the_reason_not_every_check():
    page = feedback_html(student("江藤"))
    assert "3 行目に文法エラー" in page and "syntax error on line 3" in page
    assert "まだスタブのままです" in page
    assert "<li" not in page  # no per-check lines: one reason says it all


def test_page_is_self_contained_and_well_formed():
    for result in sample_class():
        page = feedback_html(result, show_hidden_values=True)
        assert not re.search(r"(src|href)=|https?://|<link|@import", page)
        _assert_balanced(page)


def _assert_balanced(page: str) -> None:
    """Every element that needs a closing tag has one, in order."""
    void = {"meta", "br", "img", "link", "input", "hr"}
    stack: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in void:
                stack.append(tag)

        def handle_endtag(self, tag):
            assert stack and stack[-1] == tag, f"</{tag}> closes <{stack[-1] if stack else ''}>"
            stack.pop()

    Checker().feed(page)
    assert stack == []
