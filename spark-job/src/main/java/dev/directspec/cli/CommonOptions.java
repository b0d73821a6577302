package dev.directspec.cli;

import dev.directspec.config.LogLevel;
import dev.directspec.config.Settings;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Options every command shares: configuration overlays and single-key overrides. */
final class CommonOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings overlay (HOCON); repeatable, later files win. See conf/reference.conf.")
  List<File> configFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one setting (full path, e.g. directspec.train.epochs=100, or unique last segment,"
          + " e.g. epochs=100); repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--verbose", description = "Spark's and Hadoop's INFO log lines too (default: the cluster's log level).")
  boolean verbose;

  @Option(names = "--quiet", description = "Errors only from Spark and Hadoop (default: the cluster's log level).")
  boolean quiet;

  /** Resolves the settings once and prints them, so every run shows exactly what it used. */
  Settings resolve(String command) {
    LogLevel.apply(verbose, quiet);
    Settings settings = Settings.load(configFiles, overrides);
    System.out.println("== directspec " + command + ": resolved settings ==");
    System.out.println(settings.render());
    return settings;
  }
}
