#!/bin/sh
# The testbed plans' setups and teardowns (netns.plan, qemu.plan), run by
# `vmnetrank measure` inside the topology testbed.sh made.  A non-zero
# exit marks the configuration's trials of that round setup-failed.
#   sh ctl.sh payloads F1K_FILES BIG_MB   the files the smbclient trials put
#   sh ctl.sh link TAP|NAT URL            the namespace guest's link, probed
#   sh ctl.sh boot TECH TAP|NAT MEM_MB URL
#                 bring up one guest (netns, QEMU, UML or gVisor: every other one
#                 taken down first), probed
#   sh ctl.sh stop                        take every guest down
set -u
: "${TB:?}" "${TB_WORK:?}"
. "$TB/lib.sh"

# the guest answers from the host and from the LAN machine: a failed
# probe fails the setup, so the trials are marked, not timed
probe() { # URL
	for ns in vmhost ext; do
		in_ns $ns vmnetrank-collect http --ops 1 --timeout 10000 --no-progress \
			-o "$TB_WORK/probe-$ns.log" --force "$1" 2> /dev/null ||
			{ echo "testbed: $1 does not answer from $ns: $(grep '^1,' "$TB_WORK/probe-$ns.log" | cut -d, -f6)" >&2; return 1; }
	done
}

case "${1:-}" in
payloads) # made once; the size is checked so that a --set takes effect
	[ $# = 3 ] || fail "usage: ctl.sh payloads F1K_FILES BIG_MB"
	d=$TB_WORK/p1k b=$TB_WORK/pbig
	if [ "$(ls "$d" 2>/dev/null | wc -l)" != "$2" ]; then
		rm -rf "$d" && mkdir -p "$d" &&
			head -c $(($2 * 1024)) /dev/urandom | (cd "$d" && split -b 1024 -a 5 - f) ||
			fail "cannot make $d"
	fi
	if [ "$(stat -c %s "$b/big1" 2>/dev/null)" != $(($3 * 1048576)) ]; then
		rm -rf "$b" && mkdir -p "$b" || fail "cannot make $b"
		for i in 1 2; do head -c $(($3 * 1048576)) /dev/urandom > "$b/big$i"; done
	fi
	;;
link)
	[ $# = 3 ] || fail "usage: ctl.sh link TAP|NAT URL"
	guest_link "$2" && probe "$3"
	;;
boot)
	[ $# = 5 ] || fail "usage: ctl.sh boot netns|QEMU|UML TAP|NAT MEM_MB URL"
	case "$3" in TAP|NAT) ;; *) fail "boot: netmode '$3': expected TAP or NAT" ;; esac
	all_down
	case "$2" in
	netns) guest_link "$3" ;;
	QEMU) vm_boot "$3" "$4" ;;
	UML) uml_boot "$3" "$4" ;;
	gVisor) gv_boot "$3" ;;
	*) fail "boot: '$2': expected netns, QEMU, UML or gVisor" ;;
	esac
	probe "$5" || { all_down; exit 1; }
	;;
stop)
	all_down
	;;
*)
	fail "usage: ctl.sh payloads|link|boot|stop ..."
	;;
esac
