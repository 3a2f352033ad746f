#!/usr/bin/env bash
# Builds the release executables and installs them with the shipped data:
#
#   scripts/install.sh [--prefix DIR] [--no-store]
#
# Layout (DIR defaults to ~/.local):
#   DIR/lib/bdscheck/bdscheck        the lean executable: the plain check (`bdscheck CODE|NAME…`,
#                                    --json, --pretty, --batch, --lang, --store, --data)
#   DIR/lib/bdscheck/bdscheck-full   everything else (serve, refresh, search, --online, help, …);
#                                    the lean one hands any other command line to it, unchanged
#   DIR/lib/bdscheck/*.resources     the message catalogues and the kiosk page, found beside them
#   DIR/lib/bdscheck/importers/, datasets/   the shipped data; its store is built here at install
#                                    time (.bdscheck/store.sqlite) unless --no-store is given
#   DIR/bin/bdscheck                 a link to the lean executable
#
# Both are built with `swift build -c release --static-swift-stdlib` (the Swift runtime and
# Foundation linked in: no Swift shared libraries needed where they are installed, and a faster
# start; docs/PERFORMANCE.md, "The check path").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$HOME/.local"
STORE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 64; }; PREFIX="$2"; shift 2 ;;
        --no-store) STORE=0; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument $1" >&2; exit 64 ;;
    esac
done

# The prefix made absolute before leaving the current folder.
mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
cd "$ROOT"
echo "building (swift build -c release --static-swift-stdlib)…" >&2
swift build -c release --static-swift-stdlib --product bdscheck >&2
swift build -c release --static-swift-stdlib --product bdscheck-lean >&2
BIN_DIR="$(swift build -c release --static-swift-stdlib --show-bin-path)"

LIB="$PREFIX/lib/bdscheck"
mkdir -p "$LIB" "$PREFIX/bin"
# Each file is written beside its final name and renamed over it, so a running check never
# sees a half-copied executable.
install_file() {  # install_file SOURCE TARGET
    cp "$1" "$2.new" && mv -f "$2.new" "$2"
}
install_file "$BIN_DIR/bdscheck-lean" "$LIB/bdscheck"
install_file "$BIN_DIR/bdscheck" "$LIB/bdscheck-full"
# Folders are copied beside their final name first, then swapped in.
install_folder() {  # install_folder SOURCE TARGET
    rm -rf "$2.new" && cp -r "$1" "$2.new" && rm -rf "$2" && mv "$2.new" "$2"
}
for bundle in "$BIN_DIR"/*.resources; do
    case "$(basename "$bundle")" in *TestSupport*) continue ;; esac
    install_folder "$bundle" "$LIB/$(basename "$bundle")"
done
install_folder "$ROOT/importers" "$LIB/importers"
install_folder "$ROOT/datasets" "$LIB/datasets"
ln -sfn "$LIB/bdscheck" "$PREFIX/bin/bdscheck"
if [ "$STORE" = 1 ]; then
    "$LIB/bdscheck-full" refresh --data "$LIB" >&2
fi
echo "installed: $PREFIX/bin/bdscheck → $LIB/bdscheck (and $LIB/bdscheck-full)" >&2
