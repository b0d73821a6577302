package dev.directspec.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/** The demo's preset (conf/demo.conf, also on the classpath) as a file the settings loader reads. */
final class DemoPreset {
  private DemoPreset() {}

  static File file() {
    File local = new File("conf/demo.conf");
    if (local.isFile()) return local;
    try (InputStream in = DemoPreset.class.getClassLoader().getResourceAsStream("dev/directspec/demo.conf")) {
      if (in == null) throw new IllegalStateException("demo.conf is missing from the jar");
      File tmp = File.createTempFile("directspec-demo", ".conf");
      tmp.deleteOnExit();
      Files.copy(in, tmp.toPath(), StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo preset", e);
    }
  }
}
