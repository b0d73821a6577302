package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.settings.TrainSettings;
import dev.directspec.spectrum.Spectrum;
import dev.directspec.spectrum.SpectrumBalancer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The epoch loop of docs/design.md "The training loop": P strata of cell tasks on partitioned embedding
 * blocks ({@link Strata}), then the driver-side Gram step (docs/method.md 2). Only blocks move between
 * tasks; only d x d matrices and scalars reach the driver. LightGCN epochs ({@link LightGcnRounds}) run the
 * same strata
 * on propagated tables.
 */
public final class EpochLoop {
  /** Called on the driver after every epoch with the epoch's figures and the current blocks. */
  public interface EpochListener {
    void onEpoch(EpochReport report, Result blocks);
  }

  private final JavaSparkContext sc;
  private final TrainSettings settings;
  private final BlockLayout layout;
  private final int lineageCutEvery;

  public EpochLoop(JavaSparkContext sc, TrainSettings settings, BlockLayout layout, int lineageCutEvery) {
    this.sc = sc;
    this.settings = settings;
    this.layout = layout;
    this.lineageCutEvery = lineageCutEvery;
  }

  /**
   * Blocks of a run: {@code users}/{@code items} are what is scored; {@code baseUsers}/{@code baseItems}
   * the trained base table (the same blocks for MF; LightGCN scores the propagated table). They read the
   * strata's cache ({@code strata}) until {@link #release()}.
   */
  public record Result(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items,
      JavaRDD<EmbeddingBlock> baseUsers, JavaRDD<EmbeddingBlock> baseItems, Runnable strata) {
    static Result mf(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, Runnable strata) {
      return new Result(users, items, users, items, strata);
    }

    /** The blocks as scored with train.item_norm_power ({@link ItemNorms}); the base tables stay as trained. */
    public Result scored(TrainSettings settings) {
      return new Result(users, ItemNorms.withNormPower(items, settings.model().itemNormPower()), baseUsers, baseItems,
          strata);
    }

    /**
     * Frees what the strata cache (the last outcome, the adjacency), once the tables have been written or
     * cached elsewhere: computing them afterwards would go back through the lineage.
     */
    public void release() {
      strata.run();
    }
  }

  /** Trains epochs [firstEpoch, settings.epochs) starting from the given (base) blocks. */
  public Result train(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, int firstEpoch,
      EpochListener listener) {
    Strata strata = new Strata(sc, settings, layout, users, items);
    if (settings.model().lightGcn()) {
      return new LightGcnRounds(sc, settings, layout, this, strata).train(users, items, firstEpoch, listener);
    }
    JavaRDD<EmbeddingBlock> initialUsers = users;
    JavaRDD<EmbeddingBlock> initialItems = items;
    JavaRDD<BlockPair> start = strata.pairs(users, items);
    int strataPerEpoch = settings.schedule().rounds() * layout.numBlocks;
    for (int epoch = firstEpoch; epoch < settings.schedule().epochs(); epoch++) {
      long started = System.nanoTime();
      describe(epoch, "");
      JavaRDD<BlockPair> end = strata.run(start, epoch, 0, strataPerEpoch, true);
      if (cutsLineage(epoch)) {
        // Long runs would otherwise build a lineage of epochs x P shuffles (ALS's StackOverflowError).
        end.checkpoint();
      }
      // Names the stage that runs the last stratum's cells and the Gram reduction in the UI and the console.
      sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.schedule().epochs() + ": stratum " + strataPerEpoch + "/"
          + strataPerEpoch + " cells + Gram step");
      EpochSums sums = end.map(BlockPair::sums).treeReduce(EpochSums::merge);
      sc.clearCallSite();
      strata.settled(end);
      double trainSeconds = (System.nanoTime() - started) / 1e9;
      if (epoch == firstEpoch) {
        // The caller's cached tables are only lineage for recovery now; the adjacency is cached apart.
        initialUsers.unpersist(false);
        initialItems.unpersist(false);
      }
      if (cutsLineage(epoch)) strata.cutLineage();

      // Before the spectrum: a diverged table would fail there with an unhelpful eigen-solver error.
      FactorNorms norms = DivergenceGuard.check(epoch + 1, sums, layout, settings);
      Spectrum userSpectrum = Spectrum.of(sums.gramUsers(), settings.model().dim());
      Spectrum itemSpectrum = Spectrum.of(sums.gramItems(), settings.model().dim());
      double[] sigmaUsers = userSpectrum.singularValues();
      double[] sigmaItems = itemSpectrum.singularValues();
      JavaRDD<EmbeddingBlock> endUsers = end.map(BlockPair::users);
      JavaRDD<EmbeddingBlock> endItems = strata.homeItems(end, epoch);
      if (settings.method().balancesAtEpochEnd()) {
        GramStep.Balance u = GramStep.allPassKeepingEnergy(userSpectrum, settings.method().gramAlpha());
        GramStep.Balance i = GramStep.allPassKeepingEnergy(itemSpectrum, settings.method().gramAlpha());
        endUsers = applyBalance(endUsers, sc.broadcast(u.t()));
        endItems = applyBalance(endItems, sc.broadcast(i.t()));
        sigmaUsers = u.sigma();
        sigmaItems = i.sigma();
      }
      start = strata.pairs(endUsers, endItems);
      users = strata.users(endUsers);
      items = strata.items(endItems);
      EpochReport report = new EpochReport(epoch + 1, sums.meanLoss(), trainSeconds,
          settings.optimizer().learningRate(epoch), sigmaUsers, sigmaItems, java.util.Map.of(), norms);
      listener.onEpoch(report, Result.mf(users, items, strata::release));
    }
    return Result.mf(users, items, strata::release);
  }

  void describe(int epoch, String what) {
    sc.setJobDescription("epoch " + (epoch + 1) + "/" + settings.schedule().epochs() + ": " + settings.schedule().rounds() + " x "
        + layout.numBlocks + " strata" + what);
  }

  boolean cutsLineage(int epoch) {
    return lineageCutEvery > 0 && (epoch + 1) % lineageCutEvery == 0;
  }

  /** Round r's share of a cell's epoch steps: the shares of all rounds add up to the whole exactly. */
  static int stepsOfRound(int cellSteps, int round, int rounds) {
    return (int) ((long) cellSteps * (round + 1) / rounds - (long) cellSteps * round / rounds);
  }

  static JavaRDD<EmbeddingBlock> applyBalance(JavaRDD<EmbeddingBlock> blocks, Broadcast<double[]> t) {
    return blocks.map(b -> {
      EmbeddingBlock copy = b.mutableCopy();
      SpectrumBalancer.apply(copy.factors, copy.size, copy.dim, t.value());
      return copy;
    });
  }
}
