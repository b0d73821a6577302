package dev.directspec.compare;

import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.OutputFolder;
import dev.directspec.folders.TextFiles;
import dev.directspec.job.TrainJob;
import dev.directspec.report.ComparisonReport;
import dev.directspec.report.ComparisonTable;
import dev.directspec.report.RunHistory;
import dev.directspec.report.RunReport;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code compare}: trains every run of a {@link ComparePlan} on one dataset folder, one after the other
 * in one Spark session, into {@code <output>/runs/<model>-<method>/} (ordinary run folders with their
 * own report.html), then writes comparison.csv, comparison.md and the combined report.html. The whole
 * output folder is committed atomically.
 */
public final class CompareJob {
  public static final String CSV = "comparison.csv";
  public static final String MARKDOWN = "comparison.md";

  private final SparkSession spark;
  private final ComparePlan plan;

  public CompareJob(SparkSession spark, ComparePlan plan) {
    this.spark = spark;
    this.plan = plan;
  }

  /** Runs the plan and returns the comparison table. */
  public ComparisonTable run(String dataDir, String output, boolean overwrite) {
    DatasetFolder data = DatasetFolder.open(spark, dataDir); // fails early on a bad dataset folder
    OutputFolder out = OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output, overwrite);
    List<ComparisonTable.Entry> entries = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    int n = 0;
    for (ComparePlan.Run run : plan.runs()) {
      n++;
      String label = RunReport.label(run.method(), run.model());
      String preset = run.preset() == null ? "(none)" : run.preset().getPath();
      System.out.printf("%n== compare %d/%d: %s, preset %s ==%n", n, plan.runs().size(), label, preset);
      String runDir = out.path("runs/" + run.folder());
      new TrainJob(spark, run.settings()).run(dataDir, runDir, false, false);
      String metrics = runDir + "/metrics.json";
      RunHistory history = RunHistory.parse(label, TextFiles.read(out.fs(), new Path(metrics)), metrics);
      entries.add(new ComparisonTable.Entry(run.method(), run.model(), preset, history));
      settings.put(label + " (preset " + preset + ")", TextFiles.read(out.fs(), new Path(runDir + "/settings.conf")));
    }
    ComparisonTable table = write(out, entries, settings, data);
    out.commit();
    System.out.println();
    System.out.print(table.markdown());
    System.out.println("comparison written to " + output + " (" + CSV + ", " + MARKDOWN + ", report "
        + output + "/" + ComparisonReport.FILE + ")");
    return table;
  }

  /** Writes comparison.csv, comparison.md and report.html of finished runs into an output being written. */
  public static ComparisonTable write(OutputFolder out, List<ComparisonTable.Entry> entries,
      Map<String, String> settings, DatasetFolder data) {
    ComparisonTable table = new ComparisonTable(entries);
    out.writeText(CSV, table.csv());
    out.writeText(MARKDOWN, table.markdown());
    String note = "Dataset " + data.path() + "; every method trained on its train split and evaluated by the same "
        + "full-ranking evaluator on its test split, training items excluded. Train seconds exclude evaluation; "
        + "peak heap is the JVM's (driver and, in local mode, executors) during that run.";
    out.writeText(ComparisonReport.FILE, ComparisonReport.html("directspec compare: " + data.path(), table,
        entries.stream().map(ComparisonTable.Entry::history).toList(), settings,
        data.manifest().toPrettyString(), note));
    return table;
  }
}
