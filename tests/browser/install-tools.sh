#!/bin/sh
# Set-up for the browser tests, run by `make test`: Chromium, Java and LibreOffice Impress from Debian when they are
# missing and we are root (apt-get), then axe-core, the Nu HTML Checker and yaml-language-server
# (the editor's checker, for tests/test_site_schema.py) from npm (`npm ci`, pinned by package-lock.json).
# When something cannot be installed, say the one command that gets it; the tests that need it
# then fail with the same advice.
set -eu

need_apt=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt="$need_apt chromium"
command -v java >/dev/null 2>&1 || need_apt="$need_apt default-jre-headless"
command -v npm >/dev/null 2>&1 || need_apt="$need_apt npm"
# LibreOffice, for the test that renders a slide pack as PowerPoint users would see it
command -v soffice >/dev/null 2>&1 || need_apt="$need_apt libreoffice-impress"

if [ -n "$need_apt" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need_apt
  else
    echo "The browser tests need:$need_apt. Install with: sudo apt-get install$need_apt" >&2
    case "$need_apt" in *chromium*)
      echo "(Not on Debian or Ubuntu? Get a browser with: .venv/bin/python -m playwright install chromium)" >&2;;
    esac
  fi
fi

if command -v npm >/dev/null 2>&1; then
  # --ignore-scripts: vnu-jar ships vnu.jar; its install script would only fetch a Java we have.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
else
  echo "npm is missing, so axe-core, the Nu HTML Checker and yaml-language-server are not installed." >&2
fi
