package dev.directspec.train;

import org.apache.spark.TaskContext;

/**
 * Test hook for the retry contract: with the JVM property {@code directspec.inject.failure} set to
 * "epoch:stratum:block" (1-based epoch), the first attempt of that cell task throws, and a retried task
 * must then produce the very same blocks; with the suffix ":always" every attempt throws, so the job dies
 * there like a lost driver would (for the resume test). Reads a system property: inert in production.
 */
final class FaultInjection {
  static final String PROPERTY = "directspec.inject.failure";

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
}
