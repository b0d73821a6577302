package dev.directspec.train;

import dev.directspec.blocks.AdamState;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.settings.TrainSettings;
import java.util.SplittableRandom;

/**
 * Runs the mini-batch SGD steps of one cell (user block b, item block c) inside one task. Works on
 * private copies of both blocks; everything random comes from the (seed, epoch, stratum, block)
 * stream, so a retried task returns the same blocks bit for bit.
 */
final class CellSteps {
  private final TrainSettings settings;

  CellSteps(TrainSettings settings) {
    this.settings = settings;
  }

  CellOutcome run(EmbeddingBlock usersIn, EmbeddingBlock itemsIn, int steps, float lr, long streamSeed) {
    EmbeddingBlock users = withOptimizerState(usersIn.mutableCopy());
    EmbeddingBlock items = withOptimizerState(itemsIn.mutableCopy());
    CellSampler sampler = new CellSampler(users, items.block);
    if (steps == 0 || sampler.isEmpty() || items.size == 0) {
      return new CellOutcome(users, items, 0, 0);
    }
    int dim = users.dim;
    MethodStep method = MethodStep.create(settings, users, items);
    int negatives = method.negativesPerPositive();
    Batch batch = new Batch(settings.schedule().batchSize(), dim, negatives);
    RowOptimizer userStep = RowOptimizer.create(settings, users, batch.size);
    RowOptimizer itemStep = RowOptimizer.create(settings, items, (1 + negatives) * batch.size);
    SplittableRandom rng = new SplittableRandom(streamSeed);
    double lossSum = 0;
    // Only LightGCN has a graph to spread along; MF ignores the setting, as it ignores train.layers.
    float spread = settings.model().lightGcn() ? (float) settings.lightGcn().graphSpread() : 0f;
    NeighbourSpread neighbours = spread != 0f ? new NeighbourSpread(users, items) : null;
    for (int step = 0; step < steps; step++) {
      for (int k = 0; k < batch.size; k++) {
        int u = sampler.user(rng);
        batch.users[k] = u;
        batch.items[k] = sampler.item(u, rng);
        for (int n = 0; n < negatives; n++) batch.negatives[k * negatives + n] = sampler.negative(u, items.size, rng);
      }
      Batch.gather(users.factors, batch.users, dim, batch.xu);
      Batch.gather(items.factors, batch.items, dim, batch.xi);
      if (batch.negatives != null) Batch.gather(items.factors, batch.negatives, dim, batch.xj);
      lossSum += method.lossAndGradient(batch);
      userStep.add(batch.users, batch.gu);
      itemStep.add(batch.items, batch.gi);
      if (batch.negatives != null) itemStep.add(batch.negatives, batch.gj);
      userStep.step(lr);
      itemStep.step(lr);
      if (neighbours != null) {
        neighbours.fromUsers(batch.users, batch.gu, lr * spread);
        neighbours.fromItems(batch.items, batch.gi, lr * spread);
        if (batch.negatives != null) neighbours.fromItems(batch.negatives, batch.gj, lr * spread);
      }
      if (!Double.isFinite(lossSum)) {
        throw new IllegalStateException("loss became " + lossSum + " in user block " + users.block
            + ", item block " + items.block + " at step " + step + ": lower train.lr (" + settings.optimizer().lr() + ")");
      }
    }
    return new CellOutcome(users, items, lossSum, steps);
  }

  /** Fresh (zero) Adam moments for a block that has none yet: at the first epoch, or after a restart. */
  private EmbeddingBlock withOptimizerState(EmbeddingBlock block) {
    if (!settings.optimizer().usesAdam() || block.adam != null) return block;
    return block.withAdam(new AdamState(block.size, block.dim));
  }
}
