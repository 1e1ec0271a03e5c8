// main.cc: `sluice <command> [options]`, dispatching to the subcommands.
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace {

struct Command {
  const char* name;
  int (*fn)(int, char**);
  const char* summary;
};

const Command kCommands[] = {
    {"run", sluice_cli_run,
     "consume a topic and run a command (or print a line) for every batch"},
#ifdef SLUICE_CLI_HAVE_MATCH
    {"match", sluice_cli_match, "test filter patterns against records"},
#endif
    {"version", sluice_cli_version, "print the library and tool versions"},
};

void usage(FILE* out) {
  std::fprintf(out,
               "usage: sluice <command> [options]\n"
               "\n"
               "sluice runs AWS Lambda's Kafka event source mapping locally: it consumes a\n"
               "topic as a consumer group, filters, batches, hands each batch to a handler as\n"
               "the Lambda MSK event JSON and commits after success.\n"
               "\n"
               "commands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\n"
               "`sluice <command> --help` describes a command; docs/CLI.md has the details.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char* name = argv[1];
  if (!std::strcmp(name, "help") || !std::strcmp(name, "--help") || !std::strcmp(name, "-h")) {
    if (argc > 2)  // `sluice help run` is `sluice run --help`
      for (const Command& c : kCommands)
        if (!std::strcmp(c.name, argv[2])) {
          char help[] = "--help";
          char* args[] = {argv[2], help, nullptr};
          return c.fn(2, args);
        }
    usage(stdout);
    return 0;
  }
  if (!std::strcmp(name, "--version") || !std::strcmp(name, "-V"))
    return sluice_cli_version(1, argv + 1);
  for (const Command& c : kCommands)
    if (!std::strcmp(c.name, name)) return c.fn(argc - 1, argv + 1);
  std::fprintf(stderr, "sluice: unknown command '%s'\n\n", name);
  usage(stderr);
  return 2;
}
