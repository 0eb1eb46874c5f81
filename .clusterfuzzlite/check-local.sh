#!/bin/bash
# check-local.sh: builds the ClusterFuzzLite / OSS-Fuzz fuzz targets with .clusterfuzzlite/build.sh
# without Docker, then runs every wrapper it wrote the way the OSS-Fuzz runner and build checks do.
#
#   .clusterfuzzlite/check-local.sh        # a few minutes; prints PASS/FAIL lines, exit 1 on a FAIL
#
# It works on a copy: the checkout is copied (without .git and target/) into a temporary $SRC, as
# the Dockerfile's COPY does, and everything is built and run under that temporary directory, so
# the repository is left as it was. The Jazzer of OSS-Fuzz's image (a native jazzer_driver and
# jazzer_agent_deploy.jar) is replaced by a stand-in jazzer_driver script that runs the Maven
# Jazzer jar from ~/.m2 (its main class com.code_intelligence.jazzer.Jazzer is the same driver).
#
# Environment:
#   CHECK_MAVEN_FLAGS  Maven flags for build.sh (default: -o, offline from ~/.m2; set it to "" to
#                      let Maven download what is missing)
#   CHECK_JAZZER_VERSION  the Jazzer from ~/.m2 standing in for the image's (default: the pom's jazzer.version)
#   CHECK_STRICT=0     let build.sh leave out a listed @FuzzTest target that fails its smoke test
#                      (as it does in the image) instead of failing; e.g. with CHECK_JAZZER_VERSION=0.23.0,
#                      about the Jazzer OSS-Fuzz's image pins
#   CHECK_KEEP=1       keep the temporary directory (it is always kept after a FAIL)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/daxfuzz-cfl.XXXXXX")
src=$work/src
out=$work/out
fails=0
declare -a summary=()

pass() { summary+=("PASS $*"); echo "PASS $*"; }
fail() { summary+=("FAIL $*"); echo "FAIL $*"; fails=$((fails + 1)); }

finish() {
  local rc=$?
  echo
  echo "== check-local summary ($((SECONDS - start)) s)"
  printf '%s\n' "${summary[@]}"
  if (( rc == 0 && fails == 0 )) && [[ ${CHECK_KEEP:-0} != 1 ]]; then
    rm -rf "$work"
  else
    echo "logs and outputs kept in $work"
  fi
  if (( rc == 0 && fails == 0 )); then
    echo "check-local: PASS"
  else
    echo "check-local: FAIL"
    exit 1
  fi
}
trap finish EXIT

# --- Jazzer from ~/.m2 --------------------------------------------------------------------------
version=${CHECK_JAZZER_VERSION:-$(sed -n 's:.*<jazzer.version>\([^<]*\)</jazzer.version>.*:\1:p' "$repo/pom.xml" | head -1)}
m2=${M2_REPO:-$HOME/.m2/repository}/com/code-intelligence
jazzer_jar=$m2/jazzer/$version/jazzer-$version.jar
api_jar=$m2/jazzer-api/$version/jazzer-api-$version.jar
junit_jar=$m2/jazzer-junit/$version/jazzer-junit-$version.jar
read -r -a maven_flags <<< "${CHECK_MAVEN_FLAGS--o}"
if [[ ! -f $jazzer_jar || ! -f $api_jar || ! -f $junit_jar ]]; then
  echo "Jazzer $version is not in ~/.m2; asking Maven for it"
  mvn -B -q "${maven_flags[@]}" dependency:get -Dartifact="com.code-intelligence:jazzer-junit:$version" \
    -Dtransitive=true
fi
for j in "$jazzer_jar" "$api_jar" "$junit_jar"; do
  [[ -f $j ]] || { fail "setup: $j missing"; exit 1; }
done
summary+=("INFO Jazzer $version from ~/.m2 stands in for the image's jazzer_driver and agent")

# --- $SRC and $OUT as the image has them ------------------------------------------------------------
mkdir -p "$src/daxfuzz" "$out" "$work/logs"
tar -C "$repo" --exclude=./.git --exclude=target --exclude=.cifuzz-corpus -cf - . | tar -C "$src/daxfuzz" -xf -
cp "$src/daxfuzz/.clusterfuzzlite/build.sh" "$src/build.sh"

