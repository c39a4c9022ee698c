#!/usr/bin/env bash
# Fetch real C projects (Debian source packages) for lazycc's end-to-end tests
# and benchmarks.  See integration/README.md.
#
# Usage:  integration/fetch_corpus.sh [DEST] [PACKAGE...]
#   DEST      where unpacked trees go (default: integration/corpus, git-ignored)
#   PACKAGE   source package names (default: zlib cjson lz4, what the test
#             suite builds; also known: libevent libtommath sqlite3 confuse
#             libgit2).  LAZYCC_CORPUS_PACKAGES="a b" overrides the default.
#
# Layout produced:
#   DEST/downloads/          cached .dsc/.orig.tar/.debian.tar (reused; never re-downloaded)
#   DEST/src/<pkg>-<ver>/    unpacked trees
#   DEST/<pkg>               symlink to the unpacked tree: tests look for DEST/zlib/configure
#
# Offline: set LAZYCC_CORPUS_DIR to a directory holding already-unpacked trees
# (DIR/zlib or DIR/zlib-1.2.13...); they are linked into DEST and nothing is
# downloaded.  Downloads already in DEST/downloads are unpacked without network.
#
# Online, `apt-get source` needs a deb-src entry: if none is configured and we
# are root, one is added (/etc/apt/sources.list.d/lazycc-debian-src.sources)
# and `apt-get update` runs; otherwise the script says what to do and fails.
# Exit status: 0 when every requested package is present in DEST.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$here/corpus}
shift || true
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(${LAZYCC_CORPUS_PACKAGES:-zlib cjson lz4})

mkdir -p "$dest/downloads" "$dest/src"
dest=$(cd "$dest" && pwd)

log() { printf 'fetch_corpus: %s\n' "$*" >&2; }

# Source package -> apt-get source argument (libgit2 is only on the mirror pinned).
apt_name() {
    case "$1" in
        libgit2) echo "libgit2=1.5.1+ds-1+deb12u1" ;;
        *) echo "$1" ;;
    esac
}

# Already present in DEST? (a link or a tree with a recognisable build file)
present() {
    local d="$dest/$1"
    [ -d "$d" ] && { [ -e "$d/configure" ] || [ -e "$d/Makefile" ] || [ -e "$d/CMakeLists.txt" ] \
        || [ -e "$d/makefile" ] || [ -e "$d/autogen.sh" ]; }
}

# Offline source: $LAZYCC_CORPUS_DIR/<pkg> or $LAZYCC_CORPUS_DIR/<pkg>-*
from_user_dir() {
    local pkg=$1 base=${LAZYCC_CORPUS_DIR:-} cand
    [ -n "$base" ] && [ -d "$base" ] || return 1
    for cand in "$base/$pkg" "$base/$pkg"-*; do
        if [ -d "$cand" ]; then
            cand=$(cd "$cand" && pwd -P)
            [ "$cand" = "$(cd "$dest" && pwd -P)/$pkg" ] && return 0
            ln -sfn "$cand" "$dest/$pkg"
            log "$pkg: using $cand (LAZYCC_CORPUS_DIR, offline)"
            return 0
        fi
    done
    return 1
}

have_deb_src() {
    grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

apt_ready=0
ensure_apt() {
    [ $apt_ready = 1 ] && return 0
    command -v apt-get >/dev/null || { log "apt-get not found: set LAZYCC_CORPUS_DIR to unpacked sources"; return 1; }
    command -v dpkg-source >/dev/null || {
        if [ "$(id -u)" = 0 ]; then apt-get install -y -q dpkg-dev >&2; else
            log "dpkg-source missing: apt-get install dpkg-dev"; return 1; fi; }
    if ! have_deb_src; then
        if [ "$(id -u)" != 0 ]; then
            log "no deb-src entry in /etc/apt (add a \"Types: deb-src\" entry for your suite); run as root or add one"
            return 1
        fi
        # Mirror the suites of the existing binary entries (bookworm on this machine).
        local suite
        suite=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-bookworm}")
        log "adding deb-src entry for $suite"
        cat > /etc/apt/sources.list.d/lazycc-debian-src.sources <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        apt-get update -q >&2
    elif ! apt-cache showsrc zlib 2>/dev/null | grep -q '^Package:'; then
        # deb-src configured but its lists were never downloaded.
        [ "$(id -u)" = 0 ] || { log "deb-src lists missing: run apt-get update as root"; return 1; }
        apt-get update -q >&2
    fi
    apt_ready=1
}

