"""A generated class with planted copies and planted identical wrong answers (similarity tests
and ``benchmarks/bench_similarity.py``).

Every student fills in the real stubs. An honest student writes each function either as one of
a few textbook bodies that many students share (the lecture's idioms) or as a body of their own
(random statements over the parameters), and at least one function of their own. A copier takes
another student's file and renames every local variable, reorders the functions, rewrites the
comments and changes the spacing. Results: honest students fail checks with known mistakes
(their hint key names one), with one wrong value a third of the class gets, or with values of
their own; two students share one rare wrong value by chance; each planted pair fails the same
two checks with the same rare values.
"""

from __future__ import annotations

import ast
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from nnex.classgrade.gradebook import RunInfo, record_run
from nnex.classgrade.records import new_record
from nnex.course.content import Course
from nnex.grading.results import (FAILED, PASSED, CheckResult, ExerciseResult,
                                  SubmissionResult)
from nnex.similarity.known_mistakes import known_mistake_keys

LOCAL_NAMES = ("value", "tmp", "out", "result", "acc", "total", "h", "z_", "s", "part", "cur",
               "prod", "term", "buf", "memo", "step_", "nxt", "w_sum", "act", "res")
TEXTBOOK = ("{r} = np.maximum(0, {p0})\nreturn {r}", "{r} = {p0} * 1.0\nreturn {r}",
            "{r} = np.asarray({p0}, dtype=float)\n{r} = {r} + 0.0\nreturn {r}")
COMMENTS = ("# ここで計算する", "# compute it", "# 講義の式", "# the lecture's formula",
            "# TODO check", "# 誤差に注意", "# works now")


@dataclass
class PlantedClass:
    """Where the class is and which pairs were planted."""

    submissions: Path
    graded: Path
    exercises: list[str]
    copies: dict[str, set[frozenset[str]]] = field(default_factory=dict)
    """Per exercise, the planted copy pairs (source, copier)."""
    same_wrong: dict[str, set[frozenset[str]]] = field(default_factory=dict)
    """Per exercise, the planted identical-wrong-answer pairs."""


def build_planted_class(root: Path, *, students: int = 40, copies: int = 3,
                        exercise_ids: list[str] | None = None, seed: int = 0) -> PlantedClass:
    """Write ``root/submissions`` (one folder per student) and ``root/out/results``."""
    course = Course.installed()
    exercises = course.exercises(exercise_ids)
    rng = random.Random(seed)
    names = [f"s{i:03d}" for i in range(students)]
    planted = PlantedClass(root / "submissions", root / "out", [e.id for e in exercises])
    files: dict[str, dict[str, str]] = {name: {} for name in names}
    for exercise in exercises:
        stub = course.stub_path(exercise.id).read_text(encoding="utf-8")
        frame = _frame(stub)
        pairs = set()
        shuffled = names[:]
        rng.shuffle(shuffled)
        for source, copier in zip(shuffled[:copies], shuffled[copies:2 * copies]):
            pairs.add(frozenset((source, copier)))
        copier_of = {copier: source for source, copier in
                     (sorted(p, key=shuffled.index) for p in pairs)}
        written = {}
        for name in names:
            if name in copier_of:
                continue
            written[name] = _honest_solution(frame, rng)
        for copier, source in copier_of.items():
            written[copier] = _disguised(written[source], rng)
        for name, solution in written.items():
            files[name][exercise.id] = _render(frame, solution)
        planted.copies[exercise.id] = pairs
    for name, by_exercise in files.items():
        folder = planted.submissions / name
        folder.mkdir(parents=True)
        for exercise_id, text in by_exercise.items():
            (folder / f"{exercise_id}.py").write_text(text, encoding="utf-8")
    _write_results(planted, course, exercises, names, rng)
    return planted


# -- code ---------------------------------------------------------------------------------------

@dataclass
class _Function:
    name: str
    params: list[str]
    header: str
    """``def`` line and docstring, as in the stub."""


@dataclass
class _Solution:
    """A student's bodies: function name → (lines with {r}, {t0}… placeholders, comments)."""

    bodies: dict[str, list[str]]
    order: list[str]
    names: dict[str, str]
    comments: dict[str, str]
    tight: bool = False


def _frame(stub: str) -> tuple[str, list[_Function], str]:
    tree = ast.parse(stub)
    lines = stub.splitlines()
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    head = "\n".join(lines[:functions[0].lineno - 1])
    tail = "\n".join(lines[functions[-1].end_lineno:])
    found = []
    for node in functions:
        body_start = node.body[1].lineno if len(node.body) > 1 else node.body[0].lineno
        if isinstance(node.body[0], ast.Expr):  # the docstring stays; the raise goes
            body_start = node.body[0].end_lineno + 1
        found.append(_Function(node.name, [a.arg for a in node.args.args],
                               "\n".join(lines[node.lineno - 1:body_start - 1])))
    return head, found, tail


def _honest_solution(frame, rng: random.Random) -> _Solution:
    _, functions, _ = frame
    own = rng.randrange(len(functions))
    bodies = {}
    for index, function in enumerate(functions):
        if index != own and rng.random() < 0.6:
            bodies[function.name] = rng.choice(TEXTBOOK).splitlines()
        else:
            bodies[function.name] = _random_body(function.params, rng)
    return _Solution(bodies, [f.name for f in functions], _names(rng),
                     {f.name: rng.choice(COMMENTS) for f in functions})


