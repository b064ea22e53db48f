#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every fleet scenario for 10,000 and 100,000 devices, before and
# after, with a call on each minute of the boot, and again at 100,000
# with a minute's sleep after each call, two processes at a time (two
# cores), each writing DIR/runs/LOOP-N-SCENARIO-BUILD.txt (the summary
# line) and .csv (per second).
# Extra arguments go to every fleet_sim (e.g. --hours 2 --seed 7).
# Usage: tests/fleet/run.sh BUILD_DIR [fleet_sim options]
set -eu
dir=$1
shift
mkdir -p "$dir/runs"
rm -f "$dir"/runs/*
jobs=()
# The largest runs first, so the two workers finish together.
for n in 100000 10000; do
  for loop in fixed sleep; do
    for s in power-cut warm storm renewal; do
      # Renewal never refuses and never waits: both loops call at the same
      # moments (up to a token fetch's 150 ms), so one is run, the fixed.
      [ "$loop/$s" = sleep/renewal ] && continue
      # The sleep loop at 100,000 devices only: the 10-minute bound of
      # make fleet on 2 cores has no room for more.
      [ "$loop/$n" = sleep/10000 ] && continue
      # The fetch spread is for fleets that boot or are refused together;
      # renewal starts from tokens issued in one second on purpose.
      case $s in renewal) after=after ;; *) after=after60 ;; esac
      for b in before:before after:$after; do
        jobs+=("$loop $n $s ${b%%:*} ${b#*:}")
      done
    done
  done
done
run_one() {
  local dir=$1 loop=$2 n=$3 s=$4 label=$5 bin=$6 out opt=
  out=$dir/runs/$loop-$n-$s-$label
  [ "$loop" = sleep ] && opt=--sleep-loop
  # shellcheck disable=SC2086 # FLEET_EXTRA is a list of options
  "$dir/fleet_sim_$bin" --scenario "$s" --devices "$n" --build "$label" $opt \
    --series "$out.csv" $FLEET_EXTRA > "$out.txt"
  echo " $loop loop, $n devices, $s, $label: $(grep -o 'ratio=[0-9.]*' "$out.txt")"
}
export -f run_one
export FLEET_EXTRA="$*"
start=$SECONDS
printf '%s\n' "${jobs[@]}" | xargs -P 2 -L 1 bash -c 'run_one "$@"' run_one "$dir" 2>&1 |
  sed 's/^/fleet:/'
echo "fleet: ${#jobs[@]} runs in $((SECONDS - start)) s"
