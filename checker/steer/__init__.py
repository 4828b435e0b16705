"""steer: policy-as-code compliance checker for regional architectures."""

from __future__ import annotations

__version__ = "0.1.0"
