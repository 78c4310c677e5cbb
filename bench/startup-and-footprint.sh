#!/usr/bin/env bash
# ./strata up from stopped to all-healthy (once built), each service's own start time, and each
# part's resident memory after warm-up (run bench/CommandToAudit.java first for a warm platform).
# Usage: bench/startup-and-footprint.sh [--no-restart]
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR="${STRATA_HOME:-.strata}"
if [[ "${1:-}" != "--no-restart" ]]; then
  ./strata down >/dev/null
  start=$(date +%s%3N)
  ./strata up >/dev/null
  echo "./strata up to all healthy: $(( $(date +%s%3N) - start )) ms"
  for s in profile-service cluster-service reconciler-service audit-service; do
    printf '  %-20s %s\n' "$s" "$(grep -o 'started in [0-9.]*s' "$HOME_DIR/logs/$s.log" | tail -n1)"
  done
fi
echo "resident memory (RSS):"
for part in local-stack profile-service cluster-service reconciler-service audit-service; do
  pid=$(cat "$HOME_DIR/run/$part.pid")
  printf '  %-20s %6d MB\n' "$part" $(( $(ps -o rss= -p "$pid") / 1024 ))
done
pg=$(head -n1 "$HOME_DIR/postgres/postmaster.pid")
printf '  %-20s %6d MB (all its processes)\n' postgres $(( $(ps -o rss= --ppid "$pg" | awk '{s+=$1} END {print s}') / 1024 + $(ps -o rss= -p "$pg") / 1024 ))
