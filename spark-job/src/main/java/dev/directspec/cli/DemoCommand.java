package dev.directspec.cli;

import dev.directspec.compare.CompareJob;
import dev.directspec.config.Settings;
import dev.directspec.config.SparkSessions;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.OutputFolder;
import dev.directspec.folders.TextFiles;
import dev.directspec.job.TrainJob;
import dev.directspec.prep.PrepJob;
import dev.directspec.prep.PrepPaths;
import dev.directspec.prep.PrepSettings;
import dev.directspec.prep.SyntheticData;
import dev.directspec.report.ComparisonReport;
import dev.directspec.report.ComparisonTable;
import dev.directspec.report.RunHistory;
import dev.directspec.settings.TrainSettings;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code directspec demo}: the whole product offline on synthetic data with planted structure:
 * generate, prep, train DirectSpec+ and the collapsing "align" baseline, evaluate, compare, and write
 * the comparison report (output/comparison/report.html).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate synthetic interactions, prep them, train directspec+ and align, and compare.")
final class DemoCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--output", defaultValue = "demo-out", paramLabel = "DIR",
      description = "Folder for the demo's data and runs (default demo-out).")
  String output;

  @Option(names = "--methods", defaultValue = "directspec+,bpr,align", split = ",", paramLabel = "M,M",
      description = "Methods to train and compare (default directspec+,bpr,align).")
  List<String> methods;

  @Option(names = "--overwrite", description = "Replace the outputs of an earlier demo in the same folder.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (common.configFiles.isEmpty()) {
      common.configFiles.add(DemoPreset.file());
    }
    Settings settings = common.resolve("demo", output + "/run-<method>/settings.conf");
    PrepSettings prep = PrepSettings.from(settings);
    for (String method : methods) {
      TrainSettings.from(settings.with("train.method", method)); // fail before Spark starts
    }
    Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    String report;
    try (SparkSession spark = SparkSessions.open(settings, "demo", false)) {
      String raw = output + "/raw";
      String data = output + "/dataset";
      long rows = SyntheticData.write(spark, SyntheticData.Spec.demo(settings.config().getLong("seed")), raw);
      System.out.println("synthetic interactions: " + rows + " rows in " + raw);
      PrepJob.run(spark, prep, new PrepPaths(List.of(raw), null, null, data, overwrite));
      for (String method : methods) {
        Settings run = settings.with("train.method", method);
        results.put(method, new TrainJob(spark, run).run(data, output + "/run-" + method, overwrite, false));
      }
      report = writeComparison(spark, data);
    }
    System.out.println();
    System.out.printf("%-22s %10s %10s %10s %12s %12s%n", "method", "recall@20", "ndcg@20", "train s",
        "erank users", "erank items");
    results.forEach((method, m) -> System.out.printf("%-22s %10.4f %10.4f %10.1f %12.2f %12.2f%n", method,
        m.get("recall@20"), m.get("ndcg@20"), m.get("train_seconds"), m.get("effective_rank_users"),
        m.get("effective_rank_items")));
    System.out.println();
    System.out.println("report: " + report + " (open it in a browser; every run folder has its own report.html)");
    return 0;
  }

  /** The demo's runs side by side: comparison table and combined report in output/comparison. */
  private String writeComparison(SparkSession spark, String data) {
    OutputFolder out = OutputFolder.prepare(spark.sparkContext().hadoopConfiguration(), output + "/comparison",
        overwrite);
    List<ComparisonTable.Entry> entries = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String method : methods) {
      String runDir = output + "/run-" + method;
      String metrics = TextFiles.read(out.fs(), new Path(runDir + "/metrics.json"));
      entries.add(new ComparisonTable.Entry(method, "mf", "demo preset",
          RunHistory.parse(method, metrics, runDir + "/metrics.json")));
      settings.put(method, TextFiles.read(out.fs(), new Path(runDir + "/settings.conf")));
    }
    CompareJob.write(out, entries, settings, DatasetFolder.open(spark, data));
    out.commit();
    return output + "/comparison/" + ComparisonReport.FILE;
  }
}
