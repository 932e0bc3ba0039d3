#!/usr/bin/env bash
# install.sh: installs the hyper2kvm conversion daemon units of hypersdk-java (see README.md):
# unit files, YAML configs, the submitters' group, the spool directories, and enables them.
# Idempotent; never overwrites an edited config; --root DIR stages everything under DIR.
set -euo pipefail

GROUP=hyper2kvm-submit
UNITS=(hyper2kvm.service hyper2kvm@.service hyper2kvm-appliance.service hyper2kvm-spool.service hyper2kvm-spool@.service hyper2kvm.target hypersdk-server.service)
EXAMPLES=(hyper2kvm.conf.example hyper2kvm-vsphere.conf.example hyper2kvm-aws.conf.example)
SRC=$(cd "$(dirname -- "${BASH_SOURCE[0]:-$0}")" && pwd)
PROG=install.sh
ORIG_ARGS="$*"

usage() {
  cat <<EOF
usage: $PROG [--instance NAME]... [--binary PATH] [--root DIR] [--dry-run]
       $PROG --uninstall [--instance NAME]... [--purge] [--root DIR] [--dry-run]
       $PROG --check-instance NAME...

Installs hyper2kvm.service, hyper2kvm@.service, hyper2kvm.target and hyper2kvm-appliance.service
(builds the fixed libguestfs appliance the daemons use; needs libguestfs-tools) into /etc/systemd/system,
the YAML configs into /etc/hyper2kvm, the group $GROUP (its members submit jobs and read
results), and the directories /var/lib/hyper2kvm/{exports,queue,output} (2770 root:$GROUP).
Without --instance the default instance hyper2kvm.service is enabled; with --instance NAME
hyper2kvm@NAME.service is (directories /var/lib/hyper2kvm/NAME/{queue,output}). Everything is
enabled as part of hyper2kvm.target; nothing is started (systemctl start hyper2kvm.target).

  --instance NAME  a named instance; repeatable. NAME: letters, digits, ':', '_', '.', '-',
                   not starting with '.' or '-', at most 200 characters; not queue/output/exports.
                   Its config starts from hyper2kvm-vsphere.conf.example for names starting
                   with "vsphere", hyper2kvm-aws.conf.example for "aws", else a minimal file.
  --binary PATH    the hyper2kvm executable; /usr/local/bin/hyper2kvm (what the units run)
                   becomes a symlink to it. Default: the existing /usr/local/bin/hyper2kvm, else
                   hyper2kvm on PATH.
  --root DIR       install under DIR instead of / (staging or packaging; nothing outside DIR is
                   changed and no running systemd is contacted)
  --dry-run        print what would be done and change nothing (no root needed)
  --uninstall      stop, disable and remove the units (all of them, or only the given
                   instances); configs, spool, cache and logs are kept
  --purge          with --uninstall: also remove the configs, /var/lib/hyper2kvm (spool and
                   exports), /var/cache/hyper2kvm, /var/cache/hyper2kvm-appliance and
                   /var/log/hyper2kvm (or the instance's).
                   The group $GROUP is kept.
  --check-instance NAME...
                   check instance names and change nothing (no root needed): prints one line
                   per NAME, "valid", "invalid" or "reserved"; exit 0 when all are valid
  -h, --help       this text
EOF
}

die() { echo "$PROG: $*" >&2; exit 1; }

# The instance-name rule of hypersdk-core (io.hypersdk.core.spool.InstanceName.PATTERN): 1-200
# characters of [A-Za-z0-9:_.-], not starting with '.' or '-'. InstanceNameRuleTest pins that this
# check and the Java rule accept and refuse the same strings.
INSTANCE_PATTERN='^[A-Za-z0-9:_][A-Za-z0-9:_.-]{0,199}$'
valid_instance_name() {
  local LC_ALL=C   # ranges and lengths by byte, not by the caller's locale
  [[ $1 =~ $INSTANCE_PATTERN ]]
}
# Names of the default instance's directories under /var/lib/hyper2kvm; a named instance may not
# take them.
reserved_instance_name() { case $1 in queue|output|exports) return 0 ;; esac; return 1; }
invalid_instance_message() {
  echo "--instance '$1': invalid name; use letters, digits, ':', '_', '.', '-' (not first: '.', '-'), at most 200 characters, e.g. vsphere-prod"
}
reserved_instance_message() {
  echo "--instance '$1': reserved (it is a directory of the default instance under /var/lib/hyper2kvm); pick another name"
}
check_instances() {
  local name rc=0
  [ $# -gt 0 ] || die "--check-instance needs at least one NAME (e.g. --check-instance vsphere-prod)"
  for name in "$@"; do
    if ! valid_instance_name "$name"; then
      echo invalid; echo "$PROG: $(invalid_instance_message "$name")" >&2; rc=1
    elif reserved_instance_name "$name"; then
      echo reserved; echo "$PROG: $(reserved_instance_message "$name")" >&2; rc=1
    else
      echo valid
    fi
  done
  return $rc
}

ROOT=
BINARY=
DRY_RUN=0
UNINSTALL=0
PURGE=0
INSTANCES=()
while [ $# -gt 0 ]; do
  case $1 in
    --instance) [ $# -ge 2 ] || die "--instance needs a NAME (e.g. --instance vsphere-prod)"; INSTANCES+=("$2"); shift 2 ;;
    --instance=*) INSTANCES+=("${1#*=}"); shift ;;
    --binary) [ $# -ge 2 ] || die "--binary needs a PATH (e.g. --binary /usr/bin/hyper2kvm)"; BINARY=$2; shift 2 ;;
    --binary=*) BINARY=${1#*=}; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a DIR (e.g. --root /tmp/stage)"; ROOT=$2; shift 2 ;;
    --root=*) ROOT=${1#*=}; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    --check-instance) shift; rc=0; check_instances "$@" || rc=$?; exit $rc ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see $PROG --help)" ;;
  esac
done

if [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  die "must run as root: it creates the group $GROUP and root-owned directories (try: sudo $0 $ORIG_ARGS; --dry-run shows the plan without root)"
fi
[ "$PURGE" -eq 0 ] || [ "$UNINSTALL" -eq 1 ] || die "--purge only goes with --uninstall"
if [ "$UNINSTALL" -eq 1 ] && [ -n "$BINARY" ]; then die "--binary does not go with --uninstall (the hyper2kvm binary is never removed)"; fi
if [ -n "$ROOT" ]; then
  case $ROOT in /*) ;; *) ROOT=$PWD/$ROOT ;; esac
  ROOT=${ROOT%/}
  if [ -z "$ROOT" ]; then ROOT=; fi
fi
if [ -n "$ROOT" ] && [ ! -d "$ROOT" ]; then die "--root $ROOT: no such directory (create it first)"; fi

for name in "${INSTANCES[@]+"${INSTANCES[@]}"}"; do
  valid_instance_name "$name" || die "$(invalid_instance_message "$name")"
  ! reserved_instance_name "$name" || die "$(reserved_instance_message "$name")"
done

for f in "${UNITS[@]}" "${EXAMPLES[@]}" hyper2kvm.sysusers hyper2kvm.tmpfiles; do
  [ -f "$SRC/$f" ] || die "$SRC/$f is missing: run install.sh from the systemd/ directory it ships in"
done

# ---------------------------------------------------------------- helpers
say() { if [ "$DRY_RUN" -eq 1 ]; then printf '[dry-run] %s\n' "$*"; else printf '%s\n' "$*"; fi; }
# run CMD...: runs it, or prints it under --dry-run
run() {
  if [ "$DRY_RUN" -eq 1 ]; then say "would run: $*"; else "$@"; fi
}
systemd_running() { [ -z "$ROOT" ] && [ -d /run/systemd/system ]; }
# systemctl for enable/disable: the running manager, else offline on the (staged) root
sysctl_files() {
  if systemd_running; then run systemctl "$@"; else run systemctl --root="${ROOT:-/}" "$@"; fi
}
# install_file SRC DEST MODE: copies when different; says what happened
install_file() {
  local src=$1 dest=$2 mode=$3
  if [ -f "$dest" ] && cmp -s -- "$src" "$dest"; then
    say "unchanged  $dest"
  elif [ -e "$dest" ]; then
    run install -m "$mode" -o root -g root -- "$src" "$dest"; say "updated    $dest"
  else
    run install -D -m "$mode" -o root -g root -- "$src" "$dest"; say "installed  $dest"
  fi
}
# install_config SRC DEST: never touches an existing config
install_config() {
  local src=$1 dest=$2
  if [ ! -e "$dest" ]; then
    run install -D -m 0644 -o root -g root -- "$src" "$dest"; say "installed  $dest"
  elif cmp -s -- "$src" "$dest"; then
    say "unchanged  $dest"
  else
    say "kept       $dest (edited; the shipped example is $DOC/$(basename -- "$src"))"
  fi
}
# write_text DEST MODE: stdin becomes DEST when different
write_text() {
  local dest=$1 mode=$2 content existed=0
  content=$(cat; printf x); content=${content%x}
  if [ -f "$dest" ] && [ "$(cat -- "$dest"; printf x)" = "${content}x" ]; then
    say "unchanged  $dest"; return 0
  fi
  [ ! -e "$dest" ] || existed=1
  if [ "$DRY_RUN" -eq 1 ]; then
    say "would write: $dest"
  else
    install -d -m 0755 -- "$(dirname -- "$dest")"
    printf '%s' "$content" > "$dest.install-tmp"
    chmod "$mode" -- "$dest.install-tmp"
    mv -f -- "$dest.install-tmp" "$dest"
  fi
  if [ "$existed" -eq 1 ]; then say "updated    $dest"; else say "installed  $dest"; fi
}
# write_config DEST: stdin becomes DEST unless DEST exists (never touches an existing config)
write_config() {
  local dest=$1 content
  content=$(cat; printf x); content=${content%x}
  if [ ! -e "$dest" ]; then
    printf '%s' "$content" | write_text "$dest" 0644
  elif [ "$(cat -- "$dest"; printf x)" = "${content}x" ]; then
    say "unchanged  $dest"
  else
    say "kept       $dest (edited)"
  fi
}
remove_path() {
  local p=$1
  if [ -e "$p" ] || [ -L "$p" ]; then run rm -rf -- "$p"; say "removed    $p"; fi
}
instance_unit() { printf 'hyper2kvm@%s.service' "$1"; }

ETC=$ROOT/etc/hyper2kvm
UNITDIR=$ROOT/etc/systemd/system
DOC=/usr/local/share/doc/hyper2kvm-systemd
BIN=/usr/local/bin/hyper2kvm

# ---------------------------------------------------------------- uninstall
if [ "$UNINSTALL" -eq 1 ]; then
  units=()
  if [ ${#INSTANCES[@]} -gt 0 ]; then
    for name in "${INSTANCES[@]}"; do units+=("$(instance_unit "$name")"); done
  else
    units=(hyper2kvm.target hyper2kvm.service hyper2kvm-appliance.service)
    for link in "$UNITDIR"/hyper2kvm.target.wants/hyper2kvm@*.service; do
      if [ -L "$link" ]; then units+=("$(basename -- "$link")"); fi
    done
    if systemd_running; then   # instances started without being enabled
      while read -r u _; do
        case " ${units[*]} " in *" $u "*) ;; *) units+=("$u") ;; esac
      done < <(systemctl list-units --all --plain --no-legend 'hyper2kvm@*.service' 2>/dev/null || true)
    fi
  fi
  if systemd_running; then
    run systemctl stop "${units[@]}" || true
    run systemctl reset-failed "${units[@]}" 2>/dev/null || true   # 0.0.x ends its stop with Result=timeout
  fi
  if [ -e "$UNITDIR/hyper2kvm.service" ] || [ -e "$UNITDIR/hyper2kvm@.service" ]; then
    sysctl_files disable "${units[@]}" || true
  fi
  if [ ${#INSTANCES[@]} -eq 0 ]; then
    for u in "${UNITS[@]}"; do remove_path "$UNITDIR/$u"; done
    remove_path "$UNITDIR/hyper2kvm.target.wants"
    if [ "$PURGE" -eq 1 ]; then
      for p in "$ETC" "$ROOT/var/lib/hyper2kvm" "$ROOT/var/cache/hyper2kvm" "$ROOT/var/log/hyper2kvm" \
               "$ROOT/var/cache/hyper2kvm-appliance" \
               "$ROOT/etc/tmpfiles.d/hyper2kvm.conf" "$ROOT"/etc/tmpfiles.d/hyper2kvm-*.conf \
               "$ROOT/etc/sysusers.d/hyper2kvm.conf" "$ROOT$DOC"; do
        remove_path "$p"
      done
    fi
  else
    for name in "${INSTANCES[@]}"; do
      if [ "$PURGE" -eq 1 ]; then
        for p in "$ETC/hyper2kvm-$name.conf" "$ROOT/var/lib/hyper2kvm/$name" "$ROOT/var/cache/hyper2kvm/$name" \
                 "$ROOT/var/log/hyper2kvm/$name" "$ROOT/etc/tmpfiles.d/hyper2kvm-$name.conf"; do
          remove_path "$p"
        done
      fi
    done
  fi
  if systemd_running; then run systemctl daemon-reload; fi
  if [ "$PURGE" -eq 1 ]; then
    say "kept       group $GROUP and $BIN (remove by hand: groupdel $GROUP)"
  else
    say "kept       configs in $ETC/ and data in /var/lib/hyper2kvm (--purge removes them)"
  fi
  exit 0
fi

# ---------------------------------------------------------------- install
# 1. the hyper2kvm binary the units run
if [ -n "$BINARY" ]; then
  case $BINARY in /*) ;; *) BINARY=$PWD/$BINARY ;; esac
  [ -e "$BINARY" ] || die "--binary $BINARY: no such file; pass the path of the hyper2kvm executable"
  [ -f "$BINARY" ] && [ -x "$BINARY" ] || die "--binary $BINARY: not an executable file; pass the path of the hyper2kvm executable"
elif [ -f "$ROOT$BIN" ] && [ -x "$ROOT$BIN" ] && [ ! -L "$ROOT$BIN" ]; then
  BINARY=$BIN
elif [ -L "$ROOT$BIN" ] && link=$(readlink -- "$ROOT$BIN") && case $link in /*) ;; *) link=$(dirname -- "$BIN")/$link ;; esac \
     && [ -f "$ROOT$link" ] && [ -x "$ROOT$link" ]; then
  BINARY=$link   # an earlier install's link; its target resolved inside the root
elif [ -z "$ROOT" ] && command -v hyper2kvm >/dev/null 2>&1; then
  BINARY=$(command -v hyper2kvm)
else
  die "hyper2kvm binary not found (no executable $ROOT$BIN${ROOT:+, --root given}${ROOT:- and none on PATH}); install hyper2kvm first or pass --binary PATH"
fi
# a --binary inside --root DIR is linked by its path in the final system
TARGET=$BINARY
if [ -n "$ROOT" ] && [ "${BINARY#"$ROOT"/}" != "$BINARY" ]; then TARGET=/${BINARY#"$ROOT"/}; fi
case $TARGET in
  /home/*|/root/*|/run/user/*) die "--binary $TARGET: the sandboxed daemon cannot see it (ProtectHome=yes); install hyper2kvm under /usr, /usr/local or /opt" ;;
  /tmp/*|/var/tmp/*) die "--binary $TARGET: the sandboxed daemon cannot see it (PrivateTmp=yes); install hyper2kvm under /usr, /usr/local or /opt" ;;
esac
if [ "$TARGET" = "$BIN" ]; then
  say "unchanged  $ROOT$BIN"
elif [ -L "$ROOT$BIN" ] && [ "$(readlink -- "$ROOT$BIN")" = "$TARGET" ]; then
  say "unchanged  $ROOT$BIN -> $TARGET"
elif [ -e "$ROOT$BIN" ] && [ ! -L "$ROOT$BIN" ]; then
  die "$ROOT$BIN exists and is not a symlink; remove it, or pass --binary $BIN to use it"
else
  run install -d -m 0755 -- "$ROOT/usr/local/bin"
  run ln -sfn -- "$TARGET" "$ROOT$BIN"; say "linked     $ROOT$BIN -> $TARGET"
fi

# 2. the submitters' group (systemd-sysusers; the hypersdk package ships the same file in /usr/lib)
command -v systemd-sysusers >/dev/null 2>&1 || die "systemd-sysusers not found; install the systemd package"
command -v systemd-tmpfiles >/dev/null 2>&1 || die "systemd-tmpfiles not found; install the systemd package"
install_file "$SRC/hyper2kvm.sysusers" "$ROOT/etc/sysusers.d/hyper2kvm.conf" 0644
run systemd-sysusers ${ROOT:+--root="$ROOT"} "$ROOT/etc/sysusers.d/hyper2kvm.conf"

# 3. directories (systemd-tmpfiles: re-applied at every boot; the package ships the same file)
install_file "$SRC/hyper2kvm.tmpfiles" "$ROOT/etc/tmpfiles.d/hyper2kvm.conf" 0644
tmpfiles=("$ROOT/etc/tmpfiles.d/hyper2kvm.conf")
for name in "${INSTANCES[@]+"${INSTANCES[@]}"}"; do
  write_text "$ROOT/etc/tmpfiles.d/hyper2kvm-$name.conf" 0644 <<EOF
# hypersdk-java systemd/install.sh: spool of hyper2kvm@$name.service
d /var/lib/hyper2kvm/$name        0755 root root -
d /var/lib/hyper2kvm/$name/queue  2770 root $GROUP -
d /var/lib/hyper2kvm/$name/output 2770 root $GROUP -
EOF
  tmpfiles+=("$ROOT/etc/tmpfiles.d/hyper2kvm-$name.conf")
done
run systemd-tmpfiles ${ROOT:+--root="$ROOT"} --create "${tmpfiles[@]}"

# 4. configs (YAML, read by hyper2kvm --config) and the shipped examples
for f in "${EXAMPLES[@]}" README.md; do
  if [ -f "$SRC/$f" ]; then install_file "$SRC/$f" "$ROOT$DOC/$f" 0644; fi
done
run install -d -m 0755 -- "$ETC"
install_config "$SRC/hyper2kvm.conf.example" "$ETC/hyper2kvm.conf"
for name in "${INSTANCES[@]+"${INSTANCES[@]}"}"; do
  case $name in
    vsphere*) install_config "$SRC/hyper2kvm-vsphere.conf.example" "$ETC/hyper2kvm-$name.conf" ;;
    aws*) install_config "$SRC/hyper2kvm-aws.conf.example" "$ETC/hyper2kvm-$name.conf" ;;
    *)
      write_config "$ETC/hyper2kvm-$name.conf" <<EOF
# /etc/hyper2kvm/hyper2kvm-$name.conf: settings of hyper2kvm@$name.service (YAML, read by
# hyper2kvm --config after /etc/hyper2kvm/hyper2kvm.conf and deep-merged over it). Keys are
# hyper2kvm's command-line options with '_' for '-'; see $DOC/hyper2kvm.conf.example.
# The queue and output directories come from the unit (/var/lib/hyper2kvm/$name/queue|output).
cmd: daemon
EOF
      ;;
  esac
done

# 5. units, enabled as part of hyper2kvm.target
for u in "${UNITS[@]}"; do install_file "$SRC/$u" "$UNITDIR/$u" 0644; done
if systemd_running; then run systemctl daemon-reload; fi
enable=(hyper2kvm.target)
if [ ${#INSTANCES[@]} -eq 0 ]; then enable+=(hyper2kvm.service); fi
for name in "${INSTANCES[@]+"${INSTANCES[@]}"}"; do enable+=("$(instance_unit "$name")"); done
sysctl_files enable "${enable[@]}"
say "enabled    ${enable[*]}"

cat <<EOF

Next steps:
  usermod -aG $GROUP USER   # each user who submits jobs (then log in again)
  systemctl start hyper2kvm.target       # starts every enabled instance
  journalctl -u 'hyper2kvm*' -f          # follows the daemons
Exports handed to the daemon must live under /var/lib/hyper2kvm/exports (not /tmp, not /home).
EOF
