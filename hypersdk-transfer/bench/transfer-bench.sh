#!/usr/bin/env bash
# The transfer engine's benchmarks (not part of mvn verify); see the module README.
#   bench/transfer-bench.sh http|https|ranged|sparse [--size-mib N] [--rounds N] [--dir D]
# Needs target/test.classpath (README) and python3, curl, openssl, keytool, aria2c on PATH.
# BASELINE_CP (http and https modes): the class path of another build's engine and DownloadBenchMain
# (target/test-classes:target/classes:$(cat target/test.classpath) of that checkout), run as
# shipped (http: also with --buffered) in the same rounds: before and after side by side.
# BASELINE_ARGS: options for that build's DownloadBenchMain (e.g. "--connections 1" for a build
# that has the adaptive default, to compare one connection with one connection).
# Every contender writes a fresh file that is deleted and sync'ed before the next one starts, so
# none pays for another's dirty pages; the served files stay in the page cache for all alike.
set -euo pipefail
mode=${1:?usage: transfer-bench.sh http|https|ranged|sparse [--size-mib N] [--rounds N] [--dir D]}
shift
size_mib=1024; rounds=2; dir=/tmp/hypersdk-transfer-bench
while (($#)); do
  case $1 in
    --size-mib) size_mib=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1 (--size-mib N, --rounds N, --dir D)" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")/.." && pwd)
cp="$here/target/test-classes:$here/target/classes:$(cat "$here/target/test.classpath")"
java=${JAVA:-java}
src=$dir/src; out=$dir/out
mkdir -p "$src" "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"; }
trap cleanup EXIT

state() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
       "kernel $(uname -r), $("$java" -version 2>&1 | head -1)"
  echo "output dir $out: $(findmnt -n -o SOURCE,FSTYPE,OPTIONS -T "$out" | cut -c1-80), block $(stat -f -c %S "$out") B"
  awk '/MemTotal|MemAvailable|^Cached|^Dirty|Writeback:/ {printf "%s %d MiB  ", $1, $2/1024} END {print ""}' /proc/meminfo
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
load() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s%N; }
fresh() { rm -rf "$out"; mkdir -p "$out"; sync; }
mibs() { awk -v b="$1" -v ns="$2" 'BEGIN {printf "%.0f", b / 1048576 / (ns / 1e9)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# median_of FILE N [KEY]: the median of column N of FILE, over the rows whose first field is KEY
median_of() { awk -v n="$2" -v k="${3:-}" 'k == "" || $1 == k {print $n}' "$1" | median; }

# a file of random bytes (or with zero runs: sparse) under $src, made once
make_file() { # name mib kind
  local f=$src/$1
  if [[ ! -f $f || $(stat -c %s "$f") -ne $(($2 << 20)) ]]; then
    if [[ $3 == sparse ]]; then # 1 MiB of data, 3 MiB of zeros, repeated
      python3 - "$f" "$2" <<'PY'
import os, sys
with open(sys.argv[1], "wb") as f:
    for i in range(int(sys.argv[2]) // 4):
        f.write(os.urandom(1 << 20)); f.write(bytes(3 << 20))
PY
    else
      head -c $(($2 << 20)) /dev/urandom > "$f"
    fi
  fi
}

start_server() { # args for serve.py; sets port
  local log=$dir/server.log
  python3 "$here/bench/serve.py" "$src" "$@" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q '^PORT' "$log" 2>/dev/null && break; sleep 0.1; done
  port=$(awk '/^PORT/ {print $2}' "$log")
}

engine() { # extra java options..., -- bench main args...; prints "ns sha..."
  local jopts=() ecp=${ENGINE_CP:-$cp}
  while [[ $1 != -- ]]; do jopts+=("$1"); shift; done; shift
  "$java" -Xmx128m "${jopts[@]}" -cp "$ecp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" \
    | awk '/^ELAPSED_NS/ {ns=$2} /^SHA256/ {sha=sha " " $2 "=" substr($3,1,12)} END {print ns sha}'
}
curls() { # url... : parallel curls into $out, extra curl options in CURL_OPTS
  local ps=()
  for u in "$@"; do curl -sS --fail ${CURL_OPTS:-} -o "$out/$(basename "$u")" "$u" & ps+=($!); done
  for p in "${ps[@]}"; do wait "$p"; done
}
shas() { for f in "$@"; do echo -n " $(basename "$f")=$(sha256sum "$f" | cut -c1-12)"; done; }

case $mode in
http)
  # item 1: why 0.77? the same engine and curl against the JVM server (LoopbackFileServer, the
  # old benchmark's) and a non-JVM one (python sendfile), with and without curl's fsync
  make_file a.bin "$size_mib" random; make_file b.bin "$size_mib" random
  state
  start_server; py="http://127.0.0.1:$port"
  "$java" -Xmx256m -cp "$cp" io.hypersdk.transfer.testing.LoopbackFileServer \
      /a.bin=$((size_mib << 20)):1 /b.bin=$((size_mib << 20)):2 > "$dir/jvm.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q '^PORT' "$dir/jvm.log" 2>/dev/null && break; sleep 0.1; done
  jvm="http://127.0.0.1:$(awk '/^PORT/ {print $2}' "$dir/jvm.log")"
  total=$((2 * size_mib << 20))
  echo "2 x $size_mib MiB; MiB/s; curl = 2 curl processes (page cache, no fsync); curl+fsync = the same + sync FILE;"
  echo "engine = DownloadBenchMain as shipped (direct I/O, SHA-256, fsync, adaptive connections per file; timed inside its JVM),"
  echo "engine-1c / engine-8c = the same with 1 / 8 connections per file forced, engine-buf = directIo(false)"
  printf '%-6s %5s %7s %11s %7s %11s %9s %9s %9s %8s %12s %5s\n' server round curl curl+fsync engine engine/curl engine/c+f engine-1c engine-8c auto/1c engine-buf load
  for server in jvm python; do
    base=$jvm; [[ $server == python ]] && base=$py
    urls=("$base/a.bin" "$base/b.bin")
    for r in $(seq "$rounds"); do
      fresh; t=$(now); curls "${urls[@]}"; c=$(($(now) - t))
      csha=$(shas "$out"/a.bin "$out"/b.bin)
      fresh; t=$(now); curls "${urls[@]}"; sync "$out"/a.bin "$out"/b.bin; cf=$(($(now) - t))
      fresh; read -r e esha <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain "$out" "${urls[@]}")"
      fresh; read -r e1 _ <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --connections 1 "$out" "${urls[@]}")"
      fresh; read -r e8 _ <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --connections 8 "$out" "${urls[@]}")"
      fresh; read -r eb _ <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --buffered "$out" "${urls[@]}")"
      printf '%-6s %5d %7s %11s %7s %11s %9s %9s %9s %8s %12s %5s\n' $server "$r" "$(mibs $total $c)" "$(mibs $total $cf)" \
        "$(mibs $total $e)" "$(ratio $c $e)" "$(ratio $cf $e)" "$(mibs $total $e1)" "$(mibs $total $e8)" "$(ratio $e1 $e)" "$(mibs $total $eb)" "$(load)"
      echo "$server $(ratio $c $e) $(ratio $cf $e)" >> "$dir/ratios"
      [[ " $esha" == "$csha" ]] || echo "  sha256 differ: engine$esha curl$csha"
      if [[ -n ${BASELINE_CP:-} ]]; then
        fresh; read -r be bsha <<<"$(ENGINE_CP=$BASELINE_CP engine -- io.hypersdk.transfer.bench.DownloadBenchMain ${BASELINE_ARGS:-} "$out" "${urls[@]}")"
        fresh; read -r bb _ <<<"$(ENGINE_CP=$BASELINE_CP engine -- io.hypersdk.transfer.bench.DownloadBenchMain ${BASELINE_ARGS:-} --buffered "$out" "${urls[@]}")"
        echo "       baseline build: engine $(mibs $total $be) MiB/s (/curl $(ratio $c $be), /(curl+fsync) $(ratio $cf $be))," \
             "directIo(false) $(mibs $total $bb) (/curl $(ratio $c $bb)); this build: directIo(false)/curl $(ratio $c $eb)"
        echo "$server $(ratio $c $be) $(ratio $cf $be) $(ratio $c $bb) $(ratio $c $eb)" >> "$dir/baseline"
        [[ " $bsha" == "$csha" ]] || echo "  sha256 differ: baseline$bsha curl$csha"
      fi
    done
  done
  if [[ -f $dir/baseline ]]; then
    for server in jvm python; do
      echo "median $server, baseline build: engine/curl $(median_of "$dir/baseline" 2 $server)," \
           "engine/(curl+fsync) $(median_of "$dir/baseline" 3 $server)," \
           "directIo(false)/curl $(median_of "$dir/baseline" 4 $server) (this build's: $(median_of "$dir/baseline" 5 $server))"
    done
    rm -f "$dir/baseline"
  fi
  for server in jvm python; do
    echo "median $server: engine/curl $(median_of "$dir/ratios" 2 $server)," \
         "engine/(curl+fsync) $(median_of "$dir/ratios" 3 $server)"
  done
  rm -f "$dir/ratios"
  state | tail -2
  ;;
