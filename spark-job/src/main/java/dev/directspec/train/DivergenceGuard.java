package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.settings.TrainSettings;
import java.util.Locale;

/**
 * Stops a run that can only end in a broken model: a NaN or infinite loss, or factor rows whose RMS norm
 * passed train.max_factor_norm. The norms come free from the Gram matrices the epoch already sums
 * (trace(F^T F) = sum of squared row norms), so the guard costs nothing on the executors.
 */
final class DivergenceGuard {
  private DivergenceGuard() {}

  /** Returns the epoch's norms (for metrics.json) or throws {@link TrainingFailedException}. */
  static FactorNorms check(int epoch, EpochSums sums, BlockLayout layout, TrainSettings settings) {
    if (sums.steps() == 0) {
      throw new TrainingFailedException(String.format(Locale.ROOT, "epoch %d made no training step: "
          + "train.batch_size = %d exceeds the %d training interactions", epoch, settings.schedule().batchSize(),
          layout.numInteractions));
    }
    FactorNorms norms = new FactorNorms(rmsNorm(sums.gramUsers(), layout.numUsers, settings.model().dim()),
        rmsNorm(sums.gramItems(), layout.numItems, settings.model().dim()));
    double loss = sums.meanLoss();
    if (!Double.isFinite(loss)) {
      throw new TrainingFailedException(String.format(Locale.ROOT, "training diverged in epoch %d: the mean loss "
          + "is %s (RMS factor norm users %.4g, items %.4g); %s; nothing was published", epoch, loss, norms.users(),
          norms.items(), likelyCause(settings)));
    }
    double worst = Math.max(norms.users(), norms.items());
    if (!(worst <= settings.optimizer().maxFactorNorm())) { // also catches NaN
      String table = norms.users() >= norms.items() || Double.isNaN(norms.users()) ? "user" : "item";
      throw new TrainingFailedException(String.format(Locale.ROOT, "training diverged in epoch %d: the RMS norm "
          + "of the %s factor rows is %.4g, above train.max_factor_norm = %s (users %.4g, items %.4g); %s; "
          + "nothing was published", epoch, table, worst, settings.optimizer().maxFactorNorm(), norms.users(), norms.items(),
          likelyCause(settings)));
    }
    return norms;
  }

  static double rmsNorm(double[] gram, long rows, int dim) {
    if (gram == null || rows == 0) return 0;
    double trace = 0;
    for (int k = 0; k < dim; k++) trace += gram[k * dim + k];
    return Math.sqrt(trace / rows);
  }

  private static String likelyCause(TrainSettings s) {
    return String.format(Locale.ROOT, "the likely cause is train.lr = %s (method %s, optimizer %s): lower it%s",
        s.optimizer().lr(), s.method().kind().key, s.optimizer().kind().key(), s.model().initStd() > 1 ? ", or train.init_std = " + s.model().initStd() : "");
  }
}
