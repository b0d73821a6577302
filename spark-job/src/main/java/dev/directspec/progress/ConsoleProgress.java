package dev.directspec.progress;

import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A live progress line on stderr for long driver-side work (training epochs, evaluation, recommend-all):
 * the work's own units done of total with elapsed time and an estimate of the rest, and the tasks of
 * the active Spark stage by its name (the call sites the trainer sets: "epoch 3/40: stratum 2/8 ...").
 * On a terminal the line redraws in place every second; otherwise (logs, CI) it is printed as a plain
 * line every {@link #LOG_INTERVAL_SECONDS} seconds so logs stay readable. Polls Spark's status tracker,
 * which is the public API the Spark UI's own console bar reads.
 */
public final class ConsoleProgress implements AutoCloseable {
  static final int LOG_INTERVAL_SECONDS = 30;
  private static final int BAR = 24;

  private final JavaSparkStatusTracker tracker;
  private final String what;
  private final int total;
  private final String unit;
  private final boolean terminal;
  private final PrintStream err = System.err;
  private final long start = System.nanoTime();
  private final AtomicInteger done = new AtomicInteger();
  private final ScheduledExecutorService timer;
  private volatile boolean drawn;

  /**
   * @param total units of the work (epochs, ...), or 0 when only the Spark stages are followed
   */
  public ConsoleProgress(JavaSparkContext sc, String what, int total, String unit) {
    this.tracker = sc.statusTracker();
    this.what = what;
    this.total = total;
    this.unit = unit;
    this.terminal = System.console() != null;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "directspec-progress");
      t.setDaemon(true);
      return t;
    });
    int period = terminal ? 1 : LOG_INTERVAL_SECONDS;
    timer.scheduleAtFixedRate(this::draw, period, period, TimeUnit.SECONDS);
  }

  public void setDone(int units) {
    done.set(units);
  }

  /** Prints a line of output without tearing the progress line. */
  public synchronized void println(String line) {
    clear();
    System.out.println(line);
    System.out.flush();
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    clear();
  }

  synchronized void draw() {
    String line = render(what, done.get(), total, unit, (System.nanoTime() - start) / 1e9, activeStage());
    if (terminal) {
      err.print("\r" + line + "\033[K");
      drawn = true;
    } else {
      err.println(line);
    }
    err.flush();
  }

  private void clear() {
    if (terminal && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  private String activeStage() {
    int[] ids = tracker.getActiveStageIds();
    if (ids.length == 0) return "";
    SparkStageInfo stage = tracker.getStageInfo(ids[ids.length - 1]);
    if (stage == null) return "";
    return String.format("%s: tasks %d/%d", stage.name(), stage.numCompletedTasks(), stage.numTasks());
  }

  /** The progress line; a pure function so it is tested without Spark. */
  static String render(String what, int done, int total, String unit, double elapsedSeconds, String stage) {
    StringBuilder line = new StringBuilder(what);
    if (total > 0) {
      int filled = (int) Math.round((double) BAR * Math.min(done, total) / total);
      line.append(" [").append("=".repeat(filled)).append(" ".repeat(BAR - filled)).append("] ")
          .append(done).append('/').append(total).append(' ').append(unit);
    }
    line.append("  ").append(clock(elapsedSeconds));
    if (total > 0 && done > 0 && done < total) {
      line.append(", about ").append(clock(elapsedSeconds / done * (total - done))).append(" left");
    }
    if (!stage.isEmpty()) line.append("  | ").append(stage);
    return line.toString();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
