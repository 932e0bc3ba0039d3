#!/usr/bin/env bash
# stage.sh VERSION JAVA MAINTAINER: lays out what the packages install, from the reactor's packaged builds,
# and makes the tarball. Run by Maven (packaging/pom.xml, phase prepare-package) after the CLIs
# are packaged; jdeb and rpm-maven-plugin then pack target/root.
#   target/root/                    the file system tree of the .deb and the .rpm
#   target/generated/deb-control/   the .deb's control files (jdeb fills in the version)
#   target/hypersdk-VERSION.tar.gz  bin/ lib/ man/ completion/ systemd/ examples/
set -euo pipefail

VERSION=${1:?usage: stage.sh VERSION JAVA MAINTAINER}
JAVA=${2:?usage: stage.sh VERSION JAVA MAINTAINER}
MAINTAINER=${3:?usage: stage.sh VERSION JAVA MAINTAINER}
HERE=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
MODULE=$(dirname -- "$HERE")
REPO=$(dirname -- "$MODULE")
TARGET=$MODULE/target
GEN=$TARGET/generated
ROOT=$TARGET/root
SHARE=$ROOT/usr/share/hypersdk
DOC=$ROOT/usr/share/doc/hypersdk
EXPORT_BUILD=$REPO/hyperexport-cli/target
CTL_BUILD=$REPO/hyperctl-cli/target

die() { echo "stage.sh: $*" >&2; exit 1; }
need() { [ -e "$1" ] || die "$1 is missing: $2"; }
# reproducible timestamps: the last commit's, else now
EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || date +%s)}

BUILD_HINT="build the CLIs first: mvn -B verify -pl packaging -am"
EXPORT_JAR=$EXPORT_BUILD/hyperexport-cli-$VERSION.jar
CTL_JAR=$CTL_BUILD/hyperctl-cli-$VERSION.jar
need "$EXPORT_JAR" "$BUILD_HINT"
need "$CTL_JAR" "$BUILD_HINT"
need "$CTL_BUILD/hyperctl.classpath" "$BUILD_HINT"
need "$CTL_BUILD/hyperctl.classlist" "$BUILD_HINT"
need "$GEN/man/hyperctl.adoc" "$BUILD_HINT"
need "$GEN/hyperctl_completion" "$BUILD_HINT"
command -v asciidoctor >/dev/null 2>&1 \
  || die "asciidoctor not found; it renders the man pages (Debian: apt-get install asciidoctor; scripts/install-test-deps.sh installs it)"

rm -rf -- "$ROOT" "$GEN/deb-control" "$GEN/tar" "$TARGET"/hypersdk-*.tar.gz
install -d "$SHARE/lib" "$ROOT/usr/bin" "$DOC/examples" "$ROOT/usr/share/man/man1" \
  "$ROOT/usr/share/bash-completion/completions" "$ROOT/usr/lib/systemd/system" \
  "$ROOT/usr/lib/sysusers.d" "$ROOT/usr/lib/tmpfiles.d" "$ROOT/etc/hyper2kvm" "$GEN/deb-control"

# ---- jars: both CLIs' run-time class paths, one copy of each jar
# add_jar JAR: copies JAR into lib/ (the same name twice must be the same bytes) and prints its name
add_jar() {
  local jar=$1 name
  name=$(basename -- "$jar")
  if [ -e "$SHARE/lib/$name" ]; then
    cmp -s -- "$jar" "$SHARE/lib/$name" || die "two different $name on the CLIs' class paths ($jar)"
  else
    install -m 0644 -- "$jar" "$SHARE/lib/$name"
  fi
  printf '%s\n' "$name"
}
# hyperexport: its jar, then its manifest's Class-Path (lib/NAME ...), in that order
JAR_TOOL=$(dirname -- "$JAVA")/jar
[ -x "$JAR_TOOL" ] || die "$JAR_TOOL not found: build with a JDK (not a JRE)"
# unjar JAR DIR ENTRY...: extracts entries (files or directories) of JAR into DIR
unjar() { local jar=$1 dir=$2; shift 2; ( cd "$dir" && "$JAR_TOOL" xf "$jar" "$@" ); }
manifest_class_path() {
  local dir
  dir=$(mktemp -d)
  unjar "$1" "$dir" META-INF/MANIFEST.MF
  tr -d '\r' < "$dir/META-INF/MANIFEST.MF" | awk '
    /^Class-Path: / { on = 1; line = substr($0, 13); next }
    on && /^ / { line = line substr($0, 2); next }
    on { on = 0 }
    END { print line }' | tr ' ' '\n' | sed -n 's|^lib/||p'
  rm -rf -- "$dir"
}
{
  add_jar "$EXPORT_JAR"
  for name in $(manifest_class_path "$EXPORT_JAR"); do add_jar "$EXPORT_BUILD/lib/$name"; done
} > "$SHARE/lib/hyperexport.classpath"
# hyperctl: its jar, then target/hyperctl.classpath (absolute paths joined by ':')
{
  add_jar "$CTL_JAR"
  # the file has no final newline: `read` returns false on its last entry, which must count too
  # (it dropped slf4j-simple, then jackson-core once the pom's order changed)
  tr ':' '\n' < "$CTL_BUILD/hyperctl.classpath" | while IFS= read -r jar || [ -n "$jar" ]; do
    [ -z "$jar" ] || add_jar "$jar"
  done
} > "$SHARE/lib/hyperctl.classpath"

