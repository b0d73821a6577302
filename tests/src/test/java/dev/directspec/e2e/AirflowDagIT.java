package dev.directspec.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit/airflow: the DAG passes submit/airflow/check_dag.py, which loads it with stand-ins for the
 * Airflow classes and runs every Spark task's command through the launcher (--dry-run); and the check
 * catches a DAG that breaks each rule. Airflow itself cannot be installed here (no PyPI).
 */
class AirflowDagIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DAG = ROOT.resolve("submit/airflow/directspec_retrain.py");

  record Check(int code, String output) {}

  private static Check check(Path dag) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("python3", ROOT.resolve("submit/airflow/check_dag.py").toString(), dag.toString())
          .directory(ROOT.toFile()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("python3 cannot be started on this machine, the DAG check needs it: " + e.getMessage());
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "check_dag.py timed out");
    System.out.println(out);
    return new Check(p.exitValue(), out);
  }

  @Test
  void theDagPassesTheCheckAndEveryTaskRunsThroughTheLauncher() throws Exception {
    Check ok = check(DAG);
    assertEquals(0, ok.code(), ok.output());
    for (String line : List.of(
        "ok: catchup=False",
        "ok: tasks chained as wait_for_input >> prep >> train >> evaluate >> quality_gate >> recommend >> publish",
        "ok: wait_for_input waits for /recsys/directspec/raw/2026-12-01/_SUCCESS, the folder prep reads",
        "ok: task wait_for_input: execution_timeout 0:05:00",
        "ok: task train: directspec train --data --config --set --set --output --resume-if-present --overwrite",
        "ok: task evaluate: writes with --overwrite",
        "ok: task train: pins --set blocks=16; the profile pins ['16']",
        "ok: task recommend: pins --set blocks=16; the profile pins ['16']",
        "ok: task train: the launcher runs it (--dry-run, exit 0, deploy mode cluster)",
        "ok: task quality_gate: directspec publish --gate-only --metrics --latest --metric --max-drop",
        "ok: task publish: the launcher runs it (--dry-run, exit 0, deploy mode client)")) {
      assertTrue(ok.output().contains(line), line + " missing from:\n" + ok.output());
    }
    assertTrue(Files.notExists(DAG.resolveSibling("__pycache__")), "the check leaves no __pycache__ next to the DAG");
  }

  @Test
  void theCheckFailsOnEachBrokenRule(@TempDir Path dir) throws Exception {
    String dag = Files.readString(DAG);
    Map<String, String> edits = new LinkedHashMap<>();
    edits.put("catchup=False", "catchup=True");
    edits.put("        execution_timeout=timedelta(minutes=5),\n", "");
    edits.put("\"--k\", \"100\"", "\"--top\", \"100\"");
    edits.put("BLOCKS = \"16\"", "BLOCKS = \"4\"");
    edits.put("\"--output\", EVALUATION, \"--overwrite\"", "\"--output\", EVALUATION");
    edits.put("conf/gowalla.conf\"", "conf/nowhere.conf\"");
    edits.put("/raw/{{ ds }}/_SUCCESS", "/raw/_SUCCESS");
    edits.put("evaluate >> quality_gate >> recommend", "evaluate >> recommend >> quality_gate");
    String bad = dag;
    for (Map.Entry<String, String> e : edits.entrySet()) {
      assertTrue(bad.contains(e.getKey()), "the DAG no longer contains " + e.getKey());
      bad = bad.replace(e.getKey(), e.getValue());
    }
    Path badDag = dir.resolve("bad_dag.py");
    Files.writeString(badDag, bad);
    Check check = check(badDag);
    assertEquals(1, check.code(), check.output());
    for (String line : List.of(
        "PROBLEM: catchup=False",
        "PROBLEM: task wait_for_input: execution_timeout None",
        "PROBLEM: task recommend: directspec recommend --data --model --set --top --output --overwrite:"
            + " no such option --top",
        "PROBLEM: task train: pins --set blocks=4; the profile pins ['16']",
        "PROBLEM: task evaluate: writes with --overwrite",
        "PROBLEM: task train: shipped file " + ROOT.resolve("conf/nowhere.conf") + " exists",
        "PROBLEM: wait_for_input waits for /recsys/directspec/raw/_SUCCESS",
        "PROBLEM: tasks chained as wait_for_input >> prep >> train >> evaluate >> recommend >> quality_gate"
            + " >> publish")) {
      assertTrue(check.output().contains(line), line + " missing from:\n" + check.output());
    }

    Path broken = dir.resolve("broken_dag.py");
    Files.writeString(broken, dag.replaceFirst("with DAG\\(", "with DAG(("));
    assertTrue(check(broken).code() != 0, "a DAG with a syntax error must fail the check");
  }
}
