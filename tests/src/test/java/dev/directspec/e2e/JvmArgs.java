package dev.directspec.e2e;

/**
 * JVM options for Spark processes the tests start themselves: the Java 17 module opens Spark's scripts add,
 * and the Vector API module the launcher adds (netlib's VectorBLAS when no native BLAS is installed).
 */
final class JvmArgs {
  private JvmArgs() {}

  static final String VECTOR_API = "--add-modules=jdk.incubator.vector";

  static final String[] MODULE_OPENS = {
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", VECTOR_API};
}