https)
  # item 2: the same TLS server (python + OpenSSL, self-signed) for curl, the engine and
  # Apache HttpClient 5 classic writing through the engine's PartWriter
  make_file a.bin "$size_mib" random; make_file b.bin "$size_mib" random
  if [[ ! -f $dir/cert.pem ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
    rm -f "$dir/trust.p12"
    keytool -importcert -noprompt -alias bench -file "$dir/cert.pem" -keystore "$dir/trust.p12" \
      -storetype PKCS12 -storepass benchpass >/dev/null 2>&1
  fi
  state
  start_server --tls "$dir/cert.pem" "$dir/key.pem"
  urls=("https://127.0.0.1:$port/a.bin" "https://127.0.0.1:$port/b.bin")
  trust=(-Djavax.net.ssl.trustStore="$dir/trust.p12" -Djavax.net.ssl.trustStorePassword=benchpass)
  total=$((2 * size_mib << 20))
  echo "2 x $size_mib MiB over TLS (python/OpenSSL server); MiB/s; curl+fsync = 2 curls + sync FILE; engine (on Apache HttpClient) and apache (the library alone, the reference)"
  echo "timed inside their JVMs, both one connection per file, SHA-256 + PartWriter (direct I/O) + fsync"
  printf '%5s %11s %7s %7s %12s %12s %5s\n' round curl+fsync engine apache engine/curl apache/engine load
  for r in $(seq "$rounds"); do
    fresh; t=$(now); CURL_OPTS="--cacert $dir/cert.pem" curls "${urls[@]}"; sync "$out"/a.bin "$out"/b.bin; c=$(($(now) - t))
    csha=$(shas "$out"/a.bin "$out"/b.bin)
    fresh; read -r e esha <<<"$(engine "${trust[@]}" -- io.hypersdk.transfer.bench.DownloadBenchMain --connections 1 "$out" "${urls[@]}")"
    fresh; read -r a asha <<<"$(engine "${trust[@]}" -- io.hypersdk.transfer.ApacheClientBenchMain "$out" "${urls[@]}")"
    printf '%5d %11s %7s %7s %12s %12s %5s\n' "$r" "$(mibs $total $c)" "$(mibs $total $e)" "$(mibs $total $a)" \
      "$(ratio $c $e)" "$(ratio $e $a)" "$(load)"
    echo "$(ratio $c $e) $(ratio $e $a)" >> "$dir/ratios"
    [[ " $esha" == "$csha" && " $asha" == "$csha" ]] || echo "  sha256 differ: engine$esha apache$asha curl$csha"
    if [[ -n ${BASELINE_CP:-} ]]; then
      fresh; read -r be bsha <<<"$(ENGINE_CP=$BASELINE_CP engine "${trust[@]}" -- io.hypersdk.transfer.bench.DownloadBenchMain ${BASELINE_ARGS:-} "$out" "${urls[@]}")"
      echo "      baseline build: engine $(mibs $total $be) MiB/s (/(curl+fsync) $(ratio $c $be), this build/baseline $(ratio $be $e))"
      echo "$(ratio $c $be) $(ratio $be $e)" >> "$dir/baseline"
      [[ " $bsha" == "$csha" ]] || echo "  sha256 differ: baseline$bsha curl$csha"
    fi
  done
  if [[ -f $dir/baseline ]]; then
    echo "median, baseline build: engine/(curl+fsync) $(median_of "$dir/baseline" 1), this build/baseline $(median_of "$dir/baseline" 2)"
    rm -f "$dir/baseline"
  fi
  echo "median engine/curl $(median_of "$dir/ratios" 1), apache/engine $(median_of "$dir/ratios" 2)"
  rm -f "$dir/ratios"
  state | tail -1
  ;;
ranged)
  # item 3: one file from a server that caps each connection at 50 MiB/s
  make_file big.bin "$size_mib" random
  state
  start_server --rate $((50 << 20))
  url="http://127.0.0.1:$port/big.bin"
  total=$((size_mib << 20))
  echo "1 x $size_mib MiB, server capped at 50 MiB/s per connection; MiB/s; engine timed inside its JVM"
  echo "engine-auto = the default (adaptive: one connection, up to 8 when two 8 MiB windows come below 128 MiB/s)"
  printf '%5s %9s %9s %9s %12s %9s %8s %9s %5s\n' round engine-1 engine-4 engine-8 engine-auto aria2c-x8 8/1 auto/8 load
  for r in $(seq "$rounds"); do
    fresh; read -r e1 s1 <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --connections 1 "$out" "$url")"
    fresh; read -r e4 _ <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --connections 4 "$out" "$url")"
    fresh; read -r e8 s8 <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --connections 8 "$out" "$url")"
    fresh; read -r ea sa <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --connections auto "$out" "$url")"
    fresh; t=$(now); aria2c -q -x8 -s8 -k1M --file-allocation=none --allow-overwrite=true -d "$out" -o big.bin "$url"; sync "$out/big.bin"; ar=$(($(now) - t))
    asha=$(shas "$out/big.bin")
    printf '%5d %9s %9s %9s %12s %9s %8s %9s %5s\n' "$r" "$(mibs $total $e1)" "$(mibs $total $e4)" "$(mibs $total $e8)" "$(mibs $total $ea)" "$(mibs $total $ar)" "$(ratio $e1 $e8)" "$(ratio $e8 $ea)" "$(load)"
    [[ " $s8" == "$asha" && "$s1" == "$s8" && "$sa" == "$s8" ]] || echo "  sha256 differ: engine-1 $s1 engine-8 $s8 engine-auto $sa aria2c$asha"
  done
  state | tail -1
  ;;
