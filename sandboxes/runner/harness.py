#!/usr/bin/env python3
"""baton test harness: grades Python solutions the way LiveCodeBench's grader does, in a way the
graded program cannot forge.

Protocol: one job per JSON line on stdin
  {"nonce", "code", "tests", "timeoutMs", "memoryMb", "outputLimitBytes"}
answered, in order, by one JSON line on stdout
  {"nonce", "passed": bool, "verdicts": [{"index", "status", "timeMs", "expected"?, "got"?, "stderr"?}],
   "dirty": bool}
(or {"nonce", "passed": false, "verdicts": [], "error": "..."} for a malformed job). The driver checks
that every answer echoes its job's nonce and replaces the supervisor on anything else. "dirty": the
job left files, processes or IPC objects behind: the driver replaces this supervisor. Exits at EOF.
Python 3.11 standard library only.

Three processes, so that the program under test can neither speak the protocol nor see an expected
output:
- the judge (this process, the supervisor): reads jobs, holds the expected outputs, compares, and
  answers. When it runs as root (in the container: root with only CHOWN, DAC_OVERRIDE, FOWNER,
  SETUID, SETGID and KILL) every test case runs as a uid of its own, so /proc/<judge>/fd,
  /environ and /mem are closed to it and it cannot signal the judge; it is also non-dumpable.
- the runner: forked from the judge before any job is read, so its memory never held a job. It only
  forks test-case processes: every byte of a job (source, arguments, stdin) reaches the case through
  memfds and pipes the judge opened, never through the runner's heap, so a case cannot find an
  earlier job's source, input or output in the memory it inherits.
- one case process per test: enters a Landlock domain (it may read the system and Python, write only
  its work dir, and cannot ptrace, read /proc/<pid>/mem or environ of, or signal anything outside
  it) and a seccomp filter (no signals, ptrace, cross-process memory access or AF_UNIX sockets at
  all), drops to the case uid, runs the program, and writes its raw stdout or
  its return value (a typed encoding of plain Python values) to pipes the judge reads. The judge
  decodes and compares: a forged result message is only a chosen return value.
After each case the judge kills every process below it but the runner (it is a child subreaper, so
nothing a case starts can leave its tree) and, when cases have a uid of their own, every process of
that uid; after each job it looks for anything the job left in a writable place (/tmp, /var/tmp, /dev/shm, /dev/mqueue, the harness root, $HOME, SysV IPC).

Source of truth for grading: LiveCodeBench lcb_runner/evaluation/testing_util.py (import_string,
clean_if_name, make_function, grade_stdio, grade_call_based, reliability_guard). Reproduced as-is:
the star-import block and sys.setrecursionlimit(50000); stdin programs wrapped into
`wrapped_function` (so module globals become locals and a non-final `if __name__ == '__main__'`
block never runs, as in LCB); the module is named 'tmp_sol'; SystemExit ends a stdin program
normally; line-by-line comparison after strip() with the Decimal fallback; call-based
`prediction == expected` with a top-level tuple turned into a list; LeetCode-style `class Solution`
detection; reliability_guard's disabling of os.fork, subprocess.Popen, os.kill... (plus
os.posix_spawn*); grading stops at the first failing case (verdicts may be shorter than the case
list); sys.set_int_max_str_digits(50000) (compute_code_generation_metrics.py) for stdin and call
programs; call-based arguments and expected values parsed with json.loads from the benchmark's own
text (`argsJson`, `expectedJson`: integers beyond 2**53 stay exact; `args`/`expected` values are for
baton's own suites).

Stdin programs, by default (tests.stdin "lcb"), see LCB's stdio (see lcb_stdio_run): the input
reaches them only through the patched sys.stdin and builtins.open; fd 0 is empty (in LCB it is the
lcb_runner command's own stdin, a terminal or /dev/null, never the test's), sys.__stdin__ is closed,
and the compared output is what went to sys.stdout during the call of wrapped_function. So, as in
LCB: input(), sys.stdin.readline/read/readlines, sys.stdin.buffer.read() and `from sys import stdin`
(bound to the real stdin object, whose read/readline/readlines are patched: readline() returns lines
without "\\n") get the input; open(0), io.open(0), open('/dev/stdin'), os.read(0, n) and
stdin.buffer of `from sys import stdin` read nothing; `for line in sys.stdin`, sys.stdin.fileno(),
sys.__stdin__.read() and sys.stdout.buffer fail; sys.stdin.buffer.readline() is always the first
line; os.write(1, ...), sys.__stdout__ and `from sys import stdout` are not compared (they reach the
stderr excerpt). tests.stdin "real" gives a judge's stdio instead: fresh stdio objects over a real
fd 0 holding the input and a real fd 1 that is compared.

Deviations from LCB (a process per case instead of an in-process grader):
- Each case runs in a child process forked from a warm runner (LCB forks its workers). LCB's fd 0
  would block or read whatever its command was given; here it is empty (EOF).
- Call-based: the comparison runs in the judge, on a copy of the return value made of plain values
  (None, bool, int, float, str, bytes, list, tuple, dict, set, frozenset; exact types). LCB compares
  in the program's own process, where an object with an `__eq__` that always says True passes; here
  any other type (a subclass, a user class) is never equal to the expected value. Return values
  larger than 8 MiB encoded fail as output_limit; one the judge cannot decode and compare within
  max(2 s, the case's timeout) (e.g. a set of ints that all hash alike) is a wrong answer.
- The compared output and stderr reach the judge through pipes and are capped together
  (output_limit); LCB has no cap. A stdin program's captured sys.stdout is held in the case's
  memory (under its memory limit) until the program returns, as in LCB.
- Limits LCB does not have: RLIMIT_AS (memory_limit), RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NPROC, a
  kill of every leftover process. Wall-clock timeout is per case in milliseconds; LCB uses
  signal.alarm with whole seconds.
- Files: a case may read the system (/usr, /lib*, /bin, /sbin, /etc, /proc, /sys, Python's prefix)
  and write only its work dir (its cwd, $HOME and $TMPDIR); writing /tmp or reading other files
  fails with EACCES. LCB's runner leaves the filesystem open.
- Syntax errors are reported as compile_error for every case; LCB reports a runtime error (-4).
  Both are failures, so pass/fail is unchanged.
- HumanEval-style `check` tests (prompt + completion + test + check(entry_point)) run in two
  processes: check(), the test and the prompt's own definitions in the case process, the program in
  a child forked before the test is read. check() reaches the entry point, and any other top-level
  callable of the program the test names (MBPP's asserts), through proxies: arguments and return
  values cross as plain values, objects of other types stay in the program's process as references
  that can be passed back. Only names the test reads that neither the prompt nor the test defines
  and that are not builtins are proxied: a program's own `abs`, `zip` or `set` is not check()'s. HumanEval runs all of it in one process, where a program can subvert
  check() (an `__eq__` that always says True; writing the harness's result); here it cannot. Not
  reproduced: a test seeing the program mutate an argument; a program's redefinition of a helper
  the prompt defines (check() keeps the prompt's); equality of a returned non-plain object (a
  reference equals only itself).
"""

