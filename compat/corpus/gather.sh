#!/usr/bin/env bash
# Gather the corpus again from sources.tsv: for each row, fetch the recorded commit of the
# repository and copy the ecosystem file and its support files into
# $CORPUS_DIR/<id>-<owner>-<repo>/<original path>. The files are other people's code: keep them
# outside this repository (CORPUS_DIR defaults to /work/corpus/files) and never commit them.
#
#   bash compat/corpus/gather.sh            # every row
#   bash compat/corpus/gather.sh 03 15      # some ids
# A local copy of a repository is used when there is one: $MIRRORS/<owner>+<repo>/repo (a git
# directory or a clone; default /work/.mirror); otherwise the commit is fetched from GitHub.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS_DIR:-/work/corpus/files}
mirrors=${MIRRORS:-/work/.mirror}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# tab is whitespace to read, which would join empty columns: split on \x1f instead
grep -v '^#' "$here/sources.tsv" | tail -n +2 | tr '\t' '\037' |
while IFS=$'\037' read -r id repo path commit _format _what _exec support _run; do
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$id"; then continue; fi
  dest="$corpus/$id-${repo/\//-}"
  git_dir="$mirrors/${repo/\//+}/repo"
  if ! git -C "$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    git_dir="$tmp/$id"
    git init -q "$git_dir"
    if ! git -C "$git_dir" fetch -q --depth 1 "https://github.com/$repo" "$commit" 2>/dev/null; then
      echo "$id $repo: commit $commit not fetched" >&2; continue
    fi
  fi
  for f in "$path" ${support//,/ }; do
    mkdir -p "$dest/$(dirname "$f")"
    git -C "$git_dir" show "$commit:$f" > "$dest/$f"
  done
  echo "$id $repo $path"
done
