#!/usr/bin/env python3
"""baton test harness: grades Python solutions the way LiveCodeBench's grader does.

Protocol: one job per JSON line on stdin
  {"code", "tests", "timeoutMs", "memoryMb", "outputLimitBytes"}
answered, in order, by one JSON line on stdout
  {"passed": bool, "verdicts": [{"index", "status", "timeMs", "expected"?, "got"?, "stderr"?}]}
(or {"passed": false, "verdicts": [], "error": "..."} for a malformed job), each with "dirty": bool
(the job left files or processes behind: its driver should replace this supervisor). Exits at EOF.
Python 3.11 standard library only; everything lives in one temp dir removed at exit, so the same
file can run as a long-lived supervisor inside a container.

Source of truth: LiveCodeBench lcb_runner/evaluation/testing_util.py (import_string, clean_if_name,
make_function, grade_stdio, grade_call_based, reliability_guard). Reproduced as-is: the star-import
block and sys.setrecursionlimit(50000); stdin programs wrapped into `wrapped_function` (so module
globals become locals and a non-final `if __name__ == '__main__'` block never runs, as in LCB);
the module is named 'tmp_sol'; SystemExit ends a stdin program normally; line-by-line comparison
after strip() with the Decimal fallback; call-based `prediction == expected` with a top-level
tuple turned into a list (no JSON round trip of the prediction, as in LCB); LeetCode-style
`class Solution` detection; reliability_guard's disabling of os.fork, subprocess.Popen, os.kill...
(plus os.posix_spawn*, since root ignores RLIMIT_NPROC);
grading stops at the first failing case (verdicts may be shorter than the case list).

Deviations from LCB (real processes instead of an in-process mocked stdin):
- Each case runs in a child process forked from the warm supervisor (as LCB forks its workers),
  with fresh stdio objects over a real stdin file, so `from sys import stdin`,
  sys.stdin.buffer, sys.stdout.buffer and open(0) behave as on a judge. LCB hoists imports above
  its mock, so there `from sys import stdin` reads the worker's own (empty) stdin and usually fails;
  its mocked readline()/readlines() return lines without "\n" and raise StopIteration at the end,
  and every open() returns the input. Here readline() keeps "\n" and returns "" at EOF.
- stdout+stderr are captured through pipes and capped (output_limit); LCB captures print() only.
- Limits LCB does not have: RLIMIT_AS (memory_limit), RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NPROC
  (non-root only), a whole-process-group kill. Wall-clock timeout is per case in milliseconds; LCB
  uses signal.alarm with whole seconds.
- Syntax errors are reported as compile_error for every case; LCB reports a runtime error (-4).
  Both are failures, so pass/fail is unchanged.
"""

import ast
import io
import json
import math
import os
import random
import resource
import selectors
import shutil
import signal
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
STATUSES = (
    "passed",
    "wrong_answer",
    "runtime_error",
    "timeout",
    "output_limit",
    "memory_limit",
    "compile_error",
)

def reliability_guard():
    """LiveCodeBench's reliability_guard, minus the memory part (rlimits are set by the harness),
    plus posix_spawn*: as root RLIMIT_NPROC is ignored, so process creation must stay closed."""
    import builtins

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
    """New stdio objects over fds 0-2: the forked child must not inherit the supervisor's buffers
    (its stdin buffer may hold the next job lines)."""
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", write_through=True
    )


