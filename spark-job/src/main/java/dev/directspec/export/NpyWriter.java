package dev.directspec.export;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Streams an array in NumPy's {@code .npy} format, version 1.0: the magic string, the header dict
 * ({@code descr}, {@code fortran_order}, {@code shape}) padded with spaces to a multiple of 64 bytes and
 * ended by a newline, then the values little-endian in C order. Hand-written because no maintained Java
 * npy library is on Maven Central (the package list has none; the few on GitHub are unmaintained), and the
 * format is one short header (numpy.org, "A Simple File Format for NumPy Arrays").
 *
 * <p>Rows are appended one at a time, so an array larger than memory passes through with one row buffered;
 * {@link #close} fails when fewer or more rows came than the header promised.
 */
public final class NpyWriter implements AutoCloseable {
  /** 32-bit floats, little-endian: what FAISS, hnswlib and ScaNN index. */
  public static final String FLOAT32 = "<f4";
  public static final String INT64 = "<i8";
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  private static final int ALIGN = 64;
  /** numpy.lib.format.GROWTH_AXIS_MAX_DIGITS: header space numpy keeps so the shape can grow in place. */
  private static final int GROWTH_DIGITS = 21;

  private final DataOutputStream out;
  private final String descr;
  private final long rows;
  private final int rowWidth;
  private final ByteBuffer row;
  private long written;

  /** @param shape (rows) or (rows, columns) */
  public NpyWriter(OutputStream out, String descr, long... shape) throws IOException {
    if (!descr.equals(FLOAT32) && !descr.equals(INT64)) throw new IllegalArgumentException("dtype " + descr);
    if (shape.length < 1 || shape.length > 2) throw new IllegalArgumentException("shape " + Arrays.toString(shape));
    this.out = new DataOutputStream(out);
    this.descr = descr;
    this.rows = shape[0];
    this.rowWidth = shape.length == 2 ? Math.toIntExact(shape[1]) : 1;
    this.row = ByteBuffer.allocate(rowWidth * 8).order(ByteOrder.LITTLE_ENDIAN);
    this.out.write(header(descr, shape));
  }

  /**
   * The magic, version, header length and header dict, padded so the data starts at a multiple of 64. The
   * padding is NumPy's own (room for a 21-digit first dimension, then up to the next multiple of 64, a whole
   * 64 when already aligned), so the header is byte for byte what numpy.save writes for the same array.
   */
  static byte[] header(String descr, long... shape) {
    String dims = shape.length == 1 ? "(" + shape[0] + ",)"
        : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }"
        + " ".repeat(Math.max(0, GROWTH_DIGITS - Long.toString(shape[0]).length()));
    int unpadded = MAGIC.length + 2 + dict.length() + 1; // + the closing newline
    int padding = ALIGN - unpadded % ALIGN;
    int headerLength = dict.length() + padding + 1;
    if (headerLength > 0xFFFF) throw new IllegalArgumentException("npy header too long: " + headerLength);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) headerLength).put(dict.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < padding; i++) b.put((byte) ' ');
    b.put((byte) '\n');
    return b.array();
  }

  /** Appends one row of a float32 array (its length is the second dimension of the shape). */
  public void floats(float[] values) throws IOException {
    check(FLOAT32, values.length);
    row.clear();
    for (float v : values) row.putFloat(v);
    out.write(row.array(), 0, row.position());
    written++;
  }

  /** Appends one element of a 1-d int64 array. */
  public void int64(long value) throws IOException {
    check(INT64, 1);
    row.clear();
    row.putLong(value);
    out.write(row.array(), 0, 8);
    written++;
  }

  private void check(String type, int width) {
    if (!descr.equals(type)) throw new IllegalStateException("this array holds " + descr + ", not " + type);
    if (width != rowWidth) {
      throw new IllegalArgumentException("row " + written + " has " + width + " values; the array has " + rowWidth);
    }
    if (written == rows) throw new IllegalStateException("more rows than the " + rows + " in the header");
  }

  @Override
  public void close() throws IOException {
    out.flush();
    if (written != rows) {
      throw new IOException("npy array declared " + rows + " rows but " + written + " were written");
    }
  }
}
