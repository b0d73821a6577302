package dev.directspec.folders;

/**
 * The input data cannot be prepared: a path is missing or unreadable, a file is empty or has an
 * unusable layout, or too many rows were rejected. The message names the file, line or setting.
 * The CLI maps it to its own exit code, distinct from settings errors and bugs.
 */
public class InputDataException extends RuntimeException {
  public InputDataException(String message) {
    super(message);
  }

  public InputDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
