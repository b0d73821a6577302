package dev.directspec.folders;

/** The output folder already exists and overwrite was not requested; nothing was written. */
public class OutputExistsException extends RuntimeException {
  public OutputExistsException(String message) {
    super(message);
  }
}
