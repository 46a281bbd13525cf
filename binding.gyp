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
        'addon/src/async_work.cc',
        'addon/src/errno_name.cc',
        'addon/src/errors.cc',
        'addon/src/echo_conn.cc',
        'addon/src/genl_echo.cc',
        'addon/src/genl_family.cc',
        'addon/src/genl_socket.cc',
        'addon/src/genl_vnet.cc',
        'addon/src/genl_watch.cc',
        'addon/src/iface.cc',
        'addon/src/iface_config.cc',
        'addon/src/ioctl.cc',
        'addon/src/link_stats.cc',
        'addon/src/main.cc',
        'addon/src/netns.cc',
        'addon/src/nl_io.cc',
        'addon/src/nl_message.cc',
        'addon/src/nl_reply.cc',
        'addon/src/rtnl_dump.cc',
        'addon/src/socket_pool.cc',
        'addon/src/test_hooks.cc',
        'addon/src/test_script_io.cc',
        'addon/src/vnet_js.cc',
        'addon/src/vnet_nl.cc',
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
      # node-gyp's defaults that CMakeLists.txt does not have: warnings
      # about unused parameters stay on, as with cmake-js.
      'cflags!': ['-fno-exceptions', '-Wno-unused-parameter'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17', '-std=gnu++20'],
      'cflags_cc': ['-std=c++17', '-fexceptions', '-Wall', '-Wextra', '-fvisibility=hidden', '-fvisibility-inlines-hidden'],
      # cmake's Release: -O3 -DNDEBUG (node-gyp's adds frame pointers).
      'configurations': {
        'Release': {
          'defines': ['NDEBUG'],
          'cflags!': ['-fno-omit-frame-pointer'],
        },
      },
      'conditions': [
        ['"<!(node -p \"process.env.VNET_WERROR || \'\'\")"=="1"', {
          'cflags_cc': ['-Werror'],
        }],
      ],
    },
  ],
}
