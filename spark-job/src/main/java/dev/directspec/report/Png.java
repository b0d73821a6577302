package dev.directspec.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Charts as PNG data URIs, so a report is one file that opens from disk with no network. */
public final class Png {
  public static final int WIDTH = 640;
  public static final int HEIGHT = 380;

  static {
    // Drivers on servers have no display; JFreeChart draws into an image either way.
    System.setProperty("java.awt.headless", "true");
  }

  private Png() {}

  public static String dataUri(JFreeChart chart) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(bytes, chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle().getText(), e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
