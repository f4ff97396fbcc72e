#!/usr/bin/env bash
# Set up self-hosted publishing: officers push to a bare repository on this server, and every good
# push to the publishing branch is built and served from SERVE_DIR/current.
#
#   publishing/install.sh --repo /srv/git/briefings.git --serve /srv/www/briefings [--python PATH] [--branch main]
#
# Run it from the project folder, as the user that receives pushes (the hooks run as that user and
# must be able to write SERVE_DIR). Without --python it makes a virtual environment inside the
# repository (REPO/publishing-venv) with the pinned dependencies of requirements.txt; the hooks
# find that Python through `git config briefings.python`. Run it again after requirements.txt
# changes. It is safe to run more than once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
repo="" serve="" python="" branch=main

usage() { echo "usage: $0 --repo BARE_REPO --serve SERVE_DIR [--python PATH] [--branch NAME]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --repo) repo=${2:-}; shift 2 ;;
        --serve) serve=${2:-}; shift 2 ;;
        --python) python=${2:-}; shift 2 ;;
        --branch) branch=${2:-}; shift 2 ;;
        *) usage ;;
    esac
done
[ -n "$repo" ] && [ -n "$serve" ] || usage

if [ ! -d "$repo" ]; then
    git init --quiet --bare --initial-branch="$branch" "$repo"
fi
repo=$(cd "$repo" && pwd)
mkdir -p "$serve/releases"
serve=$(cd "$serve" && pwd)

if [ -z "$python" ]; then
    python="$repo/publishing-venv/bin/python"
    [ -x "$python" ] || python3 -m venv "$repo/publishing-venv"
    "$python" -m pip install --quiet --disable-pip-version-check -r "$project/requirements.txt"
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "$python is not Python 3.11 or newer" >&2; exit 1
fi
if ! "$python" -c 'import mkdocs, material, jinja2, yaml, jsonschema, markdown' 2>/dev/null; then
    echo "$python lacks the site's dependencies: install requirements.txt into it, or leave out --python" >&2
    exit 1
fi

install -m 0755 "$here/hook" "$repo/hooks/pre-receive"
install -m 0755 "$here/hook" "$repo/hooks/post-receive"
install -m 0644 "$here/publish.py" "$repo/hooks/publish.py"
git --git-dir="$repo" config briefings.python "$python"
git --git-dir="$repo" config briefings.serveDir "$serve"
git --git-dir="$repo" config briefings.branch "$branch"

cat <<EOF
Publishing is set up.
  Officers push to:        $repo (branch $branch)
  The web server serves:   $serve/current
  The build uses:          $python
  Roll back:               $python $repo/hooks/publish.py rollback $serve
  What is served:          $python $repo/hooks/publish.py status $serve
  Add a daily cron job, so that a review goes live on the day its embargo ends:
    30 5 * * *  $python $repo/hooks/publish.py rebuild $repo
EOF
