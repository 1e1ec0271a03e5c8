/* Compiled as C11 with -Wall -Wextra -pedantic -Werror: the public headers
 * must stay plain C. Also a host's view: takes the address of every function. */
#include "sluice.h"
#include "sluice_mock.h"

int sluice_header_check_c(void);
int sluice_header_check_c(void) {
  sluice_record_t r = {0};
  sluice_header_t h = {0};
  return (int)(sizeof r + sizeof h) + (int)SLUICE_VERSION_NUMBER;
}
