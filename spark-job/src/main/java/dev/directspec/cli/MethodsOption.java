package dev.directspec.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** {@code --methods} of the commands that train several methods on one dataset (compare, tune). */
final class MethodsOption {
  @Option(names = "--methods", required = true, split = ",", paramLabel = "M,M",
      description = "Methods: directspec+, directspec+adaptive, directspec, bpr, align, directau, als.")
  List<String> list;
}
