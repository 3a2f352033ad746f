#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a number of seconds.
#
#   scripts/fuzz.sh [--seconds N] [--build-only] [--no-asan] [target…]
#
# Targets: gtin csv xml json definition (all when none is named). Each target is compiled with swiftc
# straight from the project sources it drives (not through SwiftPM, so the main .build is never
# touched), with -sanitize=fuzzer,address. Seeds are read from Fuzz/corpus/<target>/; the inputs a
# run finds go to out/fuzz/corpus/<target>/ (so the committed corpus stays small; fold them in with
# `-merge=1` when wanted); binaries, logs and crash artifacts to out/fuzz/. See docs/FUZZING.md.
#
# Prints a table of target, seconds run, executions, exec/s and crashes (crash, hang and out-of-memory
# inputs); exits 1 when a target crashed, hung or ran out of memory, 2 on a build or usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=60
build_only=0
sanitize=fuzzer,address
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --build-only) build_only=1; shift ;;
    --no-asan) sanitize=fuzzer; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(gtin csv xml json definition)
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
  case " ${all[*]} " in *" $t "*) ;; *) echo "unknown target: $t (use: ${all[*]})" >&2; exit 2 ;; esac
done

out="$root/out/fuzz"
mkdir -p "$out/bin" "$out/obj" "$out/logs" "$out/artifacts"
swiftc=${SWIFTC:-$(command -v swiftc)}
toolchain_bin=$(dirname "$(readlink -f "$swiftc")")
clangxx=${CLANGXX:-$toolchain_bin/clang++}

I="Sources/BDSImport"
support=(Fuzz/Support/Require.swift Fuzz/Support/FuzzSupport.swift)
common=("$I/ByteSource.swift" "$I/RecordReader.swift")
sources_gtin=(Fuzz/Targets/GTINFuzz.swift Fuzz/Support/Require.swift Sources/BDSCore/GTIN.swift Sources/BDSCore/GS1Prefix.swift Sources/BDSCore/NameKey.swift)
sources_csv=(Fuzz/Targets/CSVFuzz.swift "${support[@]}" "${common[@]}" "$I/DelimitedReader.swift" "$I/TabularReader.swift")
sources_xml=(Fuzz/Targets/XMLFuzz.swift "${support[@]}" "${common[@]}" "$I/RecordPath.swift" "$I/XMLRecordReader.swift")
sources_json=(Fuzz/Targets/JSONFuzz.swift "${support[@]}" "${common[@]}" "$I/RecordPath.swift" "$I/JSONTokenizer.swift" "$I/JSONValue.swift" "$I/JSONRecordReader.swift")
sources_definition=(Fuzz/Targets/DefinitionFuzz.swift "${support[@]}" "${common[@]}" "$I/RecordPath.swift" "$I/DelimitedReader.swift" "$I/ImportDefinition.swift" "$I/DefinitionParser.swift" "$I/TOMLPrecheck.swift")

swift_flags=(-sanitize="$sanitize" -parse-as-library -O -g -swift-version 6)

# TOMLKit (the definition parser's TOML library, wrapping toml++) is compiled here too, instrumented,
# from the checkout SwiftPM already made for the main package (`swift build` or `swift package resolve`).
find_tomlkit() {
  local d
  for d in "${TOMLKIT_DIR:-}" .build/checkouts/TOMLKit .build-*/checkouts/TOMLKit; do
    [ -n "$d" ] && [ -f "$d/Sources/TOMLKit/TOMLParseError.swift" ] && { echo "$d"; return 0; }
  done
  echo "TOMLKit checkout not found: run \`swift package resolve\` (or .ci/run) first, or set TOMLKIT_DIR" >&2
  return 1
}

