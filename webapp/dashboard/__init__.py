"""工作台: the role dashboard."""
