"""Checks the Airflow DAG against this repository without Airflow (it cannot be installed everywhere).

  python3 submit/airflow/check_dag.py [DAG_FILE]

The DAG is compiled, then executed with small stand-ins for the Airflow classes it imports (they record
what the DAG passes), with DIRECTSPEC_HOME pointing at this checkout. Checked:
  - the DAG: catchup=False; every task has an execution_timeout; the tasks are chained in ORDER;
  - the sensor waits for the day's _SUCCESS marker in the folder prep reads;
  - every Spark task: its properties_file (a launcher profile), application jar and files exist here;
    its directspec command and options are those `submit/directspec <command> --help` lists, its --set
    keys are in conf/reference.conf, writing steps pass --overwrite, --config names a shipped file;
  - train, evaluate and recommend pin --set blocks=N, N being the profile's spark.directspec.train.blocks;
  - every Spark task's command runs through the launcher (`submit/directspec --profile ... --dry-run`)
    with the same profile, deploy mode and settings file, and exits 0.
Prints one line per finding; exits 1 on any problem. Writes nothing next to the DAG (no __pycache__).
"""
import datetime
import importlib.util
import os
import py_compile
import re
import subprocess
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "submit" / "directspec"
ORDER = ["wait_for_input", "prep", "train", "evaluate", "quality_gate", "recommend", "publish"]
WRITING = {"prep", "train", "evaluate", "recommend"}
BLOCKS = {"train", "evaluate", "recommend"}
RUN_DATE = "2026-12-01"


class Task:
    """Stands in for an Airflow operator: keeps its arguments and its downstream tasks."""
    def __init__(self, kind, **kwargs):
        self.kind, self.kwargs, self.task_id, self.downstream = kind, kwargs, kwargs.get("task_id"), []
        DagStub.current.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        return other


class DagStub:
    current = None

    def __init__(self, **kwargs):
        self.kwargs, self.tasks = kwargs, []

    def __enter__(self):
        DagStub.current = self
        return self

    def __exit__(self, *exc):
        return False


def load(dag_file):
    """Runs the DAG file with stand-in airflow modules; returns the DAG stub."""
    stubs = {
        "airflow": {"DAG": DagStub},
        "airflow.providers.apache.spark.operators.spark_submit":
            {"SparkSubmitOperator": lambda **kw: Task("spark", **kw)},
        "airflow.providers.apache.hdfs.sensors.web_hdfs": {"WebHdfsSensor": lambda **kw: Task("sensor", **kw)},
    }
    saved = {name: sys.modules.get(name) for name in stubs}
    for name, attributes in stubs.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
    os.environ["DIRECTSPEC_HOME"] = str(ROOT)
    sys.dont_write_bytecode = True
    try:
        spec = importlib.util.spec_from_file_location("dag_under_check", dag_file)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return DagStub.current


def render(text):
    return text.replace("{{ ds }}", RUN_DATE)


def launcher(*args, cache={}):
    if args not in cache:
        out = subprocess.run([str(LAUNCHER), *args], capture_output=True, text=True, cwd=ROOT)
        cache[args] = (out.returncode, out.stdout + out.stderr)
    return cache[args]


def options_of(command):
    code, out = launcher(command, "--help")
    if code != 0:
        raise SystemExit(f"check_dag: `submit/directspec {command} --help` failed ({code}):\n{out}")
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", out))


