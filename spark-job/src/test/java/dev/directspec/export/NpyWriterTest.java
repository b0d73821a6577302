package dev.directspec.export;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The npy header against the bytes NumPy 2.4.6 writes (numpy.lib.format.write_array, version 1.0). */
class NpyWriterTest {
  /** numpy: write_array(BytesIO(), np.zeros(shape, dtype), version=(1, 0)); the 10 + 118 header bytes. */
  private static byte[] numpyHeader(String dictWithPadding) {
    byte[] prefix = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
    byte[] dict = dictWithPadding.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(prefix, prefix.length + dict.length);
    System.arraycopy(dict, 0, all, prefix.length, dict.length);
    return all;
  }

  private static String padded(String dict) {
    return dict + " ".repeat(117 - dict.length()) + "\n";
  }

  @Test
  void headersAreNumpysBytes() {
    assertArrayEquals(numpyHeader(padded("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 64), }")),
        NpyWriter.header("<f4", 3, 64));
    assertArrayEquals(numpyHeader(padded("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }")),
        NpyWriter.header("<i8", 5));
    assertArrayEquals(numpyHeader(padded("{'descr': '<f4', 'fortran_order': False, 'shape': (123456, 64), }")),
        NpyWriter.header("<f4", 123456, 64));
  }

  @Test
  void rowsAreLittleEndianAfterTheHeaderAndCounted() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (NpyWriter w = new NpyWriter(bytes, NpyWriter.FLOAT32, 2, 2)) {
      w.floats(new float[] {1f, -0f});
      w.floats(new float[] {Float.MIN_VALUE, Float.NaN});
    }
    ByteBuffer data = ByteBuffer.wrap(bytes.toByteArray(), 128, 16).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(128 + 16, bytes.size());
    assertEquals(Float.floatToRawIntBits(1f), data.getInt());
    assertEquals(Float.floatToRawIntBits(-0f), data.getInt());
    assertEquals(Float.floatToRawIntBits(Float.MIN_VALUE), data.getInt());
    assertEquals(Float.floatToRawIntBits(Float.NaN), data.getInt());

    NpyWriter tooFew = new NpyWriter(new ByteArrayOutputStream(), NpyWriter.INT64, 3);
    tooFew.int64(7);
    assertThrows(IOException.class, tooFew::close);
    NpyWriter wrongWidth = new NpyWriter(new ByteArrayOutputStream(), NpyWriter.FLOAT32, 1, 3);
    assertThrows(IllegalArgumentException.class, () -> wrongWidth.floats(new float[2]));
  }
}
