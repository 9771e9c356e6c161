"""The similarity leads as one self-contained HTML page: no script, no link off the page."""

from __future__ import annotations

from html import escape

from nnex.render import names
from nnex.report.stamp import BANNER_SLOT, stamp_meta
from nnex.similarity.code_pairs import CodePair
from nnex.similarity.find import SimilarityFindings
from nnex.similarity.wrong_answers import WrongAnswerSummary

LEADS_NOT_FINDINGS = (
    "このページは、人が読んで確かめるための手がかりの一覧です。不正の証拠でも判定でもありません。"
    "似たコードは、同じ講義の例・同じ教科書・よくある書き方からも生まれます。学生と話す前に、"
    "並べたコードと理由を必ず自分で読んでください。このページは外部に何も送りません"
    "（外部の資源を読み込まず、このコンピュータの中だけで作られています）。",
    "This page lists leads for a human to read, not evidence and not a verdict. Alike code also "
    "comes from the same lecture example, the same textbook or a common idiom: read the code "
    "side by side and the reasons yourself before speaking to any student. Nothing on this "
    "page leaves this machine (it was made here and loads nothing from elsewhere).")
HOW_CODE = (
    "コードの比較：copydetect（Pygments で字句に分け、変数名・関数名を 1 文字に置き換え、"
    "コメントと空白を除き、k-gram の winnowing 指紋を集合として比べる）。"
    "名前の変更・関数の並べ替え・"
    "コメントや空白の変更では一致は消えません。"
    "配布コード（スタブと問題文のコード）は除いてあります。"
    "スコアは、各自のコードのうち相手にも見つかった割合の平均（0〜1）です。",
    "Code: copydetect (Pygments tokens, every variable and function name as one letter, "
    "comments and whitespace dropped, winnowed k-gram fingerprints compared as sets): renaming, "
    "reordering functions and changing comments or whitespace do not hide a match. The "
    "distribution code (stub and the statement's code) is left out. The score is the mean of "
    "the two shares of each student's own code found in the other's (0–1).")
CSS = """body{font-family:sans-serif;margin:2em;max-width:80em}
.lead{background:#fff4d6;border:1px solid #d9b64a;padding:1em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;
text-align:left;vertical-align:top}.side{display:flex;gap:1em}.side>div{flex:1;min-width:0}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;font-size:85%}mark{background:#ffd27f}
.muted{color:#666}[id]{scroll-margin-top:3em}
.stale{border:2px solid #c0392b;padding:.5em 1em;margin-bottom:1em}"""


def similarity_html(findings: SimilarityFindings, *, shown: int) -> str:
    """The page: the ``shown`` most alike pairs per exercise with their code side by side, the
    matching regions marked, then the identical-wrong-answer clusters with why each was kept."""
    stamp = "" if findings.results_stamp is None else stamp_meta(findings.results_stamp)
    parts = ["<!DOCTYPE html>", f'<html lang="ja"><head><meta charset="utf-8">{stamp}',
             "<title>類似度の手がかり / Similarity leads</title>", f"<style>{CSS}</style>",
             "</head><body>", "<h1>類似度の手がかり / Similarity leads</h1>", BANNER_SLOT,
             f'<div class="lead">{_both(LEADS_NOT_FINDINGS)}</div>',
             f"<p>{findings.students} 人・{len(findings.exercises)} 演習、"
             f"{escape(findings.made_at)} に比較 / {findings.students} students, "
             f"{len(findings.exercises)} exercises, compared {escape(findings.made_at)} "
             f"({findings.seconds:.1f} s)</p>", f"<p class=muted>{_both(HOW_CODE)}</p>"]
    for exercise in findings.exercises:
        parts.append(f"<h2>{escape(exercise)}</h2>")
        parts.append(_pairs_section(findings, exercise, shown))
        summary = findings.wrong_answers.get(exercise)
        parts.append(_wrong_answers_section(summary))
    parts.append("</body></html>\n")
    return "\n".join(part for part in parts if part)


def _pairs_section(findings: SimilarityFindings, exercise: str, shown: int) -> str:
    pairs = findings.pairs[exercise][:shown]
    heading = "<h3>似ているコード / Alike code</h3>"
    if not pairs:
        return heading + "<p>重なりのある組はありません / no pair shares code of its own</p>"
    rows = ["<table><tr><th>#</th><th>A</th><th>B</th><th>スコア / score</th>"
            "<th>A の一致 / of A</th><th>B の一致 / of B</th></tr>"]
    for rank, pair in enumerate(pairs, start=1):
        rows.append(f'<tr><td><a href="#{_anchor(exercise, rank)}">{rank}</a></td>'
                    f"<td>{_name(pair.student_a)}</td><td>{_name(pair.student_b)}</td>"
                    f"<td>{pair.score:.2f}</td><td>{pair.overlap.share_a:.0%}</td>"
                    f"<td>{pair.overlap.share_b:.0%}</td></tr>")
    rows.append("</table>")
    code = findings.sources[exercise].code
    for rank, pair in enumerate(pairs, start=1):
        rows.append(_side_by_side(exercise, rank, pair, code))
    return heading + "\n".join(rows)


