package dev.directspec.cli;

import dev.directspec.config.LogLevel;
import dev.directspec.config.Settings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Options every command shares: configuration overlays, single-key overrides and how much to print. */
final class CommonOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Settings overlay (HOCON); repeatable, later files win. See conf/reference.conf.")
  List<File> configFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one setting (full path, e.g. directspec.train.epochs=100, or unique last segment,"
          + " e.g. epochs=100); repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--verbose",
      description = "Print every resolved setting with its comment (default: only those that differ from "
          + "conf/reference.conf) and Spark's and Hadoop's INFO log lines (default: the cluster's log level).")
  boolean verbose;

  @Option(names = "--quiet", description = "Errors only from Spark and Hadoop (default: the cluster's log level).")
  boolean quiet;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * Resolves the settings once and prints what a reader of the log needs to repeat the run: the command
   * line, the settings that differ from the reference (the full dump, 180 lines with comments, only with
   * --verbose, because it buried the first epoch line and any error), and where the full set is kept.
   *
   * @param savedTo the file the command writes the full resolved settings into, or null if it keeps none
   */
  Settings resolve(String name, String savedTo) {
    LogLevel.apply(verbose, quiet);
    Settings settings = Settings.load(configFiles, overrides);
    System.out.println("directspec " + String.join(" ", commandLine(name)));
    if (verbose) {
      System.out.println("== resolved settings ==");
      System.out.println(settings.render());
    } else {
      List<String> changed = settings.differencesFromReference();
      System.out.println(changed.isEmpty() ? "settings: all as in conf/reference.conf"
          : "settings that differ from conf/reference.conf:");
      changed.forEach(line -> System.out.println("  " + line));
    }
    System.out.println(savedTo == null
        ? "full settings: not saved by " + name + " (--verbose prints them)"
        : "full settings: " + savedTo + " (written with the output; --verbose prints them)");
    return settings;
  }

  /** The arguments as given (secret values masked), starting with the command's name. */
  List<String> commandLine(String name) {
    List<String> args = command == null ? List.of(name)
        : command.root().commandLine().getParseResult().originalArgs();
    return args.stream().map(Settings::redactArgument).collect(Collectors.toList());
  }
}
