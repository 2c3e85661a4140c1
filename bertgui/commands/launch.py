"""``accelerate launch --cpu --num_processes N -m bertgui train …``: really N processes.

WHY this exists: accelerate's ``--cpu`` path (``simple_launcher``) starts *one* process and expects ``mpirun``
(``--mpirun_hostfile``) to multiply it; without MPI the N is silently dropped — the child only gets
``ACCELERATE_USE_CPU=True`` and ``MASTER_ADDR``/``MASTER_PORT`` (set when N > 1), never ``RANK``/``WORLD_SIZE``. The
run then trains as one process while the user asked for N. accelerate does not pass N on, so it is read back from
the launcher's own command line (our parent process, parsed with accelerate's own parser), and the command starts
itself again under ``torch.distributed.run`` with N processes on this machine — what ``torchrun --standalone
--nproc_per_node N -m bertgui train …`` does. (``accelerate launch --multi_gpu --num_processes N`` reaches
torchrun directly and works on a CPU-only machine too.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from bertgui.text import text

MPI_SIZE = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE", "PMIX_SIZE")


def accelerate_cpu_request(env: dict[str, str] | None = None, parent_cmdline: Sequence[str] | None = None
                           ) -> int | None:
    """N when this process is the lone child of ``accelerate launch --cpu --num_processes N`` (N > 1), else None."""
    env = dict(os.environ) if env is None else env
    if env.get("ACCELERATE_USE_CPU", "").lower() not in ("true", "1"):
        return None
    if "WORLD_SIZE" in env or any(k in env for k in MPI_SIZE) or "MASTER_ADDR" not in env:
        return None  # already distributed (torchrun, mpirun), or accelerate asked for one process
    if parent_cmdline is None:
        try:
            import psutil

            parent = psutil.Process().parent()
            parent_cmdline = parent.cmdline() if parent is not None else []
        except Exception:  # no parent to read (containers, permissions): stay one process
            return None
    launch_args = _after_launch(list(parent_cmdline))
    if launch_args is None:
        return None
    try:
        from accelerate.commands.launch import launch_command_parser

        parsed = launch_command_parser().parse_args(launch_args)
    except (SystemExit, Exception):  # a launcher this accelerate does not parse: stay one process
        return None
    if (parsed.num_machines or 1) > 1 or not parsed.num_processes or parsed.num_processes < 2:
        return None
    return int(parsed.num_processes)


def _after_launch(cmdline: list[str]) -> list[str] | None:
    """The arguments of ``accelerate launch`` in its command line (``accelerate launch …``, ``-m …launch …``)."""
    for i, token in enumerate(cmdline):
        name = os.path.basename(token)
        if token == "launch" and i > 0 and "accelerate" in os.path.basename(cmdline[i - 1]):
            return cmdline[i + 1:]
        if token == "accelerate.commands.launch" or name.startswith("accelerate-launch"):
            return cmdline[i + 1:]
    return None


def relaunch_under_torchrun(processes: int, argv: Sequence[str] | None = None) -> int:
    """Run ``python -m bertgui ARGV`` as ``processes`` processes on this machine; their exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    print(text("bertgui: accelerate launch --cpu starts one process; starting {0} with torch.distributed.run.",
               processes), file=sys.stderr, flush=True)
    env = {k: v for k, v in os.environ.items() if k not in ("MASTER_ADDR", "MASTER_PORT")}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(processes),
           "-m", "bertgui", *argv]
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 130


def maybe_relaunch(argv: Sequence[str] | None = None) -> int | None:
    """The exit status of the N-process run when accelerate's ``--cpu`` dropped N; None to go on as we are."""
    processes = accelerate_cpu_request()
    return None if processes is None else relaunch_under_torchrun(processes, argv)
