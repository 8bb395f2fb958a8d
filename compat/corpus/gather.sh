#!/usr/bin/env bash
# Gather the corpus again from sources.tsv: for each row, fetch the recorded commit of the
# repository and copy the ecosystem file and its support files into
# $CORPUS_DIR/<id>-<owner>-<repo>/<original path>. The files are other people's code: keep them
# outside this repository (CORPUS_DIR defaults to /work/corpus/files) and never commit them.
#
#   bash compat/corpus/gather.sh            # every row
#   bash compat/corpus/gather.sh 03 15      # some ids
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS_DIR:-/work/corpus/files}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' "$here/sources.tsv" | tail -n +2 | while IFS=$'\t' read -r id repo path commit _format _what _exec support _run; do
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$id"; then continue; fi
  dest="$corpus/$id-${repo/\//-}"
  git -C "$tmp" init -q "$id" 2>/dev/null || true
  if ! git -C "$tmp/$id" fetch -q --depth 1 "https://github.com/$repo" "$commit" 2>/dev/null; then
    echo "$id $repo: commit $commit not fetched" >&2; continue
  fi
  for f in "$path" ${support//,/ }; do
    mkdir -p "$dest/$(dirname "$f")"
    git -C "$tmp/$id" show "$commit:$f" > "$dest/$f"
  done
  echo "$id $repo $path"
done
