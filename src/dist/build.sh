#!/usr/bin/env bash
# The release artifacts (mvn -B package -Pdist runs this after the shaded jar is built):
#   target/dist/jpm-<version>-linux-<arch>.tar.gz  bin/, lib/ (jars), runtime/ (jlink), share/ (man, completions)
#   target/dist/jpm_<debian version>_<debian arch>.deb  the same tree under /usr/lib/jpm, links and docs where Debian wants them
# Usage: build.sh <version> <target dir>. Needs a JDK 17 with its jmods (Debian: openjdk-17-jdk-headless)
# and dpkg-deb 1.21.18+ (zstd) for the .deb (skipped with a note where there is none). Prints the time
# of each step.
# What is in the runtime and why, and the artifacts' sizes: docs/INSTALL.md, docs/BENCHMARKS.md ("Release build").
set -euo pipefail
version=$1
target=$(cd "$2" && pwd)
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
dist="$target/dist"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

# Modules, each for a reason (docs/INSTALL.md, "What the release holds", has the table).
# `jdeps --print-module-deps` of jpm.jar names java.base, java.logging, java.management, java.naming,
# jdk.jfr, jdk.unsupported, and also java.desktop (lanterna's Swing terminal, which monit never opens;
# SnakeYAML's JavaBeans, which jpm never builds; JNA's AWT window handles) and java.compiler (Vert.x's
# deployment of .java sources): code jpm never runs, left out. Hazelcast (cluster-lib/) adds java.sql
# with java.transaction.xa and java.xml (its serializers and config) and java.scripting. Loaded by
# name, which jdeps cannot see: jdk.crypto.ec (TLS's EC key exchanges and certificates),
# jdk.management (com.sun.management: Hazelcast's metrics, opened by a clustered daemon's flags),
# jdk.naming.dns (Netty's resolver reads the name servers through JNDI's dns:), jdk.net (Hazelcast's
# keep-alive timings). jdk.jfr also stays for a live daemon's diagnosis (jcmd <pid> JFR.start). jlink
# adds java.security.sasl (java.naming's). Not java.se: it would bring java.desktop (16.5 of the
# image's 55 MB of classes then) and nine more modules nothing here uses.
modules=java.base,java.logging,java.management,java.naming,java.scripting,java.sql,java.transaction.xa,java.xml
modules+=,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported

# step NAME: closes the previous step's clock and starts NAME's; `step end` prints them all
steps="" step_name="" step_start=$EPOCHREALTIME
step() {
  local now=$EPOCHREALTIME
  [ -z "$step_name" ] || steps+="${steps:+, }$step_name $(awk -v a="$step_start" -v b="$now" 'BEGIN { printf "%.1f s", b - a }')"
  step_name=$1 step_start=$now
  [ "$1" != end ] || echo "[dist] $steps" >&2
}

case $(uname -m) in
  x86_64) arch=x64 deb_arch=amd64 ;;
  aarch64) arch=aarch64 deb_arch=arm64 ;;
  *) arch=$(uname -m) deb_arch=$(uname -m) ;;
esac
name="jpm-$version-linux-$arch"
stage="$dist/$name"
rm -rf "$dist"
mkdir -p "$stage/bin" "$stage/lib/cluster-lib" "$stage/share/man/man1" "$stage/share/completion"

# The runtime. No CDS archive of the JDK's classes (jlink's --generate-cds-archive, 12 MB): jpm's own
# archives (bin/jpm, postinst) hold the JDK classes it loads; without them, in a folder its user cannot
# write, a command starts ~13 ms later and a daemon ~65 ms (docs/INSTALL.md). --compress=2: the classes
# zipped, 15 MB of lib/modules instead of 33 on disk; once jpm's archives are recorded it reads almost
# none of them (the first command's CPU measured within 5%), though the artifacts' compressors packed the raw
# classes better (docs/BENCHMARKS.md, "Release build").
step jlink
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$stage/runtime" >/dev/null
# symbol tables, as Debian's dh_strip does (jlink's --strip-native-debug-symbols leaves them):
# 4 MB less, and lintian's unstripped-binary-or-object. binutils' strip, where there is one.
# What is left needs libc, libgcc, libstdc++ and zlib (the .deb's Depends).
step strip
if command -v strip >/dev/null 2>&1; then
  find "$stage/runtime" -type f \( -name '*.so' -o -perm -u+x \) | while read -r f; do
    case $(head -c 4 "$f" | od -An -c | tr -d ' ') in
      177ELF) strip --remove-section=.comment --remove-section=.note --strip-unneeded "$f" ;;
    esac
  done
else
  echo "[dist] no strip (binutils) on this machine: the runtime's libraries keep their symbol tables" >&2
fi

