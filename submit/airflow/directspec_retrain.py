"""Daily retraining of the directspec recommender: prep -> train -> evaluate -> recommend.

One SparkSubmitOperator per step, on YARN in cluster deploy mode with the settings of
submit/profiles/yarn.conf (read here, so the launcher and the DAG share one source). Every output lives
under a folder named after the run date ({{ ds }}), and every writing step passes --overwrite: a step
writes to a temporary folder and renames it into place only when complete, so a retry or a backfill of
a date replaces that date's output whole and never mixes two attempts. train also passes
--resume-if-present, so a retry continues from the last checkpoint of the attempt that died
(checkpoint_every) instead of starting over, after checking that it was written with the same settings
and dataset; a run that has no checkpoint starts fresh (plain --resume would fail then, exit 3).

Exit codes of directspec (README): 2 bad configuration, 3 bad input data, 4 runtime failure. In YARN
cluster mode spark-submit reports only that the application failed; the code is in the driver log
("User application exited with status N"). Retrying helps only runtime failures, hence few retries.

Needs: apache-airflow-providers-apache-spark; an Airflow connection "spark_yarn" (host "yarn") on a
machine with HADOOP_CONF_DIR and a Spark 4.2.0 distribution; DIRECTSPEC_HOME = a checkout of this
repository with the jars built (./mvnw -B -DskipTests package); DIRECTSPEC_DATA = the HDFS folder with
raw/<date>/{train,test}.txt and the outputs.
"""
import os
import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

DIRECTSPEC_HOME = os.environ.get("DIRECTSPEC_HOME", "/opt/directspec")
DATA = os.environ.get("DIRECTSPEC_DATA", "hdfs:///recsys/directspec")
APP_JAR = f"{DIRECTSPEC_HOME}/spark-job/target/directspec-spark-job-0.1.0-SNAPSHOT-app.jar"
PROFILE = f"{DIRECTSPEC_HOME}/submit/profiles/yarn.conf"
CONFIG = f"{DIRECTSPEC_HOME}/conf/gowalla.conf"

RAW = DATA + "/raw/{{ ds }}"
RUN = DATA + "/runs/{{ ds }}"
DATASET = RUN + "/dataset"
MODEL = RUN + "/train"
RECOMMENDATIONS = RUN + "/recommendations"


def profile_conf(path):
    """The --conf properties of a launcher profile, with ${NAME} / ${NAME:-default} from the environment."""
    conf = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("--conf "):
                continue
            key, _, value = line[len("--conf "):].partition("=")
            conf[key] = re.sub(r"\$\{(\w+)(?::-([^}]*))?\}",
                               lambda m: os.environ.get(m.group(1), m.group(2) or ""), value)
    return conf


SPARK_CONF = {**profile_conf(PROFILE), "spark.executorEnv.OPENBLAS_NUM_THREADS": "1"}


def step(task_id, args, retries):
    # The shipped settings file is in the driver's working directory under its base name.
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id="spark_yarn",
        deploy_mode="cluster",
        application=APP_JAR,
        java_class="dev.directspec.cli.Main",
        name=f"directspec-{task_id}-{{{{ ds }}}}",
        files=CONFIG,
        conf=SPARK_CONF,
        application_args=args,
        retries=retries,
    )


with DAG(
    dag_id="directspec_retrain",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=True,
    max_active_runs=2,
    default_args={"retry_delay": timedelta(minutes=10)},
    tags=["directspec", "recommender"],
) as dag:
    prep = step("prep", ["prep", "--input", RAW + "/train.txt", "--test", RAW + "/test.txt",
                         "--format", "lightgcn", "--output", DATASET, "--overwrite"], retries=1)
    train = step("train", ["train", "--data", DATASET, "--config", "gowalla.conf",
                           "--set", "checkpoint_every=5", "--output", MODEL, "--resume-if-present", "--overwrite"],
                 retries=3)
    evaluate = step("evaluate", ["evaluate", "--data", DATASET, "--model", MODEL,
                                 "--config", "gowalla.conf"], retries=1)
    recommend = step("recommend", ["recommend", "--data", DATASET, "--model", MODEL, "--k", "100",
                                   "--output", RECOMMENDATIONS, "--overwrite"], retries=1)

    prep >> train >> evaluate >> recommend
