# The vnet Node-API addon for node-gyp: the same sources, definitions and
# flags as CMakeLists.txt (cmake-js, the primary build).  Build it with
# `npm run build:addon:gyp` (scripts/build-gyp.js), which configures it in
# build/gyp/ so it never collides with cmake-js's build/:
# build/gyp/build/Release/vnet.node.
{
  'targets': [
    {
      'target_name': 'vnet',
      'sources': [
        'addon/src/args.cc',
        'addon/src/errors.cc',
        'addon/src/genl_echo.cc',
        'addon/src/genl_socket.cc',
        'addon/src/genl_vnet.cc',
        'addon/src/iface.cc',
        'addon/src/iface_config.cc',
        'addon/src/ioctl.cc',
        'addon/src/main.cc',
        'addon/src/netns.cc',
        'addon/src/rtnl_dump.cc',
        'addon/src/test_hooks.cc',
      ],
      'include_dirs': [
        'kernel/include/uapi',
        "<!(node -p \"require('node-addon-api').include_dir\")",
      ],
      'defines': [
        'NAPI_VERSION=8',
        'NODE_ADDON_API_CPP_EXCEPTIONS',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
      ],
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17', '-std=gnu++20'],
      'cflags_cc': ['-std=c++17', '-fexceptions', '-Wall', '-Wextra', '-fvisibility=hidden', '-fvisibility-inlines-hidden'],
      'conditions': [
        ['"<!(node -p \"process.env.VNET_WERROR || \'\'\")"=="1"', {
          'cflags_cc': ['-Werror'],
        }],
      ],
    },
  ],
}
