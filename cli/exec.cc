#include "exec.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice_cli {

void Children::add(pid_t pid) {
  std::lock_guard<std::mutex> g(mu_);
  pids_.insert(pid);
}

void Children::remove(pid_t pid) {
  std::lock_guard<std::mutex> g(mu_);
  pids_.erase(pid);
}

size_t Children::count() {
  std::lock_guard<std::mutex> g(mu_);
  return pids_.size();
}

size_t Children::signal_all(int sig) {
  std::lock_guard<std::mutex> g(mu_);
  for (pid_t p : pids_) ::kill(-p, sig);
  return pids_.size();
}

void ensure_std_fds() {
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      int n = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      if (n >= 0 && n != fd) {
        ::dup2(n, fd);
        ::close(n);
      }
    }
}

namespace {

struct SpawnAttrs {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnAttrs() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnAttrs() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

std::string describe(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = ::strsignal(WTERMSIG(status));
    return "killed by signal " + std::to_string(WTERMSIG(status)) + (name ? std::string(" (") + name + ")" : "");
  }
  return "wait status " + std::to_string(status);
}

}  // namespace

ExecResult run_with_stdin(const std::string& command, const std::vector<std::string>& env,
                          const uint8_t* input, size_t input_len, Children* children) {
  ExecResult r;
  int fds[2];
  // O_CLOEXEC: commands spawned concurrently by other threads must not
  // inherit this pipe's write end, or this command would never see EOF.
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    r.failure = std::string("pipe: ") + std::strerror(errno);
    return r;
  }

  SpawnAttrs sa;
  // dup2 onto 0 clears close-on-exec for the child's stdin only.
  posix_spawn_file_actions_adddup2(&sa.actions, fds[0], 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  // Ignored signals stay ignored across exec: give the command SIGPIPE back
  // (and the rest, in case the caller ignored them too).
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&sa.attr, &none);
  posix_spawnattr_setsigdefault(&sa.attr, &defaults);
  posix_spawnattr_setpgroup(&sa.attr, 0);
  posix_spawnattr_setflags(&sa.attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  char sh[] = "sh", dash_c[] = "-c";
  char* argv[] = {sh, dash_c, const_cast<char*>(command.c_str()), nullptr};

  pid_t pid = -1;
  int err = ::posix_spawn(&pid, "/bin/sh", &sa.actions, &sa.attr, argv, envp.data());
  ::close(fds[0]);
  if (err != 0) {
    ::close(fds[1]);
    r.failure = std::string("cannot start /bin/sh: ") + std::strerror(err);
    return r;
  }
  if (children) children->add(pid);

  size_t done = 0;
  while (done < input_len) {
    ssize_t n = ::write(fds[1], input + done, input_len - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EPIPE: the command does not read (all of) its input; fine
    }
  }
  ::close(fds[1]);

  // Wait without reaping first, so the pid leaves the registry while it can
  // not yet be reused by another process.
  siginfo_t info;
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  if (children) children->remove(pid);
  int status = 0;
  pid_t w;
  do {
    w = ::waitpid(pid, &status, 0);
  } while (w < 0 && errno == EINTR);
  if (w < 0) {
    r.failure = std::string("waitpid: ") + std::strerror(errno);
    return r;
  }
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!r.ok) r.failure = describe(status);
  return r;
}

}  // namespace sluice_cli
