#!/bin/sh
# pfnaudit-capture.sh [DIR] [--tar]: a capture of this machine for `pfnaudit import`, without Node.
# Writes the files `pfnaudit capture` writes (docs/capture-format.md) and says on stderr what it
# could not read and why. POSIX sh, coreutils and tar only. Run as root: /proc/iomem shows real
# addresses only to root, and dmesg may need it (kernel.dmesg_restrict).
#
#   sudo sh pfnaudit-capture.sh              # ./pfnaudit-capture-<hostname>/
#   sudo sh pfnaudit-capture.sh box --tar    # ./box.tar.gz
#   pfnaudit import box.tar.gz -o box.yaml   # anywhere with pfnaudit
set -u

dir=""
tar=no
for arg in "$@"; do
	case "$arg" in
		--tar) tar=yes ;;
		-h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		-*) echo "pfnaudit-capture.sh: unknown option $arg (usage: pfnaudit-capture.sh [DIR] [--tar])" >&2; exit 2 ;;
		*) if [ -n "$dir" ]; then echo "pfnaudit-capture.sh: one DIR only" >&2; exit 2; fi; dir=$arg ;;
	esac
done
if [ -z "$dir" ]; then
	dir="pfnaudit-capture-$(hostname 2>/dev/null | tr 'A-Z' 'a-z' | tr -c 'a-z0-9._\n-' '-')"
fi
if [ ! -r /proc/iomem ] && [ ! -d /sys/devices/system/memory ]; then
	echo "pfnaudit-capture.sh: no /proc/iomem and no /sys/devices/system/memory: run it on Linux" >&2
	exit 2
fi
if [ "$tar" = yes ] && [ -e "$dir.tar.gz" ]; then
	echo "pfnaudit-capture.sh: $dir.tar.gz exists; give another name" >&2
	exit 2
