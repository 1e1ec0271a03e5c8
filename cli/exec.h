// exec.h: runs a shell command with bytes on its standard input, the way
// `sluice run --exec` hands each batch's event to a command.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace sluice_cli {

// The commands running now, so that an impatient exit (a second Ctrl-C) or a
// stop that runs out of time can terminate them. Each runs in a process group
// of its own: a terminal's Ctrl-C reaches sluice only, which then lets the
// running commands finish (and their batches commit) before it stops.
class Children {
 public:
  void add(pid_t pid);
  void remove(pid_t pid);
  size_t count();
  // Sends sig to every running command's process group; returns how many.
  size_t signal_all(int sig);

 private:
  std::mutex mu_;
  std::set<pid_t> pids_;
};

struct ExecResult {
  bool ok = false;      // exited with status 0
  std::string failure;  // otherwise, why: "exit status 3", "killed by signal 9", ...
};

// Runs `/bin/sh -c command` with env as its environment (each "NAME=value"),
// writes input to its stdin and closes it, and waits for it. The command may
// stop reading early (EPIPE is not an error: its exit status decides). stdout
// and stderr are inherited. SIGPIPE must be ignored by the caller's process;
// the command gets default signal dispositions and an empty signal mask.
ExecResult run_with_stdin(const std::string& command, const std::vector<std::string>& env,
                          const uint8_t* input, size_t input_len, Children* children);

// Makes sure fds 0, 1 and 2 are open (on /dev/null if not), so pipes never
// get those numbers.
void ensure_std_fds();

}  // namespace sluice_cli
