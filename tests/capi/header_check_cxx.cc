/* The same check compiled as C++ (-Wall -Wextra -pedantic -Werror). */
#include "sluice.h"
#include "sluice_mock.h"

extern "C" int sluice_header_check_cxx(void);
int sluice_header_check_cxx(void) {
  sluice_record_t r{};
  sluice_header_t h{};
  return (int)(sizeof r + sizeof h) + (int)SLUICE_VERSION_NUMBER;
}