# The image's compile step copies jazzer_agent_deploy.jar and jazzer_driver into $OUT before build.sh.
# Stand-ins: the agent is the Maven Jazzer jar (build.sh runs --list_fuzz_tests with it), and
# jazzer_driver turns the native launcher's flags into a plain `java` command line.
cp "$jazzer_jar" "$out/jazzer_agent_deploy.jar"
cat > "$out/jazzer_driver" <<EOF
#!/bin/bash
# Stand-in for OSS-Fuzz's native jazzer_driver, written by check-local.sh: --cp, --jvm_args and
# --additional_jvm_args (':'-separated, '\\:' escapes a colon) become java's own arguments, the
# agent is the Maven Jazzer jar on the class path, and every other flag goes to Jazzer's main class.
set -euo pipefail
jazzer_cp='$jazzer_jar:$api_jar:$junit_jar'
cp=
jvm_args=
additional=
rest=()
for a in "\$@"; do
  case \$a in
    --agent_path=*) ;;
    # As in the native launcher, the last of each flag wins.
    --cp=*) cp=\${a#--cp=} ;;
    --jvm_args=*) jvm_args=\${a#--jvm_args=} ;;
    --additional_jvm_args=*) additional=\${a#--additional_jvm_args=} ;;
    *) rest+=("\$a") ;;
  esac
done
# The native launcher's fixed JVM flags, then --jvm_args, then --additional_jvm_args.
jvm=(-XX:-OmitStackTraceInFastThrow -XX:+UseParallelGC)
for s in "\$jvm_args" "\$additional"; do
  s=\${s//\\\\:/\$'\\x01'}
  IFS=: read -r -a parts <<< "\$s"
  for part in "\${parts[@]}"; do
    [[ -n \$part ]] && jvm+=("\${part//\$'\\x01'/:}")
  done
done
exec java "\${jvm[@]}" -cp "\${cp:+\$cp:}\$jazzer_cp" com.code_intelligence.jazzer.Jazzer "\${rest[@]}"
EOF
chmod +x "$out/jazzer_driver"

# --- build.sh ----------------------------------------------------------------------------------------
echo "== build.sh (log: $work/logs/build.log)"
t=$SECONDS
if (cd "$src/daxfuzz" && SRC=$src OUT=$out JAZZER_JUNIT_PATH=$junit_jar JAZZER_API_PATH=$api_jar \
      DAXFUZZ_MAVEN_FLAGS="${maven_flags[*]}" DAXFUZZ_STRICT="${CHECK_STRICT:-1}" bash -eux "$src/build.sh") \
      > "$work/logs/build.log" 2>&1; then
  pass "build.sh ($((SECONDS - t)) s)"
else
  tail -n 40 "$work/logs/build.log"
  fail "build.sh: see $work/logs/build.log"
  exit 1
fi

# --- which files are fuzz targets ------------------------------------------------------------------------
# As the runner's coverage and targets_list scripts see it: every executable file at the top of $OUT
# except Jazzer's own is a target, and only one that contains LLVMFuzzerTestOneInput is fuzzed.
targets=()
while IFS= read -r f; do
  case $f in
    jazzer_agent_deploy.jar | jazzer_driver | jazzer_driver_with_sanitizer | llvm-symbolizer) continue ;;
  esac
  if grep -q LLVMFuzzerTestOneInput "$out/$f"; then
    targets+=("$f")
  else
    fail "$f: executable in \$OUT without LLVMFuzzerTestOneInput (the coverage script would trip on it)"
  fi
