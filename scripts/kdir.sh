#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prints the kernel build directory to build against: the running kernel's
# when it has one, else the Debian headers pinned by scripts/deps.sh. This
# machine's running kernel is not Debian's, so the fallback matters.
. "$(dirname "$0")/lib.sh"

build=/lib/modules/$(uname -r)/build
if [ -d "$build" ]; then
	echo "$build"
	exit 0
fi
if [ -r "$XBB_KERNEL_ENV" ]; then
	# shellcheck source=/dev/null # written by make deps
	. "$XBB_KERNEL_ENV"
	if [ -d "/usr/src/linux-headers-$KABI-amd64" ]; then
		echo "/usr/src/linux-headers-$KABI-amd64"
		exit 0
	fi
fi
found=$(ls -d /usr/src/linux-headers-6.1.0-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$found" ] && echo "$found"
