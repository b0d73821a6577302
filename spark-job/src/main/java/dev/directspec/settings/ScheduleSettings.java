package dev.directspec.settings;

import dev.directspec.config.Check;
import dev.directspec.config.SettingsException;
import dev.directspec.kernels.Workspace;

import java.io.Serializable;

/**
 * What runs when: train.epochs, batch_size, blocks (P), rounds, checkpoint_every, lineage_cut_every and
 * warm_start (a model folder to start from, or empty).
 */
public record ScheduleSettings(int epochs, int batchSize, int blocks, int rounds, int checkpointEvery,
    int lineageCutEvery, String warmStart) implements Serializable {

  public ScheduleSettings {
    Check.positive("train.batch_size", batchSize);
    if (batchSize > Workspace.MAX_SIDE) {
      // The in-batch kernels keep B x B pair matrices as single arrays indexed by a * B + c.
      throw new SettingsException("train.batch_size must be <= " + Workspace.MAX_SIDE + ": " + batchSize);
    }
    Check.nonNegative("train.epochs", epochs);
    Check.nonNegative("train.blocks", blocks);
    Check.positive("train.rounds", rounds);
    Check.nonNegative("train.checkpoint_every", checkpointEvery);
    Check.positive("train.lineage_cut_every", lineageCutEvery);
  }
}
