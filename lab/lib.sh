# lab/lib.sh: shared logic of lab/run and lab/shell (sourced, not executed).
#
# Layout of the cache (.lab-cache/ at the project root, gitignored):
#   <kver>/key        key of the current sys.img + initrd (inputs' hash)
#   <kver>/sysroot/   staging tree of sys.img (kept: depmod for vnet uses it)
#   <kver>/sys.img    ext4 image mounted as /usr in the guest
#   <kver>/initrd     small uncompressed cpio: busybox, /init, /etc, virtio modules
#   <kver>/kbuild/    copy of kernel/ where vnet.ko is built for <kver>
#   <kver>/mod/       vnet.ko + modules.* (depmod output), with a stamp
#   tmp/run.XXXXXX/   per-run files: initrd (base + control cpio), outputs,
#                     links pinning sys.img and tree.img
#   tree/<hash>.img   ext4 images of the project tree (4 newest kept)
#   runs/<pid>/       staging for tree images, only when unshare -m is unavailable

# Exit codes of lab/run besides COMMAND's own status (see README.md).
EX_DMESG=123     # kernel log had WARNING/BUG/Oops/... (COMMAND itself exited 0)
EX_TIMEOUT=124   # LAB_TIMEOUT expired, qemu killed
EX_LAB=125       # lab failure on the host: usage, setup, module build
EX_GUEST=122     # guest died without reporting a status, or modprobe vnet failed

# Kernel log lines that fail a run.
BAD_DMESG='WARNING|BUG|Oops|general protection fault|refcount_t|unregister_netdevice: waiting'

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$LAB_DIR")
CACHE=$ROOT/.lab-cache

# Programs (and their shared libraries) shipped to the guest, if present.
GUEST_TOOLS=(
    /usr/bin/busybox /usr/bin/dash /usr/bin/bash /usr/bin/node
    /usr/sbin/ip /usr/sbin/tc /usr/sbin/genl /usr/sbin/bridge /usr/bin/ss
    /usr/sbin/ethtool /usr/bin/tcpdump /usr/bin/ping
    /usr/bin/setpriv /usr/bin/unshare /usr/bin/nsenter /usr/bin/strace
    /usr/bin/kmod
    # not linked by node itself, but by native .node files in npm packages
    # (jest 30's resolver, unrs-resolver, needs librt)
    /lib/x86_64-linux-gnu/librt.so.1
)
# Kernel modules shipped (with everything they depend on): regexps on the
# paths in modules.dep.  All of net/ is cheap: the image is read lazily.
GUEST_MODULES_RE='^kernel/(net|lib|crypto)/|^kernel/drivers/net/([^/]*|ipvlan/[^/]*|bonding/[^/]*)\.ko'
# Needed before /usr is mounted; "builtin" ones are skipped.
EARLY_MODULES=(virtio_pci virtio_blk virtio_console)

die() { echo "lab: $*" >&2; exit "$EX_LAB"; }
note() { [[ -z ${LAB_VERBOSE:-} ]] || echo "lab: $*" >&2; }

usage() {
    cat >&2 <<EOF
usage: lab/run   [--kernel VERSION] [--smp N] [--add PATH]... [--no-module] -- COMMAND [ARG]...
       lab/shell [--kernel VERSION] [--smp N] [--add PATH]... [--no-module]
EOF
    exit "$EX_LAB"
}

