package dev.directspec.cli;

import java.io.File;

/** Accepts a run folder where a model folder is expected, as users pass what train printed. */
final class ModelPaths {
  private ModelPaths() {}

  static String modelDir(String path) {
    File local = new File(path, "model");
    return !path.contains("://") && local.isDirectory() ? local.getPath() : path;
  }
}
