"""Allows ``python -m bertgui`` (and ``torchrun -m bertgui train …``)."""

from bertgui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
