#!/usr/bin/env bash
# Keeps a target's corpus in the repository: merges fuzz/corpus/TARGET down to the inputs that
# give its coverage (libFuzzer's -merge=1, what `cargo fuzz cmin` does) and writes them as
# fuzz/kept/TARGET.tar.gz (sorted, fixed times and owners: the same inputs pack to the same bytes;
# the merge itself may keep a slightly different set each time, as std's randomly seeded hashing
# moves a few edges from one replay to the next).
# fuzz/seed.sh unpacks it into an empty corpus, so a long fuzzing campaign continues in the next
# checkout instead of starting again from the seeds (the corpora themselves are git-ignored).
# Run it with no fuzzer running on the target. Usage: fuzz/keep.sh TARGET...
set -euo pipefail
cd "$(dirname "$0")"
for target in "$@"; do
  bin=target/x86_64-unknown-linux-gnu/release/$target
  [ -x "$bin" ] || { echo "keep.sh: no $bin; build it first: RUSTC_BOOTSTRAP=1 cargo fuzz build -O" >&2; exit 2; }
  [ -d "corpus/$target" ] || { echo "keep.sh: no corpus at fuzz/corpus/$target" >&2; exit 2; }
  work=$(mktemp -d)
  mkdir "$work/$target"
  if ! "$bin" -merge=1 -max_len=16384 -rss_limit_mb=2048 -timeout=10 "$work/$target" "corpus/$target" > "$work/log" 2>&1; then
    tail -n 20 "$work/log" >&2
    rm -rf "$work"
    exit 1
  fi
  mkdir -p kept
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf - "$target" |
    gzip -n -9 > "kept/$target.tar.gz.tmp"
  mv "kept/$target.tar.gz.tmp" "kept/$target.tar.gz"
  echo "$target: $(ls "corpus/$target" | wc -l) inputs merged to $(ls "$work/$target" | wc -l), fuzz/kept/$target.tar.gz $(du -k "kept/$target.tar.gz" | cut -f1) KiB"
  rm -rf "$work"
done
