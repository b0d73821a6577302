package dev.directspec.prep;

import dev.directspec.folders.InputDataException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Header names recognised when a column setting is "auto", and the resolution of column settings. */
final class ColumnNames {
  static final Set<String> USER = Set.of("user", "userid", "user_id", "uid", "u", "visitorid", "customer_id");
  static final Set<String> ITEM = Set.of("item", "itemid", "item_id", "iid", "i", "movieid", "movie_id",
      "artistid", "artist_id", "product", "productid", "product_id");
  static final Set<String> WEIGHT = Set.of("weight", "rating", "score", "count", "plays", "playcount", "value");
  static final Set<String> TIME = Set.of("timestamp", "ts", "time", "datetime", "unix_ts");

  private ColumnNames() {}

  static String normalise(String field) {
    return unquote(field.trim()).toLowerCase(Locale.ROOT);
  }

  static boolean isKnown(String field) {
    String n = normalise(field);
    return USER.contains(n) || ITEM.contains(n) || WEIGHT.contains(n) || TIME.contains(n);
  }

  static String unquote(String field) {
    if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
      return field.substring(1, field.length() - 1).replace("\"\"", "\"");
    }
    return field;
  }

  /**
   * @param setting     "auto", "" (absent), a 0-based position, or a column name
   * @param names       normalised names of every column: the file's header names ("" without a header),
   *                    then the partition keys of the file's key=value folders
   * @param header      whether the file's own columns have names
   * @param fileColumns how many of the names are the file's own columns
   * @param fallback    position used by "auto" when no name matches; -1 = absent
   * @return the 0-based field index, or -1 when the column is absent
   */
  static int resolve(String key, String setting, Set<String> known, List<String> names, boolean header,
      int fileColumns, int fallback, String file) {
    if (setting.isEmpty()) {
      return -1;
    }
    if (setting.equals("auto")) {
      for (int i = 0; i < names.size(); i++) {
        if (known.contains(names.get(i))) {
          return i;
        }
      }
      return fallback < fileColumns ? fallback : -1;
    }
    if (setting.matches("[0-9]+")) {
      int index = Integer.parseInt(setting);
      if (index >= names.size()) {
        throw new InputDataException("prep." + key + " = " + setting + " but " + file + " has only "
            + names.size() + " columns");
      }
      return index;
    }
    int index = setting.isBlank() ? -1 : names.indexOf(setting.toLowerCase(Locale.ROOT));
    if (index < 0 && !header && names.size() == fileColumns) {
      throw new InputDataException("prep." + key + " = '" + setting + "' names a column, but " + file
          + " has no header line; use a 0-based position");
    }
    if (index < 0) {
      throw new InputDataException("prep." + key + " = '" + setting + "' is not a column of " + file
          + " (columns: " + names + ")");
    }
    return index;
  }
}
