package dev.directspec.cli;

import picocli.CommandLine.Option;

import java.io.File;

/** {@code --model} of the commands that read a saved model (evaluate, recommend, export, similar). */
final class ModelOption {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder or run folder.")
  String path;

  /** The model folder: RUN/model when --model names a local run folder, as users pass what train printed. */
  String dir() {
    File local = new File(path, "model");
    return !path.contains("://") && local.isDirectory() ? local.getPath() : path;
  }
}
