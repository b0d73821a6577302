package dev.directspec.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An npy reader written apart from the exporter's writer, from the format's description: it checks every
 * byte of the header layout (magic, version 1.0, header length, 64-byte alignment, the dict, the closing
 * newline) and the data length, and returns the values as raw little-endian bits.
 */
record NpyReader(String descr, long[] shape, ByteBuffer data) {
  private static final Pattern DICT = Pattern.compile(
      "\\{'descr': '(<f4|<i8)', 'fortran_order': False, 'shape': \\((\\d+),(?: (\\d+))?\\), \\} *\n");

  static NpyReader read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertEquals((byte) 0x93, bytes[0], file + ": magic");
    assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII), file + ": magic");
    assertEquals(1, bytes[6], file + ": major version");
    assertEquals(0, bytes[7], file + ": minor version");
    int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
    int dataStart = 10 + headerLength;
    assertEquals(0, dataStart % 64, file + ": data must start on a 64-byte boundary");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    Matcher m = DICT.matcher(header);
    assertTrue(m.matches(), file + ": header " + header);
    long[] shape = m.group(3) == null ? new long[] {Long.parseLong(m.group(2))}
        : new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    long elements = shape.length == 1 ? shape[0] : shape[0] * shape[1];
    int width = m.group(1).equals("<f4") ? 4 : 8;
    assertEquals(elements * width, bytes.length - dataStart, file + ": data length for shape");
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(ByteOrder.LITTLE_ENDIAN);
    return new NpyReader(m.group(1), shape, data);
  }

  /** Row r of a 2-d float32 array as raw float bits. */
  int[] rowBits(int r) {
    int d = (int) shape[1];
    int[] bits = new int[d];
    for (int k = 0; k < d; k++) bits[k] = data.getInt((r * d + k) * 4);
    return bits;
  }

  float[] row(int r) {
    int[] bits = rowBits(r);
    float[] v = new float[bits.length];
    for (int k = 0; k < v.length; k++) v[k] = Float.intBitsToFloat(bits[k]);
    return v;
  }

  long int64(int i) {
    return data.getLong(i * 8);
  }
}
