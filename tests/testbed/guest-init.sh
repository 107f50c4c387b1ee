#!/bin/busybox sh
# /init of the testbed guest's initramfs.  Loads the modules, mounts the
# host's root read-only over 9p (mount tag "hostroot") under a tmpfs
# overlay, and switches to it to run vmnr_script (kernel command line),
# which starts the servers.  Anything that fails powers the guest off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "guest-init: loading $(cat /modules/order)"
for m in /modules/*.ko; do
	insmod "$m" || { echo "guest-init: insmod $m failed"; poweroff -f; }
done
for a in $(cat /proc/cmdline); do
	case "$a" in vmnr_*=*) export "$a" ;; esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /lower ||
	{ echo "guest-init: 9p mount failed"; poweroff -f; }
mount -t tmpfs -o size=70% tmpfs /upper
mkdir -p /upper/rw /upper/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/rw,workdir=/upper/work /newroot ||
	{ echo "guest-init: overlay mount failed"; poweroff -f; }
for d in proc sys dev; do
	mount --move /$d /newroot/$d
done
echo "guest-init: switching to the host's root (read-only, tmpfs overlay)"
exec switch_root /newroot /bin/sh "$vmnr_script"