import ast
import builtins
import contextlib
import ctypes
import fcntl
import io
import json
import math
import os
import random
import resource
import selectors
import shutil
import signal
import stat
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from decimal import Decimal
from types import ModuleType

EXIT = os._exit  # kept before reliability_guard can touch os
MAX_FD = min(os.sysconf("SC_OPEN_MAX"), 65536)
CHILD_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
RESULT_LIMIT = 8 << 20  # bytes of an encoded return value
# In the case process: fd 3 = its job (memfd), fd 4 = the result pipe, fd 5 = a check-style test (memfd),
# fd 6 = the Landlock ruleset until the case enters it.
CASE_FD_STDIN, CASE_FD_JOB, CASE_FD_RESULT, CASE_FD_TEST, CASE_FD_RULESET = 0, 3, 4, 5, 6


def case_identity():
    """(uid, gid) the test cases run as when this harness runs as root: one of its own, unused by
    anyone else (no passwd entry needed), so every process and file of that uid is this supervisor's
    cases' and nothing else's, even with several supervisors on one host (RLIMIT_NPROC counts per uid
    across the host): BATON_CASE_UID when the driver chose one (every container's supervisor is pid
    1), else 3000000 + our pid. None when not root: cases then share our uid, and only
    non-dumpability keeps /proc/<judge> closed to them."""
    if os.geteuid() != 0:
        return None
    chosen = os.environ.get("BATON_CASE_UID", "")
    uid = int(chosen) if chosen.isascii() and chosen.isdigit() and 100000 <= int(chosen) < 2**32 - 1 else 3000000 + os.getpid()
    return uid, uid


CASE_ID = case_identity()

# Verbatim from LiveCodeBench testing_util.py.
IMPORT_STRING = (
    "from string import *\nfrom re import *\nfrom datetime import *\nfrom collections import *\n"
    "from heapq import *\nfrom bisect import *\nfrom copy import *\nfrom math import *\n"
    "from random import *\nfrom statistics import *\nfrom itertools import *\n"
    "from functools import *\nfrom operator import *\nfrom io import *\nfrom sys import *\n"
    "from json import *\nfrom builtins import *\nfrom typing import *\nimport string\nimport re\n"
    "import datetime\nimport collections\nimport heapq\nimport bisect\nimport copy\nimport math\n"
    "import random\nimport statistics\nimport itertools\nimport functools\nimport operator\n"
    "import io\nimport sys\nimport json\nsys.setrecursionlimit(50000)\n"
)

EXCERPT_CHARS = 300
# lcb_runner/evaluation/compute_code_generation_metrics.py: sys.set_int_max_str_digits(50000), inherited by
# every grading process: LCB-style programs may print (and JSON may hold) ints of up to 50000 digits.
LCB_INT_DIGITS = 50000
DEFAULT_INT_DIGITS = getattr(sys.int_info, "default_max_str_digits", 0)
LCB_STYLES = ("stdin", "call")


def set_int_digits(n):
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(n)


@contextlib.contextmanager
def int_digits(n):
    """Python's int/str conversion limit set to n for a while (the judge keeps the default otherwise:
    it parses what programs write)."""
    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    set_int_digits(n)
    try:
        yield
    finally:
        set_int_digits(old)


def become_subreaper():
    """PR_SET_CHILD_SUBREAPER: a case's orphans are reparented to the judge, which reaps them; on a
    host whose init is slow to reap, a zombie of the case uid would otherwise linger as a stray."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def set_non_dumpable():
    """PR_SET_DUMPABLE 0: /proc/<pid>/fd, environ and mem become root's, and no same-uid process
    without CAP_SYS_PTRACE may open or trace them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------------------------------------
# Values crossing from the case process to the judge: plain values only, exact types.


class Opaque:
    """A returned value of another type: equal to nothing (see the call-based deviation above)."""

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__


class Ref:
    """A value of another type that a check-style program returned: it stays in the program's
    process, and can only be passed back to it. Equal to nothing but itself."""

    def __init__(self, index, text):
        self.index = index
        self.text = text

    def __repr__(self):
        return "<%s in the program's process>" % self.text


def encode_value(v, refs=None):
    """Plain values as JSON; anything else kept in `refs` (the program's side of a check-style
    call) and sent as a reference, or sent as an opaque description."""
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        # Beyond 2**53 as hex: Python limits decimal conversion of huge ints, not hex.
        return v if -(2**53) < v < 2**53 else {"int": hex(v)}
    if t is float:
        return v if math.isfinite(v) else {"float": repr(v)}
    if t is list:
        return [encode_value(x, refs) for x in v]
    if t is tuple:
        return {"tuple": [encode_value(x, refs) for x in v]}
    if t is dict:
        return {"dict": [[encode_value(k, refs), encode_value(x, refs)] for k, x in v.items()]}
    if t is set or t is frozenset:
        return {t.__name__: [encode_value(x, refs) for x in v]}
    if t is bytes:
        return {"bytes": v.hex()}
    if t is complex:
        return {"complex": [encode_value(v.real), encode_value(v.imag)]}
    if t is Ref:
        return {"ref": v.index}
    if refs is not None:
        refs.append(v)
        return {"ref": len(refs) - 1, "text": t.__name__}
    try:
        text = object.__repr__(v)
    except BaseException:
        text = "?"
    return {"opaque": "%s %s" % (t.__name__, text)}


def decode_value(v, refs=None):
    """Inverse of encode_value, for bytes this process did not write: raises on anything malformed.
    References resolve through `refs` (the program's side), else become Ref objects."""
    if v is None or isinstance(v, (bool, str, int, float)):
        return v
    if isinstance(v, list):
        return [decode_value(x, refs) for x in v]
    if not isinstance(v, dict) or not v:
        raise ValueError("malformed value")
    if "ref" in v:
        index = v["ref"]
        if refs is not None:
            return refs[index]
        return Ref(int(index), str(v.get("text", "object")))
    if len(v) != 1:
        raise ValueError("malformed value")
    ((tag, body),) = v.items()
    if tag == "int":
        return int(body, 16)
    if tag == "float":
        return float(body)
    if tag == "complex":
        return complex(decode_value(body[0]), decode_value(body[1]))
    if tag == "tuple":
        return tuple(decode_value(x, refs) for x in body)
    if tag == "dict":
        return {decode_value(k, refs): decode_value(x, refs) for k, x in body}
    if tag == "set":
        return {decode_value(x, refs) for x in body}
    if tag == "frozenset":
        return frozenset(decode_value(x, refs) for x in body)
    if tag == "bytes":
        return bytes.fromhex(body)
    if tag == "opaque":
        return Opaque(str(body))
    raise ValueError("unknown tag %r" % tag)


# ---------------------------------------------------------------------------------------------
# The case process: runs the program, never sees an expected output.


