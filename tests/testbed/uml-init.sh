#!/bin/sh
# PID 1 of the User-mode Linux guest (tests/testbed/lib.sh uml_boot): its
# root is the host's / over hostfs, read-only; this overlays a second
# hostfs mount of it with a tmpfs (overlay.ko from Debian's
# user-mode-linux package), chroots into that and runs vmnr_script
# (guest-run.sh: the address, the servers, VMNR-READY), as guest-init.sh
# does for QEMU.  Anything that fails says UML-FAILED and halts.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
for a in $(cat /proc/cmdline); do
	case "$a" in vmnr_*=*) export "$a" ;; esac
done
R=$vmnr_root
die() { echo "UML-FAILED: $*"; halt -f; exit 1; }
insmod "/usr/lib/uml/modules/$(uname -r)/kernel/fs/overlayfs/overlay.ko" || die "insmod overlay"
mount -t hostfs -o / none "$R/lower" || die "hostfs"
mount -t tmpfs -o size=70% tmpfs "$R/upper" || die "tmpfs"
mkdir -p "$R/upper/rw" "$R/upper/work"
mount -t overlay overlay -o "lowerdir=$R/lower,upperdir=$R/upper/rw,workdir=$R/upper/work" "$R/new" ||
	die "overlay"
mount -t proc proc "$R/new/proc"
mount -t sysfs sys "$R/new/sys"
mount -t devtmpfs dev "$R/new/dev" 2>/dev/null || mount -t tmpfs dev "$R/new/dev"
mount -t tmpfs tmpfs "$R/new/run"
mount -t tmpfs tmpfs "$R/new/tmp"
echo "uml-init: overlay root ready at $(cut -d' ' -f1 /proc/uptime) s"
exec chroot "$R/new" /bin/sh "$vmnr_script"
