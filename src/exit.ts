/**
 * Exit codes, the same for every command and documented in every man
 * page.  Never renumber them: scripts depend on them.
 */
export const EXIT_OK = 0;
/** The kernel refused or the operation failed (EINVAL, EBUSY, ELOOP, echo loss...). */
export const EXIT_FAILURE = 1;
/** Bad syntax or value: nothing was sent to the kernel. */
export const EXIT_USAGE = 2;
/** No such device, not a vnet device, no such slave, module not loaded. */
export const EXIT_NOT_FOUND = 3;
/** The kernel said EPERM or EACCES. */
export const EXIT_PERMISSION = 4;

export type ExitCode = 0 | 1 | 2 | 3 | 4;
