#!/bin/sh
# Build the guest's initramfs: busybox (static), the kernel modules for
# virtio-net, 9p and overlayfs in dependency order (virtio_ring before
# virtio, and so on: busybox insmod does not resolve them), and init.
#   sh initramfs.sh KERNEL_VERSION OUT.img
set -eu
KV=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
mkdir -p "$D/bin" "$D/proc" "$D/sys" "$D/dev" "$D/lower" "$D/upper" \
	"$D/newroot" "$D/modules"
cp /bin/busybox "$D/bin/busybox"
file "$D/bin/busybox" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$D/bin/busybox" 2>&1 | grep -q 'not a dynamic' ||
	{ echo "initramfs: /bin/busybox is not static (install busybox-static)" >&2; exit 1; }

ORDER=""
add() { # add MODULE after everything it depends on
	case " $ORDER " in *" $1 "*) return ;; esac
	for dep in $(modinfo -k "$KV" -F depends "$1" | tr ',' ' '); do
		add "$dep"
	done
	ORDER="$ORDER $1"
}
for m in virtio_pci virtio_net 9pnet_virtio 9p overlay; do
	add "$m"
done
n=0
for m in $ORDER; do
	n=$((n + 1))
	f=$(modinfo -k "$KV" -n "$m")
	case "$f" in
	*.ko) cp "$f" "$D/modules/$(printf '%02d' $n)-$m.ko" ;;
	*.ko.xz) xz -dc "$f" > "$D/modules/$(printf '%02d' $n)-$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" > "$D/modules/$(printf '%02d' $n)-$m.ko" ;;
	*) echo "initramfs: no module file for $m" >&2; exit 1 ;;
	esac
done
echo "$ORDER" > "$D/modules/order"
cp "$HERE/guest-init.sh" "$D/init"
chmod 755 "$D/init"
(cd "$D" && find . | sort | cpio --quiet -o -H newc 2>/dev/null || find . | sort | /bin/busybox cpio -o -H newc) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
