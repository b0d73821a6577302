package dev.directspec.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on loopback, started from the Spark classes of the bundled jar: one master
 * and two workers of one core each, every process with {@code spark.authenticate} and a shared secret
 * (from a properties file, so it is on no command line). A Worker builds its executors' classpath from
 * a Spark home's {@code jars/}; this cluster's Spark home is a folder whose {@code jars/} links the
 * bundled jar (SPARK_SCALA_VERSION tells Spark's launcher library which Scala build it is).
 */
final class StandaloneCluster implements AutoCloseable {
  static final Path BUNDLED = LauncherProcess.ROOT.resolve("submit/target/directspec-bundled.jar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Path dir;
  final String masterUrl;
  final Path secretFile;
  private final int masterUiPort;
  private final List<Process> daemons = new ArrayList<>();
  final List<Process> workers = new ArrayList<>();

  StandaloneCluster(Path dir, String secret) throws IOException, InterruptedException {
    this.dir = dir;
    Path sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.createSymbolicLink(sparkHome.resolve("jars/directspec-bundled.jar"), BUNDLED);
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    secretFile = dir.resolve("cluster-secret.properties");
    Files.writeString(secretFile, "spark.authenticate true\nspark.authenticate.secret " + secret + "\n");
    int port = freePort();
    masterUiPort = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    daemons.add(daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--webui-port", String.valueOf(masterUiPort)));
    for (int w = 1; w <= 2; w++) {
      Path work = Files.createDirectories(dir.resolve("worker" + w));
      Process worker = daemon("worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), "--webui-port", "0", masterUrl);
      daemons.add(worker);
      workers.add(worker);
    }
    awaitWorkers(2, 90);
  }

  /**
   * Why this machine cannot start the cluster's processes (no JVM or shell can be started, no socket on
   * loopback), or empty. Only these skip the cluster test: a cluster that starts and then fails is a failure.
   */
  static Optional<String> whyProcessesCannotStart() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.getLocalPort();
    } catch (IOException e) {
      return Optional.of("no server socket on loopback: " + e);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (List<String> cmd : List.of(List.of(java, "-version"), List.of("bash", "-c", "true"))) {
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return Optional.of(String.join(" ", cmd) + " failed");
      } catch (IOException | InterruptedException e) {
        return Optional.of("cannot run " + String.join(" ", cmd) + ": " + e);
      }
    }
    return Optional.empty();
  }

  /** Environment of every process of the cluster test: loopback, scratch and temp dirs inside {@link #dir}. */
  Map<String, String> env() {
    return Map.of("SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_DIRS", dir.resolve("tmp").toString(), "SPARK_SCALA_VERSION", "2.13");
  }

  private Process daemon(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Djava.io.tmpdir=" + dir.resolve("tmp")));
    cmd.addAll(List.of(JvmArgs.MODULE_OPENS));
    cmd.addAll(List.of("-cp", BUNDLED.toString(), mainClass));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--properties-file", secretFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("logs").resolve(name + ".log").toFile());
    pb.environment().putAll(env());
    pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
    return pb.start();
  }

  JsonNode masterState() throws IOException, InterruptedException {
    return getJson("http://127.0.0.1:" + masterUiPort + "/json/");
  }

  private void awaitWorkers(int count, int timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : daemons) {
        if (!p.isAlive()) throw new AssertionError("a cluster process exited (" + p.exitValue() + "); see " + dir.resolve("logs"));
      }
      try {
        JsonNode state = masterState();
        last = state.toString();
        if (state.path("aliveworkers").asInt() == count) return;
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError(count + " workers did not register within " + timeoutSeconds + " s: " + last);
  }

  /** Executor JVMs (CoarseGrainedExecutorBackend) running under this cluster's workers. */
  List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process worker : workers) {
      worker.toHandle().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(out::add);
    }
    return out;
  }

  /** The executor JVM of a Spark executor id, found by its command line. */
  Optional<ProcessHandle> executor(String executorId) {
    return executors().stream()
        .filter(p -> p.info().commandLine().orElse("").contains("--executor-id " + executorId + " "))
        .findFirst();
  }

  static JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException(url + ": HTTP " + r.statusCode());
    return JSON.readTree(r.body());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    // Workers first (they stop their executors), then the master; whatever is left is killed.
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
