package dev.directspec.train;

import org.apache.spark.TaskContext;

/**
 * Test hooks for the retry contract, read from JVM system properties (inert in production):
 * <ul>
 * <li>{@code directspec.inject.failure} = "epoch:stratum:block" (1-based epoch): the first attempt of that
 * cell task throws, and a retried task must then produce the very same blocks; with the suffix ":always"
 * every attempt throws, so the job dies there like a lost driver would (for the resume test).</li>
 * <li>{@code directspec.inject.hold} = "epoch:stratum:block:millis": the first attempt of that cell task
 * (in the first attempt of its stage) announces itself on stderr and sleeps, so a cluster test can kill
 * the executor JVM or the driver while that task certainly runs, however fast the machine is.</li>
 * </ul>
 */
final class FaultInjection {
  static final String PROPERTY = "directspec.inject.failure";
  static final String HOLD = "directspec.inject.hold";

  private FaultInjection() {}

  static void maybeFail(int epoch, int stratum, int block) {
    String spec = System.getProperty(PROPERTY);
    if (spec == null) return;
    TaskContext task = TaskContext.get();
    String cell = epoch + ":" + stratum + ":" + block;
    boolean always = spec.equals(cell + ":always");
    if (task != null && (always || task.attemptNumber() == 0 && spec.equals(cell))) {
      throw new IllegalStateException("injected failure of cell task " + spec + " (attempt 0)");
    }
  }

  static void maybeHold(int epoch, int stratum, int block) {
    String spec = System.getProperty(HOLD);
    if (spec == null) return;
    TaskContext task = TaskContext.get();
    String cell = epoch + ":" + stratum + ":" + block;
    if (task == null || !spec.startsWith(cell + ":") || task.stageAttemptNumber() != 0 || task.attemptNumber() != 0) {
      return;
    }
    long millis = Long.parseLong(spec.substring(cell.length() + 1));
    // A plain stderr line: it lands in the executor's stderr file whatever the logging configuration.
    System.err.printf("directspec: holding cell task %s (stage %d.%d, TID %d) for %d ms%n", cell, task.stageId(),
        task.stageAttemptNumber(), task.taskAttemptId(), millis);
    System.err.flush();
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
