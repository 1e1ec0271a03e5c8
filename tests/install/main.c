/* Links against an installed libsluice and makes a few real calls. */
#include <sluice.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  sluice_conf_t *conf = NULL;
  sluice_error_t *err = sluice_conf_new(&conf);
  if (err) return 1;
  err = sluice_conf_set(conf, "batch.size", "0");
  int ok = err && sluice_error_code(err) == SLUICE_ERR_INVALID_VALUE &&
           strcmp(sluice_error_key(err), "batch.size") == 0;
  sluice_error_destroy(err);
  sluice_conf_destroy(conf);
  printf("sluice %s: %s\n", sluice_version_string(), ok ? "ok" : "unexpected");
  return ok ? 0 : 1;
}
