package dev.directspec.settings;

import dev.directspec.config.SettingsException;

import java.util.Arrays;
import java.util.TreeSet;

/** An enum whose constants are spelled in the settings by a key ("directspec+", "chain_rule", ...). */
public interface SettingEnum {
  String key();

  /**
   * The constant of {@code type} spelled {@code key}; the message of an unknown key names the setting and
   * the allowed keys, sorted (the wording of {@code Check.oneOf}, which tests and users rely on).
   */
  static <E extends Enum<E> & SettingEnum> E parse(Class<E> type, String setting, String key) {
    for (E e : type.getEnumConstants()) {
      if (e.key().equals(key)) return e;
    }
    TreeSet<String> allowed = new TreeSet<>(Arrays.stream(type.getEnumConstants()).map(SettingEnum::key).toList());
    throw new SettingsException(setting + " must be one of " + allowed + ": " + key);
  }
}
