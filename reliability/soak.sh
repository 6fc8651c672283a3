#!/usr/bin/env bash
# R9, the soak (see docs/reliability.md). Not part of `mvn verify`.
#
#   reliability/soak.sh [duration] [probe] [output folder]
#
# duration and probe are ISO-8601 (defaults PT10M and PT30S); output defaults to
# reliability/target/soak (soak.csv: one sample every 5 s; summary.txt). Exit code 0 when heap and
# lag stayed bounded and the sampled parcels were stored once each.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl reliability -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
mkdir -p reliability/target/soak
exec java -Xmx1g -Djava.io.tmpdir="$root/reliability/target" \
  --add-modules java.se --add-opens java.base/java.lang=ALL-UNNAMED \
  -Dcursus.testkit.dir="$root/reliability/target/soak/engines" \
  -cp "reliability/target/test-classes:$(cat reliability/target/classpath.txt)" \
  io.cursus.reliability.Soak "${1:-PT10M}" "${2:-PT30S}" "${3:-reliability/target/soak}"