# parse_args MODE ARGS...  sets KPREFIX SMP ADDS[] NO_MODULE CMD[]
parse_args() {
    local mode=$1; shift
    KPREFIX=6.1 SMP=2 NO_MODULE=0 ADDS=() CMD=()
    while (($#)); do
        case $1 in
            --kernel) (($# >= 2)) || usage; KPREFIX=$2; shift 2 ;;
            --kernel=*) KPREFIX=${1#*=}; shift ;;
            --smp) (($# >= 2)) || usage; SMP=$2; shift 2 ;;
            --smp=*) SMP=${1#*=}; shift ;;
            --add) (($# >= 2)) || usage; ADDS+=("$2"); shift 2 ;;
            --add=*) ADDS+=("${1#*=}"); shift ;;
            --no-module) NO_MODULE=1; shift ;;
            --) shift; CMD=("$@"); break ;;
            -h|--help) usage ;;
            *) echo "lab: unknown argument: $1" >&2; usage ;;
        esac
    done
    [[ $SMP =~ ^[1-9][0-9]*$ ]] || die "--smp wants a number"
    if [[ $mode == run ]]; then ((${#CMD[@]})) || usage; fi
    if [[ $mode == shell ]]; then ((${#CMD[@]} == 0)) || usage; fi
    local a
    for a in "${ADDS[@]}"; do [[ -e $a ]] || die "--add $a: no such file or directory"; done
}

# Installed kernels (image in /boot and modules in /lib/modules) whose version
# starts with $1 at a component boundary: "6.1" matches 6.1.0-56-cloud-amd64
# but not 6.12.95+deb12-cloud-amd64.  Prints the highest one.
find_kernel() {
    local want=$1 v
    for v in /boot/vmlinuz-*; do
        v=${v#/boot/vmlinuz-}
        [[ -d /lib/modules/$v/kernel ]] || continue
        if [[ $v == "$want" || $v == "$want"[.+-]* ]]; then echo "$v"; fi
    done | sort -V | tail -n1
}

# Bootstrap what is missing (qemu, busybox, kernels, headers...) via lab/setup.
ensure_setup() {
    local ok=1 c
    for c in qemu-system-x86_64 mke2fs cpio kmod make gcc timeout; do
        command -v "$c" >/dev/null || ok=0
    done
    [[ -x /usr/bin/busybox && -x /usr/sbin/ip ]] || ok=0
    [[ -n $(find_kernel "$KPREFIX") ]] || ok=0
    local k; k=$(find_kernel "$KPREFIX")
    [[ $NO_MODULE == 1 || -z $k || -f /lib/modules/$k/build/Makefile ]] || ok=0
    if ((!ok)); then
        echo "lab: something is missing, running lab/setup" >&2
        "$LAB_DIR/setup" || die "lab/setup failed"
    fi
    KVER=$(find_kernel "$KPREFIX")
    [[ -n $KVER ]] || die "no installed kernel matches '$KPREFIX' (see /boot, /lib/modules)"
    KDIR=/lib/modules/$KVER/build
    KCACHE=$CACHE/$KVER
    mkdir -p "$KCACHE"
}

# Guest path of a host path: the guest has merged /usr (/bin -> usr/bin...).
usrpath() {
    case $1 in
        /bin/*|/sbin/*|/lib/*|/lib64/*) echo "/usr$1" ;;
        *) echo "$1" ;;
    esac
}

# ELF shared-library dependencies of $1 (absolute paths), nothing if static.
elf_libs() {
    ldd "$1" 2>/dev/null | grep -o '/[^ ]*' || true
}
is_elf() { [[ -f $1 && $(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ') == '177ELF' ]]; }

# copy_file SRC DESTROOT: copy SRC (dereferenced) to DESTROOT/<guest path>.
copy_file() {
    local dst=$2$(usrpath "$1")
    [[ -e $dst ]] && return 0
    [[ -z ${INPUTS:-} ]] || echo "$1" >> "$INPUTS"
    mkdir -p "$(dirname "$dst")"
    cp -L --preserve=mode,timestamps "$1" "$dst"
}
copy_with_libs() {
    local lib
    copy_file "$1" "$2"
    for lib in $(elf_libs "$1"); do copy_file "$lib" "$2"; done
}

# ---------------------------------------------------------------- base cache

# Hash of every input of sys.img and the initrd: lab's own scripts, the
# kernel, and (stat only) every host file that the last build copied, as
# recorded in <kver>/inputs -- if a tool gains a new library, the tool
# itself changed, so the list stays complete without running ldd each time.
base_key() {
    {
        echo "format 2 $KVER"
        cat "$LAB_DIR/lib.sh" "$LAB_DIR/guest-init"
        stat -L -c '%n %s %Y' /boot/vmlinuz-"$KVER" /lib/modules/"$KVER"/modules.dep \
            "${GUEST_TOOLS[@]}" 2>&1   # (a tool installed later changes the key too)
        if [[ -f $KCACHE/inputs ]]; then
            xargs -d '\n' stat -L -c '%n %s %Y' < "$KCACHE/inputs" 2>&1
        else
            echo "no inputs yet"
        fi
    } | sha256sum | cut -c1-16
}

# Build sys.img and the initrd for $KVER unless the key is unchanged.
# Caller holds the per-kernel lock.
ensure_base() {
    local key; key=$(base_key)
    if [[ -f $KCACHE/sys.img && -f $KCACHE/initrd && $(cat "$KCACHE/key" 2>/dev/null) == "$key" ]]; then
        return 0
    fi
    echo "lab: building the guest base for $KVER (once per kernel and tool set)..." >&2
    local t0=$SECONDS
    local sr=$KCACHE/sysroot mods=/lib/modules/$KVER
    rm -rf "$sr" "$KCACHE/initrd.d"
    mkdir -p "$sr/usr/bin" "$sr/usr/sbin" "$sr/usr/lib/modules/$KVER"
    INPUTS=$KCACHE/inputs.tmp
    printf '%s\n' /etc/protocols /etc/services /etc/iproute2 /usr/lib/x86_64-linux-gnu/tc > "$INPUTS"

    # Tools and libraries, at their guest paths under /usr.
    local t a
    for t in "${GUEST_TOOLS[@]}"; do [[ -e $t ]] && copy_with_libs "$t" "$sr"; done
    [[ -d /usr/lib/x86_64-linux-gnu/tc ]] && cp -a /usr/lib/x86_64-linux-gnu/tc "$sr/usr/lib/x86_64-linux-gnu/"
    for a in modprobe insmod rmmod depmod modinfo lsmod; do ln -sf ../bin/kmod "$sr/usr/sbin/$a"; done
    ln -sf ../sbin/lsmod "$sr/usr/bin/lsmod"
    # /bin/sh is dash as on Debian (or bash): NOT busybox ash, which would
    # run its own applets (ip, modprobe, ping...) instead of the real tools.
    if [[ -e $sr/usr/bin/dash ]]; then ln -s dash "$sr/usr/bin/sh"; else ln -s bash "$sr/usr/bin/sh"; fi
    # busybox applets for everything not provided by a real tool above.
    local p
    for p in $(/usr/bin/busybox --list-full); do
        p=$(usrpath "/$p")
        [[ -e $sr$p || -L $sr$p ]] || { mkdir -p "$sr$(dirname "$p")"; ln -s /usr/bin/busybox "$sr$p"; }
    done

    # Kernel modules: the selected ones plus their dependencies (modules.dep
    # lists dependencies transitively), then depmod for the guest.
    local m
    awk -F'[: ]+' -v re="$GUEST_MODULES_RE" '$1 ~ re { for (i = 1; i <= NF; i++) if ($i != "") print $i }' \
        "$mods/modules.dep" | sort -u > "$KCACHE/modules.list"
    (cd "$mods" && cpio -pdm --quiet "$sr/usr/lib/modules/$KVER" < "$KCACHE/modules.list")
    for m in modules.order modules.builtin modules.builtin.modinfo; do
        [[ -e $mods/$m ]] && cp "$mods/$m" "$sr/usr/lib/modules/$KVER/"
    done
    # (depmod -b X reads X/lib/modules/<kver>: here that is the guest's /usr/lib)
    depmod -b "$sr/usr" "$KVER" || die "depmod failed"

    # The initrd: busybox, init, /etc, the virtio stack for 6.1.
    local ir=$KCACHE/initrd.d
    mkdir -p "$ir"/{lab/early,etc,dev,proc,sys,tmp,run,root,usr,var/tmp}
    cp /usr/bin/busybox "$ir/lab/busybox"
    cp "$LAB_DIR/guest-init" "$ir/init"; chmod 755 "$ir/init"
    for a in bin sbin lib lib64; do ln -s "usr/$a" "$ir/$a"; done
    ln -s ../run "$ir/var/run"
    : > "$ir/lab/early.list"
    local line f
    while read -r line; do
        [[ $line == insmod* ]] || continue
        f=$(awk '{print $2}' <<<"$line")
        m=$(basename "$f"); m=${m%.xz}
        case $f in *.xz) xz -dc "$f" > "$ir/lab/early/$m" ;; *) cp "$f" "$ir/lab/early/$m" ;; esac
        grep -qxF "$m" "$ir/lab/early.list" || echo "$m" >> "$ir/lab/early.list"
    done < <(for m in "${EARLY_MODULES[@]}"; do modprobe -S "$KVER" --show-depends "$m"; done)
    cat > "$ir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
tcpdump:x:100:101::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
    cat > "$ir/etc/group" <<'EOF'
root:x:0:
tcpdump:x:101:
nogroup:x:65534:
EOF
    printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n' > "$ir/etc/nsswitch.conf"
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n127.0.1.1\tlab\n' > "$ir/etc/hosts"
    echo lab > "$ir/etc/hostname"
    cp /etc/protocols /etc/services "$ir/etc/"
    [[ -d /etc/iproute2 ]] && cp -a /etc/iproute2 "$ir/etc/"
    (cd "$ir" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$KCACHE/initrd.tmp"

    # sys.img: no journal (throw-away writes), sized to fit plus headroom.
    local mb; mb=$(du -sm "$sr" | cut -f1)
    rm -f "$KCACHE/sys.img.tmp"
    mke2fs -q -F >/dev/null -t ext4 -O ^has_journal -E nodiscard -m 0 -L labsys -d "$sr/usr" \
        "$KCACHE/sys.img.tmp" "$((mb * 5 / 4 + 256))M" || die "mke2fs sys.img failed"
    # Rename, never rewrite in place: running guests keep the old inode.
    mv -f "$KCACHE/sys.img.tmp" "$KCACHE/sys.img"
    mv -f "$KCACHE/initrd.tmp" "$KCACHE/initrd"
    rm -rf "$ir"
    mv -f "$INPUTS" "$KCACHE/inputs"; INPUTS=
    base_key > "$KCACHE/key"   # now over the recorded inputs
    rm -f "$KCACHE"/mod*/stamp   # depmod output for vnet depends on the module set
    echo "lab: guest base ready in $((SECONDS - t0)) s" >&2
}

# ---------------------------------------------------------------- vnet.ko

# kernel/ sources: everything except kbuild outputs.
MOD_SRC=${LAB_MODULE_SRC:-$ROOT/kernel}   # LAB_MODULE_SRC: for testing the lab itself
module_sources() {
    (cd "$MOD_SRC" && find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
        -o -name '.*.cmd' -o -name '*.a' -o -name modules.order -o -name Module.symvers \
        -o -name '.tmp_versions' -o -name '.cache.mk' -o -name '*.d' \) -prune -o -type f -print | LC_ALL=C sort)
}

# Build vnet.ko for $KVER if kernel/ changed since the last build for it.
# Sets MODDIR (vnet.ko + modules.*).  Caller holds the per-kernel lock.
ensure_module() {
    # A different source dir (LAB_MODULE_SRC) gets its own build copy.
    local sfx=
    [[ $MOD_SRC == "$ROOT/kernel" ]] || sfx=-$(echo "$MOD_SRC" | sha256sum | cut -c1-8)
    MODDIR=$KCACHE/mod$sfx
    [[ -f $MOD_SRC/Makefile ]] || die "$MOD_SRC/Makefile does not exist yet (use --no-module)"
    [[ -f $KDIR/Makefile ]] || die "no kernel headers at $KDIR (run lab/setup)"
    local files hash
    files=$(module_sources)
    hash=$( { echo "$KVER $(cat "$KCACHE/key")"; cd "$MOD_SRC" && xargs -d '\n' sha256sum <<<"$files"; } | sha256sum | cut -c1-16)
    [[ -f $MODDIR/stamp && $(cat "$MODDIR/stamp") == "$hash" ]] && return 0

    # Sync the sources into the build copy, touching only changed files so
    # that kbuild's incremental build keeps working.
    local kb=$KCACHE/kbuild$sfx f
    mkdir -p "$kb"
    while IFS= read -r f; do
        if ! cmp -s "$MOD_SRC/$f" "$kb/$f"; then mkdir -p "$(dirname "$kb/$f")"; cp "$MOD_SRC/$f" "$kb/$f"; fi
    done <<<"$files"
    # Remove sources that disappeared (kbuild outputs are kept).
    (cd "$kb" && find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
        -o -name '.*.cmd' -o -name '*.a' -o -name modules.order -o -name Module.symvers \
        -o -name '.tmp_versions' -o -name '.cache.mk' -o -name '*.d' \) -prune -o -type f -print) |
        LC_ALL=C sort | comm -23 - <(echo "$files") | (cd "$kb" && xargs -r -d '\n' rm -f)

    echo "lab: building vnet.ko for $KVER..." >&2
    local log=$KCACHE/build$sfx.log
    if ! make -C "$kb" KDIR="$KDIR" > "$log" 2>&1; then
        cat "$log" >&2
        die "module build failed for $KVER (log: $log)"
    fi
    [[ -f $kb/vnet.ko ]] || { cat "$log" >&2; die "make succeeded but $kb/vnet.ko is missing"; }

    # depmod over the guest module set plus vnet.ko, in a hard-linked copy.
    local tmp=$KCACHE/depmod.tmp
    rm -rf "$tmp" "$MODDIR"; mkdir -p "$tmp/lib/modules" "$MODDIR"
    cp -al "$KCACHE/sysroot/usr/lib/modules/$KVER" "$tmp/lib/modules/"
    mkdir -p "$tmp/lib/modules/$KVER/extra"
    cp "$kb/vnet.ko" "$tmp/lib/modules/$KVER/extra/vnet.ko"
    depmod -b "$tmp" "$KVER" || die "depmod failed"
    cp "$kb/vnet.ko" "$MODDIR/"
    cp "$tmp/lib/modules/$KVER"/modules.* "$MODDIR/"
    rm -rf "$tmp"
    echo "$hash" > "$MODDIR/stamp"
}

# ---------------------------------------------------------------- per run

# Quote for the guest's POSIX sh.
shquote() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }

# stage_control MODE DIR: the per-run control files: env, cmd, module/
# (vnet.ko + modules.*), add/ (--add paths, at their guest paths).
stage_control() {
    local mode=$1 st=$2
    mkdir -p "$st"
    local rows=24 cols=80
    if [[ $mode == shell && -t 0 ]]; then read -r rows cols < <(stty size 2>/dev/null || echo 24 80); fi
    {
        echo "LAB_MODE=$mode"
        echo "LAB_ROOT=$(shquote "$ROOT")"
        echo "LAB_KERNEL=$KVER"
        echo "LAB_MODULE=$((!NO_MODULE))"
        echo "LAB_ROWS=$rows LAB_COLS=$cols LAB_TERM=$(shquote "${TERM:-dumb}")"
    } > "$st/env"
    {
        echo "cd $(shquote "$ROOT") || exit 125"
        printf 'exec'; local a; for a in "${CMD[@]}"; do printf ' %s' "$(shquote "$a")"; done; echo
    } > "$st/cmd"
    if ((!NO_MODULE)); then mkdir -p "$st/module"; cp "$MODDIR"/vnet.ko "$MODDIR"/modules.* "$st/module/"; fi

    # --add: files/directories at the same path; ELF executables bring libs.
    local p f lib
    for p in "${ADDS[@]}"; do
        p=$(realpath -s "$p")
        mkdir -p "$st/add$(dirname "$(usrpath "$p")")"
        cp -a --dereference "$p" "$st/add$(usrpath "$p")"
        while IFS= read -r f; do
            if [[ -x $f ]] && is_elf "$f"; then
                for lib in $(elf_libs "$f"); do copy_file "$lib" "$st/add"; done
            fi
        done < <(find -L "$p" -type f)
    done
}

# ensure_tree_image: ext4 image of the project tree without .git and
# .lab-cache, cached under tree/ by a hash of every file's path, size,
# mtime, mode and owner (one find, ~50 ms), so a test loop that does not
# touch the tree never packs it again.  The guest opens it with snapshot=on.
# Fast path: mke2fs -d straight from the project root in a private mount
# namespace with empty dirs bound over .git and .lab-cache; fallback: a
# hard-linked staging copy.  Pins the image as $RUNDIR/tree.img.
ensure_tree_image() {
    local tc=$CACHE/tree list key kb files
    mkdir -p "$tc"
    list=$RUNDIR/tree.list
    find "$ROOT" \( -path "$ROOT/.git" -o -path "$ROOT/.lab-cache" \) -prune \
        -o -printf '%P\t%s\t%T@\t%m\t%U:%G\t%k\t%l\n' > "$list"
    key=$(sha256sum < "$list" | cut -c1-16)
    exec 8> "$tc/lock"; flock 8
    if [[ ! -f $tc/$key.img ]]; then
        note "packing the project tree"
        read -r kb files < <(awk -F'\t' '{ k += $6; n++ } END { print k + 0, n + 0 }' "$list")
        # Sparse, so generous headroom (tests write into the tree) is free.
        local size=$((kb / 1024 * 2 + 1024)) inodes=$((files * 2 + 16384)) img=$tc/tmp.$$.img
        mkdir -p "$RUNDIR/empty"
        : > "$img"
        # The image and the empty dir are under .lab-cache too: open the
        # image and bind .git before hiding .lab-cache.
        # shellcheck disable=SC2016
        if ! unshare -m bash -c '
                set -e; root=$1 empty=$2 img=$3 size=$4 inodes=$5
                exec 3<> "$img"
                [[ ! -e $root/.git ]] || mount --bind "$empty" "$root/.git"
                mount --bind "$empty" "$root/.lab-cache"
                mke2fs -q -F -t ext4 -O ^has_journal -E nodiscard -m 0 -N "$inodes" -d "$root" \
                    /proc/self/fd/3 "${size}M" > /dev/null
            ' _ "$ROOT" "$RUNDIR/empty" "$img" "$size" "$inodes" 2> "$RUNDIR/unshare.err"; then
            note "mount namespace unavailable ($(head -n1 "$RUNDIR/unshare.err")): staging with hard links"
            local st=$CACHE/runs/$$ e
            rm -rf "$st"; mkdir -p "$st"
            shopt -s nullglob dotglob
            for e in "$ROOT"/*; do
                case ${e##*/} in .git|.lab-cache) continue ;; esac
                cp -al "$e" "$st/"
            done
            shopt -u nullglob dotglob
            mke2fs -q -F -t ext4 -O ^has_journal -E nodiscard -m 0 -N "$inodes" -d "$st" "$img" "${size}M" > /dev/null \
                || die "mke2fs of the project tree failed"
            rm -rf "$st"
        fi
        mv -f "$img" "$tc/$key.img"
        # Keep the 4 newest images (running guests hold links to theirs).
        ls -t "$tc"/*.img | tail -n +5 | xargs -r rm -f
    fi
    touch "$tc/$key.img"
    ln -f "$tc/$key.img" "$RUNDIR/tree.img"
    flock -u 8; exec 8>&-
}

# make_initrd: the cached base initrd plus a second cpio with the control
# files at /lab/run (the kernel unpacks concatenated archives).
make_initrd() {
    mkdir -p "$RUNDIR/ci/lab"
    mv "$RUNDIR/ctl" "$RUNDIR/ci/lab/run"
    { cat "$KCACHE/initrd"
      (cd "$RUNDIR/ci" && find . -mindepth 1 | cpio -o -H newc --quiet -R 0:0)
    } > "$RUNDIR/initrd"
}

# qemu_args MODE OUTDIR: the qemu command line, into QEMU[].
qemu_args() {
    local mode=$1 d=$2
    # -cpu: TCG in qemu 7.2 corrupts 6.12's SLUB (per-cpu cmpxchg16b under
    # thread=multi) and LA57 paging: both off.
    # thread=single: the guest still has SMP vCPUs, run in turn on one host
    # thread.  With thread=multi, qemu 7.2 let a vCPU run a stale block
    # holding text_poke's temporary int3 after the kernel's sync IPI: an
    # "Oops: int3" at a static-key site (seen in netif_rx_internal on 6.12
    # under flood, 1 run in 3).  LAB_TCG_THREAD=multi brings it back.
    # The virtio devices are functions of one PCI slot: one ACPI interrupt
    # link to set up instead of three (~0.4 s of TCG time on every boot).
    QEMU=(qemu-system-x86_64 -accel "tcg,thread=${LAB_TCG_THREAD:-single}" -cpu "${LAB_CPU:-max,la57=off,cx16=off}" -smp "$SMP" -m "${LAB_MEM:-2G}"
        -nodefaults -no-user-config -display none -no-reboot
        -kernel "/boot/vmlinuz-$KVER" -initrd "$d/initrd"
        -append "console=ttyS0 loglevel=5 panic=-1 rdinit=/init ${LAB_APPEND:-}"
        -drive "if=none,id=sys,file=$d/sys.img,format=raw,snapshot=on,cache=unsafe"
        -device virtio-blk-pci,drive=sys,serial=labsys,addr=4.0,multifunction=on
        -drive "if=none,id=tree,file=$d/tree.img,format=raw,snapshot=on,cache=unsafe"
        -device virtio-blk-pci,drive=tree,serial=labtree,addr=4.1
        -device virtio-serial-pci,addr=4.2)
    local n
    for n in stdout stderr dmesg status; do
        QEMU+=(-chardev "file,id=$n,path=$d/$n" -device "virtserialport,chardev=$n,name=lab.$n")
    done
    if [[ $mode == shell ]]; then
        QEMU+=(-serial mon:stdio)
    else
        QEMU+=(-serial "file:$d/console" -monitor none)
    fi
}

# lab_prepare MODE ARGS...: everything up to a ready qemu command line.
# Sets KVER, RUNDIR, QEMU[].
lab_prepare() {
    local mode=$1; shift
    parse_args "$mode" "$@"
    ensure_setup
    # Per-run files live in the cache (same file system: hard links work).
    mkdir -p "$CACHE/tmp"
    find "$CACHE/tmp" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
    RUNDIR=$(mktemp -d "$CACHE/tmp/run.XXXXXX")
    [[ -n ${LAB_KEEP:-} ]] && echo "lab: keeping $RUNDIR" >&2 || trap 'rm -rf "$RUNDIR" "$CACHE/runs/$$"' EXIT
    # One builder per kernel at a time; runs themselves are concurrent.
    exec 9> "$KCACHE/lock"
    flock 9
    ensure_base
    ((NO_MODULE)) || ensure_module
    stage_control "$mode" "$RUNDIR/ctl"
    # Pin this base: a concurrent rebuild renames new files into place.
    make_initrd
    ln "$KCACHE/sys.img" "$RUNDIR/sys.img"
    flock -u 9; exec 9>&-
    ensure_tree_image
    qemu_args "$mode" "$RUNDIR"
}
