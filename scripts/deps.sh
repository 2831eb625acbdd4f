#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Installs the Debian packages a target needs, with the kernel headers, the
# kernel source (for KUnit and checkpatch) and the lab's dom0 kernel pinned
# to one and the same Debian 6.1 release. Idempotent: when all is in place it
# runs no apt at all. Must work on a bare Debian 12 (nothing installed but
# make): scripts/fresh.sh proves that in a throwaway chroot.
#
#   scripts/deps.sh [ROLE...]   roles: build lint kunit lab matrix deb fuzz
#                               bench
#                               (none given: all of them)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# What each role needs besides the pinned kernel packages.
declare -A ROLE_PKGS=(
	[build]="make gcc libc6-dev linux-libc-dev bc flex bison libelf-dev libssl-dev kmod
		 perl python3 xz-utils dwarves git"
	[lint]="sparse perl git"
	[kunit]="python3 gcc make bc flex bison git"
	[lab]="qemu-system-x86 debootstrap e2fsprogs zstd cpio busybox-static
	       gzip util-linux xz-utils psmisc gcc libc6-dev linux-libc-dev"
	[matrix]="debootstrap debian-archive-keyring git"
	[deb]="debhelper dh-dkms dpkg-dev fakeroot git"
	[fuzz]="clang libclang-rt-14-dev llvm"
	[bench]="python3 python3-matplotlib"
)
# Roles that need the pinned 6.1 headers / linux-source-6.1.
NEEDS_HEADERS=" build lint lab "
NEEDS_SOURCE=" lint kunit fuzz "

installed_version() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

# The pinned release: the one already installed, else apt's candidate.
# Either query may find nothing (a fresh machine has no headers and may
# have no package lists): that is an empty answer, not an error.
pick_kernel() {
	local pkg
	KABI='' KVER=''
	pkg=$( { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
		'linux-headers-6.1.0-*-amd64' 2>/dev/null || true; } |
		awk '$1 == "ii" { print $2 }' | sort -V | tail -n 1)
	if [ -z "$pkg" ]; then
		pkg=$( { apt-cache depends linux-headers-amd64 2>/dev/null || true; } |
			awk '/Depends: linux-headers-6\.1\.0-[0-9]+-amd64/ { print $2; exit }')
		[ -n "$pkg" ] || return 1
		KVER=$( { apt-cache policy "$pkg" 2>/dev/null || true; } |
			awk '/Candidate:/ { print $2 }')
		[ -n "$KVER" ] && [ "$KVER" != "(none)" ] || return 1
	else
		KVER=$(installed_version "$pkg")
	fi
	KABI=${pkg#linux-headers-}
	KABI=${KABI%-amd64}
}

missing() {
	local p want have
	for p in "$@"; do
		want=
		case $p in *=*) want=${p#*=}; p=${p%%=*} ;; esac
		have=$(installed_version "$p")
		if [ -z "$have" ] || { [ -n "$want" ] && [ "$have" != "$want" ]; }; then
			echo "$p${want:+=$want}"
		fi
	done
}

wanted() {
	local role pkgs=() headers='' source=''
	for role in "${ROLES[@]}"; do
		# shellcheck disable=SC2206
		pkgs+=(${ROLE_PKGS[$role]})
		case $NEEDS_HEADERS in *" $role "*) headers=1 ;; esac
		case $NEEDS_SOURCE in *" $role "*) source=1 ;; esac
	done
	[ -z "$headers" ] || pkgs+=("linux-headers-$KABI-amd64=$KVER")
	[ -z "$source" ] || pkgs+=("linux-source-6.1=$KVER")
	printf '%s\n' "${pkgs[@]}" | sort -u
}

needs_kernel() {
	local role
	for role in "${ROLES[@]}"; do
		case "$NEEDS_HEADERS$NEEDS_SOURCE" in *" $role "*) return 0 ;; esac
	done
	return 1
}

main() {
	local need role
	[ "$(id -u)" = 0 ] || xbb_die "run as root (apt-get install)"
	ROLES=("$@")
	[ ${#ROLES[@]} -gt 0 ] || ROLES=(build lint kunit lab matrix deb fuzz bench)
	for role in "${ROLES[@]}"; do
		[ -n "${ROLE_PKGS[$role]+x}" ] || xbb_die "unknown role '$role'"
	done
	KABI=6.1.0-0 KVER=0
	if needs_kernel && ! pick_kernel; then
		# No headers and no usable package lists: only then ask the mirror.
		xbb_apt update >&2
		pick_kernel || xbb_die "apt knows no linux-headers-amd64 for 6.1"
		UPDATED=1
	fi
	# shellcheck disable=SC2046
	need=$(missing $(wanted))
	if [ -n "$need" ]; then
		xbb_log "installing: $(echo $need)"
		if [ -z "${UPDATED:-}" ]; then
			xbb_apt update >&2
			# Fresh lists may know a newer release than stale ones did.
			if needs_kernel && [ -z "$(installed_version "linux-headers-$KABI-amd64")" ]; then
				pick_kernel || xbb_die "apt knows no linux-headers-amd64 for 6.1"
			fi
			# shellcheck disable=SC2046
			need=$(missing $(wanted))
		fi
		# shellcheck disable=SC2086
		xbb_apt install --no-install-recommends $need >&2
	fi
	needs_kernel || { xbb_log "deps ok: ${ROLES[*]}"; return 0; }
	mkdir -p "$XBB_CACHE"
	local env="KVER=$KVER
KABI=$KABI"
	if [ "$(cat "$XBB_KERNEL_ENV" 2>/dev/null)" != "$env" ]; then
		printf '%s\n' "$env" > "$XBB_KERNEL_ENV"
	fi
	xbb_log "deps ok (${ROLES[*]}): Debian kernel $KABI ($KVER)"
}

main "$@"; exit $?
