// version_command.cc: `sluice version`.
#include <cstdio>
#include <cstring>

#include "commands.h"
#include "sluice.h"

// The header this tool was compiled against, as "MAJOR.MINOR.PATCH".
#define SLUICE_CLI_STR2(x) #x
#define SLUICE_CLI_STR(x) SLUICE_CLI_STR2(x)
#define SLUICE_CLI_VERSION_STRING                                          \
  SLUICE_CLI_STR(SLUICE_VERSION_MAJOR) "." SLUICE_CLI_STR(SLUICE_VERSION_MINOR) "." \
      SLUICE_CLI_STR(SLUICE_VERSION_PATCH)

int sluice_cli_version(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::printf("usage: sluice version\n\nPrints the version of libsluice in use and the "
                  "version this tool was built against.\n");
      return 0;
    }
    std::fprintf(stderr, "sluice version: unexpected argument '%s'\n", argv[i]);
    return 2;
  }
  std::printf("sluice %s (built against sluice.h %s, C ABI %d)\n", sluice_version_string(),
              SLUICE_CLI_VERSION_STRING, SLUICE_VERSION_MAJOR);
  if (sluice_version_number() / 10000 != SLUICE_VERSION_MAJOR) {
    std::fprintf(stderr, "sluice: warning: the library's major version differs from the one "
                         "this tool was built against\n");
    return 1;
  }
  return 0;
}
