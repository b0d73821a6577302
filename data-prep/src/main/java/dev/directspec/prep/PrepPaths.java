package dev.directspec.prep;

import dev.directspec.config.SettingsException;

import java.util.List;
import java.util.Objects;

/**
 * Where prep reads and writes. Paths are local paths or any Hadoop filesystem URI.
 *
 * @param inputs    files, directories or globs with the (training) interactions; empty only with inputTable
 * @param inputTable a catalog table (db.name) with the (training) interactions instead of inputs, or null
 * @param test      optional given test file(s) for split=given; null when absent
 * @param output    dataset folder to create
 * @param overwrite replace an existing output folder (only once the new one is complete)
 */
public record PrepPaths(List<String> inputs, String inputTable, String test, String output, boolean overwrite) {
  public PrepPaths {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(output, "output");
    if (inputs.isEmpty() == (inputTable == null)) {
      throw new SettingsException("give the interactions either as --input paths or as one --input-table, "
          + (inputs.isEmpty() ? "neither was given" : "not both"));
    }
    if (inputTable != null && inputTable.isBlank()) {
      throw new SettingsException("--input-table needs a table name (db.table or table): \"" + inputTable + "\"");
    }
    inputs = List.copyOf(inputs);
  }
}
