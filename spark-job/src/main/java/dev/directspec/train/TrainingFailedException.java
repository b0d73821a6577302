package dev.directspec.train;

/**
 * Training stopped because continuing could only produce a broken model (diverging factors, a NaN or
 * infinite loss). The message names the epoch, the figure and the setting to look at; the CLI maps it to
 * the runtime-failure exit code without a stack trace, as nothing unforeseen happened.
 */
public class TrainingFailedException extends RuntimeException {
  public TrainingFailedException(String message) {
    super(message);
  }
}