sparse)
  # item 4: a file that is 3/4 zeros, with and without holes; apparent size vs allocated (du)
  make_file sparse.bin "$size_mib" sparse
  state
  start_server
  url="http://127.0.0.1:$port/sparse.bin"
  total=$((size_mib << 20))
  # one fetch not counted: the first contender after the server started ran at half speed
  # (315 MiB/s in two runs, 540-668 for every later one, 2026-12-07)
  curl -sS --fail -o /dev/null "$url"
  printf '%-22s %7s %10s %12s %s\n' contender MiB/s apparent allocated sha256
  for r in $(seq "$rounds"); do
    for c in sparse no-sparse curl; do
      fresh
      case $c in
        sparse) read -r ns sha <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain "$out" "$url")" ;;
        no-sparse) read -r ns sha <<<"$(engine -- io.hypersdk.transfer.bench.DownloadBenchMain --no-sparse "$out" "$url")" ;;
        curl) t=$(now); curls "$url"; sync "$out/sparse.bin"; ns=$(($(now) - t)); sha=$(shas "$out/sparse.bin") ;;
      esac
      printf "%-22s %7s %10s %12s %s\n" "$c" "$(mibs $total $ns)" "$(du --apparent-size -BM "$out/sparse.bin" | cut -f1)" \
        "$(du -BM "$out/sparse.bin" | cut -f1)" "$sha"
    done
  done
  state | tail -1
  ;;
*) echo "unknown mode $mode (http, https, ranged, sparse)" >&2; exit 2 ;;
esac
