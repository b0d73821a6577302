package dev.directspec.train;

import dev.directspec.spectrum.Spectrum;
import dev.directspec.spectrum.SpectrumBalancer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * The epoch loop of docs/design.md "The training loop": P strata of cell tasks on partitioned embedding
 * blocks, then the driver-side Gram step (docs/method.md 2). Only blocks move between tasks; only d x d
 * matrices and scalars reach the driver. LightGCN epochs ({@link LightGcnEpochs}) run the same strata
 * on propagated tables.
 */
public final class DistributedTrainer {
  /** Called on the driver after every epoch with the epoch's figures and the current blocks. */
  public interface EpochListener {
    void onEpoch(EpochReport report, Result blocks);
  }

  private final JavaSparkContext sc;
  private final TrainSettings settings;
  private final BlockLayout layout;
  private final int lineageCutEvery;

  public DistributedTrainer(JavaSparkContext sc, TrainSettings settings, BlockLayout layout, int lineageCutEvery) {
    this.sc = sc;
    this.settings = settings;
    this.layout = layout;
    this.lineageCutEvery = lineageCutEvery;
  }

  /**
   * Blocks of a run: {@code users}/{@code items} are what is scored; {@code baseUsers}/{@code baseItems}
   * the trained base table (the same blocks for MF; LightGCN scores the propagated table).
   */
  public record Result(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items,
      JavaRDD<EmbeddingBlock> baseUsers, JavaRDD<EmbeddingBlock> baseItems) {
    static Result mf(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items) {
      return new Result(users, items, users, items);
    }

    /** The blocks as scored with train.item_norm_power ({@link ItemNorms}); the base tables stay as trained. */
    public Result scored(TrainSettings settings) {
      return new Result(users, ItemNorms.withNormPower(items, settings.itemNormPower()), baseUsers, baseItems);
    }
  }