# The jars as built, deflated: stored, the artifacts' compressor packed the classes themselves to
# half of what it makes of deflated ones (the .deb 29.7 MB against 40.1), but they took 36 MiB more
# on disk once installed. The CDS archives are recorded against these files where they are installed.
step jars
cp -p "$target/jpm.jar" "$stage/lib/"
cp -p "$target"/cluster-lib/*.jar "$stage/lib/cluster-lib/"
# Netty's and JNA's native libraries for this architecture beside the jar, which the daemon loads from
# there instead of copying them out of the jar into temporary files at every start (NativeLibraries)
case $arch in
  x64) netty_arch=x86_64 jna_arch=linux-x86-64 ;;
  aarch64) netty_arch=aarch_64 jna_arch=linux-aarch64 ;;
  *) netty_arch="" jna_arch="" ;;
esac
if [ -n "$netty_arch" ]; then
  mkdir -p "$stage/lib/native/jna/$jna_arch"
  cp "$target/native/libnetty_transport_native_epoll_$netty_arch.so" "$stage/lib/native/"
  cp "$target/native/jna/$jna_arch/libjnidispatch.so" "$stage/lib/native/jna/$jna_arch/"
  # BoringSSL (Netty's tcnative) for the fleet relay's TLS; x86-64's only: the one the build takes
  tcnative="$target/native/libnetty_tcnative_linux_$netty_arch.so"
  if [ -f "$tcnative" ]; then cp "$tcnative" "$stage/lib/native/"; fi
fi

cp "$root/bin/jpm" "$root/bin/jpm-runtime" "$stage/bin/"
cp "$root/LICENSE" "$stage/"
cp "$src/README" "$stage/README"

# man page and completions, generated from the verbs' Syntax tables (ReleaseDocs), on the runtime
step docs
docs="$dist/docs"
"$stage/runtime/bin/java" -cp "$target/jpm.jar" io.jpm.cli.help.ReleaseDocs "$docs"
cp "$docs/man/jpm.1" "$stage/share/man/man1/"
cp "$docs/completion/jpm.bash" "$docs/completion/_jpm" "$docs/completion/jpm.fish" "$stage/share/completion/"
rm -rf "$docs"
chmod -R u+rwX,go+rX,go-w "$stage"

# gzip, which every system opens (xz-utils and zstd are not in Debian's slim images): 36.7 MB in ~5 s;
# xz -6 would make ~24 MB in 60-90 s more of CPU (docs/BENCHMARKS.md, "Release build")
step tarball
tar -C "$dist" --owner=0 --group=0 --numeric-owner -czf "$dist/$name.tar.gz" "$name"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "[dist] no dpkg-deb on this machine: no .deb" >&2
  rm -rf "$stage"
  step end
  exit 0
fi
step deb
# Debian versions sort "~" before anything, so 0.1.0~SNAPSHOT comes before 0.1.0 ("-" would mean a revision)
deb_version=${version//-/\~}
pkg="$dist/deb"
lib="$pkg/usr/lib/jpm"
mkdir -p "$lib" "$pkg/usr/bin" "$pkg/DEBIAN" "$pkg/usr/share/doc/jpm" "$pkg/usr/share/man/man1" \
  "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" \
  "$pkg/usr/share/fish/vendor_completions.d"
cp -al "$stage/bin" "$stage/lib" "$stage/runtime" "$lib/"
ln -s ../lib/jpm/bin/jpm "$pkg/usr/bin/jpm"
ln -s ../lib/jpm/bin/jpm-runtime "$pkg/usr/bin/jpm-runtime"
gzip -9n <"$stage/share/man/man1/jpm.1" >"$pkg/usr/share/man/man1/jpm.1.gz"
# jpm-runtime is `jpm __runtime`: its page is jpm's
printf '.so man1/jpm.1\n' | gzip -9n >"$pkg/usr/share/man/man1/jpm-runtime.1.gz"
cp "$stage/share/completion/jpm.bash" "$pkg/usr/share/bash-completion/completions/jpm"
cp "$stage/share/completion/_jpm" "$pkg/usr/share/zsh/vendor-completions/_jpm"
cp "$stage/share/completion/jpm.fish" "$pkg/usr/share/fish/vendor_completions.d/jpm.fish"
cp "$src/debian/copyright" "$pkg/usr/share/doc/jpm/copyright"
date=$(date -R -d "@$(stat -c %Y "$target/jpm.jar")")
printf 'jpm (%s) unstable; urgency=medium\n\n  * Built from the jpm source tree.\n\n -- jpm maintainers <jpm-maintainers@users.noreply.github.com>  %s\n' \
  "$deb_version" "$date" | gzip -9n >"$pkg/usr/share/doc/jpm/changelog.gz"
cp "$src/debian/postinst" "$src/debian/prerm" "$pkg/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$deb_arch/" -e "s/@SIZE@/$size/" "$src/debian/control" >"$pkg/DEBIAN/control"
(cd "$pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
chmod -R u+rwX,go+rX,go-w "$pkg"
chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm"
# zstd -9: 29.7 MB in ~3 s of CPU; xz -6 made 24.0 MB in 60-90 s of CPU, up to 5 minutes of a shared
# 2-core machine (docs/BENCHMARKS.md, "Release build"). Every dpkg this package installs on reads it: the
# Depends' libc6 >= 2.34 means Debian 12 (dpkg 1.21.22; zstd since 1.21.18) or Ubuntu 22.04 (since 18.04)
dpkg-deb --root-owner-group -Zzstd -z9 --build "$pkg" "$dist/jpm_${deb_version}_$deb_arch.deb" >/dev/null
rm -rf "$pkg" "$stage"
step end
