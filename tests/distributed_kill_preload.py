"""A dask worker preload for ``tests/test_distributed.py``: the first training checkpoint any worker writes is
followed by that worker's SIGKILL, once (an ``O_EXCL`` marker), and every resumed checkpoint is logged.

Markers go to ``$MULTIRAT_TEST_KILL_DIR``: ``killed`` (pid, checkpoint file, episode of the kill) and
``resumed.log`` (one line per :meth:`multirat.training.Trainer.resume`: pid, checkpoint file, resumed, episode).
The kill comes right after :meth:`~multirat.training.Trainer.save_checkpoint` returned, so the checkpoint is
complete: where the kill falls does not depend on timing.
"""

import os
import signal
from pathlib import Path


def dask_setup(worker):
    from multirat.training import Trainer

    folder = Path(os.environ["MULTIRAT_TEST_KILL_DIR"])
    save, resume = Trainer.save_checkpoint, Trainer.resume

    def save_then_die_once(self):
        save(self)
        try:
            fd = os.open(folder / "killed", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(fd, f"{os.getpid()} {self.checkpoint.name} {self.episode}".encode())
        os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)

    def logged_resume(self):
        done = resume(self)
        with open(folder / "resumed.log", "a") as log:
            log.write(f"{os.getpid()} {self.checkpoint.name} {done} {self.episode}\n")
        return done

    Trainer.save_checkpoint, Trainer.resume = save_then_die_once, logged_resume