done < <(find "$out" -maxdepth 1 -type f -executable -printf '%P\n' | sort)
if (( ${#targets[@]} > 0 )); then
  pass "LLVMFuzzerTestOneInput in every wrapper: ${targets[*]}"
else
  fail "no fuzz target in \$OUT"
fi

for want in syscall-crash recovery pm-model; do
  if [[ " ${targets[*]} " == *" $want "* ]]; then
    pass "$want: wrapper present"
  else
    fail "$want: no wrapper"
  fi
done

# Every @FuzzTest is fuzzed by some wrapper: its own (--target_method), or the classic wrapper of its
# class, whose fuzzerTestOneInput is the same target (its JUnit twin).
declare -A own=() classic=()
for name in "${targets[@]}"; do
  read -r class method < <(sed -nE 's/.*--target_class=([^ ]+)( --target_method=([^ ]+))?.*/\1 \3/p' "$out/$name") || true
  if [[ -n $method ]]; then own[$class::$method]=$name; else classic[$class]=$name; fi
done
# (Listing scans class directories, not jars: use the build's test-classes.)
cp_list=$src/daxfuzz/fuzz/target/test-classes$(printf ':%s' "$out"/daxfuzz-lib/*.jar | sed 's|:[^:]*/daxfuzz-fuzz-tests\.jar||')
listed=$(java -cp "$cp_list:$jazzer_jar:$api_jar" com.code_intelligence.jazzer.Jazzer --list_fuzz_tests= 2>&1 |
           grep -E '^[A-Za-z0-9_.$]+::[A-Za-z0-9_$]+$' || true)
[[ -n $listed ]] || fail "Jazzer --list_fuzz_tests found no @FuzzTest on the built class path"
while IFS= read -r test; do
  [[ -n $test ]] || continue
  if [[ -n ${own[$test]:-} ]]; then
    pass "@FuzzTest $test: wrapper ${own[$test]}"
  elif [[ -n ${classic[${test%%::*}]:-} ]]; then
    pass "@FuzzTest $test: the JUnit twin of wrapper ${classic[${test%%::*}]}"
  elif [[ ${CHECK_STRICT:-1} == 0 ]] && grep -q "WARNING: leaving out" "$work/logs/build.log"; then
    summary+=("NOTE @FuzzTest $test: no wrapper (build.sh left it out, see its log)")
  else
    fail "@FuzzTest $test: no wrapper"
  fi
done <<< "$listed"

# --- running the wrappers ---------------------------------------------------------------------------
# run NAME LOG ARGS...: the wrapper run as the runner runs it (cd $OUT, the .options file's
# [libfuzzer] settings appended to the arguments, the runner's default FUZZER_ARGS before them).
# Sets rc.
run() {
  local name=$1 log=$2
  shift 2
  local -a opts=()
  if [[ -f $out/$name.options ]]; then
    while IFS= read -r line; do
      [[ $line =~ ^[[:space:]]*([A-Za-z_]+)[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]] &&
        opts+=("-${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
    done < "$out/$name.options"
  fi
  mkdir -p "$work/artifacts/$name"
  rc=0
  (cd "$out" && timeout 900 "./$name" -rss_limit_mb=2560 -timeout=25 "$@" "${opts[@]}" \
     -artifact_prefix="$work/artifacts/$name/") > "$log" 2>&1 || rc=$?
}

# seeds NAME DIR: a writable copy of the seed corpus (libFuzzer adds new inputs to its first corpus).
seeds() {
  rm -rf "$2" && mkdir -p "$2"
  [[ -f $out/${1}_seed_corpus.zip ]] && unzip -q -o "$out/${1}_seed_corpus.zip" -d "$2"
  return 0
}

for name in "${targets[@]}"; do
  # bad_build_check's startup test: 4 runs, no seeds, a fixed seed, "Done 4 runs" and exit 0.
  t=$SECONDS
  run "$name" "$work/logs/$name-startup.log" -seed=1337 -runs=4
  if (( rc == 0 )) && grep -q 'Done 4 runs' "$work/logs/$name-startup.log"; then
    pass "$name: startup check -runs=4 (rc=$rc, $((SECONDS - t)) s)"
  else
    fail "$name: startup check -runs=4 (rc=$rc): $work/logs/$name-startup.log"
  fi

  # A bounded run on the seed corpus (all seeds, then mutations), on the correct designs: no finding.
  seeds "$name" "$work/corpus/$name"
  n=$(find "$work/corpus/$name" -type f | wc -l)
  t=$SECONDS
  run "$name" "$work/logs/$name-seeds.log" -seed=1 -runs=50 "$work/corpus/$name"
  if (( rc == 0 )) && grep -q 'Done [0-9]* runs' "$work/logs/$name-seeds.log"; then
    pass "$name: $n seeds, -runs=50, correct designs (rc=$rc, $((SECONDS - t)) s)"
  else
    fail "$name: $n seeds, -runs=50 (rc=$rc, want 0): $work/logs/$name-seeds.log"
  fi
done

# The syscall-crash wrappers find a catalog bug: DAXFUZZ_BUGS switches the seeded bug on (the target
# reads it through FuzzConfig.fromEnvironment, as it reads -Ddaxfuzz.bugs). From the seeds, 400 runs
# must end in a finding: exit code 77 and a crash artifact. syscall-crash is required; the typed
# twin (from @FuzzTest listing) is checked too when build.sh wrote it.
[[ " ${targets[*]} " == *" syscall-crash "* ]] || fail "syscall-crash: no wrapper to find a seeded bug with"
for name in "${targets[@]}"; do
  [[ $name == syscall-crash* ]] || continue
  seeds "$name" "$work/corpus/$name-bug"
  rm -rf "$work/artifacts/$name"
  t=$SECONDS
  DAXFUZZ_BUGS=rename-two-transactions run "$name" "$work/logs/$name-bug.log" -seed=1 -runs=400 "$work/corpus/$name-bug"
  crash=$(find "$work/artifacts/$name" -name 'crash-*' -print -quit)
  if (( rc == 77 )) && [[ -n $crash ]]; then
    pass "$name: DAXFUZZ_BUGS=rename-two-transactions -runs=400 finds it (rc=$rc, ${crash##*/}, $((SECONDS - t)) s)"
  else
    fail "$name: DAXFUZZ_BUGS=rename-two-transactions -runs=400 (rc=$rc, want 77): $work/logs/$name-bug.log"
  fi
done
