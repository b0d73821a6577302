package dev.directspec.report;

import java.util.List;
import java.util.Map;

/**
 * A small HTML writer for the reports: escaped text, tables, figures with data-URI images and
 * preformatted blocks. One inline style sheet, no scripts and no external resources.
 */
final class Html {
  private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}"
      + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
      + "th{background:#eee}td:first-child,th:first-child{text-align:left}"
      + "figure{display:inline-block;margin:0.5em}img{border:1px solid #ddd}"
      + "pre{background:#f6f6f6;padding:0.8em;overflow:auto;max-height:30em;font-size:85%}"
      + "details{margin:0.5em 0}.note{color:#555}.wide{overflow-x:auto}";
  private final StringBuilder out = new StringBuilder();

  Html(String title) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><style>").append(STYLE).append("</style></head><body>\n<h1>").append(escape(title))
        .append("</h1>\n");
  }

  Html heading(int level, String text) {
    out.append("<h").append(level).append('>').append(escape(text)).append("</h").append(level).append(">\n");
    return this;
  }

  Html paragraph(String text) {
    out.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
    return this;
  }

  Html table(List<String> header, List<List<String>> rows) {
    out.append("<div class=\"wide\"><table><tr>");
    header.forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
    out.append("</tr>\n");
    for (List<String> row : rows) {
      out.append("<tr>");
      row.forEach(c -> out.append("<td>").append(escape(c)).append("</td>"));
      out.append("</tr>\n");
    }
    out.append("</table></div>\n");
    return this;
  }

  /** A two-column key/value table. */
  Html keyValues(Map<String, ?> values) {
    out.append("<table>");
    values.forEach((k, v) -> out.append("<tr><td>").append(escape(k)).append("</td><td>")
        .append(escape(String.valueOf(v))).append("</td></tr>"));
    out.append("</table>\n");
    return this;
  }

  Html figure(String dataUri, String alt) {
    out.append("<figure><img class=\"plot\" width=\"").append(Png.WIDTH).append("\" height=\"").append(Png.HEIGHT)
        .append("\" alt=\"").append(escape(alt)).append("\" src=\"").append(dataUri).append("\"></figure>\n");
    return this;
  }

  /** Text in a collapsible preformatted block (settings, manifests). */
  Html details(String summary, String text) {
    out.append("<details><summary>").append(escape(summary)).append("</summary><pre>").append(escape(text))
        .append("</pre></details>\n");
    return this;
  }

  String finish() {
    return out + "</body></html>\n";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
