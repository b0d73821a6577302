package dev.directspec.prep;

import dev.directspec.folders.InputDataException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The first lines of a file (decompressed like Spark would), read on the driver to guess its layout. */
record FilePeek(String path, boolean parquet, List<String> lines) {
  private static final int LINES = 20;

  static FilePeek of(Configuration conf, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(conf);
      byte[] magic = new byte[4];
      int read;
      try (FSDataInputStream in = fs.open(path)) {
        read = in.read(magic);
      }
      if (read == 4 && new String(magic, StandardCharsets.US_ASCII).equals("PAR1")) {
        return new FilePeek(file, true, List.of());
      }
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      InputStream raw = fs.open(path);
      InputStream in = codec == null ? raw : codec.createInputStream(raw);
      List<String> lines = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while (lines.size() < LINES && (line = reader.readLine()) != null) {
          lines.add(lines.isEmpty() ? stripBom(line) : line);
        }
      }
      return new FilePeek(file, false, lines);
    } catch (IOException e) {
      throw new InputDataException("cannot read input file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Excel and some exporters start UTF-8 text with a byte-order mark that is not part of the data. */
  static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  String name() {
    return new Path(path).getName();
  }

  String firstLine() {
    return lines.isEmpty() ? "" : lines.get(0);
  }
}
