#!/usr/bin/env bash
# Trunk post-build hook: writes the list of built files and a version derived from their
# contents into the service worker, so every build with any change is a new version.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$dir"
files=$(find . -type f ! -name sw.js | sed 's|^\./|/|' | LC_ALL=C sort)
version=$(find . -type f ! -name sw.js -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
list='"/"'
for f in $files; do list="$list, \"$f\""; done
sed -i \
  -e "s|^const VERSION = .*;|const VERSION = \"$version\";|" \
  -e "s|^const PRECACHE = .*;|const PRECACHE = [$list];|" \
  sw.js
echo "precache: $(echo "$files" | wc -l) files, version $version"
