package dev.directspec.cli;

import picocli.CommandLine.Option;

/**
 * Options of the commands that write an output from a model and a dataset (train, evaluate, recommend):
 * replace an existing output, and accept a model trained on another dataset.
 */
final class ModelOptions {
  @Option(names = "--overwrite", description = "Replace an existing output (only once the new one is complete).")
  boolean overwrite;

  @Option(names = "--allow-other-dataset", description = "Accept a model trained on another dataset (rows matched "
      + "by original id): train's train.warm_start starts the rows it lacks fresh; evaluate and recommend leave "
      + "them out.")
  boolean allowOtherDataset;
}