def reliability_guard():
    """LiveCodeBench's reliability_guard, minus the memory part (rlimits are set by the harness),
    plus posix_spawn*."""
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid",
                 "fork", "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink",
                 "fchmod", "fchown", "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown",
                 "getcwd", "chdir", "posix_spawn", "posix_spawnp"):
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.help = None
    for name in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
        sys.modules[name] = None


def fresh_stdio():
    """New stdio objects over fds 0-2: the forked child must not inherit its parent's buffers."""
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", write_through=True
    )


# LiveCodeBench's stdin programs (lcb_runner/evaluation/testing_util.py: grade_stdio, call_method,
# MockStdinWithBuffer, Capturing), reproduced in the case process. LCB grades in a worker forked by
# multiprocessing, which closed sys.__stdin__ and made sys.stdin a reader of /dev/null; fds 0 and 1
# stay those of the lcb_runner command (its terminal or a file), so the test's input never reaches fd
# 0 and nothing written to fd 1 is compared. Around the one call of wrapped_function (after the
# module ran: the prelude's `from sys import *` and `from builtins import *` and the hoisted imports
# bound stdin, stdout and open to the real objects) it patches, in this order: read, readlines and
# readline of that real sys.stdin object, sys.stdin itself, builtins.open; and sets sys.stdout to a
# StringIO, whose text is the output compared.


class LcbStdin:
    """The sys.stdin of an LCB stdin program: read() is the whole input on every call, readline() reads
    a StringIO of it, readlines() is input.split("\\n") (no line ends); buffer.read() is the input's
    bytes and buffer.readline() always its first line; anything else is the StringIO's (so it has no
    fileno, and is not iterable: __iter__ is looked up on the class)."""

    def __init__(self, inputs):
        self.inputs = inputs
        self._stringio = io.StringIO(inputs)
        self.buffer = LcbStdinBuffer(inputs)

    def read(self, *args):
        return self.inputs

    def readline(self, *args):
        return self._stringio.readline(*args)

    def readlines(self, *args):
        return self.inputs.split("\n")

    def __getattr__(self, name):
        return getattr(self._stringio, name)


class LcbStdinBuffer:
    def __init__(self, inputs):
        self.inputs = inputs.encode("utf-8")

    def read(self, *args):
        return self.inputs

    def readline(self, *args):
        return self.inputs.split(b"\n")[0] + b"\n"


