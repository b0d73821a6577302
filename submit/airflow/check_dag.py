"""Static check of the Airflow DAG against this repository (Airflow itself is not needed).

  python3 submit/airflow/check_dag.py [DAG_FILE]

Checks that the DAG compiles; that every SparkSubmitOperator task runs a directspec command with options
that `submit/directspec <command> --help` lists (and --set keys conf/reference.conf); that every repository path it names under
DIRECTSPEC_HOME exists (built jars: that the launcher uses that very path); that the steps are chained
prep >> train >> evaluate >> recommend; that every file named in files= is passed by its base name to
--config; and that writing steps pass --overwrite. Prints one line per finding; exit 1 on any problem.
"""
import ast
import py_compile
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "submit" / "directspec"
STEPS = ["prep", "train", "evaluate", "recommend"]
WRITING = {"prep", "train", "recommend"}


def launcher_options(command, cache={}):
    if command not in cache:
        out = subprocess.run([str(LAUNCHER), command, "--help"], capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            raise SystemExit(f"check_dag: `submit/directspec {command} --help` failed ({out.returncode}):\n"
                             + out.stdout + out.stderr)
        cache[command] = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", out.stdout))
    return cache[command]


def text_of(node, names):
    """The value of a string expression; {name} parts of f-strings and module names stay symbolic."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(text_of(v, names) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return text_of(node.value, names)
    if isinstance(node, ast.Name):
        return names.get(node.id, "{" + node.id + "}")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return text_of(node.left, names) + text_of(node.right, names)
    return "{?}"


def main(dag_file):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:  # no __pycache__ next to the DAG
        py_compile.compile(str(dag_file), cfile=str(Path(tmp) / "dag.pyc"), doraise=True)
    print(f"ok: {dag_file} compiles")
    tree = ast.parse(dag_file.read_text(encoding="utf-8"))
    names = {}
    for node in tree.body:  # module constants, in order, so later ones can use earlier ones
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and getattr(value.func, "attr", "") == "get" and len(value.args) == 2:
                value = value.args[1]  # os.environ.get(NAME, default): the default stands for the value
            names[node.targets[0].id] = text_of(value, names)

    launcher_text = LAUNCHER.read_text(encoding="utf-8")
    home = names.get("DIRECTSPEC_HOME")
    for name, value in names.items():
        if home and value.startswith(home + "/") and name != "DIRECTSPEC_HOME":
            rel = value[len(home) + 1:]
            if "/target/" in rel:
                ok = rel in launcher_text
                what = "the launcher uses this built jar" if ok else "built jar not used by the launcher"
            else:
                ok = (ROOT / rel).exists()
                what = "exists" if ok else "does not exist in the repository"
            print(("ok: " if ok else "PROBLEM: ") + f"{name} = {rel}: {what}")
            if not ok:
                problems.append(rel)

    tasks = {}
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "step"):
            continue
        task_id = text_of(call.args[0], names)
        args = [text_of(a, names) for a in call.args[1].elts]
        tasks[task_id] = args
        command, options = args[0], [a for a in args[1:] if a.startswith("--")]
        before = len(problems)
        known = launcher_options(command)
        for option in options:
            if option not in known:
                problems.append(f"{task_id}: {command} {option}")
                print(f"PROBLEM: task {task_id}: `directspec {command}` has no option {option}")
        if command in WRITING and "--overwrite" not in options:
            problems.append(f"{task_id}: no --overwrite")
            print(f"PROBLEM: task {task_id} writes an output without --overwrite: a retry would fail on it")
        reference = (ROOT / "conf" / "reference.conf").read_text(encoding="utf-8")
        for i, a in enumerate(args[:-1]):
            if a == "--set":
                key = args[i + 1].partition("=")[0].split(".")[-1]
                if not re.search(rf"(?m)^\s*{re.escape(key)}\s*=", reference):
                    problems.append(f"{task_id}: --set {key}")
                    print(f"PROBLEM: task {task_id}: --set {key}: no such setting in conf/reference.conf")
            if a == "--config" and "{" not in args[i + 1] and Path(names.get("CONFIG", "")).name != args[i + 1]:
                problems.append(f"{task_id}: --config {args[i + 1]}")
                print(f"PROBLEM: task {task_id}: --config {args[i + 1]} is not the shipped file {names.get('CONFIG')}")
        if len(problems) == before:
            print(f"ok: task {task_id}: directspec {command} {' '.join(options)}")
    if sorted(tasks) != sorted(STEPS) or any(tasks[t][0] != t for t in tasks):
        problems.append("tasks")
        print(f"PROBLEM: expected one task per step {STEPS}, found {sorted(tasks)}")

    chain = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.BinOp):
            expr, chain = node.value, []
            while isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.RShift):
                chain.insert(0, expr.right.id)
                expr = expr.left
            chain.insert(0, getattr(expr, "id", "?"))
    if chain != STEPS:
        problems.append("order")
        print(f"PROBLEM: steps chained as {chain}, expected {' >> '.join(STEPS)}")
    else:
        print("ok: " + " >> ".join(chain))
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent / "directspec_retrain.py"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
