#!/usr/bin/env bash
# Set up self-hosted publishing: officers push to a bare repository on this server, and every good
# push to the publishing branch is built and served from SERVE_DIR/current.
#
#   publishing/install.sh --repo /srv/git/briefings.git --serve /srv/www/briefings [--python PATH] [--branch main]
#
# Run it from the project folder of a release, as the user that receives pushes (the hooks run as
# that user and must be able to write SERVE_DIR). It installs the server's own copy of the
# generator, theme, mkdocs.yml and publishing scripts from this folder into REPO/installed: every
# build runs that copy, never code from a push, inside a bubblewrap sandbox. Run it again, from the
# new release, to upgrade that copy (that is how code and site configuration change), and after
# requirements.txt changes. Without --python it makes a virtual environment inside the repository
# (REPO/publishing-venv) with the pinned dependencies of requirements.txt; the hooks find that
# Python through `git config briefings.python`. It is safe to run more than once.
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

# The system packages the build needs: bubblewrap for the sandbox, Pango and fonts for the PDFs.
"$project/tools/system-packages.sh"

# The server's own copy of the code and site configuration, swapped in whole.
staged="$repo/.installed.new.$$"
rm -rf "$staged"
mkdir -p "$staged"
for item in generator theme publishing docs mkdocs.yml requirements.txt pyproject.toml; do
    cp -R "$project/$item" "$staged/$item"
done
find "$staged" \( -name __pycache__ -o -name .cache -o -name '*.pyc' \) -prune -exec rm -rf {} +
(git -C "$project" describe --always --dirty 2>/dev/null || date -u +%Y-%m-%dT%H:%MZ) > "$staged/RELEASE"
"$python" -m compileall -q "$staged/generator" >/dev/null  # the sandbox cannot write it later
if [ -d "$repo/installed" ]; then mv "$repo/installed" "$repo/.installed.old.$$"; fi
mv "$staged" "$repo/installed"
rm -rf "$repo/.installed.old.$$"

install -m 0755 "$here/hook" "$repo/hooks/pre-receive"
install -m 0755 "$here/hook" "$repo/hooks/post-receive"
install -m 0644 "$here/publish.py" "$repo/hooks/publish.py"
install -m 0644 "$here/publish_sandbox.py" "$repo/hooks/publish_sandbox.py"
if ! "$python" "$repo/hooks/publish.py" probe >/dev/null; then
    echo "Pushes cannot be built safely on this server until the sandbox works (see above)." >&2; exit 1
fi
git --git-dir="$repo" config briefings.python "$python"
git --git-dir="$repo" config briefings.serveDir "$serve"
git --git-dir="$repo" config briefings.branch "$branch"
git --git-dir="$repo" config briefings.installed "$repo/installed"
echo "$repo" > "$serve/.repository"

cat <<EOF
Publishing is set up.
  Officers push to:        $repo (branch $branch)
  The web server serves:   $serve/current
  The build uses:          $python, with the copy in $repo/installed ($(cat "$repo/installed/RELEASE")),
                           in a bubblewrap sandbox; a push may change only briefings/ and docs/*.md
  Roll back:               $python $repo/hooks/publish.py rollback $serve
  What is served:          $python $repo/hooks/publish.py status $serve
  Add a daily cron job, so that a review goes live on the day its embargo ends:
    30 5 * * *  $python $repo/hooks/publish.py rebuild $repo
EOF