def lcb_stdio_run(method, inputs):
    """One call of wrapped_function as LCB's grade_stdio makes it; returns the captured output. LCB's
    @patch decorators, applied in their order and undone in reverse: the real sys.stdin (an empty
    reader over fd 0) gets instance attributes read/readlines/readline (readline() returns the
    input's lines without "\\n" and raises StopIteration after the last), sys.stdin becomes an
    LcbStdin, builtins.open unittest.mock's mock_open of the input (a bare open() is the prelude's
    real one). unittest.mock is imported and the mock_open object built on the first call through
    builtins.open (with the real open back in place while it imports): that costs ~0.1 s, which
    every other program is spared."""
    lines = iter(inputs.split("\n"))
    real_stdin = sys.stdin
    real_open = builtins.open
    mocked = []

    def lcb_open(*args, **kwargs):
        if not mocked:
            builtins.open = real_open
            try:
                from unittest.mock import mock_open
            finally:
                builtins.open = lcb_open
            mocked.append(mock_open(read_data=inputs))
        return mocked[0](*args, **kwargs)

    patches = [
        (real_stdin, "read", lambda *args: inputs),
        (real_stdin, "readlines", lambda *args: inputs.split("\n")),
        (real_stdin, "readline", lambda *args: next(lines)),
        (sys, "stdin", LcbStdin(inputs)),
        (builtins, "open", lcb_open),
    ]
    captured = io.StringIO()
    captured.close = lambda x: 1  # Capturing's: sys.stdout.close() raises TypeError there too
    real_stdout = sys.stdout
    sys.stdout = captured
    undo = []
    try:
        for target, name, value in patches:
            # As unittest.mock.patch: an attribute the instance did not hold itself is deleted after.
            own = name in getattr(target, "__dict__", {})
            undo.append((target, name, own, getattr(target, name)))
            setattr(target, name, value)
        try:
            method()
        except SystemExit:
            pass
    finally:
        for target, name, own, old in reversed(undo):
            if own:
                setattr(target, name, old)
            else:
                delattr(target, name)
        sys.stdout = real_stdout
    return captured.getvalue()


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def read_all(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def case_main(work_dir):
    """Runs in the forked test-case process and never returns. Its job (mode, source, arguments, never
    the expected value) is read from fd 3; it reports {"status", "value"?} on fd 4."""
    result = io.FileIO(CASE_FD_RESULT, "w", closefd=False)

    def report(obj):
        try:
            data = json.dumps(obj).encode()
        except (ValueError, RecursionError) as e:
            data = json.dumps({"status": "error", "error": truncate(repr(e))}).encode()
        result.write(data)

    try:
        case = json.loads(read_all(CASE_FD_JOB))
        os.close(CASE_FD_JOB)
        mode, src = case["mode"], case["src"]
        if mode in LCB_STYLES:
            set_int_digits(LCB_INT_DIGITS)
        os.chdir(work_dir)
        os.environ.clear()
        os.environ.update(CHILD_ENV, HOME=work_dir, TMPDIR=work_dir)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        random.seed()  # a fresh interpreter would seed from urandom; a fork inherits the state
        lcb_stdio = mode == "stdin" and case.get("stdin") != "real"
        if lcb_stdio:
            # As in LCB's worker: fd 0 is empty (the judge gave an empty memfd), what reaches fd 1 is
            # not compared (it goes to stderr), and the compared output is the captured sys.stdout,
            # written to the real stdout pipe (kept above the case's fds) after the program.
            out_fd = fcntl.fcntl(1, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(2, 1)
        fresh_stdio()
        if lcb_stdio:
            sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
            sys.__stdin__.close()  # multiprocessing closed it in LCB's worker
        code = compile(src, "<solution>", "exec")
        module = ModuleType("tmp_sol", "")
        if mode != "check":  # check forks first
            reliability_guard()
        if mode == "check":
            run_check(code, module, case["entryPoint"])
            report({"status": "ok"})
        elif mode == "stdin":
            exec(code, module.__dict__)
            method = getattr(module, "wrapped_function", None)
            if method is None:
                raise RuntimeError("wrapped_function not found")
            if lcb_stdio:
                output = lcb_stdio_run(method, case["input"])
                write_all(out_fd, output.encode("utf-8", errors="surrogatepass"))
            else:
                try:
                    method()
                except SystemExit:
                    pass
            report({"status": "ok"})
        else:
            exec(code, module.__dict__)
            target = module.Solution() if "class Solution" in src else module
            method = getattr(target, case["functionName"], None)
            if method is None:
                raise RuntimeError("function %r not found" % case["functionName"])
            # LCB: every input line is json.loads'd in the program's process (integers stay exact).
            args = [json.loads(a) for a in case["argsJson"]] if "argsJson" in case else case["args"]
            prediction = method(*args)
            report({"status": "ok", "value": encode_value(prediction)})
    except MemoryError:
        report({"status": "memory"})
    except BaseException as e:
        try:
            traceback.print_exc()
        except BaseException:
            pass
        report({"status": "error", "error": truncate(repr(e))})
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    # os._exit: non-daemon threads left by the solution must not keep the case alive.
    EXIT(0)


# HumanEval-style check tests, in two processes: the benchmark's check() in this one, the program in
# a child that never sees the test. check() calls the program through proxies; arguments and return
# values cross as plain values (or references to objects that stay with the program), so neither an
# `__eq__` of the program's nor a write to this process's result pipe can decide the verdict.


def exception_named(name):
    found = getattr(builtins, name, None) if isinstance(name, str) else None
    if isinstance(found, type) and issubclass(found, Exception):
        return found
    return RuntimeError


class ProgramChannel:
    """check()'s end of the pipes to the program's process."""

    def __init__(self, requests, responses):
        self.requests = requests
        self.responses = responses

    def receive(self):
        line = self.responses.readline()
        if not line:
            raise RuntimeError("the program's process ended")
        message = json.loads(line)
        if "raise" in message:
            raise exception_named(message["raise"])(message.get("message", ""))
        return message

    def call(self, name, args, kwargs):
        request = {"call": name, "args": [encode_value(a) for a in args],
                   "kwargs": {k: encode_value(v) for k, v in kwargs.items()}}
        self.requests.write(json.dumps(request).encode() + b"\n")
        self.requests.flush()
        return decode_value(self.receive()["value"])

    def proxy(self, name):
        def call_program(*args, **kwargs):
            return self.call(name, args, kwargs)

        call_program.__name__ = call_program.__qualname__ = name
        return call_program


def serve_program(code, module, requests, responses):
    """The program's process: runs the program, then answers check()'s calls."""
    refs = []

    def send(message):
        responses.write(json.dumps(message).encode() + b"\n")
        responses.flush()

    def failure(error):
        return {"raise": type(error).__name__, "message": truncate(str(error))}

    reliability_guard()
    try:
        exec(code, module.__dict__)
        names = [n for n, v in module.__dict__.items() if callable(v) and not n.startswith("__")]
        send({"names": names})
    except BaseException as e:
        traceback.print_exc()
        send(failure(e))
        return
    for line in requests:
        try:
            request = json.loads(line)
            function = module.__dict__[request["call"]]
            args = [decode_value(a, refs) for a in request["args"]]
            kwargs = {k: decode_value(v, refs) for k, v in request["kwargs"].items()}
            send({"value": encode_value(function(*args, **kwargs), refs)})
        except BaseException as e:
            send(failure(e))


def names_read(source):
    """Every name the source loads (as a variable, anywhere)."""
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def run_check(code, module, entry_point):
    """prompt + completion + test + check(entry_point), HumanEval's program, split in two: the
    prompt's own definitions and the test run here; the program's other top-level callables are
    reached through proxies. Raises what check() raises."""
    request_r, request_w = os.pipe()
    response_r, response_w = os.pipe()
    if os.fork() == 0:
        try:
            for fd in (CASE_FD_TEST, CASE_FD_RESULT, request_w, response_r):
                os.close(fd)
            serve_program(code, module, os.fdopen(request_r, "rb"), os.fdopen(response_w, "wb"))
        finally:
            EXIT(0)
    os.close(request_r)
    os.close(response_w)
    set_non_dumpable()
    test = json.loads(read_all(CASE_FD_TEST))
    os.close(CASE_FD_TEST)
    channel = ProgramChannel(os.fdopen(request_w, "wb"), os.fdopen(response_r, "rb"))
    names = channel.receive()["names"]
    namespace = ModuleType("tmp_sol", "").__dict__
    exec(compile(test["prompt"], "<prompt>", "exec"), namespace)
    exec(compile(test["test"], "<test>", "exec"), namespace)
    # Only names the test reads and nothing here defines (MBPP's asserts name the function): never a
    # builtin, so a program's own `zip`, `abs` or `set` cannot stand in for check()'s.
    for name in names_read(test["prompt"] + "\n" + test["test"]) & set(names):
        if name not in namespace and not hasattr(builtins, name):
            namespace[name] = channel.proxy(name)
    if entry_point not in names:
        raise KeyError(entry_point)
    reliability_guard()
    namespace["check"](channel.proxy(entry_point))


# ---------------------------------------------------------------------------------------------
# The runner: a fork server whose memory never holds a job.


def send_message(sock, obj, fds=()):
    data = json.dumps(obj).encode()
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.sendall(data)


def runner_main(sock, root):
    """Forks one case process per request: {"limits", "workDir"} plus fds [stdin, job, stdout, stderr,
    result, test]; answers {"started": pid}, and {"exited": pid, "code": n} when a case ends."""
    signal.signal(signal.SIGTERM, lambda *_: EXIT(0))
    ruleset = case_ruleset(root)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, "request")
    sel.register(wake_r, selectors.EVENT_READ, "child")
    while True:
        for key, _ in sel.select():
            if key.data == "child":
                os.read(wake_r, 4096)
                for pid, status in reaped():
                    send_message(sock, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})
                continue
            try:
                data, fds, _, _ = socket.recv_fds(sock, 65536, 8)
            except OSError:
                data, fds = b"", []
            if not data:
                EXIT(0)  # the judge is gone
            request = json.loads(data)
            pid = os.fork()
            if pid == 0:
                try:
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    start_case(request, fds, ruleset)
                finally:
                    EXIT(70)
            for fd in fds:
                os.close(fd)
            send_message(sock, {"started": pid})


def start_case(request, fds, ruleset):
    """In the forked case process: own session, its fds in place, limits, another uid, then the job."""
    os.setsid()
    stdin_fd, job_fd, out_w, err_w, res_w, test_fd = fds
    # Move every passed fd above the target range first, so no dup2 overwrites one not yet placed.
    passed = [stdin_fd, out_w, err_w, job_fd, res_w, test_fd, ruleset]
    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, 16) if fd is not None else None for fd in passed]
    for target, fd in zip((0, 1, 2, CASE_FD_JOB, CASE_FD_RESULT, CASE_FD_TEST, CASE_FD_RULESET), moved):
        if fd is not None:
            os.dup2(fd, target)
    os.closerange(CASE_FD_RULESET + 1, MAX_FD)
    limits = request["limits"]
    mem = limits["memoryMb"] * 1024 * 1024
    cpu = math.ceil(limits["timeoutMs"] / 1000) + 1
    fsize = max(limits["outputLimitBytes"], 1 << 16)
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    nproc = NPROC_LIMIT
    if nproc is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    confined = confine(CASE_FD_RULESET if ruleset is not None else None)
    filtered = deny_reaching_out()
    if not (confined and filtered) and CASE_ID is None:
        # Same uid as baton, unconfined: the program could read baton's memory and files, or signal it.
        os.write(2, b"baton: cannot confine test cases (Landlock or seccomp unavailable) and the harness is not root\n")
        EXIT(71)
    if ruleset is not None:
        os.close(CASE_FD_RULESET)
    if CASE_ID is not None:
        os.setgroups([])
        os.setgid(CASE_ID[1])
        os.setuid(CASE_ID[0])
    case_main(request["workDir"])


