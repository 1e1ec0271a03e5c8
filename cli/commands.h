// commands.h: the subcommands of the `sluice` tool. Each is a main() of its
// own: argv[0] is the subcommand's name ("run", "match", ...), the options
// follow. Each returns the process exit status (docs/CLI.md): 0 success,
// 1 runtime failure, 2 usage or configuration error.
#pragma once

int sluice_cli_run(int argc, char** argv);
int sluice_cli_version(int argc, char** argv);
// Defined in match_command.cc (the filter-pattern tester).
int sluice_cli_match(int argc, char** argv);
