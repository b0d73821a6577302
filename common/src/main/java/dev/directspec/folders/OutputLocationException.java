package dev.directspec.folders;

/**
 * An output folder cannot be created where it was asked for (a parent is a file, or is not writable).
 * A usage problem, like an existing output: the CLI maps it to the configuration exit code.
 */
public class OutputLocationException extends RuntimeException {
  public OutputLocationException(String message) {
    super(message);
  }
}