def _random_body(params: list[str], rng: random.Random) -> list[str]:
    lines, known = [], list(params)
    for index in range(rng.randint(3, 6)):
        a, b = rng.choice(known), rng.choice(known)
        c = round(rng.uniform(-3, 3), 2)
        form = rng.choice((f"np.maximum({c}, {a})", f"{a} * {c} + {b}",
                           f"np.exp(-{a}) / (1 + {abs(c)})", f"np.where({a} > {c}, {a}, {b})",
                           f"np.sum({a} * {b}) - {c}", f"({a} - {b}) ** 2 * {c}"))
        target = f"{{t{index}}}"
        lines.append(f"{target} = {form}")
        if rng.random() < 0.3:
            lines += [f"for k in range({rng.randint(2, 5)}):",
                      f"    {target} = {target} + {round(rng.uniform(0, 1), 3)} * k"]
        known.append(target)
    lines.append(f"return {known[-1]}")
    return lines


def _names(rng: random.Random) -> dict[str, str]:
    pool = list(LOCAL_NAMES)
    rng.shuffle(pool)
    return {"r": pool[0], **{f"t{i}": pool[i + 1] for i in range(8)}}


def _disguised(source: _Solution, rng: random.Random) -> _Solution:
    order = source.order[:]
    while len(order) > 1 and order == source.order:
        rng.shuffle(order)
    names = _names(rng)
    while names == source.names:
        names = _names(rng)
    comments = {name: f"# {rng.choice(COMMENTS)[2:]}（自分で書いた / my own）" for name in order}
    return _Solution(source.bodies, order, names, comments, tight=not source.tight)


def _render(frame, solution: _Solution) -> str:
    head, functions, tail = frame
    by_name = {f.name: f for f in functions}
    blocks = []
    for name in solution.order:
        function = by_name[name]
        fill = {**solution.names, "p0": function.params[0]}
        body = [line.format(**fill) for line in solution.bodies[name]]
        if solution.tight:
            body = [line.replace(" * ", "*").replace(" + ", "+").replace(", ", ",")
                    for line in body]
        text = "\n".join("    " + line for line in [solution.comments[name], *body])
        blocks.append(function.header + "\n" + text + "\n")
    separator = "\n\n\n" if solution.tight else "\n\n"
    return head + "\n" + separator.join(blocks) + "\n" + tail + "\n"


# -- results ------------------------------------------------------------------------------------

def record_gradebook(planted: PlantedClass) -> Path:
    """Record the class's results as one grading run in ``graded/gradebook.sqlite``, as
    ``nnex grade`` would have; returns the gradebook's path."""
    records = [new_record(SubmissionResult.from_dict(json.loads(path.read_text("utf-8"))), "f")
               for path in sorted((planted.graded / "results").glob("*.json"))]
    run = RunInfo(run_uuid="planted", started_at="2026-05-01T00:00:00+00:00",
                  finished_at="2026-05-01T00:01:00+00:00", nnex_version="0.1.0",
                  grader_version="planted", exercises=planted.exercises, shard=None,
                  isolation="bwrap", workers=1, submissions_dir=str(planted.submissions))
    path = planted.graded / "gradebook.sqlite"
    record_run(path, run, [(record, False) for record in records])
    return path


def _write_results(planted: PlantedClass, course: Course, exercises, names: list[str],
                   rng: random.Random) -> None:
    results = {name: SubmissionResult(name) for name in names}
    for exercise in exercises:
        checks = list(exercise.checks)
        graders = sorted((course.graders_dir / exercise.id).glob("test_*.py"))
        known = sorted(known_mistake_keys(graders, set(exercise.hints)))
        wrong: dict[str, dict[str, tuple[str, str | None]]] = {name: {} for name in names}
        for name in names:
            roll = rng.random()
            if roll < 0.3:
                wrong[name][checks[0]] = ("-1.0", None)  # a third of the class gets this
            elif roll < 0.6:
                key = rng.choice(known)
                wrong[name][rng.choice(checks)] = (f"known:{key}", key)
            elif roll < 0.8:
                wrong[name][rng.choice(checks)] = (f"{rng.random():.9f}", None)
        shuffled = names[:]
        rng.shuffle(shuffled)
        chance = f"{rng.random():.9f}"  # one rare value two honest students reach by chance
        for name in shuffled[:2]:
            wrong[name] = {checks[-1]: (chance, None)}
        pairs = set()
        for a, b in zip(shuffled[2:4], shuffled[4:6]):
            shared = {check: (f"{rng.random():.9f}", None) for check in checks[:2]}
            wrong[a] = dict(shared)
            wrong[b] = {**shared}
            if len(checks) > 2:  # the rewritten code went wrong somewhere else too
                wrong[b][checks[2]] = (f"{rng.random():.9f}", None)
            pairs.add(frozenset((a, b)))
        planted.same_wrong[exercise.id] = pairs
        for name in names:
            results[name].exercises.append(_exercise_result(exercise, wrong[name]))
    folder = planted.graded / "results"
    folder.mkdir(parents=True)
    for name, result in results.items():
        (folder / f"{name}.json").write_text(json.dumps(result.to_dict()), encoding="utf-8")


def _exercise_result(exercise, wrong: dict[str, tuple[str, str | None]]) -> ExerciseResult:
    checks = []
    for name, meta in exercise.checks.items():
        if name in wrong:
            actual, key = wrong[name]
            checks.append(CheckResult(name, meta.title, 0.0, meta.points, FAILED,
                                      hint_key=key, what=f"{name}(…)", actual=actual,
                                      expected="1.0", problem="値が違います / wrong value"))
        else:
            checks.append(CheckResult(name, meta.title, meta.points, meta.points, PASSED))
    return ExerciseResult(exercise.id, exercise.title, checks)