# Unpack the newest .dsc for pkg in downloads/ into src/, link DEST/pkg to it.
unpack() {
    local pkg=$1 dsc tree orig
    dsc=$(ls -1 "$dest/downloads/${pkg}_"*.dsc 2>/dev/null | sort -V | tail -n1)
    [ -n "$dsc" ] || return 1
    tree="$dest/src/$(basename "$dsc" .dsc | sed 's/_/-/; s/-[^-]*$//')"
    if [ ! -d "$tree" ]; then
        log "$pkg: unpacking $(basename "$dsc")"
        if ! (cd "$dest/src" && dpkg-source --no-check -x "$dsc" "$tree" >&2); then
            # confuse: the Debian patch archive is broken on the mirror; the
            # upstream tarball alone is what we want anyway.
            orig=$(ls -1 "$dest/downloads/${pkg}_"*.orig.tar.* 2>/dev/null | head -n1)
            [ -n "$orig" ] || return 1
            log "$pkg: dpkg-source failed, unpacking $(basename "$orig") by hand"
            rm -rf "$tree"; mkdir -p "$tree"
            tar -xf "$orig" -C "$tree" --strip-components=1
        fi
    fi
    ln -sfn "src/$(basename "$tree")" "$dest/$pkg"
}

# Versions apt knows for a source package, newest first.
versions_of() {
    apt-cache showsrc "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -urV
}

# Download the newest version a mirror actually serves: a suite's index can
# name a version its pool lacks (bookworm-security listed zlib 1.2.13.dfsg-1+deb12u1
# and answered 404), so older versions are tried before giving up.
download() {
    local pkg=$1 spec ver
    ensure_apt || return 1
    spec=$(apt_name "$pkg")
    if [ "$spec" != "$pkg" ]; then
        log "$pkg: apt-get source --download-only $spec"
        (cd "$dest/downloads" && apt-get source -q --download-only "$spec" >&2)
        return
    fi
    for ver in $(versions_of "$pkg") ""; do
        spec=$pkg${ver:+=$ver}
        log "$pkg: apt-get source --download-only $spec"
        if (cd "$dest/downloads" && apt-get source -q --download-only "$spec" >&2); then
            return 0
        fi
        rm -f "$dest/downloads/${pkg}_${ver#*:}".dsc 2>/dev/null || true
    done
    return 1
}

# An upstream tarball without `configure` (libconfuse: its Debian patch archive is 404 on
# the mirror, so the .orig.tar is all there is): bootstrap it when autotools are installed.
bootstrap() {
    local d="$dest/$1"
    { [ -e "$d/configure" ] || [ ! -e "$d/configure.ac" ]; } && return 0
    if ! command -v autoreconf >/dev/null; then
        log "$1: no configure, and no autoreconf to make one (apt-get install autoconf automake libtool autopoint flex)"
        return 0
    fi
    log "$1: no configure: bootstrapping with $([ -x "$d/autogen.sh" ] && echo autogen.sh || echo 'autoreconf -fi')"
    if [ -x "$d/autogen.sh" ]; then (cd "$d" && ./autogen.sh >&2); else (cd "$d" && autoreconf -fi >&2); fi \
        || log "$1: bootstrap failed"
}

# A download whose patch archive 404s still leaves the .dsc and .orig.tar: unpack those.
downloaded() {
    ls "$dest/downloads/${1}_"*.dsc >/dev/null 2>&1 && ls "$dest/downloads/${1}_"*.orig.tar.* >/dev/null 2>&1
}

rc=0
for pkg in "${pkgs[@]}"; do
    if present "$pkg"; then
        bootstrap "$pkg"
        log "$pkg: present ($(readlink -f "$dest/$pkg"))"
        continue
    fi
    if from_user_dir "$pkg"; then continue; fi
    if unpack "$pkg" 2>/dev/null && present "$pkg"; then bootstrap "$pkg"; continue; fi
    if { download "$pkg" || downloaded "$pkg"; } && unpack "$pkg" && present "$pkg"; then
        bootstrap "$pkg"
        log "$pkg: ready at $dest/$pkg"
    else
        log "$pkg: FAILED (offline? set LAZYCC_CORPUS_DIR to unpacked sources)"
        rc=1
    fi
done
exit $rc
