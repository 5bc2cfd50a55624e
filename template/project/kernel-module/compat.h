/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel interface differences this driver meets, each guarded by the release that changed it.
 *
 * RHEL kernels (the Driver Toolkit builds against the RHEL 9 kernel of each OpenShift release)
 * keep LINUX_VERSION_CODE at their base version, 5.14 for RHEL 9, and backport interface
 * changes in minor releases. A version test alone therefore picks the old interface on a RHEL
 * kernel that already has the new one, and the build fails. Each guard below also accepts the
 * RHEL minor release that took the change (RHEL_RELEASE_CODE, from <linux/version.h> of RHEL
 * kernels only). If a RHEL kernel disagrees, force the choice from the command line instead of
 * editing this file, e.g. make KCFLAGS=-DCOMPAT_CLASS_CREATE_NAME_ONLY=1.
 */
#ifndef DRIVER_COMPAT_H
#define DRIVER_COMPAT_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/version.h>

#ifdef RHEL_RELEASE_CODE
#define COMPAT_RHEL_CODE RHEL_RELEASE_CODE
#else
#define COMPAT_RHEL_CODE 0
#endif
/* Same encoding as RHEL_RELEASE_VERSION(), which only RHEL headers define. */
#define COMPAT_RHEL(major, minor) (((major) << 8) + (minor))

/*
 * Linux 6.4 dropped the module argument of class_create() (the class no longer records its
 * owner); RHEL 9.4 (kernel 5.14.0-427) carries that change.
 */
#ifndef COMPAT_CLASS_CREATE_NAME_ONLY
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0) || COMPAT_RHEL_CODE >= COMPAT_RHEL(9, 4)
#define COMPAT_CLASS_CREATE_NAME_ONLY 1
#else
#define COMPAT_CLASS_CREATE_NAME_ONLY 0
#endif
#endif

static inline struct class *compat_class_create(const char *name)
{
#if COMPAT_CLASS_CREATE_NAME_ONLY
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/*
 * Linux 6.2 made the device argument of struct class's dev_uevent() const; RHEL took that one
 * earlier, in 9.3 (kernel 5.14.0-362). Callbacks are declared with compat_uevent_device so one
 * definition fits both.
 */
#ifndef COMPAT_UEVENT_CONST_DEVICE
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) || COMPAT_RHEL_CODE >= COMPAT_RHEL(9, 3)
#define COMPAT_UEVENT_CONST_DEVICE 1
#else
#define COMPAT_UEVENT_CONST_DEVICE 0
#endif
#endif

#if COMPAT_UEVENT_CONST_DEVICE
#define compat_uevent_device const struct device
#else
#define compat_uevent_device struct device
#endif

#endif /* DRIVER_COMPAT_H */
