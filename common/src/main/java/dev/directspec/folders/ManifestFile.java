package dev.directspec.folders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * manifest.json of a dataset folder as a file: its name, its format version, reading and writing. What goes
 * into it is prep's business ({@code dev.directspec.prep.Manifest}); reading it is everyone's, so the file
 * side lives on the ground floor beside {@link DatasetFolder}.
 */
public final class ManifestFile {
  public static final String FILE = "manifest.json";
  public static final int FORMAT_VERSION = 1;
  /** Key of the dataset's name (prep --name), by which compare finds its presets. */
  public static final String NAME = "name";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestFile() {}

  public static void write(FileSystem fs, Path folder, Map<String, Object> manifest) {
    try (FSDataOutputStream out = fs.create(new Path(folder, FILE), true)) {
      JSON.writeValue((java.io.OutputStream) out, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + new Path(folder, FILE) + ": " + e.getMessage(), e);
    }
  }

  public static JsonNode read(FileSystem fs, Path folder) {
    Path file = new Path(folder, FILE);
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new InputDataException("cannot read dataset manifest " + file + ": " + e.getMessage(), e);
    }
  }
}
