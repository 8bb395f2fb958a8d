#!/usr/bin/env bash
# The release artifacts (mvn -B package -Pdist runs this after the shaded jar is built):
#   target/dist/jpm-<version>-linux-<arch>.tar.gz  bin/, lib/ (jars), runtime/ (jlink), share/ (man, completions)
#   target/dist/jpm_<debian version>_<debian arch>.deb  the same tree under /usr/lib/jpm, links and docs where Debian wants them
# Usage: build.sh <version> <target dir>. Needs the JDK's jlink and jmods (Debian: openjdk-17-jdk-headless)
# and dpkg-deb for the .deb (skipped with a note where there is none).
set -euo pipefail
version=$1
target=$(cd "$2" && pwd)
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
dist="$target/dist"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

# Modules: `jdeps --print-module-deps` of target/jpm.jar (java.base, java.compiler, java.desktop,
# java.logging, java.management, java.naming, jdk.jfr, jdk.unsupported) and of cluster-lib's Hazelcast
# (java.scripting, java.sql, java.transaction.xa, java.xml) are all inside java.se, which the daemon's
# flags name anyway (--add-modules java.se, Hazelcast's advice). Added by hand, loaded by name or
# reflectively where jdeps cannot see it: jdk.crypto.ec (the EC key exchanges and certificates TLS uses),
# jdk.management (com.sun.management, opened by the daemon's flags, Hazelcast's metrics), jdk.naming.dns
# (Netty's resolver reads the name servers through JNDI's dns:), jdk.net (extended socket options).
modules=java.se,jdk.unsupported,jdk.jfr,jdk.management,jdk.crypto.ec,jdk.naming.dns,jdk.net

case $(uname -m) in
  x86_64) arch=x64 deb_arch=amd64 ;;
  aarch64) arch=aarch64 deb_arch=arm64 ;;
  *) arch=$(uname -m) deb_arch=$(uname -m) ;;
esac
name="jpm-$version-linux-$arch"
stage="$dist/$name"
rm -rf "$dist"
mkdir -p "$stage/bin" "$stage/lib/cluster-lib" "$stage/share/man/man1" "$stage/share/completion"

# the runtime, with the JDK classes' own CDS archive (jlink's plugin): a client or daemon whose
# archive of its own is not recorded yet still maps the JDK's classes instead of parsing them
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --generate-cds-archive --output "$stage/runtime" >/dev/null
# only for heaps over 32 GB (no compressed oops): 11 MB no jpm JVM maps
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"
# java.desktop's native parts for screens, sound, fonts and images (what Debian's JDK leaves out of
# its -headless package too): jpm loads java.beans and AWT's headless classes, never these, and they
# would make a server install X11, ALSA and FreeType. What is left needs libc, libgcc, libstdc++, zlib.
(cd "$stage/runtime/lib" && rm -f libawt_xawt.so libjawt.so libjsound.so libsplashscreen.so \
  libfontmanager.so libjavajpeg.so liblcms.so libmlib_image.so)
# symbol tables, as Debian's dh_strip does (jlink's --strip-native-debug-symbols leaves them):
# 4 MB less, and lintian's unstripped-binary-or-object. binutils' strip, where there is one.
if command -v strip >/dev/null 2>&1; then
  find "$stage/runtime" -type f \( -name '*.so' -o -perm -u+x \) | while read -r f; do
    case $(head -c 4 "$f" | od -An -c | tr -d ' ') in
      177ELF) strip --remove-section=.comment --remove-section=.note --strip-unneeded "$f" ;;
    esac
  done
else
  echo "[dist] no strip (binutils) on this machine: the runtime's libraries keep their symbol tables" >&2
fi

cp "$root/bin/jpm" "$root/bin/jpm-runtime" "$stage/bin/"
cp -p "$target/jpm.jar" "$stage/lib/"
cp -p "$target"/cluster-lib/*.jar "$stage/lib/cluster-lib/"
cp "$root/LICENSE" "$stage/"
cp "$src/README" "$stage/README"

# man page and completions, generated from the verbs' Syntax tables (ReleaseDocs)
docs="$dist/docs"
"$stage/runtime/bin/java" -cp "$target/jpm.jar" io.jpm.cli.help.ReleaseDocs "$docs"
cp "$docs/man/jpm.1" "$stage/share/man/man1/"
cp "$docs/completion/jpm.bash" "$docs/completion/_jpm" "$docs/completion/jpm.fish" "$stage/share/completion/"
rm -rf "$docs"
chmod -R u+rwX,go+rX,go-w "$stage"

tar -C "$dist" --owner=0 --group=0 --numeric-owner -czf "$dist/$name.tar.gz" "$name"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "[dist] no dpkg-deb on this machine: no .deb" >&2
  rm -rf "$stage"
  exit 0
fi
# Debian versions sort "~" before anything, so 0.1.0~SNAPSHOT comes before 0.1.0 ("-" would mean a revision)
deb_version=${version//-/\~}
pkg="$dist/deb"
lib="$pkg/usr/lib/jpm"
mkdir -p "$lib" "$pkg/usr/bin" "$pkg/DEBIAN" "$pkg/usr/share/doc/jpm" "$pkg/usr/share/man/man1" \
  "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" \
  "$pkg/usr/share/fish/vendor_completions.d"
cp -a "$stage/bin" "$stage/lib" "$stage/runtime" "$lib/"
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
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$dist/jpm_${deb_version}_$deb_arch.deb" >/dev/null
rm -rf "$pkg" "$stage"
