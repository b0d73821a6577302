package dev.directspec.config;

/** A setting is unknown, malformed or out of range. The message names the key and the bad value. */
public class SettingsException extends IllegalArgumentException {
  public SettingsException(String message) {
    super(message);
  }
}