def child_main(mode, src, case, result_path, job_dir):
    """Runs in the forked test-case process and never returns. Reports through a result file so
    the solution's own stdout stays untouched; an absent result file means the process died."""
    result = open(result_path, "w", encoding="utf-8")

    def report(obj):
        result.write(json.dumps(obj))
        result.flush()

    try:
        os.chdir(job_dir)
        os.environ.clear()
        os.environ.update(CHILD_ENV, HOME=job_dir)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        random.seed()  # a fresh interpreter would seed from urandom; a fork inherits the state
        fresh_stdio()
        code = compile(src, "<solution>", "exec")
        module = ModuleType("tmp_sol", "")
        reliability_guard()
        if mode == "check":
            # HumanEval: prompt + completion + test + check(entry_point); passing = no exception.
            exec(code, module.__dict__)
            exec(compile(case["test"], "<test>", "exec"), module.__dict__)
            module.__dict__["check"](module.__dict__[case["entryPoint"]])
            report({"status": "ok", "equal": True, "got": ""})
        elif mode == "stdin":
            exec(code, module.__dict__)
            method = getattr(module, "wrapped_function", None)
            if method is None:
                raise RuntimeError("wrapped_function not found")
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
            prediction = method(*case["args"])
            if isinstance(prediction, tuple):
                prediction = list(prediction)
            equal = prediction == case["expected"]
            report({"status": "ok", "equal": bool(equal), "got": excerpt(prediction)})
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


def excerpt(value):
    try:
        return truncate(json.dumps(value))
    except Exception:
        return truncate(repr(value))


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
        if dg is None or dw is None or dg != dw:
            return False
    return True


def count_user_processes(uid):
    n = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat("/proc/" + pid).st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n


# RLIMIT_NPROC counts every process of the user and root ignores it; the margin bounds fork bombs.
NPROC_LIMIT = None if os.geteuid() == 0 else count_user_processes(os.geteuid()) + 128


def make_preexec(job):
    mem = job["memoryMb"] * 1024 * 1024
    cpu = math.ceil(job["timeoutMs"] / 1000) + 1
    fsize = max(job["outputLimitBytes"], 1 << 16)

    def preexec():
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if NPROC_LIMIT is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (NPROC_LIMIT, NPROC_LIMIT))

    return preexec


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


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


class DriverGone(Exception):
    """stdin closed while a case ran: the driver (or its host process) is gone."""


def collect(proc, stdout, stderr, deadline, limit):
    """Reads stdout/stderr incrementally; returns (stdout, stderr, 'timeout'|'output_limit'|None)."""
    bufs = {"out": bytearray(), "err": bytearray()}
    total = 0
    sel = selectors.DefaultSelector()
    sel.register(stdout, selectors.EVENT_READ, "out")
    sel.register(stderr, selectors.EVENT_READ, "err")
    sel.register(0, selectors.EVENT_READ, "driver")
    reaped = False
    streams = 2
    try:
        while streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bufs["out"], bufs["err"], "timeout"
            for key, _ in sel.select(timeout=min(remaining, 0.05)):
                if key.data == "driver":
                    JOBS.take()
                    sel.unregister(0)
                    if JOBS.eof:
                        raise DriverGone()
                    continue
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    streams -= 1
                    continue
                total += len(chunk)
                if total > limit:
                    return bufs["out"], bufs["err"], "output_limit"
                bufs[key.data].extend(chunk)
            # A grandchild may hold the pipes open after the solution exits: end the group.
            if not reaped and proc.poll() is not None:
                kill_group(proc.pid)
                reaped = True
        return bufs["out"], bufs["err"], None
    finally:
        sel.close()


