package dev.directspec.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.directspec.baseline.AlsBaseline;
import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.eval.BlockEvaluator;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.OutputFolder;
import dev.directspec.progress.ConsoleProgress;
import dev.directspec.report.RunReport;
import dev.directspec.settings.Method;
import dev.directspec.settings.TrainSettings;
import dev.directspec.store.FactorTables;
import dev.directspec.store.ModelStore;
import dev.directspec.train.Checkpoints;
import dev.directspec.train.EpochLoop;
import dev.directspec.train.InitialLayout;
import dev.directspec.train.MetricsLog;
import dev.directspec.train.ResumeCheck;
import dev.directspec.train.RunFolder;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code train}: dataset folder in, run folder out (model/, metrics.json, settings.conf). Builds the
 * blocked layout once, runs the epochs, evaluates every {@code eval_every} epochs and after the last,
 * checkpoints every {@code checkpoint_every} epochs, and commits the run folder atomically. Method
 * {@code als} is delegated to {@link AlsBaseline}, which writes the same run folder.
 */
public final class TrainJob {
  private final SparkSession spark;
  private final Settings settings;
  private final TrainSettings train;
  private String continueFrom;
  private String saveStateTo;

  public TrainJob(SparkSession spark, Settings settings) {
    this.spark = spark;
    this.settings = settings;
    this.train = TrainSettings.from(settings);
  }

  /**
   * Starts from the state another run with the same settings saved ({@link #savingFinalState}) instead of
   * epoch 0: every random draw is keyed by (seed, epoch, stratum, block), so the run ends exactly where one
   * run trained straight to {@code train.epochs} would. The caller vouches for the settings being the same.
   */
  public TrainJob continuingFrom(String stateFolder) {
    this.continueFrom = stateFolder;
    return this;
  }

  /** Saves the state after the last epoch (factors, Adam moments, metrics log) in checkpoint layout. */
  public TrainJob savingFinalState(String stateFolder) {
    this.saveStateTo = stateFolder;
    return this;
  }

  /** Runs the job on a model's own dataset and returns the {@code final} object of metrics.json. */
  public Map<String, Object> run(String dataDir, String runDir, boolean overwrite, boolean resume) {
    return run(dataDir, runDir, overwrite, resume, false);
  }

