#!/bin/bash
# ClusterFuzzLite / OSS-Fuzz build script for daxfuzz (language: jvm).
#
# The image's `compile` step runs it as `bash -eux $SRC/build.sh` in $SRC/daxfuzz, with the
# environment of base-builder-jvm ($OUT, $SRC, $JAZZER_JUNIT_PATH, $JVM_LD_LIBRARY_PATH) and with
# jazzer_driver and jazzer_agent_deploy.jar already copied into $OUT. check-local.sh runs it without
# Docker, with its own $SRC and $OUT and a stand-in jazzer_driver. It writes into $OUT:
#   daxfuzz-lib/             the class path: the fuzz module's test classes as a jar, the harness
#                            jar and test-jar, JUnit, and the image's jazzer_junit.jar
#   daxfuzz-root/corpus/     the repository's seed programs (SyscallCrashTypedFuzzTest's seeds)
#   <name>                   one executable wrapper script per fuzz target
#   <name>.options           libFuzzer options the runner appends
#   <name>_seed_corpus.zip   the target's seeds, if it has any
# Nothing else executable goes into the top of $OUT: the runner's scripts take every executable
# file there for a fuzz target.
#
# Optional environment:
#   DAXFUZZ_MAVEN_FLAGS  extra Maven flags, e.g. "-o" to build offline (check-local.sh uses it).
#                        Not MAVEN_ARGS: Maven 3.9 reads that variable by itself as well.
#   MVN                  the Maven command (default: mvn)
#   DAXFUZZ_STRICT=1     fail when a @FuzzTest target found by listing fails its smoke test,
#                        instead of leaving it out with a warning (check-local.sh sets it)
set -euo pipefail

: "${OUT:?OUT must name the output directory}"
: "${SRC:?SRC must name the source directory}"

log() { echo "daxfuzz build.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The checkout: the Dockerfile copies it to $SRC/daxfuzz; $SRC itself also works.
if [[ -f $SRC/daxfuzz/fuzz/pom.xml ]]; then
  ROOT=$SRC/daxfuzz
elif [[ -f $SRC/fuzz/pom.xml ]]; then
  ROOT=$SRC
else
  die "no daxfuzz checkout in \$SRC/daxfuzz or \$SRC (SRC=$SRC)"
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
MVN=${MVN:-mvn}
read -r -a maven_flags <<< "${DAXFUZZ_MAVEN_FLAGS:-}"

# The image's Jazzer. The agent jar also holds the driver's Java side (main class
# com.code_intelligence.jazzer.Jazzer) and the Jazzer API.
agent=$OUT/jazzer_agent_deploy.jar
[[ -f $agent ]] || agent=$(command -v jazzer_agent_deploy.jar || true)
[[ -n $agent && -f $agent ]] || die "jazzer_agent_deploy.jar is neither in \$OUT nor on PATH"
junit_jar=${JAZZER_JUNIT_PATH:-}
if [[ -z $junit_jar || ! -f $junit_jar ]]; then
  # No @FuzzTest can run without jazzer-junit (pm-model is one); the fuzzerTestOneInput ones can.
  log "WARNING: \$JAZZER_JUNIT_PATH is unset or missing: building only the fuzzerTestOneInput targets"
  junit_jar=
fi

# --- 1. Build ------------------------------------------------------------------------------------
# One reactor run, so that the fuzz module takes the harness jar and test-jar from this build
# (no `install`). `clean` first: a checkout with old target/ directories (a local
# `helper.py build_fuzzers --external`) must not carry stale classes or resources into $OUT. copy-dependencies takes the test scope (the targets are test classes) but not
# the com.code-intelligence group: the image brings its own Jazzer (agent, driver,
# jazzer_junit.jar), which a second copy from Maven would clash with. JUnit's engine and launcher
# stay: @FuzzTest targets run through the JUnit platform.
cd "$ROOT"
"$MVN" -B --no-transfer-progress "${maven_flags[@]}" -DskipTests -pl fuzz -am \
  clean package dependency:copy-dependencies -DincludeScope=test -DexcludeGroupIds=com.code-intelligence

lib=$OUT/daxfuzz-lib
rm -rf "$lib" "$OUT/daxfuzz-root"
mkdir -p "$lib" "$OUT/daxfuzz-root"
cp fuzz/target/dependency/*.jar "$lib/"
# The test classes go in as a jar on purpose: from a class directory, Jazzer's JUnit integration
# adds the <Class>Inputs directory as a second corpus to every run, and a -runs=4 run that first
# replays a handful of inputs no longer ends in "Done 4 runs", which ClusterFuzz's build check
# wants. Those inputs go into the seed corpus instead (below).
(cd fuzz/target/test-classes && jar cf "$lib/daxfuzz-fuzz-tests.jar" .)
[[ -n $junit_jar ]] && cp "$junit_jar" "$lib/jazzer_junit.jar"
cp -r corpus "$OUT/daxfuzz-root/corpus"

# Every jar spelled out: the driver hands the class path to the JVM as -Djava.class.path, which
# does not expand `dir/*`. $this_dir is the wrapper's variable, expanded when it runs. The
# fuzzerTestOneInput targets get no JUnit: Jazzer runs a class through JUnit whenever JUnit is on
# the class path and the class has a @FuzzTest, which SyscallCrashFuzzTest and RecoveryFuzzTest
# have (their JUnit twins), and would then fuzz the twin instead, under its @FuzzTest limits.
junit_cp=
plain_cp=
for jar in "$lib"/*.jar; do
  entry="\$this_dir/daxfuzz-lib/${jar##*/}"
  junit_cp+="${junit_cp:+:}$entry"
  case ${jar##*/} in
    junit-*.jar | jazzer_junit.jar) ;;
    *) plain_cp+="${plain_cp:+:}$entry" ;;
  esac