# ---- launchers; the class lists their class-data-sharing archives are dumped from at install
# make_launcher NAME MAIN ENV JVM_OPTS
make_launcher() {
  sed -e "s|@NAME@|$1|g" -e "s|@MAIN@|$2|g" -e "s|@ENV@|$3|g" -e "s|@JVM_OPTS@|$4|g" \
    "$HERE/bin/launcher" > "$ROOT/usr/bin/$1"
  chmod 0755 "$ROOT/usr/bin/$1"
}
# hyperexport's jar manifest opens these for jnr-posix (isatty); with -cp the JVM needs them here
make_launcher hyperexport io.hypersdk.cli.export.HyperExport HYPEREXPORT \
  "--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
# the options of ../bin/hyperctl (a CLI that lives well under a second)
make_launcher hyperctl io.hypersdk.cli.ctl.Hyperctl HYPERCTL \
  "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
install -m 0644 -- "$CTL_BUILD/hyperctl.classlist" "$SHARE/lib/hyperctl.classlist"
if [ -f "$EXPORT_BUILD/hyperexport.classlist" ]; then
  install -m 0644 -- "$EXPORT_BUILD/hyperexport.classlist" "$SHARE/lib/hyperexport.classlist"
else
  # a training run: the classes hyperexport loads to parse a command line and print its help
  # (the package's launcher itself, with the build's JVM, so the class path is the packaged one)
  JAVA=$JAVA HYPERSDK_CDS=off HYPEREXPORT_JAVA_OPTS="-XX:DumpLoadedClassList=$SHARE/lib/hyperexport.classlist" \
    "$ROOT/usr/bin/hyperexport" --help > "$GEN/hyperexport-training.log" 2>&1 \
    || die "the class-list training run of hyperexport failed: see $GEN/hyperexport-training.log"
  # the launcher found its home by its own path: a class list names classes only, no paths
fi

# ---- man pages and bash completion
render_man() { # ADOC OUTDIR
  asciidoctor --backend=manpage --attribute reproducible --destination-dir="$2" "$1"
}
export_docs=$(mktemp -d)
trap 'rm -rf -- "$export_docs"' EXIT
unjar "$EXPORT_JAR" "$export_docs" META-INF/hyperexport
need "$export_docs/META-INF/hyperexport/man/hyperexport.adoc" "hyperexport-cli generates it (prepare-package)"
need "$export_docs/META-INF/hyperexport/hyperexport_completion" "hyperexport-cli generates it (prepare-package)"
render_man "$export_docs/META-INF/hyperexport/man/hyperexport.adoc" "$GEN/man"
render_man "$GEN/man/hyperctl.adoc" "$GEN/man"
for name in hyperexport hyperctl; do
  gzip -9n < "$GEN/man/$name.1" > "$ROOT/usr/share/man/man1/$name.1.gz"
done
# sourced by bash-completion, never executed: without picocli's "#!/usr/bin/env bash" line
sed '1{/^#!/d}' "$export_docs/META-INF/hyperexport/hyperexport_completion" \
  > "$ROOT/usr/share/bash-completion/completions/hyperexport"