def check_spark_task(task, problems, say):
    kw, tid = task.kwargs, task.task_id
    args = [render(str(a)) for a in kw.get("application_args", [])]
    command, options = args[0], [a for a in args[1:] if a.startswith("--")]
    profile = Path(kw.get("properties_file") or "")
    if not profile.is_file() or ROOT not in profile.parents:
        return say(False, f"task {tid}: properties_file {profile} is not a profile in this repository")
    jar = Path(kw.get("application", ""))
    say(jar.relative_to(ROOT).as_posix() in LAUNCHER.read_text(encoding="utf-8") if ROOT in jar.parents else False,
        f"task {tid}: application {jar} is the jar the launcher builds and uses")
    shipped = [Path(f) for f in (kw.get("files") or "").split(",") if f]
    for f in shipped:
        say(f.is_file(), f"task {tid}: shipped file {f} exists")
    known = options_of(command)
    unknown = [o for o in options if o not in known]
    say(not unknown, f"task {tid}: directspec {command} {' '.join(options)}"
        + (f": no such option {' '.join(unknown)}" if unknown else ""))
    if command in WRITING:
        say("--overwrite" in options, f"task {tid}: writes with --overwrite (a retry replaces the output)")
    reference = (ROOT / "conf" / "reference.conf").read_text(encoding="utf-8")
    config_shipped = False
    for i, a in enumerate(args):
        nxt = args[i + 1] if i + 1 < len(args) else ""
        if a == "--set":
            key = nxt.partition("=")[0].split(".")[-1]
            say(re.search(rf"(?m)^\s*{re.escape(key)}\s*=", reference) is not None,
                f"task {tid}: --set {key} is a setting of conf/reference.conf")
        if a == "--config" and not nxt.startswith("/"):
            match = [f for f in shipped if f.name == nxt]
            say(bool(match), f"task {tid}: --config {nxt} is a file shipped with files=")
            if match:
                args[i + 1], config_shipped = str(match[0]), True
    if command in BLOCKS:
        pinned = [a.partition("=")[2] for i, a in enumerate(args) if i and args[i - 1] == "--set"
                  and a.partition("=")[0].split(".")[-1] == "blocks"]
        code, out = launcher("--profile", str(profile), "--dry-run", command)
        wanted = re.findall(r" --set blocks=(\d+)", out)
        say(code == 0 and wanted and pinned == wanted[:1],
            f"task {tid}: pins --set blocks={','.join(pinned) or '(none)'}; the profile pins {wanted[:1] or out}")
    mode = kw.get("deploy_mode") or "client"
    code, out = launcher("--profile", str(profile), "--deploy-mode", mode, "--dry-run", *args)
    ok = code == 0 and f"--deploy-mode {mode}" in out and (not config_shipped or "--files " in out)
    say(ok, f"task {tid}: the launcher runs it (--dry-run, exit {code}, deploy mode {mode})"
        + ("" if ok else ":\n" + out))


def main(dag_file):
    problems = []

    def say(ok, text):
        print(("ok: " if ok else "PROBLEM: ") + text)
        if not ok:
            problems.append(text)

    with tempfile.TemporaryDirectory() as tmp:
        py_compile.compile(str(dag_file), cfile=str(Path(tmp) / "dag.pyc"), doraise=True)
    print(f"ok: {dag_file} compiles")
    dag = load(dag_file)
    say(dag is not None and dag.kwargs.get("catchup") is False,
        "catchup=False (a deploy starts no run for the days since start_date)")
    tasks = {t.task_id: t for t in dag.tasks}
    for t in dag.tasks:
        timeout = t.kwargs.get("execution_timeout")
        say(isinstance(timeout, datetime.timedelta) and timeout.total_seconds() > 0,
            f"task {t.task_id}: execution_timeout {timeout}")
    chain, node = [], next((t for t in dag.tasks if not any(t in o.downstream for o in dag.tasks)), None)
    while node is not None:
        chain.append(node.task_id)
        node = node.downstream[0] if len(node.downstream) == 1 else None
    say(chain == ORDER, f"tasks chained as {' >> '.join(chain)}" + ("" if chain == ORDER else f", expected {ORDER}"))

    sensor = tasks.get("wait_for_input")
    if sensor is None or sensor.kind != "sensor":
        say(False, "no sensor task wait_for_input")
    else:
        path = render(sensor.kwargs.get("filepath", ""))
        prep_input = next((render(a) for t in dag.tasks if t.task_id == "prep"
                           for a in t.kwargs.get("application_args", []) if str(a).endswith("train.txt")), "")
        folder = path[:-len("/_SUCCESS")]
        say(path.endswith("/_SUCCESS") and prep_input.endswith(folder + "/train.txt"),
            f"wait_for_input waits for {path}, the folder prep reads ({prep_input})")
    for t in dag.tasks:
        if t.kind == "spark":
            check_spark_task(t, problems, say)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent / "directspec_retrain.py"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
