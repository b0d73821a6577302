package dev.directspec.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.directspec.folders.OutputFolder;
import dev.directspec.report.RunReport;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run folder train writes for every method (model/, metrics.json, settings.conf, report.html), written
 * aside and committed whole ({@link OutputFolder#resumable}). The epoch loop of TrainJob and the ALS
 * baseline differ only in how they train the model they put into it; the folder's frame is kept here so
 * that both write the same one.
 */
public final class RunFolder {
  /** Spark's lineage checkpoints: inside the run, so they are removed with it and never outlive it. */
  static final String LINEAGE = "_lineage";

  private final long wallStart = System.nanoTime();
  private final JavaSparkContext sc;
  private final String runDir;
  private OutputFolder out;

  /** Starts the run's wall clock and its heap peak (reset: one JVM may train several runs, compare and demo). */
  public RunFolder(JavaSparkContext sc, String runDir) {
    this.sc = sc;
    this.runDir = runDir;
    PeakMemory.reset();
  }

  /**
   * Opens the work folder (kept, with its checkpoints, on resume; otherwise cleared) and points Spark's
   * lineage checkpoints into it. Call it once the inputs are checked, so that a bad input leaves no work
   * folder behind.
   */
  public OutputFolder open(boolean overwrite, boolean resume) {
    out = OutputFolder.resumable(sc.hadoopConfiguration(), runDir, overwrite, resume);
    sc.setCheckpointDir(out.path(LINEAGE));
    return out;
  }

  /**
   * Writes metrics.json (the log, and the trainer's {@code figures} between the run's wall_seconds and
   * peak_heap_bytes) and report.html, removes the checkpoints, and commits the folder.
   *
   * @return the {@code final} object of metrics.json
   */
  public Map<String, Object> finish(MetricsLog log, Map<String, Object> figures, String label, String settings,
      JsonNode manifest) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("wall_seconds", (System.nanoTime() - wallStart) / 1e9);
    run.putAll(figures);
    run.put("peak_heap_bytes", PeakMemory.peakHeapBytes());
    String metricsJson = log.toJson(run);
    out.writeText("metrics.json", metricsJson);
    RunReport.writeInto(out, label, metricsJson, settings, manifest);
    for (String folder : new String[] {Checkpoints.FOLDER, LINEAGE}) {
      try {
        out.fs().delete(new Path(out.path(folder)), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + out.path(folder), e);
      }
    }
    out.commit();
    System.out.println("run written to " + runDir + " (report: " + runDir + "/" + RunReport.FILE + ")");
    return log.finalRecord();
  }
}