# Landlock (Linux >= 5.13), from linux/landlock.h: filesystem rights of ABI 1, scopes of ABI 6.
LANDLOCK_READ = (1 << 0) | (1 << 2) | (1 << 3)  # EXECUTE, READ_FILE, READ_DIR
LANDLOCK_WRITE_FILE = 1 << 1
LANDLOCK_ALL_V1 = (1 << 13) - 1
LANDLOCK_SCOPES = 1 | 2  # abstract unix sockets and signals outside the case's domain
SYS_LANDLOCK = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}


def case_ruleset(root):
    """The Landlock ruleset of every case, built once by the runner: a case may read the system and
    Python (/usr, /lib*, /bin, /sbin, /etc, /proc, /sys, Python's own prefix), read and write
    existing files under /dev, and do anything under the harness root (where only its own work dir
    is open to it: the root itself is the judge's, 0711, and watched); nothing else (no suite files,
    no $HOME, no /tmp). A process in the domain cannot ptrace, read /proc/<pid>/mem or environ of,
    or (ABI >= 6) signal a process outside it, whatever the uid. Returns the ruleset's fd, or None
    where the kernel (or a container's seccomp) lacks Landlock."""
    numbers = SYS_LANDLOCK.get(os.uname().machine)
    if numbers is None:
        return None
    create, add_rule, _ = numbers
    libc = ctypes.CDLL(None, use_errno=True)
    abi = libc.syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    if abi < 1:
        return None
    fields = [LANDLOCK_ALL_V1, 0, LANDLOCK_SCOPES if abi >= 6 else 0]
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    attr = (ctypes.c_uint64 * 3)(*fields)
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return None
    python_prefix = os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))
    readable = ["/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/proc", "/sys",
                sys.prefix, sys.base_prefix, python_prefix]
    rules = [(path, LANDLOCK_READ) for path in readable]
    rules += [("/dev", LANDLOCK_READ | LANDLOCK_WRITE_FILE), (root, LANDLOCK_ALL_V1)]
    for path, access in rules:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        # struct landlock_path_beneath_attr { __u64 allowed_access; __s32 parent_fd; } __packed
        rule = ctypes.create_string_buffer(access.to_bytes(8, "little") + fd.to_bytes(4, "little", signed=True), 12)
        libc.syscall(add_rule, ruleset, 1, rule, 0)
        os.close(fd)
    return ruleset


def confine(ruleset):
    """Enters the case ruleset's domain (no_new_privs first, as Landlock requires); False if it cannot."""
    if ruleset is None:
        return False
    restrict = SYS_LANDLOCK[os.uname().machine][2]
    return LIBC.prctl(38, 1, 0, 0, 0) == 0 and LIBC.syscall(restrict, ruleset, 0) == 0  # PR_SET_NO_NEW_PRIVS


# seccomp: syscalls a case never needs that reach other processes or local services. Per
# architecture: (AUDIT_ARCH, socket, [kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo,
# pidfd_send_signal, ptrace, process_vm_readv, process_vm_writev]).
SECCOMP_SYSCALLS = {
    "x86_64": (0xC000003E, 41, [62, 200, 234, 129, 297, 424, 101, 310, 311]),
    "aarch64": (0xC00000B7, 198, [129, 130, 131, 138, 240, 424, 117, 270, 271]),
}


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def seccomp_program():
    """The BPF program of deny_reaching_out, built once (None on an unknown architecture): no signal
    to any process (a case sharing baton's uid could otherwise stop or kill baton where Landlock
    cannot scope signals, ABI < 6), no ptrace or cross-process memory access, and no AF_UNIX socket
    (a path socket such as Docker's or an ssh agent is outside Landlock's file rights). EPERM, never
    a kill."""
    table = SECCOMP_SYSCALLS.get(os.uname().machine)
    if table is None:
        return None
    arch, socket_nr, denied = table
    ld, jeq, ret = 0x20, 0x15, 0x06
    allow, eperm = 0x7FFF0000, 0x00050000 | 1
    n = len(denied)
    # [arch check] [load nr] [one jeq per denied syscall] [socket: load arg0, jeq AF_UNIX] [allow] [eperm]
    prog = [(ld, 0, 0, 4), (jeq, 0, n + 4, arch), (ld, 0, 0, 0)]
    for i, nr in enumerate(denied):
        prog.append((jeq, n + 3 - i, 0, nr))  # to eperm
    prog.append((jeq, 0, 2, socket_nr))  # not socket: to allow
    prog.append((ld, 0, 0, 16))  # args[0], the address family
    prog.append((jeq, 1, 0, 1))  # AF_UNIX: to eperm
    prog.append((ret, 0, 0, allow))
    prog.append((ret, 0, 0, eperm))
    filters = (SockFilter * len(prog))(*prog)
    return SockFprog(len(prog), filters), filters  # the array must live as long as the program


SECCOMP_PROGRAM = seccomp_program()
LIBC = ctypes.CDLL(None, use_errno=True)


def deny_reaching_out():
    """Installs the seccomp filter; False where seccomp is unavailable."""
    if SECCOMP_PROGRAM is None or LIBC.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return LIBC.prctl(22, 2, ctypes.byref(SECCOMP_PROGRAM[0]), 0, 0) == 0  # PR_SET_SECCOMP, FILTER


# ---------------------------------------------------------------------------------------------
# The judge: LiveCodeBench's comparison, the protocol, and the clean-up between jobs.


def excerpt(value):
    """A short text of a returned value for the trace ("?" if it has none: an int past Python's
    digit limit, say)."""
    for render in (json.dumps, repr):
        try:
            return truncate(render(value))
        except Exception:
            pass
    return "?"