done

# --- 2. Wrappers -----------------------------------------------------------------------------------
resources=fuzz/src/test/resources
declare -A covered=()  # Class::method pairs fuzzed by a wrapper
declare -A names=()    # wrapper name -> what it runs
declare -a written=()  # wrapper names, in order
declare -a listed=()   # those made from Jazzer's list of @FuzzTest methods

# write_wrapper NAME CLASS [METHOD]
write_wrapper() {
  local name=$1 class=$2 method=${3:-} target_args jvm_args=-Xmx2048m cp=$plain_cp fuzz_test_args=
  [[ $name =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "bad target name '$name'"
  [[ -n ${names[$name]:-} ]] && die "two targets named '$name': ${names[$name]} and $class${method:+#$method}"
  names[$name]=$class${method:+#$method}
  target_args="--target_class=$class"
  if [[ -n $method ]]; then
    target_args+=" --target_method=$method"
    cp=$junit_cp
    # daxfuzz.seeds=none switches off the @MethodSource seeds of a daxfuzz @FuzzTest: Jazzer would
    # replay them at the start of every run (breaking the build check's "Done 4 runs" as the
    # <Class>Inputs directory would); the seed corpus zip carries them instead.
    jvm_args+=":-Ddaxfuzz.seeds=none"
    # A @FuzzTest's maxDuration (30 s to 2 min here) becomes -max_total_time and would end every
    # run that early; 0 lifts it, and a -max_total_time of the caller's, later on the line, wins.
    fuzz_test_args=" -max_total_time=0"
  fi
  cat > "$OUT/$name" <<EOF
#!/bin/bash
# LLVMFuzzerTestOneInput: the OSS-Fuzz / ClusterFuzzLite scripts recognise fuzz targets by this string.
# daxfuzz fuzz target '$name': $class${method:+#$method}, written by .clusterfuzzlite/build.sh.
# It checks the correct designs (no daxfuzz.bugs); a finding is a Java exception (exit code 77).
this_dir=\$(cd "\$(dirname "\$0")" && pwd)
# Where SyscallCrashTypedFuzzTest finds corpus/syscall-crash when its seeds are on.
export DAXFUZZ_ROOT="\${DAXFUZZ_ROOT:-\$this_dir/daxfuzz-root}"
# jazzer_driver loads libjvm.so from the JDK's lib/server (\$JVM_LD_LIBRARY_PATH in the images).
jvm_lib=\${JVM_LD_LIBRARY_PATH:-${JVM_LD_LIBRARY_PATH:-}}
export LD_LIBRARY_PATH="\${jvm_lib:+\$jvm_lib:}\$this_dir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
# The harness code comes in a jar, which Jazzer does not instrument unless told to: coverage
# feedback and bug-detector hooks for daxfuzz's own classes, and only those.
exec "\$this_dir/jazzer_driver" --agent_path="\$this_dir/jazzer_agent_deploy.jar" \\
  --cp="$cp" \\
  $target_args \\
  --instrumentation_includes='dev.daxfuzz.**' --custom_hook_includes='dev.daxfuzz.**' \\
  --jvm_args="$jvm_args"$fuzz_test_args \\
  "\$@"
EOF
  chmod +x "$OUT/$name"
  # One input runs a program and recovers and checks every crash state of every crash point:
  # up to about a second, so the runner's 25 s bound still means a hang. 2560 MB is the runner's
  # default RSS bound; the JVM (-Xmx2048m) stays under it (about 1.1 GB measured). max_len is
  # daxfuzz fuzz's (FuzzCommand.MAX_LEN_BYTES): room for the 40 statements the decoder reads.
  printf '[libfuzzer]\ntimeout = 25\nrss_limit_mb = 2560\nmax_len = 2048\n' > "$OUT/$name.options"
  covered[$class::${method:-fuzzerTestOneInput}]=1
  written+=("$name")
}

# zip_seeds NAME < files: the listed files (NUL-separated) become NAME_seed_corpus.zip, if any.
zip_seeds() {
  local name=$1 stage f sum dest
  local -A seen=()
  stage=$(mktemp -d)
  while IFS= read -r -d '' f; do
    sum=$(sha1sum "$f" | cut -c1-40)
    [[ -n ${seen[$sum]:-} ]] && continue
    seen[$sum]=1
    dest=$stage/${f##*/}
    # The same name in two directories: call the second by its content, as libFuzzer does.
    [[ -e $dest ]] && dest=$stage/$sum
    cp "$f" "$dest"
  done
  rm -f "$OUT/${name}_seed_corpus.zip"
  if [[ -n $(ls -A "$stage") ]]; then
    (cd "$stage" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
  rm -rf "$stage"
}

# junit_inputs CLASS METHOD: a @FuzzTest's JUnit regression inputs, which Jazzer also fuzzes from:
# the files at the top of src/test/resources/<package>/<Simple>Inputs/ (shared by the class's
# methods) and everything under its <method>/ directory. NUL-separated.
junit_inputs() {
  local class=$1 method=$2 pkg=${1%.*}
  local dir=$resources/${pkg//.//}/${class##*.}Inputs
  [[ -d $dir ]] || return 0
  find "$dir" -maxdepth 1 -type f -print0
  [[ -d $dir/$method ]] && find "$dir/$method" -type f -print0
  return 0
}

# fuzz_test_seeds NAME CLASS METHOD: the seed corpus of a @FuzzTest target: its JUnit inputs, and
# what Jazzer makes of seeds from JUnit argument sources such as @MethodSource. Those exist only as
# Java objects, so a libFuzzer merge with them on (the later --jvm_args replaces the wrapper's)
# writes them out in the mutation framework's serialisation, as this image's Jazzer reads it back.
fuzz_test_seeds() {
  local name=$1 class=$2 method=$3 tmp
  tmp=$(mktemp -d)
  mkdir "$tmp/inputs" "$tmp/merged"
  junit_inputs "$class" "$method" | xargs -0 -r cp -t "$tmp/inputs"
  # Only a class that uses an argument source (org.junit.jupiter.params.provider) has such seeds.
  if grep -q 'org/junit/jupiter/params/provider' "fuzz/target/test-classes/${class//.//}.class" \
      && ! (cd "$tmp" && timeout 900 "$OUT/$name" --jvm_args=-Xmx2048m -merge=1 "$tmp/merged" "$tmp/inputs" \
              > "$tmp/merge.log" 2>&1); then
    tail -n 20 "$tmp/merge.log" >&2 || true
    log "WARNING: '$name': writing out its argument-source seeds failed; its seeds are only its inputs files"
  fi
  find "$tmp/inputs" "$tmp/merged" -type f -print0 | zip_seeds "$name"
  rm -rf "$tmp"
}

# The classic targets, by the names `daxfuzz fuzz --target` knows (JazzerDriver.TARGETS).
# name | class | @FuzzTest method run through --target_method, or - for fuzzerTestOneInput |
# the class's @FuzzTest that is the same target under JUnit (no wrapper of its own), or -
while IFS='|' read -r name class method twin; do
  [[ -f fuzz/target/test-classes/${class//.//}.class ]] || die "target class $class of '$name' is gone; update build.sh"
  [[ $method == - ]] && method=
  if [[ -n $method && -z $junit_jar ]]; then
    log "WARNING: leaving out '$name': a @FuzzTest needs jazzer_junit.jar"
    continue
  fi
  write_wrapper "$name" "$class" "$method"
  [[ $twin != - ]] && covered[$class::$twin]=1
  if [[ -n $method ]]; then
    fuzz_test_seeds "$name" "$class" "$method"
  else
    # Byte-encoded programs and images: corpus/<name>/, and the JUnit twin's inputs (same encoding).
    {
      [[ -d corpus/$name ]] && find "corpus/$name" -type f -print0
      [[ $twin != - ]] && junit_inputs "$class" "$twin"
      true
    } | zip_seeds "$name"
  fi
done <<'EOF'
syscall-crash|dev.daxfuzz.fuzz.SyscallCrashFuzzTest|-|bytes
recovery|dev.daxfuzz.fuzz.RecoveryFuzzTest|-|images
pm-model|dev.daxfuzz.fuzz.PersistencyFuzzTest|fastEnumeratorMatchesReference|-
EOF

# kebab CamelCase -> camel-case
kebab() {
  sed -E 's/([a-z0-9])([A-Z])/\1-\2/g; s/([A-Z])([A-Z][a-z])/\1-\2/g' <<< "$1" | tr '[:upper:]' '[:lower:]'
}

# Every @FuzzTest method (Class::method) on the test class path, as Jazzer lists them: so that a new
# one gets its wrapper without an edit here. Listing scans class directories, not jars. It needs
# Jazzer 0.23 or later; with an older one, read the sources instead.
list_fuzz_tests() {
  local out cp f pkg cls
  # The class directory instead of the tests jar, not both (JUnit warns of two junit-platform.properties).
  cp=fuzz/target/test-classes$(printf ':%s' "$lib"/*.jar | sed 's|:[^:]*/daxfuzz-fuzz-tests\.jar||')
  # Older Jazzer versions print the list on stderr.
  # A class whose signature names the Jazzer API (FuzzedDataProvider) is listed only if the API is
  # on the class path: it is in the image's agent jar, and at $JAZZER_API_PATH.
  if out=$(java -cp "$cp:$agent${JAZZER_API_PATH:+:$JAZZER_API_PATH}" com.code_intelligence.jazzer.Jazzer \
             --list_fuzz_tests= 2>&1) \
      && grep -E '^[A-Za-z0-9_.$]+::[A-Za-z0-9_$]+$' <<< "$out"; then
    return 0
  fi
  log "WARNING: Jazzer's --list_fuzz_tests failed; looking for @FuzzTest in the sources"
  while IFS= read -r f; do
    pkg=$(sed -nE 's/^package ([A-Za-z0-9_.]+);.*/\1/p' "$f" | head -n 1)
    cls=$(basename "$f" .java)
    # The method is the first `name(` after each @FuzzTest.
    awk '/@FuzzTest/ { want = 1; next }
         want && match($0, /[A-Za-z0-9_]+[ \t]*\(/) {
           m = substr($0, RSTART, RLENGTH); sub(/[ \t]*\($/, "", m); print m; want = 0 }' "$f" |
      sed "s/^/$pkg.$cls::/"
  done < <(grep -rl --include='*.java' '@FuzzTest' fuzz/src/test/java | sort)
}

if [[ -n $junit_jar ]]; then
  while IFS= read -r test; do
    [[ -n ${covered[$test]:-} ]] && continue
    class=${test%%::*}
    method=${test##*::}
    simple=${class##*.}
    name=$(kebab "${simple%FuzzTest}")-$(kebab "$method")
    write_wrapper "$name" "$class" "$method"
    listed+=("$name")
    fuzz_test_seeds "$name" "$class" "$method"
  done < <(list_fuzz_tests)
fi

# --- 3. Smoke test --------------------------------------------------------------------------------
# A listed @FuzzTest may need more of Jazzer than this image has: its typed parameters go through
# the mutation framework, and OSS-Fuzz's Jazzer can predate 0.27, on which records with annotated
# components crash the JVM or find no mutator. One target that fails ClusterFuzz's build check
# fails the whole build, so each listed target must pass that check's startup test (4 runs, no
# seeds, "Done 4 runs") or is left out.
smoke=$(mktemp -d)
for name in "${listed[@]}"; do
  log "smoke test: $name -seed=1337 -runs=4"
  if (cd "$smoke" && timeout 600 "$OUT/$name" -seed=1337 -runs=4 -artifact_prefix="$smoke/" \
        > "$smoke/$name.log" 2>&1) && grep -q 'Done 4 runs' "$smoke/$name.log"; then
    continue
  fi
  tail -n 30 "$smoke/$name.log" >&2 || true
  [[ ${DAXFUZZ_STRICT:-0} == 1 ]] && die "target '$name' failed its smoke test (log above)"
  log "WARNING: leaving out '$name': it failed the 4-run startup test with this image's Jazzer (log above)"
  rm -f "$OUT/$name" "$OUT/$name.options" "$OUT/${name}_seed_corpus.zip"
  for i in "${!written[@]}"; do
    [[ ${written[$i]} == "$name" ]] && unset 'written[i]'
  done
done
rm -rf "$smoke"

log "fuzz targets in $OUT: ${written[*]}"