def _side_by_side(exercise: str, rank: int, pair: CodePair, code: dict[str, str]) -> str:
    a, b = _name(pair.student_a), _name(pair.student_b)
    share_a, share_b = f"{pair.overlap.share_a:.0%}", f"{pair.overlap.share_b:.0%}"
    why = (f"{a} のコードの {share_a}、{b} のコードの {share_b} が相手と一致（配布コードを除く）"
           f" / {share_a} of {a}'s own code and {share_b} of {b}'s match the other's "
           "(distribution code left out)")
    sides = [(pair.student_a, pair.overlap.regions_a), (pair.student_b, pair.overlap.regions_b)]
    columns = "".join(f"<div><b>{_name(student)}</b><pre>{_marked(code[student], regions)}</pre>"
                      "</div>" for student, regions in sides)
    # The anchor is inside the details, not on it: following a link to it opens the details
    # (the HTML standard's ancestor revealing), where a link to a closed details would not.
    return (f"<details><summary>#{rank} "
            f"{_name(pair.student_a)} ↔ {_name(pair.student_b)}: {pair.score:.2f}</summary>"
            f'<p id="{_anchor(exercise, rank)}">{why}</p><div class=side>{columns}</div>'
            "</details>")


def _wrong_answers_section(summary: WrongAnswerSummary | None) -> str:
    heading = "<h3>同じ間違った値 / Identical wrong answers</h3>"
    if summary is None:
        return heading + ("<p class=muted>採点結果がないため比べていません。nnex grade の出力"
                          "フォルダーを --out に指定すると比べます / not compared: no graded "
                          "results in the output folder (grade into it first)</p>")
    how = (f"<p class=muted>{summary.students} 人を比較。よくある間違いは除外：採点が値から"
           f"見分ける既知の間違い（誤った実装の指紋、{summary.known} 種類の値）と、"
           f"{summary.common_limit} 人より多くが得た値（{summary.frequent} 種類）。"
           "残った珍しい値を"
           "共有する学生だけを、共有する値の数の多い順に示します。値が同じなのは、同じ間違いを"
           "別々にした結果かもしれません / "
           f"{summary.students} students compared. Common wrong answers are left out: the known "
           "mistakes the grader recognises by their value (fingerprints of known-wrong "
           f"implementations; {summary.known} distinct values) and values more than "
           f"{summary.common_limit} students got ({summary.frequent}). Only students sharing the "
           "remaining rare values are shown, most values shared first. The same value can also "
           "come from the same mistake made separately.</p>")
    if not summary.clusters:
        return heading + how + "<p>該当なし / none</p>"
    rows = ["<table><tr><th>#</th><th>学生 / students</th><th>共有する珍しい間違った値 / "
            "shared rare wrong values (check: call → got, students who got it)</th></tr>"]
    for rank, cluster in enumerate(summary.clusters, start=1):
        students = "<br>".join(_name(student) for student in cluster.students)
        values = "<br>".join(
            f"{escape(v.check)}: <code>{escape(v.what)}</code> → <code>{escape(v.actual)}</code> "
            f"({count} 人 / students{_hint(v.hint_key)})"
            for v, count in zip(cluster.values, cluster.reached_by))
        rows.append(f"<tr><td>{rank}</td><td>{students}</td><td>{values}</td></tr>")
    rows.append("</table>")
    return heading + how + "\n".join(rows)


def _marked(code: str, regions: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in sorted(regions):
        start = max(start, at)
        if end <= start:
            continue
        out.append(escape(code[at:start]))
        out.append(f"<mark>{escape(code[start:end])}</mark>")
        at = end
    out.append(escape(code[at:]))
    return "".join(out)


def _hint(key: str | None) -> str:
    return f"; ヒント / hint: {escape(key)}" if key else ""


def _name(student: str) -> str:
    return escape(names.label(student))


def _anchor(exercise: str, rank: int) -> str:
    return f"{escape(exercise)}-{rank}"


def _both(text: tuple[str, str]) -> str:
    return f"{escape(text[0])}<br>{escape(text[1])}"
