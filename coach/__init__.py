"""Coach: a home exercise coach for lumbar spinal stenosis."""

import os

__version__ = "0.1.0"

# Coach uses no pydantic plugins; without this, pydantic scans the entry points
# of every installed package when the first model is built, which costs 0.1-0.2 s
# on each start of the app and of every command.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