  /**
   * @param resume            continue from the last complete checkpoint when there is one (after checking
   *                          that it was written with these settings and this dataset: {@link ResumeCheck})
   * @param allowOtherDataset accept a train.warm_start model trained on another dataset
   */
  public Map<String, Object> run(String dataDir, String runDir, boolean overwrite, boolean resume,
      boolean allowOtherDataset) {
    if (train.method().kind() == Method.ALS) {
      // Spark's ALS has its own loop: none of the blocked layout or MethodStep applies.
      return new AlsBaseline(spark, settings).run(dataDir, runDir, overwrite, resume);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunFolder run = new RunFolder(sc, runDir);
    // Inputs first: a failure here must leave no work folder behind.
    DatasetFolder data = DatasetFolder.open(spark, dataDir);
    refuseEmptyEpochs(train, data.counts().getOrDefault("train", Long.MAX_VALUE), dataDir);
    ModelStore warm = train.schedule().warmStart().isEmpty() ? null : ModelStore.open(spark, train.schedule().warmStart());
    if (warm != null) {
      ModelStore.checkDataset(warm.metadata(), train.schedule().warmStart(), data.manifest(), dataDir, allowOtherDataset);
    }
    OutputFolder out = run.open(overwrite, resume);
    int resumeFrom = resume ? ResumeCheck.verify(out.fs(), out.tmp(), settings, data.fingerprint()) : 0;
    out.writeText("settings.conf", settings.render());
    out.writeText(ResumeCheck.DATASET_FILE, data.fingerprint());
    BlockLayout.Tables tables = InitialLayout.layout(sc, train, data.train(), data.numUsers(), data.numItems());
    int blocks = tables.layout().numBlocks;
    JavaRDD<EmbeddingBlock> testBlocks = BlockLayout.adjacency(data.test(), data.numUsers(), blocks)
        .setName("test blocks").cache();

    Checkpoints checkpoints = new Checkpoints(spark, out);
    // A run resumed from its own checkpoint goes on from there, whatever it was started from.
    boolean continuing = resumeFrom == 0 && continueFrom != null;
    Checkpoints source = continuing ? stateAt(continueFrom) : checkpoints;
    Checkpoints finalState = saveStateTo == null ? null : stateAt(saveStateTo);
    JavaRDD<EmbeddingBlock> users = tables.users();
    JavaRDD<EmbeddingBlock> items = tables.items();
    int firstEpoch = continuing ? continuedEpoch(source) : resumeFrom;
    boolean adam = train.optimizer().usesAdam();
    MetricsLog log;
    if (firstEpoch > 0) {
      users = FactorTables.overlay(users, source.users(firstEpoch), "user");
      items = FactorTables.overlay(items, source.items(firstEpoch), "item");
      if (adam) {
        users = source.withAdam(firstEpoch, users, "users");
        items = source.withAdam(firstEpoch, items, "items");
      }
      log = source.metrics(firstEpoch);
      System.out.println((continuing ? "continues " + continueFrom : "resumed from the checkpoint")
          + " after epoch " + firstEpoch);
    } else {
      log = new MetricsLog();
      if (warm != null) {
        users = FactorTables.overlay(users, warm.trainableFactorsFor(data.users(), "user"), "user");
        items = FactorTables.overlay(items, warm.trainableFactorsFor(data.items(), "item"), "item");
        System.out.println("warm start from " + train.schedule().warmStart() + " (unknown users and items start fresh)");
        if (train.schedule().epochs() == 0) {
          System.out.println("train.epochs = 0: no training; the warm-start model is re-scored and saved as is");
        }
      }
    }
    EpochLoop.Result trained;
    // Closed however training ends: a diverged trial of tune left its bar redrawn under the next commands.
    try (ConsoleProgress progress = new ConsoleProgress(sc, "train " + train.method().kind().key,
        train.schedule().epochs(), "epochs")) {
      progress.setDone(firstEpoch);
      trained = new EpochLoop(sc, train, tables.layout(), train.schedule().lineageCutEvery())
          .train(users.cache(), items.cache(), firstEpoch, (report, state) -> {
            ObjectNode record = log.epoch(report);
            boolean last = report.epoch() == train.schedule().epochs() && train.eval().evalAtEnd();
            if (last || (train.eval().evalEvery() > 0 && report.epoch() % train.eval().evalEvery() == 0)) {
              long t = System.nanoTime();
              sc.setJobDescription("evaluate after epoch " + report.epoch());
              EpochLoop.Result scored = state.scored(train);
              log.addMetrics(record, BlockEvaluator.evaluate(scored.users(), scored.items(), testBlocks,
                  train.eval().ks()), (System.nanoTime() - t) / 1e9);
            }
            progress.setDone(report.epoch());
            progress.println(log.progressLine(record, train.schedule().epochs()));
            int every = train.schedule().checkpointEvery();
            if (every > 0 && report.epoch() % every == 0 && !last) {
              save(checkpoints, report.epoch(), state, adam, log);
            }
            if (finalState != null && report.epoch() == train.schedule().epochs()) {
              save(finalState, report.epoch(), state, adam, log);
            }
          });
    }
    EpochLoop.Result result = trained.scored(train);
    if (firstEpoch >= train.schedule().epochs() && train.eval().evalAtEnd()) {
      log.setFinalMetrics(BlockEvaluator.evaluate(result.users(), result.items(), testBlocks, train.eval().ks()));
    }
    sc.setJobDescription("save the model");
    new ModelStore.Writer(spark, out.path("model")).write(result.users(), result.items(), result.baseUsers(),
        result.baseItems(), data, train, Math.max(log.lastEpoch(), firstEpoch));
    trained.release();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("resumed_from_epoch", firstEpoch);
    figures.put("blocks", blocks);
    figures.put("steps_per_epoch", tables.layout().totalSteps());
    figures.put("interactions", tables.layout().numInteractions);
    Map<String, Object> last = run.finish(log, figures, RunReport.label(train.method().kind().key,
        train.model().kind().key()), settings.render(), data.manifest());
    testBlocks.unpersist(false);
    return last;
  }

  /** The trained tables after an epoch, with Adam their moments (kept on the trained rows' blocks). */
  private static void save(Checkpoints to, int epoch, EpochLoop.Result state, boolean adam, MetricsLog log) {
    to.write(epoch, state.baseUsers(), state.baseItems(), adam ? state.users() : null, adam ? state.items() : null, log);
  }

  private Checkpoints stateAt(String folder) {
    Path root = new Path(folder);
    try {
      return new Checkpoints(spark, root.getFileSystem(spark.sparkContext().hadoopConfiguration()), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The epoch a continued run starts after: the state's, which must be short of train.epochs. */
  private int continuedEpoch(Checkpoints state) {
    int epoch = state.latest();
    if (epoch == 0 || epoch >= train.schedule().epochs()) {
      throw new IllegalStateException("cannot continue from " + continueFrom + ": it holds " + (epoch == 0
          ? "no complete state" : "the state after epoch " + epoch) + ", and train.epochs is " + train.schedule().epochs());
    }
    return epoch;
  }

  /**
   * An epoch has train / batch_size steps: fewer interactions than one batch would train nothing and
   * still write a model. The CLI makes the same check from the manifest before Spark starts.
   */
  public static void refuseEmptyEpochs(TrainSettings train, long trainInteractions, String dataDir) {
    if (train.method().kind() != Method.ALS && train.schedule().epochs() > 0 && trainInteractions < train.schedule().batchSize()) {
      throw new SettingsException("train.batch_size = " + train.schedule().batchSize() + " is larger than the "
          + trainInteractions + " training interactions of " + dataDir + ": every epoch would have 0 steps; "
          + "lower train.batch_size");
    }
  }
}