def read_result(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(f.read())
    except (OSError, ValueError):
        return None


class ForkedCase:
    """The forked test-case process, with the small part of Popen's interface collect() needs."""

    def __init__(self, pid):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self):
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def run_case(ctx, job, index, case):
    """One test case in a process forked from this warm supervisor (LiveCodeBench also forks its
    workers): the star-import modules are already loaded, so a case costs a fork, not an
    interpreter start."""
    style = job["tests"]["style"]
    result_path = os.path.join(ctx["dir"], "result.json")
    stdin_path = os.path.join(ctx["dir"], "stdin.txt")
    payload = {}
    if style == "call":
        payload = {"functionName": job["tests"]["functionName"], "args": case["args"], "expected": case["expected"]}
    elif style == "check":
        payload = {"test": case["test"], "entryPoint": case["entryPoint"]}
    with open(stdin_path, "w", encoding="utf-8") as f:
        f.write(case["input"] if style == "stdin" else "")
    if os.path.exists(result_path):
        os.remove(result_path)

    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    stdin_fd = os.open(stdin_path, os.O_RDONLY)
    preexec = make_preexec(job)
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            os.dup2(stdin_fd, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            os.closerange(3, MAX_FD)
            preexec()
            child_main(style, ctx["src"], payload, result_path, ctx["dir"])
        finally:
            EXIT(70)
    for fd in (out_w, err_w, stdin_fd):
        os.close(fd)
    proc = ForkedCase(pid)
    with os.fdopen(out_r, "rb", buffering=0) as stdout, os.fdopen(err_r, "rb", buffering=0) as stderr:
        try:
            out, err, cut = collect(proc, stdout, stderr, start + job["timeoutMs"] / 1000, job["outputLimitBytes"])
        finally:
            kill_group(proc.pid)
            proc.wait()
    verdict = {"index": index, "timeMs": round((time.monotonic() - start) * 1000)}
    stderr = err.decode("utf-8", errors="replace")
    if stderr:
        verdict["stderr"] = truncate(stderr)

    result = read_result(result_path)
    if cut is not None:
        status = cut
    elif proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and result is None:
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
        got = out.decode("utf-8", errors="replace")
        verdict["got"] = truncate(got)
        status = "passed" if stdout_matches(got, case["output"]) else "wrong_answer"
    else:
        verdict["got"] = str(result.get("got", ""))
        status = "passed" if result.get("equal") is True else "wrong_answer"
    verdict["status"] = status
    if status == "passed":
        verdict.pop("got", None)  # excerpts are for explaining failures; keep traces small
    else:
        verdict["expected"] = truncate(expected_text(style, case))
    return verdict


def expected_text(style, case):
    if style == "stdin":
        return case["output"]
    if style == "check":
        return "check(%s) raises nothing" % case["entryPoint"]
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


def run_job(job, root):
    validate(job)
    cases = job["tests"]["cases"]
    src, error = prepare_source(job["code"], job["tests"])
    if src is None:
        verdicts = [
            {"index": i, "status": "compile_error", "timeMs": 0, "stderr": truncate(error)} for i in range(len(cases))
        ]
        return {"passed": False, "verdicts": verdicts}
    job_dir = tempfile.mkdtemp(dir=root)
    try:
        ctx = {"dir": job_dir, "src": src}
        verdicts = []
        for i, case in enumerate(cases):
            verdict = run_case(ctx, job, i, case)
            verdicts.append(verdict)
            if verdict["status"] != "passed":
                break  # LCB stops at the first failing case
        passed = len(verdicts) == len(cases) > 0 and all(v["status"] == "passed" for v in verdicts)
        return {"passed": passed, "verdicts": verdicts}
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)


class DirtCheck:
    """Whether a job left anything behind: new entries in the temp dir, or (when not root, where
    the count means something) more processes of our user than at start. A dirty supervisor is
    replaced by its driver rather than reused."""

    def __init__(self, root):
        self.tmp = os.path.dirname(root)
        self.entries = set(os.listdir(self.tmp))
        self.processes = None if os.geteuid() == 0 else count_user_processes(os.geteuid())

    def dirty(self):
        if not set(os.listdir(self.tmp)) <= self.entries:
            return True
        return self.processes is not None and count_user_processes(os.geteuid()) > self.processes


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    exec(IMPORT_STRING, {})  # warm sys.modules once, so forked cases skip the imports
    root = tempfile.mkdtemp(prefix="baton-harness-")
    try:
        dirt = DirtCheck(root)
        for line in JOBS:
            if not line.strip():
                continue
            try:
                response = run_job(json.loads(line), root)
            except DriverGone:
                return
            except Exception as e:
                response = {"passed": False, "verdicts": [], "error": "%s: %s" % (type(e).__name__, e)}
            response["dirty"] = dirt.dirty()
            sys.stdout.write(json.dumps(response) + "\n")
            sys.stdout.flush()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