def truncate(s, length=EXCERPT_CHARS):
    """LCB's truncatefn."""
    s = s if isinstance(s, str) else str(s)
    if len(s) <= length:
        return s
    return s[: length // 2] + "...(truncated) ..." + s[-length // 2 :]


def clean_if_name(code):
    """LCB: unwrap a final `if __name__ == '__main__':` block."""
    try:
        tree = ast.parse(code)
        last = tree.body[-1]
        if isinstance(last, ast.If) and ast.unparse(last.test).strip() == "__name__ == '__main__'":
            code = ast.unparse(tree.body[:-1]) + "\n" + ast.unparse(last.body)
    except Exception:
        pass
    return code


def make_function(code):
    """LCB: hoist imports, wrap the rest into wrapped_function(), prepend the import block."""
    try:
        imports, others = [], []
        tree = ast.parse(code)
        for stmt in tree.body:
            (imports if isinstance(stmt, (ast.Import, ast.ImportFrom)) else others).append(stmt)
        fn = ast.FunctionDef(
            name="wrapped_function",
            args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=others,
            decorator_list=[],
            lineno=-1,
        )
        return IMPORT_STRING + "\n" + ast.unparse(imports) + "\n" + ast.unparse(fn)
    except Exception:
        return code


def stripped_lines(val):
    """LCB get_stripped_lines."""
    return [line.strip() for line in val.strip().split("\n")]


def to_decimals(line):
    try:
        return [Decimal(elem) for elem in line.split()]
    except Exception:
        return None


def stdout_matches(prediction, expected):
    """LCB grade_stdio comparison: per stripped line, exact, else element-wise Decimal."""
    got, want = stripped_lines(prediction), stripped_lines(expected)
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g == w:
            continue
        dg, dw = to_decimals(g), to_decimals(w)
        try:
            if dg is None or dw is None or dg != dw:
                return False
        except ArithmeticError:  # Decimal('sNaN') raises on comparison: not equal
            return False
    return True


def processes_of(uid):
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat("/proc/" + pid).st_uid == uid:
                    pids.append(int(pid))
            except OSError:
                pass
    return pids


# RLIMIT_NPROC counts every process of the case uid; without a uid of its own, ours plus a margin.
if CASE_ID is not None:
    NPROC_LIMIT = 64
else:
    NPROC_LIMIT = len(processes_of(os.geteuid())) + 128


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class DriverGone(Exception):
    """stdin closed while a case ran: the driver (or its host process) is gone."""


class CaseSetupFailed(Exception):
    """A case process failed before it could run the program: an error of the harness."""


class RunnerLost(Exception):
    """The runner died or broke its protocol: this supervisor cannot run more cases."""


class JobLines:
    """Job lines from fd 0, read unbuffered so a running case can also notice the driver going away:
    the driver sends the next job only after an answer, so input during a job means EOF (or more
    bytes, kept for later)."""

    def __init__(self):
        self.buffer = bytearray()
        self.eof = False

    def __iter__(self):
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self.buffer[: newline + 1])
                del self.buffer[: newline + 1]
                yield line.decode("utf-8")
                continue
            if self.eof:
                return
            self.take()

    def take(self):
        chunk = os.read(0, 65536)
        if chunk:
            self.buffer.extend(chunk)
        else:
            self.eof = True


JOBS = JobLines()


class Runner:
    """The judge's end of the runner: start a case, hear when it ends."""

    def __init__(self, sock, pid):
        self.sock = sock
        self.pid = pid
        self.buffer = b""
        self.exits = {}

    def messages(self):
        try:
            data = self.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            raise RunnerLost("runner ended")
        # Messages are small JSON objects sent one per send(); split on object boundaries.
        self.buffer += data
        out = []
        decoder = json.JSONDecoder()
        text = self.buffer.decode()
        pos = 0
        while pos < len(text):
            try:
                obj, end = decoder.raw_decode(text, pos)
            except ValueError:
                break
            out.append(obj)
            pos = end
        self.buffer = text[pos:].encode()
        for obj in out:
            if "exited" in obj:
                self.exits[obj["exited"]] = obj["code"]
        return out

    def start(self, request, fds):
        send_message(self.sock, request, fds)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for obj in self.messages():
                if "started" in obj:
                    return obj["started"]
        raise RunnerLost("runner did not start the case")

    def wait_exit(self, pid, timeout):
        deadline = time.monotonic() + timeout
        while pid not in self.exits:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready = select_read([self.sock], remaining)
            if ready:
                self.messages()
        return self.exits.pop(pid)


def select_read(fds, timeout):
    sel = selectors.DefaultSelector()
    try:
        for fd in fds:
            sel.register(fd, selectors.EVENT_READ)
        return [key.fileobj for key, _ in sel.select(timeout=timeout)]
    finally:
        sel.close()


def memfd_with(data):
    fd = os.memfd_create("baton", 0)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def collect(runner, pid, pipes, deadline, limit):
    """Reads stdout/stderr/result incrementally until all close. Returns (bufs, cut, escaped) where
    cut is 'timeout', 'output_limit' or None and escaped counts processes that left the case's group."""
    bufs = {"out": bytearray(), "err": bytearray(), "result": bytearray()}
    total = 0
    sel = selectors.DefaultSelector()
    for name, fd in pipes.items():
        sel.register(fd, selectors.EVENT_READ, name)
    sel.register(runner.sock, selectors.EVENT_READ, "runner")
    sel.register(0, selectors.EVENT_READ, "driver")
    streams = len(pipes)
    ended = False
    escaped = 0
    try:
        while streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bufs, "timeout", escaped
            for key, _ in sel.select(timeout=min(remaining, 0.05)):
                if key.data == "driver":
                    JOBS.take()
                    sel.unregister(0)
                    if JOBS.eof:
                        raise DriverGone()
                    continue
                if key.data == "runner":
                    runner.messages()
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fd)
                    streams -= 1
                    continue
                if key.data == "result":
                    if len(bufs["result"]) + len(chunk) > RESULT_LIMIT:
                        return bufs, "output_limit", escaped
                else:
                    total += len(chunk)
                    if total > limit:
                        return bufs, "output_limit", escaped
                bufs[key.data].extend(chunk)
            # A descendant may hold the pipes open after the program exits: end them all.
            if not ended and pid in runner.exits:
                kill_group(pid)
                escaped += end_case_processes(pid)
                ended = True
        return bufs, None, escaped
    finally:
        sel.close()


def process_stat(pid):
    """(state letter, parent pid, process group) from /proc/<pid>/stat, or None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return fields[0], int(fields[1]), int(fields[2])
    except (OSError, IndexError, ValueError):
        return None


def reaped():
    """(pid, wait status) of each child of ours that has ended, without blocking."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        yield pid, status


def reap_orphans():
    """The judge is a subreaper (PID 1 in a container): killed grandchildren are reparented to it."""
    for _ in reaped():
        pass


RUNNER = {"pid": None}


