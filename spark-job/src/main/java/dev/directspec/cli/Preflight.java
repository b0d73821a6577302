package dev.directspec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.directspec.config.Settings;
import dev.directspec.config.SettingsException;
import dev.directspec.folders.DatasetFolder;
import dev.directspec.folders.InputDataException;
import dev.directspec.folders.OutputFolder;
import dev.directspec.job.TrainJob;
import dev.directspec.settings.Method;
import dev.directspec.settings.TrainSettings;
import dev.directspec.store.ModelStore;
import dev.directspec.train.ResumeCheck;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a command can check with Hadoop FileSystem calls alone, before its SparkSession starts (8-12 s
 * locally, containers on YARN): inputs present and complete, a model matching its dataset, the output
 * creatable and not already there, a checkpoint to resume. Inputs are checked before outputs, and nothing
 * here creates anything, so an early failure leaves nothing behind.
 */
final class Preflight {
  private final Configuration conf;

  Preflight(Configuration conf) {
    this.conf = conf;
  }

  /** The dataset's manifest; exit 3 when the folder is missing or unfinished. */
  JsonNode dataset(String data) {
    return DatasetFolder.manifest(conf, data);
  }

  /** The model's metadata, checked against the dataset (exit 3 on a mismatch unless allowOther). */
  JsonNode model(String model, JsonNode manifest, String data, boolean allowOther) {
    JsonNode metadata = ModelStore.inspect(conf, model);
    if (!ModelStore.checkDataset(metadata, model, manifest, data, allowOther)) {
      System.out.println("--allow-other-dataset: model " + model + " was not trained on " + data
          + "; its rows are matched by original id and users it lacks are left out");
    }
    return metadata;
  }

  void output(String output, boolean overwrite) {
    OutputFolder.checkCreatable(conf, output, overwrite);
  }

  /** Everything train can know before Spark: settings against the data, warm start, output and resume. */
  void train(Settings settings, TrainSettings train, String data, String output, boolean overwrite,
      ResumeMode resume, boolean allowOther) {
    if (train.schedule().epochs() == 0 && train.schedule().warmStart().isEmpty()) {
      throw new SettingsException("train.epochs = 0 trains nothing; it is allowed only with train.warm_start "
          + "(re-scoring an existing model)");
    }
    JsonNode manifest = dataset(data);
    TrainJob.refuseEmptyEpochs(train, manifest.path("counts").path("train").asLong(Long.MAX_VALUE), data);
    if (!train.schedule().warmStart().isEmpty()) {
      int dim = model(train.schedule().warmStart(), manifest, data, allowOther).path("dim").asInt(train.model().dim());
      if (dim != train.model().dim()) {
        throw new SettingsException("train.dim = " + train.model().dim() + " but the train.warm_start model "
            + train.schedule().warmStart() + " has dim " + dim + "; set train.dim = " + dim);
      }
    }
    output(output, overwrite);
    if (resume != ResumeMode.NONE) resume(settings, train, output, resume, DatasetFolder.fingerprint(manifest));
  }

  private void resume(Settings settings, TrainSettings train, String output, ResumeMode mode, String fingerprint) {
    Path work = OutputFolder.resumableWorkFolder(conf, output);
    boolean als = train.method().kind() == Method.ALS;
    int latest;
    try {
      latest = als ? 0 : ResumeCheck.verify(work.getFileSystem(conf), work, settings, fingerprint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + work, e);
    }
    if (latest > 0) {
      System.out.println("resume: the checkpoint after epoch " + latest + " in " + work + " matches these settings");
    } else if (mode == ResumeMode.REQUIRED) {
      throw new InputDataException("--resume: no complete checkpoint in " + work
          + (als ? " (method als keeps no checkpoints)" : " (train.checkpoint_every = " + train.schedule().checkpointEvery() + ")")
          + "; nothing to resume. Run without --resume to start over, or with --resume-if-present to start over "
          + "only when there is no checkpoint");
    } else {
      System.out.println("--resume-if-present: no complete checkpoint in " + work + ": training starts at epoch 0");
    }
  }

  /** How train treats an unfinished run folder. */
  enum ResumeMode { NONE, REQUIRED, IF_PRESENT }
}
