package dev.directspec.train;

import org.apache.spark.TaskContext;

/**
 * Test hook for the retry contract: with the JVM property {@code directspec.inject.failure} set to
 * "epoch:stratum:block" (1-based epoch), the first attempt of that cell task throws. A retried task must
 * then produce the very same blocks. Reads a system property, so it is inert in production runs.
 */
final class FaultInjection {
  static final String PROPERTY = "directspec.inject.failure";

  private FaultInjection() {}

  static void maybeFail(int epoch, int stratum, int block) {
    String spec = System.getProperty(PROPERTY);
    if (spec == null) return;
    TaskContext task = TaskContext.get();
    if (task != null && task.attemptNumber() == 0 && spec.equals(epoch + ":" + stratum + ":" + block)) {
      throw new IllegalStateException("injected failure of cell task " + spec + " (attempt 0)");
    }
  }
}