build_tomlkit() {
  local dir stamp cxx_sanitize objs=() f o
  dir=$(find_tomlkit)
  stamp="$out/obj/tomlkit-$(cd "$dir" && git rev-parse HEAD 2>/dev/null || echo unknown)-$sanitize"
  [ -f "$stamp" ] && return 0
  cxx_sanitize=fuzzer-no-link${sanitize#fuzzer}
  rm -rf "$out/obj/tomlkit" && mkdir -p "$out/obj/tomlkit/module"
  for f in "$dir"/Sources/CTOML/Sources/*.cpp; do
    o="$out/obj/tomlkit/$(basename "$f" .cpp | tr -c 'A-Za-z0-9\n' _).o"
    "$clangxx" -c -std=c++17 -O1 -g -fsanitize="$cxx_sanitize" -DTOML_EXCEPTIONS=1 \
      -I "$dir/Sources/CTOML/include" -I "$dir/Sources/CTOML/include/CTOML" "$f" -o "$o"
    objs+=("$o")
  done
  local swift_files=()
  while IFS= read -r -d '' f; do swift_files+=("$f"); done < <(find "$dir/Sources/TOMLKit" -name '*.swift' -print0)
  "$swiftc" -sanitize="$sanitize" -parse-as-library -O -g -swift-version 5 -wmo -c -module-name TOMLKit \
    -I "$dir/Sources/CTOML/include/CTOML" -Xcc -I -Xcc "$dir/Sources/CTOML/include" \
    -emit-module -emit-module-path "$out/obj/tomlkit/module/TOMLKit.swiftmodule" \
    "${swift_files[@]}" -o "$out/obj/tomlkit/TOMLKit.o"
  printf '%s\n' "$dir" >"$stamp"
}

# BDSCore (ImportError, paths, the model), which the readers import, as a module of its own,
# instrumented like everything else.
build_core() {
  rm -rf "$out/obj/core" && mkdir -p "$out/obj/core/module"
  local core=()
  # Every file of the target, its subfolders (Language/) included.
  while IFS= read -r -d '' f; do core+=("$f"); done < <(find Sources/BDSCore -name '*.swift' -print0 | sort -z)
  "$swiftc" "${swift_flags[@]}" -wmo -c -module-name BDSCore \
    -emit-module -emit-module-path "$out/obj/core/module/BDSCore.swiftmodule" \
    "${core[@]}" -o "$out/obj/core/BDSCore.o"
}

build() {
  local t=$1 name="sources_$1[@]" extra=()
  [ "$t" = gtin ] || extra=(-I "$out/obj/core/module" "$out/obj/core/BDSCore.o")
  case "$t" in
    xml) extra+=(-I Sources/CLibXML2 $(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g') -lxml2) ;;
    definition)
      build_tomlkit >"$out/logs/build-tomlkit.log" 2>&1 || { grep -v 'Cannot export local symbol' "$out/logs/build-tomlkit.log" | tail -40 >&2; return 1; }
      local dir; dir=$(find_tomlkit)
      extra+=(-I "$out/obj/tomlkit/module" -I "$dir/Sources/CTOML/include/CTOML" -Xcc -I -Xcc "$dir/Sources/CTOML/include"
        "$out"/obj/tomlkit/*.o -lstdc++) ;;
  esac
  echo "building $t" >&2
  "$swiftc" "${swift_flags[@]}" -module-name "Fuzz_$t" "${!name}" "${extra[@]}" -o "$out/bin/fuzz-$t" \
    >"$out/logs/build-$t.log" 2>&1 || { grep -v 'Cannot export local symbol' "$out/logs/build-$t.log" >&2; return 1; }
}

build_core >"$out/logs/build-core.log" 2>&1 || { cat "$out/logs/build-core.log" >&2; echo "build of BDSCore failed" >&2; exit 2; }
for t in "${targets[@]}"; do build "$t" || { echo "build of $t failed" >&2; exit 2; }; done
[ "$build_only" -eq 1 ] && exit 0

extra_flags_for() {
  # TOMLKit leaks every parsed table (and the key lists it hands out); that is the library's, not the
  # parser's, so leak detection is off for this target (reported in docs/FUZZING.md).
  case "$1" in definition) echo -detect_leaks=0 ;; esac
}

asan_options_for() {
  # The same at exit: LeakSanitizer's final check would report TOMLKit's leaks as a failed run.
  case "$1" in definition) echo detect_leaks=0 ;; *) echo detect_leaks=1 ;; esac
}

max_len_for() {
  case "$1" in gtin) echo 64 ;; definition) echo 8192 ;; *) echo 16384 ;; esac
}

run() {
  local t=$1 log="$out/logs/$1.log" dict=() status=0
  mkdir -p "Fuzz/corpus/$t" "$out/corpus/$t" "$out/artifacts/$t"
  [ -f "Fuzz/dict/$t.dict" ] && dict=(-dict="Fuzz/dict/$t.dict")
  touch "$out/logs/$t.start"
  # The Swift runtime's own crash backtracer would get in the way of the sanitizer's report.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$(asan_options_for "$t")" \
  "$out/bin/fuzz-$t" "$out/corpus/$t" "Fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$seconds" -max_len="$(max_len_for "$t")" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/$t/" -print_final_stats=1 $(extra_flags_for "$t") \
    >"$log" 2>&1 || status=$?
  echo "$status" >"$out/logs/$t.status"
}

summary=()
failed=0
for t in "${targets[@]}"; do
  echo "fuzzing $t for ${seconds}s (log: out/fuzz/logs/$t.log)" >&2
  started=$(date +%s)
  run "$t"
  elapsed=$(( $(date +%s) - started ))
  log="$out/logs/$t.log"
  status=$(cat "$out/logs/$t.status")
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  crashes=$(find "$out/artifacts/$t" -type f -newer "$out/logs/$t.start" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then failed=1; fi
  summary+=("$(printf '%-11s %8s %12s %10s %8s' "$t" "$elapsed" "$execs" "$rate" "$crashes")")
done

printf '%-11s %8s %12s %10s %8s\n' target seconds executions exec/s crashes
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "a target crashed, hung or ran out of memory: see out/fuzz/artifacts/ and out/fuzz/logs/" >&2
  exit 1
fi
