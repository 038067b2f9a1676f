#!/usr/bin/env bash
# Builds this consumer against the Prune4J installed in the local Maven repository (run
# 'mvn install' in the repository root first; ci/test does) and runs it.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp -q package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -cp "target/classes:$(cat target/cp.txt)" com.example.consumer.Main
