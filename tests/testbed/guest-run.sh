#!/bin/sh
# PID 1 of the testbed guest, on the host's root under a tmpfs overlay
# (see guest-init.sh): sets the address from the kernel command line,
# starts the servers (servers.sh, the same as in the namespace guest) and
# says VMNR-READY on the console; the host stops the VM when it is done.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
[ -e /proc/self ] || mount -t proc proc /proc
[ -d /sys/class ] || mount -t sysfs sys /sys
hostname guest 2>/dev/null
# (under gVisor the network is its sandbox's copy of the namespace's:
# vmnr_netdone, nothing to set)
if [ -z "${vmnr_netdone:-}" ]; then
	ip link set lo up
	ip link set eth0 up
	ip addr add "$vmnr_ip" dev eth0
fi
# behind QEMU's user-mode NAT, peers keep their own addresses: reach the
# LAN through its gateway (a route to the LAN only, no default route)
[ -n "${vmnr_via:-}" ] && ip route add 10.90.0.0/24 via "$vmnr_via"
# a user-space NAT (slirpvde) learns the guest only from a packet of its
# own: until then it drops the first forwarded connection
[ -n "${vmnr_via:-}" ] && busybox ping -c 1 -W 2 "$vmnr_via" > /dev/null 2>&1
echo "guest-run: eth0 ${vmnr_ip:-as its namespace has it}, $(grep MemTotal /proc/meminfo)"
if sh "$vmnr_servers" start "$vmnr_state"; then
	echo "VMNR-READY"
else
	echo "VMNR-FAILED"
	for f in "$vmnr_state"/log/*; do echo "== $f"; tail -5 "$f"; done
fi
while :; do sleep 3600; done
