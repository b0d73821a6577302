package dev.directspec.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** The dataset and the methods of a command that trains several methods on one dataset (compare, tune). */
final class DatasetMethods {
  @Mixin
  DatasetOption data;

  @Option(names = "--methods", required = true, split = ",", paramLabel = "M,M",
      description = "Methods: directspec+, directspec+adaptive, directspec, bpr, align, directau, als.")
  List<String> methods;
}
