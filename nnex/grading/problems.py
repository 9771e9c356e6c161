"""What can go wrong with a student's code, as bilingual messages a student can act on."""

from __future__ import annotations

from nnex.errors import NnexError
from nnex.grading.stored import StoredValue
from nnex.text import Text


class ProblemKind(StoredValue):
    """What went wrong with a student's code (``CheckResult.kind`` of an ``error`` check)."""

    MISSING_FILE = "missing_file"
    SYMLINK = "symlink"
    NOT_A_FILE = "not_a_file"
    TOO_LARGE = "too_large"
    NOT_UTF8 = "not_utf8"
    SYNTAX = "syntax"
    IMPORT_ERROR = "import_error"
    NOTEBOOK_JSON = "notebook_json"
    NOTEBOOK_NO_SOLUTION = "notebook_no_solution"
    NOTEBOOK_NOT_CODE = "notebook_not_code"
    NOTEBOOK_CHECK_CELL = "notebook_check_cell"
    NOTEBOOK_WRONG_EXERCISE = "notebook_wrong_exercise"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_SET = "not_set"
    RAISED = "raised"
    MISSING_NAME = "missing_name"
    NOT_CALLABLE = "not_callable"
    UNSUPPORTED_VALUE = "unsupported_value"
    TIMEOUT = "timeout"
    BUDGET = "budget"
    CRASH = "crash"
    EXIT = "exit"
    MEMORY = "memory"
    MEMORY_TOTAL = "memory_total"
    RECURSION = "recursion"
    PROTOCOL = "protocol"


LOAD_KINDS = frozenset({
    ProblemKind.MISSING_FILE, ProblemKind.SYMLINK, ProblemKind.NOT_A_FILE, ProblemKind.TOO_LARGE,
    ProblemKind.NOT_UTF8, ProblemKind.SYNTAX, ProblemKind.IMPORT_ERROR, ProblemKind.NOTEBOOK_JSON,
    ProblemKind.NOTEBOOK_NO_SOLUTION, ProblemKind.NOTEBOOK_NOT_CODE,
    ProblemKind.NOTEBOOK_CHECK_CELL, ProblemKind.NOTEBOOK_WRONG_EXERCISE})
"""Problems that make a whole exercise unloadable, not just one check."""
UNFINISHED_KINDS = frozenset({ProblemKind.NOT_IMPLEMENTED, ProblemKind.NOT_SET})
"""A function or value of the stub is not written yet."""

MESSAGES: dict[str, Text] = {  # keyed by ProblemKind values
    "missing_file": Text("{file} が提出されていません。",
                         "{file} was not submitted."),
    "symlink": Text("{file} はシンボリックリンクです。ファイルそのものを提出してください。",
                    "{file} is a symbolic link; submit the file itself."),
    "not_a_file": Text("{file} は通常のファイルではありません。",
                       "{file} is not a regular file."),
    "too_large": Text("{file} が大きすぎます（{detail}）。",
                      "{file} is too large ({detail})."),
    "not_utf8": Text("{file} が UTF-8 ではありません{detail}。UTF-8 で保存し直してください。",
                     "{file} is not UTF-8{detail}; save it again as UTF-8."),
    "syntax": Text("{file} の {line} 行目に文法エラーがあります: {detail}",
                   "{file} has a syntax error on line {line}: {detail}"),
    "import_error": Text("{file} を読み込むときにエラー {detail} が起きました{where}。",
                         "Loading {file} failed with {detail}{where}."),
    "notebook_json": Text("{file} を Jupyter ノートブックとして読めません（{detail}）。"
                          "配布されたノートブックを JupyterLab で開いて保存し直してください。",
                          "{file} cannot be read as a Jupyter notebook ({detail}); open the "
                          "released notebook in JupyterLab and save it again."),
    "notebook_no_solution": Text("{file} に解答セルがありません。配布されたノートブックの解答セル"
                                 "（「解答 / Your solution」の下）に書いてください。",
                                 "{file} has no solution cell; write your code in the released "
                                 "notebook's solution cell (under the heading "
                                 "\"Your solution\")."),
    "notebook_not_code": Text("{file} の {detail} 番目のセルは解答セルですが、コードのセルでは"
                              "ありません。セルの種類を Code に戻してください。",
                              "Cell {detail} of {file} is a solution cell but not a code cell; "
                              "change its type back to Code."),
    "notebook_check_cell": Text("{file} の確認セルが削除されたか書き換えられています。"
                                "確認セルは配布されたときのままにしてください。",
                                "The check cell of {file} was removed or edited; leave it as "
                                "released."),
    "notebook_wrong_exercise": Text("{file} は {detail} のノートブックです。"
                                    "{name} のノートブックを {name}.ipynb として"
                                    "提出してください。",
                                    "{file} is the notebook of {detail}; submit the notebook of "
                                    "{name} as {name}.ipynb."),
    "not_implemented": Text("{name} はまだ実装されていません（NotImplementedError）。"
                            "スタブの raise を消して、関数の中身を書きましょう。",
                            "{name} is not implemented yet (NotImplementedError): "
                            "replace the stub's raise with your code."),
    "not_set": Text("{name} がまだ None のままです。"
                    "スタブのコメントにしたがって値を書きましょう。",
                    "{name} is still None: give it its value as the stub's comment says."),
    "raised": Text("{name} の実行中にエラー {detail} が起きました{where}。",
                   "{name} raised {detail}{where}."),
    "missing_name": Text("{file} に {name} が定義されていません。名前のつづりを確認しましょう。",
                         "{file} does not define {name}; check the spelling of the name."),
    "not_callable": Text("{name} は関数として定義してください（今は {detail} です）。",
                         "{name} must be a function (it is a {detail})."),
    "unsupported_value": Text("{name} が {detail} を返しました。数値・リスト・タプル・"
                              "NumPy 配列で返してください。",
                              "{name} returned {detail}; return numbers, lists, tuples or "
                              "NumPy arrays."),
    "timeout": Text("{name} が {seconds} 秒以内に終わりませんでした。"
                    "無限ループになっていませんか？",
                    "{name} did not finish within {seconds} s: is there an endless loop?"),
    "budget": Text("この演習に使える時間（{seconds} 秒）を使い切りました。",
                   "The time for this exercise ({seconds} s) is used up."),
    "crash": Text("{name} の実行中にプロセスが終了しました（{detail}）。"
                  "sys.exit や os._exit を呼んでいませんか？",
                  "The process ended while running {name} ({detail}). "
                  "Does your code call sys.exit or os._exit?"),
    "exit": Text("{name} が sys.exit などでプログラムを終了させようとしました。",
                 "{name} tried to end the program (sys.exit or similar)."),
    "memory": Text("{name} がメモリを使いすぎました。",
                   "{name} used too much memory."),
    "memory_total": Text("{name} の実行中に、プロセス・/tmp のファイル・memfd などを"
                         "合わせたメモリが上限（{limit}）を超えたため、止められました。",
                         "{name} was stopped: its processes, files in /tmp, memfds and the like "
                         "together went over the memory limit ({limit})."),
    "recursion": Text("{name} で再帰が深くなりすぎました。",
                      "{name} recursed too deeply."),
    "protocol": Text("{name} の結果を受け取れませんでした（{detail}）。",
                     "The result of {name} could not be read ({detail})."),
}

