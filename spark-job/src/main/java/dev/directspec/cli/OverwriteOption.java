package dev.directspec.cli;

import picocli.CommandLine.Option;

/** {@code --overwrite} of the commands whose output is written aside and renamed into place (OutputFolder). */
final class OverwriteOption {
  @Option(names = "--overwrite", description = "Replace an existing output (only once the new one is complete).")
  boolean overwrite;
}
