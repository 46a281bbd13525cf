# Cross-compiling the addon for linux-arm64 (glibc) with Debian's cross
# toolchain (apt-get install g++-aarch64-linux-gnu), for scripts/prebuild.js:
#   cmake-js compile --CDCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
# The target's libc and uapi headers come from /usr/aarch64-linux-gnu
# (libc6-dev-arm64-cross, linux-libc-dev-arm64-cross).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
