package dev.directspec.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkSubmit;
import org.apache.spark.deploy.SparkSubmitArguments;
import org.apache.spark.deploy.k8s.KubernetesConf$;
import org.apache.spark.deploy.k8s.KubernetesDriverConf;
import org.apache.spark.deploy.k8s.KubernetesDriverSpec;
import org.apache.spark.deploy.k8s.SparkKubernetesClientFactory;
import org.apache.spark.deploy.k8s.SparkKubernetesClientFactory$;
import org.apache.spark.deploy.k8s.submit.ClientArguments;
import org.apache.spark.deploy.k8s.submit.ClientArguments$;
import org.apache.spark.deploy.k8s.submit.KubernetesDriverBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes profile as Spark itself reads it. No Kubernetes cluster runs here, so the launcher's
 * printed command ({@code --dry-run}) goes through the steps of a real {@code spark-submit --master k8s://}
 * up to the last one before the API server: Spark's argument parsing ({@link SparkSubmitArguments}),
 * {@link SparkSubmit#prepareSubmitEnvironment}, and the driver pod that KubernetesClientApplication would
 * create ({@link KubernetesDriverBuilder}, where Spark uploads local files to
 * {@code spark.kubernetes.file.upload.path} and refuses them without it). Not covered: the API server,
 * the image, the executors' pods, scheduling, and anything that happens inside the pods.
 */
class KubernetesSubmitIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String FAKE_SPARK_HOME = "/opt/spark-4.2.0";
  private static final String IMAGE = "registry.example/directspec:0.1.0";

  @TempDir
  Path dir;

  /** The words of the launcher's printed command (printf %q quoting undone). */
  private static List<String> dryRun(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("submit/directspec").toString(), "--dry-run"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().put("SPARK_HOME", FAKE_SPARK_HOME);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "launcher timed out");
    assertEquals(0, p.exitValue(), out);
    String line = out.lines().filter(l -> l.startsWith("directspec: running: ")).findFirst().orElseThrow();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    String text = line.substring("directspec: running: ".length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        word.append(text.charAt(++i));
      } else if (c == ' ') {
        words.add(word.toString());
        word.setLength(0);
      } else {
        assertTrue(c != '\'' && c != '$', "unexpected quoting in " + line);
        word.append(c);
      }
    }
    words.add(word.toString());
    assertEquals(FAKE_SPARK_HOME + "/bin/spark-submit", words.get(0), line);
    return words.subList(1, words.size());
  }

  private List<String> launcherArgs(String... extra) throws Exception {
    Files.createDirectories(dir.resolve("uploads"));
    List<String> args = new ArrayList<>(List.of("--profile", "kubernetes", "--master", "k8s://https://127.0.0.1:6443",
        "--spark-conf", "spark.kubernetes.container.image=" + IMAGE,
        "--spark-conf", "spark.kubernetes.file.upload.path=" + dir.resolve("uploads").toUri()));
    args.addAll(List.of(extra));
    args.addAll(List.of("train", "--data", "s3a://bucket/dataset", "--output", "s3a://bucket/run",
        "--config", "conf/gowalla.conf"));
    return args;
  }

  /** What spark-submit does with these arguments before it would call the API server: the driver pod. */
  private KubernetesDriverSpec submit(List<String> sparkSubmitArgs) throws Exception {
    Path siteConf = Files.createDirectories(dir.resolve("site-conf"));
    // The cluster's own defaults: the profile goes on top of them, they still apply where it is silent.
    Files.writeString(siteConf.resolve("spark-defaults.conf"),
        "spark.kubernetes.namespace site-default\nspark.eventLog.enabled true\n");
    Map<String, String> env = new HashMap<>(Map.of("SPARK_CONF_DIR", siteConf.toString()));
    SparkSubmitArguments arguments = new SparkSubmitArguments(
        CollectionConverters.asScala(sparkSubmitArgs).toList(),
        scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(env)));
    Tuple4<scala.collection.immutable.Seq<String>, scala.collection.immutable.Seq<String>, SparkConf, String> prepared =
        new SparkSubmit().prepareSubmitEnvironment(arguments, Option.empty());
    assertEquals("org.apache.spark.deploy.k8s.submit.KubernetesClientApplication", prepared._4());
    SparkConf conf = prepared._3();
    String[] childArgs = CollectionConverters.asJava(prepared._1()).toArray(String[]::new);
    // As KubernetesClientApplication.run does, minus creating the pod.
    ClientArguments client = ClientArguments$.MODULE$.fromCommandLineArgs(childArgs);
    KubernetesDriverConf driverConf = KubernetesConf$.MODULE$.createDriverConf(conf,
        KubernetesConf$.MODULE$.getKubernetesAppId(), client.mainAppResource(), client.mainClass(), client.driverArgs(),
        client.proxyUser());
    try (KubernetesClient kubernetes = SparkKubernetesClientFactory$.MODULE$.createKubernetesClient(
        "https://127.0.0.1:6443", Option.apply(driverConf.namespace()), "spark.kubernetes.authenticate.submission",
        SparkKubernetesClientFactory.ClientType$.MODULE$.Submission(), conf, Option.empty())) {
      return new KubernetesDriverBuilder().buildFromFeatures(driverConf, kubernetes);
    }
  }

  @Test
  void sparkAcceptsTheProfileAndUploadsTheLocalConfigForTheDriverPod() throws Exception {
    KubernetesDriverSpec spec = submit(dryRun(launcherArgs().toArray(String[]::new)));
    Map<String, String> system = spec.getSystemPropertiesAsJavaMap();

    // The local --config went to the upload path (Spark's upload, done here for real) and the driver
    // fetches it from there into its working directory, where --config names it by its base name.
    String files = system.get("spark.files");
    String uploads = dir.resolve("uploads").toUri().toString();
    assertTrue(files != null && files.contains(uploads) && files.endsWith("/gowalla.conf"),
        "spark.files " + files);
    try (Stream<Path> uploaded = Files.walk(dir.resolve("uploads"))) {
      Path copy = uploaded.filter(p -> p.getFileName().toString().equals("gowalla.conf")).findFirst().orElseThrow();
      assertEquals(Files.readString(ROOT.resolve("conf/gowalla.conf")), Files.readString(copy));
    }

    Container driver = spec.pod().container();
    assertEquals(IMAGE, driver.getImage());
    List<String> args = driver.getArgs();
    assertTrue(args.contains("local:///opt/directspec/directspec-app.jar"), args.toString());
    int jar = args.indexOf("local:///opt/directspec/directspec-app.jar");
    String appArgs = String.join(" ", args.subList(jar, args.size()));
    assertTrue(appArgs.endsWith("train --set blocks=16 --data s3a://bucket/dataset --output s3a://bucket/run"
        + " --config gowalla.conf"), appArgs);
    // The pod's memory is heap plus the profile's overhead: 4g + 1g for the driver.
    assertEquals("5120Mi", driver.getResources().getLimits().get("memory").toString());
    assertEquals("5120Mi", driver.getResources().getRequests().get("memory").toString());

    assertEquals("2g", system.get("spark.executor.memoryOverhead"));
    assertEquals("16", system.get("spark.directspec.train.blocks"));
    assertEquals("directspec", system.get("spark.kubernetes.namespace"), "the profile wins over spark-defaults.conf");
    assertEquals("true", system.get("spark.eventLog.enabled"),
        "spark-defaults.conf still applies (--load-spark-defaults)");
    // The pod template of submit/kubernetes/ reached the pod: its labels and security context.
    assertEquals("directspec", spec.pod().pod().getMetadata().getLabels().get("app.kubernetes.io/name"));
    assertEquals(Long.valueOf(185), spec.pod().pod().getSpec().getSecurityContext().getRunAsUser());
  }

  @Test
  void withoutTheUploadPathOrTheImageSparkRefusesTheSubmit() throws Exception {
    List<String> good = dryRun(launcherArgs().toArray(String[]::new));
    // The launcher refuses this itself (LauncherIT); here the same command, minus the upload path, goes
    // straight to Spark, to show that Spark's own check is what the profile and launcher satisfy.
    List<String> noUpload = without(good, "spark.kubernetes.file.upload.path=");
    Exception refused = assertThrows(Exception.class, () -> submit(noUpload));
    assertTrue(messages(refused).contains("Please specify spark.kubernetes.file.upload.path property."),
        messages(refused));

    List<String> noImage = without(good, "spark.kubernetes.container.image=");
    Exception noImageRefused = assertThrows(Exception.class, () -> submit(noImage));
    assertTrue(messages(noImageRefused).contains("Must specify the driver container image"), messages(noImageRefused));
  }

  @Test
  void aConfigInsideTheImageNeedsNoUploadPath() throws Exception {
    List<String> args = new ArrayList<>(List.of("--profile", "kubernetes", "--master", "k8s://https://127.0.0.1:6443",
        "--spark-conf", "spark.kubernetes.container.image=" + IMAGE, "train", "--data", "s3a://bucket/dataset",
        "--output", "s3a://bucket/run", "--config", "/opt/directspec/conf/gowalla.conf"));
    KubernetesDriverSpec spec = submit(dryRun(args.toArray(String[]::new)));
    List<String> driverArgs = spec.pod().container().getArgs();
    assertTrue(String.join(" ", driverArgs).endsWith("--config /opt/directspec/conf/gowalla.conf"),
        driverArgs.toString());
    assertTrue(!spec.getSystemPropertiesAsJavaMap().containsKey("spark.kubernetes.file.upload.path"));
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) all.append(c).append(" | ");
    return all.toString();
  }

  /** The command without the --conf pair whose value starts with {@code prefix}. */
  private static List<String> without(List<String> args, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--conf") && i + 1 < args.size() && args.get(i + 1).startsWith(prefix)) {
        i++;
        continue;
      }
      out.add(args.get(i));
    }
    assertEquals(args.size() - 2, out.size(), "expected one --conf " + prefix + " in " + args);
    return out;
  }
}