fi
if [ -d "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
	echo "pfnaudit-capture.sh: $dir exists and is not empty; give a new or empty directory" >&2
	exit 2
fi
mkdir -p "$dir" || exit 2

root=no
[ "$(id -u)" = 0 ] && root=yes
missed() { echo "pfnaudit-capture.sh: not captured: $1: $2" >&2; }
why() { if [ -e "$1" ]; then [ $root = yes ] && echo "permission denied" || echo "needs root"; else echo "not present on this kernel"; fi; }

# copy PATH: /PATH -> DIR/PATH
copy() {
	mkdir -p "$dir/$(dirname "$1")"
	if ! cat "/$1" > "$dir/$1" 2>/dev/null; then
		rm -f "$dir/$1"
		missed "$1" "$(why "/$1")"
		return 1
	fi
	return 0
}

for f in proc/iomem proc/zoneinfo proc/cmdline proc/sys/kernel/osrelease; do
	copy "$f"
done
if [ -f "$dir/proc/iomem" ] && ! grep -q '^ *0*[1-9a-f][0-9a-f]*-' "$dir/proc/iomem"; then
	missed proc/iomem "every address is 0: /proc/iomem shows addresses only to root (written anyway; import refuses it)"
fi

mem=sys/devices/system/memory
copy $mem/block_size_bytes
copy $mem/auto_online_blocks
blocks=0
for b in /$mem/memory[0-9]*; do
	[ -d "$b" ] || continue
	name=${b##*/}
	mkdir -p "$dir/$mem/$name"
	for a in phys_index state valid_zones removable phys_device; do
		[ -e "$b/$a" ] && cat "$b/$a" > "$dir/$mem/$name/$a" 2>/dev/null
	done
	blocks=$((blocks + 1))
done
[ $blocks = 0 ] && missed "$mem/memoryN" "no memory blocks (no CONFIG_MEMORY_HOTPLUG?)"
for n in /sys/devices/system/node/node[0-9]*; do
	[ -d "$n" ] || continue
	for m in "$n"/memory[0-9]*; do
		[ -e "$m" ] || continue
		mkdir -p "$dir/sys/devices/system/node/${n##*/}"
		: > "$dir/sys/devices/system/node/${n##*/}/${m##*/}"
	done
done

# libnvdimm's sysfs: each namespace's mode, and the pfn/dax device claiming it (where its memmap
# lies, its usable size and alignment), for machines without ndctl (read by import like ndctl list).
for d in /sys/bus/nd/devices/namespace* /sys/bus/nd/devices/pfn* /sys/bus/nd/devices/dax*; do
	[ -d "$d" ] || continue
	n=sys/bus/nd/devices/${d##*/}
	for a in mode resource size align namespace numa_node; do
		[ -r "$d/$a" ] || continue
		mkdir -p "$dir/$n"
		cat "$d/$a" > "$dir/$n/$a" 2>/dev/null || rm -f "$dir/$n/$a"
	done
done

# debugfs memblock/memory and memblock/reserved (CONFIG_DEBUG_FS with CONFIG_ARCH_KEEP_MEMBLOCK:
# arm64 keeps memblock after boot, x86 does not): memblock.memory with its NOMAP flags from 6.12.
dbg=sys/kernel/debug
if [ -d "/$dbg/memblock" ]; then
	copy $dbg/memblock/memory
	copy $dbg/memblock/reserved
elif [ ! -r "/$dbg" ] || [ ! -x "/$dbg" ]; then
	missed $dbg/memblock "$(why "/$dbg")"
elif [ -z "$(ls -A "/$dbg" 2>/dev/null)" ]; then
	missed $dbg/memblock "debugfs is not mounted (mount -t debugfs none /$dbg)"
else
	missed $dbg/memblock "not present on this kernel (needs CONFIG_DEBUG_FS and CONFIG_ARCH_KEEP_MEMBLOCK, which arm64 selects and x86 does not)"
fi

# The boot log: the ring buffer, or the journal when it has wrapped.
if dmesg > "$dir/dmesg.txt" 2>/dev/null && grep -q 'Linux version' "$dir/dmesg.txt"; then
	:
elif command -v journalctl >/dev/null 2>&1 && journalctl -k -b --no-pager -o short-monotonic > "$dir/dmesg.tmp" 2>/dev/null && grep -q 'Linux version' "$dir/dmesg.tmp"; then
	mv "$dir/dmesg.tmp" "$dir/dmesg.txt"
elif [ -s "$dir/dmesg.txt" ]; then
	missed dmesg.txt "the ring buffer no longer holds the boot lines and the journal has none: e820/node ranges are missing"
else
	rm -f "$dir/dmesg.txt"
	if command -v dmesg >/dev/null 2>&1; then missed dmesg.txt "$( [ $root = yes ] && echo 'dmesg failed' || echo 'needs root (kernel.dmesg_restrict)')"; else missed dmesg.txt "dmesg is not installed (util-linux)"; fi
fi
rm -f "$dir/dmesg.tmp"

# tool FILE PACKAGE COMMAND ARGS...
tool() {
	file=$1 package=$2 command=$3
	shift 3
	if ! command -v "$command" >/dev/null 2>&1; then
		missed "$file" "$command is not installed (apt-get install $package)"
		return
	fi
	if "$command" "$@" > "$dir/$file" 2>"$dir/$file.err"; then
		[ -s "$dir/$file" ] || { rm -f "$dir/$file"; missed "$file" "$command listed nothing (no such devices)"; }
	else
		missed "$file" "$command $* failed: $(head -n 1 "$dir/$file.err")"
		rm -f "$dir/$file"
	fi
	rm -f "$dir/$file.err"
}
tool ndctl-list.json ndctl ndctl list -RNDi
tool daxctl-list.json daxctl daxctl list -RDiM
tool cxl-list.json "cxl, or ndctl from source: not every distribution packages the cxl CLI" cxl list -v
tool lsmem.txt util-linux lsmem -a -o RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES

out=$dir
if [ "$tar" = yes ]; then
	parent=$(dirname "$dir") base=$(basename "$dir")
	if tar czf "$dir.tar.gz" -C "$parent" "$base"; then
		rm -rf "$dir"
		out=$dir.tar.gz
	else
		echo "pfnaudit-capture.sh: tar failed; the capture is in $dir" >&2
	fi
fi
echo "pfnaudit-capture.sh: wrote $out ($blocks memory blocks)$( [ $root = yes ] || echo ', not as root')" >&2
echo "pfnaudit-capture.sh: next: pfnaudit import $out -o topology.yaml" >&2
