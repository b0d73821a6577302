package dev.directspec.cli;

import picocli.CommandLine.Option;

/** {@code --data} of the commands that read a dataset folder (train, evaluate, recommend, compare, tune). */
final class DatasetOption {
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder written by prep.")
  String dir;
}
