"""Daily retraining of the directspec recommender.

wait_for_input >> prep >> train >> evaluate >> quality_gate >> recommend >> publish

Spark steps are SparkSubmitOperators on YARN in cluster deploy mode; their Spark settings are the
launcher's profile submit/profiles/yarn.conf, a Spark properties file handed to spark-submit as
--properties-file (no parser here). Every output lives under a folder named after the run date
({{ ds }}); writing steps pass --overwrite (a step writes a temporary folder and renames it into place
only when complete, so a retry replaces that date's output whole). train passes --resume-if-present, so a
retry continues from the last checkpoint (checkpoint_every) of the attempt that died, after checking that it
was written with the same settings and dataset; a first attempt has no checkpoint and starts fresh (plain
--resume would fail then, exit 3).

quality_gate and publish run `directspec publish` in client deploy mode (they read and write a few small
files; no Spark session): the gate stops the run when recall@20 falls more than MAX_RECALL_DROP (a share)
below the model the `latest` marker names; publish then replaces the marker (written next to it, renamed
over it) so it names the new model, its recommendations and metrics. Readers follow the marker only.

Exit codes of directspec: 2 bad configuration, 3 bad input data or a failed quality gate, 4 runtime
failure. In YARN cluster mode spark-submit itself exits 1 whenever the application FAILED; the code is in
the ApplicationMaster's log ("User application exited with status N"). In client mode (the gate and
publish) spark-submit returns the code. Only runtime failures are worth a retry, hence few retries.

Needs: apache-airflow-providers-apache-spark and -apache-hdfs; an Airflow connection "spark_yarn"
(host "yarn") on a machine with HADOOP_CONF_DIR and a Spark 4.2.0 distribution; a "webhdfs_default"
connection; DIRECTSPEC_HOME = a checkout of this repository with the jars built (./mvnw -B -DskipTests
package); DIRECTSPEC_DATA_PATH = the HDFS folder with raw/<date>/{train,test}.txt and, written by the
producer last, raw/<date>/_SUCCESS. See docs/airflow.md.
"""
import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.hdfs.sensors.web_hdfs import WebHdfsSensor
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

DIRECTSPEC_HOME = os.environ.get("DIRECTSPEC_HOME", "/opt/directspec")
DATA_PATH = os.environ.get("DIRECTSPEC_DATA_PATH", "/recsys/directspec")
DATA = "hdfs://" + DATA_PATH
APP_JAR = f"{DIRECTSPEC_HOME}/spark-job/target/directspec-spark-job-0.1.0-SNAPSHOT-app.jar"
PROFILE = f"{DIRECTSPEC_HOME}/submit/profiles/yarn.conf"
CONFIG = f"{DIRECTSPEC_HOME}/conf/gowalla.conf"
# The profile's spark.directspec.train.blocks (check_dag.py checks they agree): every step that builds
# blocks uses the same count, whatever number of executors had registered when it started.
BLOCKS = "16"
# Largest allowed fall of recall@20 below the published model, as a share of its value.
MAX_RECALL_DROP = os.environ.get("DIRECTSPEC_MAX_RECALL_DROP", "0.05")

RAW = DATA + "/raw/{{ ds }}"
RUN = DATA + "/runs/{{ ds }}"
DATASET = RUN + "/dataset"
MODEL = RUN + "/train"
EVALUATION = RUN + "/evaluation"
RECOMMENDATIONS = RUN + "/recommendations"
LATEST = DATA + "/latest.json"


def step(task_id, args, retries, timeout, deploy_mode="cluster"):
    # A shipped settings file is in the driver's working directory under its base name.
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id="spark_yarn",
        deploy_mode=deploy_mode,
        application=APP_JAR,
        java_class="dev.directspec.cli.Main",
        name=f"directspec-{task_id}-{{{{ ds }}}}",
        properties_file=PROFILE,
        files=CONFIG if "--config" in args else None,
        conf={"spark.executorEnv.OPENBLAS_NUM_THREADS": "1"},
        application_args=args,
        retries=retries,
        execution_timeout=timeout,
    )


with DAG(
    dag_id="directspec_retrain",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    # A deploy must not start one retraining per day since start_date; backfill a date on purpose.
    catchup=False,
    max_active_runs=1,
    default_args={"retry_delay": timedelta(minutes=10)},
    tags=["directspec", "recommender"],
) as dag:
    wait_for_input = WebHdfsSensor(
        task_id="wait_for_input",
        webhdfs_conn_id="webhdfs_default",
        filepath=DATA_PATH + "/raw/{{ ds }}/_SUCCESS",
        mode="reschedule",
        poke_interval=10 * 60,
        timeout=18 * 3600,
        execution_timeout=timedelta(minutes=5),
    )
    prep = step("prep", ["prep", "--input", RAW + "/train.txt", "--test", RAW + "/test.txt",
                         "--format", "lightgcn", "--output", DATASET, "--overwrite"],
                retries=1, timeout=timedelta(hours=1))
    train = step("train", ["train", "--data", DATASET, "--config", "gowalla.conf", "--set", "blocks=" + BLOCKS,
                           "--set", "checkpoint_every=5", "--output", MODEL, "--resume-if-present", "--overwrite"],
                 retries=3, timeout=timedelta(hours=6))
    evaluate = step("evaluate", ["evaluate", "--data", DATASET, "--model", MODEL, "--config", "gowalla.conf",
                                 "--set", "blocks=" + BLOCKS, "--output", EVALUATION, "--overwrite"],
                    retries=1, timeout=timedelta(hours=1))
    quality_gate = step("quality_gate", ["publish", "--gate-only", "--metrics", EVALUATION, "--latest", LATEST,
                                         "--metric", "recall@20", "--max-drop", MAX_RECALL_DROP],
                        retries=0, timeout=timedelta(minutes=15), deploy_mode="client")
    recommend = step("recommend", ["recommend", "--data", DATASET, "--model", MODEL, "--set", "blocks=" + BLOCKS,
                                   "--k", "100", "--output", RECOMMENDATIONS, "--overwrite"],
                     retries=1, timeout=timedelta(hours=2))
    publish = step("publish", ["publish", "--metrics", EVALUATION, "--latest", LATEST, "--model", MODEL,
                               "--recommendations", RECOMMENDATIONS, "--metric", "recall@20",
                               "--max-drop", MAX_RECALL_DROP],
                   retries=1, timeout=timedelta(minutes=15), deploy_mode="client")

    wait_for_input >> prep >> train >> evaluate >> quality_gate >> recommend >> publish
