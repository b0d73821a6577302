package dev.directspec.prep;

import java.util.List;
import java.util.Objects;

/**
 * Where prep reads and writes. Paths are local paths or any Hadoop filesystem URI.
 *
 * @param inputs    files, directories or globs with the (training) interactions; at least one
 * @param test      optional given test file(s) for split=given; null when absent
 * @param output    dataset folder to create
 * @param overwrite replace an existing output folder (only once the new one is complete)
 */
public record PrepPaths(List<String> inputs, String test, String output, boolean overwrite) {
  public PrepPaths {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(output, "output");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one --input path is required");
    }
    inputs = List.copyOf(inputs);
  }
}
