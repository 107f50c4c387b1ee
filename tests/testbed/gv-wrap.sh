#!/bin/sh
# runsc (gVisor) with /proc/sys/net out of its sight, in the private mount
# namespace `ip netns exec` gives: Debian 12's runsc (20221219) takes the
# presence of /proc/sys/net/core/rmem_default to mean "the root network
# namespace", and kernels as new as this host's show that file in every
# namespace, so runsc would refuse to use the namespace it is given.
# kernel/, vm/ and fs/ stay visible.  Called by lib.sh gv_boot.
#   sh gv-wrap.sh SCRATCH RUNSC-ARGS...
set -e
R=$1/procsys-real
shift
mkdir -p "$R"
mount --bind /proc/sys "$R"
mount -t tmpfs vmnr-procsys /proc/sys
for d in kernel vm fs; do
	mkdir "/proc/sys/$d"
	mount --bind "$R/$d" "/proc/sys/$d"
done
umount -l "$R"
exec runsc "$@"
