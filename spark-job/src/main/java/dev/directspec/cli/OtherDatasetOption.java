package dev.directspec.cli;

import picocli.CommandLine.Option;

/** {@code --allow-other-dataset} of the commands that use a model with a dataset (train, evaluate, recommend). */
final class OtherDatasetOption {
  @Option(names = "--allow-other-dataset", description = "Accept a model trained on another dataset (rows matched "
      + "by original id): train's train.warm_start starts the rows it lacks fresh; evaluate and recommend leave "
      + "them out.")
  boolean allowed;
}
