"""Coach: a home exercise coach for lumbar spinal stenosis."""

__version__ = "0.1.0"
