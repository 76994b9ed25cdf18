#!/usr/bin/env bash
# Host-side preparation (builds have no network): builds the Spring Boot fat jar with Maven
# (dependencies from Maven Central through the host's Maven settings) and copies it into the
# build context as app.jar. Skipped while app.jar is newer than the pom and every source.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src="$here/app"
jar="$here/app.jar"
if [ -f "$jar" ] && [ -z "$(find "$src/pom.xml" "$src/src" -newer "$jar" -print -quit)" ]; then
  echo "spring-books: app.jar up to date"
  exit 0
fi
command -v mvn >/dev/null 2>&1 || { echo "spring-books: Maven is needed on the host (apt-get install maven)" >&2; exit 1; }
(cd "$src" && mvn -B -q -DskipTests package)
cp "$src/target/spring-books.jar" "$jar.part"
mv "$jar.part" "$jar"
echo "spring-books: built app.jar ($(du -h "$jar" | cut -f1))"
