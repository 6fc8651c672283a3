#!/usr/bin/env bash
# Runs every benchmark against the testkit's real engines (started and stopped by the run) and writes
# benchmarks/target/results.json and docs/benchmarks.md.
#
#   benchmarks/run.sh            quick mode: under 10 minutes on 2 cores, engine start included
#   benchmarks/run.sh --full     the issue's sizes (B1: 1,000,000 events over 100,000 aggregates)
#   benchmarks/run.sh --only B1,B5
#   benchmarks/run.sh --only B9,B10   projections and migration: run only when named (as B8)
#   benchmarks/run.sh --only B11,B12  single emits from 64 threads, one producer thread (Kafka, Hazelcast)
#   benchmarks/run.sh --only B13      a compact CBOR envelope against JSON on the hand-built pipeline
#
# It builds what it needs first (the benchmark module and its dependencies; the testkit finds the
# engines' jars in the local Maven repository).
# `mvn verify` never runs the benchmarks: it only compiles them and runs their unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

# Engine folders of earlier runs (data and logs, hundreds of MB each in full mode); this run's stay
# until the next one, for its logs.
rm -rf "$root/benchmarks/target/cursus-engines"

# The Kotlin compiler runs inside Maven (the parent pom turns its daemon off); no javadoc or sources jars.
mvn -B -ntp -q -Pbench -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -pl benchmarks -am package

exec java -Xms1g -Xmx2g \
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Dhazelcast.logging.type=slf4j \
  -Djava.io.tmpdir="$root/benchmarks/target" \
  -Dcursus.testkit.dir="$root/benchmarks/target/cursus-engines" \
  -Dcursus.bench.results="$root/benchmarks/target/results.json" \
  -Dcursus.bench.page="$root/docs/benchmarks.md" \
  -Dcursus.bench.findings="$root/benchmarks/findings.md" \
  -cp "$root/benchmarks/target/classes:$root/benchmarks/target/lib/*" \
  io.cursus.benchmarks.Main "$@"
