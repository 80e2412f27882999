#!/usr/bin/env bash
# Cold fleet runs as a user runs them: `mvn dps:generate -Ddps.devicesFile=... -Ddps.udsFile=...`
# on a generated project, each in a fresh Maven JVM; Maven's own start-up is measured by the same
# command with -Ddps.skip=true and subtracted. Prints devices/s and the ratio to OpenSSL's ECDSA
# P-256 sign rate / 2, measured in the same run.
#
# Usage (from the repository root, after ./mvnw -o -pl dps-core,dps-maven-plugin -am package -DskipTests):
#   dps-core/src/test/bench/cold-mvn.sh [runs] [fleets]
#   fleets: "<devices>:<zip|files> ..." (default "100000:zip 20000:files")
# Environment: COLD_ROOT (the build to measure, default this checkout), COLD_DIR (default
#   $COLD_ROOT/target/cold-mvn), MVN (default the checkout's mvnw),
#   COLD_KEEP=true leaves the outputs (see "This machine's disk" in the benchmark guide).
set -euo pipefail
RUNS=${1:-3}
FLEETS=${2:-"100000:zip 20000:files"}
ROOT=${COLD_ROOT:-$(cd "$(dirname "$0")/../../../.." && pwd)}
DIR=${COLD_DIR:-$ROOT/target/cold-mvn}
MVN=${MVN:-$ROOT/mvnw}
VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -1)
REPO=$DIR/repo
G=$REPO/io/github/dpsplugin
mkdir -p "$DIR"

# the plugin and the core as an install would lay them out; everything else from ~/.m2 (mirror)
install() { # artifactId pom [jar]
  mkdir -p "$G/$1/$VERSION"
  cp "$2" "$G/$1/$VERSION/$1-$VERSION.pom"
  [ -z "${3:-}" ] || cp "$3" "$G/$1/$VERSION/$1-$VERSION.jar"
}
install dps-parent "$ROOT/pom.xml"
install dps-core "$ROOT/dps-core/pom.xml" "$ROOT/dps-core/target/dps-core-$VERSION.jar"
install dps-maven-plugin "$ROOT/dps-maven-plugin/pom.xml" "$ROOT/dps-maven-plugin/target/dps-maven-plugin-$VERSION.jar"
cat > "$DIR/settings.xml" <<XML
<settings>
  <localRepository>$REPO</localRepository>
  <mirrors><mirror><id>m2</id><mirrorOf>*</mirrorOf><url>file://$HOME/.m2/repository</url></mirror></mirrors>
  <pluginGroups><pluginGroup>io.github.dpsplugin</pluginGroup></pluginGroups>
</settings>
XML
FW=$ROOT/dps-core/src/test/resources/vectors/firmware
cat > "$DIR/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.devkit</groupId>
  <artifactId>cold-fleet</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.dpsplugin</groupId>
        <artifactId>dps-maven-plugin</artifactId>
        <version>$VERSION</version>
        <configuration>
          <firmwareBin>$FW/fw-a.ino.bin</firmwareBin>
          <firmwareMap>$FW/fw-a.ino.map</firmwareMap>
          <firmwareVersion>2.0.0</firmwareVersion>
          <acknowledgeDevkitNonce>true</acknowledgeDevkitNonce>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
XML
mvnq() { "$MVN" -B -q -s "$DIR/settings.xml" -f "$DIR/pom.xml" "$@"; }
# resolves the plugin and its dependencies once (not timed), then every run is offline
mvnq dps:generate -Ddps.skip=true >/dev/null
now() { date +%s.%N; }

sign=$(openssl speed -seconds 2 -multi 2 ecdsap256 2>/dev/null | awk '/ecdsa \(nistp256\)/ {print $(NF-1)}' | tail -1)
echo "openssl speed -seconds 2 -multi 2 ecdsap256: ${sign:-?} sign/s"
for fleet in $FLEETS; do
  n=${fleet%%:*}; mode=${fleet##*:}
  f=$DIR/fleet-$n
  if [ ! -f "$f/uds.csv" ]; then
    mkdir -p "$f"
    awk -v n="$n" 'BEGIN { srand(n); print "macAddress" > "'"$f"'/devices.csv";
      for (i = 0; i < n; i++) { mac = sprintf("c89346%06x", i); print mac > "'"$f"'/devices.csv";
        u = ""; for (k = 0; k < 8; k++) u = u sprintf("%08x", int(rand() * 4294967296)); 
        print "az-" mac "v2v0v0," u > "'"$f"'/uds.csv" } }'
  fi
  extra=""; [ "$mode" = zip ] && extra="-Ddps.certificateFiles=false"
  for r in $(seq 1 "$RUNS"); do
    t0=$(now); mvnq -o dps:generate -Ddps.skip=true >/dev/null; t1=$(now)
    out=$DIR/out/$n-$mode-$r-$$
    mvnq -o dps:generate -Ddps.devicesFile="$f/devices.csv" -Ddps.udsFile="$f/uds.csv" \
      -Ddps.outputDirectory="$out" $extra >/dev/null
    t2=$(now)
    awk -v n="$n" -v m="$mode" -v r="$r" -v s0="$t0" -v s1="$t1" -v s2="$t2" -v sign="${sign:-0}" 'BEGIN {
      start = s1 - s0; run = s2 - s1 - start; rate = n / run;
      printf "%7d %-5s run %d: mvn %.2f s - start-up %.2f s = %.2f s, %.0f devices/s, ratio %s\n", n, m, r,
        s2 - s1, start, run, rate, (sign > 0 ? sprintf("%.3f", rate / (sign / 2)) : "-") }'
  done
done
sign=$(openssl speed -seconds 2 -multi 2 ecdsap256 2>/dev/null | awk '/ecdsa \(nistp256\)/ {print $(NF-1)}' | tail -1)
echo "openssl afterwards: ${sign:-?} sign/s"
# outputs are set aside, deleted only now (creating files right after deleting many is slow on ext4)
[ "${COLD_KEEP:-false}" = true ] || rm -rf "$DIR/out"