sed '1{/^#!/d}' "$GEN/hyperctl_completion" > "$ROOT/usr/share/bash-completion/completions/hyperctl"

# ---- systemd: every unit of ../systemd (a unit added there is packaged without a change here),
# the group and the spool directories (the files install.sh installs under /etc)
shopt -s nullglob
units=("$REPO"/systemd/*.service "$REPO"/systemd/*.target)
shopt -u nullglob
[ ${#units[@]} -gt 0 ] || die "no units in $REPO/systemd"
install -m 0644 -- "${units[@]}" "$ROOT/usr/lib/systemd/system/"
install -m 0644 -- "$REPO/systemd/hyper2kvm.sysusers" "$ROOT/usr/lib/sysusers.d/hyper2kvm.conf"
install -m 0644 -- "$REPO/systemd/hyper2kvm.tmpfiles" "$ROOT/usr/lib/tmpfiles.d/hyper2kvm.conf"

# ---- configs: the default one as a conffile, the examples, the sample appliance
install -m 0644 -- "$REPO/systemd/hyper2kvm.conf.example" "$ROOT/etc/hyper2kvm/hyper2kvm.conf"
install -m 0644 -- "$REPO"/systemd/hyper2kvm*.conf.example "$DOC/examples/"
install -m 0644 -- "$REPO/systemd/README.md" "$DOC/examples/README.systemd.md"
install -m 0644 -- "$REPO/samples/sample-appliance.ova" "$DOC/examples/"
install -m 0644 -- "$REPO/samples/README.md" "$DOC/examples/README.samples.md"
install -m 0644 -- "$MODULE/README.md" "$DOC/README.packaging.md"

# ---- licences, changelog
install -m 0644 -- "$HERE/deb/copyright" "$DOC/copyright"
deb_version=${VERSION/-SNAPSHOT/'~snapshot'}   # what jdeb makes of it
{
  printf 'hypersdk (%s) unstable; urgency=medium\n\n' "$deb_version"
  printf '  * Built from hypersdk-java %s (commit %s).\n\n' "$VERSION" \
    "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf ' -- %s  %s\n' "$MAINTAINER" "$(LC_ALL=C date -u -R -d "@$EPOCH")"
} | gzip -9n > "$DOC/changelog.gz"

install -D -m 0644 -- "$HERE/deb/lintian-overrides" "$ROOT/usr/share/lintian/overrides/hypersdk"

# ---- the .deb's control files
install -m 0644 -- "$HERE/deb/control" "$GEN/deb-control/control"
install -m 0755 -- "$HERE/scripts/postinst" "$HERE/scripts/prerm" "$HERE/scripts/postrm" "$GEN/deb-control/"

# ---- the tarball: bin/ lib/ man/ completion/ systemd/ examples/ under hypersdk-VERSION/
TAR=$GEN/tar/hypersdk-$VERSION
install -d "$TAR/bin" "$TAR/lib" "$TAR/man/man1" "$TAR/completion" "$TAR/systemd" "$TAR/examples"
cp -p -- "$ROOT"/usr/bin/* "$TAR/bin/"
cp -p -- "$SHARE"/lib/* "$TAR/lib/"
cp -p -- "$GEN/man/hyperexport.1" "$GEN/man/hyperctl.1" "$TAR/man/man1/"
cp -p -- "$ROOT"/usr/share/bash-completion/completions/* "$TAR/completion/"
cp -p -- "${units[@]}" "$REPO/systemd/hyper2kvm.sysusers" "$REPO/systemd/hyper2kvm.tmpfiles" \
  "$REPO"/systemd/hyper2kvm*.conf.example "$REPO/systemd/install.sh" "$REPO/systemd/README.md" "$TAR/systemd/"
cp -p -- "$DOC"/examples/sample-appliance.ova "$DOC"/examples/README.samples.md "$TAR/examples/"
cp -p -- "$HERE/deb/copyright" "$TAR/COPYRIGHT"
cp -p -- "$MODULE/README.md" "$TAR/README.packaging.md"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -C "$GEN/tar" \
  -cf - "hypersdk-$VERSION" | gzip -9n > "$TARGET/hypersdk-$VERSION.tar.gz"
echo "stage.sh: staged $ROOT and $TARGET/hypersdk-$VERSION.tar.gz"