def case_processes():
    """{pid: stat} of everything below the judge but the runner: the cases, and whatever a case
    started, since the judge is a subreaper and nothing a case starts can leave its tree (setsid,
    double forks and all); plus, when cases have a uid of their own, every process of that uid."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = process_stat(int(name))
            if stat is not None:
                stats[int(name)] = stat
    children = {}
    for pid, stat in stats.items():
        children.setdefault(stat[1], []).append(pid)
    found = set()
    stack = [os.getpid()]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    found.discard(RUNNER["pid"])  # its children, the cases, stay in
    if CASE_ID is not None:
        found.update(p for p in processes_of(CASE_ID[0]) if p in stats)
    return {pid: stats[pid] for pid in found if pid in stats}


def end_case_processes(case_pid):
    """Kills every process a case left; returns how many had left the case's process group, i.e.
    tried to outlive it (a zombie counts too: a thread-group leader that exited alone shows as Z while
    its other threads run, and SIGKILL to its pid ends them)."""
    escaped = set()
    me = os.getpid()
    for _ in range(50):
        reap_orphans()
        left = case_processes()
        # Dead members of the case's group that are the runner's wait for it to reap them; any other
        # process is killed (and, a zombie of ours, reaped on the next round).
        live = [pid for pid, (state, parent, group) in left.items() if state != "Z" or group != case_pid or parent == me]
        escaped.update(pid for pid, (_, _, group) in left.items() if group != case_pid)
        if not live:
            break
        for pid in live:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.001)
        reap_orphans()
    return len(escaped)


def run_case(ctx, job, index, case):
    """One test case: its job and stdin go to a fresh case process through memfds, its output comes
    back through pipes; the verdict is decided here, where the expected value lives."""
    style = job["tests"]["style"]
    case_job = {"mode": style, "src": ctx["src"]}
    test = b""
    real_stdin = style == "stdin" and job["tests"].get("stdin") == "real"
    if real_stdin:
        case_job.update(stdin="real")  # the input on fd 0, as a judge gives it
    elif style == "stdin":
        case_job.update(input=case["input"])  # LCB's: only through the patched sys.stdin and open
    if style == "call":
        case_job.update(functionName=job["tests"]["functionName"])
        if "argsJson" in case:
            case_job.update(argsJson=case["argsJson"])
        else:
            case_job.update(args=case["args"])
    elif style == "check":
        case_job.update(entryPoint=case["entryPoint"])
        test = json.dumps({"prompt": job["tests"].get("prompt", ""), "test": case["test"]}).encode()
    work_dir = tempfile.mkdtemp(dir=ctx["root"], prefix="case-")
    if CASE_ID is not None:
        os.chown(work_dir, *CASE_ID)
    stdin_fd = memfd_with(case["input"].encode() if real_stdin else b"")
    job_fd = memfd_with(json.dumps(case_job).encode())
    test_fd = memfd_with(test)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    res_r, res_w = os.pipe()
    runner = ctx["runner"]
    start = time.monotonic()
    limits = {k: job[k] for k in ("timeoutMs", "memoryMb", "outputLimitBytes")}
    try:
        pid = runner.start({"limits": limits, "workDir": work_dir}, [stdin_fd, job_fd, out_w, err_w, res_w, test_fd])
    except BaseException:
        os.close(job_fd)
        raise
    finally:
        for fd in (stdin_fd, out_w, err_w, res_w, test_fd):
            os.close(fd)
    pipes = {"out": out_r, "err": err_r, "result": res_r}
    try:
        bufs, cut, escaped = collect(runner, pid, pipes, start + job["timeoutMs"] / 1000, job["outputLimitBytes"])
    finally:
        kill_group(pid)
        for fd in pipes.values():
            os.close(fd)
    returncode = runner.wait_exit(pid, 5)
    # The case reads its job first thing after its set-up (uid, limits): an unread job means the
    # harness failed, not the program.
    job_read = os.lseek(job_fd, 0, os.SEEK_CUR) > 0
    os.close(job_fd)
    if returncode is None:
        raise RunnerLost("case %d did not end after SIGKILL" % pid)
    ctx["strays"] += escaped + end_case_processes(pid)
    shutil.rmtree(work_dir, ignore_errors=True)
    if not job_read:
        raise CaseSetupFailed(bufs["err"].decode("utf-8", errors="replace")[-500:] or "exit %s" % returncode)

    verdict = {"index": index, "timeMs": round((time.monotonic() - start) * 1000)}
    stderr = bufs["err"].decode("utf-8", errors="replace")
    if stderr:
        verdict["stderr"] = truncate(stderr)
    try:
        result = json.loads(bytes(bufs["result"]))
        if not isinstance(result, dict):
            result = None
    except Exception:  # whatever a program wrote there (e.g. nesting past the recursion limit)
        result = None
    if cut is not None:
        status = cut
    elif returncode in (-signal.SIGXCPU, -signal.SIGKILL) and result is None:
        status = "timeout"  # CPU rlimit: soft limit sends SIGXCPU, hard limit SIGKILL
    elif result is None:
        status = "memory_limit" if "MemoryError" in stderr else "runtime_error"
    elif result.get("status") == "memory":
        status = "memory_limit"
    elif style == "check" and str(result.get("error", "")).startswith("AssertionError"):
        status = "wrong_answer"  # HumanEval's check() asserts on wrong results
    elif result.get("status") != "ok":
        status = "runtime_error"
    elif style == "stdin":
        got = bufs["out"].decode("utf-8", errors="replace")
        verdict["got"] = truncate(got)
        status = "passed" if stdout_matches(got, case["output"]) else "wrong_answer"
    elif style == "call":
        # What the program wrote is decoded and compared within a time bound: sets or dicts of keys
        # that all hash alike would otherwise take quadratic time here.
        try:
            got, equal = within(max(2.0, job["timeoutMs"] / 1000), lambda: judge_value(result.get("value"), case))
        except Exception:  # malformed, nesting past the recursion limit, over time
            got, equal = "undecodable or too slow to compare", False
        verdict["got"] = got
        status = "passed" if equal else "wrong_answer"
    else:
        status = "passed"
    verdict["status"] = status
    if status == "passed":
        verdict.pop("got", None)  # excerpts are for explaining failures; keep traces small
    else:
        verdict["expected"] = truncate(expected_text(style, case))
    return verdict


class Overtime(Exception):
    pass


def within(seconds, work):
    """work() in the judge, cut short with Overtime after `seconds` of wall time."""

    def alarm(*_):
        raise Overtime()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def judge_value(encoded, case):
    """(excerpt, equal) for a call-style return value: LCB's prediction == expected, a top-level
    tuple counting as a list."""
    prediction = decode_value(encoded)
    if isinstance(prediction, tuple):
        prediction = list(prediction)
    got = prediction.text if isinstance(prediction, Opaque) else excerpt(prediction)
    return got, (prediction == case["expected"]) is True


def expected_text(style, case):
    if style == "stdin":
        return case["output"]
    if style == "check":
        return "check(%s) raises nothing" % case["entryPoint"]
    if "expectedJson" in case:
        return case["expectedJson"]
    return json.dumps(case["expected"])


def prepare_source(code, tests):
    """The program as the benchmark would exec it (LCB's prelude; HumanEval's prompt prefix, no
    prelude); None if it does not compile."""
    style = tests["style"]
    if style == "stdin":
        src = make_function(clean_if_name(code))
    elif style == "call":
        src = IMPORT_STRING + "\n\n" + code
    else:
        src = tests.get("prompt", "") + code
    try:
        with int_digits(LCB_INT_DIGITS if style in LCB_STYLES else DEFAULT_INT_DIGITS):
            compile(src, "<solution>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        return None, "%s: %s" % (type(e).__name__, e)
    return src, None


def validate(job):
    for key in ("timeoutMs", "memoryMb", "outputLimitBytes"):
        if not isinstance(job.get(key), (int, float)) or job[key] <= 0:
            raise ValueError("%s must be a positive number" % key)
    tests = job.get("tests")
    if not isinstance(job.get("code"), str) or not isinstance(tests, dict):
        raise ValueError("job needs code (string) and tests (object)")
    if tests.get("style") not in ("stdin", "call", "check") or not isinstance(tests.get("cases"), list):
        raise ValueError("tests.style must be stdin, call or check, with a cases list")
    if tests["style"] == "call" and not isinstance(tests.get("functionName"), str):
        raise ValueError("call-style tests need functionName")
    if tests["style"] == "stdin":
        if tests.get("stdin", "lcb") not in ("lcb", "real"):
            raise ValueError("tests.stdin must be lcb or real")
        if not all(isinstance(c, dict) and isinstance(c.get("input"), str) and isinstance(c.get("output"), str) for c in tests["cases"]):
            raise ValueError("stdin cases need input and output strings")
    if tests["style"] == "call":
        for case in tests["cases"]:
            if not isinstance(case, dict):
                raise ValueError("call cases must be objects")
            if "argsJson" in case:
                # A benchmark's own JSON text, never parsed by the driver: the expected value here, the
                # arguments in the case process (as LCB does); integers stay exact.
                texts = case["argsJson"]
                if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts) and isinstance(case.get("expectedJson"), str)):
                    raise ValueError("a call case with argsJson needs a list of JSON texts and expectedJson")
                with int_digits(LCB_INT_DIGITS):
                    case["expected"] = json.loads(case["expectedJson"])
            elif not isinstance(case.get("args"), list) or "expected" not in case:
                raise ValueError("a call case needs args (a list) and expected, or argsJson and expectedJson")


def run_job(job, ctx):
    validate(job)
    cases = job["tests"]["cases"]
    src, error = prepare_source(job["code"], job["tests"])
    if src is None:
        verdicts = [
            {"index": i, "status": "compile_error", "timeMs": 0, "stderr": truncate(error)} for i in range(len(cases))
        ]
        return {"passed": False, "verdicts": verdicts}
    ctx["src"] = src
    verdicts = []
    for i, case in enumerate(cases):
        try:
            verdict = run_case(ctx, job, i, case)
        except RunnerLost as e:
            ctx["broken"] = True
            verdicts.append({"index": i, "status": "runner_error", "timeMs": 0, "stderr": truncate(str(e))})
            break
        verdicts.append(verdict)
        if verdict["status"] != "passed":
            break  # LCB stops at the first failing case
    passed = len(verdicts) == len(cases) > 0 and all(v["status"] == "passed" for v in verdicts)
    return {"passed": passed, "verdicts": verdicts}


def sysv_ipc_objects():
    """(kind, id) of every SysV shared memory segment, semaphore set and message queue we can see."""
    found = set()
    for kind in ("shm", "sem", "msg"):
        try:
            with open("/proc/sysvipc/" + kind) as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if len(fields) > 1:
                        found.add((kind, fields[1]))
        except OSError:
            pass
    return found


class DirtCheck:
    """Whether a job left anything behind for the next one: entries in a place a case can write
    (/tmp, /var/tmp, /dev/shm, /dev/mqueue, the harness root, $HOME) that were not there at start,
    processes of the case uid, or SysV IPC objects. A dirty supervisor is replaced by its driver."""

    def __init__(self, root):
        # A case's own $HOME is its work dir (removed after it); ours is where a same-uid case could write.
        home = os.path.expanduser("~")
        places = {tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", root, home}
        self.places = sorted(p for p in places if os.path.isdir(p))
        self.baseline = self.snapshot()
        self.ipc = sysv_ipc_objects()

    def snapshot(self):
        entries = set()
        for place in self.places:
            try:
                entries.update(os.path.join(place, name) for name in os.listdir(place))
            except OSError:
                pass
        return entries

    def leftovers(self):
        new = sorted(self.snapshot() - self.baseline)
        if CASE_ID is not None:
            # Others may write to a shared /tmp: only what the case uid owns is the job's.
            new = [p for p in new if owned_by(p, CASE_ID[0])]
        return new + sorted("sysv %s %s" % o for o in sysv_ipc_objects() - self.ipc)


def owned_by(path, uid):
    try:
        return os.lstat(path).st_uid == uid
    except OSError:
        return False


def remove_leftovers(paths, root):
    """What the case uid left (or, sharing our uid, what appeared in our own root)."""
    for path in paths:
        if CASE_ID is None and not path.startswith(root + os.sep):
            continue  # another process of ours may have made it: only reported
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def remove_dead_roots(tmp):
    """Roots of supervisors killed before they could clean up (SIGKILL): their pid is in the name.
    Only real directories of our own uid are removed; anything odd is left alone, never fatal."""
    try:
        names = os.listdir(tmp)
    except OSError:
        return
    for name in names:
        parts = name.split("-")
        if len(parts) < 4 or parts[:2] != ["baton", "harness"]:
            continue
        if not (parts[2].isascii() and parts[2].isdigit() and 0 < len(parts[2]) <= 7):
            continue
        path = os.path.join(tmp, name)
        try:
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
                continue
            os.kill(int(parts[2]), 0)
            continue  # alive (or a reused pid: left alone)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (OSError, ValueError, OverflowError):
            continue


def start_runner(root):
    judge_end, runner_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        try:
            judge_end.close()
            # The runner must hold no end of the protocol: stdin and stdout become /dev/null.
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1):
                os.dup2(devnull, fd)
            os.close(devnull)
            runner_main(runner_end, root)
        finally:
            EXIT(70)
    runner_end.close()
    return Runner(judge_end, pid)


def answer(response):
    sys.stdout.write(json.dumps(response) + "\n")
    sys.stdout.flush()


def main():
    set_non_dumpable()
    become_subreaper()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    exec(IMPORT_STRING, {})  # warm sys.modules once, so forked cases skip the imports
    sys.setrecursionlimit(1000)  # the prelude raised it; the judge parses what programs write
    tmp = tempfile.gettempdir()
    remove_dead_roots(tmp)
    root = tempfile.mkdtemp(prefix="baton-harness-%d-" % os.getpid())
    os.chmod(root, 0o711)  # cases reach their own dir inside, and cannot add anything beside it
    runner = start_runner(root)
    RUNNER["pid"] = runner.pid
    try:
        dirt = DirtCheck(root)
        ctx = {"root": root, "runner": runner, "strays": 0, "broken": False}
        for line in JOBS:
            if not line.strip():
                continue
            nonce = None
            try:
                job = json.loads(line)
                nonce = job.get("nonce") if isinstance(job, dict) else None
                if not isinstance(nonce, str) or not nonce:
                    raise ValueError("job needs a nonce")
                response = run_job(job, ctx)
            except DriverGone:
                return
            except Exception as e:
                response = {"passed": False, "verdicts": [], "error": "%s: %s" % (type(e).__name__, e)}
            leftovers = dirt.leftovers()
            remove_leftovers(leftovers, root)
            response["dirty"] = bool(leftovers) or ctx["strays"] > 0 or ctx["broken"]
            ctx["strays"] = 0
            answer({"nonce": nonce, **response})
            if ctx["broken"]:
                return
    finally:
        try:
            os.kill(runner.pid, signal.SIGKILL)
            os.waitpid(runner.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        end_case_processes(-1)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
