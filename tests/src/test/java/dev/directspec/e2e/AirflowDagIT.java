package dev.directspec.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit/airflow: the DAG passes submit/airflow/check_dag.py (Python syntax, every launcher command,
 * option, --set key and repository path it uses), and the checker catches a DAG that breaks those rules.
 * Airflow itself is not installed here: the check is static.
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
  void theDagUsesOnlyWhatTheLauncherAndRepositoryHave() throws Exception {
    Check ok = check(DAG);
    assertEquals(0, ok.code(), ok.output());
    assertTrue(ok.output().contains("ok: task train: directspec train --data --config --set --output --resume-if-present --overwrite"),
        ok.output());
    assertTrue(ok.output().contains("ok: prep >> train >> evaluate >> recommend"), ok.output());
    assertTrue(ok.output().contains("ok: PROFILE = submit/profiles/yarn.conf: exists"), ok.output());
  }

  @Test
  void theCheckFailsOnAnUnknownOptionAMissingPathOrAWrongOrder(@TempDir Path dir) throws Exception {
    String dag = Files.readString(DAG);
    Path bad = dir.resolve("bad_dag.py");
    Files.writeString(bad, dag.replace("\"--k\", \"100\"", "\"--top\", \"100\"")
        .replace("conf/gowalla.conf", "conf/nowhere.conf")
        .replace("prep >> train >> evaluate >> recommend", "prep >> evaluate >> train >> recommend"));
    Check check = check(bad);
    assertEquals(1, check.code(), check.output());
    assertTrue(check.output().contains("`directspec recommend` has no option --top"), check.output());
    assertTrue(check.output().contains("conf/nowhere.conf: does not exist"), check.output());
    assertTrue(check.output().contains("steps chained as ['prep', 'evaluate', 'train', 'recommend']"), check.output());

    Path broken = dir.resolve("broken_dag.py");
    Files.writeString(broken, dag.replaceFirst("with DAG\\(", "with DAG(("));
    assertTrue(check(broken).code() != 0, "a DAG with a syntax error must fail the check");
  }
}
