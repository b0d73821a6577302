package dev.directspec.settings;

import dev.directspec.config.Check;
import dev.directspec.config.SettingsException;
import dev.directspec.kernels.Workspace;

import java.io.Serializable;

/**
 * The encoder and its tables: train.model, dim, init_std and item_norm_power (how items are scored).
 *
 * @param kind          mf or lightgcn
 * @param dim           embedding dimension d
 * @param initStd       standard deviation of the seeded initial factors
 * @param itemNormPower items are scored with their rows scaled to norm^power (1 = as trained)
 */
public record ModelSettings(ModelKind kind, int dim, double initStd, double itemNormPower) implements Serializable {
  public ModelSettings {
    Check.positive("train.dim", dim);
    if (dim > Workspace.MAX_SIDE) {
      // The d x d Gram matrices and their eigenvectors are single arrays indexed by row * d + column.
      throw new SettingsException("train.dim must be <= " + Workspace.MAX_SIDE + ": " + dim);
    }
    Check.nonNegative("train.init_std", initStd);
    Check.range("train.item_norm_power", itemNormPower, 0, true, 8, true);
  }

  public boolean lightGcn() {
    return kind == ModelKind.LIGHTGCN;
  }
}
