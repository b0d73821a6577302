package dev.directspec.cli;

import dev.directspec.folders.InputDataException;
import dev.directspec.folders.OutputExistsException;
import dev.directspec.folders.TextFiles;
import dev.directspec.report.ComparisonReport;
import dev.directspec.report.ComparisonTable;
import dev.directspec.report.RunHistory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code directspec report}: one combined report from finished run folders (their metrics.json and
 * settings.conf), without Spark and without training: e.g. runs trained before reports existed, or runs
 * of different commands side by side.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write one combined HTML report (and comparison table) from finished run folders.")
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--runs", required = true, split = ",", paramLabel = "DIR,DIR",
      description = "Run folders written by train or compare (each with metrics.json and settings.conf).")
  List<String> runs;

  @Option(names = "--data", paramLabel = "DIR", description = "Dataset folder whose manifest.json the report shows.")
  String data;

  @Option(names = "--output", required = true, paramLabel = "FILE", description = "HTML file to write.")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing report file.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    FileSystem fs = FileSystem.get(new Configuration());
    Path target = new Path(output);
    if (fs.exists(target) && !overwrite) {
      throw new OutputExistsException("report already exists: " + output + " (pass --overwrite to replace it)");
    }
    List<ComparisonTable.Entry> entries = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String run : runs) {
      String metrics = run + "/metrics.json";
      if (!fs.exists(new Path(metrics))) throw new InputDataException("not a finished run folder (no metrics.json): " + run);
      String conf = fs.exists(new Path(run + "/settings.conf")) ? TextFiles.read(fs, new Path(run + "/settings.conf")) : "";
      String method = methodOf(conf);
      String label = method + " (" + new Path(run).getName() + ")";
      RunHistory history;
      try {
        history = RunHistory.parse(label, TextFiles.read(fs, new Path(metrics)), metrics);
      } catch (IllegalArgumentException e) {
        throw new InputDataException(e.getMessage(), e);
      }
      entries.add(new ComparisonTable.Entry(method, "mf", run, history));
      settings.put(label, conf);
    }
    String manifest = data == null ? "(no --data given)" : TextFiles.read(fs, new Path(data + "/manifest.json"));
    String html = ComparisonReport.html("directspec report: " + String.join(", ", runs), new ComparisonTable(entries),
        entries.stream().map(ComparisonTable.Entry::history).toList(), settings, manifest, "");
    TextFiles.replace(fs, target, html);
    System.out.println("report written to " + output);
    return 0;
  }

  /** train.method from a run's settings.conf ("method=bpr" inside the train block), or "?" . */
  static String methodOf(String conf) {
    for (String line : conf.split("\n")) {
      String t = line.trim();
      if (t.startsWith("method=")) return t.substring("method=".length()).replace("\"", "").trim();
    }
    return "?";
  }
}
