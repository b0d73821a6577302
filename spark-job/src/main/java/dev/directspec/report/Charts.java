package dev.directspec.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The reports' plots, built with JFreeChart: spectra over epochs (the picture of collapse), effective
 * rank, loss and ranking metrics per epoch. Pure functions of {@link RunHistory}; rendering is
 * {@link Png}'s job.
 */
public final class Charts {
  /** Spectrum lines drawn per table: the first and last epoch and evenly spaced ones between. */
  static final int SPECTRUM_EPOCHS = 6;
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

  private Charts() {}

  /**
   * sigma_k / sigma_1 against k for a few epochs of one table ("users" or "items"): balanced tables keep
   * a flat line near 1; a collapsing table drops to one dominant value with the rest near 0.
   */
  public static JFreeChart spectrum(RunHistory run, String table) {
    Function<RunHistory.Epoch, double[]> sigma = table.equals("users") ? RunHistory.Epoch::sigmaUsers
        : RunHistory.Epoch::sigmaItems;
    XYSeriesCollection data = new XYSeriesCollection();
    for (RunHistory.Epoch e : spectrumEpochs(run.epochs())) {
      double[] s = sigma.apply(e);
      XYSeries series = new XYSeries("epoch " + e.epoch());
      for (int k = 0; k < s.length; k++) series.add(k + 1, s[0] > 0 ? s[k] / s[0] : 0.0);
      data.addSeries(series);
    }
    JFreeChart chart = lines(run.label() + ": " + table + "' singular values over epochs", "index k (largest first)",
        "sigma_k / sigma_1", data);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    int n = data.getSeriesCount();
    for (int k = 0; k < n; k++) {
      // Light (early) to dark (late) blue, so the direction of change reads without the legend.
      float shade = n == 1 ? 0f : 0.75f * (n - 1 - k) / (n - 1);
      r.setSeriesPaint(k, new Color(shade, shade + 0.1f * (1 - shade), 1f - 0.4f * (1 - shade)));
    }
    chart.getXYPlot().getRangeAxis().setRange(0.0, 1.05);
    return chart;
  }

  /** One line per run of a per-epoch figure (effective rank, loss); runs without it are left out. */
  public static JFreeChart perEpoch(String title, String yLabel, List<RunHistory> runs,
      ToDoubleFunction<RunHistory.Epoch> value) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (RunHistory run : runs) {
      XYSeries series = new XYSeries(run.label());
      for (RunHistory.Epoch e : run.epochs()) {
        double v = value.applyAsDouble(e);
        if (Double.isFinite(v)) series.add(e.epoch(), v);
      }
      if (series.getItemCount() > 0) data.addSeries(series);
    }
    return styled(lines(title, "epoch", yLabel, data));
  }

  /** One line per run of a ranking metric on its evaluated epochs. */
  public static JFreeChart metric(String metric, List<RunHistory> runs) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (RunHistory run : runs) {
      XYSeries series = new XYSeries(run.label());
      for (RunHistory.Epoch e : run.evaluated()) {
        Double v = e.metrics().get(metric);
        if (v != null) series.add(e.epoch(), v.doubleValue());
      }
      if (series.getItemCount() > 0) data.addSeries(series);
    }
    return styled(lines(metric + " on the test split, per evaluated epoch", "epoch", metric, data));
  }

  /**
   * Named polylines of (x, y) points with markers, e.g. one tuning trial per line: validation recall@20
   * (y) at each budget (x) it reached.
   */
  public static JFreeChart polylines(String title, String x, String y, Map<String, List<double[]>> lines) {
    XYSeriesCollection data = new XYSeriesCollection();
    lines.forEach((label, points) -> {
      XYSeries series = new XYSeries(label);
      points.forEach(p -> series.add(p[0], p[1]));
      if (series.getItemCount() > 0) data.addSeries(series);
    });
    return styled(lines(title, x, y, data));
  }

  static List<RunHistory.Epoch> spectrumEpochs(List<RunHistory.Epoch> epochs) {
    int n = epochs.size();
    int m = Math.min(SPECTRUM_EPOCHS, n);
    List<RunHistory.Epoch> picked = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      int idx = m == 1 ? n - 1 : (int) Math.round((double) j * (n - 1) / (m - 1));
      picked.add(epochs.get(idx));
    }
    return picked;
  }

  private static JFreeChart lines(String title, String x, String y, XYSeriesCollection data) {
    JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int k = 0; k < data.getSeriesCount(); k++) {
      renderer.setSeriesStroke(k, new BasicStroke(2f));
      // A series of one or a few points (ALS's single record, sparse evaluations) needs its markers.
      renderer.setSeriesShapesVisible(k, data.getSeries(k).getItemCount() <= 12);
    }
    plot.setRenderer(renderer);
    // Epochs and singular-value indices are whole numbers: no 1.2, 1.4 ... ticks.
    ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    if (plot.getRangeAxis() instanceof NumberAxis axis) axis.setAutoRangeIncludesZero(false);
    return chart;
  }

  private static JFreeChart styled(JFreeChart chart) {
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    for (int k = 0; k < chart.getXYPlot().getDataset().getSeriesCount(); k++) r.setSeriesPaint(k, PALETTE[k % PALETTE.length]);
    return chart;
  }
}