COMMON_HINTS: dict[str, Text] = {
    "float32_precision": Text(
        "値は float32 の精度（有効数字 5〜7 桁）では合っていますが、求められる精度（相対誤差 "
        "1e-6）に届きません。float32 を使っていれば float64（NumPy の標準）で計算しましょう"
        "（dtype=np.float32 や astype(np.float32) を外す）。途中で値を丸めていませんか？",
        "Your values agree to float32 precision (5 to 7 digits) but not to the required "
        "relative 1e-6: if you use float32, compute in float64, NumPy's default (drop "
        "dtype=np.float32 or astype(np.float32)); and do not round values on the way."),
    # Per-student numbers (nnex.variants): the answer for the student's own numbers.
    "variant_identity": Text(
        "あなたの数値は、あなたの ID（提出フォルダの名前、GitHub Classroom では GitHub の"
        "ユーザー名）から決まります。nnex check --student あなたのID を 1 度実行しましょう。",
        "Your numbers come from your ID (your submission folder's name; your GitHub username "
        "in GitHub Classroom); run nnex check --student YOUR_ID once."),
    "variant_lecture": Text(
        "これは講義の数値での答えです。あなたの数値（nnex check が「あなたの数値」と表示します）"
        "で計算しましょう。",
        "This is the answer for the lecture's numbers; work it out for your numbers (nnex "
        "check shows them as \"Your numbers\")."),
    "variant_other": Text(
        "これはあなたの数値ではなく、別の数値（ほかの学生の数値）での答えです。"
        "あなたの数値で計算しましょう。",
        "This is the answer for other numbers (another student's), not for yours; work it out "
        "for your numbers."),
    "variant_wrong": Text(
        "あなたの数値で、講義と同じ考え方をもう一度たどりましょう。答えは指定された桁に"
        "丸めて比べます。",
        "Follow the lecture's reasoning again with your numbers; the answer is compared "
        "rounded to the places given."),
}
"""Hints any exercise's checks may give (the checks toolkit gives them, not one grader)."""


class StudentProblem(NnexError):
    """The student's code did something that earns no marks for this check (or exercise).

    Attributes:
        kind: a ``ProblemKind`` (or its value; ValueError for any other string).
        values: what fills the message's placeholders (file, name, detail, line, ...).
    """

    def __init__(self, kind: ProblemKind | str, **values: object):
        self.kind = ProblemKind(kind)
        self.hint: str | None = None  # a grader may name the likely mistake (hint_on_error)
        self.values = {"file": "", "name": "", "detail": "", "line": "?", "where": "",
                       "seconds": "", **values}
        super().__init__(str(self.text))

    @property
    def text(self) -> Text:
        return MESSAGES[self.kind].format(**self.values)

    @property
    def is_load_problem(self) -> bool:
        """True when the whole exercise could not be loaded (every check fails the same way)."""
        return self.kind in LOAD_KINDS


def where(file: str | None, line: int | None) -> str:
    """A ``（file 5 行目）``-style location suffix, or nothing when unknown."""
    if not file or not line:
        return ""
    return f" ({file}:{line})"