  /** Trains epochs [firstEpoch, settings.epochs) starting from the given (base) blocks. */
  public Result train(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items, int firstEpoch,
      EpochListener listener) {
    if (settings.model().equals("lightgcn")) {
      return new LightGcnEpochs(sc, settings, layout, this)
          .train(users, items, firstEpoch, listener);
    }
    JavaRDD<CellOutcome> previousLast = null;
    for (int epoch = firstEpoch; epoch < settings.epochs(); epoch++) {
      long start = System.nanoTime();
      describe(epoch, "");
      List<JavaRDD<CellOutcome>> outcomes = new ArrayList<>();
      // The user side of each stratum's outcome carries the epoch's running loss into the next stratum,
      // so the epoch needs one Spark job: the Gram reduction at its end.
      JavaRDD<CellOutcome> carrier = startCarrier(users);
      int strata = settings.rounds() * layout.numBlocks;
      for (int stratum = 0; stratum < strata; stratum++) {
        carrier = stratum(carrier, items, epoch, stratum);
        outcomes.add(carrier);
        items = carrier.map(CellOutcome::items).setName("item blocks e" + (epoch + 1) + " s" + stratum);
      }
      users = carrier.map(CellOutcome::users).setName("user blocks after epoch " + (epoch + 1));
      JavaRDD<CellOutcome> last = outcomes.get(outcomes.size() - 1);
      if (cutsLineage(epoch)) {
        // Long runs would otherwise build a lineage of epochs x P shuffles (ALS's StackOverflowError).
        last.checkpoint();
      }
      // Names the stage that runs the last stratum's cells and the Gram reduction in the UI and the console.
      sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.epochs() + ": stratum " + strata + "/" + strata
          + " cells + Gram step");
      EpochSums sums = last.map(EpochSums::ofBlocks).treeReduce(EpochSums::merge);
      sc.clearCallSite();
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      // Materialised: earlier strata and the previous epoch are only lineage for recovery now.
      for (JavaRDD<CellOutcome> out : outcomes) {
        if (out != last) out.unpersist(false);
      }
      if (previousLast != null) previousLast.unpersist(false);
      previousLast = last;
      outcomes.clear(); // the earlier strata reach back to the previous epoch's blocks
      if (cutsLineage(epoch)) releaseCutLineage();

      // Before the spectrum: a diverged table would fail there with an unhelpful eigen-solver error.
      FactorNorms norms = DivergenceGuard.check(epoch + 1, sums, layout, settings);
      Spectrum userSpectrum = Spectrum.of(sums.gramUsers(), settings.dim());
      Spectrum itemSpectrum = Spectrum.of(sums.gramItems(), settings.dim());
      double[] sigmaUsers = userSpectrum.singularValues();
      double[] sigmaItems = itemSpectrum.singularValues();
      if (settings.balancesAtEpochEnd()) {
        GramStep.Balance u = GramStep.allPassKeepingEnergy(userSpectrum, settings.gramAlpha());
        GramStep.Balance i = GramStep.allPassKeepingEnergy(itemSpectrum, settings.gramAlpha());
        users = applyBalance(users, sc.broadcast(u.t()));
        items = applyBalance(items, sc.broadcast(i.t()));
        sigmaUsers = u.sigma();
        sigmaItems = i.sigma();
      }
      EpochReport report = new EpochReport(epoch + 1, sums.meanLoss(), trainSeconds,
          settings.learningRate(epoch), sigmaUsers, sigmaItems, java.util.Map.of(), norms);
      listener.onEpoch(report, Result.mf(users, items));
    }
    return Result.mf(users, items);
  }

  void describe(int epoch, String what) {
    sc.setJobDescription("epoch " + (epoch + 1) + "/" + settings.epochs() + ": " + settings.rounds() + " x "
        + layout.numBlocks + " strata" + what);
  }

  /**
   * A full collection on the driver right after a lineage cut. Spark deletes a shuffle's files only once the
   * driver has collected its ShuffleDependency (ContextCleaner's weak references; Spark's own periodic GC
   * runs every 30 minutes), and a large driver heap rarely collects its old generation: a LightGCN run with
   * 48 exchanges per epoch held 16 GB of released shuffle files in its block-manager folder by epoch 20.
   * After a cut nothing older is reachable, so one collection per cut bounds the folder to the epochs since.
   */
  static void releaseCutLineage() {
    System.gc();
  }

  boolean cutsLineage(int epoch) {
    return lineageCutEvery > 0 && (epoch + 1) % lineageCutEvery == 0;
  }

  static JavaRDD<CellOutcome> startCarrier(JavaRDD<EmbeddingBlock> users) {
    return users.map(u -> new CellOutcome(u, null, 0, 0));
  }

  /** One stratum: user block b meets item block (b + stratum) mod P in task b. */
  JavaRDD<CellOutcome> stratum(JavaRDD<CellOutcome> carrier, JavaRDD<EmbeddingBlock> items, int epoch, int stratum) {
    TrainSettings s = settings;
    int[][] steps = layout.steps;
    int rounds = settings.rounds();
    int round = stratum / layout.numBlocks;
    long seed = settings.seed();
    float lr = (float) settings.learningRate(epoch);
    // Spark names a stage after the call site of its last RDD: the keyed item blocks below end the stage
    // that runs the previous stratum's cells (or, for stratum 0, prepares the epoch's item blocks).
    int strata = rounds * layout.numBlocks;
    sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.epochs() + ": "
        + (stratum == 0 ? "item blocks for stratum 1" : "stratum " + stratum + "/" + strata + " cells"));
    JavaPairRDD<Integer, EmbeddingBlock> keyed = items.mapToPair(b -> new Tuple2<>(b.block, b));
    sc.clearCallSite();
    JavaRDD<EmbeddingBlock> shifted = keyed
        .partitionBy(new ShiftPartitioner(layout.numBlocks, stratum % layout.numBlocks))
        .values();
    JavaRDD<CellOutcome> out = carrier.zipPartitions(shifted, (carrierIt, itemIt) -> {
      CellOutcome before = carrierIt.next();
      EmbeddingBlock u = before.users();
      EmbeddingBlock i = itemIt.next();
      long stream = Seeds.task(seed, epoch, stratum, u.block);
      FaultInjection.maybeFail(epoch + 1, stratum, u.block);
      FaultInjection.maybeHold(epoch + 1, stratum, u.block);
      int cellSteps = stepsOfRound(steps[u.block][i.block], round, rounds);
      CellOutcome cell = new CellTrainer(s).run(u, i, cellSteps, lr, stream);
      return List.of(new CellOutcome(cell.users(), cell.items(), before.lossSum() + cell.lossSum(),
          before.steps() + cell.steps())).iterator();
    });
    return out.setName("cells e" + (epoch + 1) + " s" + stratum).persist(StorageLevel.MEMORY_AND_DISK());
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
